//! The GitHub Action (`action.yml`): its interface, and its shell steps run
//! locally with a simulated GitHub environment (`GITHUB_WORKSPACE`,
//! `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`).

mod support;

use std::path::Path;
use std::process::Command;

use preflight::parse::{Limits, load_yaml};
use support::{assert_valid_sarif, root};

#[test]
fn action_yml_declares_the_inputs_and_outputs_and_runs_the_scripts() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = load_yaml(&text, Limits::default()).expect("action.yml is YAML");
    let keys = |section: &str| -> Vec<String> {
        action
            .get(section)
            .unwrap()
            .value
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.clone())
            .collect()
    };
    for input in [
        "path",
        "format",
        "output",
        "severity-threshold",
        "config",
        "baseline",
        "checks",
        "skip-checks",
        "upload-sarif",
        "category",
        "soft-fail",
    ] {
        assert!(keys("inputs").contains(&input.to_string()), "input {input}");
    }
    assert_eq!(keys("outputs"), ["sarif", "findings"]);
    assert!(text.contains("using: composite"));
    assert!(text.contains("github/codeql-action/upload-sarif"));
    assert!(text.contains("if: always()"));
    assert!(text.contains("actions/cache"));
    // hashFiles cannot see the action's folder (outside the workspace): the
    // cache key must name the action's version instead.
    assert!(
        !text.contains("hashFiles("),
        "the cache key hashes files it cannot see"
    );
    assert!(text.contains("github.action_ref || github.sha"));
    for script in ["action/install.sh", "action/scan.sh"] {
        assert!(text.contains(script), "{script} is run");
        let status = Command::new("bash")
            .arg("-n")
            .arg(root().join(script))
            .status()
            .unwrap();
        assert!(status.success(), "{script} parses");
    }
}

/// Runs `action/scan.sh` in a workspace holding one bad template.
fn run_scan_step(workspace: &Path, inputs: &[(&str, &str)]) -> (i32, String, String, String) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_preflight"))
        .parent()
        .unwrap()
        .to_path_buf();
    let output = workspace.join("github_output");
    let summary = workspace.join("step_summary");
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .arg(root().join("action/scan.sh"))
        .current_dir(workspace)
        .env("PATH", path)
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary);
    for (name, value) in inputs {
        command.env(name, value);
    }
    let result = command.output().unwrap();
    (
        result.status.code().unwrap_or(-1),
        std::fs::read_to_string(&output).unwrap(),
        std::fs::read_to_string(&summary).unwrap(),
        String::from_utf8_lossy(&result.stdout).into_owned() + &String::from_utf8_lossy(&result.stderr),
    )
}

#[test]
fn the_scan_step_writes_sarif_outputs_and_a_job_summary() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    // The workspace is the checked-out repository.
    let workspace = tempfile::tempdir().unwrap();
    let git = Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(workspace.path())
        .status();
    assert!(git.is_ok_and(|s| s.success()), "git init");
    std::fs::create_dir(workspace.path().join("infra")).unwrap();
    std::fs::copy(
        root().join("fixtures/PF-VPC-01/fail.yaml"),
        workspace.path().join("infra/network.yaml"),
    )
    .unwrap();
    let (code, outputs, summary, log) = run_scan_step(
        workspace.path(),
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_FORMAT", "sarif"),
            ("INPUT_OUTPUT", "results.sarif"),
            ("INPUT_CHECKS", "PF-VPC-01,PF-VPC-02"),
        ],
    );
    assert_eq!(code, 1, "findings fail the step: {log}");
    // The step log shows the findings as text while the SARIF is written.
    let logged: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("infra/network.yaml:") && l.contains("  PF-VPC-0"))
        .collect();
    assert_eq!(logged.len(), 9, "{log}");
    assert!(
        logged[0].starts_with(
            "infra/network.yaml:14:19  HIGH      PF-VPC-01  Security groups must not allow ingress"
        ),
        "{log}"
    );
    assert!(
        log.contains("    Exact (AWS::EC2::SecurityGroup): CidrIp is \"0.0.0.0/0\""),
        "{log}"
    );
    assert!(outputs.contains("sarif=results.sarif\n"), "{outputs}");
    assert!(outputs.contains("findings=9\n"), "{outputs}");
    assert!(
        summary.starts_with("## preflight: 9 failing findings"),
        "{summary}"
    );
    assert!(summary.contains("| high | 9 |"), "{summary}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace.path().join("results.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&sarif, "the Action's results.sarif");
    // Code scanning resolves URIs against the repository root: `path: infra`
    // gives `infra/network.yaml`.
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/network.yaml"
    );
    assert_eq!(
        sarif["runs"][0]["artifacts"][0]["location"]["uri"],
        "infra/network.yaml"
    );
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let workspace_uri = format!(
        "file://{}/",
        std::fs::canonicalize(workspace.path()).unwrap().display()
    );
    assert_eq!(base, workspace_uri);

    // Another report format: the file holds it, the log still shows text.
    let (code, outputs, _, log) = run_scan_step(
        workspace.path(),
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_FORMAT", "json"),
            ("INPUT_OUTPUT", "reports/preflight.json"),
            ("INPUT_CHECKS", "PF-VPC-01,PF-VPC-02"),
        ],
    );
    assert_eq!(code, 1, "{log}");
    assert!(outputs.contains("sarif=\n"), "no SARIF to upload: {outputs}");
    assert!(outputs.contains("report=reports/preflight.json\n"), "{outputs}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.path().join("reports/preflight.json")).unwrap(),
    )
    .unwrap();
    support::assert_valid_report(&json, "the Action's JSON report");
    assert_eq!(json["findings"].as_array().unwrap().len(), 9);
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("infra/network.yaml:"))
            .count(),
        9,
        "{log}"
    );

    // soft-fail: the step passes, the outputs are the same.
    let (code, outputs, _, _) = run_scan_step(
        workspace.path(),
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_SOFT_FAIL", "true"),
            ("INPUT_CHECKS", "PF-VPC-01,PF-VPC-02"),
        ],
    );
    assert_eq!(code, 0);
    assert!(outputs.contains("findings=9\n"));
    // A threshold above the findings' severity and a check selection pass too.
    let (code, outputs, _, _) = run_scan_step(
        workspace.path(),
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_SEVERITY_THRESHOLD", "critical"),
            ("INPUT_CHECKS", "PF-VPC-01,PF-VPC-02"),
        ],
    );
    assert_eq!(code, 0);
    assert!(outputs.contains("findings=9\n"));
    let (code, outputs, _, _) = run_scan_step(
        workspace.path(),
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_SKIP_CHECKS", "PF-VPC-01,PF-VPC-02,PF-VPC-03,PF-VPC-04"),
        ],
    );
    assert_eq!(code, 0);
    assert!(outputs.contains("findings=0\n"));
}

/// A cache directory holding the built binary, recorded as built from `source`.
fn cached_binary(source: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let cache = tempfile::tempdir().unwrap();
    let bin = cache.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_preflight"), bin.join("preflight")).unwrap();
    std::fs::write(bin.join(".source"), format!("{source}\n")).unwrap();
    (cache, bin)
}

#[test]
fn the_install_step_reuses_a_cached_binary_of_the_same_version() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    let (cache, bin) = cached_binary("preflight-scanner/preflight@v9.9.9");
    let github_path = cache.path().join("github_path");
    let result = Command::new("bash")
        .arg(root().join("action/install.sh"))
        .env("PREFLIGHT_INSTALL_DIR", &bin)
        .env("GITHUB_PATH", &github_path)
        .env("ACTION_PATH", root())
        .env("ACTION_REPOSITORY", "preflight-scanner/preflight")
        .env("ACTION_REF", "v9.9.9")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "{log}");
    assert!(log.contains("preflight: cached preflight"), "{log}");
    assert_eq!(
        std::fs::read_to_string(&github_path).unwrap().trim(),
        bin.to_str().unwrap()
    );
}

#[test]
fn on_windows_the_install_step_puts_a_windows_path_on_github_path() {
    if !support::have("bash", "the Action's scripts") || cfg!(windows) {
        return;
    }
    // Git Bash's cygpath, stood in for: the runner reads $GITHUB_PATH as
    // Windows paths, which later PowerShell and cmd steps need.
    let (cache, bin) = cached_binary("preflight-scanner/preflight@v9.9.9");
    std::fs::copy(bin.join("preflight"), bin.join("preflight.exe")).unwrap();
    let tools = cache.path().join("tools");
    std::fs::create_dir(&tools).unwrap();
    let cygpath = tools.join("cygpath");
    std::fs::write(
        &cygpath,
        "#!/bin/sh\n[ \"$1\" = -w ] && printf 'C:\\\\runner%s\\n' \"$2\" | tr / '\\\\'\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cygpath, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let github_path = cache.path().join("github_path");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let result = Command::new("bash")
        .arg(root().join("action/install.sh"))
        .env("PATH", path)
        .env("PREFLIGHT_INSTALL_DIR", &bin)
        .env("GITHUB_PATH", &github_path)
        .env("ACTION_PATH", root())
        .env("ACTION_REPOSITORY", "preflight-scanner/preflight")
        .env("ACTION_REF", "v9.9.9")
        .env("RUNNER_OS", "Windows")
        .env("RUNNER_ARCH", "X64")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{log}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let expected = format!("C:\\runner{}", bin.display()).replace('/', "\\");
    assert_eq!(std::fs::read_to_string(&github_path).unwrap().trim(), expected);
}

#[test]
fn a_cached_binary_built_from_another_version_is_never_reused() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    // A local action (no ref) built from another checkout: without cargo on
    // the PATH the step must fail, not run the stale binary.
    let (cache, bin) = cached_binary("checkout-0000");
    let result = Command::new("bash")
        .arg(root().join("action/install.sh"))
        .env("PREFLIGHT_INSTALL_DIR", &bin)
        .env("GITHUB_PATH", cache.path().join("github_path"))
        .env("ACTION_PATH", root())
        .env_remove("ACTION_REF")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(!out.contains("preflight: cached"), "{out}");
    assert_eq!(result.status.code(), Some(2), "{out}");
    assert!(out.contains("no cargo to build one"), "{out}");
}

/// A release as `release.yml` publishes it, in a local directory: the asset
/// of `target` (`archive` named after it, holding `preflight-TARGET/preflight`,
/// this build's binary) and a `SHA256SUMS` listing it, or `sums` instead.
/// None when `tar`, `zip` or `sha256sum` is missing (the test then says so).
fn local_release(target: &str, archive: &str, sums: Option<&str>) -> Option<tempfile::TempDir> {
    let release = tempfile::tempdir().unwrap();
    let stage = tempfile::tempdir().unwrap();
    let folder = stage.path().join(format!("preflight-{target}"));
    std::fs::create_dir(&folder).unwrap();
    let exe = if archive.ends_with(".zip") { ".exe" } else { "" };
    std::fs::copy(
        env!("CARGO_BIN_EXE_preflight"),
        folder.join(format!("preflight{exe}")),
    )
    .unwrap();
    let out = release.path().join(archive);
    let packed = if archive.ends_with(".zip") {
        Command::new("zip")
            .arg("-qr")
            .arg(&out)
            .arg(format!("preflight-{target}"))
            .current_dir(stage.path())
            .status()
    } else {
        Command::new("tar")
            .arg("-czf")
            .arg(&out)
            .arg(format!("preflight-{target}"))
            .current_dir(stage.path())
            .status()
    };
    if !packed.is_ok_and(|s| s.success()) {
        println!("no tar or zip: the release download is not tested");
        return None;
    }
    let sums = match sums {
        Some(text) => text.to_string(),
        None => {
            let Ok(output) = Command::new("sha256sum")
                .arg(archive)
                .current_dir(release.path())
                .output()
            else {
                println!("no sha256sum: the release download is not tested");
                return None;
            };
            String::from_utf8(output.stdout).unwrap()
        }
    };
    std::fs::write(release.path().join("SHA256SUMS"), sums).unwrap();
    Some(release)
}

/// Runs `action/install.sh` for the action's release `v9.9.9` on a runner,
/// with the release's assets at `release` and no cargo on the PATH (so a
/// fallback build fails loudly). Returns (exit code, log, install directory).
fn install_from(release: &Path, os: &str, arch: &str) -> (i32, String, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let result = Command::new("bash")
        .arg(root().join("action/install.sh"))
        .env("PREFLIGHT_INSTALL_DIR", home.path().join("bin"))
        .env("GITHUB_PATH", home.path().join("github_path"))
        .env("ACTION_PATH", root())
        .env("ACTION_REPOSITORY", "preflight-scanner/preflight")
        .env("ACTION_REF", "v9.9.9")
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("PREFLIGHT_RELEASE_URL", format!("file://{}", release.display()))
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    (result.status.code().unwrap_or(-1), log, home)
}

#[test]
fn the_install_step_installs_the_release_binary_of_the_runner_once_its_checksum_matches() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    for (os, arch, target, archive, exe) in [
        (
            "Linux",
            "X64",
            "x86_64-unknown-linux-musl",
            "preflight-x86_64-unknown-linux-musl.tar.gz",
            "",
        ),
        (
            "macOS",
            "ARM64",
            "aarch64-apple-darwin",
            "preflight-aarch64-apple-darwin.tar.gz",
            "",
        ),
        (
            "Windows",
            "X64",
            "x86_64-pc-windows-msvc",
            "preflight-x86_64-pc-windows-msvc.zip",
            ".exe",
        ),
    ] {
        let Some(release) = local_release(target, archive, None) else {
            return;
        };
        let (code, log, home) = install_from(release.path(), os, arch);
        assert_eq!(code, 0, "{os}/{arch}: {log}");
        assert!(log.contains("preflight: release binary preflight "), "{log}");
        assert!(log.contains(&format!("{archive} sha256 ")), "{log}");
        let installed = home.path().join("bin").join(format!("preflight{exe}"));
        let version = Command::new(&installed).arg("--version").output().unwrap();
        assert!(
            String::from_utf8_lossy(&version.stdout).starts_with("preflight "),
            "{os}: the installed binary runs"
        );
        assert_eq!(
            std::fs::read_to_string(home.path().join("bin/.source")).unwrap(),
            "preflight-scanner/preflight@v9.9.9\n"
        );
        assert_eq!(
            std::fs::read_to_string(home.path().join("github_path"))
                .unwrap()
                .trim(),
            home.path().join("bin").to_str().unwrap()
        );
        // The next run of the same release reuses it from the cache.
        let result = Command::new("bash")
            .arg(root().join("action/install.sh"))
            .env("PREFLIGHT_INSTALL_DIR", home.path().join("bin"))
            .env("ACTION_PATH", root())
            .env("ACTION_REPOSITORY", "preflight-scanner/preflight")
            .env("ACTION_REF", "v9.9.9")
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("PREFLIGHT_RELEASE_URL", "file:///nonexistent")
            .output()
            .unwrap();
        let (code, log) = (result.status.code(), String::from_utf8_lossy(&result.stdout));
        assert_eq!(code, Some(0), "{log}");
        assert!(log.contains("preflight: cached preflight "), "{log}");
    }
}

#[test]
fn a_release_binary_whose_checksum_does_not_match_is_never_installed() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    let target = "x86_64-unknown-linux-musl";
    let archive = "preflight-x86_64-unknown-linux-musl.tar.gz";
    let wrong = format!("{}  {archive}\n", "0".repeat(64));
    let Some(release) = local_release(target, archive, Some(&wrong)) else {
        return;
    };
    let (code, log, home) = install_from(release.path(), "Linux", "X64");
    assert_eq!(code, 2, "{log}");
    assert!(
        log.contains(&format!("{archive} does not match SHA256SUMS")),
        "{log}"
    );
    // Not installed, and no build from source was tried instead.
    assert!(!home.path().join("bin/preflight").exists());
    assert!(!log.contains("cargo"), "{log}");

    // SHA256SUMS that does not list the asset, or no SHA256SUMS at all.
    let other = format!("{}  preflight-aarch64-apple-darwin.tar.gz\n", "0".repeat(64));
    let release = local_release(target, archive, Some(&other)).unwrap();
    let (code, log, home) = install_from(release.path(), "Linux", "X64");
    assert_eq!(code, 2, "{log}");
    assert!(log.contains(&format!("does not list {archive}")), "{log}");
    assert!(!home.path().join("bin/preflight").exists());
    std::fs::remove_file(release.path().join("SHA256SUMS")).unwrap();
    let (code, log, _) = install_from(release.path(), "Linux", "X64");
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("no SHA256SUMS to verify it against"), "{log}");
}

#[test]
fn without_a_release_binary_for_the_runner_the_install_step_builds_from_source() {
    if !support::have("bash", "the Action's scripts") || !support::have("git", "the Action's scripts") {
        return;
    }
    // The release has only the Linux x86_64 asset: an ARM64 Linux runner and
    // an unknown platform fall back to cargo (absent here, so the step fails
    // saying so), after saying which asset is missing.
    let Some(release) = local_release(
        "x86_64-unknown-linux-musl",
        "preflight-x86_64-unknown-linux-musl.tar.gz",
        None,
    ) else {
        return;
    };
    let (code, log, _) = install_from(release.path(), "Linux", "ARM64");
    assert_eq!(code, 2, "{log}");
    assert!(
        log.contains("no release binary preflight-aarch64-unknown-linux-musl.tar.gz at file://"),
        "{log}"
    );
    assert!(log.contains("no cargo to build one"), "{log}");
    let (code, log, _) = install_from(release.path(), "FreeBSD", "X64");
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("no cargo to build one"), "{log}");
}
