//! The shapes the plan reader relies on, checked where it reads them. A
//! plan-shaped document whose parts have the wrong JSON type
//! (`resource_changes` not an array, an `address` that is a number) is an
//! error naming the JSON path: never a scan that silently finds nothing. Only
//! what the reader reads is checked; any other key may hold anything.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::diagnostics::Diagnostic;
use crate::parse::{JsonType, Lazy, LoadError, Node, NodeKind, Pos};

/// A JSON type, as the reader expects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Json {
    Object,
    Array,
    String,
    Number,
    Bool,
}

impl Json {
    fn of_node(node: &Node) -> Option<Json> {
        Some(match node.kind {
            NodeKind::Map(_) => Json::Object,
            NodeKind::Seq(_) => Json::Array,
            NodeKind::String(_) => Json::String,
            NodeKind::Number(_) => Json::Number,
            NodeKind::Bool(_) => Json::Bool,
            NodeKind::Null => return None,
        })
    }

    fn of_lazy(value: &Lazy<'_, '_>) -> Option<Json> {
        Some(match value.json_type() {
            JsonType::Object => Json::Object,
            JsonType::Array => Json::Array,
            JsonType::String => Json::String,
            JsonType::Number => Json::Number,
            JsonType::Bool => Json::Bool,
            JsonType::Null => return None,
        })
    }

    fn name(kind: Option<Json>) -> &'static str {
        match kind {
            Some(Json::Object) => "an object",
            Some(Json::Array) => "an array",
            Some(Json::String) => "a string",
            Some(Json::Number) => "a number",
            Some(Json::Bool) => "a boolean",
            None => "null",
        }
    }
}

/// The members of an object read lazily.
pub(super) type Members<'d, 't> = [(Cow<'t, str>, Lazy<'d, 't>)];

/// The errors found while reading a plan.
#[derive(Default)]
pub(super) struct Shapes {
    pub errors: Vec<Diagnostic>,
    /// Where errors were reported: a part read once per instance is reported once.
    reported: HashSet<(Pos, String)>,
}

impl Shapes {
    fn error(&mut self, pos: Pos, message: String) {
        if self.reported.insert((pos, message.clone())) {
            self.errors.push(Diagnostic::error(pos, message));
        }
    }

    /// Takes the errors another reader found (reading items in parallel).
    pub fn absorb(&mut self, other: Shapes) {
        for error in other.errors {
            self.error(error.pos, error.message);
        }
    }

    /// A part read from the text; one that fails (a duplicate key) is an error
    /// and is skipped, and the rest of the plan is still read.
    pub fn load<T>(&mut self, loaded: Result<T, LoadError>) -> Option<T> {
        loaded.map_err(|e| self.error(e.pos, e.message)).ok()
    }

    /// The members of `value`, an object (empty when it fails to load).
    pub fn members<'d, 't>(&mut self, value: &Lazy<'d, 't>) -> Vec<(Cow<'t, str>, Lazy<'d, 't>)> {
        self.load(value.entries()).unwrap_or_default()
    }

    /// Whether a value of type `found` at `pos` is one of `kinds`; an error at `path` when not.
    fn expect(&mut self, found: Option<Json>, pos: Pos, path: &str, kinds: &[Json]) -> bool {
        if found.is_some_and(|k| kinds.contains(&k)) {
            return true;
        }
        let expected: Vec<&str> = kinds.iter().map(|k| Json::name(Some(*k))).collect();
        self.error(
            pos,
            format!(
                "{path}: expected {}, found {} (not a Terraform plan as `terraform show -json` writes it)",
                expected.join(" or "),
                Json::name(found)
            ),
        );
        false
    }

    /// The field `key` of an object (at `path`) with its path, when present
    /// and one of `kinds`.
    pub fn field<'d, 't>(
        &mut self,
        members: &Members<'d, 't>,
        path: &str,
        key: &str,
        kinds: &[Json],
    ) -> Option<(Lazy<'d, 't>, String)> {
        let value = members.iter().find(|(k, _)| k == key)?.1;
        let path = join(path, key);
        self.expect(Json::of_lazy(&value), value.start(), &path, kinds)
            .then_some((value, path))
    }

    /// The field `key` of an object read whole, when present and one of `kinds`.
    pub fn node_field<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        key: &str,
        kinds: &[Json],
    ) -> Option<&'n Node> {
        let value = &node.get(key)?.value;
        self.expect(Json::of_node(value), value.span.start, &join(path, key), kinds)
            .then_some(value)
    }

    /// The objects in the array field `key`, with their paths.
    pub fn objects<'d, 't>(
        &mut self,
        members: &Members<'d, 't>,
        path: &str,
        key: &str,
    ) -> Vec<(Lazy<'d, 't>, String)> {
        let Some((array, path)) = self.field(members, path, key, &[Json::Array]) else {
            return Vec::new();
        };
        array
            .items()
            .into_iter()
            .enumerate()
            .map(|(i, item)| (item, format!("{path}[{i}]")))
            .filter(|(item, path)| self.expect(Json::of_lazy(item), item.start(), path, &[Json::Object]))
            .collect()
    }

    /// The objects in the object field `key`: their keys, values and paths.
    pub fn entries<'d, 't>(
        &mut self,
        members: &Members<'d, 't>,
        path: &str,
        key: &str,
    ) -> Vec<(Cow<'t, str>, Lazy<'d, 't>, String)> {
        let Some((object, path)) = self.field(members, path, key, &[Json::Object]) else {
            return Vec::new();
        };
        self.members(&object)
            .into_iter()
            .map(|(key, value)| {
                let path = join(&path, &key);
                (key, value, path)
            })
            .filter(|(_, value, path)| {
                self.expect(Json::of_lazy(value), value.start(), path, &[Json::Object])
            })
            .collect()
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::{LazyJson, Limits};

    fn errors(plan: &str) -> Vec<String> {
        let document = LazyJson::parse(plan, Limits::default()).unwrap();
        super::super::read(&document)
            .diagnostics
            .into_iter()
            .map(|d| format!("{}: {}", d.pos, d.message))
            .collect()
    }

    #[test]
    fn a_well_shaped_plan_has_no_errors() {
        let plan = r#"{"format_version": "1.2",
          "planned_values": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": 0,
             "values": {"bucket": "x"}}],
            "child_modules": [{"address": "module.m", "resources": []}]}},
          "resource_changes": [{"address": "aws_s3_bucket.b", "change": {"after_unknown": {}}}],
          "configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket.b", "expressions": {}}],
            "outputs": {"o": {"expression": {}}}, "variables": {"v": {}},
            "module_calls": {"m": {"module": {"resources": []}}}}}}"#;
        assert_eq!(errors(plan), Vec::<String>::new());
    }

    #[test]
    fn wrong_shapes_name_their_json_path() {
        let plan = r#"{"format_version": "1.2", "resource_changes": "none"}"#;
        let found = errors(plan);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("1:47: resource_changes: expected an array, found a string"),
            "{found:?}"
        );
        let plan = r#"{"format_version": "1.2",
          "planned_values": {"root_module": {"resources": [{"address": 7, "type": "aws_s3_bucket"}],
                                             "child_modules": [{"resources": {}}]}},
          "resource_changes": [{"address": 7, "change": []}, 3]}"#;
        let found = errors(plan);
        let messages: Vec<&str> = found.iter().map(|m| m.split_once(": ").unwrap().1).collect();
        assert!(
            messages.iter().any(|m| m.starts_with(
                "planned_values.root_module.resources[0].address: expected a string, found a number"
            )),
            "{found:?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with(
                "planned_values.root_module.child_modules[0].resources: expected an array, found an object"
            )),
            "{found:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("resource_changes[0].address: expected a string, found a number")),
            "{found:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("resource_changes[0].change: expected an object, found an array")),
            "{found:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("resource_changes[1]: expected an object, found a number")),
            "{found:?}"
        );
        assert_eq!(found.len(), 5, "{found:?}");
    }
}
