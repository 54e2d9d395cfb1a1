//! SARIF 2.1.0 for GitHub code scanning (valid against the OASIS schema; a
//! test validates every fixture's output).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif::{
    Artifact, ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultKind, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::checks::{Check, Dialect, Registry, Severity};
use crate::findings::{Finding, Verdict, fingerprint};
use crate::report::json::region;
use crate::scan_report::ScanReport;

/// Where the project lives; rule help links point into it.
pub const INFORMATION_URI: &str = "https://github.com/preflight-scanner/preflight";

/// The base id all artifact URIs are relative to.
const SRCROOT: &str = "%SRCROOT%";

/// Writes the SARIF log.
pub fn write(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let sarif = build(report, registry);
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

/// Builds the SARIF log of a scan.
pub fn build(report: &ScanReport, registry: &Registry) -> Sarif {
    let dialects = report.check_dialects(registry.checks().len());
    let fixes = report.check_fixes(registry.checks().len(), &dialects);
    let rules: Vec<ReportingDescriptor> = registry
        .checks()
        .iter()
        .zip(dialects)
        .zip(fixes)
        .map(|((check, dialect), fix)| rule(check, dialect, fix.unwrap_or(&check.remediation.text)))
        .collect();
    let driver = ToolComponent::builder()
        .name("preflight")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules)
        .build();
    let artifacts: Vec<Artifact> = report
        .files
        .iter()
        .map(|f| {
            Artifact::builder()
                .location(artifact_location(&f.repo_path, None))
                .build()
        })
        .collect();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| result(report, registry, f))
        .collect();
    let mut notifications: Vec<Notification> = report
        .diagnostics
        .iter()
        .map(|d| {
            let level = d.diagnostic.level.label();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(artifact_location(&report.repository_path(&d.file), None))
                        .region(
                            Region::builder()
                                .start_line(i64::from(d.diagnostic.pos.line.max(1)))
                                .start_column(i64::from(d.diagnostic.pos.col.max(1)))
                                .build(),
                        )
                        .build(),
                )
                .build();
            Notification::builder()
                .message(Message::from(&format!(
                    "{}:{}: {}",
                    d.file, d.diagnostic.pos, d.diagnostic.message
                )))
                .level(json!(level))
                .locations(vec![location])
                .build()
        })
        .collect();
    // What the run as a whole could not see: notifications without a location.
    notifications.extend(report.notices.iter().map(|n| {
        Notification::builder()
            .message(Message::from(&n.message))
            .level(json!(n.level.label()))
            .build()
    }));
    let invocation = Invocation::builder()
        .execution_successful(!report.has_errors())
        .tool_execution_notifications(notifications)
        .build();
    let root = &report.repository;
    let mut root_uri = format!("file://{}", root.to_string_lossy().replace('\\', "/"));
    if !root_uri.ends_with('/') {
        root_uri.push('/');
    }
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder().uri(root_uri).build(),
    );
    // The profile's verdicts and the compliance summary travel as run properties.
    let mut extras = BTreeMap::new();
    if report.baseline.enabled || report.baseline.skipped > 0 {
        extras.insert("baseline".to_string(), super::json::baseline_value(report));
    }
    if let Some(compliance) = &report.compliance {
        extras.insert("compliance".to_string(), json!(compliance));
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .artifacts(artifacts)
        .results(results)
        .invocations(vec![invocation])
        .original_uri_base_ids(base_ids)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    if !extras.is_empty() {
        run.properties = Some(PropertyBag::builder().additional_properties(extras).build());
    }
    Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The location of a file by its path relative to the repository root
/// (`%SRCROOT%`); a file outside the repository is an absolute `file:` URI.
fn artifact_location(path: &str, index: Option<usize>) -> ArtifactLocation {
    let (uri, base) = if std::path::Path::new(path).is_absolute() {
        let slash = if path.starts_with('/') { "" } else { "/" };
        (format!("file://{slash}{}", percent_encode(path)), None)
    } else {
        (percent_encode(path), Some(SRCROOT))
    };
    match (index, base) {
        (Some(i), Some(base)) => ArtifactLocation::builder()
            .uri(uri)
            .uri_base_id(base)
            .index(i as i64)
            .build(),
        (Some(i), None) => ArtifactLocation::builder().uri(uri).index(i as i64).build(),
        (None, Some(base)) => ArtifactLocation::builder().uri(uri).uri_base_id(base).build(),
        (None, None) => ArtifactLocation::builder().uri(uri).build(),
    }
}

/// Relative URI references need spaces and a few other characters escaped.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'/'
            | b'@'
            | b'+'
            | b'=' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

/// The reportingDescriptor of a check: its help (`fix`: its remediation in
/// the language of its users), tags and default level.
fn rule(check: &Check, dialect: Dialect, fix: &str) -> ReportingDescriptor {
    let mut tags = vec![
        "security".to_string(),
        check.category.clone(),
        check.severity.to_string(),
    ];
    tags.retain(|t| !t.is_empty());
    for (framework, ids) in &check.frameworks {
        tags.extend(ids.iter().map(|id| format!("{framework}:{id}")));
    }
    tags.dedup();
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(check.severity.security_severity()),
    );
    properties.insert("precision".to_string(), json!("high"));
    if !check.aliases.is_empty() {
        properties.insert("aliases".to_string(), json!(check.aliases));
    }
    let help_text = help_text(check, fix);
    let help_markdown = help_markdown(check, dialect, fix);
    ReportingDescriptor::builder()
        .id(check.id.clone())
        .name(check.slug.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(check.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(if check.description.is_empty() {
                    check.title.clone()
                } else {
                    check.description.clone()
                })
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .help_uri(format!("{INFORMATION_URI}/blob/main/{}", check.source))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(check.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(properties)
                .build(),
        )
        .build()
}

fn level_name(severity: Severity) -> &'static str {
    match level(severity) {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

fn help_text(check: &Check, fix: &str) -> String {
    let mut text = String::new();
    for part in [check.description.as_str(), check.rationale.as_str(), fix] {
        if !part.is_empty() {
            text.push_str(part);
            text.push_str("\n\n");
        }
    }
    text.trim_end().to_string()
}

/// The help as Markdown: description, rationale, remediation with examples
/// (the one in the user's language first), `fix` the remediation in that language.
pub fn help_markdown(check: &Check, first: Dialect, fix: &str) -> String {
    let mut md = format!("**{}** ({})\n\n", check.title, check.id);
    if !check.description.is_empty() {
        md.push_str(&format!("{}\n\n", check.description));
    }
    if !check.rationale.is_empty() {
        md.push_str(&format!("**Why:** {}\n\n", check.rationale));
    }
    if !fix.is_empty() {
        md.push_str(&format!("**Fix:** {fix}\n\n"));
    }
    for (dialect, code) in check.remediation.examples(first) {
        md.push_str(&format!(
            "{}:\n\n```{}\n{code}\n```\n\n",
            dialect.name(),
            dialect.fence()
        ));
    }
    let refs = check.framework_refs(" ", ", ", "; ");
    if !refs.is_empty() {
        md.push_str(&format!("**References:** {refs}\n"));
    }
    md.trim_end().to_string()
}

/// A region of scanned file `file` (an index in the report's file table).
fn physical_location(report: &ScanReport, file: usize, span: crate::parse::Span) -> PhysicalLocation {
    let (start_line, start_column, end_line, end_column) = region(span);
    PhysicalLocation::builder()
        .artifact_location(artifact_location(&report.files[file].repo_path, Some(file)))
        .region(
            Region::builder()
                .start_line(i64::from(start_line))
                .start_column(i64::from(start_column))
                .end_line(i64::from(end_line))
                .end_column(i64::from(end_column))
                .build(),
        )
        .build()
}

fn result(report: &ScanReport, registry: &Registry, finding: &Finding) -> SarifResult {
    let check = &registry.checks()[finding.check];
    let physical = physical_location(report, finding.file, finding.span);
    let logical_judged = LogicalLocation::builder()
        .name(finding.resource_id.clone())
        .fully_qualified_name(finding.resource_id.clone())
        .kind(finding.resource_type.clone())
        .build();
    // A finding placed in another resource (the queue's policy) names that one first.
    let mut logical: Vec<LogicalLocation> = finding
        .located_in
        .iter()
        .map(|id| {
            LogicalLocation::builder()
                .name(id.clone())
                .fully_qualified_name(id.clone())
                .build()
        })
        .collect();
    // A resource SAM generates: the SAM resource the user wrote comes first.
    if let Some(written) = &finding.generated_from {
        let mut sam = LogicalLocation::builder()
            .name(written.clone())
            .fully_qualified_name(written.clone())
            .build();
        sam.kind = finding.source_type.clone();
        logical.push(sam);
    }
    logical.push(logical_judged);
    if let Some(cdk) = &finding.cdk {
        logical.push(
            LogicalLocation::builder()
                .name(
                    cdk.construct_path
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                )
                .fully_qualified_name(cdk.construct_path.clone())
                .kind("cdk-construct".to_string())
                .build(),
        );
    }
    // With a creation stack trace, the finding points at the CDK code that made
    // the resource; the template position becomes a related location.
    let source = finding.cdk.as_ref().and_then(|c| c.source.as_ref());
    let (primary, related) = match source {
        Some((path, pos)) => {
            let code = PhysicalLocation::builder()
                .artifact_location(artifact_location(&report.repository_path(path), None))
                .region(
                    Region::builder()
                        .start_line(i64::from(pos.line.max(1)))
                        .start_column(i64::from(pos.col.max(1)))
                        .build(),
                )
                .build();
            let template = Location::builder()
                .id(0)
                .physical_location(physical)
                .message(Message::from("the resource in the synthesized template"))
                .build();
            (code, vec![template])
        }
        None => (physical, Vec::new()),
    };
    let mut related = related;
    let first_id = related.len() as i64;
    related.extend(finding.related.iter().enumerate().map(|(i, r)| {
        Location::builder()
            .id(first_id + i as i64)
            .physical_location(physical_location(report, r.file, r.span))
            .message(Message::from(&r.message))
            .build()
    }));
    let location = Location::builder()
        .physical_location(primary)
        .logical_locations(logical)
        .build();
    let subject = match &finding.located_in {
        Some(holder) => format!("{holder}, for {}", finding.resource_id),
        None => finding.resource_id.clone(),
    };
    let mut text = format!("{}: {} ({subject})", check.title, finding.message);
    if let Some(c) = &finding.conditional {
        text.push_str(&format!(" [only when {c}]"));
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "preflight/v1".to_string(),
        fingerprint(
            &check.id,
            &report.files[finding.resource_file].repo_path,
            &finding.resource_id,
        ),
    );
    let suppressions = finding.suppression.as_ref().map(|s| {
        vec![
            serde_sarif::sarif::Suppression::builder()
                .kind(serde_json::json!(s.kind.as_str()))
                .justification(s.justification.clone())
                .build(),
        ]
    });
    let builder = SarifResult::builder()
        .rule_id(check.id.clone())
        .rule_index(finding.check as i64)
        .message(Message::from(&text))
        .locations(vec![location])
        .partial_fingerprints(fingerprints);
    let mut result = match finding.verdict {
        Verdict::Unknown => builder.kind(ResultKind::Open).level(ResultLevel::None).build(),
        _ => builder
            .kind(ResultKind::Fail)
            .level(level(finding.severity))
            .build(),
    };
    result.related_locations = (!related.is_empty()).then_some(related);
    result.suppressions = suppressions;
    // The undecidable condition a failure holds under, for tools that filter on it.
    if let Some(condition) = &finding.conditional {
        let mut properties = BTreeMap::new();
        properties.insert("condition".to_string(), json!(condition));
        result.properties = Some(PropertyBag::builder().additional_properties(properties).build());
    }
    result
}
