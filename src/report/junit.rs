//! JUnit XML (`--format junit`) for the test reports of GitLab, Jenkins and
//! Azure DevOps.
//!
//! The shape: one `<testsuite>` per check that judged something, named by
//! the check's id and title, holding
//! - one `<testcase>` per finding: `<failure>` for a failure (message, and
//!   `file:line:col` with the details as its text), `<skipped>` for an
//!   unknown verdict (with the reason) and for a suppressed finding (with
//!   the justification);
//! - one passing `<testcase name="passing resources">` when the check passed
//!   on some resources (how many is in its `<system-out>`; the scan keeps
//!   counts, not the passing resources one by one);
//! - for an account-baseline check (`--profile account-baseline`), one
//!   `account baseline` case for its conclusion over the run when that is
//!   not a failure (which is a finding): passing, or skipped when not
//!   evaluable or waived, with the reason;
//!
//! and, first, a `preflight inputs` suite with an `<error>` test case per
//! input that could not be read or parsed.
//!
//! Why this shape: GitLab lists a report by test suite and shows each test
//! case's `classname`, `name`, `file` and failure text; Jenkins groups by
//! `classname` (package `preflight`, class the check id); Azure DevOps names
//! a result `classname.name` inside its suite. A suite per check keeps one
//! check's results together in all three. Test case names are the resource
//! and its file, never a line number (only findings that would otherwise
//! share a name add their position), so they stay the same when code
//! moves: GitLab's merge-request widget and Jenkins' history match test
//! cases by name across runs, and a finding that persists is not reported
//! as fixed and new again.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::checks::Registry;
use crate::checks::deployment::{BaselineResult, BaselineVerdict};
use crate::diagnostics::Level;
use crate::findings::{Finding, Verdict};
use crate::scan_report::ScanReport;

/// One test case, before it is written.
struct Case {
    name: String,
    classname: String,
    file: Option<String>,
    line: Option<u32>,
    outcome: Outcome,
}

enum Outcome {
    Pass {
        output: String,
    },
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    Skipped {
        message: String,
    },
    Error {
        message: String,
        text: String,
    },
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn count(&self, keep: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| keep(&c.outcome)).count()
    }
}

/// Writes the JUnit XML report.
pub fn write(report: &ScanReport, registry: &Registry, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report, registry);
    let total = |keep: &dyn Fn(&Outcome) -> bool| -> usize { suites.iter().map(|s| s.count(keep)).sum() };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="preflight" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
        total(&|_| true),
        total(&|o| matches!(o, Outcome::Failure { .. })),
        total(&|o| matches!(o, Outcome::Error { .. })),
        total(&|o| matches!(o, Outcome::Skipped { .. })),
    )?;
    for suite in &suites {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
            escape(&suite.name),
            suite.cases.len(),
            suite.count(|o| matches!(o, Outcome::Failure { .. })),
            suite.count(|o| matches!(o, Outcome::Error { .. })),
            suite.count(|o| matches!(o, Outcome::Skipped { .. })),
        )?;
        for case in &suite.cases {
            write!(
                out,
                r#"    <testcase name="{}" classname="{}""#,
                escape(&case.name),
                escape(&case.classname)
            )?;
            if let Some(file) = &case.file {
                write!(out, r#" file="{}""#, escape(file))?;
            }
            if let Some(line) = case.line {
                write!(out, r#" line="{line}""#)?;
            }
            match &case.outcome {
                Outcome::Pass { output } => writeln!(
                    out,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    text(output)
                )?,
                Outcome::Failure { message, kind, text } => writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    escape(message),
                    escape(kind),
                    self::text(text)
                )?,
                Outcome::Skipped { message } => writeln!(
                    out,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape(message)
                )?,
                Outcome::Error { message, text } => writeln!(
                    out,
                    ">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                    escape(message),
                    self::text(text)
                )?,
            }
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn suites(report: &ScanReport, registry: &Registry) -> Vec<Suite> {
    let mut suites = Vec::new();
    let errors: Vec<Case> = report
        .diagnostics
        .iter()
        .filter(|d| d.diagnostic.level == Level::Error)
        .map(|d| Case {
            name: d.file.clone(),
            classname: "preflight.inputs".to_string(),
            file: Some(d.file.clone()),
            line: Some(d.diagnostic.pos.line),
            outcome: Outcome::Error {
                message: d.diagnostic.message.clone(),
                text: format!("{}:{}: {}", d.file, d.diagnostic.pos, d.diagnostic.message),
            },
        })
        .collect();
    if !errors.is_empty() {
        suites.push(Suite {
            name: "preflight inputs".to_string(),
            cases: errors,
        });
    }
    for (index, check) in registry.checks().iter().enumerate() {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.check == index).collect();
        let passed = report.by_check.get(index).map_or(0, |t| t.pass);
        // An account-baseline check's conclusion over the whole run; a
        // failure is also a finding, so only the other verdicts add a case.
        let concluded: Vec<&BaselineResult> = report
            .baseline
            .results
            .iter()
            .filter(|r| r.check == index && r.verdict != BaselineVerdict::Fail)
            .collect();
        if findings.is_empty() && passed == 0 && concluded.is_empty() {
            continue;
        }
        let classname = format!("preflight.{}", check.id);
        let names: Vec<String> = findings.iter().map(|f| case_name(report, f)).collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for name in &names {
            *seen.entry(name.as_str()).or_default() += 1;
        }
        let mut cases: Vec<Case> = findings
            .iter()
            .zip(&names)
            .map(|(f, name)| {
                let file = &report.files[f.file].path;
                let name = if seen[name.as_str()] > 1 {
                    format!("{name} at {}", f.span.start)
                } else {
                    name.clone()
                };
                Case {
                    name,
                    classname: classname.clone(),
                    file: Some(file.clone()),
                    line: Some(f.span.start.line),
                    outcome: outcome(report, registry, f),
                }
            })
            .collect();
        if passed > 0 {
            cases.push(Case {
                name: "passing resources".to_string(),
                classname: classname.clone(),
                file: None,
                line: None,
                outcome: Outcome::Pass {
                    output: format!("{passed} resource(s) pass {}", check.id),
                },
            });
        }
        cases.extend(concluded.into_iter().map(|r| {
            Case {
                name: "account baseline".to_string(),
                classname: classname.clone(),
                file: r
                    .evidence
                    .as_ref()
                    .map(|e| report.files[e.resource_file].path.clone()),
                line: None,
                outcome: match r.verdict {
                    BaselineVerdict::Pass => Outcome::Pass {
                        output: r.message.clone(),
                    },
                    verdict => Outcome::Skipped {
                        message: format!("{}: {}", verdict.label(), r.message),
                    },
                },
            }
        }));
        suites.push(Suite {
            name: format!("{} {}", check.id, check.title),
            cases,
        });
    }
    suites
}

/// The resource (and the one the finding sits in, when another) and its file.
fn case_name(report: &ScanReport, f: &Finding) -> String {
    let subject = match &f.located_in {
        Some(holder) => format!("{holder}, for {}", f.resource_id),
        None => f.resource_id.clone(),
    };
    format!(
        "{subject} ({}) in {}",
        f.source_type.as_deref().unwrap_or(&f.resource_type),
        report.files[f.file].path
    )
}

fn outcome(report: &ScanReport, registry: &Registry, f: &Finding) -> Outcome {
    let check = &registry.checks()[f.check];
    let location = format!("{}:{}", report.files[f.file].path, f.span.start);
    if let Some(s) = &f.suppression {
        return Outcome::Skipped {
            message: format!(
                "suppressed ({}): {} [{location}: {}]",
                s.kind.as_str(),
                s.justification,
                f.message
            ),
        };
    }
    if f.verdict == Verdict::Unknown {
        return Outcome::Skipped {
            message: format!("unknown before deploy: {} [{location}]", f.message),
        };
    }
    let mut text = format!(
        "{location}\n{} {}\n{} ({}): {}",
        check.id,
        check.title,
        f.resource_id,
        f.source_type.as_deref().unwrap_or(&f.resource_type),
        f.message
    );
    if let Some(holder) = &f.located_in {
        text.push_str(&format!("\nin {holder}"));
    }
    if let Some(c) = &f.conditional {
        text.push_str(&format!("\nonly when {c}"));
    }
    for r in &f.related {
        text.push_str(&format!(
            "\nrelated: {}:{} {}",
            report.files[r.file].path, r.span.start, r.message
        ));
    }
    if let Some(cdk) = &f.cdk {
        text.push_str(&format!(
            "\nconstruct {} in stack {}",
            cdk.construct_path, cdk.stack
        ));
        if let Some((file, pos)) = &cdk.source {
            text.push_str(&format!(", created at {file}:{pos}"));
        }
    }
    let fix = f.remediation(check);
    if !fix.is_empty() {
        text.push_str(&format!("\nfix: {fix}"));
    }
    text.push_str(&format!(
        "\nsee: {}/blob/main/{}",
        super::sarif::INFORMATION_URI,
        check.source
    ));
    Outcome::Failure {
        message: format!("{location}: {}", f.message),
        kind: f.severity.as_str().to_string(),
        text,
    }
}

/// Text as an attribute value: the five markup characters escaped, line
/// breaks and tabs as character references (a parser folds raw ones into
/// spaces), and what XML 1.0 cannot hold at all replaced.
pub fn escape(text: &str) -> String {
    xml(text, true)
}

/// Text as element content: markup escaped, line breaks kept as they are.
pub fn text(text: &str) -> String {
    xml(text, false)
}

/// Characters XML 1.0 cannot hold even as references (control characters
/// other than tab and line breaks, U+FFFE and U+FFFF; a `str` holds no lone
/// surrogates) become U+FFFD.
fn xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, text};

    #[test]
    fn escaping_leaves_no_markup_and_nothing_xml_cannot_hold() {
        assert_eq!(text("a < b && \"c\"\nd\r"), "a &lt; b &amp;&amp; \"c\"\nd&#13;");
        assert_eq!(text("nul\u{0}"), "nul\u{fffd}");
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\nb\tc\r"), "a&#10;b&#9;c&#13;");
        assert_eq!(
            escape("bell\u{7} nul\u{0} \u{ffff}"),
            "bell\u{fffd} nul\u{fffd} \u{fffd}"
        );
        assert_eq!(escape("ünïcødé ✓ 𝄞"), "ünïcødé ✓ 𝄞");
    }
}
