//! The pre-commit hook (`.pre-commit-hooks.yaml`), for real: pre-commit from
//! PyPI in a virtualenv, a temporary git repository with a bad template, and
//! `pre-commit try-repo` against this repository (pre-commit builds preflight
//! with cargo, as it does for users).

mod support;

use std::process::{Command, Output};

use support::root;

fn run(command: &mut Command) -> Output {
    command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[test]
fn the_hook_scans_the_units_of_the_changed_files() {
    const WHAT: &str = "the pre-commit hook test";
    if !support::have("python3", WHAT) || !support::have("git", WHAT) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let venv = work.path().join("venv");
    let made = run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    assert!(made.status.success(), "{}", text(&made));
    let pip = run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]));
    if !pip.status.success() && std::env::var_os("PREFLIGHT_REQUIRE_TOOLS").is_none() {
        println!(
            "skipped: {WHAT} needs pre-commit from a package index: {}",
            text(&pip)
        );
        return;
    }
    assert!(pip.status.success(), "pip install pre-commit: {}", text(&pip));

    let repo = work.path().join("repo");
    std::fs::create_dir_all(repo.join("infra/net")).unwrap();
    std::fs::create_dir_all(repo.join("infra/keys")).unwrap();
    std::fs::copy(
        root().join("fixtures/PF-VPC-01/fail.yaml"),
        repo.join("infra/net/network.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/PF-KMS-01/pass.yaml"),
        repo.join("infra/keys/keys.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/PF-KMS-01/fail.hcl/main.tf"),
        repo.join("infra/keys/main.tf"),
    )
    .unwrap();
    std::fs::write(repo.join("infra/keys/terraform.tfvars"), "").unwrap();
    std::fs::write(repo.join("README.md"), "not infrastructure\n").unwrap();
    let git = |args: &[&str]| {
        let out = run(Command::new("git").args(args).current_dir(&repo));
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);

    let try_repo = |files: &[&str]| {
        let mut command = Command::new(venv.join("bin/pre-commit"));
        command
            .args(["try-repo", root().to_str().unwrap(), "preflight", "--files"])
            .args(files)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", work.path().join("cache"))
            // The hook's build: shared between runs, and quick to compile.
            .env("CARGO_TARGET_DIR", root().join("target/pre-commit"))
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("GIT_AUTHOR_NAME", "test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com");
        run(&mut command)
    };

    // The changed template fails, with its findings.
    let failed = try_repo(&["infra/net/network.yaml", "README.md"]);
    let log = text(&failed);
    assert!(!failed.status.success(), "{log}");
    // One file: paths are relative to its directory.
    assert!(
        log.contains("network.yaml:14:19") && log.contains("PF-VPC-01"),
        "{log}"
    );

    // A changed variable file scans its whole module; a good template passes.
    let module = try_repo(&["infra/keys/terraform.tfvars"]);
    let log = text(&module);
    assert!(!module.status.success(), "{log}");
    assert!(log.contains("main.tf:") && log.contains("PF-KMS-01"), "{log}");
    assert!(!log.contains("network.yaml"), "only the changed units: {log}");
    let clean = try_repo(&["infra/keys/keys.yaml"]);
    assert!(clean.status.success(), "{}", text(&clean));
}

#[test]
fn the_hook_definition_matches_what_preflight_scans() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = preflight::parse::load_yaml(&text, preflight::parse::Limits::default()).unwrap();
    let hook = &hooks.as_seq().unwrap()[0];
    let field = |k: &str| {
        hook.get(k)
            .and_then(|e| e.value.as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("id"), "preflight");
    assert_eq!(field("language"), "rust");
    assert!(field("entry").starts_with("preflight scan"));
    let files = regex::Regex::new(&field("files")).unwrap();
    for path in [
        "a/b.yaml",
        "t.yml",
        "c.json",
        "x.template",
        "main.tf",
        "prod.tfvars",
        "cdk.out/manifest.json",
    ] {
        assert!(files.is_match(path), "{path}");
    }
    assert!(!files.is_match("src/main.rs") && !files.is_match("README.md"));
}
