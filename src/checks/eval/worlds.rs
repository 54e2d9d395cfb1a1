//! Evaluating a rule in every world of the undecidable conditions it meets.
//!
//! Per `catalog.md` section 3: a FAIL in any world is a finding (marked
//! conditional, naming the assumptions); PASS needs every world to pass;
//! otherwise UNKNOWN. Worlds are discovered lazily, so a rule that meets no
//! undecidable condition is evaluated exactly once.

use std::collections::HashMap;

use typed_arena::Arena;

use super::Ctx;
use super::outcome::{self, Status};
use crate::checks::lang::ast::Rule;
use crate::graph::{Graph, ResourceId, Value};
use crate::parse::Span;

/// How many worlds one evaluation may explore before it gives up (UNKNOWN).
const MAX_WORLDS: usize = 64;

/// The decided result of a rule on one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `Skip` means not applicable.
    pub status: Status,
    pub evidence: Option<Rendered>,
    /// For a failure in only some worlds: the assumptions of the failing one
    /// (`"IsProd is true"`).
    pub conditional: Option<String>,
}

/// Evidence turned into text, ready for a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The resource the span is in.
    pub resource: ResourceId,
    pub span: Span,
    pub message: String,
}

/// Truth values assumed for condition atoms: (atom, value).
type World = Vec<(usize, bool)>;

/// The outcome of one world, rendered.
type WorldResult = (World, Status, Option<Rendered>);

/// Evaluates `rule` on resource `res`.
pub fn evaluate(rule: &Rule, graph: &Graph, res: ResourceId, params: &HashMap<String, Value>) -> Evaluation {
    let mut pending: Vec<World> = vec![Vec::new()];
    let mut results: Vec<WorldResult> = Vec::new();
    while let Some(world) = pending.pop() {
        let arena = Arena::new();
        let ctx = Ctx::new(graph, params, &arena, &world);
        let outcome = ctx.eval_resource(rule, res);
        if let Some(atom) = ctx.needed_atom() {
            if results.len() + pending.len() + 2 > MAX_WORLDS {
                return Evaluation {
                    status: Status::Unknown,
                    evidence: Some(Rendered {
                        resource: res,
                        span: graph.resource(res).span,
                        message: format!(
                            "more than {MAX_WORLDS} combinations of undecidable conditions; give parameter values with --param"
                        ),
                    }),
                    conditional: None,
                };
            }
            for assumption in [false, true] {
                let mut next = world.clone();
                next.push((atom, assumption));
                pending.push(next);
            }
            continue;
        }
        let status = outcome.status;
        let rendered = outcome.evidence.map(|e| {
            let mut message = outcome::describe(&e.what, e.negated);
            if e.resource != res {
                message = format!("{}: {message}", graph.resource(e.resource).id);
            }
            // Synthetic values (check parameters, defaults) have no position: use the resource's.
            let (resource, span) = if e.span.is_empty() {
                (res, graph.resource(res).span)
            } else {
                (e.resource, e.span)
            };
            Rendered {
                resource,
                span,
                message,
            }
        });
        results.push((world, status, rendered));
    }
    combine(graph, results)
}

fn combine(graph: &Graph, results: Vec<WorldResult>) -> Evaluation {
    // Conditional only when some world does not fail.
    let several = results.iter().any(|(_, s, _)| *s != Status::Fail);
    let pick = |status: Status| results.iter().find(|(_, s, _)| *s == status);
    if let Some((world, _, evidence)) = pick(Status::Fail) {
        let conditional = (several && !world.is_empty()).then(|| {
            world
                .iter()
                .map(|(atom, b)| format!("{} is {b}", graph.conditions.atom(*atom).label))
                .collect::<Vec<_>>()
                .join(" and ")
        });
        return Evaluation {
            status: Status::Fail,
            evidence: evidence.clone(),
            conditional,
        };
    }
    for status in [Status::Unknown, Status::Pass] {
        if let Some((_, _, evidence)) = pick(status) {
            return Evaluation {
                status,
                evidence: evidence.clone(),
                conditional: None,
            };
        }
    }
    Evaluation {
        status: Status::Skip,
        evidence: None,
        conditional: None,
    }
}
