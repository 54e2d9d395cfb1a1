//! Routing and placement: internet gateways, route tables, routes, subnet
//! groups, load balancers and EMR clusters — what SUBNET-CLASS and the
//! listener checks walk.

use std::borrow::Cow;

use super::build::{Props, Tf, attr, defaulted, first_block, text};
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_internet_gateway`: the gateway, and (with `vpc_id`) its attachment
/// as CloudFormation declares it, so "the VPC has an internet gateway" reads alike.
pub(super) fn internet_gateway(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed("AWS::EC2::InternetGateway"),
        properties: Props::new().into_value(tf.span()),
        suffix: None,
    }];
    if let Some(vpc) = tf.attr("vpc_id") {
        let gateway = Value::new(
            tf.span(),
            ValueKind::Ref(Box::new(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            })),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::EC2::VPCGatewayAttachment"),
            properties: Props::new()
                .copy("VpcId", Some(vpc))
                .set("InternetGatewayId", Some(gateway))
                .into_value(tf.span()),
            suffix: Some(".attachment"),
        });
    }
    Adapted::Resources(lifted)
}

/// The route fields shared by `aws_route` and `aws_route_table`'s `route` blocks.
fn route(value: &Value) -> Props {
    Props::new()
        .copy(
            "DestinationCidrBlock",
            attr(value, "destination_cidr_block").or(attr(value, "cidr_block")),
        )
        .copy(
            "DestinationIpv6CidrBlock",
            attr(value, "destination_ipv6_cidr_block").or(attr(value, "ipv6_cidr_block")),
        )
        .copy("GatewayId", attr(value, "gateway_id"))
        .copy("NatGatewayId", attr(value, "nat_gateway_id"))
        .copy("VpcPeeringConnectionId", attr(value, "vpc_peering_connection_id"))
        .copy("TransitGatewayId", attr(value, "transit_gateway_id"))
}

/// `aws_route_table`: inline `route` blocks are kept on the table as
/// `Routes` (CloudFormation declares each as an `AWS::EC2::Route`).
pub(super) fn route_table(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let routes: Vec<Value> = tf
        .blocks("route")
        .into_iter()
        .map(|r| route(r).into_value(r.span))
        .collect();
    tf.lift(
        "AWS::EC2::RouteTable",
        tf.props(&[("vpc_id", "VpcId")])
            .list("Routes", routes, tf.span_of("route")),
    )
}

/// `aws_route` -> `AWS::EC2::Route`.
pub(super) fn route_resource(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::Route",
        route(&tf.resource.values).copy("RouteTableId", tf.attr("route_table_id")),
    )
}

/// `aws_route_table_association` -> `AWS::EC2::SubnetRouteTableAssociation`.
pub(super) fn route_table_association(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EC2::SubnetRouteTableAssociation",
        tf.props(&[("subnet_id", "SubnetId"), ("route_table_id", "RouteTableId")]),
    )
}

/// Subnet groups of RDS (and DocumentDB / Neptune), ElastiCache and Redshift.
pub(super) fn subnet_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let (kind, name) = match tf.resource.tf_type.as_str() {
        "aws_elasticache_subnet_group" => ("AWS::ElastiCache::SubnetGroup", "CacheSubnetGroupName"),
        "aws_redshift_subnet_group" => ("AWS::Redshift::ClusterSubnetGroup", "Name"),
        "aws_docdb_subnet_group" => ("AWS::DocDB::DBSubnetGroup", "DBSubnetGroupName"),
        "aws_neptune_subnet_group" => ("AWS::Neptune::DBSubnetGroup", "DBSubnetGroupName"),
        _ => ("AWS::RDS::DBSubnetGroup", "DBSubnetGroupName"),
    };
    tf.lift(kind, tf.props(&[("name", name), ("subnet_ids", "SubnetIds")]))
}

/// `aws_lb` / `aws_alb` -> `AWS::ElasticLoadBalancingV2::LoadBalancer`
/// (`load_balancer_type` defaults to application, `internal` to false).
pub(super) fn load_balancer(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let scheme = tf.attr("internal").map(|v| match v.kind {
        ValueKind::Bool(internal) => text(v.span, if internal { "internal" } else { "internet-facing" }),
        _ => v.clone(),
    });
    tf.lift(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        tf.props(&[("name", "Name"), ("load_balancer_type", "Type")])
            .set("Scheme", scheme)
            .copy("SecurityGroups", tf.attr("security_groups")),
    )
}

/// `aws_lb_listener` / `aws_alb_listener` -> `AWS::ElasticLoadBalancingV2::Listener`.
pub(super) fn listener(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let actions: Vec<Value> = tf
        .blocks("default_action")
        .into_iter()
        .map(|a| {
            Props::new()
                .copy("Type", attr(a, "type"))
                .set(
                    "RedirectConfig",
                    first_block(
                        a,
                        "redirect",
                        &[("protocol", "Protocol"), ("status_code", "StatusCode")],
                    ),
                )
                .into_value(a.span)
        })
        .collect();
    tf.lift(
        "AWS::ElasticLoadBalancingV2::Listener",
        tf.props(&[
            ("load_balancer_arn", "LoadBalancerArn"),
            ("port", "Port"),
            ("ssl_policy", "SslPolicy"),
        ])
        .set("Protocol", listener_protocol(tf, context))
        .list("DefaultActions", actions, tf.span_of("default_action")),
    )
}

/// A listener's protocol; unset on an Application Load Balancer, the AWS
/// provider sends HTTP (its documented default), so that is what is deployed.
fn listener_protocol(tf: &Tf<'_>, context: &Context<'_>) -> Option<Value> {
    let written = tf.attr("protocol");
    let computed =
        written.is_some_and(|v| matches!(v.kind, ValueKind::Unknown(_))) && !tf.configured("protocol");
    if written.is_some() && !computed {
        return written.cloned();
    }
    let application = match tf.attr("load_balancer_arn").map(|v| &v.kind) {
        Some(ValueKind::Ref(r)) => context.resource(&r.target).is_some_and(|balancer| {
            matches!(balancer.tf_type.as_str(), "aws_lb" | "aws_alb")
                && attr(&balancer.values, "load_balancer_type")
                    .is_none_or(|t| t.as_str() == Some("application"))
        }),
        Some(ValueKind::String(arn)) => arn.contains(":loadbalancer/app/"),
        _ => false,
    };
    application.then(|| defaulted(tf.span(), ValueKind::String("HTTP".to_string())))
}

/// `aws_elb` -> `AWS::ElasticLoadBalancing::LoadBalancer`; `lb_protocol` is
/// written in upper case as CloudFormation's `Protocol`.
pub(super) fn classic_load_balancer(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let listeners: Vec<Value> = tf
        .blocks("listener")
        .into_iter()
        .map(|l| {
            let protocol = attr(l, "lb_protocol").map(|p| match p.as_str() {
                Some(s) => Value {
                    kind: ValueKind::String(s.to_ascii_uppercase()),
                    ..p.clone()
                },
                None => p.clone(),
            });
            Props::new()
                .set("Protocol", protocol)
                .copy("LoadBalancerPort", attr(l, "lb_port"))
                .into_value(l.span)
        })
        .collect();
    tf.lift(
        "AWS::ElasticLoadBalancing::LoadBalancer",
        Props::new().list("Listeners", listeners, tf.span_of("listener")),
    )
}

/// `aws_emr_cluster` -> `AWS::EMR::Cluster` with `Instances.Ec2SubnetId(s)`.
pub(super) fn emr_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let instances = first_block(
        &tf.resource.values,
        "ec2_attributes",
        &[("subnet_id", "Ec2SubnetId"), ("subnet_ids", "Ec2SubnetIds")],
    );
    tf.lift(
        "AWS::EMR::Cluster",
        tf.props(&[("name", "Name")]).set("Instances", instances),
    )
}
