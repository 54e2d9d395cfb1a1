//! Suppressions: findings the user has accepted, with why. They stay in the
//! report (SARIF `suppressions`, JSON `suppression`) but do not fail the scan.
//!
//! Three sources: comments in YAML and HCL ([`inline`]), resource `Metadata`
//! for JSON templates and CDK ([`metadata`], applied while checks run), and a
//! baseline file of accepted fingerprints ([`baseline`]). Checkov's
//! `checkov:skip` comments and `Metadata.checkov.skip` are honoured for checks
//! that declare the Checkov id as an alias.

pub mod baseline;
pub mod inline;
pub mod metadata;

use crate::checks::Check;

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: Kind,
    /// The reason given (or a placeholder saying none was).
    pub justification: String,
}

/// Where the suppression is written (SARIF `suppression.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A comment or `Metadata` in the scanned source.
    InSource,
    /// A baseline file.
    External,
}

impl Kind {
    /// The SARIF name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InSource => "inSource",
            Kind::External => "external",
        }
    }
}

/// The text given when a suppression states no reason.
pub const NO_REASON: &str = "no reason given";

/// Whether `id` (as written in a suppression) names `check`: its id, its
/// slug or one of its Checkov ids; Checkov syntax names Checkov ids only.
pub fn names(check: &Check, id: &str, checkov: bool) -> bool {
    if checkov {
        return check.checkov_ids().any(|a| a.eq_ignore_ascii_case(id));
    }
    check.is_named(id)
}
