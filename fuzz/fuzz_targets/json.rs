#![no_main]
//! The JSON loader never panics, whatever the bytes.
use libfuzzer_sys::fuzz_target;
use preflight::parse::{Limits, load_json};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_json(text, Limits::default());
    }
});
