use std::path::Path;

use super::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cdk/cdk.out")
}

/// Copies the fixture assembly, letting `edit` rewrite each JSON file's text.
fn edited_copy(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![(fixture(), dir.path().to_path_buf())];
    while let Some((from, to)) = stack.pop() {
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(&from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                stack.push((entry.path(), target));
            } else {
                let name = entry.file_name().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(entry.path()).unwrap();
                std::fs::write(target, edit(&name, text)).unwrap();
            }
        }
    }
    dir
}

#[test]
fn reads_stacks_stages_and_nested_stacks_with_traces() {
    let (templates, problems) = templates(&fixture(), 1 << 20);
    assert!(problems.is_empty(), "{problems:?}");
    // In manifest order: the stage's stacks first, each followed by its nested stacks.
    let stacks: Vec<&str> = templates.iter().map(|t| t.stack.as_str()).collect();
    assert_eq!(
        stacks,
        ["Prod/App", "Prod/App/Network", "DevApp", "DevApp/Network"]
    );
    let dev = &templates[2];
    assert_eq!(
        dev.traces
            .get("DevApp/DataKey/Resource")
            .map(|l| (l.path.clone(), l.pos.line)),
        Some((PathBuf::from("app/app.js"), 22))
    );
}

#[test]
fn nested_stacks_are_found_through_the_asset_manifest_without_asset_metadata() {
    let dir = edited_copy(|name, text| {
        if name.ends_with(".template.json") {
            text.replace("\"aws:asset:path\"", "\"removed:asset:path\"")
        } else {
            text
        }
    });
    let (templates, problems) = templates(dir.path(), 1 << 20);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(templates.len(), 4, "{templates:?}");
    assert!(
        templates[3]
            .path
            .ends_with("DevAppNetwork0636D2A2.nested.template.json")
    );
    assert!(
        templates[1]
            .path
            .ends_with("ProdAppNetwork54C7A7F6.nested.template.json")
    );
}

#[test]
fn older_assemblies_keep_traces_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("S.template.json"), r#"{"Resources": {}}"#).unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version": "21.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack",
            "properties": {"templateFile": "S.template.json"},
            "metadata": {"/S/Bucket/Resource": [{"type": "aws:cdk:logicalId", "data": "Bucket83908E77",
              "trace": ["new Bucket (/p/node_modules/aws-cdk-lib/aws-s3/lib/bucket.js:1:1)",
                        "new S (/home/me/app/lib/s.ts:12:5)"]}]}}}}"#,
    )
    .unwrap();
    let (templates, problems) = templates(dir.path(), 1 << 20);
    assert!(problems.is_empty(), "{problems:?}");
    let line = templates[0].traces.get("S/Bucket/Resource").expect("a trace");
    assert_eq!(line.path, PathBuf::from("/home/me/app/lib/s.ts"));
    assert_eq!((line.pos.line, line.pos.col), (12, 5));
}

#[test]
fn stage_nesting_and_escapes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // A stage assembly that names itself: refused after MAX_NESTING levels.
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version": "55.0.0", "artifacts": {"Loop": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}},
            "Out": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "/etc/passwd"}}}}"#,
    )
    .unwrap();
    let (templates, problems) = templates(dir.path(), 1 << 20);
    assert!(templates.is_empty());
    assert!(
        problems.iter().any(|(_, d)| d.message.contains("nest deeper")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|(_, d)| d.message.contains("outside the cloud assembly"))
    );
}

#[test]
fn a_broken_template_is_one_problem_and_no_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("S.template.json"), "{\"Resources\": ").unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version": "55.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}"#,
    )
    .unwrap();
    let (templates, problems) = templates(dir.path(), 1 << 20);
    assert!(templates.is_empty());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].0.ends_with("S.template.json"));
}
