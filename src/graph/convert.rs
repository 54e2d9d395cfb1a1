//! Literal conversion of document nodes into graph values (no intrinsics).

use super::{Prop, Value, ValueKind};
use crate::parse::{Node, NodeKind};

/// Converts a node as written: used for mapping values and embedded JSON.
pub fn node_to_value(node: &Node) -> Value {
    into_value(node.clone())
}

/// Converts a node as written, moving its texts into the value (a large
/// document's parts are converted once and dropped).
pub fn into_value(node: Node) -> Value {
    let kind = match node.kind {
        NodeKind::Null => ValueKind::Null,
        NodeKind::Bool(b) => ValueKind::Bool(b),
        NodeKind::Number(n) => ValueKind::Number(n),
        NodeKind::String(s) => ValueKind::String(s),
        NodeKind::Seq(items) => ValueKind::List(items.into_iter().map(into_value).collect()),
        NodeKind::Map(entries) => ValueKind::Map(
            entries
                .into_iter()
                .map(|e| Prop {
                    key: e.key,
                    key_span: e.key_span,
                    value: into_value(e.value),
                })
                .collect(),
        ),
    };
    Value::new(node.span, kind)
}
