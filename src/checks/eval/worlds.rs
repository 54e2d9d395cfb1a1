//! Evaluating a rule in every world of the undecidable conditions it meets.
//!
//! Per `catalog.md` section 3: a FAIL in any world is a finding (marked
//! conditional, naming the assumptions); PASS needs every world to pass;
//! otherwise UNKNOWN. Worlds are discovered lazily, so a rule that meets no
//! undecidable condition is evaluated exactly once.
//!
//! A world assumes the truth of condition atoms (an `Fn::If` on parameters
//! without values; one value of a parameter's `AllowedValues`, exclusive of
//! the others) and of `when` guards that are unknown on an item: the body
//! of such a guard is judged as if it held, and where it does not the
//! clause is not applicable.

use std::collections::HashMap;

use typed_arena::Arena;

use super::Ctx;
use super::outcome::{self, Hop, Status, Values};
use crate::checks::lang::ast::Rule;
use crate::graph::{Graph, ResourceId, Value, ValueKind};
use crate::parse::Span;

/// How many worlds one evaluation may explore before it gives up (UNKNOWN).
const MAX_WORLDS: usize = 64;

/// How much of a guard's text names it in a conditional finding.
const GUARD_LABEL_CHARS: usize = 80;

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
    /// The message without the resource it is about (for a related location there).
    pub detail: String,
    /// How a graph check got from the judged resource to `resource`.
    pub trail: Vec<Hop>,
}

/// Something a world assumes the truth of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assumption {
    /// An undecidable condition atom of the graph (an `Fn::If` condition, a
    /// value of a parameter's `AllowedValues`).
    Atom(usize),
    /// A `when` guard that is unknown on one item: which guard of the rule
    /// (the address of its text), the resource, and where the item is.
    Guard {
        clause: usize,
        res: ResourceId,
        span: Span,
    },
}

/// Truth values assumed in one world.
pub type World = Vec<(Assumption, bool)>;

/// The outcome of one world, rendered.
type WorldResult = (World, Status, Option<Rendered>);

/// Evaluates `rule` on resource `res`.
pub fn evaluate(
    rule: &Rule,
    graph: &Graph,
    res: ResourceId,
    params: &HashMap<String, Value>,
    values: Values,
) -> Evaluation {
    let mut pending: Vec<World> = vec![Vec::new()];
    // The text of each guard assumed, to name it.
    let mut guards: HashMap<usize, String> = HashMap::new();
    let mut results: Vec<WorldResult> = Vec::new();
    while let Some(world) = pending.pop() {
        let arena = Arena::new();
        let ctx = Ctx::new(graph, params, &arena, &world);
        let outcome = ctx.eval_resource(rule, res);
        if let Some((needed, text)) = ctx.needed_assumption() {
            if let (Assumption::Guard { clause, .. }, Some(text)) = (needed, text) {
                guards.entry(clause).or_insert_with(|| text.to_string());
            }
            let next = branch(graph, &world, needed);
            if results.len() + pending.len() + next.len() > MAX_WORLDS {
                // A failure already found is a finding whatever the other worlds say.
                if results.iter().any(|(_, s, _)| *s == Status::Fail) {
                    results.push((world, Status::Unknown, None));
                    return combine(graph, &guards, results);
                }
                return Evaluation {
                    status: Status::Unknown,
                    evidence: Some(Rendered {
                        resource: res,
                        span: graph.resource(res).span,
                        message: format!(
                            "more than {MAX_WORLDS} combinations of undecidable conditions; give parameter values with --param"
                        ),
                        detail: String::new(),
                        trail: Vec::new(),
                    }),
                    conditional: None,
                };
            }
            pending.extend(next);
            continue;
        }
        let status = outcome.status;
        // Only failures and unknowns are reported: a pass's evidence is not
        // rendered (most evaluations pass).
        let reported = matches!(status, Status::Fail | Status::Unknown);
        let rendered = outcome.evidence.filter(|_| reported).map(|e| {
            let detail = describe_in_source_terms(graph, &e, values);
            let mut message = detail.clone();
            let trail: Vec<Hop> = e.trail.iter().map(|link| ctx.hop(link)).collect();
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
                detail,
                trail,
            }
        });
        results.push((world, status, rendered));
    }
    combine(graph, &guards, results)
}

/// The reason of an evidence in the terms of the language its resource was
/// written in: for a resource lifted from Terraform, its attribute names,
/// the Terraform types of the resources a graph check looked for, and the
/// backticked property paths of a check's own sentence spoken by the
/// resource's mapping.
fn describe_in_source_terms(graph: &Graph, e: &outcome::Evidence<'_>, values: outcome::Values) -> String {
    let resource = graph.resource(e.resource);
    let Some(vocabulary) = graph.vocabulary else {
        return outcome::describe(&e.what, e.negated, values, &outcome::canonical_paths);
    };
    let names = |kind: Option<&str>, path: &str| -> String {
        let named = match kind {
            None => resource.mapping.and_then(|m| m.attribute_of(path)),
            Some(kind) => vocabulary(kind).iter().find_map(|m| m.attribute_of(path)),
        };
        named.unwrap_or_else(|| path.to_string())
    };
    let name = written_name(graph, e.resource, &e.what).or_else(|| match &e.what {
        outcome::What::Unknown { query, .. } => resolve_in_source_terms(query, &names),
        _ => None,
    });
    let detail = match (name, &e.what) {
        // A collection the mapping built from blocks is shown as written
        // (`event_selector` blocks, not the EventSelectors they became).
        (Some(name), outcome::What::Value { value, test, .. })
            if matches!(value.kind, ValueKind::Map(_) | ValueKind::List(_)) =>
        {
            let written = resource
                .written
                .as_deref()
                .and_then(|w| w.get(&name))
                .unwrap_or(value);
            let what = outcome::What::Value {
                query: &name,
                value: written,
                test: *test,
            };
            outcome::describe(&what, e.negated, values, &names)
        }
        (Some(name), _) => outcome::describe(&e.what.named(&name), e.negated, values, &names),
        (None, _) => outcome::describe(&e.what, e.negated, values, &names),
    };
    let detail = match (&e.what, resource.mapping) {
        (outcome::What::Literal(Some(_)), Some(mapping)) => mapping.speak(&detail).into_owned(),
        _ => detail,
    };
    crate::graph::mapping::speak_types(vocabulary, &detail).into_owned()
}

/// `resolve(Path, Kind)` with its path named as the source writes it.
fn resolve_in_source_terms(query: &str, names: outcome::PathNames<'_>) -> Option<String> {
    let (path, kind) = query
        .strip_prefix("resolve(")?
        .strip_suffix(')')?
        .split_once(", ")?;
    Some(format!("resolve({}, {kind})", names(None, path)))
}

/// What the user calls the value a check read, when the resource was written
/// in another language than the CloudFormation names the checks read
/// (Terraform): its path among the resource's attributes as written
/// (`ingress[1].cidr_blocks[0]`), found by where the value is written; for a
/// property that is not set, the attribute that would set it, by the
/// resource's mapping (`storage_encrypted` for `StorageEncrypted`).
fn written_name(graph: &Graph, resource: ResourceId, what: &outcome::What<'_>) -> Option<String> {
    // A value that is not written where it is judged (a default, a value
    // known after apply, one built from several attributes) is named by the
    // attribute that sets it.
    let by_mapping = |query: &str| {
        let mapping = graph.resource(resource).mapping?;
        let named = |q: &str| mapping.attribute_of(q).or_else(|| mapping.document_path(q));
        is_plain_path(query).then(|| named(query)).flatten()
    };
    let (query, judged) = match what {
        outcome::What::Value { value, query, .. } if !query.starts_with('%') => (*query, *value),
        outcome::What::Missing { query } | outcome::What::Unknown { query, .. } => return by_mapping(query),
        _ => return None,
    };
    let located = (!judged.span.is_empty())
        .then(|| graph.resource(resource).written.as_ref()?.locate(judged.span))
        .flatten();
    let Some((path, attribute)) = located else {
        return by_mapping(query);
    };
    // A part of a document written as one text (a policy in a plan's JSON
    // string) has the text's region, but is not the attribute: it keeps the
    // name the document gives it.
    let in_document = attribute
        .as_str()
        .is_some_and(|text| text.trim_start().starts_with(['{', '[']) && judged.as_str() != Some(text));
    match (path.is_empty(), in_document) {
        (false, false) => Some(path),
        // Inside a document written as text: by the document's own keys.
        (_, true) => graph
            .resource(resource)
            .mapping
            .and_then(|m| m.document_path(query)),
        (true, false) => None,
    }
}

/// Whether a query is a property path alone (`A.B[*].C`), not a call or a parameter.
fn is_plain_path(query: &str) -> bool {
    query
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '*' | '_'))
}

/// The worlds that decide `needed` on top of `world`. A value of a
/// parameter's choice is assumed true (the other values false) or false
/// (the last value left is then true).
fn branch(graph: &Graph, world: &World, needed: Assumption) -> Vec<World> {
    let with = |extra: Vec<(Assumption, bool)>| {
        let mut next = world.clone();
        next.extend(extra);
        next
    };
    let Assumption::Atom(atom) = needed else {
        return vec![with(vec![(needed, false)]), with(vec![(needed, true)])];
    };
    let Some(group) = graph.conditions.group_of(atom) else {
        return vec![with(vec![(needed, false)]), with(vec![(needed, true)])];
    };
    let assumed = |m: usize| world.iter().any(|(a, _)| *a == Assumption::Atom(m));
    let open: Vec<usize> = group
        .members
        .iter()
        .copied()
        .filter(|&m| m != atom && !assumed(m))
        .collect();
    let chosen = with(
        std::iter::once((needed, true))
            .chain(open.iter().map(|&m| (Assumption::Atom(m), false)))
            .collect(),
    );
    let mut not_chosen = vec![(needed, false)];
    match open.as_slice() {
        // Only one value is left: it is the parameter's.
        [last] => not_chosen.push((Assumption::Atom(*last), true)),
        // No value left: the parameter cannot avoid this one.
        [] => return vec![chosen],
        _ => {}
    }
    vec![with(not_chosen), chosen]
}

/// The assumptions of a world as a reader wants them: `IsProd is true`,
/// `Env is "prod"` (rather than every other value not being it),
/// `Protocol == "tcp"` for a guard assumed to hold.
fn describe_world(graph: &Graph, guards: &HashMap<usize, String>, world: &World) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut groups_done: Vec<&str> = Vec::new();
    for (assumption, value) in world {
        match assumption {
            Assumption::Atom(atom) => match graph.conditions.group_of(*atom) {
                Some(group) => {
                    if groups_done.contains(&group.parameter.as_str()) {
                        continue;
                    }
                    groups_done.push(&group.parameter);
                    let of_group: Vec<(usize, bool)> = world
                        .iter()
                        .filter_map(|(a, b)| match a {
                            Assumption::Atom(m) if group.members.contains(m) => Some((*m, *b)),
                            _ => None,
                        })
                        .collect();
                    let label = |m: usize| graph.conditions.atom(m).label.clone();
                    match of_group.iter().find(|(_, b)| *b) {
                        Some((m, _)) => parts.push(format!("{} is {}", group.parameter, label(*m))),
                        None => {
                            let not: Vec<String> = of_group.iter().map(|(m, _)| label(*m)).collect();
                            parts.push(match not.as_slice() {
                                [one] => format!("{} is not {one}", group.parameter),
                                _ => format!("{} is none of {}", group.parameter, not.join(", ")),
                            });
                        }
                    }
                }
                None => parts.push(format!("{} is {value}", graph.conditions.atom(*atom).label)),
            },
            Assumption::Guard { clause, .. } => {
                let text = guards.get(clause).map_or("a guard", String::as_str);
                // A long guard is named by its beginning.
                let text = match text.char_indices().nth(GUARD_LABEL_CHARS) {
                    Some((cut, _)) => format!("{}...", &text[..cut]),
                    None => text.to_string(),
                };
                parts.push(if *value { text } else { format!("not ({text})") })
            }
        }
    }
    parts.join(" and ")
}

fn combine(graph: &Graph, guards: &HashMap<usize, String>, results: Vec<WorldResult>) -> Evaluation {
    // Conditional only when some world does not fail.
    let several = results.iter().any(|(_, s, _)| *s != Status::Fail);
    let pick = |status: Status| results.iter().find(|(_, s, _)| *s == status);
    if let Some((world, _, evidence)) = pick(Status::Fail) {
        let conditional = (several && !world.is_empty()).then(|| describe_world(graph, guards, world));
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
