//! The check compiler: what loading a check file verifies beyond its syntax.
//!
//! Rules are parsed (predicate calls inlined) when a file is read; this
//! module then holds every check to the resource schemas: each
//! `resource_types` entry is a known type, each property path a rule reads
//! exists in the schema of the type it is read on (following `resolve`,
//! `referrers`, `resources` and `joined` to the types they reach), params are
//! used and used as their defaults' types allow. A typo is an error at its
//! `file:line:col`, never a property silently read as absent.

pub mod library;
pub mod schema;

use std::fmt;
use std::sync::Arc;

use crate::checks::lang::ast::{At, Block, Call, CmpOp, Expr, Operand, Query, Root, Step, Test};
use crate::graph::ValueKind;
use crate::parse::Pos;
use schema::{Schemas, Shape};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// A problem the compiler found, at its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

impl Problem {
    pub fn error(file: &str, pos: Pos, message: String) -> Problem {
        Problem {
            level: Level::Error,
            file: file.to_string(),
            pos,
            message,
        }
    }

    pub fn warning(file: &str, pos: Pos, message: String) -> Problem {
        Problem {
            level: Level::Warning,
            file: file.to_string(),
            pos,
            message,
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.level {
            Level::Warning => "warning: ",
            Level::Error => "",
        };
        write!(f, "{}:{}: {label}{}", self.file, self.pos, self.message)
    }
}

impl From<crate::checks::check::CheckFileError> for Problem {
    fn from(e: crate::checks::check::CheckFileError) -> Problem {
        Problem::error(&e.file, e.pos, e.message)
    }
}

/// What the compiler finds in `check`: errors and warnings.
pub fn compile(check: &crate::checks::Check) -> Vec<Problem> {
    compile_with(check, schema::builtin())
}

/// [`compile`] against the given schemas.
pub fn compile_with(check: &crate::checks::Check, schemas: &Schemas) -> Vec<Problem> {
    let mut compiler = Compiler {
        check,
        schemas,
        problems: Vec::new(),
    };
    let mut subjects = Vec::new();
    for (i, kind) in check.resource_types.iter().enumerate() {
        let pos = check
            .places
            .resource_types
            .get(i)
            .copied()
            .unwrap_or(check.places.rule);
        if kind == "*" {
            subjects.push(Subject::any());
        } else if let Some(subject) = compiler.resource(kind, &At { file: None, pos }) {
            subjects.push(subject);
        } else {
            subjects.push(Subject::any());
        }
    }
    compiler.block(&check.rule.body, &subjects);
    compiler.params();
    compiler.problems
}

/// What the current item may be: a resource of a type, or a value of a shape.
#[derive(Clone, Debug)]
struct Subject {
    /// The resource type, when the item is a whole resource.
    kind: Option<String>,
    shape: Arc<Shape>,
    /// What it is, for messages: `AWS::S3::Bucket.BucketEncryption`.
    label: String,
}

impl Subject {
    fn any() -> Subject {
        Subject {
            kind: None,
            shape: Arc::new(Shape::Any),
            label: "the value".into(),
        }
    }

    /// A part of `parent`: its property or its elements (`step`).
    fn within(parent: &Subject, shape: &Shape, step: &str) -> Subject {
        Subject {
            kind: None,
            shape: Arc::new(shape.clone()),
            label: format!("{}{step}", parent.label),
        }
    }
}

struct Compiler<'c> {
    check: &'c crate::checks::Check,
    schemas: &'c Schemas,
    problems: Vec<Problem>,
}

/// A path that no subject has, and where.
struct Miss {
    at: At,
    message: String,
}

impl Compiler<'_> {
    fn file_of(&self, at: &At) -> String {
        at.file
            .as_deref()
            .map_or_else(|| self.check.source.clone(), str::to_string)
    }

    fn error(&mut self, at: &At, message: String) {
        let problem = Problem::error(&self.file_of(at), at.pos, message);
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    /// The subject of a whole resource of `kind`; an error when the type is unknown.
    fn resource(&mut self, kind: &str, at: &At) -> Option<Subject> {
        if is_custom(kind) {
            // A custom resource's properties are whatever its provider reads.
            return Some(Subject {
                kind: Some(kind.to_string()),
                shape: Arc::new(Shape::Any),
                label: kind.to_string(),
            });
        }
        match self.schemas.tree(kind) {
            Some(shape) => Some(Subject {
                kind: Some(kind.to_string()),
                shape,
                label: kind.to_string(),
            }),
            None => {
                let suggestion = closest(kind, self.schemas.type_names())
                    .map(|s| format!(": did you mean {s}?"))
                    .unwrap_or_default();
                self.error(
                    at,
                    format!(
                        "unknown resource type {kind} (neither a CloudFormation type nor one of docs/canonical-types.md){suggestion}"
                    ),
                );
                None
            }
        }
    }

    fn block(&mut self, block: &Block, subjects: &[Subject]) {
        for clause in &block.clauses {
            self.expr(clause, subjects);
        }
    }

    fn expr(&mut self, expr: &Expr, subjects: &[Subject]) {
        match expr {
            Expr::And(items) => {
                // A `$type == ...` conjunct narrows the types the next ones are read on.
                let mut narrowed = subjects.to_vec();
                for item in items {
                    self.expr(item, &narrowed);
                    narrowed = narrow(item, &narrowed);
                }
            }
            Expr::Or(items) => items.iter().for_each(|e| self.expr(e, subjects)),
            Expr::Not(inner) => self.expr(inner, subjects),
            Expr::When { cond, body, .. } => {
                self.expr(cond, subjects);
                let narrowed = narrow(cond, subjects);
                self.block(body, &narrowed);
            }
            Expr::Literal { .. } => {}
            Expr::Each { query, body, .. } => {
                let items = self.query(query, subjects);
                self.block(body, &items);
            }
            Expr::Test { query, test, .. } => {
                self.query(query, subjects);
                match test {
                    Test::RefersTo(targets) => {
                        self.query(targets, subjects);
                    }
                    Test::Compare(op, operand) => self.param_use(query, operand, Use::Compared(*op)),
                    Test::In { list, .. } | Test::Covers { list, .. } | Test::Spans(list) => {
                        self.param_use(query, list, Use::List)
                    }
                    Test::Exists { .. } | Test::Empty { .. } | Test::Literal { .. } => {}
                }
            }
        }
    }

    /// The subjects `query` yields from `subjects`; a path none of them has is an error.
    fn query(&mut self, query: &Query, subjects: &[Subject]) -> Vec<Subject> {
        let mut current: Vec<Subject> = match &query.root {
            Root::Field(name) => match self.field(subjects, name, &query.at.root) {
                Some(found) => found,
                None => return Vec::new(),
            },
            Root::This => subjects.to_vec(),
            Root::Type | Root::Id | Root::Param(_) => vec![Subject::any()],
            Root::Call(call) => self.call(call, query, subjects),
        };
        for (i, step) in query.steps.iter().enumerate() {
            if current.is_empty() {
                break;
            }
            current = match step {
                Step::Field(name) => {
                    let at = query.at.steps.get(i).unwrap_or(&query.at.root);
                    match self.field(&current, name, at) {
                        Some(found) => found,
                        None => return Vec::new(),
                    }
                }
                Step::All | Step::Index(_) => current.iter().map(elements).collect(),
                Step::Filter(block) => {
                    let items: Vec<Subject> = current.iter().map(elements).collect();
                    self.block(block, &items);
                    items
                }
            };
        }
        current
    }

    /// The subjects at property `name` of `subjects`; an error at `at` when none has it.
    fn field(&mut self, subjects: &[Subject], name: &str, at: &At) -> Option<Vec<Subject>> {
        if subjects.is_empty() {
            return Some(Vec::new());
        }
        let found: Vec<Subject> = subjects.iter().filter_map(|s| field(s, name)).collect();
        if found.is_empty() {
            let miss = self.miss(subjects, name, at);
            self.error(&miss.at, miss.message);
            return None;
        }
        Some(found)
    }

    fn miss(&self, subjects: &[Subject], name: &str, at: &At) -> Miss {
        let mut owners = Vec::new();
        let mut siblings = Vec::new();
        for subject in subjects {
            match subject.shape.as_ref() {
                Shape::Object(props) => {
                    owners.push(subject.label.clone());
                    siblings.extend(props.keys().cloned());
                }
                Shape::List(_) => {
                    owners.push(format!("{}, a list (read its elements with [*])", subject.label))
                }
                _ => owners.push(format!("{}, a value without properties", subject.label)),
            }
        }
        owners.dedup();
        let suggestion = closest(name, siblings.iter().map(String::as_str))
            .map(|s| format!(": did you mean {s}?"))
            .unwrap_or_default();
        Miss {
            at: at.clone(),
            message: format!("no property {name} in {}{suggestion}", owners.join(" or ")),
        }
    }

    fn call(&mut self, call: &Call, query: &Query, subjects: &[Subject]) -> Vec<Subject> {
        let kind_at = &query.at.kind;
        match call {
            Call::Resolve { path, kind } => {
                self.query(path, subjects);
                self.resource(kind, kind_at).into_iter().collect()
            }
            Call::Referrers { kind, path } => match self.resource(kind, kind_at) {
                Some(theirs) => {
                    self.query(path, std::slice::from_ref(&theirs));
                    vec![theirs]
                }
                None => Vec::new(),
            },
            Call::Resources { kind } => self.resource(kind, kind_at).into_iter().collect(),
            Call::Joined { kind, pairs } => {
                let theirs = self.resource(kind, kind_at);
                for (their_path, our_path) in pairs {
                    if let Some(theirs) = &theirs {
                        self.query(their_path, std::slice::from_ref(theirs));
                    }
                    self.query(our_path, subjects);
                }
                theirs.into_iter().collect()
            }
            Call::Statements(path) | Call::Trimmed(path) | Call::Entries(path) | Call::Assignments(path) => {
                self.query(path, subjects);
                vec![Subject::any()]
            }
            Call::IdentityPolicies | Call::SgRules { .. } | Call::Strings => vec![Subject::any()],
        }
    }

    /// A `%param` used as an operand: its default must suit the use.
    fn param_use(&mut self, query: &Query, operand: &Operand, usage: Use) {
        let names: Vec<(&str, Use)> = match operand {
            Operand::Param(name) => vec![(name.as_str(), usage)],
            Operand::Retired { dates, today } => {
                vec![(dates.as_str(), Use::Dates), (today.as_str(), Use::Text)]
            }
            Operand::Literal(_) | Operand::Regex(_) => Vec::new(),
        };
        for (name, usage) in names {
            let Some(value) = self.check.params.get(name) else {
                continue;
            };
            let found = describe_kind(&value.kind);
            let fits = match (usage, &value.kind) {
                // A null default turns the parameter's clause off until it is set.
                (_, ValueKind::Null) => true,
                (Use::List, ValueKind::List(_)) => true,
                (Use::List, _) => false,
                (Use::Compared(CmpOp::Eq | CmpOp::Ne), ValueKind::List(_) | ValueKind::Map(_)) => false,
                (Use::Compared(CmpOp::Eq | CmpOp::Ne), _) => true,
                (Use::Compared(_), ValueKind::Number(_)) => true,
                (Use::Compared(_), ValueKind::String(s)) => s.trim().parse::<f64>().is_ok(),
                (Use::Compared(_), _) => false,
                (Use::Dates, ValueKind::Map(_)) => true,
                (Use::Dates, _) => false,
                (Use::Text, ValueKind::String(_)) => true,
                (Use::Text, _) => false,
            };
            if !fits {
                let wanted = match usage {
                    Use::List => "a list (IN, covers and spans read a list)",
                    Use::Compared(CmpOp::Eq | CmpOp::Ne) => "a single value (== and != compare one)",
                    Use::Compared(_) => "a number (<, <=, >, >= compare numbers)",
                    Use::Dates => "a map of names to dates (retired's first argument)",
                    Use::Text => "a date or \"today\" (retired's second argument)",
                };
                let at = query.at.root.clone();
                self.error(
                    &at,
                    format!("%{name} is used as {wanted}, but its default is {found}"),
                );
            }
        }
    }

    /// Warns of each declared param the rule never reads.
    fn params(&mut self) {
        let used = self.check.rule.params();
        let mut unused: Vec<(&String, Pos)> = self
            .check
            .places
            .params
            .iter()
            .filter(|(name, _)| !used.contains(&name.as_str()))
            .map(|(name, pos)| (name, *pos))
            .collect();
        unused.sort_by_key(|(_, pos)| *pos);
        for (name, pos) in unused {
            self.problems.push(Problem::warning(
                &self.check.source,
                pos,
                format!(
                    "%{name} is declared but the rule of {} never reads it",
                    self.check.id
                ),
            ));
        }
    }
}

/// A custom resource type (`Custom::Name`, `AWS::CloudFormation::CustomResource`).
fn is_custom(kind: &str) -> bool {
    kind.strip_prefix("Custom::").is_some_and(|name| !name.is_empty())
        || kind == "AWS::CloudFormation::CustomResource"
}

/// How a rule uses a param.
#[derive(Clone, Copy)]
enum Use {
    List,
    Compared(CmpOp),
    Dates,
    Text,
}

fn describe_kind(kind: &ValueKind) -> &'static str {
    match kind {
        ValueKind::List(_) => "a list",
        ValueKind::Map(_) => "a map",
        ValueKind::Number(_) => "a number",
        ValueKind::String(_) => "text",
        ValueKind::Bool(_) => "a boolean",
        ValueKind::Null => "null",
        _ => "not a plain value",
    }
}

/// The subject at property `name` of `subject`, if it can have one.
fn field(subject: &Subject, name: &str) -> Option<Subject> {
    match subject.shape.as_ref() {
        Shape::Any => Some(Subject::any()),
        Shape::Object(props) => props
            .get(name)
            .map(|shape| Subject::within(subject, shape, &format!(".{name}"))),
        Shape::Map(inner) => Some(Subject::within(subject, inner, &format!(".{name}"))),
        Shape::Scalar | Shape::List(_) => None,
    }
}

/// The subject of the elements of `subject` (`[*]`, `[n]`, `.*`).
fn elements(subject: &Subject) -> Subject {
    match subject.shape.as_ref() {
        Shape::List(inner) | Shape::Map(inner) => Subject::within(subject, inner, "[*]"),
        // A single value is its own element.
        Shape::Scalar => subject.clone(),
        // The values of an object's properties: any of its shapes.
        Shape::Object(_) | Shape::Any => Subject::any(),
    }
}

/// The subjects for which `expr` may hold, as far as it tests `$type`.
fn narrow(expr: &Expr, subjects: &[Subject]) -> Vec<Subject> {
    let keep = |types: &[String]| -> Vec<Subject> {
        let kept: Vec<Subject> = subjects
            .iter()
            .filter(|s| s.kind.as_ref().is_none_or(|k| types.contains(k)))
            .cloned()
            .collect();
        // A guard that names none of the types leaves nothing to judge: keep
        // them all rather than judge nothing.
        if kept.is_empty() { subjects.to_vec() } else { kept }
    };
    match expr {
        Expr::Test {
            query:
                Query {
                    root: Root::Type,
                    steps,
                    ..
                },
            test,
            ..
        } if steps.is_empty() => match test {
            Test::Compare(CmpOp::Eq, Operand::Literal(value)) => match &value.kind {
                ValueKind::String(kind) => keep(std::slice::from_ref(kind)),
                _ => subjects.to_vec(),
            },
            Test::In {
                negated: false,
                list: Operand::Literal(value),
            } => match &value.kind {
                ValueKind::List(items) => {
                    let kinds: Vec<String> = items
                        .iter()
                        .filter_map(|i| match &i.kind {
                            ValueKind::String(s) => Some(s.clone()),
                            _ => None,
                        })
                        .collect();
                    keep(&kinds)
                }
                _ => subjects.to_vec(),
            },
            _ => subjects.to_vec(),
        },
        Expr::And(items) => items
            .iter()
            .fold(subjects.to_vec(), |narrowed, item| narrow(item, &narrowed)),
        Expr::Or(items) => {
            let mut union: Vec<Subject> = Vec::new();
            for item in items {
                for subject in narrow(item, subjects) {
                    if !union
                        .iter()
                        .any(|u| u.kind == subject.kind && Arc::ptr_eq(&u.shape, &subject.shape))
                    {
                        union.push(subject);
                    }
                }
            }
            union
        }
        _ => subjects.to_vec(),
    }
}

/// The candidate closest to `name` by edit distance, when close enough to be a typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.len() / 3).max(1);
    candidates
        .map(|c| {
            (
                edit_distance(&name.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Registry;

    #[test]
    fn every_builtin_check_compiles_cleanly() {
        let registry = Registry::builtin().expect("built-in checks load");
        let problems: Vec<String> = registry
            .checks()
            .iter()
            .flat_map(compile)
            .chain(registry.warnings().iter().cloned())
            .map(|p| p.to_string())
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[cfg(test)]
mod compiler_tests {
    use super::*;
    use crate::checks::Check;
    use crate::checks::compile::library;
    use crate::checks::lang::Library;

    /// The problems of a one-check file with these types, params and rule.
    fn problems(types: &str, params: &str, rule: &str) -> Vec<String> {
        let text = format!(
            "id: T-01\nslug: t\ntitle: t\nseverity: low\nresource_types: [{types}]\nparams: {{{params}}}\nrule: |\n{}",
            rule.lines().map(|l| format!("  {l}\n")).collect::<String>()
        );
        let check = Check::from_yaml("t.yaml", &text).unwrap();
        compile(&check).iter().map(Problem::to_string).collect()
    }

    #[test]
    fn paths_are_read_on_the_types_they_reach() {
        assert_eq!(
            problems("AWS::S3::Bucket", "", "BucketName exists"),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(
                "AWS::S3::Bucket",
                "",
                "BucketName exists\nPublicAccessBlockConfiguration.BlockPublicAcl == true"
            ),
            [
                "t.yaml:9:34: no property BlockPublicAcl in AWS::S3::Bucket.PublicAccessBlockConfiguration: did you mean BlockPublicAcls?"
            ]
        );
        // referrers() and joined() read their first paths on the other type.
        assert_eq!(
            problems(
                "AWS::EC2::VPC",
                "",
                "some referrers(AWS::EC2::FlowLog, ResourceIdd) { TrafficType == \"ALL\" }"
            ),
            ["t.yaml:8:37: no property ResourceIdd in AWS::EC2::FlowLog: did you mean ResourceId?"]
        );
        assert_eq!(
            problems(
                "AWS::Logs::MetricFilter",
                "",
                "some joined(AWS::CloudWatch::Alarm, MetricName == MetricTransformations[*].MetricNam) exists"
            ),
            [
                "t.yaml:8:78: no property MetricNam in AWS::Logs::MetricFilter.MetricTransformations[*]: did you mean MetricName?"
            ]
        );
        // resolve() reads its path here, the block on the resource it reaches.
        assert_eq!(
            problems(
                "AWS::CloudTrail::Trail",
                "",
                "all resolve(S3BucketName, AWS::S3::Bucket) { LoggingConfiguration.DestinationBucketName exists; IsLogging exists }"
            ),
            ["t.yaml:8:99: no property IsLogging in AWS::S3::Bucket"]
        );
        assert_eq!(
            problems("AWS::S3::Bucket", "", "some resources(AWS::S3::Bukket) exists"),
            [
                "t.yaml:8:18: unknown resource type AWS::S3::Bukket (neither a CloudFormation type nor one of docs/canonical-types.md): did you mean AWS::S3::Bucket?"
            ]
        );
    }

    #[test]
    fn type_guards_narrow_what_a_path_is_read_on() {
        let types = "AWS::EC2::Instance, AWS::EC2::LaunchTemplate";
        assert!(
            problems(
                types,
                "",
                "when $type == \"AWS::EC2::LaunchTemplate\" { LaunchTemplateData.ImageId exists }"
            )
            .is_empty()
        );
        assert_eq!(
            problems(
                types,
                "",
                "when $type == \"AWS::EC2::Instance\" { LaunchTemplateData.ImageId exists }"
            )
            .len(),
            1,
            "an instance has no LaunchTemplateData"
        );
        assert_eq!(
            problems(types, "", "$type != \"AWS::EC2::Instance\" or ImageIdd exists").len(),
            1,
            "a typo is one whatever the guard"
        );
    }

    #[test]
    fn params_are_typed_by_their_use_and_unused_ones_warned_of() {
        assert_eq!(
            problems("AWS::S3::Bucket", "allowed: 1", "BucketName IN %allowed"),
            [
                "t.yaml:8:3: %allowed is used as a list (IN, covers and spans read a list), but its default is a number"
            ]
        );
        assert_eq!(
            problems("AWS::KMS::Key", "days: forever", "PendingWindowInDays <= %days"),
            ["t.yaml:8:3: %days is used as a number (<, <=, >, >= compare numbers), but its default is text"]
        );
        assert!(problems("AWS::KMS::Key", "days: null", "PendingWindowInDays <= %days").is_empty());
        assert_eq!(
            problems("AWS::S3::Bucket", "spare: true", "BucketName exists"),
            ["t.yaml:6:10: warning: %spare is declared but the rule of T-01 never reads it"]
        );
    }

    #[test]
    fn custom_resources_and_canonical_types_are_known() {
        assert!(problems("Custom::Anything", "", "Whatever.It.Reads exists").is_empty());
        assert!(
            problems(
                "AWS::IAM::AccountPasswordPolicy",
                "",
                "MinimumPasswordLength >= 14"
            )
            .is_empty()
        );
        assert!(problems("AWS::EC2::RouteTable", "", "some Routes[*] { GatewayId exists }").is_empty());
    }

    #[test]
    fn predicate_bodies_are_compiled_where_they_are_called() {
        let mut library = Library::default();
        let sources = library::read(
            "lib.yaml",
            "predicates:\n  logs_to:\n    params: [bucket]\n    rule: |\n      LoggingConfiguration.DestinationBucketNam == %bucket\n",
        )
        .unwrap();
        library::build(sources, &mut library).unwrap();
        let text = "id: T-01\nslug: t\ntitle: t\nseverity: low\nresource_types: [AWS::S3::Bucket]\nparams: {b: x}\nrule: |\n  logs_to(%b)\n";
        let checks = Check::all_from_yaml("t.yaml", text, &library).unwrap();
        let found: Vec<String> = compile(&checks[0]).iter().map(Problem::to_string).collect();
        assert_eq!(
            found,
            [
                "lib.yaml:5:28: no property DestinationBucketNam in AWS::S3::Bucket.LoggingConfiguration: did you mean DestinationBucketName?"
            ]
        );
    }
}
