//! Baselines: today's findings recorded by their line-independent
//! fingerprint (`--write-baseline`), then hidden in later scans
//! (`--baseline`), so only new findings fail. Moving lines or reformatting
//! keeps a finding's fingerprint; a new finding on the same resource has its own.

use std::collections::HashSet;
use std::path::Path;

use super::{Kind, Suppression};
use crate::diagnostics::{Level, Notice};
use crate::findings::{Verdict, fingerprint};
use crate::scan_report::ScanReport;

/// The baseline file format version.
const VERSION: u64 = 1;

/// The fingerprints of a report's findings (suppressed ones included: they
/// were accepted too), as the baseline file's JSON.
pub fn render(report: &ScanReport) -> String {
    let mut entries: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let file = &report.files[f.resource_file].repo_path;
            serde_json::json!({
                "fingerprint": fingerprint(&f.check_id, file, &f.resource_id),
                "check_id": f.check_id,
                "file": file,
                "resource": f.resource_id,
                "verdict": if f.verdict == Verdict::Fail { "fail" } else { "unknown" },
            })
        })
        .collect();
    entries.sort_by_key(|e| e["fingerprint"].as_str().unwrap_or_default().to_string());
    entries.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
    let baseline = serde_json::json!({"version": VERSION, "tool": "preflight", "findings": entries});
    serde_json::to_string_pretty(&baseline).unwrap_or_default() + "\n"
}

/// The fingerprints of a baseline file.
pub fn load(path: &Path) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    if json["version"].as_u64() != Some(VERSION) {
        return Err(format!(
            "{}: not a preflight baseline (version {VERSION})",
            path.display()
        ));
    }
    let findings = json["findings"]
        .as_array()
        .ok_or_else(|| format!("{}: \"findings\" must be a list", path.display()))?;
    Ok(findings
        .iter()
        .filter_map(|f| f["fingerprint"].as_str().map(str::to_string))
        .collect())
}

/// Suppresses the findings whose fingerprint the baseline holds. A baseline
/// with entries of which none matched is a warning: it was most likely
/// written for other files (or paths), and hides nothing.
pub fn apply(report: &mut ScanReport, baseline: &HashSet<String>, name: &str) {
    let mut matched = false;
    for finding in &mut report.findings {
        let file = &report.files[finding.resource_file].repo_path;
        if baseline.contains(&fingerprint(&finding.check_id, file, &finding.resource_id)) {
            matched = true;
            if finding.suppression.is_none() {
                finding.suppression = Some(Box::new(Suppression {
                    kind: Kind::External,
                    justification: format!("accepted in the baseline {name}"),
                }));
            }
        }
    }
    if !matched && !baseline.is_empty() {
        report.notices.push(Notice {
            level: Level::Warning,
            message: format!(
                "none of the {} finding(s) of the baseline {name} matched this scan: its entries name files relative to the repository root ({}), so it was written for other files, or its findings are all fixed",
                baseline.len(),
                report.repository.display()
            ),
        });
    }
}
