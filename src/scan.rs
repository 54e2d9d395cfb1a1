//! The pipeline: discover -> parse -> frontend -> graph -> checks, over every
//! input file in parallel. One bad file never stops the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::checks::Registry;
use crate::checks::run::run_checks;
use crate::diagnostics::{Diagnostic, Level};
use crate::discover::{self, Candidate, Syntax};
use crate::findings::{Finding, Tally};
use crate::frontends::cloudformation;
use crate::graph::Deployment;
use crate::parse::{Limits, LineIndex, Pos, load_json, load_yaml_reporting};

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    /// Template parameter values (`--param`, `--params`).
    pub parameters: HashMap<String, String>,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: Vec::new(),
            parameters: HashMap::new(),
            max_file_size: 50 * 1024 * 1024,
        }
    }
}

/// An input that was read as infrastructure code.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
    /// `cloudformation-yaml` or `cloudformation-json`.
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

/// A resource not created with the given parameters.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedResource {
    pub file: String,
    pub resource: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The condition that is false.
    pub condition: String,
}

/// Everything a scan found.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// The directory paths are relative to.
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// Sorted by file, position and check.
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<FileDiagnostic>,
    pub skipped_resources: Vec<SkippedResource>,
    pub tally: Tally,
    pub resources: usize,
    pub checks: usize,
}

impl ScanReport {
    /// Whether any input could not be read or parsed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.diagnostic.level == Level::Error)
    }
}

/// What scanning one file produced.
#[derive(Default)]
struct FileOutcome {
    file: Option<SourceFile>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    skipped: Vec<SkippedResource>,
    tally: Tally,
    resources: usize,
}

/// Scans the paths of `options` with the checks of `registry`.
pub fn scan(options: &ScanOptions, registry: &Registry) -> Result<ScanReport, String> {
    let candidates = discover::discover(&options.paths)?;
    let root = scan_root(&options.paths);
    let outcomes: Vec<(String, FileOutcome)> = candidates
        .par_iter()
        .map(|candidate| {
            let display = display_path(&root, &candidate.path);
            let outcome = scan_file(candidate, &display, options, registry);
            (display, outcome)
        })
        .collect();
    let mut report = ScanReport {
        root,
        checks: registry.checks().len(),
        ..Default::default()
    };
    for (display, outcome) in outcomes {
        report
            .diagnostics
            .extend(outcome.diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
                file: display.clone(),
                diagnostic,
            }));
        let Some(file) = outcome.file else { continue };
        let index = report.files.len();
        report.files.push(file);
        report.findings.extend(outcome.findings.into_iter().map(|mut f| {
            f.file = index;
            f.resource_file = index;
            f
        }));
        report.skipped_resources.extend(outcome.skipped);
        report.tally.add(outcome.tally);
        report.resources += outcome.resources;
    }
    report.findings.sort_by(|a, b| {
        (a.file, a.span.start, &a.check_id, &a.resource_id).cmp(&(
            b.file,
            b.span.start,
            &b.check_id,
            &b.resource_id,
        ))
    });
    Ok(report)
}

fn scan_file(
    candidate: &Candidate,
    display: &str,
    options: &ScanOptions,
    registry: &Registry,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let start = Pos { line: 1, col: 1 };
    let size = std::fs::metadata(&candidate.path).map(|m| m.len()).unwrap_or(0);
    if size > options.max_file_size {
        outcome.diagnostics.push(Diagnostic::warning(
            start,
            format!(
                "skipped: {size} bytes is over the {} byte limit",
                options.max_file_size
            ),
        ));
        return outcome;
    }
    let bytes = match std::fs::read(&candidate.path) {
        Ok(b) => b,
        Err(e) => {
            outcome
                .diagnostics
                .push(Diagnostic::error(start, format!("cannot read: {e}")));
            return outcome;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let lossy = String::from_utf8_lossy(&bytes);
            if discover::may_be_template(&lossy) {
                let pos = LineIndex::new(&lossy).pos(e.valid_up_to());
                outcome
                    .diagnostics
                    .push(Diagnostic::error(pos, "not valid UTF-8"));
            }
            return outcome;
        }
    };
    if !discover::may_be_template(text) {
        return outcome;
    }
    let syntax = discover::resolve_syntax(candidate.syntax, text);
    let loaded = match syntax {
        Syntax::Json => load_json(text, Limits::default()).map(|node| (node, None)),
        _ => load_yaml_reporting(text, Limits::default()),
    };
    let (root, strict_complaint) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            outcome.diagnostics.push(e.into());
            return outcome;
        }
    };
    if !cloudformation::is_template(&root) {
        return outcome;
    }
    let (graph, diagnostics) = cloudformation::build_graph(&root, 0, &options.parameters);
    if let Some(e) = strict_complaint {
        outcome.diagnostics.push(Diagnostic::note(
            e.pos,
            format!(
                "not valid YAML 1.2 ({}); read with libyaml's more lenient rules, as CloudFormation does",
                e.message
            ),
        ));
    }
    outcome.diagnostics.extend(diagnostics);
    let (findings, tally) = run_checks(registry, &graph);
    outcome.findings = findings;
    outcome.tally = tally;
    outcome.resources = graph.resources().len();
    outcome.skipped = graph
        .resources()
        .iter()
        .filter_map(|r| match &r.deployment {
            Deployment::Never { condition } => Some(SkippedResource {
                file: display.to_string(),
                resource: r.id.clone(),
                kind: r.kind.clone(),
                condition: condition.clone(),
            }),
            _ => None,
        })
        .collect();
    outcome.file = Some(SourceFile {
        path: display.to_string(),
        format: if syntax == Syntax::Json {
            "cloudformation-json"
        } else {
            "cloudformation-yaml"
        },
        resources: graph.resources().len(),
    });
    outcome
}

/// The directory reported paths are relative to: the scanned directory, the
/// scanned file's directory, or (for several paths) the current directory.
fn scan_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [single] if single.is_dir() => single.clone(),
        [single] => single.parent().map(Path::to_path_buf).unwrap_or_default(),
        _ => PathBuf::from("."),
    }
}

fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
