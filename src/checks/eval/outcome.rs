//! Four-valued outcomes with the evidence that decided them.

use std::borrow::Cow;

use crate::checks::lang::ast::{Call, CmpOp, Operand, Query, Root, Test};
use crate::graph::{Origin, ResourceId, Value, ValueKind};
use crate::parse::Span;

/// The outcome of a clause on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// The deciding value is not known before deploy.
    Unknown,
    /// A `when` guard did not hold: the clause does not apply.
    Skip,
}

/// What a clause looked at, to explain its outcome and locate it.
#[derive(Debug, Clone)]
pub struct Evidence<'a> {
    /// The resource the span belongs to (a related resource for graph checks).
    pub resource: ResourceId,
    pub span: Span,
    pub what: What<'a>,
    /// Set when a `not` / `no` turned the clause's outcome around, so the
    /// "expected" part of the message would mislead.
    pub negated: bool,
    /// The steps a graph check took from the judged resource to `resource`,
    /// outermost first (empty when the evidence is in the judged resource).
    pub trail: Vec<Link<'a>>,
}

impl<'a> Evidence<'a> {
    /// Evidence at `span` of `resource`.
    pub fn at(resource: ResourceId, span: Span, what: What<'a>) -> Evidence<'a> {
        Evidence {
            resource,
            span,
            what,
            negated: false,
            trail: Vec::new(),
        }
    }
}

/// One step of a graph check from one resource to another: the item it
/// started from and the query that left it. Where in `from` the link is
/// written is worked out only for reported findings ([`super::Ctx::anchor`]).
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub from: super::Item<'a>,
    pub query: &'a Query,
    pub to: ResourceId,
}

/// A step of a reported finding's walk, located: where in `resource` the
/// link to the next resource is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hop {
    pub resource: ResourceId,
    pub span: Span,
    /// The link is a property of `resource` naming the next one (the
    /// judged resource's `DBSubnetGroupName`), rather than the next one
    /// pointing back or being found by type (then `span` is `resource`'s).
    pub by_property: bool,
}

/// The kinds of evidence.
#[derive(Debug, Clone)]
pub enum What<'a> {
    /// `query` has `value`; `test` is what it was tested against.
    Value {
        query: &'a str,
        value: &'a Value,
        test: Option<&'a Test>,
    },
    /// `query` is not set.
    Missing { query: &'a str },
    /// `query` cannot be known before deploy.
    Unknown {
        query: &'a str,
        reason: Cow<'a, crate::graph::Unknowable>,
    },
    /// `query` is the value of a parameter without a value, whose
    /// constraints (`bounds`, as written) decide `test`.
    Bounded {
        query: &'a str,
        parameter: &'a str,
        bounds: &'a str,
        test: &'a Test,
    },
    /// `query` yields nothing that satisfies the clause.
    NoneFound { query: &'a Query },
    /// A literal `fail "..."` / `unknown "..."` clause.
    Literal(Option<&'a str>),
}

impl<'a> What<'a> {
    /// The same evidence with the value called `name` (its name where the user wrote it).
    pub fn named<'n>(&self, name: &'n str) -> What<'n>
    where
        'a: 'n,
    {
        match self {
            What::Value { value, test, .. } => What::Value {
                query: name,
                value,
                test: *test,
            },
            What::Missing { .. } => What::Missing { query: name },
            What::Unknown { reason, .. } => What::Unknown {
                query: name,
                reason: reason.clone(),
            },
            other => other.clone(),
        }
    }
}

/// A status with the evidence behind it.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub status: Status,
    pub evidence: Option<Evidence<'a>>,
}

impl<'a> Outcome<'a> {
    /// An outcome without evidence.
    pub fn bare(status: Status) -> Outcome<'a> {
        Outcome {
            status,
            evidence: None,
        }
    }

    /// An outcome with evidence.
    pub fn with(status: Status, evidence: Evidence<'a>) -> Outcome<'a> {
        Outcome {
            status,
            evidence: Some(evidence),
        }
    }

    /// Whether the evidence is about the resource rather than a check parameter.
    fn is_about_resource(&self) -> bool {
        match &self.evidence {
            Some(Evidence {
                what: What::Value { query, .. },
                ..
            }) => !query.starts_with('%'),
            Some(_) => true,
            None => false,
        }
    }

    /// `not`: pass and fail swap; unknown and skip stay.
    pub fn negate(mut self) -> Outcome<'a> {
        self.status = match self.status {
            Status::Pass => Status::Fail,
            Status::Fail => Status::Pass,
            other => other,
        };
        if let Some(e) = &mut self.evidence {
            e.negated = !e.negated;
        }
        self
    }
}

/// Conjunction: fail if any fails, else unknown if any is unknown, else pass
/// if any passes, else skip. Stops at the first failure.
pub fn all<'a>(outcomes: impl IntoIterator<Item = Outcome<'a>>) -> Outcome<'a> {
    let mut first_unknown = None;
    let mut first_pass: Option<Outcome<'a>> = None;
    for outcome in outcomes {
        match outcome.status {
            Status::Fail => return outcome,
            Status::Unknown if first_unknown.is_none() => first_unknown = Some(outcome),
            // A passing clause explains the pass; one about the resource beats
            // one about a check parameter (it is what a `no` will point at).
            Status::Pass
                if first_pass
                    .as_ref()
                    .is_none_or(|p| !p.is_about_resource() && outcome.is_about_resource()) =>
            {
                first_pass = Some(outcome)
            }
            _ => {}
        }
    }
    first_unknown
        .or(first_pass)
        .unwrap_or_else(|| Outcome::bare(Status::Skip))
}

/// Disjunction: pass if any passes, else unknown if any is unknown, else fail
/// if any fails, else skip. Stops at the first pass.
pub fn any<'a>(outcomes: impl IntoIterator<Item = Outcome<'a>>) -> Outcome<'a> {
    let mut first_unknown = None;
    let mut first_fail: Option<Outcome<'a>> = None;
    for outcome in outcomes {
        match outcome.status {
            Status::Pass => return outcome,
            Status::Unknown if first_unknown.is_none() => first_unknown = Some(outcome),
            // A failed `%param == x` guard says nothing about the resource:
            // the evidence of a failing alternative on the resource is the one to show.
            Status::Fail
                if first_fail
                    .as_ref()
                    .is_none_or(|f| about_param(f) && !about_param(&outcome)) =>
            {
                first_fail = Some(outcome)
            }
            _ => {}
        }
    }
    first_unknown
        .or(first_fail)
        .unwrap_or_else(|| Outcome::bare(Status::Skip))
}

/// Whether an outcome's evidence is a check parameter's value (`%name`), not the resource's.
fn about_param(outcome: &Outcome<'_>) -> bool {
    matches!(
        outcome.evidence.as_ref().map(|e| &e.what),
        Some(What::Value { query, .. }) if query.starts_with('%')
    )
}

/// Whether messages may quote the values a check judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Shown,
    /// Secret detectors say where, never what: the judged value is never
    /// rendered, whatever its type.
    Redacted,
}

/// What a redacted value reads as.
pub const REDACTED: &str = "<redacted>";

/// Names a property path as the user writes it: one of the judged
/// resource's (`None`) or of a resource of another type (`Some(kind)`).
pub type PathNames<'n> = &'n dyn Fn(Option<&str>, &str) -> String;

/// Property paths by their canonical names (CloudFormation's).
pub fn canonical_paths(_: Option<&str>, path: &str) -> String {
    path.to_string()
}

/// Renders the one-line reason of an evidence (the resource prefix is added by the caller).
pub fn describe(what: &What<'_>, negated: bool, values: Values, names: PathNames<'_>) -> String {
    match what {
        // PUBLIC-STMT's computed field: say what it means, not its name.
        What::Value { query: "Public", value, .. } if value.kind == ValueKind::Bool(true) => {
            "the statement allows everyone: Principal \"*\" (or NotPrincipal) without a condition restricting the caller".to_string()
        }
        What::Value { query, value, test } => {
            let origin = match &value.origin {
                Origin::Parameter(p) => format!(" (from parameter {p})"),
                Origin::Bounded(by) => format!(" (from parameter {})", by.parameter),
                Origin::Default => " (the default)".to_string(),
                Origin::Attribute(r) => match &r.attribute {
                    Some(a) => format!(" (from {}.{a})", r.target),
                    None => format!(" (from {})", r.target),
                },
                Origin::Written | Origin::Document(_) => String::new(),
            };
            let expected = match test {
                Some(t) if !negated => format!("; expected {}", describe_test(t)),
                _ => String::new(),
            };
            // `$this` inside a block over values is the element itself.
            let query = if *query == "$this" {
                "the element"
            } else if query.starts_with("strings()") {
                "a text of the resource"
            } else {
                query
            };
            let shown = match values {
                Values::Shown => value.describe(),
                Values::Redacted => REDACTED.to_string(),
            };
            format!("{query} is {shown}{origin}{expected}")
        }
        What::Missing { query } => format!("{query} is not set"),
        What::Unknown { query, reason } => format!("{query} is unknown: {reason}"),
        What::Bounded {
            query,
            parameter,
            bounds,
            test,
        } => {
            let expected = if negated {
                String::new()
            } else {
                format!("; expected {}", describe_test(test))
            };
            format!("{query} is parameter {parameter}, which has no value but is bounded by its {bounds}{expected}")
        }
        What::NoneFound { query } => describe_none_found(query, negated, names),
        What::Literal(Some(message)) => message.to_string(),
        What::Literal(None) => "the check failed".to_string(),
    }
}

/// "no AWS::EC2::FlowLog refers to it through ResourceId", and the like.
fn describe_none_found(query: &Query, negated: bool, names: PathNames<'_>) -> String {
    let ours = |path: &Query| names(None, &path.text);
    let subject = match (&query.root, query.steps.is_empty()) {
        (Root::Call(call), true) => match call.as_ref() {
            Call::Referrers { kind, path } => {
                format!(
                    "{kind} that refers to it through {}",
                    names(Some(kind), &path.text)
                )
            }
            Call::Resolve { path, kind } => format!("{kind} designated by {}", ours(path)),
            Call::Resources { kind } => format!("{kind} in scope"),
            Call::Statements(path) => format!("statement in {}", ours(path)),
            Call::Joined { kind, pairs } => {
                let on: Vec<String> = pairs
                    .iter()
                    .map(|(theirs, mine)| format!("{} == {}", names(Some(kind), &theirs.text), ours(mine)))
                    .collect();
                format!("{kind} with {}", on.join(" and "))
            }
            Call::Trimmed(path) => format!("value of {}", ours(path)),
            Call::Entries(path) => format!("entry of {}", ours(path)),
            Call::Assignments(path) => format!("assignment in {}", ours(path)),
            Call::Strings => "text of the resource".to_string(),
            Call::IdentityPolicies => "identity policy".to_string(),
            Call::SgRules { egress: false } => "ingress rule".to_string(),
            Call::SgRules { egress: true } => "egress rule".to_string(),
        },
        _ => format!("element of {}", names(None, &query.text)),
    };
    if negated {
        format!("a matching {subject} exists")
    } else {
        format!("no matching {subject}")
    }
}

fn describe_test(test: &Test) -> String {
    let operand = |o: &Operand| match o {
        Operand::Literal(v) => v.describe(),
        Operand::Regex(r) => format!("/{}/", r.as_str()),
        Operand::Param(p) => format!("%{p}"),
        Operand::Retired { dates, today } => format!("the entries of %{dates} retired by %{today}"),
    };
    match test {
        Test::Compare(CmpOp::Eq, o @ Operand::Regex(_)) => format!("to match {}", operand(o)),
        Test::Compare(CmpOp::Ne, o @ Operand::Regex(_)) => format!("not to match {}", operand(o)),
        Test::Compare(op, o) => format!("{} {}", op.symbol(), operand(o)),
        Test::In { negated, list } => {
            format!("{}in {}", if *negated { "not " } else { "" }, operand(list))
        }
        Test::Exists { negated } => if *negated { "not to be set" } else { "to be set" }.to_string(),
        Test::Empty { negated } => if *negated { "a non-empty value" } else { "empty" }.to_string(),
        Test::RefersTo(q) => format!("to refer to {}", q.text),
        Test::Literal { negated } => if *negated {
            "not to be written literally"
        } else {
            "to be a literal"
        }
        .to_string(),
        Test::Spans(list) => format!("to span a port of {}", operand(list)),
        Test::Covers { negated, list } => format!(
            "{}to cover an action of {}",
            if *negated { "not " } else { "" },
            operand(list)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(status: Status) -> Outcome<'static> {
        Outcome::bare(status)
    }

    #[test]
    fn kleene_logic_with_skip() {
        use Status::*;
        assert_eq!(all([o(Pass), o(Unknown)]).status, Unknown);
        assert_eq!(all([o(Unknown), o(Fail)]).status, Fail);
        assert_eq!(all([o(Skip), o(Pass)]).status, Pass);
        assert_eq!(all([o(Skip), o(Skip)]).status, Skip);
        assert_eq!(any([o(Fail), o(Unknown)]).status, Unknown);
        assert_eq!(any([o(Unknown), o(Pass)]).status, Pass);
        assert_eq!(any([o(Fail), o(Skip)]).status, Fail);
        assert_eq!(o(Pass).negate().status, Fail);
        assert_eq!(o(Unknown).negate().status, Unknown);
    }
}
