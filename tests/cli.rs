//! The command line in-process: formats, options, exit codes, SARIF validity
//! and report snapshots.

mod support;

use std::ffi::OsString;
use std::path::Path;

use support::{assert_valid_gitlab_sast, assert_valid_report, assert_valid_sarif, root};

/// Runs `preflight ARGS` in-process; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once(OsString::from("preflight")).chain(args.iter().map(OsString::from));
    let code = preflight::cli::run(argv, &mut out, &mut err, preflight::cli::Terminal::default());
    let out = String::from_utf8(out).unwrap();
    support::check_if_json_report(&out, &args.join(" "));
    (code, out, String::from_utf8(err).unwrap())
}

fn fixture(path: &str) -> String {
    root().join("fixtures").join(path).to_string_lossy().into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// The SARIF and the JSON report of every fixture, from one scan each, are
/// valid against their schemas, the GitLab SAST report meets its format's
/// constraints, and the JUnit XML is well-formed.
#[test]
fn reports_of_every_fixture_are_valid_against_their_schemas() {
    let reports = tempfile::tempdir().unwrap();
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 17);
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let json_path = reports.path().join("report.json");
        let junit_path = reports.path().join("junit.xml");
        let gitlab_path = reports.path().join("gl-sast-report.json");
        let (code, out, err) = run(&[
            "scan",
            dir.to_str().unwrap(),
            "--format",
            "sarif",
            "--format",
            &format!("json:{}", json_path.display()),
            "--format",
            &format!("junit:{}", junit_path.display()),
            "--format",
            &format!("gitlab-sast:{}", gitlab_path.display()),
        ]);
        assert!(code == 0 || code == 1, "{}: exit {code}: {err}", dir.display());
        let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_valid_sarif(&sarif, &dir.display().to_string());
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        assert_valid_report(&json, &dir.display().to_string());
        // GitLab: a vulnerability per failing, unsuppressed finding.
        let gitlab: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&gitlab_path).unwrap()).unwrap();
        assert_valid_gitlab_sast(&gitlab, &dir.display().to_string());
        let open_failures = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["verdict"] == "fail" && f["suppression"].is_null())
            .count();
        assert_eq!(
            gitlab["vulnerabilities"].as_array().unwrap().len(),
            open_failures,
            "{}",
            dir.display()
        );
        // JUnit: well-formed, a failure or skip per finding.
        let cases = junit_cases(&std::fs::read_to_string(&junit_path).unwrap());
        assert_eq!(
            cases
                .iter()
                .filter(|c| c.2 == "failure" || c.2 == "skipped")
                .count(),
            json["findings"].as_array().unwrap().len(),
            "{}",
            dir.display()
        );
        assert_eq!(
            json["findings"].as_array().unwrap().len(),
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            "{}",
            dir.display()
        );
        let run = &sarif["runs"][0];
        let artifacts = run["artifacts"].as_array().unwrap();
        assert!(
            !artifacts.is_empty(),
            "{}: every scanned file is an artifact",
            dir.display()
        );
        for result in run["results"].as_array().unwrap() {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(
                region["startLine"].as_i64().unwrap() >= 1 && region["startColumn"].as_i64().unwrap() >= 1
            );
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                !uri.starts_with('/'),
                "URIs are relative to the scanned root: {uri}"
            );
            assert!(result["partialFingerprints"]["preflight/v1"].is_string());
            assert_eq!(
                result["ruleId"],
                run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize]["id"]
            );
        }
    }
}

#[test]
fn sarif_rules_carry_help_tags_and_severity() {
    let (_, out, _) = run(&["scan", &fixture("PF-VPC-01/fail.yaml"), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), builtin_count());
    let ssh = rules.iter().find(|r| r["id"] == "PF-VPC-01").unwrap();
    assert_eq!(ssh["name"], "vpc-sg-no-public-ingress-ssh");
    assert_eq!(ssh["properties"]["security-severity"], "8.0");
    assert_eq!(ssh["defaultConfiguration"]["level"], "error");
    let tags: Vec<&str> = ssh["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"cis-aws-1.2:4.1"), "{tags:?}");
    assert!(ssh["help"]["markdown"].as_str().unwrap().contains("```yaml"));
    assert!(
        ssh["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("checks/vpc/PF-VPC-admin-ports.yaml")
    );
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["kind"],
        "AWS::EC2::SecurityGroup"
    );
}

#[test]
fn unknown_verdicts_are_open_results_and_parse_errors_are_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = std::fs::read_to_string(fixture("PF-CT-07/unknown.yaml")).unwrap();
    write(dir.path(), "unknown.yaml", &unknown);
    write(
        dir.path(),
        "broken.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
    );
    let (code, out, _) = run_in(
        dir.path(),
        &["scan", ".", "--format", "sarif", "--check", "PF-CT-07"],
    );
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["kind"], "open");
    assert_eq!(result["level"], "none");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("broken.yaml:")
    );
    assert_eq!(note["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
}

#[test]
fn exit_codes_follow_the_severity_threshold() {
    let fail = fixture("PF-CT-03/fail.yaml");
    assert_eq!(
        run(&["scan", &fixture("PF-CT-03/pass.yaml"), "--check", "PF-CT-03"]).0,
        0
    );
    assert_eq!(run(&["scan", &fail, "--check", "PF-CT-03"]).0, 1);
    // PF-CT-03 is medium: a high threshold ignores it.
    assert_eq!(
        run(&[
            "scan",
            &fail,
            "--check",
            "PF-CT-03",
            "--severity-threshold",
            "high"
        ])
        .0,
        0
    );
    assert_eq!(
        run(&[
            "scan",
            &fail,
            "--check",
            "PF-CT-03",
            "--severity-threshold",
            "medium"
        ])
        .0,
        1
    );
    // Unknown verdicts never fail the build.
    assert_eq!(
        run(&["scan", &fixture("PF-CT-07/unknown.yaml"), "--check", "PF-CT-07"]).0,
        0
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["scan", "--format", "xml"]).0, 2);
    assert_eq!(run(&["scan", "--severity-threshold", "huge"]).0, 2);
    let (code, _, err) = run(&["scan", &fixture("PF-CT-03"), "--check", "PF-NOPE-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown check PF-NOPE-01"), "{err}");
    assert_eq!(run(&["scan", "/no/such/path"]).0, 2);
    assert_eq!(run(&["scan", &fixture("PF-CT-03"), "--param", "novalue"]).0, 2);
    assert_eq!(run(&["--version"]).0, 0);
}

#[test]
fn a_broken_file_is_reported_and_the_others_are_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a-broken.yaml",
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Bucket:\n    Type: AWS::S3::Bucket\n",
    );
    write(
        dir.path(),
        "b-garbage.template",
        "AWSTemplateFormatVersion: \u{0}\u{1}: [\n",
    );
    write(
        dir.path(),
        "c-good.yaml",
        &std::fs::read_to_string(fixture("PF-S3-08/fail.yaml")).unwrap(),
    );
    write(
        dir.path(),
        "d-not-infra.yaml",
        "apiVersion: v1\nkind: ConfigMap\n",
    );
    let (code, out, _) = run(&["scan", dir.path().to_str().unwrap(), "--check", "PF-S3-08"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("a-broken.yaml:4:3  error  duplicate key \"Bucket\""),
        "{out}"
    );
    assert!(out.contains("b-garbage.template:1:"), "{out}");
    assert!(out.contains("c-good.yaml:2:3"), "{out}");
    assert!(!out.contains("d-not-infra"), "{out}");
}

#[test]
fn parameters_come_from_files_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let template = fixture("PF-CT-03/unknown.yaml");
    let aws_cli = write(
        dir.path(),
        "aws.json",
        r#"[{"ParameterKey": "Validate", "ParameterValue": "true"}]"#,
    );
    let plain = write(dir.path(), "plain.json", r#"{"Validate": "yes"}"#);
    // No value: unknown, and the If is conditional.
    let (_, out, _) = run(&["scan", &template, "--check", "PF-CT-03", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["verdicts"]["unknown"], 1);
    // Validate=true: the Ref passes; Strict is decided false, so the If fails outright.
    let (_, out, _) = run(&[
        "scan", &template, "--check", "PF-CT-03", "--format", "json", "--params", &aws_cli,
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["verdicts"]["pass"], 1);
    assert_eq!(json["findings"][0]["conditional"], serde_json::Value::Null);
    // Validate=yes: the Ref fails ("yes" is not true), Strict holds, the If passes; --param wins over --params.
    let (_, out, _) = run(&[
        "scan",
        &template,
        "--check",
        "PF-CT-03",
        "--format",
        "json",
        "--params",
        &aws_cli,
        "--param",
        "Validate=yes",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["findings"][0]["resource"]["id"], "FromParameter");
    assert_eq!(json["summary"]["verdicts"]["pass"], 1);
    let (_, out2, _) = run(&[
        "scan", &template, "--check", "PF-CT-03", "--format", "json", "--params", &plain,
    ]);
    assert_eq!(out, out2);
}

#[test]
fn checks_are_selected_and_skipped_by_id_or_slug() {
    let dir = fixture("PF-CT-01");
    let (_, out, _) = run(&[
        "scan",
        &dir,
        "--format",
        "json",
        "--check",
        "cloudtrail-log-file-validation-enabled,PF-CT-01",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["checks"], 2);
    let (_, out, _) = run(&["scan", &dir, "--format", "json", "--skip-check", "PF-CT-01"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["checks"], builtin_count() - 1);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["check_id"] != "PF-CT-01")
    );
}

#[test]
fn output_goes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.sarif");
    let (code, out, _) = run(&[
        "scan",
        &fixture("PF-S3-08/fail.yaml"),
        "--format",
        "sarif",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(target).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn one_scan_writes_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sarif_path = dir.path().join("results.sarif");
    let json_path = dir.path().join("reports/preflight.json");
    let (code, out, err) = run(&[
        "scan",
        &fixture("PF-VPC-01/fail.yaml"),
        "--format",
        "text",
        "--format",
        &format!("sarif:{}", sarif_path.display()),
        "--format",
        &format!("json:{}", json_path.display()),
    ]);
    assert_eq!(code, 1, "{err}");
    // Text on standard output, the others in their files (a missing
    // directory is made), all of the same findings.
    assert!(
        out.contains("PF-VPC-01  Security groups must not allow ingress"),
        "{out}"
    );
    let text_findings = out
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains("  PF-"))
        .count();
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_valid_sarif(&sarif, "results.sarif");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_valid_report(&json, "reports/preflight.json");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(text_findings >= 2, "{out}");
    assert_eq!(results.len(), text_findings);
    assert_eq!(findings.len(), text_findings);
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(
            result["partialFingerprints"]["preflight/v1"],
            finding["fingerprint"]
        );
    }
    // The text on standard output lists the input problems itself.
    assert!(err.is_empty(), "{err}");

    // --output takes the report without a path of its own.
    let text_path = dir.path().join("report.txt");
    let (code, out, _) = run(&[
        "scan",
        &fixture("PF-VPC-01/fail.yaml"),
        "--format",
        &format!("sarif:{}", sarif_path.display()),
        "--format",
        "text",
        "-o",
        text_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    let text = std::fs::read_to_string(&text_path).unwrap();
    assert!(text.contains("PF-VPC-01"), "{text}");
    assert!(!text.contains("\x1b["), "no colours in files");
}

#[test]
fn the_report_schema_rejects_what_the_report_never_writes() {
    let (_, out, _) = run(&["scan", &fixture("PF-VPC-01/fail.yaml"), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let validator_rejects = |mutate: &dyn Fn(&mut serde_json::Value)| {
        let mut changed = report.clone();
        mutate(&mut changed);
        !support::report_schema_errors(&changed).is_empty()
    };
    assert!(!validator_rejects(&|_| {}), "the report itself is valid");
    assert!(validator_rejects(
        &|r| r["findings"][0]["severity"] = "severe".into()
    ));
    assert!(validator_rejects(&|r| r["findings"][0]["verdict"] = "pass".into()));
    assert!(validator_rejects(
        &|r| r["findings"][0]["undocumented"] = true.into()
    ));
    assert!(validator_rejects(
        &|r| r["findings"][0]["region"]["start_line"] = 0.into()
    ));
    assert!(validator_rejects(
        &|r| r["findings"][0]["fingerprint"] = "xyz".into()
    ));
    assert!(validator_rejects(&|r| {
        r["findings"][0].as_object_mut().unwrap().remove("conditional");
    }));
    assert!(validator_rejects(
        &|r| r["findings"][0]["related"] = serde_json::json!([])
    ));
    assert!(validator_rejects(&|r| r["schema_version"] = 2.into()));
    assert!(validator_rejects(&|r| {
        r["skipped_resources"] = serde_json::json!([{"file": "a.yaml", "resource": "A", "type": "AWS::S3::Bucket", "reason": "condition"}]);
    }));
}

/// The test cases of a JUnit report: (suite, name, outcome element or
/// "pass", its message or text).
fn junit_cases(xml: &str) -> Vec<(String, String, String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("well-formed XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut cases = Vec::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let in_suite: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(suite.attribute("tests").unwrap(), in_suite.len().to_string());
        for case in in_suite {
            let (kind, detail) = match case.children().find(|n| n.is_element()) {
                Some(e) if e.has_tag_name("system-out") => {
                    ("pass".to_string(), e.text().unwrap_or("").to_string())
                }
                Some(e) => (
                    e.tag_name().name().to_string(),
                    e.attribute("message").unwrap_or("").to_string(),
                ),
                None => ("pass".to_string(), String::new()),
            };
            cases.push((
                suite.attribute("name").unwrap().to_string(),
                case.attribute("name").unwrap().to_string(),
                kind,
                detail,
            ));
        }
    }
    let counted = |kind: &str| cases.iter().filter(|c| c.2 == kind).count().to_string();
    assert_eq!(root.attribute("tests").unwrap(), cases.len().to_string());
    assert_eq!(root.attribute("failures").unwrap(), counted("failure"));
    assert_eq!(root.attribute("skipped").unwrap(), counted("skipped"));
    assert_eq!(root.attribute("errors").unwrap(), counted("error"));
    cases
}

#[test]
fn junit_has_a_suite_per_check_with_failures_unknowns_suppressions_and_passes() {
    let (code, out, _) = run(&[
        "scan",
        &fixture("PF-VPC-01/fail.yaml"),
        "--check",
        "PF-VPC-01,PF-VPC-02",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    let cases = junit_cases(&out);
    // Files as opened from the current directory (the repository root here).
    let file = "fixtures/PF-VPC-01/fail.yaml".to_string();
    let exact = cases
        .iter()
        .find(|c| c.1 == format!("Exact (AWS::EC2::SecurityGroup) in {file}"))
        .unwrap_or_else(|| panic!("{cases:?}"));
    assert_eq!(
        exact.0,
        "PF-VPC-01 Security groups must not allow ingress from the internet (0.0.0.0/0 or ::/0) to port 22"
    );
    assert_eq!(exact.2, "failure");
    assert_eq!(exact.3, format!("{file}:14:19: CidrIp is \"0.0.0.0/0\""));
    // A finding placed in another resource names both.
    assert!(
        cases
            .iter()
            .any(|c| c.1 == format!("SeparateRule, for ClosedGroup (AWS::EC2::SecurityGroup) in {file}")),
        "{cases:?}"
    );
    let failures = cases.iter().filter(|c| c.2 == "failure").count();
    assert_eq!(failures, 9);
    // PF-VPC-02 passed on the other resources: one passing case says how many.
    let passing = cases
        .iter()
        .find(|c| c.0.starts_with("PF-VPC-02 ") && c.1 == "passing resources")
        .unwrap();
    assert_eq!(passing.2, "pass");
    assert_eq!(passing.3, "3 resource(s) pass PF-VPC-02");
    // The failure's text has the location, the fix and the check's page; file and line are attributes.
    let doc = roxmltree::Document::parse(&out).unwrap();
    let case = doc
        .descendants()
        .find(|n| n.attribute("name") == Some(exact.1.as_str()))
        .unwrap();
    assert_eq!(case.attribute("classname"), Some("preflight.PF-VPC-01"));
    assert_eq!(case.attribute("file"), Some(file.as_str()));
    assert_eq!(case.attribute("line"), Some("14"));
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("high"));
    let text = failure.text().unwrap();
    assert!(
        text.starts_with(&format!("{file}:14:19\nPF-VPC-01 Security groups")),
        "{text}"
    );
    assert!(
        text.contains("\nfix: Restrict the rule's `SecurityGroupIngress.CidrIp`"),
        "{text}"
    );
    assert!(
        text.ends_with("/blob/main/checks/vpc/PF-VPC-admin-ports.yaml"),
        "{text}"
    );

    // Unknown verdicts and suppressed findings are skipped, with the reason;
    // an input that does not parse is an error; markup in any of it is escaped.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "unknown.yaml",
        &std::fs::read_to_string(fixture("PF-CT-07/unknown.yaml")).unwrap(),
    );
    write(
        dir.path(),
        "sg.yaml",
        "Resources:\n  # preflight:ignore PF-VPC-01 <bastion> & \"VPN\" only]]>\n  Bastion:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: b\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n",
    );
    write(
        dir.path(),
        "broken.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
    );
    let (code, out, _) = run_in(
        dir.path(),
        &["scan", ".", "--check", "PF-CT-07,PF-VPC-01", "--format", "junit"],
    );
    assert_eq!(code, 2, "the broken template");
    let cases = junit_cases(&out);
    let of = |name: &str| {
        cases
            .iter()
            .find(|c| c.1 == name)
            .unwrap_or_else(|| panic!("{name}: {cases:?}"))
    };
    let unknown = of("Imported (AWS::CloudTrail::Trail) in unknown.yaml");
    assert_eq!(unknown.2, "skipped");
    assert!(
        unknown
            .3
            .starts_with("unknown before deploy: KMSKeyId is unknown: Fn::ImportValue \"shared-trail-key\""),
        "{unknown:?}"
    );
    let suppressed = of("Bastion (AWS::EC2::SecurityGroup) in sg.yaml");
    assert_eq!(suppressed.2, "skipped");
    assert!(
        suppressed
            .3
            .starts_with("suppressed (inSource): <bastion> & \"VPN\" only]]>"),
        "{suppressed:?}"
    );
    let broken = of("broken.yaml");
    assert_eq!(broken.0, "preflight inputs");
    assert_eq!(broken.2, "error");
    assert!(!out.contains("<bastion>"), "escaped");

    // An account-baseline check's conclusion over the run is a case of its own.
    let (code, out, _) = run(&[
        "scan",
        "fixtures/PF-CT-02/pass.yaml",
        "--profile",
        "account-baseline",
        "--check",
        "PF-CT-02",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 0);
    let cases = junit_cases(&out);
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0].1, "account baseline");
    assert_eq!(cases[0].2, "pass");
    assert_eq!(cases[0].3, "Trail (AWS::CloudTrail::Trail) qualifies");
}

#[test]
fn gitlab_sast_reports_open_failures_as_vulnerabilities_with_stable_ids() {
    let scan = || {
        let (code, out, err) = run(&[
            "scan",
            "fixtures/PF-VPC-01/fail.yaml",
            "--check",
            "PF-VPC-01",
            "--format",
            "gitlab-sast",
        ]);
        assert_eq!(code, 1, "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_valid_gitlab_sast(&report, "the report");
        report
    };
    let report = scan();
    assert_eq!(report["version"], "15.0.4");
    assert_eq!(report["scan"]["type"], "sast");
    assert_eq!(report["scan"]["status"], "success");
    assert_eq!(report["scan"]["scanner"]["id"], "preflight");
    assert!(report["scan"]["start_time"].as_str() <= report["scan"]["end_time"].as_str());
    let vulnerabilities = report["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulnerabilities.len(), 6);
    let first = &vulnerabilities[0];
    assert_eq!(
        first["name"],
        "Security groups must not allow ingress from the internet (0.0.0.0/0 or ::/0) to port 22"
    );
    assert_eq!(first["severity"], "High");
    assert!(
        first["description"]
            .as_str()
            .unwrap()
            .starts_with("Exact (AWS::EC2::SecurityGroup): CidrIp is \"0.0.0.0/0\""),
        "{first}"
    );
    assert_eq!(
        first["location"],
        serde_json::json!({"file": "fixtures/PF-VPC-01/fail.yaml", "start_line": 14, "end_line": 14})
    );
    assert_eq!(first["identifiers"][0]["type"], "preflight");
    assert_eq!(first["identifiers"][0]["value"], "PF-VPC-01");
    assert!(
        first["identifiers"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/checks/vpc/PF-VPC-admin-ports.yaml")
    );
    assert!(
        first["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == "checkov" && i["value"] == "CKV_AWS_24"),
        "the Checkov alias: {first}"
    );
    assert!(
        first["solution"]
            .as_str()
            .unwrap()
            .starts_with("Restrict the rule's `SecurityGroupIngress.CidrIp`")
    );
    // Ids are unique, and the same in the next run.
    let ids = |r: &serde_json::Value| -> Vec<String> {
        r["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut unique = ids(&report);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 6);
    assert_eq!(ids(&report), ids(&scan()));
    // The constraints bite.
    let mutations: [&dyn Fn(&mut serde_json::Value); 4] = [
        &|r| r["vulnerabilities"][0]["severity"] = "Severe".into(),
        &|r| r["scan"]["start_time"] = "2026-01-01 10:00:00".into(),
        &|r| r["vulnerabilities"][0]["identifiers"] = serde_json::json!([]),
        &|r| r["scan"]["type"] = "iac".into(),
    ];
    for mutate in mutations {
        let mut changed = report.clone();
        mutate(&mut changed);
        assert!(!support::gitlab_sast_errors(&changed).is_empty());
    }

    // Unknown verdicts and suppressed findings are messages, not
    // vulnerabilities; an unreadable input makes the scan a failure.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "unknown.yaml",
        &std::fs::read_to_string(fixture("PF-CT-07/unknown.yaml")).unwrap(),
    );
    write(
        dir.path(),
        "sg.yaml",
        "Resources:\n  # preflight:ignore PF-VPC-01 bastion\n  Bastion:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: b\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n  Open:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: o\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n",
    );
    write(
        dir.path(),
        "broken.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
    );
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--check",
            "PF-CT-07,PF-VPC-01",
            "--format",
            "gitlab-sast",
        ],
    );
    assert_eq!(code, 2);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_gitlab_sast(&report, "the report");
    assert_eq!(report["scan"]["status"], "failure");
    let vulnerabilities = report["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulnerabilities.len(), 1, "{vulnerabilities:?}");
    assert_eq!(vulnerabilities[0]["location"]["file"], "sg.yaml");
    assert!(
        vulnerabilities[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("Open ")
    );
    let messages: Vec<(&str, &str)> = report["scan"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["level"].as_str().unwrap(), m["value"].as_str().unwrap()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(level, value)| *level == "warn" && value.starts_with("broken.yaml:")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|(level, value)| *level == "info"
            && value.starts_with("unknown before deploy, not reported as a vulnerability: PF-CT-07 Imported at unknown.yaml:7:17: KMSKeyId is unknown")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&(
            "info",
            "1 suppressed finding(s) not reported (accepted in the code or by the baseline)"
        )),
        "{messages:?}"
    );
}

#[test]
fn reports_that_would_collide_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.json");
    let template = fixture("PF-VPC-01/fail.yaml");
    let (code, out, err) = run(&["scan", &template, "--format", "text", "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("--format text, --format json: only one report can go to standard output; give the others a file (--format json:PATH)"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "scan",
        &template,
        "--format",
        "sarif",
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("only one report can go to --output"), "{err}");
    let (code, _, err) = run(&[
        "scan",
        &template,
        "--format",
        &format!("sarif:{}", file.display()),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("every --format has a path of its own"), "{err}");
    let (code, _, err) = run(&[
        "scan",
        &template,
        "--format",
        &format!("sarif:{}", file.display()),
        "--format",
        &format!("json:{}", file.display()),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("two reports would be written to the same file"),
        "{err}"
    );
    let (code, _, err) = run(&["scan", &template, "--format", "xml:out.xml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("\"xml\" is not a format (one of text, json, sarif, markdown"),
        "{err}"
    );
    assert!(!file.exists(), "nothing is written after a usage error");
}

#[test]
fn the_config_file_lists_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(fixture("PF-VPC-01/fail.yaml"), root.join("net.yaml")).unwrap();
    // Paths are relative to the config file, like its other paths.
    write(
        root,
        ".preflight.toml",
        "[scan]\nformat = [\"json\", \"sarif:out/preflight.sarif\"]\n",
    );
    std::fs::create_dir(root.join("sub")).unwrap();
    let (code, out, err) = run_in(root, &["scan", "."]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert!(!json["findings"].as_array().unwrap().is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("out/preflight.sarif")).unwrap()).unwrap();
    assert_valid_sarif(&sarif, "the configured SARIF");
    // --format replaces the file's list.
    std::fs::remove_file(root.join("out/preflight.sarif")).unwrap();
    let (_, out, _) = run_in(root, &["scan", ".", "--format", "text"]);
    assert!(out.contains("net.yaml:"), "{out}");
    assert!(!root.join("out/preflight.sarif").exists());
    // A single string still works; a wrong entry names the file.
    write(root, ".preflight.toml", "[scan]\nformat = \"markdown\"\n");
    let (_, out, _) = run_in(root, &["scan", "."]);
    assert!(out.starts_with("## preflight: "), "{out}");
    write(root, ".preflight.toml", "[scan]\nformat = [\"text\", \"json\"]\n");
    let (code, _, err) = run_in(root, &["scan", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("only one report can go to standard output"), "{err}");
    write(root, ".preflight.toml", "[scan]\nformat = [\"sarif:\"]\n");
    let (code, _, err) = run_in(root, &["scan", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".preflight.toml: [scan] format: \"sarif:\": the path after"),
        "{err}"
    );
    write(root, ".preflight.toml", "[scan]\nformat = 3\n");
    let (code, _, err) = run_in(root, &["scan", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("expected a format or a list of formats"), "{err}");
}

#[test]
fn gitignored_files_are_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let bad = std::fs::read_to_string(fixture("PF-S3-08/fail.yaml")).unwrap();
    write(dir.path(), ".gitignore", "generated/\n");
    write(dir.path(), "generated/bucket.yaml", &bad);
    write(dir.path(), "node_modules/pkg/bucket.yaml", &bad);
    let root = dir.path().to_str().unwrap();
    let (code, out, _) = run(&["scan", root, "--format", "json", "--allow-empty"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 0);
}

#[test]
fn user_checks_load_from_a_directory_and_bad_ones_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "my/ACME-S3-01.yaml",
        "id: ACME-S3-01\nslug: acme-buckets-tagged\ntitle: Buckets carry an owner tag\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: |\n  some Tags[*] { Key == \"owner\" }\n",
    );
    let (code, out, _) = run(&[
        "scan",
        &fixture("PF-S3-08/pass.yaml"),
        "--checks",
        dir.path().to_str().unwrap(),
        "--check",
        "ACME-S3-01",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ACME-S3-01"), "{out}");
    let (code, out, _) = run(&["checks", "--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ACME-S3-01") && out.contains(&format!("{} checks", builtin_count() + 1)),
        "{out}"
    );
    write(
        dir.path(),
        "my/ACME-S3-02.yaml",
        "id: ACME-S3-02\nslug: x\ntitle: x\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: |\n  Tags exists\n  Tags ==\n",
    );
    let (code, _, err) = run(&["checks", "--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("ACME-S3-02.yaml:8:10: expected a value"), "{err}");
}

#[test]
fn checks_and_explain_describe_the_registry() {
    let (code, out, _) = run(&["checks"]);
    assert_eq!(code, 0);
    assert!(out.contains("PF-VPC-01") && out.contains(&format!("{} checks", builtin_count())));
    let (code, out, _) = run(&["explain", "PF-S3-04"]);
    assert_eq!(code, 0);
    for section in [
        "Description",
        "Rationale",
        "Remediation",
        "CloudFormation example",
        "Terraform example",
        "References",
    ] {
        assert!(out.contains(section), "missing {section}:\n{out}");
    }
    assert_eq!(run(&["explain", "PF-NOPE-99"]).0, 2);
}

#[test]
fn terraform_users_see_the_terraform_example_first() {
    let position =
        |text: &str, what: &str| text.find(what).unwrap_or_else(|| panic!("no {what} in:\n{text}"));
    // `explain` puts the example asked for first; CloudFormation's by default.
    let (code, out, _) = run(&["explain", "PF-RDS-01", "--for", "terraform"]);
    assert_eq!(code, 0);
    assert!(position(&out, "Terraform example") < position(&out, "CloudFormation example"));
    let (_, out, _) = run(&["explain", "PF-RDS-01"]);
    assert!(position(&out, "CloudFormation example") < position(&out, "Terraform example"));

    // A Terraform finding's help points at the Terraform example; a CloudFormation one's does not.
    let hcl = root().join("fixtures/PF-RDS-01/fail.hcl");
    let (code, out, _) = run(&["scan", hcl.to_str().unwrap(), "--no-color"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("(preflight explain PF-RDS-01 --for terraform)"),
        "{out}"
    );
    let yaml = root().join("fixtures/PF-RDS-01/fail.yaml");
    let (_, out, _) = run(&["scan", yaml.to_str().unwrap(), "--no-color"]);
    assert!(out.contains("(preflight explain PF-RDS-01)"), "{out}");

    // SARIF rule help, read by code-scanning users: the language of the rule's findings first.
    let help = |path: &std::path::Path| {
        let (_, out, _) = run(&["scan", path.to_str().unwrap(), "--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .clone();
        let rule = rules.into_iter().find(|r| r["id"] == "PF-RDS-01").unwrap();
        rule["help"]["markdown"].as_str().unwrap().to_string()
    };
    let markdown = help(&hcl);
    assert!(
        position(&markdown, "```hcl") < position(&markdown, "```yaml"),
        "{markdown}"
    );
    let markdown = help(&yaml);
    assert!(
        position(&markdown, "```yaml") < position(&markdown, "```hcl"),
        "{markdown}"
    );
}

#[test]
fn policies_in_heredocs_and_jsonencode_are_reported_at_the_offending_value() {
    let dir = tempfile::tempdir().unwrap();
    let main = r#"resource "aws_iam_policy" "Heredoc" {
  name   = "h"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*"}
  ]
}
EOF
}

resource "aws_iam_policy" "Indented" {
  name   = "i"
  policy = <<-POLICY
    {
      "Statement": [{"Effect": "Allow",
                     "Action": "*", "Resource": "*"}]
    }
    POLICY
}

resource "aws_iam_policy" "Encoded" {
  name = "e"
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
      { Effect = "Allow", Action = "*", Resource = "*" },
    ]
  })
}
"#;
    write(dir.path(), "main.tf", main);
    let (code, out, err) = run_in(
        dir.path(),
        &["scan", ".", "--check", "PF-IAM-01", "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Where `"*"` follows the n-th `marker` in the file: (line, column), 1-based.
    let value_after = |marker: &str, n: usize| {
        let (number, line) = main
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(marker))
            .nth(n)
            .unwrap();
        let col = line.find(marker).unwrap() + marker.len() + 1;
        (number as u64 + 1, col as u64)
    };
    let expected = [
        ("aws_iam_policy.Heredoc", value_after(r#""Action": "#, 1)),
        // `<<-` strips the indent: the column is still the file's.
        ("aws_iam_policy.Indented", value_after(r#""Action": "#, 2)),
        ("aws_iam_policy.Encoded", value_after("Action = ", 1)),
    ];
    for (resource, (line, column)) in expected {
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["id"] == resource)
            .unwrap_or_else(|| panic!("no finding on {resource}: {out}"));
        assert_eq!(finding["region"]["start_line"], line, "{resource}: {finding}");
        assert_eq!(finding["region"]["start_column"], column, "{resource}: {finding}");
        assert_eq!(finding["message"], "Action[*] is \"*\"", "{resource}");
    }
}

#[test]
fn checks_list_as_json_for_tooling() {
    let (code, out, err) = run(&["checks", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listing["tool"]["name"], "preflight");
    let checks = listing["checks"].as_array().unwrap();
    assert_eq!(checks.len(), builtin_count());
    let by_id = |id: &str| {
        checks
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let vpc = by_id("PF-VPC-01");
    assert_eq!(vpc["slug"], "vpc-sg-no-public-ingress-ssh");
    assert_eq!(
        vpc["title"],
        "Security groups must not allow ingress from the internet (0.0.0.0/0 or ::/0) to port 22"
    );
    assert_eq!(vpc["severity"], "high");
    assert_eq!(vpc["formats"], serde_json::json!(["cloudformation", "terraform"]));
    assert_eq!(vpc["not_expressible"], serde_json::json!({}));
    assert!(
        vpc["frameworks"]["cis-aws-1.2"]
            .as_array()
            .unwrap()
            .contains(&"4.1".into()),
        "{vpc}"
    );
    assert!(
        vpc["resource_types"]
            .as_array()
            .unwrap()
            .contains(&"AWS::EC2::SecurityGroup".into())
    );
    // A check only Terraform can express says so, and why.
    let provider = by_id("PF-GEN-06");
    assert_eq!(provider["formats"], serde_json::json!(["terraform"]));
    assert!(
        provider["not_expressible"]["cloudformation"]
            .as_str()
            .unwrap()
            .contains("no provider credentials")
    );
    assert_eq!(provider["aliases"]["checkov"], serde_json::json!(["CKV_AWS_41"]));
    assert_eq!(provider["severity"], "critical");
    // Every check names at least one format, and the slugs are unique.
    let mut slugs: Vec<&str> = checks.iter().map(|c| c["slug"].as_str().unwrap()).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), checks.len());
    assert!(
        checks
            .iter()
            .all(|c| !c["formats"].as_array().unwrap().is_empty())
    );

    // With --framework, the controls and the checks covering each.
    let (code, out, _) = run(&["checks", "--framework", "cis-aws-1.2", "--format", "json"]);
    assert_eq!(code, 0);
    let framework: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(framework["framework"], "cis-aws-1.2");
    let controls = framework["controls"].as_array().unwrap();
    let control = |id: &str| controls.iter().find(|c| c["control"] == id).unwrap();
    assert!(
        control("4.1")["checks"]
            .as_array()
            .unwrap()
            .contains(&"PF-VPC-01".into())
    );
    assert!(
        control("1.13")["not_checkable"].is_string(),
        "{}",
        control("1.13")
    );
    assert_eq!(run(&["checks", "--format", "yaml"]).0, 2);
}

/// Report snapshots on one fixture per format, run from the repository root
/// with relative paths (as a user runs it), with the machine-specific root
/// redacted.
#[test]
fn report_snapshots() {
    let target = "fixtures/PF-VPC-01";
    let (_, text, _) = run_in(&root(), &["scan", target, "--check", "PF-VPC-01,PF-VPC-02"]);
    insta::assert_snapshot!("text_report", text);
    let (_, json, _) = run_in(
        &root(),
        &["scan", target, "--check", "PF-VPC-01", "--format", "json"],
    );
    insta::assert_snapshot!("json_report", json);
    let (_, sarif, _) = run_in(
        &root(),
        &[
            "scan",
            "fixtures/PF-VPC-01/fail.yaml",
            "--check",
            "PF-VPC-01",
            "--format",
            "sarif",
        ],
    );
    let mut sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[root]/".into();
    sarif["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    sarif["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    insta::assert_snapshot!("sarif_report", serde_json::to_string_pretty(&sarif).unwrap());
}

/// The three reports for each kind of input a user scans, as they read them:
/// Terraform names and the resource to edit (a module and its plan), the
/// SAM resource behind a generated one, the CDK construct of an assembly
/// without path metadata and of a template synthesized on its own.
#[test]
fn report_snapshots_per_input_kind() {
    let inputs = [
        (
            "terraform_module",
            "tests/snapshot-inputs/terraform",
            "PF-VPC-01,PF-RDS-01,PF-RDS-02,PF-SQS-01",
        ),
        (
            "terraform_plan",
            "tests/snapshot-inputs/plan/plan.json",
            "PF-VPC-01,PF-RDS-01,PF-RDS-02,PF-SQS-01",
        ),
        ("sam", "tests/snapshot-inputs/sam", "PF-IAM-01"),
        (
            "cdk_assembly",
            "tests/snapshot-inputs/cdk-assembly/cdk.out",
            "PF-VPC-01",
        ),
        (
            "cdk_synth",
            "tests/snapshot-inputs/cdk-synth/template.json",
            "PF-VPC-01",
        ),
    ];
    for (name, target, checks) in inputs {
        let (code, text, err) = run_in(&root(), &["scan", target, "--check", checks]);
        assert_eq!(code, 1, "{name}: {err}");
        insta::assert_snapshot!(format!("{name}_text"), text);
        let (_, json, _) = run_in(&root(), &["scan", target, "--check", checks, "--format", "json"]);
        insta::assert_snapshot!(format!("{name}_json"), json);
        let (_, sarif, _) = run_in(&root(), &["scan", target, "--check", checks, "--format", "sarif"]);
        let mut sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        assert_valid_sarif(&sarif, name);
        sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[root]/".into();
        sarif["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
        sarif["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
        insta::assert_snapshot!(
            format!("{name}_sarif"),
            serde_json::to_string_pretty(&sarif).unwrap()
        );
    }
}

#[test]
fn odd_encodings_and_sizes_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let bucket = "Resources:\r\n  Bucket:\r\n    Type: AWS::S3::Bucket\r\n";
    // A UTF-8 BOM and CRLF line ends read like any other template.
    write(dir.path(), "bom-crlf.yaml", &format!("\u{feff}{bucket}"));
    write(
        dir.path(),
        "bom.json",
        "\u{feff}{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}",
    );
    write(dir.path(), "empty.yaml", "");
    std::fs::write(
        dir.path().join("latin1.yaml"),
        b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {note: \"caf\xe9\"}\n",
    )
    .unwrap();
    let (code, out, _) = run_in(
        dir.path(),
        &["scan", ".", "--check", "PF-S3-08", "--format", "json"],
    );
    assert_eq!(code, 2, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 2, "{out}");
    let findings = json["findings"].as_array().unwrap();
    let bom = findings.iter().find(|f| f["file"] == "bom-crlf.yaml").unwrap();
    assert_eq!(bom["region"]["start_line"], 2);
    assert_eq!(bom["region"]["start_column"], 3);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert_eq!(diagnostics[0]["file"], "latin1.yaml");
    assert_eq!(diagnostics[0]["line"], 4);
    assert!(diagnostics[0]["message"].as_str().unwrap().contains("UTF-8"));
    // Over the size limit: skipped with a warning, not an error.
    let (code, out, _) = run(&[
        "scan",
        dir.path().join("bom.json").to_str().unwrap(),
        "--max-file-size",
        "10",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["diagnostics"][0]["level"], "warning");
}

/// A plan next to (or pointed at) its `.tf` sources reports on the sources:
/// the same lines as scanning the module itself, with plan addresses.
#[test]
fn plan_findings_point_at_the_tf_sources() {
    let lines = |out: &str| -> Vec<(String, u64, String)> {
        let json: serde_json::Value = serde_json::from_str(out).unwrap();
        let mut found: Vec<(String, u64, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"]
                        .as_str()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .to_string(),
                    f["region"]["start_line"].as_u64().unwrap(),
                    f["resource"]["id"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    // Scans with PF-VPC-01 only, as JSON, and returns the findings' places.
    let scan = |target: &str, extra: &[&str]| {
        let mut args = vec!["scan", target, "--check", "PF-VPC-01", "--format", "json"];
        args.extend_from_slice(extra);
        lines(&run(&args).1)
    };
    let copy_into = |dir: &tempfile::TempDir, fixture_file: &str, name: &str| {
        std::fs::copy(
            root().join("fixtures/PF-VPC-01").join(fixture_file),
            dir.path().join(name),
        )
        .unwrap();
    };
    let expected = scan(&fixture("PF-VPC-01/fail.hcl"), &[]);
    assert_eq!(expected.len(), 6);

    let dir = tempfile::tempdir().unwrap();
    copy_into(&dir, "fail.hcl/main.tf", "main.tf");
    copy_into(&dir, "fail.plan.json", "plan.json");
    assert_eq!(
        scan(dir.path().to_str().unwrap(), &[]),
        expected,
        "the plan's findings sit on main.tf, once"
    );

    let plans = tempfile::tempdir().unwrap();
    copy_into(&plans, "fail.plan.json", "plan.json");
    let alone = scan(plans.path().to_str().unwrap(), &[]);
    assert!(!alone.is_empty());
    assert!(alone.iter().all(|(file, _, _)| file == "plan.json"));
    let plan = plans.path().join("plan.json");
    assert_eq!(
        scan(
            plan.to_str().unwrap(),
            &["--tf-source", dir.path().to_str().unwrap()]
        ),
        expected,
        "--tf-source places the plan on the given sources"
    );
}

/// A CDK cloud assembly (fixtures/cdk/cdk.out, synthesized from
/// fixtures/cdk/app by its synth.sh): stacks, a stage and nested stacks are
/// read through manifest.json; findings carry the construct path, the stack
/// and the app line; Metadata suppressions hold; the SARIF is valid.
#[test]
fn cdk_assemblies_report_constructs_stacks_and_app_lines() {
    // From the CDK project, as `npx cdk synth && preflight scan .` runs.
    let project = root().join("fixtures/cdk");
    let (code, out, _) = run_in(&project, &["scan", ".", "--format", "json"]);
    assert_eq!(code, 1, "the open SSH rule fails the scan");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 4, "two stacks and their nested stacks: {files:?}");
    assert!(files.contains(&"cdk.out/assembly-Prod/ProdAppNetwork54C7A7F6.nested.template.json"));
    let findings = json["findings"].as_array().unwrap();
    let find = |check: &str, stack: &str| {
        findings
            .iter()
            .find(|f| f["check_id"] == check && f["cdk"]["stack"] == stack)
            .unwrap_or_else(|| panic!("no {check} in {stack}: {out}"))
    };
    let key = find("PF-KMS-01", "DevApp");
    assert_eq!(key["cdk"]["construct_path"], "DevApp/DataKey/Resource");
    assert_eq!(key["cdk"]["source"], "app/app.js:22:5");
    let ssh = find("PF-VPC-01", "Prod/App/Network");
    assert_eq!(ssh["cdk"]["construct_path"], "Prod/App/Network/Bastion/Resource");
    assert_eq!(
        ssh["file"],
        "cdk.out/assembly-Prod/ProdAppNetwork54C7A7F6.nested.template.json"
    );
    let legacy = find("PF-LMB-02", "DevApp");
    assert_eq!(
        legacy["suppression"]["justification"],
        "retired with the v1 API in Q1"
    );
    assert_eq!(legacy["suppression"]["kind"], "inSource");
    // Only suppressed failures: the scan passes.
    let (code, _, _) = run_in(&project, &["scan", ".", "--check", "PF-LMB-02"]);
    assert_eq!(code, 0);
    // SARIF: the app line is the location, the template a related location.
    let (_, out, _) = run_in(&project, &["scan", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let key = results
        .iter()
        .find(|r| r["ruleId"] == "PF-KMS-01")
        .expect("a KMS result");
    let location = &key["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"], "fixtures/cdk/app/app.js",
        "relative to the repository root"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 22);
    assert!(
        location["logicalLocations"][1]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .ends_with("/DataKey/Resource")
    );
    assert!(
        key["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(".template.json")
    );
    let suppressed = results
        .iter()
        .find(|r| r["ruleId"] == "PF-LMB-02")
        .expect("LMB result");
    assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
}

/// A manifest naming a template outside its assembly is an error; the file is never read.
#[test]
fn cdk_manifests_cannot_reach_outside_the_assembly() {
    let dir = tempfile::tempdir().unwrap();
    let outside = write(
        dir.path(),
        "secret.template.json",
        r#"{"Resources": {"K": {"Type": "AWS::KMS::Key"}}}"#,
    );
    let assembly = dir.path().join("cdk.out");
    std::fs::create_dir(&assembly).unwrap();
    write(
        &assembly,
        "manifest.json",
        r#"{"version": "55.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../secret.template.json"}}}}"#,
    );
    let (code, out, _) = run(&["scan", assembly.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["findings"].as_array().unwrap().is_empty(), "{out}");
    assert!(out.contains("outside the cloud assembly"), "{out}");
    let _ = outside;
}

/// How many checks are built in (the counts above follow the catalog as it grows).
fn builtin_count() -> usize {
    preflight::checks::Registry::builtin()
        .expect("built-in checks load")
        .checks()
        .len()
}

/// Suppression comments (YAML and HCL), Checkov's syntax through aliases,
/// expiry, missing reasons and unused comments.
#[test]
fn inline_suppressions_hide_findings_from_the_exit_code_but_not_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.yaml",
        "Resources:\n  # preflight:ignore PF-KMS-01 rotation handled by the key vendor\n  KeyA:\n    Type: AWS::KMS::Key\n  KeyB: # preflight:ignore kms-key-rotation-enabled until=2020-01-01 old waiver\n    Type: AWS::KMS::Key\n  KeyC:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false # checkov:skip=CKV_AWS_7\n  KeyD:\n    Type: AWS::KMS::Key\n  # preflight:ignore PF-S3-04 nothing here\n",
    );
    write(
        dir.path(),
        "main.tf",
        "# preflight:ignore PF-KMS-01 tf waiver\nresource \"aws_kms_key\" \"a\" {\n}\n",
    );
    let (code, out, _) = run_in(
        dir.path(),
        &["scan", ".", "--format", "json", "--report-unused-ignores"],
    );
    assert_eq!(code, 1, "KeyB's waiver expired and KeyD has none");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let suppressed: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppression"].is_object())
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap(),
                f["suppression"]["justification"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            ("aws_kms_key.a", "tf waiver"),
            ("KeyA", "rotation handled by the key vendor"),
            ("KeyC", "no reason given")
        ]
    );
    assert_eq!(json["summary"]["suppressed"], 3);
    let warnings: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("t.yaml:5 ") && w.contains("expired on 2020-01-01")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("t.yaml:10 ") && w.contains("gives no reason")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("t.yaml:13 ") && w.contains("matches no finding")),
        "{warnings:?}"
    );
    // Without the flag, unused comments are not reported.
    let (_, out, _) = run_in(dir.path(), &["scan", ".", "--format", "json"]);
    assert!(!out.contains("matches no finding"));
    // SARIF keeps suppressed results with their justification.
    let (_, out, _) = run_in(dir.path(), &["scan", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let kinds: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["inSource"; 3]);
}

/// A baseline hides today's findings (SARIF `external`), survives moved
/// lines, and still fails on a new finding.
#[test]
fn baselines_fail_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let template = "Resources:\n  KeyA:\n    Type: AWS::KMS::Key\n";
    let file = write(dir.path(), "t.yaml", template);
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let (code, _, _) = run(&["scan", &file, "--write-baseline", baseline]);
    assert_eq!(code, 0, "writing a baseline accepts the findings");
    // Reformatted and moved: still accepted.
    std::fs::write(
        &file,
        format!("# a comment\n\n{}", template.replace("  KeyA:", "\n  KeyA:")),
    )
    .unwrap();
    let (code, out, _) = run(&["scan", &file, "--baseline", baseline, "--format", "sarif"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"external\""));
    // A new finding fails.
    std::fs::write(&file, format!("{template}  KeyB:\n    Type: AWS::KMS::Key\n")).unwrap();
    let (code, out, _) = run(&["scan", &file, "--baseline", baseline, "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let open: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppression"].is_null())
        .map(|f| f["resource"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(open, ["KeyB"]);
    // A broken baseline is a usage error before any scanning.
    std::fs::write(dir.path().join("bad.json"), "{\"version\": 9}").unwrap();
    let (code, _, err) = run(&[
        "scan",
        &file,
        "--baseline",
        dir.path().join("bad.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a preflight baseline"), "{err}");
}

/// `Metadata.checkov.skip` in a JSON template, for a check with that Checkov alias.
#[test]
fn checkov_metadata_skips_are_honoured_through_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "t.json",
        r#"{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Metadata": {"checkov": {"skip": [{"id": "CKV_AWS_7", "comment": "vendor key"}]}}}}}"#,
    );
    let (code, out, _) = run(&["scan", &file, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("vendor key"));
}

/// `.preflight.toml` from the scanned directory: exclusions, default format
/// and threshold, check selection, severities, parameters per template; the
/// command line wins; unknown keys are errors with their line.
#[test]
fn the_config_file_sets_defaults_that_flags_override() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".preflight.toml",
        r#"
[scan]
exclude = ["legacy/"]
format = "json"
severity_threshold = "high"

[checks]
disable = ["PF-S3-08"]

[checks.severity]
PF-KMS-01 = "high"

[[parameters]]
files = "prod/*.yaml"
params_file = "prod.json"
"#,
    );
    write(
        root,
        "prod.json",
        r#"[{"ParameterKey": "Rotate", "ParameterValue": "true"}]"#,
    );
    let key = "Parameters:\n  Rotate: {Type: String, Default: \"false\"}\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: !Ref Rotate\n";
    std::fs::create_dir_all(root.join("prod")).unwrap();
    std::fs::create_dir_all(root.join("dev")).unwrap();
    std::fs::create_dir_all(root.join("legacy")).unwrap();
    write(&root.join("prod"), "key.yaml", key);
    write(&root.join("dev"), "key.yaml", key);
    write(&root.join("legacy"), "key.yaml", key);
    let (code, out, err) = run_in(root, &["scan", "."]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["dev/key.yaml", "prod/key.yaml"], "legacy/ is excluded");
    let failing: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        failing,
        [("dev/key.yaml", "high")],
        "prod gets Rotate=true; KMS-01 raised to high"
    );
    assert_eq!(code, 1, "high meets the configured threshold");
    assert_eq!(
        json["summary"]["checks"],
        builtin_count() - 1,
        "PF-S3-08 disabled"
    );
    // Flags win: text format, a critical threshold.
    let (code, out, _) = run_in(
        root,
        &[
            "scan",
            ".",
            "--format",
            "text",
            "--severity-threshold",
            "critical",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("dev/key.yaml:"), "{out}");
    // --no-config ignores it.
    let (_, out, _) = run_in(root, &["scan", ".", "--no-config", "--format", "json"]);
    assert!(out.contains("legacy/key.yaml"));
    // Unknown keys are errors with their position.
    write(
        root,
        ".preflight.toml",
        "[scan]\nformat = \"json\"\nthreshold = \"high\"\n",
    );
    let (code, _, err) = run_in(root, &["scan", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".preflight.toml:3:1: unknown field `threshold`"),
        "{err}"
    );
}

#[test]
fn the_account_baseline_profile_concludes_over_every_file_and_honours_waivers() {
    // Without the profile: one line, and deployment checks never fail the scan.
    let trail = fixture("PF-CW-01/pass.yaml");
    let (code, out, _) = run(&["scan", &trail, "--check", "PF-CW-01,PF-CT-02"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 account-baseline check(s) skipped"), "{out}");

    // The chain in one file, the trail's bucket in another: evidence from any file counts.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&trail, dir.path().join("monitoring.yaml")).unwrap();
    write(
        dir.path(),
        "other.yaml",
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
    );
    let scanned = dir.path().to_str().unwrap();
    let (code, out, _) = run(&[
        "scan",
        scanned,
        "--profile",
        "account-baseline",
        "--check",
        "PF-CW-01,PF-CT-02,PF-IAM-12,PF-GD-02",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let verdict = |id: &str| {
        json["baseline"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check_id"] == id)
            .map(|r| r["verdict"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(verdict("PF-CW-01"), "pass");
    assert_eq!(verdict("PF-CT-02"), "pass");
    // CloudFormation cannot declare a password policy: not evaluable, never a failure.
    assert_eq!(verdict("PF-IAM-12"), "not_evaluable");
    assert_eq!(verdict("PF-GD-02"), "fail");
    assert_eq!(code, 1, "the missing GuardDuty detector fails the scan");

    // A waiver in the config file turns the failure into WAIVED with its reason.
    write(
        dir.path(),
        ".preflight.toml",
        "[scan]\nprofile = \"account-baseline\"\n\n[[baseline.external]]\ncheck = \"guardduty-enabled-all-regions\"\nreason = \"delegated administrator auto-enables members\"\n",
    );
    let (code, out, _) = run(&["scan", scanned, "--check", "PF-GD-02,PF-CT-02"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("WAIVED"), "{out}");
    assert!(
        out.contains("delegated administrator auto-enables members"),
        "{out}"
    );

    // SARIF carries the verdicts as run properties and stays valid.
    let (_, out, _) = run(&[
        "scan",
        scanned,
        "--check",
        "PF-GD-02,PF-CT-02",
        "--format",
        "sarif",
    ]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    assert_eq!(
        sarif["runs"][0]["properties"]["baseline"]["results"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn framework_reports_list_every_control_and_say_what_cannot_be_checked() {
    let (code, out, _) = run(&["checks", "--framework", "cis-aws-1.2"]);
    assert_eq!(code, 0);
    assert!(out.contains("3.3 "), "{out}");
    assert!(out.contains("PF-CW-03"), "{out}");
    assert!(out.contains("not checkable pre-deploy"), "{out}");
    let (code, _, err) = run(&["checks", "--framework", "nist"]);
    assert_eq!(code, 2);
    assert!(err.contains("cis-aws-1.2"), "{err}");

    let dir = fixture("PF-VPC-01");
    let (code, out, _) = run(&["scan", &dir, "--framework", "cis-aws-1.2", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let controls = json["compliance"]["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 49, "one row per CIS v1.2 control");
    let row = |id: &str| controls.iter().find(|c| c["control"] == id).unwrap();
    assert_eq!(row("4.1")["status"], "fail");
    assert_eq!(row("1.13")["status"], "not_checkable");
    assert!(row("1.13")["not_checkable"].as_str().unwrap().contains("IaC"));
    assert_eq!(
        row("3.1")["status"],
        "skipped",
        "baseline checks need the profile"
    );
    // Only the framework's checks ran.
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["check_id"] != "PF-LMB-02")
    );

    let (_, out, _) = run(&["scan", &dir, "--framework", "cis-aws-1.2", "--format", "markdown"]);
    assert!(
        out.contains("### Compliance: CIS Amazon Web Services Foundations Benchmark v1.2.0"),
        "{out}"
    );
    assert!(out.contains("| 4.1 | FAIL |"), "{out}");
    let (_, out, _) = run(&["scan", &dir, "--framework", "cis-aws-1.2"]);
    assert!(out.contains("Compliance with CIS"), "{out}");
    let (_, out, _) = run(&["scan", &dir, "--framework", "securityhub", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    assert_eq!(
        sarif["runs"][0]["properties"]["compliance"]["framework"],
        "securityhub"
    );
}

#[test]
fn per_region_baseline_checks_need_each_region_and_singletons_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let module =
        |region: &str, body: &str| format!("provider \"aws\" {{\n  region = \"{region}\"\n}}\n\n{body}");
    let detector =
        |name: &str| format!("resource \"aws_guardduty_detector\" \"{name}\" {{\n  enable = true\n}}\n");
    write(dir.path(), "eu/main.tf", &module("eu-west-1", &detector("eu")));
    write(
        dir.path(),
        "us/main.tf",
        &module(
            "us-east-1",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
        ),
    );
    let scanned = dir.path().to_str().unwrap();
    let baseline = |args: &[&str]| {
        let mut all = vec![
            "scan",
            scanned,
            "--profile",
            "account-baseline",
            "--check",
            "PF-GD-02",
            "--format",
            "json",
        ];
        all.extend_from_slice(args);
        let (_, out, err) = run(&all);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
        let result = json["baseline"]["results"][0].clone();
        (
            result["verdict"].as_str().unwrap().to_string(),
            result["message"].as_str().unwrap().to_string(),
        )
    };
    // The regions the inputs deploy to: eu-west-1 has a detector, us-east-1 none.
    let (verdict, message) = baseline(&[]);
    assert_eq!(verdict, "fail", "{message}");
    assert!(
        message.contains("eu-west-1: PASS") && message.contains("us-east-1: FAIL"),
        "{message}"
    );

    write(dir.path(), "us/guardduty.tf", &detector("us"));
    let (verdict, message) = baseline(&[]);
    assert_eq!(verdict, "pass", "{message}");

    // A region the account uses that no input covers ([baseline] regions).
    write(
        dir.path(),
        ".preflight.toml",
        "[baseline]\nregions = [\"eu-west-1\", \"us-east-1\", \"ap-northeast-1\"]\n",
    );
    let (verdict, message) = baseline(&[]);
    assert_eq!(verdict, "fail", "{message}");
    assert!(message.contains("ap-northeast-1: FAIL"), "{message}");
    std::fs::remove_file(dir.path().join(".preflight.toml")).unwrap();

    // Two detectors in one region: the second cannot be created.
    write(dir.path(), "eu/second.tf", &detector("eu2"));
    let (verdict, message) = baseline(&[]);
    assert_eq!(verdict, "fail", "{message}");
    assert!(message.contains("2 times in region eu-west-1"), "{message}");

    // A plain template takes its region from --region.
    let cfn = tempfile::tempdir().unwrap();
    write(
        cfn.path(),
        "guardduty.yaml",
        "Resources:\n  Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties:\n      Enable: true\n",
    );
    let template = cfn.path().to_str().unwrap();
    let (_, out, _) = run(&[
        "scan",
        template,
        "--profile",
        "account-baseline",
        "--check",
        "PF-GD-02",
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let message = json["baseline"]["results"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("eu-west-1: PASS"), "{message}");
}

/// Issue 13, item 7: a file that looks like infrastructure code but does not
/// parse breaks the scan (exit 2, file and position named), in every format.
#[test]
fn infrastructure_that_does_not_parse_is_an_error_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            write(
                dir.path(),
                "yaml/broken.yaml",
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
            ),
            "broken.yaml:4:1  error",
        ),
        (
            write(
                dir.path(),
                "json/broken.json",
                "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",}}}",
            ),
            "broken.json:1:",
        ),
        (
            write(
                dir.path(),
                "plan/plan.json",
                "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": ",
            ),
            "plan.json:1:",
        ),
        (
            write(dir.path(), "hcl/main.tf", "resource \"aws_vpc\" \"v\" {\n"),
            "main.tf:",
        ),
        (
            write(
                dir.path(),
                "cdk/cdk.out/manifest.json",
                "{\"version\": \"36.0.0\", \"artifacts\": {\"S\": ",
            ),
            "manifest.json:1:",
        ),
    ];
    for (path, expected) in cases {
        let (code, out, _) = run(&["scan", &path]);
        assert_eq!(code, 2, "{path}: {out}");
        assert!(out.contains(expected) && out.contains("error"), "{path}: {out}");
        let (code, out, err) = run(&["scan", &path, "--format", "json"]);
        assert_eq!(code, 2, "{path}: {out}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["summary"]["errors"], 1, "{path}: {out}");
        assert!(err.contains(": error: "), "{path}: {err}");
    }
}

/// Issue 13, item 7: what pre-commit passes besides infrastructure code
/// (`package.json`, `tsconfig.json` with comments, random bytes) is a warning
/// when it does not parse and a count in the summary when it does; neither
/// changes the exit code.
#[test]
fn files_that_are_not_infrastructure_are_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    // 4 KB of bytes that are not UTF-8.
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
        .collect();
    std::fs::write(dir.path().join("x.json"), &noise).unwrap();
    write(
        dir.path(),
        "tsconfig.json",
        "{\n  // comments are not JSON\n  \"compilerOptions\": {}\n}\n",
    );
    write(dir.path(), "ports.yaml", "ports: a: b\n");
    write(
        dir.path(),
        "package.json",
        "{\"name\": \"app\", \"version\": \"1.0.0\"}\n",
    );
    write(
        dir.path(),
        "k8s.yaml",
        "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n",
    );
    write(
        dir.path(),
        "template.yaml",
        &std::fs::read_to_string(fixture("PF-S3-08/fail.yaml")).unwrap(),
    );

    // Named on the command line, as pre-commit does: a warning, exit 0.
    let (code, out, _) = run(&["scan", dir.path().join("x.json").to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("x.json:1:1  warning  skipped: not valid UTF-8"),
        "{out}"
    );
    assert!(
        out.contains("0 file(s) (and 1 skipped: not infrastructure code)"),
        "{out}"
    );

    // Text: one warning per unreadable file, none for those that parse.
    let (code, out, _) = run_in(dir.path(), &["scan", ".", "--check", "PF-S3-08"]);
    assert_eq!(code, 1, "the failing template decides the exit code: {out}");
    assert!(
        out.contains("tsconfig.json:2:3  warning  skipped: not valid JSON"),
        "{out}"
    );
    assert!(
        out.contains("ports.yaml:1:9  warning  skipped: not valid YAML"),
        "{out}"
    );
    assert!(out.contains("x.json:1:1  warning"), "{out}");
    assert!(
        !out.contains("package.json") && !out.contains("k8s.yaml"),
        "{out}"
    );
    assert!(
        out.contains("1 file(s) (and 5 skipped: not infrastructure code)"),
        "{out}"
    );

    // JSON: warnings as diagnostics and on standard error; the count in the summary.
    let (code, out, err) = run_in(
        dir.path(),
        &["scan", ".", "--check", "PF-S3-08", "--format", "json"],
    );
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["skipped_files"], 5, "{out}");
    assert_eq!(json["summary"]["errors"], 0, "{out}");
    let warned: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "warning")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(warned, ["ports.yaml", "tsconfig.json", "x.json"], "{out}");
    assert!(
        err.contains("tsconfig.json:2:3: warning: skipped: not valid JSON"),
        "{err}"
    );

    // SARIF: warning notifications; the run still succeeded.
    let (code, out, _) = run_in(
        dir.path(),
        &["scan", ".", "--check", "PF-S3-08", "--format", "sarif"],
    );
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 3, "{out}");
    assert!(notifications.iter().all(|n| n["level"] == "warning"), "{out}");
    assert!(
        notifications.iter().any(|n| n["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("x.json:1:1: skipped")),
        "{out}"
    );
}

/// Issue 13, item 8: a plan-shaped JSON whose parts have the wrong JSON type
/// is an error naming the JSON path, never a silent empty scan.
#[test]
fn plans_of_the_wrong_shape_are_errors_naming_the_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_list = write(
        dir.path(),
        "changes.json",
        r#"{"format_version": "1.2", "resource_changes": {"aws_s3_bucket.b": {}}}"#,
    );
    let (code, out, _) = run(&["scan", &not_a_list]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("changes.json:1:47  error  resource_changes: expected an array, found an object"),
        "{out}"
    );
    let numeric_address = write(
        dir.path(),
        "address.json",
        r#"{"format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": 42, "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {"bucket": "b"}}]}},
  "resource_changes": [{"address": 42, "change": {"actions": ["create"]}}]}"#,
    );
    let (code, out, err) = run(&["scan", &numeric_address, "--format", "json"]);
    assert_eq!(code, 2, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let messages: Vec<(&str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .map(|d| (d["message"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(messages.len(), 2, "{out}");
    assert!(
        messages[0].0.starts_with(
            "planned_values.root_module.resources[0].address: expected a string, found a number"
        ),
        "{out}"
    );
    assert_eq!(messages[0].1, 3);
    assert!(
        messages[1]
            .0
            .starts_with("resource_changes[0].address: expected a string, found a number"),
        "{out}"
    );
    assert!(err.contains("address.json:3:17: error: planned_values"), "{err}");
}

/// An AWS Terraform type no adapter lifts yet, although a built-in check that
/// reads it (per the catalog) reads its CloudFormation counterpart: the type,
/// the counterpart and the check.
fn unlifted_type() -> (String, String, String) {
    use preflight::frontends::terraform::{adapters, readers};
    let registry = preflight::checks::Registry::builtin().unwrap();
    let table = std::fs::read_to_string(root().join("src/frontends/terraform/readers.tsv")).unwrap();
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split('\t').next())
        .filter(|tf_type| !adapters::lifts(tf_type))
        .find_map(|tf_type| {
            readers::checks_reading(tf_type).iter().find_map(|id| {
                let check = registry.get(id)?;
                let counterpart = check
                    .resource_types
                    .iter()
                    .find(|t| readers::counterpart(tf_type, t).is_some())?;
                Some((tf_type.to_string(), counterpart.clone(), check.id.clone()))
            })
        })
        .expect("some catalog type has no adapter")
}

/// Issue 13, item 9: Terraform resources of types no adapter lifts, which a
/// check of the run would read, are named once per run (types and counts) in
/// text, JSON and SARIF, from `.tf` modules and plans alike.
#[test]
fn terraform_types_no_adapter_reads_are_named_once_per_run() {
    let (tf_type, counterpart, check) = unlifted_type();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "module/main.tf",
        &format!(
            "resource \"{tf_type}\" \"a\" {{}}\n\
             resource \"{tf_type}\" \"b\" {{\n  count = 2\n}}\n\
             data \"{tf_type}\" \"looked_up\" {{}}\n\
             resource \"aws_s3_bucket\" \"logs\" {{}}\n"
        ),
    );
    write(
        dir.path(),
        "plan/plan.json",
        &format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [
  {{"address": "{tf_type}.p", "mode": "managed", "type": "{tf_type}", "name": "p", "values": {{}}}},
  {{"address": "data.{tf_type}.d", "mode": "data", "type": "{tf_type}", "name": "d", "values": {{}}}}]}}}}}}"#
        ),
    );
    let module = dir.path().join("module");
    let plan = dir.path().join("plan/plan.json");
    let paths = [module.to_str().unwrap(), plan.to_str().unwrap()];
    let summary = format!("{tf_type} (4 resources; {counterpart} for ");

    let (code, out, _) = run(&["scan", paths[0], paths[1]]);
    assert_eq!(code, 1, "{out}");
    let notice = out
        .lines()
        .find(|l| l.starts_with("warning: 4 Terraform resource(s) not checked"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(notice.contains(&summary) && notice.contains(&check), "{notice}");
    assert_eq!(out.matches("not checked: no adapter").count(), 1, "{out}");

    let (_, out, err) = run(&["scan", paths[0], paths[1], "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notices = json["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{out}");
    assert_eq!(notices[0]["level"], "warning");
    assert!(
        notices[0]["message"].as_str().unwrap().contains(&summary),
        "{out}"
    );
    let skipped: Vec<&serde_json::Value> = json["skipped_resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == "no_adapter")
        .collect();
    assert_eq!(skipped.len(), 4, "{out}");
    assert!(skipped.iter().all(|s| s["type"] == tf_type.as_str()));
    assert!(skipped.iter().all(|s| s["counterpart"] == counterpart.as_str()));
    assert!(
        skipped
            .iter()
            .all(|s| s["checks"].as_array().unwrap().contains(&check.as_str().into()))
    );
    let resources: Vec<&str> = skipped.iter().map(|s| s["resource"].as_str().unwrap()).collect();
    assert!(
        resources.contains(&format!("{tf_type}.b[1]").as_str()),
        "{resources:?}"
    );
    assert!(
        resources.contains(&format!("{tf_type}.p").as_str()),
        "{resources:?}"
    );
    assert!(
        err.contains("preflight: warning: 4 Terraform resource(s) not checked"),
        "{err}"
    );

    let (_, out, _) = run(&["scan", paths[0], paths[1], "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), 1, "{out}");
    assert_eq!(notifications[0]["level"], "warning");
    assert!(
        notifications[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains(&summary),
        "{out}"
    );

    // Without the checks that would read the type, nothing was missed.
    let (_, out, _) = run(&["scan", paths[0], paths[1], "--check", "PF-S3-08"]);
    assert!(!out.contains("not checked"), "{out}");
}

/// Issue 13, item 10: a CDK app whose cloud assembly is missing (or hidden
/// from the walk) gets a hint, not a bare "0 file(s)".
#[test]
fn a_cdk_app_without_its_assembly_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    write(&app, "cdk.json", r#"{"app": "npx ts-node bin/app.ts"}"#);
    write(&app, "bin/app.ts", "new App();\n");
    write(&app, "package.json", r#"{"name": "app", "version": "1.0.0"}"#);
    // Nothing to scan in a directory is an error (exit 2), with the hint.
    let (code, out, _) = run_in(&app, &["scan", "."]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(
            "note: . is a CDK app (cdk.json) without a cloud assembly: run `cdk synth` there and scan cdk.out"
        ),
        "{out}"
    );
    let (_, out, err) = run_in(dir.path(), &["scan", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 0);
    let notices = json["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{out}");
    assert_eq!(notices[0]["level"], "note");
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("app is a CDK app (cdk.json) without a cloud assembly"),
        "{out}"
    );
    assert!(err.contains("preflight: note: app is a CDK app"), "{err}");

    // Synthesized where cdk.json says and ignored by git: scanned all the same.
    write(
        &app,
        "cdk.json",
        r#"{"app": "npx ts-node bin/app.ts", "output": "build/cdk.out"}"#,
    );
    write(&app, ".gitignore", "build/\n");
    write(
        &app,
        "build/cdk.out/manifest.json",
        r#"{"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}"#,
    );
    write(
        &app,
        "build/cdk.out/S.template.json",
        r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#,
    );
    let (_, out, _) = run_in(&app, &["scan", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 1, "{out}");
    assert_eq!(json["notices"], serde_json::json!([]), "{out}");
    // Excluded in the config file: point at it.
    write(&app, ".preflight.toml", "[scan]\nexclude = [\"build/cdk.out\"]\n");
    let (_, out, _) = run_in(&app, &["scan", ".", "--allow-empty"]);
    assert!(
        out.contains(
            "note: . is a CDK app whose cloud assembly build/cdk.out was not scanned (an exclude in the config file hides it): scan it with `preflight scan build/cdk.out`"
        ),
        "{out}"
    );
    std::fs::remove_file(app.join(".preflight.toml")).unwrap();
    // Scanned with its assembly: nothing to say.
    let (_, out, _) = run_in(&app, &["scan", ".", "build/cdk.out", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 1, "{out}");
    assert_eq!(json["notices"], serde_json::json!([]), "{out}");
}

/// Runs the `preflight` binary in `cwd` (what the in-process runner cannot
/// do: the current directory is the process's); returns (exit code, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    support::check_if_json_report(&out, &args.join(" "));
    (
        output.status.code().unwrap_or(-1),
        out,
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A security group open to SSH from anywhere (PF-VPC-01).
const OPEN_SSH_TF: &str = r#"resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

/// The failing findings of a JSON report: (check, resource, line).
fn failures(json_report: &str) -> Vec<(String, String, u64)> {
    let json: serde_json::Value = serde_json::from_str(json_report).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
                f["region"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_root_level_main_tf_named_bare_fails_the_hook() {
    // What pre-commit runs for a changed root-level main.tf.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", OPEN_SSH_TF);
    let (code, out, err) = run_in(dir.path(), &["scan", "--no-progress", "main.tf"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("main.tf:7:") && out.contains("PF-VPC-01"), "{out}");
}

#[test]
fn every_spelling_of_a_path_scans_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    write(&project, "main.tf", OPEN_SSH_TF);
    // A symlinked directory (Windows needs privileges to make one: spelled there without it).
    #[cfg(unix)]
    std::os::unix::fs::symlink(&project, dir.path().join("link")).unwrap();
    let absolute = project.join("main.tf");
    let scan = |cwd: &Path, path: &str| {
        let (code, out, err) = run_in(cwd, &["scan", "--no-progress", "--format", "json", path]);
        assert_eq!(code, 1, "{path}: {err}");
        failures(&out)
    };
    let expected = scan(&project, "main.tf");
    assert_eq!(expected.len(), 1, "{expected:?}");
    assert_eq!(expected[0].0, "PF-VPC-01");
    for (cwd, path) in [
        (project.as_path(), "./main.tf"),
        (project.as_path(), absolute.to_str().unwrap()),
        (project.as_path(), "../project/main.tf"),
        (
            dir.path(),
            if cfg!(unix) {
                "link/main.tf"
            } else {
                "project/main.tf"
            },
        ),
        (project.as_path(), "."),
    ] {
        assert_eq!(scan(cwd, path), expected, "{path} from {}", cwd.display());
    }
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn git_ignored_cdk_assemblies_are_scanned_unless_excluded() {
    // `npx cdk synth && preflight scan .` in a CDK app whose .gitignore lists cdk.out.
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/cdk"), dir.path());
    write(
        dir.path(),
        ".gitignore",
        "*.js\n!jest.config.js\n*.d.ts\nnode_modules\n\n# CDK asset staging directory\n.cdk.staging\ncdk.out\n",
    );
    if !support::have("git", "a git-ignored cdk.out") {
        return;
    }
    let git = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(dir.path())
        .status();
    assert!(git.is_ok_and(|s| s.success()), "git init");
    let (code, out, err) = run_in(dir.path(), &["scan", "--no-progress", "--format", "json", "."]);
    assert_eq!(code, 1, "{out}{err}");
    let found = failures(&out);
    assert!(found.iter().any(|f| f.0 == "PF-VPC-01"), "{found:?}");
    assert!(found.iter().any(|f| f.0 == "PF-KMS-01"), "{found:?}");

    // Excluded in the config file: not scanned.
    write(dir.path(), ".preflight.toml", "[scan]\nexclude = [\"cdk.out\"]\n");
    let (code, out, err) = run_in(dir.path(), &["scan", "--no-progress", "--format", "json", "."]);
    assert_eq!(code, 2, "nothing else to scan: {out}{err}");
    assert!(failures(&out).is_empty(), "{out}");
    assert!(err.contains("no infrastructure code found in ."), "{err}");
}

#[test]
fn a_scan_that_finds_no_infrastructure_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "package.json",
        "{\"name\": \"app\", \"version\": \"1.0.0\"}\n",
    );
    let root = dir.path().to_str().unwrap();

    // A directory without infrastructure code: exit 2, and what is looked for.
    let (code, _, err) = run(&["scan", root]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        format!(
            "preflight: no infrastructure code found in {root} (preflight reads CloudFormation/SAM templates (.yaml, .yml, .json, .template), Terraform modules (.tf) and plan JSON, CDK cloud assemblies (cdk.out)); pass --allow-empty (or set allow_empty = true under [scan] in .preflight.toml) if that is expected\n"
        )
    );
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["scan", empty.path().to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no infrastructure code found in"), "{err}");

    // Monorepos: --allow-empty, or the config file's allow_empty.
    let (code, _, err) = run(&["scan", root, "--allow-empty"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with("preflight: note: no infrastructure code found in"),
        "{err}"
    );
    write(dir.path(), ".preflight.toml", "[scan]\nallow_empty = true\n");
    let (code, _, err) = run(&["scan", root]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(dir.path().join(".preflight.toml")).unwrap();

    // Only files named, none infrastructure (pre-commit): normal, one line.
    let package = dir.path().join("package.json");
    let (code, _, err) = run(&["scan", package.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "preflight: no infrastructure code among the files named; nothing to check\n"
    );
}

#[test]
fn suppression_comments_are_checked_and_read_where_checkov_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let group = |name: &str, comment_above: &str, comment_inside: &str| {
        format!(
            "{comment_above}\nresource \"aws_security_group\" \"{name}\" {{\n  {comment_inside}\n  ingress {{\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n}}\n"
        )
    };
    let text = [
        // Checkov reads skips inside the resource block.
        group("inside", "", "# checkov:skip=CKV_AWS_24:bastion behind a VPN"),
        // until= after the reason still dates it.
        group(
            "expired",
            "# preflight:ignore PF-VPC-01 behind a VPN until=2000-01-01",
            "",
        ),
        // A Checkov id known through the aliases; a misspelt id beside it.
        group("aliased", "# preflight:ignore PF-VPC-99,CKV_AWS_24 jump host", ""),
        // A Checkov id no check is an alias of.
        group("unknown", "", "# checkov:skip=CKV_AWS_99999:not ours"),
    ]
    .join("\n");
    let path = write(dir.path(), "main.tf", &text);
    let (code, out, err) = run(&["scan", &path, "--check", "PF-VPC-01", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let suppressed = |resource: &str| {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["id"] == resource)
            .unwrap_or_else(|| panic!("no finding on {resource}: {out}"))["suppression"]
            .is_object()
    };
    assert!(suppressed("aws_security_group.inside"), "{out}");
    assert!(!suppressed("aws_security_group.expired"), "{out}");
    assert!(suppressed("aws_security_group.aliased"), "{out}");
    assert!(!suppressed("aws_security_group.unknown"), "{out}");
    // Without --report-unused-ignores, and although PF-VPC-01 alone runs.
    assert!(
        err.contains("warning: preflight:ignore names unknown check PF-VPC-99 (see `preflight checks`); it suppresses nothing"),
        "{err}"
    );
    assert!(
        err.contains("warning: checkov:skip names CKV_AWS_99999, which no preflight check is an alias of; it suppresses nothing here"),
        "{err}"
    );
    assert!(
        err.contains("the suppression of PF-VPC-01 expired on 2000-01-01"),
        "{err}"
    );
    assert!(!err.contains("unknown check CKV_AWS_24"), "{err}");
    assert_eq!(err.matches("names unknown check").count(), 1, "{err}");

    // YAML: a Checkov skip among the resource's lines, and only its own.
    let template = "Resources:\n  Open:\n    Type: AWS::EC2::SecurityGroup\n    # checkov:skip=CKV_AWS_24:bastion\n    Properties:\n      GroupDescription: open\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n  AlsoOpen:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: open\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n";
    let path = write(dir.path(), "sg.yaml", template);
    let (code, out, _) = run(&["scan", &path, "--check", "PF-VPC-01", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let of = |resource: &str| {
        findings
            .iter()
            .find(|f| f["resource"]["id"] == resource)
            .unwrap_or_else(|| panic!("no finding on {resource}: {out}"))
    };
    assert!(of("Open")["suppression"].is_object(), "{out}");
    assert!(of("AlsoOpen")["suppression"].is_null(), "{out}");
}

#[test]
fn a_var_no_scanned_module_declares_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        &format!("variable \"environment\" {{\n  default = \"dev\"\n}}\n{OPEN_SSH_TF}"),
    );
    let root = dir.path().to_str().unwrap();
    let (code, _, err) = run(&[
        "scan",
        root,
        "--var",
        "environment=prod",
        "--var",
        "enviroment=prod",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        "preflight: warning: --var enviroment: no scanned Terraform module declares a variable \"enviroment\"; the value is not used\n"
    );
    let (_, out, _) = run(&["scan", root, "--var", "nope=1"]);
    assert!(out.contains("--var nope: no scanned Terraform module"), "{out}");
}

#[test]
fn checkov_ids_name_checks_on_the_command_line() {
    let (code, out, _) = run(&["explain", "CKV_AWS_24"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("PF-VPC-01  vpc-sg-no-public-ingress-ssh"),
        "{out}"
    );
    let template = fixture("PF-VPC-01/fail.yaml");
    let (code, out, _) = run(&["scan", &template, "--check", "ckv_aws_24", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["checks"], 1, "{out}");
    assert!(failures(&out).iter().all(|f| f.0 == "PF-VPC-01"), "{out}");
    let (_, out, _) = run(&[
        "scan",
        &template,
        "--skip-check",
        "CKV_AWS_24",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["checks"], builtin_count() - 1, "{out}");
    assert!(!failures(&out).iter().any(|f| f.0 == "PF-VPC-01"), "{out}");

    // An id several checks share selects (and explains) them all.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ACME-SG-01.yaml",
        "id: ACME-SG-01\nslug: acme-sg-described\ntitle: Groups are described\nseverity: low\nresource_types: [AWS::EC2::SecurityGroup]\naliases:\n  checkov: [CKV_AWS_24]\nrule: |\n  GroupDescription exists\n",
    );
    let checks = dir.path().to_str().unwrap();
    let (code, out, _) = run(&[
        "scan",
        &template,
        "--checks",
        checks,
        "--check",
        "CKV_AWS_24",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["checks"], 2, "{out}");
    let (code, out, _) = run(&["explain", "CKV_AWS_24", "--checks", checks]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ACME-SG-01  acme-sg-described") && out.contains("PF-VPC-01  vpc-sg"),
        "{out}"
    );
    let (code, _, err) = run(&["explain", "CKV_AWS_0"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "preflight: unknown check CKV_AWS_0 (see `preflight checks`)\n")
    );
}

/// Standard output whose reader went away (`preflight scan . | head -1`).
struct ClosedPipe;

impl std::io::Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_scans_exit_code() {
    let template = fixture("PF-VPC-01/fail.yaml");
    let mut err = Vec::new();
    let argv = ["preflight", "scan", &template].map(OsString::from);
    let code = preflight::cli::run(
        argv,
        &mut ClosedPipe,
        &mut err,
        preflight::cli::Terminal::default(),
    );
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&err));
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
    let clean = fixture("PF-VPC-01/pass.yaml");
    let argv = ["preflight", "scan", &clean, "--check", "PF-VPC-01"].map(OsString::from);
    let code = preflight::cli::run(
        argv,
        &mut ClosedPipe,
        &mut err,
        preflight::cli::Terminal::default(),
    );
    assert_eq!(code, 0);
    let argv = ["preflight", "checks"].map(OsString::from);
    let code = preflight::cli::run(
        argv,
        &mut ClosedPipe,
        &mut err,
        preflight::cli::Terminal::default(),
    );
    assert_eq!((code, err.len()), (0, 0));

    // The binary, through a real pipe whose reader exits at once.
    if !support::have("bash", "a closed pipe in a shell") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_preflight");
    let shell = format!("'{bin}' scan --no-progress '{template}' | true; echo \"${{PIPESTATUS[0]}}\"");
    let output = std::process::Command::new("bash")
        .args(["-c", &shell])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1\n");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_config_file_accepts_every_value_the_flags_accept() {
    let dir = tempfile::tempdir().unwrap();
    let template = write(
        dir.path(),
        "sg.yaml",
        &std::fs::read_to_string(fixture("PF-VPC-01/fail.yaml")).unwrap(),
    );
    write(dir.path(), ".preflight.toml", "[scan]\nformat = \"markdown\"\n");
    let (code, out, err) = run(&["scan", &template]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("## preflight"), "{out}");
    write(dir.path(), ".preflight.toml", "[scan]\nformat = \"yaml\"\n");
    let (code, _, err) = run(&["scan", &template]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "preflight: .preflight.toml: [scan] format \"yaml\" is not one of text, json, sarif, markdown, junit, gitlab-sast\n"
    );
    write(dir.path(), ".preflight.toml", "[scan]\nprofile = \"account\"\n");
    let (_, _, err) = run(&["scan", &template]);
    assert!(
        err.contains("[scan] profile \"account\" is not one of account-baseline"),
        "{err}"
    );
}

/// A git repository holding `infra/net.yaml` (SSH open to the world: six
/// PF-VPC-01 findings), an empty `docs/`, and `net.yaml`'s first finding as
/// `line:column`; `None` (the test says what it skips) without git.
fn repository_with_infra() -> Option<(tempfile::TempDir, &'static str)> {
    if !support::have("git", "a repository-relative path") {
        return None;
    }
    let repo = tempfile::tempdir().unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(repo.path())
        .status();
    assert!(git.is_ok_and(|s| s.success()), "git init");
    write(
        repo.path(),
        "infra/net.yaml",
        &std::fs::read_to_string(fixture("PF-VPC-01/fail.yaml")).unwrap(),
    );
    std::fs::create_dir(repo.path().join("docs")).unwrap();
    Some((repo, "14:19"))
}

/// The SARIF artifact URIs of the results, and the `%SRCROOT%` base.
fn sarif_uris(sarif: &str) -> (Vec<String>, String) {
    let sarif: serde_json::Value = serde_json::from_str(sarif).unwrap();
    assert_valid_sarif(&sarif, "the report");
    let run = &sarif["runs"][0];
    let uris = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uriBaseId"], "%SRCROOT%");
            location["uri"].as_str().unwrap().to_string()
        })
        .collect();
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    (uris, base.to_string())
}

#[test]
fn text_json_and_markdown_name_files_from_the_current_directory() {
    // The issue's example, from the repository root.
    let (code, out, _) = run_in(
        &root(),
        &["scan", "fixtures/PF-VPC-01/fail.yaml", "--check", "PF-VPC-01"],
    );
    assert_eq!(code, 1);
    assert!(
        out.starts_with("fixtures/PF-VPC-01/fail.yaml:14:19  HIGH"),
        "{out}"
    );

    let Some((repo, first)) = repository_with_infra() else {
        return;
    };
    let infra = repo.path().join("infra");
    let docs = repo.path().join("docs");
    let net = infra.join("net.yaml");
    let other = tempfile::tempdir().unwrap();
    let outside = write(
        other.path(),
        "outside.yaml",
        &std::fs::read_to_string(fixture("PF-VPC-01/fail.yaml")).unwrap(),
    );
    // (current directory, argument, the path reports show)
    let cases = [
        (repo.path(), "infra", "infra/net.yaml"),
        (repo.path(), "./infra/", "infra/net.yaml"),
        (repo.path(), "infra/net.yaml", "infra/net.yaml"),
        (repo.path(), net.to_str().unwrap(), "infra/net.yaml"),
        (infra.as_path(), ".", "net.yaml"),
        (infra.as_path(), "net.yaml", "net.yaml"),
        (docs.as_path(), "../infra", "../infra/net.yaml"),
        (infra.as_path(), outside.as_str(), outside.as_str()),
    ];
    for (cwd, argument, shown) in cases {
        let what = format!("{argument} from {}", cwd.display());
        let args = ["scan", argument, "--check", "PF-VPC-01", "--no-progress"];
        let (code, text, err) = run_in(cwd, &args);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(
            text.starts_with(&format!("{shown}:{first}  HIGH")),
            "{what}: {text}"
        );
        // Openable as is.
        assert!(cwd.join(shown).is_file(), "{what}: {shown}");

        let (_, json, _) = run_in(cwd, &[&args[..], &["--format", "json"]].concat());
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["files"][0]["path"], shown, "{what}");
        assert!(
            json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["file"] == shown),
            "{what}: {json}"
        );

        let (_, markdown, _) = run_in(cwd, &[&args[..], &["--format", "markdown"]].concat());
        assert!(
            markdown.contains(&format!("`{shown}:{first}`")),
            "{what}: {markdown}"
        );
    }
}

#[test]
fn sarif_uris_are_relative_to_the_repository_root() {
    let Some((repo, _)) = repository_with_infra() else {
        return;
    };
    let root_uri = format!(
        "file://{}/",
        std::fs::canonicalize(repo.path()).unwrap().display()
    );
    let infra = repo.path().join("infra");
    let docs = repo.path().join("docs");
    // As the Action runs with `path: infra`, and from anywhere in the repository.
    for (cwd, argument) in [
        (repo.path(), "infra"),
        (repo.path(), "."),
        (infra.as_path(), "."),
        (infra.as_path(), "net.yaml"),
        (docs.as_path(), "../infra"),
    ] {
        let (code, out, err) = run_in(
            cwd,
            &["scan", argument, "--check", "PF-VPC-01", "--format", "sarif"],
        );
        assert_eq!(code, 1, "{err}");
        let (uris, base) = sarif_uris(&out);
        assert_eq!(uris, ["infra/net.yaml"; 6], "{argument} from {}", cwd.display());
        assert_eq!(base, root_uri);
        let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            sarif["runs"][0]["artifacts"][0]["location"]["uri"],
            "infra/net.yaml"
        );
    }
    // Outside a git work tree, the current directory is the root.
    let plain = tempfile::tempdir().unwrap();
    write(
        plain.path(),
        "infra/net.yaml",
        &std::fs::read_to_string(fixture("PF-VPC-01/fail.yaml")).unwrap(),
    );
    let (_, out, _) = run_in(
        plain.path(),
        &["scan", "infra", "--check", "PF-VPC-01", "--format", "sarif"],
    );
    let (uris, base) = sarif_uris(&out);
    assert_eq!(uris, ["infra/net.yaml"; 6]);
    assert_eq!(
        base,
        format!(
            "file://{}/",
            std::fs::canonicalize(plain.path()).unwrap().display()
        )
    );
}

#[test]
fn a_baseline_written_from_the_root_applies_to_a_scan_of_a_subdirectory() {
    let Some((repo, _)) = repository_with_infra() else {
        return;
    };
    let infra = repo.path().join("infra");
    // Written by `preflight scan .`: exit 0, entries keyed on the repository path.
    let (code, out, err) = run_in(
        repo.path(),
        &["scan", ".", "--write-baseline", "baseline.json", "--no-progress"],
    );
    assert_eq!(code, 0, "writing a baseline accepts the findings: {out}{err}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path().join("baseline.json")).unwrap()).unwrap();
    let entries = written["findings"].as_array().unwrap();
    assert!(entries.len() >= 6, "{written}");
    assert!(entries.iter().all(|e| e["file"] == "infra/net.yaml"), "{written}");

    // Applied as the Action scans `path: infra`, and from inside infra/.
    for (cwd, argument, baseline) in [
        (repo.path(), "infra", "baseline.json"),
        (repo.path(), "infra/net.yaml", "baseline.json"),
        (infra.as_path(), ".", "../baseline.json"),
    ] {
        let (code, out, err) = run_in(
            cwd,
            &["scan", argument, "--baseline", baseline, "--format", "json"],
        );
        assert_eq!(code, 0, "{argument}: every finding is accepted: {out}{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["summary"]["suppressed"], entries.len(), "{argument}: {out}");
        assert!(err.is_empty(), "{argument}: {err}");
    }
    // The fingerprints of the JSON and SARIF reports are the baseline's too.
    let (_, out, _) = run_in(&infra, &["scan", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fingerprints = |values: Vec<&serde_json::Value>| -> Vec<String> {
        let mut list: Vec<String> = values.iter().map(|v| v.as_str().unwrap().to_string()).collect();
        list.sort();
        list.dedup();
        list
    };
    let baseline_prints = fingerprints(entries.iter().map(|e| &e["fingerprint"]).collect());
    let json_findings = json["findings"].as_array().unwrap();
    assert_eq!(
        fingerprints(json_findings.iter().map(|f| &f["fingerprint"]).collect()),
        baseline_prints
    );
    let (_, out, _) = run_in(&infra, &["scan", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        fingerprints(
            results
                .iter()
                .map(|r| &r["partialFingerprints"]["preflight/v1"])
                .collect()
        ),
        baseline_prints
    );

    // A baseline of which nothing matches (written outside the repository,
    // so keyed on other paths): a warning naming it, and the findings fail.
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        elsewhere.path(),
        "net.yaml",
        &std::fs::read_to_string(infra.join("net.yaml")).unwrap(),
    );
    let stale = elsewhere.path().join("stale.json");
    let (code, _, _) = run_in(
        elsewhere.path(),
        &["scan", ".", "--write-baseline", stale.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    let (code, out, err) = run_in(
        repo.path(),
        &[
            "scan",
            "infra",
            "--baseline",
            stale.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "nothing is accepted: {err}");
    assert!(
        err.contains(&format!(
            "preflight: warning: none of the {} finding(s) of the baseline {} matched this scan",
            entries.len(),
            stale.display()
        )),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["notices"][0]["level"], "warning", "{out}");
    let (_, text, _) = run_in(
        repo.path(),
        &["scan", "infra", "--baseline", stale.to_str().unwrap()],
    );
    assert!(
        text.contains(&format!(
            "warning: none of the {} finding(s) of the baseline {}",
            entries.len(),
            stale.display()
        )),
        "{text}"
    );
}

/// A graph check's finding sits on the judged resource at the property it
/// left through; the walk and the deciding value are related locations in
/// every format. Evidence in a resource that points at the judged one sits
/// there, naming it.
#[test]
fn graph_findings_sit_where_the_fix_goes_with_the_walk_as_related_locations() {
    let template = fixture("PF-VPC-24/fail.yaml");
    let (_, out, _) = run(&["scan", &template, "--check", "PF-VPC-24", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["resource"]["id"], "Database");
    // `DBSubnetGroupName: !Ref Subnets`, not the route's line.
    assert_eq!(finding["region"]["start_line"], 43);
    assert!(finding.get("located_in").is_none());
    let walked: Vec<&str> = finding["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resource"].as_str().unwrap())
        .collect();
    assert_eq!(
        walked,
        [
            "Subnets",
            "PublicSubnet",
            "PublicAssociation",
            "PublicRoutes",
            "DefaultRoute"
        ]
    );
    let last = finding["related"].as_array().unwrap().last().unwrap();
    assert_eq!(last["region"]["start_line"], 26);
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains(r#"DestinationCidrBlock is "0.0.0.0/0""#),
        "{last}"
    );
    // SARIF carries the same walk as relatedLocations with ids and messages.
    let (_, sarif, _) = run(&["scan", &template, "--check", "PF-VPC-24", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_valid_sarif(&sarif, "PF-VPC-24/fail.yaml");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        43
    );
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 5);
    assert_eq!(related[4]["physicalLocation"]["region"]["startLine"], 26);
    assert!(related.iter().all(|r| r["message"]["text"].is_string()));
    // The text report lists them under the finding.
    let (_, text, _) = run(&["scan", &template, "--check", "PF-VPC-24"]);
    assert!(text.contains("fail.yaml:43:"), "{text}");
    assert!(
        text.contains("related: ") && text.contains("fail.yaml:26:"),
        "{text}"
    );

    // A separate ingress rule of a group: the finding is in the rule, for the group.
    let hcl = fixture("PF-VPC-01/fail.hcl");
    let (_, out, _) = run(&["scan", &hcl, "--check", "PF-VPC-01", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["id"] == "aws_security_group.ClosedGroup")
        .unwrap();
    assert_eq!(finding["located_in"], "aws_security_group_rule.SeparateRule");
    assert_eq!(
        finding["related"][0]["resource"],
        "aws_security_group.ClosedGroup"
    );
}

/// A failure under an undecidable condition names it as a SARIF result
/// property, as JSON does, besides the message.
#[test]
fn conditional_failures_carry_their_condition_in_sarif_properties() {
    let template = fixture("PF-CT-03/unknown.yaml");
    let (_, sarif, _) = run(&["scan", &template, "--check", "PF-CT-03", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let conditional = results
        .iter()
        .find(|r| r["locations"][0]["logicalLocations"][0]["name"] == "OnlyWhenStrict")
        .expect("OnlyWhenStrict fails");
    assert_eq!(conditional["properties"]["condition"], "Strict is false");
    assert!(
        results
            .iter()
            .filter(|r| r["locations"][0]["logicalLocations"][0]["name"] != "OnlyWhenStrict")
            .all(|r| r["properties"]["condition"].is_null())
    );
}

/// The source text of a JSON report region (1-based lines and character columns,
/// end exclusive), without surrounding quotes; only its first line.
fn region_text(file: &str, region: &serde_json::Value) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let line_no = region["start_line"].as_u64().unwrap_or(1) as usize;
    let line: Vec<char> = text
        .lines()
        .nth(line_no - 1)
        .unwrap_or_default()
        .chars()
        .collect();
    let start = (region["start_column"].as_u64().unwrap_or(1) as usize - 1).min(line.len());
    let end = if region["end_line"] == region["start_line"] {
        (region["end_column"].as_u64().unwrap_or(1) as usize - 1).clamp(start, line.len())
    } else {
        line.len()
    };
    let value: String = line[start..end].iter().collect();
    value.trim().trim_matches(['"', '\'', ',']).to_string()
}

/// Secret detectors report where, never what: no output format quotes the
/// judged value, whatever its type (an unquoted number included).
#[test]
fn secret_checks_never_print_the_secret_in_any_format() {
    let registry = preflight::checks::Registry::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let numeric = write(
        dir.path(),
        "numeric.yaml",
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: admin\n      MasterUserPassword: 83920174652\n",
    );
    let mut cases: Vec<(String, String)> = vec![("PF-GEN-02".to_string(), numeric.clone())];
    // What the check itself says (a judged `Type: String` is no secret the title may not name).
    let own_words = |id: &str| {
        let check = registry.checks().iter().find(|c| c.id == id).unwrap();
        format!(
            "{} {} {} {}",
            check.title, check.description, check.rationale, check.remediation.text
        )
    };
    for check in registry.checks().iter().filter(|c| c.redact_values) {
        let fixtures = root().join("fixtures").join(&check.id);
        for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("fail") || name.starts_with("unknown") {
                cases.push((check.id.clone(), entry.path().to_string_lossy().into_owned()));
            }
        }
    }
    let mut judged = 0;
    for (check, path) in &cases {
        let (_, json, _) = run(&["scan", path, "--check", check, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let secrets: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["message"].as_str().unwrap_or_default().contains("<redacted>"))
            .map(|f| region_text(f["file"].as_str().unwrap(), &f["region"]))
            .filter(|s| s.len() >= 6 && !own_words(check).contains(s.as_str()))
            .collect();
        judged += secrets.len();
        let outputs: Vec<String> = ["text", "json", "sarif", "markdown"]
            .iter()
            .map(|format| run(&["scan", path, "--check", check, "--format", format]).1)
            .collect();
        for secret in &secrets {
            for (format, out) in ["text", "json", "sarif", "markdown"].iter().zip(&outputs) {
                assert!(
                    !out.contains(secret.as_str()),
                    "{check} on {path}: the {format} report quotes the secret {secret:?}"
                );
            }
        }
        if path == &numeric {
            assert_eq!(secrets, ["83920174652"], "{json}");
        }
    }
    assert!(judged >= 10, "only {judged} secret values were judged");
}

/// The text report for people: failures first with a help line, unknowns
/// grouped by reason after them, and one summary line; `--compact` is one
/// line per finding and `--quiet` drops everything but findings, input
/// errors and the summary.
#[test]
fn text_output_puts_failures_first_and_groups_unknowns_by_reason() {
    let dir = tempfile::tempdir().unwrap();
    // Three groups open to a parameter without a value (undecided, one reason
    // each), one open to the world, and a file that does not parse.
    let mut template = String::from("Parameters:\n  Cidr: {Type: String}\nResources:\n");
    for name in ["A", "B", "C"] {
        template.push_str(&format!(
            "  {name}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - {{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}}\n"
        ));
    }
    template.push_str("  Open:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n");
    write(dir.path(), "sg.yaml", &template);
    write(
        dir.path(),
        "broken.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n",
    );
    let path = dir.path().to_string_lossy().into_owned();
    let (_, full, _) = run(&["scan", &path, "--check", "PF-VPC-01"]);
    let failure = full.find("HIGH      PF-VPC-01").expect("the failure is listed");
    let undecided = full
        .find("Undecided: 3 finding(s)")
        .expect("the unknowns have their section");
    assert!(failure < undecided, "{full}");
    assert!(
        full.contains("help: ") && full.contains("(preflight explain PF-VPC-01)"),
        "{full}"
    );
    // One reason, three resources: one line saying so, then each resource.
    assert_eq!(full.matches("is unknown:").count(), 1, "{full}");
    assert!(full.contains("(3 resource(s))"), "{full}");
    assert!(full.contains("error"), "{full}");
    let summary = full.lines().last().unwrap();
    assert!(
        summary.starts_with("1 failed (1 high), 3 unknown; 1 file(s)"),
        "{summary}"
    );
    assert!(
        summary.contains("1 check(s) run") && summary.contains("1 input error(s)"),
        "{summary}"
    );
    // No account-level resource was scanned: the profile is not mentioned unless asked.
    assert!(!full.contains("account-baseline"), "{full}");
    let (_, verbose, _) = run(&["scan", &path, "--check", "PF-VPC-01,PF-CT-02", "--verbose"]);
    assert!(verbose.contains("account-baseline check(s)"), "{verbose}");

    let (_, compact, _) = run(&["scan", &path, "--check", "PF-VPC-01", "--compact"]);
    let lines: Vec<&str> = compact.lines().collect();
    // The parse error, four findings, the summary.
    assert_eq!(lines.len(), 6, "{compact}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("  UNKNOWN   PF-VPC-01  "))
            .count(),
        3,
        "{compact}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("  HIGH      PF-VPC-01  Open: CidrIp is \"0.0.0.0/0\"")),
        "{compact}"
    );

    let (_, quiet, _) = run(&["scan", &path, "--check", "PF-VPC-01", "--quiet"]);
    assert!(
        quiet.contains("HIGH      PF-VPC-01") && quiet.contains("Undecided:"),
        "{quiet}"
    );
    assert!(quiet.contains("error"), "input errors still show: {quiet}");
    let (code, _, err) = run(&["scan", &path, "--quiet", "--compact"]);
    assert_eq!(code, 2, "{err}");
}

/// Every finding of CDK output names its construct: an assembly synthesized
/// without path metadata maps logical ids through the manifest's
/// `aws:cdk:logicalId` entries, and a template synthesized on its own uses
/// each resource's `aws:cdk:path`.
#[test]
fn cdk_constructs_are_named_without_path_metadata_and_outside_assemblies() {
    let open_ssh = r#"{"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let assembly = dir.path().join("cdk.out");
    write(
        &assembly,
        "manifest.json",
        r#"{"version": "36.0.0", "artifacts": {"Net": {"type": "aws:cloudformation:stack",
            "environment": "aws://unknown-account/unknown-region",
            "properties": {"templateFile": "Net.template.json"},
            "metadata": {"/Net/Bastion/Resource": [{"type": "aws:cdk:logicalId", "data": "BastionB2A3C4D5"}]}}}}"#,
    );
    write(
        &assembly,
        "Net.template.json",
        &format!(r#"{{"Resources": {{"BastionB2A3C4D5": {open_ssh}}}}}}}"#),
    );
    let path = assembly.to_string_lossy().into_owned();
    let (_, out, _) = run(&["scan", &path, "--check", "PF-VPC-01", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["findings"][0]["cdk"]["construct_path"], "Net/Bastion/Resource",
        "{out}"
    );
    assert_eq!(json["findings"][0]["cdk"]["stack"], "Net");

    // `cdk synth > template.json`, scanned as a plain template.
    let standalone = write(
        dir.path(),
        "synth/template.json",
        r#"{"Resources": {"BastionB2A3C4D5": {"Type": "AWS::EC2::SecurityGroup",
            "Metadata": {"aws:cdk:path": "Net/Bastion/Resource"},
            "Properties": {"GroupDescription": "x",
              "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}}}"#,
    );
    let (_, out, _) = run(&["scan", &standalone, "--check", "PF-VPC-01", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["files"][0]["format"], "cloudformation-json");
    assert_eq!(
        json["findings"][0]["cdk"]["construct_path"], "Net/Bastion/Resource",
        "{out}"
    );
    assert_eq!(json["findings"][0]["cdk"]["stack"], "Net");
    let (_, text, _) = run(&["scan", &standalone, "--check", "PF-VPC-01"]);
    assert!(
        text.contains("construct Net/Bastion/Resource in stack Net"),
        "{text}"
    );
    let (_, sarif, _) = run(&["scan", &standalone, "--check", "PF-VPC-01", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let logical = &sarif["runs"][0]["results"][0]["locations"][0]["logicalLocations"];
    assert!(
        logical
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["kind"] == "cdk-construct" && l["fullyQualifiedName"] == "Net/Bastion/Resource"),
        "{logical}"
    );
}

/// A finding on a resource SAM generates names the SAM resource the user
/// wrote: in the message, as the first SARIF logical location (the
/// generated one second), and in JSON.
#[test]
fn findings_on_generated_sam_resources_name_the_resource_the_user_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let template = write(
        dir.path(),
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  AdminFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: \"*\"\n              Resource: \"*\"\n",
    );
    let (_, out, _) = run(&["scan", &template, "--check", "PF-IAM-01", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["resource"]["id"], "AdminFunctionRole", "{out}");
    assert_eq!(finding["resource"]["generated_from"], "AdminFunction");
    assert_eq!(finding["resource"]["source_type"], "AWS::Serverless::Function");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("the Role SAM creates for AdminFunction: "),
        "{finding}"
    );
    // On the statement the user wrote, in the function.
    assert_eq!(finding["region"]["start_line"], 12);
    let (_, sarif, _) = run(&["scan", &template, "--check", "PF-IAM-01", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_valid_sarif(&sarif, "SAM");
    let logical = &sarif["runs"][0]["results"][0]["locations"][0]["logicalLocations"];
    assert_eq!(logical[0]["name"], "AdminFunction", "{logical}");
    assert_eq!(logical[0]["kind"], "AWS::Serverless::Function");
    assert_eq!(logical[1]["name"], "AdminFunctionRole");
    assert_eq!(logical[1]["kind"], "AWS::IAM::Role");
}

/// A property a rule reads that the Terraform mapping of the resource's type
/// does not map is unknown, named as not mapped — never absent, which would
/// fail `== "Enabled"` and pass `!= "Enabled"` on nothing. The same rule on a
/// CloudFormation template that leaves the property out judges it absent,
/// and a property declared not expressible in Terraform is absent too.
#[test]
fn a_property_no_terraform_mapping_maps_is_unknown_not_absent() {
    let dir = tempfile::tempdir().unwrap();
    let checks = dir.path().join("checks");
    for (id, rule) in [
        (
            "ACME-S3-01",
            "AccelerateConfiguration.AccelerationStatus == \"Enabled\"",
        ),
        (
            "ACME-S3-02",
            "AccelerateConfiguration.AccelerationStatus != \"Enabled\"",
        ),
    ] {
        write(
            &checks,
            &format!("{id}.yaml"),
            &format!(
                "id: {id}\nslug: {id}\ntitle: x\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: |\n  {rule}\n"
            ),
        );
    }
    write(
        &checks,
        "ACME-IAM-01.yaml",
        "id: ACME-IAM-01\nslug: acme-iam-01\ntitle: x\nseverity: low\nresource_types: [AWS::IAM::User]\nrule: |\n  Groups exists\n",
    );
    let infra = dir.path().join("infra");
    write(
        &infra,
        "tf/main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n\nresource \"aws_iam_user\" \"ci\" {\n  name = \"ci\"\n}\n",
    );
    write(
        &infra,
        "cfn/template.yaml",
        "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n",
    );
    let (_, out, _) = run(&[
        "scan",
        infra.to_str().unwrap(),
        "--checks",
        checks.to_str().unwrap(),
        "--check",
        "ACME-S3-01,ACME-S3-02,ACME-IAM-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let verdict = |check: &str, resource: &str| -> (String, String) {
        let finding = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == check && f["resource"]["id"] == resource);
        finding.map_or(("pass".into(), String::new()), |f| {
            (
                f["verdict"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
    };
    for check in ["ACME-S3-01", "ACME-S3-02"] {
        let (status, message) = verdict(check, "aws_s3_bucket.logs");
        assert_eq!(status, "unknown", "{check}: {message}");
        assert!(
            message.contains("AccelerateConfiguration is not mapped for aws_s3_bucket"),
            "{message}"
        );
    }
    assert_eq!(verdict("ACME-S3-01", "Logs").0, "fail");
    assert_eq!(verdict("ACME-S3-02", "Logs").0, "pass");
    // Terraform sets group memberships apart: not expressible on the user, so absent.
    assert_eq!(verdict("ACME-IAM-01", "aws_iam_user.ci").0, "fail");
}
