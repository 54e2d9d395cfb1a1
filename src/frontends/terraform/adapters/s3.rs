//! S3: buckets, their split configuration resources, access points, policies.

use std::borrow::Cow;

use super::build::{Props, Tf, attr, blocks, text};
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_s3_bucket` with its legacy inline configuration; an inline `policy`
/// becomes a bucket policy resource of its own, as in CloudFormation.
pub(super) fn bucket(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    // Since provider v4 the inline arguments are computed from the split
    // resources: only what the configuration writes is the bucket's own.
    let inline = |key: &str| tf.attr(key).filter(|_| tf.configured(key));
    let mut props = Props::new()
        .copy("BucketName", tf.attr("bucket"))
        .set("AccessControl", inline("acl").map(canned_acl));
    if let Some(config) = tf
        .blocks("server_side_encryption_configuration")
        .first()
        .filter(|_| tf.configured("server_side_encryption_configuration"))
    {
        props = props.set("BucketEncryption", Some(encryption_value(config, tf)));
    }
    if let Some(logging) = tf.blocks("logging").first().filter(|_| tf.configured("logging")) {
        props = props.set("LoggingConfiguration", Some(logging_value(logging, tf)));
    }
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed("AWS::S3::Bucket"),
        properties: props.into_value(tf.span()),
        suffix: None,
    }];
    if let Some(policy) = inline("policy") {
        let bucket = Value::new(
            policy.span,
            ValueKind::Ref(Box::new(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            })),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::S3::BucketPolicy"),
            properties: Props::new()
                .set("Bucket", Some(bucket))
                .copy("PolicyDocument", Some(policy))
                .into_value(policy.span),
            suffix: Some(".policy"),
        });
    }
    Adapted::Resources(lifted)
}

/// `aws_s3_bucket_policy` is CloudFormation's `AWS::S3::BucketPolicy`.
pub(super) fn bucket_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::S3::BucketPolicy",
        Props::new()
            .copy("Bucket", tf.attr("bucket"))
            .set("PolicyDocument", super::iam::document(tf, "policy", context)),
    )
}

/// `aws_s3_bucket_public_access_block` -> the bucket's `PublicAccessBlockConfiguration`;
/// an argument left out is false (the provider's default).
pub(super) fn public_access_block(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::S3::Bucket",
        "bucket",
        Props::new().set(
            "PublicAccessBlockConfiguration",
            Some(block_settings(&tf.resource.values, tf)),
        ),
    )
}

/// The four Block Public Access settings of a Terraform block, defaulting to false.
fn block_settings(block: &Value, tf: &Tf<'_>) -> Value {
    let setting = |key: &str| attr(block, key);
    let off = || ValueKind::Bool(false);
    Props::new()
        .or_default("BlockPublicAcls", setting("block_public_acls"), off(), tf.span())
        .or_default(
            "IgnorePublicAcls",
            setting("ignore_public_acls"),
            off(),
            tf.span(),
        )
        .or_default(
            "BlockPublicPolicy",
            setting("block_public_policy"),
            off(),
            tf.span(),
        )
        .or_default(
            "RestrictPublicBuckets",
            setting("restrict_public_buckets"),
            off(),
            tf.span(),
        )
        .into_value(block.span)
}

/// `aws_s3_bucket_acl` -> the bucket's `AccessControl` (a canned ACL, or the
/// canned ACL its grants amount to).
pub(super) fn acl(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let access = tf.attr("acl").map(canned_acl).or_else(|| grants_acl(tf));
    tf.join(
        "AWS::S3::Bucket",
        "bucket",
        Props::new().set("AccessControl", access),
    )
}

/// Grants to everyone or to any authenticated AWS user, as a canned ACL.
fn grants_acl(tf: &Tf<'_>) -> Option<Value> {
    let policy = tf.blocks("access_control_policy");
    let mut read = None;
    let mut write = false;
    for grant in policy.iter().flat_map(|p| blocks(p, "grant")) {
        let permission = attr(grant, "permission").and_then(Value::as_str).unwrap_or("");
        for grantee in blocks(grant, "grantee") {
            let uri = attr(grantee, "uri").and_then(Value::as_str).unwrap_or("");
            let everyone = uri.ends_with("/global/AllUsers");
            if everyone || uri.ends_with("/global/AuthenticatedUsers") {
                read = Some((grantee.span, everyone));
                write |= everyone && matches!(permission, "WRITE" | "FULL_CONTROL");
            }
        }
    }
    let (span, everyone) = read?;
    let canned = match (everyone, write) {
        (true, true) => "PublicReadWrite",
        (true, false) => "PublicRead",
        (false, _) => "AuthenticatedRead",
    };
    Some(text(span, canned))
}

/// Terraform's canned ACL names (`public-read`) as CloudFormation's (`PublicRead`).
fn canned_acl(value: &Value) -> Value {
    let Some(name) = value.as_str() else {
        return value.clone();
    };
    let canned = match name {
        "private" => "Private",
        "public-read" => "PublicRead",
        "public-read-write" => "PublicReadWrite",
        "authenticated-read" => "AuthenticatedRead",
        "aws-exec-read" => "AwsExecRead",
        "bucket-owner-read" => "BucketOwnerRead",
        "bucket-owner-full-control" => "BucketOwnerFullControl",
        "log-delivery-write" => "LogDeliveryWrite",
        other => other,
    };
    Value {
        kind: ValueKind::String(canned.to_string()),
        ..value.clone()
    }
}

/// `aws_s3_bucket_logging` -> the bucket's `LoggingConfiguration`.
pub(super) fn logging(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::S3::Bucket",
        "bucket",
        Props::new().set(
            "LoggingConfiguration",
            Some(logging_value(&tf.resource.values, tf)),
        ),
    )
}

fn logging_value(block: &Value, tf: &Tf<'_>) -> Value {
    Props::new()
        .copy("DestinationBucketName", attr(block, "target_bucket"))
        .copy("LogFilePrefix", attr(block, "target_prefix"))
        .into_value(if block.span.is_empty() {
            tf.span()
        } else {
            block.span
        })
}

/// `aws_s3_bucket_server_side_encryption_configuration` -> the bucket's `BucketEncryption`.
pub(super) fn encryption(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::S3::Bucket",
        "bucket",
        Props::new().set(
            "BucketEncryption",
            Some(encryption_value(&tf.resource.values, tf)),
        ),
    )
}

/// `rule { apply_server_side_encryption_by_default { sse_algorithm } }` blocks
/// as `ServerSideEncryptionConfiguration` entries.
fn encryption_value(config: &Value, tf: &Tf<'_>) -> Value {
    let rules: Vec<Value> = blocks(config, "rule")
        .into_iter()
        .map(|rule| {
            let by_default = blocks(rule, "apply_server_side_encryption_by_default")
                .first()
                .map(|d| {
                    Props::new()
                        .copy("SSEAlgorithm", attr(d, "sse_algorithm"))
                        .copy("KMSMasterKeyID", attr(d, "kms_master_key_id"))
                        .into_value(d.span)
                });
            Props::new()
                .set("ServerSideEncryptionByDefault", by_default)
                .copy("BucketKeyEnabled", attr(rule, "bucket_key_enabled"))
                .into_value(rule.span)
        })
        .collect();
    Props::new()
        .list("ServerSideEncryptionConfiguration", rules, config.span)
        .into_value(if config.span.is_empty() {
            tf.span()
        } else {
            config.span
        })
}

/// `aws_s3_access_point`; without a block, AWS turns all four settings on.
pub(super) fn access_point(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let block = tf
        .blocks("public_access_block_configuration")
        .first()
        .map(|b| block_settings(b, tf));
    tf.lift(
        "AWS::S3::AccessPoint",
        Props::new()
            .copy("Bucket", tf.attr("bucket"))
            .copy("Name", tf.attr("name"))
            .set("Policy", super::iam::document(tf, "policy", context))
            .set("PublicAccessBlockConfiguration", block),
    )
}

/// `aws_s3control_access_point_policy` -> its access point's `Policy`.
pub(super) fn access_point_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::S3::AccessPoint",
        "access_point_arn",
        Props::new().set("Policy", super::iam::document(tf, "policy", context)),
    )
}

/// `aws_s3_account_public_access_block` -> the canonical `AWS::S3::AccountPublicAccessBlock`.
pub(super) fn account_public_access_block(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let settings = block_settings(&tf.resource.values, tf);
    let ValueKind::Map(props) = settings.kind else {
        unreachable!("block settings are a map")
    };
    tf.lift("AWS::S3::AccountPublicAccessBlock", Props(props))
}
