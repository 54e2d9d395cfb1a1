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
            .copy("KmsKeyArn", tf.attr("kms_key_arn")),
    )
}
