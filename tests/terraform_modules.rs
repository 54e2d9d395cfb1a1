//! Terraform module evaluation end to end: module inputs and outputs,
//! `for_each`, tfvars and `--var`, bounds, and sources that are not read.

mod support;

use std::path::Path;

use preflight::diagnostics::Level;
use preflight::findings::Verdict;
use support::{relative_to, scan_with};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const NETWORK_MODULE: &str = r#"
variable "admin_cidrs" {
  type = map(object({
    port = optional(number, 22)
    cidr = string
  }))
}

resource "aws_security_group" "admin" {
  name = "admin"
  dynamic "ingress" {
    for_each = var.admin_cidrs
    content {
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = [ingress.value.cidr]
    }
  }
}

output "group_id" {
  value = aws_security_group.admin.id
}
"#;

#[test]
fn modules_inputs_outputs_and_for_each_are_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "modules/network/main.tf", NETWORK_MODULE);
    write(
        dir.path(),
        "env/main.tf",
        r#"
variable "office" { default = "203.0.113.0/24" }
variable "open_to" {}

module "network" {
  source = "../modules/network"
  admin_cidrs = {
    office = { cidr = var.office }
    world  = { cidr = var.open_to, port = 3389 }
  }
}

resource "aws_security_group_rule" "extra" {
  for_each          = toset(["a", "b"])
  type              = "ingress"
  security_group_id = module.network.group_id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [each.key == "b" ? "0.0.0.0/0" : "10.0.0.0/8"]
}
"#,
    );
    write(dir.path(), "env/terraform.tfvars", "open_to = \"0.0.0.0/0\"\n");
    let (report, _) = scan_with(
        &[dir.path().to_path_buf()],
        &["PF-VPC-01", "PF-VPC-02"],
        Default::default(),
    );
    let report = relative_to(report, dir.path());
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.diagnostic.level != Level::Error),
        "{:?}",
        report.diagnostics
    );
    let findings: Vec<(String, String, String)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.check_id.clone(),
                f.resource_id.clone(),
                report.files[f.file].path.clone(),
            )
        })
        .collect();
    // RDP from the world comes through the module input (tfvars) and the optional default port.
    assert!(
        findings.contains(&(
            "PF-VPC-02".into(),
            "module.network.aws_security_group.admin".into(),
            "modules/network/main.tf".into()
        )),
        "{findings:?}"
    );
    // The SSH rule of instance "b" attaches to the module's group through its output.
    assert!(
        findings.iter().any(|(c, r, f)| c == "PF-VPC-01"
            && r == "module.network.aws_security_group.admin"
            && f == "env/main.tf"),
        "{findings:?}"
    );
    assert_eq!(
        findings.iter().filter(|(c, _, _)| c == "PF-VPC-01").count(),
        1,
        "{findings:?}"
    );
    // The module is evaluated through its call only: its file is listed once.
    assert_eq!(
        report
            .files
            .iter()
            .filter(|f| f.path == "modules/network/main.tf")
            .count(),
        1
    );
}

#[test]
fn cli_variables_win_over_tfvars() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "variable \"rotate\" {}\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n",
    );
    write(dir.path(), "terraform.tfvars", "rotate = false\n");
    let scan = |vars: &[(&str, &str)]| {
        let mut registry = preflight::checks::Registry::builtin().unwrap();
        registry.select(&["PF-KMS-01".into()], &[]).unwrap();
        let options = preflight::scan::ScanOptions {
            paths: vec![dir.path().to_path_buf()],
            tf_vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        preflight::scan::scan(&options, &registry).unwrap()
    };
    let from_tfvars = scan(&[]);
    assert_eq!(from_tfvars.tally.fail, 1);
    assert!(
        from_tfvars.findings[0].message.contains("var.rotate"),
        "{}",
        from_tfvars.findings[0].message
    );
    assert_eq!(scan(&[("rotate", "true")]).tally.pass, 1);
}

#[test]
fn unknowns_bounds_and_unread_sources_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "key_arn" {}

resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "logs"
  kms_key_id     = var.key_arn
}

resource "aws_kms_key" "many" {
  count = 10001
}

module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}

module "outside" {
  source = "../../somewhere-else"
}
"#,
    );
    let (report, _) = scan_with(
        &[dir.path().to_path_buf()],
        &["PF-CT-07", "PF-KMS-01"],
        Default::default(),
    );
    let unknown = report
        .findings
        .iter()
        .find(|f| f.check_id == "PF-CT-07")
        .expect("a CT-07 result");
    assert_eq!(unknown.verdict, Verdict::Unknown);
    assert!(
        unknown.message.contains("variable key_arn has no default"),
        "{}",
        unknown.message
    );
    let messages: Vec<(Level, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.diagnostic.level, d.diagnostic.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == Level::Error && m.contains("10001 is over the 10000 instance limit")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == Level::Note && m.contains("module remote") && m.contains("not fetched")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == Level::Note && m.contains("module outside")),
        "{messages:?}"
    );
    assert!(
        report.findings.iter().all(|f| f.check_id != "PF-KMS-01"),
        "the over-limit resource is not expanded"
    );
}

#[test]
fn a_broken_tf_file_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok.tf",
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n",
    );
    write(
        dir.path(),
        "broken.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
    );
    let (report, _) = scan_with(&[dir.path().to_path_buf()], &["PF-KMS-01"], Default::default());
    let report = relative_to(report, dir.path());
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.diagnostic.level == Level::Error)
        .expect("an error");
    assert_eq!(error.file, "broken.tf");
    assert_eq!(error.diagnostic.pos.line, 2);
    assert_eq!(report.tally.fail, 1, "the module's other file is still checked");
}

/// `data "aws_iam_policy_document"` is rendered into the document its `json`
/// holds, so policies written that way are checked, not unknown.
#[test]
fn policy_document_data_sources_are_rendered() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
data "aws_iam_policy_document" "anyone" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "org_only" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }
  }
}

data "aws_iam_policy_document" "admin" {
  dynamic "statement" {
    for_each = ["*"]
    content {
      effect    = "Allow"
      actions   = [statement.value]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role" "open" {
  assume_role_policy = data.aws_iam_policy_document.anyone.json
}

resource "aws_iam_role" "org" {
  # A lone interpolation is the value itself, not its text.
  assume_role_policy = "${data.aws_iam_policy_document.org_only.json}"
}

resource "aws_iam_policy" "admin" {
  policy = data.aws_iam_policy_document.admin.json
}
"#,
    );
    let (report, _) = scan_with(&[dir.path().to_path_buf()], &[], Default::default());
    let verdict = |check: &str, resource: &str| {
        report
            .findings
            .iter()
            .find(|f| f.check_id == check && f.resource_id == resource)
            .map(|f| (f.verdict, f.span.start.line))
    };
    // The finding points into the data source that wrote the statement.
    assert_eq!(
        verdict("PF-IAM-07", "aws_iam_role.open").map(|v| v.0),
        Some(Verdict::Fail)
    );
    assert!(verdict("PF-IAM-07", "aws_iam_role.open").unwrap().1 <= 10);
    assert_eq!(
        verdict("PF-IAM-07", "aws_iam_role.org"),
        None,
        "restricted to the organisation"
    );
    assert_eq!(
        verdict("PF-IAM-01", "aws_iam_policy.admin").map(|v| v.0),
        Some(Verdict::Fail)
    );
}
