//! preflight: a static scanner for AWS infrastructure code.
//!
//! The pipeline, in the order data flows: [`discover`] finds inputs, [`parse`]
//! loads them into spanned documents, [`frontends`] turn documents into the
//! normalized [`graph`], [`checks`] evaluate the built-in and user checks on it,
//! and [`report`] renders the findings.

pub mod diagnostics;
pub mod findings;
pub mod frontends;
pub mod graph;
pub mod parse;
pub mod checks;
