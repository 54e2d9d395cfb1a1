//! The real-world corpus (`../shared/corpus/cloudformation`): every template
//! is read without a panic, and every input error is a real problem of that
//! file (CloudFormation itself rejects it), never a gap of ours.

mod support;

use preflight::diagnostics::Level;
use preflight::scan::ScanReport;
use support::{relative_to, scan_with, shared};

/// Scans a corpus with every built-in check; files are named relative to it.
fn scan_corpus(corpus: &std::path::Path) -> ScanReport {
    let (report, _) = scan_with(&[corpus.to_path_buf()], &[], Default::default());
    relative_to(report, corpus)
}

/// SAM templates with duplicate keys: the SAM CLI takes the last value, so
/// they are scanned that way, with a warning at the second key.
const SAM_DUPLICATES: &[&str] = &[
    "serverless-patterns/apigw-ec2/template.yaml",
    "serverless-patterns/appsync-dynamodb-singletable/template.yaml",
    "serverless-patterns/cloudfront-lambda-url-rust/template.yml",
    "serverless-patterns/cognito-sns-sms-origination-id-sam/template.yaml",
    "serverless-patterns/msk-lambda-schema-avro-java-sam/template_original.yaml",
    "serverless-patterns/public-nlb-or-alb-private-api-cfn/template.yaml",
];

/// The corpus files CloudFormation rejects, with why. Any other error is ours.
const KNOWN_BAD: &[(&str, &str)] = &[
    (
        "aws-service-catalog-reference-architectures/blog_content/sagemaker-selfservice/sagemaker-selfservice-url/Network.yaml",
        "duplicate key \"VpcId\"",
    ),
    (
        "aws-service-catalog-reference-architectures/blog_content/sagemaker-selfservice/sagemaker-selfservice-url/portfolio.yaml",
        "duplicate key \"MLDataPrepLaunchConstraint\"",
    ),
    (
        "aws-service-catalog-reference-architectures/blog_content/securing-third-party-data-and-ml-apps/s3_iam_kms.yaml",
        "duplicate key \"AWS\"",
    ),
    (
        "awslabs-aws-cloudformation-templates/aws/services/ServiceCatalog/Portfolio.yaml",
        "duplicate key \"Key\"",
    ),
    (
        "awslabs-aws-cloudformation-templates/aws/solutions/CloudFrontCustomOriginLambda@Edge/CloudFront.yaml",
        "duplicate key \"EC2InstanceSGID\"",
    ),
    (
        "cfn101-workshop/code/workspace/looping-over-collections/s3-buckets.yaml",
        "Resources is empty",
    ),
    (
        "cfn101-workshop/code/workspace/nested-stacks/iam.yaml",
        "Resources is empty",
    ),
    (
        "cfn101-workshop/code/workspace/nested-stacks/main.yaml",
        "Resources is empty",
    ),
    (
        "serverless-patterns/cloudfront-failover-apigw-http-api-lambda-rust/cloudfront.yml",
        "duplicate key \"Name\"",
    ),
];

#[test]
fn the_cloudformation_corpus_scans_without_gaps() {
    let Some(corpus) = shared("corpus/cloudformation") else {
        return;
    };
    let report = scan_corpus(&corpus);
    let errors: Vec<(String, String)> = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
        .map(|d| {
            (
                d.file.clone(),
                format!("{}: {}", d.diagnostic.pos, d.diagnostic.message),
            )
        })
        .collect();
    for (file, message) in &errors {
        println!("corpus input error: {file}:{message}");
    }
    let unexpected: Vec<&(String, String)> = errors
        .iter()
        .filter(|(file, message)| {
            !KNOWN_BAD
                .iter()
                .any(|(f, why)| f == file && message.contains(why))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "errors that are gaps of ours: {unexpected:#?}"
    );
    assert_eq!(
        errors.len(),
        KNOWN_BAD.len(),
        "every known-bad file is still reported"
    );
    // 1,045 templates: every one is scanned, or failed to parse (the duplicate keys).
    let unparsed = KNOWN_BAD
        .iter()
        .filter(|(_, why)| why.starts_with("duplicate key"))
        .count();
    assert_eq!(report.files.len() + unparsed, 1045);
    assert!(report.resources > 6000, "{} resources", report.resources);
    // SAM templates and Transform sections are read, not rejected.
    assert!(
        report
            .files
            .iter()
            .any(|f| f.path.starts_with("serverless-patterns/"))
    );
}

/// SAM templates (`Transform: AWS::Serverless-2016-10-31`): every one is
/// scanned without an error, and the serverless resources are checked
/// as the CloudFormation resources the transform makes of them.
#[test]
fn sam_templates_are_lowered_and_checked() {
    let Some(corpus) = shared("corpus/cloudformation") else {
        return;
    };
    let mut sam_files = Vec::new();
    let mut stack = vec![corpus.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains("AWS::Serverless-2016-10-31")) {
                let relative = path.strip_prefix(&corpus).expect("below corpus");
                sam_files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    assert_eq!(sam_files.len(), 234, "the corpus's SAM templates");
    let report = scan_corpus(&corpus);
    let scanned: std::collections::HashSet<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    let missing: Vec<&String> = sam_files
        .iter()
        .filter(|f| !scanned.contains(f.as_str()))
        .collect();
    assert!(missing.is_empty(), "SAM templates not scanned: {missing:#?}");
    let sam_errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error && sam_files.contains(&d.file))
        .collect();
    assert!(sam_errors.is_empty(), "{sam_errors:#?}");
    for file in SAM_DUPLICATES {
        assert!(
            report.diagnostics.iter().any(|d| d.file == *file
                && d.diagnostic.level == Level::Warning
                && d.diagnostic.message.contains("SAM CLI keeps the last value")),
            "{file}: duplicate key warning"
        );
    }
    let serverless_findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.source_type.as_deref() == Some("AWS::Serverless::Function"))
        .collect();
    assert!(
        serverless_findings.iter().any(|f| f.check_id == "PF-LMB-02"),
        "deprecated runtimes of SAM functions are found"
    );
    // Every SAM finding points into the template the user wrote, at a real line.
    assert!(serverless_findings.iter().all(|f| f.span.start.line > 0));
}

/// Terraform plans of every format version (0.1 to 1.2, Terraform 0.12 to
/// 1.15): every plan is read, with no input error and no join conflict.
#[test]
fn the_terraform_plan_corpus_scans_without_gaps() {
    let Some(corpus) = shared("corpus/tfplan") else {
        return;
    };
    let report = scan_corpus(&corpus);
    let problems: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}: {}", d.file, d.diagnostic.pos, d.diagnostic.message))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(report.files.len(), 221, "every plan of the corpus is recognised");
    assert!(report.files.iter().all(|f| f.format == "terraform-plan"));
    assert!(report.resources > 450, "{} resources", report.resources);
    assert!(
        report.tally.fail > 100 && report.tally.pass > 300,
        "{:?}",
        report.tally
    );
}

/// Terraform modules (`.tf`) of six terraform-aws-modules repositories and
/// serverless-patterns: every file is read without an input error; module
/// calls are followed, so each file is listed once.
#[test]
fn the_terraform_module_corpus_scans_without_gaps() {
    let Some(corpus) = shared("corpus/terraform") else {
        return;
    };
    let report = scan_corpus(&corpus);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
        .map(|d| format!("{}:{}: {}", d.file, d.diagnostic.pos, d.diagnostic.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let inputs = walk_count(&corpus, "tf") + walk_count(&corpus, "tfvars");
    assert_eq!(
        report.files.len(),
        inputs,
        "every .tf (and .tfvars) file is read exactly once"
    );
    assert!(report.resources > 1200, "{} resources", report.resources);
    // Remote module sources are never fetched; each is noted, not an error.
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.message.contains("is not fetched"))
    );
}

fn walk_count(dir: &std::path::Path, extension: &str) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .map(|p| {
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == ".terraform") {
                    0
                } else {
                    walk_count(&p, extension)
                }
            } else {
                usize::from(p.extension().is_some_and(|e| e == extension))
            }
        })
        .sum()
}

/// The real-world sample committed in `tests/corpus-sample/` (its
/// SOURCES.md names each file's source and licence): CloudFormation, SAM,
/// Terraform modules and plans, scanned in every clone. Its only input error
/// is the one CloudFormation makes too (an empty `Resources`), its only
/// warning the SAM CLI's duplicate key, and what each file yields is pinned
/// by a snapshot (`tests/snapshots/corpus__corpus_sample.snap`; a change of a
/// check or reader that moves it is reviewed and accepted with
/// `INSTA_UPDATE=always cargo test --test corpus`, or `cargo insta review`).
#[test]
fn the_committed_corpus_sample_scans_as_recorded() {
    // As `preflight scan tests/corpus-sample` scans it: every built-in check,
    // but not the account-baseline profile's (they would judge the sample as
    // one account). Relative: the tests run in the repository.
    let sample = std::path::Path::new("tests/corpus-sample");
    let registry = preflight::checks::Registry::builtin().expect("built-in checks load");
    let options = preflight::scan::ScanOptions {
        paths: vec![sample.to_path_buf()],
        ..Default::default()
    };
    let report = relative_to(
        preflight::scan::scan(&options, &registry).expect("scan runs"),
        sample,
    );
    let diagnostics: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{:?} {}:{}: {}",
                d.diagnostic.level, d.file, d.diagnostic.pos, d.diagnostic.message
            )
        })
        .collect();
    let errors: Vec<&String> = diagnostics.iter().filter(|d| d.starts_with("Error")).collect();
    assert_eq!(
        errors,
        [
            "Error cloudformation/cfn101-workshop/code/workspace/nested-stacks/iam.yaml:5:10: Resources is empty: CloudFormation needs at least one resource"
        ],
        "the one input error CloudFormation makes too"
    );
    assert!(
        KNOWN_BAD
            .iter()
            .any(|(file, why)| errors[0].contains(file) && errors[0].contains(why)),
        "the sample's bad file is one of the corpus's known-bad files"
    );
    let formats: std::collections::BTreeSet<&str> = report.files.iter().map(|f| f.format).collect();
    assert!(formats.len() >= 3, "{formats:?}");

    let mut text = String::new();
    for (index, file) in report.files.iter().enumerate() {
        let mut failed: std::collections::BTreeMap<&str, usize> = Default::default();
        let mut unknown = 0;
        for finding in report.findings.iter().filter(|f| f.file == index) {
            match finding.verdict {
                preflight::findings::Verdict::Fail => *failed.entry(&finding.check_id).or_default() += 1,
                preflight::findings::Verdict::Unknown => unknown += 1,
                _ => {}
            }
        }
        let failed: Vec<String> = failed
            .iter()
            .map(|(id, n)| {
                if *n == 1 {
                    id.to_string()
                } else {
                    format!("{id} x{n}")
                }
            })
            .collect();
        text.push_str(&format!(
            "{} ({}, {} resources): {} unknown; failed {}\n",
            file.path,
            file.format,
            file.resources,
            unknown,
            if failed.is_empty() {
                "none".to_string()
            } else {
                failed.join(", ")
            }
        ));
    }
    text.push_str(&format!(
        "\n{} files, {} resources; {:?}\n\n",
        report.files.len(),
        report.resources,
        report.tally
    ));
    for line in &diagnostics {
        text.push_str(line);
        text.push('\n');
    }
    // The JSON twin of a YAML template yields the same findings.
    let yields = |file: &str| -> String {
        let line = text.lines().find(|l| l.starts_with(file)).expect("scanned");
        line[line.find("resources)").expect("counts")..].to_string()
    };
    let twin = "cloudformation/aws-cloudformation-templates/EC2/EC2InstanceWithSecurityGroupSample";
    assert_eq!(yields(&format!("{twin}.json")), yields(&format!("{twin}.yaml")));
    insta::assert_snapshot!("corpus_sample", text);
}
