//! Runs the selected checks over a graph: one evaluation per check and
//! resource of the check's types.

use super::eval::{self, Status};
use super::registry::Registry;
use crate::findings::{Finding, Tally, Verdict};
use crate::graph::{Deployment, Graph};

/// Evaluates every check of `registry` on `graph`; returns the failing and
/// unknown results as findings, and counts every verdict.
pub fn run_checks(registry: &Registry, graph: &Graph) -> (Vec<Finding>, Tally) {
    let mut findings = Vec::new();
    let mut tally = Tally::default();
    for (index, check) in registry.checks().iter().enumerate() {
        for kind in &check.resource_types {
            for &res in graph.of_kind(kind) {
                let resource = graph.resource(res);
                if let Deployment::Never { .. } = resource.deployment {
                    tally.skipped += 1;
                    continue;
                }
                let evaluation = eval::evaluate(&check.rule, graph, res, &check.params);
                let verdict = match evaluation.status {
                    Status::Pass => Verdict::Pass,
                    Status::Fail => Verdict::Fail,
                    Status::Unknown => Verdict::Unknown,
                    Status::Skip => Verdict::NotApplicable,
                };
                tally.count(verdict);
                if !matches!(verdict, Verdict::Fail | Verdict::Unknown) {
                    continue;
                }
                let (span, file, message) = match evaluation.evidence {
                    Some(e) => (e.span, e.span.file as usize, e.message),
                    None => (resource.span, resource.span.file as usize, check.title.clone()),
                };
                findings.push(Finding {
                    check: index,
                    check_id: check.id.clone(),
                    severity: check.severity,
                    verdict,
                    file,
                    span,
                    resource_id: resource.id.clone(),
                    resource_type: resource.kind.clone(),
                    source_type: resource.source_kind.clone(),
                    resource_file: resource.span.file as usize,
                    message,
                    conditional: evaluation.conditional,
                    cdk: None,
                    resource_start: resource.span.start,
                    suppression: crate::suppress::metadata::suppression(resource, check),
                });
            }
        }
    }
    (findings, tally)
}
