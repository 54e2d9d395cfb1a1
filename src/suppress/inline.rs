//! Suppression comments in YAML and HCL:
//!
//! ```text
//! # preflight:ignore PF-EC2-01,PF-EC2-02 until=2027-03-31 the bastion is behind a VPN
//! # checkov:skip=CKV_AWS_24:the bastion is behind a VPN
//! ```
//!
//! A comment applies to the resource whose logical id (block header) is on
//! its line or the line below, and to a finding whose offending attribute is
//! on its line. After its `until` date it no longer suppresses, and says so.

use std::collections::HashMap;
use std::path::Path;

use super::{Kind, NO_REASON, Suppression, names};
use crate::checks::Registry;
use crate::diagnostics::Diagnostic;
use crate::parse::Pos;
use crate::scan::{FileDiagnostic, ScanReport};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub pos: Pos,
    /// Check ids or slugs (`preflight:ignore`), or Checkov ids (`checkov:skip`).
    pub ids: Vec<String>,
    pub checkov: bool,
    /// `YYYY-MM-DD`: the last day it suppresses.
    pub until: Option<String>,
    /// The comment is alone on its line (so it may apply to the line below).
    pub own_line: bool,
    pub reason: Option<String>,
}

/// The suppression comments of a file's text.
pub fn directives(text: &str) -> Vec<Directive> {
    if !text.contains("preflight:ignore") && !text.contains("checkov:skip") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(comment) = line.find('#').or_else(|| line.find("//")) else {
            continue;
        };
        let body = &line[comment..];
        let own_line = line[..comment].trim().is_empty();
        let pos = |at: usize| Pos {
            line: index as u32 + 1,
            col: line[..comment + at].chars().count() as u32 + 1,
        };
        if let Some(at) = body.find("preflight:ignore") {
            let mut words = body[at + "preflight:ignore".len()..]
                .split_whitespace()
                .peekable();
            let ids: Vec<String> = words
                .next()
                .map(|list| {
                    list.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let until = words
                .next_if(|w| w.starts_with("until="))
                .map(|w| w["until=".len()..].to_string());
            let reason: Vec<&str> = words.collect();
            out.push(Directive {
                pos: pos(at),
                ids,
                checkov: false,
                until,
                own_line,
                reason: (!reason.is_empty()).then(|| reason.join(" ")),
            });
        } else if let Some(at) = body.find("checkov:skip=") {
            let rest = body[at + "checkov:skip=".len()..].trim();
            let (id, reason) = match rest.split_once(':') {
                Some((id, reason)) => (
                    id.trim(),
                    Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
                ),
                None => (rest.split_whitespace().next().unwrap_or_default(), None),
            };
            out.push(Directive {
                pos: pos(at),
                ids: vec![id.to_string()],
                checkov: true,
                until: None,
                own_line,
                reason,
            });
        }
    }
    out
}

/// What the inline pass needs besides the report.
pub struct Options<'a> {
    /// Today, `YYYY-MM-DD`, for `until=`.
    pub today: &'a str,
    /// Warn about comments that suppress nothing.
    pub report_unused: bool,
    /// The scan's file size limit (the files were read under it once already).
    pub max_file_size: u64,
}

/// Formats whose files cannot hold comments.
const JSON_FORMATS: &[&str] = &["cloudformation-json", "terraform-plan"];

/// Suppresses the findings of `report` that comments in their files name,
/// adding warnings for comments without a reason, expired and (optionally) unused ones.
pub fn apply(report: &mut ScanReport, registry: &Registry, options: &Options<'_>) {
    let mut files: HashMap<usize, Vec<(Directive, bool)>> = HashMap::new();
    let root = report.root.clone();
    let mut load = |file: usize, report: &ScanReport| {
        files.entry(file).or_insert_with(|| {
            // JSON has no comments: a plan of many megabytes is not read again for them.
            if JSON_FORMATS.contains(&report.files[file].format) {
                return Vec::new();
            }
            read(&root, &report.files[file].path, options.max_file_size)
                .map(|text| directives(&text).into_iter().map(|d| (d, false)).collect())
                .unwrap_or_default()
        });
    };
    for i in 0..report.findings.len() {
        let finding = &report.findings[i];
        load(finding.file, report);
        load(finding.resource_file, report);
    }
    let mut expired_warned = Vec::new();
    for finding in &mut report.findings {
        if finding.suppression.is_some() {
            continue;
        }
        let check = &registry.checks()[finding.check];
        let declared = finding.resource_start.line;
        // The resource's line, a comment line just above it, the attribute's line.
        let applies = |file: usize, d: &Directive| {
            (file == finding.resource_file
                && (d.pos.line == declared || d.own_line && d.pos.line + 1 == declared))
                || (file == finding.file && d.pos.line == finding.span.start.line)
        };
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for file in [finding.resource_file, finding.file] {
            for (index, (directive, _)) in files[&file].iter().enumerate() {
                if applies(file, directive) && !candidates.contains(&(file, index)) {
                    candidates.push((file, index));
                }
            }
        }
        for (file, index) in candidates {
            let (directive, used) = &mut files.get_mut(&file).expect("loaded")[index];
            if !directive.ids.iter().any(|id| names(check, id, directive.checkov)) {
                continue;
            }
            *used = true;
            if let Some(until) = &directive.until
                && until.as_str() < options.today
            {
                if !expired_warned.contains(&(file, index)) {
                    expired_warned.push((file, index));
                }
                continue;
            }
            finding.suppression = Some(Suppression {
                kind: Kind::InSource,
                justification: directive.reason.clone().unwrap_or_else(|| NO_REASON.to_string()),
            });
            break;
        }
    }
    let mut warnings = Vec::new();
    for (file, list) in &files {
        for (index, (directive, used)) in list.iter().enumerate() {
            let mut warn = |message: String| {
                warnings.push(FileDiagnostic {
                    file: report.files[*file].path.clone(),
                    diagnostic: Diagnostic::warning(directive.pos, message),
                });
            };
            let what = directive.ids.join(",");
            if expired_warned.contains(&(*file, index)) {
                warn(format!(
                    "the suppression of {what} expired on {}; it no longer suppresses",
                    directive.until.as_deref().unwrap_or_default()
                ));
            } else if !used && options.report_unused {
                warn(format!("the suppression of {what} matches no finding"));
            }
            if directive.reason.is_none() && (*used || options.report_unused) {
                warn(format!("the suppression of {what} gives no reason"));
            }
        }
    }
    warnings.sort_by(|a, b| (&a.file, a.diagnostic.pos).cmp(&(&b.file, b.diagnostic.pos)));
    report.diagnostics.extend(warnings);
}

/// A scanned file's text, read again for its comments (only files with findings).
fn read(root: &Path, display: &str, max_file_size: u64) -> Option<String> {
    let path = root.join(display);
    crate::parse::read_source(&path, max_file_size, |_| true)
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_syntaxes() {
        let text = "Resources:\n  # preflight:ignore PF-EC2-01,vpc-sg-no-public-ingress-ssh until=2027-03-31 behind a VPN\n  Sg:\n    Type: X # checkov:skip=CKV_AWS_24: legacy\nresource \"a\" \"b\" { // preflight:ignore PF-S3-04\n";
        let found = directives(text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].ids, ["PF-EC2-01", "vpc-sg-no-public-ingress-ssh"]);
        assert_eq!(found[0].until.as_deref(), Some("2027-03-31"));
        assert_eq!(found[0].reason.as_deref(), Some("behind a VPN"));
        assert_eq!(found[0].pos, Pos { line: 2, col: 5 });
        assert!(found[0].own_line && !found[1].own_line);
        assert!(found[1].checkov && found[1].ids == ["CKV_AWS_24"]);
        assert_eq!(found[1].reason.as_deref(), Some("legacy"));
        assert_eq!(found[2].reason, None);
        assert_eq!(found[2].pos.line, 5);
    }
}
