//! The syntax tree of a rule. See `docs/checks.md` for the language.

use regex::Regex;

use crate::graph::Value;
use crate::parse::Pos;

/// A parsed rule: a conjunction of clauses.
#[derive(Debug, Clone)]
pub struct Rule {
    pub body: Block,
}

/// Clauses that must all hold (one per line, or separated by `;`).
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub clauses: Vec<Expr>,
}

/// One clause.
#[derive(Debug, Clone)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// `when COND { BODY }`: BODY applies only where COND holds; elsewhere the
    /// clause is not applicable.
    When {
        cond: Box<Expr>,
        body: Block,
        /// The guard's source text, to name it when it is assumed.
        text: String,
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
#[derive(Debug, Clone)]
pub struct Query {
    pub root: Root,
    pub steps: Vec<Step>,
    /// The source text, for messages.
    pub text: String,
    /// Where the query is written: its root, each step, and the type-name
    /// argument of a call (`resolve(X, AWS::S3::Bucket)`), for the check
    /// compiler's messages. Positions are in the rule text until
    /// [`Rule::locate`] moves them into the file.
    pub at: Place,
}

/// Where a query and its parts are written.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub root: At,
    /// One per step of the query.
    pub steps: Vec<At>,
    /// The type-name argument of `resolve`, `referrers`, `resources`, `joined`.
    pub kind: At,
}

/// A position in a file. A query inlined from a predicate keeps the
/// predicate's file; `file` is `None` only until [`Rule::locate`] runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct At {
    pub file: Option<std::sync::Arc<str>>,
    pub pos: Pos,
}

impl At {
    /// A position in the rule text being parsed.
    pub fn here(line: u32, col: u32) -> At {
        At {
            file: None,
            pos: Pos { line, col },
        }
    }

    /// `file:line:col`.
    pub fn describe(&self) -> String {
        format!("{}:{}", self.file.as_deref().unwrap_or("<rule>"), self.pos)
    }
}

/// Where a query starts.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
            Expr::When { cond, body, .. } => {
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

/// What [`Block::visit_mut`] does to each part of a rule that names things:
/// queries (after the queries inside them), operands and `when` guard texts.
pub trait VisitMut {
    fn query(&mut self, _query: &mut Query) {}
    fn operand(&mut self, _operand: &mut Operand) {}
    fn guard_text(&mut self, _text: &mut String) {}
}

impl Rule {
    /// Moves the positions of the rule's own queries (those still without a
    /// file) from the rule text into `file`, through `map` (rule-text line and
    /// column to file line and column).
    pub fn locate(&mut self, file: &std::sync::Arc<str>, map: &dyn Fn(Pos) -> Pos) {
        self.body.locate(file, map);
    }
}

impl Block {
    /// See [`Rule::locate`].
    pub fn locate(&mut self, file: &std::sync::Arc<str>, map: &dyn Fn(Pos) -> Pos) {
        struct Locate<'m> {
            file: &'m std::sync::Arc<str>,
            map: &'m dyn Fn(Pos) -> Pos,
        }
        impl Locate<'_> {
            fn at(&self, at: &mut At) {
                if at.file.is_none() {
                    at.pos = (self.map)(at.pos);
                    at.file = Some(self.file.clone());
                }
            }
        }
        impl VisitMut for Locate<'_> {
            fn query(&mut self, query: &mut Query) {
                self.at(&mut query.at.root);
                self.at(&mut query.at.kind);
                query.at.steps.iter_mut().for_each(|at| self.at(at));
            }
        }
        self.visit_mut(&mut Locate { file, map });
    }

    /// Applies `visitor` to every query, operand and guard text, inner
    /// queries before the query that holds them.
    pub fn visit_mut(&mut self, visitor: &mut dyn VisitMut) {
        for clause in &mut self.clauses {
            clause.visit_mut(visitor);
        }
    }
}

impl Expr {
    fn visit_mut(&mut self, visitor: &mut dyn VisitMut) {
        match self {
            Expr::Or(items) | Expr::And(items) => items.iter_mut().for_each(|e| e.visit_mut(visitor)),
            Expr::Not(inner) => inner.visit_mut(visitor),
            Expr::When { cond, body, text } => {
                cond.visit_mut(visitor);
                body.visit_mut(visitor);
                visitor.guard_text(text);
            }
            Expr::Literal { .. } => {}
            Expr::Each { query, body, .. } => {
                query.visit_mut(visitor);
                body.visit_mut(visitor);
            }
            Expr::Test { query, test, .. } => {
                query.visit_mut(visitor);
                match test {
                    Test::Compare(_, operand)
                    | Test::In { list: operand, .. }
                    | Test::Covers { list: operand, .. }
                    | Test::Spans(operand) => visitor.operand(operand),
                    Test::RefersTo(q) => q.visit_mut(visitor),
                    Test::Exists { .. } | Test::Empty { .. } | Test::Literal { .. } => {}
                }
            }
        }
    }
}

impl Query {
    /// Applies `visitor` to the queries inside this one, then to it.
    pub fn visit_mut(&mut self, visitor: &mut dyn VisitMut) {
        if let Root::Call(call) = &mut self.root {
            match call.as_mut() {
                Call::Resolve { path, .. }
                | Call::Referrers { path, .. }
                | Call::Statements(path)
                | Call::Trimmed(path)
                | Call::Entries(path)
                | Call::Assignments(path) => path.visit_mut(visitor),
                Call::Joined { pairs, .. } => pairs.iter_mut().for_each(|(theirs, ours)| {
                    theirs.visit_mut(visitor);
                    ours.visit_mut(visitor);
                }),
                Call::Resources { .. } | Call::IdentityPolicies | Call::SgRules { .. } | Call::Strings => {}
            }
        }
        for step in &mut self.steps {
            if let Step::Filter(block) = step {
                block.visit_mut(visitor);
            }
        }
        visitor.query(self);
    }
}
