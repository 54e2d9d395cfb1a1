//! Data sources whose result the configuration fully determines, computed
//! here as Terraform would: `aws_iam_policy_document` renders its `statement`
//! blocks into the policy document its `json` attribute holds. Without this,
//! every policy written that way would be unknown until plan.

use crate::graph::{Prop, Value, ValueKind};

/// The value of attribute `attr` of a data source of type `tf_type` whose
/// configuration evaluates to `values`, when it can be computed.
pub fn computed_attribute(tf_type: &str, attr: &str, values: &Value) -> Option<Value> {
    match (tf_type, attr) {
        ("aws_iam_policy_document", "json" | "minified_json") => Some(policy_document(values)),
        _ => None,
    }
}

/// `aws_iam_policy_document` -> `{Version, Statement: [...]}`, located at the data source.
fn policy_document(values: &Value) -> Value {
    let span = values.span;
    let version = values
        .get("version")
        .cloned()
        .unwrap_or_else(|| text(span, "2012-10-17"));
    let statements = blocks(values, "statement").into_iter().map(statement).collect();
    map(
        span,
        vec![
            prop("Version", version),
            prop("Statement", Value::new(span, ValueKind::List(statements))),
        ],
    )
}

fn statement(block: &Value) -> Value {
    let span = block.span;
    let mut props = Vec::new();
    if let Some(sid) = block.get("sid") {
        props.push(prop("Sid", sid.clone()));
    }
    props.push(prop(
        "Effect",
        block
            .get("effect")
            .cloned()
            .unwrap_or_else(|| text(span, "Allow")),
    ));
    for (from, to) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = block.get(from).filter(|v| v.kind != ValueKind::Null) {
            props.push(prop(to, v.clone()));
        }
    }
    for (from, to) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        let principals = blocks(block, from);
        if !principals.is_empty() {
            props.push(prop(to, principal(&principals, span)));
        }
    }
    let conditions = blocks(block, "condition");
    if !conditions.is_empty() {
        props.push(prop("Condition", condition(&conditions, span)));
    }
    map(span, props)
}

/// `principals { type = "AWS", identifiers = [...] }` blocks -> `{"AWS": [...]}`;
/// `type = "*"` is the `"*"` principal.
fn principal(blocks: &[&Value], span: crate::parse::Span) -> Value {
    let mut by_type: Vec<Prop> = Vec::new();
    for block in blocks {
        let Some(kind) = block.get("type").and_then(Value::as_str) else {
            return Value::unknown(block.span, "a principals type is known only at plan time");
        };
        if kind == "*" {
            return text(block.span, "*");
        }
        let ids = block
            .get("identifiers")
            .cloned()
            .unwrap_or_else(|| Value::new(block.span, ValueKind::List(Vec::new())));
        match by_type.iter_mut().find(|p| p.key == kind) {
            Some(existing) => {
                if let (ValueKind::List(have), ValueKind::List(more)) = (&mut existing.value.kind, ids.kind) {
                    have.extend(more);
                }
            }
            None => by_type.push(prop(kind, ids)),
        }
    }
    map(span, by_type)
}

/// `condition { test, variable, values }` blocks -> `{test: {variable: values}}`.
fn condition(blocks: &[&Value], span: crate::parse::Span) -> Value {
    let mut by_test: Vec<Prop> = Vec::new();
    for block in blocks {
        let (Some(test), Some(variable)) = (
            block.get("test").and_then(Value::as_str),
            block.get("variable").and_then(Value::as_str),
        ) else {
            return Value::unknown(
                block.span,
                "a condition test or variable is known only at plan time",
            );
        };
        let values = block
            .get("values")
            .cloned()
            .unwrap_or_else(|| Value::new(block.span, ValueKind::List(Vec::new())));
        let entry = prop(variable, values);
        match by_test.iter_mut().find(|p| p.key == test) {
            Some(existing) => {
                if let ValueKind::Map(keys) = &mut existing.value.kind {
                    keys.push(entry);
                }
            }
            None => by_test.push(prop(test, map(block.span, vec![entry]))),
        }
    }
    map(span, by_test)
}

/// The evaluated blocks named `name` of a body value (a list of maps).
fn blocks<'v>(values: &'v Value, name: &str) -> Vec<&'v Value> {
    match values.get(name).map(|v| &v.kind) {
        Some(ValueKind::List(items)) => items.iter().collect(),
        _ => Vec::new(),
    }
}

fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

fn text(span: crate::parse::Span, s: &str) -> Value {
    Value::new(span, ValueKind::String(s.to_string()))
}

fn map(span: crate::parse::Span, props: Vec<Prop>) -> Value {
    Value::new(span, ValueKind::Map(props))
}
