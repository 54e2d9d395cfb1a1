//! `aws_iam_policy_document` rendered as the AWS provider renders its `json`:
//! one renderer for the `.tf` evaluator, which computes the data source from
//! its configuration, and for plans, where a read deferred to apply (the
//! document names a resource not created yet) leaves `json` unknown but holds
//! the `statement` blocks, their unknown parts marked or resolved to
//! references.
//!
//! What cannot be rendered stays unknown where it is: an unknown `statement`
//! (a `dynamic` block over values known at apply) is an unknown statement, an
//! unknown principal `type` an unknown `Principal`, an unknown condition
//! `test` or `variable` an unknown `Condition`; documents merged in
//! (`source_policy_documents`, `override_policy_documents`) are merged when
//! their text is known, by the provider's rules.

use super::adapters::{attr, blocks};
use crate::graph::embedded::parse_json_string;
use crate::graph::{Origin, Prop, Unknowable, Value, ValueKind};
use crate::parse::Span;

/// The policy document an `aws_iam_policy_document` with attributes `values` renders.
pub fn render(values: &Value) -> Value {
    let span = values.span;
    if let ValueKind::Unknown(_) = values.kind {
        return values.clone();
    }
    let version = attr(values, "version")
        .cloned()
        .unwrap_or_else(|| defaulted(span, "2012-10-17"));
    // Source documents first, then the statement blocks, then the overrides:
    // a statement with a non-blank Sid replaces the one of that Sid before it.
    let mut statements: Vec<Value> = Vec::new();
    for key in ["source_json", "source_policy_documents"] {
        for document in documents(values, key) {
            merge(&mut statements, document_statements(document));
        }
    }
    let own = blocks(values, "statement").into_iter().map(statement).collect();
    merge(&mut statements, own);
    for key in ["override_policy_documents", "override_json"] {
        for document in documents(values, key) {
            merge(&mut statements, document_statements(document));
        }
    }
    map(
        span,
        vec![
            prop("Version", version),
            prop("Statement", Value::new(span, ValueKind::List(statements))),
        ],
    )
}

/// Adds `more` to `statements`; one with a Sid already there replaces it.
/// An unknown statement may carry any Sid: every statement with one before
/// it becomes unknown (it may have been replaced), and it is added.
fn merge(statements: &mut Vec<Value>, more: Vec<Value>) {
    for next in more {
        if let ValueKind::Unknown(reason) = &next.kind {
            for earlier in statements.iter_mut() {
                if sid(earlier).is_some() {
                    *earlier = Value::unknown(earlier.span, reason.clone());
                }
            }
            statements.push(next);
            continue;
        }
        match sid(&next).and_then(|s| statements.iter().position(|e| sid(e) == Some(s))) {
            Some(i) => statements[i] = next,
            None => statements.push(next),
        }
    }
}

/// A statement's Sid when it is a known, non-blank text.
fn sid(statement: &Value) -> Option<&str> {
    statement
        .get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The documents of a merge argument: one JSON text or a list of them.
fn documents<'v>(values: &'v Value, key: &str) -> Vec<&'v Value> {
    match attr(values, key) {
        Some(Value {
            kind: ValueKind::List(items),
            ..
        }) => items
            .iter()
            .filter(|d| !matches!(&d.kind, ValueKind::Null | ValueKind::Absent))
            .filter(|d| d.as_str() != Some(""))
            .collect(),
        Some(document) if document.as_str() != Some("") => vec![document],
        _ => Vec::new(),
    }
}

/// The statements of a merged document: its JSON text (or, from the `.tf`
/// evaluator, the document another data source rendered) read.
fn document_statements(document: &Value) -> Vec<Value> {
    let parsed = match &document.kind {
        ValueKind::Map(_) => Ok(document.clone()),
        ValueKind::String(_) | ValueKind::Interp(_) => parse_json_string(document),
        _ => Err(format!("{} is known only at apply", document.describe())),
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(reason) => {
            return vec![Value::unknown(
                document.span,
                Unknowable::invalid(format!(
                    "a policy document merged into aws_iam_policy_document: {reason}"
                )),
            )];
        }
    };
    match parsed.get("Statement").map(|s| &s.kind) {
        Some(ValueKind::List(items)) => items.clone(),
        Some(ValueKind::Map(_)) => vec![parsed.get("Statement").cloned().expect("matched")],
        None => Vec::new(),
        Some(_) => vec![Value::unknown(
            document.span,
            Unknowable::at_apply(
                "the statements of a policy document merged into aws_iam_policy_document are",
            ),
        )],
    }
}

fn statement(block: &Value) -> Value {
    let span = block.span;
    if let ValueKind::Unknown(_) = block.kind {
        return block.clone();
    }
    let mut props = Vec::new();
    if let Some(sid) = attr(block, "sid") {
        props.push(prop("Sid", sid.clone()));
    }
    props.push(prop(
        "Effect",
        attr(block, "effect")
            .cloned()
            .unwrap_or_else(|| defaulted(span, "Allow")),
    ));
    for (from, to) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = attr(block, from) {
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
fn principal(blocks: &[&Value], span: Span) -> Value {
    let mut by_type: Vec<Prop> = Vec::new();
    for block in blocks {
        let Some(kind) = attr(block, "type").and_then(Value::as_str) else {
            return Value::unknown(block.span, Unknowable::at_apply("a principals type"));
        };
        if kind == "*" {
            return Value::new(block.span, ValueKind::String("*".into()));
        }
        let ids = attr(block, "identifiers")
            .cloned()
            .unwrap_or_else(|| Value::new(block.span, ValueKind::List(Vec::new())));
        match by_type.iter_mut().find(|p| p.key == kind) {
            Some(existing) => extend(&mut existing.value, ids),
            None => by_type.push(prop(kind, ids)),
        }
    }
    map(span, by_type)
}

/// `condition { test, variable, values }` blocks -> `{test: {variable: values}}`.
fn condition(blocks: &[&Value], span: Span) -> Value {
    let mut by_test: Vec<Prop> = Vec::new();
    for block in blocks {
        let (Some(test), Some(variable)) = (
            attr(block, "test").and_then(Value::as_str),
            attr(block, "variable").and_then(Value::as_str),
        ) else {
            return Value::unknown(block.span, Unknowable::at_apply("a condition test or variable"));
        };
        let values = attr(block, "values")
            .cloned()
            .unwrap_or_else(|| Value::new(block.span, ValueKind::List(Vec::new())));
        let test = match by_test.iter_mut().position(|p| p.key == test) {
            Some(i) => &mut by_test[i],
            None => {
                by_test.push(prop(test, map(block.span, Vec::new())));
                by_test.last_mut().expect("pushed")
            }
        };
        let ValueKind::Map(variables) = &mut test.value.kind else {
            unreachable!("built as a map")
        };
        // The same test and variable twice: the provider joins the values.
        match variables.iter_mut().find(|p| p.key == variable) {
            Some(existing) => extend(&mut existing.value, values),
            None => variables.push(prop(variable, values)),
        }
    }
    map(span, by_test)
}

/// Appends a list of values to another; unknown when either is not a list.
fn extend(into: &mut Value, more: Value) {
    match (&mut into.kind, more.kind) {
        (ValueKind::List(have), ValueKind::List(more)) => have.extend(more),
        _ => *into = Value::unknown(into.span, Unknowable::at_apply("values joined from blocks")),
    }
}

fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// A value the provider fills in for an unset argument.
fn defaulted(span: Span, text: &str) -> Value {
    Value {
        span,
        kind: ValueKind::String(text.to_string()),
        origin: Origin::Default,
    }
}

fn map(span: Span, props: Vec<Prop>) -> Value {
    Value::new(span, ValueKind::Map(props))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ResourceRef;

    fn v(json: &str) -> Value {
        let node = crate::parse::load_json(json, crate::parse::Limits::default()).expect("JSON");
        crate::frontends::cloudformation::node_to_value(&node)
    }

    #[test]
    fn statement_blocks_render_with_unknown_parts_kept_in_place() {
        let mut values = v(
            r#"{"statement": [{"effect": "Allow", "actions": ["sts:AssumeRoleWithWebIdentity"],
            "principals": [{"type": "Federated", "identifiers": [null]}],
            "condition": [{"test": "StringEquals", "variable": "x:aud", "values": ["sts.amazonaws.com"]},
                          {"test": "StringEquals", "variable": "x:sub", "values": ["repo:a/b:ref:refs/heads/main"]}],
            "sid": null, "resources": null}], "version": null, "source_policy_documents": null}"#,
        );
        // The provider's ARN, resolved by the plan reader to a reference.
        let ValueKind::Map(props) = &mut values.kind else {
            panic!()
        };
        let ValueKind::List(statements) = &mut props[0].value.kind else {
            panic!()
        };
        let ValueKind::Map(statement) = &mut statements[0].kind else {
            panic!()
        };
        let principals = statement.iter_mut().find(|p| p.key == "principals").unwrap();
        let ValueKind::List(blocks) = &mut principals.value.kind else {
            panic!()
        };
        let ValueKind::Map(block) = &mut blocks[0].kind else {
            panic!()
        };
        block[1].value = Value::new(
            Span::default(),
            ValueKind::List(vec![Value::new(
                Span::default(),
                ValueKind::Ref(Box::new(ResourceRef {
                    target: "aws_iam_openid_connect_provider.github".into(),
                    attribute: Some("arn".into()),
                })),
            )]),
        );
        let document = render(&values);
        assert_eq!(
            document.get("Version").and_then(Value::as_str),
            Some("2012-10-17")
        );
        let statement = &match &document.get("Statement").unwrap().kind {
            ValueKind::List(s) => s.clone(),
            _ => panic!(),
        }[0];
        assert_eq!(statement.get("Effect").and_then(Value::as_str), Some("Allow"));
        assert!(statement.get("Sid").is_none() && statement.get("Resource").is_none());
        let federated = statement.get("Principal").unwrap().get("Federated").unwrap();
        assert!(matches!(&federated.kind, ValueKind::List(ids) if matches!(ids[0].kind, ValueKind::Ref(_))));
        // Both conditions of one test, under that test.
        let equals = statement.get("Condition").unwrap().get("StringEquals").unwrap();
        assert!(equals.get("x:aud").is_some() && equals.get("x:sub").is_some());
    }

    #[test]
    fn unknown_blocks_and_types_stay_unknown() {
        let unknown = Value::unknown(Span::default(), Unknowable::AfterApply);
        let mut values = v(r#"{"statement": null}"#);
        let ValueKind::Map(props) = &mut values.kind else {
            panic!()
        };
        props[0].value = unknown.clone();
        let document = render(&values);
        assert!(matches!(&document.get("Statement").unwrap().kind,
            ValueKind::List(s) if s.len() == 1 && matches!(s[0].kind, ValueKind::Unknown(_))));
        let values = v(r#"{"statement": [{"principals": [{"type": "*", "identifiers": ["*"]}]}]}"#);
        let document = render(&values);
        let ValueKind::List(s) = &document.get("Statement").unwrap().kind else {
            panic!()
        };
        assert_eq!(s[0].get("Principal").and_then(Value::as_str), Some("*"));
    }

    #[test]
    fn merged_documents_follow_the_providers_sid_rules() {
        let values = v(r#"{
            "source_policy_documents": ["{\"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\"}, {\"Effect\": \"Allow\", \"Action\": \"s3:Get*\"}]}"],
            "statement": [{"sid": "A", "effect": "Deny", "actions": ["s3:*"]}],
            "override_policy_documents": ["{\"Statement\": {\"Sid\": \"B\", \"Effect\": \"Allow\", \"Action\": \"kms:*\"}}"]}"#);
        let document = render(&values);
        let ValueKind::List(s) = &document.get("Statement").unwrap().kind else {
            panic!()
        };
        let effects: Vec<_> = s
            .iter()
            .map(|s| s.get("Effect").and_then(Value::as_str).unwrap())
            .collect();
        // Sid A of the source is replaced by the block; B is added.
        assert_eq!(effects, ["Deny", "Allow", "Allow"]);
        assert_eq!(s[2].get("Sid").and_then(Value::as_str), Some("B"));
        // An override known only at apply may replace any statement with a Sid.
        let mut values = v(
            r#"{"statement": [{"sid": "A", "actions": ["s3:*"]}, {"actions": ["s3:Get*"]}],
            "override_policy_documents": [null]}"#,
        );
        let ValueKind::Map(props) = &mut values.kind else {
            panic!()
        };
        props[1].value = Value::new(
            Span::default(),
            ValueKind::List(vec![Value::unknown(Span::default(), Unknowable::AfterApply)]),
        );
        let document = render(&values);
        let ValueKind::List(s) = &document.get("Statement").unwrap().kind else {
            panic!()
        };
        let unknown: Vec<bool> = s
            .iter()
            .map(|s| matches!(s.kind, ValueKind::Unknown(_)))
            .collect();
        assert_eq!(unknown, [true, false, true]);
    }
}
