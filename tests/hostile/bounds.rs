//! Bounded resources: alias bombs, deep nesting, big files, instance counts,
//! evaluation depth and reference cycles end in an error, not a crash or a hang.

use super::{diagnostics, scan_json, write};

#[test]
fn alias_bombs_never_materialise() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb =
        String::from("AWSTemplateFormatVersion: x\nMetadata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..16 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    bomb.push_str("Resources:\n  B: {Type: AWS::S3::Bucket}\n");
    write(dir.path(), "bomb.yaml", bomb);
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        diagnostics(&report).iter().any(|d| d.4.contains("more than")),
        "{report}"
    );
}

#[test]
fn two_hundred_thousand_nested_brackets_are_an_error_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(200_000);
    write(
        dir.path(),
        "deep.yaml",
        format!("AWSTemplateFormatVersion: x\nResources: {deep}\n"),
    );
    write(dir.path(), "deep.json", format!("{{\"Resources\": {deep}"));
    write(
        dir.path(),
        "deep.template",
        format!("{{\"AWSTemplateFormatVersion\": {}", "{\"a\": ".repeat(100_000)),
    );
    write(dir.path(), "tf/main.tf", format!("locals {{\n  x = {deep}\n}}\n"));
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    for file in ["deep.yaml", "deep.json", "deep.template", "tf/main.tf"] {
        assert!(
            diags.iter().any(|d| d.0 == file
                && d.3 == "error"
                && (d.4.contains("nesting deeper") || d.4.contains("recursion limit"))),
            "{file}: {diags:?}"
        );
    }
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "big.yaml",
        format!(
            "Resources:\n  B: {{Type: AWS::S3::Bucket}}\n#{}\n",
            "x".repeat(4096)
        ),
    );
    write(
        dir.path(),
        "tf/big.tf",
        format!("resource \"aws_s3_bucket\" \"b\" {{}}\n#{}\n", "x".repeat(4096)),
    );
    write(
        dir.path(),
        "tf/terraform.tfvars.json",
        format!("{{\"padding\": \"{}\"}}\n", "x".repeat(4096)),
    );
    let (code, report) = scan_json(dir.path(), &["--max-file-size", "1024"]);
    assert_eq!(code, 0, "{report}");
    let diags = diagnostics(&report);
    let mut over_limit: Vec<&str> = diags
        .iter()
        .filter(|d| d.3 == "warning" && d.4.contains("byte limit"))
        .map(|d| d.0.as_str())
        .collect();
    over_limit.sort();
    assert_eq!(
        over_limit,
        ["big.yaml", "tf/big.tf", "tf/terraform.tfvars.json"],
        "{diags:?}"
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn instance_expansion_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "resource \"aws_s3_bucket\" \"many\" {\n  count = 1000000\n}\nresource \"aws_s3_bucket\" \"keys\" {\n  for_each = toset([for i in range(20000) : tostring(i)])\n}\nlocals {\n  huge = range(100000000)\n}\n",
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    assert!(
        diags
            .iter()
            .any(|d| d.3 == "error" && d.4.contains("1000000 is over the 10000 instance limit")),
        "{diags:?}"
    );
    assert!(diags.iter().any(|d| d.4.contains("keys")), "{diags:?}");
}

#[test]
fn reference_cycles_terminate_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cycle.yaml",
        "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Condition: A\n    Properties: {S3BucketName: x, IsLogging: true}\n",
    );
    write(
        dir.path(),
        "tf/main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = local.a\n}\nresource \"aws_s3_bucket\" \"x\" {\n  bucket = aws_s3_bucket.y.bucket\n}\nresource \"aws_s3_bucket\" \"y\" {\n  bucket = aws_s3_bucket.x.bucket\n}\n",
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let diags = diagnostics(&report);
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "cycle.yaml" && d.3 == "error" && d.4.contains("refers to itself")),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "tf/main.tf" && d.3 == "error" && d.4.contains("cycle")),
        "{diags:?}"
    );
}
