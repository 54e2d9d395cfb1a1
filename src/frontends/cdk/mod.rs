//! CDK cloud assemblies (`cdk.out/`): which templates `manifest.json` names
//! (stacks, stage assemblies, nested stacks), and what maps a template
//! resource back to the user's code (construct paths, creation stack traces).
//! Templates are then scanned like any CloudFormation JSON. Nothing outside
//! the assembly directory is ever read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::parse::{Limits, Node, Pos, load_json, read_source};

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
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    read_assembly(&root, dir, "", 0, max_size, &mut out, &mut problems);
    (out, problems)
}

fn read_assembly(
    root: &Path,
    dir: &Path,
    prefix: &str,
    depth: usize,
    max_size: u64,
    out: &mut Vec<StackTemplate>,
    problems: &mut Vec<(PathBuf, Diagnostic)>,
) {
    let manifest_path = dir.join("manifest.json");
    let Some(manifest) = load(&manifest_path, max_size, problems) else {
        return;
    };
    let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.value.as_map()) else {
        return;
    };
    for artifact in artifacts {
        let node = &artifact.value;
        let kind = node
            .get("type")
            .and_then(|t| t.value.as_str())
            .unwrap_or_default();
        let property = |key: &str| {
            node.get("properties")
                .and_then(|p| p.value.get(key))
                .and_then(|v| v.value.as_str())
        };
        let inside = |name: &str, pos: Pos, problems: &mut Vec<(PathBuf, Diagnostic)>| {
            let path = dir.join(name);
            match path.canonicalize() {
                Ok(real) if real.starts_with(root) => Some(path),
                Ok(_) => {
                    problems.push((
                        manifest_path.clone(),
                        Diagnostic::error(
                            pos,
                            format!("{name} is outside the cloud assembly; it is not read"),
                        ),
                    ));
                    None
                }
                Err(e) => {
                    problems.push((
                        manifest_path.clone(),
                        Diagnostic::error(pos, format!("{name}: {e}")),
                    ));
                    None
                }
            }
        };
        match kind {
            "aws:cloudformation:stack" => {
                let Some(file) = property("templateFile") else {
                    continue;
                };
                let Some(path) = inside(file, node.span.start, problems) else {
                    continue;
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
                collect_traces(node.get("metadata").map(|m| &m.value), &mut traces);
                if let Some(extra) = node.get("additionalMetadataFile").and_then(|f| f.value.as_str())
                    && let Some(extra_path) = inside(extra, node.span.start, problems)
                    && let Some(extra) = load(&extra_path, max_size, problems)
                {
                    collect_traces(Some(&extra), &mut traces);
                }
                let traces = std::sync::Arc::new(traces);
                let first_nested = out.len() + 1;
                out.push(StackTemplate { path, stack, traces });
                // Nested stacks, and theirs in turn (each template is read once).
                let mut next = first_nested - 1;
                while next < out.len() && out.len() - first_nested < MAX_NESTED_STACKS {
                    for (name, construct) in nested_templates(&out[next].path, max_size, problems) {
                        if let Some(path) = inside(&name, node.span.start, problems)
                            && !out.iter().any(|t| t.path == path)
                        {
                            out.push(StackTemplate {
                                path,
                                stack: construct,
                                traces: out[first_nested - 1].traces.clone(),
                            });
                        }
                    }
                    next += 1;
                }
            }
            "cdk:cloud-assembly" => {
                let Some(sub) = property("directoryName") else {
                    continue;
                };
                if depth >= MAX_NESTING {
                    problems.push((
                        manifest_path.clone(),
                        Diagnostic::error(
                            node.span.start,
                            format!("stage assemblies nest deeper than {MAX_NESTING}"),
                        ),
                    ));
                    continue;
                }
                let Some(sub_dir) = inside(sub, node.span.start, problems) else {
                    continue;
                };
                let name = property("displayName").unwrap_or(&artifact.key).to_string();
                read_assembly(root, &sub_dir, &name, depth + 1, max_size, out, problems);
            }
            _ => {}
        }
    }
}

/// The nested-stack templates a template declares (`aws:asset:path` of its
/// `AWS::CloudFormation::Stack` resources), with their construct paths.
/// Nested stacks of nested stacks are found when those are read in turn.
fn nested_templates(
    template: &Path,
    max_size: u64,
    problems: &mut Vec<(PathBuf, Diagnostic)>,
) -> Vec<(String, String)> {
    let Some(node) = load(template, max_size, problems) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in node
        .get("Resources")
        .and_then(|r| r.value.as_map())
        .unwrap_or(&[])
    {
        let resource = &entry.value;
        if resource.get("Type").and_then(|t| t.value.as_str()) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let metadata = resource.get("Metadata").map(|m| &m.value);
        let asset = metadata
            .and_then(|m| m.get("aws:asset:path"))
            .and_then(|p| p.value.as_str());
        let Some(asset) = asset.filter(|a| a.ends_with(".json")) else {
            continue;
        };
        let construct = metadata
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(|p| p.value.as_str())
            .unwrap_or(&entry.key);
        // `App/Network.NestedStack/Network.NestedStackResource` -> `App/Network`.
        let stack = construct.split(".NestedStack").next().unwrap_or(construct);
        out.push((asset.to_string(), stack.to_string()));
    }
    out
}

/// Construct path -> first user frame of its `aws:cdk:creationStack` (or, in
/// older assemblies, the `trace` of its metadata entries).
fn collect_traces(metadata: Option<&Node>, traces: &mut HashMap<String, SourceLine>) {
    for entry in metadata.and_then(Node::as_map).unwrap_or(&[]) {
        let path = entry.key.trim_start_matches('/').to_string();
        for item in entry.value.as_seq().unwrap_or(&[]) {
            let frames = match item.get("type").and_then(|t| t.value.as_str()) {
                Some("aws:cdk:creationStack") => item.get("data"),
                _ => item.get("trace"),
            };
            let line = frames
                .and_then(|f| f.value.as_seq())
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::as_str)
                .find_map(user_frame);
            if let Some(line) = line {
                traces.entry(path.clone()).or_insert(line);
                break;
            }
        }
    }
}

/// `new AppStack (app/app.js:22:5)` or `at /x/app.ts:3:1` -> the file and
/// position, unless the frame is library or runtime code.
fn user_frame(frame: &str) -> Option<SourceLine> {
    let frame = frame.trim().trim_start_matches("at ");
    if frame.starts_with("...") || frame.contains("node_modules") || frame.contains("node:") {
        return None;
    }
    let location = match (frame.rfind('('), frame.ends_with(')')) {
        (Some(open), true) => &frame[open + 1..frame.len() - 1],
        _ => frame,
    };
    let mut parts = location.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some(SourceLine {
        path: PathBuf::from(file),
        pos: Pos { line, col },
    })
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
mod tests {
    use super::*;

    #[test]
    fn user_frames_skip_library_and_runtime_code() {
        assert_eq!(
            user_frame("new AppStack (app/app.js:22:5)"),
            Some(SourceLine {
                path: "app/app.js".into(),
                pos: Pos { line: 22, col: 5 }
            })
        );
        assert!(user_frame("...new Key2 in aws-cdk-lib...").is_none());
        assert!(user_frame("    at Object.<anonymous> (/p/node_modules/x.js:1:1)").is_none());
        assert_eq!(
            user_frame("    at /home/u/app.ts:3:1").map(|s| s.pos.line),
            Some(3)
        );
    }
}
