//! What a release ships beside the scanner: the version naming its commit,
//! shell completions and the man page.

mod support;

use std::ffi::OsString;
use std::process::Command;

use support::root;

/// Runs `preflight ARGS` in-process; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once(OsString::from("preflight")).chain(args.iter().map(OsString::from));
    let code = preflight::cli::run(argv, &mut out, &mut err, preflight::cli::Terminal::default());
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// `git ARGS` in the repository, when git is installed and the repository is
/// a git checkout of its own.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(root()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap().trim().to_string())
}

#[test]
fn the_version_names_the_commit_and_its_date_when_built_from_git() {
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    let version = env!("CARGO_PKG_VERSION");
    let top = git(&["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from);
    let checkout = top.is_some_and(|top| top.canonicalize().ok() == root().canonicalize().ok());
    if checkout {
        let commit = git(&["log", "-1", "--format=%h", "--abbrev=12"]).unwrap();
        let date = git(&["log", "-1", "--format=%cd", "--date=short"]).unwrap();
        assert_eq!(out, format!("preflight {version} ({commit} {date})\n"));
        assert_eq!(commit.len(), 12, "{commit}");
        assert!(
            date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
            "{date}"
        );
    } else {
        // A crate unpacked from its archive: the commit `cargo package`
        // recorded, else the version alone.
        println!("not a git checkout: the version without the commit's date");
        assert!(out.starts_with(&format!("preflight {version}")), "{out}");
        assert!(
            out == format!("preflight {version}\n")
                || (out.len() == format!("preflight {version} (0123456789ab)\n").len()
                    && out.ends_with(")\n")),
            "{out}"
        );
    }
    // -V says the same.
    assert_eq!(run(&["-V"]).1, out);
}
