//! Findings: what the checks concluded, before any rendering.

use crate::checks::check::Severity;
use crate::parse::Span;

/// The verdict of one check on one resource (`catalog.md` section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Fail,
    /// The deciding value is not known before deploy.
    Unknown,
    Pass,
    NotApplicable,
}

/// A failing or undecided check on one resource.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Index of the check in the run's registry.
    pub check: usize,
    pub check_id: String,
    pub severity: Severity,
    pub verdict: Verdict,
    /// The file (index in the scan's file table) and region of the offending
    /// attribute, or of the resource when the attribute is missing.
    pub file: usize,
    pub span: Span,
    pub resource_id: String,
    pub resource_type: String,
    /// The type as written, when the resource was lifted from another format (`aws_s3_bucket`).
    pub source_type: Option<String>,
    /// The resource the user wrote, when the judged one is generated from
    /// it (the SAM function `AdminFunction` behind `AdminFunctionRole`).
    pub generated_from: Option<String>,
    /// The file the resource itself is declared in.
    pub resource_file: usize,
    /// One line that says why, quoting the offending value.
    pub message: String,
    /// For a failure under only some values of undecidable conditions: which.
    pub conditional: Option<String>,
    /// Where a CDK app made the resource.
    pub cdk: Option<Box<CdkOrigin>>,
    /// Where the resource is declared (its logical id or block header).
    pub resource_start: crate::parse::Pos,
    /// Why the finding is suppressed, and where (it then does not fail the scan).
    pub suppression: Option<Box<crate::suppress::Suppression>>,
    /// The AWS region the resource is deployed to, when the input says
    /// (CDK environment, Terraform provider, `--region`): account-baseline
    /// checks conclude per region.
    pub region: Option<String>,
    /// The resource the finding sits in when that is not the judged one:
    /// the policy resource of a queue, the flow log of a VPC — what the
    /// user edits to fix it.
    pub located_in: Option<String>,
    /// The other places that explain the verdict, in the order a graph
    /// check walked them (SARIF `relatedLocations`).
    pub related: Vec<Related>,
    /// The check's remediation in the terms of the resource's own language,
    /// when they differ from the check's (a Terraform resource's attribute
    /// names for the property paths the text names).
    pub fix: Option<String>,
}

impl Finding {
    /// What to do about the finding: the check's remediation, in the
    /// resource's own terms.
    pub fn remediation<'a>(&'a self, check: &'a crate::checks::Check) -> &'a str {
        self.fix.as_deref().unwrap_or(&check.remediation.text)
    }

    /// Moves every file index of the finding (its own, its resource's, its
    /// spans' and its related locations') to `to(index)`, as when a scan
    /// puts a unit's files into a larger table: one place, so none is left
    /// pointing into the old table.
    pub fn renumber_files(&mut self, to: impl Fn(usize) -> usize) {
        let span_file = |file: u32| u32::try_from(to(file as usize)).unwrap_or(u32::MAX);
        self.file = to(self.file);
        self.resource_file = to(self.resource_file);
        self.span.file = span_file(self.span.file);
        for r in &mut self.related {
            r.file = to(r.file);
            r.span.file = span_file(r.span.file);
        }
    }
}

/// Another place that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Index in the scan's file table.
    pub file: usize,
    pub span: Span,
    pub resource_id: String,
    /// What this place is to the finding (`AWS::EC2::Subnet PublicA`).
    pub message: String,
}

/// The CDK construct behind a finding's resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdkOrigin {
    /// `Metadata["aws:cdk:path"]`: `DevApp/DataKey/Resource`.
    pub construct_path: String,
    /// The stack's display name (`Prod/App`), with the nested stack's construct.
    pub stack: String,
    /// The user's source line that created the construct, when the assembly
    /// has creation stack traces: a path relative to the scan root when it
    /// lies inside it, else absolute; and the position.
    pub source: Option<(String, crate::parse::Pos)>,
}

/// Counts of verdicts over a scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub fail: usize,
    pub unknown: usize,
    pub pass: usize,
    pub not_applicable: usize,
    /// Resources whose `Condition` is false with the given parameters.
    pub skipped: usize,
}

impl Tally {
    /// Adds `other`'s counts per check to `into` (same registry; `into` grows as needed).
    pub fn add_each(into: &mut Vec<Tally>, other: &[Tally]) {
        if into.len() < other.len() {
            into.resize(other.len(), Tally::default());
        }
        for (a, b) in into.iter_mut().zip(other) {
            a.add(*b);
        }
    }

    /// Counts one verdict.
    pub fn count(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Fail => self.fail += 1,
            Verdict::Unknown => self.unknown += 1,
            Verdict::Pass => self.pass += 1,
            Verdict::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Adds another tally.
    pub fn add(&mut self, other: Tally) {
        self.fail += other.fail;
        self.unknown += other.unknown;
        self.pass += other.pass;
        self.not_applicable += other.not_applicable;
        self.skipped += other.skipped;
    }
}

/// A line-independent fingerprint of a finding: the check, the file and the
/// resource, so it survives edits that move lines.
pub fn fingerprint(check_id: &str, path: &str, resource_id: &str) -> String {
    // FNV-1a, 64 bit: stable across runs, platforms and Rust versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in [check_id, path, resource_id].join("\u{0}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
