//! preflight: a static scanner for AWS infrastructure code.
//!
//! The pipeline, in the order data flows ([`scan::scan`] runs it): [`discover`]
//! finds inputs, [`parse`] loads them into spanned documents, [`frontends`]
//! turn documents into the normalized [`graph`], [`checks`] evaluate the
//! built-in and user checks on it into [`findings`], gathered with what the
//! scan saw into a [`scan_report::ScanReport`], which [`suppress`] marks and
//! [`report`] renders. [`cli`] is the command line over all of it.

pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod findings;
pub mod frontends;
pub mod graph;
pub mod memory;
pub mod parse;
pub mod report;
pub mod scan;
pub mod scan_report;
pub mod suppress;
