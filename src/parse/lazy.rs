//! Large JSON documents read lazily (Terraform plans run to tens of
//! megabytes): the text is validated once and held once; an object or array
//! is split into its members only where a reader descends, and a member
//! becomes a spanned [`Node`] only when it is read whole, then dropped. So a
//! plan never exists as text, tree and values at the same time.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::json::{load_piece, refuse_deep};
use super::{Limits, LineIndex, LoadError, Node, Pos, Span, load_json};

/// A JSON document whose parts are read on demand.
pub struct LazyJson<'t> {
    text: &'t str,
    lines: LineIndex<&'t str>,
    root: &'t str,
    /// The top-level object's members, split by the validating pass itself
    /// (a reader always starts there: the text is not walked twice).
    root_members: Option<Vec<(Cow<'t, str>, &'t str)>>,
    limits: Limits,
}

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// One value of a [`LazyJson`] document, not yet read.
#[derive(Clone, Copy)]
pub struct Lazy<'d, 't> {
    doc: &'d LazyJson<'t>,
    /// The value's own text (valid JSON, as a raw value borrows it).
    raw: &'t str,
}

impl<'t> LazyJson<'t> {
    /// Validates `text` as one JSON document, with the same bounds and error
    /// positions as [`load_json`].
    pub fn parse(text: &'t str, limits: Limits) -> Result<LazyJson<'t>, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines = LineIndex::new(text);
        refuse_deep(&lines, limits)?;
        let root = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let validated = if root.starts_with('{') {
            from_str::<Members>(text).map(|Members(members)| {
                Some(members.into_iter().map(|(key, raw)| (key, raw.get())).collect())
            })
        } else {
            from_str::<&RawValue>(text).map(|_| None)
        };
        let root_members = match validated {
            Ok(members) => members,
            // The strict loader words and places the error (a duplicate key
            // at the top included) as for any other JSON file.
            Err(e) => {
                return Err(match load_json(text, limits) {
                    Err(loaded) => loaded,
                    Ok(_) => LoadError::new(lines.pos(0), e.to_string()),
                });
            }
        };
        let document = LazyJson {
            text,
            lines,
            root,
            root_members,
            limits,
        };
        // A key written twice at the top is an error like anywhere else.
        document.root().entries()?;
        Ok(document)
    }

    /// The document's top-level value.
    pub fn root(&self) -> Lazy<'_, 't> {
        Lazy {
            doc: self,
            raw: self.root,
        }
    }

    /// The position of byte `offset` of the text.
    pub fn pos(&self, offset: usize) -> Pos {
        self.lines.pos(offset)
    }
}

impl<'d, 't> Lazy<'d, 't> {
    /// The value's own text.
    fn text(&self) -> &'t str {
        self.raw
    }

    /// Where the value starts in the document's text (a raw value borrows it).
    fn offset(&self) -> usize {
        self.text().as_ptr() as usize - self.doc.text.as_ptr() as usize
    }

    /// The value's JSON type, from its first byte (the text is valid JSON).
    pub fn json_type(&self) -> JsonType {
        match self.text().as_bytes().first() {
            Some(b'{') => JsonType::Object,
            Some(b'[') => JsonType::Array,
            Some(b'"') => JsonType::String,
            Some(b't' | b'f') => JsonType::Bool,
            Some(b'n') => JsonType::Null,
            _ => JsonType::Number,
        }
    }

    /// Where the value is written.
    pub fn span(&self) -> Span {
        let start = self.offset();
        Span::new(self.doc.pos(start), self.doc.pos(start + self.text().len()))
    }

    /// Where the value starts.
    pub fn start(&self) -> Pos {
        self.doc.pos(self.offset())
    }

    /// The members of an object, in order (empty for any other type). A key
    /// written twice is an error at the second, as [`load_json`] reports it.
    pub fn entries(&self) -> Result<Vec<(Cow<'t, str>, Lazy<'d, 't>)>, LoadError> {
        if self.json_type() != JsonType::Object {
            return Ok(Vec::new());
        }
        let members = match &self.doc.root_members {
            Some(members) if std::ptr::eq(self.raw, self.doc.root) => members.clone(),
            _ => {
                let Members(members) = from_str(self.text()).map_err(|e| self.error(&e))?;
                members.into_iter().map(|(key, raw)| (key, raw.get())).collect()
            }
        };
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        if members.iter().any(|(key, _)| !seen.insert(key.as_ref())) {
            // Reading the object whole places the duplicate.
            return Err(self.node().err().unwrap_or_else(|| self.error(&"duplicate key")));
        }
        Ok(members
            .into_iter()
            .map(|(key, raw)| (key, Lazy { doc: self.doc, raw }))
            .collect())
    }

    /// The items of an array (empty for any other type).
    pub fn items(&self) -> Vec<Lazy<'d, 't>> {
        if self.json_type() != JsonType::Array {
            return Vec::new();
        }
        from_str::<Vec<&RawValue>>(self.text())
            .unwrap_or_default()
            .into_iter()
            .map(|raw| Lazy {
                doc: self.doc,
                raw: raw.get(),
            })
            .collect()
    }

    /// The value of a string.
    pub fn as_str(&self) -> Option<String> {
        (self.json_type() == JsonType::String)
            .then(|| from_str::<String>(self.text()).ok())
            .flatten()
    }

    /// The whole value as a spanned tree.
    pub fn node(&self) -> Result<Node, LoadError> {
        load_piece(self.text(), self.offset(), &self.doc.lines, self.doc.limits)
    }

    fn error(&self, e: &dyn std::fmt::Display) -> LoadError {
        LoadError::new(self.start(), e.to_string())
    }
}

impl std::fmt::Debug for Lazy<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} at {}", self.json_type(), self.start())
    }
}

/// The members of an object, their values unread.
struct Members<'t>(Vec<(Cow<'t, str>, &'t RawValue)>);

impl<'de: 't, 't> Deserialize<'de> for Members<'t> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> Visitor<'de> for MembersVisitor<'t> {
            type Value = Members<'t>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(key) = map.next_key_seed(Key(std::marker::PhantomData))? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
                Err(de::Error::custom("expected a JSON object"))
            }
        }
        deserializer.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}

/// A member's key, borrowed from the text unless it holds escapes (most
/// keys of a plan are read to be compared, never kept).
struct Key<'t>(std::marker::PhantomData<&'t ()>);

impl<'de: 't, 't> de::DeserializeSeed<'de> for Key<'t> {
    type Value = Cow<'t, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct KeyVisitor<'t>(std::marker::PhantomData<&'t ()>);
        impl<'de: 't, 't> Visitor<'de> for KeyVisitor<'t> {
            type Value = Cow<'t, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(key.to_string()))
            }
        }
        deserializer.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

/// serde_json without its own nesting limit: [`LazyJson::parse`] bounds depth first.
fn from_str<'t, T: Deserialize<'t>>(text: &'t str) -> Result<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.disable_recursion_limit();
    let value = T::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::NodeKind;

    #[test]
    fn parts_are_read_where_they_are_written() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": \"\\u00e9t\u{e9}\"\n}";
        let doc = LazyJson::parse(text, Limits::default()).unwrap();
        let entries = doc.root().entries().unwrap();
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["a", "c"]);
        let items = entries[0].1.items();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].start(), Pos { line: 2, col: 12 });
        let node = items[1].node().unwrap();
        let b = node.get("b").unwrap();
        assert_eq!(b.key_span.start, Pos { line: 2, col: 13 });
        assert_eq!(b.value.kind, NodeKind::String("x".into()));
        assert_eq!(entries[1].1.as_str().as_deref(), Some("\u{e9}t\u{e9}"));
        assert_eq!(entries[1].1.json_type(), JsonType::String);
        assert_eq!(entries[0].1.json_type(), JsonType::Array);
    }

    #[test]
    fn errors_are_placed_as_the_strict_loader_places_them() {
        let text = "{\n  \"a\": ,\n}";
        let lazy = LazyJson::parse(text, Limits::default()).err().unwrap();
        assert_eq!(lazy, load_json(text, Limits::default()).unwrap_err());
        let deep = "[".repeat(300);
        assert!(
            LazyJson::parse(&deep, Limits::default())
                .err()
                .unwrap()
                .message
                .contains("nesting deeper")
        );
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_the_second() {
        let text = "{\"x\": {\"a\": 1,\n \"a\": 2}}";
        let doc = LazyJson::parse(text, Limits::default()).unwrap();
        let (_, x) = doc.root().entries().unwrap().remove(0);
        let err = x.entries().unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, col: 2 });
        assert!(err.message.contains("duplicate key"), "{err}");
    }

    #[test]
    fn other_types_have_no_members() {
        let doc = LazyJson::parse("[\"s\", 1, true, null]", Limits::default()).unwrap();
        let types: Vec<JsonType> = doc.root().items().iter().map(Lazy::json_type).collect();
        assert_eq!(
            types,
            [JsonType::String, JsonType::Number, JsonType::Bool, JsonType::Null]
        );
        assert!(doc.root().entries().unwrap().is_empty());
        assert!(doc.root().items()[0].items().is_empty());
    }
}
