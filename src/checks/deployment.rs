//! The account-baseline profile (`catalog.md` section 3, BASELINE-VERDICT):
//! deployment-scope checks ask whether *something* in the whole run
//! qualifies ("a multi-region trail exists", "an alarm chain for root usage
//! exists"), so their per-resource verdicts are evidence, concluded here once
//! over every file scanned.

use crate::checks::Registry;
use crate::findings::{Finding, Verdict};

/// A deployment-scope check declared satisfied outside the scanned code
/// (`[baseline] external` in the config file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// Check id or slug.
    pub check: String,
    pub reason: String,
}

/// The baseline verdict of one deployment-scope check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineVerdict {
    /// Qualifying evidence was found.
    Pass,
    /// Nothing qualifies although the scanned formats could express it.
    Fail,
    /// The deciding value is unresolvable, or no scanned format can express it.
    NotEvaluable,
    /// Declared provided elsewhere.
    Waived,
}

impl BaselineVerdict {
    /// The upper-case name reports show.
    pub fn label(self) -> &'static str {
        match self {
            BaselineVerdict::Pass => "PASS",
            BaselineVerdict::Fail => "FAIL",
            BaselineVerdict::NotEvaluable => "NOT_EVALUABLE",
            BaselineVerdict::Waived => "WAIVED",
        }
    }
}

/// One deployment-scope check's conclusion over the run.
#[derive(Debug, Clone)]
pub struct BaselineResult {
    /// Index of the check in the registry.
    pub check: usize,
    pub check_id: String,
    pub verdict: BaselineVerdict,
    /// Why, in one line.
    pub message: String,
    /// The resource that decided it (the qualifying one, or the closest
    /// failing or undecided candidate), as a finding-shaped record.
    pub evidence: Option<Finding>,
}

/// The baseline section of a report.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Whether the profile ran; without it the checks are only counted.
    pub enabled: bool,
    /// Deployment-scope checks skipped because the profile is off.
    pub skipped: usize,
    pub results: Vec<BaselineResult>,
}

/// Concludes every deployment-scope check of `registry` from the evidence of
/// all units. `formats` are the formats of the files scanned (to tell "could
/// not be written here" from "was not written").
pub fn conclude(
    registry: &Registry,
    evidence: &[Finding],
    formats: &[&str],
    waivers: &[Waiver],
) -> Vec<BaselineResult> {
    let mut results = Vec::new();
    for (index, check) in registry.checks().iter().enumerate() {
        if !check.is_deployment() {
            continue;
        }
        let mine: Vec<&Finding> = evidence.iter().filter(|f| f.check == index).collect();
        let result = |verdict, message: String, evidence: Option<&Finding>| BaselineResult {
            check: index,
            check_id: check.id.clone(),
            verdict,
            message,
            evidence: evidence.cloned(),
        };
        let waiver = waivers
            .iter()
            .find(|w| w.check.eq_ignore_ascii_case(&check.id) || w.check.eq_ignore_ascii_case(&check.slug));
        let first = |verdict: Verdict| mine.iter().copied().find(|f| f.verdict == verdict);
        let types = check.resource_types.join(", ");
        results.push(if let Some(w) = waiver {
            result(
                BaselineVerdict::Waived,
                format!("provided outside the scanned code: {}", w.reason),
                None,
            )
        } else if let Some(pass) = first(Verdict::Pass).filter(|f| f.conditional.is_none()) {
            result(
                BaselineVerdict::Pass,
                format!("{} ({}) qualifies", pass.resource_id, pass.resource_type),
                Some(pass),
            )
        } else if let Some(unknown) = first(Verdict::Unknown) {
            result(
                BaselineVerdict::NotEvaluable,
                format!("{}: {}", unknown.resource_id, unknown.message),
                Some(unknown),
            )
        } else if let Some(reason) = inexpressible_everywhere(check, formats) {
            result(
                BaselineVerdict::NotEvaluable,
                reason.to_string(),
                first(Verdict::Fail),
            )
        } else {
            let message = match first(Verdict::Fail) {
                Some(closest) => format!(
                    "no {types} in the scanned code qualifies; closest: {} ({}): {}",
                    closest.resource_id, closest.resource_type, closest.message
                ),
                None => format!("no {types} is declared in the scanned code"),
            };
            result(BaselineVerdict::Fail, message, first(Verdict::Fail))
        });
    }
    results
}

/// The reason when no scanned format can express the check (the first one's).
fn inexpressible_everywhere<'c>(check: &'c crate::checks::Check, formats: &[&str]) -> Option<&'c str> {
    let mut reasons = formats.iter().map(|f| check.inexpressible_in(f));
    let first = reasons.next()??;
    reasons.all(|r| r.is_some()).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Check;
    use crate::checks::Severity;
    use crate::parse::{Pos, Span};

    fn registry() -> Registry {
        let check = "id: PF-T-02\nslug: trail-exists\ntitle: T\nseverity: high\nscope: deployment\n\
                     resource_types: [AWS::CloudTrail::Trail]\nnot_expressible: {terraform: \"no such thing\"}\n\
                     rule: |\n  IsLogging == true\n";
        Registry::from_checks(vec![Check::from_yaml("t.yaml", check).unwrap()]).unwrap()
    }

    fn evidence(id: &str, verdict: Verdict) -> Finding {
        Finding {
            check: 0,
            check_id: "PF-T-02".into(),
            severity: Severity::High,
            verdict,
            file: 0,
            span: Span::default(),
            resource_id: id.into(),
            resource_type: "AWS::CloudTrail::Trail".into(),
            source_type: None,
            resource_file: 0,
            message: format!("{id} says why"),
            conditional: None,
            cdk: None,
            resource_start: Pos::default(),
            suppression: None,
        }
    }

    #[test]
    fn one_qualifying_resource_anywhere_passes() {
        let found = [evidence("A", Verdict::Fail), evidence("B", Verdict::Pass)];
        let r = conclude(&registry(), &found, &["cloudformation-yaml"], &[]);
        assert_eq!(r[0].verdict, BaselineVerdict::Pass);
        assert!(r[0].message.starts_with("B "), "{}", r[0].message);
    }

    #[test]
    fn nothing_qualifying_fails_unknown_is_not_evaluable_waivers_win() {
        let none = conclude(&registry(), &[], &["cloudformation-yaml"], &[]);
        assert_eq!(none[0].verdict, BaselineVerdict::Fail);
        assert!(none[0].message.contains("is declared"));
        let failing = conclude(&registry(), &[evidence("A", Verdict::Fail)], &["cdk"], &[]);
        assert!(
            failing[0].message.contains("closest: A"),
            "{}",
            failing[0].message
        );
        let unknown = conclude(
            &registry(),
            &[evidence("A", Verdict::Fail), evidence("U", Verdict::Unknown)],
            &["cloudformation-json"],
            &[],
        );
        assert_eq!(unknown[0].verdict, BaselineVerdict::NotEvaluable);
        let waiver = Waiver {
            check: "trail-exists".into(),
            reason: "organization trail".into(),
        };
        let waived = conclude(&registry(), &[], &["cloudformation-yaml"], &[waiver]);
        assert_eq!(waived[0].verdict, BaselineVerdict::Waived);
        assert!(waived[0].message.contains("organization trail"));
    }

    #[test]
    fn formats_that_cannot_express_it_are_not_evaluable_not_failed() {
        let only_tf = conclude(&registry(), &[], &["terraform-plan", "terraform-hcl"], &[]);
        assert_eq!(only_tf[0].verdict, BaselineVerdict::NotEvaluable);
        assert_eq!(only_tf[0].message, "no such thing");
        let mixed = conclude(&registry(), &[], &["terraform-plan", "cloudformation-yaml"], &[]);
        assert_eq!(mixed[0].verdict, BaselineVerdict::Fail);
    }
}
