use std::collections::HashMap;

use crate::frontends::cloudformation::build_graph;
use crate::graph::{Graph, Value, ValueKind};
use crate::parse::{Limits, load_yaml};

fn graph(text: &str) -> (Graph, Vec<crate::diagnostics::Diagnostic>) {
    let node = load_yaml(text, Limits::default()).expect("valid YAML");
    build_graph(&node, &HashMap::new())
}

fn resource<'g>(graph: &'g Graph, id: &str) -> &'g crate::graph::Resource {
    graph.resource(graph.find(id).unwrap_or_else(|| panic!("{id} not in graph")))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value.map(|v| &v.kind) {
        Some(ValueKind::List(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

const FUNCTION: &str = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.7
    Timeout: 10
    Environment:
      Variables: {STAGE: prod}
Resources:
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: pk, Type: Number}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Tracing: Active
      Environment:
        Variables: {TABLE: !Ref Table}
      Policies:
        - AmazonS3ReadOnlyAccess
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
      FunctionUrlConfig:
        AuthType: NONE
  Uses:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !GetAtt FnRole.Arn
"#;

#[test]
fn function_becomes_lambda_with_globals_role_policies_and_url() {
    let (graph, diagnostics) = graph(FUNCTION);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let function = resource(&graph, "Fn");
    assert_eq!(function.kind, "AWS::Lambda::Function");
    assert_eq!(function.source_kind.as_deref(), Some("AWS::Serverless::Function"));
    let props = &function.properties;
    assert_eq!(
        props.get("Runtime").and_then(Value::as_str),
        Some("python3.7"),
        "from Globals"
    );
    let variables = props
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .expect("merged map");
    assert!(variables.get("STAGE").is_some() && variables.get("TABLE").is_some());
    assert_eq!(
        props
            .get("TracingConfig")
            .and_then(|t| t.get("Mode"))
            .and_then(Value::as_str),
        Some("Active")
    );
    assert!(matches!(&props.get("Role").expect("role").kind, ValueKind::Ref(r) if r.target == "FnRole"));

    let role = resource(&graph, "FnRole");
    assert_eq!(role.kind, "AWS::IAM::Role");
    let managed = strings(role.properties.get("ManagedPolicyArns"));
    assert!(
        managed.contains(&"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".to_string())
    );
    assert!(managed.contains(&"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".to_string()));
    assert!(managed.contains(&"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess".to_string()));
    let ValueKind::List(inline) = &role.properties.get("Policies").expect("inline").kind else {
        panic!("a list")
    };
    assert_eq!(inline.len(), 2, "template and inline statement");
    let template = inline[0]
        .get("PolicyDocument")
        .and_then(|d| d.get("Statement"))
        .expect("doc");
    let ValueKind::List(statements) = &template.kind else {
        panic!("statements")
    };
    assert!(strings(statements[0].get("Action")).contains(&"dynamodb:PutItem".to_string()));
    // The role's span is the Policies key the user wrote.
    assert_eq!(role.span.start.line, 21);

    assert_eq!(resource(&graph, "FnUrl").kind, "AWS::Lambda::Url");
    let permission = resource(&graph, "FnUrlPublicPermissions");
    assert_eq!(
        permission.properties.get("Principal").and_then(Value::as_str),
        Some("*")
    );

    let table = resource(&graph, "Table");
    assert_eq!(table.kind, "AWS::DynamoDB::Table");
    assert_eq!(
        table.properties.get("BillingMode").and_then(Value::as_str),
        Some("PAY_PER_REQUEST")
    );
    // References to generated resources resolve like any other.
    let topic = resource(&graph, "Uses");
    assert!(
        matches!(&topic.properties.get("TopicName").expect("name").kind, ValueKind::Ref(r) if r.target == "FnRole")
    );
}

#[test]
fn apis_get_stages_with_their_logging_and_authorizers() {
    let (graph, _) = graph(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod-1
      AccessLogSetting: {DestinationArn: arn:aws:logs:eu-west-1:1:log-group:x, Format: "$context.requestId"}
      EndpointConfiguration: {Type: PRIVATE}
      Auth:
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:eu-west-1:1:userpool/x}
  Http:
    Type: AWS::Serverless::HttpApi
"#,
    );
    assert_eq!(resource(&graph, "Rest").kind, "AWS::ApiGateway::RestApi");
    let stage = resource(&graph, "Restprod1Stage");
    assert_eq!(stage.kind, "AWS::ApiGateway::Stage");
    assert!(stage.properties.get("AccessLogSetting").is_some());
    assert_eq!(
        strings(
            resource(&graph, "Rest")
                .properties
                .get("EndpointConfiguration")
                .and_then(|e| e.get("Types"))
        ),
        ["PRIVATE"]
    );
    let authorizer = resource(&graph, "RestPoolAuthorizer");
    assert_eq!(
        authorizer.properties.get("Type").and_then(Value::as_str),
        Some("COGNITO_USER_POOLS")
    );
    let http_stage = resource(&graph, "HttpApiGatewayDefaultStage");
    assert_eq!(http_stage.kind, "AWS::ApiGatewayV2::Stage");
    assert_eq!(
        http_stage.properties.get("StageName").and_then(Value::as_str),
        Some("$default")
    );
    assert!(http_stage.properties.get("AccessLogSettings").is_none());
}

#[test]
fn state_machines_and_layers_and_unknown_templates() {
    let (graph, diagnostics) = graph(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Logging: {Level: ALL}
      Policies:
        - SomeFuturePolicy: {}
  Layer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ./layer
      CompatibleRuntimes: [python3.12]
"#,
    );
    let machine = resource(&graph, "Machine");
    assert_eq!(machine.kind, "AWS::StepFunctions::StateMachine");
    assert_eq!(
        machine.properties.get("StateMachineType").and_then(Value::as_str),
        Some("EXPRESS")
    );
    assert!(machine.properties.get("LoggingConfiguration").is_some());
    assert_eq!(resource(&graph, "MachineRole").kind, "AWS::IAM::Role");
    assert_eq!(resource(&graph, "Layer").kind, "AWS::Lambda::LayerVersion");
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("SomeFuturePolicy is not modelled")),
        "{diagnostics:?}"
    );
}
