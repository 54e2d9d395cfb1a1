//! Renderers: findings and diagnostics into text, JSON, SARIF or Markdown.

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use clap::ValueEnum;

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
}
