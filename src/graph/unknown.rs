//! Why a value is not known before deploy: one typed reason, decided where
//! the value is built and rendered to text only for people (its `Display`).
//! Nothing reads a reason's text back: code that needs to know what kind of
//! unknown a value is matches on the variant.

use std::fmt;

/// A pseudo-parameter whose values form a closed set known before deploy
/// (`AWS::Partition`), or one whose shape is known (`AWS::AccountId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pseudo {
    AccountId,
    NotificationArns,
    Partition,
    Region,
    StackId,
    StackName,
    UrlSuffix,
}

impl Pseudo {
    /// Every pseudo-parameter, with its name.
    pub const ALL: &'static [(Pseudo, &'static str)] = &[
        (Pseudo::AccountId, "AWS::AccountId"),
        (Pseudo::NotificationArns, "AWS::NotificationARNs"),
        (Pseudo::Partition, "AWS::Partition"),
        (Pseudo::Region, "AWS::Region"),
        (Pseudo::StackId, "AWS::StackId"),
        (Pseudo::StackName, "AWS::StackName"),
        (Pseudo::UrlSuffix, "AWS::URLSuffix"),
    ];

    /// The pseudo-parameter called `name`.
    pub fn named(name: &str) -> Option<Pseudo> {
        Pseudo::ALL.iter().find(|(_, n)| *n == name).map(|(p, _)| *p)
    }

    /// Its name as written in a template.
    pub fn name(self) -> &'static str {
        Pseudo::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map(|(_, n)| *n)
            .unwrap_or("AWS::Unknown")
    }

    /// The values it can take when that set is closed and known before deploy.
    pub fn closed_set(self) -> Option<&'static [&'static str]> {
        match self {
            Pseudo::Partition => Some(&["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]),
            Pseudo::UrlSuffix => Some(&["amazonaws.com", "amazonaws.com.cn"]),
            _ => None,
        }
    }
}

/// Why a value cannot be known before deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknowable {
    /// A pseudo-parameter CloudFormation fills in at deploy.
    Pseudo(Pseudo),
    /// Something CloudFormation computes at deploy (`Fn::GetAZs`, an
    /// attribute, the length of a list only the deploy knows).
    DeployTime { what: String },
    /// A macro (`Fn::Transform`, `Rain::*`) that runs at deploy.
    Macro { name: String },
    /// A reference or interpolation whose value exists only after deploy.
    AfterDeploy { what: String },
    /// A test the conditions or unknowns leave undecided.
    Undecided { what: String },
    /// An attribute Terraform computes during apply (a plan's `after_unknown`).
    AfterApply,
    /// A provider setting a plan records as an expression, not a value.
    KnownAtPlan { what: String },
    /// A Terraform expression whose operands are known only at apply.
    KnownAtApply { what: String },
    /// A function applied to values known only at apply.
    OfApplyValues { function: String },
    /// A template parameter without a default and without a value given.
    ParameterWithoutValue { name: String },
    /// A Terraform variable without a default and without a value given.
    VariableWithoutValue { name: String },
    /// A parameter read from SSM Parameter Store at deploy.
    SsmParameter { name: String },
    /// A value kept secret (`NoEcho`, `sensitive`), never read.
    Secret { what: String },
    /// An export of another stack (`Fn::ImportValue`).
    Import { export: String },
    /// A name, ARN or other text whose target cannot be told before deploy.
    Unresolved { value: String },
    /// A value naming a resource of `kind` that is not declared in the
    /// scanned files.
    ExternalResource { value: String, kind: String },
    /// A resource outside the scanned files: a module whose source is remote
    /// or missing.
    ExternalModule { call: String },
    /// A file a function reads that is missing or outside the scanned root.
    FileNotRead {
        function: String,
        path: String,
        why: FileProblem,
    },
    /// A `count`, `for_each` or `range()` over the instance limit.
    OverInstanceLimit {
        expression: &'static str,
        count: usize,
        limit: usize,
    },
    /// A property no Terraform mapping covers for that type.
    NotMapped { tf_type: String, property: String },
    /// A function or construct the evaluator does not model.
    FunctionNotModelled { name: String },
    /// A name that is not declared.
    NotDeclared { what: String },
    /// An intrinsic function or expression written with the wrong shape.
    Malformed { function: String, needs: String },
    /// A value whose evaluation fails (out of range, wrong type, a cycle).
    Invalid { what: String },
    /// An evaluation budget was spent.
    BudgetExceeded { what: Budget },
    /// Depends on an undecidable condition (a string built from a conditional value).
    Condition { name: String },
    /// A function over conditional values whose branches combine to more
    /// values than are followed.
    TooManyBranches { function: String, limit: usize },
    /// Several sources set the value differently.
    Conflict { what: String },
    /// Another unknown, named by where it came from (`for_each cannot be
    /// evaluated before plan: ...`).
    Within { context: String, inner: Box<Unknowable> },
}

/// What is wrong with a file a function reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Missing,
    /// Outside the scanned directory: never read.
    OutsideRoot,
    /// No scan root to read files in.
    NoRoot,
    /// Larger than one file may be.
    OverSize {
        limit: u64,
    },
    /// Past what one module may read in all.
    OverModuleTotal {
        limit: u64,
    },
    NotUtf8,
    /// An error of the file system.
    Io(String),
}

/// Which evaluation budget was spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Nodes or bytes of evaluated values.
    Evaluation,
    /// Nesting depth.
    Depth,
    /// Resource instances.
    Instances,
}

impl From<Pseudo> for Unknowable {
    fn from(p: Pseudo) -> Unknowable {
        Unknowable::Pseudo(p)
    }
}

impl Unknowable {
    pub fn deploy_time(what: impl Into<String>) -> Unknowable {
        Unknowable::DeployTime { what: what.into() }
    }

    pub fn at_apply(what: impl Into<String>) -> Unknowable {
        Unknowable::KnownAtApply { what: what.into() }
    }

    pub fn of_apply_values(function: impl Into<String>) -> Unknowable {
        Unknowable::OfApplyValues {
            function: function.into(),
        }
    }

    pub fn not_declared(what: impl Into<String>) -> Unknowable {
        Unknowable::NotDeclared { what: what.into() }
    }

    pub fn malformed(function: impl Into<String>, needs: impl Into<String>) -> Unknowable {
        Unknowable::Malformed {
            function: function.into(),
            needs: needs.into(),
        }
    }

    pub fn invalid(what: impl Into<String>) -> Unknowable {
        Unknowable::Invalid { what: what.into() }
    }

    pub fn not_modelled(name: impl Into<String>) -> Unknowable {
        Unknowable::FunctionNotModelled { name: name.into() }
    }

    pub fn parameter_without_value(name: impl Into<String>) -> Unknowable {
        Unknowable::ParameterWithoutValue { name: name.into() }
    }

    pub fn secret(what: impl Into<String>) -> Unknowable {
        Unknowable::Secret { what: what.into() }
    }

    /// This reason, said to be where `context` came from.
    pub fn within(self, context: impl Into<String>) -> Unknowable {
        Unknowable::Within {
            context: context.into(),
            inner: Box::new(self),
        }
    }

    /// The innermost reason.
    pub fn root(&self) -> &Unknowable {
        match self {
            Unknowable::Within { inner, .. } => inner.root(),
            other => other,
        }
    }

    /// Whether an evaluation budget or limit decided it.
    pub fn is_budget(&self) -> bool {
        matches!(
            self.root(),
            Unknowable::BudgetExceeded { .. } | Unknowable::OverInstanceLimit { .. }
        )
    }

    /// The pseudo-parameter it stands for, if any.
    pub fn pseudo(&self) -> Option<Pseudo> {
        match self.root() {
            Unknowable::Pseudo(p) => Some(*p),
            _ => None,
        }
    }
}

impl fmt::Display for Unknowable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unknowable::Pseudo(p) => write!(f, "{} is known only at deploy time", p.name()),
            Unknowable::DeployTime { what } => write!(f, "{what} is known only at deploy time"),
            Unknowable::Macro { name } => write!(f, "{name} runs a macro at deploy time"),
            Unknowable::AfterApply => f.write_str("known only after apply"),
            Unknowable::AfterDeploy { what } => write!(f, "{what} is known only after deploy"),
            Unknowable::Undecided { what } => write!(f, "{what} is undecided"),
            Unknowable::KnownAtPlan { what } => write!(f, "{what} is known only at plan"),
            Unknowable::KnownAtApply { what } => write!(f, "{what} is known only at apply"),
            Unknowable::OfApplyValues { function } => write!(f, "{function} of values known only at apply"),
            Unknowable::ParameterWithoutValue { name } => {
                write!(f, "parameter {name} has no default and no value was given")
            }
            Unknowable::VariableWithoutValue { name } => {
                write!(f, "variable {name} has no default and no value was given")
            }
            Unknowable::SsmParameter { name } => {
                write!(
                    f,
                    "parameter {name} is read from SSM Parameter Store at deploy time"
                )
            }
            Unknowable::Secret { what } => write!(f, "the {what} is not read"),
            Unknowable::Import { export } => write!(f, "Fn::ImportValue {export} is resolved at deploy time"),
            Unknowable::Unresolved { value } => write!(f, "{value} cannot be resolved before deploy"),
            Unknowable::ExternalResource { value, kind } => write!(
                f,
                "{value} is not a {kind} declared in the scanned code (external resource)"
            ),
            Unknowable::ExternalModule { call } => {
                write!(f, "module.{call} is not evaluated (remote or missing source)")
            }
            Unknowable::FileNotRead { function, path, why } => {
                write!(f, "{function}(): {path}")?;
                match why {
                    FileProblem::Missing => f.write_str(" does not exist"),
                    FileProblem::OutsideRoot => {
                        f.write_str(" is outside the scanned directory, so it is not read")
                    }
                    FileProblem::NoRoot => f.write_str(" is not read: no scan root to read files in"),
                    FileProblem::OverSize { limit } => write!(f, " is over the {limit} byte limit"),
                    FileProblem::OverModuleTotal { limit } => {
                        write!(
                            f,
                            " is past the {limit} bytes one module may read through file functions"
                        )
                    }
                    FileProblem::NotUtf8 => f.write_str(" is not UTF-8 text"),
                    FileProblem::Io(e) => write!(f, ": {e}"),
                }
            }
            Unknowable::OverInstanceLimit {
                expression: "count",
                count,
                limit,
            } => write!(f, "count {count} is over the {limit} instance limit"),
            Unknowable::OverInstanceLimit {
                expression: "for_each",
                count,
                limit,
            } => write!(
                f,
                "for_each over {count} elements is over the {limit} instance limit"
            ),
            Unknowable::OverInstanceLimit {
                expression,
                count,
                limit,
            } => write!(
                f,
                "{expression} of {count} elements is over the {limit} instance limit"
            ),
            Unknowable::NotMapped { tf_type, property } => {
                write!(f, "{property} is not mapped for {tf_type}")
            }
            Unknowable::FunctionNotModelled { name } => write!(f, "{name} is not evaluated"),
            Unknowable::NotDeclared { what } => write!(f, "{what} is not declared"),
            Unknowable::Malformed { function, needs } => write!(f, "{function} needs {needs}"),
            Unknowable::Invalid { what } => f.write_str(what),
            Unknowable::BudgetExceeded { what } => f.write_str(match what {
                Budget::Evaluation => "evaluation stopped at its budget",
                Budget::Depth => "nested too deeply to evaluate",
                Budget::Instances => "too many resource instances",
            }),
            Unknowable::Condition { name } => write!(f, "depends on condition {name}"),
            Unknowable::TooManyBranches { function, limit } => write!(
                f,
                "{function} over conditional values combines to more than {limit} values"
            ),
            Unknowable::Conflict { what } => f.write_str(what),
            Unknowable::Within { context, inner } => write!(f, "{context}: {inner}"),
        }
    }
}

/// A value's reason, boxed there to keep every value small.
impl From<Box<Unknowable>> for Unknowable {
    fn from(boxed: Box<Unknowable>) -> Unknowable {
        *boxed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_render_from_their_type() {
        assert_eq!(
            Unknowable::Pseudo(Pseudo::Partition).to_string(),
            "AWS::Partition is known only at deploy time"
        );
        assert_eq!(Unknowable::AfterApply.to_string(), "known only after apply");
        assert_eq!(
            Unknowable::parameter_without_value("Cidr").to_string(),
            "parameter Cidr has no default and no value was given"
        );
        let nested = Unknowable::BudgetExceeded {
            what: Budget::Instances,
        }
        .within("count");
        assert_eq!(nested.to_string(), "count: too many resource instances");
        assert!(nested.is_budget());
        assert!(!Unknowable::AfterApply.is_budget());
    }

    #[test]
    fn pseudo_parameters_are_named_both_ways() {
        for (p, name) in Pseudo::ALL {
            assert_eq!(Pseudo::named(name), Some(*p));
            assert_eq!(p.name(), *name);
        }
        assert_eq!(Pseudo::named("AWS::Nope"), None);
        assert!(Pseudo::Partition.closed_set().is_some());
        assert!(Pseudo::AccountId.closed_set().is_none());
    }
}
