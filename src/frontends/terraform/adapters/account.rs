//! Account-level settings and detectors the account-baseline checks look for:
//! the password policy, alternate contacts, GuardDuty and AWS Config.

use super::build::{Tf, first_block};
use super::{Adapted, Context};
use crate::graph::ValueKind;

/// `aws_iam_account_password_policy` -> the canonical
/// `AWS::IAM::AccountPasswordPolicy` (CloudFormation has none); omitted
/// arguments stay absent: the API then requires nothing.
pub(super) fn password_policy(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::AccountPasswordPolicy",
        tf.props(&[
            ("minimum_password_length", "MinimumPasswordLength"),
            ("require_uppercase_characters", "RequireUppercaseCharacters"),
            ("require_lowercase_characters", "RequireLowercaseCharacters"),
            ("require_symbols", "RequireSymbols"),
            ("require_numbers", "RequireNumbers"),
            ("password_reuse_prevention", "PasswordReusePrevention"),
            ("max_password_age", "MaxPasswordAge"),
            ("allow_users_to_change_password", "AllowUsersToChangePassword"),
        ]),
    )
}

/// `aws_account_alternate_contact` -> the canonical `AWS::Account::AlternateContact`.
pub(super) fn alternate_contact(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Account::AlternateContact",
        tf.props(&[
            ("alternate_contact_type", "AlternateContactType"),
            ("email_address", "EmailAddress"),
            ("name", "Name"),
            ("phone_number", "PhoneNumber"),
        ]),
    )
}

/// `aws_guardduty_detector` -> `AWS::GuardDuty::Detector` (`enable` defaults to true).
pub(super) fn guardduty_detector(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::GuardDuty::Detector",
        tf.props(&[])
            .or_default("Enable", tf.attr("enable"), ValueKind::Bool(true), tf.span()),
    )
}

/// `aws_config_configuration_recorder` -> `AWS::Config::ConfigurationRecorder`.
pub(super) fn config_recorder(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let group = first_block(
        &tf.resource.values,
        "recording_group",
        &[
            ("all_supported", "AllSupported"),
            ("include_global_resource_types", "IncludeGlobalResourceTypes"),
            ("resource_types", "ResourceTypes"),
        ],
    );
    tf.lift(
        "AWS::Config::ConfigurationRecorder",
        tf.props(&[("name", "Name"), ("role_arn", "RoleARN")])
            .set("RecordingGroup", group),
    )
}

/// `aws_config_delivery_channel` -> `AWS::Config::DeliveryChannel`.
pub(super) fn config_delivery_channel(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Config::DeliveryChannel",
        tf.props(&[("name", "Name"), ("s3_bucket_name", "S3BucketName")]),
    )
}
