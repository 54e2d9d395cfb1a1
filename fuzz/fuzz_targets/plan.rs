#![no_main]
//! Reading any JSON document as a Terraform plan and checking it never panics.
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preflight::checks::Registry;
use preflight::checks::run::run_checks;
use preflight::frontends::terraform::plan;

fuzz_target!(|data: &[u8]| {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let registry = REGISTRY.get_or_init(|| Registry::builtin().expect("built-in checks"));
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok((graph, _)) = plan::build_graph(text)
    {
        let _ = run_checks(registry, &graph, false);
    }
});
