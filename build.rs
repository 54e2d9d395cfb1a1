//! Embeds every built-in check file (`checks/**/*.yaml`) into the binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=checks");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("checks"), &mut files);
    files.sort();
    let (frameworks, checks): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.parent().is_some_and(|p| p.ends_with("checks/frameworks")));
    let mut out = String::new();
    embed(
        &mut out,
        root,
        "Built-in check files: (path relative to the repository, contents).",
        "BUILTIN_CHECKS",
        checks,
    );
    embed(
        &mut out,
        root,
        "Built-in compliance frameworks (`checks/frameworks/*.yaml`).",
        "BUILTIN_FRAMEWORKS",
        frameworks,
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_checks.rs");
    std::fs::write(dest, out).expect("write builtin_checks.rs");
}

/// Writes a static array `name` of (relative path, contents) of `files`.
fn embed(out: &mut String, root: &Path, doc: &str, name: &str, files: Vec<PathBuf>) {
    writeln!(out, "/// {doc}\npub static {name}: &[(&str, &str)] = &[").expect("write to string");
    for file in files {
        let relative = file
            .strip_prefix(root)
            .expect("inside the crate")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
}
