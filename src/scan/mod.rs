//! The pipeline: discover -> parse -> frontend -> graph -> checks, over every
//! input file in parallel. One bad file never stops the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::checks::Registry;
use crate::checks::deployment::{self, Baseline, BaselineVerdict, Waiver};
use crate::discover;
use crate::findings::{Finding, Tally, Verdict};
use crate::suppress;

pub use crate::scan_report::{FileDiagnostic, ScanReport, SkipReason, SkippedResource, SourceFile};
use crate::scan_report::{normalize, repository_path};

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    /// Template parameter values (`--param`, `--params`).
    pub parameters: HashMap<String, String>,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: u64,
    /// Terraform variable values (`--var`), winning over files.
    pub tf_vars: HashMap<String, String>,
    /// Terraform variable files (`--var-file`).
    pub tf_var_files: Vec<PathBuf>,
    /// The `.tf` sources of the plans scanned (`--tf-source`); by default a
    /// plan's own directory when it holds `.tf` files.
    pub tf_source: Option<PathBuf>,
    /// Findings accepted in this baseline file are suppressed (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// Warn about suppression comments that match no finding.
    pub report_unused_ignores: bool,
    /// Paths never scanned (gitignore-style globs).
    pub exclude: Vec<String>,
    /// Parameter values for the templates a glob matches (the config file's
    /// `[[parameters]]`); `parameters` wins over them.
    pub template_parameters: Vec<crate::config::GlobParameters>,
    /// Run the deployment-scope checks over everything scanned
    /// (`--profile account-baseline`).
    pub account_baseline: bool,
    /// Deployment-scope checks provided outside the scanned code.
    pub waivers: Vec<Waiver>,
    /// The region of inputs that do not say (`--region`).
    pub region: Option<String>,
    /// The regions the account uses (`[baseline] regions`): per-region
    /// baseline checks need evidence in each.
    pub baseline_regions: Vec<String>,
}

impl ScanOptions {
    /// The template parameter values for the template at `path`: the
    /// config file's for matching globs, under the command line's.
    pub fn parameters_for(&self, path: &Path) -> std::borrow::Cow<'_, HashMap<String, String>> {
        if self.template_parameters.is_empty() {
            return std::borrow::Cow::Borrowed(&self.parameters);
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut merged = HashMap::new();
        for (glob, values) in &self.template_parameters {
            if glob.is_match(&absolute) {
                merged.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        merged.extend(self.parameters.iter().map(|(k, v)| (k.clone(), v.clone())));
        std::borrow::Cow::Owned(merged)
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: Vec::new(),
            parameters: HashMap::new(),
            max_file_size: 50 * 1024 * 1024,
            tf_vars: HashMap::new(),
            tf_var_files: Vec::new(),
            tf_source: None,
            baseline: None,
            report_unused_ignores: false,
            exclude: Vec::new(),
            template_parameters: Vec::new(),
            account_baseline: false,
            waivers: Vec::new(),
            region: None,
            baseline_regions: Vec::new(),
        }
    }
}

mod notices;
mod units;

/// What scanning one unit (a template, a plan, a module) produced. File
/// indices in findings and spans are local to the unit's `files`.
#[derive(Default)]
struct UnitOutcome {
    files: Vec<SourceFile>,
    findings: Vec<Finding>,
    diagnostics: Vec<FileDiagnostic>,
    skipped: Vec<SkippedResource>,
    /// Files that turned out not to be infrastructure code.
    skipped_files: usize,
    tally: Tally,
    resources: usize,
    /// Deployment-scope verdicts on this unit's resources (profile only).
    evidence: Vec<Finding>,
    by_check: Vec<Tally>,
    /// Resources of account-level types, when the profile is off.
    account_level: usize,
    /// The regions this unit deploys to, when known.
    regions: Vec<String>,
    /// The input variables its Terraform root module declares.
    tf_variables: Vec<String>,
}

/// Told how a scan advances, unit by unit (from several threads at once).
pub trait Progress: Sync {
    /// Discovery found `units` units to scan.
    fn begin(&self, units: usize) {
        let _ = units;
    }
    /// One more unit is done.
    fn advance(&self) {}
}

/// No progress reporting.
impl Progress for () {}

impl UnitOutcome {
    /// Adds another outcome of the same unit, renumbering its files after ours.
    fn append(&mut self, other: UnitOutcome) {
        let offset = self.files.len();
        self.files.extend(other.files);
        let shift = |mut f: Finding| {
            f.renumber_files(|i| i + offset);
            f
        };
        self.findings.extend(other.findings.into_iter().map(shift));
        self.evidence.extend(other.evidence.into_iter().map(shift));
        self.diagnostics.extend(other.diagnostics);
        self.skipped.extend(other.skipped);
        self.skipped_files += other.skipped_files;
        self.tally.add(other.tally);
        Tally::add_each(&mut self.by_check, &other.by_check);
        self.account_level += other.account_level;
        self.regions.extend(other.regions);
        self.tf_variables.extend(other.tf_variables);
        self.resources += other.resources;
    }
}

/// The stack of the threads that scan units. Every recursion over an input
/// is bounded (256 levels of nesting or evaluation); this leaves ample room
/// for the deepest in any build, whatever the platform's default (a stack
/// overflow aborts the process and cannot be contained like an error).
const UNIT_STACK_SIZE: usize = 64 * 1024 * 1024;

/// Scans the paths of `options` with the checks of `registry`.
pub fn scan(options: &ScanOptions, registry: &Registry) -> Result<ScanReport, String> {
    scan_with_progress(options, registry, &())
}

/// [`scan`], telling `progress` as units finish.
pub fn scan_with_progress(
    options: &ScanOptions,
    registry: &Registry,
    progress: &dyn Progress,
) -> Result<ScanReport, String> {
    // The baseline is read first: a bad file stops the run before the scan.
    let accepted = options
        .baseline
        .as_ref()
        .map(|p| suppress::baseline::load(p))
        .transpose()?;
    let exclude = discover::Exclude::new(&options.exclude)?;
    let candidates = discover::discover(&options.paths, options.max_file_size, &exclude)?;
    let root = scan_root(&options.paths);
    progress.begin(candidates.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(UNIT_STACK_SIZE)
        .build()
        .map_err(|e| format!("cannot start the scanning threads: {e}"))?;
    let outcomes: Vec<UnitOutcome> = pool.install(|| {
        candidates
            .par_iter()
            .map(|candidate| {
                let outcome = units::scan_candidate(candidate, &root, options, registry);
                progress.advance();
                outcome
            })
            .collect()
    });
    let mut report = ScanReport {
        root,
        repository: repository_root(),
        checks: registry.checks().len(),
        by_check: vec![Tally::default(); registry.checks().len()],
        ..Default::default()
    };
    let mut evidence = Vec::new();
    let mut regions: Vec<String> = Vec::new();
    let mut tf_variables: Vec<String> = Vec::new();
    let mut account_level = 0;
    // A file several units read (a module called from several roots) is listed once.
    let mut file_index: HashMap<String, usize> = HashMap::new();
    for outcome in outcomes {
        let global: Vec<usize> = outcome
            .files
            .into_iter()
            .map(|file| match file_index.get(&file.path) {
                Some(&i) => {
                    report.files[i].resources += file.resources;
                    i
                }
                None => {
                    file_index.insert(file.path.clone(), report.files.len());
                    let repo_path = repository_path(&report.repository, &file.path);
                    report.files.push(SourceFile { repo_path, ..file });
                    report.files.len() - 1
                }
            })
            .collect();
        report.diagnostics.extend(outcome.diagnostics);
        let globalize = |mut f: Finding| {
            f.renumber_files(|i| global.get(i).copied().unwrap_or(i));
            f
        };
        report
            .findings
            .extend(outcome.findings.into_iter().map(globalize));
        evidence.extend(outcome.evidence.into_iter().map(globalize));
        report.skipped_resources.extend(outcome.skipped);
        report.skipped_files += outcome.skipped_files;
        report.tally.add(outcome.tally);
        Tally::add_each(&mut report.by_check, &outcome.by_check);
        account_level += outcome.account_level;
        regions.extend(outcome.regions);
        tf_variables.extend(outcome.tf_variables);
        report.resources += outcome.resources;
    }
    regions.sort();
    regions.dedup();
    report.notices = notices::of_run(&report, &candidates, options.max_file_size);
    report
        .notices
        .extend(notices::undeclared_vars(&options.tf_vars, &tf_variables));
    conclude_baseline(&mut report, registry, options, &evidence, &regions);
    report.baseline.account_level = account_level;
    report.findings.sort_by(|a, b| {
        (a.file, a.span.start, &a.check_id, &a.resource_id).cmp(&(
            b.file,
            b.span.start,
            &b.check_id,
            &b.resource_id,
        ))
    });
    let today = crate::checks::eval::dates::run_date();
    let inline = suppress::inline::Options {
        today: &today,
        report_unused: options.report_unused_ignores,
        max_file_size: options.max_file_size,
    };
    suppress::inline::apply(&mut report, registry, &inline);
    if let (Some(accepted), Some(path)) = (&accepted, &options.baseline) {
        suppress::baseline::apply(&mut report, accepted, &path.display().to_string());
    }
    Ok(report)
}

/// Concludes the deployment-scope checks (or counts them as skipped without
/// the profile); a failed or undecidable one becomes a finding too, at its
/// closest evidence or at the top of the first file scanned, so exit codes,
/// SARIF and baselines treat it like any other.
fn conclude_baseline(
    report: &mut ScanReport,
    registry: &Registry,
    options: &ScanOptions,
    evidence: &[Finding],
    regions_seen: &[String],
) {
    let deployment = registry.checks().iter().filter(|c| c.is_deployment()).count();
    report.baseline = Baseline {
        enabled: options.account_baseline,
        skipped: if options.account_baseline { 0 } else { deployment },
        ..Baseline::default()
    };
    if !options.account_baseline {
        return;
    }
    let formats: Vec<&str> = report.files.iter().map(|f| f.format).collect();
    // The account's regions: as configured, else those the inputs deploy to.
    let regions = if options.baseline_regions.is_empty() {
        regions_seen
    } else {
        &options.baseline_regions[..]
    };
    let scope = deployment::Scope {
        formats: &formats,
        waivers: &options.waivers,
        regions,
    };
    let results = deployment::conclude(registry, evidence, &scope);
    for result in &results {
        let verdict = match result.verdict {
            BaselineVerdict::Fail => Verdict::Fail,
            BaselineVerdict::NotEvaluable => Verdict::Unknown,
            BaselineVerdict::Pass => {
                report.tally.count(Verdict::Pass);
                continue;
            }
            BaselineVerdict::Waived => continue,
        };
        report.tally.count(verdict);
        let check = &registry.checks()[result.check];
        let finding = match &result.evidence {
            Some(e) => Finding {
                verdict,
                message: result.message.clone(),
                ..e.clone()
            },
            None if report.files.is_empty() => continue,
            None => Finding {
                check: result.check,
                check_id: check.id.clone(),
                severity: check.severity,
                verdict,
                file: 0,
                span: crate::parse::Span::new(
                    crate::parse::Pos { line: 1, col: 1 },
                    crate::parse::Pos { line: 1, col: 1 },
                ),
                resource_id: ACCOUNT_BASELINE.to_string(),
                resource_type: check.resource_types.join(" | "),
                source_type: None,
                generated_from: None,
                resource_file: 0,
                message: result.message.clone(),
                conditional: None,
                cdk: None,
                resource_start: crate::parse::Pos { line: 1, col: 1 },
                suppression: None,
                region: None,
                located_in: None,
                related: Vec::new(),
                fix: None,
            },
        };
        report.findings.push(finding);
    }
    report.baseline.results = results;
}

/// The resource name of a baseline finding that no declared resource decided.
pub const ACCOUNT_BASELINE: &str = "(account baseline)";

/// The scanned tree (the boundary of what is read): the scanned directory,
/// the scanned file's directory, or (for several paths) the current directory.
fn scan_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [single] if single.is_dir() => single.clone(),
        [single] => single.parent().map(Path::to_path_buf).unwrap_or_default(),
        _ => PathBuf::from("."),
    }
}

/// A path as the user opens it from the current directory (as ripgrep and
/// ruff print them): relative to it, absolute only outside it, with `/`
/// separators and no `..` detours.
fn display_path(path: &Path) -> String {
    let path = normalize(path);
    let relative = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path.strip_prefix(normalize(&cwd)).unwrap_or(&path),
        _ => &path,
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// The root repository paths are relative to: the git work tree around the
/// current directory, else the current directory (GitHub code scanning
/// resolves SARIF URIs against the repository root).
fn repository_root() -> PathBuf {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&cwd)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Severity;
    use crate::findings::Related;
    use crate::parse::{Pos, Span};

    /// A finding in file `file` of its unit, placed in the resource of file
    /// `resource_file`, with a related location in file `related`.
    fn finding(file: usize, resource_file: usize, related: usize) -> Finding {
        let span = |file: usize| Span {
            file: file as u32,
            ..Span::default()
        };
        Finding {
            check: 0,
            check_id: "PF-T-01".into(),
            severity: Severity::High,
            verdict: Verdict::Fail,
            file,
            span: span(file),
            resource_id: "R".into(),
            resource_type: "AWS::S3::Bucket".into(),
            source_type: None,
            generated_from: None,
            resource_file,
            message: "why".into(),
            conditional: None,
            cdk: None,
            resource_start: Pos::default(),
            suppression: None,
            region: None,
            located_in: Some("Policy".into()),
            related: vec![Related {
                file: related,
                span: span(related),
                resource_id: "Other".into(),
                message: "AWS::S3::BucketPolicy Other".into(),
            }],
            fix: None,
        }
    }

    fn file(path: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            repo_path: path.into(),
            format: "terraform-hcl",
            resources: 1,
        }
    }

    #[test]
    fn appending_an_outcome_renumbers_every_file_index_of_its_findings() {
        let mut first = UnitOutcome {
            files: vec![file("a.tf"), file("b.tf")],
            findings: vec![finding(1, 0, 1)],
            ..UnitOutcome::default()
        };
        let second = UnitOutcome {
            files: vec![file("c.tf"), file("d.tf")],
            findings: vec![finding(1, 0, 1)],
            evidence: vec![finding(0, 1, 0)],
            ..UnitOutcome::default()
        };
        first.append(second);
        let paths = |f: &Finding| {
            (
                first.files[f.file].path.as_str(),
                first.files[f.span.file as usize].path.as_str(),
                first.files[f.resource_file].path.as_str(),
                first.files[f.related[0].file].path.as_str(),
                first.files[f.related[0].span.file as usize].path.as_str(),
            )
        };
        assert_eq!(
            paths(&first.findings[0]),
            ("b.tf", "b.tf", "a.tf", "b.tf", "b.tf")
        );
        assert_eq!(
            paths(&first.findings[1]),
            ("d.tf", "d.tf", "c.tf", "d.tf", "d.tf")
        );
        assert_eq!(
            paths(&first.evidence[0]),
            ("c.tf", "c.tf", "d.tf", "c.tf", "c.tf")
        );
        assert_eq!(first.findings[1].located_in.as_deref(), Some("Policy"));
    }
}
