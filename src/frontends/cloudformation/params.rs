//! Template parameters and pseudo-parameters, with user-supplied overrides.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::graph::{Bounds, CondExpr, CondValue, Conditions, Origin, Pseudo, Unknowable, Value, ValueKind};
use crate::parse::{Node, NodeKind, Span};

use crate::graph::convert::node_to_value;

/// What a `Ref` to a parameter or pseudo-parameter evaluates to.
#[derive(Debug, Clone)]
pub enum ParamValue {
    /// A value (from an override, the default, or the only allowed value);
    /// for a parameter without a value but with `AllowedValues`, a
    /// conditional value over its choice (one branch per allowed value).
    Known(Value),
    /// Unknown before deploy, with the reason.
    Unknown(Unknowable),
    /// `AWS::NoValue`.
    NoValue,
}

/// The parameters of one template.
pub struct Parameters {
    values: HashMap<String, ParamValue>,
    /// The choice atoms of parameters without a value but with
    /// `AllowedValues`: each allowed value (as text) with its atom.
    choices: HashMap<String, Vec<(String, usize)>>,
    /// What parameters without a value are bounded to.
    pub bounds: HashMap<String, Bounds>,
}

impl Parameters {
    /// Reads the `Parameters` section; `overrides` (from `--param` / `--params`)
    /// win over defaults. Values outside `AllowedValues` are reported. The
    /// choices of parameters without a value are added to `conditions`.
    pub fn new(
        section: Option<&Node>,
        overrides: &HashMap<String, String>,
        conditions: &mut Conditions,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Parameters {
        let mut values = HashMap::new();
        let mut choices = HashMap::new();
        let mut bounds = HashMap::new();
        for (pseudo, name) in Pseudo::ALL {
            let value = match overrides.get(*name) {
                Some(v) => ParamValue::Known(override_value(name, v)),
                None => ParamValue::Unknown(Unknowable::Pseudo(*pseudo)),
            };
            values.insert((*name).to_string(), value);
        }
        values.insert("AWS::NoValue".to_string(), ParamValue::NoValue);
        if let Some(entries) = section.and_then(Node::as_map) {
            for entry in entries {
                let name = &entry.key;
                let mut value = parameter_value(name, &entry.value, overrides, diagnostics);
                if let ParamValue::Unknown(_) = value {
                    let field = |key: &str| entry.value.get(key).and_then(|e| scalar_text(&e.value));
                    let ty = field("Type").unwrap_or_else(|| "String".to_string());
                    let allowed = allowed_values(&entry.value);
                    if allowed.len() > 1 && (ty == "String" || ty == "Number") {
                        let atoms = conditions.add_choice(name, &allowed);
                        value = ParamValue::Known(choice_value(name, &ty, &allowed, &atoms, conditions));
                        choices.insert(name.clone(), allowed.into_iter().zip(atoms).collect());
                    } else if let Some(b) = Bounds::declared(&ty, &field) {
                        bounds.insert(name.clone(), b);
                    }
                }
                values.insert(name.clone(), value);
            }
        } else if let Some(node) = section
            && !matches!(node.kind, NodeKind::Null)
        {
            diagnostics.push(Diagnostic::error(
                node.span.start,
                format!("Parameters must be a mapping, not {}", node.shape_name()),
            ));
        }
        Parameters {
            values,
            choices,
            bounds,
        }
    }

    /// The value of a parameter or pseudo-parameter; `None` if `name` is neither.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// The allowed values of a parameter without a value, each with its atom.
    pub fn choice(&self, name: &str) -> Option<&[(String, usize)]> {
        self.choices.get(name).map(Vec::as_slice)
    }
}

/// The value of a parameter that is one of `allowed` (atoms in the same
/// order): `if P is a then a else if P is b then b ... else the last`, over
/// named conditions `P is "a"` that the world evaluator decides.
fn choice_value(
    name: &str,
    ty: &str,
    allowed: &[String],
    atoms: &[usize],
    conditions: &mut Conditions,
) -> Value {
    let leaf = |text: &String| Value {
        span: Span::default(),
        kind: if ty == "Number" {
            ValueKind::Number(text.clone())
        } else {
            ValueKind::String(text.clone())
        },
        origin: Origin::Parameter(name.to_string()),
    };
    let last = allowed.len() - 1;
    let mut value = leaf(&allowed[last]);
    for (text, &atom) in allowed[..last].iter().zip(atoms).rev() {
        let condition = choice_condition(name, text);
        conditions.define(condition.clone(), CondExpr::Atom(atom));
        value = Value {
            span: Span::default(),
            kind: ValueKind::Cond(Box::new(CondValue {
                condition,
                then: leaf(text),
                otherwise: value,
            })),
            origin: Origin::Parameter(name.to_string()),
        };
    }
    value
}

/// The name of the condition "parameter `name` is `value`" (not a valid
/// template condition name, so it cannot clash with one).
fn choice_condition(name: &str, value: &str) -> String {
    format!("{name} is {value:?}")
}

/// The `AllowedValues` of a declaration, as text.
fn allowed_values(decl: &Node) -> Vec<String> {
    match decl.get("AllowedValues").map(|e| &e.value.kind) {
        Some(NodeKind::Seq(items)) => {
            let mut values: Vec<String> = Vec::with_capacity(items.len());
            for text in items.iter().filter_map(scalar_text) {
                if !values.contains(&text) {
                    values.push(text);
                }
            }
            values
        }
        _ => Vec::new(),
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
        return ParamValue::Unknown(Unknowable::SsmParameter {
            name: name.to_string(),
        });
    }
    let allowed = allowed_values(decl);
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
        return ParamValue::Unknown(Unknowable::parameter_without_value(name));
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
