//! EC2: volumes, instances, launch templates and configurations, EBS
//! defaults, and the image lookups (`data "aws_ami"`) their image ids come from.

use super::build::{Props, Tf, attr, blocks, first_block, text};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

/// `aws_ebs_volume`.
pub(super) fn volume(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::Volume",
        Props::new()
            .copy("AvailabilityZone", tf.attr("availability_zone"))
            .copy("Size", tf.attr("size"))
            .copy("Encrypted", tf.attr("encrypted"))
            .copy("KmsKeyId", tf.attr("kms_key_id"))
            .copy("SnapshotId", tf.attr("snapshot_id")),
    )
}

/// `data "aws_ami"` -> the canonical [`crate::graph::IMAGE_LOOKUP`]: the
/// query the image id comes from, named after EC2's DescribeImages
/// (`Owners`, `Filters` as `{Name, Values}`, `ExecutableUsers`,
/// `IncludeDeprecated`) and the provider's own narrowing (`NameRegex`,
/// `MostRecent`). What the lookup found (its id, name, owner) is known only
/// at plan time and is not lifted.
pub(super) fn image_lookup(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let filters: Vec<Value> = tf
        .blocks("filter")
        .into_iter()
        .map(|f| {
            Props::new()
                .copy("Name", attr(f, "name"))
                .copy("Values", attr(f, "values"))
                .into_value(f.span)
        })
        .collect();
    tf.lift(
        crate::graph::IMAGE_LOOKUP,
        tf.props(&[
            ("owners", "Owners"),
            ("executable_users", "ExecutableUsers"),
            ("include_deprecated", "IncludeDeprecated"),
            ("name_regex", "NameRegex"),
            ("most_recent", "MostRecent"),
        ])
        .list("Filters", filters, tf.span()),
    )
}

/// An `Ebs` mapping from a Terraform device block.
fn ebs(device: &Value) -> Value {
    Props::new()
        .copy("Encrypted", attr(device, "encrypted"))
        .copy("KmsKeyId", attr(device, "kms_key_id"))
        .copy("SnapshotId", attr(device, "snapshot_id"))
        .copy("VolumeSize", attr(device, "volume_size"))
        .copy("VolumeType", attr(device, "volume_type"))
        .into_value(device.span)
}

/// `root_block_device`, `ebs_block_device` and `ephemeral_block_device` as
/// `BlockDeviceMappings`. A root device the configuration does not write
/// comes from the AMI, so it is left out (and judged unknown by the checks).
fn device_mappings(tf: &Tf<'_>) -> Vec<Value> {
    let mut mappings = Vec::new();
    if tf.configured("root_block_device") {
        for root in tf.blocks("root_block_device") {
            if matches!(root.kind, ValueKind::Map(_)) {
                mappings.push(
                    Props::new()
                        .set("DeviceName", Some(text(root.span, "(root)")))
                        .set("Ebs", Some(ebs(root)))
                        .into_value(root.span),
                );
            }
        }
    }
    for device in tf.blocks("ebs_block_device") {
        mappings.push(
            Props::new()
                .copy("DeviceName", attr(device, "device_name"))
                .set("Ebs", Some(ebs(device)))
                .into_value(device.span),
        );
    }
    for device in tf.blocks("ephemeral_block_device") {
        let no_device = attr(device, "no_device").filter(|v| v.kind == ValueKind::Bool(true));
        mappings.push(
            Props::new()
                .copy("DeviceName", attr(device, "device_name"))
                .copy("VirtualName", attr(device, "virtual_name"))
                .copy("NoDevice", no_device)
                .into_value(device.span),
        );
    }
    mappings
}

/// `aws_instance`.
pub(super) fn instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let template = tf.blocks("launch_template").first().map(|t| {
        Props::new()
            .copy("LaunchTemplateId", attr(t, "id"))
            .copy("LaunchTemplateName", attr(t, "name"))
            .copy("Version", attr(t, "version"))
            .into_value(t.span)
    });
    tf.lift(
        "AWS::EC2::Instance",
        Props::new()
            .copy("ImageId", tf.attr("ami"))
            .copy("InstanceType", tf.attr("instance_type"))
            .copy("IamInstanceProfile", tf.attr("iam_instance_profile"))
            .copy("SecurityGroupIds", tf.attr("vpc_security_group_ids"))
            .copy("SubnetId", tf.attr("subnet_id"))
            .set("MetadataOptions", metadata_options(tf))
            .set(
                "UserData",
                tf.attr("user_data")
                    .or(tf.attr("user_data_base64"))
                    .map(user_data),
            )
            .set("LaunchTemplate", template)
            .list("BlockDeviceMappings", device_mappings(tf), tf.span()),
    )
}

/// `aws_launch_template`.
pub(super) fn launch_template(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let mappings: Vec<Value> = tf
        .blocks("block_device_mappings")
        .into_iter()
        .map(|m| {
            let no_device = attr(m, "no_device").filter(|v| v.as_str().is_some_and(|s| !s.is_empty()));
            Props::new()
                .copy("DeviceName", attr(m, "device_name"))
                .copy("VirtualName", attr(m, "virtual_name"))
                .copy("NoDevice", no_device)
                .set("Ebs", blocks(m, "ebs").first().map(|e| ebs(e)))
                .into_value(m.span)
        })
        .collect();
    let profile = first_block(
        &tf.resource.values,
        "iam_instance_profile",
        &[("arn", "Arn"), ("name", "Name")],
    );
    let data = Props::new()
        .copy("ImageId", tf.attr("image_id"))
        .set("UserData", tf.attr("user_data").map(user_data))
        .set("IamInstanceProfile", profile)
        .set("MetadataOptions", metadata_options(tf))
        .copy("SecurityGroupIds", tf.attr("vpc_security_group_ids"))
        .list(
            "BlockDeviceMappings",
            mappings,
            tf.span_of("block_device_mappings"),
        )
        .into_value(tf.span());
    tf.lift(
        "AWS::EC2::LaunchTemplate",
        Props::new()
            .copy("LaunchTemplateName", tf.attr("name"))
            .set("LaunchTemplateData", Some(data)),
    )
}

/// `aws_launch_configuration`.
pub(super) fn launch_configuration(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::AutoScaling::LaunchConfiguration",
        Props::new()
            .copy("ImageId", tf.attr("image_id"))
            .copy("InstanceType", tf.attr("instance_type"))
            .copy("IamInstanceProfile", tf.attr("iam_instance_profile"))
            .copy("SecurityGroups", tf.attr("security_groups"))
            .set("MetadataOptions", metadata_options(tf))
            .list("BlockDeviceMappings", device_mappings(tf), tf.span()),
    )
}

/// The `metadata_options` block as CloudFormation's `MetadataOptions`.
fn metadata_options(tf: &Tf<'_>) -> Option<Value> {
    first_block(
        &tf.resource.values,
        "metadata_options",
        &[
            ("http_tokens", "HttpTokens"),
            ("http_endpoint", "HttpEndpoint"),
            ("http_put_response_hop_limit", "HttpPutResponseHopLimit"),
        ],
    )
}

/// `aws_autoscaling_group`: its launch template or launch configuration.
pub(super) fn autoscaling_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let template = first_block(
        &tf.resource.values,
        "launch_template",
        &[
            ("id", "LaunchTemplateId"),
            ("name", "LaunchTemplateName"),
            ("version", "Version"),
        ],
    );
    tf.lift(
        "AWS::AutoScaling::AutoScalingGroup",
        Props::new()
            .set("LaunchTemplate", template)
            .copy("LaunchConfigurationName", tf.attr("launch_configuration")),
    )
}

/// `aws_ebs_encryption_by_default` -> the canonical `AWS::EC2::EBSEncryptionByDefault`.
pub(super) fn encryption_by_default(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::EBSEncryptionByDefault",
        Props::new().or_default("Enabled", tf.attr("enabled"), ValueKind::Bool(true), tf.span()),
    )
}

/// User data as the text the instance receives, as CloudFormation's graph
/// holds it (`Fn::Base64` of the text): Terraform's base64 forms
/// (`user_data_base64`, a launch template's `user_data`) are decoded when known.
fn user_data(value: &Value) -> Value {
    use base64::Engine as _;
    let decoded = value
        .as_str()
        .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match decoded {
        Some(text) => Value {
            span: value.span,
            kind: ValueKind::String(text),
            origin: value.origin.clone(),
        },
        None => value.clone(),
    }
}
