//! ECS hook: a task definition's JSON-encoded container definitions.

use super::build::{Props, Tf};
use super::mapping::TypeMapping;
use super::{Adapted, Context};
use crate::graph::{Unknowable, Value, ValueKind};

/// `aws_ecs_task_definition`: `container_definitions` is a JSON string (from
/// `jsonencode` or a file) of camelCase objects; it becomes the PascalCase
/// `ContainerDefinitions` list, located at the attribute.
pub(super) fn ecs_task_definition(
    tf: &Tf<'_>,
    _: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let containers = tf.attr("container_definitions").map(|text| match &text.kind {
        ValueKind::String(_) | ValueKind::Interp(_) => {
            match crate::graph::embedded::parse_json_string(text) {
                Ok(parsed) => upper_first_keys(&parsed),
                Err(reason) => Value::unknown(
                    text.span,
                    Unknowable::invalid(format!("container_definitions is {reason}")),
                ),
            }
        }
        _ => text.clone(),
    });
    super::mapping::finish(tf, props.set("ContainerDefinitions", containers), mapping)
}

/// ECS's camelCase JSON keys (`readonlyRootFilesystem`) as CloudFormation's
/// PascalCase (`ReadonlyRootFilesystem`), recursively.
fn upper_first_keys(value: &Value) -> Value {
    let kind = match &value.kind {
        ValueKind::Map(props) => ValueKind::Map(
            props
                .iter()
                .map(|p| {
                    let mut key = p.key.clone();
                    if let Some(first) = key.get(..1) {
                        key = first.to_ascii_uppercase() + &key[1..];
                    }
                    crate::graph::Prop {
                        key,
                        key_span: p.key_span,
                        value: upper_first_keys(&p.value),
                    }
                })
                .collect(),
        ),
        ValueKind::List(items) => ValueKind::List(items.iter().map(upper_first_keys).collect()),
        other => other.clone(),
    };
    Value {
        span: value.span,
        kind,
        origin: value.origin.clone(),
    }
}
