//! The CIS 3.x monitoring chain: log groups, metric filters, alarms and SNS
//! subscriptions (trail -> log group -> metric filter -> alarm -> topic ->
//! subscription).

use super::build::{Props, Tf, attr, blocks};
use super::{Adapted, Context};
use crate::graph::Value;

/// `aws_cloudwatch_log_group` -> `AWS::Logs::LogGroup`.
pub(super) fn log_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Logs::LogGroup",
        tf.props(&[
            ("name", "LogGroupName"),
            ("kms_key_id", "KmsKeyId"),
            ("retention_in_days", "RetentionInDays"),
        ]),
    )
}

/// `aws_cloudwatch_log_metric_filter` -> `AWS::Logs::MetricFilter`; the
/// `metric_transformation` blocks become `MetricTransformations`.
pub(super) fn metric_filter(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let transformations: Vec<Value> = tf
        .blocks("metric_transformation")
        .into_iter()
        .map(|t| {
            Props::new()
                .copy("MetricName", attr(t, "name"))
                .copy("MetricNamespace", attr(t, "namespace"))
                .copy("MetricValue", attr(t, "value"))
                .into_value(t.span)
        })
        .collect();
    tf.lift(
        "AWS::Logs::MetricFilter",
        tf.props(&[("log_group_name", "LogGroupName"), ("pattern", "FilterPattern")])
            .list(
                "MetricTransformations",
                transformations,
                tf.span_of("metric_transformation"),
            ),
    )
}

/// `aws_cloudwatch_metric_alarm` -> `AWS::CloudWatch::Alarm`; metric-math
/// `metric_query` blocks become `Metrics[].MetricStat.Metric`.
pub(super) fn metric_alarm(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let metrics: Vec<Value> = tf
        .blocks("metric_query")
        .into_iter()
        .map(|q| {
            let stat = blocks(q, "metric").first().map(|m| {
                let metric = Props::new()
                    .copy("MetricName", attr(m, "metric_name"))
                    .copy("Namespace", attr(m, "namespace"))
                    .into_value(m.span);
                Props::new().set("Metric", Some(metric)).into_value(m.span)
            });
            Props::new()
                .copy("Id", attr(q, "id"))
                .set("MetricStat", stat)
                .into_value(q.span)
        })
        .collect();
    tf.lift(
        "AWS::CloudWatch::Alarm",
        tf.props(&[
            ("metric_name", "MetricName"),
            ("namespace", "Namespace"),
            ("alarm_actions", "AlarmActions"),
            ("actions_enabled", "ActionsEnabled"),
        ])
        .list("Metrics", metrics, tf.span_of("metric_query")),
    )
}

/// `aws_sns_topic_subscription` -> `AWS::SNS::Subscription`.
pub(super) fn topic_subscription(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SNS::Subscription",
        tf.props(&[
            ("topic_arn", "TopicArn"),
            ("protocol", "Protocol"),
            ("endpoint", "Endpoint"),
        ]),
    )
}
