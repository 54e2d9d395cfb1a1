//! `AWS::Serverless::Api` -> `AWS::ApiGateway::RestApi` + `Stage` (+ one
//! `Authorizer` per `Auth.Authorizers` entry); `AWS::Serverless::HttpApi` ->
//! `AWS::ApiGatewayV2::Api` + `Stage` (+ authorizers). Stages carry the access
//! logging and method settings the user wrote on the SAM resource.

use super::{copy, derived, prop, reference, rename, renamed, tag_list, text};
use crate::graph::{Prop, Resource, Value, ValueKind};

pub fn lower_rest(sam: Resource) -> Vec<Resource> {
    let span = sam.span;
    let mut stage = vec![prop("RestApiId", reference(span, &sam.id, None))];
    stage.extend(copy(
        &sam,
        &[
            "AccessLogSetting",
            "MethodSettings",
            "TracingEnabled",
            "CacheClusterEnabled",
            "CacheClusterSize",
            "Variables",
            "CanarySetting",
            "StageName",
        ],
    ));
    stage.extend(tag_list(&sam));
    let mut out = vec![derived(
        &sam,
        stage_id(&sam, "Stage"),
        "AWS::ApiGateway::Stage",
        span,
        stage,
    )];
    out.extend(authorizers(
        &sam,
        "AWS::ApiGateway::Authorizer",
        "RestApiId",
        |config| {
            let kind = if config.get("UserPoolArn").is_some() {
                "COGNITO_USER_POOLS"
            } else if config.get("FunctionPayloadType").and_then(Value::as_str) == Some("REQUEST") {
                "REQUEST"
            } else {
                "TOKEN"
            };
            let mut props = vec![prop("Type", text(config.span, kind))];
            props.extend(config.prop("UserPoolArn").map(|p| renamed(p, "ProviderARNs")));
            props
        },
    ));
    let mut api = copy(
        &sam,
        &[
            "Name",
            "Description",
            "BinaryMediaTypes",
            "MinimumCompressionSize",
            "DisableExecuteApiEndpoint",
            "ApiKeySourceType",
            "Mode",
        ],
    );
    api.extend(rename(&sam, "DefinitionBody", "Body"));
    api.extend(rename(&sam, "DefinitionUri", "BodyS3Location"));
    if let Some(endpoint) = sam.properties.prop("EndpointConfiguration") {
        api.push(endpoint_configuration(endpoint));
    }
    out.insert(0, api_resource(sam, "AWS::ApiGateway::RestApi", api));
    out
}

pub fn lower_http(sam: Resource) -> Vec<Resource> {
    let span = sam.span;
    let mut stage = vec![
        prop("ApiId", reference(span, &sam.id, None)),
        prop("AutoDeploy", Value::new(span, ValueKind::Bool(true))),
    ];
    stage.extend(copy(
        &sam,
        &[
            "AccessLogSettings",
            "DefaultRouteSettings",
            "RouteSettings",
            "StageVariables",
        ],
    ));
    let id = match sam.properties.prop("StageName") {
        Some(name) => {
            stage.push(name.clone());
            stage_id(&sam, "Stage")
        }
        None => {
            stage.push(prop("StageName", text(span, "$default")));
            format!("{}ApiGatewayDefaultStage", sam.id)
        }
    };
    let mut out = vec![derived(&sam, id, "AWS::ApiGatewayV2::Stage", span, stage)];
    out.extend(authorizers(
        &sam,
        "AWS::ApiGatewayV2::Authorizer",
        "ApiId",
        |config| {
            let jwt = config.prop("JwtConfiguration");
            let kind = if jwt.is_some() { "JWT" } else { "REQUEST" };
            let mut props = vec![prop("AuthorizerType", text(config.span, kind))];
            props.extend(jwt.cloned());
            props
        },
    ));
    let mut api = copy(
        &sam,
        &[
            "Name",
            "Description",
            "DisableExecuteApiEndpoint",
            "CorsConfiguration",
        ],
    );
    api.push(prop("ProtocolType", text(span, "HTTP")));
    api.extend(rename(&sam, "DefinitionBody", "Body"));
    api.extend(rename(&sam, "DefinitionUri", "BodyS3Location"));
    out.insert(0, api_resource(sam, "AWS::ApiGatewayV2::Api", api));
    out
}

/// SAM's stage id: `<id><StageName>Stage`, the stage name's letters and digits only.
fn stage_id(sam: &Resource, suffix: &str) -> String {
    let name: String = sam
        .properties
        .get("StageName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}{name}{suffix}", sam.id)
}

/// One authorizer resource per `Auth.Authorizers` entry, typed by `fields`.
fn authorizers(
    sam: &Resource,
    kind: &str,
    api_key: &str,
    fields: impl Fn(&Value) -> Vec<Prop>,
) -> Vec<Resource> {
    let Some(ValueKind::Map(entries)) = sam
        .properties
        .get("Auth")
        .and_then(|a| a.get("Authorizers"))
        .map(|a| &a.kind)
    else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|entry| {
            let span = entry.key_span;
            let mut props = vec![
                prop(api_key, reference(span, &sam.id, None)),
                prop("Name", text(span, &entry.key)),
            ];
            props.extend(fields(&entry.value));
            derived(
                sam,
                format!("{}{}Authorizer", sam.id, entry.key),
                kind,
                span,
                props,
            )
        })
        .collect()
}

/// SAM's `{Type, VPCEndpointIds}` as CloudFormation's `{Types: [Type], VpcEndpointIds}`.
fn endpoint_configuration(endpoint: &Prop) -> Prop {
    let value = &endpoint.value;
    let mut props = Vec::new();
    if let Some(kind) = value.get("Type") {
        props.push(prop(
            "Types",
            Value::new(kind.span, ValueKind::List(vec![kind.clone()])),
        ));
    }
    if let Some(ids) = value.prop("VPCEndpointIds") {
        props.push(renamed(ids, "VpcEndpointIds"));
    }
    if props.is_empty() {
        // A plain string (`REGIONAL`) is the type.
        props.push(prop(
            "Types",
            Value::new(value.span, ValueKind::List(vec![value.clone()])),
        ));
    }
    Prop {
        key: "EndpointConfiguration".into(),
        key_span: endpoint.key_span,
        value: Value::new(value.span, ValueKind::Map(props)),
    }
}

fn api_resource(sam: Resource, kind: &str, properties: Vec<Prop>) -> Resource {
    Resource {
        kind: kind.into(),
        properties: Value::new(sam.properties.span, ValueKind::Map(properties)),
        ..sam
    }
}
