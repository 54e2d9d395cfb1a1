//! Values and resources that exist only under a condition nobody can decide
//! before deploy are reported as conditional findings, whichever format and
//! whichever function carries the condition: `Fn::If` inside `Fn::Sub`,
//! `Fn::Join` and `Fn::Select`, and a Terraform `count` or `for_each` under
//! a variable without a value.

mod support;

use std::path::Path;

use preflight::findings::Verdict;
use support::{relative_to, scan_with};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// (check, resource, verdict, conditional) of every finding of `checks` on `dir`.
fn findings(dir: &Path, checks: &[&str]) -> Vec<(String, String, Verdict, Option<String>)> {
    let (report, _) = scan_with(&[dir.to_path_buf()], checks, Default::default());
    let report = relative_to(report, dir);
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.check_id.clone(),
                f.resource_id.clone(),
                f.verdict,
                f.conditional.clone(),
            )
        })
        .collect()
}

const INGRESS: &str = "        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n";

#[test]
fn fn_if_inside_string_functions_yields_a_conditional_finding() {
    let dir = tempfile::tempdir().unwrap();
    let group = |name: &str, cidr: &str| {
        format!(
            "  {name}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n{INGRESS}          CidrIp: {cidr}\n"
        )
    };
    let mut template = String::from(
        "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n",
    );
    template.push_str(&group(
        "Joined",
        r#"!Join ["/", [!If [IsProd, 10.0.0.0, 0.0.0.0], "0"]]"#,
    ));
    template.push_str(&group(
        "Subbed",
        r#"!Sub ["${Net}/0", {Net: !If [IsProd, 10.0.0.0, 0.0.0.0]}]"#,
    ));
    template.push_str(&group(
        "Selected",
        r#"!Select [0, [!If [IsProd, 10.0.0.0/8, 0.0.0.0/0]]]"#,
    ));
    // Open in both branches: a plain finding, no condition to name.
    template.push_str(&group(
        "Always",
        r#"!Sub ["${Net}/0", {Net: !If [IsProd, 0.0.0.0, 0.0.0.0]}]"#,
    ));
    write(dir.path(), "template.yaml", &template);
    let found = findings(dir.path(), &["PF-VPC-01"]);
    for resource in ["Joined", "Subbed", "Selected"] {
        assert!(
            found.contains(&(
                "PF-VPC-01".into(),
                resource.into(),
                Verdict::Fail,
                Some("IsProd is false".into())
            )),
            "{resource}: {found:?}"
        );
    }
    assert!(
        found.contains(&("PF-VPC-01".into(), "Always".into(), Verdict::Fail, None)),
        "{found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn an_undecidable_count_or_for_each_makes_the_resource_conditional() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "create" {
  type = bool
}

resource "aws_security_group" "open" {
  count       = var.create ? 1 : 0
  name        = "open"
  description = "x"
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "unless" {
  for_each    = var.create ? {} : { a = "x" }
  name        = "unless-${each.key}"
  description = "x"
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "always" {
  name        = "always"
  description = "x"
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
    );
    let mut found = findings(dir.path(), &["PF-VPC-01"]);
    found.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        found,
        vec![
            (
                "PF-VPC-01".into(),
                "aws_security_group.always".into(),
                Verdict::Fail,
                None
            ),
            (
                "PF-VPC-01".into(),
                "aws_security_group.open[0]".into(),
                Verdict::Fail,
                Some("var.create is true".into())
            ),
            (
                "PF-VPC-01".into(),
                "aws_security_group.unless[\"a\"]".into(),
                Verdict::Fail,
                Some("var.create is false".into())
            ),
        ]
    );
}

#[test]
fn a_decided_count_is_not_conditional() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "create" {
  default = true
}

resource "aws_security_group" "open" {
  count       = var.create ? 1 : 0
  name        = "open"
  description = "x"
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
    );
    let found = findings(dir.path(), &["PF-VPC-01"]);
    assert_eq!(
        found,
        vec![(
            "PF-VPC-01".into(),
            "aws_security_group.open[0]".into(),
            Verdict::Fail,
            None
        )]
    );
}

#[test]
fn a_module_called_under_an_undecidable_count_makes_its_resources_conditional() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "modules/sg/main.tf",
        r#"
variable "open" {
  type = bool
}

resource "aws_security_group" "this" {
  count       = var.open ? 1 : 0
  name        = "open"
  description = "x"
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
    );
    write(
        dir.path(),
        "main.tf",
        r#"
variable "create" {
  type = bool
}

variable "open" {
  type = bool
}

module "sg" {
  source = "./modules/sg"
  count  = var.create ? 1 : 0
  open   = var.open
}
"#,
    );
    let found = findings(dir.path(), &["PF-VPC-01"]);
    assert_eq!(
        found,
        vec![(
            "PF-VPC-01".into(),
            "module.sg[0].aws_security_group.this[0]".into(),
            Verdict::Fail,
            Some("var.create is true and module.sg[0].var.open is true".into())
        )]
    );
}
