//! Malformed, truncated, binary and oddly encoded files: a clear error with
//! `file:line:col` (or a silent skip when the file is not infrastructure code),
//! exit code 2, and every other file still scanned.

use super::{GOOD_TEMPLATE, diagnostics, findings, scan_json, write};

#[test]
fn every_kind_of_broken_input_is_reported_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "good.yaml", GOOD_TEMPLATE);
    write(
        d,
        "bad-yaml.yaml",
        "Resources:\n  B:\n    Type: [AWS::S3::Bucket\n",
    );
    write(
        d,
        "bad-json.json",
        "{\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\",}\n  }\n}\n",
    );
    write(
        d,
        "truncated.json",
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"B\": {\"Ty",
    );
    write(
        d,
        "garbage.template",
        b"AWSTemplateFormatVersion\x00\x01\x02: {{{{ ]]] \n\x7f",
    );
    write(
        d,
        "latin1.yaml",
        b"AWSTemplateFormatVersion: x\nDescription: caf\xe9\nResources: {}\n",
    );
    write(
        d,
        "multi.yaml",
        "AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::S3::Bucket}\n---\nResources: {}\n",
    );
    write(
        d,
        "plan.json",
        "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [}}",
    );
    write(
        d,
        "tf/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  acl = \n}\n",
    );
    // Not infrastructure code: skipped silently, whatever their state.
    write(d, "empty.yaml", "");
    write(d, "k8s.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n");
    write(d, "binary.json", b"\x89PNG\r\n\x1a\n\x00\x00");
    let (code, report) = scan_json(d, &["--check", "PF-S3-08"]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    let errors: Vec<&(String, u64, u64, String, String)> = diags.iter().filter(|d| d.3 == "error").collect();
    let files: Vec<&str> = errors.iter().map(|d| d.0.as_str()).collect();
    for expected in [
        "bad-yaml.yaml",
        "bad-json.json",
        "truncated.json",
        "garbage.template",
        "latin1.yaml",
        "multi.yaml",
        "plan.json",
        "tf/main.tf",
    ] {
        assert!(
            files.contains(&expected),
            "{expected} is not reported: {errors:#?}"
        );
    }
    for silent in ["empty.yaml", "k8s.yaml", "binary.json"] {
        assert!(
            !files.contains(&silent),
            "{silent} should be skipped: {errors:#?}"
        );
    }
    // Every error has a real position.
    assert!(errors.iter().all(|d| d.1 >= 1 && d.2 >= 1));
    let at = |file: &str| errors.iter().find(|d| d.0 == file).map(|d| (d.1, d.2)).unwrap();
    assert_eq!(at("bad-json.json").0, 3);
    assert_eq!(at("latin1.yaml").0, 2);
    assert_eq!(at("multi.yaml").0, 4);
    assert_eq!(at("tf/main.tf").0, 3);
    // The good file is still scanned and reported.
    assert!(findings(&report).contains(&("good.yaml".to_string(), "PF-S3-08".to_string())));
}

#[test]
fn byte_order_marks_and_crlf_are_read_like_any_template() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bom-crlf.yaml",
        "\u{feff}Resources:\r\n  Bucket:\r\n    Type: AWS::S3::Bucket\r\n",
    );
    write(
        dir.path(),
        "bom.json",
        "\u{feff}{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}",
    );
    write(
        dir.path(),
        "bom.tf",
        "\u{feff}resource \"aws_s3_bucket\" \"b\" {\r\n  bucket = \"x\"\r\n}\r\n",
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report).len(), 3, "{report}");
}

#[test]
fn duplicate_keys_are_an_error_at_the_second_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "dup.yaml",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Type: AWS::SNS::Topic\n",
    );
    write(
        dir.path(),
        "dup.json",
        "{\"Resources\": {\n\"A\": {\"Type\": \"AWS::S3::Bucket\"},\n\"A\": {\"Type\": \"AWS::S3::Bucket\"}}}",
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "dup.yaml" && (d.1, d.2) == (4, 5) && d.4.contains("duplicate key")),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "dup.json" && (d.1, d.2) == (3, 1) && d.4.contains("duplicate key")),
        "{diags:?}"
    );
}

#[test]
fn wrong_shapes_are_errors_for_that_resource_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "shapes.yaml",
        "Resources:\n  TypeList:\n    Type: [a]\n  PropsList:\n    Type: AWS::S3::Bucket\n    Properties: [1, 2]\n  NotAMap: 5\n  Fine:\n    Type: AWS::S3::Bucket\n",
    );
    write(
        dir.path(),
        "tf/main.tf",
        "resource \"aws_security_group\" \"odd\" {\n  ingress = \"a string where blocks go\"\n  egress = 5\n}\nresource \"aws_s3_bucket\" \"fine\" {}\n",
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08,PF-VPC-01"]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    let lines: Vec<u64> = diags
        .iter()
        .filter(|d| d.0 == "shapes.yaml")
        .map(|d| d.1)
        .collect();
    assert_eq!(lines, vec![3, 6, 7], "{diags:?}");
    let found = findings(&report);
    assert!(
        found.contains(&("shapes.yaml".into(), "PF-S3-08".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("tf/main.tf".into(), "PF-S3-08".into())),
        "{found:?}"
    );
}
