//! Network hooks: an internet gateway's attachment to its VPC, and a
//! listener's protocol when the provider decides it.

use std::borrow::Cow;

use super::build::{Props, Tf, attr, defaulted};
use super::mapping::TypeMapping;
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_internet_gateway`: the gateway, and (with `vpc_id`) its attachment
/// as CloudFormation declares it, so "the VPC has an internet gateway" reads alike.
pub(super) fn internet_gateway(
    tf: &Tf<'_>,
    _: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed(&mapping.kinds[0]),
        properties: props.into_value(tf.span()),
        suffix: None,
    }];
    if let Some(vpc) = tf.attr("vpc_id") {
        let gateway = Value::new(
            tf.span(),
            ValueKind::Ref(Box::new(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            })),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::EC2::VPCGatewayAttachment"),
            properties: Props::new()
                .copy("VpcId", Some(vpc))
                .set("InternetGatewayId", Some(gateway))
                .into_value(tf.span()),
            suffix: Some(".attachment"),
        });
    }
    Adapted::Resources(lifted)
}

/// `aws_lb_listener` / `aws_alb_listener`: the listener's protocol.
pub(super) fn listener(
    tf: &Tf<'_>,
    context: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let props = props.set("Protocol", listener_protocol(tf, context));
    super::mapping::finish(tf, props, mapping)
}

/// A listener's protocol; unset on an Application Load Balancer, the AWS
/// provider sends HTTP (its documented default), so that is what is deployed.
fn listener_protocol(tf: &Tf<'_>, context: &Context<'_>) -> Option<Value> {
    let written = tf.attr("protocol");
    let computed =
        written.is_some_and(|v| matches!(v.kind, ValueKind::Unknown(_))) && !tf.configured("protocol");
    if written.is_some() && !computed {
        return written.cloned();
    }
    let application = match tf.attr("load_balancer_arn").map(|v| &v.kind) {
        Some(ValueKind::Ref(r)) => context.resource(&r.target).is_some_and(|balancer| {
            matches!(balancer.tf_type.as_str(), "aws_lb" | "aws_alb")
                && attr(&balancer.values, "load_balancer_type")
                    .is_none_or(|t| t.as_str() == Some("application"))
        }),
        Some(ValueKind::String(arn)) => arn.contains(":loadbalancer/app/"),
        _ => false,
    };
    application.then(|| defaulted(tf.span(), ValueKind::String("HTTP".to_string())))
}
