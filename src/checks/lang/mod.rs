//! The rule language: a small Guard-style clause language over the graph.
//!
//! A rule is a conjunction of clauses over the properties of one resource;
//! queries walk properties (`A.B[*].C`), follow references between resources
//! (`resolve`, `referrers`) and read the shared normalized views of
//! `catalog.md` section 4 (`statements`, `ingress_rules`, ...).

pub mod ast;
mod lexer;
mod parser;
pub mod predicates;
pub mod reads;

pub use parser::{FUNCTIONS, parse_rule, parse_rule_with, predicate_calls};
pub use predicates::{Library, Predicate};

/// A syntax error in a rule, at a 1-based line and column of the rule text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct SyntaxError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}
