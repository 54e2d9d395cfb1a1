//! Data sources whose result the configuration fully determines, computed
//! here as Terraform would: `aws_iam_policy_document` renders its `statement`
//! blocks into the policy document its `json` attribute holds (the renderer
//! plans share). Without this, every policy written that way would be
//! unknown until plan.

use crate::frontends::terraform::policy_document;
use crate::graph::Value;

/// The value of attribute `attr` of a data source of type `tf_type` whose
/// configuration evaluates to `values`, when it can be computed.
pub fn computed_attribute(tf_type: &str, attr: &str, values: &Value) -> Option<Value> {
    match (tf_type, attr) {
        ("aws_iam_policy_document", "json" | "minified_json") => Some(policy_document::render(values)),
        _ => None,
    }
}
