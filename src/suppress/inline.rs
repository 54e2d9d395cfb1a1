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

use std::path::Path;

use rayon::prelude::*;

use super::{Kind, NO_REASON, Suppression, names};
use crate::checks::Registry;
use crate::diagnostics::Diagnostic;
use crate::parse::Pos;
use crate::scan_report::{FileDiagnostic, ScanReport};

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
            let mut words = body[at + "preflight:ignore".len()..].split_whitespace();
            let ids: Vec<String> = words
                .next()
                .map(|list| {
                    list.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let (until, reason) = until_and_reason(words);
            out.push(Directive {
                pos: pos(at),
                ids,
                checkov: false,
                until,
                own_line,
                reason,
            });
        } else if let Some(at) = body.find("checkov:skip=") {
            let rest = body[at + "checkov:skip=".len()..].trim();
            let (id, rest) = match rest.split_once(':') {
                Some((id, reason)) => (id.trim(), reason),
                None => {
                    let id = rest.split_whitespace().next().unwrap_or_default();
                    (id, &rest[id.len()..])
                }
            };
            let (until, reason) = until_and_reason(rest.split_whitespace());
            out.push(Directive {
                pos: pos(at),
                ids: vec![id.to_string()],
                checkov: true,
                until,
                own_line,
                reason,
            });
        }
    }
    out
}

/// The `until=` date of a comment's words after its ids, wherever it
/// stands among them, and the other words as the reason.
fn until_and_reason<'a>(words: impl Iterator<Item = &'a str>) -> (Option<String>, Option<String>) {
    let mut until = None;
    let mut reason = Vec::new();
    for word in words {
        match word.strip_prefix("until=") {
            Some(date) if until.is_none() => until = Some(date.to_string()),
            _ => reason.push(word),
        }
    }
    (until, (!reason.is_empty()).then(|| reason.join(" ")))
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

/// The suppression comments of one scanned file, each with whether it
/// matched a finding.
#[derive(Default)]
struct Commented {
    directives: Vec<(Directive, bool)>,
    /// Where each resource block of the file ends, for `checkov:skip`
    /// comments written inside one (only when the file has such comments).
    blocks: Option<Blocks>,
}

/// Suppresses the findings of `report` that comments in their files name,
/// adding warnings for comments naming unknown checks, without a reason,
/// expired and (optionally) unused ones.
pub fn apply(report: &mut ScanReport, registry: &Registry, options: &Options<'_>) {
    // Every file, not only those with findings: a comment naming an unknown
    // check is a mistake wherever it stands.
    let mut files: Vec<Commented> = (0..report.files.len())
        .into_par_iter()
        .map(|file| commented(report, file, options.max_file_size))
        .collect();
    let mut expired_warned = Vec::new();
    for finding in &mut report.findings {
        if finding.suppression.is_some() {
            continue;
        }
        let check = &registry.checks()[finding.check];
        let declared = finding.resource_start.line;
        // The resource's line, a comment line just above it, the attribute's
        // line; and for Checkov's syntax, anywhere inside the resource's
        // block, where Checkov reads it.
        let applies = |file: usize, d: &Directive| {
            (file == finding.resource_file
                && (d.pos.line == declared
                    || d.own_line && d.pos.line + 1 == declared
                    || d.checkov
                        && files[file]
                            .blocks
                            .as_ref()
                            .is_some_and(|b| b.contains(declared, d.pos.line))))
                || (file == finding.file && d.pos.line == finding.span.start.line)
        };
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for file in [finding.resource_file, finding.file] {
            for (index, (directive, _)) in files[file].directives.iter().enumerate() {
                if applies(file, directive) && !candidates.contains(&(file, index)) {
                    candidates.push((file, index));
                }
            }
        }
        for (file, index) in candidates {
            let (directive, used) = &mut files[file].directives[index];
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
            finding.suppression = Some(Box::new(Suppression {
                kind: Kind::InSource,
                justification: directive.reason.clone().unwrap_or_else(|| NO_REASON.to_string()),
            }));
            break;
        }
    }
    let mut warnings = Vec::new();
    for (file, commented) in files.iter().enumerate() {
        for (index, (directive, used)) in commented.directives.iter().enumerate() {
            let mut warn = |message: String| {
                warnings.push(FileDiagnostic {
                    file: report.files[file].path.clone(),
                    diagnostic: Diagnostic::warning(directive.pos, message),
                });
            };
            for id in unknown_ids(directive, registry) {
                warn(unknown_id_message(id, directive.checkov));
            }
            let what = directive.ids.join(",");
            if expired_warned.contains(&(file, index)) {
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

/// The suppression comments of the report's file `file` (none for JSON,
/// which has no comments: a plan of many megabytes is not read again).
fn commented(report: &ScanReport, file: usize, max_file_size: u64) -> Commented {
    let source = &report.files[file];
    if JSON_FORMATS.contains(&source.format) {
        return Commented::default();
    }
    let Some(text) = read(&source.path, max_file_size) else {
        return Commented::default();
    };
    let directives: Vec<(Directive, bool)> = directives(&text).into_iter().map(|d| (d, false)).collect();
    let blocks = directives
        .iter()
        .any(|(d, _)| d.checkov)
        .then(|| Blocks::new(&text, source.format == "terraform-hcl"));
    Commented { directives, blocks }
}

/// The ids of a comment that name no check loaded (selected by this run or
/// not); for Checkov's syntax, no Checkov id any check is an alias of.
fn unknown_ids<'a>(directive: &'a Directive, registry: &Registry) -> impl Iterator<Item = &'a str> {
    directive.ids.iter().map(String::as_str).filter(|id| {
        if directive.checkov {
            !registry.knows_checkov(id)
        } else {
            !registry.knows(id)
        }
    })
}

fn unknown_id_message(id: &str, checkov: bool) -> String {
    if checkov {
        format!(
            "checkov:skip names {id}, which no preflight check is an alias of; it suppresses nothing here"
        )
    } else {
        format!("preflight:ignore names unknown check {id} (see `preflight checks`); it suppresses nothing")
    }
}

/// Where the blocks declared in a file end, found from its text: the line
/// of the brace closing an HCL block, or the last line indented deeper than
/// a YAML key.
struct Blocks {
    lines: Vec<String>,
    hcl: bool,
}

impl Blocks {
    fn new(text: &str, hcl: bool) -> Blocks {
        Blocks {
            lines: text.lines().map(str::to_string).collect(),
            hcl,
        }
    }

    /// Whether `line` lies inside the block declared on line `declared` (1-based).
    fn contains(&self, declared: u32, line: u32) -> bool {
        line > declared && line <= self.end(declared)
    }

    fn end(&self, declared: u32) -> u32 {
        let start = declared.saturating_sub(1) as usize;
        if self.hcl {
            hcl_block_end(&self.lines, start)
        } else {
            yaml_block_end(&self.lines, start)
        }
        .map_or(declared, |index| index as u32 + 1)
    }
}

/// The index of the line closing the HCL block opened on line `start`:
/// braces counted outside strings and comments.
fn hcl_block_end(lines: &[String], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut opened = false;
    for (index, line) in lines.iter().enumerate().skip(start) {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '#' if !in_string => break,
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                '{' if !in_string => {
                    depth += 1;
                    opened = true;
                }
                '}' if !in_string => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some(index);
        }
    }
    None
}

/// The index of the last line of the YAML mapping entry whose key is on line
/// `start`: the lines after it indented deeper (blank lines between them included).
fn yaml_block_end(lines: &[String], start: usize) -> Option<usize> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let key_indent = indent(lines.get(start)?);
    let mut end = start;
    for (index, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        if indent(line) <= key_indent {
            break;
        }
        end = index;
    }
    Some(end)
}

/// A scanned file's text, read again for its comments; `display` is its
/// path from the current directory.
fn read(display: &str, max_file_size: u64) -> Option<String> {
    crate::parse::read_source(Path::new(display), max_file_size, |_| true)
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

    #[test]
    fn until_is_read_wherever_it_stands() {
        let found = directives(
            "# preflight:ignore PF-EC2-01 behind a VPN until=2027-03-31\n# checkov:skip=CKV_AWS_24:legacy until=2026-01-01 host\n",
        );
        assert_eq!(found[0].until.as_deref(), Some("2027-03-31"));
        assert_eq!(found[0].reason.as_deref(), Some("behind a VPN"));
        assert_eq!(found[1].until.as_deref(), Some("2026-01-01"));
        assert_eq!(found[1].reason.as_deref(), Some("legacy host"));
    }

    #[test]
    fn blocks_end_at_their_closing_brace_or_indentation() {
        let hcl = Blocks::new(
            "resource \"a\" \"b\" {\n  x = \"}\" # }\n  y {\n  }\n}\nresource \"a\" \"c\" {}\n",
            true,
        );
        assert!(hcl.contains(1, 4) && hcl.contains(1, 5) && !hcl.contains(1, 6));
        let yaml = Blocks::new(
            "Resources:\n  A:\n    Type: X\n\n    # c\n  B:\n    Type: Y\n",
            false,
        );
        assert!(yaml.contains(2, 5) && !yaml.contains(2, 6));
    }
}
