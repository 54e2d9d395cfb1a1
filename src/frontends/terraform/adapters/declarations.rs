//! Terraform `variable` and `output` blocks lifted to the canonical input and
//! output types CloudFormation's `Parameters` and `Outputs` become, so one
//! rule judges both (PF-GEN-01, PF-GEN-04); and `provider "aws"` blocks
//! (PF-GEN-06).

use super::build::Tf;
use super::{Adapted, Context};
use crate::graph::{OUTPUT, PARAMETER, Part, Value, ValueKind};

/// A variable: `sensitive` is CloudFormation's `NoEcho`.
pub(super) fn variable(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        PARAMETER,
        tf.props(&[("sensitive", "NoEcho"), ("default", "Default"), ("type", "Type")]),
    )
}

/// An output: its value, `sensitive`, and the `Target.attribute` texts of the
/// resource attributes it reads (`aws_iam_access_key.ci.secret`).
pub(super) fn output(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let mut attributes = Vec::new();
    if let Some(value) = tf.attr("value") {
        collect_attributes(value, &mut attributes);
    }
    let span = tf.span_of("value");
    tf.lift(
        OUTPUT,
        tf.props(&[("value", "Value"), ("sensitive", "Sensitive")])
            .set("Attributes", Some(Value::new(span, ValueKind::List(attributes)))),
    )
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

/// A `provider "aws"` block -> the canonical `AWS::Terraform::Provider`: the
/// credentials it is configured with (PF-GEN-06), its profile and region.
pub(super) fn provider(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        crate::graph::PROVIDER,
        tf.props(&[
            ("access_key", "AccessKey"),
            ("secret_key", "SecretKey"),
            ("token", "Token"),
            ("profile", "Profile"),
            ("region", "Region"),
        ]),
    )
}
