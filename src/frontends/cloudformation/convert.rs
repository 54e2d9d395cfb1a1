//! Literal conversion of document nodes into graph values (no intrinsics).

use crate::graph::{Prop, Value, ValueKind};
use crate::parse::{Node, NodeKind};

/// Converts a node as written: used for mapping values and embedded JSON.
pub fn node_to_value(node: &Node) -> Value {
    let kind = match &node.kind {
        NodeKind::Null => ValueKind::Null,
        NodeKind::Bool(b) => ValueKind::Bool(*b),
        NodeKind::Number(n) => ValueKind::Number(n.clone()),
        NodeKind::String(s) => ValueKind::String(s.clone()),
        NodeKind::Seq(items) => ValueKind::List(items.iter().map(node_to_value).collect()),
        NodeKind::Map(entries) => ValueKind::Map(
            entries
                .iter()
                .map(|e| Prop {
                    key: e.key.clone(),
                    key_span: e.key_span,
                    value: node_to_value(&e.value),
                })
                .collect(),
        ),
    };
    Value::new(node.span, kind)
}
