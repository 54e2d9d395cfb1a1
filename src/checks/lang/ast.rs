//! The syntax tree of a rule. See `docs/checks.md` for the language.

use regex::Regex;

use crate::graph::Value;

/// A parsed rule: a conjunction of clauses.
#[derive(Debug)]
pub struct Rule {
    pub body: Block,
}

/// Clauses that must all hold (one per line, or separated by `;`).
#[derive(Debug, Default)]
pub struct Block {
    pub clauses: Vec<Expr>,
}

/// One clause.
#[derive(Debug)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// `when COND { BODY }`: BODY applies only where COND holds; elsewhere the
    /// clause is not applicable.
    When {
        cond: Box<Expr>,
        body: Block,
    },
    /// `pass`, `fail "why"`, `unknown "why"`.
    Literal {
        outcome: LiteralOutcome,
        message: Option<String>,
    },
    /// `[some|all|no] QUERY { BODY }`: BODY evaluated on each item of QUERY.
    Each {
        quant: Quant,
        query: Query,
        body: Block,
    },
    /// `[some|all|no] QUERY TEST`.
    Test {
        quant: Quant,
        query: Query,
        test: Test,
    },
}

/// The outcome a literal clause states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralOutcome {
    Pass,
    Fail,
    Unknown,
}

/// How many items of a query must satisfy a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quant {
    /// Every item (the default).
    All,
    /// At least one item.
    Some,
    /// No item.
    No,
}

/// A path from the current item: `A.B[*].C`, `resolve(S3BucketName, AWS::S3::Bucket)`, `%param`.
#[derive(Debug)]
pub struct Query {
    pub root: Root,
    pub steps: Vec<Step>,
    /// The source text, for messages.
    pub text: String,
}

/// Where a query starts.
#[derive(Debug)]
pub enum Root {
    /// A property of the current item.
    Field(String),
    /// `$this`: the current resource.
    This,
    /// `$type`: the current resource's type.
    Type,
    /// `$id`: the current resource's logical id or address.
    Id,
    /// `%name`: a check parameter.
    Param(String),
    /// A built-in function.
    Call(Box<Call>),
}

/// A step of a query.
#[derive(Debug)]
pub enum Step {
    /// `.Key`
    Field(String),
    /// `[*]` or `.*`: every element of a list (or value of a map).
    All,
    /// `[n]`
    Index(usize),
    /// `[ CLAUSES ]`: the elements for which the clauses hold.
    Filter(Block),
}

/// The built-in functions (named predicates of `catalog.md` section 4).
#[derive(Debug)]
pub enum Call {
    /// `resolve(PATH, Type)`: the declared resources of Type that PATH designates.
    Resolve { path: Query, kind: String },
    /// `referrers(Type, PATH)`: the resources of Type whose PATH designates the current resource.
    Referrers { kind: String, path: Query },
    /// `resources(Type)`: every resource of Type in the graph.
    Resources { kind: String },
    /// `statements(PATH)`: the normalized statements of the policy documents at PATH.
    Statements(Query),
    /// `identity_policies()`: the identity-policy documents of the current resource.
    IdentityPolicies,
    /// `ingress_rules()` / `egress_rules()`: the normalized security-group rules.
    SgRules { egress: bool },
    /// `joined(Type, THEIR == OURS, ...)`: the resources of Type joined to the
    /// current item *by value*: for each pair, some value at THEIR (on the
    /// other resource) equals some value at OURS (on the current item).
    /// CloudWatch alarms meet metric filters this way (metric name and namespace).
    Joined {
        kind: String,
        pairs: Vec<(Query, Query)>,
    },
    /// `trimmed(PATH)`: the text at PATH without leading and trailing whitespace.
    Trimmed(Query),
    /// `entries(PATH)`: each entry of the maps at PATH as `{Key, Value}`.
    Entries(Query),
    /// `assignments(PATH)`: each `NAME=value` line of the texts at PATH
    /// (user data, scripts) as `{Key, Value}`.
    Assignments(Query),
    /// `strings()`: every text value of the current resource, its properties
    /// and its metadata, at any depth (secret detectors).
    Strings,
}

/// A test applied to each item of a query.
#[derive(Debug)]
pub enum Test {
    Compare(CmpOp, Operand),
    /// `IN list`, or `NOT IN list` when negated.
    In {
        negated: bool,
        list: Operand,
    },
    /// `exists`, or `not exists` when negated.
    Exists {
        negated: bool,
    },
    /// `empty`, or `not empty` when negated.
    Empty {
        negated: bool,
    },
    /// `refers_to QUERY`: the value designates one of the resources QUERY yields.
    RefersTo(Query),
    /// `covers LIST` (`not covers`): the value, read as an IAM action pattern
    /// (`*` and `?` wildcards, case-insensitive; ACTION-MATCH), matches some
    /// entry of the list: `iam:Put*` covers `iam:PutRolePolicy`.
    Covers {
        negated: bool,
        list: Operand,
    },
    /// `literal` (`not literal`): the value is text or a number written
    /// literally in the source: not a parameter's or variable's value, not a
    /// reference, not a dynamic reference, not unknown.
    Literal {
        negated: bool,
    },
    /// `spans LIST`: the value, a map with `FromPort` and `ToPort` (a
    /// normalized security-group rule), covers some port of the list (PORT-MATCH).
    Spans(Operand),
}

/// Comparison operators. `==` and `!=` with a regex operand match it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The right-hand side of a comparison.
#[derive(Debug)]
pub enum Operand {
    Literal(Value),
    Regex(Regex),
    Param(String),
    /// `retired(%dates, %today)`: the keys of the map parameter `dates` whose
    /// value is a date (`YYYY-MM-DD`) on or before `today`, or not a date at
    /// all (`long-deprecated`). A `today` of `"today"` is the run date.
    Retired {
        dates: String,
        today: String,
    },
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl Rule {
    /// Every `%param` the rule reads, for validation against the check's params.
    pub fn params(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.body.collect_params(&mut out);
        out
    }
}

impl Block {
    fn collect_params<'a>(&'a self, out: &mut Vec<&'a str>) {
        for clause in &self.clauses {
            clause.collect_params(out);
        }
    }
}

impl Expr {
    fn collect_params<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Or(items) | Expr::And(items) => items.iter().for_each(|e| e.collect_params(out)),
            Expr::Not(inner) => inner.collect_params(out),
            Expr::When { cond, body } => {
                cond.collect_params(out);
                body.collect_params(out);
            }
            Expr::Literal { .. } => {}
            Expr::Each { query, body, .. } => {
                query.collect_params(out);
                body.collect_params(out);
            }
            Expr::Test { query, test, .. } => {
                query.collect_params(out);
                match test {
                    Test::Compare(_, Operand::Param(p))
                    | Test::In {
                        list: Operand::Param(p),
                        ..
                    }
                    | Test::Covers {
                        list: Operand::Param(p),
                        ..
                    }
                    | Test::Spans(Operand::Param(p)) => out.push(p),
                    Test::Compare(_, Operand::Retired { dates, today })
                    | Test::In {
                        list: Operand::Retired { dates, today },
                        ..
                    } => out.extend([dates.as_str(), today.as_str()]),
                    Test::RefersTo(q) => q.collect_params(out),
                    _ => {}
                }
            }
        }
    }
}

impl Query {
    fn collect_params<'a>(&'a self, out: &mut Vec<&'a str>) {
        match &self.root {
            Root::Param(p) => out.push(p),
            Root::Call(call) => match call.as_ref() {
                Call::Resolve { path, .. }
                | Call::Referrers { path, .. }
                | Call::Statements(path)
                | Call::Trimmed(path)
                | Call::Entries(path)
                | Call::Assignments(path) => path.collect_params(out),
                Call::Joined { pairs, .. } => pairs.iter().for_each(|(theirs, ours)| {
                    theirs.collect_params(out);
                    ours.collect_params(out);
                }),
                _ => {}
            },
            _ => {}
        }
        for step in &self.steps {
            if let Step::Filter(block) = step {
                block.collect_params(out);
            }
        }
    }
}
