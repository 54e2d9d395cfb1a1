//! IAM policy documents as the mappings' `document = true` reads them: JSON
//! strings, `jsonencode`, or `aws_iam_policy_document` data sources.

use super::Context;
use super::build::attr;
use crate::frontends::terraform::policy_document;
use crate::graph::{Value, ValueKind};

/// A policy document value, with a reference to the `json` of an
/// `aws_iam_policy_document` data source replaced by that document. A plan
/// whose read of the data source waits for apply (it names a resource not
/// created yet) leaves `json` unknown: the document is rendered from the
/// statement blocks the plan holds, as the `.tf` evaluator renders them.
pub(super) fn document_of(value: &Value, context: &Context<'_>) -> Value {
    let ValueKind::Ref(r) = &value.kind else {
        return value.clone();
    };
    // Any other reference (a plan's policy computed from an attribute known
    // after apply) stays what it is: the checks say it is unknown. A plan's
    // reference to `data.x.y[key].json` names the instance only.
    let Some(source) = context
        .resource(&r.target)
        .filter(|d| d.data && d.tf_type == "aws_iam_policy_document")
        .filter(|_| matches!(r.attribute.as_deref(), None | Some("json" | "minified_json")))
    else {
        return value.clone();
    };
    if let Some(json) = attr(&source.values, "json").filter(|j| j.as_str().is_some()) {
        return json.clone();
    }
    policy_document::render(&source.values)
}
