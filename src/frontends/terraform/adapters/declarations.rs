//! Terraform `variable` and `output` blocks lifted to the canonical input and
//! output types CloudFormation's `Parameters` and `Outputs` become, so one
//! rule judges both (PF-GEN-01, PF-GEN-04); `provider "aws"` blocks
//! (PF-GEN-06); and `data "aws_ssm_parameter"` lookups, lifted as the
//! SSM-typed parameters they are twins of (PF-EC2-02).

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

/// A `data "aws_ssm_parameter"`: the Terraform twin of a CloudFormation
/// parameter of type `AWS::SSM::Parameter::Value<String>` whose `Default` is
/// the parameter's name (its value is read from Parameter Store at plan
/// time, as CloudFormation reads it at deploy time). The provider marks the
/// value sensitive, so it is `NoEcho`.
pub(super) fn ssm_parameter(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let span = tf.span();
    tf.lift(
        PARAMETER,
        tf.props(&[("name", "Default")])
            .set(
                "Type",
                Some(Value::new(
                    span,
                    ValueKind::String("AWS::SSM::Parameter::Value<String>".to_string()),
                )),
            )
            .set("NoEcho", Some(Value::new(span, ValueKind::Bool(true)))),
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
