//! The JSON report. Its schema is documented in `docs/json-report.md`; fields
//! are only ever added, never renamed or removed, within a `schema_version`.

use std::io::{self, Write};

use serde::Serialize;

use crate::checks::Registry;
use crate::diagnostics::{Level, Notice};
use crate::findings::{Tally, Verdict, fingerprint};
use crate::parse::Span;
use crate::scan_report::{ScanReport, SkippedResource};

/// The version of the JSON report schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    skipped_resources: &'a [SkippedResource],
    /// About the run as a whole: what it could not see.
    notices: &'a [Notice],
    files: Vec<JsonFile<'a>>,
    /// The account-baseline profile (`--profile account-baseline`).
    baseline: serde_json::Value,
    /// The compliance summary (`--framework`).
    #[serde(skip_serializing_if = "Option::is_none")]
    compliance: Option<&'a crate::checks::framework::Compliance>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    /// Files found but not infrastructure code.
    skipped_files: usize,
    resources: usize,
    checks: usize,
    verdicts: Tally,
    /// Findings suppressed by a comment, Metadata or the baseline (still listed).
    suppressed: usize,
    errors: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    check_id: &'a str,
    slug: &'a str,
    title: &'a str,
    severity: &'a str,
    verdict: Verdict,
    file: &'a str,
    region: Region,
    resource: Resource<'a>,
    message: &'a str,
    conditional: Option<&'a str>,
    fingerprint: String,
    /// The CDK construct that made the resource (CDK assemblies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    cdk: Option<JsonCdk<'a>>,
    /// Why the finding is suppressed; it then does not fail the scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'a>>,
    /// The resource the region is in when not `resource` (its policy, a
    /// configuration resource): what to edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    located_in: Option<&'a str>,
    /// Other places that explain the verdict, in the order a graph check walked them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    region: Region,
    resource: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    /// `inSource` (a comment or Metadata) or `external` (a baseline).
    kind: &'a str,
    justification: &'a str,
}

#[derive(Serialize)]
struct JsonCdk<'a> {
    construct_path: &'a str,
    stack: &'a str,
    /// `file:line:col` of the app code that created the construct.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

#[derive(Serialize)]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Resource<'a> {
    id: &'a str,
    /// The normalized (CloudFormation) type.
    #[serde(rename = "type")]
    kind: &'a str,
    /// The type as written when it differs (Terraform).
    #[serde(skip_serializing_if = "Option::is_none")]
    source_type: Option<&'a str>,
    /// The resource the user wrote, when this one is generated from it (SAM).
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_from: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    level: Level,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    format: &'a str,
    resources: usize,
}

impl Region {
    fn of(span: Span) -> Region {
        let (start_line, start_column, end_line, end_column) = region(span);
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

/// The region of a span, never empty or inverted.
pub fn region(span: Span) -> (u32, u32, u32, u32) {
    let start = (span.start.line.max(1), span.start.col.max(1));
    let end = if (span.end.line, span.end.col) > start {
        (span.end.line, span.end.col)
    } else {
        (start.0, start.1 + 1)
    };
    (start.0, start.1, end.0, end.1)
}

/// The baseline section as JSON (shared with SARIF's run properties):
/// `{enabled, skipped, results: [{check_id, verdict, message, resource?, file?}]}`.
pub fn baseline_value(report: &ScanReport) -> serde_json::Value {
    let results: Vec<serde_json::Value> = report
        .baseline
        .results
        .iter()
        .map(|r| {
            let mut entry = serde_json::json!({
                "check_id": r.check_id,
                "verdict": r.verdict,
                "message": r.message,
            });
            if let Some(e) = &r.evidence {
                entry["resource"] = serde_json::json!(e.resource_id);
                entry["file"] = serde_json::json!(report.files.get(e.resource_file).map(|f| f.path.as_str()));
            }
            entry
        })
        .collect();
    serde_json::json!({
        "enabled": report.baseline.enabled,
        "skipped": report.baseline.skipped,
        "results": results,
    })
}

/// Writes the JSON report.
pub fn write(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let check = &registry.checks()[f.check];
            let file = report.files[f.file].path.as_str();
            JsonFinding {
                check_id: &check.id,
                slug: &check.slug,
                title: &check.title,
                severity: check.severity.as_str(),
                verdict: f.verdict,
                file,
                region: Region::of(f.span),
                resource: Resource {
                    id: &f.resource_id,
                    kind: &f.resource_type,
                    source_type: f.source_type.as_deref(),
                    generated_from: f.generated_from.as_deref(),
                },
                message: &f.message,
                conditional: f.conditional.as_deref(),
                fingerprint: fingerprint(
                    &check.id,
                    &report.files[f.resource_file].repo_path,
                    &f.resource_id,
                ),
                cdk: f.cdk.as_ref().map(|c| JsonCdk {
                    construct_path: &c.construct_path,
                    stack: &c.stack,
                    source: c.source.as_ref().map(|(file, pos)| format!("{file}:{pos}")),
                }),
                suppression: f.suppression.as_ref().map(|s| JsonSuppression {
                    kind: s.kind.as_str(),
                    justification: &s.justification,
                }),
                located_in: f.located_in.as_deref(),
                related: f
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        file: report.files[r.file].path.as_str(),
                        region: Region::of(r.span),
                        resource: &r.resource_id,
                        message: &r.message,
                    })
                    .collect(),
            }
        })
        .collect();
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: &d.file,
            line: d.diagnostic.pos.line,
            column: d.diagnostic.pos.col,
            level: d.diagnostic.level,
            message: &d.diagnostic.message,
        })
        .collect();
    let json = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "preflight",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            suppressed: report.suppressed(),
            files: report.files.len(),
            skipped_files: report.skipped_files,
            resources: report.resources,
            checks: report.checks,
            verdicts: report.tally,
            errors: report
                .diagnostics
                .iter()
                .filter(|d| d.diagnostic.level == Level::Error)
                .count(),
        },
        findings,
        diagnostics,
        skipped_resources: &report.skipped_resources,
        notices: &report.notices,
        baseline: baseline_value(report),
        compliance: report.compliance.as_ref(),
        files: report
            .files
            .iter()
            .map(|f| JsonFile {
                path: &f.path,
                format: f.format,
                resources: f.resources,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
