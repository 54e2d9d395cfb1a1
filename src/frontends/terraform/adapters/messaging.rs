//! SQS queues and SNS topics, and their policies.

use std::borrow::Cow;

use super::build::{Props, Tf};
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_sqs_queue`; a `policy` written on the queue becomes a separate
/// `AWS::SQS::QueueInlinePolicy` (`<address>#policy`), as CloudFormation has it.
pub(super) fn sqs_queue(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let span = tf.span();
    let queue = Props::new()
        .copy("QueueName", tf.attr("name"))
        .copy("KmsMasterKeyId", tf.attr("kms_master_key_id"))
        .copy("SqsManagedSseEnabled", tf.attr("sqs_managed_sse_enabled"));
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed("AWS::SQS::Queue"),
        properties: queue.into_value(span),
        suffix: None,
    }];
    if let Some(policy) = tf.attr("policy") {
        let this = Value::new(
            policy.span,
            ValueKind::Ref(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            }),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::SQS::QueueInlinePolicy"),
            properties: Props::new()
                .set("Queue", Some(this))
                .copy("PolicyDocument", Some(policy))
                .into_value(span),
            suffix: Some("#policy"),
        });
    }
    Adapted::Resources(lifted)
}

/// `aws_sqs_queue_policy` -> `AWS::SQS::QueueInlinePolicy` on its queue (`queue_url`).
pub(super) fn sqs_queue_policy(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SQS::QueueInlinePolicy",
        Props::new()
            .copy("Queue", tf.attr("queue_url"))
            .copy("PolicyDocument", tf.attr("policy")),
    )
}

/// `aws_sns_topic`; a `policy` written on the topic becomes a separate
/// `AWS::SNS::TopicInlinePolicy` (`<address>#policy`).
pub(super) fn sns_topic(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let span = tf.span();
    let topic = Props::new()
        .copy("TopicName", tf.attr("name"))
        .copy("KmsMasterKeyId", tf.attr("kms_master_key_id"));
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed("AWS::SNS::Topic"),
        properties: topic.into_value(span),
        suffix: None,
    }];
    if let Some(policy) = tf.attr("policy") {
        let this = Value::new(
            policy.span,
            ValueKind::Ref(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            }),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::SNS::TopicInlinePolicy"),
            properties: Props::new()
                .set("TopicArn", Some(this))
                .copy("PolicyDocument", Some(policy))
                .into_value(span),
            suffix: Some("#policy"),
        });
    }
    Adapted::Resources(lifted)
}

/// `aws_sns_topic_policy` -> `AWS::SNS::TopicInlinePolicy` on its topic (`arn`).
pub(super) fn sns_topic_policy(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SNS::TopicInlinePolicy",
        Props::new()
            .copy("TopicArn", tf.attr("arn"))
            .copy("PolicyDocument", tf.attr("policy")),
    )
}
