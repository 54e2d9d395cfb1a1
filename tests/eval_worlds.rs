//! The world evaluator: a parameter's allowed values and an unknown `when`
//! guard are assumed each way, and a failure names what it assumed. (Here,
//! not in `src/checks`, because it reads a CloudFormation template: the
//! checks know no frontend.)

use std::collections::HashMap;

use preflight::checks::eval::{Evaluation, Status, Values, evaluate};
use preflight::checks::lang::parse_rule;
use preflight::frontends::cloudformation::build_graph;
use preflight::parse::{Limits, load_yaml};

const TEMPLATE: &str = r#"
Parameters:
  Mode: {Type: String, AllowedValues: [a, b, c]}
  Free: {Type: String}
Conditions:
  IsC: !Equals [!Ref Mode, c]
Resources:
  Chosen: {Type: AWS::S3::Bucket, Properties: {Name: !Ref Mode}}
  OnlyC: {Type: AWS::S3::Bucket, Properties: {Name: !If [IsC, bad, good]}}
  Guarded: {Type: AWS::S3::Bucket, Properties: {Kind: !Ref Free, Name: bad}}
  Unguarded: {Type: AWS::S3::Bucket, Properties: {Kind: !Ref Free, Name: good}}
"#;

fn judge(rule: &str, resource: &str) -> Evaluation {
    let root = load_yaml(TEMPLATE, Limits::default()).unwrap();
    let (graph, _) = build_graph(&root, &HashMap::new());
    let rule = parse_rule(rule).unwrap();
    evaluate(
        &rule,
        &graph,
        graph.find(resource).unwrap(),
        &HashMap::new(),
        Values::Shown,
    )
}

#[test]
fn each_allowed_value_is_a_world() {
    let failing = judge(r#"Name != "b""#, "Chosen");
    assert_eq!(failing.status, Status::Fail);
    assert_eq!(failing.conditional.as_deref(), Some(r#"Mode is "b""#));
    // Decided alike by every value: no assumption to name.
    let passing = judge(r#"Name IN ["a", "b", "c"]"#, "Chosen");
    assert_eq!((passing.status, passing.conditional), (Status::Pass, None));
    // A condition on the parameter is the same choice: one world per outcome.
    let only_c = judge(r#"Name == "good""#, "OnlyC");
    assert_eq!(only_c.status, Status::Fail);
    assert_eq!(only_c.conditional.as_deref(), Some(r#"Mode is "c""#));
}

#[test]
fn an_unknown_guard_is_assumed_both_ways() {
    let rule = r#"when Kind == "public" { Name == "good" }"#;
    let guarded = judge(rule, "Guarded");
    assert_eq!(guarded.status, Status::Fail);
    assert_eq!(guarded.conditional.as_deref(), Some(r#"Kind == "public""#));
    // The body passes: the resource passes, never unknown for the guard alone.
    assert_eq!(judge(rule, "Unguarded").status, Status::Pass);
}
