//! A check: catalog metadata plus a compiled rule, read from a check file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use std::sync::Arc;

use crate::checks::lang::{Library, ast::Rule, parse_rule_with};
use crate::graph::Value;
use crate::graph::convert::node_to_value;
use crate::parse::{Limits, Node, NodeKind, Pos, load_yaml};

/// How bad a failing check is (`catalog.md` section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Parses `low`, `medium`, `high` or `critical`.
    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text.to_ascii_lowercase().as_str() {
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// GitHub code scanning's numeric `security-severity`.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How to fix what a check reports.
#[derive(Debug, Clone, Default)]
pub struct Remediation {
    pub text: String,
    pub cloudformation: String,
    pub terraform: String,
}

/// The language a user writes infrastructure in: its remediation example comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// CloudFormation, SAM and CDK (whose synthesized output is CloudFormation).
    #[value(name = "cloudformation")]
    CloudFormation,
    #[value(name = "terraform")]
    Terraform,
}

impl Dialect {
    /// The dialect of an input format (`terraform-plan`, `cloudformation-yaml`, ...).
    pub fn of_format(format: &str) -> Dialect {
        if format.starts_with("terraform") {
            Dialect::Terraform
        } else {
            Dialect::CloudFormation
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::CloudFormation => "CloudFormation",
            Dialect::Terraform => "Terraform",
        }
    }

    /// The Markdown code-fence language of its examples.
    pub fn fence(self) -> &'static str {
        match self {
            Dialect::CloudFormation => "yaml",
            Dialect::Terraform => "hcl",
        }
    }
}

impl Remediation {
    /// The example in `dialect` (empty when the check has none).
    pub fn example(&self, dialect: Dialect) -> &str {
        match dialect {
            Dialect::CloudFormation => &self.cloudformation,
            Dialect::Terraform => &self.terraform,
        }
    }

    /// The examples there are, the one in `first` first.
    pub fn examples(&self, first: Dialect) -> impl Iterator<Item = (Dialect, &str)> {
        let order = match first {
            Dialect::CloudFormation => [Dialect::CloudFormation, Dialect::Terraform],
            Dialect::Terraform => [Dialect::Terraform, Dialect::CloudFormation],
        };
        order
            .into_iter()
            .map(|dialect| (dialect, self.example(dialect)))
            .filter(|(_, code)| !code.is_empty())
    }
}

/// One check.
#[derive(Debug)]
pub struct Check {
    /// Catalog id (`PF-S3-04`).
    pub id: String,
    pub slug: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    /// `resource`, `graph` or `deployment`.
    pub scope: String,
    /// Framework key (`cis-aws-1.2`, `securityhub`, ...) to control ids.
    pub frameworks: BTreeMap<String, Vec<String>>,
    /// Other tools' ids for the same check (`checkov`, `trivy`, ...).
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The resource types the rule is evaluated on.
    pub resource_types: Vec<String>,
    /// Parameters with their values (defaults, possibly overridden).
    pub params: HashMap<String, Value>,
    pub description: String,
    pub rationale: String,
    pub remediation: Remediation,
    pub rule: Rule,
    /// Where the check was read from (`checks/s3/PF-S3-04.yaml`).
    pub source: String,
    /// Format families (`cloudformation`, `terraform`) that cannot express
    /// what the check reads, with why (`catalog.md` section 6): the check is
    /// NOT_APPLICABLE there, and a deployment-scope check cannot fail on an
    /// input of only those formats.
    pub not_expressible: BTreeMap<String, String>,
    /// Findings never quote the values they judge (secret detectors): the
    /// location is reported, the value is not (`redact_values: true`).
    pub redact_values: bool,
    /// Deployment scope: the evidence must be found in every region the
    /// account uses (`per_region: true`), not once per account.
    pub per_region: bool,
    /// Deployment scope: the resource can exist once per region (or per
    /// account when not `per_region`); a second one fails deployment (`singleton: true`).
    pub singleton: bool,
    /// Where the parts the check compiler judges are written.
    pub places: CheckPlaces,
}

/// Where a check's parts are written in its file, for the check compiler.
#[derive(Debug, Clone, Default)]
pub struct CheckPlaces {
    /// The `rule` text.
    pub rule: Pos,
    /// Each entry of `resource_types`.
    pub resource_types: Vec<Pos>,
    /// Each parameter's name.
    pub params: BTreeMap<String, Pos>,
}

/// A check file that could not be read, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{pos}: {message}")]
pub struct CheckFileError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

/// The fields of a check.
const KNOWN: &[&str] = &[
    "id",
    "slug",
    "title",
    "severity",
    "category",
    "scope",
    "frameworks",
    "aliases",
    "resource_types",
    "params",
    "description",
    "rationale",
    "remediation",
    "rule",
    "not_expressible",
    "redact_values",
    "per_region",
    "singleton",
];

/// The fields of a variant besides a check's (except `rule`).
const VARIANT_ONLY: &[&str] = &["vars"];

impl Check {
    /// Reads a file of one check, calling no predicate. `source` names it in errors.
    pub fn from_yaml(source: &str, text: &str) -> Result<Check, CheckFileError> {
        let mut checks = Check::all_from_yaml(source, text, &Library::default())?;
        match checks.len() {
            1 => Ok(checks.remove(0)),
            n => Err(CheckFileError {
                file: source.to_string(),
                pos: Pos { line: 1, col: 1 },
                message: format!("expected one check, the file declares {n} variants"),
            }),
        }
    }

    /// Reads a check file: one check, or one per entry of its `variants`.
    /// Rules may call the predicates of `library`.
    pub fn all_from_yaml(source: &str, text: &str, library: &Library) -> Result<Vec<Check>, CheckFileError> {
        let error = |pos: Pos, message: String| CheckFileError {
            file: source.to_string(),
            pos,
            message,
        };
        let root = load_yaml(text, Limits::default()).map_err(|e| error(e.pos, e.message))?;
        let Some(entries) = root.as_map() else {
            return Err(error(root.span.start, "a check file must be a mapping".into()));
        };
        let Some(variants) = root.get("variants") else {
            return Ok(vec![Check::from_node(source, text, &root, library)?]);
        };
        if let Some(unknown) = entries
            .iter()
            .find(|e| !KNOWN.contains(&e.key.as_str()) && e.key != "variants")
        {
            return Err(error(
                unknown.key_span.start,
                format!(
                    "unknown field \"{}\" (known: variants, {})",
                    unknown.key,
                    KNOWN.join(", ")
                ),
            ));
        }
        let items = match &variants.value.kind {
            NodeKind::Seq(items) if !items.is_empty() => items,
            _ => {
                return Err(error(
                    variants.value.span.start,
                    "\"variants\" must be a list of checks (each with its own id and slug)".into(),
                ));
            }
        };
        items
            .iter()
            .map(|variant| {
                let merged = variant_root(&root, variant).map_err(|(pos, message)| error(pos, message))?;
                Check::from_node(source, text, &merged, library)
            })
            .collect()
    }

    /// Reads one check from the root mapping of its file (or of one variant).
    fn from_node(source: &str, text: &str, root: &Node, library: &Library) -> Result<Check, CheckFileError> {
        let error = |pos: Pos, message: String| CheckFileError {
            file: source.to_string(),
            pos,
            message,
        };
        let Some(entries) = root.as_map() else {
            return Err(error(root.span.start, "a check file must be a mapping".into()));
        };
        if let Some(unknown) = entries.iter().find(|e| !KNOWN.contains(&e.key.as_str())) {
            return Err(error(
                unknown.key_span.start,
                format!("unknown field \"{}\" (known: {})", unknown.key, KNOWN.join(", ")),
            ));
        }
        let text_field = |key: &str, required: bool| -> Result<String, CheckFileError> {
            match root.get(key) {
                Some(e) => match &e.value.kind {
                    NodeKind::String(s) | NodeKind::Number(s) => Ok(s.trim_end().to_string()),
                    _ => Err(error(e.value.span.start, format!("\"{key}\" must be text"))),
                },
                None if required => Err(error(
                    root.span.start,
                    format!("missing required field \"{key}\""),
                )),
                None => Ok(String::new()),
            }
        };
        let id = text_field("id", true)?;
        let severity_text = text_field("severity", true)?;
        let severity = Severity::parse(&severity_text).ok_or_else(|| {
            let pos = root
                .get("severity")
                .map_or(root.span.start, |e| e.value.span.start);
            error(
                pos,
                format!("severity \"{severity_text}\" is not low, medium, high or critical"),
            )
        })?;
        let resource_types = string_list(root.get("resource_types").map(|e| &e.value))
            .map_err(|pos| error(pos, "\"resource_types\" must be a list of type names".into()))?;
        if resource_types.is_empty() {
            return Err(error(
                root.span.start,
                "\"resource_types\" must name at least one type".into(),
            ));
        }
        let params: HashMap<String, Value> = match root.get("params").map(|e| &e.value) {
            None => HashMap::new(),
            Some(node) => match node.as_map() {
                Some(entries) => entries
                    .iter()
                    .map(|e| (e.key.clone(), node_to_value(&e.value)))
                    .collect(),
                None if matches!(node.kind, NodeKind::Null) => HashMap::new(),
                None => return Err(error(node.span.start, "\"params\" must be a mapping".into())),
            },
        };
        let remediation = match root.get("remediation").map(|e| &e.value) {
            Some(node) if node.as_map().is_some() => {
                let field = |k: &str| {
                    node.get(k)
                        .and_then(|e| e.value.as_str())
                        .map(|s| s.trim_end().to_string())
                        .unwrap_or_default()
                };
                Remediation {
                    text: field("text"),
                    cloudformation: field("cloudformation"),
                    terraform: field("terraform"),
                }
            }
            Some(node) => Remediation {
                text: node.as_str().unwrap_or_default().trim_end().to_string(),
                ..Default::default()
            },
            None => Remediation::default(),
        };
        let rule_entry = root
            .get("rule")
            .ok_or_else(|| error(root.span.start, "missing required field \"rule\"".into()))?;
        let rule_text = rule_entry
            .value
            .as_str()
            .ok_or_else(|| error(rule_entry.value.span.start, "\"rule\" must be text".into()))?;
        let rule_map = RuleMap::new(text, rule_entry);
        let mut rule = parse_rule_with(rule_text, library).map_err(|e| {
            error(
                rule_map.map(Pos {
                    line: e.line,
                    col: e.col,
                }),
                e.message,
            )
        })?;
        rule.locate(&Arc::from(source), &|pos| rule_map.map(pos));
        for param in rule.params() {
            if !params.contains_key(param) {
                return Err(error(
                    rule_entry.value.span.start,
                    format!("the rule reads %{param}, which \"params\" does not declare"),
                ));
            }
        }
        let not_expressible = match root.get("not_expressible").map(|e| &e.value) {
            None => BTreeMap::new(),
            Some(node) => {
                let entries = node.as_map().ok_or_else(|| {
                    error(
                        node.span.start,
                        "\"not_expressible\" must map formats to reasons".into(),
                    )
                })?;
                let mut out = BTreeMap::new();
                for e in entries {
                    if !FORMAT_FAMILIES.contains(&e.key.as_str()) {
                        return Err(error(
                            e.key_span.start,
                            format!(
                                "\"{}\" is not a format family ({})",
                                e.key,
                                FORMAT_FAMILIES.join(", ")
                            ),
                        ));
                    }
                    let reason = e
                        .value
                        .as_str()
                        .ok_or_else(|| error(e.value.span.start, "a reason must be text".into()))?;
                    out.insert(e.key.clone(), reason.trim_end().to_string());
                }
                out
            }
        };
        let flag = |key: &str| {
            root.get(key)
                .is_some_and(|e| matches!(&e.value.kind, NodeKind::Bool(true)))
        };
        let scope = text_field("scope", false)?;
        if !["", "resource", "graph", "deployment"].contains(&scope.as_str()) {
            let pos = root.get("scope").map_or(root.span.start, |e| e.value.span.start);
            return Err(error(
                pos,
                format!("scope \"{scope}\" is not resource, graph or deployment"),
            ));
        }
        Ok(Check {
            id,
            slug: text_field("slug", true)?,
            title: text_field("title", true)?,
            severity,
            category: text_field("category", false)?,
            scope,
            frameworks: string_lists(root.get("frameworks").map(|e| &e.value))
                .map_err(|pos| error(pos, "\"frameworks\" must map names to lists of ids".into()))?,
            aliases: string_lists(root.get("aliases").map(|e| &e.value))
                .map_err(|pos| error(pos, "\"aliases\" must map tools to lists of ids".into()))?,
            resource_types,
            params,
            description: text_field("description", false)?,
            rationale: text_field("rationale", false)?,
            remediation,
            rule,
            source: source.to_string(),
            not_expressible,
            redact_values: flag("redact_values"),
            per_region: flag("per_region"),
            singleton: flag("singleton"),
            places: CheckPlaces {
                rule: rule_map.map(Pos { line: 1, col: 1 }),
                resource_types: match root.get("resource_types").map(|e| &e.value.kind) {
                    Some(NodeKind::Seq(items)) => items.iter().map(|i| i.span.start).collect(),
                    _ => Vec::new(),
                },
                params: root
                    .get("params")
                    .and_then(|e| e.value.as_map())
                    .map(|entries| {
                        entries
                            .iter()
                            .map(|e| (e.key.clone(), e.key_span.start))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        })
    }

    /// Whether the check is an account-baseline existence check, run only
    /// with `--profile account-baseline` over everything scanned.
    pub fn is_deployment(&self) -> bool {
        self.scope == "deployment"
    }

    /// Why the check cannot be expressed in the family of `format` (a
    /// [`crate::scan_report::SourceFile`] format such as `terraform-plan`), if it cannot.
    pub fn inexpressible_in(&self, format: &str) -> Option<&str> {
        self.not_expressible
            .get(format_family(format))
            .map(String::as_str)
    }

    /// The framework references as text: `framework<key_sep>id<id_sep>id` per
    /// framework with ids, joined by `entry_sep`.
    pub fn framework_refs(&self, key_sep: &str, id_sep: &str, entry_sep: &str) -> String {
        format_refs(&self.frameworks, key_sep, id_sep, entry_sep)
    }

    /// Its Checkov ids (the `checkov` aliases).
    pub fn checkov_ids(&self) -> impl Iterator<Item = &str> {
        self.aliases
            .get("checkov")
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// The names it answers to on the command line and in comments: its id,
    /// its slug and its Checkov ids.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [self.id.as_str(), self.slug.as_str()]
            .into_iter()
            .chain(self.checkov_ids())
    }

    /// Whether `name` is one of its names (case-insensitive).
    pub fn is_named(&self, name: &str) -> bool {
        self.names().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The other tools' ids, formatted like [`Check::framework_refs`].
    pub fn alias_refs(&self, key_sep: &str, id_sep: &str, entry_sep: &str) -> String {
        format_refs(&self.aliases, key_sep, id_sep, entry_sep)
    }

    /// The service part of the id (`S3` in `PF-S3-04`).
    pub fn service(&self) -> &str {
        self.id.split('-').nth(1).unwrap_or("")
    }
}

/// The format families a check may declare inexpressible.
pub const FORMAT_FAMILIES: &[&str] = &["cloudformation", "terraform"];

/// `cloudformation` for CloudFormation, SAM and CDK inputs; `terraform` for plans and modules.
pub fn format_family(format: &str) -> &'static str {
    if format.starts_with("terraform") {
        "terraform"
    } else {
        "cloudformation"
    }
}

fn format_refs(refs: &BTreeMap<String, Vec<String>>, key_sep: &str, id_sep: &str, entry_sep: &str) -> String {
    refs.iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(key, ids)| format!("{key}{key_sep}{}", ids.join(id_sep)))
        .collect::<Vec<_>>()
        .join(entry_sep)
}

/// Maps positions in a rule text (1-based line and column) to positions in
/// the file the rule is written in, for a rule written as a block scalar
/// (`rule: |`) or on the line of its key.
#[derive(Debug, Clone)]
pub struct RuleMap {
    /// The file line of the rule's first line.
    first_line: u32,
    /// A block scalar: each line is indented in the file by what that line's
    /// indentation is; otherwise the first line starts at `first_col`.
    block: bool,
    first_col: u32,
    /// The indentation of each file line from `first_line` on (block scalars).
    indents: Vec<u32>,
}

impl RuleMap {
    /// The map of the rule whose entry is `entry` in the file `file`.
    pub fn new(file: &str, entry: &crate::parse::Entry) -> RuleMap {
        let lines: Vec<&str> = file.lines().collect();
        let value_line = entry.value.span.start.line as usize;
        let key_line = entry.key_span.start.line as usize;
        // A block scalar (`rule: |`) starts on the line after its indicator.
        let block = lines
            .get(key_line.saturating_sub(1))
            .and_then(|l| l.split_once(':'))
            .map(|(_, rest)| rest.trim_start().starts_with(['|', '>']))
            .unwrap_or(false);
        let first_line = if block { key_line + 1 } else { value_line };
        let indents = if block {
            lines
                .iter()
                .skip(first_line.saturating_sub(1))
                .map(|l| (l.len() - l.trim_start().len()) as u32)
                .collect()
        } else {
            Vec::new()
        };
        RuleMap {
            first_line: first_line as u32,
            block,
            first_col: entry.value.span.start.col,
            indents,
        }
    }

    /// The file position of rule-text position `pos`.
    pub fn map(&self, pos: Pos) -> Pos {
        let line = self.first_line + pos.line.saturating_sub(1);
        let indent = if self.block {
            self.indents
                .get(pos.line.saturating_sub(1) as usize)
                .copied()
                .unwrap_or(0)
        } else if pos.line == 1 {
            self.first_col.saturating_sub(1)
        } else {
            0
        };
        Pos {
            line,
            col: indent + pos.col,
        }
    }
}

/// The root mapping of one variant: the file's fields, minus `variants`,
/// overridden by the variant's own (`params` merged name by name), with
/// `{{name}}` in the texts filled from the variant's `vars` and params.
fn variant_root(root: &Node, variant: &Node) -> Result<Node, (Pos, String)> {
    let Some(own) = variant.as_map() else {
        return Err((variant.span.start, "a variant must be a mapping".into()));
    };
    for e in own {
        if e.key == "rule" || e.key == "variants" {
            return Err((
                e.key_span.start,
                format!(
                    "a variant cannot have its own \"{}\": variants share the file's",
                    e.key
                ),
            ));
        }
        if !KNOWN.contains(&e.key.as_str()) && !VARIANT_ONLY.contains(&e.key.as_str()) {
            return Err((
                e.key_span.start,
                format!(
                    "unknown field \"{}\" of a variant (known: {}, {})",
                    e.key,
                    VARIANT_ONLY.join(", "),
                    KNOWN.join(", ")
                ),
            ));
        }
    }
    for required in ["id", "slug"] {
        if variant.get(required).is_none() {
            return Err((
                variant.span.start,
                format!("a variant must have its own \"{required}\""),
            ));
        }
    }
    let shared = root.as_map().unwrap_or_default();
    let mut entries: Vec<crate::parse::Entry> = shared
        .iter()
        .filter(|e| e.key != "variants")
        .map(|e| match (e.key.as_str(), variant.get(&e.key)) {
            ("params", Some(theirs)) => merged_params(e, theirs),
            (_, Some(theirs)) => theirs.clone(),
            (_, None) => e.clone(),
        })
        .collect();
    entries.extend(
        own.iter()
            .filter(|e| shared.iter().all(|s| s.key != e.key) && !VARIANT_ONLY.contains(&e.key.as_str()))
            .cloned(),
    );
    // The values `{{name}}` stands for: the variant's vars, then its params.
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    for source in [entries.iter().find(|e| e.key == "params"), variant.get("vars")] {
        for e in source.and_then(|e| e.value.as_map()).unwrap_or_default() {
            if let NodeKind::String(text) | NodeKind::Number(text) = &e.value.kind {
                vars.insert(e.key.clone(), text.clone());
            }
        }
    }
    for entry in &mut entries {
        if ["title", "description", "rationale", "remediation"].contains(&entry.key.as_str()) {
            fill_templates(&mut entry.value, &vars)?;
        }
    }
    Ok(Node {
        span: variant.span,
        kind: NodeKind::Map(entries),
    })
}

/// The file's params with the variant's added or overriding them.
fn merged_params(shared: &crate::parse::Entry, theirs: &crate::parse::Entry) -> crate::parse::Entry {
    let mut merged = shared.clone();
    if let (NodeKind::Map(mine), Some(their_entries)) = (&mut merged.value.kind, theirs.value.as_map()) {
        for e in their_entries {
            match mine.iter_mut().find(|m| m.key == e.key) {
                Some(m) => *m = e.clone(),
                None => mine.push(e.clone()),
            }
        }
    } else {
        merged = theirs.clone();
    }
    merged
}

/// Replaces `{{name}}` (and `{{name|escaped}}`: with `\` and `"` escaped,
/// for a double-quoted string) in the texts under `node`.
fn fill_templates(node: &mut Node, vars: &BTreeMap<String, String>) -> Result<(), (Pos, String)> {
    match &mut node.kind {
        NodeKind::String(text) if text.contains("{{") => {
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(open) = rest.find("{{") {
                out.push_str(&rest[..open]);
                let Some(close) = rest[open..].find("}}") else {
                    return Err((node.span.start, "an unclosed {{ in a variant's text".into()));
                };
                let inner = rest[open + 2..open + close].trim();
                let (name, escaped) = match inner.split_once('|') {
                    Some((name, "escaped")) => (name.trim(), true),
                    Some((_, filter)) => {
                        return Err((
                            node.span.start,
                            format!("unknown filter \"{filter}\" in {{{{{inner}}}}} (known: escaped)"),
                        ));
                    }
                    None => (inner, false),
                };
                let Some(value) = vars.get(name) else {
                    let known: Vec<&str> = vars.keys().map(String::as_str).collect();
                    return Err((
                        node.span.start,
                        format!(
                            "{{{{{name}}}}} names no var or param of the variant (known: {})",
                            known.join(", ")
                        ),
                    ));
                };
                if escaped {
                    out.push_str(&value.replace('\\', "\\\\").replace('"', "\\\""));
                } else {
                    out.push_str(value);
                }
                rest = &rest[open + close + 2..];
            }
            out.push_str(rest);
            *text = out;
            Ok(())
        }
        NodeKind::Map(entries) => entries
            .iter_mut()
            .try_for_each(|e| fill_templates(&mut e.value, vars)),
        NodeKind::Seq(items) => items.iter_mut().try_for_each(|i| fill_templates(i, vars)),
        _ => Ok(()),
    }
}

fn string_list(node: Option<&Node>) -> Result<Vec<String>, Pos> {
    match node.map(|n| (&n.kind, n.span.start)) {
        None | Some((NodeKind::Null, _)) => Ok(Vec::new()),
        Some((NodeKind::Seq(items), _)) => items
            .iter()
            .map(|i| match &i.kind {
                NodeKind::String(s) | NodeKind::Number(s) => Ok(s.clone()),
                _ => Err(i.span.start),
            })
            .collect(),
        Some((_, pos)) => Err(pos),
    }
}

fn string_lists(node: Option<&Node>) -> Result<BTreeMap<String, Vec<String>>, Pos> {
    match node {
        None => Ok(BTreeMap::new()),
        Some(n) if matches!(n.kind, NodeKind::Null) => Ok(BTreeMap::new()),
        Some(n) => n
            .as_map()
            .ok_or(n.span.start)?
            .iter()
            .map(|e| Ok((e.key.clone(), string_list(Some(&e.value))?)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id: PF-T-01\nslug: t\ntitle: T\nseverity: high\nresource_types: [AWS::S3::Bucket]\nparams: {p: 1}\nrule: |\n  A == %p\n";

    #[test]
    fn reads_a_check() {
        let check = Check::from_yaml("t.yaml", GOOD).unwrap();
        assert_eq!(check.id, "PF-T-01");
        assert_eq!(check.severity, Severity::High);
        assert_eq!(check.service(), "T");
    }

    #[test]
    fn rule_errors_point_into_the_file() {
        let bad = GOOD.replace("A == %p\n", "A == %p\n  B ==\n");
        let e = Check::from_yaml("t.yaml", &bad).unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (9, 7), "{e}");
        let bad = GOOD.replace("severity: high", "severity: huge");
        let e = Check::from_yaml("t.yaml", &bad).unwrap_err();
        assert_eq!(e.pos.line, 4);
        let bad = GOOD.replace("params: {p: 1}", "params: {}");
        assert!(
            Check::from_yaml("t.yaml", &bad)
                .unwrap_err()
                .message
                .contains("%p")
        );
    }

    const VARIANTS: &str = "severity: low\nresource_types: [AWS::S3::Bucket]\nparams: {p: 1, q: shared}\ndescription: Tag {{tag}} is {{p}}; quoted {{q|escaped}}.\nvariants:\n  - id: V-01\n    slug: v-one\n    title: One\n    vars: {tag: a}\n  - id: V-02\n    slug: v-two\n    title: Two\n    severity: high\n    params: {p: 2, q: 'say \"hi\"'}\n    vars: {tag: b}\nrule: |\n  A == %p\n  B == %q\n";

    #[test]
    fn variants_share_the_file_and_override_their_own() {
        let checks = Check::all_from_yaml("v.yaml", VARIANTS, &Library::default()).unwrap();
        assert_eq!(
            checks.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["V-01", "V-02"]
        );
        assert_eq!(checks[0].severity, Severity::Low);
        assert_eq!(checks[1].severity, Severity::High);
        assert_eq!(checks[0].params["p"].describe(), "1");
        assert_eq!(checks[1].params["p"].describe(), "2");
        assert_eq!(checks[0].description, "Tag a is 1; quoted shared.");
        assert_eq!(checks[1].description, "Tag b is 2; quoted say \\\"hi\\\".");
        assert!(
            Check::from_yaml("v.yaml", VARIANTS)
                .unwrap_err()
                .message
                .contains("2 variants")
        );
    }

    #[test]
    fn variant_mistakes_are_errors_at_their_position() {
        let error = |text: &str| Check::all_from_yaml("v.yaml", text, &Library::default()).unwrap_err();
        let e = error(&VARIANTS.replace("    vars: {tag: a}\n", "    rule: B exists\n"));
        assert_eq!(e.pos.line, 9, "{e}");
        assert!(e.message.contains("cannot have its own \"rule\""), "{e}");
        let e = error(&VARIANTS.replace("vars: {tag: a}", "vars: {tagg: a}"));
        assert!(e.message.contains("{{tag}} names no var or param"), "{e}");
        let e = error(&VARIANTS.replace("    slug: v-two\n", ""));
        assert!(e.message.contains("must have its own \"slug\""), "{e}");
    }
}
