//! Markdown: a summary for a pull-request comment or a GitHub job summary
//! (`$GITHUB_STEP_SUMMARY`): counts per severity and the top findings.

use std::io::{self, Write};

use crate::checks::framework::Compliance;
use crate::checks::{Registry, Severity};
use crate::findings::{Finding, Verdict};
use crate::scan_report::ScanReport;

/// Findings listed in the table; the counts cover all of them.
const TOP: usize = 20;

/// Failing findings that are not suppressed: what a reader must act on.
pub fn open_failures(report: &ScanReport) -> usize {
    report.findings.iter().filter(|f| is_open_failure(f)).count()
}

fn is_open_failure(f: &Finding) -> bool {
    f.verdict == Verdict::Fail && f.suppression.is_none()
}

/// Writes the summary.
pub fn write(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let failing = open_failures(report);
    writeln!(
        out,
        "## preflight: {}",
        match failing {
            0 => "no failing findings".to_string(),
            1 => "1 failing finding".to_string(),
            n => format!("{n} failing findings"),
        }
    )?;
    // Machine-readable for scripts (the GitHub Action's `findings` output).
    writeln!(out, "<!-- preflight:findings={failing} -->\n")?;
    writeln!(out, "| severity | failing | unknown | suppressed |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for severity in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let of = |keep: &dyn Fn(&Finding) -> bool| {
            report
                .findings
                .iter()
                .filter(|f| f.severity == severity && keep(f))
                .count()
        };
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            severity.as_str(),
            of(&is_open_failure),
            of(&|f| f.verdict == Verdict::Unknown && f.suppression.is_none()),
            of(&|f| f.suppression.is_some()),
        )?;
    }
    let mut top: Vec<&Finding> = report.findings.iter().filter(|f| is_open_failure(f)).collect();
    top.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !top.is_empty() {
        writeln!(out, "\n### Top findings\n")?;
        writeln!(out, "| severity | check | resource | location | why |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for f in top.iter().take(TOP) {
            let check = &registry.checks()[f.check];
            writeln!(
                out,
                "| {} | {} {} | `{}` | `{}:{}` | {} |",
                f.severity.as_str(),
                f.check_id,
                cell(&check.title),
                cell(&f.resource_id),
                report.files[f.file].path,
                f.span.start,
                cell(&f.message)
            )?;
        }
        if top.len() > TOP {
            writeln!(out, "\n…and {} more.", top.len() - TOP)?;
        }
    }
    write_baseline(report, registry, out)?;
    if let Some(compliance) = &report.compliance {
        write_compliance(compliance, out)?;
    }
    for notice in &report.notices {
        writeln!(out, "\n> **{}:** {}", notice.level.label(), notice.message)?;
    }
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == crate::diagnostics::Level::Error)
        .count();
    writeln!(
        out,
        "\n{} file(s){}, {} resource(s), {} check(s){}.",
        report.files.len(),
        match report.skipped_files {
            0 => String::new(),
            n => format!(" (and {n} skipped: not infrastructure code)"),
        },
        report.resources,
        report.checks,
        if errors > 0 {
            format!("; {errors} input error(s)")
        } else {
            String::new()
        }
    )
}

fn write_baseline(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let baseline = &report.baseline;
    if !baseline.enabled {
        if baseline.skipped > 0 {
            writeln!(
                out,
                "\n{} account-baseline check(s) skipped (`--profile account-baseline` runs them).",
                baseline.skipped
            )?;
        }
        return Ok(());
    }
    writeln!(out, "\n### Account baseline\n")?;
    writeln!(out, "| verdict | check | why |")?;
    writeln!(out, "|---|---|---|")?;
    for r in &baseline.results {
        let check = &registry.checks()[r.check];
        writeln!(
            out,
            "| {} | {} {} | {} |",
            r.verdict.label(),
            r.check_id,
            cell(&check.title),
            cell(&r.message)
        )?;
    }
    Ok(())
}

fn write_compliance(compliance: &Compliance, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n### Compliance: {}\n", compliance.title)?;
    let counts: Vec<String> = compliance
        .counts()
        .iter()
        .map(|(status, n)| format!("{n} {}", status.label()))
        .collect();
    writeln!(out, "{}\n", counts.join(" · "))?;
    writeln!(out, "| control | status | checks | title |")?;
    writeln!(out, "|---|---|---|---|")?;
    for row in &compliance.controls {
        let checks: Vec<String> = row
            .checks
            .iter()
            .map(|(id, s)| format!("{id} {}", s.label()))
            .collect();
        let mut detail = checks.join(", ");
        if let Some(reason) = &row.not_checkable {
            if !detail.is_empty() {
                detail.push_str("; ");
            }
            detail.push_str("not checkable pre-deploy: ");
            detail.push_str(reason);
        }
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.control,
            row.status.label(),
            cell(&detail),
            cell(&row.title)
        )?;
    }
    Ok(())
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
