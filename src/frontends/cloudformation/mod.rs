//! CloudFormation templates (YAML or JSON, SAM included) into the graph.

mod conditions;
mod declarations;
mod intrinsics;
mod params;
mod sam;

use std::collections::{HashMap, HashSet};

pub use crate::graph::convert::{into_value, node_to_value};
pub use intrinsics::to_json;

use crate::diagnostics::Diagnostic;
use crate::graph::{Deployment, Edge, EdgeKind, Graph, Resource, Value, ValueKind};
use crate::parse::{Node, NodeKind};

use intrinsics::Evaluator;
use params::Parameters;

/// Whether a loaded document is a CloudFormation template: it has
/// `AWSTemplateFormatVersion`, or a `Resources` map whose entries have a `Type`.
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match root.get("Resources").and_then(|r| r.value.as_map()) {
        Some(resources) => resources
            .iter()
            .any(|r| r.value.get("Type").is_some() || r.key.starts_with("Fn::ForEach::")),
        None => false,
    }
}

/// Builds the graph of one template. `overrides` are parameter values given by
/// the user. The template is file 0 of its unit.
/// Problems are returned as diagnostics; the graph holds every resource that
/// could be read.
pub fn build_graph(root: &Node, overrides: &HashMap<String, String>) -> (Graph, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut graph = Graph::default();
    if root.as_map().is_none() {
        diagnostics.push(Diagnostic::error(
            root.span.start,
            format!("a template must be a mapping, not {}", root.shape_name()),
        ));
        return (graph, diagnostics);
    }
    note_transforms(root, &mut diagnostics);
    let resources = match root.get("Resources") {
        Some(entry) => match entry.value.as_map() {
            Some(entries) => entries,
            None => {
                diagnostics.push(Diagnostic::error(
                    entry.value.span.start,
                    if matches!(entry.value.kind, NodeKind::Null) {
                        "Resources is empty: CloudFormation needs at least one resource".to_string()
                    } else {
                        format!("Resources must be a mapping, not {}", entry.value.shape_name())
                    },
                ));
                return (graph, diagnostics);
            }
        },
        None => &[],
    };
    let mut names: HashSet<String> = resources.iter().map(|e| e.key.clone()).collect();
    for entry in resources {
        if let Some(kind) = entry.value.get("Type").and_then(|t| t.value.as_str()) {
            names.extend(sam::generated_ids(&entry.key, kind, &entry.value));
        }
    }
    let mut choices = crate::graph::Conditions::default();
    let params = Parameters::new(
        root.get("Parameters").map(|e| &e.value),
        overrides,
        &mut choices,
        &mut diagnostics,
    );
    graph.parameter_bounds = params.bounds.clone();
    let mappings = root.get("Mappings").map(|e| &e.value);
    let hidden = no_echo_parameters(root.get("Parameters").map(|e| &e.value));
    let no_conditions = Default::default();
    let bootstrap = Evaluator {
        params: &params,
        hidden: &hidden,
        mappings,
        conditions: &no_conditions,
        resources: &names,
    };
    graph.conditions = conditions::build(
        root.get("Conditions").map(|e| &e.value),
        &bootstrap,
        choices,
        &mut diagnostics,
    );
    let evaluator = Evaluator {
        params: &params,
        hidden: &hidden,
        mappings,
        conditions: &graph.conditions,
        resources: &names,
    };
    let globals = sam::Globals::new(root.get("Globals").map(|g| evaluator.eval(&g.value)));
    let mut depends_on = Vec::new();
    let mut declared = Vec::new();
    for entry in resources {
        if entry.key.starts_with("Fn::ForEach::") {
            diagnostics.push(Diagnostic::note(
                entry.key_span.start,
                format!(
                    "{} is expanded by the AWS::LanguageExtensions transform at deploy time; its resources are not checked",
                    entry.key
                ),
            ));
            continue;
        }
        let Some((resource, deps)) = read_resource(entry, &evaluator, &mut diagnostics) else {
            continue;
        };
        // A SAM resource becomes the resources the transform creates; the
        // first is the one the user's `DependsOn` belongs to.
        for (i, lowered) in sam::lower(resource, &globals, &mut diagnostics)
            .into_iter()
            .enumerate()
        {
            declared.push(lowered);
            depends_on.push(if i == 0 { deps.clone() } else { Vec::new() });
        }
    }
    let parameters_section = root.get("Parameters").map(|e| &e.value);
    let parameter_names: HashSet<String> = parameters_section
        .and_then(Node::as_map)
        .map(|m| m.iter().map(|e| e.key.clone()).collect())
        .unwrap_or_default();
    let dynamic = declarations::dynamic_parameters(&declared);
    for item in declarations::parameters(parameters_section)
        .into_iter()
        .chain(dynamic)
        .chain(declarations::outputs(
            root.get("Outputs").map(|e| &e.value),
            &parameter_names,
            &evaluator,
        ))
    {
        declared.push(item);
        depends_on.push(Vec::new());
    }
    for resource in declared {
        graph.add(resource);
    }
    graph.index_edges();
    for (from, deps) in depends_on.into_iter().enumerate() {
        for dep in deps {
            if let Some(to) = graph.find(&dep) {
                graph.edges.push(Edge {
                    from,
                    to,
                    via: "DependsOn".to_string(),
                    kind: EdgeKind::DependsOn,
                });
            }
        }
    }
    (graph, diagnostics)
}

/// Reads one resource; `None` (with an error) when its shape is wrong.
fn read_resource(
    entry: &crate::parse::Entry,
    evaluator: &Evaluator<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Resource, Vec<String>)> {
    let body = &entry.value;
    let mut fail = |pos, message: String| {
        diagnostics.push(Diagnostic::error(pos, message));
        None::<(Resource, Vec<String>)>
    };
    if body.as_map().is_none() {
        return fail(
            body.span.start,
            format!(
                "resource {} must be a mapping, not {}",
                entry.key,
                body.shape_name()
            ),
        );
    }
    let kind = match body.get("Type") {
        None => {
            return fail(
                entry.key_span.start,
                format!("resource {} has no Type", entry.key),
            );
        }
        Some(t) => match t.value.as_str() {
            Some(kind) => kind.to_string(),
            None if t.value.get("Rain::Module").is_some() => {
                diagnostics.push(Diagnostic::note(
                    t.value.span.start,
                    format!(
                        "{} is a rain module, expanded by `rain pkg` before deploy; it is not checked",
                        entry.key
                    ),
                ));
                return None;
            }
            None => {
                return fail(
                    t.value.span.start,
                    format!(
                        "Type of {} must be a string, not {}",
                        entry.key,
                        t.value.shape_name()
                    ),
                );
            }
        },
    };
    let properties = match body.get("Properties") {
        None => Value::new(entry.key_span, ValueKind::Map(Vec::new())),
        Some(p) => match &p.value.kind {
            NodeKind::Map(_) => evaluator.eval(&p.value),
            NodeKind::Null => Value::new(p.value.span, ValueKind::Map(Vec::new())),
            _ => {
                return fail(
                    p.value.span.start,
                    format!(
                        "Properties of {} must be a mapping, not {}",
                        entry.key,
                        p.value.shape_name()
                    ),
                );
            }
        },
    };
    let deployment = match body.get("Condition") {
        None => Deployment::Always,
        Some(c) => match c.value.as_str() {
            Some(name) => match evaluator.conditions.decided(name) {
                Some(true) => Deployment::Always,
                Some(false) => Deployment::Never {
                    condition: name.to_string(),
                },
                None if evaluator.conditions.expr(name).is_some() => Deployment::When {
                    condition: name.to_string(),
                },
                None => {
                    return fail(
                        c.value.span.start,
                        format!("resource {} uses undeclared condition {name}", entry.key),
                    );
                }
            },
            None => {
                return fail(
                    c.value.span.start,
                    format!("Condition of {} must be a condition name", entry.key),
                );
            }
        },
    };
    let depends_on = match body.get("DependsOn").map(|d| &d.value.kind) {
        Some(NodeKind::String(s)) => vec![s.clone()],
        Some(NodeKind::Seq(items)) => items
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let metadata = body.get("Metadata").map(|m| evaluator.eval(&m.value));
    Some((
        Resource {
            id: entry.key.clone(),
            kind,
            span: entry.key_span,
            properties,
            deployment,
            metadata: metadata.map(Box::new),
            source_kind: None,
            known_names: Vec::new(),
            written: None,
            joined: Vec::new(),
            generated_from: None,
            mapping: None,
        },
        depends_on,
    ))
}

/// Macros other than the ones AWS documents change the template at deploy time.
fn note_transforms(root: &Node, diagnostics: &mut Vec<Diagnostic>) {
    let Some(entry) = root.get("Transform") else {
        return;
    };
    let names: Vec<&Node> = match &entry.value.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![&entry.value],
    };
    for name in names {
        let Some(text) = name.as_str() else { continue };
        if !matches!(
            text,
            "AWS::Serverless-2016-10-31"
                | "AWS::LanguageExtensions"
                | "AWS::Include"
                | "AWS::CodeDeployBlueGreen"
        ) {
            diagnostics.push(Diagnostic::note(
                name.span.start,
                format!(
                    "macro {text} may change the template at deploy time; the template is checked as written"
                ),
            ));
        }
    }
}

/// The names of the parameters declared `NoEcho: true`.
fn no_echo_parameters(section: Option<&Node>) -> HashSet<String> {
    section
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter(|p| {
            p.value.get("NoEcho").is_some_and(|n| match &n.value.kind {
                NodeKind::Bool(b) => *b,
                NodeKind::String(s) => s.eq_ignore_ascii_case("true"),
                _ => false,
            })
        })
        .map(|p| p.key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{CondExpr, Origin, Part, ValueKind};
    use crate::parse::{Limits, load_yaml};

    fn graph(text: &str, overrides: &[(&str, &str)]) -> (Graph, Vec<Diagnostic>) {
        let node = load_yaml(text, Limits::default()).unwrap();
        let overrides = overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        build_graph(&node, &overrides)
    }

    #[test]
    fn string_functions_of_a_conditional_value_are_conditional() {
        let text = r#"
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Sub: !Sub ["${Net}/0", {Net: !If [IsProd, 10.0.0.0, 0.0.0.0]}]
      Join: !Join ["/", [!If [IsProd, 10.0.0.0, 0.0.0.0], "0"]]
      Select: !Select [1, [a, !If [IsProd, b, c]]]
      Split: !Split [",", !If [IsProd, "a,b", "c"]]
      Base64: {"Fn::Base64": !Sub ["x-${V}", {V: !If [IsProd, p, d]}]}
      Length: {"Fn::Length": !If [IsProd, [a, b], [c]]}
"#;
        let (g, diags) = graph(text, &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let props = &g.resource(g.find("B").unwrap()).properties;
        let branches = |key: &str| match &props.get(key).unwrap().kind {
            ValueKind::Cond(c) => {
                assert_eq!(c.condition, "IsProd", "{key}");
                (c.then.describe(), c.otherwise.describe())
            }
            other => panic!("{key} is not conditional: {other:?}"),
        };
        assert_eq!(branches("Sub"), ("\"10.0.0.0/0\"".into(), "\"0.0.0.0/0\"".into()));
        assert_eq!(
            branches("Join"),
            ("\"10.0.0.0/0\"".into(), "\"0.0.0.0/0\"".into())
        );
        assert_eq!(branches("Select"), ("\"b\"".into(), "\"c\"".into()));
        assert_eq!(branches("Split"), ("[\"a\", \"b\"]".into(), "[\"c\"]".into()));
        assert_eq!(branches("Base64"), ("\"x-p\"".into(), "\"x-d\"".into()));
        assert_eq!(branches("Length"), ("2".into(), "1".into()));
    }

    #[test]
    fn too_many_branch_combinations_are_unknown_with_their_reason() {
        // Six independent conditions: 64 combinations, past the cap of 32.
        let mut text = String::from("Parameters:\n");
        let mut conditions = String::from("Conditions:\n");
        let mut parts = Vec::new();
        for i in 0..6 {
            text.push_str(&format!("  P{i}: {{Type: String}}\n"));
            conditions.push_str(&format!("  C{i}: !Equals [!Ref P{i}, x]\n"));
            parts.push(format!("!If [C{i}, a, b]"));
        }
        text.push_str(&conditions);
        text.push_str(&format!(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !Join [\"-\", [pre, {}]]\n",
            parts.join(", ")
        ));
        let (g, _) = graph(&text, &[]);
        let name = g.resource(g.find("B").unwrap()).properties.get("Name").unwrap();
        let ValueKind::Interp(parts) = &name.kind else {
            panic!("not a text with holes: {name:?}")
        };
        assert_eq!(parts[0], Part::Lit("pre-".into()));
        assert!(parts.iter().any(|p| matches!(
            p,
            Part::Unknown(crate::graph::Unknowable::TooManyBranches { function, limit: 32 }) if function == "Fn::Join"
        )));
    }

    const TEMPLATE: &str = r#"
Parameters:
  Env: {Type: String}
  Port: {Type: Number, Default: 22}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/8, 0.0.0.0/0"}
Mappings:
  M: {eu: {Algo: AES256}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Always: !Equals [a, a]
Resources:
  Vpc: {Type: AWS::EC2::VPC}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Condition: Always
    Properties:
      VpcId: !Ref Vpc
      Port: !Ref Port
      Cidr: !Select [1, !Ref Cidrs]
      Algo: !FindInMap [M, eu, Algo]
      Arn: !Sub "arn:${AWS::Partition}:s3:::${Vpc}-x"
      Gone: !If [Always, !Ref AWS::NoValue, 1]
      Maybe: !If [IsProd, 1, 2]
      Import: !ImportValue Shared
  Later:
    Type: AWS::S3::Bucket
    Condition: NotProd
    DependsOn: Sg
"#;

    #[test]
    fn intrinsics_evaluate_to_tri_state_values() {
        let (g, diags) = graph(TEMPLATE, &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let sg = g.resource(g.find("Sg").unwrap());
        let p = &sg.properties;
        assert!(matches!(&p.get("VpcId").unwrap().kind, ValueKind::Ref(r) if r.target == "Vpc"));
        assert_eq!(p.get("Port").unwrap().kind, ValueKind::Number("22".into()));
        assert_eq!(p.get("Cidr").unwrap().as_str(), Some("0.0.0.0/0"));
        assert_eq!(p.get("Algo").unwrap().as_str(), Some("AES256"));
        let ValueKind::Interp(parts) = &p.get("Arn").unwrap().kind else {
            panic!("not interpolated")
        };
        assert!(matches!(&parts[1], Part::Unknown(r) if r.pseudo() == Some(crate::graph::Pseudo::Partition)));
        assert!(p.get("Gone").is_none());
        assert!(matches!(&p.get("Maybe").unwrap().kind, ValueKind::Cond(c) if c.condition == "IsProd"));
        assert!(
            matches!(&p.get("Import").unwrap().kind, ValueKind::Unknown(u) if matches!(&**u, crate::graph::Unknowable::Import { export } if export.contains("Shared")))
        );
        let later = g.resource(g.find("Later").unwrap());
        assert_eq!(
            later.deployment,
            Deployment::When {
                condition: "NotProd".into()
            }
        );
        assert!(g.edges.iter().any(|e| e.kind == EdgeKind::DependsOn));
        assert!(g.edges.iter().any(|e| e.via == "VpcId"));
        // `${Vpc}` inside Fn::Sub is an edge too.
        let vpc = g.find("Vpc").unwrap();
        assert!(g.edges.iter().any(|e| e.via == "Arn" && e.to == vpc));
    }

    #[test]
    fn parameters_without_values_are_choices_or_bounded() {
        let text = r#"
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Cidr: {Type: String, AllowedPattern: '^10\.'}
  Key: {Type: "AWS::EC2::KeyPair::KeyName"}
  Free: {Type: String}
Mappings:
  Ssh: {dev: {Cidr: 0.0.0.0/0}, prod: {Cidr: 10.0.0.0/8}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsQa: !Equals [qa, !Ref Env]
  HasKey: !Not [!Equals [!Ref Key, ""]]
  Private: !Equals [!Ref Cidr, 0.0.0.0/0]
  Open: !Equals [!Ref Free, 0.0.0.0/0]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      Env: !Ref Env
      Mapped: !FindInMap [Ssh, !Ref Env, Cidr]
      Logs: !Sub "${Env}-logs"
"#;
        let (g, diags) = graph(text, &[]);
        assert!(diags.is_empty(), "{diags:?}");
        // A comparison with an allowed value is that value's atom, in the parameter's group.
        let Some(CondExpr::Atom(prod)) = g.conditions.expr("IsProd") else {
            panic!("IsProd is not one atom: {:?}", g.conditions.expr("IsProd"))
        };
        let group = g.conditions.group_of(*prod).expect("a choice");
        assert_eq!(group.parameter, "Env");
        assert_eq!(group.members.len(), 2);
        assert_eq!(g.conditions.atom(*prod).label, "\"prod\"");
        // A value the parameter cannot take, and one its type excludes, decide their conditions.
        assert_eq!(g.conditions.decided("IsQa"), Some(false));
        assert_eq!(g.conditions.decided("HasKey"), Some(true));
        assert_eq!(g.conditions.decided("Private"), Some(false));
        assert_eq!(g.conditions.decided("Open"), None);
        // The parameter's value and what is computed from it branch on the choice.
        let p = &g.resource(g.find("Sg").unwrap()).properties;
        let leaves = |v: &Value| -> Vec<(String, Origin)> {
            let ValueKind::Cond(c) = &v.kind else {
                panic!("not conditional: {v:?}")
            };
            [&c.then, &c.otherwise]
                .iter()
                .map(|b| (b.scalar_text().unwrap().into_owned(), b.origin.clone()))
                .collect()
        };
        let env = Origin::Parameter("Env".into());
        assert_eq!(
            leaves(p.get("Env").unwrap()),
            vec![("dev".into(), env.clone()), ("prod".into(), env.clone())]
        );
        assert_eq!(leaves(p.get("Mapped").unwrap())[0].0, "0.0.0.0/0");
        assert_eq!(
            leaves(p.get("Logs").unwrap()),
            vec![("dev-logs".into(), env.clone()), ("prod-logs".into(), env)]
        );
        // Bounds are kept for the parameters that have them, by name.
        assert!(g.parameter_bounds.contains_key("Cidr"));
        assert!(g.parameter_bounds.contains_key("Key"));
        assert!(!g.parameter_bounds.contains_key("Free"));
        assert!(!g.parameter_bounds.contains_key("Env"));
    }

    #[test]
    fn values_outside_allowed_values_are_reported() {
        let text = "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}\nResources:\n  B: {Type: AWS::S3::Bucket}\n";
        let (_, diags) = graph(text, &[("Env", "test")]);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "value \"test\" of parameter Env is not one of its AllowedValues"
        );
        let (_, diags) = graph(text, &[]);
        assert!(diags.is_empty());
    }

    #[test]
    fn overrides_decide_conditions() {
        let (g, _) = graph(TEMPLATE, &[("Env", "prod")]);
        let later = g.resource(g.find("Later").unwrap());
        assert_eq!(
            later.deployment,
            Deployment::Never {
                condition: "NotProd".into()
            }
        );
        let sg = g.resource(g.find("Sg").unwrap());
        assert_eq!(
            sg.properties.get("Maybe").unwrap().kind,
            ValueKind::Number("1".into())
        );
    }

    #[test]
    fn wrong_shapes_are_errors_for_that_resource_only() {
        let (g, diags) = graph(
            "Resources:\n  A: {Type: [x]}\n  B: {Type: AWS::S3::Bucket, Properties: [1]}\n  C: {Type: AWS::S3::Bucket}\n",
            &[],
        );
        assert_eq!(g.resources().len(), 1);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].pos.line, 2);
        assert!(diags[1].message.contains("Properties of B"));
    }

    #[test]
    fn ssm_dynamic_references_are_parameters_declared_where_used() {
        let (g, _) = graph(
            r#"
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64:4}}'
      UserData: 'x-{{resolve:ssm:/inline}}'
      KeyName: '{{resolve:secretsmanager:key}}'
"#,
            &[],
        );
        let web = g.resource(g.find("Web").unwrap());
        let image = web.properties.get("ImageId").unwrap();
        let reference =
            "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64:4}}";
        assert!(matches!(image.kind, ValueKind::Unknown(_)));
        assert_eq!(image.origin, Origin::Parameter(reference.into()));
        let parameter = g.resource(g.find(reference).expect("declared"));
        assert_eq!(parameter.kind, crate::graph::PARAMETER);
        assert!(parameter.is_declaration());
        assert_eq!(
            parameter.properties.get("Default").and_then(Value::as_str),
            Some("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
        );
        assert_eq!(
            crate::graph::identity::resolve(&g, image, crate::graph::PARAMETER),
            Ok(vec![g.find(reference).unwrap()])
        );
        // Part of a longer text, or another kind of reference: not an input.
        assert_eq!(web.properties.get("KeyName").unwrap().origin, Origin::Written);
        assert_eq!(g.of_kind(crate::graph::PARAMETER).len(), 1);
    }
}
