//! Bounded Terraform evaluation: what a `.tf` file computes before plan
//! (ranges, locals, functions, `for`, references, module calls) stays
//! within the evaluation budget and the recursion limit, and past them ends
//! in an unknown value with an error at the file and line, not a hang, an
//! exhausted memory or a stack overflow.

use super::{GOOD_TEMPLATE, diagnostics, findings, scan_json, write};

/// The errors of a report as (file, line, message).
fn errors(report: &serde_json::Value) -> Vec<(String, u64, String)> {
    diagnostics(report)
        .into_iter()
        .filter(|d| d.3 == "error")
        .map(|d| (d.0, d.1, d.4))
        .collect()
}

/// The addresses of the resources of `tf_type` that have findings.
fn resources_of(report: &serde_json::Value, tf_type: &str) -> std::collections::BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["resource"]["id"].as_str())
        .filter(|r| r.starts_with(tf_type))
        .map(str::to_string)
        .collect()
}

/// How many instances (`address[...]`) of `address` are among `resources`.
fn instances(resources: &std::collections::BTreeSet<String>, address: &str) -> usize {
    let prefix = format!("{address}[");
    resources.iter().filter(|r| r.starts_with(&prefix)).count()
}

#[test]
fn range_counts_its_elements_instead_of_adding_floats() {
    let dir = tempfile::tempdir().unwrap();
    // At 2^53 and above a float step is absorbed: a running sum never ends.
    write(
        dir.path(),
        "main.tf",
        r#"locals {
  big = range(10000000000000000, 10000000000000100)
}
resource "aws_s3_bucket" "big" {
  count  = length(local.big)
  bucket = "big-${count.index}"
}
resource "aws_s3_bucket" "quarters" {
  count  = length(range(0, 1, 0.25))
  bucket = "quarter-${count.index}"
}
resource "aws_s3_bucket" "down" {
  count  = length(range(4, 1, -1))
  bucket = "down-${count.index}"
}
resource "aws_s3_bucket" "huge" {
  for_each = toset([for i in range(10000000000000000, 10000000000020000) : tostring(i)])
  bucket   = "huge"
}
"#,
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let buckets = resources_of(&report, "aws_s3_bucket.");
    let count = |name: &str| instances(&buckets, &format!("aws_s3_bucket.{name}"));
    assert_eq!(
        (count("big"), count("quarters"), count("down")),
        (100, 4, 3),
        "{buckets:?}"
    );
    assert!(
        !buckets.iter().any(|b| b.starts_with("aws_s3_bucket.huge")),
        "{buckets:?}"
    );
    let errors = errors(&report);
    assert!(
        errors.iter().any(|e| e.0 == "main.tf"
            && e.1 == 16
            && e.2.contains("20000 elements is over the 10000 instance limit")),
        "{errors:?}"
    );
}

#[test]
fn locals_that_double_stop_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", GOOD_TEMPLATE);
    let mut tf = String::from(
        "resource \"aws_s3_bucket\" \"kept\" {\n  bucket = \"kept\"\n}\nlocals {\n  l0 = \"x\"\n",
    );
    for i in 1..=30 {
        tf.push_str(&format!("  l{i} = [local.l{p}, local.l{p}]\n", p = i - 1));
    }
    tf.push_str("}\noutput \"all\" {\n  value = local.l30\n}\n");
    write(dir.path(), "tf/main.tf", tf);
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    // Named at a line of the locals that doubled past the budget.
    assert!(
        errors.iter().any(|e| e.0 == "tf/main.tf"
            && (6..=35).contains(&e.1)
            && e.2.contains("more than 2000000 values")),
        "{errors:?}"
    );
    let found = findings(&report);
    assert!(
        found.contains(&("good.yaml".into(), "PF-S3-08".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("tf/main.tf".into(), "PF-S3-08".into())),
        "{found:?}"
    );
}

#[test]
fn replace_into_every_gap_stops_at_the_text_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut tf = String::from("locals {\n  s0 = \"abcdefghij\"\n");
    for i in 1..=12 {
        tf.push_str(&format!(
            "  s{i} = replace(local.s{p}, \"\", local.s{p})\n",
            p = i - 1
        ));
    }
    tf.push_str("}\noutput \"text\" {\n  value = local.s12\n}\n");
    write(dir.path(), "main.tf", tf);
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    // s3 would be 14640 copies of s2's 14640 bytes: refused before it is built.
    assert_eq!(
        errors(&report)
            .into_iter()
            .map(|e| (e.0, e.1, e.2.contains("bytes of text")))
            .collect::<Vec<_>>(),
        [("main.tf".to_string(), 5, true)]
    );
}

#[test]
fn nested_for_expressions_over_the_instance_cap_stop_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "locals {\n  cube = [for a in range(10000) : [for b in range(10000) : [for c in range(10000) : c]]]\n}\noutput \"cube\" {\n  value = local.cube\n}\n",
    );
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    assert!(
        errors
            .iter()
            .any(|e| e.0 == "main.tf" && e.1 == 2 && e.2.contains("more than 2000000 values")),
        "{errors:?}"
    );
}

#[test]
fn attribute_chains_that_re_evaluate_stop_at_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    // Each bucket's name is its predecessor's twice: 2^64 evaluations unbounded.
    let mut tf = String::from("resource \"aws_s3_bucket\" \"a0\" {\n  bucket = \"x\"\n}\n");
    for i in 1..=64 {
        let p = i - 1;
        tf.push_str(&format!(
            "resource \"aws_s3_bucket\" \"a{i}\" {{\n  bucket = \"${{aws_s3_bucket.a{p}.bucket}}${{aws_s3_bucket.a{p}.bucket}}\"\n}}\n"
        ));
    }
    write(dir.path(), "main.tf", tf);
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    assert!(
        errors
            .iter()
            .any(|e| e.0 == "main.tf" && e.1 > 0 && e.2.contains("more than 2000000 values")),
        "{errors:?}"
    );
    // The buckets evaluated before the budget ran out are checked.
    assert!(resources_of(&report, "aws_s3_bucket.a0").contains("aws_s3_bucket.a0"));
}

#[test]
fn values_nested_through_references_stop_at_the_recursion_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 63 references, each nesting the last 60 levels deeper: 3,780 levels.
    let mut tf = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..64 {
        tf.push_str(&format!(
            "  l{i} = {}local.l{}{}\n",
            "[".repeat(60),
            i - 1,
            "]".repeat(60)
        ));
    }
    tf.push_str(
        "}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags   = { deep = local.l63 }\n}\n",
    );
    write(dir.path(), "main.tf", tf);
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    assert!(
        errors
            .iter()
            .any(|e| e.0 == "main.tf" && (2..=65).contains(&e.1) && e.2.contains("deeper than 256 levels")),
        "{errors:?}"
    );
    assert!(resources_of(&report, "aws_s3_bucket.b").contains("aws_s3_bucket.b"));
}

#[test]
fn module_calls_that_fan_out_stop_at_the_instance_cap() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "module \"m\" {\n  source = \"./m\"\n  count  = 100\n}\n",
    );
    // Calls itself a hundred times over, sixteen levels deep: 100^16 instances.
    write(
        dir.path(),
        "m/main.tf",
        "module \"m\" {\n  source = \"./\"\n  count  = 100\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b-${path.module}\"\n}\n",
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    let capped: Vec<_> = errors
        .iter()
        .filter(|e| e.2.contains("over 10000 module instances"))
        .collect();
    assert_eq!(capped.len(), 1, "reported once: {errors:?}");
    assert_eq!((capped[0].0.as_str(), capped[0].1), ("m/main.tf", 1));
}

#[test]
fn resource_instances_stop_at_the_item_cap() {
    let dir = tempfile::tempdir().unwrap();
    let tf: String = (0..100)
        .map(|i| format!("resource \"aws_s3_bucket\" \"b{i}\" {{\n  count  = 10000\n  bucket = \"b{i}-${{count.index}}\"\n}}\n"))
        .collect();
    write(dir.path(), "main.tf", tf);
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    assert_eq!(
        errors
            .iter()
            .map(|e| (
                e.0.as_str(),
                e.1,
                e.2.contains("more than 50000 resource instances")
            ))
            .collect::<Vec<_>>(),
        [("main.tf", 21, true)],
        "the sixth resource's instances go past the cap"
    );
    assert_eq!(report["summary"]["resources"], 50_000);
}

#[test]
fn merge_and_distinct_over_large_collections_take_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000 entries: comparing each with every earlier one would take hours.
    write(
        dir.path(),
        "main.tf",
        r#"locals {
  maps   = [for i in range(10) : { for j in range(10000) : "${i}-${j}" => j }]
  merged = merge(local.maps...)
  unique = distinct(flatten([for i in range(10) : range(10000)]))
}
resource "aws_s3_bucket" "merged" {
  count  = length(local.merged) / 10000
  bucket = "merged-${count.index}"
}
resource "aws_s3_bucket" "unique" {
  count  = length(local.unique) / 1000
  bucket = "unique-${count.index}"
}
"#,
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    assert_eq!(code, 1, "{}", report["diagnostics"]);
    let buckets = resources_of(&report, "aws_s3_bucket.");
    let count = |name: &str| instances(&buckets, &format!("aws_s3_bucket.{name}"));
    assert_eq!((count("merged"), count("unique")), (10, 10), "{buckets:?}");
}

#[test]
fn text_functions_are_charged_before_they_build() {
    let dir = tempfile::tempdir().unwrap();
    let spec = r#"join("", [for i in range(10000) : "xxxxxxxxxx"])"#;
    let text = r#"join("", [for i in range(1000) : "abcdefghij"])"#;
    for (name, expr) in [
        // A billion billion spaces on each line.
        ("indent", "indent(1000000000000000000, \"a\\nb\")".to_string()),
        // A 100 KB format for each of 10,000 items.
        ("formatlist", format!("formatlist({spec}, range(10000))")),
        // The empty regex matches between every character: the text goes in 10,001 times.
        ("regex", format!("replace({text}, \"/(?:)/\", {text})")),
    ] {
        write(
            dir.path(),
            &format!("{name}/main.tf"),
            format!("locals {{\n  x = {expr}\n}}\noutput \"x\" {{\n  value = local.x\n}}\n"),
        );
    }
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let mut errors: Vec<(String, u64, bool)> = errors(&report)
        .into_iter()
        .map(|e| (e.0, e.1, e.2.contains("bytes of text")))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("formatlist/main.tf".to_string(), 2, true),
            ("indent/main.tf".to_string(), 2, true),
            ("regex/main.tf".to_string(), 2, true),
        ]
    );
}

#[test]
fn dynamic_blocks_past_the_instance_limit_are_an_error_not_a_silent_cut() {
    let dir = tempfile::tempdir().unwrap();
    // 10,001 ingress rules: the last one (SSH from anywhere) must not vanish
    // behind a silent cut at 10,000.
    write(
        dir.path(),
        "main.tf",
        r#"locals {
  ports = concat([for i in range(10000) : 1000 + i], [22])
}
resource "aws_security_group" "many" {
  name = "many"
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"#,
    );
    let (code, report) = scan_json(dir.path(), &["--check", "PF-VPC-01"]);
    assert_eq!(code, 2, "{}", report["diagnostics"]);
    let errors = errors(&report);
    assert!(
        errors
            .iter()
            .any(|e| e.0 == "main.tf" && e.1 == 6 && e.2.contains("over the 10000 instance limit")),
        "{errors:?}"
    );
    // The group is not passed: its rules are unknown.
    let verdicts: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["id"] == "aws_security_group.many")
        .filter_map(|f| f["verdict"].as_str())
        .collect();
    assert_eq!(verdicts, ["unknown"], "{}", report["findings"]);
}
