//! Reading Terraform attributes and building CloudFormation-shaped values.

use std::borrow::Cow;

use super::{Adapted, Join, Lifted};
use crate::frontends::terraform::TfResource;
use crate::graph::{Origin, Prop, Value, ValueKind};
use crate::parse::Span;

/// Read access to one Terraform resource's attributes.
pub(crate) struct Tf<'a> {
    pub resource: &'a TfResource,
}

impl<'a> Tf<'a> {
    pub fn new(resource: &'a TfResource) -> Tf<'a> {
        Tf { resource }
    }

    /// The resource's own span (for values it does not write).
    pub fn span(&self) -> Span {
        self.resource.span
    }

    /// Where attribute `key` is written, or the resource when it is not.
    pub fn span_of(&self, key: &str) -> Span {
        self.attr(key).map_or(self.span(), |v| v.span)
    }

    /// An attribute; `None` when absent or null.
    pub fn attr(&self, key: &str) -> Option<&'a Value> {
        attr(&self.resource.values, key)
    }

    /// The blocks of a nested block type (a list of maps; a single map counts).
    pub fn blocks(&self, key: &str) -> Vec<&'a Value> {
        blocks(&self.resource.values, key)
    }

    /// Whether the configuration writes `key` (true when the configuration is not known).
    pub fn configured(&self, key: &str) -> bool {
        self.resource
            .configured
            .as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k == key))
    }

    /// One CloudFormation resource of `kind` with `props`.
    pub fn lift(&self, kind: &'static str, props: Props) -> Adapted {
        Adapted::Resources(vec![Lifted {
            kind: Cow::Borrowed(kind),
            properties: props.into_value(self.span()),
            suffix: None,
        }])
    }

    /// Properties to set on the `into` resource named by attribute `via`.
    pub fn join(&self, into: &'static str, via: &'static str, props: Props) -> Adapted {
        Adapted::Join(Join {
            into,
            via,
            properties: props.0,
        })
    }
}

/// An attribute of a map value; `None` when absent or null. Every attribute
/// of an unknown value (a block `dynamic` expands only at plan) is that
/// unknown: never absent, which rules would read as "not set".
pub(crate) fn attr<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    if let ValueKind::Unknown(_) = value.kind {
        return Some(value);
    }
    value
        .get(key)
        .filter(|v| !matches!(v.kind, ValueKind::Null | ValueKind::Absent))
}

/// The blocks of `key` in a map value. Blocks that are unknown (all of them,
/// or some `dynamic` ones) stand as one unknown block each.
pub(crate) fn blocks<'v>(value: &'v Value, key: &str) -> Vec<&'v Value> {
    match attr(value, key) {
        Some(Value {
            kind: ValueKind::List(items),
            ..
        }) => items.iter().filter(|i| i.kind != ValueKind::Null).collect(),
        Some(
            block @ Value {
                kind: ValueKind::Map(_) | ValueKind::Unknown(_),
                ..
            },
        ) => vec![block],
        _ => Vec::new(),
    }
}

/// Properties under construction, in order.
#[derive(Default)]
pub(crate) struct Props(pub Vec<Prop>);

impl Props {
    pub fn new() -> Props {
        Props::default()
    }

    /// Sets `key` to a copy of `value` when there is one.
    pub fn copy(mut self, key: &str, value: Option<&Value>) -> Props {
        if let Some(v) = value {
            self.0.push(prop(key, v.clone()));
        }
        self
    }

    /// Sets `key` to `value` when there is one.
    pub fn set(mut self, key: &str, value: Option<Value>) -> Props {
        if let Some(v) = value {
            self.0.push(prop(key, v));
        }
        self
    }

    /// Sets `key` to a list built from blocks, when there are any.
    pub fn list(self, key: &str, items: Vec<Value>, span: Span) -> Props {
        if items.is_empty() {
            return self;
        }
        self.set(key, Some(Value::new(span, ValueKind::List(items))))
    }

    /// The map value of these properties (without the room the builder grew:
    /// a plan holds tens of thousands of them).
    pub fn into_value(mut self, span: Span) -> Value {
        self.0.shrink_to_fit();
        Value::new(span, ValueKind::Map(self.0))
    }
}

/// A property with its key placed at the value.
pub(crate) fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// A value filled in from a documented default.
pub(crate) fn defaulted(span: Span, kind: ValueKind) -> Value {
    Value {
        span,
        kind,
        origin: Origin::Default,
    }
}

/// A literal string value at `span`.
pub(crate) fn text(span: Span, s: &str) -> Value {
    Value::new(span, ValueKind::String(s.to_string()))
}

/// Terraform's `snake_case` keys as CloudFormation's `PascalCase`, recursively.
pub(crate) fn pascal_case_keys(value: &Value) -> Value {
    let kind = match &value.kind {
        ValueKind::Map(props) => ValueKind::Map(
            props
                .iter()
                .map(|p| Prop {
                    key: pascal(&p.key),
                    key_span: p.key_span,
                    value: pascal_case_keys(&p.value),
                })
                .collect(),
        ),
        ValueKind::List(items) => ValueKind::List(items.iter().map(pascal_case_keys).collect()),
        other => other.clone(),
    };
    Value {
        span: value.span,
        kind,
        origin: value.origin.clone(),
    }
}

/// `snake_case` -> `PascalCase`.
pub(crate) fn pascal(key: &str) -> String {
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
