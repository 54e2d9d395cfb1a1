//! Security-group hooks: inline rules with Terraform's egress semantics, and
//! standalone rules whose type and source depend on their attributes.

use super::build::{Props, Tf, attr, defaulted, text};
use super::mapping::TypeMapping;
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

/// A Terraform rule's fields as a CloudFormation rule. Source lists stay
/// lists; SG-RULES turns a rule with several sources into one rule each.
fn rule(block: &Value) -> Props {
    Props::new()
        .copy("IpProtocol", attr(block, "protocol"))
        .copy("FromPort", attr(block, "from_port"))
        .copy("ToPort", attr(block, "to_port"))
        .copy("CidrIp", non_empty(block, "cidr_blocks"))
        .copy("CidrIpv6", non_empty(block, "ipv6_cidr_blocks"))
        .copy("SourcePrefixListId", non_empty(block, "prefix_list_ids"))
        .copy("Description", attr(block, "description"))
}

/// A list attribute, unless it is an empty list (a plan writes every argument).
fn non_empty<'v>(block: &'v Value, key: &str) -> Option<&'v Value> {
    attr(block, key).filter(|v| !matches!(&v.kind, ValueKind::List(items) if items.is_empty()))
}

/// `aws_security_group` / `aws_default_security_group` with inline rules.
/// Unlike CloudFormation, Terraform removes AWS's allow-all egress rule
/// unless egress blocks are written: no egress blocks is no egress.
pub(super) fn security_group(
    tf: &Tf<'_>,
    _: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let rules = |key: &str| -> Vec<Value> {
        let peer = if key == "ingress" {
            "SourceSecurityGroupId"
        } else {
            "DestinationSecurityGroupId"
        };
        tf.blocks(key)
            .into_iter()
            .map(|b| {
                rule(b)
                    .copy(peer, non_empty(b, "security_groups"))
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
    let ingress = Value::new(tf.span_of("ingress"), ValueKind::List(rules("ingress")));
    // In CloudFormation's order: the name, what the data maps, the rules.
    let mut all = Props::new().set("GroupName", name);
    all.0.extend(props.0);
    let all = all
        .set("SecurityGroupIngress", Some(ingress))
        .set("SecurityGroupEgress", Some(egress));
    super::mapping::finish(tf, all, mapping)
}

/// `aws_security_group_rule` -> a standalone ingress or egress rule (`type`);
/// `self` makes the group its own source.
pub(super) fn security_group_rule(
    tf: &Tf<'_>,
    _: &Context<'_>,
    _: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let egress = tf.attr("type").and_then(Value::as_str) == Some("egress");
    let is_self = tf.attr("self").is_some_and(|s| s.kind == ValueKind::Bool(true));
    let source = if is_self {
        tf.attr("security_group_id")
    } else {
        tf.attr("source_security_group_id")
    };
    let peer = if egress {
        "DestinationSecurityGroupId"
    } else {
        "SourceSecurityGroupId"
    };
    let props = rule(&tf.resource.values)
        .copy("GroupId", tf.attr("security_group_id"))
        .copy(peer, source);
    // The mapping lists ingress, then egress.
    let kind = mapping
        .kinds
        .get(usize::from(egress))
        .unwrap_or(&mapping.kinds[0]);
    tf.lift(kind, props)
}
