//! What a run could not see, said once for the whole run: Terraform
//! resources no adapter lifts although checks would read them, and CDK apps
//! whose cloud assembly was not scanned.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{ScanReport, SkipReason, display_path};
use crate::diagnostics::{Level, Notice};
use crate::discover::{Candidate, Syntax};

/// The notices of a run, from its merged report and its candidates.
pub(super) fn of_run(report: &ScanReport, candidates: &[Candidate], max_file_size: u64) -> Vec<Notice> {
    let mut notices: Vec<Notice> = unlifted(report).into_iter().collect();
    notices.extend(unsynthesized_apps(candidates, max_file_size));
    notices
}

/// A warning for each `--var` (or `[terraform] vars` entry) that no scanned
/// Terraform module declares: a misspelt name would otherwise leave the
/// variable at its default without a word.
pub(super) fn undeclared_vars(given: &HashMap<String, String>, declared: &[String]) -> Vec<Notice> {
    let mut undeclared: Vec<&String> = given.keys().filter(|name| !declared.contains(name)).collect();
    undeclared.sort();
    undeclared
        .into_iter()
        .map(|name| Notice {
            level: Level::Warning,
            message: format!(
                "--var {name}: no scanned Terraform module declares a variable \"{name}\"; the value is not used"
            ),
        })
        .collect()
}

/// One line for every resource skipped for want of an adapter: which
/// Terraform types, how many resources, and the checks that missed them.
fn unlifted(report: &ScanReport) -> Option<Notice> {
    let mut by_type: BTreeMap<(&str, &str), (usize, Vec<&str>)> = BTreeMap::new();
    for skipped in &report.skipped_resources {
        if let SkipReason::NoAdapter { counterpart, checks } = &skipped.reason {
            let (count, readers) = by_type.entry((&skipped.kind, counterpart)).or_default();
            *count += 1;
            readers.extend(checks.iter().map(String::as_str));
        }
    }
    if by_type.is_empty() {
        return None;
    }
    let total: usize = by_type.values().map(|(count, _)| count).sum();
    let types: Vec<String> = by_type
        .into_iter()
        .map(|((tf_type, counterpart), (count, mut readers))| {
            readers.sort_unstable();
            readers.dedup();
            let noun = if count == 1 { "resource" } else { "resources" };
            format!(
                "{tf_type} ({count} {noun}; {counterpart} for {})",
                readers.join(", ")
            )
        })
        .collect();
    Some(Notice {
        level: Level::Warning,
        message: format!(
            "{total} Terraform resource(s) not checked: no adapter reads their types yet, though checks of this run read their CloudFormation counterparts: {}",
            types.join(", ")
        ),
    })
}

/// A hint for each CDK app (a directory with `cdk.json`) none of whose cloud
/// assemblies was scanned: synthesize it, or point at the assembly.
fn unsynthesized_apps(candidates: &[Candidate], max_file_size: u64) -> Vec<Notice> {
    let assemblies: Vec<&Path> = candidates
        .iter()
        .filter(|c| c.syntax == Syntax::CdkAssembly)
        .map(|c| c.path.as_path())
        .collect();
    let mut apps: Vec<&Path> = candidates
        .iter()
        .filter(|c| c.path.file_name().is_some_and(|n| n == "cdk.json"))
        .filter_map(|c| c.path.parent())
        .filter(|app| !assemblies.iter().any(|a| a.starts_with(app)))
        .collect();
    apps.dedup();
    apps.into_iter()
        .map(|app| {
            let shown = |path: &Path| match display_path(path) {
                empty if empty.is_empty() => ".".to_string(),
                shown => shown,
            };
            let assembly = crate::discover::assembly_dir(app, max_file_size);
            let message = if assembly.join("manifest.json").is_file() {
                format!(
                    "{} is a CDK app whose cloud assembly {} was not scanned (an exclude in the config file hides it): scan it with `preflight scan {}`",
                    shown(app),
                    shown(&assembly),
                    shown(&assembly)
                )
            } else {
                format!(
                    "{} is a CDK app (cdk.json) without a cloud assembly: run `cdk synth` there and scan {}, or point preflight at the assembly directory",
                    shown(app),
                    shown(&assembly)
                )
            };
            Notice {
                level: Level::Note,
                message,
            }
        })
        .collect()
}
