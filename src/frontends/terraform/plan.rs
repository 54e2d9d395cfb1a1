//! Terraform plan JSON (`terraform show -json plan.out`), format 0.1 to 1.x.
//!
//! Resources come from `planned_values` at every module depth (data sources
//! also from `prior_state`). `resource_changes[].change.after_unknown` marks
//! values known only after apply. Because ids are unknown before apply,
//! `configuration` expressions' `references` turn those values into
//! references to the resource instance they name, so the graph can join
//! a rule to its group or a flow log to its VPC.
//!
//! Plans run to tens of megabytes, most of it what no check reads (the
//! `before`/`after` of every change, the whole prior state). The document is
//! read lazily ([`LazyJson`]): each resource, change and configuration
//! expression is read whole only when used and dropped once its values are
//! taken, so memory holds the text and the values, never a tree of the file.

mod shape;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use shape::{Json, Members, Shapes};

use super::{TfResource, adapters};
use crate::diagnostics::Diagnostic;
use crate::frontends::cloudformation::into_value;
use crate::graph::{Graph, Origin, Prop, ResourceRef, Unknowable, Value, ValueKind};
use crate::parse::{Lazy, LazyJson, Limits, LoadError, Node, NodeKind, Span};

/// What a plan holds for the checks.
#[derive(Default)]
pub struct PlanContents {
    /// Resources, data sources, variables, outputs and providers, before adaptation.
    pub resources: Vec<TfResource>,
    /// The default AWS provider's region written in the configuration.
    pub region: Option<String>,
    /// Parts the reader could not read: wrong JSON types, duplicate keys.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a document's top-level keys are a Terraform plan's.
pub fn is_plan(document: &LazyJson<'_>) -> bool {
    let keys = document.root().entries().unwrap_or_default();
    let has = |key: &str| keys.iter().any(|(k, _)| k == key);
    has("format_version") && (has("planned_values") || has("resource_changes"))
}

/// Builds the graph of a plan's text (for fuzzing and benchmarks; a scan
/// also places the plan on its `.tf` sources).
pub fn build_graph(text: &str) -> Result<(Graph, Vec<Diagnostic>), LoadError> {
    let document = LazyJson::parse(text, Limits::default())?;
    let PlanContents {
        resources,
        mut diagnostics,
        ..
    } = read(&document);
    let graph = adapters::adapt(resources, &mut diagnostics);
    Ok((graph, diagnostics))
}

/// Reads a plan document: its resources with unknowns marked and
/// references resolved, its region, and every misshaped part as an error.
pub fn read(document: &LazyJson<'_>) -> PlanContents {
    let mut shapes = Shapes::default();
    let top = shapes.members(&document.root());
    shapes.field(&top, "", "format_version", &[Json::String]);
    let mut planned = Planned::default();
    if let Some((values, path)) = shapes.field(&top, "", "planned_values", &[Json::Object]) {
        let members = shapes.members(&values);
        if let Some((module, path)) = shapes.field(&members, &path, "root_module", &[Json::Object]) {
            collect_resources(&module, &path, "", Source::Planned, &mut planned, &mut shapes, 0);
        }
    }
    // Data sources read during planning live in the prior state.
    if let Some((prior, path)) = shapes.field(&top, "", "prior_state", &[Json::Object]) {
        let members = shapes.members(&prior);
        if let Some((values, path)) = shapes.field(&members, &path, "values", &[Json::Object]) {
            let members = shapes.members(&values);
            if let Some((module, path)) = shapes.field(&members, &path, "root_module", &[Json::Object]) {
                let mut prior = Planned::default();
                collect_resources(&module, &path, "", Source::PriorData, &mut prior, &mut shapes, 0);
                let addresses: HashSet<&str> = planned.resources.iter().map(|r| r.address.as_str()).collect();
                let mut new = Planned::default();
                for (resource, placement) in prior.resources.into_iter().zip(prior.placements) {
                    if !addresses.contains(resource.address.as_str()) {
                        new.push(resource, placement);
                    }
                }
                planned.resources.append(&mut new.resources);
                planned.placements.append(&mut new.placements);
            }
        }
    }
    let position: HashMap<String, usize> = planned
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.address.clone(), i))
        .collect();
    let changes = shapes.objects(&top, "", "resource_changes");
    let unknowns = read_each(changes, &mut shapes, |change, path, shapes| {
        let members = shapes.members(change);
        let address = shapes
            .field(&members, path, "address", &[Json::String])
            .and_then(|(a, _)| a.as_str());
        let (inner, path) = shapes.field(&members, path, "change", &[Json::Object])?;
        let inner = shapes.members(&inner);
        let (unknown, _) = shapes.field(&inner, &path, "after_unknown", &[Json::Object, Json::Bool])?;
        let i = *position.get(&address?)?;
        Some((i, shapes.load(unknown.node())?))
    });
    for (i, unknown) in unknowns {
        let resource = &mut planned.resources[i];
        let span = resource.span;
        mark_unknown(&mut resource.values, &unknown, span);
    }
    let mut config = Configuration::default();
    let mut declared = Vec::new();
    let mut region = None;
    if let Some((configuration, path)) = shapes.field(&top, "", "configuration", &[Json::Object]) {
        let members = shapes.members(&configuration);
        if let Some((module, path)) = shapes.field(&members, &path, "root_module", &[Json::Object]) {
            let root = collect_config(&module, &path, "", &mut config, &mut shapes, 0);
            declared = declarations(root.variables.as_ref(), root.outputs.as_ref());
        }
        if let Some((_, providers)) = members.iter().find(|(k, _)| k == "provider_config")
            && let Some(providers) = shapes.load(providers.node())
        {
            region = region_of(&providers);
            declared.extend(providers_of(&providers));
        }
    }
    resolve_references(&mut planned, &position, &config, &mut shapes);
    let mut resources = planned.resources;
    resources.extend(declared);
    PlanContents {
        resources,
        region,
        diagnostics: shapes.errors,
    }
}

/// The default `aws` provider's literal region in `provider_config`.
fn region_of(providers: &Node) -> Option<String> {
    providers
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

/// Prunes what nobody configured and resolves each resource's references,
/// reading its configuration expressions one resource at a time.
fn resolve_references(
    planned: &mut Planned,
    position: &HashMap<String, usize>,
    config: &Configuration,
    shapes: &mut Shapes,
) {
    let instances = instance_index(planned);
    let Planned {
        resources,
        placements,
    } = planned;
    // Known strings that became references, as they were written, so whether
    // a value is another resource's attribute reads the plan's own values.
    let mut replaced: HashMap<usize, Vec<(String, String)>> = HashMap::new();
    // Each resource's configuration is read on every core, a chunk at a time
    // (so only a chunk's trees are held); references are resolved in order.
    const CHUNK: usize = 1024;
    for start in (0..resources.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(resources.len());
        let parsed: Vec<(Option<Node>, Option<LoadError>)> = resources[start..end]
            .par_iter()
            .map(
                |resource| match config.resources.get(&strip_indexes(&resource.address)) {
                    None => (None, None),
                    Some(Some(written)) => match written.node() {
                        Ok(node) => (Some(node), None),
                        Err(e) => (None, Some(e)),
                    },
                    // A resource written with no arguments has no `expressions`: nothing configured.
                    Some(None) => (
                        Some(Node {
                            span: Span::default(),
                            kind: NodeKind::Map(Vec::new()),
                        }),
                        None,
                    ),
                },
            )
            .collect();
        for (i, (expressions, error)) in (start..end).zip(parsed) {
            if let Some(e) = error {
                shapes.load::<()>(Err(e));
            }
            let Some(expressions) = expressions else {
                continue;
            };
            let span = resources[i].span;
            let mut values = std::mem::replace(&mut resources[i].values, Value::new(span, ValueKind::Null));
            if let Some(entries) = expressions.as_map() {
                resources[i].configured = Some(entries.iter().map(|e| e.key.clone()).collect());
                prune_computed(&mut values, &expressions);
            }
            let mut replacements = Vec::new();
            let scope = Scope {
                resources,
                position,
                replaced: &replaced,
                outputs: &config.outputs,
                depth: 0,
                module: &placements[i].module,
                own_index: placements[i].index.as_deref(),
                instances: &instances,
            };
            apply_references(&mut values, &expressions, &scope, span, &mut replacements);
            resources[i].values = values;
            if !replacements.is_empty() {
                replaced.insert(i, replacements);
            }
        }
    }
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
                    let reason = Unknowable::KnownAtPlan {
                        what: setting.key.clone(),
                    };
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
fn declarations(variables: Option<&Node>, outputs: Option<&Node>) -> Vec<TfResource> {
    let mut out = Vec::new();
    let prop = |key: &str, value: Value| Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    };
    for (section, kind, prefix) in [(variables, "variable", "var."), (outputs, "output", "output.")] {
        for entry in section.and_then(Node::as_map).unwrap_or(&[]) {
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
                .map(|(span, target)| Value::new(span, ValueKind::Ref(Box::new(target))))
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

/// The planned resources, and beside each where it is (kept apart so the
/// resources are handed on without copying a plan's worth of them).
#[derive(Default)]
struct Planned {
    resources: Vec<TfResource>,
    placements: Vec<Placement>,
}

/// Where a planned resource is, for resolving its references.
struct Placement {
    /// The module instance address (`module.net["a"]`), empty at the root.
    module: String,
    /// The instance key as written in addresses (`[0]`, `["a"]`).
    index: Option<String>,
}

impl Planned {
    fn push(&mut self, resource: TfResource, placement: Placement) {
        self.resources.push(resource);
        self.placements.push(placement);
    }
}

/// Plans nest modules as deep as the configuration: bounded like documents.
const MAX_MODULE_DEPTH: usize = 64;

/// Which resources of a module are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `planned_values`: every resource.
    Planned,
    /// `prior_state`: data sources only (the rest is the state of managed
    /// resources, which the plan's own values supersede).
    PriorData,
}

fn collect_resources(
    module: &Lazy<'_, '_>,
    path: &str,
    parent_address: &str,
    source: Source,
    out: &mut Planned,
    shapes: &mut Shapes,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    let members = shapes.members(module);
    let module_address = shapes
        .field(&members, path, "address", &[Json::String])
        .and_then(|(a, _)| a.as_str())
        .unwrap_or_else(|| parent_address.to_string());
    let items = shapes.objects(&members, path, "resources");
    let read = read_each(items, shapes, |resource, path, shapes| {
        if source == Source::PriorData && !is_data_source(resource) {
            return None;
        }
        let node = shapes.load(resource.node())?;
        planned_resource(node, path, &module_address, shapes)
    });
    out.resources.reserve(read.len());
    out.placements.reserve(read.len());
    for (resource, placement) in read {
        out.push(resource, placement);
    }
    for (child, path) in shapes.objects(&members, path, "child_modules") {
        collect_resources(&child, &path, &module_address, source, out, shapes, depth + 1);
    }
}

/// Reads the items of a plan section on every core (resources are read
/// whole, the bulk of a plan's reading), in order, their errors in order.
fn read_each<'d, 't, T: Send>(
    items: Vec<(Lazy<'d, 't>, String)>,
    shapes: &mut Shapes,
    read: impl Fn(&Lazy<'d, 't>, &str, &mut Shapes) -> Option<T> + Sync,
) -> Vec<T> {
    let results: Vec<(Option<T>, Shapes)> = items
        .par_iter()
        .map(|(item, path)| {
            let mut local = Shapes::default();
            (read(item, path, &mut local), local)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (value, local) in results {
        shapes.absorb(local);
        out.extend(value);
    }
    out
}

/// Whether a resource object is a data source, read without its values.
fn is_data_source(resource: &Lazy<'_, '_>) -> bool {
    resource
        .entries()
        .ok()
        .and_then(|members| members.into_iter().find(|(k, _)| k == "mode"))
        .and_then(|(_, mode)| mode.as_str())
        .is_some_and(|mode| mode == "data")
}

fn planned_resource(
    mut r: Node,
    path: &str,
    module: &str,
    shapes: &mut Shapes,
) -> Option<(TfResource, Placement)> {
    let mut text = |key: &str| {
        shapes
            .node_field(&r, path, key, &[Json::String])
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let (address, tf_type, mode) = (text("address"), text("type"), text("mode"));
    text("name");
    let data = mode.as_deref() == Some("data");
    let has_values = shapes.node_field(&r, path, "values", &[Json::Object]).is_some();
    let index = shapes
        .node_field(&r, path, "index", &[Json::String, Json::Number])
        .map(|i| match &i.kind {
            NodeKind::String(s) => format!("[{}]", serde_json::to_string(s).unwrap_or_default()),
            NodeKind::Number(n) => format!("[{n}]"),
            _ => String::new(),
        });
    let (address, tf_type) = (address?, tf_type?);
    let span = r.get("address").map_or(r.span, |e| e.value.span);
    // The values are moved out of the resource's tree, not copied.
    let values = match (&mut r.kind, has_values) {
        (NodeKind::Map(entries), true) => entries
            .iter()
            .position(|e| e.key == "values")
            .map(|i| into_value(entries.swap_remove(i).value)),
        _ => None,
    };
    let values = values.unwrap_or_else(|| Value::new(span, ValueKind::Map(Vec::new())));
    let resource = TfResource {
        address,
        data,
        tf_type,
        values,
        span,
        configured: None,
    };
    Some((
        resource,
        Placement {
            module: module.to_string(),
            index,
        },
    ))
}

/// The configuration: each resource's expressions (read when its instances
/// are resolved) and module outputs (read whole: few and small), by address
/// without instance keys.
#[derive(Default)]
struct Configuration<'d, 't> {
    /// `None` for a resource written with no arguments (no `expressions`).
    resources: HashMap<String, Option<Lazy<'d, 't>>>,
    outputs: HashMap<String, Node>,
}

/// A configured module's declarations, for the root module's variables and outputs.
struct Declared {
    variables: Option<Node>,
    outputs: Option<Node>,
}

fn collect_config<'d, 't>(
    module: &Lazy<'d, 't>,
    path: &str,
    prefix: &str,
    out: &mut Configuration<'d, 't>,
    shapes: &mut Shapes,
    depth: usize,
) -> Declared {
    let mut declared = Declared {
        variables: None,
        outputs: None,
    };
    if depth > MAX_MODULE_DEPTH {
        return declared;
    }
    let members = shapes.members(module);
    let resources = shapes.objects(&members, path, "resources");
    let configured = read_each(resources, shapes, |resource, path, shapes| {
        let resource = shapes.members(resource);
        let address = shapes.field(&resource, path, "address", &[Json::String]);
        let expressions = shapes.field(&resource, path, "expressions", &[Json::Object]);
        Some((address?.0.as_str()?, expressions.map(|(e, _)| e)))
    });
    out.resources.reserve(configured.len());
    for (address, expressions) in configured {
        out.resources.insert(format!("{prefix}{address}"), expressions);
    }
    // Outputs, so references through `module.x.out` can be followed.
    declared.outputs = section(&members, "outputs", shapes);
    for (key, output, path) in shapes.entries(&members, path, "outputs") {
        let output = shapes.members(&output);
        if let Some((expression, _)) = shapes.field(&output, &path, "expression", &[Json::Object])
            && let Some(expression) = shapes.load(expression.node())
        {
            out.outputs.insert(format!("{prefix}output.{key}"), expression);
        }
    }
    shapes.entries(&members, path, "variables");
    declared.variables = section(&members, "variables", shapes);
    for (name, call, path) in shapes.entries(&members, path, "module_calls") {
        let call = shapes.members(&call);
        if let Some((child, path)) = shapes.field(&call, &path, "module", &[Json::Object]) {
            collect_config(
                &child,
                &path,
                &format!("{prefix}module.{name}."),
                out,
                shapes,
                depth + 1,
            );
        }
    }
    declared
}

/// A module's `variables` or `outputs` object read whole.
fn section(members: &Members<'_, '_>, key: &str, shapes: &mut Shapes) -> Option<Node> {
    let (_, value) = members.iter().find(|(k, _)| k == key)?;
    shapes.load(value.node())
}

/// Marks the leaves `after_unknown` flags as unknown, adding absent ones.
fn mark_unknown(value: &mut Value, unknown: &Node, span: Span) {
    match (&mut value.kind, &unknown.kind) {
        (_, NodeKind::Bool(true)) => *value = Value::unknown(value.span, Unknowable::AfterApply),
        (ValueKind::Map(props), NodeKind::Map(flags)) => {
            // Plans are large: grow each map once, to its final size.
            let absent = flags
                .iter()
                .filter(|f| f.value.kind == NodeKind::Bool(true) && !props.iter().any(|p| p.key == f.key))
                .count();
            props.reserve_exact(absent);
            for flag in flags {
                match props.iter_mut().find(|p| p.key == flag.key) {
                    Some(p) => mark_unknown(&mut p.value, &flag.value, span),
                    None if flag.value.kind == NodeKind::Bool(true) => props.push(Prop {
                        key: flag.key.clone(),
                        key_span: span,
                        value: Value::unknown(span, Unknowable::AfterApply),
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
    /// Every planned resource (the one being resolved has its values taken out).
    resources: &'a [TfResource],
    position: &'a HashMap<String, usize>,
    /// Known top-level strings already replaced by references, as they were.
    replaced: &'a HashMap<usize, Vec<(String, String)>>,
    /// The module instance the referring resource is in.
    module: &'a str,
    /// The referring resource's own instance key, for `aws_x.y[count.index]`.
    own_index: Option<&'a str>,
    /// Instances (indexes into `planned`) by address without instance key.
    instances: &'a HashMap<String, Vec<usize>>,
    /// Module outputs' expressions by address without instance keys.
    outputs: &'a HashMap<String, Node>,
    /// How many module outputs have been followed to get here.
    depth: usize,
}

impl Scope<'_> {
    /// Whether `known` is the value of the reference's target attribute (or,
    /// for a whole-resource reference as older plans write them, of one of the
    /// target's identifying attributes).
    fn is_value_of(&self, target: &ResourceRef, known: &str) -> bool {
        let Some(&i) = self.position.get(&target.target) else {
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
        let replaced = self.replaced.get(&i).map_or(&[][..], Vec::as_slice);
        let values = &self.resources[i].values;
        attributes.iter().any(|a| {
            let was = replaced
                .iter()
                .find(|(key, _)| key == a)
                .map(|(_, text)| text.as_str());
            was.or_else(|| values.get(a).and_then(Value::as_str)) == Some(known)
        })
    }
}

/// Instances (indexes) by address without instance key.
fn instance_index(planned: &Planned) -> HashMap<String, Vec<usize>> {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (resource, placement)) in planned.resources.iter().zip(&planned.placements).enumerate() {
        let address = &resource.address;
        let base = match &placement.index {
            Some(key) => address.strip_suffix(key.as_str()).unwrap_or(address),
            None => address,
        };
        index.entry(base.to_string()).or_default().push(i);
    }
    index
}

/// Replaces unknown or absent values whose expression references a resource
/// with a reference to that resource instance; a known top-level string so
/// replaced goes into `replaced` as it was.
fn apply_references(
    values: &mut Value,
    expressions: &Node,
    scope: &Scope<'_>,
    span: Span,
    replaced: &mut Vec<(String, String)>,
) {
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
                        **entry = Value::new(entry.span, ValueKind::Ref(Box::new(target)));
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
                    Some(p) => {
                        if let ValueKind::String(text) = &p.value.kind {
                            replaced.push((p.key.clone(), text.clone()));
                        }
                        p.value = Value::new(p.value.span, ValueKind::Ref(Box::new(target)));
                    }
                    None => props.push(Prop {
                        key: expression.key.clone(),
                        key_span: span,
                        value: Value::new(span, ValueKind::Ref(Box::new(target))),
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
                    // Nested values are not top-level strings others compare with.
                    for (item, block) in items.iter_mut().zip(blocks) {
                        apply_references(item, block, scope, span, &mut Vec::new());
                    }
                }
            }
            NodeKind::Map(_) => {
                if let Some(p) = current {
                    apply_references(&mut p.value, &expression.value, scope, span, &mut Vec::new());
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
            Unknowable::invalid(format!(
                "the plan stores {} hashed; its text is in the configuration only when written literally",
                prop.key
            )),
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
        !matches!(&p.value.kind, ValueKind::Unknown(u) if **u == Unknowable::AfterApply)
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
        Some(i) => Some(format!("{base}{i}")).filter(|t| scope.position.contains_key(t))?,
        None => {
            let candidates = scope.instances.get(&base)?;
            let address = |i: &usize| &scope.resources[*i].address;
            match candidates.as_slice() {
                [only] => address(only).clone(),
                _ => {
                    let own = format!("{base}{}", scope.own_index?);
                    candidates.iter().map(address).find(|a| **a == own)?.clone()
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
        .outputs
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
        let document = LazyJson::parse(plan, Limits::default()).unwrap();
        let resources = read(&document).resources;
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
        let document = LazyJson::parse(plan, Limits::default()).unwrap();
        let resources = read(&document).resources;
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
