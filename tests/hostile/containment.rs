//! Nothing from the input is executed, fetched or followed outside the scan
//! root: module sources, `file()`, symlinks (loops included).

use super::{diagnostics, findings, scan_json, write};

#[test]
fn module_sources_outside_the_scanned_tree_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret/main.tf",
        "resource \"aws_s3_bucket\" \"secret\" {}\n",
    );
    let scanned = tempfile::tempdir().unwrap();
    let relative = pathdiff(outside.path().join("secret").as_path(), scanned.path());
    write(
        scanned.path(),
        "main.tf",
        format!(
            "module \"escape\" {{\n  source = \"{relative}\"\n}}\nmodule \"remote\" {{\n  source = \"git::https://example.com/x.git\"\n}}\n"
        ),
    );
    let (_, report) = scan_json(scanned.path(), &[]);
    assert!(findings(&report).is_empty(), "{report}");
    let diags = diagnostics(&report);
    assert!(diags.iter().any(|d| d.4.contains("module escape")), "{diags:?}");
    assert!(diags.iter().any(|d| d.4.contains("module remote")), "{diags:?}");
    assert_eq!(report["summary"]["files"], 1, "only the scanned tree is read");
}

/// A relative path from `base` to `target` (both absolute, on one drive),
/// through `..`, with `/` as Terraform writes it on every system.
fn pathdiff(target: &std::path::Path, base: &std::path::Path) -> String {
    use std::path::Component::Normal;
    let names = |p: &std::path::Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    format!("{}{}", "../".repeat(names(base).len()), names(target).join("/"))
}

#[test]
fn file_functions_read_nothing_outside_the_scan_root() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"/etc/passwd\")\n}\nresource \"aws_iam_role_policy\" \"q\" {\n  role = \"r\"\n  policy = templatefile(\"../../x.json\", {})\n}\nresource \"aws_iam_role_policy\" \"inside\" {\n  role = \"r\"\n  policy = file(\"${path.module}/admin.json\")\n}\n",
    );
    write(
        dir.path(),
        "admin.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let (_, report) = scan_json(dir.path(), &["--check", "PF-IAM-01"]);
    let verdict = |address: &str| -> (String, String) {
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["id"] == address)
            .unwrap_or_else(|| panic!("no finding for {address}: {report}"));
        (
            finding["verdict"].as_str().unwrap().to_string(),
            finding["message"].as_str().unwrap().to_string(),
        )
    };
    for outside in ["aws_iam_policy.p", "aws_iam_role_policy.q"] {
        let (verdict, message) = verdict(outside);
        assert_eq!(verdict, "unknown", "{message}");
        assert!(message.contains("outside the scanned directory"), "{message}");
    }
    // A file inside the scanned directory is read and judged.
    assert_eq!(verdict("aws_iam_role_policy.inside").0, "fail");
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_loops_terminate() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "template.yaml", super::GOOD_TEMPLATE);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real/template.yaml", super::GOOD_TEMPLATE);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("real/loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("template.yaml"), dir.path().join("link.yaml")).unwrap();
    let (_, report) = scan_json(dir.path(), &["--check", "PF-S3-08"]);
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["real/template.yaml"], "{report}");
}
