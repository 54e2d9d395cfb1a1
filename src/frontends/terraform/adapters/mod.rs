//! Terraform resources lifted into the CloudFormation shape the checks read.
//!
//! One adapter per Terraform type ([`ADAPTERS`]) maps a resource to a
//! CloudFormation type and properties. Split configuration resources
//! (`aws_s3_bucket_public_access_block`, ...) are then *joined* into the
//! resource they configure; two sources for one property are a conflict,
//! reported and made unknown. Types CloudFormation lacks get canonical names
//! in the same style, listed in `docs/canonical-types.md`.

mod account;
mod build;
mod cloudtrail;
mod declarations;
mod ec2;
mod exposure;
mod iam;
mod kms;
mod lambda;
mod messaging;
mod monitoring;
mod network;
mod policies;
mod rds;
mod s3;
mod services;
mod storage;
mod vpc;

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::TfResource;
use crate::diagnostics::Diagnostic;
use crate::graph::identity;
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

type Adapter = fn(&Tf<'_>, &Context<'_>) -> Adapted;

/// Every supported Terraform type and its adapter.
const ADAPTERS: &[(&str, Adapter)] = &[
    ("variable", declarations::variable),
    ("output", declarations::output),
    ("provider", declarations::provider),
    ("aws_s3_bucket", s3::bucket),
    ("aws_s3_bucket_policy", s3::bucket_policy),
    ("aws_s3_bucket_public_access_block", s3::public_access_block),
    ("aws_s3_bucket_acl", s3::acl),
    ("aws_s3_bucket_logging", s3::logging),
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        s3::encryption,
    ),
    ("aws_s3_access_point", s3::access_point),
    ("aws_s3control_access_point_policy", s3::access_point_policy),
    (
        "aws_s3_account_public_access_block",
        s3::account_public_access_block,
    ),
    ("aws_security_group", vpc::security_group),
    ("aws_default_security_group", vpc::security_group),
    ("aws_security_group_rule", vpc::security_group_rule),
    (
        "aws_vpc_security_group_ingress_rule",
        vpc::vpc_security_group_ingress_rule,
    ),
    (
        "aws_vpc_security_group_egress_rule",
        vpc::vpc_security_group_egress_rule,
    ),
    ("aws_vpc", vpc::vpc),
    ("aws_default_vpc", vpc::vpc),
    ("aws_subnet", vpc::subnet),
    ("aws_internet_gateway", network::internet_gateway),
    ("aws_route_table", network::route_table),
    ("aws_default_route_table", network::route_table),
    ("aws_route", network::route_resource),
    ("aws_route_table_association", network::route_table_association),
    ("aws_db_subnet_group", network::subnet_group),
    ("aws_docdb_subnet_group", network::subnet_group),
    ("aws_neptune_subnet_group", network::subnet_group),
    ("aws_elasticache_subnet_group", network::subnet_group),
    ("aws_redshift_subnet_group", network::subnet_group),
    ("aws_lb", network::load_balancer),
    ("aws_alb", network::load_balancer),
    ("aws_lb_listener", network::listener),
    ("aws_alb_listener", network::listener),
    ("aws_elb", network::classic_load_balancer),
    ("aws_emr_cluster", network::emr_cluster),
    ("aws_flow_log", vpc::flow_log),
    ("aws_cloudtrail", cloudtrail::trail),
    ("aws_cloudwatch_log_group", monitoring::log_group),
    ("aws_cloudwatch_log_metric_filter", monitoring::metric_filter),
    ("aws_cloudwatch_metric_alarm", monitoring::metric_alarm),
    ("aws_sns_topic_subscription", monitoring::topic_subscription),
    ("aws_iam_account_password_policy", account::password_policy),
    ("aws_account_alternate_contact", account::alternate_contact),
    ("aws_guardduty_detector", account::guardduty_detector),
    ("aws_config_configuration_recorder", account::config_recorder),
    ("aws_config_delivery_channel", account::config_delivery_channel),
    ("aws_kms_key", kms::key),
    ("aws_kms_key_policy", kms::key_policy),
    ("aws_kms_external_key", kms::external_key),
    ("aws_kms_replica_key", kms::replica_key),
    ("aws_secretsmanager_secret_policy", policies::secret_policy),
    ("aws_ecr_repository", policies::ecr_repository),
    ("aws_ecr_repository_policy", policies::ecr_repository_policy),
    ("aws_efs_file_system_policy", policies::efs_file_system_policy),
    (
        "aws_cloudwatch_log_resource_policy",
        policies::log_resource_policy,
    ),
    ("aws_backup_vault", policies::backup_vault),
    ("aws_backup_vault_policy", policies::backup_vault_policy),
    ("aws_cognito_identity_pool", policies::identity_pool),
    (
        "aws_cognito_identity_pool_roles_attachment",
        policies::identity_pool_roles,
    ),
    ("aws_lambda_function", lambda::function),
    ("aws_lambda_permission", lambda::permission),
    ("aws_lambda_function_url", lambda::function_url),
    ("aws_lambda_layer_version_permission", lambda::layer_permission),
    ("aws_efs_file_system", storage::efs_file_system),
    ("aws_neptune_cluster", storage::neptune_cluster),
    ("aws_docdb_cluster", storage::docdb_cluster),
    ("aws_rds_global_cluster", rds::global_cluster),
    ("aws_docdb_global_cluster", rds::global_cluster),
    ("aws_dax_cluster", storage::dax_cluster),
    ("aws_dms_replication_instance", storage::dms_replication_instance),
    ("aws_mq_broker", services::mq_broker),
    ("aws_cloudfront_distribution", exposure::cloudfront_distribution),
    ("aws_ecs_service", exposure::ecs_service),
    ("aws_eks_node_group", exposure::eks_node_group),
    ("aws_ssm_parameter", exposure::ssm_parameter),
    ("aws_ram_resource_share", exposure::ram_resource_share),
    ("aws_ami_launch_permission", exposure::ami_launch_permission),
    (
        "aws_snapshot_create_volume_permission",
        exposure::snapshot_volume_permission,
    ),
    ("aws_db_snapshot", exposure::db_snapshot),
    ("aws_db_cluster_snapshot", exposure::db_snapshot),
    (
        "aws_sagemaker_notebook_instance",
        services::sagemaker_notebook_instance,
    ),
    ("aws_eks_cluster", services::eks_cluster),
    ("aws_ecs_task_definition", services::ecs_task_definition),
    ("aws_codebuild_project", services::codebuild_project),
    ("aws_msk_cluster", services::msk_cluster),
    ("aws_sqs_queue", messaging::sqs_queue),
    ("aws_sqs_queue_policy", messaging::sqs_queue_policy),
    ("aws_sns_topic", messaging::sns_topic),
    ("aws_sns_topic_policy", messaging::sns_topic_policy),
    ("aws_opensearch_domain", storage::opensearch_domain),
    ("aws_opensearch_domain_policy", storage::opensearch_domain_policy),
    (
        "aws_elasticsearch_domain_policy",
        storage::opensearch_domain_policy,
    ),
    ("aws_glacier_vault", storage::glacier_vault),
    ("aws_api_gateway_rest_api", services::rest_api),
    ("aws_api_gateway_rest_api_policy", services::rest_api_policy),
    ("aws_elasticsearch_domain", storage::opensearch_domain),
    (
        "aws_elasticache_replication_group",
        storage::elasticache_replication_group,
    ),
    ("aws_elasticache_cluster", storage::elasticache_cluster),
    ("aws_redshift_cluster", storage::redshift_cluster),
    ("aws_ec2_transit_gateway", vpc::transit_gateway),
    ("aws_db_instance", rds::db_instance),
    ("aws_rds_cluster_instance", rds::cluster_instance),
    ("aws_rds_cluster", rds::cluster),
    ("aws_ebs_volume", ec2::volume),
    ("aws_instance", ec2::instance),
    ("aws_launch_template", ec2::launch_template),
    ("aws_launch_configuration", ec2::launch_configuration),
    ("aws_autoscaling_group", ec2::autoscaling_group),
    ("aws_ebs_encryption_by_default", ec2::encryption_by_default),
    ("aws_iam_policy", iam::policy),
    ("aws_iam_role", iam::role),
    ("aws_iam_user", iam::user),
    ("aws_iam_group", iam::group),
    ("aws_iam_openid_connect_provider", iam::oidc_provider),
    ("aws_iam_role_policy", iam::role_policy),
    ("aws_iam_user_policy", iam::user_policy),
    ("aws_iam_group_policy", iam::group_policy),
    ("aws_iam_policy_attachment", iam::policy_attachment),
    ("aws_iam_user_policy_attachment", iam::user_policy_attachment),
    ("aws_iam_role_policy_attachment", iam::role_policy_attachment),
    ("aws_iam_group_policy_attachment", iam::group_policy_attachment),
    ("aws_iam_user_policies_exclusive", iam::user_policies_exclusive),
    ("aws_iam_access_key", iam::access_key),
    ("aws_iam_user_login_profile", iam::user_login_profile),
    (
        "aws_iam_user_policy_attachments_exclusive",
        iam::user_policy_attachments_exclusive,
    ),
    (
        "aws_ssoadmin_permission_set_inline_policy",
        iam::permission_set_inline_policy,
    ),
];

/// The data sources lifted into the graph, as inputs whose value a rule may
/// want to trace (where an image id comes from): never deployed, so never
/// counted ([`crate::graph::Resource::is_declaration`]). Other data sources
/// stay context for the adapters ([`Context`]).
const DATA_ADAPTERS: &[(&str, Adapter)] = &[
    ("aws_ssm_parameter", declarations::ssm_parameter),
    ("aws_ami", ec2::image_lookup),
];

/// Whether an adapter lifts resources of this Terraform type.
pub fn lifts(tf_type: &str) -> bool {
    ADAPTERS.iter().any(|(t, _)| *t == tf_type)
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
    let adapters: HashMap<&str, Adapter> = ADAPTERS.iter().copied().collect();
    let data_adapters: HashMap<&str, Adapter> = DATA_ADAPTERS.iter().copied().collect();
    // Adapters read only their resource and its context: a large plan's are run on every core.
    // The index is `None` for awscc_* resources, whose properties are their attributes.
    // Collected by index (`map`, not `filter_map`): rayon then writes each
    // result in place instead of gathering pieces and copying them together.
    let adapted: Vec<Option<(Option<usize>, &TfResource, Adapted)>> = resources
        .par_iter()
        .enumerate()
        .map(|(index, resource)| {
            let table = if resource.data { &data_adapters } else { &adapters };
            match table.get(resource.tf_type.as_str()) {
                Some(adapter) => Some((Some(index), resource, adapter(&Tf::new(resource), &context))),
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
                    let id = add(graph, resource, l);
                    if i == 0
                        && let Some(index) = index
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

fn add(graph: &mut Graph, resource: &TfResource, lifted: Lifted) -> crate::graph::ResourceId {
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
