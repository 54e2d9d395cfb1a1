//! Runs the selected checks over a graph: one evaluation per check and
//! resource of the check's types.

use rayon::prelude::*;

use super::eval::{self, Hop, Rendered, Status, Values};
use super::registry::Registry;
use crate::findings::{Finding, Related, Tally, Verdict};
use crate::graph::{Deployment, Graph, ResourceId};
use crate::parse::Span;

/// What the checks concluded on one graph.
#[derive(Debug, Default)]
pub struct RunOutcome {
    /// The failing and unknown results of resource and graph checks.
    pub findings: Vec<Finding>,
    pub tally: Tally,
    /// Every verdict of the deployment-scope checks on this graph's resources
    /// (passes included): evidence for the account baseline, concluded once
    /// over the whole run by [`super::deployment::conclude`].
    pub evidence: Vec<Finding>,
    /// The verdicts of each check (indexed like the registry), for
    /// compliance summaries.
    pub by_check: Vec<Tally>,
    /// Without the account-baseline profile: how many resources are of the
    /// account-level types its checks read (a trail, a Config recorder), so
    /// the report can say the profile would judge them.
    pub account_level: usize,
}

/// Evaluates every check of `registry` on `graph`. Deployment-scope checks
/// run only when `baseline` is set (`--profile account-baseline`).
pub fn run_checks(registry: &Registry, graph: &Graph, baseline: bool) -> RunOutcome {
    let checks = 0..registry.checks().len();
    let run = |index| run_check(registry, index, graph, baseline);
    // Checks are independent: a large graph (a big plan) runs them on every
    // core; small ones stay on their unit's thread, already one of many.
    let runs: Vec<CheckRun> = if graph.resources().len() >= PARALLEL_FROM {
        checks.into_par_iter().map(run).collect()
    } else {
        checks.map(run).collect()
    };
    let mut out = RunOutcome::default();
    // Grown once: a big plan's findings run to tens of thousands.
    out.findings
        .reserve_exact(runs.iter().map(|r| r.findings.len()).sum());
    for run in runs {
        out.tally.add(run.tally);
        out.tally.skipped += run.skipped;
        out.by_check.push(run.tally);
        out.findings.extend(run.findings);
        out.evidence.extend(run.evidence);
        out.account_level += run.account_level;
    }
    out
}

/// Resources in a graph from which its checks run in parallel.
const PARALLEL_FROM: usize = 2_000;

/// What one check concluded on one graph.
#[derive(Default)]
struct CheckRun {
    tally: Tally,
    /// Resources not created with the given parameters.
    skipped: usize,
    findings: Vec<Finding>,
    evidence: Vec<Finding>,
    account_level: usize,
}

fn run_check(registry: &Registry, index: usize, graph: &Graph, baseline: bool) -> CheckRun {
    let mut out = CheckRun::default();
    let check = &registry.checks()[index];
    let deployment = check.is_deployment();
    if deployment && !baseline {
        out.account_level = check
            .resource_types
            .iter()
            .filter(|k| *k != "*")
            .map(|k| graph.of_kind(k).len())
            .sum();
        return out;
    }
    // `resource_types: ["*"]`: every resource and declaration.
    let all: Vec<usize>;
    let kinds: Vec<&[usize]> = if check.resource_types.iter().any(|k| k == "*") {
        all = (0..graph.resources().len()).collect();
        vec![&all]
    } else {
        check.resource_types.iter().map(|k| graph.of_kind(k)).collect()
    };
    let values = if check.redact_values {
        Values::Redacted
    } else {
        Values::Shown
    };
    for ids in kinds {
        for &res in ids {
            if let Deployment::Never { .. } = graph.resource(res).deployment {
                if !deployment {
                    out.skipped += 1;
                }
                continue;
            }
            let evaluation = eval::evaluate(&check.rule, graph, res, &check.params, values);
            let verdict = match evaluation.status {
                Status::Pass => Verdict::Pass,
                Status::Fail => Verdict::Fail,
                Status::Unknown => Verdict::Unknown,
                Status::Skip => Verdict::NotApplicable,
            };
            if deployment {
                if verdict != Verdict::NotApplicable {
                    out.evidence
                        .push(finding(registry, index, graph, res, verdict, evaluation));
                }
                continue;
            }
            out.tally.count(verdict);
            if matches!(verdict, Verdict::Fail | Verdict::Unknown) {
                out.findings
                    .push(finding(registry, index, graph, res, verdict, evaluation));
            }
        }
    }
    out
}

/// The result of check `index` on resource `res`, located at its evidence.
fn finding(
    registry: &Registry,
    index: usize,
    graph: &Graph,
    res: ResourceId,
    verdict: Verdict,
    evaluation: eval::Evaluation,
) -> Finding {
    let check = &registry.checks()[index];
    let resource = graph.resource(res);
    let place = match evaluation.evidence {
        Some(e) if verdict != Verdict::Pass => Place::of(graph, res, e),
        _ => Place {
            span: resource.span,
            message: check.title.clone(),
            located_in: None,
            related: Vec::new(),
        },
    };
    let Place {
        span,
        mut message,
        located_in,
        related,
    } = place;
    // A resource SAM generates is named by the one the user wrote.
    if let Some(written) = &resource.generated_from {
        let what = resource.kind.rsplit("::").next().unwrap_or(&resource.kind);
        message = format!("the {what} SAM creates for {written}: {message}");
    }
    Finding {
        check: index,
        check_id: check.id.clone(),
        severity: check.severity,
        verdict,
        file: span.file as usize,
        span,
        resource_id: resource.id.clone(),
        resource_type: resource.kind.clone(),
        source_type: resource.source_kind.clone(),
        generated_from: resource.generated_from.clone(),
        resource_file: resource.span.file as usize,
        message,
        conditional: evaluation.conditional,
        cdk: None,
        resource_start: resource.span.start,
        suppression: crate::suppress::metadata::suppression(resource, check).map(Box::new),
        region: None,
        located_in,
        related,
        // Passes are not told how to fix them.
        fix: match (verdict, resource.mapping) {
            (Verdict::Fail | Verdict::Unknown, Some(mapping)) => match mapping.speak(&check.remediation.text)
            {
                std::borrow::Cow::Owned(spoken) => Some(spoken),
                std::borrow::Cow::Borrowed(_) => None,
            },
            _ => None,
        },
    }
}

/// Where a finding sits, what it says, and what else explains it.
struct Place {
    span: Span,
    message: String,
    located_in: Option<String>,
    related: Vec<Related>,
}

impl Place {
    /// Places a finding of resource `res` by its evidence. Evidence in the
    /// judged resource is the place. A walk that left the judged resource
    /// through one of its properties (a database's `DBSubnetGroupName`)
    /// sits on that property, with the resources walked through and the
    /// deciding value as related locations. Evidence in a resource that
    /// points at the judged one (its policy) or was found by type sits
    /// there — that is what the user edits — with the judged resource
    /// related.
    fn of(graph: &Graph, res: ResourceId, evidence: Rendered) -> Place {
        let judged = graph.resource(res);
        let hop = |h: &Hop| {
            let r = graph.resource(h.resource);
            related(h.span, &r.id, described(r))
        };
        let judged_related = || {
            related(
                judged.span,
                &judged.id,
                format!("the judged resource, {}", described(judged)),
            )
        };
        // The resources walked through between the judged one and the evidence.
        let through = || {
            let between: Vec<&str> = evidence
                .trail
                .iter()
                .skip(1)
                .map(|h| graph.resource(h.resource).id.as_str())
                .collect();
            match between.as_slice() {
                [] => String::new(),
                _ => format!(" (through {})", between.join(" -> ")),
            }
        };
        match evidence.trail.first() {
            _ if evidence.resource == res => match joined_at(judged, evidence.span) {
                // A value a joined configuration resource sets: fixed there.
                Some(config) => Place {
                    span: evidence.span,
                    message: evidence.message,
                    located_in: Some(config.id.clone()),
                    related: vec![judged_related()],
                },
                None => Place {
                    span: evidence.span,
                    message: evidence.message,
                    located_in: None,
                    related: Vec::new(),
                },
            },
            Some(first) if first.by_property && first.resource == res => {
                let mut walked: Vec<Related> = evidence.trail[1..].iter().map(hop).collect();
                let deciding = graph.resource(evidence.resource);
                let (id, label) = match joined_at(deciding, evidence.span) {
                    Some(config) => (&config.id, config.id.clone()),
                    None => (&deciding.id, described(deciding)),
                };
                walked.push(related(
                    evidence.span,
                    id,
                    format!("{label}: {}", evidence.detail),
                ));
                Place {
                    span: first.span,
                    message: format!("{}{}", evidence.message, through()),
                    located_in: None,
                    related: walked,
                }
            }
            _ => {
                let mut walked = vec![judged_related()];
                walked.extend(evidence.trail.iter().skip(1).map(hop));
                Place {
                    span: evidence.span,
                    message: format!("{}{}", evidence.detail, through()),
                    located_in: Some(written_by(graph.resource(evidence.resource), evidence.span).clone()),
                    related: walked,
                }
            }
        }
    }
}

/// The address of what the user wrote `span` in: a configuration resource
/// joined into `resource`, or `resource` itself.
fn written_by(resource: &crate::graph::Resource, span: Span) -> &String {
    joined_at(resource, span).map_or(&resource.id, |c| &c.id)
}

/// The configuration resource joined into `resource` that wrote `span`.
fn joined_at(resource: &crate::graph::Resource, span: Span) -> Option<&crate::graph::Joined> {
    resource.joined.iter().find(|j| j.extent.contains(span))
}

fn related(span: Span, resource_id: &str, message: String) -> Related {
    Related {
        file: span.file as usize,
        span,
        resource_id: resource_id.to_string(),
        message,
    }
}

/// A resource as a reader knows it: `AWS::EC2::Subnet PublicA`, or a
/// Terraform address alone (it names the type already).
fn described(resource: &crate::graph::Resource) -> String {
    if resource.source_kind.is_some() {
        resource.id.clone()
    } else {
        format!("{} {}", resource.kind, resource.id)
    }
}
