//! Per-stage micro-benchmarks, so a regression shows which stage it is in:
//! the YAML and JSON loaders, the CloudFormation frontend, the Terraform plan
//! reader, the HCL evaluator and rule evaluation. Inputs are the repository's
//! own fixtures (every check's passing and failing case in each format): small,
//! varied, real-shaped, and available without `../shared`.
//!
//! `cargo bench --bench stages`; whole-run numbers against other tools are
//! `bench/run.sh`'s job.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use preflight::checks::Registry;
use preflight::checks::run::run_checks;
use preflight::frontends::{cloudformation, terraform};
use preflight::parse::{Limits, load_json, load_yaml};

// The same allocator as the binary, so the numbers match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The texts of every fixture file whose name satisfies `keep`, in path order.
fn fixture_texts(keep: impl Fn(&Path) -> bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures matched");
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("fixture text"))
        .collect()
}

fn name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

fn bytes(texts: &[String]) -> Throughput {
    Throughput::Bytes(texts.iter().map(|t| t.len() as u64).sum())
}

fn loaders(c: &mut Criterion) {
    let yaml = fixture_texts(|p| name(p).ends_with(".yaml") && name(p) != "expect.yaml");
    let json = fixture_texts(|p| name(p).ends_with(".json") && !name(p).ends_with(".plan.json"));
    let mut group = c.benchmark_group("load");
    group.throughput(bytes(&yaml));
    group.bench_function("yaml", |b| {
        b.iter(|| {
            for text in &yaml {
                black_box(load_yaml(text, Limits::default()).expect("fixture loads"));
            }
        })
    });
    group.throughput(bytes(&json));
    group.bench_function("json", |b| {
        b.iter(|| {
            for text in &json {
                black_box(load_json(text, Limits::default()).expect("fixture loads"));
            }
        })
    });
    group.finish();
}

fn frontends(c: &mut Criterion) {
    let templates: Vec<_> = fixture_texts(|p| name(p).ends_with(".yaml") && name(p) != "expect.yaml")
        .iter()
        .map(|t| load_yaml(t, Limits::default()).expect("fixture loads"))
        .collect();
    let plans = fixture_texts(|p| name(p).ends_with(".plan.json"));
    let modules = fixture_texts(|p| name(p) == "main.tf");
    let no_overrides = HashMap::new();
    let mut group = c.benchmark_group("frontend");
    group.bench_function("cloudformation", |b| {
        b.iter(|| {
            for root in &templates {
                black_box(cloudformation::build_graph(root, &no_overrides));
            }
        })
    });
    group.bench_function("terraform_plan", |b| {
        b.iter(|| {
            for text in &plans {
                black_box(terraform::plan::build_graph(text).expect("fixture loads"));
            }
        })
    });
    group.throughput(bytes(&modules));
    group.bench_function("hcl_evaluate", |b| {
        b.iter(|| {
            for text in &modules {
                black_box(terraform::hcl::evaluate_text(text));
            }
        })
    });
    group.finish();
}

fn rules(c: &mut Criterion) {
    let registry = Registry::builtin().expect("built-in checks compile");
    let no_overrides = HashMap::new();
    let graphs: Vec<_> = fixture_texts(|p| name(p).ends_with(".yaml") && name(p) != "expect.yaml")
        .iter()
        .map(|t| {
            let root = load_yaml(t, Limits::default()).expect("fixture loads");
            cloudformation::build_graph(&root, &no_overrides).0
        })
        .collect();
    let resources: usize = graphs.iter().map(|g| g.resources().len()).sum();
    let mut group = c.benchmark_group("checks");
    group.throughput(Throughput::Elements(resources as u64));
    group.bench_function("run_all_builtin", |b| {
        b.iter(|| {
            for graph in &graphs {
                black_box(run_checks(&registry, graph, false));
            }
        })
    });
    group.finish();
    // Start-up cost of every scan: parsing and compiling the embedded check files.
    c.bench_function("checks/compile_builtin", |b| {
        b.iter(|| black_box(Registry::builtin().expect("built-in checks compile")))
    });
}

criterion_group!(benches, loaders, frontends, rules);
criterion_main!(benches);
