#![no_main]
//! Evaluating any YAML document as a template and running every check on it never panics or hangs.
use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preflight::checks::Registry;
use preflight::checks::run::run_checks;
use preflight::frontends::cloudformation;
use preflight::parse::{Limits, load_yaml};

fuzz_target!(|data: &[u8]| {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let registry = REGISTRY.get_or_init(|| Registry::builtin().expect("built-in checks"));
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(node) = load_yaml(text, Limits::default())
    {
        let (graph, _) = cloudformation::build_graph(&node, &HashMap::new());
        let _ = run_checks(registry, &graph, false);
    }
});
