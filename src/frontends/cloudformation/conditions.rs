//! The `Conditions` section: each named condition becomes a constant when the
//! parameters decide it, or an expression over undecidable atoms otherwise.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::graph::conditions::{self, Atom, CondExpr, Conditions};
use crate::graph::{Origin, Value, ValueKind};
use crate::parse::{Node, NodeKind};

use super::intrinsics::Evaluator;

/// How deep condition definitions may reference each other.
const MAX_CONDITION_DEPTH: usize = 64;

/// Builds the named conditions of a template on top of `seeded` (the
/// parameters' choices). `evaluator` resolves the operands of `Fn::Equals`
/// (its own conditions table is not consulted).
pub fn build(
    section: Option<&Node>,
    evaluator: &Evaluator<'_>,
    seeded: Conditions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Conditions {
    let Some(entries) = section.and_then(Node::as_map) else {
        return seeded;
    };
    let mut builder = Builder {
        section: entries.iter().map(|e| (e.key.as_str(), &e.value)).collect(),
        evaluator,
        out: seeded,
        done: HashMap::new(),
        atoms: HashMap::new(),
        diagnostics,
    };
    for entry in entries {
        builder.named(&entry.key, 0);
    }
    // Name an atom after the condition that is exactly that atom.
    let mut named_atoms = Vec::new();
    for entry in entries {
        if let Some(CondExpr::Atom(a)) = builder.done.get(entry.key.as_str()).cloned().flatten() {
            named_atoms.push((a, entry.key.clone()));
        }
    }
    let Builder { mut out, done, .. } = builder;
    for (name, expr) in done {
        out.define(name, expr.unwrap_or(CondExpr::Const(false)));
    }
    out.rename_atoms(named_atoms);
    out
}

struct Builder<'a, 'e> {
    section: HashMap<&'a str, &'a Node>,
    evaluator: &'a Evaluator<'e>,
    out: Conditions,
    /// Finished conditions; `None` while one is being built (cycle detection).
    done: HashMap<String, Option<CondExpr>>,
    /// Atoms by their canonical text, so the same comparison is one atom.
    atoms: HashMap<String, usize>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Builder<'_, '_> {
    fn named(&mut self, name: &str, depth: usize) -> CondExpr {
        match self.done.get(name) {
            Some(Some(expr)) => return expr.clone(),
            Some(None) => {
                let pos = self.section.get(name).map(|n| n.span.start).unwrap_or_default();
                self.diagnostics.push(Diagnostic::error(
                    pos,
                    format!("condition {name} refers to itself"),
                ));
                return CondExpr::Const(false);
            }
            None => {}
        }
        let Some(node) = self.section.get(name).copied() else {
            return CondExpr::Const(false);
        };
        self.done.insert(name.to_string(), None);
        let expr = self.expr(node, depth + 1);
        self.done.insert(name.to_string(), Some(expr.clone()));
        expr
    }

    fn expr(&mut self, node: &Node, depth: usize) -> CondExpr {
        if depth > MAX_CONDITION_DEPTH {
            self.diagnostics
                .push(Diagnostic::error(node.span.start, "conditions nest too deeply"));
            return CondExpr::Const(false);
        }
        let Some([entry]) = node.as_map() else {
            return self.invalid(node);
        };
        let args: &[Node] = match &entry.value.kind {
            NodeKind::Seq(items) => items,
            _ => std::slice::from_ref(&entry.value),
        };
        match entry.key.as_str() {
            "Condition" => match entry.value.as_str() {
                Some(name) if self.section.contains_key(name) => self.named(name, depth),
                _ => self.invalid(node),
            },
            "Fn::Not" => match args {
                [inner] => conditions::not(self.expr(inner, depth + 1)),
                _ => self.invalid(node),
            },
            "Fn::And" => {
                let items = args.iter().map(|a| self.expr(a, depth + 1)).collect();
                conditions::and(items)
            }
            "Fn::Or" => {
                let items = args.iter().map(|a| self.expr(a, depth + 1)).collect();
                conditions::or(items)
            }
            "Fn::Equals" => match args {
                [a, b] => self.equals(a, b),
                _ => self.invalid(node),
            },
            _ => self.invalid(node),
        }
    }

    fn equals(&mut self, a: &Node, b: &Node) -> CondExpr {
        let (a, b) = (self.evaluator.eval(a), self.evaluator.eval(b));
        self.equal_values(&a, &b, 0)
    }

    /// `Fn::Equals` of two evaluated operands.
    fn equal_values(&mut self, a: &Value, b: &Value, depth: usize) -> CondExpr {
        if let (Some(x), Some(y)) = (comparable(a), comparable(b)) {
            return CondExpr::Const(x == y);
        }
        // A parameter that is one of its AllowedValues: the atoms of the values equal to the other side.
        if let Some(expr) = self.choice_equals(a, b).or_else(|| self.choice_equals(b, a)) {
            return expr;
        }
        // A conditional operand: either branch, under its condition.
        if depth < MAX_CONDITION_DEPTH {
            for (x, y) in [(a, b), (b, a)] {
                if let ValueKind::Cond(c) = &x.kind
                    && let Some(cond) = self.out.expr(&c.condition).cloned()
                {
                    let then = self.equal_values(&c.then, y, depth + 1);
                    let otherwise = self.equal_values(&c.otherwise, y, depth + 1);
                    return conditions::or(vec![
                        conditions::and(vec![cond.clone(), then]),
                        conditions::and(vec![conditions::not(cond), otherwise]),
                    ]);
                }
            }
        }
        // A parameter bounded so that it never equals the other side.
        for (x, y) in [(a, b), (b, a)] {
            if let Some(bounds) = crate::graph::bounds::of_value(x, &self.evaluator.params.bounds)
                && comparable(y).is_some()
                && !bounds.may_equal(y)
            {
                return CondExpr::Const(false);
            }
        }
        let label = format!("Fn::Equals [{}, {}]", a.describe(), b.describe());
        let reason = [&a, &b]
            .iter()
            .find_map(|v| match &v.kind {
                ValueKind::Unknown(r) => Some(r.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| format!("{label} is decided at deploy time"));
        let index = match self.atoms.get(&label) {
            Some(&i) => i,
            None => {
                let i = self.out.add_atom(Atom {
                    label: label.clone(),
                    reason,
                    group: None,
                });
                self.atoms.insert(label, i);
                i
            }
        };
        CondExpr::Atom(index)
    }

    /// `param == other` for a parameter that is one of its AllowedValues
    /// (`param` is its whole conditional value): the atoms of the equal values.
    fn choice_equals(&self, param: &Value, other: &Value) -> Option<CondExpr> {
        let (ValueKind::Cond(c), Origin::Parameter(name)) = (&param.kind, &param.origin) else {
            return None;
        };
        let choices = self.evaluator.params.choice(name)?;
        // Only the parameter's own value, not something built from it.
        if self.out.expr(&c.condition) != Some(&CondExpr::Atom(choices[0].1)) {
            return None;
        }
        let items = match (&other.kind, &other.origin) {
            (ValueKind::Cond(_), Origin::Parameter(other_name)) => {
                let theirs = self.evaluator.params.choice(other_name)?;
                choices
                    .iter()
                    .flat_map(|(x, a)| {
                        theirs
                            .iter()
                            .filter(move |(y, _)| x == y)
                            .map(|(_, b)| conditions::and(vec![CondExpr::Atom(*a), CondExpr::Atom(*b)]))
                    })
                    .collect()
            }
            _ => {
                let text = comparable(other)?;
                choices
                    .iter()
                    .filter(|(value, _)| *value == text)
                    .map(|(_, atom)| CondExpr::Atom(*atom))
                    .collect()
            }
        };
        Some(conditions::or(items))
    }

    fn invalid(&mut self, node: &Node) -> CondExpr {
        self.diagnostics.push(Diagnostic::error(
            node.span.start,
            "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
        ));
        CondExpr::Const(false)
    }
}

/// The text CloudFormation compares for `Fn::Equals`, when fully known.
fn comparable(value: &Value) -> Option<String> {
    match &value.kind {
        ValueKind::List(items) => {
            let texts: Option<Vec<String>> = items.iter().map(comparable).collect();
            Some(texts?.join(","))
        }
        _ => value.scalar_text().map(|t| t.into_owned()),
    }
}
