//! Hostile input: whatever a file contains, preflight never crashes, hangs,
//! exhausts memory or reads outside the scanned tree; one bad file never
//! stops the others. One module per guarantee of `docs/security.md`.

#[path = "../support/mod.rs"]
mod support;

mod bounds;
mod containment;
mod evaluation;
mod malformed;

use std::path::Path;

/// Scans `dir` as `preflight scan . --format json EXTRA` run from `dir`, so
/// reports name files relative to it; returns (exit code, JSON report).
fn scan_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["scan", ".", "--format", "json"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let report = serde_json::from_str(&out).unwrap_or_else(|e| {
        panic!(
            "a JSON report ({e}): {out}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    support::assert_valid_report(&report, &dir.display().to_string());
    (output.status.code().unwrap_or(-1), report)
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
