//! Suppressions in resource `Metadata`: the only place a JSON template or a
//! CDK app (`node.addMetadata`) can put one.
//!
//! ```json
//! "Metadata": {"preflight": {"ignore": [{"id": "PF-S3-01", "reason": "..."}]},
//!              "checkov": {"skip": [{"id": "CKV_AWS_18", "comment": "..."}]}}
//! ```

use super::{Kind, NO_REASON, Suppression, names};
use crate::checks::Check;
use crate::graph::{Resource, Value, ValueKind};

/// The suppression `resource`'s metadata gives `check`, if any.
pub fn suppression(resource: &Resource, check: &Check) -> Option<Suppression> {
    let metadata = resource.metadata.as_ref()?;
    let own = entries(metadata, "preflight", "ignore")
        .find(|e| id_of(e).is_some_and(|id| names(check, id, false)))
        .map(|e| reason(e, "reason"));
    let checkov = || {
        entries(metadata, "checkov", "skip")
            .find(|e| id_of(e).is_some_and(|id| names(check, id, true)))
            .map(|e| reason(e, "comment"))
    };
    own.or_else(checkov).map(|justification| Suppression {
        kind: Kind::InSource,
        justification,
    })
}

fn entries<'v>(metadata: &'v Value, tool: &str, list: &str) -> impl Iterator<Item = &'v Value> {
    let items = match metadata.get(tool).and_then(|t| t.get(list)).map(|l| &l.kind) {
        Some(ValueKind::List(items)) => items.as_slice(),
        _ => &[],
    };
    items.iter()
}

fn id_of(entry: &Value) -> Option<&str> {
    entry.get("id").and_then(Value::as_str)
}

fn reason(entry: &Value, key: &str) -> String {
    entry
        .get(key)
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
        .unwrap_or(NO_REASON)
        .to_string()
}
