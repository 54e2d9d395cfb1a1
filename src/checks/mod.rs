//! Checks: the rule language, the check files and their registry, and evaluation.

pub mod lang;
pub mod eval;
