//! The fixture harness: every check against every fixture, in CloudFormation
//! YAML and its JSON twin, asserting each finding's verdict and line.
//!
//! `fixtures/<ID>/expect.yaml` maps each fixture stem to the findings expected
//! in it: `{resource, verdict, at, in?, conditional?}`, where `at` is the
//! property path the finding must point at ("" for the resource itself),
//! inside resource `in` when that is another resource (graph checks). The JSON twin
//! `<stem>.json` is generated from `<stem>.yaml`; run with
//! `PREFLIGHT_UPDATE_FIXTURES=1` to regenerate it after editing the YAML.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use preflight::checks::Registry;
use preflight::findings::Verdict;
use preflight::parse::{Limits, NodeKind, load_yaml};
use support::{line_of, load, root, scan_with, to_json_text};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    resource: String,
    verdict: String,
    line: u32,
    conditional: Option<String>,
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::Pass => "pass",
        Verdict::NotApplicable => "not_applicable",
    }
}

/// Reads `expect.yaml`: stem -> (expected entries, parameters).
type Entry = (String, String, String, Option<String>, Option<String>);

fn read_expectations(dir: &Path) -> Vec<(String, Vec<Entry>, HashMap<String, String>)> {
    let text = std::fs::read_to_string(dir.join("expect.yaml")).expect("expect.yaml exists");
    let root = load_yaml(&text, Limits::default()).expect("expect.yaml is YAML");
    let mut out = Vec::new();
    for stem in root.as_map().expect("a mapping") {
        let mut entries = Vec::new();
        let mut params = HashMap::new();
        let list = match &stem.value.kind {
            NodeKind::Seq(items) => items.clone(),
            NodeKind::Map(_) => {
                if let Some(p) = stem
                    .value
                    .get("params")
                    .and_then(|p| p.value.as_map().map(|m| m.to_vec()))
                {
                    for e in p {
                        params.insert(
                            e.key.clone(),
                            e.value.as_str().map(str::to_string).unwrap_or_default(),
                        );
                    }
                }
                match stem.value.get("findings").map(|f| &f.value.kind) {
                    Some(NodeKind::Seq(items)) => items.clone(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        for item in list {
            let field = |k: &str| item.get(k).and_then(|e| e.value.as_str()).map(str::to_string);
            entries.push((
                field("resource").expect("resource"),
                field("verdict").expect("verdict"),
                field("at").unwrap_or_default(),
                field("conditional"),
                field("in"),
            ));
        }
        out.push((stem.key.clone(), entries, params));
    }
    out
}

#[test]
fn every_check_meets_its_fixtures_in_yaml_and_json() {
    let registry = Registry::builtin().expect("built-in checks load");
    let update = std::env::var_os("PREFLIGHT_UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    let mut cases = 0;
    let only = std::env::var("PREFLIGHT_FIXTURE").ok();
    for check in registry.checks() {
        if only.as_ref().is_some_and(|o| *o != check.id) {
            continue;
        }
        let dir = root().join("fixtures").join(&check.id);
        assert!(
            dir.join("expect.yaml").exists(),
            "{}: fixtures/{}/expect.yaml is missing",
            check.id,
            check.id
        );
        let expectations = read_expectations(&dir);
        let stems: BTreeSet<&str> = expectations.iter().map(|(s, _, _)| s.as_str()).collect();
        assert!(
            stems.iter().any(|s| s.starts_with("fail")) && stems.iter().any(|s| s.starts_with("pass")),
            "{}: needs at least one fail* and one pass* fixture",
            check.id
        );
        for (stem, entries, params) in &expectations {
            let yaml_path = dir.join(format!("{stem}.yaml"));
            let json_path = dir.join(format!("{stem}.json"));
            let twin = to_json_text(&load(&yaml_path));
            if update {
                std::fs::write(&json_path, &twin).expect("write JSON twin");
            }
            let current = std::fs::read_to_string(&json_path).unwrap_or_default();
            assert_eq!(
                current, twin,
                "{}: {stem}.json is stale; rerun with PREFLIGHT_UPDATE_FIXTURES=1",
                check.id
            );
            for path in [&yaml_path, &json_path] {
                cases += 1;
                let document = load(path);
                let expected: BTreeSet<Expected> = entries
                    .iter()
                    .map(|(resource, verdict, at, conditional, inside)| Expected {
                        resource: resource.clone(),
                        verdict: verdict.clone(),
                        line: line_of(&document, inside.as_ref().unwrap_or(resource), at),
                        conditional: conditional.clone(),
                    })
                    .collect();
                let (report, _) = scan_with(std::slice::from_ref(path), &[&check.id], params.clone());
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .all(|d| d.diagnostic.level != preflight::diagnostics::Level::Error),
                    "{}: {} has input errors: {:?}",
                    check.id,
                    path.display(),
                    report.diagnostics
                );
                let actual: BTreeSet<Expected> = report
                    .findings
                    .iter()
                    .map(|f| Expected {
                        resource: f.resource_id.clone(),
                        verdict: verdict_name(f.verdict).to_string(),
                        line: f.span.start.line,
                        conditional: f.conditional.clone(),
                    })
                    .collect();
                if actual != expected {
                    let messages: Vec<String> = report
                        .findings
                        .iter()
                        .map(|f| format!("{}@{}: {}", f.resource_id, f.span.start.line, f.message))
                        .collect();
                    failures.push(format!(
                        "{} {}:\n  expected {expected:?}\n  actual   {actual:?}\n  messages {messages:?}",
                        check.id,
                        path.strip_prefix(root()).unwrap_or(path).display()
                    ));
                }
                if stem.starts_with("pass") && report.tally.pass == 0 {
                    failures.push(format!(
                        "{} {}: a pass fixture where nothing passed",
                        check.id,
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} fixture runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
