//! Terraform `.tf` modules, evaluated without Terraform: a directory of `.tf`
//! files is one module; local module calls (and modules already fetched into
//! `.terraform/modules`) are evaluated with their inputs; what cannot be known
//! before plan stays unknown, with its reason.

mod budget;
mod data_sources;
mod eval;
mod files;
mod functions;
mod module;
mod nesting;
mod source;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use eval::{Ctx, key_text};
use files::FileAccess;
use module::{Instance, Unit};

use super::TfResource;
use crate::diagnostics::Diagnostic;
use crate::frontends::cloudformation::node_to_value;
use crate::graph::conditions::{Atom, CondExpr, Conditions};
use crate::graph::{Deployment, Graph, Value, ValueKind};
use crate::parse::{Limits, load_json, read_source};

/// How deep module calls may nest.
const MAX_MODULE_DEPTH: usize = 16;

/// Most module instances one root module may expand to, all calls together.
const MAX_MODULE_INSTANCES: usize = eval::MAX_INSTANCES;

/// Inputs of a module unit beyond its files.
#[derive(Debug, Clone, Default)]
pub struct ModuleOptions {
    /// `--var name=value`.
    pub vars: HashMap<String, String>,
    /// `--var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
    /// Nothing outside this directory is read (module sources included).
    pub boundary: PathBuf,
    pub max_file_size: u64,
}

/// The resources of a module unit and the files they come from.
pub struct ModuleUnit {
    /// Every file read, indexed by `Span::file`.
    pub files: Vec<PathBuf>,
    pub resources: Vec<TfResource>,
    /// Problems, with the index of the file they concern.
    pub diagnostics: Vec<(usize, Diagnostic)>,
    /// The root module's default AWS provider region, when it is known.
    pub region: Option<String>,
    /// The names of the root module's input variables (what `--var` can set).
    pub variables: Vec<String>,
    /// The undecidable conditions of `count` / `for_each`, and the
    /// resource instances (by address) that exist only when one holds.
    pub existence: Existences,
}

/// Resource instances whose existence depends on a condition that cannot
/// be decided before plan (`count = var.create ? 1 : 0` with no value for
/// `create`), with those conditions.
#[derive(Default)]
pub struct Existences {
    pub conditions: Conditions,
    /// (address, name of the condition in `conditions`).
    pub resources: Vec<(String, String)>,
    /// The atom of each condition text, so one text is one atom.
    atoms: HashMap<String, usize>,
}

/// One undecidable condition a block's instances exist under.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    /// The condition as written, with its module instance's address
    /// (`module.net.var.create`): one text, one unknown.
    label: String,
    /// Whether the instances exist when it holds (else when it does not).
    holds: bool,
    reason: String,
}

impl Condition {
    fn of(prefix: &str, existence: &eval::Existence) -> Condition {
        Condition {
            label: format!("{prefix}{}", existence.condition),
            holds: existence.holds,
            reason: existence.reason.to_string(),
        }
    }
}

impl Existences {
    /// The name of the condition under which instances exist that all of
    /// `conditions` (outermost first) govern, defined on first use.
    fn condition(&mut self, conditions: &[Condition]) -> String {
        let mut names = Vec::new();
        let mut exprs = Vec::new();
        for condition in conditions {
            let atom = match self.atoms.get(&condition.label) {
                Some(&atom) => atom,
                None => {
                    let atom = self.conditions.add_atom(Atom {
                        label: condition.label.clone(),
                        reason: condition.reason.clone(),
                        group: None,
                    });
                    self.atoms.insert(condition.label.clone(), atom);
                    atom
                }
            };
            if condition.holds {
                names.push(condition.label.clone());
                exprs.push(CondExpr::Atom(atom));
            } else {
                names.push(format!("!({})", condition.label));
                exprs.push(CondExpr::Not(Box::new(CondExpr::Atom(atom))));
            }
        }
        let name = names.join(" && ");
        if self.conditions.expr(&name).is_none() {
            let expr = match exprs.len() {
                1 => exprs.remove(0),
                _ => CondExpr::And(exprs),
            };
            self.conditions.define(name.clone(), expr);
        }
        name
    }

    /// Marks the resources of `graph` lifted from a conditional instance
    /// (its address, or its address and a suffix: `.policy`, `#policy`) as
    /// existing only under the condition, and gives `graph` the conditions.
    pub fn apply(self, graph: &mut Graph) {
        if self.resources.is_empty() {
            return;
        }
        let by_address: HashMap<&str, &str> = self
            .resources
            .iter()
            .map(|(a, c)| (a.as_str(), c.as_str()))
            .collect();
        for id in 0..graph.resources().len() {
            let resource_id = &graph.resource(id).id;
            let condition = by_address.get(resource_id.as_str()).or_else(|| {
                resource_id
                    .char_indices()
                    .filter(|(_, c)| *c == '.' || *c == '#')
                    .find_map(|(i, _)| by_address.get(&resource_id[..i]))
            });
            if let Some(condition) = condition {
                let condition = condition.to_string();
                graph.resource_mut(id).deployment = Deployment::When { condition };
            }
        }
        graph.conditions = self.conditions;
    }
}

/// Evaluates the root module in `dir` and every module it calls.
pub fn load(dir: &Path, options: &ModuleOptions) -> ModuleUnit {
    let mut unit = Unit {
        file_access: FileAccess::new(dir, &options.boundary, options.max_file_size),
        ..Default::default()
    };
    let root_def = unit.load_def(dir, options.max_file_size);
    unit.instances.push(Instance::root(root_def));
    let inputs = root_inputs(&mut unit, dir, options);
    unit.instances[0].inputs = inputs;
    let mut cache = HashMap::new();
    expand_calls(&mut unit, 0, dir, "", 0, options, &mut cache);
    finish(unit)
}

/// Evaluates one in-memory `.tf` text as a root module without calls to
/// other modules' files (fuzzing and tests): every local too, whether
/// anything refers to it or not.
pub fn evaluate_text(text: &str) -> ModuleUnit {
    let mut unit = Unit::default();
    let dir = PathBuf::from(".");
    let root_def = unit.load_def_from_texts(&dir, vec![(PathBuf::from("main.tf"), text.to_string())]);
    unit.instances.push(Instance::root(root_def));
    let mut locals: Vec<(&String, usize)> = unit.defs[root_def]
        .locals
        .iter()
        .map(|(name, decl)| (name, decl.file))
        .collect();
    locals.sort();
    for (name, file) in locals {
        Ctx::new(&unit, 0, file).evaluate_local(name);
    }
    finish(unit)
}

/// Collects the resources of every instance, with every diagnostic found on the way.
fn finish(mut unit: Unit) -> ModuleUnit {
    let (resources, existence) = collect_resources(&mut unit);
    let region = root_region(&unit);
    let variables = root_variables(&unit);
    let found = unit.eval_diagnostics.take();
    unit.diagnostics.extend(found);
    ModuleUnit {
        files: unit.files.iter().map(|f| f.path.clone()).collect(),
        resources,
        diagnostics: unit.diagnostics,
        region,
        variables,
        existence,
    }
}

/// The names of the root module's `variable` blocks.
fn root_variables(unit: &Unit) -> Vec<String> {
    let Some(root) = unit.instances.first() else {
        return Vec::new();
    };
    unit.defs[root.def].variables.keys().cloned().collect()
}

/// `provider "aws" { region = ... }` of the root module, evaluated.
fn root_region(unit: &Unit) -> Option<String> {
    let root = unit.instances.first()?;
    let provider = unit.defs[root.def].aws_provider.as_ref()?;
    let region = provider.item.body.get_attribute("region")?;
    let value = Ctx::new(unit, 0, provider.file).eval(&region.value);
    value.as_str().map(str::to_string)
}

/// Variable values for the root module: `terraform.tfvars`, `*.auto.tfvars`
/// (and their `.json` forms), `--var-file`, then `--var`, later ones winning.
fn root_inputs(unit: &mut Unit, dir: &Path, options: &ModuleOptions) -> HashMap<String, Value> {
    let mut files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let path = dir.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    files.extend(options.var_files.iter().cloned());
    let mut inputs = HashMap::new();
    for path in files {
        for (name, value) in read_tfvars(unit, &path, options.max_file_size) {
            inputs.insert(name, value);
        }
    }
    for (name, text) in &options.vars {
        inputs.insert(
            name.clone(),
            Value::new(Default::default(), ValueKind::String(text.clone())),
        );
    }
    inputs
}

/// The assignments of a `.tfvars` (HCL) or `.tfvars.json` file.
fn read_tfvars(unit: &mut Unit, path: &Path, max_size: u64) -> Vec<(String, Value)> {
    let index = unit.files.len();
    if path.extension().is_some_and(|e| e == "json") {
        unit.files
            .push(source::SourceFile::placeholder(path, index as u32));
        let node = read_source(path, max_size, |_| true).and_then(|text| {
            load_json(&text.unwrap_or_default(), Limits::default()).map_err(Diagnostic::from)
        });
        return match node {
            Ok(mut node) => {
                crate::parse::set_file(&mut node, index as u32);
                node.as_map()
                    .unwrap_or(&[])
                    .iter()
                    .map(|e| (e.key.clone(), node_to_value(&e.value)))
                    .collect()
            }
            Err(diagnostic) => {
                unit.diagnostics.push((index, diagnostic));
                Vec::new()
            }
        };
    }
    let parsed = source::SourceFile::load(path, index as u32, max_size);
    let Some(body) = unit.push_file(path, parsed) else {
        return Vec::new();
    };
    let ctx = Ctx::new(unit, 0, index);
    body.iter()
        .filter_map(|s| s.as_attribute())
        .map(|attr| (attr.key.as_str().to_string(), ctx.eval(&attr.value)))
        .collect()
}

/// Arguments of a `module` block that are not inputs of the module.
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Adds the instances of every module that instance `parent` calls, recursively.
fn expand_calls(
    unit: &mut Unit,
    parent: usize,
    root_dir: &Path,
    key_path: &str,
    depth: usize,
    options: &ModuleOptions,
    cache: &mut HashMap<PathBuf, usize>,
) {
    let def = unit.instances[parent].def;
    let calls: Vec<(String, usize)> = unit.defs[def]
        .calls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.item.labels.first().map(|l| (l.as_str().to_string(), i)))
        .collect();
    for (name, call_index) in calls {
        let call = &unit.defs[def].calls[call_index];
        let file = call.file;
        let span = unit.file(file).span(hcl_edit::Span::span(&call.item));
        let call_key = if key_path.is_empty() {
            name.clone()
        } else {
            format!("{key_path}.{name}")
        };
        // Reported once per call, however many instances make it.
        if depth >= MAX_MODULE_DEPTH {
            unit.report(
                file,
                Diagnostic::error(
                    span.start,
                    format!("module {name}: calls nest deeper than {MAX_MODULE_DEPTH}"),
                ),
            );
            continue;
        }
        let source = call
            .item
            .body
            .get_attribute("source")
            .and_then(|s| match &s.value {
                hcl_edit::expr::Expression::String(s) => Some(s.value().to_string()),
                _ => None,
            })
            .unwrap_or_default();
        let module_dir = &unit.defs[def].dir;
        let Some(dir) = module_source(module_dir, root_dir, &source, &call_key, &options.boundary) else {
            unit.diagnostics.push((
                file,
                Diagnostic::note(
                    span.start,
                    format!(
                        "module {name}: source \"{source}\" is not fetched (run `terraform init` to scan it); its resources are not checked"
                    ),
                ),
            ));
            continue;
        };
        // Evaluate the call's instances and inputs in the caller.
        let (keys, inputs, existence) = {
            let ctx = Ctx::new(unit, parent, file);
            let call = &unit.defs[def].calls[call_index];
            let mut existence = unit.instances[parent].existence.clone();
            existence.extend(
                call.item
                    .body
                    .get_attribute("count")
                    .or_else(|| call.item.body.get_attribute("for_each"))
                    .and_then(|a| ctx.existence(&a.value))
                    .map(|e| Condition::of(&unit.instances[parent].prefix, &e)),
            );
            let keys = match ctx.expand(&call.item.body) {
                Ok(keys) => keys,
                Err(reason) => {
                    unit.report(
                        file,
                        Diagnostic::note(
                            span.start,
                            format!("module {name}: {reason}; evaluated as a single instance"),
                        ),
                    );
                    vec![(None, None)]
                }
            };
            let inputs: Vec<HashMap<String, Value>> = keys
                .iter()
                .map(|key| {
                    let inner = ctx.for_instance(key);
                    call.item
                        .body
                        .iter()
                        .filter_map(|s| s.as_attribute())
                        .filter(|a| !MODULE_META.contains(&a.key.as_str()))
                        .map(|a| (a.key.as_str().to_string(), inner.eval(&a.value)))
                        .collect()
                })
                .collect();
            (keys, inputs, existence)
        };
        // Calls that fan out at every level would multiply instances past any memory.
        if unit.instances.len() + keys.len() > MAX_MODULE_INSTANCES {
            unit.report(
                file,
                Diagnostic::error(
                    span.start,
                    format!(
                        "module {name}: over {MAX_MODULE_INSTANCES} module instances in all; not evaluated"
                    ),
                ),
            );
            continue;
        }
        let canonical = dir.canonicalize().unwrap_or(dir.clone());
        let child_def = match cache.get(&canonical) {
            Some(&d) => d,
            None => {
                let d = unit.load_def(&dir, options.max_file_size);
                cache.insert(canonical, d);
                d
            }
        };
        for ((key, _), inputs) in keys.into_iter().zip(inputs) {
            let prefix = format!(
                "{}module.{name}{}.",
                unit.instances[parent].prefix,
                key_text(key.as_ref())
            );
            unit.instances.push(Instance {
                def: child_def,
                prefix,
                inputs,
                children: Vec::new(),
                locals: Default::default(),
                resource_keys: Default::default(),
                existence: existence.clone(),
            });
            let child = unit.instances.len() - 1;
            unit.instances[parent].children.push((name.clone(), key, child));
            expand_calls(unit, child, root_dir, &call_key, depth + 1, options, cache);
        }
    }
}

/// The directory of a module source: a local path inside the boundary, or
/// the copy `terraform init` left in `.terraform/modules`.
fn module_source(
    module_dir: &Path,
    root_dir: &Path,
    source: &str,
    key: &str,
    boundary: &Path,
) -> Option<PathBuf> {
    let inside = |dir: &Path| {
        let boundary = boundary.canonicalize().unwrap_or(boundary.to_path_buf());
        dir.canonicalize()
            .is_ok_and(|d| d.starts_with(&boundary) && d.is_dir())
    };
    if source.starts_with("./") || source.starts_with("../") {
        let dir = module_dir.join(source);
        return inside(&dir).then_some(dir);
    }
    let manifest = std::fs::read_to_string(root_dir.join(".terraform/modules/modules.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    let entry = manifest
        .get("Modules")?
        .as_array()?
        .iter()
        .find(|m| m.get("Key").and_then(|k| k.as_str()) == Some(key))?;
    let dir = root_dir.join(entry.get("Dir")?.as_str()?);
    inside(&dir).then_some(dir)
}

/// Every resource instance of every module instance.
fn collect_resources(unit: &mut Unit) -> (Vec<TfResource>, Existences) {
    let mut resources = Vec::new();
    let mut existences = Existences::default();
    let mut notes = Vec::new();
    'instances: for instance in 0..unit.instances.len() {
        let def = unit.instances[instance].def;
        let prefix = unit.instances[instance].prefix.clone();
        for (index, decl) in unit.defs[def].resources.iter().enumerate() {
            let ctx = Ctx::new(unit, instance, decl.file);
            let file = unit.file(decl.file);
            let span = file.span(hcl_edit::Span::span(&decl.item.block));
            let base = format!(
                "{prefix}{}{}.{}",
                if decl.item.data { "data." } else { "" },
                decl.item.tf_type,
                decl.item.name
            );
            let keys = match ctx.resource_instances(index) {
                Ok(keys) => keys,
                // Past the budget nothing more is built; its diagnostic says so.
                Err(_) if unit.budget.is_spent() => break 'instances,
                Err(reason) if reason.is_budget() => {
                    notes.push((
                        decl.file,
                        Diagnostic::error(span.start, format!("{base}: {reason}")),
                    ));
                    continue;
                }
                Err(reason) => {
                    notes.push((
                        decl.file,
                        Diagnostic::note(
                            span.start,
                            format!("{base}: {reason}; evaluated as a single instance"),
                        ),
                    ));
                    std::rc::Rc::new(vec![(None, None)])
                }
            };
            let body = &decl.item.block.body;
            let mut conditions = unit.instances[instance].existence.clone();
            conditions.extend(
                body.get_attribute("count")
                    .or_else(|| body.get_attribute("for_each"))
                    .and_then(|a| ctx.existence(&a.value))
                    .map(|e| Condition::of(&prefix, &e)),
            );
            let condition = (!conditions.is_empty()).then(|| existences.condition(&conditions));
            for key in keys.iter() {
                if !ctx.add_item(span) {
                    break 'instances;
                }
                let (values, configured) = ctx.for_instance(key).body(&decl.item.block.body, span);
                let address = format!("{base}{}", key_text(key.0.as_ref()));
                if let Some(condition) = &condition {
                    existences.resources.push((address.clone(), condition.clone()));
                }
                resources.push(TfResource {
                    address,
                    data: decl.item.data,
                    tf_type: decl.item.tf_type.clone(),
                    values,
                    span,
                    configured: Some(configured),
                });
            }
        }
    }
    unit.diagnostics.extend(notes);
    resources.extend(collect_declarations(unit));
    (resources, existences)
}

/// Each module instance's `variable`, `output` and `provider "aws"` blocks as
/// items of type `variable` / `output` / `provider` (lifted to canonical
/// types): a variable's `default` and `sensitive`, an output's evaluated
/// `value` and `sensitive`, a provider's credentials, profile and region.
fn collect_declarations(unit: &Unit) -> Vec<TfResource> {
    let mut out = Vec::new();
    // A module called several times declares its variables once: judged
    // once, in its first instance.
    let mut seen = std::collections::HashSet::new();
    let mut defs_seen = std::collections::HashSet::new();
    for instance in 0..unit.instances.len() {
        if !defs_seen.insert(unit.instances[instance].def) {
            continue;
        }
        let def = &unit.defs[unit.instances[instance].def];
        let prefix = &unit.instances[instance].prefix;
        let mut variables: Vec<_> = def.variables.iter().collect();
        variables.sort_by(|a, b| a.0.cmp(b.0));
        let providers = def.aws_providers.iter().map(|decl| {
            let alias = decl.item.body.get_attribute("alias").and_then(|a| {
                Ctx::new(unit, instance, decl.file)
                    .eval(&a.value)
                    .as_str()
                    .map(str::to_string)
            });
            let name = alias.map_or("aws".to_string(), |a| format!("aws.{a}"));
            (
                "provider",
                format!("{prefix}provider.{name}"),
                decl.file,
                &decl.item,
            )
        });
        let blocks = variables
            .into_iter()
            .map(|(name, decl)| ("variable", format!("{prefix}var.{name}"), decl.file, &decl.item))
            .chain(
                def.output_blocks
                    .iter()
                    .map(|(name, decl)| ("output", format!("{prefix}output.{name}"), decl.file, &decl.item)),
            )
            .chain(providers);
        for (kind, address, file, block) in blocks {
            let span = unit.file(file).span(hcl_edit::Span::span(block));
            if !seen.insert((span.file, span.start)) {
                continue;
            }
            let ctx = Ctx::new(unit, instance, file);
            if !ctx.add_item(span) {
                return out;
            }
            let mut props = Vec::new();
            let keys: &[&str] = match kind {
                "provider" => &["access_key", "secret_key", "token", "profile", "region"],
                _ => &["default", "sensitive", "value"],
            };
            for &key in keys {
                if let Some(attr) = block.body.get_attribute(key) {
                    let mut value = ctx.eval(&attr.value);
                    if key == "default" {
                        // The default as written, not "the variable's value".
                        value.origin = crate::graph::Origin::Written;
                    }
                    props.push(crate::graph::Prop {
                        key: key.to_string(),
                        key_span: unit.file(file).span(hcl_edit::Span::span(&attr.key)),
                        value,
                    });
                }
            }
            // A variable's type constraint as written (`bool`, `list(string)`).
            if let Some(attr) = block.body.get_attribute("type") {
                let written = attr.value.to_string();
                props.push(crate::graph::Prop {
                    key: "type".to_string(),
                    key_span: unit.file(file).span(hcl_edit::Span::span(&attr.key)),
                    value: Value::new(span, ValueKind::String(written.trim().to_string())),
                });
            }
            let configured = props.iter().map(|p| p.key.clone()).collect();
            out.push(TfResource {
                address,
                data: false,
                tf_type: kind.to_string(),
                values: Value::new(span, ValueKind::Map(props)),
                span,
                configured: Some(configured),
            });
        }
    }
    out
}

/// The directories that hold `.tf` files below `dirs`' candidates and are
/// not called as a local module by another of them: the root modules.
/// Files over `max_file_size` are not read (their module reports them).
pub fn root_modules(dirs: &[PathBuf], max_file_size: u64) -> Vec<PathBuf> {
    use rayon::prelude::*;
    let called: std::collections::HashSet<PathBuf> = dirs
        .par_iter()
        .flat_map_iter(|dir| local_module_sources(dir, max_file_size))
        .collect();
    dirs.iter()
        .filter(|d| d.canonicalize().map_or(true, |c| !called.contains(&c)))
        .cloned()
        .collect()
}

/// The directories of the local modules (`source = "./..."`) the `.tf` files
/// of `dir` call, canonicalized; found by a line scan, without parsing.
fn local_module_sources(dir: &Path, max_file_size: u64) -> Vec<PathBuf> {
    let mut called = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "tf") {
            continue;
        }
        let Ok(Some(text)) = read_source(&path, max_file_size, |t| t.contains("source")) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("source") else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            if (value.starts_with("./") || value.starts_with("../"))
                && let Ok(target) = dir.join(value).canonicalize()
            {
                called.push(target);
            }
        }
    }
    called
}
