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

#[test]
fn action_patterns_of_many_stars_match_in_bounded_steps() {
    let dir = tempfile::tempdir().unwrap();
    // A recursive glob takes ~C(123, 23) steps to refuse the first action.
    let stars = "*".repeat(100);
    write(
        dir.path(),
        "policy.yaml",
        format!(
            "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: [\"{stars}z\", \"{stars}n\"]\n            Resource: \"*\"\n"
        ),
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-IAM-04"]);
    assert_eq!(code, 1, "{}", report["diagnostics"]);
    // The second action covers iam:CreatePolicyVersion (and ends in n).
    assert_eq!(
        super::findings(&report),
        [("policy.yaml".to_string(), "PF-IAM-04".to_string())]
    );
}

#[test]
fn partition_holes_expand_under_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    // Forty holes of five partitions each would be 5^40 texts to match.
    let many = "${data.aws_partition.p.partition}".repeat(40);
    write(
        dir.path(),
        "main.tf",
        format!(
            "data \"aws_partition\" \"p\" {{}}\nresource \"aws_iam_role_policy_attachment\" \"one\" {{\n  role       = \"app\"\n  policy_arn = \"arn:${{data.aws_partition.p.partition}}:iam::aws:policy/AdministratorAccess\"\n}}\nresource \"aws_iam_role_policy_attachment\" \"many\" {{\n  role       = \"app\"\n  policy_arn = \"arn:{many}:iam::aws:policy/AdministratorAccess\"\n}}\n"
        ),
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-IAM-02"]);
    assert_eq!(code, 1, "{}", report["diagnostics"]);
    let verdicts: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap(),
                f["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("aws_iam_role_policy_attachment.one", "fail"),
            ("aws_iam_role_policy_attachment.many", "unknown")
        ]
    );
}

#[test]
fn duplicate_keys_among_many_are_found_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let n = 50_000;
    let mut yaml = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n");
    for i in 0..n {
        yaml.push_str(&format!("  k{i}: 1\n"));
    }
    yaml.push_str("  k25000: 2\nResources:\n  B: {Type: AWS::S3::Bucket}\n");
    write(dir.path(), "many.yaml", yaml);
    let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": 1")).collect();
    write(
        dir.path(),
        "many.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {{{},\n\"k25000\": 2}}, \"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\"}}}}}}",
            keys.join(", ")
        ),
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let mut found: Vec<(String, u64, String)> = diagnostics(&report)
        .into_iter()
        .map(|d| (d.0, d.1, d.4))
        .collect();
    found.sort();
    let duplicate = "duplicate key \"k25000\"".to_string();
    assert_eq!(
        found,
        [
            ("many.json".to_string(), 2, duplicate.clone()),
            ("many.yaml".to_string(), n + 3, duplicate)
        ]
    );
}

#[test]
fn every_hcl_nesting_form_is_bounded_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let deep = 200_000;
    let forms = [
        ("parens", format!("{}1{}", "(".repeat(deep), ")".repeat(deep))),
        (
            "templates",
            format!("{}1{}", "\"${".repeat(deep), "}\"".repeat(deep)),
        ),
        (
            "heredocs",
            format!(
                "{}1\n{}",
                "<<EOT\n${".repeat(deep / 8),
                "}\nEOT\n".repeat(deep / 8)
            ),
        ),
    ];
    for (name, expr) in &forms {
        write(
            dir.path(),
            &format!("{name}/main.tf"),
            format!("locals {{\n  x = {expr}\n}}\n"),
        );
    }
    // A quote in a comment must not hide the brackets after it.
    write(
        dir.path(),
        "comment/main.tf",
        format!(
            "# \"\nlocals {{\n  x = {}{}\n}} # \"\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let mut errors: Vec<(String, u64, String)> = diagnostics(&report)
        .into_iter()
        .filter(|d| d.3 == "error")
        .map(|d| (d.0, d.1, d.4))
        .collect();
    errors.sort();
    let deeper = "nesting deeper than 256 levels".to_string();
    assert_eq!(
        errors,
        [
            ("comment/main.tf".to_string(), 3, deeper.clone()),
            // A heredoc and its interpolation per line: level 257 opens on line 130.
            ("heredocs/main.tf".to_string(), 130, deeper.clone()),
            ("parens/main.tf".to_string(), 2, deeper.clone()),
            ("templates/main.tf".to_string(), 2, deeper),
        ]
    );
}

#[test]
fn rule_literals_and_calls_in_user_checks_are_depth_bounded() {
    let deep = 100_000;
    for (name, rule) in [
        (
            "literal",
            format!("A IN {}{}", "[".repeat(deep), "]".repeat(deep)),
        ),
        (
            "calls",
            format!("{}A{} exists", "statements(".repeat(deep), ")".repeat(deep)),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "ACME-X-01.yaml",
            format!(
                "id: ACME-X-01\nslug: x\ntitle: x\nseverity: low\nresource_types: [AWS::S3::Bucket]\nrule: \"{rule}\"\n"
            ),
        );
        let mut out = Vec::new();
        let mut err = Vec::new();
        let argv =
            ["preflight", "checks", "--checks", dir.path().to_str().unwrap()].map(std::ffi::OsString::from);
        let code = preflight::cli::run(argv, &mut out, &mut err, preflight::cli::Terminal::default());
        let err = String::from_utf8(err).unwrap();
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains("ACME-X-01.yaml:6:") && err.contains("nest too deeply"),
            "{name}: {err}"
        );
    }
}

#[test]
fn many_resources_sharing_one_name_cost_their_number_not_its_square() {
    let dir = tempfile::tempdir().unwrap();
    // Each bucket's name designates all 10,000: listed per bucket, 10^8 candidates.
    let n = 10_000;
    let mut yaml = String::from("Resources:\n");
    for i in 0..n {
        yaml.push_str(&format!(
            "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties: {{BucketName: shared}}\n"
        ));
    }
    yaml.push_str("  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: shared\n      PolicyDocument: {Statement: [{Effect: Deny, Principal: \"*\", Action: \"s3:*\", Resource: \"*\"}]}\n");
    write(dir.path(), "shared.yaml", yaml);
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 1, "{}", report["diagnostics"]);
    assert_eq!(super::findings(&report).len(), n);
}
