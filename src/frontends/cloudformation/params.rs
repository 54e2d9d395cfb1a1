//! Template parameters and pseudo-parameters, with user-supplied overrides.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::graph::{Origin, Value, ValueKind};
use crate::parse::{Node, NodeKind, Span};

use super::convert::node_to_value;

/// What a `Ref` to a parameter or pseudo-parameter evaluates to.
#[derive(Debug, Clone)]
pub enum ParamValue {
    /// A value (from an override, the default, or the only allowed value).
    Known(Value),
    /// Unknown before deploy, with the reason.
    Unknown(String),
    /// `AWS::NoValue`.
    NoValue,
}

/// The parameters of one template.
pub struct Parameters {
    values: HashMap<String, ParamValue>,
}

const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

impl Parameters {
    /// Reads the `Parameters` section; `overrides` (from `--param` / `--params`)
    /// win over defaults. Values outside `AllowedValues` are reported.
    pub fn new(
        section: Option<&Node>,
        overrides: &HashMap<String, String>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Parameters {
        let mut values = HashMap::new();
        for name in PSEUDO {
            let value = match overrides.get(*name) {
                Some(v) => ParamValue::Known(override_value(name, v)),
                None => ParamValue::Unknown(format!("{name} is known only at deploy time")),
            };
            values.insert((*name).to_string(), value);
        }
        values.insert("AWS::NoValue".to_string(), ParamValue::NoValue);
        if let Some(entries) = section.and_then(Node::as_map) {
            for entry in entries {
                let value = parameter_value(&entry.key, &entry.value, overrides, diagnostics);
                values.insert(entry.key.clone(), value);
            }
        } else if let Some(node) = section
            && !matches!(node.kind, NodeKind::Null)
        {
            diagnostics.push(Diagnostic::error(
                node.span.start,
                format!("Parameters must be a mapping, not {}", node.shape_name()),
            ));
        }
        Parameters { values }
    }

    /// The value of a parameter or pseudo-parameter; `None` if `name` is neither.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }
}

fn override_value(name: &str, text: &str) -> Value {
    Value {
        span: Span::default(),
        kind: ValueKind::String(text.to_string()),
        origin: Origin::Parameter(name.to_string()),
    }
}

fn parameter_value(
    name: &str,
    decl: &Node,
    overrides: &HashMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ParamValue {
    let ty = decl
        .get("Type")
        .and_then(|e| e.value.as_str())
        .unwrap_or("String");
    if ty.starts_with("AWS::SSM::Parameter::Value<") {
        return ParamValue::Unknown(format!(
            "parameter {name} is read from SSM Parameter Store at deploy time"
        ));
    }
    let allowed: Vec<String> = match decl.get("AllowedValues").map(|e| &e.value.kind) {
        Some(NodeKind::Seq(items)) => items.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    };
    let (text, span) = if let Some(v) = overrides.get(name) {
        (v.clone(), Span::default())
    } else if let Some(default) = decl.get("Default") {
        match scalar_text(&default.value) {
            Some(t) => (t, default.value.span),
            None => {
                // A list default (for List<> types) is taken as written.
                let value = node_to_value(&default.value);
                return ParamValue::Known(Value {
                    origin: Origin::Parameter(name.to_string()),
                    ..value
                });
            }
        }
    } else if allowed.len() == 1 {
        (allowed[0].clone(), Span::default())
    } else {
        return ParamValue::Unknown(format!("parameter {name} has no default and no value was given"));
    };
    if !allowed.is_empty() && !allowed.contains(&text) {
        diagnostics.push(Diagnostic::warning(
            if span.is_empty() {
                decl.span.start
            } else {
                span.start
            },
            format!("value \"{text}\" of parameter {name} is not one of its AllowedValues"),
        ));
    }
    let kind = if ty == "CommaDelimitedList" || ty.starts_with("List<") {
        ValueKind::List(
            text.split(',')
                .map(|item| Value {
                    span,
                    kind: ValueKind::String(item.trim().to_string()),
                    origin: Origin::Parameter(name.to_string()),
                })
                .collect(),
        )
    } else if ty == "Number" {
        ValueKind::Number(text)
    } else {
        ValueKind::String(text)
    };
    ParamValue::Known(Value {
        span,
        kind,
        origin: Origin::Parameter(name.to_string()),
    })
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(s) | NodeKind::Number(s) => Some(s.clone()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
