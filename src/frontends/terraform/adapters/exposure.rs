//! Settings that decide internet exposure: CloudFront viewer protocols, ECS
//! service public IPs, EKS node-group SSH, SSM parameter types and RAM shares.

use super::build::{Props, Tf, attr, first_block};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

/// `aws_cloudfront_distribution`: the cache behaviours' viewer protocol policies
/// under `DistributionConfig`, as CloudFormation nests them.
pub(super) fn cloudfront_distribution(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let behaviour = |b: &Value| {
        Props::new()
            .copy("PathPattern", attr(b, "path_pattern"))
            .copy("ViewerProtocolPolicy", attr(b, "viewer_protocol_policy"))
            .into_value(b.span)
    };
    let default = tf.blocks("default_cache_behavior").first().map(|b| behaviour(b));
    let ordered: Vec<Value> = tf
        .blocks("ordered_cache_behavior")
        .into_iter()
        .map(behaviour)
        .collect();
    let certificate = first_block(
        &tf.resource.values,
        "viewer_certificate",
        &[
            ("minimum_protocol_version", "MinimumProtocolVersion"),
            ("cloudfront_default_certificate", "CloudFrontDefaultCertificate"),
        ],
    );
    let config = Props::new()
        .set("DefaultCacheBehavior", default)
        .list("CacheBehaviors", ordered, tf.span_of("ordered_cache_behavior"))
        .set("ViewerCertificate", certificate)
        .into_value(tf.span());
    tf.lift(
        "AWS::CloudFront::Distribution",
        Props::new().set("DistributionConfig", Some(config)),
    )
}

/// `aws_ecs_service`: `network_configuration.assign_public_ip` (a bool,
/// default false) becomes CloudFormation's `ENABLED` / `DISABLED`.
pub(super) fn ecs_service(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let network = tf.blocks("network_configuration").first().map(|n| {
        let assign = attr(n, "assign_public_ip").map(|v| match v.kind {
            ValueKind::Bool(on) => Value {
                kind: ValueKind::String(if on { "ENABLED" } else { "DISABLED" }.to_string()),
                ..v.clone()
            },
            _ => v.clone(),
        });
        let awsvpc = Props::new()
            .set("AssignPublicIp", assign)
            .copy("Subnets", attr(n, "subnets"))
            .copy("SecurityGroups", attr(n, "security_groups"))
            .into_value(n.span);
        Props::new()
            .set("AwsvpcConfiguration", Some(awsvpc))
            .into_value(n.span)
    });
    tf.lift(
        "AWS::ECS::Service",
        Props::new().set("NetworkConfiguration", network),
    )
}

/// `aws_eks_node_group`: the `remote_access` block becomes `RemoteAccess`.
pub(super) fn eks_node_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let remote = first_block(
        &tf.resource.values,
        "remote_access",
        &[
            ("ec2_ssh_key", "Ec2SshKey"),
            ("source_security_group_ids", "SourceSecurityGroups"),
        ],
    );
    tf.lift("AWS::EKS::Nodegroup", Props::new().set("RemoteAccess", remote))
}

/// `aws_ssm_parameter` (`type` String, StringList or SecureString).
pub(super) fn ssm_parameter(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SSM::Parameter",
        tf.props(&[
            ("name", "Name"),
            ("type", "Type"),
            ("value", "Value"),
            ("key_id", "KeyId"),
        ]),
    )
}

/// `aws_ram_resource_share`: `allow_external_principals` defaults to false
/// in Terraform (CloudFormation's default is true).
pub(super) fn ram_resource_share(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::RAM::ResourceShare",
        tf.props(&[("name", "Name")]).or_default(
            "AllowExternalPrincipals",
            tf.attr("allow_external_principals"),
            ValueKind::Bool(false),
            tf.span(),
        ),
    )
}

/// `aws_ami_launch_permission` -> the canonical `AWS::EC2::AMILaunchPermission`.
pub(super) fn ami_launch_permission(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::AMILaunchPermission",
        tf.props(&[
            ("image_id", "ImageId"),
            ("group", "Group"),
            ("account_id", "AccountId"),
            ("organization_arn", "OrganizationArn"),
        ]),
    )
}

/// `aws_snapshot_create_volume_permission` -> the canonical
/// `AWS::EC2::SnapshotCreateVolumePermission`.
pub(super) fn snapshot_volume_permission(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::SnapshotCreateVolumePermission",
        tf.props(&[("snapshot_id", "SnapshotId"), ("account_id", "AccountId")]),
    )
}

/// `aws_db_snapshot` / `aws_db_cluster_snapshot` -> the canonical
/// `AWS::RDS::DBSnapshot` / `AWS::RDS::DBClusterSnapshot` with `SharedAccounts`.
pub(super) fn db_snapshot(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let kind = if tf.resource.tf_type == "aws_db_cluster_snapshot" {
        "AWS::RDS::DBClusterSnapshot"
    } else {
        "AWS::RDS::DBSnapshot"
    };
    tf.lift(kind, tf.props(&[("shared_accounts", "SharedAccounts")]))
}
