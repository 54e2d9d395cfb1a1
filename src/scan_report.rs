//! What a scan found, as every renderer and the suppressions read it. It
//! lives below `scan` (which fills it) and `suppress` (which marks it), so
//! neither imports the other for it.

use std::path::{Path, PathBuf};

use crate::checks::Dialect;
use crate::checks::deployment::Baseline;
use crate::diagnostics::{Diagnostic, Level, Notice};
use crate::findings::{Finding, Tally};

/// An input that was read as infrastructure code.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user opens it from the current directory (relative
    /// to it, absolute only outside it), with `/` separators.
    pub path: String,
    /// The path relative to the repository root (the git work tree around
    /// the current directory, else the current directory): what SARIF URIs,
    /// fingerprints and baselines use, so they hold wherever the scan runs.
    pub repo_path: String,
    /// `cloudformation-yaml`, `cloudformation-json`, `terraform-plan` or `terraform-hcl`.
    pub format: &'static str,
    pub resources: usize,
}

/// A diagnostic about one file.
#[derive(Debug, Clone)]
pub struct FileDiagnostic {
    /// Path relative to the scan root.
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// A resource no check judged, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedResource {
    pub file: String,
    pub resource: String,
    /// The CloudFormation type; the Terraform type when none was lifted.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// Why a resource was skipped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// Not created with the given parameters: this condition is false.
    Condition { condition: String },
    /// A Terraform type no adapter lifts into the graph, whose CloudFormation
    /// counterpart these checks of the run read.
    NoAdapter {
        counterpart: String,
        checks: Vec<String>,
    },
}

/// Everything a scan found.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// The scanned tree: files outside it are never read.
    pub root: PathBuf,
    /// The repository root `SourceFile::repo_path`s are relative to.
    pub repository: PathBuf,
    pub files: Vec<SourceFile>,
    /// Sorted by file, position and check.
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<FileDiagnostic>,
    pub skipped_resources: Vec<SkippedResource>,
    /// Files found but not infrastructure code (those that do not even parse
    /// also have a warning).
    pub skipped_files: usize,
    /// About the run as a whole: what it could not see.
    pub notices: Vec<Notice>,
    pub tally: Tally,
    pub resources: usize,
    pub checks: usize,
    /// The account-baseline profile's conclusions.
    pub baseline: Baseline,
    /// Verdict counts per check, indexed like the registry.
    pub by_check: Vec<Tally>,
    /// The compliance summary (`--framework`).
    pub compliance: Option<crate::checks::framework::Compliance>,
}

impl ScanReport {
    /// The language finding `finding` is written in.
    pub fn dialect_of(&self, finding: &Finding) -> Dialect {
        self.files
            .get(finding.file)
            .map_or(Dialect::CloudFormation, |f| Dialect::of_format(f.format))
    }

    /// For each of `checks` checks, the language its users write: that of
    /// most of its findings, else of most files scanned (CloudFormation on a tie).
    pub fn check_dialects(&self, checks: usize) -> Vec<Dialect> {
        let lean = |d: Dialect| if d == Dialect::Terraform { 1 } else { -1 };
        let files: i64 = self
            .files
            .iter()
            .map(|f| lean(Dialect::of_format(f.format)))
            .sum();
        let mut by_check = vec![0i64; checks];
        for finding in &self.findings {
            if let Some(count) = by_check.get_mut(finding.check) {
                *count += lean(self.dialect_of(finding));
            }
        }
        by_check
            .into_iter()
            .map(|count| match if count == 0 { files } else { count } {
                n if n > 0 => Dialect::Terraform,
                _ => Dialect::CloudFormation,
            })
            .collect()
    }

    /// For each of `checks` checks, its remediation in the terms of
    /// `dialects[check]` where they differ from the check's own: that of its
    /// first finding in that language which has one.
    pub fn check_fixes(&self, checks: usize, dialects: &[Dialect]) -> Vec<Option<&str>> {
        let mut fixes = vec![None; checks];
        for finding in &self.findings {
            let (Some(fix), Some(slot)) = (finding.fix.as_deref(), fixes.get_mut(finding.check)) else {
                continue;
            };
            if slot.is_none() && dialects.get(finding.check) == Some(&self.dialect_of(finding)) {
                *slot = Some(fix);
            }
        }
        fixes
    }

    /// How many findings are suppressed.
    pub fn suppressed(&self) -> usize {
        self.findings.iter().filter(|f| f.suppression.is_some()).count()
    }

    /// A path as shown (from the current directory) relative to the
    /// repository root, as SARIF needs it: a scanned file's `repo_path`, else
    /// worked out (a CDK app's source file, a file that did not parse).
    pub fn repository_path(&self, shown: &str) -> String {
        match self.files.iter().find(|f| f.path == shown) {
            Some(file) => file.repo_path.clone(),
            None => repository_path(&self.repository, shown),
        }
    }

    /// Whether any input could not be read or parsed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.diagnostic.level == Level::Error)
    }
}

/// `a/b/../c` -> `a/c`, without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` (as displayed) relative to the repository root, with `/`
/// separators; absolute when the file is outside it.
pub(crate) fn repository_path(repository: &Path, path: &str) -> String {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| normalize(&absolute(Path::new(path))));
    let relative = real.strip_prefix(repository).unwrap_or(&real);
    relative.to_string_lossy().replace('\\', "/")
}

/// `path` made absolute against the current directory.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
