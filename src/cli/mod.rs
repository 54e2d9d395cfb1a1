//! The command line, as a function over arguments and writers so tests can
//! run it in-process. Exit codes are decided here and only here.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

use crate::checks::Registry;
use crate::findings::Verdict;
use crate::report::{self, Format};
use crate::scan::scan_with_progress;

mod args;
mod generate;
mod progress;
mod settings;

use args::{ChecksAction, Cli, Command, ListFormat, ScanArgs};
pub use progress::Terminal;

/// Exit code: nothing at or above the severity threshold.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: a usage error, or an input that could not be read or parsed.
pub const EXIT_ERROR: i32 = 2;

/// Runs the command line. `terminal` says what the process's standard
/// streams can show (tests pass `Terminal::default()`: nothing).
/// Returns the exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: Terminal,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_CLEAN };
            let rendered = e.render().to_string();
            let _ = if e.use_stderr() {
                write!(err, "{rendered}")
            } else {
                write!(out, "{rendered}")
            };
            return code;
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(*args, out, err, terminal),
        Command::Checks {
            action: Some(ChecksAction::Lint { dir }),
            ..
        } => lint(&dir, out),
        Command::Checks {
            action: None,
            checks_dir,
            framework,
            format,
        } => registry(checks_dir.as_ref()).and_then(|r| match (framework, format) {
            (Some(id), format) => {
                let framework = crate::checks::framework::Framework::builtin(&id)?;
                ended_quietly(match format {
                    ListFormat::Text => list_controls(&framework, &r, out),
                    ListFormat::Json => print_json(&controls_json(&framework, &r), out),
                })
            }
            (None, ListFormat::Text) => ended_quietly(list_checks(&r, out)),
            (None, ListFormat::Json) => ended_quietly(print_json(&checks_json(&r), out)),
        }),
        Command::Explain {
            id,
            checks_dir,
            dialect,
        } => registry(checks_dir.as_ref()).and_then(|r| {
            let checks = r.find_all(&id);
            if checks.is_empty() {
                return Err(format!("unknown check {id} (see `preflight checks`)"));
            }
            let first = dialect.unwrap_or(crate::checks::Dialect::CloudFormation);
            let texts: Vec<String> = checks.into_iter().map(|c| explain(c, first)).collect();
            ended_quietly(writeln!(out, "{}", texts.join("\n\n")).map(|()| EXIT_CLEAN))
        }),
        Command::Completions { shell } => ended_quietly(generate::completions(shell, out)),
        Command::Man { command } => generate::man_page(command.as_deref())
            .and_then(|page| ended_quietly(out.write_all(&page).map(|()| EXIT_CLEAN))),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(err, "preflight: {message}");
            EXIT_ERROR
        }
    }
}

/// The result of writing to standard output, where a reader that went away
/// (`preflight checks | head -1`) ends the output normally: only the reader
/// lost interest. (The default of an exit code is `EXIT_CLEAN`.)
fn ended_quietly<T: Default>(written: std::io::Result<T>) -> Result<T, String> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(T::default()),
        other => other.map_err(|e| e.to_string()),
    }
}

/// `preflight checks lint DIR`: every problem of the directory's check files.
fn lint(dir: &std::path::Path, out: &mut dyn Write) -> Result<i32, String> {
    let mut registry = Registry::builtin().map_err(|e| e.to_string())?;
    let (checks, predicates) = (registry.checks().len(), registry.library().names().count());
    let problems = registry.lint_dir(dir);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let mut text = String::new();
    for problem in &problems {
        text.push_str(&format!("{problem}\n"));
    }
    text.push_str(&format!(
        "{}: {} check(s), {} predicate(s): {errors} error(s), {} warning(s)\n",
        dir.display(),
        registry.checks().len() - checks,
        registry.library().names().count() - predicates,
        problems.len() - errors,
    ));
    ended_quietly(out.write_all(text.as_bytes()))?;
    Ok(if errors > 0 { EXIT_ERROR } else { EXIT_CLEAN })
}

fn registry(checks_dir: Option<&PathBuf>) -> Result<Registry, String> {
    let mut registry = Registry::builtin().map_err(|e| e.to_string())?;
    if let Some(dir) = checks_dir {
        registry.load_dir(dir).map_err(|e| e.to_string())?;
    }
    Ok(registry)
}

fn run_scan(
    args: ScanArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: Terminal,
) -> Result<i32, String> {
    let settings::Settings {
        registry,
        options,
        outputs,
        threshold,
        framework,
        allow_empty,
    } = settings::settle(&args)?;
    let progress = progress::Bar::new(terminal.progress && !args.no_progress);
    let started = std::time::SystemTime::now();
    let report = scan_with_progress(&options, &registry, &progress);
    let layout = if args.compact {
        report::text::Layout::Compact
    } else if args.quiet {
        report::text::Layout::Quiet
    } else {
        report::text::Layout::Full
    };
    let mut rendering = report::Rendering {
        text: report::text::TextOptions {
            color: false,
            layout,
            verbose: args.verbose,
        },
        started,
        finished: std::time::SystemTime::now(),
    };
    progress.clear();
    let mut report = report?;
    report.compliance = framework.map(|f| {
        crate::checks::framework::Compliance::new(&f, &registry, &report.by_check, &report.baseline)
    });
    if let Some(path) = &args.summary {
        let mut summary = Vec::new();
        report::markdown::write(&report, &registry, &mut summary).map_err(|e| e.to_string())?;
        std::fs::write(path, summary).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.write_baseline {
        std::fs::write(path, crate::suppress::baseline::render(&report))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // Every report renders from the same scan. Files first, so a closed
    // standard output cannot keep them from being written.
    let mut to_stdout = None;
    for output in &outputs {
        let (format, path) = match (&output.path, &args.output) {
            (Some(path), _) | (None, Some(path)) => (output.format, path),
            (None, None) => {
                to_stdout = Some(output.format);
                continue;
            }
        };
        let mut buffer = Vec::new();
        report::render(format, &report, &registry, &mut buffer, rendering).map_err(|e| e.to_string())?;
        write_file(path, &buffer)?;
    }
    if let Some(format) = to_stdout {
        rendering.text.color = terminal.color && !args.no_color && std::env::var_os("NO_COLOR").is_none();
        let mut buffer = Vec::new();
        report::render(format, &report, &registry, &mut buffer, rendering).map_err(|e| e.to_string())?;
        // A closed pipe (`| head`) cuts the report short, not the scan: its
        // exit code still tells the findings.
        ended_quietly(out.write_all(&buffer).and_then(|()| out.flush()))?;
    }
    // Problems with inputs reach standard error unless the text report on
    // standard output already lists them.
    if to_stdout != Some(Format::Text) {
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.diagnostic.level >= crate::diagnostics::Level::Warning)
        {
            let _ = writeln!(
                err,
                "{}:{}: {}: {}",
                d.file,
                d.diagnostic.pos,
                d.diagnostic.level.label(),
                d.diagnostic.message
            );
        }
        for notice in &report.notices {
            let _ = writeln!(err, "preflight: {}: {}", notice.level.label(), notice.message);
        }
    }
    if report.has_errors() {
        return Ok(EXIT_ERROR);
    }
    if report.files.is_empty() {
        return Ok(nothing_scanned(&options.paths, allow_empty, err));
    }
    // Recording the baseline accepts today's findings: that run succeeded.
    if args.write_baseline.is_some() {
        return Ok(EXIT_CLEAN);
    }
    let failing = report
        .findings
        .iter()
        .any(|f| f.verdict == Verdict::Fail && f.severity >= threshold && f.suppression.is_none());
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Writes a report file, making its directory (`reports/junit.xml` in a fresh checkout).
fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    std::fs::write(path, bytes).map_err(failed)
}

/// What preflight reads, said when it found none of it.
const WHAT_IT_SCANS: &str = "CloudFormation/SAM templates (.yaml, .yml, .json, .template), Terraform modules (.tf) and plan JSON, CDK cloud assemblies (cdk.out)";

/// The exit code of a scan that read no infrastructure code, said on
/// standard error. Files named one by one (as pre-commit names the changed
/// files) that are something else is normal; directories that hold none
/// usually mean a wrong path, unless the set-up expects it (`--allow-empty`).
fn nothing_scanned(paths: &[PathBuf], allow_empty: bool, err: &mut dyn Write) -> i32 {
    if paths.iter().all(|p| p.is_file()) {
        let _ = writeln!(
            err,
            "preflight: no infrastructure code among the files named; nothing to check"
        );
        return EXIT_CLEAN;
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let found = format!(
        "no infrastructure code found in {} (preflight reads {WHAT_IT_SCANS})",
        shown.join(", ")
    );
    if allow_empty {
        let _ = writeln!(err, "preflight: note: {found}");
        return EXIT_CLEAN;
    }
    let _ = writeln!(
        err,
        "preflight: {found}; pass --allow-empty (or set allow_empty = true under [scan] in .preflight.toml) if that is expected"
    );
    EXIT_ERROR
}

fn list_checks(registry: &Registry, out: &mut dyn Write) -> std::io::Result<i32> {
    writeln!(out, "{:<11} {:<9} {:<60} FRAMEWORKS", "ID", "SEVERITY", "TITLE")?;
    for check in registry.checks() {
        writeln!(
            out,
            "{:<11} {:<9} {:<60} {}",
            check.id,
            check.severity,
            check.title,
            check.framework_refs(" ", ",", "; ")
        )?;
    }
    writeln!(out, "\n{} checks", registry.checks().len())?;
    Ok(EXIT_CLEAN)
}

/// `checks --format json`: the registry for tooling. Each check's `formats`
/// are the format families (`cloudformation`: CloudFormation, SAM and CDK;
/// `terraform`: plans and modules) it can judge; `not_expressible` says why
/// it cannot judge the others.
fn checks_json(registry: &Registry) -> serde_json::Value {
    let checks: Vec<serde_json::Value> = registry
        .checks()
        .iter()
        .map(|check| {
            let formats: Vec<&str> = crate::checks::check::FORMAT_FAMILIES
                .iter()
                .copied()
                .filter(|family| !check.not_expressible.contains_key(*family))
                .collect();
            serde_json::json!({
                "id": check.id,
                "slug": check.slug,
                "title": check.title,
                "severity": check.severity.as_str(),
                "category": check.category,
                "scope": check.scope,
                "frameworks": check.frameworks,
                "aliases": check.aliases,
                "resource_types": check.resource_types,
                "formats": formats,
                "not_expressible": check.not_expressible,
                "source": check.source,
            })
        })
        .collect();
    serde_json::json!({
        "tool": {"name": "preflight", "version": env!("CARGO_PKG_VERSION")},
        "checks": checks,
    })
}

/// `checks --framework ID --format json`: each control and the checks that cover it.
fn controls_json(framework: &crate::checks::framework::Framework, registry: &Registry) -> serde_json::Value {
    let controls: Vec<serde_json::Value> = framework
        .controls
        .iter()
        .map(|control| {
            let checks: Vec<&str> = framework
                .checks_of(registry, &control.id)
                .into_iter()
                .map(|i| registry.checks()[i].id.as_str())
                .collect();
            // As in the table: an untitled control takes its first check's title.
            let title = match (control.title.as_str(), checks.first()) {
                ("", Some(id)) => registry.get(id).map_or("", |c| c.title.as_str()),
                (title, _) => title,
            };
            let mut entry = serde_json::json!({
                "control": control.id,
                "title": title,
                "checks": checks,
            });
            if let Some(reason) = &control.not_checkable {
                entry["not_checkable"] = serde_json::json!(reason);
            }
            entry
        })
        .collect();
    serde_json::json!({
        "framework": framework.id,
        "title": framework.title,
        "controls": controls,
    })
}

fn print_json(value: &serde_json::Value, out: &mut dyn Write) -> std::io::Result<i32> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(EXIT_CLEAN)
}

/// `checks --framework`: each control, the checks that cover it, or why none can.
fn list_controls(
    framework: &crate::checks::framework::Framework,
    registry: &Registry,
    out: &mut dyn Write,
) -> std::io::Result<i32> {
    writeln!(out, "{} ({})\n", framework.title, framework.id)?;
    writeln!(out, "{:<14} {:<34} TITLE", "CONTROL", "CHECKS")?;
    let mut covered = 0;
    for control in &framework.controls {
        let checks: Vec<&str> = framework
            .checks_of(registry, &control.id)
            .into_iter()
            .map(|i| registry.checks()[i].id.as_str())
            .collect();
        let coverage = match (&checks[..], &control.not_checkable) {
            ([], Some(_)) => "not checkable pre-deploy".to_string(),
            ([], None) => "not covered yet".to_string(),
            (ids, _) => {
                covered += 1;
                ids.join(", ")
            }
        };
        let title = match (control.title.as_str(), checks.first()) {
            ("", Some(id)) => registry.get(id).map_or("", |c| c.title.as_str()),
            (title, _) => title,
        };
        writeln!(out, "{:<14} {coverage:<34} {title}", control.id)?;
        if let Some(reason) = &control.not_checkable {
            writeln!(out, "{:<14} {:<34} not checkable: {reason}", "", "")?;
        }
    }
    writeln!(
        out,
        "\n{covered} of {} controls covered by a check; {} not checkable before deploy",
        framework.controls.len(),
        framework
            .controls
            .iter()
            .filter(|c| c.not_checkable.is_some())
            .count()
    )?;
    Ok(EXIT_CLEAN)
}

/// The `explain` text of a check, with the example in `first` first.
pub fn explain(check: &crate::checks::Check, first: crate::checks::Dialect) -> String {
    let mut text = format!(
        "{}  {}  [{}]\n{}\n",
        check.id, check.slug, check.severity, check.title
    );
    let section = |text: &mut String, title: &str, body: &str| {
        if !body.is_empty() {
            text.push_str(&format!("\n{title}\n{}\n", indent(body)));
        }
    };
    section(&mut text, "Description", &check.description);
    section(&mut text, "Rationale", &check.rationale);
    section(&mut text, "Remediation", &check.remediation.text);
    for (dialect, code) in check.remediation.examples(first) {
        section(&mut text, &format!("{} example", dialect.name()), code);
    }
    section(&mut text, "Applies to", &check.resource_types.join("\n"));
    section(&mut text, "References", &check.framework_refs(": ", ", ", "\n"));
    section(
        &mut text,
        "Equivalent checks in other tools",
        &check.alias_refs(": ", ", ", "\n"),
    );
    if !check.params.is_empty() {
        let mut params: Vec<String> = check
            .params
            .iter()
            .map(|(k, v)| format!("{k} = {}", v.describe()))
            .collect();
        params.sort();
        section(&mut text, "Parameters", &params.join("\n"));
    }
    text.trim_end().to_string()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
