//! Conditions that could not be decided before deploy, as expressions over
//! independent unknown "atoms" (e.g. `Fn::Equals [!Ref Env, prod]` with no value
//! for `Env`). Expressing named conditions over shared atoms keeps correlated
//! conditions consistent: `IsProd` and `Fn::Not [Condition: IsProd]` can never
//! both hold in one evaluated world.
//!
//! A parameter without a value but with `AllowedValues` is a *choice*: one
//! atom per allowed value (`Env is "prod"`), grouped so that exactly one atom
//! of the group holds in any world.

use std::collections::HashMap;

/// A boolean expression over atoms.
#[derive(Debug, Clone, PartialEq)]
pub enum CondExpr {
    Const(bool),
    Atom(usize),
    Not(Box<CondExpr>),
    And(Vec<CondExpr>),
    Or(Vec<CondExpr>),
}

/// One undecidable elementary condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    /// How to name it in a message: the condition name when the condition is
    /// just this atom, else the expression.
    pub label: String,
    /// Why it is undecidable.
    pub reason: String,
    /// The choice this atom is one value of: the atoms of a group are
    /// mutually exclusive and one of them holds.
    pub group: Option<usize>,
}

/// The allowed values of one parameter without a value: one atom per value.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The parameter's name.
    pub parameter: String,
    /// The atoms, one per allowed value, in the declared order.
    pub members: Vec<usize>,
}

/// All named conditions of a graph.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    named: HashMap<String, CondExpr>,
    atoms: Vec<Atom>,
    groups: Vec<Group>,
}

impl Conditions {
    /// Adds an atom and returns its index.
    pub fn add_atom(&mut self, atom: Atom) -> usize {
        self.atoms.push(atom);
        self.atoms.len() - 1
    }

    /// Adds a choice between `values` for `parameter`: one atom per value
    /// (labelled with the value as written), returned in order.
    pub fn add_choice(&mut self, parameter: &str, values: &[String]) -> Vec<usize> {
        let group = self.groups.len();
        let members: Vec<usize> = values
            .iter()
            .map(|value| {
                self.add_atom(Atom {
                    label: format!("{value:?}"),
                    reason: format!("parameter {parameter} has no value; it is one of its AllowedValues"),
                    group: Some(group),
                })
            })
            .collect();
        self.groups.push(Group {
            parameter: parameter.to_string(),
            members: members.clone(),
        });
        members
    }

    /// The choice group an atom belongs to.
    pub fn group_of(&self, atom: usize) -> Option<&Group> {
        self.atoms[atom].group.map(|g| &self.groups[g])
    }

    /// Defines the named condition `name`.
    pub fn define(&mut self, name: impl Into<String>, expr: CondExpr) {
        self.named.insert(name.into(), expr);
    }

    /// The expression of a named condition.
    pub fn expr(&self, name: &str) -> Option<&CondExpr> {
        self.named.get(name)
    }

    /// Names atoms after the conditions that consist of exactly them (the
    /// values of a choice keep their own labels).
    pub fn rename_atoms(&mut self, names: Vec<(usize, String)>) {
        let mut renamed = std::collections::HashSet::new();
        for (index, name) in names {
            if self.atoms[index].group.is_none() && renamed.insert(index) {
                self.atoms[index].label = name;
            }
        }
    }

    /// The atom at `index`.
    pub fn atom(&self, index: usize) -> &Atom {
        &self.atoms[index]
    }

    /// The value of a condition when it is decided without any assumption.
    pub fn decided(&self, name: &str) -> Option<bool> {
        match self.named.get(name)? {
            CondExpr::Const(b) => Some(*b),
            _ => None,
        }
    }

    /// Evaluates a named condition with atoms taken from `assumed`; `Err(atom)`
    /// names the first atom that must be assumed to decide it. Unknown names are
    /// `Err(None)`.
    pub fn eval(&self, name: &str, assumed: &dyn Fn(usize) -> Option<bool>) -> Result<bool, Option<usize>> {
        let expr = self.named.get(name).ok_or(None)?;
        eval_expr(expr, assumed).map_err(Some)
    }
}

/// Evaluates `expr`; `Err(atom)` is the first atom without an assumption.
pub fn eval_expr(expr: &CondExpr, assumed: &dyn Fn(usize) -> Option<bool>) -> Result<bool, usize> {
    match expr {
        CondExpr::Const(b) => Ok(*b),
        CondExpr::Atom(a) => assumed(*a).ok_or(*a),
        CondExpr::Not(inner) => eval_expr(inner, assumed).map(|b| !b),
        CondExpr::And(items) => {
            for item in items {
                if !eval_expr(item, assumed)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        CondExpr::Or(items) => {
            for item in items {
                if eval_expr(item, assumed)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

/// Builds `Not`, folding constants.
pub fn not(expr: CondExpr) -> CondExpr {
    match expr {
        CondExpr::Const(b) => CondExpr::Const(!b),
        CondExpr::Not(inner) => *inner,
        other => CondExpr::Not(Box::new(other)),
    }
}

/// Builds `And`, folding constants.
pub fn and(items: Vec<CondExpr>) -> CondExpr {
    let mut kept = Vec::new();
    for item in items {
        match item {
            CondExpr::Const(false) => return CondExpr::Const(false),
            CondExpr::Const(true) => {}
            other => kept.push(other),
        }
    }
    match kept.len() {
        0 => CondExpr::Const(true),
        1 => kept.pop().unwrap_or(CondExpr::Const(true)),
        _ => CondExpr::And(kept),
    }
}

/// Builds `Or`, folding constants.
pub fn or(items: Vec<CondExpr>) -> CondExpr {
    let mut kept = Vec::new();
    for item in items {
        match item {
            CondExpr::Const(true) => return CondExpr::Const(true),
            CondExpr::Const(false) => {}
            other => kept.push(other),
        }
    }
    match kept.len() {
        0 => CondExpr::Const(false),
        1 => kept.pop().unwrap_or(CondExpr::Const(false)),
        _ => CondExpr::Or(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlated_conditions_share_atoms() {
        let mut c = Conditions::default();
        let a = c.add_atom(Atom {
            label: "IsProd".into(),
            reason: "parameter Env has no default".into(),
            group: None,
        });
        c.define("IsProd", CondExpr::Atom(a));
        c.define("IsNotProd", not(CondExpr::Atom(a)));
        assert_eq!(c.eval("IsProd", &|_| None), Err(Some(a)));
        assert_eq!(c.eval("IsNotProd", &|_| Some(true)), Ok(false));
        assert_eq!(
            and(vec![CondExpr::Const(true), CondExpr::Atom(a)]),
            CondExpr::Atom(a)
        );
        assert_eq!(
            or(vec![CondExpr::Const(true), CondExpr::Atom(a)]),
            CondExpr::Const(true)
        );
    }
}
