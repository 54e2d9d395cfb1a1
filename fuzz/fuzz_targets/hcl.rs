#![no_main]
//! Parsing and evaluating a `.tf` file, then adapting its resources, never panics or hangs.
use libfuzzer_sys::fuzz_target;
use preflight::frontends::terraform::{adapters, hcl};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let unit = hcl::evaluate_text(text);
        let mut diagnostics = Vec::new();
        let _ = adapters::adapt(unit.resources, &mut diagnostics);
    }
});
