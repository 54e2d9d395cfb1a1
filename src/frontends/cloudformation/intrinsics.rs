//! Evaluation of CloudFormation intrinsic functions into tri-state values.
//!
//! What can be decided from the template and its parameters is computed; what
//! only exists after deploy stays symbolic (`Ref` to a resource) or unknown,
//! always with the reason.

use std::collections::HashSet;

use crate::graph::{
    BoundedBy, CondValue, Conditions, Origin, Part, Prop, ResourceRef, Unknowable, Value, ValueKind,
};
use crate::parse::{Node, NodeKind, Span};

use super::params::{ParamValue, Parameters};
use crate::graph::convert::node_to_value;

/// Evaluates property trees of one template.
pub struct Evaluator<'t> {
    pub params: &'t Parameters,
    /// `NoEcho` parameters: their values are secrets, so a text built with
    /// one (`Fn::Sub`, `Fn::Join`) holds a hole there, not a second literal.
    pub hidden: &'t HashSet<String>,
    pub mappings: Option<&'t Node>,
    pub conditions: &'t Conditions,
    pub resources: &'t HashSet<String>,
}

/// The name of the intrinsic function a node calls, if it is a call.
pub fn intrinsic_name(node: &Node) -> Option<&str> {
    match node.as_map()? {
        [entry]
            if entry.key == "Ref"
                || entry.key == "Condition"
                || entry.key.starts_with("Fn::")
                || entry.key.starts_with("Rain::") =>
        {
            Some(&entry.key)
        }
        _ => None,
    }
}

impl Evaluator<'_> {
    /// Evaluates a node: intrinsics are applied, `AWS::NoValue` removes keys and items.
    pub fn eval(&self, node: &Node) -> Value {
        if let Some(name) = intrinsic_name(node) {
            let arg = &node.as_map().expect("intrinsic is a map")[0].value;
            return self.call(name, arg, node.span);
        }
        let kind = match &node.kind {
            NodeKind::Null => ValueKind::Null,
            NodeKind::Bool(b) => ValueKind::Bool(*b),
            NodeKind::Number(n) => ValueKind::Number(n.clone()),
            NodeKind::String(s) => return literal_string(s, node.span),
            NodeKind::Seq(items) => ValueKind::List(
                items
                    .iter()
                    .map(|n| self.eval(n))
                    .filter(|v| v.kind != ValueKind::Absent)
                    .collect(),
            ),
            NodeKind::Map(entries) => ValueKind::Map(
                entries
                    .iter()
                    .map(|e| Prop {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: self.eval(&e.value),
                    })
                    .filter(|p| p.value.kind != ValueKind::Absent)
                    .collect(),
            ),
        };
        Value::new(node.span, kind)
    }

    fn call(&self, name: &str, arg: &Node, span: Span) -> Value {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, span),
                None => Value::unknown(span, Unknowable::malformed("Ref", "a name")),
            },
            "Fn::GetAtt" => self.get_att(arg, span),
            "Fn::Sub" => self.sub(arg, span),
            "Fn::Join" => self.join(arg, span),
            "Fn::Select" => self.select(arg, span),
            "Fn::Split" => self.split(arg, span),
            "Fn::FindInMap" => self.find_in_map(arg, span),
            "Fn::If" => self.if_(arg, span),
            // The decoded text is what checks (e.g. secret detection) want to read.
            "Fn::Base64" => self.eval(arg),
            "Fn::ImportValue" => {
                let what = self.eval(arg).describe();
                Value::unknown(span, Unknowable::Import { export: what })
            }
            "Fn::GetAZs" => Value::unknown(span, Unknowable::deploy_time("Fn::GetAZs")),
            "Fn::Cidr" => Value::unknown(span, Unknowable::deploy_time("Fn::Cidr")),
            "Fn::Transform" => Value::unknown(
                span,
                Unknowable::Macro {
                    name: "Fn::Transform".into(),
                },
            ),
            "Fn::Length" => distribute(name, vec![self.eval(arg)], span, &|args| match &args[0].kind {
                ValueKind::List(items) => Value::new(span, ValueKind::Number(items.len().to_string())),
                _ => Value::unknown(span, Unknowable::deploy_time("Fn::Length of this list")),
            }),
            "Fn::ToJsonString" => distribute(
                name,
                vec![self.eval(arg)],
                span,
                &|args| match to_json(&args[0]) {
                    Some(json) => Value::new(span, ValueKind::String(json.to_string())),
                    None => Value::unknown(span, Unknowable::deploy_time("Fn::ToJsonString of these values")),
                },
            ),
            rain if rain.starts_with("Rain::") => Value::unknown(
                span,
                Unknowable::not_modelled(format!(
                    "{rain} (a rain directive, expanded by `rain pkg` before deploy)"
                )),
            ),
            other => Value::unknown(
                span,
                Unknowable::malformed(other, "a place outside a property value"),
            ),
        }
    }

    /// `Ref name`: a parameter's value, a pseudo-parameter, or a resource reference.
    fn reference(&self, target: &str, span: Span) -> Value {
        match self.params.get(target) {
            Some(ParamValue::Known(v)) => v.clone().relocated(span),
            Some(ParamValue::Unknown(reason)) => Value {
                span,
                kind: ValueKind::Unknown(Box::new(reason.clone())),
                origin: Origin::Parameter(target.to_string()),
            },
            Some(ParamValue::NoValue) => Value::new(span, ValueKind::Absent),
            None if self.resources.contains(target) => Value::new(
                span,
                ValueKind::Ref(Box::new(ResourceRef {
                    target: target.to_string(),
                    attribute: None,
                })),
            ),
            None => Value::unknown(span, Unknowable::not_declared(format!("{target} (named by Ref)"))),
        }
    }

    fn get_att(&self, arg: &Node, span: Span) -> Value {
        let (resource, attribute) = match &arg.kind {
            NodeKind::Seq(items) if items.len() == 2 => {
                let attr = match self.eval(&items[1]).scalar_text() {
                    Some(a) => a.into_owned(),
                    None => return Value::unknown(span, Unknowable::deploy_time("Fn::GetAtt attribute")),
                };
                match items[0].as_str() {
                    Some(r) => (r.to_string(), attr),
                    None => {
                        return Value::unknown(span, Unknowable::malformed("Fn::GetAtt", "a resource name"));
                    }
                }
            }
            NodeKind::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), a.to_string()),
                None => {
                    return Value::unknown(span, Unknowable::malformed("Fn::GetAtt", "Resource.Attribute"));
                }
            },
            _ => return Value::unknown(span, Unknowable::malformed("Fn::GetAtt", "[Resource, Attribute]")),
        };
        if !self.resources.contains(&resource) {
            return Value::unknown(
                span,
                Unknowable::not_declared(format!("{resource} (named by Fn::GetAtt)")),
            );
        }
        Value::new(
            span,
            ValueKind::Ref(Box::new(ResourceRef {
                target: resource,
                attribute: Some(attribute),
            })),
        )
    }

    fn sub(&self, arg: &Node, span: Span) -> Value {
        let (template, vars) = match &arg.kind {
            NodeKind::String(s) => (s.as_str(), None),
            NodeKind::Seq(items) if items.len() == 2 => match items[0].as_str() {
                Some(s) => (s, items[1].as_map()),
                None => return Value::unknown(span, Unknowable::malformed("Fn::Sub", "a string template")),
            },
            _ => {
                return Value::unknown(
                    span,
                    Unknowable::malformed("Fn::Sub", "a string or [string, variables]"),
                );
            }
        };
        // Literal text and the values of the variables, in order.
        let mut pieces: Vec<Result<String, usize>> = Vec::new();
        let mut values = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            pieces.push(Ok(rest[..start].to_string()));
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                pieces.push(Ok(rest[start..].to_string()));
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                pieces.push(Ok(format!("${{{literal}}}")));
            } else {
                let value = match vars.and_then(|v| v.iter().find(|e| e.key == name)) {
                    Some(entry) => self.eval(&entry.value),
                    None => self.sub_variable(name.trim(), span),
                };
                pieces.push(Err(values.len()));
                values.push(value);
            }
            rest = &after[end + 1..];
        }
        pieces.push(Ok(rest.to_string()));
        distribute("Fn::Sub", values, span, &|values| {
            let mut parts = Vec::new();
            for piece in &pieces {
                match piece {
                    Ok(text) => parts.push(Part::Lit(text.clone())),
                    Err(i) => self.splice(&values[*i], &mut parts),
                }
            }
            Value::from_parts(parts, span)
        })
    }

    fn sub_variable(&self, name: &str, span: Span) -> Value {
        if self.params.get(name).is_some() || self.resources.contains(name) {
            return self.reference(name, span);
        }
        match name.split_once('.') {
            Some((resource, attribute)) if self.resources.contains(resource) => Value::new(
                span,
                ValueKind::Ref(Box::new(ResourceRef {
                    target: resource.to_string(),
                    attribute: Some(attribute.to_string()),
                })),
            ),
            _ => Value::unknown(span, Unknowable::not_declared(format!("${{{name}}}"))),
        }
    }

    fn join(&self, arg: &Node, span: Span) -> Value {
        let NodeKind::Seq(items) = &arg.kind else {
            return Value::unknown(span, Unknowable::malformed("Fn::Join", "[delimiter, list]"));
        };
        let [delimiter, list] = items.as_slice() else {
            return Value::unknown(span, Unknowable::malformed("Fn::Join", "[delimiter, list]"));
        };
        let Some(delimiter) = delimiter.as_str().map(str::to_string) else {
            return Value::unknown(span, Unknowable::malformed("Fn::Join", "a string delimiter"));
        };
        distribute("Fn::Join", vec![self.eval(list)], span, &|mut list| {
            let list = list.remove(0);
            if let ValueKind::Unknown(reason) = list.kind {
                return Value::unknown(span, reason);
            }
            let ValueKind::List(values) = list.kind else {
                return Value::unknown(
                    span,
                    Unknowable::malformed("Fn::Join", format!("a list, not {}", list.describe())),
                );
            };
            distribute("Fn::Join", values, span, &|values| {
                let mut parts = Vec::new();
                // A branch may remove an item (`AWS::NoValue`): it takes no delimiter.
                for (i, value) in values.iter().filter(|v| v.kind != ValueKind::Absent).enumerate() {
                    if i > 0 {
                        parts.push(Part::Lit(delimiter.clone()));
                    }
                    self.splice(value, &mut parts);
                }
                Value::from_parts(parts, span)
            })
        })
    }

    /// Appends a value to a text being built; a `NoEcho` parameter's value
    /// is a hole (its default is judged where it is declared).
    fn splice(&self, value: &Value, parts: &mut Vec<Part>) {
        match value.origin.parameter() {
            Some(name) if self.hidden.contains(name) => {
                parts.push(Part::Unknown(Unknowable::secret(format!(
                    "NoEcho parameter {name}"
                ))));
            }
            _ => value.push_parts(parts),
        }
    }

    fn select(&self, arg: &Node, span: Span) -> Value {
        let NodeKind::Seq(items) = &arg.kind else {
            return Value::unknown(span, Unknowable::malformed("Fn::Select", "[index, list]"));
        };
        let [index, list] = items.as_slice() else {
            return Value::unknown(span, Unknowable::malformed("Fn::Select", "[index, list]"));
        };
        distribute(
            "Fn::Select",
            vec![self.eval(index), self.eval(list)],
            span,
            &|mut args| {
                let list = args.pop().expect("two arguments");
                let index = args.pop().expect("two arguments");
                if let ValueKind::Unknown(reason) = index.kind {
                    return Value::unknown(span, reason.within("Fn::Select index"));
                }
                let Some(i) = index.scalar_text().and_then(|t| t.parse::<usize>().ok()) else {
                    return Value::unknown(
                        span,
                        Unknowable::malformed("Fn::Select", format!("a number, not {}", index.describe())),
                    );
                };
                match list.kind {
                    ValueKind::List(mut values) if i < values.len() => values.swap_remove(i).relocated(span),
                    ValueKind::List(_) => Value::unknown(
                        span,
                        Unknowable::invalid(format!("Fn::Select index {i} is out of range")),
                    ),
                    // A piece of a bounded parameter's value is within the bounds of its pieces.
                    ValueKind::Unknown(reason) => match &list.origin {
                        Origin::Bounded(by) if let Some(items) = by.bounds.items() => Value {
                            span,
                            kind: ValueKind::Unknown(reason),
                            origin: Origin::Bounded(Box::new(BoundedBy {
                                parameter: by.parameter.clone(),
                                bounds: items.clone(),
                            })),
                        },
                        _ => Value::unknown(span, reason),
                    },
                    _ => Value::unknown(
                        span,
                        Unknowable::malformed("Fn::Select", format!("a list, not {}", list.describe())),
                    ),
                }
            },
        )
    }

    fn split(&self, arg: &Node, span: Span) -> Value {
        let NodeKind::Seq(items) = &arg.kind else {
            return Value::unknown(span, Unknowable::malformed("Fn::Split", "[delimiter, string]"));
        };
        let [delimiter, source] = items.as_slice() else {
            return Value::unknown(span, Unknowable::malformed("Fn::Split", "[delimiter, string]"));
        };
        distribute("Fn::Split", vec![self.eval(source)], span, &|args| {
            let source = &args[0];
            match (delimiter.as_str(), source.as_str()) {
                (Some(d), Some(s)) if !d.is_empty() => Value {
                    span,
                    kind: ValueKind::List(
                        s.split(d)
                            .map(|piece| Value {
                                span,
                                kind: ValueKind::String(piece.to_string()),
                                origin: source.origin.clone(),
                            })
                            .collect(),
                    ),
                    origin: Origin::Written,
                },
                // A parameter without a value still bounds the pieces of its text.
                (Some(d), None)
                    if let ValueKind::Unknown(reason) = &source.kind
                        && let Some(parameter) = source.origin.parameter()
                        && let Some(list) = crate::graph::bounds::of_value(source, &self.params.bounds)
                            .and_then(|b| b.split(d)) =>
                {
                    Value {
                        span,
                        kind: ValueKind::Unknown(reason.clone()),
                        origin: Origin::Bounded(Box::new(BoundedBy {
                            parameter: parameter.to_string(),
                            bounds: list,
                        })),
                    }
                }
                (_, None) if let ValueKind::Unknown(reason) = &source.kind => {
                    Value::unknown(span, reason.clone())
                }
                _ => Value::unknown(
                    span,
                    Unknowable::malformed("Fn::Split", format!("a string, not {}", source.describe())),
                ),
            }
        })
    }

    fn find_in_map(&self, arg: &Node, span: Span) -> Value {
        let NodeKind::Seq(items) = &arg.kind else {
            return Value::unknown(span, Unknowable::malformed("Fn::FindInMap", "[map, key, key]"));
        };
        if items.len() < 3 {
            return Value::unknown(span, Unknowable::malformed("Fn::FindInMap", "[map, key, key]"));
        }
        let keys: Vec<Value> = items[..3].iter().map(|item| self.eval(item)).collect();
        distribute("Fn::FindInMap", keys, span, &|values| {
            let mut keys = Vec::with_capacity(3);
            for value in &values {
                match value.scalar_text() {
                    Some(text) => keys.push(text.into_owned()),
                    None => {
                        return Value::unknown(
                            span,
                            Unknowable::deploy_time(format!("Fn::FindInMap key {}", value.describe())),
                        );
                    }
                }
            }
            let found = self
                .mappings
                .and_then(|m| m.get(&keys[0]))
                .and_then(|m| m.value.get(&keys[1]))
                .and_then(|m| m.value.get(&keys[2]));
            match (found, items.get(3).and_then(|d| d.get("DefaultValue"))) {
                (Some(entry), _) => node_to_value(&entry.value).relocated(span),
                (None, Some(default)) => self.eval(&default.value),
                (None, None) => Value::unknown(
                    span,
                    Unknowable::invalid(format!(
                        "Fn::FindInMap: no entry {}/{}/{}",
                        keys[0], keys[1], keys[2]
                    )),
                ),
            }
        })
    }

    fn if_(&self, arg: &Node, span: Span) -> Value {
        let NodeKind::Seq(items) = &arg.kind else {
            return Value::unknown(span, Unknowable::malformed("Fn::If", "[condition, then, else]"));
        };
        let [condition, then, otherwise] = items.as_slice() else {
            return Value::unknown(span, Unknowable::malformed("Fn::If", "[condition, then, else]"));
        };
        let Some(name) = condition.as_str() else {
            return Value::unknown(span, Unknowable::malformed("Fn::If", "a condition name"));
        };
        match self.conditions.decided(name) {
            Some(true) => self.eval(then),
            Some(false) => self.eval(otherwise),
            None if self.conditions.expr(name).is_none() => Value::unknown(
                span,
                Unknowable::not_declared(format!("the condition {name} of Fn::If")),
            ),
            None => Value::new(
                span,
                ValueKind::Cond(Box::new(CondValue {
                    condition: name.to_string(),
                    then: self.eval(then),
                    otherwise: self.eval(otherwise),
                })),
            ),
        }
    }
}

/// How many combinations of the branches of conditional arguments an
/// intrinsic is evaluated for; beyond, the conditional arguments are
/// unknown ([`Unknowable::TooManyBranches`]).
const MAX_BRANCHES: usize = 32;

/// Applies `f` to `args` in every combination of the branches of the
/// conditional values among them: an intrinsic of a conditional value is a
/// conditional value (`!Sub "${Env}-logs"` is `"dev-logs"` or `"prod-logs"`).
/// Past [`MAX_BRANCHES`] combinations each conditional argument is unknown
/// for that reason (a hole in a text, not a guess at one branch).
fn distribute(function: &str, args: Vec<Value>, span: Span, f: &dyn Fn(Vec<Value>) -> Value) -> Value {
    let combinations = args
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(branches(a, 0)))
        .unwrap_or(usize::MAX);
    if combinations <= 1 {
        return f(args);
    }
    if combinations > MAX_BRANCHES {
        let reason = Unknowable::TooManyBranches {
            function: function.to_string(),
            limit: MAX_BRANCHES,
        };
        let args = args
            .into_iter()
            .map(|a| match a.kind {
                ValueKind::Cond(_) => Value {
                    kind: ValueKind::Unknown(Box::new(reason.clone())),
                    ..a
                },
                _ => a,
            })
            .collect();
        return f(args);
    }
    split_branches(args, span, f)
}

fn split_branches(mut args: Vec<Value>, span: Span, f: &dyn Fn(Vec<Value>) -> Value) -> Value {
    let Some(i) = args.iter().position(|a| matches!(a.kind, ValueKind::Cond(_))) else {
        let built = f(args.clone());
        return built_from(built, &args);
    };
    let ValueKind::Cond(c) = std::mem::replace(&mut args[i].kind, ValueKind::Null) else {
        unreachable!("found a conditional value above")
    };
    let CondValue {
        condition,
        then,
        otherwise,
    } = *c;
    let mut other = args.clone();
    args[i] = then;
    other[i] = otherwise;
    Value::new(
        span,
        ValueKind::Cond(Box::new(CondValue {
            condition,
            then: split_branches(args, span, f),
            otherwise: split_branches(other, span, f),
        })),
    )
}

/// How many branches a conditional value has at its top (1 for any other value).
fn branches(value: &Value, depth: usize) -> usize {
    match &value.kind {
        ValueKind::Cond(c) if depth < 64 => {
            branches(&c.then, depth + 1).saturating_add(branches(&c.otherwise, depth + 1))
        }
        ValueKind::Cond(_) => usize::MAX,
        _ => 1,
    }
}

/// A text computed from one branch of a parameter's value is that
/// parameter's (not a literal of the source).
fn built_from(mut built: Value, args: &[Value]) -> Value {
    if let Some(origin) = args
        .iter()
        .map(|a| &a.origin)
        .find(|o| matches!(o, Origin::Parameter(_)))
        && matches!(built.kind, ValueKind::String(_) | ValueKind::Number(_))
        && built.origin == Origin::Written
    {
        built.origin = origin.clone();
    }
    built
}

/// A literal string; `{{resolve:...}}` dynamic references are resolved at deploy time.
fn literal_string(text: &str, span: Span) -> Value {
    let Some(start) = text.find("{{resolve:") else {
        return Value::new(span, ValueKind::String(text.to_string()));
    };
    let end = text[start..].find("}}").map_or(text.len(), |e| start + e + 2);
    let reference = &text[start..end];
    let reason = Unknowable::deploy_time(format!("dynamic reference {reference}"));
    if start == 0 && end == text.len() {
        // A Parameter Store value is an input, as an SSM-typed parameter's
        // is: the reference is its parameter (`declarations::dynamic_parameters`).
        let origin = match ssm_name(reference) {
            Some(_) => Origin::Parameter(reference.to_string()),
            None => Origin::Written,
        };
        return Value {
            origin,
            ..Value::unknown(span, reason)
        };
    }
    Value::new(
        span,
        ValueKind::Interp(vec![
            Part::Lit(text[..start].to_string()),
            Part::Unknown(reason),
            Part::Lit(text[end..].to_string()),
        ]),
    )
}

/// The Parameter Store name a `{{resolve:ssm:NAME[:VERSION]}}` dynamic
/// reference reads (its version left out); `None` for other references
/// (`ssm-secure`, `secretsmanager`).
pub fn ssm_name(reference: &str) -> Option<&str> {
    let inner = reference.strip_prefix("{{resolve:ssm:")?.strip_suffix("}}")?;
    let name = match inner.rsplit_once(':') {
        Some((name, version)) if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => inner,
    };
    (!name.is_empty()).then_some(name)
}

/// The JSON of a fully known value.
pub fn to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match &value.kind {
        ValueKind::Null => serde_json::Value::Null,
        ValueKind::Bool(b) => serde_json::Value::Bool(*b),
        ValueKind::Number(n) => n
            .parse::<serde_json::Number>()
            .map(serde_json::Value::Number)
            .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
        ValueKind::String(s) => serde_json::Value::String(s.clone()),
        ValueKind::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        ValueKind::Map(props) => serde_json::Value::Object(
            props
                .iter()
                .map(|p| Some((p.key.clone(), to_json(&p.value)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::ssm_name;

    #[test]
    fn ssm_names_leave_the_version_out() {
        assert_eq!(ssm_name("{{resolve:ssm:/a/b}}"), Some("/a/b"));
        assert_eq!(ssm_name("{{resolve:ssm:/a/b:12}}"), Some("/a/b"));
        assert_eq!(
            ssm_name("{{resolve:ssm:arn:aws:ssm:us-east-1:123456789012:parameter/p}}"),
            Some("arn:aws:ssm:us-east-1:123456789012:parameter/p")
        );
        assert_eq!(ssm_name("{{resolve:ssm-secure:/a:1}}"), None);
        assert_eq!(ssm_name("{{resolve:secretsmanager:s}}"), None);
    }
}
