//! Terraform into the graph: plan JSON ([`plan`]) and, through the same
//! [`adapters`], the resources of both formats lifted into the CloudFormation
//! shape the checks read.

pub mod adapters;
pub mod hcl;
pub mod plan;
pub(crate) mod policy_document;
pub mod readers;
pub mod sources;

use crate::graph::Value;
use crate::parse::Span;

/// A Terraform resource (or data source) instance, before adaptation.
#[derive(Debug, Clone)]
pub struct TfResource {
    /// Full address: `module.net.aws_security_group.web["a"]`.
    pub address: String,
    /// `data` sources are context for other resources, never checked themselves.
    pub data: bool,
    /// Terraform type: `aws_security_group`.
    pub tf_type: String,
    /// The attributes as a map value; unknown ("known after apply") leaves are
    /// [`crate::graph::ValueKind::Unknown`], references to other resources are
    /// [`crate::graph::ValueKind::Ref`] to their address.
    pub values: Value,
    /// Where the resource is declared.
    pub span: Span,
    /// Attributes written in the configuration (when it is known), so an
    /// adapter can tell "not set" from "computed".
    pub configured: Option<Vec<String>>,
}

/// Whether a text may be a Terraform plan, before parsing.
pub fn may_be_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
}
