#![no_main]
//! The check-language parser never panics, whatever the rule text.
use libfuzzer_sys::fuzz_target;
use preflight::checks::lang::parse_rule;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_rule(text);
    }
});
