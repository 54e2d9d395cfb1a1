//! `.preflight.toml`: the project's scan settings, found from the scan root
//! upwards (or named with `--config`). Command-line flags win over it.
//! Unknown keys are errors with their line and column. `docs/config.md` has a
//! complete example.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::{Registry, Severity};
use crate::graph::{Prop, Value, ValueKind};
use crate::parse::{LineIndex, Span};

/// Parameter values for the templates one glob matches.
pub type GlobParameters = (globset::GlobMatcher, HashMap<String, String>);

/// The file name looked for.
pub const FILE_NAME: &str = ".preflight.toml";

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub scan: ScanSection,
    #[serde(default)]
    pub checks: ChecksSection,
    /// Template parameter values for the templates matching a glob.
    #[serde(default)]
    pub parameters: Vec<TemplateParameters>,
    #[serde(default)]
    pub terraform: TerraformSection,
    #[serde(default)]
    pub baseline: BaselineSection,
    /// Where the file was read from; relative paths in it are relative to its directory.
    #[serde(skip)]
    pub dir: PathBuf,
}

/// `[scan]`: defaults for `preflight scan`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Paths never scanned (gitignore-style globs, relative to the config file).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// As `--format`: one report (`"sarif"`) or several
    /// (`["text", "sarif:results.sarif"]`), each `FORMAT` or `FORMAT:PATH`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub format: Option<Vec<String>>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity_threshold: Option<String>,
    pub max_file_size: Option<u64>,
    /// A baseline file of accepted findings.
    pub baseline: Option<PathBuf>,
    /// `account-baseline` runs the deployment-scope checks by default.
    pub profile: Option<String>,
    /// A scan of directories that finds no infrastructure code exits 0
    /// rather than 2 (`--allow-empty`): for monorepos where a path may hold none.
    #[serde(default)]
    pub allow_empty: bool,
}

/// `[baseline]`: the account-baseline profile's settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineSection {
    /// Deployment-scope checks satisfied outside the scanned code (WAIVED).
    #[serde(default)]
    pub external: Vec<ExternalControl>,
    /// The regions the account uses: per-region checks (Config, GuardDuty)
    /// need evidence in each. Default: the regions the scanned inputs deploy to.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// One `[[baseline.external]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalControl {
    /// Check id or slug.
    pub check: String,
    /// Where it is provided (echoed in the report).
    pub reason: String,
}

/// `[checks]`: which checks run, and how.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksSection {
    /// Run only these (ids or slugs).
    #[serde(default)]
    pub enable: Vec<String>,
    /// Never run these.
    #[serde(default)]
    pub disable: Vec<String>,
    /// More check files.
    pub dir: Option<PathBuf>,
    /// Check id -> severity.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Check id -> parameter -> value (see each check's `params` in `preflight explain`).
    #[serde(default)]
    pub params: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

/// `[[parameters]]`: values for the CloudFormation templates matching `files`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateParameters {
    /// A glob relative to the config file (`stacks/prod/*.yaml`).
    pub files: String,
    /// A parameter file (the AWS CLI's JSON, as for `--params`), under `values`.
    pub params_file: Option<PathBuf>,
    #[serde(default)]
    pub values: BTreeMap<String, toml::Value>,
}

/// `[terraform]`: variable values for every module scanned.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerraformSection {
    #[serde(default)]
    pub var_files: Vec<PathBuf>,
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
}

impl Config {
    /// The config file for a scan of `start`: `.preflight.toml` in it or the
    /// nearest directory above.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let start = start.canonicalize().ok()?;
        let dir = if start.is_dir() {
            start.as_path()
        } else {
            start.parent()?
        };
        dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
    }

    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let pos = e.span().map(|s| LineIndex::new(text.as_str()).pos(s.start));
            let location = pos.map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}{location}: {}", path.display(), e.message())
        })?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for value in config.checks.severity.values() {
            Severity::parse(value).ok_or_else(|| {
                format!(
                    "{}: severity \"{value}\" is not low, medium, high or critical",
                    path.display()
                )
            })?;
        }
        Ok(config)
    }

    /// A path written in the file, made relative to the current directory.
    pub fn path(&self, written: &Path) -> PathBuf {
        self.dir.join(written)
    }

    /// Applies the `[checks]` severities and parameters to the registry.
    pub fn apply_to(&self, registry: &mut Registry) -> Result<(), String> {
        for (id, severity) in &self.checks.severity {
            let check = registry
                .get_mut(id)
                .ok_or_else(|| format!("{FILE_NAME}: [checks.severity] names unknown check {id}"))?;
            check.severity = Severity::parse(severity).unwrap_or(check.severity);
        }
        for (id, params) in &self.checks.params {
            let check = registry
                .get_mut(id)
                .ok_or_else(|| format!("{FILE_NAME}: [checks.params] names unknown check {id}"))?;
            for (name, value) in params {
                if !check.params.contains_key(name) {
                    let mut known: Vec<&String> = check.params.keys().collect();
                    known.sort();
                    return Err(format!(
                        "{FILE_NAME}: check {id} has no parameter {name} (it has: {known:?})"
                    ));
                }
                check.params.insert(name.clone(), to_value(value));
            }
        }
        Ok(())
    }

    /// The parameter values for the template at `path` (relative to the
    /// current directory), from every `[[parameters]]` whose glob matches.
    pub fn template_parameters(&self) -> Result<Vec<GlobParameters>, String> {
        self.parameters
            .iter()
            .map(|p| {
                // Absolute, as the paths matched against it are made absolute.
                let pattern = std::path::absolute(self.dir.join(&p.files)).map_err(|e| e.to_string())?;
                let glob = globset::Glob::new(&pattern.to_string_lossy())
                    .map_err(|e| format!("{FILE_NAME}: [[parameters]] files = \"{}\": {e}", p.files))?;
                let mut values = match &p.params_file {
                    Some(file) => read_parameter_file(&self.path(file))?,
                    None => HashMap::new(),
                };
                values.extend(p.values.iter().map(|(k, v)| (k.clone(), scalar(v))));
                Ok((glob.compile_matcher(), values))
            })
            .collect()
    }
}

/// Reads a parameter file (`--params FILE`, `params_file` in `[[parameters]]`): `[{"ParameterKey": k, "ParameterValue": v}]` or `{k: v}`.
pub fn read_parameter_file(path: &Path) -> Result<HashMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .or_else(|| i.as_number().map(|n| n.to_string()))
                })
                .collect();
            parts.map(|p| p.join(","))
        }
        _ => None,
    };
    let bad = || {
        format!(
            "{}: expected [{{\"ParameterKey\", \"ParameterValue\"}}] or {{\"Key\": \"Value\"}}",
            path.display()
        )
    };
    match &json {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| {
                let key = item
                    .get("ParameterKey")
                    .and_then(|k| k.as_str())
                    .ok_or_else(bad)?;
                let value = item.get("ParameterValue").and_then(scalar).ok_or_else(bad)?;
                Ok((key.to_string(), value))
            })
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), scalar(v).ok_or_else(bad)?)))
            .collect(),
        _ => Err(bad()),
    }
}

/// A TOML value as a command-line style string (`--param`, `--var`).
pub fn scalar(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A TOML value as a check parameter value.
fn to_value(value: &toml::Value) -> Value {
    let kind = match value {
        toml::Value::String(s) => ValueKind::String(s.clone()),
        toml::Value::Integer(i) => ValueKind::Number(i.to_string()),
        toml::Value::Float(f) => ValueKind::Number(f.to_string()),
        toml::Value::Boolean(b) => ValueKind::Bool(*b),
        toml::Value::Datetime(d) => ValueKind::String(d.to_string()),
        toml::Value::Array(items) => ValueKind::List(items.iter().map(to_value).collect()),
        toml::Value::Table(table) => ValueKind::Map(
            table
                .iter()
                .map(|(k, v)| Prop {
                    key: k.clone(),
                    key_span: Span::default(),
                    value: to_value(v),
                })
                .collect(),
        ),
    };
    Value::new(Span::default(), kind)
}

/// A string or a list of strings (`format = "sarif"` or `format = ["text", "sarif:x.sarif"]`).
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a format or a list of formats")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![value.to_string()]))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut values = Vec::new();
            while let Some(value) = seq.next_element::<String>()? {
                values.push(value);
            }
            Ok(Some(values))
        }
    }
    deserializer.deserialize_any(Visitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        Config::load(&path).map_err(|e| e.replace(&path.display().to_string(), "F"))
    }

    #[test]
    fn unknown_keys_are_errors_with_their_position() {
        let err = load("[scan]\nformat = \"json\"\nexcludes = []\n").unwrap_err();
        assert!(err.starts_with("F:3:1: unknown field `excludes`"), "{err}");
        let err = load("[checks.severity]\nPF-S3-04 = \"urgent\"\n").unwrap_err();
        assert!(err.contains("\"urgent\" is not low"), "{err}");
    }

    #[test]
    fn parameters_and_severities_apply_to_the_registry() {
        let config = load(
            "[checks.severity]\nPF-KMS-01 = \"critical\"\n[checks.params.PF-KMS-01]\nmax_rotation_period_days = 90\n",
        )
        .unwrap();
        let mut registry = Registry::builtin().unwrap();
        config.apply_to(&mut registry).unwrap();
        let check = registry.get("PF-KMS-01").unwrap();
        assert_eq!(check.severity, Severity::Critical);
        assert_eq!(
            check.params["max_rotation_period_days"].kind,
            ValueKind::Number("90".into())
        );
        let bad = load("[checks.params.PF-KMS-01]\nnope = 1\n").unwrap();
        assert!(
            bad.apply_to(&mut registry)
                .unwrap_err()
                .contains("no parameter nope")
        );
    }
}
