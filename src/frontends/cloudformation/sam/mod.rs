//! SAM (`Transform: AWS::Serverless-2016-10-31`): each serverless resource is
//! lowered to the CloudFormation resources the SAM transform would create —
//! named as SAM names them, so `!GetAtt MyFunctionRole.Arn` still resolves —
//! and the same checks run on those. Generated resources keep the span of
//! what the user wrote (the SAM resource, or the property they came from) and
//! name the SAM type as their source type, so findings point at the template.

mod api;
mod function;
mod layer;
mod policy_templates;
mod role;
mod simple_table;
mod state_machine;

use crate::diagnostics::Diagnostic;
use crate::graph::{Prop, Resource, ResourceRef, Value, ValueKind};
use crate::parse::{Node, Span};

/// The SAM resource types lowered here.
const LOWERED: &[&str] = &[
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
    "AWS::Serverless::LayerVersion",
];

/// The evaluated `Globals` section: defaults per SAM resource kind.
#[derive(Debug, Default)]
pub struct Globals {
    section: Option<Value>,
}

impl Globals {
    /// `section` is the evaluated `Globals` mapping, if the template has one.
    pub fn new(section: Option<Value>) -> Globals {
        Globals { section }
    }

    /// The globals for a SAM type (`Function` for `AWS::Serverless::Function`).
    fn of(&self, kind: &str) -> Option<&Value> {
        let short = kind.strip_prefix("AWS::Serverless::")?;
        self.section.as_ref()?.get(short)
    }
}

/// The logical ids the transform will add for a SAM resource, known before
/// evaluation so references to them (`!GetAtt FnRole.Arn`) resolve.
pub fn generated_ids(id: &str, kind: &str, body: &Node) -> Vec<String> {
    let properties = body.get("Properties").map(|p| &p.value);
    let has = |key: &str| properties.is_some_and(|p| p.get(key).is_some());
    match kind {
        "AWS::Serverless::Function" => {
            let mut ids = Vec::new();
            if !has("Role") {
                ids.push(format!("{id}Role"));
            }
            if has("FunctionUrlConfig") {
                ids.push(format!("{id}Url"));
            }
            ids
        }
        "AWS::Serverless::StateMachine" if !has("Role") => vec![format!("{id}Role")],
        _ => Vec::new(),
    }
}

/// Lowers `resource` when it is a SAM type this module knows; any other
/// resource comes back unchanged.
pub fn lower(mut resource: Resource, globals: &Globals, diagnostics: &mut Vec<Diagnostic>) -> Vec<Resource> {
    if !LOWERED.contains(&resource.kind.as_str()) {
        return vec![resource];
    }
    if let Some(defaults) = globals.of(&resource.kind) {
        apply_globals(&mut resource.properties, defaults);
    }
    let sam_kind = resource.kind.clone();
    let sam_id = resource.id.clone();
    let mut out = match sam_kind.as_str() {
        "AWS::Serverless::Function" => function::lower(resource, diagnostics),
        "AWS::Serverless::Api" => api::lower_rest(resource),
        "AWS::Serverless::HttpApi" => api::lower_http(resource),
        "AWS::Serverless::SimpleTable" => vec![simple_table::lower(resource)],
        "AWS::Serverless::StateMachine" => state_machine::lower(resource, diagnostics),
        _ => vec![layer::lower(resource)],
    };
    for generated in &mut out {
        generated.source_kind = Some(sam_kind.clone());
        if generated.id != sam_id {
            generated.generated_from = Some(sam_id.clone());
        }
    }
    out
}

/// Fills what the resource leaves unset from its globals; maps (such as
/// `Environment.Variables` or `Tags`) merge key by key, the resource winning.
fn apply_globals(properties: &mut Value, defaults: &Value) {
    let (ValueKind::Map(props), ValueKind::Map(globals)) = (&mut properties.kind, &defaults.kind) else {
        return;
    };
    for global in globals {
        match props.iter_mut().find(|p| p.key == global.key) {
            Some(own) if matches!(own.value.kind, ValueKind::Map(_)) => {
                apply_globals(&mut own.value, &global.value)
            }
            Some(_) => {}
            None => props.push(global.clone()),
        }
    }
}

/// A resource generated from `from`, declared where `span` is.
fn derived(from: &Resource, id: String, kind: &str, span: Span, properties: Vec<Prop>) -> Resource {
    Resource {
        id,
        kind: kind.to_string(),
        span,
        properties: Value::new(span, ValueKind::Map(properties)),
        deployment: from.deployment.clone(),
        metadata: from.metadata.clone(),
        source_kind: None,
        known_names: Vec::new(),
        written: None,
        joined: Vec::new(),
        generated_from: None,
        mapping: None,
    }
}

/// A property written at `span`.
fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// A string written (or implied) at `span`.
fn text(span: Span, value: &str) -> Value {
    Value::new(span, ValueKind::String(value.to_string()))
}

/// `!GetAtt target.attribute` (or `!Ref target` without an attribute), implied at `span`.
fn reference(span: Span, target: &str, attribute: Option<&str>) -> Value {
    Value::new(
        span,
        ValueKind::Ref(Box::new(ResourceRef {
            target: target.to_string(),
            attribute: attribute.map(str::to_string),
        })),
    )
}

/// The properties of a SAM resource, by key (an empty list when not a map).
fn props(resource: &Resource) -> &[Prop] {
    match &resource.properties.kind {
        ValueKind::Map(props) => props,
        _ => &[],
    }
}

/// Copies the listed properties (same name in SAM and CloudFormation) that are set.
fn copy(resource: &Resource, keys: &[&str]) -> Vec<Prop> {
    props(resource)
        .iter()
        .filter(|p| keys.contains(&p.key.as_str()))
        .cloned()
        .collect()
}

/// Copies property `from` under the CloudFormation name `to`, when set.
fn rename(resource: &Resource, from: &str, to: &str) -> Option<Prop> {
    resource.properties.prop(from).map(|p| renamed(p, to))
}

/// A property under another name, keeping where it was written.
fn renamed(prop: &Prop, to: &str) -> Prop {
    Prop {
        key: to.to_string(),
        key_span: prop.key_span,
        value: prop.value.clone(),
    }
}

/// SAM tags (`{Key: Value}`) as CloudFormation's `[{Key, Value}]`.
fn tag_list(resource: &Resource) -> Option<Prop> {
    let tags = resource.properties.prop("Tags")?;
    let ValueKind::Map(entries) = &tags.value.kind else {
        return Some(tags.clone());
    };
    let list = entries
        .iter()
        .map(|e| {
            Value::new(
                e.key_span,
                ValueKind::Map(vec![
                    prop("Key", text(e.key_span, &e.key)),
                    prop("Value", e.value.clone()),
                ]),
            )
        })
        .collect();
    Some(Prop {
        key: "Tags".into(),
        key_span: tags.key_span,
        value: Value::new(tags.value.span, ValueKind::List(list)),
    })
}

#[cfg(test)]
mod tests;
