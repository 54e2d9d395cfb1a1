//! The text report: findings grouped by file, `file:line:col` first so
//! terminals and editors can jump to them.

use std::io::{self, Write};

use crate::checks::framework::Compliance;
use crate::checks::{Dialect, Registry};
use crate::diagnostics::Level;
use crate::findings::{Finding, Verdict};
use crate::scan_report::ScanReport;

/// How much the text report says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// Failures with their related locations and help, unknowns grouped by
    /// reason, input diagnostics, notices and the summary.
    #[default]
    Full,
    /// Findings and the summary only (input errors still show).
    Quiet,
    /// One line per finding, then the summary: for hooks and logs.
    Compact,
}

/// Options of the text report.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (for terminals).
    pub color: bool,
    pub layout: Layout,
    /// Also the lines a run usually leaves out (the account-baseline profile
    /// being off when nothing account-level was scanned).
    pub verbose: bool,
}

/// How many resources of one grouped unknown are listed by name.
const LISTED_PER_REASON: usize = 10;

/// Writes the text report.
pub fn write(
    report: &ScanReport,
    registry: &Registry,
    out: &mut dyn Write,
    options: TextOptions,
) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if options.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let path = |f: &Finding| report.files[f.file].path.as_str();
    if options.layout == Layout::Compact {
        write_diagnostics(report, out, &paint, Level::Error, false)?;
        for f in &report.findings {
            let (label, code) = label(f);
            let suppressed = if f.suppression.is_some() {
                " (suppressed)"
            } else {
                ""
            };
            writeln!(
                out,
                "{}:{}  {}  {}  {}: {}{}{suppressed}",
                path(f),
                f.span.start,
                paint(code, &format!("{label:<8}")),
                f.check_id,
                f.located_in.as_deref().unwrap_or(&f.resource_id),
                f.message,
                conditional(f)
            )?;
        }
        return write_summary(report, out, &paint, options);
    }
    let lowest = if options.layout == Layout::Quiet {
        Level::Error
    } else {
        Level::Note
    };
    write_diagnostics(report, out, &paint, lowest, true)?;
    // Failures first, grouped by file.
    let failures: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.verdict != Verdict::Unknown)
        .collect();
    let mut previous: Option<&str> = None;
    for f in &failures {
        if previous.is_some_and(|p| p != path(f)) {
            writeln!(out)?;
        }
        previous = Some(path(f));
        write_failure(report, registry, f, out, &paint)?;
    }
    if !failures.is_empty() {
        writeln!(out)?;
    }
    write_unknowns(report, registry, out, &paint)?;
    if options.layout == Layout::Full {
        write_baseline(report, registry, out, options.verbose)?;
        if let Some(compliance) = &report.compliance {
            write_compliance(compliance, out)?;
        }
        for notice in &report.notices {
            let code = match notice.level {
                Level::Error => "1;31",
                Level::Warning => "33",
                Level::Note => "2",
            };
            writeln!(out, "{}: {}\n", paint(code, notice.level.label()), notice.message)?;
        }
    }
    write_summary(report, out, &paint, options)
}

/// The label and colour of a finding's verdict and severity.
fn label(f: &Finding) -> (&'static str, &'static str) {
    match (f.verdict, f.severity.as_str()) {
        (Verdict::Unknown, _) => ("UNKNOWN", "36"),
        (_, "critical") => ("CRITICAL", "1;35"),
        (_, "high") => ("HIGH", "1;31"),
        (_, "medium") => ("MEDIUM", "33"),
        _ => ("LOW", "34"),
    }
}

/// The resource a finding is about, and the one it sits in when that differs:
/// `aws_security_group_rule.ssh, for aws_security_group.admin`.
fn subject(f: &Finding) -> String {
    match &f.located_in {
        Some(holder) => format!("{holder}, for {}", f.resource_id),
        None => f.resource_id.clone(),
    }
}

fn conditional(f: &Finding) -> String {
    f.conditional
        .as_ref()
        .map(|c| format!(" [only when {c}]"))
        .unwrap_or_default()
}

/// Input problems at or above `lowest`, by file (then a blank line, when `spaced`).
fn write_diagnostics(
    report: &ScanReport,
    out: &mut dyn Write,
    paint: &dyn Fn(&str, &str) -> String,
    lowest: Level,
    spaced: bool,
) -> io::Result<()> {
    let shown: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| severity_rank(d.diagnostic.level) >= severity_rank(lowest))
        .collect();
    for d in &shown {
        let (label, code) = match d.diagnostic.level {
            Level::Error => ("error", "1;31"),
            Level::Warning => ("warning", "33"),
            Level::Note => ("note", "2"),
        };
        writeln!(
            out,
            "{}:{}  {}  {}",
            d.file,
            d.diagnostic.pos,
            paint(code, label),
            d.diagnostic.message
        )?;
    }
    if spaced && !shown.is_empty() {
        writeln!(out)?;
    }
    Ok(())
}

fn severity_rank(level: Level) -> u8 {
    match level {
        Level::Note => 0,
        Level::Warning => 1,
        Level::Error => 2,
    }
}

/// One failure: where, what, why, the places that explain it, and the fix.
fn write_failure(
    report: &ScanReport,
    registry: &Registry,
    f: &Finding,
    out: &mut dyn Write,
    paint: &dyn Fn(&str, &str) -> String,
) -> io::Result<()> {
    let check = &registry.checks()[f.check];
    let (label, code) = label(f);
    writeln!(
        out,
        "{}:{}  {}  {}  {}",
        report.files[f.file].path,
        f.span.start,
        paint(code, &format!("{label:<8}")),
        f.check_id,
        check.title
    )?;
    writeln!(
        out,
        "    {} ({}): {}{}",
        subject(f),
        f.source_type.as_deref().unwrap_or(&f.resource_type),
        f.message,
        conditional(f)
    )?;
    for r in &f.related {
        writeln!(
            out,
            "    related: {}:{}  {}",
            report.files[r.file].path, r.span.start, r.message
        )?;
    }
    if let Some(cdk) = &f.cdk {
        let source = cdk
            .source
            .as_ref()
            .map(|(file, pos)| format!(", created at {file}:{pos}"))
            .unwrap_or_default();
        writeln!(
            out,
            "    construct {} in stack {}{source}",
            cdk.construct_path, cdk.stack
        )?;
    }
    if let Some(suppression) = &f.suppression {
        writeln!(out, "    suppressed: {}", suppression.justification)?;
    } else {
        // Terraform users are sent to the Terraform example.
        let language = match report.dialect_of(f) {
            Dialect::Terraform if !check.remediation.terraform.is_empty() => " --for terraform",
            _ => "",
        };
        writeln!(
            out,
            "    {} {} (preflight explain {}{language})",
            paint("2", "help:"),
            first_sentence(f.remediation(check)),
            check.id
        )?;
    }
    Ok(())
}

/// The first sentence of a remediation: the one-line help.
fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

/// Unknowns in their own section: one entry per check and reason, with the
/// resources it holds for.
fn write_unknowns(
    report: &ScanReport,
    registry: &Registry,
    out: &mut dyn Write,
    paint: &dyn Fn(&str, &str) -> String,
) -> io::Result<()> {
    let mut groups: Vec<((usize, &str), Vec<&Finding>)> = Vec::new();
    for f in report.findings.iter().filter(|f| f.verdict == Verdict::Unknown) {
        let key = (f.check, f.message.as_str());
        let same_place =
            |g: &&Finding| g.file == f.file && g.span == f.span && g.resource_id == f.resource_id;
        match groups.iter_mut().find(|(k, _)| *k == key) {
            // A module called from several roots is judged once per root: listed once.
            Some((_, members)) if members.iter().any(same_place) => {}
            Some((_, members)) => members.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    // By check, the most common reason first.
    groups.sort_by(|((a, _), x), ((b, _), y)| {
        let id = |i: &usize| registry.checks()[*i].id.as_str();
        id(a).cmp(id(b)).then(y.len().cmp(&x.len()))
    });
    if groups.is_empty() {
        return Ok(());
    }
    let total: usize = groups.iter().map(|(_, m)| m.len()).sum();
    writeln!(
        out,
        "{} {total} finding(s) whose deciding value is known only at deploy (give it with --param / --var, or judge it by hand):",
        paint("36", "Undecided:")
    )?;
    for ((check, message), members) in &groups {
        let check = &registry.checks()[*check];
        writeln!(
            out,
            "  {}  {}\n    {message} ({} resource(s))",
            check.id,
            check.title,
            members.len()
        )?;
        for f in members.iter().take(LISTED_PER_REASON) {
            let suppressed = if f.suppression.is_some() {
                " (suppressed)"
            } else {
                ""
            };
            writeln!(
                out,
                "      {}:{}  {}{}{suppressed}",
                report.files[f.file].path,
                f.span.start,
                subject(f),
                conditional(f)
            )?;
        }
        if members.len() > LISTED_PER_REASON {
            writeln!(
                out,
                "      ... and {} more (--format json lists every one)",
                members.len() - LISTED_PER_REASON
            )?;
        }
    }
    writeln!(out)
}

/// The closing line: what a person counts.
fn write_summary(
    report: &ScanReport,
    out: &mut dyn Write,
    paint: &dyn Fn(&str, &str) -> String,
    options: TextOptions,
) -> io::Result<()> {
    let t = &report.tally;
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
        .count();
    let mut by_severity: Vec<String> = Vec::new();
    for severity in ["critical", "high", "medium", "low"] {
        let n = report
            .findings
            .iter()
            .filter(|f| {
                f.verdict == Verdict::Fail && f.suppression.is_none() && f.severity.as_str() == severity
            })
            .count();
        if n > 0 {
            by_severity.push(format!("{n} {severity}"));
        }
    }
    let failed = if by_severity.is_empty() {
        paint("32", &format!("{} failed", t.fail))
    } else {
        paint("1;31", &format!("{} failed ({})", t.fail, by_severity.join(", ")))
    };
    let mut extras: Vec<String> = Vec::new();
    if report.suppressed() > 0 {
        extras.push(format!("{} suppressed", report.suppressed()));
    }
    if t.skipped > 0 {
        extras.push(format!("{} resource(s) skipped by a false condition", t.skipped));
    }
    if !report.baseline.enabled
        && report.baseline.skipped > 0
        && (options.verbose || report.baseline.account_level > 0)
    {
        extras.push(format!(
            "{} account-baseline check(s) not run (--profile account-baseline)",
            report.baseline.skipped
        ));
    }
    if errors > 0 {
        extras.push(paint("1;31", &format!("{errors} input error(s)")));
    }
    writeln!(
        out,
        "{failed}, {} unknown; {} file(s){}, {} resource(s), {} check(s) run: {} passed, {} not applicable{}",
        t.unknown,
        report.files.len(),
        match report.skipped_files {
            0 => String::new(),
            n => format!(" (and {n} skipped: not infrastructure code)"),
        },
        report.resources,
        report.checks,
        t.pass,
        t.not_applicable,
        if extras.is_empty() {
            String::new()
        } else {
            format!("; {}", extras.join("; "))
        }
    )
}

/// The account-baseline profile's verdicts, or the line saying it was off
/// (when the scan declares account-level resources it would judge, or asked).
fn write_baseline(
    report: &ScanReport,
    registry: &Registry,
    out: &mut dyn Write,
    verbose: bool,
) -> io::Result<()> {
    let baseline = &report.baseline;
    if !baseline.enabled {
        if baseline.skipped > 0 && (verbose || baseline.account_level > 0) {
            writeln!(
                out,
                "info: {} account-baseline check(s) skipped (run with --profile account-baseline when the scanned code is the account's baseline)\n",
                baseline.skipped
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "Account baseline (--profile account-baseline, over every file scanned):"
    )?;
    for result in &baseline.results {
        let check = &registry.checks()[result.check];
        writeln!(
            out,
            "  {:<13}  {:<10}  {}\n  {:<13}  {:<10}  {}",
            result.verdict.label(),
            result.check_id,
            check.title,
            "",
            "",
            result.message
        )?;
    }
    writeln!(out)
}

/// The `--framework` summary: one line per control.
fn write_compliance(compliance: &Compliance, out: &mut dyn Write) -> io::Result<()> {
    let counts: Vec<String> = compliance
        .counts()
        .iter()
        .map(|(status, n)| format!("{n} {}", status.label()))
        .collect();
    writeln!(
        out,
        "Compliance with {} ({}): {}",
        compliance.title,
        compliance.framework,
        counts.join(", ")
    )?;
    for row in &compliance.controls {
        let checks: Vec<String> = row
            .checks
            .iter()
            .map(|(id, status)| format!("{id} {}", status.label()))
            .collect();
        let detail = match (&row.not_checkable, checks.is_empty()) {
            (Some(reason), true) => format!("not checkable pre-deploy: {reason}"),
            (Some(reason), false) => {
                format!("{}; partly not checkable pre-deploy: {reason}", checks.join(", "))
            }
            (None, true) => "no check covers it yet".to_string(),
            (None, false) => checks.join(", "),
        };
        writeln!(
            out,
            "  {:<8} {:<14} {}\n  {:<8} {:<14} {detail}",
            row.control,
            row.status.label(),
            row.title,
            "",
            ""
        )?;
    }
    writeln!(out)
}
