//! CloudTrail trails.

use super::build::{Props, Tf, attr, blocks};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

/// `aws_cloudtrail`. Where Terraform's default differs from CloudFormation's
/// behaviour when a property is absent (`enable_logging` defaults to true),
/// the default is written in.
pub(super) fn trail(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let selectors: Vec<Value> = tf
        .blocks("event_selector")
        .into_iter()
        .map(|s| {
            let resources: Vec<Value> = blocks(s, "data_resource")
                .into_iter()
                .map(|d| {
                    Props::new()
                        .copy("Type", attr(d, "type"))
                        .copy("Values", attr(d, "values"))
                        .into_value(d.span)
                })
                .collect();
            Props::new()
                .copy("IncludeManagementEvents", attr(s, "include_management_events"))
                .copy("ReadWriteType", attr(s, "read_write_type"))
                .copy(
                    "ExcludeManagementEventSources",
                    attr(s, "exclude_management_event_sources"),
                )
                .list("DataResources", resources, s.span)
                .into_value(s.span)
        })
        .collect();
    let advanced: Vec<Value> = tf
        .blocks("advanced_event_selector")
        .into_iter()
        .map(|s| {
            let fields: Vec<Value> = blocks(s, "field_selector")
                .into_iter()
                .map(|f| {
                    Props::new()
                        .copy("Field", attr(f, "field"))
                        .copy("Equals", attr(f, "equals"))
                        .copy("NotEquals", attr(f, "not_equals"))
                        .copy("StartsWith", attr(f, "starts_with"))
                        .copy("NotStartsWith", attr(f, "not_starts_with"))
                        .copy("EndsWith", attr(f, "ends_with"))
                        .copy("NotEndsWith", attr(f, "not_ends_with"))
                        .into_value(f.span)
                })
                .collect();
            Props::new()
                .copy("Name", attr(s, "name"))
                .list("FieldSelectors", fields, s.span)
                .into_value(s.span)
        })
        .collect();
    tf.lift(
        "AWS::CloudTrail::Trail",
        Props::new()
            .copy("TrailName", tf.attr("name"))
            .copy("S3BucketName", tf.attr("s3_bucket_name"))
            .or_default(
                "IsLogging",
                tf.attr("enable_logging"),
                ValueKind::Bool(true),
                tf.span(),
            )
            .copy("IsMultiRegionTrail", tf.attr("is_multi_region_trail"))
            .copy(
                "IncludeGlobalServiceEvents",
                tf.attr("include_global_service_events"),
            )
            .copy("IsOrganizationTrail", tf.attr("is_organization_trail"))
            .copy("EnableLogFileValidation", tf.attr("enable_log_file_validation"))
            .copy("KMSKeyId", tf.attr("kms_key_id"))
            .copy("CloudWatchLogsLogGroupArn", tf.attr("cloud_watch_logs_group_arn"))
            .copy("CloudWatchLogsRoleArn", tf.attr("cloud_watch_logs_role_arn"))
            .list("EventSelectors", selectors, tf.span_of("event_selector"))
            .list(
                "AdvancedEventSelectors",
                advanced,
                tf.span_of("advanced_event_selector"),
            ),
    )
}
