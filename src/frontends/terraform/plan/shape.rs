//! The shapes the plan reader relies on. A plan-shaped document whose parts
//! have the wrong JSON type (`resource_changes` not an array, an `address`
//! that is a number) is an error naming the JSON path: never a scan that
//! silently finds nothing. Only what the reader reads is checked; any other
//! key may hold anything.

use super::MAX_MODULE_DEPTH;
use crate::diagnostics::Diagnostic;
use crate::parse::{Node, NodeKind};

/// A JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Json {
    Object,
    Array,
    String,
    Number,
    Bool,
}

impl Json {
    fn of(node: &Node) -> Option<Json> {
        Some(match node.kind {
            NodeKind::Map(_) => Json::Object,
            NodeKind::Seq(_) => Json::Array,
            NodeKind::String(_) => Json::String,
            NodeKind::Number(_) => Json::Number,
            NodeKind::Bool(_) => Json::Bool,
            _ => return None,
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

/// Every part of `root` (a plan) the reader would misread, as errors at the
/// offending value.
pub fn shape_errors(root: &Node) -> Vec<Diagnostic> {
    let mut shapes = Shapes::default();
    shapes.field(root, "", "format_version", &[Json::String]);
    if let Some((planned, path)) = shapes.field(root, "", "planned_values", &[Json::Object])
        && let Some((module, path)) = shapes.field(planned, &path, "root_module", &[Json::Object])
    {
        shapes.module(module, &path, 0);
    }
    if let Some((prior, path)) = shapes.field(root, "", "prior_state", &[Json::Object])
        && let Some((values, path)) = shapes.field(prior, &path, "values", &[Json::Object])
        && let Some((module, path)) = shapes.field(values, &path, "root_module", &[Json::Object])
    {
        shapes.module(module, &path, 0);
    }
    for (change, path) in shapes.objects(root, "", "resource_changes") {
        shapes.field(change, &path, "address", &[Json::String]);
        if let Some((inner, path)) = shapes.field(change, &path, "change", &[Json::Object]) {
            shapes.field(inner, &path, "after_unknown", &[Json::Object, Json::Bool]);
        }
    }
    if let Some((configuration, path)) = shapes.field(root, "", "configuration", &[Json::Object])
        && let Some((module, path)) = shapes.field(configuration, &path, "root_module", &[Json::Object])
    {
        shapes.configured_module(module, &path, 0);
    }
    shapes.errors
}

#[derive(Default)]
struct Shapes {
    errors: Vec<Diagnostic>,
}

impl Shapes {
    /// Whether `node` is one of `kinds`; an error at `path` when not.
    fn expect(&mut self, node: &Node, path: &str, kinds: &[Json]) -> bool {
        let kind = Json::of(node);
        if kind.is_some_and(|k| kinds.contains(&k)) {
            return true;
        }
        let expected: Vec<&str> = kinds.iter().map(|k| Json::name(Some(*k))).collect();
        self.errors.push(Diagnostic::error(
            node.span.start,
            format!(
                "{path}: expected {}, found {} (not a Terraform plan as `terraform show -json` writes it)",
                expected.join(" or "),
                Json::name(kind)
            ),
        ));
        false
    }

    /// The field `key` of the object `node` (at `path`) with its path, when
    /// present and one of `kinds`.
    fn field<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        key: &str,
        kinds: &[Json],
    ) -> Option<(&'n Node, String)> {
        let value = &node.get(key)?.value;
        let path = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        self.expect(value, &path, kinds).then_some((value, path))
    }

    /// The objects in the array field `key` of `node`, with their paths.
    fn objects<'n>(&mut self, node: &'n Node, path: &str, key: &str) -> Vec<(&'n Node, String)> {
        let Some((array, path)) = self.field(node, path, key, &[Json::Array]) else {
            return Vec::new();
        };
        let items = array.as_seq().unwrap_or_default();
        items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, format!("{path}[{i}]")))
            .filter(|(item, path)| self.expect(item, path, &[Json::Object]))
            .collect()
    }

    /// The objects in the object field `key` of `node`, with their paths.
    fn entries<'n>(&mut self, node: &'n Node, path: &str, key: &str) -> Vec<(&'n Node, String)> {
        let Some((object, path)) = self.field(node, path, key, &[Json::Object]) else {
            return Vec::new();
        };
        let entries = object.as_map().unwrap_or_default();
        entries
            .iter()
            .map(|e| (&e.value, format!("{path}.{}", e.key)))
            .filter(|(value, path)| self.expect(value, path, &[Json::Object]))
            .collect()
    }

    /// A module of `planned_values` or `prior_state`.
    fn module(&mut self, module: &Node, path: &str, depth: usize) {
        if depth > MAX_MODULE_DEPTH {
            return;
        }
        self.field(module, path, "address", &[Json::String]);
        for (resource, path) in self.objects(module, path, "resources") {
            for key in ["address", "type", "mode", "name"] {
                self.field(resource, &path, key, &[Json::String]);
            }
            self.field(resource, &path, "values", &[Json::Object]);
            self.field(resource, &path, "index", &[Json::String, Json::Number]);
        }
        for (child, path) in self.objects(module, path, "child_modules") {
            self.module(child, &path, depth + 1);
        }
    }

    /// A module of `configuration`.
    fn configured_module(&mut self, module: &Node, path: &str, depth: usize) {
        if depth > MAX_MODULE_DEPTH {
            return;
        }
        for (resource, path) in self.objects(module, path, "resources") {
            self.field(resource, &path, "address", &[Json::String]);
            self.field(resource, &path, "expressions", &[Json::Object]);
        }
        for (output, path) in self.entries(module, path, "outputs") {
            self.field(output, &path, "expression", &[Json::Object]);
        }
        self.entries(module, path, "variables");
        for (call, path) in self.entries(module, path, "module_calls") {
            if let Some((child, path)) = self.field(call, &path, "module", &[Json::Object]) {
                self.configured_module(child, &path, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Limits, load_json};

    fn errors(plan: &str) -> Vec<String> {
        let node = load_json(plan, Limits::default()).unwrap();
        shape_errors(&node)
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
