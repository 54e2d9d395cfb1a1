//! VPC networking: VPCs, subnets, flow logs, security groups and their rules.

use super::build::{Props, Tf, attr, defaulted, text};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

/// A Terraform rule's fields as a CloudFormation rule. Source lists stay
/// lists; SG-RULES turns a rule with several sources into one rule each.
fn rule(block: &Value) -> Props {
    let list = |key: &str| {
        attr(block, key).filter(|v| !matches!(&v.kind, ValueKind::List(items) if items.is_empty()))
    };
    Props::new()
        .copy("IpProtocol", attr(block, "protocol"))
        .copy("FromPort", attr(block, "from_port"))
        .copy("ToPort", attr(block, "to_port"))
        .copy("CidrIp", list("cidr_blocks"))
        .copy("CidrIpv6", list("ipv6_cidr_blocks"))
        .copy("SourcePrefixListId", list("prefix_list_ids"))
        .copy("Description", attr(block, "description"))
}

/// `aws_security_group` / `aws_default_security_group` with inline rules.
/// Unlike CloudFormation, Terraform removes AWS's allow-all egress rule
/// unless egress blocks are written: no egress blocks is no egress.
pub(super) fn security_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let rules = |key: &str| -> Vec<Value> {
        tf.blocks(key)
            .into_iter()
            .map(|b| {
                rule(b)
                    .copy(
                        if key == "ingress" {
                            "SourceSecurityGroupId"
                        } else {
                            "DestinationSecurityGroupId"
                        },
                        attr(b, "security_groups")
                            .filter(|v| !matches!(&v.kind, ValueKind::List(i) if i.is_empty())),
                    )
                    .into_value(b.span)
            })
            .collect()
    };
    let egress = match tf.attr("egress") {
        Some(v) if !matches!(v.kind, ValueKind::Unknown(_)) || tf.configured("egress") => {
            Value::new(v.span, ValueKind::List(rules("egress")))
        }
        _ => defaulted(tf.span(), ValueKind::List(Vec::new())),
    };
    let name = match tf.resource.tf_type.as_str() {
        "aws_default_security_group" => Some(text(tf.span(), "default")),
        _ => tf.attr("name").cloned(),
    };
    tf.lift(
        "AWS::EC2::SecurityGroup",
        Props::new()
            .set("GroupName", name)
            .copy("GroupDescription", tf.attr("description"))
            .copy("VpcId", tf.attr("vpc_id"))
            .set(
                "SecurityGroupIngress",
                Some(Value::new(
                    tf.span_of("ingress"),
                    ValueKind::List(rules("ingress")),
                )),
            )
            .set("SecurityGroupEgress", Some(egress)),
    )
}

/// `aws_security_group_rule` -> a standalone ingress or egress rule.
pub(super) fn security_group_rule(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let egress = tf.attr("type").and_then(Value::as_str) == Some("egress");
    let source = if tf.attr("self").and_then(|s| match s.kind {
        ValueKind::Bool(b) => Some(b),
        _ => None,
    }) == Some(true)
    {
        tf.attr("security_group_id")
    } else {
        tf.attr("source_security_group_id")
    };
    let props = rule(&tf.resource.values)
        .copy("GroupId", tf.attr("security_group_id"))
        .copy(
            if egress {
                "DestinationSecurityGroupId"
            } else {
                "SourceSecurityGroupId"
            },
            source,
        );
    let kind = if egress {
        "AWS::EC2::SecurityGroupEgress"
    } else {
        "AWS::EC2::SecurityGroupIngress"
    };
    tf.lift(kind, props)
}

fn vpc_rule(tf: &Tf<'_>, egress: bool) -> Adapted {
    let props = Props::new()
        .copy("GroupId", tf.attr("security_group_id"))
        .copy("IpProtocol", tf.attr("ip_protocol"))
        .copy("FromPort", tf.attr("from_port"))
        .copy("ToPort", tf.attr("to_port"))
        .copy("CidrIp", tf.attr("cidr_ipv4"))
        .copy("CidrIpv6", tf.attr("cidr_ipv6"))
        .copy(
            if egress {
                "DestinationPrefixListId"
            } else {
                "SourcePrefixListId"
            },
            tf.attr("prefix_list_id"),
        )
        .copy(
            if egress {
                "DestinationSecurityGroupId"
            } else {
                "SourceSecurityGroupId"
            },
            tf.attr("referenced_security_group_id"),
        )
        .copy("Description", tf.attr("description"));
    let kind = if egress {
        "AWS::EC2::SecurityGroupEgress"
    } else {
        "AWS::EC2::SecurityGroupIngress"
    };
    tf.lift(kind, props)
}

/// `aws_vpc_security_group_ingress_rule` -> a standalone ingress rule.
pub(super) fn vpc_security_group_ingress_rule(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    vpc_rule(tf, false)
}

/// `aws_vpc_security_group_egress_rule` -> a standalone egress rule.
pub(super) fn vpc_security_group_egress_rule(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    vpc_rule(tf, true)
}

/// `aws_vpc` / `aws_default_vpc`.
pub(super) fn vpc(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::VPC",
        Props::new().copy("CidrBlock", tf.attr("cidr_block")),
    )
}

/// `aws_subnet`.
pub(super) fn subnet(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::Subnet",
        Props::new()
            .copy("VpcId", tf.attr("vpc_id"))
            .copy("CidrBlock", tf.attr("cidr_block"))
            .copy("MapPublicIpOnLaunch", tf.attr("map_public_ip_on_launch")),
    )
}

/// `aws_flow_log`: the attribute that names the logged resource gives its type.
pub(super) fn flow_log(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let target = [
        ("vpc_id", "VPC"),
        ("subnet_id", "Subnet"),
        ("eni_id", "NetworkInterface"),
        ("transit_gateway_id", "TransitGateway"),
        ("transit_gateway_attachment_id", "TransitGatewayAttachment"),
    ]
    .into_iter()
    .find_map(|(key, kind)| tf.attr(key).map(|v| (v, kind)));
    let props = match target {
        Some((id, kind)) => Props::new()
            .set("ResourceType", Some(text(id.span, kind)))
            .copy("ResourceId", Some(id)),
        None => Props::new(),
    };
    tf.lift(
        "AWS::EC2::FlowLog",
        props
            .copy("TrafficType", tf.attr("traffic_type"))
            .copy("LogDestinationType", tf.attr("log_destination_type"))
            .copy("LogDestination", tf.attr("log_destination")),
    )
}

/// `aws_ec2_transit_gateway`.
pub(super) fn transit_gateway(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::TransitGateway",
        Props::new()
            .copy(
                "AutoAcceptSharedAttachments",
                tf.attr("auto_accept_shared_attachments"),
            )
            .copy(
                "DefaultRouteTableAssociation",
                tf.attr("default_route_table_association"),
            )
            .copy(
                "DefaultRouteTablePropagation",
                tf.attr("default_route_table_propagation"),
            ),
    )
}
