//! Tri-state, spanned values: what a property is known to be before deploy.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::Bounds;
use super::unknown::Unknowable;
use crate::parse::Span;

/// A property value after the frontend has evaluated what it can.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Where the value is written (the usage site for values that came from a parameter).
    pub span: Span,
    pub kind: ValueKind,
    pub origin: Origin,
}

/// How a value came to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Written literally at `span`.
    Written,
    /// The value of a template parameter or variable (by name).
    Parameter(String),
    /// Filled in by an adapter from the service's documented default.
    Default,
    /// Read through a reference to a declared resource's attribute whose value
    /// the configuration writes (`aws_db_subnet_group.db.name`): the value is
    /// that resource's, so it designates that resource whatever its text holds.
    Attribute(Box<ResourceRef>),
    /// Computed from a template parameter without a value, within what its
    /// constraints allow: the pieces `Fn::Split` cuts it into, or one of them.
    Bounded(Box<BoundedBy>),
    /// Written literally as the text of a JSON document (a Terraform heredoc,
    /// `jsonencode(...)`), with that document already read and each of its
    /// parts placed where the user wrote it: a finding on a statement sits
    /// on the statement, not on the whole text.
    Document(Box<Value>),
}

/// A parameter, and the bounds of a value computed from it.
#[derive(Debug, Clone)]
pub struct BoundedBy {
    pub parameter: String,
    pub bounds: Bounds,
}

/// The bounds' summary says what they are (the constraints and how the value was cut).
impl PartialEq for BoundedBy {
    fn eq(&self, other: &Self) -> bool {
        self.parameter == other.parameter && self.bounds.summary() == other.bounds.summary()
    }
}

impl Eq for BoundedBy {}

impl Origin {
    /// Whether the value is written in the source as it is (not computed
    /// from a parameter, a default or another resource).
    pub fn is_written(&self) -> bool {
        matches!(self, Origin::Written | Origin::Document(_))
    }

    /// The parameter a value comes from, whole or computed.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Origin::Parameter(name) => Some(name),
            Origin::Bounded(b) => Some(&b.parameter),
            _ => None,
        }
    }
}

/// The shape of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    /// A number as written.
    Number(String),
    String(String),
    List(Vec<Value>),
    Map(Vec<Prop>),
    /// A reference to a resource of the same graph (`Ref`, `Fn::GetAtt`, a
    /// Terraform traversal): its value exists only after deploy, but whom it
    /// refers to is known.
    Ref(Box<ResourceRef>),
    /// A string built from literal parts and parts known only after deploy.
    Interp(Vec<Part>),
    /// Not decidable before deploy, with the reason.
    Unknown(Box<Unknowable>),
    /// An `Fn::If` whose condition cannot be decided: both branches are possible.
    Cond(Box<CondValue>),
    /// `AWS::NoValue`: the property is removed.
    Absent,
}

/// A mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

/// The resource a value refers to, and which of its attributes (`None` = its `Ref` value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub target: String,
    pub attribute: Option<String>,
}

/// A piece of an interpolated string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Lit(String),
    Ref(ResourceRef),
    /// A piece known only at deploy time (pseudo-parameter, import, ...), with why.
    Unknown(Unknowable),
}

/// Both branches of an undecidable `Fn::If`.
#[derive(Debug, Clone, PartialEq)]
pub struct CondValue {
    /// The name of the condition that selects the branch.
    pub condition: String,
    pub then: Value,
    pub otherwise: Value,
}

impl Value {
    /// A value written at `span`.
    pub fn new(span: Span, kind: ValueKind) -> Value {
        Value {
            span,
            kind,
            origin: Origin::Written,
        }
    }

    /// An unknown value with its reason.
    pub fn unknown(span: Span, reason: impl Into<Unknowable>) -> Value {
        Value::new(span, ValueKind::Unknown(Box::new(reason.into())))
    }

    /// The entry `key` of a map value (conditional values are not looked through).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            ValueKind::Map(props) => props.iter().find(|p| p.key == key).map(|p| &p.value),
            _ => None,
        }
    }

    /// The entry `key` of a map value, with its key.
    pub fn prop(&self, key: &str) -> Option<&Prop> {
        match &self.kind {
            ValueKind::Map(props) => props.iter().find(|p| p.key == key),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a known scalar (string, number or boolean).
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.kind {
            ValueKind::String(s) | ValueKind::Number(s) => Some(Cow::Borrowed(s)),
            ValueKind::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    /// Whether the value is decided and known (no unknown or conditional part at the top).
    pub fn is_known(&self) -> bool {
        !matches!(
            self.kind,
            ValueKind::Unknown(_) | ValueKind::Cond(_) | ValueKind::Interp(_) | ValueKind::Ref(_)
        )
    }

    /// The path (`ingress[1].cidr_blocks[0]`) below this value of the
    /// scalar written at `span`; `None` when no scalar is written there.
    pub fn path_to(&self, span: Span) -> Option<String> {
        self.locate(span).map(|(path, _)| path)
    }

    /// The scalar written at `span` below this value, and its path.
    pub fn locate(&self, span: Span) -> Option<(String, &Value)> {
        if self.span == span && !matches!(self.kind, ValueKind::Map(_) | ValueKind::List(_)) {
            return Some((String::new(), self));
        }
        // Only a value whose region holds `span` can lead to it.
        if !self.span.contains(span) {
            return None;
        }
        fn join(step: String, (rest, value): (String, &Value)) -> (String, &Value) {
            let path = match rest.is_empty() || rest.starts_with('[') {
                true => format!("{step}{rest}"),
                false => format!("{step}.{rest}"),
            };
            (path, value)
        }
        match &self.kind {
            ValueKind::Map(props) => props
                .iter()
                .find_map(|p| p.value.locate(span).map(|found| join(p.key.clone(), found))),
            ValueKind::List(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| item.locate(span).map(|found| join(format!("[{i}]"), found))),
            // A scalar written elsewhere.
            _ => None,
        }
    }

    /// A short rendering for messages: scalars quoted, collections summarised.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out, 2);
        if out.chars().count() > 80 {
            let cut: String = out.chars().take(77).collect();
            return format!("{cut}...");
        }
        out
    }

    fn describe_into(&self, out: &mut String, depth: usize) {
        match &self.kind {
            ValueKind::Null => out.push_str("null"),
            ValueKind::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            ValueKind::Number(n) => out.push_str(n),
            ValueKind::String(s) => {
                let _ = write!(out, "{s:?}");
            }
            ValueKind::List(items) if depth == 0 => {
                let _ = write!(out, "[{} items]", items.len());
            }
            ValueKind::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.describe_into(out, depth - 1);
                }
                out.push(']');
            }
            ValueKind::Map(props) if depth == 0 || props.len() > 3 => {
                let keys: Vec<&str> = props.iter().map(|p| p.key.as_str()).take(3).collect();
                let more = if props.len() > 3 { ", ..." } else { "" };
                let _ = write!(out, "{{{}{more}}}", keys.join(", "));
            }
            ValueKind::Map(props) => {
                out.push('{');
                for (i, p) in props.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{}: ", p.key);
                    p.value.describe_into(out, depth - 1);
                }
                out.push('}');
            }
            ValueKind::Ref(r) => out.push_str(&r.to_string()),
            ValueKind::Interp(parts) => {
                out.push('"');
                for part in parts {
                    match part {
                        Part::Lit(s) => out.push_str(s),
                        Part::Ref(r) => {
                            let _ = write!(out, "${{{}}}", r.dotted());
                        }
                        Part::Unknown(reason) => match reason.pseudo() {
                            Some(p) => {
                                let _ = write!(out, "${{{}}}", p.name());
                            }
                            None => out.push_str("${?}"),
                        },
                    }
                }
                out.push('"');
            }
            ValueKind::Unknown(reason) => {
                let _ = write!(out, "<unknown: {reason}>");
            }
            ValueKind::Cond(c) => {
                let _ = write!(out, "<if {}: ", c.condition);
                c.then.describe_into(out, depth.saturating_sub(1));
                out.push_str(" else ");
                c.otherwise.describe_into(out, depth.saturating_sub(1));
                out.push('>');
            }
            ValueKind::Absent => out.push_str("<no value>"),
        }
    }
}

impl Value {
    /// The value moved to where it is used (every part of it), as when a
    /// parameter's or variable's value is written into a property.
    pub fn relocated(mut self, span: Span) -> Value {
        fn relocate(value: &mut Value, span: Span) {
            value.span = span;
            match &mut value.kind {
                ValueKind::List(items) => items.iter_mut().for_each(|v| relocate(v, span)),
                ValueKind::Map(props) => props.iter_mut().for_each(|p| {
                    p.key_span = span;
                    relocate(&mut p.value, span);
                }),
                ValueKind::Cond(c) => {
                    relocate(&mut c.then, span);
                    relocate(&mut c.otherwise, span);
                }
                _ => {}
            }
        }
        relocate(&mut self, span);
        self
    }

    /// A string built from parts: adjacent literals are folded, and a fully
    /// literal result is a plain string.
    pub fn from_parts(parts: Vec<Part>, span: Span) -> Value {
        let mut folded: Vec<Part> = Vec::with_capacity(parts.len());
        for part in parts {
            match (folded.last_mut(), part) {
                (_, Part::Lit(s)) if s.is_empty() => {}
                (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
                (_, part) => folded.push(part),
            }
        }
        match folded.as_slice() {
            [] => Value::new(span, ValueKind::String(String::new())),
            [Part::Lit(s)] => Value::new(span, ValueKind::String(s.clone())),
            _ => Value::new(span, ValueKind::Interp(folded)),
        }
    }

    /// Appends this value's string pieces to an interpolation.
    pub fn push_parts(&self, parts: &mut Vec<Part>) {
        match &self.kind {
            ValueKind::String(s) | ValueKind::Number(s) => parts.push(Part::Lit(s.clone())),
            ValueKind::Bool(b) => parts.push(Part::Lit(b.to_string())),
            ValueKind::Ref(r) => parts.push(Part::Ref((**r).clone())),
            ValueKind::Interp(inner) => parts.extend(inner.iter().cloned()),
            ValueKind::Unknown(reason) => parts.push(Part::Unknown((**reason).clone())),
            ValueKind::Cond(c) => parts.push(Part::Unknown(Unknowable::Condition {
                name: c.condition.clone(),
            })),
            ValueKind::Absent | ValueKind::Null => {}
            ValueKind::List(_) | ValueKind::Map(_) => parts.push(Part::Unknown(Unknowable::invalid(
                format!("{} is not a string", self.describe()),
            ))),
        }
    }
}

impl ResourceRef {
    /// `Target` or `Target.Attribute`.
    pub fn dotted(&self) -> String {
        match &self.attribute {
            Some(a) => format!("{}.{a}", self.target),
            None => self.target.clone(),
        }
    }
}

impl std::fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.attribute {
            Some(a) => write!(f, "GetAtt {}.{a}", self.target),
            None => write!(f, "Ref {}", self.target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Pos;

    #[test]
    fn a_value_is_named_by_its_path_where_it_is_written() {
        let at = |line: u32, from: u32, to: u32| Span::new(Pos { line, col: from }, Pos { line, col: to });
        let text = |span: Span, t: &str| Value::new(span, ValueKind::String(t.into()));
        let entry = |key: &str, value: Value| Prop {
            key: key.into(),
            key_span: value.span,
            value,
        };
        // ingress { cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"] } as the second ingress block.
        let cidrs = Value::new(
            at(5, 19, 46),
            ValueKind::List(vec![
                text(at(5, 20, 32), "10.0.0.0/8"),
                text(at(5, 34, 45), "0.0.0.0/0"),
            ]),
        );
        let first = Value::new(
            at(2, 3, 20),
            ValueKind::Map(vec![entry("description", text(at(2, 17, 20), "a"))]),
        );
        let second = Value::new(
            Span::new(Pos { line: 4, col: 3 }, Pos { line: 6, col: 4 }),
            ValueKind::Map(vec![entry("cidr_blocks", cidrs)]),
        );
        let ingress = Value::new(
            Span::new(Pos { line: 2, col: 3 }, Pos { line: 6, col: 4 }),
            ValueKind::List(vec![first, second]),
        );
        let resource = Value::new(
            Span::new(Pos { line: 1, col: 1 }, Pos { line: 7, col: 2 }),
            ValueKind::Map(vec![entry("ingress", ingress)]),
        );
        assert_eq!(
            resource.path_to(at(5, 34, 45)).as_deref(),
            Some("ingress[1].cidr_blocks[1]")
        );
        assert_eq!(
            resource.path_to(at(2, 17, 20)).as_deref(),
            Some("ingress[0].description")
        );
        // Nothing is written there: no name.
        assert_eq!(resource.path_to(at(9, 1, 4)), None);
    }

    #[test]
    fn describe_quotes_and_summarises() {
        let s = |t: &str| Value::new(Span::default(), ValueKind::String(t.into()));
        assert_eq!(s("0.0.0.0/0").describe(), "\"0.0.0.0/0\"");
        let list = Value::new(Span::default(), ValueKind::List(vec![s("a"), s("b")]));
        assert_eq!(list.describe(), "[\"a\", \"b\"]");
        let interp = Value::new(
            Span::default(),
            ValueKind::Interp(vec![
                Part::Lit("arn:aws:s3:::".into()),
                Part::Ref(ResourceRef {
                    target: "Bucket".into(),
                    attribute: None,
                }),
            ]),
        );
        assert_eq!(interp.describe(), "\"arn:aws:s3:::${Bucket}\"");
    }
}
