//! The text report: findings grouped by file, `file:line:col` first so
//! terminals and editors can jump to them.

use std::io::{self, Write};

use crate::checks::Registry;
use crate::checks::framework::Compliance;
use crate::diagnostics::Level;
use crate::findings::Verdict;
use crate::scan::ScanReport;

/// Writes the text report; `color` adds ANSI colours (for terminals).
pub fn write(report: &ScanReport, registry: &Registry, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut files: Vec<&str> = report
        .findings
        .iter()
        .map(|f| report.files[f.file].path.as_str())
        .chain(report.diagnostics.iter().map(|d| d.file.as_str()))
        .collect();
    files.sort();
    files.dedup();
    for file in &files {
        for d in report.diagnostics.iter().filter(|d| d.file == *file) {
            let (label, code) = match d.diagnostic.level {
                Level::Error => ("error", "1;31"),
                Level::Warning => ("warning", "33"),
                Level::Note => ("note", "2"),
            };
            writeln!(
                out,
                "{file}:{}  {}  {}",
                d.diagnostic.pos,
                paint(code, label),
                d.diagnostic.message
            )?;
        }
        for f in report
            .findings
            .iter()
            .filter(|f| report.files[f.file].path == *file)
        {
            let check = &registry.checks()[f.check];
            let (label, code) = match (f.verdict, f.severity.as_str()) {
                (Verdict::Unknown, _) => ("UNKNOWN".to_string(), "36"),
                (_, "critical") => ("CRITICAL".to_string(), "1;35"),
                (_, "high") => ("HIGH".to_string(), "1;31"),
                (_, "medium") => ("MEDIUM".to_string(), "33"),
                _ => ("LOW".to_string(), "34"),
            };
            writeln!(
                out,
                "{file}:{}  {}  {}  {}",
                f.span.start,
                paint(code, &format!("{label:<8}")),
                f.check_id,
                check.title
            )?;
            let conditional = f
                .conditional
                .as_ref()
                .map(|c| format!(" [only when {c}]"))
                .unwrap_or_default();
            let located = f
                .located_in
                .as_ref()
                .map(|r| format!("{r}, for "))
                .unwrap_or_default();
            writeln!(
                out,
                "    {located}{} ({}): {}{conditional}",
                f.resource_id,
                f.source_type.as_deref().unwrap_or(&f.resource_type),
                f.message
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
            }
        }
        writeln!(out)?;
    }
    write_baseline(report, registry, out)?;
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
    let t = &report.tally;
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
        .count();
    writeln!(
        out,
        "{} file(s){}, {} resource(s), {} check(s): {} failed, {} unknown, {} passed, {} not applicable, {} skipped by a false condition{}{}",
        report.files.len(),
        match report.skipped_files {
            0 => String::new(),
            n => format!(" (and {n} skipped: not infrastructure code)"),
        },
        report.resources,
        report.checks,
        paint(if t.fail > 0 { "1;31" } else { "32" }, &t.fail.to_string()),
        t.unknown,
        t.pass,
        t.not_applicable,
        t.skipped,
        match report.suppressed() {
            0 => String::new(),
            n => format!("; {n} finding(s) suppressed"),
        },
        if errors > 0 {
            format!("; {} input error(s)", paint("1;31", &errors.to_string()))
        } else {
            String::new()
        }
    )
}

/// The account-baseline profile's verdicts, or the line saying it was off.
fn write_baseline(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let baseline = &report.baseline;
    if !baseline.enabled {
        if baseline.skipped > 0 {
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
