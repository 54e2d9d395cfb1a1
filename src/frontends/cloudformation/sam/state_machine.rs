//! `AWS::Serverless::StateMachine` -> `AWS::StepFunctions::StateMachine` and,
//! without `Role`, its execution role `<id>Role` built from `Policies`.

use super::{copy, prop, reference, rename, role, tag_list};
use crate::diagnostics::Diagnostic;
use crate::graph::{Resource, Value, ValueKind};

pub fn lower(sam: Resource, diagnostics: &mut Vec<Diagnostic>) -> Vec<Resource> {
    let mut out = Vec::new();
    let mut properties = copy(&sam, &["Definition", "DefinitionSubstitutions"]);
    properties.extend(rename(&sam, "Name", "StateMachineName"));
    properties.extend(rename(&sam, "DefinitionUri", "DefinitionS3Location"));
    properties.extend(rename(&sam, "Logging", "LoggingConfiguration"));
    properties.extend(rename(&sam, "Tracing", "TracingConfiguration"));
    properties.extend(rename(&sam, "Type", "StateMachineType"));
    properties.extend(tag_list(&sam));
    match rename(&sam, "Role", "RoleArn") {
        Some(role) => properties.push(role),
        None => {
            let role = role::execution_role(&sam, "states.amazonaws.com", &[], diagnostics);
            properties.push(prop("RoleArn", reference(role.span, &role.id, Some("Arn"))));
            out.push(role);
        }
    }
    out.insert(
        0,
        Resource {
            kind: "AWS::StepFunctions::StateMachine".into(),
            properties: Value::new(sam.properties.span, ValueKind::Map(properties)),
            ..sam
        },
    );
    out
}
