//! YAML into the spanned [`Node`] model.
//!
//! saphyr-parser (YAML 1.2, strict) reads every file first. When it rejects a
//! file for a syntax detail that libyaml accepts (continuation lines of a
//! quoted scalar indented too little, a `#` right after a quoted scalar, ...),
//! the file is read again with libyaml-safer: CloudFormation and its tooling
//! accept those templates, so refusing them would be a gap of ours. Both
//! parsers feed the same [`Builder`] through [`Event`], so the tree, its
//! spans, the short-form tags and the bounds are the same either way.
//!
//! The tree is built with an explicit stack (no recursion), aliases are charged
//! to a node budget before they are copied, and CloudFormation short-form tags
//! become their long form (`!GetAtt a.b` -> `{"Fn::GetAtt": ["a", "b"]}`).

mod lenient;
mod strict;

use std::collections::HashMap;

use super::{Budget, Entry, KeyIndex, Limits, LoadError, Node, NodeKind, Span, node_count};

/// CloudFormation functions that have a `!Name` short form, with their long names.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    // Rule-section functions (template `Rules`).
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

/// A YAML tag: `!Ref` is `("!", "Ref")`, `!!str` is `("tag:yaml.org,2002:", "str")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag {
    pub handle: String,
    pub suffix: String,
}

impl Tag {
    fn is_core(&self) -> bool {
        self.handle == "tag:yaml.org,2002:"
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.handle == "!" {
            write!(f, "!{}", self.suffix)
        } else if self.is_core() {
            write!(f, "!!{}", self.suffix)
        } else {
            write!(f, "{}{}", self.handle, self.suffix)
        }
    }
}

/// The parser-independent events the builder consumes. Anchors are numbered
/// by the driver (0 = none).
pub(crate) enum Event {
    DocumentStart,
    Scalar {
        value: String,
        plain: bool,
        anchor: usize,
        tag: Option<Tag>,
    },
    SequenceStart {
        anchor: usize,
        tag: Option<Tag>,
    },
    MappingStart {
        anchor: usize,
        tag: Option<Tag>,
    },
    End,
    Alias(usize),
}

/// How untagged plain scalars resolve to types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// YAML 1.2 core schema: only `true`/`false` (any case form) are booleans.
    /// Our own files (checks, frameworks, config) are read this way.
    Core,
    /// What CloudFormation reads: YAML 1.1, where unquoted `yes`/`no`/`on`/`off`
    /// (lower, capitalised or upper case) are booleans too. Mapping keys keep
    /// their text (`On:` stays the key "On"); `y`/`n` stay strings.
    CloudFormation,
}

/// Why a driver stopped: the parser's syntax error, or the builder's.
pub(crate) enum Failure {
    Syntax(LoadError),
    Content(LoadError),
}

/// Loads the first document of a YAML stream. A second document is an error
/// (CloudFormation reads exactly one).
/// Loads the first document of a YAML stream with the YAML 1.2 core schema.
/// A second document is an error (CloudFormation reads exactly one).
pub fn load_yaml(text: &str, limits: Limits) -> Result<Node, LoadError> {
    load(text, limits, Schema::Core, false).map(|(node, _, _)| node)
}

/// Loads a CloudFormation template ([`Schema::CloudFormation`]), and also
/// returns the strict parser's complaint when the file was only readable with
/// libyaml's more lenient rules.
pub fn load_yaml_reporting(text: &str, limits: Limits) -> Result<(Node, Option<LoadError>), LoadError> {
    load(text, limits, Schema::CloudFormation, false).map(|(node, complaint, _)| (node, complaint))
}

/// Like [`load_yaml_reporting`], but a duplicate key replaces the earlier
/// value (PyYAML's behaviour, and so the SAM CLI's) instead of failing; the
/// duplicates are returned, at their second occurrence.
pub fn load_yaml_last_key_wins(
    text: &str,
    limits: Limits,
) -> Result<(Node, Option<LoadError>, Vec<LoadError>), LoadError> {
    load(text, limits, Schema::CloudFormation, true)
}

fn load(
    text: &str,
    limits: Limits,
    schema: Schema,
    last_key_wins: bool,
) -> Result<(Node, Option<LoadError>, Vec<LoadError>), LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::new(limits, schema, last_key_wins);
    match strict::drive(text, &mut builder) {
        Ok(()) => Ok(builder.finish_with_duplicates(None)),
        Err(Failure::Content(e)) => Err(e),
        Err(Failure::Syntax(strict_error)) if lenient::accepts(&strict_error.message) => {
            let mut builder = Builder::new(limits, schema, last_key_wins);
            match lenient::drive_contained(text, &mut builder) {
                Some(Ok(())) => Ok(builder.finish_with_duplicates(Some(strict_error))),
                Some(Err(Failure::Content(e))) => Err(e),
                Some(Err(Failure::Syntax(_))) | None => Err(strict_error),
            }
        }
        Err(Failure::Syntax(strict_error)) => Err(strict_error),
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        tag: Option<Tag>,
        entries: Vec<Entry>,
        keys: KeyIndex,
        key: Option<(String, Span)>,
    },
}

/// Builds a [`Node`] tree from events.
pub(crate) struct Builder {
    budget: Budget,
    stack: Vec<Frame>,
    /// Anchored nodes with their depth, so aliases cannot nest past the limit.
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    documents: usize,
    schema: Schema,
    /// Whether a duplicate key replaces the earlier value instead of failing.
    last_key_wins: bool,
    duplicates: Vec<LoadError>,
}

impl Builder {
    fn new(limits: Limits, schema: Schema, last_key_wins: bool) -> Builder {
        Builder {
            schema,
            budget: Budget::new(limits),
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            documents: 0,
            last_key_wins,
            duplicates: Vec::new(),
        }
    }

    fn finish_with_duplicates(
        mut self,
        complaint: Option<LoadError>,
    ) -> (Node, Option<LoadError>, Vec<LoadError>) {
        let duplicates = std::mem::take(&mut self.duplicates);
        (self.finish(), complaint, duplicates)
    }

    fn finish(self) -> Node {
        self.root.unwrap_or(Node {
            span: Span::default(),
            kind: NodeKind::Null,
        })
    }

    /// Consumes one event at `span`.
    pub(crate) fn on_event(&mut self, event: Event, span: Span) -> Result<(), LoadError> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(LoadError::new(
                        span.start,
                        "a second YAML document: a CloudFormation template is one document",
                    ));
                }
            }
            Event::Scalar {
                value,
                plain,
                anchor,
                tag,
            } => {
                // A mapping key keeps its text: YAML 1.1 booleans are values only.
                let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let schema = if is_key { Schema::Core } else { self.schema };
                let node = scalar(value, plain, tag.as_ref(), schema, span)?;
                self.complete(node, anchor)?;
            }
            Event::SequenceStart { anchor, tag } => {
                self.push(
                    Frame::Seq {
                        start: span,
                        anchor,
                        tag,
                        items: Vec::new(),
                    },
                    span,
                )?;
            }
            Event::MappingStart { anchor, tag } => {
                self.push(
                    Frame::Map {
                        start: span,
                        anchor,
                        tag,
                        entries: Vec::new(),
                        keys: KeyIndex::default(),
                        key: None,
                    },
                    span,
                )?;
            }
            Event::End => self.close(span)?,
            Event::Alias(id) => {
                let (node, depth) = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| LoadError::new(span.start, "alias to an unknown anchor"))?;
                self.budget.check_depth(self.stack.len() + depth, span.start)?;
                self.budget.add_nodes(node_count(&node), span.start)?;
                self.attach(node)?;
            }
        }
        Ok(())
    }

    fn push(&mut self, frame: Frame, span: Span) -> Result<(), LoadError> {
        self.budget.check_depth(self.stack.len() + 1, span.start)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                tag,
                items,
            } => {
                let end_pos = items.last().map_or(end.end, |n| n.span.end);
                let node = Node {
                    span: Span::new(start.start, end_pos),
                    kind: NodeKind::Seq(items),
                };
                (apply_tag(node, tag.as_ref())?, anchor)
            }
            Frame::Map {
                start,
                anchor,
                tag,
                entries,
                key,
                ..
            } => {
                if let Some((k, ks)) = key {
                    return Err(LoadError::new(ks.start, format!("key \"{k}\" has no value")));
                }
                let end_pos = entries.last().map_or(end.end, |e| e.value.span.end);
                let node = Node {
                    span: Span::new(start.start, end_pos),
                    kind: NodeKind::Map(entries),
                };
                (apply_tag(node, tag.as_ref())?, anchor)
            }
        };
        self.complete(node, anchor)
    }

    /// A node is finished: remember its anchor, then hang it on its parent.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        self.budget.add_nodes(1, node.span.start)?;
        if anchor != 0 {
            let depth = node_depth(&node);
            self.anchors.insert(anchor, (node.clone(), depth));
        }
        self.attach(node)
    }

    fn attach(&mut self, node: Node) -> Result<(), LoadError> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, keys, key, ..
            }) => match key.take() {
                None => *key = Some(key_text(node)?),
                Some((k, key_span)) => {
                    if let Some(earlier) = keys.find(entries, &k) {
                        let duplicate = LoadError::new(key_span.start, format!("duplicate key \"{k}\""));
                        if !self.last_key_wins {
                            return Err(duplicate);
                        }
                        self.duplicates.push(duplicate);
                        entries[earlier].value = node;
                        return Ok(());
                    }
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: node,
                    });
                }
            },
        }
        Ok(())
    }
}

/// How many collection levels a node spans (a scalar is 0). Trees here are
/// already within the depth limit, so the recursion is bounded.
fn node_depth(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => 1 + items.iter().map(node_depth).max().unwrap_or(0),
        NodeKind::Map(entries) => 1 + entries.iter().map(|e| node_depth(&e.value)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Mapping keys must be scalars; their text is the key.
fn key_text(node: Node) -> Result<(String, Span), LoadError> {
    let text = match node.kind {
        NodeKind::String(s) | NodeKind::Number(s) => s,
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Null => "null".to_string(),
        NodeKind::Seq(_) | NodeKind::Map(_) => {
            return Err(LoadError::new(
                node.span.start,
                "a mapping key must be a scalar, not a collection",
            ));
        }
    };
    Ok((text, node.span))
}

fn scalar(
    value: String,
    plain: bool,
    tag: Option<&Tag>,
    schema: Schema,
    span: Span,
) -> Result<Node, LoadError> {
    let kind = match tag {
        Some(t) if t.is_core() => core_tagged(&value, &t.suffix, schema, span)?,
        _ if plain => plain_scalar(value, schema),
        _ => NodeKind::String(value),
    };
    apply_tag(Node { span, kind }, tag)
}

/// `!!str 10`, `!!int "10"` and friends.
fn core_tagged(value: &str, suffix: &str, schema: Schema, span: Span) -> Result<NodeKind, LoadError> {
    Ok(match suffix {
        "str" | "binary" | "timestamp" => NodeKind::String(value.to_string()),
        "int" | "float" => NodeKind::Number(value.to_string()),
        "bool" => match plain_scalar(value.to_string(), schema) {
            NodeKind::Bool(b) => NodeKind::Bool(b),
            _ => {
                return Err(LoadError::new(
                    span.start,
                    format!("\"{value}\" is not a boolean"),
                ));
            }
        },
        "null" => NodeKind::Null,
        other => {
            return Err(LoadError::new(
                span.start,
                format!("unsupported tag !!{other} on a scalar"),
            ));
        }
    })
}

/// Resolution of an untagged plain scalar: the YAML 1.2 core schema, plus
/// YAML 1.1's `yes`/`no`/`on`/`off` booleans for CloudFormation.
fn plain_scalar(value: String, schema: Schema) -> NodeKind {
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        "yes" | "Yes" | "YES" | "on" | "On" | "ON" if schema == Schema::CloudFormation => {
            NodeKind::Bool(true)
        }
        "no" | "No" | "NO" | "off" | "Off" | "OFF" if schema == Schema::CloudFormation => {
            NodeKind::Bool(false)
        }
        v if is_core_number(v) => NodeKind::Number(value),
        _ => NodeKind::String(value),
    }
}

fn is_core_number(v: &str) -> bool {
    if let Some(hex) = v.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = v.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int_part.is_empty() && digits(int_part),
        Some(f) => digits(int_part) && digits(f) && !(int_part.is_empty() && f.is_empty()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok && (frac.is_some() || exponent.is_some() || digits(int_part))
}

/// Rewrites a `!Short` tagged node into CloudFormation's long form.
fn apply_tag(node: Node, tag: Option<&Tag>) -> Result<Node, LoadError> {
    let Some(tag) = tag else { return Ok(node) };
    if tag.is_core() {
        return match (&node.kind, tag.suffix.as_str()) {
            (NodeKind::Seq(_), "seq") | (NodeKind::Map(_), "map") => Ok(node),
            (NodeKind::Seq(_) | NodeKind::Map(_), other) => Err(LoadError::new(
                node.span.start,
                format!("tag !!{other} does not fit a collection"),
            )),
            _ => Ok(node),
        };
    }
    // `!Rain::Embed` and friends are directives of the `rain` CLI, expanded by
    // `rain pkg` before deploy: kept as `{"Rain::Embed": ...}` for the frontend.
    let rain = (tag.handle == "!" && tag.suffix.starts_with("Rain::")).then_some(tag.suffix.as_str());
    let long = (tag.handle == "!")
        .then(|| SHORT_FORMS.iter().find(|(short, _)| *short == tag.suffix))
        .flatten()
        .map(|(_, long)| *long)
        .or(rain)
        .ok_or_else(|| LoadError::new(node.span.start, format!("unknown tag {tag}")))?;
    let span = node.span;
    let value = match (long, node.kind) {
        ("Fn::GetAtt", NodeKind::String(s)) => {
            let (resource, attribute) = s.split_once('.').ok_or_else(|| {
                LoadError::new(
                    span.start,
                    format!("!GetAtt \"{s}\" needs the form Resource.Attribute"),
                )
            })?;
            let part = |text: &str| Node {
                span,
                kind: NodeKind::String(text.to_string()),
            };
            Node {
                span,
                kind: NodeKind::Seq(vec![part(resource), part(attribute)]),
            }
        }
        (_, kind) => Node { span, kind },
    };
    Ok(Node {
        span,
        kind: NodeKind::Map(vec![Entry {
            key: long.to_string(),
            key_span: span,
            value,
        }]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Pos;

    fn load(text: &str) -> Node {
        load_yaml(text, Limits::default()).unwrap()
    }

    #[test]
    fn short_forms_become_long_forms() {
        let node = load("A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub\n  - '${a}'\n  - a: 1\n");
        let a = &node.get("A").unwrap().value;
        assert_eq!(a.get("Ref").unwrap().value.as_str(), Some("X"));
        let b = &node.get("B").unwrap().value.get("Fn::GetAtt").unwrap().value;
        let NodeKind::Seq(parts) = &b.kind else { panic!() };
        assert_eq!(parts[0].as_str(), Some("R"));
        assert_eq!(parts[1].as_str(), Some("Arn"));
        assert!(node.get("C").unwrap().value.get("Fn::Sub").is_some());
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let node = load("a: 22\nb: '22'\nc: true\nd: 2012-10-17\ne: ~\nf: 1.5e3\ng: 0x1F\n");
        let kind = |k: &str| node.get(k).unwrap().value.kind.clone();
        assert_eq!(kind("a"), NodeKind::Number("22".into()));
        assert_eq!(kind("b"), NodeKind::String("22".into()));
        assert_eq!(kind("c"), NodeKind::Bool(true));
        assert_eq!(kind("d"), NodeKind::String("2012-10-17".into()));
        assert_eq!(kind("e"), NodeKind::Null);
        assert_eq!(kind("f"), NodeKind::Number("1.5e3".into()));
        assert_eq!(kind("g"), NodeKind::Number("0x1F".into()));
    }

    #[test]
    fn templates_read_yaml_1_1_booleans_in_values_only() {
        let text = "a: Yes\nb: off\nc: 'Yes'\nd: y\nOn: n\ne: !!bool NO\nf: yES\n";
        let (node, _) = load_yaml_reporting(text, Limits::default()).unwrap();
        let kind = |k: &str| node.get(k).unwrap().value.kind.clone();
        assert_eq!(kind("a"), NodeKind::Bool(true));
        assert_eq!(kind("b"), NodeKind::Bool(false));
        assert_eq!(kind("c"), NodeKind::String("Yes".into()), "quoted stays a string");
        assert_eq!(
            kind("d"),
            NodeKind::String("y".into()),
            "y/n are not booleans to CloudFormation"
        );
        assert_eq!(kind("On"), NodeKind::String("n".into()), "a key keeps its text");
        assert_eq!(kind("e"), NodeKind::Bool(false));
        assert_eq!(
            kind("f"),
            NodeKind::String("yES".into()),
            "mixed case is no boolean"
        );
        // Our own files keep the YAML 1.2 core schema.
        let core = load("a: Yes\n");
        assert_eq!(core.get("a").unwrap().value.kind, NodeKind::String("Yes".into()));
    }

    #[test]
    fn positions_are_one_based() {
        let node = load("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n");
        let res = &node.get("Resources").unwrap().value;
        let bucket = res.get("Bucket").unwrap();
        assert_eq!(bucket.key_span.start, Pos { line: 2, col: 3 });
        let ty = bucket.value.get("Type").unwrap();
        assert_eq!(ty.value.span.start, Pos { line: 3, col: 11 });
        assert_eq!(ty.value.span.end, Pos { line: 3, col: 26 });
    }

    #[test]
    fn duplicate_keys_and_unknown_tags_are_errors() {
        let err = load_yaml("a: 1\nb: 2\na: 3\n", Limits::default()).unwrap_err();
        assert_eq!(err.pos, Pos { line: 3, col: 1 });
        let err = load_yaml("a: !Bogus x\n", Limits::default()).unwrap_err();
        assert!(err.message.contains("unknown tag !Bogus"), "{err}");
    }

    #[test]
    fn last_key_wins_keeps_the_later_value_and_reports_each_duplicate() {
        let text = "A: 1\nB: {x: 1, x: 2}\nA: 3\n";
        assert!(load_yaml(text, Limits::default()).is_err());
        let (node, _, duplicates) = load_yaml_last_key_wins(text, Limits::default()).unwrap();
        let positions: Vec<(u32, u32)> = duplicates.iter().map(|d| (d.pos.line, d.pos.col)).collect();
        assert_eq!(positions, [(2, 11), (3, 1)]);
        assert_eq!(node.as_map().unwrap().len(), 2, "first position kept");
        assert!(matches!(&node.get("A").unwrap().value.kind, NodeKind::Number(n) if n == "3"));
    }

    #[test]
    fn a_duplicate_among_many_keys_is_found_at_its_position() {
        let mut text: String = (0..1000).map(|i| format!("k{i}: 1\n")).collect();
        text.push_str("k500: 2\n");
        let err = load_yaml(&text, Limits::default()).unwrap_err();
        assert_eq!(
            (err.pos.line, err.message.as_str()),
            (1001, "duplicate key \"k500\"")
        );
        let (node, _, duplicates) = load_yaml_last_key_wins(&text, Limits::default()).unwrap();
        assert_eq!(duplicates.len(), 1);
        assert!(matches!(&node.get("k500").unwrap().value.kind, NodeKind::Number(n) if n == "2"));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = load_yaml(&text, Limits::default()).unwrap_err();
        assert!(err.message.contains("more than"), "{err}");
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_limit() {
        let mut text = format!("a0: &a0 {}x{}\n", "[".repeat(200), "]".repeat(200));
        for i in 1..4 {
            text.push_str(&format!(
                "a{i}: &a{i} {}*a{}{}\n",
                "[".repeat(200),
                i - 1,
                "]".repeat(200)
            ));
        }
        let err = load_yaml(&text, Limits::default()).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = "[".repeat(200_000);
        assert!(load_yaml(&text, Limits::default()).is_err());
    }

    #[test]
    fn lenient_yaml_that_cloudformation_accepts_is_read() {
        // A quoted scalar whose continuation line is indented less than its key,
        // and a flow sequence closed at a lower indentation: libyaml accepts both.
        let text = "Outputs:\n  A:\n    Value: 'one\n    two'\n  B:\n    Value: [\n      1,\n    ]\n";
        let (node, complaint) = load_yaml_reporting(text, Limits::default()).unwrap();
        assert!(complaint.is_some());
        let outputs = &node.get("Outputs").unwrap().value;
        let a = &outputs.get("A").unwrap().value.get("Value").unwrap().value;
        assert_eq!(a.as_str(), Some("one two"));
        assert_eq!(a.span.start, Pos { line: 3, col: 12 });
        // Errors both parsers agree on are still errors.
        assert!(load_yaml("a: [1,\n", Limits::default()).is_err());
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        // Found by fuzzing: libyaml-safer panics on it; only the strict parser reads it.
        for text in ["\"0\\", "'a", "[", "{a: ", "- !Ref", "a: |\n b\n\tc"] {
            let _ = load_yaml(text, Limits::default());
        }
        assert!(load_yaml("\"0\\", Limits::default()).is_err());
    }

    #[test]
    fn second_document_is_an_error() {
        let err = load_yaml("a: 1\n---\nb: 2\n", Limits::default()).unwrap_err();
        assert_eq!(err.pos.line, 2);
    }
}
