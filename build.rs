//! Embeds every built-in check file (`checks/**/*.yaml`) into the binary, and
//! sets `PREFLIGHT_VERSION`, what `preflight --version` prints: the version,
//! and the commit and its date when built from a git checkout (`0.1.0
//! (0b9bf9c1d2e3 2026-12-02)`), or the commit alone when built from a
//! published crate that recorded it (`.cargo_vcs_info.json`), else the version
//! alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=checks");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let version = env!("CARGO_PKG_VERSION");
    let version = match git_commit(root).or_else(|| packaged_commit(root)) {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_string(),
    };
    println!("cargo::rustc-env=PREFLIGHT_VERSION={version}");
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

/// `git` run in the crate's directory; its trimmed output when it succeeds.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(root).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The checked-out commit and its date (`0b9bf9c1d2e3 2026-12-02`), when the
/// crate is the top of a git work tree (not a crate unpacked inside some other
/// repository). Reruns when HEAD moves: on a commit, a checkout or a fetch.
fn git_commit(root: &Path) -> Option<String> {
    let top = PathBuf::from(git(root, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    let commit = git(
        root,
        &["log", "-1", "--format=%h %cd", "--abbrev=12", "--date=short"],
    )?;
    // HEAD is in the work tree's own git directory (a linked work tree has
    // one of its own); the branch it names, in the common directory.
    let paths = [
        git(root, &["rev-parse", "--git-path", "HEAD"]),
        git(root, &["rev-parse", "--symbolic-full-name", "HEAD"])
            .filter(|name| name.starts_with("refs/"))
            .and_then(|name| git(root, &["rev-parse", "--git-path", &name])),
        git(root, &["rev-parse", "--git-path", "packed-refs"]),
    ];
    for path in paths.into_iter().flatten() {
        let path = root.join(path);
        // A path that does not exist would make cargo rerun this on every build.
        if path.exists() {
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}

/// The commit `cargo package` recorded in `.cargo_vcs_info.json` (the date
/// is not recorded), for a build from a published crate.
fn packaged_commit(root: &Path) -> Option<String> {
    let file = root.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&file).ok()?;
    println!("cargo::rerun-if-changed={}", file.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let sha: String = after
        .trim_start_matches([' ', ':', '"'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(12)
        .collect();
    (sha.len() == 12).then_some(sha)
}
