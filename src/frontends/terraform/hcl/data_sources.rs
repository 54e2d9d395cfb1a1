//! Data sources whose result the configuration fully determines, computed
//! here as Terraform would: `aws_iam_policy_document` renders its `statement`
//! blocks into the policy document its `json` attribute holds (the renderer
//! plans share). Without this, every policy written that way would be
//! unknown until plan.

use crate::frontends::terraform::policy_document;
use crate::graph::{Pseudo, Value};
use crate::parse::Span;

/// The value of attribute `attr` of a data source of type `tf_type` whose
/// configuration evaluates to `values`, when it can be computed.
pub fn computed_attribute(tf_type: &str, attr: &str, values: &Value, span: Span) -> Option<Value> {
    match (tf_type, attr) {
        ("aws_iam_policy_document", "json" | "minified_json") => Some(policy_document::render(values)),
        // What CloudFormation calls pseudo-parameters: known at apply, some
        // from a closed set (the partition).
        ("aws_partition", "partition") => Some(Value::unknown(span, Pseudo::Partition)),
        ("aws_partition", "dns_suffix") => Some(Value::unknown(span, Pseudo::UrlSuffix)),
        ("aws_caller_identity", "account_id") => Some(Value::unknown(span, Pseudo::AccountId)),
        _ => None,
    }
}
