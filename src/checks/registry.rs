//! The one list of checks that the scan, `preflight checks`, `explain` and the
//! SARIF rules all read.

use std::path::Path;

use super::check::{Check, CheckFileError};

include!(concat!(env!("OUT_DIR"), "/builtin_checks.rs"));

/// The checks of a run, sorted by id.
#[derive(Debug, Default)]
pub struct Registry {
    checks: Vec<Check>,
    /// Every name (id, slug, Checkov alias) of every check loaded, lowercased,
    /// selected or not: a suppression comment naming a check this run does
    /// not select is not naming an unknown one.
    known_names: std::collections::BTreeSet<String>,
    /// The Checkov ids among them: what a `checkov:skip` comment can name.
    known_checkov: std::collections::BTreeSet<String>,
}

impl Registry {
    /// The checks built into the binary.
    pub fn builtin() -> Result<Registry, CheckFileError> {
        let mut registry = Registry::default();
        for (path, text) in BUILTIN_CHECKS {
            registry.add(Check::from_yaml(path, text)?)?;
        }
        Ok(registry)
    }

    /// A registry of the given checks (tests, tools).
    pub fn from_checks(checks: Vec<Check>) -> Result<Registry, CheckFileError> {
        let mut registry = Registry::default();
        for check in checks {
            registry.add(check)?;
        }
        Ok(registry)
    }

    /// Adds every `*.yaml` / `*.yml` check file below `dir` (user checks, `--checks DIR`).
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), CheckFileError> {
        let mut files = Vec::new();
        for entry in ignore::WalkBuilder::new(dir)
            .standard_filters(false)
            .build()
            .flatten()
        {
            let path = entry.path();
            if path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path.to_path_buf());
            }
        }
        if files.is_empty() && !dir.exists() {
            return Err(CheckFileError {
                file: dir.display().to_string(),
                pos: Default::default(),
                message: "no such directory".into(),
            });
        }
        files.sort();
        for path in files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| CheckFileError {
                file: name.clone(),
                pos: Default::default(),
                message: e.to_string(),
            })?;
            self.add(Check::from_yaml(&name, &text)?)?;
        }
        Ok(())
    }

    fn add(&mut self, check: Check) -> Result<(), CheckFileError> {
        if self.checks.iter().any(|c| c.id == check.id) {
            return Err(CheckFileError {
                file: check.source.clone(),
                pos: Default::default(),
                message: format!("check id {} is defined twice", check.id),
            });
        }
        self.known_names
            .extend(check.names().map(str::to_ascii_lowercase));
        self.known_checkov
            .extend(check.checkov_ids().map(str::to_ascii_lowercase));
        let at = self.checks.partition_point(|c| c.id < check.id);
        self.checks.insert(at, check);
        Ok(())
    }

    /// All checks, sorted by id.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The check with this id or slug (case-insensitive).
    pub fn get(&self, id_or_slug: &str) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id_or_slug) || c.slug.eq_ignore_ascii_case(id_or_slug))
    }

    /// A check by id or slug, to adjust (configured severity and parameters).
    pub fn get_mut(&mut self, id_or_slug: &str) -> Option<&mut Check> {
        self.checks
            .iter_mut()
            .find(|c| c.id.eq_ignore_ascii_case(id_or_slug) || c.slug.eq_ignore_ascii_case(id_or_slug))
    }

    /// Keeps only the checks that cite a control of `framework`.
    pub fn retain_framework(&mut self, framework: &str) {
        self.checks
            .retain(|c| c.frameworks.get(framework).is_some_and(|ids| !ids.is_empty()));
    }

    /// Every check `name` designates: by id or slug, or by a Checkov id
    /// among its aliases (several checks may share one).
    pub fn find_all(&self, name: &str) -> Vec<&Check> {
        self.checks.iter().filter(|c| c.is_named(name)).collect()
    }

    /// Whether `name` is an id, slug or Checkov alias of any check loaded,
    /// whether or not this run selects it.
    pub fn knows(&self, name: &str) -> bool {
        self.known_names.contains(&name.to_ascii_lowercase())
    }

    /// Whether `id` is a Checkov id of any check loaded, selected or not.
    pub fn knows_checkov(&self, id: &str) -> bool {
        self.known_checkov.contains(&id.to_ascii_lowercase())
    }

    /// Keeps only the selected checks: those named in `only` (all when empty),
    /// minus those named in `skip`, by id, slug or Checkov id. Unknown names
    /// are returned as an error.
    pub fn select(&mut self, only: &[String], skip: &[String]) -> Result<(), String> {
        for name in only.iter().chain(skip) {
            if self.find_all(name).is_empty() {
                return Err(format!("unknown check {name} (see `preflight checks`)"));
            }
        }
        let named = |c: &Check, names: &[String]| names.iter().any(|n| c.is_named(n));
        self.checks
            .retain(|c| (only.is_empty() || named(c, only)) && !named(c, skip));
        Ok(())
    }
}
