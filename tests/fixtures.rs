//! The fixture harness: every check against every fixture, in CloudFormation
//! YAML and its JSON twin and in Terraform plan JSON, asserting each finding's
//! verdict and line; and the parity of verdicts across formats.
//!
//! `fixtures/<ID>/expect.yaml` maps each fixture stem to the findings expected
//! in it: `{resource, verdict, at, in?, conditional?}` (or a map with
//! `findings`, `params` and, for a pass fixture of a check that can only fail,
//! `vacuous: "why"`; for a deployment-scope check, `baseline: pass|fail|not_evaluable`,
//! the verdict concluded over the fixture), where `at` is the
//! property path the finding must point at ("" for the resource itself),
//! inside resource `in` when that is another resource (graph checks).
//! - `<stem>.yaml` is a CloudFormation template; its JSON twin `<stem>.json`
//!   is generated from it (run with `PREFLIGHT_UPDATE_FIXTURES=1` after editing).
//! - `<stem>.plan.json` is a Terraform plan (stem `<stem>.plan`); resources are
//!   addresses and `at` is an attribute path in `planned_values`.
//!
//! Terraform resources are named after the CloudFormation scenario they mirror
//! (`aws_cloudtrail.NoValidation` for `NoValidation`), which is how the parity
//! test pairs them.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use preflight::checks::Registry;
use preflight::diagnostics::Level;
use preflight::findings::Verdict;
use preflight::parse::{Limits, NodeKind, load_yaml};
use support::{hcl_line_of, line_of, load, plan_line_of, root, scan_with, to_json_text};

/// The format of a fixture stem: `fail` (CloudFormation), `fail.plan`, `fail.hcl`.
fn format_of(stem: &str) -> &'static str {
    if stem.ends_with(".plan") {
        "Terraform plan"
    } else if stem.ends_with(".hcl") {
        "Terraform HCL"
    } else {
        "CloudFormation"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    resource: String,
    verdict: String,
    line: u32,
    conditional: Option<String>,
    /// For a finding placed on the property a graph check left the judged
    /// resource through: the resource and line of the value that decided.
    cause: Option<(String, u32)>,
}

/// One expected finding as written in `expect.yaml`.
struct Entry {
    resource: String,
    verdict: String,
    at: String,
    inside: Option<String>,
    conditional: Option<String>,
    /// `cause: {in: Route, at: DestinationCidrBlock}`: the deciding value of a walk.
    cause: Option<(String, String)>,
}

/// The expectations of one fixture stem.
struct Stem {
    name: String,
    entries: Vec<Entry>,
    params: HashMap<String, String>,
    /// Why a pass fixture has nothing to pass (a check that fails every
    /// resource it applies to passes by their absence): `vacuous: "..."`.
    vacuous: Option<String>,
    /// The account-baseline verdict expected (deployment-scope checks).
    baseline: Option<String>,
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::Pass => "pass",
        Verdict::NotApplicable => "not_applicable",
    }
}

fn read_expectations(dir: &Path) -> Vec<Stem> {
    let text = std::fs::read_to_string(dir.join("expect.yaml")).expect("expect.yaml exists");
    let root = load_yaml(&text, Limits::default()).expect("expect.yaml is YAML");
    let mut out = Vec::new();
    for stem in root.as_map().expect("a mapping") {
        let mut params = HashMap::new();
        let text_field = |key: &str| {
            stem.value
                .get(key)
                .and_then(|v| v.value.as_str())
                .map(str::to_string)
        };
        let vacuous = text_field("vacuous");
        let baseline = text_field("baseline");
        let list = match &stem.value.kind {
            NodeKind::Seq(items) => items.clone(),
            NodeKind::Map(_) => {
                for e in stem
                    .value
                    .get("params")
                    .and_then(|p| p.value.as_map())
                    .unwrap_or(&[])
                {
                    params.insert(e.key.clone(), e.value.as_str().unwrap_or_default().to_string());
                }
                stem.value
                    .get("findings")
                    .and_then(|f| f.value.as_seq())
                    .map(<[_]>::to_vec)
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let entries = list
            .iter()
            .map(|item| {
                let field = |k: &str| item.get(k).and_then(|e| e.value.as_str()).map(str::to_string);
                Entry {
                    resource: field("resource").expect("resource"),
                    verdict: field("verdict").expect("verdict"),
                    at: field("at").unwrap_or_default(),
                    inside: field("in"),
                    conditional: field("conditional"),
                    cause: item.get("cause").map(|c| {
                        let part = |k: &str| {
                            c.value
                                .get(k)
                                .and_then(|e| e.value.as_str())
                                .unwrap_or_default()
                                .to_string()
                        };
                        (part("in"), part("at"))
                    }),
                }
            })
            .collect();
        out.push(Stem {
            name: stem.key.clone(),
            entries,
            params,
            vacuous,
            baseline,
        });
    }
    out
}

/// The fixture files (or module directories) of a stem.
fn fixture_files(dir: &Path, stem: &Stem, update: bool, check: &str) -> Vec<PathBuf> {
    if stem.name.ends_with(".plan") {
        return vec![dir.join(format!("{}.json", stem.name))];
    }
    if stem.name.ends_with(".hcl") {
        return vec![dir.join(&stem.name)];
    }
    let yaml = dir.join(format!("{}.yaml", stem.name));
    let json = dir.join(format!("{}.json", stem.name));
    let twin = to_json_text(&load(&yaml));
    if update {
        std::fs::write(&json, &twin).expect("write JSON twin");
    }
    let current = std::fs::read_to_string(&json).unwrap_or_default();
    assert_eq!(
        current, twin,
        "{check}: {}.json is stale; rerun with PREFLIGHT_UPDATE_FIXTURES=1",
        stem.name
    );
    vec![yaml, json]
}

/// Findings of one check on one fixture, as comparable entries.
fn findings(check: &str, path: &Path, stem: &Stem, failures: &mut Vec<String>) -> BTreeSet<Expected> {
    let (report, _) = scan_with(&[path.to_path_buf()], &[check], stem.params.clone());
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.diagnostic.level != Level::Error),
        "{check}: {} has input errors: {:?}",
        path.display(),
        report.diagnostics
    );
    assert_eq!(
        report.files.len(),
        1,
        "{check}: {} was not recognised",
        path.display()
    );
    let concluded = report
        .baseline
        .results
        .first()
        .map(|r| format!("{:?}", r.verdict));
    let concluded = concluded.map(|v| match v.as_str() {
        "NotEvaluable" => "not_evaluable".to_string(),
        other => other.to_lowercase(),
    });
    if concluded != stem.baseline {
        failures.push(format!(
            "{check} {}: account baseline {concluded:?}, expected {:?}",
            path.display(),
            stem.baseline
        ));
    }
    if stem.name.starts_with("pass") && report.tally.pass == 0 && stem.vacuous.is_none() {
        failures.push(format!(
            "{check} {}: a pass fixture where nothing passed",
            path.display()
        ));
    }
    report
        .findings
        .iter()
        .map(|f| Expected {
            resource: f.resource_id.clone(),
            verdict: verdict_name(f.verdict).to_string(),
            line: f.span.start.line,
            conditional: f.conditional.clone(),
            cause: match (&f.located_in, f.related.last()) {
                (None, Some(last)) => Some((last.resource_id.clone(), last.span.start.line)),
                _ => None,
            },
        })
        .collect()
}

#[test]
fn every_check_meets_its_fixtures() {
    let registry = Registry::builtin().expect("built-in checks load");
    let update = std::env::var_os("PREFLIGHT_UPDATE_FIXTURES").is_some();
    let only = std::env::var("PREFLIGHT_FIXTURE").ok();
    let mut failures = Vec::new();
    let mut cases = 0;
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
        let stems = read_expectations(&dir);
        for format in ["CloudFormation", "Terraform plan", "Terraform HCL"] {
            // A format that cannot express the check documents why instead.
            let family = if format == "CloudFormation" {
                "cloudformation"
            } else {
                "terraform"
            };
            if check.not_expressible.contains_key(family) {
                continue;
            }
            let of_format = |s: &&Stem| format_of(&s.name) == format;
            assert!(
                stems.iter().filter(of_format).any(|s| s.name.starts_with("fail"))
                    && stems.iter().filter(of_format).any(|s| s.name.starts_with("pass")),
                "{}: needs at least one fail* and one pass* fixture in {format}",
                check.id
            );
        }
        for stem in &stems {
            for path in fixture_files(&dir, stem, update, &check.id) {
                cases += 1;
                let document = (!path.is_dir()).then(|| load(&path));
                let expected: BTreeSet<Expected> = stem
                    .entries
                    .iter()
                    .map(|e| {
                        let line = |resource: &str, at: &str| match (format_of(&stem.name), &document) {
                            ("Terraform HCL", _) => hcl_line_of(&path, resource, at),
                            ("Terraform plan", Some(d)) => plan_line_of(d, resource, at),
                            (_, Some(d)) => line_of(d, resource, at),
                            _ => unreachable!("a file fixture"),
                        };
                        Expected {
                            resource: e.resource.clone(),
                            verdict: e.verdict.clone(),
                            // A baseline finding no resource decided: the top of the file.
                            line: if e.resource == preflight::scan::ACCOUNT_BASELINE {
                                1
                            } else {
                                line(e.inside.as_ref().unwrap_or(&e.resource), &e.at)
                            },
                            conditional: e.conditional.clone(),
                            cause: e.cause.as_ref().map(|(r, at)| (r.clone(), line(r, at))),
                        }
                    })
                    .collect();
                let actual = findings(&check.id, &path, stem, &mut failures);
                if actual != expected {
                    failures.push(format!(
                        "{} {}:\n  expected {expected:?}\n  actual   {actual:?}",
                        check.id,
                        path.strip_prefix(root()).unwrap_or(&path).display()
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

/// The same scenario gets the same verdict in every format: in fixtures of the
/// same stem (`fail.yaml`, `fail.plan.json`), a Terraform resource `aws_x.Name`
/// mirrors the CloudFormation resource `Name`.
#[test]
fn formats_agree_on_every_scenario() {
    let registry = Registry::builtin().expect("built-in checks load");
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for check in registry.checks() {
        let dir = root().join("fixtures").join(&check.id);
        let stems = read_expectations(&dir);
        let mut shared_any = false;
        let pairs = stems
            .iter()
            .filter(|s| format_of(&s.name) == "CloudFormation")
            .flat_map(|cfn| {
                ["plan", "hcl"]
                    .into_iter()
                    .filter_map(|suffix| stems.iter().find(|s| s.name == format!("{}.{suffix}", cfn.name)))
                    .map(move |tf| (cfn, tf))
            });
        for (cfn, plan) in pairs {
            // A resource without an expected finding passes (or is not applicable),
            // as `every_check_meets_its_fixtures` asserts.
            let verdicts = |stem: &Stem| -> BTreeMap<String, String> {
                let mut v: BTreeMap<String, String> = resource_names(&dir, stem)
                    .into_iter()
                    .map(|n| (n, "pass".to_string()))
                    .collect();
                for e in &stem.entries {
                    let name = e.resource.rsplit('.').next().unwrap_or(&e.resource).to_string();
                    v.insert(name, e.verdict.clone());
                }
                v
            };
            let (cf, tf) = (verdicts(cfn), verdicts(plan));
            for (scenario, cf_verdict) in &cf {
                let Some(tf_verdict) = tf.get(scenario) else {
                    continue;
                };
                shared_any = true;
                compared += 1;
                if cf_verdict != tf_verdict {
                    disagreements.push(format!(
                        "{} {}/{scenario}: CloudFormation {cf_verdict}, {} {tf_verdict}",
                        check.id,
                        cfn.name,
                        format_of(&plan.name)
                    ));
                }
            }
        }
        if !shared_any && check.not_expressible.is_empty() {
            disagreements.push(format!(
                "{}: no scenario shared between CloudFormation and Terraform",
                check.id
            ));
        }
    }
    assert!(compared > 100, "only {compared} scenarios compared");
    assert!(
        disagreements.is_empty(),
        "formats disagree:\n{}",
        disagreements.join("\n")
    );
}

/// The scenario names of a fixture: CloudFormation logical ids, or the name part of Terraform addresses.
fn resource_names(dir: &Path, stem: &Stem) -> Vec<String> {
    if stem.name.ends_with(".hcl") {
        let text = std::fs::read_to_string(dir.join(&stem.name).join("main.tf")).unwrap();
        let body = hcl_edit::parser::parse_body(&text).unwrap();
        return body
            .iter()
            .filter_map(|s| s.as_block())
            .filter_map(|b| b.labels.get(1).map(|l| l.as_str().to_string()))
            .collect();
    }
    if stem.name.ends_with(".plan") {
        let plan = load(&dir.join(format!("{}.json", stem.name)));
        let module = &plan
            .get("planned_values")
            .unwrap()
            .value
            .get("root_module")
            .unwrap()
            .value;
        return module
            .get("resources")
            .and_then(|r| r.value.as_seq())
            .unwrap_or(&[])
            .iter()
            .filter_map(|r| r.get("name").and_then(|n| n.value.as_str()).map(str::to_string))
            .collect();
    }
    let template = load(&dir.join(format!("{}.yaml", stem.name)));
    template
        .get("Resources")
        .and_then(|r| r.value.as_map())
        .unwrap_or(&[])
        .iter()
        .map(|e| e.key.clone())
        .collect()
}
