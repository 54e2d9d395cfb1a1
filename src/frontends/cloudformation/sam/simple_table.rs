//! `AWS::Serverless::SimpleTable` -> `AWS::DynamoDB::Table` with one hash key
//! (`PrimaryKey`, default `id` of type String) and on-demand billing unless
//! `ProvisionedThroughput` is given.

use super::{copy, prop, tag_list, text};
use crate::graph::{Resource, Value, ValueKind};

pub fn lower(sam: Resource) -> Resource {
    let span = sam.span;
    let key = sam.properties.get("PrimaryKey");
    let name = key
        .and_then(|k| k.get("Name"))
        .cloned()
        .unwrap_or_else(|| text(span, "id"));
    let kind = match key.and_then(|k| k.get("Type")).and_then(Value::as_str) {
        Some("Number") => "N",
        Some("Binary") => "B",
        _ => "S",
    };
    let map = |props| Value::new(span, ValueKind::Map(props));
    let list = |items| Value::new(span, ValueKind::List(items));
    let mut properties = vec![
        prop(
            "KeySchema",
            list(vec![map(vec![
                prop("AttributeName", name.clone()),
                prop("KeyType", text(span, "HASH")),
            ])]),
        ),
        prop(
            "AttributeDefinitions",
            list(vec![map(vec![
                prop("AttributeName", name),
                prop("AttributeType", text(span, kind)),
            ])]),
        ),
    ];
    match sam.properties.prop("ProvisionedThroughput") {
        Some(throughput) => {
            properties.push(throughput.clone());
            properties.push(prop("BillingMode", text(throughput.key_span, "PROVISIONED")));
        }
        None => properties.push(prop("BillingMode", text(span, "PAY_PER_REQUEST"))),
    }
    properties.extend(copy(
        &sam,
        &[
            "TableName",
            "SSESpecification",
            "PointInTimeRecoverySpecification",
        ],
    ));
    properties.extend(tag_list(&sam));
    Resource {
        kind: "AWS::DynamoDB::Table".into(),
        properties: Value::new(sam.properties.span, ValueKind::Map(properties)),
        ..sam
    }
}
