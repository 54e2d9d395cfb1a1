//! Terraform plan JSON (`terraform show -json plan.out`), format 0.1 to 1.x.
//!
//! Resources come from `planned_values` at every module depth (data sources
//! also from `prior_state`). `resource_changes[].change.after_unknown` marks
//! values known only after apply. Because ids are unknown before apply,
//! `configuration` expressions' `references` turn those values into
//! references to the resource instance they name, so the graph can join
//! a rule to its group or a flow log to its VPC.

mod shape;

use std::collections::HashMap;

pub use shape::shape_errors;

use super::{TfResource, adapters};
use crate::diagnostics::Diagnostic;
use crate::frontends::cloudformation::node_to_value;
use crate::graph::{Graph, Origin, Prop, ResourceRef, Value, ValueKind};
use crate::parse::{Node, NodeKind, Span};

/// Why a value is unknown in a plan.
const AFTER_APPLY: &str = "known only after apply";

/// Builds the graph of a plan document.
pub fn build_graph(root: &Node) -> (Graph, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let resources = resources(root);
    let graph = adapters::adapt(resources, &mut diagnostics);
    (graph, diagnostics)
}

/// The default AWS provider's region written in the plan's configuration.
pub fn region(root: &Node) -> Option<String> {
    root.get("configuration")?
        .value
        .get("provider_config")?
        .value
        .get("aws")?
        .value
        .get("expressions")?
        .value
        .get("region")?
        .value
        .get("constant_value")?
        .value
        .as_str()
        .map(str::to_string)
}

/// The resources (and data sources) a plan will have, before adaptation.
pub fn resources(root: &Node) -> Vec<TfResource> {
    let mut resources = Vec::new();
    if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.value.get("root_module"))
    {
        collect_resources(&module.value, "", &mut resources, 0);
    }
    // Data sources read during planning live in the prior state.
    if let Some(module) = root
        .get("prior_state")
        .and_then(|p| p.value.get("values"))
        .and_then(|v| v.value.get("root_module"))
    {
        let mut prior = Vec::new();
        collect_resources(&module.value, "", &mut prior, 0);
        let planned: std::collections::HashSet<String> =
            resources.iter().map(|p| p.resource.address.clone()).collect();
        for r in prior {
            if r.data && !planned.contains(&r.resource.address) {
                resources.push(r);
            }
        }
    }
    let position: HashMap<String, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, p)| (p.resource.address.clone(), i))
        .collect();
    for change in root
        .get("resource_changes")
        .and_then(|c| c.value.as_seq())
        .unwrap_or(&[])
    {
        let Some(address) = change.get("address").and_then(|a| a.value.as_str()) else {
            continue;
        };
        let Some(unknown) = change.get("change").and_then(|c| c.value.get("after_unknown")) else {
            continue;
        };
        if let Some(&i) = position.get(address) {
            let planned = &mut resources[i];
            let span = planned.resource.span;
            mark_unknown(&mut planned.resource.values, &unknown.value, span);
        }
    }
    let mut config = HashMap::new();
    if let Some(module) = root.get("configuration").and_then(|c| c.value.get("root_module")) {
        collect_config(&module.value, "", &mut config, 0);
    }
    let instances = instance_index(&resources);
    let known: std::collections::HashSet<String> =
        resources.iter().map(|p| p.resource.address.clone()).collect();
    // Known top-level strings of every resource, to tell a plain reference
    // from a template around one (not the whole values: plans can be large).
    let values: HashMap<String, HashMap<String, String>> = resources
        .iter()
        .map(|p| {
            let strings = match &p.resource.values.kind {
                ValueKind::Map(props) => props
                    .iter()
                    .filter_map(|prop| prop.value.as_str().map(|s| (prop.key.clone(), s.to_string())))
                    .collect(),
                _ => HashMap::new(),
            };
            (p.resource.address.clone(), strings)
        })
        .collect();
    for planned in &mut resources {
        let key = strip_indexes(&planned.resource.address);
        let Some(expressions) = config.get(&key) else {
            continue;
        };
        if let Some(entries) = expressions.as_map() {
            let configured: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
            prune_computed(&mut planned.resource.values, expressions);
            planned.resource.configured = Some(configured);
        }
        let scope = Scope {
            config: &config,
            depth: 0,
            values: &values,
            module: &planned.module,
            own_index: planned.index.as_deref(),
            instances: &instances,
            known: &known,
        };
        let span = planned.resource.span;
        apply_references(&mut planned.resource.values, expressions, &scope, span);
    }
    let mut out: Vec<TfResource> = resources.into_iter().map(|p| p.resource).collect();
    if let Some(configuration) = root.get("configuration") {
        if let Some(module) = configuration.value.get("root_module") {
            out.extend(declarations(&module.value));
        }
        if let Some(providers) = configuration.value.get("provider_config") {
            out.extend(providers_of(&providers.value));
        }
    }
    out
}

/// The `aws` provider configurations (`provider_config`), as items of type
/// `provider` (the `.tf` loader makes the same): their literal settings, and
/// settings from variables as that variable's values.
fn providers_of(config: &Node) -> Vec<TfResource> {
    let mut out = Vec::new();
    for entry in config.as_map().unwrap_or(&[]) {
        let node = &entry.value;
        if node.get("name").and_then(|n| n.value.as_str()) != Some("aws") {
            continue;
        }
        let mut props = Vec::new();
        for setting in node
            .get("expressions")
            .and_then(|e| e.value.as_map())
            .unwrap_or(&[])
        {
            let expression = &setting.value;
            let value = match expression.get("constant_value") {
                Some(constant) => crate::frontends::cloudformation::node_to_value(&constant.value),
                None => {
                    let reason = format!("{} is known only at plan", setting.key);
                    let mut value = Value::unknown(expression.span, reason);
                    if let Some(variable) = references_of(expression)
                        .into_iter()
                        .find(|r| r.starts_with("var."))
                    {
                        value.origin = Origin::Parameter(variable.to_string());
                    }
                    value
                }
            };
            props.push(Prop {
                key: setting.key.clone(),
                key_span: setting.key_span,
                value,
            });
        }
        // `aws` or `aws.west`, as the configuration names it (`module.x:aws` in modules).
        let name = entry.key.replace(':', ".");
        out.push(TfResource {
            address: format!("provider.{name}"),
            data: false,
            tf_type: "provider".to_string(),
            values: Value::new(node.span, ValueKind::Map(props)),
            span: entry.key_span,
            configured: None,
        });
    }
    out
}

/// The root module's `variables` and `outputs` from the configuration, as
/// items of type `variable` / `output` (the `.tf` loader makes the same): a
/// variable's `default` and `sensitive`, an output's `sensitive` and its
/// value as references to what it reads (`aws_iam_access_key.ci.secret`).
fn declarations(module: &Node) -> Vec<TfResource> {
    let mut out = Vec::new();
    let prop = |key: &str, value: Value| Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    };
    for (section, kind, prefix) in [
        ("variables", "variable", "var."),
        ("outputs", "output", "output."),
    ] {
        for entry in module.get(section).and_then(|s| s.value.as_map()).unwrap_or(&[]) {
            let node = &entry.value;
            let mut props = Vec::new();
            if let Some(default) = node.get("default") {
                props.push(prop(
                    "default",
                    crate::frontends::cloudformation::node_to_value(&default.value),
                ));
            }
            if let Some(kind) = node.get("type") {
                props.push(prop(
                    "type",
                    crate::frontends::cloudformation::node_to_value(&kind.value),
                ));
            }
            if let Some(sensitive) = node.get("sensitive") {
                props.push(prop(
                    "sensitive",
                    crate::frontends::cloudformation::node_to_value(&sensitive.value),
                ));
            }
            let references: Vec<Value> = node
                .get("expression")
                .and_then(|e| e.value.get("references"))
                .and_then(|r| r.value.as_seq())
                .unwrap_or(&[])
                .iter()
                .filter_map(|r| Some((r.span, attribute_reference(r.as_str()?)?)))
                .map(|(span, target)| Value::new(span, ValueKind::Ref(target)))
                .collect();
            if !references.is_empty() {
                let span = node.span;
                props.push(prop("value", Value::new(span, ValueKind::List(references))));
            }
            out.push(TfResource {
                address: format!("{prefix}{}", entry.key),
                data: false,
                tf_type: kind.to_string(),
                values: Value::new(node.span, ValueKind::Map(props)),
                span: entry.key_span,
                configured: None,
            });
        }
    }
    out
}

/// `aws_iam_access_key.ci.secret` (or `data.x.y.attr`) as a reference to the
/// resource's attribute; `None` for variables, locals, modules and bare resources.
fn attribute_reference(reference: &str) -> Option<ResourceRef> {
    let segments: Vec<&str> = reference.split('.').collect();
    let width = if segments.first() == Some(&"data") { 3 } else { 2 };
    if matches!(
        segments.first(),
        Some(&("var" | "local" | "module" | "each" | "count" | "path" | "self"))
    ) {
        return None;
    }
    let attribute = segments.get(width)?;
    Some(ResourceRef {
        target: segments[..width].join("."),
        attribute: Some((*attribute).to_string()),
    })
}

/// A planned resource with what reference resolution needs.
struct Planned {
    resource: TfResource,
    data: bool,
    /// The module instance address (`module.net["a"]`), empty at the root.
    module: String,
    /// The instance key as written in addresses (`[0]`, `["a"]`).
    index: Option<String>,
}

/// Plans nest modules as deep as the configuration: bounded like documents.
const MAX_MODULE_DEPTH: usize = 64;

fn collect_resources(module: &Node, module_address: &str, out: &mut Vec<Planned>, depth: usize) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    for r in module
        .get("resources")
        .and_then(|r| r.value.as_seq())
        .unwrap_or(&[])
    {
        let text = |k: &str| r.get(k).and_then(|e| e.value.as_str()).map(str::to_string);
        let (Some(address), Some(tf_type)) = (text("address"), text("type")) else {
            continue;
        };
        let data = text("mode").as_deref() == Some("data");
        let span = r.get("address").map_or(r.span, |e| e.value.span);
        let values = match r.get("values") {
            Some(v) => node_to_value(&v.value),
            None => Value::new(span, ValueKind::Map(Vec::new())),
        };
        let index = r.get("index").map(|i| match &i.value.kind {
            NodeKind::String(s) => format!("[{}]", serde_json::to_string(s).unwrap_or_default()),
            NodeKind::Number(n) => format!("[{n}]"),
            _ => String::new(),
        });
        out.push(Planned {
            resource: TfResource {
                address,
                data,
                tf_type,
                values,
                span,
                configured: None,
            },
            data,
            module: module_address.to_string(),
            index,
        });
    }
    for child in module
        .get("child_modules")
        .and_then(|c| c.value.as_seq())
        .unwrap_or(&[])
    {
        let address = child
            .get("address")
            .and_then(|a| a.value.as_str())
            .unwrap_or(module_address);
        collect_resources(child, address, out, depth + 1);
    }
}

/// Configuration expressions by resource address without instance keys.
fn collect_config<'a>(module: &'a Node, prefix: &str, out: &mut HashMap<String, &'a Node>, depth: usize) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    for r in module
        .get("resources")
        .and_then(|r| r.value.as_seq())
        .unwrap_or(&[])
    {
        // A resource written with no arguments has no `expressions`: nothing configured.
        static NOTHING: std::sync::LazyLock<Node> = std::sync::LazyLock::new(|| Node {
            span: Span::default(),
            kind: NodeKind::Map(Vec::new()),
        });
        if let Some(address) = r.get("address").and_then(|a| a.value.as_str()) {
            let expressions = r.get("expressions").map_or(&*NOTHING, |e| &e.value);
            out.insert(format!("{prefix}{address}"), expressions);
        }
    }
    // Outputs, so references through `module.x.out` can be followed.
    for output in module
        .get("outputs")
        .and_then(|o| o.value.as_map())
        .unwrap_or(&[])
    {
        if let Some(expression) = output.value.get("expression") {
            out.insert(format!("{prefix}output.{}", output.key), &expression.value);
        }
    }
    for call in module
        .get("module_calls")
        .and_then(|m| m.value.as_map())
        .unwrap_or(&[])
    {
        if let Some(child) = call.value.get("module") {
            collect_config(
                &child.value,
                &format!("{prefix}module.{}.", call.key),
                out,
                depth + 1,
            );
        }
    }
}

/// Marks the leaves `after_unknown` flags as unknown, adding absent ones.
fn mark_unknown(value: &mut Value, unknown: &Node, span: Span) {
    match (&mut value.kind, &unknown.kind) {
        (_, NodeKind::Bool(true)) => *value = Value::unknown(value.span, AFTER_APPLY),
        (ValueKind::Map(props), NodeKind::Map(flags)) => {
            for flag in flags {
                match props.iter_mut().find(|p| p.key == flag.key) {
                    Some(p) => mark_unknown(&mut p.value, &flag.value, span),
                    None if flag.value.kind == NodeKind::Bool(true) => props.push(Prop {
                        key: flag.key.clone(),
                        key_span: span,
                        value: Value::unknown(span, AFTER_APPLY),
                    }),
                    None => {}
                }
            }
        }
        (ValueKind::List(items), NodeKind::Seq(flags)) => {
            for (item, flag) in items.iter_mut().zip(flags) {
                mark_unknown(item, flag, span);
            }
        }
        _ => {}
    }
}

/// What resolving a reference inside one resource's configuration needs.
struct Scope<'a> {
    /// Known attribute values of every resource, by address, to tell a plain
    /// reference from a template that contains one.
    values: &'a HashMap<String, HashMap<String, String>>,
    /// The module instance the referring resource is in.
    module: &'a str,
    /// The referring resource's own instance key, for `aws_x.y[count.index]`.
    own_index: Option<&'a str>,
    /// Instances by address without instance key.
    instances: &'a HashMap<String, Vec<String>>,
    known: &'a std::collections::HashSet<String>,
    /// Configuration expressions (and module outputs) by address without instance keys.
    config: &'a HashMap<String, &'a Node>,
    /// How many module outputs have been followed to get here.
    depth: usize,
}

impl Scope<'_> {
    /// Whether `known` is the value of the reference's target attribute (or,
    /// for a whole-resource reference as older plans write them, of one of the
    /// target's identifying attributes).
    fn is_value_of(&self, target: &ResourceRef, known: &str) -> bool {
        let Some(values) = self.values.get(&target.target) else {
            return false;
        };
        let own;
        let attributes: &[&str] = match &target.attribute {
            Some(a) => {
                own = [a.as_str()];
                &own
            }
            None => &["id", "arn", "bucket", "name"],
        };
        attributes
            .iter()
            .any(|a| values.get(*a).map(String::as_str) == Some(known))
    }
}

fn instance_index(resources: &[Planned]) -> HashMap<String, Vec<String>> {
    let mut index: HashMap<String, Vec<String>> = HashMap::new();
    for p in resources {
        let base = match &p.index {
            Some(i) => p
                .resource
                .address
                .strip_suffix(i.as_str())
                .unwrap_or(&p.resource.address),
            None => &p.resource.address,
        };
        index
            .entry(base.to_string())
            .or_default()
            .push(p.resource.address.clone());
    }
    index
}

/// Replaces unknown or absent values whose expression references a resource
/// with a reference to that resource instance.
fn apply_references(values: &mut Value, expressions: &Node, scope: &Scope<'_>, span: Span) {
    let ValueKind::Map(props) = &mut values.kind else {
        return;
    };
    for expression in expressions.as_map().unwrap_or(&[]) {
        let current = props.iter_mut().find(|p| p.key == expression.key);
        match &expression.value.kind {
            NodeKind::Map(_) if is_leaf(&expression.value) => {
                let references = references_of(&expression.value);
                let mut current = current;
                if let Some(p) = current.as_deref_mut() {
                    unhash(p, &expression.value);
                }
                // A value computed from an input variable is that variable's, not a literal.
                if let (Some(variable), Some(p)) = (
                    references.iter().find(|r| r.starts_with("var.")),
                    current.as_deref_mut(),
                ) {
                    p.value.origin = Origin::Parameter(variable.to_string());
                }
                let mut targets: Vec<ResourceRef> =
                    references.iter().filter_map(|r| resolve(r, scope)).collect();
                targets.dedup_by(|a, b| a.target == b.target);
                let Some(target) = targets.first().cloned() else {
                    continue;
                };
                // A map or list whose one unknown entry is the one reference
                // (`roles = { unauthenticated = aws_iam_role.guest.arn }`,
                // `identifiers = [aws_iam_role.admin.arn]`): that entry is it.
                if targets.len() == 1
                    && let Some(p) = current.as_deref_mut()
                {
                    let mut unknown: Vec<&mut Value> = match &mut p.value.kind {
                        ValueKind::Map(entries) => entries.iter_mut().map(|e| &mut e.value).collect(),
                        ValueKind::List(items) => items.iter_mut().collect(),
                        _ => Vec::new(),
                    };
                    unknown.retain(|v| matches!(v.kind, ValueKind::Unknown(_)));
                    if let [entry] = unknown.as_mut_slice() {
                        **entry = Value::new(entry.span, ValueKind::Ref(target));
                        continue;
                    }
                }
                // A known value is replaced only when it is the referenced
                // attribute itself (not a template around it).
                let replace = current.as_ref().is_none_or(|p| match &p.value.kind {
                    ValueKind::Unknown(_) | ValueKind::Null => true,
                    ValueKind::String(known) => scope.is_value_of(&target, known),
                    _ => false,
                });
                if !replace {
                    continue;
                }
                match current {
                    Some(p) => p.value = Value::new(p.value.span, ValueKind::Ref(target)),
                    None => props.push(Prop {
                        key: expression.key.clone(),
                        key_span: span,
                        value: Value::new(span, ValueKind::Ref(target)),
                    }),
                }
            }
            NodeKind::Seq(blocks) => {
                if let Some(Prop {
                    value:
                        Value {
                            kind: ValueKind::List(items),
                            ..
                        },
                    ..
                }) = current
                {
                    for (item, block) in items.iter_mut().zip(blocks) {
                        apply_references(item, block, scope, span);
                    }
                }
            }
            NodeKind::Map(_) => {
                if let Some(p) = current {
                    apply_references(&mut p.value, &expression.value, scope, span);
                }
            }
            _ => {}
        }
    }
}

/// Attributes the AWS provider stores as a SHA-1 of their text (an
/// instance's `user_data`): the text is the configuration's constant, when
/// it is one; otherwise the plan cannot show it.
fn unhash(prop: &mut Prop, expression: &Node) {
    const HASHED: &[&str] = &["user_data"];
    let is_sha1 = |text: &str| text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit());
    if !HASHED.contains(&prop.key.as_str()) || !prop.value.as_str().is_some_and(is_sha1) {
        return;
    }
    let span = prop.value.span;
    prop.value = match expression.get("constant_value").and_then(|c| c.value.as_str()) {
        Some(text) => Value::new(span, ValueKind::String(text.to_string())),
        None => Value::unknown(
            span,
            format!(
                "the plan stores {} hashed; its text is in the configuration only when written literally",
                prop.key
            ),
        ),
    };
}

/// What the provider computes because the configuration leaves it out is not
/// set by the user: absent, as in the configuration itself — at the top and
/// inside nested blocks, which the configuration lists block by block.
fn prune_computed(values: &mut Value, expressions: &Node) {
    let ValueKind::Map(props) = &mut values.kind else {
        return;
    };
    props.retain(|p| {
        !matches!(&p.value.kind, ValueKind::Unknown(r) if r == AFTER_APPLY)
            || expressions.get(&p.key).is_some()
    });
    for prop in props.iter_mut() {
        let Some(expression) = expressions.get(&prop.key).map(|e| &e.value) else {
            continue;
        };
        match (&mut prop.value.kind, &expression.kind) {
            (ValueKind::List(blocks), NodeKind::Seq(configured)) => {
                for (block, config) in blocks.iter_mut().zip(configured) {
                    if !is_leaf(config) {
                        prune_computed(block, config);
                    }
                }
            }
            (ValueKind::Map(_), NodeKind::Map(_)) if !is_leaf(expression) => {
                prune_computed(&mut prop.value, expression)
            }
            _ => {}
        }
    }
}

/// The `references` of a configuration expression (`aws_vpc.main.id`, `var.x`).
fn references_of(expression: &Node) -> Vec<&str> {
    expression
        .get("references")
        .and_then(|r| r.value.as_seq())
        .unwrap_or(&[])
        .iter()
        .filter_map(|r| r.as_str())
        .collect()
}

/// An expression object (`{references, constant_value}`), not a nested block.
fn is_leaf(node: &Node) -> bool {
    node.get("references").is_some() || node.get("constant_value").is_some()
}

/// `aws_vpc.main.id` (or `aws_sg.web["a"].id`, `data.x.y.json`) inside
/// `scope.module` -> the instance it designates and the attribute.
fn resolve(reference: &str, scope: &Scope<'_>) -> Option<ResourceRef> {
    let segments = split_reference(reference);
    let (base, rest) = match segments.first().map(String::as_str) {
        Some("data") if segments.len() >= 3 => {
            (format!("data.{}.{}", segments[1], segments[2]), &segments[3..])
        }
        Some("module") => return module_output(&segments[1..], scope),
        Some("var" | "local" | "each" | "count" | "path" | "terraform" | "self") | None => {
            return None;
        }
        Some(_) if segments.len() >= 2 => (format!("{}.{}", segments[0], segments[1]), &segments[2..]),
        Some(_) => return None,
    };
    let prefix = if scope.module.is_empty() {
        String::new()
    } else {
        format!("{}.", scope.module)
    };
    let base = format!("{prefix}{base}");
    let (index, rest) = match rest.first() {
        Some(i) if i.starts_with('[') => (Some(i.as_str()), &rest[1..]),
        _ => (None, rest),
    };
    let target = match index {
        Some(i) => Some(format!("{base}{i}")).filter(|t| scope.known.contains(t))?,
        None => {
            let candidates = scope.instances.get(&base)?;
            match candidates.as_slice() {
                [only] => only.clone(),
                _ => {
                    let own = format!("{base}{}", scope.own_index?);
                    candidates.iter().find(|c| **c == own)?.clone()
                }
            }
        }
    };
    Some(ResourceRef {
        target,
        attribute: rest.first().filter(|a| !a.starts_with('[')).cloned(),
    })
}

/// `module.NAME[key].OUTPUT`: the resource the output's own expression refers
/// to, inside that module instance.
fn module_output(segments: &[String], scope: &Scope<'_>) -> Option<ResourceRef> {
    const MAX_OUTPUT_DEPTH: usize = 16;
    if scope.depth >= MAX_OUTPUT_DEPTH {
        return None;
    }
    let (name, rest) = segments.split_first()?;
    let (key, rest) = match rest.first() {
        Some(k) if k.starts_with('[') => (k.as_str(), &rest[1..]),
        _ => ("", rest),
    };
    let output = rest.first()?;
    // Configuration keys carry no instance keys.
    let config_prefix = if scope.module.is_empty() {
        String::new()
    } else {
        format!("{}.", strip_indexes(scope.module))
    };
    let expression = scope
        .config
        .get(&format!("{config_prefix}module.{name}.output.{output}"))?;
    let module = if scope.module.is_empty() {
        format!("module.{name}{key}")
    } else {
        format!("{}.module.{name}{key}", scope.module)
    };
    let inner = Scope {
        module: &module,
        own_index: None,
        depth: scope.depth + 1,
        ..*scope
    };
    expression
        .get("references")
        .and_then(|r| r.value.as_seq())?
        .iter()
        .filter_map(|r| r.as_str())
        .find_map(|r| resolve(r, &inner))
}

/// `a.b["x.y"][0].c` -> `a`, `b`, `["x.y"]`, `[0]`, `c`.
fn split_reference(reference: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = reference.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                let mut bracket = String::from('[');
                let mut quoted = false;
                for b in chars.by_ref() {
                    bracket.push(b);
                    match b {
                        '"' => quoted = !quoted,
                        ']' if !quoted => break,
                        _ => {}
                    }
                }
                out.push(bracket);
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `module.a["x"].aws_b.c[0]` -> `module.a.aws_b.c`.
fn strip_indexes(address: &str) -> String {
    split_reference(address)
        .into_iter()
        .filter(|s| !s.starts_with('['))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_attributes_nobody_configured_are_absent_at_every_depth() {
        let plan = r#"{
          "format_version": "1.2",
          "planned_values": {"root_module": {"resources": [
            {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
             "values": {"ami": "ami-1", "metadata_options": [{"http_endpoint": "enabled"}]}},
            {"address": "aws_s3_bucket.bare", "mode": "managed", "type": "aws_s3_bucket", "name": "bare", "values": {}}]}},
          "resource_changes": [
            {"address": "aws_instance.web", "change": {"actions": ["create"],
             "after_unknown": {"id": true, "metadata_options": [{"http_tokens": true, "http_put_response_hop_limit": true}]}}},
            {"address": "aws_s3_bucket.bare", "change": {"actions": ["create"], "after_unknown": {"bucket": true, "acl": true}}}],
          "configuration": {"root_module": {"resources": [
            {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
             "expressions": {"ami": {"constant_value": "ami-1"},
                             "metadata_options": [{"http_endpoint": {"constant_value": "enabled"}}]}},
            {"address": "aws_s3_bucket.bare", "mode": "managed", "type": "aws_s3_bucket", "name": "bare"}]}}
        }"#;
        let node = crate::parse::load_json(plan, crate::parse::Limits::default()).unwrap();
        let resources = resources(&node);
        let find = |address: &str| resources.iter().find(|r| r.address == address).unwrap();
        let web = find("aws_instance.web");
        let ValueKind::List(blocks) = &web.values.get("metadata_options").unwrap().kind else {
            panic!("metadata_options is a list of blocks");
        };
        assert!(blocks[0].get("http_endpoint").is_some());
        assert!(
            blocks[0].get("http_tokens").is_none(),
            "computed, not configured: absent"
        );
        assert!(web.values.get("id").is_none());
        // Written with no arguments at all: nothing is configured.
        let bare = find("aws_s3_bucket.bare");
        assert!(bare.values.get("acl").is_none() && bare.values.get("bucket").is_none());
        assert_eq!(bare.configured.as_deref(), Some(&[][..]));
    }

    #[test]
    fn references_follow_module_outputs() {
        let plan = r#"{
          "format_version": "1.2",
          "planned_values": {"root_module": {
            "resources": [{"address": "aws_flow_log.vpc", "mode": "managed", "type": "aws_flow_log", "name": "vpc",
                           "values": {"traffic_type": "ALL"}}],
            "child_modules": [{"address": "module.net", "resources": [
              {"address": "module.net.aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this",
               "values": {"cidr_block": "10.0.0.0/16"}}]}]}},
          "resource_changes": [{"address": "aws_flow_log.vpc", "change": {"actions": ["create"], "after_unknown": {"vpc_id": true}}}],
          "configuration": {"root_module": {
            "resources": [{"address": "aws_flow_log.vpc", "mode": "managed", "type": "aws_flow_log", "name": "vpc",
                           "expressions": {"vpc_id": {"references": ["module.net.vpc_id", "module.net"]},
                                           "traffic_type": {"constant_value": "ALL"}}}],
            "module_calls": {"net": {"source": "./net", "module": {
              "outputs": {"vpc_id": {"expression": {"references": ["aws_vpc.this.id", "aws_vpc.this"]}}},
              "resources": [{"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this",
                             "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}}]}}}}}
        }"#;
        let node = crate::parse::load_json(plan, crate::parse::Limits::default()).unwrap();
        let resources = resources(&node);
        let flow = resources
            .iter()
            .find(|r| r.address == "aws_flow_log.vpc")
            .unwrap();
        match &flow.values.get("vpc_id").unwrap().kind {
            ValueKind::Ref(r) => {
                assert_eq!(r.target, "module.net.aws_vpc.this");
                assert_eq!(r.attribute.as_deref(), Some("id"));
            }
            other => panic!("not a reference: {other:?}"),
        }
    }

    #[test]
    fn references_split_and_strip() {
        assert_eq!(
            split_reference("aws_sg.web[\"a.b\"].id"),
            vec!["aws_sg", "web", "[\"a.b\"]", "id"]
        );
        assert_eq!(strip_indexes("module.a[\"x\"].aws_b.c[0]"), "module.a.aws_b.c");
    }
}
