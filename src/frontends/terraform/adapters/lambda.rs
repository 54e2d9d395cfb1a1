//! Lambda functions.

use super::build::{Props, Tf};
use super::{Adapted, Context};

/// `aws_lambda_function`.
pub(super) fn function(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Lambda::Function",
        Props::new()
            .copy("FunctionName", tf.attr("function_name"))
            .copy("Runtime", tf.attr("runtime"))
            .copy("Handler", tf.attr("handler"))
            .copy("PackageType", tf.attr("package_type"))
            .copy("Role", tf.attr("role"))
            .copy("KmsKeyArn", tf.attr("kms_key_arn"))
            .set(
                "VpcConfig",
                super::build::first_block(
                    &tf.resource.values,
                    "vpc_config",
                    &[
                        ("security_group_ids", "SecurityGroupIds"),
                        ("subnet_ids", "SubnetIds"),
                    ],
                ),
            )
            .set(
                "Environment",
                super::build::first_block(&tf.resource.values, "environment", &[("variables", "Variables")]),
            ),
    )
}

/// `aws_lambda_permission` -> `AWS::Lambda::Permission`.
pub(super) fn permission(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Lambda::Permission",
        tf.props(&[
            ("function_name", "FunctionName"),
            ("action", "Action"),
            ("principal", "Principal"),
            ("source_arn", "SourceArn"),
            ("source_account", "SourceAccount"),
            ("principal_org_id", "PrincipalOrgID"),
            ("function_url_auth_type", "FunctionUrlAuthType"),
        ]),
    )
}

/// `aws_lambda_function_url` -> `AWS::Lambda::Url`.
pub(super) fn function_url(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Lambda::Url",
        tf.props(&[
            ("function_name", "TargetFunctionArn"),
            ("authorization_type", "AuthType"),
        ]),
    )
}

/// `aws_lambda_layer_version_permission` -> `AWS::Lambda::LayerVersionPermission`.
pub(super) fn layer_permission(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Lambda::LayerVersionPermission",
        tf.props(&[
            ("layer_name", "LayerVersionArn"),
            ("principal", "Principal"),
            ("organization_id", "OrganizationId"),
            ("action", "Action"),
        ]),
    )
}
