//! Users' own predicates, variants and the check compiler through the command
//! line: `--checks DIR` with a predicate library and a variants file judges
//! like the same clauses written out; `preflight checks lint DIR` reports
//! problems at `file:line:col`; a typo'd property is an error when scanning.

use std::ffi::OsString;
use std::path::Path;

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

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const LIBRARY: &str = "\
predicates:
  has_tag:
    params: [key]
    description: Some tag of the resource has the key %key.
    rule: |
      some Tags[*] { Key == %key }
  encrypted_with:
    params: [algorithm]
    rule: |
      BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.SSEAlgorithm == %algorithm
";

const VARIANTS: &str = "\
severity: low
resource_types: [AWS::S3::Bucket]
params:
  key: owner
description: Buckets must carry the {{key}} tag ({{why}}).
variants:
  - id: ACME-TAG-01
    slug: acme-owner-tag
    title: Buckets carry an owner tag
    vars: {why: to page someone}
  - id: ACME-TAG-02
    slug: acme-cost-tag
    title: Buckets carry a cost-centre tag
    params: {key: cost-centre}
    vars: {why: to bill someone}
rule: |
  has_tag(%key)
";

const TEMPLATE: &str = "\
Resources:
  Tagged:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - {Key: owner, Value: team-a}
  Bare:
    Type: AWS::S3::Bucket
";

fn scan_json(checks: &str, template: &str, ids: &str) -> serde_json::Value {
    let (code, out, err) = run(&[
        "scan", template, "--checks", checks, "--check", ids, "--format", "json",
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// (check, resource) of every failing finding, sorted.
fn failures(report: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn variants_calling_a_users_predicate_judge_like_the_clauses_written_out() {
    let dir = tempfile::tempdir().unwrap();
    let checks = dir.path().join("checks");
    write(&checks, "lib/tags.yaml", LIBRARY);
    write(&checks, "tags.yaml", VARIANTS);
    let template = write(dir.path(), "template.yaml", TEMPLATE);
    let report = scan_json(checks.to_str().unwrap(), &template, "ACME-TAG-01,ACME-TAG-02");
    let (code, out, err) = run(&["explain", "ACME-TAG-02", "--checks", checks.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cost-centre tag (to bill someone)"), "{out}");
    // The same checks with the predicate's clause written in place.
    let inline = dir.path().join("inline");
    for (id, key) in [("ACME-TAG-01", "owner"), ("ACME-TAG-02", "cost-centre")] {
        write(
            &inline,
            &format!("{id}.yaml"),
            &format!(
                "id: {id}\nslug: {id}\ntitle: t\nseverity: low\nresource_types: [AWS::S3::Bucket]\nparams: {{key: {key}}}\nrule: |\n  some Tags[*] {{ Key == %key }}\n"
            ),
        );
    }
    let written_out = scan_json(inline.to_str().unwrap(), &template, "ACME-TAG-01,ACME-TAG-02");
    assert_eq!(
        failures(&report),
        vec![
            ("ACME-TAG-01".to_string(), "Bare".to_string()),
            ("ACME-TAG-02".to_string(), "Bare".to_string()),
            ("ACME-TAG-02".to_string(), "Tagged".to_string()),
        ]
    );
    assert_eq!(failures(&report), failures(&written_out));
    let messages = |r: &serde_json::Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].to_string())
            .collect()
    };
    assert_eq!(
        messages(&report),
        messages(&written_out),
        "the same evidence, word for word"
    );
}

#[test]
fn a_typod_property_in_a_checks_file_is_an_error_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "ACME-S3-09.yaml",
        "id: ACME-S3-09\nslug: acme-versioned\ntitle: Buckets are versioned\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: |\n  VersioningConfiguration.Stauts == \"Enabled\"\n",
    );
    let template = write(inputs.path(), "template.yaml", TEMPLATE);
    let (code, _, err) = run(&["scan", &template, "--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{file}:7:27: no property Stauts in AWS::S3::Bucket.VersioningConfiguration: did you mean Status?"
        )),
        "{err}"
    );
    let (code, out, _) = run(&["checks", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains(&format!("{file}:7:27: no property Stauts")), "{out}");
    assert!(
        out.contains("1 check(s), 0 predicate(s): 1 error(s), 0 warning(s)"),
        "{out}"
    );
}

#[test]
fn lint_warns_of_unused_params_and_errs_on_unknown_types_and_predicates() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "acme.yaml",
        "id: ACME-S3-10\nslug: acme-logged\ntitle: Buckets log\nseverity: low\nresource_types: [AWS::S3::Bucket]\nparams:\n  target_prefix: logs/\nrule: |\n  LoggingConfiguration.DestinationBucketName not empty\n",
    );
    let (code, out, _) = run(&["checks", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "warnings alone pass: {out}");
    assert!(
        out.contains(&format!(
            "{file}:7:3: warning: %target_prefix is declared but the rule of ACME-S3-10 never reads it"
        )),
        "{out}"
    );
    let other = write(
        dir.path(),
        "more.yaml",
        "id: ACME-S3-11\nslug: acme-other\ntitle: t\nseverity: low\nresource_types: [AWS::S3::Buckett]\nrule: |\n  is_public_bucket()\n",
    );
    let (code, out, _) = run(&["checks", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!(
            "{other}:7:3: unknown function or predicate is_public_bucket()"
        )),
        "{out}"
    );
    std::fs::write(
        &other,
        "id: ACME-S3-11\nslug: acme-other\ntitle: t\nseverity: low\nresource_types: [AWS::S3::Buckett]\nrule: |\n  BucketName exists\n",
    )
    .unwrap();
    let (code, out, _) = run(&["checks", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{other}:5:18: unknown resource type AWS::S3::Buckett"))
            && out.contains("did you mean AWS::S3::Bucket?"),
        "{out}"
    );
}

#[test]
fn a_typo_in_a_users_predicate_is_reported_in_the_library_where_a_check_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let library = write(
        dir.path(),
        "lib.yaml",
        "predicates:\n  versioned:\n    rule: |\n      VersioningConfiguration.Status == \"Enabled\"\n      VersioningConfiguration.MFADeletee exists\n",
    );
    write(
        dir.path(),
        "check.yaml",
        "id: ACME-S3-12\nslug: acme-versioned\ntitle: t\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: |\n  versioned()\n",
    );
    let (code, out, _) = run(&["checks", "lint", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{library}:5:31: no property MFADeletee")),
        "{out}"
    );
    assert!(out.contains("1 check(s), 1 predicate(s)"), "{out}");
}
