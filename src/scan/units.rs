//! One unit of scanning: read the inputs of a candidate, pick the frontend by
//! content, build the graph, run the checks.

use std::path::{Path, PathBuf};

use super::{
    FileDiagnostic, ScanOptions, SkipReason, SkippedResource, SourceFile, UnitOutcome, display_path,
};
use crate::checks::Registry;
use crate::checks::run::run_checks;
use crate::diagnostics::Diagnostic;
use crate::discover::{self, Candidate, Syntax};
use crate::frontends::{cloudformation, terraform};
use crate::graph::{Deployment, Graph};
use crate::memory;
use crate::parse::{
    LazyJson, Limits, LoadError, ReadError, load_json, load_yaml_last_key_wins, load_yaml_reporting,
};

/// Scans one discovered file as whatever unit its content makes it.
pub(super) fn scan_candidate(
    candidate: &Candidate,
    root: &Path,
    options: &ScanOptions,
    registry: &Registry,
) -> UnitOutcome {
    match candidate.syntax {
        Syntax::TerraformModule => return scan_module(&candidate.path, root, options, registry),
        Syntax::CdkAssembly => return scan_assembly(&candidate.path, root, options, registry),
        _ => {}
    }
    let display = display_path(&candidate.path);
    let report = |diagnostic: Diagnostic| UnitOutcome {
        diagnostics: vec![FileDiagnostic {
            file: display.clone(),
            diagnostic,
        }],
        ..Default::default()
    };
    // Most `.json` and `.yaml` files are something else: one that does not
    // parse is a warning, unless it looks like infrastructure code.
    let looks_like_infrastructure = |text: &str| discover::looks_like_infrastructure(&candidate.path, text);
    let not_infrastructure = |warning: Option<Diagnostic>| UnitOutcome {
        diagnostics: warning
            .map(|diagnostic| FileDiagnostic {
                file: display.clone(),
                diagnostic,
            })
            .into_iter()
            .collect(),
        skipped_files: 1,
        ..Default::default()
    };
    let text = match crate::parse::read_text(&candidate.path, options.max_file_size) {
        Ok(text) => text,
        Err(ReadError::NotUtf8 { lossy, pos }) if !looks_like_infrastructure(&lossy) => {
            return not_infrastructure(Some(Diagnostic::warning(
                pos,
                format!("skipped: not valid UTF-8, {NOT_INFRASTRUCTURE}"),
            )));
        }
        Err(e) => return report(e.into_error()),
    };
    let syntax = discover::resolve_syntax(candidate.syntax, &text);
    // A plan is read lazily, never as a tree of the whole file.
    if syntax == Syntax::Json && terraform::may_be_plan(&text) {
        let contents = match LazyJson::parse(&text, Limits::default()) {
            Ok(document) if terraform::plan::is_plan(&document) => Some(terraform::plan::read(&document)),
            Ok(_) => None,
            Err(e) => return report(e.into()),
        };
        if let Some(contents) = contents {
            // Everything is taken from the text: free it before the checks
            // run, and the graph before the report is rendered.
            let large = text.len() >= memory::LARGE_INPUT;
            drop(text);
            if large {
                memory::release_freed();
            }
            let outcome = scan_plan(contents, &candidate.path, &display, root, options, registry);
            if large {
                memory::release_freed();
            }
            return outcome;
        }
    }
    let loaded = match syntax {
        Syntax::Json => load_json(&text, Limits::default()).map(|node| (node, None)),
        _ => load_yaml_reporting(&text, Limits::default()),
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let (root_node, strict_complaint) = match loaded {
        Ok(loaded) => loaded,
        Err(e) if syntax == Syntax::Yaml && is_sam_duplicate(&e, &text) => {
            match load_yaml_last_key_wins(&text, Limits::default()) {
                Ok((node, complaint, duplicates)) => {
                    diagnostics.extend(duplicates.into_iter().map(|d| {
                        Diagnostic::warning(
                            d.pos,
                            format!(
                                "{}: the SAM CLI keeps the last value, which is what is checked; `aws cloudformation deploy` rejects the template",
                                d.message
                            ),
                        )
                    }));
                    (node, complaint)
                }
                Err(e) => return report(e.into()),
            }
        }
        Err(e) if looks_like_infrastructure(&text) => return report(e.into()),
        // A stream of several documents (Kubernetes manifests) is YAML, just not a template.
        Err(e) if syntax == Syntax::Yaml && is_second_document(&e) => return not_infrastructure(None),
        Err(e) => {
            let language = if syntax == Syntax::Json { "JSON" } else { "YAML" };
            return not_infrastructure(Some(Diagnostic::warning(
                e.pos,
                format!(
                    "skipped: not valid {language} ({}), {NOT_INFRASTRUCTURE}",
                    e.message
                ),
            )));
        }
    };
    if let Some(e) = strict_complaint {
        diagnostics.push(Diagnostic::note(
            e.pos,
            format!(
                "not valid YAML 1.2 ({}); read with libyaml's more lenient rules, as CloudFormation does",
                e.message
            ),
        ));
    }
    let parameters = options.parameters_for(&candidate.path);
    let region = parameters
        .get("AWS::Region")
        .cloned()
        .or_else(|| options.region.clone());
    let (graph, format) = if cloudformation::is_template(&root_node) {
        let (graph, more) = cloudformation::build_graph(&root_node, &parameters);
        diagnostics.extend(more);
        let format = if syntax == Syntax::Json {
            "cloudformation-json"
        } else {
            "cloudformation-yaml"
        };
        (graph, format)
    } else {
        return not_infrastructure(None);
    };
    let diagnostics = diagnostics.into_iter().map(|d| (0, d));
    let mut outcome = check_graph(
        &graph,
        vec![(display, format)],
        diagnostics,
        registry,
        options.account_baseline,
        region,
    );
    name_constructs(&graph, &mut outcome.findings);
    outcome
}

/// Why a file that cannot be read is only a warning.
const NOT_INFRASTRUCTURE: &str = "and nothing in it looks like infrastructure code \
     (CloudFormation or SAM keys, a Terraform plan, a cloud-assembly manifest)";

/// A duplicate key in a SAM template: the SAM CLI (PyYAML) accepts it, the
/// last value winning, so the template is read that way with a warning.
fn is_sam_duplicate(error: &LoadError, text: &str) -> bool {
    error.message.starts_with("duplicate key") && text.contains("AWS::Serverless-2016-10-31")
}

/// The loader stopped at a second document: the first one was read.
fn is_second_document(error: &LoadError) -> bool {
    error.message.starts_with("a second YAML document")
}

/// A CDK cloud assembly: each stack and nested-stack template is scanned as
/// CloudFormation JSON, and its findings name the construct, the stack and
/// (with creation stack traces) the line of the app that made the resource.
fn scan_assembly(dir: &Path, root: &Path, options: &ScanOptions, registry: &Registry) -> UnitOutcome {
    let (templates, problems) = crate::frontends::cdk::templates(dir, options.max_file_size);
    let mut outcome = UnitOutcome::default();
    for (path, diagnostic) in problems {
        outcome.diagnostics.push(FileDiagnostic {
            file: display_path(&path),
            diagnostic,
        });
    }
    // Traces name files relative to the CDK project: the assembly's parent.
    let project = dir.parent().unwrap_or(dir);
    for template in templates {
        let display = display_path(&template.path);
        let (graph, diagnostics) =
            cloudformation::build_graph(&template.document, &options.parameters_for(&template.path));
        let mut scanned = check_graph(
            &graph,
            vec![(display, "cdk")],
            diagnostics.into_iter().map(|d| (0, d)),
            registry,
            options.account_baseline,
            template.region.clone().or_else(|| options.region.clone()),
        );
        for finding in &mut scanned.findings {
            let construct = construct_path(&graph, &finding.resource_id)
                .or_else(|| template.constructs.get(&finding.resource_id).map(String::as_str));
            let Some(construct) = construct else { continue };
            let source = template.traces.get(construct).map(|line| {
                let file = project.join(&line.path);
                let shown = if file.starts_with(root) || !line.path.is_absolute() && project.starts_with(root)
                {
                    display_path(&file)
                } else {
                    file.to_string_lossy().into_owned()
                };
                (shown, line.pos)
            });
            finding.cdk = Some(Box::new(crate::findings::CdkOrigin {
                construct_path: construct.to_string(),
                stack: template.stack.clone(),
                source,
            }));
        }
        outcome.append(scanned);
    }
    outcome
}

/// `Metadata["aws:cdk:path"]` of a resource: the construct a CDK app made it from.
fn construct_path<'g>(graph: &'g Graph, resource: &str) -> Option<&'g str> {
    let id = graph.find(resource)?;
    graph
        .resource(id)
        .metadata
        .as_ref()?
        .get("aws:cdk:path")?
        .as_str()
}

/// Findings of a template synthesized by CDK and scanned on its own (`cdk
/// synth > template.yaml`) name their construct from the resource's path
/// metadata; the stack is the path's first part.
fn name_constructs(graph: &Graph, findings: &mut [crate::findings::Finding]) {
    for finding in findings {
        if let Some(construct) = construct_path(graph, &finding.resource_id) {
            finding.cdk = Some(Box::new(crate::findings::CdkOrigin {
                construct_path: construct.to_string(),
                stack: construct.split('/').next().unwrap_or(construct).to_string(),
                source: None,
            }));
        }
    }
}

/// Runs the checks on a unit's graph. `files` are the unit's files as
/// (display path, format), indexed by `Span::file`; each diagnostic names its
/// file by that index.
fn check_graph(
    graph: &Graph,
    files: Vec<(String, &'static str)>,
    diagnostics: impl IntoIterator<Item = (usize, Diagnostic)>,
    registry: &Registry,
    baseline: bool,
    region: Option<String>,
) -> UnitOutcome {
    let mut counts = vec![0; files.len()];
    for resource in graph.resources().iter().filter(|r| !r.is_declaration()) {
        if let Some(count) = counts.get_mut(resource.span.file as usize) {
            *count += 1;
        }
    }
    let files: Vec<SourceFile> = files
        .into_iter()
        .zip(counts)
        .map(|((path, format), resources)| SourceFile {
            path,
            // Set once per file when the run's units are merged.
            repo_path: String::new(),
            format,
            resources,
        })
        .collect();
    let path_of = |file: usize| files.get(file).map(|f| f.path.clone()).unwrap_or_default();
    let diagnostics = diagnostics
        .into_iter()
        .map(|(file, diagnostic)| FileDiagnostic {
            file: path_of(file),
            diagnostic,
        })
        .collect();
    let mut run = run_checks(registry, graph, baseline);
    for evidence in &mut run.evidence {
        evidence.region.clone_from(&region);
    }
    let skipped = graph
        .resources()
        .iter()
        .filter_map(|r| match &r.deployment {
            Deployment::Never { condition } => Some(SkippedResource {
                file: path_of(r.span.file as usize),
                resource: r.id.clone(),
                kind: r.kind.clone(),
                reason: SkipReason::Condition {
                    condition: condition.clone(),
                },
            }),
            _ => None,
        })
        .collect();
    UnitOutcome {
        files,
        findings: run.findings,
        diagnostics,
        skipped,
        skipped_files: 0,
        tally: run.tally,
        resources: graph.resources().iter().filter(|r| !r.is_declaration()).count(),
        evidence: run.evidence,
        by_check: run.by_check,
        account_level: run.account_level,
        regions: region.into_iter().collect(),
        tf_variables: Vec::new(),
    }
}

/// A Terraform root module and the modules it calls.
fn scan_module(dir: &Path, root: &Path, options: &ScanOptions, registry: &Registry) -> UnitOutcome {
    let unit = terraform::hcl::load(dir, &module_options(root, options));
    let region = unit.region.clone().or_else(|| options.region.clone());
    let variables = unit.variables.clone();
    let files: Vec<(String, &'static str)> = unit
        .files
        .iter()
        .map(|p| (display_path(p), "terraform-hcl"))
        .collect();
    let unlifted = unlifted(&unit.resources, &files, registry);
    let mut adapter_diagnostics = Vec::new();
    let mut graph = terraform::adapters::adapt(unit.resources, &mut adapter_diagnostics);
    unit.existence.apply(&mut graph);
    // The adapters' diagnostics are about the unit, reported on its first file.
    let diagnostics = unit
        .diagnostics
        .into_iter()
        .chain(adapter_diagnostics.into_iter().map(|d| (0, d)));
    let mut outcome = check_graph(
        &graph,
        files,
        diagnostics,
        registry,
        options.account_baseline,
        region,
    );
    outcome.skipped.extend(unlifted);
    outcome.tf_variables = variables;
    outcome
}

/// The resources of a unit that checks of the run would read but no adapter
/// lifts into the graph; `files` are the unit's (display path, format).
fn unlifted(
    resources: &[terraform::TfResource],
    files: &[(String, &'static str)],
    registry: &Registry,
) -> Vec<SkippedResource> {
    let types_read = |id: &str| {
        let check = registry.checks().iter().find(|c| c.id == id)?;
        Some(check.resource_types.as_slice())
    };
    terraform::readers::unlifted(resources, types_read)
        .into_iter()
        .map(|unlifted| {
            let resource = &resources[unlifted.index];
            SkippedResource {
                file: files
                    .get(resource.span.file as usize)
                    .map(|(path, _)| path.clone())
                    .unwrap_or_default(),
                resource: resource.address.clone(),
                kind: resource.tf_type.clone(),
                reason: SkipReason::NoAdapter {
                    counterpart: unlifted.counterpart,
                    checks: unlifted.checks,
                },
            }
        })
        .collect()
}

/// A plan, placed on its `.tf` sources when they are at hand.
fn scan_plan(
    contents: terraform::plan::PlanContents,
    path: &Path,
    display: &str,
    root: &Path,
    options: &ScanOptions,
    registry: &Registry,
) -> UnitOutcome {
    let terraform::plan::PlanContents {
        mut resources,
        region,
        diagnostics,
    } = contents;
    let region = region.or_else(|| options.region.clone());
    // The plan is file 0; its sources, when found, follow it.
    let mut files = vec![(display.to_string(), "terraform-plan")];
    let mut diagnostics: Vec<(usize, Diagnostic)> = diagnostics.into_iter().map(|d| (0, d)).collect();
    let sources = options.tf_source.clone().or_else(|| {
        path.parent()
            .filter(|dir| discover::has_tf_files(dir))
            .map(Path::to_path_buf)
    });
    let mut variables = Vec::new();
    if let Some(dir) = sources {
        let unit = terraform::hcl::load(&dir, &module_options(root, options));
        variables = unit.variables;
        let mut hcl = unit.resources;
        terraform::sources::shift_files(&mut hcl, 1);
        terraform::sources::place_on_sources(&mut resources, &hcl);
        diagnostics.extend(unit.diagnostics.into_iter().map(|(file, d)| (file + 1, d)));
        files.extend(unit.files.iter().map(|p| (display_path(p), "terraform-hcl")));
    }
    let unlifted = unlifted(&resources, &files, registry);
    let mut adapter_diagnostics = Vec::new();
    let graph = terraform::adapters::adapt(resources, &mut adapter_diagnostics);

    diagnostics.extend(adapter_diagnostics.into_iter().map(|d| (0, d)));
    let mut outcome = check_graph(
        &graph,
        files,
        diagnostics,
        registry,
        options.account_baseline,
        region,
    );
    outcome.skipped.extend(unlifted);
    outcome.tf_variables = variables;
    outcome
}

fn module_options(root: &Path, options: &ScanOptions) -> terraform::hcl::ModuleOptions {
    terraform::hcl::ModuleOptions {
        vars: options.tf_vars.clone(),
        var_files: options.tf_var_files.clone(),
        boundary: if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        },
        max_file_size: options.max_file_size,
    }
}
