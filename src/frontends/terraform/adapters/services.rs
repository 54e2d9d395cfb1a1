//! Managed services whose checks read exposure settings: Amazon MQ brokers,
//! SageMaker notebook instances and EKS clusters.

use super::build::{Props, Tf, attr, prop};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

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
    let config = tf.blocks("vpc_config").first().map(|block| {
        let mut props = Vec::new();
        for (from, to) in [
            ("endpoint_public_access", "EndpointPublicAccess"),
            ("endpoint_private_access", "EndpointPrivateAccess"),
            ("public_access_cidrs", "PublicAccessCidrs"),
            ("subnet_ids", "SubnetIds"),
        ] {
            if let Some(value) = attr(block, from) {
                props.push(prop(to, value.clone()));
            }
        }
        Value::new(block.span, ValueKind::Map(props))
    });
    tf.lift(
        "AWS::EKS::Cluster",
        Props::new().set("ResourcesVpcConfig", config),
    )
}
