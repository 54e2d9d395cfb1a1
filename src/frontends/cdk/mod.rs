//! CDK cloud assemblies (`cdk.out/`): which templates `manifest.json` names
//! (stacks, stage assemblies, nested stacks), and what maps a template
//! resource back to the user's code (construct paths, creation stack traces).
//! Templates are then scanned like any CloudFormation JSON. Nothing outside
//! the assembly directory is ever read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::parse::{Limits, Node, Pos, load_json, read_source};

mod nested;
mod traces;

use nested::nested_templates;
use traces::collect_traces;

/// Stage assemblies nest; deeper than this is refused.
const MAX_NESTING: usize = 8;
/// Nested stacks per stack (CloudFormation's own limit is far lower in practice).
const MAX_NESTED_STACKS: usize = 1000;

/// One template of an assembly: a stack or a nested stack.
#[derive(Debug)]
pub struct StackTemplate {
    /// The template file, inside the assembly directory.
    pub path: PathBuf,
    /// The stack's display name (`Prod/App`); nested stacks add their construct.
    pub stack: String,
    /// Construct path -> the user's source line that created it.
    pub traces: std::sync::Arc<HashMap<String, SourceLine>>,
    /// Logical id -> construct path, from the manifest's `aws:cdk:logicalId`
    /// entries (for templates synthesized without path metadata).
    pub constructs: std::sync::Arc<HashMap<String, String>>,
    /// The template, parsed (once: the scan and nested-stack discovery share it).
    pub document: Node,
    /// The stack's region, from its environment (`aws://<account>/<region>`).
    pub region: Option<String>,
}

/// A line of the user's CDK code, from a creation stack trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// As the trace names it: absolute, or relative to the CDK project
    /// directory (the parent of the assembly).
    pub path: PathBuf,
    pub pos: Pos,
}

/// Whether a `manifest.json` text is a cloud assembly manifest.
pub fn is_manifest(text: &str) -> bool {
    text.contains("\"artifacts\"") && text.contains("\"version\"")
}

/// Every template of the assembly in `dir` (its `manifest.json`), with the
/// problems found on the way, as (file, diagnostic).
pub fn templates(dir: &Path, max_size: u64) -> (Vec<StackTemplate>, Vec<(PathBuf, Diagnostic)>) {
    let mut reader = Reader {
        root: dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
        max_size,
        templates: Vec::new(),
        problems: Vec::new(),
    };
    reader.assembly(dir, "", 0);
    (reader.templates, reader.problems)
}

/// Walks an assembly and its stage assemblies, collecting templates.
struct Reader {
    /// The outermost assembly directory, canonical: nothing outside is read.
    root: PathBuf,
    max_size: u64,
    templates: Vec<StackTemplate>,
    problems: Vec<(PathBuf, Diagnostic)>,
}

/// One `manifest.json` being read: where it is, for paths and diagnostics.
struct Manifest<'n> {
    dir: &'n Path,
    path: PathBuf,
    artifacts: &'n [crate::parse::Entry],
}

impl Reader {
    fn assembly(&mut self, dir: &Path, prefix: &str, depth: usize) {
        let path = dir.join("manifest.json");
        let Some(node) = load(&path, self.max_size, &mut self.problems) else {
            return;
        };
        let Some(artifacts) = node.get("artifacts").and_then(|a| a.value.as_map()) else {
            return;
        };
        let manifest = Manifest { dir, path, artifacts };
        for artifact in artifacts {
            let kind = artifact.value.get("type").and_then(|t| t.value.as_str());
            match kind {
                Some("aws:cloudformation:stack") => self.stack(&manifest, artifact, prefix),
                Some("cdk:cloud-assembly") => {
                    let Some(sub) = property(&artifact.value, "directoryName") else {
                        continue;
                    };
                    if depth >= MAX_NESTING {
                        let message = format!("stage assemblies nest deeper than {MAX_NESTING}");
                        self.problem(&manifest, artifact.value.span.start, message);
                        continue;
                    }
                    let Some(sub_dir) = self.inside(&manifest, sub, artifact.value.span.start) else {
                        continue;
                    };
                    let name = property(&artifact.value, "displayName").unwrap_or(&artifact.key);
                    self.assembly(&sub_dir, name, depth + 1);
                }
                _ => {}
            }
        }
    }

    /// A stack artifact: its template, its traces, its nested stacks.
    fn stack(&mut self, manifest: &Manifest<'_>, artifact: &crate::parse::Entry, prefix: &str) {
        let node = &artifact.value;
        let pos = node.span.start;
        let Some(path) = property(node, "templateFile").and_then(|f| self.inside(manifest, f, pos)) else {
            return;
        };
        let display = node
            .get("displayName")
            .and_then(|d| d.value.as_str())
            .unwrap_or(&artifact.key);
        let stack = if prefix.is_empty() || display.contains('/') {
            display.to_string()
        } else {
            format!("{prefix}/{display}")
        };
        let mut traces = HashMap::new();
        let mut constructs = HashMap::new();
        collect_traces(
            node.get("metadata").map(|m| &m.value),
            &mut traces,
            &mut constructs,
        );
        if let Some(extra) = node.get("additionalMetadataFile").and_then(|f| f.value.as_str())
            && let Some(extra_path) = self.inside(manifest, extra, pos)
            && let Some(extra) = load(&extra_path, self.max_size, &mut self.problems)
        {
            collect_traces(Some(&extra), &mut traces, &mut constructs);
        }
        let traces = std::sync::Arc::new(traces);
        let constructs = std::sync::Arc::new(constructs);
        let region = node
            .get("environment")
            .and_then(|e| e.value.as_str())
            .and_then(|env| env.rsplit('/').next())
            .filter(|r| !r.is_empty() && *r != "unknown-region")
            .map(str::to_string);
        let assets = self.asset_manifest(manifest, node);
        let Some(document) = load(&path, self.max_size, &mut self.problems) else {
            return;
        };
        let first = self.templates.len();
        self.templates.push(StackTemplate {
            path,
            stack,
            traces: traces.clone(),
            constructs: constructs.clone(),
            document,
            region: region.clone(),
        });
        // Nested stacks, and theirs in turn (each template is read once).
        let mut next = first;
        while next < self.templates.len() && self.templates.len() - first < MAX_NESTED_STACKS {
            for (file, stack) in nested_templates(&self.templates[next].document, assets.as_ref()) {
                if let Some(path) = self.inside(manifest, &file, pos)
                    && !self.templates[first..].iter().any(|t| t.path == path)
                    && let Some(document) = load(&path, self.max_size, &mut self.problems)
                {
                    self.templates.push(StackTemplate {
                        path,
                        stack,
                        traces: traces.clone(),
                        constructs: constructs.clone(),
                        document,
                        region: region.clone(),
                    });
                }
            }
            next += 1;
        }
    }

    /// The asset manifest (`<Stack>.assets.json`) a stack depends on.
    fn asset_manifest(&mut self, manifest: &Manifest<'_>, stack: &Node) -> Option<Node> {
        let dependencies = stack.get("dependencies")?.value.as_seq()?;
        let file = dependencies.iter().filter_map(Node::as_str).find_map(|name| {
            let artifact = &manifest.artifacts.iter().find(|a| a.key == name)?.value;
            (artifact.get("type")?.value.as_str()? == "cdk:asset-manifest")
                .then(|| property(artifact, "file"))
                .flatten()
        })?;
        let path = self.inside(manifest, file, stack.span.start)?;
        load(&path, self.max_size, &mut self.problems)
    }

    /// `name` (relative to the manifest's directory) when it lies inside the
    /// assembly; otherwise an error, and it is never read.
    fn inside(&mut self, manifest: &Manifest<'_>, name: &str, pos: Pos) -> Option<PathBuf> {
        let path = manifest.dir.join(name);
        // Whether a file outside exists is not told: where it leads decides first.
        let inside = crate::parse::resolve_path(&path).is_some_and(|real| real.starts_with(&self.root));
        if !inside {
            let message = format!("{name} is outside the cloud assembly; it is not read");
            self.problem(manifest, pos, message);
            return None;
        }
        match path.canonicalize() {
            Ok(_) => Some(path),
            Err(e) => {
                self.problem(manifest, pos, format!("{name}: {e}"));
                None
            }
        }
    }

    fn problem(&mut self, manifest: &Manifest<'_>, pos: Pos, message: String) {
        self.problems
            .push((manifest.path.clone(), Diagnostic::error(pos, message)));
    }
}

/// `properties.<key>` of an artifact, when it is a string.
fn property<'n>(artifact: &'n Node, key: &str) -> Option<&'n str> {
    artifact.get("properties")?.value.get(key)?.value.as_str()
}

fn load(path: &Path, max_size: u64, problems: &mut Vec<(PathBuf, Diagnostic)>) -> Option<Node> {
    let text = match read_source(path, max_size, |_| true) {
        Ok(Some(text)) => text,
        Ok(None) => return None,
        Err(d) => {
            problems.push((path.to_path_buf(), d));
            return None;
        }
    };
    match load_json(&text, Limits::default()) {
        Ok(node) => Some(node),
        Err(e) => {
            problems.push((path.to_path_buf(), e.into()));
            None
        }
    }
}

#[cfg(test)]
mod tests;
