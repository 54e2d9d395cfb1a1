//! Named predicates: clauses defined once in a library and called by name
//! from rules (`trail_records_management_events()`,
//! `public_image(ImageId, %owners)`), like cfn-guard's named rules.
//!
//! A call is inlined when the calling rule is parsed: the predicate's body,
//! parsed once when the library is loaded, is copied with its `%parameters`
//! replaced by the arguments. The evaluator never sees a call, so a rule
//! that calls a predicate judges, and words its findings, exactly as if the
//! clauses were written in its place.

use std::collections::BTreeMap;

use super::ast::{At, Block, Operand, Query, Root, VisitMut};

/// A predicate of a library.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub name: String,
    /// Its parameters, in call order, without the `%`.
    pub params: Vec<String>,
    /// The clauses, located in the library file.
    pub body: Block,
    /// Where the predicate is defined (its name in the library file).
    pub at: At,
    pub description: String,
}

/// An argument of a call, with its source text (what a message shows where
/// the predicate's text shows the parameter).
#[derive(Debug, Clone)]
pub struct Arg {
    pub value: ArgValue,
    pub text: String,
}

/// What an argument is.
#[derive(Debug, Clone)]
pub enum ArgValue {
    /// A value, a regex or a `%param` of the caller: usable where the
    /// predicate compares with its parameter.
    Operand(Operand),
    /// A path from the caller's current item: usable where the predicate
    /// starts a query with its parameter (`%image refers_to ...`,
    /// `resolve(%image, ...)`, `%path.Key == 1`).
    Path(Query),
}

/// The predicates a rule may call, by name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    predicates: BTreeMap<String, Predicate>,
}

impl Library {
    /// The predicate called `name`.
    pub fn get(&self, name: &str) -> Option<&Predicate> {
        self.predicates.get(name)
    }

    /// The names defined, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.predicates.keys().map(String::as_str)
    }

    /// Every predicate, sorted by name.
    pub fn predicates(&self) -> impl Iterator<Item = &Predicate> {
        self.predicates.values()
    }

    /// Adds a predicate; a name defined twice is an error naming the first definition.
    pub fn insert(&mut self, predicate: Predicate) -> Result<(), String> {
        if let Some(first) = self.predicates.get(&predicate.name) {
            return Err(format!(
                "predicate {}() is already defined at {}",
                predicate.name,
                first.at.describe()
            ));
        }
        self.predicates.insert(predicate.name.clone(), predicate);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.predicates.is_empty()
    }
}

impl Predicate {
    /// The body with each `%parameter` replaced by its argument.
    pub fn expand(&self, args: &[Arg]) -> Result<Block, String> {
        if args.len() != self.params.len() {
            let params: Vec<String> = self.params.iter().map(|p| format!("%{p}")).collect();
            return Err(format!(
                "{}() takes {} argument{} ({}), not {}",
                self.name,
                self.params.len(),
                if self.params.len() == 1 { "" } else { "s" },
                params.join(", "),
                args.len()
            ));
        }
        let bound: BTreeMap<&str, &Arg> = self.params.iter().map(String::as_str).zip(args).collect();
        let mut body = self.body.clone();
        let mut substitute = Substitute {
            predicate: &self.name,
            bound: &bound,
            error: None,
        };
        body.visit_mut(&mut substitute);
        match substitute.error {
            Some(error) => Err(error),
            None => Ok(body),
        }
    }
}

struct Substitute<'a> {
    predicate: &'a str,
    bound: &'a BTreeMap<&'a str, &'a Arg>,
    error: Option<String>,
}

impl Substitute<'_> {
    /// `text` with each `%name` of a parameter replaced by its argument's text.
    fn replace_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-'))
                .unwrap_or(after.len());
            match self.bound.get(&after[..len]) {
                Some(arg) => out.push_str(&arg.text),
                None => out.push_str(&rest[at..at + 1 + len]),
            }
            rest = &after[len..];
        }
        out.push_str(rest);
        out
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

impl VisitMut for Substitute<'_> {
    fn query(&mut self, query: &mut Query) {
        query.text = self.replace_text(&query.text);
        let Root::Param(name) = &query.root else {
            return;
        };
        let Some(arg) = self.bound.get(name.as_str()) else {
            return;
        };
        match &arg.value {
            ArgValue::Path(path) => {
                let steps = std::mem::take(&mut query.steps);
                let steps_at = std::mem::take(&mut query.at.steps);
                query.root = path.root.clone();
                query.steps = path.steps.iter().cloned().chain(steps).collect();
                query.at.root = path.at.root.clone();
                query.at.kind = path.at.kind.clone();
                query.at.steps = path.at.steps.iter().cloned().chain(steps_at).collect();
            }
            ArgValue::Operand(Operand::Param(param)) => query.root = Root::Param(param.clone()),
            ArgValue::Operand(_) => self.fail(format!(
                "{}() starts a path with %{name}: pass a path (or a %param), not {}",
                self.predicate, arg.text
            )),
        }
    }

    fn operand(&mut self, operand: &mut Operand) {
        match operand {
            Operand::Param(name) => match self.bound.get(name.as_str()) {
                Some(Arg {
                    value: ArgValue::Operand(value),
                    ..
                }) => *operand = value.clone(),
                Some(
                    arg @ Arg {
                        value: ArgValue::Path(_),
                        ..
                    },
                ) => {
                    let message = format!(
                        "{}() compares with %{name}: pass a value (or a %param), not the path {}",
                        self.predicate, arg.text
                    );
                    self.fail(message)
                }
                None => {}
            },
            Operand::Retired { dates, today } => {
                for name in [dates, today] {
                    match self.bound.get(name.as_str()).map(|a| &a.value) {
                        Some(ArgValue::Operand(Operand::Param(param))) => *name = param.clone(),
                        Some(_) => {
                            let message =
                                format!("{}() passes %{name} to retired(): pass a %param", self.predicate);
                            self.fail(message)
                        }
                        None => {}
                    }
                }
            }
            Operand::Literal(_) | Operand::Regex(_) => {}
        }
    }

    fn guard_text(&mut self, text: &mut String) {
        *text = self.replace_text(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lang::ast::{Expr, Step, Test};
    use crate::checks::lang::{parse_rule, parse_rule_with};

    fn library(params: &[&str], body: &str) -> Library {
        let mut library = Library::default();
        library
            .insert(Predicate {
                name: "pred".into(),
                params: params.iter().map(|p| p.to_string()).collect(),
                body: parse_rule(body).unwrap().body,
                at: At::default(),
                description: String::new(),
            })
            .unwrap();
        library
    }

    #[test]
    fn a_call_is_its_body_with_the_arguments_in_place() {
        let library = library(
            &["image", "owners"],
            "%image.Id refers_to resources(AWS::EC2::ImageLookup)\nsome resolve(%image, AWS::EC2::ImageLookup) { Owners[*] IN %owners }",
        );
        let rule = parse_rule_with("A exists\npred(LaunchTemplateData.ImageId, %mine)", &library).unwrap();
        // A call that is a whole clause contributes its clauses to the block.
        assert_eq!(rule.body.clauses.len(), 3);
        let Expr::Test {
            query,
            test: Test::RefersTo(_),
            ..
        } = &rule.body.clauses[1]
        else {
            panic!("{:?}", rule.body.clauses[1])
        };
        assert_eq!(query.text, "LaunchTemplateData.ImageId.Id");
        assert!(
            matches!(query.steps.as_slice(), [Step::Field(a), Step::Field(b)] if a == "ImageId" && b == "Id")
        );
        let Expr::Each { query, body, .. } = &rule.body.clauses[2] else {
            panic!()
        };
        assert_eq!(
            query.text,
            "resolve(LaunchTemplateData.ImageId, AWS::EC2::ImageLookup)"
        );
        assert_eq!(
            rule.params(),
            vec!["mine"],
            "the caller's param replaces the predicate's"
        );
        assert!(
            matches!(&body.clauses[0], Expr::Test { test: Test::In { list: Operand::Param(p), .. }, .. } if p == "mine")
        );
        // Inside an expression, a call is one clause.
        let rule = parse_rule_with("B exists or pred(C, [\"a\"])", &library).unwrap();
        assert!(
            matches!(&rule.body.clauses[0], Expr::Or(items) if matches!(&items[1], Expr::And(parts) if parts.len() == 2))
        );
    }

    #[test]
    fn calls_are_checked_against_the_definition() {
        let library = library(&["image"], "%image exists");
        let e = parse_rule_with("A exists\n  pred()", &library).unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        assert!(
            e.message.contains("takes 1 argument (%image), not 0"),
            "{}",
            e.message
        );
        let e = parse_rule_with("pred(\"text\")", &library).unwrap_err();
        assert!(e.message.contains("starts a path with %image"), "{}", e.message);
        let e = parse_rule_with("other(X)", &library).unwrap_err();
        assert!(
            e.message.contains("unknown function or predicate other()")
                && e.message.ends_with("predicates: pred)"),
            "{}",
            e.message
        );
        let compared = self::library(&["v"], "A == %v");
        let e = parse_rule_with("pred(B.C)", &compared).unwrap_err();
        assert!(
            e.message.contains("compares with %v: pass a value"),
            "{}",
            e.message
        );
        assert!(parse_rule_with("pred(/x/)", &compared).is_ok());
    }
}
