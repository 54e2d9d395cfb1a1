//! Hostile input: whatever a file contains, preflight never crashes, hangs,
//! exhausts memory or reads outside the scanned tree; one bad file never
//! stops the others. One module per guarantee of `docs/security.md`.

#[path = "../support/mod.rs"]
mod support;

mod bounds;
mod containment;
mod evaluation;
mod malformed;

use std::ffi::OsString;
use std::path::Path;

/// Runs `preflight ARGS` in-process; returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once(OsString::from("preflight")).chain(args.iter().map(OsString::from));
    let code = preflight::cli::run(argv, &mut out, &mut err, preflight::cli::Terminal::default());
    (code, String::from_utf8(out).unwrap())
}

/// Scans `dir` and returns (exit code, JSON report).
fn scan_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["scan", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out) = run(&args);
    (code, serde_json::from_str(&out).expect("a JSON report"))
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The diagnostics of a report as (file, line, column, level, message).
fn diagnostics(report: &serde_json::Value) -> Vec<(String, u64, u64, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["level"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The findings of a report as (file, check id).
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["check_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A template with one finding (PF-S3-08), to show the other files are still scanned.
const GOOD_TEMPLATE: &str = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";
