//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use preflight::checks::Registry;
use preflight::parse::{Limits, Node, NodeKind, load_json, load_yaml_reporting};
use preflight::scan::{ScanOptions, ScanReport, scan};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans `paths` with the built-in checks, restricted to `only` when not empty.
pub fn scan_with(
    paths: &[PathBuf],
    only: &[&str],
    parameters: HashMap<String, String>,
) -> (ScanReport, Registry) {
    let mut registry = Registry::builtin().expect("built-in checks load");
    let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
    registry.select(&only, &[]).expect("known checks");
    // Deployment-scope checks run only in the account-baseline profile.
    let account_baseline = registry.checks().iter().any(|c| c.is_deployment());
    let options = ScanOptions {
        paths: paths.to_vec(),
        parameters,
        account_baseline,
        ..Default::default()
    };
    let report = scan(&options, &registry).expect("scan runs");
    (report, registry)
}

/// Rewrites the paths of `report` (shown relative to the current directory,
/// so absolute for a temp or shared directory) relative to `dir`, which
/// holds every file of the report: what names files in assertions.
pub fn relative_to(mut report: ScanReport, dir: &Path) -> ScanReport {
    let mut prefix = PathBuf::new();
    for component in dir.components() {
        match component {
            std::path::Component::ParentDir => {
                prefix.pop();
            }
            std::path::Component::CurDir => {}
            other => prefix.push(other),
        }
    }
    let prefix = format!("{}/", prefix.to_string_lossy().replace('\\', "/"));
    let strip = |path: &mut String| {
        *path = path
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{path} is not shown below {prefix}"))
            .to_string();
    };
    report.files.iter_mut().for_each(|f| strip(&mut f.path));
    report.diagnostics.iter_mut().for_each(|d| strip(&mut d.file));
    report
}

/// Loads a YAML or JSON document by extension.
pub fn load(path: &Path) -> Node {
    let text = std::fs::read_to_string(path).expect("readable");
    if path.extension().is_some_and(|e| e == "json") {
        load_json(&text, Limits::default()).expect("valid JSON")
    } else {
        // Templates read as CloudFormation reads them (YAML 1.1 booleans).
        load_yaml_reporting(&text, Limits::default())
            .expect("valid YAML")
            .0
    }
}

/// A JSON document given as text (a heredoc's body).
fn load_text(text: &str) -> Node {
    load_json(text, Limits::default()).expect("valid JSON")
}

/// The JSON twin of a YAML template (long-form intrinsics, 2-space indent):
/// the shape CDK and `aws cloudformation` JSON templates have.
pub fn to_json_text(node: &Node) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(node)).expect("serializable");
    text.push('\n');
    text
}

fn to_json(node: &Node) -> serde_json::Value {
    match &node.kind {
        NodeKind::Null => serde_json::Value::Null,
        NodeKind::Bool(b) => serde_json::Value::Bool(*b),
        NodeKind::Number(n) => n
            .parse::<serde_json::Number>()
            .map(serde_json::Value::Number)
            .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
        NodeKind::String(s) => serde_json::Value::String(s.clone()),
        NodeKind::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        NodeKind::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// The line of the node at `path` (`A.B[0].C`) inside resource `resource`'s
/// Properties; an empty path is the resource's logical id.
pub fn line_of(document: &Node, resource: &str, path: &str) -> u32 {
    // Template inputs and outputs are `Parameters.<Name>` / `Outputs.<Name>`.
    for section in ["Parameters", "Outputs"] {
        if let Some(name) = resource.strip_prefix(section).and_then(|r| r.strip_prefix('.')) {
            let entry = document
                .get(section)
                .and_then(|s| s.value.get(name))
                .unwrap_or_else(|| panic!("no {resource}"));
            return if path.is_empty() {
                entry.key_span.start.line
            } else {
                walk(&entry.value, resource, path).span.start.line
            };
        }
    }
    let resources = &document.get("Resources").expect("has Resources").value;
    let entry = resources
        .get(resource)
        .unwrap_or_else(|| panic!("no resource {resource}"));
    if path.is_empty() {
        return entry.key_span.start.line;
    }
    let properties = &entry.value.get("Properties").expect("has Properties").value;
    walk(properties, resource, path).span.start.line
}

/// The node at `path` (`a.b[0].c`; `*` is a map's first value, for keys
/// with dots) below `node`; `owner` names it in panics.
fn walk<'a>(mut node: &'a Node, owner: &str, path: &str) -> &'a Node {
    for segment in path.split('.') {
        if segment == "*" {
            node = &node
                .as_map()
                .and_then(|m| m.first())
                .unwrap_or_else(|| panic!("{owner}: no map entry at * in {path}"))
                .value;
            continue;
        }
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            node = &node
                .get(key)
                .unwrap_or_else(|| panic!("{owner}: no {key} in path {path}"))
                .value;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            let i: usize = index.parse().expect("numeric index");
            let NodeKind::Seq(items) = &node.kind else {
                panic!("{owner}: {path} indexes a non-list")
            };
            node = &items[i];
        }
    }
    node
}

/// The line of attribute `path` (`ingress[0].cidr_blocks[0]`) of the resource
/// at `address` in a plan's `planned_values`; an empty path is the address.
pub fn plan_line_of(plan: &Node, address: &str, path: &str) -> u32 {
    // Provider configurations are read from `provider_config` (`provider.aws.west`).
    if let Some(name) = address.strip_prefix("provider.") {
        let entry = plan
            .get("configuration")
            .and_then(|c| c.value.get("provider_config"))
            .and_then(|p| p.value.get(name))
            .unwrap_or_else(|| panic!("no {address} in the plan's provider_config"));
        return if path.is_empty() {
            entry.key_span.start.line
        } else {
            walk(
                &entry.value.get("expressions").expect("expressions").value,
                address,
                path,
            )
            .span
            .start
            .line
        };
    }
    // Variables and outputs are read from the configuration.
    for (prefix, section) in [("var.", "variables"), ("output.", "outputs")] {
        if let Some(name) = address.strip_prefix(prefix) {
            let entry = plan
                .get("configuration")
                .and_then(|c| c.value.get("root_module"))
                .and_then(|m| m.value.get(section))
                .and_then(|s| s.value.get(name))
                .unwrap_or_else(|| panic!("no {address} in the plan's configuration"));
            return if path.is_empty() {
                entry.key_span.start.line
            } else {
                walk(&entry.value, address, path).span.start.line
            };
        }
    }
    fn find<'a>(module: &'a Node, address: &str) -> Option<&'a Node> {
        for r in module
            .get("resources")
            .and_then(|r| r.value.as_seq())
            .unwrap_or(&[])
        {
            if r.get("address").and_then(|a| a.value.as_str()) == Some(address) {
                return Some(r);
            }
        }
        module
            .get("child_modules")
            .and_then(|c| c.value.as_seq())
            .unwrap_or(&[])
            .iter()
            .find_map(|child| find(child, address))
    }
    let module = &plan
        .get("planned_values")
        .expect("planned_values")
        .value
        .get("root_module")
        .expect("root_module")
        .value;
    let resource = find(module, address).unwrap_or_else(|| panic!("no {address} in the plan"));
    if path.is_empty() {
        return resource.get("address").expect("address").value.span.start.line;
    }
    let values = &resource.get("values").expect("values").value;
    walk(values, address, path).span.start.line
}

/// The line of attribute `path` (`ingress[0].cidr_blocks[0]`, where a name
/// with an index may also be the n-th nested block of that type) of the
/// resource (or data source) at `address` in the `.tf` files of `dir`; an
/// empty path is the block itself.
pub fn hcl_line_of(dir: &Path, address: &str, path: &str) -> u32 {
    use hcl_edit::Span as _;
    use hcl_edit::expr::Expression;
    use hcl_edit::structure::{Body, Structure};
    let (kind, rest) = match address.strip_prefix("data.") {
        Some(rest) => ("data", rest),
        None => ("resource", address),
    };
    let (tf_type, name) = rest.split_once('.').expect("type.name");
    let name = name.split('[').next().unwrap_or(name);
    // `var.x` / `output.x` are the one-label `variable` / `output` blocks.
    // `provider.aws` / `provider.aws.west` are `provider "aws"` blocks (by `alias`).
    let alias = (tf_type == "provider").then(|| rest.splitn(3, '.').nth(2));
    let (kind, labels): (&str, Vec<&str>) = match tf_type {
        "var" if kind == "resource" => ("variable", vec![name]),
        "output" if kind == "resource" => ("output", vec![name]),
        "provider" if kind == "resource" => ("provider", vec![name.split('.').next().unwrap_or(name)]),
        _ => (kind, vec![tf_type, name]),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let line = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
        let body: Body = hcl_edit::parser::parse_body(&text).expect("valid HCL");
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let block_labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            if block.ident.as_str() != kind || block_labels != labels {
                continue;
            }
            if let Some(alias) = alias {
                let written = block.body.get_attribute("alias").and_then(|a| match &a.value {
                    Expression::String(s) => Some(s.value().to_string()),
                    _ => None,
                });
                if written.as_deref() != alias {
                    continue;
                }
            }
            if path.is_empty() {
                return line(block.span().unwrap().start);
            }
            let mut body = &block.body;
            let mut at_block = block.span().unwrap().start;
            let mut expr: Option<&Expression> = None;
            let segments: Vec<&str> = path.split('.').collect();
            for (n, &segment) in segments.iter().enumerate() {
                // A JSON document written as a heredoc: the rest of the path is inside it.
                if let Some(Expression::HeredocTemplate(heredoc)) = expr {
                    let start = heredoc.span().unwrap().start;
                    let first_line = line(start) + 1;
                    let body_start = start + text[start..].find('\n').unwrap() + 1;
                    let end = text[body_start..]
                        .find(heredoc.delimiter.as_str())
                        .map_or(text.len(), |e| body_start + e);
                    let document = load_text(&text[body_start..end]);
                    let rest = segments[n..].join(".");
                    return first_line + walk(&document, address, &rest).span.start.line - 1;
                }

                let (key, indexes) = match segment.find('[') {
                    Some(i) => (&segment[..i], &segment[i..]),
                    None => (segment, ""),
                };
                let mut indexes = indexes
                    .split(['[', ']'])
                    .filter(|s| !s.is_empty())
                    .map(|i| i.parse::<usize>().unwrap());
                match expr {
                    None => match body.get_attribute(key) {
                        Some(attr) => expr = Some(&attr.value),
                        None => {
                            let n = indexes.next().unwrap_or(0);
                            let nested = body
                                .get_blocks(key)
                                .nth(n)
                                .unwrap_or_else(|| panic!("{address}: no block {key}[{n}]"));
                            at_block = nested.span().unwrap().start;
                            body = &nested.body;
                        }
                    },
                    Some(Expression::Object(object)) => {
                        let named = |k: &hcl_edit::expr::ObjectKey| match k {
                            hcl_edit::expr::ObjectKey::Ident(i) => i.as_str() == key,
                            hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => {
                                s.value().as_str() == key
                            }
                            _ => false,
                        };
                        let (_, v) = object
                            .iter()
                            .find(|(k, _)| named(k))
                            .unwrap_or_else(|| panic!("{address}: no {key}"));
                        expr = Some(v.expr());
                    }
                    Some(other) => panic!("{address}: cannot go into {other:?}"),
                }
                // `jsonencode(X)`: the path goes on in X.
                if let Some(Expression::FuncCall(call)) = expr
                    && call.name.name.as_str() == "jsonencode"
                {
                    expr = call.args.iter().next();
                }
                for i in indexes {
                    match expr {
                        Some(Expression::Array(items)) => expr = items.iter().nth(i),
                        _ => panic!("{address}: {path} indexes a non-list"),
                    }
                }
            }
            return line(expr.map_or(at_block, |e| e.span().unwrap().start));
        }
    }
    panic!("no {address} in {}", dir.display())
}

/// Whether `program` can be run here (`program --version` starts). When it
/// cannot, the test says on one line what it skips — unless
/// `PREFLIGHT_REQUIRE_TOOLS` is set (`.ci/run` sets it), where that fails.
pub fn have(program: &str, what: &str) -> bool {
    let runs = std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !runs {
        assert!(
            std::env::var_os("PREFLIGHT_REQUIRE_TOOLS").is_none(),
            "{program} is required here (PREFLIGHT_REQUIRE_TOOLS) for {what}"
        );
        println!("skipped: {what} needs {program}, which is not installed");
    }
    runs
}

/// `../shared/<path>` when it is beside the repository (development and CI);
/// otherwise `None`, and the test says on one line what it skips.
pub fn shared(path: &str) -> Option<PathBuf> {
    let full = root().join("../shared").join(path);
    if full.exists() {
        Some(full)
    } else {
        println!("skipped: ../shared/{path} is not beside the repository");
        None
    }
}

/// Asserts that `sarif` (the report of `what`) is valid SARIF 2.1.0, against
/// the vendored OASIS schema (compiled once).
pub fn assert_valid_sarif(sarif: &serde_json::Value, what: &str) {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(sarif_validator);
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: invalid SARIF:\n{}", errors.join("\n"));
}

/// Asserts that `report` (the JSON report of `what`) is valid against the
/// report's own schema, `schema/report.schema.json` (draft 2020-12), which
/// allows no field it does not describe.
pub fn assert_valid_report(report: &serde_json::Value, what: &str) {
    let errors = report_schema_errors(report);
    assert!(
        errors.is_empty(),
        "{what}: the JSON report does not match schema/report.schema.json:\n{}",
        errors.join("\n")
    );
}

/// Where `report` departs from `schema/report.schema.json`.
pub fn report_schema_errors(report: &serde_json::Value) -> Vec<String> {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text =
            std::fs::read_to_string(root().join("schema/report.schema.json")).expect("readable schema");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the report schema compiles")
    });
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Asserts that `report` (a `--format gitlab-sast` report of `what`) meets
/// the constraints of GitLab's SAST report format 15.0.4 restated in
/// `tests/schemas/gitlab-sast-15.0.4-constraints.schema.json` (GitLab's
/// official schema file could not be obtained; see that file).
pub fn assert_valid_gitlab_sast(report: &serde_json::Value, what: &str) {
    let errors = gitlab_sast_errors(report);
    assert!(
        errors.is_empty(),
        "{what}: invalid GitLab SAST report:\n{}",
        errors.join("\n")
    );
}

/// Where `report` departs from the GitLab SAST constraints.
pub fn gitlab_sast_errors(report: &serde_json::Value) -> Vec<String> {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let path = root().join("tests/schemas/gitlab-sast-15.0.4-constraints.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("readable schema")).expect("JSON");
        jsonschema::draft202012::new(&schema).expect("the GitLab constraints compile")
    });
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Validates `stdout` against the report schema when it is a JSON report
/// (an object with a `schema_version`): what every in-process or spawned
/// scan of the tests passes through, so no JSON output goes unchecked.
pub fn check_if_json_report(stdout: &str, what: &str) {
    if !stdout.trim_start().starts_with('{') {
        return;
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(stdout)
        && value.get("schema_version").is_some()
    {
        assert_valid_report(&value, what);
    }
}

/// The SARIF 2.1.0 schema of `../shared/spec`, compiled.
fn sarif_validator() -> jsonschema::Validator {
    // Vendored (tests/schemas/README.md): every clone validates its SARIF.
    let text = std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json"))
        .expect("readable schema");
    // Erratum of the published schema: `run.language`'s pattern has a stray `]`
    // that no regex engine compiles. preflight never writes `language`.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("the SARIF schema compiles")
}
