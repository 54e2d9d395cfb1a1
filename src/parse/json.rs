//! Strict JSON into the spanned [`Node`] model (jsonc-parser keeps byte ranges).

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{
    Budget, Entry, KeyIndex, Limits, LineIndex, LoadError, Node, NodeKind, Span, first_offset_deeper_than,
};

/// Loads one JSON document. Duplicate keys, nesting over the limit and any
/// syntax error are errors with their position.
pub fn load_json(text: &str, limits: Limits) -> Result<Node, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    refuse_deep(&lines, limits)?;
    load_piece(text, 0, &lines, limits)
}

/// The JSON parsers descend recursively: deep input is refused before they
/// run, so it cannot overflow the stack.
pub(crate) fn refuse_deep(lines: &LineIndex<&str>, limits: Limits) -> Result<(), LoadError> {
    match first_offset_deeper_than(lines.text().as_bytes(), limits.max_depth) {
        Some(offset) => Err(LoadError::new(
            lines.pos(offset),
            format!("nesting deeper than {} levels", limits.max_depth),
        )),
        None => Ok(()),
    }
}

/// Loads the JSON value `piece`, which starts at byte `base` of the text
/// `lines` indexes, with spans in that text (a part of a large document read
/// on its own, see [`super::lazy`]).
pub(crate) fn load_piece(
    piece: &str,
    base: usize,
    lines: &LineIndex<&str>,
    limits: Limits,
) -> Result<Node, LoadError> {
    let parsed = jsonc_parser::parse_to_ast(piece, &CollectOptions::default(), &STRICT)
        .map_err(|e| LoadError::new(lines.pos(base + e.range().start), e.kind().to_string()))?;
    let value = parsed
        .value
        .ok_or_else(|| LoadError::new(lines.pos(base), "empty JSON document"))?;
    let mut converter = Converter {
        lines,
        base,
        budget: Budget::new(limits),
    };
    converter.node(value)
}

/// JSON as RFC 8259 writes it: none of jsonc's extensions.
const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

struct Converter<'l, 't> {
    lines: &'l LineIndex<&'t str>,
    /// Where the piece being converted starts in the indexed text.
    base: usize,
    budget: Budget,
}

impl Converter<'_, '_> {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(
            self.lines.pos(self.base + range.start),
            self.lines.pos(self.base + range.end),
        )
    }

    fn node(&mut self, value: ast::Value<'_>) -> Result<Node, LoadError> {
        let (span, kind) = match value {
            ast::Value::StringLit(s) => (self.span(s.range), NodeKind::String(s.value.into_owned())),
            ast::Value::NumberLit(n) => (self.span(n.range), NodeKind::Number(n.value.to_string())),
            ast::Value::BooleanLit(b) => (self.span(b.range), NodeKind::Bool(b.value)),
            ast::Value::NullKeyword(n) => (self.span(n.range), NodeKind::Null),
            ast::Value::Array(a) => {
                let span = self.span(a.range);
                let items = a
                    .elements
                    .into_iter()
                    .map(|v| self.node(v))
                    .collect::<Result<Vec<_>, _>>()?;
                (span, NodeKind::Seq(items))
            }
            ast::Value::Object(o) => {
                let span = self.span(o.range);
                let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
                let mut keys = KeyIndex::default();
                for prop in o.properties {
                    let (key, key_range) = match prop.name {
                        ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let key_span = self.span(key_range);
                    if keys.find(&entries, &key).is_some() {
                        return Err(LoadError::new(key_span.start, format!("duplicate key \"{key}\"")));
                    }
                    let value = self.node(prop.value)?;
                    entries.push(Entry { key, key_span, value });
                }
                (span, NodeKind::Map(entries))
            }
        };
        self.budget.add_nodes(1, span.start)?;
        Ok(Node { span, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Pos;

    #[test]
    fn spans_point_at_values() {
        let node = load_json("{\n  \"A\": [1, \"x\"]\n}", Limits::default()).unwrap();
        let entry = node.get("A").unwrap();
        assert_eq!(entry.key_span.start, Pos { line: 2, col: 3 });
        let NodeKind::Seq(items) = &entry.value.kind else {
            panic!("not a list")
        };
        assert_eq!(items[1].span.start, Pos { line: 2, col: 12 });
        assert_eq!(items[0].kind, NodeKind::Number("1".into()));
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let err = load_json("{\"a\": 1,\n \"a\": 2}", Limits::default()).unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, col: 2 });
        assert!(err.message.contains("duplicate key"));
    }

    #[test]
    fn a_duplicate_among_many_keys_is_found_at_its_position() {
        let keys: Vec<String> = (0..1000).map(|i| format!("\"k{i}\": 1")).collect();
        let text = format!("{{{},\n\"k999\": 2}}", keys.join(", "));
        let err = load_json(&text, Limits::default()).unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, col: 1 });
        assert!(err.message.contains("duplicate key \"k999\""), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "[".repeat(200_000);
        let err = load_json(&text, Limits::default()).unwrap_err();
        assert!(err.message.contains("nesting deeper"));
    }

    #[test]
    fn brackets_inside_strings_do_not_nest() {
        use crate::parse::first_offset_deeper_than as deeper;
        assert_eq!(deeper(br#"[[ "[[[[", "\"[[[" ]]"#, 2), None);
        assert_eq!(deeper(br#"[[], [], {"a": [[1]]}]"#, 4), None);
        assert_eq!(deeper(br#"[[], [], {"a": [[1]]}]"#, 3), Some(16));
        assert_eq!(deeper(br#"["unterminated [[["#, 1), None);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = load_json("{\n  \"a\": ,\n}", Limits::default()).unwrap_err();
        assert_eq!(err.pos.line, 2);
    }
}
