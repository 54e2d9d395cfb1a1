//! The one list of checks that the scan, `preflight checks`, `explain` and the
//! SARIF rules all read.

use std::path::Path;

use super::check::{Check, CheckFileError};
use super::compile::{Problem, library};
use super::lang::Library;

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
    /// The named predicates rules may call: the built-in library and those
    /// of the `--checks` directories loaded.
    library: Library,
    /// What the check compiler warned of in the directories loaded.
    warnings: Vec<Problem>,
}

impl Registry {
    /// The checks built into the binary.
    pub fn builtin() -> Result<Registry, CheckFileError> {
        let mut registry = Registry::default();
        let (libraries, checks): (Vec<_>, Vec<_>) = BUILTIN_CHECKS
            .iter()
            .partition(|(_, text)| library::is_library(text));
        let mut sources = Vec::new();
        for (path, text) in libraries {
            sources.extend(library::read(path, text)?);
        }
        registry.warnings = library::build(sources, &mut registry.library)?;
        for (path, text) in checks {
            for check in Check::all_from_yaml(path, text, &registry.library)? {
                registry.add(check)?;
            }
        }
        Ok(registry)
    }

    /// The predicates rules may call.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The compiler's warnings about the directories loaded.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// A registry of the given checks (tests, tools).
    pub fn from_checks(checks: Vec<Check>) -> Result<Registry, CheckFileError> {
        let mut registry = Registry::default();
        for check in checks {
            registry.add(check)?;
        }
        Ok(registry)
    }

    /// Adds every `*.yaml` / `*.yml` check file below `dir` (user checks,
    /// `--checks DIR`): its predicate libraries first, then its checks, which
    /// may call them and the built-in predicates. The first problem is the error.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), CheckFileError> {
        let problems = self.lint_dir(dir);
        match problems.iter().find(|p| p.is_error()) {
            Some(p) => Err(CheckFileError {
                file: p.file.clone(),
                pos: p.pos,
                message: p.message.clone(),
            }),
            None => {
                self.warnings.extend(problems);
                Ok(())
            }
        }
    }

    /// Adds what it can of `dir`, as [`Registry::load_dir`], and returns every
    /// problem found: the first of each file that cannot be read, then what the
    /// check compiler finds in the checks read.
    pub fn lint_dir(&mut self, dir: &Path) -> Vec<Problem> {
        let files = match Self::files_below(dir) {
            Ok(files) => files,
            Err(e) => return vec![e.into()],
        };
        let mut problems = Vec::new();
        let mut sources = Vec::new();
        let mut check_files = Vec::new();
        for (name, text) in files {
            if library::is_library(&text) {
                match library::read(&name, &text) {
                    Ok(read) => sources.extend(read),
                    Err(e) => problems.push(e.into()),
                }
            } else {
                check_files.push((name, text));
            }
        }
        match library::build(sources, &mut self.library) {
            Ok(warnings) => problems.extend(warnings),
            Err(e) => problems.push(e.into()),
        }
        let mut added = Vec::new();
        for (name, text) in check_files {
            match Check::all_from_yaml(&name, &text, &self.library) {
                Ok(checks) => {
                    for check in checks {
                        added.push(check.id.clone());
                        if let Err(e) = self.add(check) {
                            problems.push(e.into());
                        }
                    }
                }
                Err(e) => problems.push(e.into()),
            }
        }
        for id in added {
            if let Some(check) = self.checks.iter().find(|c| c.id == id) {
                problems.extend(super::compile::compile(check));
            }
        }
        problems
    }

    /// The `(name, text)` of every check file below `dir`, sorted by name.
    fn files_below(dir: &Path) -> Result<Vec<(String, String)>, CheckFileError> {
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
        files
            .into_iter()
            .map(|path| {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| CheckFileError {
                    file: name.clone(),
                    pos: Default::default(),
                    message: e.to_string(),
                })?;
                Ok((name, text))
            })
            .collect()
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
