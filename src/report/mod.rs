//! Renderers: findings and diagnostics into text, JSON, SARIF, Markdown,
//! JUnit XML or a GitLab SAST report. One scan renders into any number of
//! them ([`Output`]).

pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::SystemTime;

use clap::ValueEnum;

use crate::checks::Registry;
use crate::scan_report::ScanReport;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by file, for people.
    Text,
    /// A stable schema for scripts (docs/json-report.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// A summary for pull-request comments and GitHub job summaries.
    Markdown,
    /// JUnit XML, for the test reports of GitLab, Jenkins and Azure DevOps.
    Junit,
    /// The GitLab SAST report (`gl-sast-report.json`, schema 15.0.4).
    GitlabSast,
}

impl Format {
    /// The name the command line and the config file use.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// Every accepted name, for messages.
    pub fn names() -> Vec<String> {
        Format::value_variants().iter().map(|f| f.name()).collect()
    }
}

/// One report a scan writes: a format and, unless it goes to standard
/// output (or `--output`), its own file. Written `FORMAT` or `FORMAT:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
}

impl Output {
    /// Reads `FORMAT` or `FORMAT:PATH` (the path may hold colons itself:
    /// `sarif:C:\out\results.sarif`).
    pub fn parse(text: &str) -> Result<Output, String> {
        let (name, path) = match text.split_once(':') {
            Some((name, path)) => (name, Some(path)),
            None => (text, None),
        };
        let format = Format::from_str(name, false).map_err(|_| {
            format!(
                "\"{name}\" is not a format (one of {}), optionally followed by :PATH",
                Format::names().join(", ")
            )
        })?;
        match path {
            Some("") => Err(format!("\"{text}\": the path after \"{name}:\" is empty")),
            Some(path) => Ok(Output {
                format,
                path: Some(PathBuf::from(path)),
            }),
            None => Ok(Output { format, path: None }),
        }
    }
}

/// What a report says besides the scan's findings.
#[derive(Debug, Clone, Copy)]
pub struct Rendering {
    /// How the text report reads (colours for terminals, layout).
    pub text: text::TextOptions,
    /// When the scan started and finished (GitLab's `scan` times).
    pub started: SystemTime,
    pub finished: SystemTime,
}

/// Renders `report` in `format`.
pub fn render(
    format: Format,
    report: &ScanReport,
    registry: &Registry,
    out: &mut dyn Write,
    rendering: Rendering,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, registry, out, rendering.text),
        Format::Json => json::write(report, registry, out),
        Format::Sarif => sarif::write(report, registry, out),
        Format::Markdown => markdown::write(report, registry, out),
        Format::Junit => junit::write(report, registry, out),
        Format::GitlabSast => gitlab::write(report, registry, rendering.started, rendering.finished, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_read_a_format_and_an_optional_path() {
        assert_eq!(
            Output::parse("sarif").unwrap(),
            Output {
                format: Format::Sarif,
                path: None
            }
        );
        assert_eq!(
            Output::parse("json:out/report.json").unwrap(),
            Output {
                format: Format::Json,
                path: Some(PathBuf::from("out/report.json"))
            }
        );
        // Only the first colon separates: Windows paths keep theirs.
        assert_eq!(
            Output::parse(r"sarif:C:\ci\results.sarif").unwrap().path,
            Some(PathBuf::from(r"C:\ci\results.sarif"))
        );
        assert_eq!(Output::parse("gitlab-sast").unwrap().format, Format::GitlabSast);
        let err = Output::parse("xml:a.xml").unwrap_err();
        assert!(
            err.contains("\"xml\" is not a format (one of text, json"),
            "{err}"
        );
        assert!(Output::parse("json:").unwrap_err().contains("is empty"));
    }
}
