//! Evaluation of a rule on one resource of a graph.
//!
//! Undecidable `Fn::If` conditions, the allowed values of parameters without
//! a value, and `when` guards that are unknown are handled by evaluating the
//! rule in "worlds": each world assumes a truth value for the undecidable
//! condition atoms and guards it meets. The driver ([`worlds`]) starts with
//! no assumption; the first unassumed one met is recorded, and the rule is
//! evaluated again under each of its values, up to a bound.

mod compare;
pub(crate) mod dates;
pub mod outcome;
mod views;
mod worlds;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;

use typed_arena::Arena;

use crate::checks::lang::ast::*;
use crate::graph::identity::{self, Designates};
use crate::graph::{BoundedBy, Bounds, Deployment, Graph, Origin, ResourceId, Unknowable, Value, ValueKind};
use crate::parse::Span;

pub use outcome::{Evidence, Hop, Link, Outcome, REDACTED, Status, Values, What};
pub use worlds::{Assumption, Evaluation, Rendered, World, evaluate};

/// Something a clause is evaluated on.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A value inside resource `res`.
    Value { value: &'a Value, res: ResourceId },
    /// A whole resource (its properties are the fields).
    Resource(ResourceId),
}

/// One result of a query.
#[derive(Debug, Clone)]
enum Found<'a> {
    Item(Item<'a>),
    /// The path is not set; `span` is its nearest existing ancestor.
    Missing {
        res: ResourceId,
        span: Span,
    },
    Unknown {
        res: ResourceId,
        span: Span,
        reason: Cow<'a, Unknowable>,
    },
    /// A property the resource's source mapping does not cover (or declares
    /// known only after deploy): whether it is set at all is not known, so
    /// unlike [`Found::Unknown`] not even `exists` is decided.
    Unmapped {
        res: ResourceId,
        span: Span,
        reason: Cow<'a, Unknowable>,
    },
}

impl Found<'_> {
    /// The resource the result is in.
    fn resource(&self) -> ResourceId {
        match self {
            Found::Item(Item::Value { res, .. } | Item::Resource(res))
            | Found::Missing { res, .. }
            | Found::Unknown { res, .. }
            | Found::Unmapped { res, .. } => *res,
        }
    }
}

/// Everything one evaluation (one check, one resource, one world) reads.
pub struct Ctx<'a> {
    pub graph: &'a Graph,
    pub params: &'a HashMap<String, Value>,
    arena: &'a Arena<Value>,
    /// Truth values assumed in this world.
    world: &'a [(Assumption, bool)],
    /// The first thing met that this world makes no assumption about (with
    /// the guard's text for a guard).
    needed: Cell<Option<(Assumption, Option<&'a str>)>>,
}

impl<'a> Ctx<'a> {
    /// A context for one world.
    pub fn new(
        graph: &'a Graph,
        params: &'a HashMap<String, Value>,
        arena: &'a Arena<Value>,
        world: &'a [(Assumption, bool)],
    ) -> Ctx<'a> {
        Ctx {
            graph,
            params,
            arena,
            world,
            needed: Cell::new(None),
        }
    }

    /// What this world would have to assume to finish deciding, if anything
    /// (with the text of a guard).
    pub fn needed_assumption(&self) -> Option<(Assumption, Option<&'a str>)> {
        self.needed.get()
    }

    fn alloc(&self, value: Value) -> &'a Value {
        self.arena.alloc(value)
    }

    /// The truth assumed for `assumption` in this world; while undecided,
    /// true, with the assumption recorded so the driver explores both.
    fn assume(&self, assumption: Assumption, text: Option<&'a str>) -> bool {
        match self.world.iter().find(|(a, _)| *a == assumption) {
            Some((_, b)) => *b,
            None => {
                if self.needed.get().is_none() {
                    self.needed.set(Some((assumption, text)));
                }
                true
            }
        }
    }

    /// The truth of a named condition in this world (true while undecided,
    /// with the missing atom recorded so the driver explores both).
    fn condition_holds(&self, name: &str) -> bool {
        let assumed = |atom: usize| {
            self.world
                .iter()
                .find(|(a, _)| *a == Assumption::Atom(atom))
                .map(|(_, b)| *b)
        };
        match self.graph.conditions.eval(name, &assumed) {
            Ok(b) => b,
            Err(Some(atom)) => self.assume(Assumption::Atom(atom), None),
            Err(None) => true,
        }
    }

    /// Whether a resource exists in this world.
    pub fn deployed(&self, res: ResourceId) -> bool {
        match &self.graph.resource(res).deployment {
            Deployment::Always => true,
            Deployment::Never { .. } => false,
            Deployment::When { condition } => self.condition_holds(condition),
        }
    }

    /// Looks through conditional values; `None` for `AWS::NoValue`.
    fn settle(&self, mut value: &'a Value) -> Option<&'a Value> {
        loop {
            match &value.kind {
                ValueKind::Cond(c) => {
                    value = if self.condition_holds(&c.condition) {
                        &c.then
                    } else {
                        &c.otherwise
                    };
                }
                ValueKind::Absent => return None,
                _ => return Some(value),
            }
        }
    }

    fn resource_of(item: Item<'a>) -> ResourceId {
        match item {
            Item::Value { res, .. } | Item::Resource(res) => res,
        }
    }

    fn span_of(&self, item: Item<'a>) -> Span {
        match item {
            Item::Value { value, .. } => value.span,
            Item::Resource(res) => self.graph.resource(res).span,
        }
    }

    /// Evaluates a rule on a resource.
    pub fn eval_resource(&self, rule: &'a Rule, res: ResourceId) -> Outcome<'a> {
        if !self.deployed(res) {
            return Outcome::bare(Status::Skip);
        }
        self.block(&rule.body, Item::Resource(res))
    }

    fn block(&self, block: &'a Block, item: Item<'a>) -> Outcome<'a> {
        outcome::all(block.clauses.iter().map(|c| self.expr(c, item)))
    }

    fn expr(&self, expr: &'a Expr, item: Item<'a>) -> Outcome<'a> {
        match expr {
            Expr::And(items) => outcome::all(items.iter().map(|e| self.expr(e, item))),
            Expr::Or(items) => outcome::any(items.iter().map(|e| self.expr(e, item))),
            Expr::Not(inner) => self.expr(inner, item).negate(),
            Expr::When { cond, body, text } => {
                let guard = self.expr(cond, item);
                match guard.status {
                    Status::Pass => self.block(body, item),
                    Status::Fail | Status::Skip => Outcome::bare(Status::Skip),
                    // Undecided: the body is judged in a world where the guard
                    // holds, and is not applicable in one where it does not.
                    Status::Unknown => {
                        let assumption = Assumption::Guard {
                            clause: text.as_ptr() as usize,
                            res: Self::resource_of(item),
                            span: self.span_of(item),
                        };
                        if self.assume(assumption, Some(text)) {
                            self.block(body, item)
                        } else {
                            Outcome::bare(Status::Skip)
                        }
                    }
                }
            }
            Expr::Literal { outcome, message } => {
                let status = match outcome {
                    LiteralOutcome::Pass => Status::Pass,
                    LiteralOutcome::Fail => Status::Fail,
                    LiteralOutcome::Unknown => Status::Unknown,
                };
                Outcome::with(
                    status,
                    Evidence::at(
                        Self::resource_of(item),
                        self.span_of(item),
                        What::Literal(message.as_deref()),
                    ),
                )
            }
            Expr::Each { quant, query, body } => {
                let found = self.query(query, item);
                self.quantify(*quant, query, item, found, |f| {
                    let to = f.resource();
                    let outcome = match f {
                        Found::Item(inner) => self.block(body, inner),
                        // Nothing to look at: the body has nothing to say.
                        Found::Missing { .. } => Outcome::bare(Status::Skip),
                        Found::Unknown { res, span, reason } | Found::Unmapped { res, span, reason } => {
                            unknown(res, span, &query.text, reason)
                        }
                    };
                    self.stepped(item, query, to, outcome)
                })
            }
            Expr::Test { quant, query, test } => {
                let mut found = self.query(query, item);
                // An empty result is an empty collection for `exists` / `empty`.
                if found.is_empty() && matches!(test, Test::Exists { .. } | Test::Empty { .. }) {
                    found.push(Found::Missing {
                        res: Self::resource_of(item),
                        span: self.span_of(item),
                    });
                }
                self.quantify(*quant, query, item, found, |f| {
                    let to = f.resource();
                    self.stepped(item, query, to, self.test(query, test, f, item))
                })
            }
        }
    }

    /// Records on the outcome's evidence that `query` led from `base` to
    /// resource `to`, when that is another resource.
    fn stepped(
        &self,
        base: Item<'a>,
        query: &'a Query,
        to: ResourceId,
        mut outcome: Outcome<'a>,
    ) -> Outcome<'a> {
        if to != Self::resource_of(base)
            && let Some(evidence) = &mut outcome.evidence
            && evidence.resource != Self::resource_of(base)
        {
            evidence.trail.insert(
                0,
                Link {
                    from: base,
                    query,
                    to,
                },
            );
        }
        outcome
    }

    /// A link located in the resource it leaves.
    pub fn hop(&self, link: &Link<'a>) -> Hop {
        let resource = Self::resource_of(link.from);
        match self.anchor(link) {
            Some(span) => Hop {
                resource,
                span,
                by_property: true,
            },
            None => Hop {
                resource,
                span: self.graph.resource(resource).span,
                by_property: false,
            },
        }
    }

    /// Where in the resource of `link.from` the link is written: the value
    /// that names the resource reached when the query resolved a property
    /// of it (`DBSubnetGroupName`), else `None` (the other resource points
    /// here, or was found by type).
    fn anchor(&self, link: &Link<'a>) -> Option<Span> {
        let Root::Call(call) = &link.query.root else {
            return None;
        };
        let mut call: &'a Call = call;
        loop {
            match call {
                Call::Resolve { path, .. } => {
                    let found = self.query(path, link.from);
                    let named = found.iter().find_map(|f| match f {
                        Found::Item(Item::Value { value, .. }) => self
                            .settle(value)
                            .filter(|v| {
                                identity::designates(self.graph, v, link.to) == Designates::Yes
                                    || self.elements_designate(v, link.to)
                            })
                            .map(|_| value.span),
                        _ => None,
                    });
                    return named.or_else(|| match found.first() {
                        Some(Found::Item(item)) => Some(self.span_of(*item)),
                        _ => None,
                    });
                }
                Call::Statements(path)
                | Call::Entries(path)
                | Call::Assignments(path)
                | Call::Trimmed(path) => {
                    let Root::Call(inner) = &path.root else {
                        return None;
                    };
                    call = inner;
                }
                _ => return None,
            }
        }
    }

    /// Whether a list names `to` among its elements.
    fn elements_designate(&self, value: &'a Value, to: ResourceId) -> bool {
        matches!(&value.kind, ValueKind::List(items) if items.iter().any(|v| {
            self.settle(v).is_some_and(|v| identity::designates(self.graph, v, to) == Designates::Yes)
        }))
    }

    fn quantify(
        &self,
        quant: Quant,
        query: &'a Query,
        base: Item<'a>,
        found: Vec<Found<'a>>,
        each: impl Fn(Found<'a>) -> Outcome<'a>,
    ) -> Outcome<'a> {
        let none_found = || {
            Outcome::with(
                Status::Fail,
                Evidence::at(
                    Self::resource_of(base),
                    self.span_of(base),
                    What::NoneFound { query },
                ),
            )
        };
        match quant {
            Quant::All => {
                let result = outcome::all(found.into_iter().map(&each));
                // Vacuous truth: a test over nothing holds.
                if result.status == Status::Skip && result.evidence.is_none() {
                    return Outcome::bare(Status::Pass);
                }
                result
            }
            Quant::Some | Quant::No => {
                let items: Vec<Found<'a>> = found
                    .into_iter()
                    .filter(|f| !matches!(f, Found::Missing { .. }) || matches!(quant, Quant::Some))
                    .collect();
                let result = if items.is_empty() {
                    none_found()
                } else {
                    let r = outcome::any(items.into_iter().map(&each));
                    // An item a `when` made not applicable does not satisfy the clause.
                    if r.status == Status::Skip || (r.status == Status::Fail && r.evidence.is_none()) {
                        none_found()
                    } else {
                        r
                    }
                };
                if quant == Quant::No {
                    result.negate()
                } else {
                    result
                }
            }
        }
    }

    fn test(&self, query: &'a Query, test: &'a Test, found: Found<'a>, base: Item<'a>) -> Outcome<'a> {
        let q = query.text.as_str();
        // Nothing is in an empty list, whatever the value: decided even when the value is not.
        if let Test::In { negated, list } = test
            && let Ok(Rhs::Value(v)) = self.operand(list)
            && matches!(&v.kind, ValueKind::List(items) if items.is_empty())
        {
            let status = if *negated { Status::Pass } else { Status::Fail };
            return Outcome::with(status, self.evidence_of(&found, q, test));
        }
        let (res, value) = match found {
            Found::Missing { .. } => {
                let status = match test {
                    Test::Compare(CmpOp::Ne, _)
                    | Test::In { negated: true, .. }
                    | Test::Covers { negated: true, .. }
                    | Test::Literal { negated: true } => Status::Pass,
                    Test::Exists { negated: true } | Test::Empty { negated: false } => Status::Pass,
                    _ => Status::Fail,
                };
                return Outcome::with(status, self.evidence_of(&found, q, test));
            }
            Found::Unmapped { .. } => {
                return Outcome::with(Status::Unknown, self.evidence_of(&found, q, test));
            }
            Found::Unknown { .. } => {
                let status = match test {
                    // A value only known at deploy time (an import, a parameter) is
                    // never one of the resources declared here.
                    Test::RefersTo(_) | Test::Exists { negated: true } => Status::Fail,
                    // ... but it is set.
                    Test::Exists { negated: false } => Status::Pass,
                    // Known only at deploy time: certainly not written in the source.
                    Test::Literal { negated } => {
                        if *negated {
                            Status::Pass
                        } else {
                            Status::Fail
                        }
                    }
                    _ => Status::Unknown,
                };
                return Outcome::with(status, self.evidence_of(&found, q, test));
            }
            Found::Item(Item::Resource(r)) => {
                let status = match test {
                    Test::Exists { negated: false } | Test::Empty { negated: true } => Status::Pass,
                    _ => Status::Fail,
                };
                return Outcome::with(
                    status,
                    Evidence::at(r, self.graph.resource(r).span, What::NoneFound { query }),
                );
            }
            Found::Item(Item::Value { value, res }) => (res, value),
        };
        if let ValueKind::Cond(_) = value.kind
            && let Some(outcome) = self.same_in_every_branch(query, test, value, res, base)
        {
            return outcome;
        }
        let Some(value) = self.settle(value) else {
            return self.test(
                query,
                test,
                Found::Missing {
                    res,
                    span: value.span,
                },
                base,
            );
        };
        let evidence = |status| {
            Outcome::with(
                status,
                Evidence::at(
                    res,
                    value.span,
                    What::Value {
                        query: q,
                        value,
                        test: Some(test),
                    },
                ),
            )
        };
        let undecided = |reason: Unknowable| unknown(res, value.span, q, Cow::Owned(reason));
        let after_deploy = || Unknowable::AfterDeploy {
            what: value.describe(),
        };
        // A parameter's value refers to the parameter's declaration (to read its
        // Default or Type, e.g. the public SSM path an image id comes from).
        let parameter_lookup =
            matches!(test, Test::RefersTo(_)) && matches!(value.origin, crate::graph::Origin::Parameter(_));
        if let ValueKind::Unknown(reason) = &value.kind
            && !parameter_lookup
        {
            if let Test::RefersTo(_) = test {
                return evidence(Status::Fail);
            }
            if let Test::Exists { negated } = test {
                return evidence(if *negated { Status::Fail } else { Status::Pass });
            }
            // Known only at deploy time: certainly not written in the source.
            if let Test::Literal { negated } = test {
                return evidence(if *negated { Status::Pass } else { Status::Fail });
            }
            // A parameter whose constraints no value satisfying the test meets.
            if let Some(bounds) = self.graph.bounds_of(value)
                && let Some(holds) = self.bounded(bounds, test)
                && let Some(parameter) = value.origin.parameter()
            {
                return Outcome::with(
                    if holds { Status::Pass } else { Status::Fail },
                    Evidence::at(
                        res,
                        value.span,
                        What::Bounded {
                            query: q,
                            parameter,
                            bounds: bounds.summary(),
                            test,
                        },
                    ),
                );
            }
            return unknown(res, value.span, q, Cow::Borrowed(reason));
        }
        let pass_if = |b: bool| evidence(if b { Status::Pass } else { Status::Fail });
        // The ARN of a declared resource has a known shape.
        if let Some(bounds) = self.graph.reference_bounds(value)
            && let Some(holds) = self.bounded(bounds, test)
        {
            return pass_if(holds);
        }
        match test {
            Test::Exists { negated } => pass_if(!matches!(value.kind, ValueKind::Null) != *negated),
            Test::Empty { negated } => match compare::is_empty(value) {
                Some(e) => pass_if(e != *negated),
                None => undecided(after_deploy()),
            },
            Test::Compare(op, operand) => {
                let rhs = match self.operand(operand) {
                    Ok(rhs) => rhs,
                    Err(reason) => return undecided(reason),
                };
                let decided = match (op, rhs) {
                    (CmpOp::Eq | CmpOp::Ne, Rhs::Regex(re)) => value
                        .scalar_text()
                        .map(|t| re.is_match(&t))
                        .or_else(|| compare::regex_on_interp(value, re))
                        .or_else(|| if value.is_known() { Some(false) } else { None }),
                    (CmpOp::Eq | CmpOp::Ne, Rhs::Value(v)) => compare::equals(value, v),
                    // An order against a pattern means nothing.
                    (CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge, Rhs::Regex(_)) => None,
                    (CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge, Rhs::Value(v)) => {
                        if !value.is_known() {
                            None
                        } else {
                            match compare::order(value, v) {
                                Some(ord) => Some(ordered(*op, ord)),
                                None => Some(false),
                            }
                        }
                    }
                };
                match decided {
                    Some(b) => pass_if(if *op == CmpOp::Ne { !b } else { b }),
                    None => undecided(after_deploy()),
                }
            }
            Test::In { negated, list } => {
                let rhs = match self.operand(list) {
                    Ok(Rhs::Value(v)) => v,
                    Ok(Rhs::Regex(_)) => return undecided(Unknowable::malformed("IN", "a list")),
                    Err(reason) => return undecided(reason),
                };
                let candidates: &[Value] = match &rhs.kind {
                    ValueKind::List(items) => items,
                    _ => std::slice::from_ref(rhs),
                };
                let mut undecidable = false;
                for candidate in candidates {
                    match compare::equals(value, candidate) {
                        Some(true) => return pass_if(!*negated),
                        None => undecidable = true,
                        Some(false) => {}
                    }
                }
                if undecidable {
                    undecided(after_deploy())
                } else {
                    pass_if(*negated)
                }
            }
            Test::Covers { negated, list } => {
                let rhs = match self.operand(list) {
                    Ok(Rhs::Value(v)) => v,
                    Ok(Rhs::Regex(_)) => return undecided(Unknowable::malformed("covers", "a list")),
                    Err(reason) => return undecided(reason),
                };
                let Some(pattern) = value.scalar_text() else {
                    return undecided(after_deploy());
                };
                let entries: &[Value] = match &rhs.kind {
                    ValueKind::List(items) => items,
                    _ => std::slice::from_ref(rhs),
                };
                let covered = entries
                    .iter()
                    .filter_map(Value::scalar_text)
                    .any(|action| compare::action_covers(&pattern, &action));
                pass_if(covered != *negated)
            }
            Test::Literal { negated } => {
                let written = value.origin.is_written()
                    && matches!(value.kind, ValueKind::String(_) | ValueKind::Number(_));
                pass_if(written != *negated)
            }
            Test::Spans(list) => {
                let rhs = match self.operand(list) {
                    Ok(Rhs::Value(v)) => v,
                    Ok(Rhs::Regex(_)) => return undecided(Unknowable::malformed("spans", "a list of ports")),
                    Err(reason) => return undecided(reason),
                };
                let port = |key: &str| -> Option<f64> {
                    let ValueKind::Map(props) = &value.kind else {
                        return None;
                    };
                    let p = props.iter().find(|p| p.key == key)?;
                    self.settle(&p.value)?.scalar_text()?.parse().ok()
                };
                let (Some(from), Some(to)) = (port("FromPort"), port("ToPort")) else {
                    return undecided(after_deploy());
                };
                let ports: &[Value] = match &rhs.kind {
                    ValueKind::List(items) => items,
                    _ => std::slice::from_ref(rhs),
                };
                pass_if(
                    ports
                        .iter()
                        .filter_map(|p| p.scalar_text()?.parse::<f64>().ok())
                        .any(|p| from <= p && p <= to),
                )
            }
            Test::RefersTo(targets) => {
                // `refers_to resources(Type)`: look the value up instead of
                // walking every resource of the type.
                if let (Root::Call(call), true) = (&targets.root, targets.steps.is_empty())
                    && let Call::Resources { kind } = call.as_ref()
                {
                    return match identity::resolve(self.graph, value, kind) {
                        Ok(ids) => pass_if(ids.into_iter().any(|id| self.deployed(id))),
                        Err(_) => match &value.kind {
                            ValueKind::Interp(_) => undecided(after_deploy()),
                            _ => pass_if(false),
                        },
                    };
                }
                let mut undecidable = None;
                for target in self.query(targets, base) {
                    if let Found::Item(Item::Resource(t)) = target {
                        match identity::designates(self.graph, value, t) {
                            Designates::Yes => return pass_if(true),
                            Designates::Unknown(reason) => {
                                undecidable.get_or_insert(reason);
                            }
                            Designates::No => {}
                        }
                    }
                }
                match undecidable {
                    Some(reason) => undecided(reason),
                    None => pass_if(false),
                }
            }
        }
    }

    /// Whether `test` holds for a parameter value known only by its bounds;
    /// `None` when some admitted value passes it and another fails it.
    fn bounded(&self, bounds: &Bounds, test: &'a Test) -> Option<bool> {
        let literal = |operand: &'a Operand| match self.operand(operand) {
            Ok(Rhs::Value(v)) => Some(v),
            _ => None,
        };
        match test {
            Test::Empty { negated } => (!bounds.may_be_empty()).then_some(*negated),
            Test::Compare(op @ (CmpOp::Eq | CmpOp::Ne), operand) => match self.operand(operand).ok()? {
                Rhs::Value(v) => (!bounds.may_equal(v)).then_some(*op == CmpOp::Ne),
                Rhs::Regex(re) => (!bounds.may_match(re)).then_some(*op == CmpOp::Ne),
            },
            Test::Compare(op, operand) => {
                let n = compare::number(literal(operand)?)?;
                let (min, max) = bounds.range()?;
                let (always, never) = match op {
                    CmpOp::Lt => (max.is_some_and(|m| m < n), min.is_some_and(|m| m >= n)),
                    CmpOp::Le => (max.is_some_and(|m| m <= n), min.is_some_and(|m| m > n)),
                    CmpOp::Gt => (min.is_some_and(|m| m > n), max.is_some_and(|m| m <= n)),
                    CmpOp::Ge => (min.is_some_and(|m| m >= n), max.is_some_and(|m| m < n)),
                    // Decided by the bounds' values, above.
                    CmpOp::Eq | CmpOp::Ne => return None,
                };
                if always {
                    Some(true)
                } else if never {
                    Some(false)
                } else {
                    None
                }
            }
            Test::In { negated, list } => {
                let v = literal(list)?;
                let candidates: &[Value] = match &v.kind {
                    ValueKind::List(items) => items,
                    _ => std::slice::from_ref(v),
                };
                candidates
                    .iter()
                    .all(|c| !bounds.may_equal(c))
                    .then_some(*negated)
            }
            _ => None,
        }
    }

    /// A test on a conditional value of scalars (a parameter's
    /// `AllowedValues`, an `Fn::If` of literals) that every branch decides
    /// alike is decided without assuming which branch is taken.
    fn same_in_every_branch(
        &self,
        query: &'a Query,
        test: &'a Test,
        value: &'a Value,
        res: ResourceId,
        base: Item<'a>,
    ) -> Option<Outcome<'a>> {
        const MAX_LEAVES: usize = 256;
        if matches!(test, Test::RefersTo(_) | Test::Spans(_)) {
            return None;
        }
        let mut leaves = Vec::new();
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match &v.kind {
                ValueKind::Cond(c) => {
                    stack.push(&c.otherwise);
                    stack.push(&c.then);
                }
                ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_) => leaves.push(v),
                _ => return None,
            }
            if leaves.len() + stack.len() > MAX_LEAVES {
                return None;
            }
        }
        let before = self.needed.get();
        let mut first: Option<Outcome<'a>> = None;
        for leaf in leaves {
            let outcome = self.test(query, test, Found::Item(Item::Value { value: leaf, res }), base);
            let settled = matches!(outcome.status, Status::Pass | Status::Fail)
                && first.as_ref().is_none_or(|f| f.status == outcome.status);
            if !settled || self.needed.get().map(|n| n.0) != before.map(|n| n.0) {
                self.needed.set(before);
                return None;
            }
            first.get_or_insert(outcome);
        }
        first
    }

    /// What a test looked at, for a found item whatever its kind.
    fn evidence_of(&self, found: &Found<'a>, query: &'a str, test: &'a Test) -> Evidence<'a> {
        let (resource, span, what) = match found {
            Found::Missing { res, span } => (*res, *span, What::Missing { query }),
            Found::Unknown { res, span, reason } | Found::Unmapped { res, span, reason } => (
                *res,
                *span,
                What::Unknown {
                    query,
                    reason: reason.clone(),
                },
            ),
            Found::Item(Item::Value { value, res }) => (
                *res,
                value.span,
                What::Value {
                    query,
                    value,
                    test: Some(test),
                },
            ),
            Found::Item(item @ Item::Resource(res)) => (*res, self.span_of(*item), What::Missing { query }),
        };
        Evidence::at(resource, span, what)
    }

    fn operand(&self, operand: &'a Operand) -> Result<Rhs<'a>, Unknowable> {
        match operand {
            Operand::Literal(v) => Ok(Rhs::Value(v)),
            Operand::Regex(r) => Ok(Rhs::Regex(r)),
            Operand::Param(p) => self.param(p).map(Rhs::Value),
            Operand::Retired { dates, today } => {
                let retired =
                    dates::retired(self.param(dates)?, self.param(today)?).map_err(Unknowable::invalid)?;
                Ok(Rhs::Value(self.alloc(retired)))
            }
        }
    }

    fn param(&self, name: &str) -> Result<&'a Value, Unknowable> {
        self.params
            .get(name)
            .ok_or_else(|| Unknowable::not_declared(format!("check parameter %{name}")))
    }

    fn query(&self, query: &'a Query, base: Item<'a>) -> Vec<Found<'a>> {
        let res = Self::resource_of(base);
        let mut found = match &query.root {
            Root::Field(name) => vec![self.field(Found::Item(base), name)],
            // The current item: the resource, or the element a block is over.
            Root::This => vec![Found::Item(base)],
            Root::Type => {
                let kind = &self.graph.resource(res).kind;
                let value = self.alloc(Value::new(
                    self.graph.resource(res).span,
                    ValueKind::String(kind.clone()),
                ));
                vec![Found::Item(Item::Value { value, res })]
            }
            Root::Id => {
                let id = &self.graph.resource(res).id;
                let value = self.alloc(Value::new(
                    self.graph.resource(res).span,
                    ValueKind::String(id.clone()),
                ));
                vec![Found::Item(Item::Value { value, res })]
            }
            Root::Param(p) => match self.params.get(p) {
                Some(value) => vec![Found::Item(Item::Value { value, res })],
                None => vec![Found::Missing {
                    res,
                    span: self.span_of(base),
                }],
            },
            Root::Call(call) => self.call(call, base),
        };
        for step in &query.steps {
            found = found
                .into_iter()
                .flat_map(|f| self.step(f, step, &query.text))
                .collect();
        }
        found
    }

    fn step(&self, found: Found<'a>, step: &'a Step, text: &'a str) -> Vec<Found<'a>> {
        match step {
            Step::Field(name) => vec![self.field(found, name)],
            Step::All => self.elements(found),
            Step::Index(i) => vec![self.index(found, *i)],
            Step::Filter(block) => self
                .elements(found)
                .into_iter()
                .filter_map(|f| match f {
                    Found::Item(item) => {
                        let outcome = self.block(block, item);
                        match outcome.status {
                            Status::Pass => Some(Found::Item(item)),
                            Status::Unknown => Some(Found::Unknown {
                                res: Self::resource_of(item),
                                span: self.span_of(item),
                                reason: Cow::Owned(Unknowable::Undecided {
                                    what: format!("the filter on {text}"),
                                }),
                            }),
                            _ => None,
                        }
                    }
                    other => Some(other),
                })
                .collect(),
        }
    }

    /// `.name` of a found item.
    fn field(&self, found: Found<'a>, name: &str) -> Found<'a> {
        let (value, res, is_root) = match found {
            Found::Item(Item::Resource(r)) => (&self.graph.resource(r).properties, r, true),
            Found::Item(Item::Value { value, res }) => {
                let root = std::ptr::eq(value, &self.graph.resource(res).properties);
                (value, res, root)
            }
            other => return other,
        };
        let Some(value) = self.settle(value) else {
            return Found::Missing {
                res,
                span: value.span,
            };
        };
        match &value.kind {
            ValueKind::Map(props) => match props.iter().find(|p| p.key == name) {
                Some(p) => match self.settle(&p.value) {
                    Some(_) => Found::Item(Item::Value { value: &p.value, res }),
                    None => Found::Missing {
                        res,
                        span: p.key_span,
                    },
                },
                None if is_root => self.unset_property(res, name),
                None => Found::Missing {
                    res,
                    span: value.span,
                },
            },
            _ => inside_scalar(res, value),
        }
    }

    /// A top-level property the resource does not have: absent, unless the
    /// resource was lifted by a mapping (Terraform) that does not map it —
    /// then what the user wrote is not known to the graph, and reading it as
    /// absent would pass or fail the rule on nothing.
    fn unset_property(&self, res: ResourceId, name: &str) -> Found<'a> {
        use crate::graph::mapping::Coverage;
        let resource = self.graph.resource(res);
        let span = resource.span;
        match resource.mapping.map(|m| (m, m.coverage(name))) {
            None | Some((_, Coverage::Mapped | Coverage::NotExpressible(_))) => Found::Missing { res, span },
            // The mapping declares it computed: its reason says by what.
            Some((_, Coverage::Unknown(why))) => Found::Unmapped {
                res,
                span,
                reason: Cow::Owned(Unknowable::KnownAtApply {
                    what: why.to_string(),
                }),
            },
            Some((m, Coverage::NotMapped)) => Found::Unmapped {
                res,
                span,
                reason: Cow::Owned(Unknowable::NotMapped {
                    tf_type: m.source_type.to_string(),
                    property: name.to_string(),
                }),
            },
        }
    }

    /// `[i]` of a found item.
    fn index(&self, found: Found<'a>, i: usize) -> Found<'a> {
        let Found::Item(Item::Value { value, res }) = found else {
            return found;
        };
        let Some(value) = self.settle(value) else {
            return Found::Missing {
                res,
                span: value.span,
            };
        };
        match &value.kind {
            ValueKind::List(items) => match items.get(i) {
                Some(item) => Found::Item(Item::Value { value: item, res }),
                None => Found::Missing {
                    res,
                    span: value.span,
                },
            },
            _ => inside_scalar(res, value),
        }
    }

    /// The elements of a list (values of a map; a scalar is its own element).
    fn elements(&self, found: Found<'a>) -> Vec<Found<'a>> {
        let (value, res) = match found {
            Found::Item(Item::Value { value, res }) => (value, res),
            other => return vec![other],
        };
        let Some(value) = self.settle(value) else {
            return vec![Found::Missing {
                res,
                span: value.span,
            }];
        };
        match &value.kind {
            ValueKind::List(items) => items
                .iter()
                .filter(|v| self.settle(v).is_some())
                .map(|v| Found::Item(Item::Value { value: v, res }))
                .collect(),
            ValueKind::Map(props) => props
                .iter()
                .filter(|p| self.settle(&p.value).is_some())
                .map(|p| Found::Item(Item::Value { value: &p.value, res }))
                .collect(),
            // A list of unknown length whose elements are all bounded alike (the
            // pieces of a split parameter, at least one): one element stands for
            // them all, for whatever the bounds decide holds for each.
            ValueKind::Unknown(reason)
                if let Some(items) = self.graph.bounds_of(value).and_then(Bounds::items)
                    && let Some(parameter) = value.origin.parameter() =>
            {
                let element = Value {
                    span: value.span,
                    kind: ValueKind::Unknown(reason.clone()),
                    origin: Origin::Bounded(Box::new(BoundedBy {
                        parameter: parameter.to_string(),
                        bounds: items.clone(),
                    })),
                };
                vec![Found::Item(Item::Value {
                    value: self.alloc(element),
                    res,
                })]
            }
            ValueKind::Unknown(reason) => vec![Found::Unknown {
                res,
                span: value.span,
                reason: Cow::Borrowed(reason),
            }],
            _ => vec![Found::Item(Item::Value { value, res })],
        }
    }

    fn call(&self, call: &'a Call, base: Item<'a>) -> Vec<Found<'a>> {
        let subject = Self::resource_of(base);
        match call {
            Call::Resolve { path, kind } => self
                .query(path, base)
                .into_iter()
                .flat_map(|f| match f {
                    Found::Item(Item::Value { value, res }) => {
                        let Some(value) = self.settle(value) else {
                            return vec![Found::Missing {
                                res,
                                span: value.span,
                            }];
                        };
                        match identity::resolve(self.graph, value, kind) {
                            Ok(ids) => ids
                                .into_iter()
                                .filter(|&id| self.deployed(id))
                                .map(|id| Found::Item(Item::Resource(id)))
                                .collect(),
                            Err(reason) => vec![Found::Unknown {
                                res,
                                span: value.span,
                                reason: Cow::Owned(reason),
                            }],
                        }
                    }
                    other => vec![other],
                })
                .collect(),
            Call::Referrers { kind, path } => self
                .graph
                .incoming(subject, kind)
                .into_iter()
                .filter(|&other| other != subject)
                .filter(|&other| {
                    self.query(path, Item::Resource(other))
                        .into_iter()
                        .any(|f| match f {
                            Found::Item(Item::Value { value, .. }) => self.settle(value).is_some_and(|v| {
                                identity::designates(self.graph, v, subject) == Designates::Yes
                            }),
                            _ => false,
                        })
                })
                // Asked last, so unrelated conditional resources do not split worlds.
                .filter(|&other| self.deployed(other))
                .map(|id| Found::Item(Item::Resource(id)))
                .collect(),
            Call::Resources { kind } => self
                .graph
                .of_kind(kind)
                .iter()
                .copied()
                .filter(|&id| self.deployed(id))
                .map(|id| Found::Item(Item::Resource(id)))
                .collect(),
            Call::Statements(path) => {
                let documents = self.query(path, base);
                views::statements(self, documents)
            }
            Call::Joined { kind, pairs } => self.joined(kind, pairs, base),
            Call::Strings => views::strings(self, subject),
            Call::Entries(path) => {
                let maps = self.query(path, base);
                views::entries(self, maps)
            }
            Call::Assignments(path) => {
                let texts = self.query(path, base);
                views::assignments(self, texts)
            }
            Call::Trimmed(path) => self
                .query(path, base)
                .into_iter()
                .map(|f| match f {
                    Found::Item(Item::Value { value, res }) => match self.settle(value).map(|v| &v.kind) {
                        Some(ValueKind::String(text)) if text.trim().len() != text.len() => {
                            let trimmed = Value::new(value.span, ValueKind::String(text.trim().to_string()));
                            Found::Item(Item::Value {
                                value: self.alloc(trimmed),
                                res,
                            })
                        }
                        _ => f,
                    },
                    other => other,
                })
                .collect(),
            Call::IdentityPolicies => views::identity_policies(self, subject),
            Call::SgRules { egress } => views::sg_rules(self, subject, *egress),
        }
    }
}

impl<'a> Ctx<'a> {
    /// `joined(kind, THEIR == OURS, ...)`: resources of `kind` whose values
    /// meet the current item's on every pair. An undecided value on our side
    /// makes the join unknown; one on theirs leaves that resource out unless
    /// nothing else joins.
    fn joined(&self, kind: &str, pairs: &'a [(Query, Query)], base: Item<'a>) -> Vec<Found<'a>> {
        let mut ours = Vec::new();
        for (_, path) in pairs {
            let mut values = Vec::new();
            for f in self.query(path, base) {
                match f {
                    Found::Item(Item::Value { value, .. }) => {
                        if let Some(v) = self.settle(value) {
                            values.push(v);
                        }
                    }
                    Found::Unknown { res, span, reason } | Found::Unmapped { res, span, reason } => {
                        return vec![Found::Unknown { res, span, reason }];
                    }
                    _ => {}
                }
            }
            ours.push(values);
        }
        let mut found = Vec::new();
        let mut undecided = None;
        for &other in self.graph.of_kind(kind) {
            let mut all = true;
            for ((theirs, _), mine) in pairs.iter().zip(&ours) {
                let mut meets = false;
                for f in self.query(theirs, Item::Resource(other)) {
                    match f {
                        Found::Item(Item::Value { value, .. })
                            if self
                                .settle(value)
                                .is_some_and(|v| mine.iter().any(|m| same_value(m, v))) =>
                        {
                            meets = true;
                        }
                        Found::Unknown { span, reason, .. } | Found::Unmapped { span, reason, .. }
                            if undecided.is_none() =>
                        {
                            undecided = Some((other, span, reason));
                        }
                        _ => {}
                    }
                }
                all &= meets;
            }
            if all && self.deployed(other) {
                found.push(Found::Item(Item::Resource(other)));
            }
        }
        if found.is_empty()
            && let Some((other, span, reason)) = undecided
        {
            return vec![Found::Unknown {
                res: other,
                span,
                reason,
            }];
        }
        found
    }
}

/// Equal scalars (CloudFormation's equality: `1` equals `"1"`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a.scalar_text(), b.scalar_text()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

enum Rhs<'a> {
    Value(&'a Value),
    Regex(&'a regex::Regex),
}

/// Whether `ord` (the value against the operand) satisfies `op`; `!=` is
/// equality, negated by its caller.
fn ordered(op: CmpOp, ord: std::cmp::Ordering) -> bool {
    match op {
        CmpOp::Eq | CmpOp::Ne => ord.is_eq(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
    }
}

/// What a field or an index of `value` (of resource `res`) is when `value`
/// is no collection known before deploy: the unknown `value` is, or, for a
/// value that exists only after deploy (a reference, an interpolated
/// string), that it is known only then; missing inside a known scalar.
/// Fields and indexes share it, so `X.Y` and `X[0]` of one value agree.
fn inside_scalar(res: ResourceId, value: &Value) -> Found<'_> {
    let span = value.span;
    match &value.kind {
        ValueKind::Unknown(reason) => Found::Unknown {
            res,
            span,
            reason: Cow::Borrowed(reason),
        },
        ValueKind::Ref(_) | ValueKind::Interp(_) => Found::Unknown {
            res,
            span,
            reason: Cow::Owned(Unknowable::AfterDeploy {
                what: value.describe(),
            }),
        },
        _ => Found::Missing { res, span },
    }
}

fn unknown<'a>(res: ResourceId, span: Span, query: &'a str, reason: Cow<'a, Unknowable>) -> Outcome<'a> {
    Outcome::with(
        Status::Unknown,
        Evidence::at(res, span, What::Unknown { query, reason }),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::checks::lang::parse_rule;
    use crate::graph::{Part, Prop, Resource, ResourceRef};

    /// A graph of one bucket whose properties are `props`, and a target.
    fn graph(props: Vec<(&str, ValueKind)>) -> Graph {
        let mut graph = Graph::default();
        let resource = |id: &str, props: Vec<Prop>| Resource {
            id: id.into(),
            kind: "AWS::S3::Bucket".into(),
            span: Span::default(),
            properties: Value::new(Span::default(), ValueKind::Map(props)),
            deployment: Deployment::Always,
            metadata: None,
            source_kind: None,
            known_names: Vec::new(),
            written: None,
            joined: Vec::new(),
            generated_from: None,
            mapping: None,
        };
        let props = props
            .into_iter()
            .map(|(key, kind)| Prop {
                key: key.into(),
                key_span: Span::default(),
                value: Value::new(Span::default(), kind),
            })
            .collect();
        graph.add(resource("Target", Vec::new()));
        graph.add(resource("Bucket", props));
        graph
    }

    fn judge(graph: &Graph, rule: &str) -> Evaluation {
        let rule = parse_rule(rule).unwrap();
        evaluate(
            &rule,
            graph,
            graph.find("Bucket").unwrap(),
            &HashMap::new(),
            Values::Shown,
        )
    }

    #[test]
    fn a_field_and_an_index_of_an_unknown_value_are_that_unknown() {
        let reference = ValueKind::Ref(Box::new(ResourceRef {
            target: "Target".into(),
            attribute: Some("Names".into()),
        }));
        let text = ValueKind::Interp(vec![
            Part::Lit("a-".into()),
            Part::Unknown(Unknowable::AfterApply),
        ]);
        let g = graph(vec![
            ("Computed", ValueKind::Unknown(Box::new(Unknowable::AfterApply))),
            ("Listed", reference),
            ("Text", text),
            ("Known", ValueKind::String("plain".into())),
        ]);
        for property in ["Computed", "Listed", "Text"] {
            for path in [format!("{property}[0]"), format!("{property}.Name")] {
                // What is inside a value set at deploy is taken as set, as
                // the value is; what it is stays unknown.
                let judged = judge(&g, &format!("{path} exists"));
                assert_eq!(judged.status, Status::Pass, "{path}");
                let judged = judge(&g, &format!("{path} == \"x\""));
                assert_eq!(judged.status, Status::Unknown, "{path}");
                let judged = judge(&g, &format!("{path} != \"x\""));
                assert_eq!(judged.status, Status::Unknown, "{path}");
            }
        }
        // The unknown keeps its reason, whichever way it is stepped into.
        let field = judge(&g, "Computed.Name == \"x\"").evidence.unwrap().message;
        let index = judge(&g, "Computed[0] == \"x\"").evidence.unwrap().message;
        assert!(field.ends_with("known only after apply"), "{field}");
        assert!(index.ends_with("known only after apply"), "{index}");
        // Inside a known scalar there is nothing: both are missing.
        assert_eq!(judge(&g, "Known[0] exists").status, Status::Fail);
        assert_eq!(judge(&g, "Known.Name exists").status, Status::Fail);
    }
}
