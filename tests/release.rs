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
    // Without git here, whether the build saw a checkout cannot be told.
    if !support::have("git", "the commit in --version") {
        return;
    }
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

/// `program ARGS` with `stdin`, when the program is installed: (success, stdout, stderr).
fn pipe(program: &str, args: &[&str], stdin: &str) -> Option<(bool, String, String)> {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    Some((
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

#[test]
fn completions_cover_every_command_and_option_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for word in [
            "scan",
            "checks",
            "explain",
            "completions",
            "severity-threshold",
            "write-baseline",
        ] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    // The shells that are installed parse their script.
    for (shell, check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let script = run(&["completions", shell]).1;
        match pipe(shell, &[check], &script) {
            Some((ok, _, err)) => assert!(ok, "{shell} rejects its completion script: {err}"),
            None => println!("{shell} is not installed: its completion script is not parsed"),
        }
    }
}

#[test]
fn bash_completes_commands_options_and_their_values() {
    let script = run(&["completions", "bash"]).1;
    // Sources the script, then asks it as bash would for the words typed so far.
    let complete = |words: &[&str]| -> Option<Vec<String>> {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let current = words.len() - 1;
        let program = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD={current}\n\
             _preflight preflight '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
            words = quoted.join(" "),
            cur = words[current],
            prev = words[current - 1],
        );
        let (ok, out, err) = pipe("bash", &[], &program)?;
        assert!(ok, "{err}");
        Some(out.lines().map(str::to_string).collect())
    };
    let Some(commands) = complete(&["preflight", "sc"]) else {
        println!("bash is not installed: its completion is not run");
        return;
    };
    assert_eq!(commands, ["scan"]);
    assert_eq!(complete(&["preflight", "ma"]).unwrap(), ["man"]);
    assert_eq!(
        complete(&["preflight", "scan", "--severity-t"]).unwrap(),
        ["--severity-threshold"]
    );
    assert_eq!(
        complete(&["preflight", "scan", "--format", ""]).unwrap(),
        ["text", "json", "sarif", "markdown", "junit", "gitlab-sast"]
    );
    assert_eq!(
        complete(&["preflight", "completions", "p"]).unwrap(),
        ["powershell"]
    );
}

#[test]
fn man_pages_document_preflight_and_each_command() {
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(page.contains(".TH preflight 1 "), "{page}");
    assert!(page.contains(&format!("\"preflight {version}")), "{page}");
    for command in ["scan", "checks", "explain", "completions", "man"] {
        // preflight(1) refers to the command's own page, which exists.
        assert!(page.contains(&format!("preflight\\-{command}(1)")), "{command}");
        let (code, sub, err) = run(&["man", command]);
        assert_eq!(code, 0, "{command}: {err}");
        assert!(sub.contains(&format!(".TH preflight-{command} 1 ")), "{sub}");
        assert!(sub.contains(&format!("\"preflight {version}")), "{sub}");
    }
    let (code, _, err) = run(&["man", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no man page for \"nope\" (the commands are scan, checks, explain, completions, man)"),
        "{err}"
    );
    // Every option of `scan` is described in its page's OPTIONS section, in
    // an entry of its own (roff escapes '-').
    let page = run(&["man", "scan"]).1;
    let scan = &page[page.find(".SH OPTIONS").expect("an OPTIONS section")..];
    let help = run(&["scan", "--help"]).1;
    let options: Vec<&str> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches([',', '.', ']', ')', ':']))
        .collect();
    assert!(options.len() > 20, "{help}");
    for option in options {
        assert!(
            scan.contains(&format!(".TP\n\\fB{}\\fR", option.replace('-', "\\-")))
                || scan.contains(&format!("\\fR, \\fB{}\\fR", option.replace('-', "\\-"))),
            "{option}"
        );
    }
    // groff, where installed, renders each page without a warning.
    for command in ["", "scan", "checks", "explain", "completions", "man"] {
        let args: Vec<&str> = ["man", command].into_iter().filter(|a| !a.is_empty()).collect();
        let roff = run(&args).1;
        match pipe("groff", &["-man", "-Tutf8", "-ww", "-z"], &roff) {
            Some((ok, _, err)) => assert!(ok && err.is_empty(), "preflight {args:?}: {err}"),
            None => {
                println!("groff is not installed: the man pages are not rendered");
                break;
            }
        }
    }
}
