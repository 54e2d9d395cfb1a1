//! The pipeline's layers import downwards only: the graph and the checks
//! know no frontend, the evaluator knows no Terraform address syntax, and
//! nothing reads the text of an unknown value's reason back (it is a type,
//! `graph::Unknowable`, rendered only for people).

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code lines (comments left out) of every source file below `src/<dir>`.
fn code_lines(dir: &str) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(!files.is_empty(), "no sources in {}", root.display());
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !code.trim().is_empty() {
                lines.push((name.clone(), i + 1, code.to_string()));
            }
        }
    }
    lines
}

#[test]
fn graph_and_checks_import_no_frontend() {
    let mut offending = Vec::new();
    for dir in ["graph", "checks"] {
        for (file, line, code) in code_lines(dir) {
            if code.contains("frontends::") || code.contains("frontends::{") {
                offending.push(format!("{file}:{line}: {}", code.trim()));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "imports from frontends:\n{}",
        offending.join("\n")
    );
}

#[test]
fn the_evaluator_knows_no_terraform_address_syntax() {
    let mut offending = Vec::new();
    for (file, line, code) in code_lines("checks") {
        let literal_address = code.split('"').skip(1).step_by(2).any(|text| {
            text.starts_with("data.")
                || text.starts_with("module.")
                || text.starts_with("var.")
                || text.contains("aws_")
        });
        if literal_address {
            offending.push(format!("{file}:{line}: {}", code.trim()));
        }
    }
    assert!(
        offending.is_empty(),
        "Terraform addresses in the checks:\n{}",
        offending.join("\n")
    );
}

#[test]
fn no_code_reads_the_text_of_a_reason() {
    let mut offending = Vec::new();
    for dir in ["graph", "checks", "frontends", "scan"] {
        for (file, line, code) in code_lines(dir) {
            let reads = [
                "reason.contains(",
                "reason.starts_with(",
                "reason.ends_with(",
                "reason ==",
            ]
            .iter()
            .any(|pattern| code.contains(pattern));
            if reads {
                offending.push(format!("{file}:{line}: {}", code.trim()));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "reasons read as text:\n{}",
        offending.join("\n")
    );
}
