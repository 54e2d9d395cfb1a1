//! The account-baseline profile (`catalog.md` section 3, BASELINE-VERDICT):
//! deployment-scope checks ask whether *something* in the whole run
//! qualifies ("a multi-region trail exists", "an alarm chain for root usage
//! exists"), so their per-resource verdicts are evidence, concluded here once
//! over every file scanned.

use crate::checks::{Check, Registry};
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
    /// Resources of the account-level types those checks read (a trail, a
    /// Config recorder) found while the profile was off.
    pub account_level: usize,
    pub results: Vec<BaselineResult>,
}

/// What a run's conclusion is relative to.
pub struct Scope<'a> {
    /// The formats of the files scanned (to tell "could not be written here"
    /// from "was not written").
    pub formats: &'a [&'a str],
    pub waivers: &'a [Waiver],
    /// The regions the account uses (configured, else those the inputs deploy
    /// to); empty when unknown.
    pub regions: &'a [String],
}

/// Concludes every deployment-scope check of `registry` from the evidence of
/// all units: once per account, or once per region for `per_region` checks;
/// a `singleton` declared twice in one scope fails whatever else holds.
pub fn conclude(registry: &Registry, evidence: &[Finding], scope: &Scope<'_>) -> Vec<BaselineResult> {
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
        let waiver = scope
            .waivers
            .iter()
            .find(|w| w.check.eq_ignore_ascii_case(&check.id) || w.check.eq_ignore_ascii_case(&check.slug));
        if let Some(w) = waiver {
            results.push(result(
                BaselineVerdict::Waived,
                format!("provided outside the scanned code: {}", w.reason),
                None,
            ));
            continue;
        }
        if let Some((message, at)) = check.singleton.then(|| duplicate(check, &mine)).flatten() {
            results.push(result(BaselineVerdict::Fail, message, Some(at)));
            continue;
        }
        if !check.per_region || scope.regions.is_empty() {
            let (verdict, mut message, at) = judge(check, &mine, scope.formats);
            if check.per_region && verdict != BaselineVerdict::NotEvaluable {
                message
                    .push_str(" (regions unknown: set [baseline] regions or --region to judge each region)");
            }
            results.push(result(verdict, message, at));
            continue;
        }
        // Per region: the worst region decides; every region is listed.
        let mut worst: Option<(BaselineVerdict, Option<&Finding>)> = None;
        let mut parts = Vec::new();
        for region in scope.regions {
            let here: Vec<&Finding> = mine
                .iter()
                .copied()
                .filter(|f| f.region.as_deref() == Some(region.as_str()))
                .collect();
            let unplaced = mine
                .iter()
                .any(|f| f.region.is_none() && f.verdict == Verdict::Pass);
            let (mut verdict, mut message, at) = judge(check, &here, scope.formats);
            if verdict == BaselineVerdict::Fail && unplaced {
                verdict = BaselineVerdict::NotEvaluable;
                message = "a qualifying resource exists, but its region is not known".to_string();
            }
            parts.push(format!("{region}: {} ({message})", verdict.label()));
            let rank = |v: BaselineVerdict| match v {
                BaselineVerdict::Fail => 0,
                BaselineVerdict::NotEvaluable => 1,
                _ => 2,
            };
            if worst.is_none_or(|(w, _)| rank(verdict) < rank(w)) {
                worst = Some((verdict, at));
            }
        }
        let (verdict, at) = worst.unwrap_or((BaselineVerdict::Pass, None));
        results.push(result(verdict, parts.join("; "), at));
    }
    results
}

/// The verdict of one scope's evidence.
fn judge<'f>(
    check: &Check,
    mine: &[&'f Finding],
    formats: &[&str],
) -> (BaselineVerdict, String, Option<&'f Finding>) {
    let first = |verdict: Verdict| mine.iter().copied().find(|f| f.verdict == verdict);
    let types = check.resource_types.join(", ");
    if let Some(pass) = first(Verdict::Pass).filter(|f| f.conditional.is_none()) {
        (
            BaselineVerdict::Pass,
            format!("{} ({}) qualifies", pass.resource_id, pass.resource_type),
            Some(pass),
        )
    } else if let Some(unknown) = first(Verdict::Unknown) {
        (
            BaselineVerdict::NotEvaluable,
            format!("{}: {}", unknown.resource_id, unknown.message),
            Some(unknown),
        )
    } else if let Some(reason) = inexpressible_everywhere(check, formats) {
        (
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
        (BaselineVerdict::Fail, message, first(Verdict::Fail))
    }
}

/// The reason when no scanned format can express the check (the first one's).
fn inexpressible_everywhere<'c>(check: &'c Check, formats: &[&str]) -> Option<&'c str> {
    let mut reasons = formats.iter().map(|f| check.inexpressible_in(f));
    let first = reasons.next()??;
    reasons.all(|r| r.is_some()).then_some(first)
}

/// A singleton declared twice in one scope (region, or the account): the
/// second deployment would fail.
fn duplicate<'f>(check: &Check, mine: &[&'f Finding]) -> Option<(String, &'f Finding)> {
    let mut by_scope: std::collections::BTreeMap<Option<&str>, Vec<&'f Finding>> = Default::default();
    for f in mine {
        let key = if check.per_region {
            f.region.as_deref()
        } else {
            None
        };
        let list = by_scope.entry(key).or_default();
        if !list.iter().any(|g| g.resource_id == f.resource_id) {
            list.push(f);
        }
    }
    let (scope, twice) = by_scope.into_iter().find(|(_, list)| list.len() > 1)?;
    let names: Vec<&str> = twice.iter().map(|f| f.resource_id.as_str()).collect();
    let place = match (check.per_region, scope) {
        (true, Some(region)) => format!("region {region}"),
        (true, None) => "one region (as far as the inputs say)".to_string(),
        (false, _) => "the account".to_string(),
    };
    Some((
        format!(
            "{} is declared {} times in {place} ({}); only one can exist, so deploying the others fails",
            check.resource_types.join(" / "),
            twice.len(),
            names.join(", ")
        ),
        twice[1],
    ))
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

    fn scope<'a>(formats: &'a [&'a str], waivers: &'a [Waiver], regions: &'a [String]) -> Scope<'a> {
        Scope {
            formats,
            waivers,
            regions,
        }
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
            generated_from: None,
            resource_file: 0,
            message: format!("{id} says why"),
            conditional: None,
            cdk: None,
            resource_start: Pos::default(),
            suppression: None,
            region: None,
            located_in: None,
            related: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn one_qualifying_resource_anywhere_passes() {
        let found = [evidence("A", Verdict::Fail), evidence("B", Verdict::Pass)];
        let r = conclude(&registry(), &found, &scope(&["cloudformation-yaml"], &[], &[]));
        assert_eq!(r[0].verdict, BaselineVerdict::Pass);
        assert!(r[0].message.starts_with("B "), "{}", r[0].message);
    }

    #[test]
    fn nothing_qualifying_fails_unknown_is_not_evaluable_waivers_win() {
        let none = conclude(&registry(), &[], &scope(&["cloudformation-yaml"], &[], &[]));
        assert_eq!(none[0].verdict, BaselineVerdict::Fail);
        assert!(none[0].message.contains("is declared"));
        let failing = conclude(
            &registry(),
            &[evidence("A", Verdict::Fail)],
            &scope(&["cdk"], &[], &[]),
        );
        assert!(
            failing[0].message.contains("closest: A"),
            "{}",
            failing[0].message
        );
        let unknown = conclude(
            &registry(),
            &[evidence("A", Verdict::Fail), evidence("U", Verdict::Unknown)],
            &scope(&["cloudformation-json"], &[], &[]),
        );
        assert_eq!(unknown[0].verdict, BaselineVerdict::NotEvaluable);
        let waiver = Waiver {
            check: "trail-exists".into(),
            reason: "organization trail".into(),
        };
        let waived = conclude(&registry(), &[], &scope(&["cloudformation-yaml"], &[waiver], &[]));
        assert_eq!(waived[0].verdict, BaselineVerdict::Waived);
        assert!(waived[0].message.contains("organization trail"));
    }

    #[test]
    fn formats_that_cannot_express_it_are_not_evaluable_not_failed() {
        let only_tf = conclude(
            &registry(),
            &[],
            &scope(&["terraform-plan", "terraform-hcl"], &[], &[]),
        );
        assert_eq!(only_tf[0].verdict, BaselineVerdict::NotEvaluable);
        assert_eq!(only_tf[0].message, "no such thing");
        let mixed = conclude(
            &registry(),
            &[],
            &scope(&["terraform-plan", "cloudformation-yaml"], &[], &[]),
        );
        assert_eq!(mixed[0].verdict, BaselineVerdict::Fail);
    }

    fn detector_check() -> Registry {
        let check = "id: PF-T-03\nslug: detector\ntitle: T\nseverity: high\nscope: deployment\n\
                     per_region: true\nsingleton: true\nresource_types: [AWS::GuardDuty::Detector]\n\
                     rule: |\n  Enable == true\n";
        Registry::from_checks(vec![Check::from_yaml("t.yaml", check).unwrap()]).unwrap()
    }

    fn placed(id: &str, verdict: Verdict, region: Option<&str>) -> Finding {
        Finding {
            check_id: "PF-T-03".into(),
            region: region.map(str::to_string),
            ..evidence(id, verdict)
        }
    }

    #[test]
    fn per_region_checks_need_evidence_in_every_region() {
        let regions = ["eu-west-1".to_string(), "us-east-1".to_string()];
        let found = [placed("EuDetector", Verdict::Pass, Some("eu-west-1"))];
        let r = conclude(
            &detector_check(),
            &found,
            &scope(&["terraform-hcl"], &[], &regions),
        );
        assert_eq!(r[0].verdict, BaselineVerdict::Fail, "{}", r[0].message);
        assert!(r[0].message.contains("eu-west-1: PASS"), "{}", r[0].message);
        assert!(r[0].message.contains("us-east-1: FAIL"), "{}", r[0].message);
        let both = [
            placed("EuDetector", Verdict::Pass, Some("eu-west-1")),
            placed("UsDetector", Verdict::Pass, Some("us-east-1")),
        ];
        let r = conclude(
            &detector_check(),
            &both,
            &scope(&["terraform-hcl"], &[], &regions),
        );
        assert_eq!(r[0].verdict, BaselineVerdict::Pass, "{}", r[0].message);
        // A detector whose region nobody states cannot prove any one region.
        let unplaced = [placed("Somewhere", Verdict::Pass, None)];
        let r = conclude(
            &detector_check(),
            &unplaced,
            &scope(&["terraform-hcl"], &[], &regions),
        );
        assert_eq!(r[0].verdict, BaselineVerdict::NotEvaluable, "{}", r[0].message);
    }

    #[test]
    fn a_singleton_declared_twice_in_one_region_fails() {
        let twice = [
            placed("First", Verdict::Pass, Some("eu-west-1")),
            placed("Second", Verdict::Pass, Some("eu-west-1")),
        ];
        let r = conclude(&detector_check(), &twice, &scope(&["terraform-hcl"], &[], &[]));
        assert_eq!(r[0].verdict, BaselineVerdict::Fail);
        assert!(
            r[0].message.contains("2 times in region eu-west-1"),
            "{}",
            r[0].message
        );
        let apart = [
            placed("First", Verdict::Pass, Some("eu-west-1")),
            placed("Second", Verdict::Pass, Some("us-east-1")),
        ];
        let r = conclude(&detector_check(), &apart, &scope(&["terraform-hcl"], &[], &[]));
        assert_eq!(r[0].verdict, BaselineVerdict::Pass, "{}", r[0].message);
    }
}
