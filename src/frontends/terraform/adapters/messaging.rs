//! SQS and SNS hooks: a policy written on a queue or topic becomes the
//! separate inline-policy resource CloudFormation would have.

use std::borrow::Cow;

use super::build::{Props, Tf};
use super::mapping::TypeMapping;
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_sqs_queue`; a `policy` written on it becomes an `AWS::SQS::QueueInlinePolicy`.
pub(super) fn sqs_queue(
    tf: &Tf<'_>,
    context: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    with_inline_policy(
        tf,
        context,
        props,
        mapping,
        "AWS::SQS::QueueInlinePolicy",
        "Queue",
    )
}

/// `aws_sns_topic`; a `policy` written on it becomes an `AWS::SNS::TopicInlinePolicy`.
pub(super) fn sns_topic(
    tf: &Tf<'_>,
    context: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    with_inline_policy(
        tf,
        context,
        props,
        mapping,
        "AWS::SNS::TopicInlinePolicy",
        "TopicArn",
    )
}

/// The resource, plus — when the Terraform resource writes a `policy` — the
/// separate inline-policy resource CloudFormation would have
/// (`<address>#policy`), naming the resource through `target_key`.
fn with_inline_policy(
    tf: &Tf<'_>,
    context: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
    policy_kind: &'static str,
    target_key: &str,
) -> Adapted {
    let span = tf.span();
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed(&mapping.kinds[0]),
        properties: props.into_value(span),
        suffix: None,
    }];
    if let Some(policy) = tf.attr("policy") {
        let this = Value::new(
            policy.span,
            ValueKind::Ref(Box::new(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            })),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed(policy_kind),
            properties: Props::new()
                .set(target_key, Some(this))
                .set("PolicyDocument", Some(super::iam::document_of(policy, context)))
                .into_value(span),
            suffix: Some("#policy"),
        });
    }
    Adapted::Resources(lifted)
}
