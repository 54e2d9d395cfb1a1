//! Managed services whose checks read exposure and isolation settings: Amazon
//! MQ brokers, SageMaker notebook instances, EKS clusters, ECS task
//! definitions, API Gateway REST APIs.

use super::build::{Props, Tf, first_block, prop};
use super::iam::document;
use super::{Adapted, Context};
use crate::graph::{Unknowable, Value, ValueKind};

/// `aws_mq_broker`: `publicly_accessible` defaults to false.
pub(super) fn mq_broker(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::AmazonMQ::Broker",
        Props::new()
            .or_default(
                "PubliclyAccessible",
                tf.attr("publicly_accessible"),
                ValueKind::Bool(false),
                tf.span(),
            )
            .copy("EngineType", tf.attr("engine_type")),
    )
}

/// `aws_sagemaker_notebook_instance`: `direct_internet_access` defaults to Enabled.
pub(super) fn sagemaker_notebook_instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SageMaker::NotebookInstance",
        Props::new()
            .copy("DirectInternetAccess", tf.attr("direct_internet_access"))
            .copy("SubnetId", tf.attr("subnet_id")),
    )
}

/// `aws_eks_cluster`: the `vpc_config` block becomes `ResourcesVpcConfig`.
pub(super) fn eks_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let config = first_block(
        &tf.resource.values,
        "vpc_config",
        &[
            ("endpoint_public_access", "EndpointPublicAccess"),
            ("endpoint_private_access", "EndpointPrivateAccess"),
            ("public_access_cidrs", "PublicAccessCidrs"),
            ("subnet_ids", "SubnetIds"),
        ],
    );
    tf.lift(
        "AWS::EKS::Cluster",
        Props::new().set("ResourcesVpcConfig", config),
    )
}

/// `aws_ecs_task_definition`: `container_definitions` is a JSON string (from
/// `jsonencode` or a file) of camelCase objects; it becomes the PascalCase
/// `ContainerDefinitions` list, located at the attribute.
pub(super) fn ecs_task_definition(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let containers = tf.attr("container_definitions").map(|text| match &text.kind {
        ValueKind::String(_) | ValueKind::Interp(_) => {
            match crate::graph::embedded::parse_json_string(text) {
                Ok(parsed) => upper_first_keys(&parsed),
                Err(reason) => Value::unknown(
                    text.span,
                    Unknowable::invalid(format!("container_definitions is {reason}")),
                ),
            }
        }
        _ => text.clone(),
    });
    tf.lift(
        "AWS::ECS::TaskDefinition",
        Props::new()
            .copy("NetworkMode", tf.attr("network_mode"))
            .copy("PidMode", tf.attr("pid_mode"))
            .copy("IpcMode", tf.attr("ipc_mode"))
            .set("ContainerDefinitions", containers),
    )
}

/// ECS's camelCase JSON keys (`readonlyRootFilesystem`) as CloudFormation's
/// PascalCase (`ReadonlyRootFilesystem`), recursively.
fn upper_first_keys(value: &Value) -> Value {
    let kind = match &value.kind {
        ValueKind::Map(props) => ValueKind::Map(
            props
                .iter()
                .map(|p| {
                    let mut key = p.key.clone();
                    if let Some(first) = key.get(..1) {
                        key = first.to_ascii_uppercase() + &key[1..];
                    }
                    crate::graph::Prop {
                        key,
                        key_span: p.key_span,
                        value: upper_first_keys(&p.value),
                    }
                })
                .collect(),
        ),
        ValueKind::List(items) => ValueKind::List(items.iter().map(upper_first_keys).collect()),
        other => other.clone(),
    };
    Value {
        span: value.span,
        kind,
        origin: value.origin.clone(),
    }
}

/// `aws_msk_cluster`: `encryption_info.encryption_in_transit` becomes
/// `EncryptionInfo.EncryptionInTransit`.
pub(super) fn msk_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let info = tf.blocks("encryption_info").first().map(|info| {
        let mut props = Vec::new();
        let fields = [("client_broker", "ClientBroker"), ("in_cluster", "InCluster")];
        if let Some(transit) = first_block(info, "encryption_in_transit", &fields) {
            props.push(prop("EncryptionInTransit", transit));
        }
        Value::new(info.span, ValueKind::Map(props))
    });
    tf.lift("AWS::MSK::Cluster", Props::new().set("EncryptionInfo", info))
}

/// `aws_codebuild_project`: `environment.environment_variable` blocks become
/// `Environment.EnvironmentVariables` (`type` defaults to PLAINTEXT).
pub(super) fn codebuild_project(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let environment = tf.blocks("environment").first().map(|e| {
        let variables: Vec<Value> = super::build::blocks(e, "environment_variable")
            .into_iter()
            .map(|v| {
                Props::new()
                    .copy("Name", super::build::attr(v, "name"))
                    .copy("Value", super::build::attr(v, "value"))
                    .copy("Type", super::build::attr(v, "type"))
                    .into_value(v.span)
            })
            .collect();
        Props::new()
            .list("EnvironmentVariables", variables, e.span)
            .into_value(e.span)
    });
    tf.lift(
        "AWS::CodeBuild::Project",
        Props::new().set("Environment", environment),
    )
}

/// `aws_api_gateway_rest_api` -> `AWS::ApiGateway::RestApi`.
pub(super) fn rest_api(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::ApiGateway::RestApi",
        tf.props(&[("name", "Name")])
            .set("Policy", document(tf, "policy", context))
            .set(
                "EndpointConfiguration",
                first_block(
                    &tf.resource.values,
                    "endpoint_configuration",
                    &[("types", "Types"), ("vpc_endpoint_ids", "VpcEndpointIds")],
                ),
            ),
    )
}

/// `aws_api_gateway_rest_api_policy` -> its API's `Policy`.
pub(super) fn rest_api_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::ApiGateway::RestApi",
        "rest_api_id",
        Props::new().set("Policy", document(tf, "policy", context)),
    )
}
