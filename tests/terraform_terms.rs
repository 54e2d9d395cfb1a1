//! Terraform findings speak Terraform: over every check's Terraform
//! fixtures (HCL modules and plans), no message and no remediation names a
//! CloudFormation property of the judged resource's type — the user reads
//! `publicly_accessible`, never `PubliclyAccessible`.
//!
//! Names a Terraform user writes as they are are not CloudFormation's: the
//! grammar of IAM policy documents (`Principal`, `Action`, ... written in
//! `jsonencode`/heredoc JSON) and the fields of the check language's views
//! (documented in docs/checks.md).

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use preflight::checks::compile::schema::{self, Shape};
use preflight::findings::Verdict;
use support::{root, scan_with};

/// Words of documents Terraform users write as JSON with the same names.
const DOCUMENT_GRAMMAR: &[&str] = &[
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Fields of the check language's views (`entries()`, `ingress_rules()`).
const VIEW_FIELDS: &[&str] = &["Key", "Value", "Protocol", "FromPort", "ToPort"];

/// Every property name (at any depth) of a CloudFormation type that a
/// Terraform user would not write as is: names with a capital after the
/// first letter, or capitalised single words.
fn property_names(shape: &Shape, into: &mut BTreeSet<String>) {
    match shape {
        Shape::Object(fields) => {
            for (name, inner) in fields {
                into.insert(name.clone());
                property_names(inner, into);
            }
        }
        Shape::List(inner) | Shape::Map(inner) => property_names(inner, into),
        _ => {}
    }
}

/// The words of a message a reader takes for names: quoted values, resource
/// addresses and regular expressions left out.
fn name_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut in_quotes = false;
    let mut in_regex = false;
    let mut word = String::new();
    let mut previous = ' ';
    let flush = |word: &mut String, words: &mut Vec<String>| {
        // Addresses (`aws_s3_bucket.Logs`) and references keep the user's own names.
        let is_address = word.starts_with("aws_") || word.starts_with("data.") || word.starts_with("var.");
        if !word.is_empty() && !is_address {
            words.extend(
                word.split(['.', '[', ']', '*'])
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
        word.clear();
    };
    for c in text.chars() {
        match c {
            '"' if previous != '\\' => {
                in_quotes = !in_quotes;
                flush(&mut word, &mut words);
            }
            '/' if !in_quotes && (in_regex || previous == ' ') => {
                in_regex = !in_regex;
                flush(&mut word, &mut words);
            }
            _ if in_quotes || in_regex => {}
            c if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '*') => word.push(c),
            _ => flush(&mut word, &mut words),
        }
        previous = c;
    }
    flush(&mut word, &mut words);
    words
}

fn terraform_fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".hcl") || name.ends_with(".plan.json")
        })
        .collect();
    found.sort();
    found
}

#[test]
fn terraform_findings_name_no_cloudformation_property() {
    let schemas = schema::builtin();
    let mut offending = Vec::new();
    let mut judged = 0usize;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let check = dir.file_name().unwrap().to_string_lossy().to_string();
        for fixture in terraform_fixtures(&dir) {
            let (report, registry) = scan_with(std::slice::from_ref(&fixture), &[&check], Default::default());
            for finding in &report.findings {
                if finding.verdict == Verdict::Pass || finding.source_type.is_none() {
                    continue;
                }
                judged += 1;
                let mut names = BTreeSet::new();
                if let Some(tree) = schemas.tree(&finding.resource_type) {
                    property_names(&tree, &mut names);
                }
                let spoken = |name: &str| {
                    DOCUMENT_GRAMMAR.contains(&name)
                        || VIEW_FIELDS.contains(&name)
                        // Lower-case names are Terraform's own (and plain words).
                        || !name.starts_with(|c: char| c.is_ascii_uppercase())
                };
                let check_def = &registry.checks()[finding.check];
                for (what, text) in [
                    ("message", finding.message.as_str()),
                    ("help", finding.remediation(check_def)),
                ] {
                    let leaked: Vec<String> = name_words(text)
                        .into_iter()
                        .filter(|w| {
                            names.contains(w)
                                && !spoken(w)
                                && w.chars().skip(1).any(|c| c.is_ascii_uppercase())
                        })
                        .collect();
                    if !leaked.is_empty() {
                        offending.push(format!(
                            "{check} {}: {} {what} names {}: {text}",
                            fixture.file_name().unwrap().to_string_lossy(),
                            finding.resource_id,
                            leaked.join(", ")
                        ));
                    }
                }
            }
        }
    }
    assert!(
        judged > 100,
        "only {judged} Terraform findings judged: fixtures not found?"
    );
    assert!(
        offending.is_empty(),
        "{} Terraform findings use CloudFormation names:\n{}",
        offending.len(),
        offending.join("\n")
    );
}

#[test]
fn words_of_a_message_leave_out_values_and_addresses() {
    assert_eq!(
        name_words(r#"aws_s3_bucket.Logs: StorageEncrypted is "Enabled"; expected to match /^Policy-Min/"#),
        vec!["StorageEncrypted", "is", "expected", "to", "match"]
    );
}
