//! Markdown: a summary for a pull-request comment or a GitHub job summary
//! (`$GITHUB_STEP_SUMMARY`): counts per severity and the top findings.

use std::io::{self, Write};

use crate::checks::{Registry, Severity};
use crate::findings::{Finding, Verdict};
use crate::scan::ScanReport;

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
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == crate::diagnostics::Level::Error)
        .count();
    writeln!(
        out,
        "\n{} file(s), {} resource(s), {} check(s){}.",
        report.files.len(),
        report.resources,
        report.checks,
        if errors > 0 {
            format!("; {errors} input error(s)")
        } else {
            String::new()
        }
    )
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
