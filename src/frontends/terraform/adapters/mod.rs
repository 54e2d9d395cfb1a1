//! Terraform resources lifted into the CloudFormation shape the checks read.
//!
//! Each Terraform type's mapping is data (`../mappings/*.toml`, read by
//! [`mapping`]; the format is `docs/terraform-mapping.md`): a CloudFormation
//! type and properties, with Rust [`HOOKS`] for what data cannot say. Split
//! configuration resources (`aws_s3_bucket_public_access_block`, ...) are
//! then *joined* into the resource they configure; two sources for one property are a conflict,
//! reported and made unknown. Types CloudFormation lacks get canonical names
//! in the same style, listed in `docs/canonical-types.md`.

mod build;
mod declarations;
mod ec2;
mod iam;
pub(crate) mod mapping;
mod messaging;
mod network;
mod s3;
mod services;
mod vpc;

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::TfResource;
use crate::diagnostics::Diagnostic;
use crate::graph::identity;
use crate::graph::mapping::SourceMapping;
use crate::graph::{Deployment, Graph, Prop, Resource, Unknowable, Value, ValueKind};

pub(crate) use build::{Tf, attr, blocks};

/// The CloudFormation-shaped resources one Terraform resource becomes.
pub(crate) struct Lifted {
    pub kind: Cow<'static, str>,
    pub properties: Value,
    /// Suffix for the address when one Terraform resource yields several.
    pub suffix: Option<&'static str>,
}

/// Configuration joined into another resource.
pub(crate) struct Join {
    /// The type of the resource joined into.
    pub into: &'static str,
    /// The attribute that names it (`bucket`).
    pub via: &'static str,
    /// The properties to set on it.
    pub properties: Vec<Prop>,
}

/// What an adapter makes of one resource.
pub(crate) enum Adapted {
    Resources(Vec<Lifted>),
    Join(Join),
}

/// A Rust hook: finishes what a type's mapping data builds (`props`) where
/// the data cannot say it, named in the data (`hook = "name"`).
pub(crate) type Hook = fn(&Tf<'_>, &Context<'_>, build::Props, &'static mapping::TypeMapping) -> Adapted;

/// Every hook, by the name the mapping data uses. What each does that the
/// data cannot: a second resource CloudFormation declares apart (an inline
/// policy, a gateway attachment), a value computed from several attributes
/// or from another resource (a listener's protocol, an ACL's grants, rules'
/// types), or a shape that needs parsing (container definitions, outputs).
const HOOKS: &[(&str, Hook)] = &[
    ("s3_inline_policy", s3::inline_policy),
    ("s3_acl_grants", s3::acl_grants),
    ("security_group", vpc::security_group),
    ("security_group_rule", vpc::security_group_rule),
    ("internet_gateway_attachment", network::internet_gateway),
    ("listener_protocol", network::listener),
    ("sqs_inline_policy", messaging::sqs_queue),
    ("sns_inline_policy", messaging::sns_topic),
    ("ecs_container_definitions", services::ecs_task_definition),
    ("output_attributes", declarations::output),
    ("instance_devices", ec2::instance_devices),
    ("launch_template_devices", ec2::launch_template_devices),
];

/// The hook of a name.
pub(crate) fn hook(name: &str) -> Option<Hook> {
    HOOKS.iter().find(|(n, _)| *n == name).map(|(_, h)| *h)
}

/// Whether a mapping lifts resources of this Terraform type.
pub fn lifts(tf_type: &str) -> bool {
    mapping::mappings().resources.contains_key(tf_type)
}

/// What adapters may look up: every resource of the unit, data sources included.
pub(crate) struct Context<'a> {
    by_address: HashMap<&'a str, &'a TfResource>,
}

impl<'a> Context<'a> {
    /// The resource (or data source) at `address`.
    pub fn resource(&self, address: &str) -> Option<&'a TfResource> {
        self.by_address.get(address).copied()
    }
}

/// Adapts a unit's Terraform resources into a graph.
pub fn adapt(mut resources: Vec<TfResource>, diagnostics: &mut Vec<Diagnostic>) -> Graph {
    let mut graph = Graph::default();
    graph.vocabulary = Some(mapping::source_types);
    graph.reserve(resources.iter().filter(|r| !r.data).count());
    // Which graph resource each Terraform resource's attributes move to afterwards.
    let mut written: Vec<(crate::graph::ResourceId, usize)> = Vec::new();
    adapt_all(&resources, &mut graph, &mut written, diagnostics);
    for (id, index) in written {
        let span = resources[index].values.span;
        let values = std::mem::replace(&mut resources[index].values, Value::new(span, ValueKind::Null));
        graph.resource_mut(id).written = Some(Box::new(values));
    }
    graph
}

fn adapt_all(
    resources: &[TfResource],
    graph: &mut Graph,
    written: &mut Vec<(crate::graph::ResourceId, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let context = Context {
        by_address: resources.iter().map(|r| (r.address.as_str(), r)).collect(),
    };
    let mappings = mapping::mappings();
    // Adapters read only their resource and its context: a large plan's are run on every core.
    // The mapping is `None` for awscc_* resources, whose properties are their attributes.
    type Adaptation<'r> = (
        Option<(usize, &'static mapping::TypeMapping)>,
        &'r TfResource,
        Adapted,
    );
    // Collected by index (`map`, not `filter_map`): rayon then writes each
    // result in place instead of gathering pieces and copying them together.
    let adapted: Vec<Option<Adaptation<'_>>> = resources
        .par_iter()
        .enumerate()
        .map(|(index, resource)| {
            let table = if resource.data {
                &mappings.data
            } else {
                &mappings.resources
            };
            match table.get(resource.tf_type.as_str()) {
                Some(m) => Some((
                    Some((index, m)),
                    resource,
                    mapping::lift(m, &Tf::new(resource), &context),
                )),
                // awscc_* resources are CloudFormation resources in snake_case.
                None if !resource.data => Some((None, resource, Adapted::Resources(vec![awscc(resource)?]))),
                None => None,
            }
        })
        .collect();
    let mut joins = Vec::new();
    for (index, resource, adapted) in adapted.into_iter().flatten() {
        match adapted {
            Adapted::Resources(lifted) => {
                for (i, l) in lifted.into_iter().enumerate() {
                    // The mapping describes the resource it lifts, not the
                    // others a hook adds (a bucket's inline policy).
                    let described = index
                        .filter(|(_, m)| i == 0 && m.kinds.iter().any(|k| *k == l.kind))
                        .map(|(_, m)| &m.source);
                    let id = add(graph, resource, l, described);
                    if i == 0
                        && let Some((index, _)) = index
                    {
                        written.push((id, index));
                    }
                }
            }
            Adapted::Join(join) => joins.push((resource, join)),
        }
    }
    for (resource, join) in joins {
        apply_join(graph, resource, join, diagnostics);
    }
    graph.index_edges();
}

fn add(
    graph: &mut Graph,
    resource: &TfResource,
    lifted: Lifted,
    mapping: Option<&'static SourceMapping>,
) -> crate::graph::ResourceId {
    let id = match lifted.suffix {
        Some(suffix) => format!("{}{suffix}", resource.address),
        None => resource.address.clone(),
    };
    let known_names = ["id", "arn", "bucket", "name"]
        .iter()
        .filter_map(|k| resource.values.get(k).and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    graph.add(Resource {
        id,
        kind: lifted.kind.into_owned(),
        span: resource.span,
        properties: lifted.properties,
        deployment: Deployment::Always,
        metadata: None,
        source_kind: Some(resource.tf_type.clone()),
        known_names,
        written: None,
        joined: Vec::new(),
        generated_from: None,
        mapping,
    })
}

/// Sets a split resource's properties on the resource it configures.
fn apply_join(graph: &mut Graph, resource: &TfResource, join: Join, diagnostics: &mut Vec<Diagnostic>) {
    let Some(target) = resource.values.get(join.via) else {
        return;
    };
    let Ok(found) = identity::resolve(graph, target, join.into) else {
        // The resource it configures is not in this unit: nothing to judge here.
        return;
    };
    for id in found {
        let into = graph.resource_mut(id);
        let ValueKind::Map(props) = &mut into.properties.kind else {
            continue;
        };
        for prop in &join.properties {
            match props.iter_mut().find(|p| p.key == prop.key) {
                // Unknown on the resource (a plan's computed attribute): the
                // split resource is what sets it.
                Some(existing) if matches!(existing.value.kind, ValueKind::Unknown(_)) => {
                    existing.value = prop.value.clone();
                }
                Some(existing) => {
                    let reason = format!(
                        "{} is set both on {} and by {} (conflicting configuration)",
                        prop.key, into.id, resource.address
                    );
                    diagnostics.push(Diagnostic::warning(resource.span.start, reason.clone()));
                    existing.value =
                        Value::unknown(existing.value.span, Unknowable::Conflict { what: reason });
                }
                None => props.push(prop.clone()),
            }
        }
        into.joined.push(crate::graph::Joined {
            id: resource.address.clone(),
            span: resource.span,
            extent: resource.values.span,
        });
    }
}

/// `awscc_<service>_<type>` → `AWS::<Service>::<Type>` with snake_case
/// attributes turned into CloudFormation's PascalCase.
pub(crate) fn awscc(resource: &TfResource) -> Option<Lifted> {
    let rest = resource.tf_type.strip_prefix("awscc_")?;
    let kind = awscc_kind(rest)?;
    Some(Lifted {
        kind: Cow::Owned(kind),
        properties: build::pascal_case_keys(&resource.values),
        suffix: None,
    })
}

/// The CloudFormation type of an awscc type suffix (`s3_bucket` -> `AWS::S3::Bucket`).
fn awscc_kind(rest: &str) -> Option<String> {
    const SERVICES: &[(&str, &str)] = &[
        ("s3", "S3"),
        ("ec2", "EC2"),
        ("kms", "KMS"),
        ("rds", "RDS"),
        ("iam", "IAM"),
        ("cloudtrail", "CloudTrail"),
        ("logs", "Logs"),
        ("sns", "SNS"),
        ("sqs", "SQS"),
        ("lambda", "Lambda"),
        ("dynamodb", "DynamoDB"),
    ];
    let (service, kind) = rest.split_once('_')?;
    let (_, cfn_service) = SERVICES.iter().find(|(s, _)| *s == service)?;
    Some(format!("AWS::{cfn_service}::{}", build::pascal(kind)))
}

#[cfg(test)]
mod tests {
    use crate::graph::{IMAGE_LOOKUP, PARAMETER, Value, ValueKind, identity};

    /// A plan whose lookups terraform read while planning: they are in the
    /// prior state, and the instances' image ids are known texts.
    #[test]
    fn lookups_read_at_plan_time_are_where_image_ids_come_from() {
        let plan = r#"{
          "format_version": "1.2",
          "planned_values": {"root_module": {"resources": [
            {"address": "aws_instance.ssm", "mode": "managed", "type": "aws_instance", "name": "ssm",
             "values": {"ami": "ami-0aaaaaaaaaaaaaaaa", "instance_type": "t3.micro"}},
            {"address": "aws_instance.ami", "mode": "managed", "type": "aws_instance", "name": "ami",
             "values": {"ami": "ami-0bbbbbbbbbbbbbbbb", "instance_type": "t3.micro"}}]}},
          "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
            {"address": "data.aws_ssm_parameter.al2023", "mode": "data", "type": "aws_ssm_parameter", "name": "al2023",
             "values": {"name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                        "value": "ami-0aaaaaaaaaaaaaaaa", "type": "String", "version": 90}},
            {"address": "data.aws_ami.al2023", "mode": "data", "type": "aws_ami", "name": "al2023",
             "values": {"id": "ami-0bbbbbbbbbbbbbbbb", "owners": ["amazon"], "most_recent": true,
                        "filter": [{"name": "name", "values": ["al2023-ami-2023.*-x86_64"]}]}}]}}},
          "resource_changes": [
            {"address": "aws_instance.ssm", "change": {"actions": ["create"], "after_unknown": {"id": true}}},
            {"address": "aws_instance.ami", "change": {"actions": ["create"], "after_unknown": {"id": true}}}],
          "configuration": {"root_module": {"resources": [
            {"address": "aws_instance.ssm", "mode": "managed", "type": "aws_instance", "name": "ssm",
             "expressions": {"ami": {"references": ["data.aws_ssm_parameter.al2023.value", "data.aws_ssm_parameter.al2023"]},
                             "instance_type": {"constant_value": "t3.micro"}}},
            {"address": "aws_instance.ami", "mode": "managed", "type": "aws_instance", "name": "ami",
             "expressions": {"ami": {"references": ["data.aws_ami.al2023.id", "data.aws_ami.al2023"]},
                             "instance_type": {"constant_value": "t3.micro"}}},
            {"address": "data.aws_ssm_parameter.al2023", "mode": "data", "type": "aws_ssm_parameter", "name": "al2023",
             "expressions": {"name": {"constant_value": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}}},
            {"address": "data.aws_ami.al2023", "mode": "data", "type": "aws_ami", "name": "al2023",
             "expressions": {"owners": {"constant_value": ["amazon"]}, "most_recent": {"constant_value": true},
                             "filter": [{"name": {"constant_value": "name"}, "values": {"constant_value": ["al2023-ami-2023.*-x86_64"]}}]}}]}}
        }"#;
        let (graph, _) = crate::frontends::terraform::plan::build_graph(plan).unwrap();
        let image = |address: &str| -> Value {
            let id = graph.find(address).unwrap();
            graph.resource(id).properties.get("ImageId").unwrap().clone()
        };
        let parameter = graph.find("data.aws_ssm_parameter.al2023").unwrap();
        assert_eq!(graph.resource(parameter).kind, PARAMETER);
        assert_eq!(
            graph
                .resource(parameter)
                .properties
                .get("Default")
                .and_then(Value::as_str),
            Some("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
        );
        assert_eq!(
            identity::resolve(&graph, &image("aws_instance.ssm"), PARAMETER),
            Ok(vec![parameter])
        );
        let lookup = graph.find("data.aws_ami.al2023").unwrap();
        assert_eq!(graph.resource(lookup).kind, IMAGE_LOOKUP);
        let filters = graph.resource(lookup).properties.get("Filters").unwrap();
        let ValueKind::List(filters) = &filters.kind else {
            panic!("Filters is a list");
        };
        assert_eq!(filters[0].get("Name").and_then(Value::as_str), Some("name"));
        assert_eq!(
            identity::resolve(&graph, &image("aws_instance.ami"), IMAGE_LOOKUP),
            Ok(vec![lookup])
        );
        // Lookups are inputs, never counted as deployed resources.
        assert!(graph.resource(lookup).is_declaration() && graph.resource(parameter).is_declaration());
    }
}
