//! A check: catalog metadata plus a compiled rule, read from a check file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::checks::lang::{SyntaxError, ast::Rule, parse_rule};
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
}

/// A check file that could not be read, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{pos}: {message}")]
pub struct CheckFileError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

impl Check {
    /// Reads a check file. `source` names it in errors.
    pub fn from_yaml(source: &str, text: &str) -> Result<Check, CheckFileError> {
        let error = |pos: Pos, message: String| CheckFileError {
            file: source.to_string(),
            pos,
            message,
        };
        let root = load_yaml(text, Limits::default()).map_err(|e| error(e.pos, e.message))?;
        let Some(entries) = root.as_map() else {
            return Err(error(root.span.start, "a check file must be a mapping".into()));
        };
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
        let rule = parse_rule(rule_text).map_err(|e| {
            let (line, col) = rule_position(text, rule_entry, &e);
            error(Pos { line, col }, e.message)
        })?;
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

/// Maps a position in the rule text to a position in the check file.
fn rule_position(file: &str, entry: &crate::parse::Entry, e: &SyntaxError) -> (u32, u32) {
    let lines: Vec<&str> = file.lines().collect();
    let value_line = entry.value.span.start.line as usize;
    let key_line = entry.key_span.start.line as usize;
    // A block scalar (`rule: |`) starts on the line after its indicator.
    let indicator = lines
        .get(key_line.saturating_sub(1))
        .and_then(|l| l.split_once(':'))
        .map(|(_, rest)| rest.trim_start().starts_with(['|', '>']))
        .unwrap_or(false);
    let first = if indicator { key_line + 1 } else { value_line };
    let line = first + e.line as usize - 1;
    let indent = if indicator {
        lines
            .get(line.saturating_sub(1))
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or(0)
    } else if e.line == 1 {
        entry.value.span.start.col as usize - 1
    } else {
        0
    };
    (line as u32, (indent + e.col as usize) as u32)
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
}
