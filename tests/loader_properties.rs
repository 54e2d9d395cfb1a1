//! Property tests: the spanned loaders read any JSON document to the same
//! values as serde_json — through the JSON loader, and through the YAML loader
//! (YAML 1.2 is a superset of JSON) — in compact and pretty layouts.

use preflight::parse::{Limits, Node, NodeKind, load_json, load_yaml};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        (-1.0e12f64..1.0e12).prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("!Ref x"),
            Just("yes"),
            Just("0x1F"),
            Just("~"),
            Just("- a"),
            Just("a: b"),
            Just("#c")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z:][A-Za-z0-9:_ -]{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The loaded tree as a serde value (numbers compared by value).
fn to_value(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone())),
        NodeKind::String(s) => Value::String(s.clone()),
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_value).collect()),
        NodeKind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_value(&e.value)))
                .collect(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn json_loader_agrees_with_serde_json(value in json_value()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let node = load_json(&text, Limits::default()).expect("valid JSON loads");
            prop_assert_eq!(to_value(&node), value.clone());
        }
    }

    #[test]
    fn yaml_loader_reads_json_like_serde_json(value in json_value()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let node = load_yaml(&text, Limits::default()).expect("JSON is YAML");
            prop_assert_eq!(to_value(&node), value.clone(), "text: {}", text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = load_json(&text, Limits::default());
        let _ = load_yaml(&text, Limits::default());
    }
}
