//! Compliance frameworks (`checks/frameworks/*.yaml`): the controls of CIS AWS
//! Foundations v1.2, Security Hub and Well-Architected, and the compliance
//! summary of a scan — one row per control, decided by the checks that cite
//! it, with the controls no pre-deploy scan can decide listed as such.

use super::Registry;
use super::deployment::{Baseline, BaselineVerdict};
use super::registry::BUILTIN_FRAMEWORKS;
use crate::findings::Tally;
use crate::parse::{Limits, load_yaml};

/// A framework and its controls, in the framework's order.
#[derive(Debug, Clone)]
pub struct Framework {
    /// The key checks cite it by (`cis-aws-1.2`).
    pub id: String,
    pub title: String,
    pub controls: Vec<Control>,
}

/// One control of a framework.
#[derive(Debug, Clone)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// Why a pre-deploy scan cannot decide it (runtime state, root account,
    /// organisational process), when it cannot.
    pub not_checkable: Option<String>,
}

impl Framework {
    /// The built-in framework `id`, or an error listing the known ones.
    pub fn builtin(id: &str) -> Result<Framework, String> {
        Self::all()
            .into_iter()
            .find(|f| f.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| {
                let known: Vec<String> = Self::all().into_iter().map(|f| f.id).collect();
                format!("unknown framework {id} (known: {})", known.join(", "))
            })
    }

    /// Every built-in framework.
    pub fn all() -> Vec<Framework> {
        BUILTIN_FRAMEWORKS
            .iter()
            .map(|(path, text)| Self::from_yaml(text).unwrap_or_else(|e| panic!("{path}: {e}")))
            .collect()
    }

    fn from_yaml(text: &str) -> Result<Framework, String> {
        let root = load_yaml(text, Limits::default()).map_err(|e| format!("{}: {}", e.pos, e.message))?;
        let text_of = |node: &crate::parse::Node, key: &str| {
            node.get(key).and_then(|e| e.value.as_str()).map(str::to_string)
        };
        let controls = root
            .get("controls")
            .and_then(|c| c.value.as_seq())
            .ok_or("no controls")?
            .iter()
            .map(|c| {
                Ok(Control {
                    id: text_of(c, "id").ok_or("a control without id")?,
                    title: text_of(c, "title").unwrap_or_default(),
                    not_checkable: text_of(c, "not_checkable"),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Framework {
            id: text_of(&root, "id").ok_or("no id")?,
            title: text_of(&root, "title").unwrap_or_default(),
            controls,
        })
    }

    /// The ids of the checks of `registry` that cite `control`.
    pub fn checks_of(&self, registry: &Registry, control: &str) -> Vec<usize> {
        registry
            .checks()
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.frameworks
                    .get(&self.id)
                    .is_some_and(|ids| ids.iter().any(|i| i == control))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where a control or a check stands after a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Fail,
    Unknown,
    /// A deployment-scope check, and the profile was off.
    Skipped,
    Pass,
    /// Nothing the checks apply to was scanned.
    NotApplicable,
    /// Only runtime state or process can decide it.
    NotCheckable,
    /// No check of this version of preflight covers it yet.
    NotCovered,
}

impl Status {
    /// The upper-case label reports show.
    pub fn label(self) -> &'static str {
        match self {
            Status::Fail => "FAIL",
            Status::Unknown => "UNKNOWN",
            Status::Skipped => "SKIPPED",
            Status::Pass => "PASS",
            Status::NotApplicable => "NOT_APPLICABLE",
            Status::NotCheckable => "NOT_CHECKABLE",
            Status::NotCovered => "NOT_COVERED",
        }
    }
}

/// One row of the compliance summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ControlRow {
    pub control: String,
    pub title: String,
    pub status: Status,
    /// The checks that decide it, with their own status.
    pub checks: Vec<(String, Status)>,
    /// Why (part of) the control is not checkable before deploy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_checkable: Option<String>,
}

/// The compliance summary of a scan against one framework.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Compliance {
    pub framework: String,
    pub title: String,
    pub controls: Vec<ControlRow>,
}

impl Compliance {
    /// Builds the summary from the per-check verdict counts of the scan
    /// (`by_check`, indexed like the registry) and the baseline results.
    pub fn new(
        framework: &Framework,
        registry: &Registry,
        by_check: &[Tally],
        baseline: &Baseline,
    ) -> Compliance {
        let check_status = |index: usize| -> Status {
            let check = &registry.checks()[index];
            if check.is_deployment() {
                return match baseline.results.iter().find(|r| r.check == index) {
                    None => Status::Skipped,
                    Some(r) => match r.verdict {
                        BaselineVerdict::Pass | BaselineVerdict::Waived => Status::Pass,
                        BaselineVerdict::Fail => Status::Fail,
                        BaselineVerdict::NotEvaluable => Status::Unknown,
                    },
                };
            }
            let t = by_check.get(index).copied().unwrap_or_default();
            if t.fail > 0 {
                Status::Fail
            } else if t.unknown > 0 {
                Status::Unknown
            } else if t.pass > 0 {
                Status::Pass
            } else {
                Status::NotApplicable
            }
        };
        let controls = framework
            .controls
            .iter()
            .map(|control| {
                let checks: Vec<(String, Status)> = framework
                    .checks_of(registry, &control.id)
                    .into_iter()
                    .map(|i| (registry.checks()[i].id.clone(), check_status(i)))
                    .collect();
                let status = match checks.iter().map(|(_, s)| *s).min() {
                    Some(worst) => worst,
                    None if control.not_checkable.is_some() => Status::NotCheckable,
                    None => Status::NotCovered,
                };
                ControlRow {
                    control: control.id.clone(),
                    title: control.title.clone(),
                    status,
                    checks,
                    not_checkable: control.not_checkable.clone(),
                }
            })
            .collect();
        Compliance {
            framework: framework.id.clone(),
            title: framework.title.clone(),
            controls,
        }
    }

    /// How many controls have each status, in the order of [`Status`].
    pub fn counts(&self) -> Vec<(Status, usize)> {
        let mut counts: Vec<(Status, usize)> = Vec::new();
        for row in &self.controls {
            match counts.iter_mut().find(|(s, _)| *s == row.status) {
                Some((_, n)) => *n += 1,
                None => counts.push((row.status, 1)),
            }
        }
        counts.sort();
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_frameworks_load_and_every_cited_control_exists() {
        let registry = Registry::builtin().unwrap();
        for framework in Framework::all() {
            assert!(!framework.controls.is_empty(), "{}", framework.id);
            for check in registry.checks() {
                for control in check.frameworks.get(&framework.id).into_iter().flatten() {
                    assert!(
                        framework.controls.iter().any(|c| c.id == *control),
                        "{} cites {} {control}, which checks/frameworks/{}.yaml lacks",
                        check.id,
                        framework.id,
                        framework.id
                    );
                }
            }
        }
        assert!(Framework::builtin("nope").unwrap_err().contains("cis-aws-1.2"));
    }

    #[test]
    fn a_control_is_as_bad_as_its_worst_check_and_runtime_controls_say_why() {
        let registry = Registry::builtin().unwrap();
        let cis = Framework::builtin("cis-aws-1.2").unwrap();
        let mut by_check = vec![Tally::default(); registry.checks().len()];
        let ct01 = registry.checks().iter().position(|c| c.id == "PF-CT-01").unwrap();
        by_check[ct01].fail = 1;
        let summary = Compliance::new(&cis, &registry, &by_check, &Baseline::default());
        let row = |id: &str| summary.controls.iter().find(|r| r.control == id).unwrap();
        // 2.1 = PF-CT-01 (failed) + PF-CT-02 (deployment, profile off).
        assert_eq!(row("2.1").status, Status::Fail);
        assert_eq!(row("1.13").status, Status::NotCheckable);
        assert!(row("1.13").not_checkable.as_deref().unwrap().contains("IaC"));
        assert_eq!(row("2.2").status, Status::NotApplicable);
        assert_eq!(summary.controls.len(), 49);
    }
}
