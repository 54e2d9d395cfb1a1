//! The execution role SAM creates for a function or state machine without a
//! `Role`: a trust policy for the service, base managed policies, and the
//! resource's `Policies` (managed policy names or ARNs, inline documents,
//! SAM policy templates).

use super::{derived, policy_templates, prop, text};
use crate::diagnostics::Diagnostic;
use crate::graph::{Resource, Value, ValueKind};

/// Where AWS managed policies live, for `Policies` entries given by name.
const AWS_MANAGED: &str = "arn:aws:iam::aws:policy/";

/// The role `<id>Role` for `from`, assumable by `service`, with `base` managed policies.
pub fn execution_role(
    from: &Resource,
    service: &str,
    base: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Resource {
    let policies = from.properties.prop("Policies");
    // Findings on the role point at the Policies the user wrote, else at the resource.
    let span = policies.map_or(from.span, |p| p.key_span);
    let mut managed: Vec<Value> = base.iter().map(|arn| text(span, arn)).collect();
    let mut inline = Vec::new();
    let entries: Vec<&Value> = match policies.map(|p| &p.value.kind) {
        Some(ValueKind::List(items)) => items.iter().collect(),
        Some(_) => policies.map(|p| &p.value).into_iter().collect(),
        None => Vec::new(),
    };
    for entry in entries {
        match &entry.kind {
            ValueKind::String(name) if !name.starts_with("arn:") => {
                managed.push(text(entry.span, &format!("{AWS_MANAGED}{name}")));
            }
            ValueKind::Map(_) if entry.get("Statement").is_some() => {
                inline.push(inline_policy(from, inline.len(), entry.clone()));
            }
            ValueKind::Map(fields) if fields.len() == 1 => {
                let template = &fields[0];
                match policy_templates::expand(&template.key, &template.value, template.key_span) {
                    Some(document) => inline.push(inline_policy(from, inline.len(), document)),
                    None => diagnostics.push(Diagnostic::note(
                        template.key_span.start,
                        format!(
                            "SAM policy template {} is not modelled; the permissions it grants are not checked",
                            template.key
                        ),
                    )),
                }
            }
            // An ARN, a `!Ref`/`!Sub` of one, or anything else the transform passes on.
            _ => managed.push(entry.clone()),
        }
    }
    let trust = Value::new(
        span,
        ValueKind::Map(vec![
            prop("Version", text(span, "2012-10-17")),
            prop(
                "Statement",
                Value::new(
                    span,
                    ValueKind::List(vec![Value::new(
                        span,
                        ValueKind::Map(vec![
                            prop("Effect", text(span, "Allow")),
                            prop(
                                "Principal",
                                Value::new(span, ValueKind::Map(vec![prop("Service", text(span, service))])),
                            ),
                            prop("Action", text(span, "sts:AssumeRole")),
                        ]),
                    )]),
                ),
            ),
        ]),
    );
    let mut properties = vec![
        prop("AssumeRolePolicyDocument", trust),
        prop("ManagedPolicyArns", Value::new(span, ValueKind::List(managed))),
    ];
    if !inline.is_empty() {
        properties.push(prop("Policies", Value::new(span, ValueKind::List(inline))));
    }
    properties.extend(super::copy(from, &["PermissionsBoundary"]));
    properties.extend(super::rename(from, "RolePath", "Path"));
    properties.extend(super::tag_list(from));
    derived(
        from,
        format!("{}Role", from.id),
        "AWS::IAM::Role",
        span,
        properties,
    )
}

/// `{PolicyName, PolicyDocument}` as SAM names it (`<id>RolePolicy<n>`).
fn inline_policy(from: &Resource, index: usize, document: Value) -> Value {
    let span = document.span;
    Value::new(
        span,
        ValueKind::Map(vec![
            prop("PolicyName", text(span, &format!("{}RolePolicy{index}", from.id))),
            prop("PolicyDocument", document),
        ]),
    )
}
