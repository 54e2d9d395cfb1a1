//! A template's `Parameters` and `Outputs` as graph items of the canonical
//! types [`PARAMETER`] and [`OUTPUT`], so checks on inputs and outputs
//! (PF-GEN-01, PF-GEN-04) read them like resources — and Terraform variables
//! and outputs, lifted to the same types, are judged by the same rules.
//! `{{resolve:ssm:...}}` dynamic references are parameters too, declared
//! where they are used.

use std::collections::HashSet;

use super::intrinsics::{Evaluator, ssm_name};
use crate::graph::convert::node_to_value;
use crate::graph::{Deployment, OUTPUT, Origin, PARAMETER, Prop, Resource, ResourceRef, Value, ValueKind};
use crate::parse::{Node, NodeKind};

/// One item per declared parameter: `Parameters.<Name>` with the
/// declaration's fields as written (`Type`, `NoEcho`, `Default`, ...).
pub fn parameters(section: Option<&Node>) -> Vec<Resource> {
    let Some(entries) = section.and_then(Node::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| e.value.as_map().is_some())
        .map(|e| {
            declaration(
                format!("Parameters.{}", e.key),
                PARAMETER,
                e.key_span,
                node_to_value(&e.value),
            )
        })
        .collect()
}

/// One item per `{{resolve:ssm:NAME}}` dynamic reference a property value
/// is made of (values whose origin is the reference, see
/// `intrinsics::literal_string`): a parameter of type
/// `AWS::SSM::Parameter::Value<String>` whose `Default` is NAME, as if the
/// template declared it, with the reference as its id. Located at its first use.
pub fn dynamic_parameters(resources: &[Resource]) -> Vec<Resource> {
    let mut found: Vec<(String, crate::parse::Span)> = Vec::new();
    for resource in resources {
        collect_dynamic(&resource.properties, &mut found, 0);
    }
    found
        .into_iter()
        .filter_map(|(reference, span)| {
            let name = ssm_name(&reference)?;
            let text = |s: &str| Value::new(span, ValueKind::String(s.to_string()));
            let props = vec![
                prop("Type", text("AWS::SSM::Parameter::Value<String>")),
                prop("Default", text(name)),
            ];
            Some(declaration(
                reference.clone(),
                PARAMETER,
                span,
                Value::new(span, ValueKind::Map(props)),
            ))
        })
        .collect()
}

fn collect_dynamic(value: &Value, found: &mut Vec<(String, crate::parse::Span)>, depth: usize) {
    if depth > 256 {
        return;
    }
    if let Origin::Parameter(name) = &value.origin
        && name.starts_with("{{resolve:")
        && !found.iter().any(|(n, _)| n == name)
    {
        found.push((name.clone(), value.span));
    }
    match &value.kind {
        ValueKind::List(items) => items.iter().for_each(|v| collect_dynamic(v, found, depth + 1)),
        ValueKind::Map(props) => props
            .iter()
            .for_each(|p| collect_dynamic(&p.value, found, depth + 1)),
        ValueKind::Cond(c) => {
            collect_dynamic(&c.then, found, depth + 1);
            collect_dynamic(&c.otherwise, found, depth + 1);
        }
        _ => {}
    }
}

/// One item per output: `Outputs.<Name>` with its evaluated `Value` and
/// what the value is made of.
pub fn outputs(
    section: Option<&Node>,
    parameters: &HashSet<String>,
    evaluator: &Evaluator<'_>,
) -> Vec<Resource> {
    let Some(entries) = section.and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        let Some(value) = entry.value.get("Value") else {
            continue;
        };
        let mut parts = Parts::default();
        parts.walk(&value.value, parameters);
        let span = value.value.span;
        let list = |items: Vec<Value>| Value::new(span, ValueKind::List(items));
        let mut props = vec![
            prop("Value", evaluator.eval(&value.value)),
            prop("Parameters", list(parts.parameters)),
            prop("Attributes", list(parts.attributes)),
            prop("DynamicReferences", list(parts.dynamic)),
        ];
        if let Some(export) = entry.value.get("Export") {
            props.push(prop("Export", evaluator.eval(&export.value)));
        }
        let mut item = declaration(
            format!("Outputs.{}", entry.key),
            OUTPUT,
            entry.key_span,
            Value::new(entry.value.span, ValueKind::Map(props)),
        );
        if let Some(condition) = entry.value.get("Condition").and_then(|c| c.value.as_str()) {
            item.deployment = match evaluator.conditions.decided(condition) {
                Some(false) => Deployment::Never {
                    condition: condition.to_string(),
                },
                None if evaluator.conditions.expr(condition).is_some() => Deployment::When {
                    condition: condition.to_string(),
                },
                _ => Deployment::Always,
            };
        }
        out.push(item);
    }
    out
}

fn declaration(id: String, kind: &str, span: crate::parse::Span, properties: Value) -> Resource {
    Resource {
        id,
        kind: kind.to_string(),
        span,
        properties,
        deployment: Deployment::Always,
        metadata: None,
        source_kind: None,
        known_names: Vec::new(),
        written: None,
        joined: Vec::new(),
        generated_from: None,
        mapping: None,
    }
}

fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// What an output's value is built from, read from the template as written.
#[derive(Default)]
struct Parts {
    /// References to the inputs it uses (`Parameters.<Name>`).
    parameters: Vec<Value>,
    /// `Target.Attribute` of every `Fn::GetAtt` and `${X.Y}`.
    attributes: Vec<Value>,
    /// `{{resolve:...}}` references it contains.
    dynamic: Vec<Value>,
}

impl Parts {
    fn walk(&mut self, node: &Node, parameters: &HashSet<String>) {
        let text = |s: &str| Value::new(node.span, ValueKind::String(s.to_string()));
        match &node.kind {
            NodeKind::Map(entries) if entries.len() == 1 => {
                let e = &entries[0];
                match (e.key.as_str(), &e.value.kind) {
                    ("Ref", NodeKind::String(name)) if parameters.contains(name) => {
                        self.parameters.push(Value::new(
                            node.span,
                            ValueKind::Ref(Box::new(ResourceRef {
                                target: format!("Parameters.{name}"),
                                attribute: None,
                            })),
                        ))
                    }
                    ("Fn::GetAtt", NodeKind::String(dotted)) => self.attributes.push(text(dotted)),
                    ("Fn::GetAtt", NodeKind::Seq(items)) => {
                        let names: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
                        if names.len() == 2 {
                            self.attributes.push(text(&names.join(".")));
                        }
                    }
                    ("Fn::Sub", _) => {
                        let template = match &e.value.kind {
                            NodeKind::String(s) => Some(s.as_str()),
                            NodeKind::Seq(items) => items.first().and_then(Node::as_str),
                            _ => None,
                        };
                        for variable in template.map(sub_variables).unwrap_or_default() {
                            if variable.contains('.') {
                                self.attributes.push(text(variable));
                            } else if parameters.contains(variable) {
                                self.parameters.push(Value::new(
                                    node.span,
                                    ValueKind::Ref(Box::new(ResourceRef {
                                        target: format!("Parameters.{variable}"),
                                        attribute: None,
                                    })),
                                ));
                            }
                        }
                        if let Some(t) = template {
                            self.dynamic_in(t, node);
                        }
                        if let NodeKind::Seq(items) = &e.value.kind {
                            for item in items.iter().skip(1) {
                                self.walk(item, parameters);
                            }
                        }
                    }
                    _ => self.walk(&e.value, parameters),
                }
            }
            NodeKind::Map(entries) => entries.iter().for_each(|e| self.walk(&e.value, parameters)),
            NodeKind::Seq(items) => items.iter().for_each(|i| self.walk(i, parameters)),
            NodeKind::String(s) => self.dynamic_in(s, node),
            _ => {}
        }
    }

    fn dynamic_in(&mut self, text: &str, node: &Node) {
        let mut rest = text;
        while let Some(start) = rest.find("{{resolve:") {
            let end = rest[start..].find("}}").map_or(rest.len(), |e| start + e + 2);
            self.dynamic.push(Value::new(
                node.span,
                ValueKind::String(rest[start..end].to_string()),
            ));
            rest = &rest[end..];
        }
    }
}

/// The `${...}` variables of an `Fn::Sub` template (`${!Literal}` excluded).
fn sub_variables(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + 2 + len];
        if !name.starts_with('!') {
            out.push(name.trim());
        }
        rest = &rest[start + 2 + len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sub_variables;

    #[test]
    fn sub_variables_skip_literals() {
        assert_eq!(sub_variables("${A}-${B.Arn}-${!C}"), vec!["A", "B.Arn"]);
    }
}
