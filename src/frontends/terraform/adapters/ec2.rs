//! EC2 hooks: block device mappings, which Terraform writes as several kinds
//! of blocks (a root device only when written) and CloudFormation as one list.

use super::build::{Props, Tf, attr, blocks, text};
use super::mapping::TypeMapping;
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

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

/// `aws_instance` and `aws_launch_configuration`: their device blocks.
pub(super) fn instance_devices(
    tf: &Tf<'_>,
    _: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let props = props.list("BlockDeviceMappings", device_mappings(tf), tf.span());
    super::mapping::finish(tf, props, mapping)
}

/// `aws_launch_template`: its `block_device_mappings` blocks, in
/// `LaunchTemplateData`; `no_device` counts only as a text.
pub(super) fn launch_template_devices(
    tf: &Tf<'_>,
    _: &Context<'_>,
    mut props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
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
    if !mappings.is_empty()
        && let Some(data) = props.0.iter_mut().find(|p| p.key == "LaunchTemplateData")
        && let ValueKind::Map(fields) = &mut data.value.kind
    {
        let span = tf.span_of("block_device_mappings");
        fields.push(super::build::prop(
            "BlockDeviceMappings",
            Value::new(span, ValueKind::List(mappings)),
        ));
    }
    super::mapping::finish(tf, props, mapping)
}
