//! The GitLab SAST report (`--format gitlab-sast`, `gl-sast-report.json`,
//! read through `artifacts: reports: sast:`), following version 15.0.4 of
//! GitLab's security report schemas (`sast-report-format.json`), the version
//! other IaC scanners write today.
//!
//! What goes where:
//! - `vulnerabilities`: the failing, unsuppressed findings. Each `id` is a
//!   UUID (version 8, the RFC 9562 vendor form) derived from the finding's
//!   line-independent fingerprint, so a finding keeps its id between runs;
//!   `identifiers` are the check (type `preflight`, with its help page) and
//!   the other tools' ids it aliases (type `checkov`, ...), which lets GitLab
//!   match a preflight finding with the same Checkov finding; `location`
//!   names the file relative to the repository root, as GitLab resolves it.
//! - Unknown verdicts are not vulnerabilities: GitLab's `Unknown` severity
//!   means a known problem of unknown gravity, while an unknown verdict is
//!   an undecided check, and a vulnerability record would ask for triage of
//!   something that may well be fine. They are `scan.messages` (level
//!   `info`) with their reason.
//! - Suppressed findings (accepted in the code or by a baseline) are left
//!   out, since GitLab has no way to mark a finding accepted in a report; a
//!   `scan.messages` entry counts them.
//! - Inputs that could not be read are `warn` messages, and make the scan's
//!   `status` `failure` (the exit code is then 2).

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::checks::{Registry, Severity};
use crate::diagnostics::Level;
use crate::findings::{Finding, Verdict, fingerprint};
use crate::scan_report::ScanReport;

/// The version of GitLab's security report schemas followed.
pub const SCHEMA_VERSION: &str = "15.0.4";

/// Where that schema is published.
pub const SCHEMA_URL: &str = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.4/dist/sast-report-format.json";

/// `solution` holds at most this many characters in the schema.
const MAX_SOLUTION: usize = 7000;
/// `identifiers` holds at most this many entries.
const MAX_IDENTIFIERS: usize = 20;

/// Writes the report of a scan that ran from `started` to `finished`.
pub fn write(
    report: &ScanReport,
    registry: &Registry,
    started: SystemTime,
    finished: SystemTime,
    out: &mut dyn Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(report, registry, started, finished))?;
    writeln!(out)
}

/// Builds the report.
pub fn build(report: &ScanReport, registry: &Registry, started: SystemTime, finished: SystemTime) -> Value {
    let tool = json!({
        "id": "preflight",
        "name": "preflight",
        "url": super::sarif::INFORMATION_URI,
        "vendor": {"name": "preflight"},
        "version": env!("CARGO_PKG_VERSION"),
    });
    // Findings sharing a fingerprint (one check, file and resource) are
    // told apart by their order.
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut vulnerabilities = Vec::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Fail && f.suppression.is_none())
    {
        let check = &registry.checks()[f.check];
        let print = fingerprint(
            &check.id,
            &report.files[f.resource_file].repo_path,
            &f.resource_id,
        );
        let occurrence = seen.entry(print.clone()).or_default();
        let id = uuid(&format!("{print}/{occurrence}"));
        *occurrence += 1;
        vulnerabilities.push(vulnerability(report, registry, f, id));
    }
    let mut messages = Vec::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
    {
        messages.push(json!({
            "level": "warn",
            "value": format!("{}:{}: {}", d.file, d.diagnostic.pos, d.diagnostic.message),
        }));
    }
    for notice in &report.notices {
        messages.push(json!({
            "level": if notice.level >= Level::Warning { "warn" } else { "info" },
            "value": notice.message,
        }));
    }
    for f in report
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Unknown && f.suppression.is_none())
    {
        messages.push(json!({
            "level": "info",
            "value": format!(
                "unknown before deploy, not reported as a vulnerability: {} {} at {}:{}: {}",
                f.check_id,
                f.resource_id,
                report.files[f.file].repo_path,
                f.span.start,
                f.message
            ),
        }));
    }
    let suppressed = report.suppressed();
    if suppressed > 0 {
        messages.push(json!({
            "level": "info",
            "value": format!("{suppressed} suppressed finding(s) not reported (accepted in the code or by the baseline)"),
        }));
    }
    let mut scan = json!({
        "analyzer": tool,
        "scanner": tool,
        "type": "sast",
        "start_time": timestamp(started),
        "end_time": timestamp(finished.max(started)),
        "status": if report.has_errors() { "failure" } else { "success" },
    });
    if !messages.is_empty() {
        scan["messages"] = Value::Array(messages);
    }
    json!({
        "schema": SCHEMA_URL,
        "version": SCHEMA_VERSION,
        "scan": scan,
        "vulnerabilities": vulnerabilities,
    })
}

fn vulnerability(report: &ScanReport, registry: &Registry, f: &Finding, id: String) -> Value {
    let check = &registry.checks()[f.check];
    let help = format!("{}/blob/main/{}", super::sarif::INFORMATION_URI, check.source);
    let mut identifiers = vec![json!({
        "type": "preflight",
        "name": format!("preflight {}", check.id),
        "value": check.id,
        "url": help,
    })];
    for (tool, ids) in &check.aliases {
        for alias in ids {
            identifiers.push(json!({
                "type": tool,
                "name": format!("{tool} {alias}"),
                "value": alias,
            }));
        }
    }
    identifiers.truncate(MAX_IDENTIFIERS);
    let subject = match &f.located_in {
        Some(holder) => format!("{holder}, for {}", f.resource_id),
        None => f.resource_id.clone(),
    };
    let mut description = format!(
        "{subject} ({}): {}",
        f.source_type.as_deref().unwrap_or(&f.resource_type),
        f.message
    );
    if let Some(c) = &f.conditional {
        description.push_str(&format!(" [only when {c}]"));
    }
    if !check.description.is_empty() {
        description.push_str("\n\n");
        description.push_str(&check.description);
    }
    let (start_line, _, end_line, _) = super::json::region(f.span);
    let mut vulnerability = json!({
        "id": id,
        "name": check.title,
        "description": description,
        "severity": severity(f.severity),
        "identifiers": identifiers,
        "links": [{"name": format!("{} {}", check.id, check.slug), "url": help}],
        "location": {
            "file": report.files[f.file].repo_path,
            "start_line": start_line,
            "end_line": end_line,
        },
    });
    // The fix, with the example in the language the finding is written in.
    let example = check.remediation.example(report.dialect_of(f));
    let solution = [f.remediation(check), example]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    if !solution.is_empty() {
        vulnerability["solution"] = json!(solution.chars().take(MAX_SOLUTION).collect::<String>());
    }
    vulnerability
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// A UUID (version 8: vendor-defined) of 128 bits hashed from `key`, so the
/// same finding has the same id in every run.
fn uuid(key: &str) -> String {
    let hash = |seed: u64| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for byte in key.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    };
    let high = (hash(0) & !0xf000) | 0x8000; // version 8
    let low = (hash(0x9e37_79b9_7f4a_7c15) & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// `yyyy-mm-ddThh:mm:ss` in UTC, as the schema wants it.
fn timestamp(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_civil_dates() {
        let at = |secs: u64| timestamp(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00");
    }

    #[test]
    fn ids_are_stable_version_8_uuids() {
        let id = uuid("6248f3871071ad80/0");
        assert_eq!(id, uuid("6248f3871071ad80/0"));
        assert_ne!(id, uuid("6248f3871071ad80/1"));
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert!(parts[2].starts_with('8'), "{id}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
    }
}
