//! SQS queues and SNS topics, and their policies.

use std::borrow::Cow;

use super::build::{Props, Tf};
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_sqs_queue`; a `policy` written on it becomes an `AWS::SQS::QueueInlinePolicy`.
pub(super) fn sqs_queue(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let queue = Props::new()
        .copy("QueueName", tf.attr("name"))
        .copy("KmsMasterKeyId", tf.attr("kms_master_key_id"))
        .copy("SqsManagedSseEnabled", tf.attr("sqs_managed_sse_enabled"));
    with_inline_policy(
        tf,
        context,
        "AWS::SQS::Queue",
        queue,
        "AWS::SQS::QueueInlinePolicy",
        "Queue",
    )
}

/// `aws_sqs_queue_policy` -> `AWS::SQS::QueueInlinePolicy` on its queue (`queue_url`).
pub(super) fn sqs_queue_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SQS::QueueInlinePolicy",
        Props::new()
            .copy("Queue", tf.attr("queue_url"))
            .set("PolicyDocument", super::iam::document(tf, "policy", context)),
    )
}

/// `aws_sns_topic`; a `policy` written on it becomes an `AWS::SNS::TopicInlinePolicy`.
pub(super) fn sns_topic(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let topic = Props::new()
        .copy("TopicName", tf.attr("name"))
        .copy("KmsMasterKeyId", tf.attr("kms_master_key_id"));
    with_inline_policy(
        tf,
        context,
        "AWS::SNS::Topic",
        topic,
        "AWS::SNS::TopicInlinePolicy",
        "TopicArn",
    )
}

/// `aws_sns_topic_policy` -> `AWS::SNS::TopicInlinePolicy` on its topic (`arn`).
pub(super) fn sns_topic_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SNS::TopicInlinePolicy",
        Props::new()
            .copy("TopicArn", tf.attr("arn"))
            .set("PolicyDocument", super::iam::document(tf, "policy", context)),
    )
}

/// The resource of `kind`, plus — when the Terraform resource writes a
/// `policy` — the separate inline-policy resource CloudFormation would have
/// (`<address>#policy`), naming the resource through `target_key`.
fn with_inline_policy(
    tf: &Tf<'_>,
    context: &Context<'_>,
    kind: &'static str,
    props: Props,
    policy_kind: &'static str,
    target_key: &str,
) -> Adapted {
    let span = tf.span();
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed(kind),
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
