//! The property paths a rule reads, by resource type: on the type it judges,
//! and on the types it reaches through `resolve(PATH, Type)`,
//! `referrers(Type, PATH)`, `joined(Type, ...)` and `resources(Type)`. The
//! Terraform mapping test holds every mapped type to them.
//!
//! Paths are dotted, without list steps (`A[*].B` is `A.B`). What a rule
//! reads inside a value a built-in makes (a normalized statement, a
//! security-group rule, an `{Key, Value}` entry) is not a property path: the
//! path the built-in reads its input from is recorded instead.

use super::ast::{Block, Call, CmpOp, Expr, Operand, Query, Root, Step, Test};
use crate::graph::ValueKind;

/// One property path a rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Read {
    /// The resource type read.
    pub kind: String,
    /// Whether it is read on the judged resource (not one a call reaches).
    pub judged: bool,
    pub path: String,
}

/// Every property path `body` reads when judging resources of the types
/// `judged`, in order, each once. A `when $type == "T"` (or `$type IN [...]`)
/// guard narrows what its body reads to those types.
pub fn reads(body: &Block, judged: &[String]) -> Vec<Read> {
    let mut out = Vec::new();
    let scope = Scope::Resource {
        kinds: judged.to_vec(),
        judged: true,
        prefix: String::new(),
    };
    block(body, &scope, &mut out);
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.clone()));
    out
}

/// Where a query is evaluated: a resource type (with a path prefix inside
/// it), or a value no property path leads to.
#[derive(Clone)]
enum Scope {
    Resource {
        /// The types the resource may be.
        kinds: Vec<String>,
        judged: bool,
        prefix: String,
    },
    Opaque,
}

impl Scope {
    fn of(kind: &str) -> Scope {
        Scope::Resource {
            kinds: vec![kind.to_string()],
            judged: false,
            prefix: String::new(),
        }
    }

    /// The scope one field further in.
    fn field(&self, name: &str) -> Scope {
        match self {
            Scope::Resource {
                kinds,
                judged,
                prefix,
            } => Scope::Resource {
                kinds: kinds.clone(),
                judged: *judged,
                prefix: if prefix.is_empty() {
                    name.to_string()
                } else {
                    format!("{prefix}.{name}")
                },
            },
            Scope::Opaque => Scope::Opaque,
        }
    }

    /// The types the resource may be here.
    fn kinds(&self) -> &[String] {
        match self {
            Scope::Resource { kinds, .. } => kinds,
            Scope::Opaque => &[],
        }
    }

    /// This scope where the resource's type is one that `keep` keeps.
    fn narrowed(&self, keep: impl Fn(&String) -> bool) -> Scope {
        match self {
            Scope::Resource {
                kinds,
                judged,
                prefix,
            } => Scope::Resource {
                kinds: kinds.iter().filter(|k| keep(k)).cloned().collect(),
                judged: *judged,
                prefix: prefix.clone(),
            },
            Scope::Opaque => Scope::Opaque,
        }
    }

    fn record(&self, out: &mut Vec<Read>) {
        if let Scope::Resource {
            kinds,
            judged,
            prefix,
        } = self
            && !prefix.is_empty()
        {
            out.extend(kinds.iter().map(|kind| Read {
                kind: kind.clone(),
                judged: *judged,
                path: prefix.clone(),
            }));
        }
    }
}

/// Which of `kinds` a condition can hold for, when that is decided by what
/// it tests of `$type` alone (`$type == "T"`, `!=`, `IN`, `NOT IN`, and
/// `and`, `or`, `not` of those); `None` when it depends on more.
fn admits(cond: &Expr, kinds: &[String]) -> Option<Vec<String>> {
    match cond {
        // A conjunction holds at most where each of its type tests does.
        Expr::And(items) => items
            .iter()
            .filter_map(|i| admits(i, kinds))
            .reduce(|a, b| a.into_iter().filter(|k| b.contains(k)).collect()),
        Expr::Or(items) => {
            let all = items
                .iter()
                .map(|i| admits(i, kinds))
                .collect::<Option<Vec<_>>>()?;
            Some(
                kinds
                    .iter()
                    .filter(|k| all.iter().any(|a| a.contains(k)))
                    .cloned()
                    .collect(),
            )
        }
        Expr::Not(inner) => {
            let admitted = admits(inner, kinds)?;
            Some(kinds.iter().filter(|k| !admitted.contains(k)).cloned().collect())
        }
        _ => {
            let (negated, types) = type_test(cond)?;
            Some(
                kinds
                    .iter()
                    .filter(|k| types.contains(k) != negated)
                    .cloned()
                    .collect(),
            )
        }
    }
}

/// A test of `$type`: whether it is negated (`!=`, `NOT IN`), and the types named.
fn type_test(cond: &Expr) -> Option<(bool, Vec<String>)> {
    let Expr::Test { query, test, .. } = cond else {
        return None;
    };
    if !matches!(query.root, Root::Type) || !query.steps.is_empty() {
        return None;
    }
    let texts = |v: &crate::graph::Value| match &v.kind {
        ValueKind::String(s) => Some(vec![s.clone()]),
        ValueKind::List(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
        _ => None,
    };
    match test {
        Test::Compare(op @ (CmpOp::Eq | CmpOp::Ne), Operand::Literal(v)) => {
            Some((*op == CmpOp::Ne, texts(v)?))
        }
        Test::In {
            negated,
            list: Operand::Literal(v),
        } => Some((*negated, texts(v)?)),
        _ => None,
    }
}

/// Where `identity_policies()` reads the policy documents of each type.
const IDENTITY_POLICIES: &[(&[&str], &str)] = &[
    (
        &[
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::Policy",
            "AWS::IAM::RolePolicy",
            "AWS::IAM::UserPolicy",
            "AWS::IAM::GroupPolicy",
        ],
        "PolicyDocument",
    ),
    (
        &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
        "Policies.PolicyDocument",
    ),
    (&["AWS::SSO::PermissionSet"], "InlinePolicy"),
];

fn block(body: &Block, scope: &Scope, out: &mut Vec<Read>) {
    for clause in &body.clauses {
        expr(clause, scope, out);
    }
}

fn expr(e: &Expr, scope: &Scope, out: &mut Vec<Read>) {
    match e {
        // Alternatives are evaluated until one holds, conjuncts until one
        // fails: `$type == "T" or X` reads X on other types only, `$type ==
        // "T" and X` on T only.
        Expr::Or(items) | Expr::And(items) => {
            let or = matches!(e, Expr::Or(_));
            let mut here = scope.clone();
            for item in items {
                expr(item, &here, out);
                if let Some(admitted) = admits(item, here.kinds()) {
                    here = here.narrowed(|k| admitted.contains(k) != or);
                }
            }
        }
        Expr::Not(inner) => expr(inner, scope, out),
        Expr::When { cond, body, .. } => {
            expr(cond, scope, out);
            match admits(cond, scope.kinds()) {
                Some(admitted) => block(body, &scope.narrowed(|k| admitted.contains(k)), out),
                None => block(body, scope, out),
            }
        }
        Expr::Literal { .. } => {}
        Expr::Each { query: q, body, .. } => {
            let inner = query(q, scope, out);
            block(body, &inner, out);
        }
        Expr::Test { query: q, test, .. } => {
            query(q, scope, out);
            if let Test::RefersTo(target) = test {
                query(target, scope, out);
            }
        }
    }
}

/// Records what `q` reads from `scope`; returns the scope of its results.
fn query(q: &Query, scope: &Scope, out: &mut Vec<Read>) -> Scope {
    let mut here = match &q.root {
        Root::Field(name) => scope.field(name),
        Root::This => scope.clone(),
        Root::Type | Root::Id | Root::Param(_) => Scope::Opaque,
        Root::Call(call) => self::call(call, scope, out),
    };
    for step in &q.steps {
        match step {
            Step::Field(name) => here = here.field(name),
            Step::All | Step::Index(_) => {}
            Step::Filter(body) => {
                here.record(out);
                block(body, &here, out);
            }
        }
    }
    here.record(out);
    here
}

fn call(c: &Call, scope: &Scope, out: &mut Vec<Read>) -> Scope {
    match c {
        Call::Resolve { path, kind } => {
            query(path, scope, out);
            Scope::of(kind)
        }
        Call::Referrers { kind, path } => {
            query(path, &Scope::of(kind), out);
            Scope::of(kind)
        }
        Call::Resources { kind } => Scope::of(kind),
        Call::Joined { kind, pairs } => {
            for (theirs, ours) in pairs {
                query(theirs, &Scope::of(kind), out);
                query(ours, scope, out);
            }
            Scope::of(kind)
        }
        Call::Statements(path) | Call::Trimmed(path) | Call::Entries(path) | Call::Assignments(path) => {
            query(path, scope, out);
            Scope::Opaque
        }
        // What the built-in views read of the resource (`views.rs`).
        Call::IdentityPolicies => {
            for (kinds, path) in IDENTITY_POLICIES {
                scope
                    .narrowed(|k| kinds.contains(&k.as_str()))
                    .field(path)
                    .record(out);
            }
            Scope::Opaque
        }
        Call::SgRules { egress } => {
            let inline = if *egress {
                "SecurityGroupEgress"
            } else {
                "SecurityGroupIngress"
            };
            scope
                .narrowed(|k| k == "AWS::EC2::SecurityGroup")
                .field(inline)
                .record(out);
            // The standalone rules of a group name it by id or name.
            let standalone = if *egress {
                "AWS::EC2::SecurityGroupEgress"
            } else {
                "AWS::EC2::SecurityGroupIngress"
            };
            if scope.kinds().iter().any(|k| k == "AWS::EC2::SecurityGroup") {
                for path in ["GroupId", "GroupName"] {
                    Scope::of(standalone).field(path).record(out);
                }
            }
            Scope::Opaque
        }
        Call::Strings => Scope::Opaque,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(kind: Option<&str>, path: &str) -> Read {
        Read {
            kind: kind.unwrap_or("AWS::IAM::Role").to_string(),
            judged: kind.is_none(),
            path: path.to_string(),
        }
    }

    #[test]
    fn reads_follow_blocks_filters_and_the_types_calls_reach() {
        let rule = crate::checks::lang::parse_rule(
            "some Policies[*] { PolicyDocument exists }\n\
             Logging[ Enabled == true ].Bucket exists\n\
             some resolve(KmsKeyId, AWS::KMS::Key) { EnableKeyRotation == true }\n\
             no referrers(AWS::EC2::FlowLog, ResourceId) { TrafficType == \"ALL\" }\n\
             no statements(AssumeRolePolicyDocument) { Principal exists }\n\
             some resources(AWS::S3::AccountPublicAccessBlock) { BlockPublicAcls == true }\n\
             when $type == \"AWS::IAM::User\" { LoginProfile.Password exists }",
        )
        .unwrap();
        let judged = ["AWS::IAM::Role".to_string(), "AWS::IAM::User".to_string()];
        let reads = reads(&rule.body, &judged);
        for expected in [
            read(None, "Policies"),
            read(None, "Policies.PolicyDocument"),
            read(None, "Logging"),
            read(None, "Logging.Enabled"),
            read(None, "Logging.Bucket"),
            read(None, "KmsKeyId"),
            read(Some("AWS::KMS::Key"), "EnableKeyRotation"),
            read(Some("AWS::EC2::FlowLog"), "ResourceId"),
            read(Some("AWS::EC2::FlowLog"), "TrafficType"),
            read(None, "AssumeRolePolicyDocument"),
            read(Some("AWS::S3::AccountPublicAccessBlock"), "BlockPublicAcls"),
        ] {
            assert!(reads.contains(&expected), "{expected:?} not in {reads:?}");
        }
        // A statement's fields are not properties of the role.
        assert!(!reads.iter().any(|r| r.path == "Principal"));
        // What a type guard admits is read on that type only.
        assert!(
            reads
                .iter()
                .any(|r| r.kind == "AWS::IAM::User" && r.path == "LoginProfile.Password")
        );
        assert!(
            !reads
                .iter()
                .any(|r| r.kind == "AWS::IAM::Role" && r.path.starts_with("LoginProfile"))
        );
    }
}
