//! `AWS::Serverless::Function` -> `AWS::Lambda::Function`, its execution role
//! (`<id>Role`, unless `Role` is given), and for `FunctionUrlConfig` the
//! `AWS::Lambda::Url` (`<id>Url`) with, for `AuthType: NONE`, the public
//! invoke permission SAM adds (`<id>UrlPublicPermissions`).

use super::{copy, derived, prop, reference, role, tag_list, text};
use crate::diagnostics::Diagnostic;
use crate::graph::{Prop, Resource, Value, ValueKind};

/// Properties with the same name and shape in SAM and CloudFormation.
const SAME: &[&str] = &[
    "Architectures",
    "CodeSigningConfigArn",
    "Description",
    "Environment",
    "EphemeralStorage",
    "FileSystemConfigs",
    "FunctionName",
    "Handler",
    "ImageConfig",
    "KmsKeyArn",
    "Layers",
    "LoggingConfig",
    "MemorySize",
    "PackageType",
    "RecursiveLoop",
    "ReservedConcurrentExecutions",
    "Runtime",
    "RuntimeManagementConfig",
    "SnapStart",
    "Timeout",
    "VpcConfig",
];

const BASIC_EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const VPC_ACCESS: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
const XRAY_WRITE: &str = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess";

pub fn lower(sam: Resource, diagnostics: &mut Vec<Diagnostic>) -> Vec<Resource> {
    let span = sam.span;
    let mut out = Vec::new();
    let mut properties = copy(&sam, SAME);
    properties.extend(tag_list(&sam));
    if let Some(tracing) = sam.properties.prop("Tracing") {
        properties.push(Prop {
            key: "TracingConfig".into(),
            key_span: tracing.key_span,
            value: Value::new(
                tracing.value.span,
                ValueKind::Map(vec![prop("Mode", tracing.value.clone())]),
            ),
        });
    }
    if let Some(queue) = sam.properties.prop("DeadLetterQueue")
        && let Some(target) = queue.value.get("TargetArn")
    {
        properties.push(Prop {
            key: "DeadLetterConfig".into(),
            key_span: queue.key_span,
            value: Value::new(
                queue.value.span,
                ValueKind::Map(vec![prop("TargetArn", target.clone())]),
            ),
        });
    }
    match sam.properties.prop("Role") {
        Some(role) => properties.push(role.clone()),
        None => {
            let mut base = vec![BASIC_EXECUTION];
            if sam.properties.get("VpcConfig").is_some() {
                base.push(VPC_ACCESS);
            }
            if sam.properties.get("Tracing").and_then(Value::as_str) == Some("Active") {
                base.push(XRAY_WRITE);
            }
            let role = role::execution_role(&sam, "lambda.amazonaws.com", &base, diagnostics);
            properties.push(prop("Role", reference(role.span, &role.id, Some("Arn"))));
            out.push(role);
        }
    }
    if let Some(url) = sam.properties.prop("FunctionUrlConfig") {
        out.extend(function_url(&sam, url));
    }
    let function = Resource {
        kind: "AWS::Lambda::Function".into(),
        properties: Value::new(sam.properties.span, ValueKind::Map(properties)),
        span,
        ..sam
    };
    out.insert(0, function);
    out
}

/// The URL resource, and the public permission SAM adds for `AuthType: NONE`.
fn function_url(sam: &Resource, config: &Prop) -> Vec<Resource> {
    let span = config.key_span;
    let mut properties = vec![prop("TargetFunctionArn", reference(span, &sam.id, None))];
    for key in ["AuthType", "Cors", "InvokeMode"] {
        if let Some(p) = config.value.prop(key) {
            properties.push(p.clone());
        }
    }
    let auth = config.value.get("AuthType").cloned();
    let mut out = vec![derived(
        sam,
        format!("{}Url", sam.id),
        "AWS::Lambda::Url",
        span,
        properties,
    )];
    if auth.as_ref().and_then(Value::as_str) == Some("NONE") {
        let auth = auth.unwrap_or_else(|| text(span, "NONE"));
        out.push(derived(
            sam,
            format!("{}UrlPublicPermissions", sam.id),
            "AWS::Lambda::Permission",
            auth.span,
            vec![
                prop("Action", text(auth.span, "lambda:InvokeFunctionUrl")),
                prop("FunctionName", reference(auth.span, &sam.id, None)),
                prop("Principal", text(auth.span, "*")),
                prop("FunctionUrlAuthType", auth),
            ],
        ));
    }
    out
}
