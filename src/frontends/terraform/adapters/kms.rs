//! KMS keys.

use super::build::{Props, Tf, text};
use super::{Adapted, Context};

/// `aws_kms_key`. Keys in a custom key store are not AWS_KMS-origin keys.
pub(super) fn key(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let origin = if let Some(v) = tf.attr("xks_key_id") {
        Some(text(v.span, "EXTERNAL_KEY_STORE"))
    } else {
        tf.attr("custom_key_store_id")
            .map(|v| text(v.span, "AWS_CLOUDHSM"))
    };
    tf.lift(
        "AWS::KMS::Key",
        Props::new()
            .copy("EnableKeyRotation", tf.attr("enable_key_rotation"))
            .copy(
                "KeySpec",
                tf.attr("customer_master_key_spec").or(tf.attr("key_spec")),
            )
            .copy("KeyUsage", tf.attr("key_usage"))
            .copy("RotationPeriodInDays", tf.attr("rotation_period_in_days"))
            .copy("MultiRegion", tf.attr("multi_region"))
            .set("KeyPolicy", super::iam::document(tf, "policy", context))
            .set("Origin", origin),
    )
}

/// `aws_kms_key_policy` -> the key's `KeyPolicy`.
pub(super) fn key_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::KMS::Key",
        "key_id",
        Props::new().set("KeyPolicy", super::iam::document(tf, "policy", context)),
    )
}

/// `aws_kms_external_key`: imported key material, never rotated by AWS.
pub(super) fn external_key(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::KMS::Key",
        Props::new()
            .copy("KeyUsage", tf.attr("key_usage"))
            .set("Origin", Some(text(tf.span(), "EXTERNAL"))),
    )
}

/// `aws_kms_replica_key` follows its primary key.
pub(super) fn replica_key(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::KMS::ReplicaKey",
        Props::new().copy("PrimaryKeyArn", tf.attr("primary_key_arn")),
    )
}
