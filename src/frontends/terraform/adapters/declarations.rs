//! The `output` hook: the `Target.attribute` texts of the resource
//! attributes an output's value reads (`aws_iam_access_key.ci.secret`), so
//! PF-GEN-04 can tell an output that exposes a secret.

use super::build::{Props, Tf};
use super::mapping::TypeMapping;
use super::{Adapted, Context};
use crate::graph::{Part, Value, ValueKind};

/// An output's `Attributes`: what its value is made of.
pub(super) fn output(tf: &Tf<'_>, _: &Context<'_>, props: Props, mapping: &'static TypeMapping) -> Adapted {
    let mut attributes = Vec::new();
    if let Some(value) = tf.attr("value") {
        collect_attributes(value, &mut attributes);
    }
    let span = tf.span_of("value");
    let props = props.set("Attributes", Some(Value::new(span, ValueKind::List(attributes))));
    super::mapping::finish(tf, props, mapping)
}

fn collect_attributes(value: &Value, out: &mut Vec<Value>) {
    let text = |target: &str, attribute: &str| {
        Value::new(value.span, ValueKind::String(format!("{target}.{attribute}")))
    };
    match &value.kind {
        ValueKind::Ref(r) => {
            if let Some(attribute) = &r.attribute {
                out.push(text(&r.target, attribute));
            }
        }
        ValueKind::Interp(parts) => {
            for part in parts {
                if let Part::Ref(r) = part
                    && let Some(attribute) = &r.attribute
                {
                    out.push(text(&r.target, attribute));
                }
            }
        }
        ValueKind::List(items) => items.iter().for_each(|i| collect_attributes(i, out)),
        ValueKind::Map(props) => props.iter().for_each(|p| collect_attributes(&p.value, out)),
        _ => {}
    }
}
