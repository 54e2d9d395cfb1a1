//! preflight: a static scanner for AWS infrastructure code.
pub mod parse;
