//! Spanned document model shared by every input format.
//!
//! YAML and JSON are both loaded into [`Node`] trees in which every node knows
//! where it starts and ends, so that a finding can point at the exact attribute.
//! CloudFormation's YAML short-form tags are rewritten into their long form while
//! loading, so the frontends see one shape whatever the source syntax was.

mod json;
mod lazy;
mod lines;
mod read;
mod yaml;

pub use json::load_json;
pub use lazy::{JsonType, Lazy, LazyJson};
pub use lines::LineIndex;
pub use read::{ReadError, read_source, read_text, resolve_path};
pub use yaml::{load_yaml, load_yaml_last_key_wins, load_yaml_reporting};

use std::fmt;

/// Limits that keep hostile input from exhausting the stack or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of sequences and mappings accepted.
    pub max_depth: usize,
    /// Most nodes one document may materialise, alias expansions included.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_nodes: 2_000_000,
        }
    }
}

/// A position in a source file: 1-based line and 1-based column counted in
/// Unicode scalar values (SARIF `columnKind: unicodeCodePoints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A region of a source file; `end` is exclusive. `file` indexes the files of
/// the unit being scanned (a template is one file; a Terraform module, several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub file: u32,
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    /// A span from `start` to `end` in the unit's first file.
    pub fn new(start: Pos, end: Pos) -> Span {
        Span { file: 0, start, end }
    }

    /// The same region, in file `file` of the unit.
    pub fn in_file(self, file: u32) -> Span {
        Span { file, ..self }
    }

    /// Whether this span was never set (synthetic values have no position).
    pub fn is_empty(&self) -> bool {
        self.start.line == 0
    }

    /// Whether `other` lies within this span (same file, inside its bounds).
    pub fn contains(&self, other: Span) -> bool {
        let at = |p: Pos| (p.line, p.col);
        !self.is_empty()
            && self.file == other.file
            && at(self.start) <= at(other.start)
            && at(other.end) <= at(self.end)
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One node of a loaded document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

/// The shape of a node. Scalars keep their source text so messages can quote it.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// A number as written (`22`, `0.5`, `1e3`).
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A key/value pair of a mapping, with the key's own span.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Finds a key among the entries of a mapping being built: by a scan while
/// the mapping is small, through a hash index once it grows, so checking
/// every key of a mapping for duplicates stays linear in its size.
#[derive(Default)]
pub(crate) struct KeyIndex {
    /// Position of each key of the first `positions.len()` entries (keys are unique).
    positions: std::collections::HashMap<String, usize>,
}

impl KeyIndex {
    /// Up to this many entries a scan is cheaper than hashing.
    const SCAN_UP_TO: usize = 16;

    /// The position of `key` among `entries`, the mapping's entries so far.
    pub(crate) fn find(&mut self, entries: &[Entry], key: &str) -> Option<usize> {
        if entries.len() <= Self::SCAN_UP_TO {
            return entries.iter().position(|e| e.key == key);
        }
        for (i, entry) in entries.iter().enumerate().skip(self.positions.len()) {
            self.positions.insert(entry.key.clone(), i);
        }
        self.positions.get(key).copied()
    }
}

impl Node {
    /// The entries of a mapping node, or `None` for any other shape.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence node, or `None` for any other shape.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The string value of a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entry named `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// A short name of the node's shape, for error messages.
    pub fn shape_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Why a document could not be loaded; always with the position it concerns.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct LoadError {
    pub pos: Pos,
    pub message: String,
}

impl LoadError {
    /// An error at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> LoadError {
        LoadError {
            pos,
            message: message.into(),
        }
    }
}

/// Counts nodes and depth while a tree is built, so that bounds are enforced in
/// one place for every loader.
pub(crate) struct Budget {
    limits: Limits,
    nodes: usize,
}

impl Budget {
    pub(crate) fn new(limits: Limits) -> Budget {
        Budget { limits, nodes: 0 }
    }

    pub(crate) fn add_nodes(&mut self, count: usize, pos: Pos) -> Result<(), LoadError> {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes > self.limits.max_nodes {
            return Err(LoadError::new(
                pos,
                format!(
                    "document expands to more than {} nodes (alias expansion bomb?)",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn check_depth(&self, depth: usize, pos: Pos) -> Result<(), LoadError> {
        if depth > self.limits.max_depth {
            return Err(LoadError::new(
                pos,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            ));
        }
        Ok(())
    }
}

/// Byte offset of the first bracket (outside `"` strings) that opens nesting level `max + 1`, if any.
/// Strings and the text between brackets are skipped by `memchr`, not byte by byte.
pub fn first_offset_deeper_than(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    // Closing brackets after the last opening one cannot make anything deeper.
    while let Some(found) = memchr::memchr3(b'"', b'[', b'{', &bytes[i..]).map(|at| i + at) {
        depth = depth.saturating_sub(closing_between(&bytes[i..found]));
        match bytes[found] {
            b'"' => match string_end(bytes, found + 1) {
                Some(end) => i = end + 1,
                None => return None,
            },
            _ => {
                depth += 1;
                if depth > max {
                    return Some(found);
                }
                i = found + 1;
            }
        }
    }
    None
}

/// How many `]` and `}` a stretch of text outside strings holds.
fn closing_between(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b']', b'}', bytes).count()
}

/// The offset of the `"` that ends the string whose text starts at `from`.
fn string_end(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memchr2(b'"', b'\\', &bytes[from..])?;
        if bytes[at] == b'"' {
            return Some(at);
        }
        // An escape: skip the escaped byte.
        from = at + 2;
        if from > bytes.len() {
            return None;
        }
    }
}

/// Marks every span of a tree as being in file `file` of its unit.
pub fn set_file(node: &mut Node, file: u32) {
    node.span.file = file;
    match &mut node.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| set_file(n, file)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span.file = file;
            set_file(&mut e.value, file);
        }),
        _ => {}
    }
}

/// Counts the nodes of a tree (used to charge alias expansions to the budget).
pub(crate) fn node_count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|e| node_count(&e.value)).sum::<usize>(),
        _ => 1,
    }
}
