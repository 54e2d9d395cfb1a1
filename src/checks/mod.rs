//! Checks: the rule language, the check files and their registry, and evaluation.

pub mod check;
pub mod compile;
pub mod deployment;
pub mod eval;
pub mod framework;
pub mod lang;
pub mod registry;
pub mod run;

pub use check::{Check, Dialect, Severity};
pub use registry::Registry;
