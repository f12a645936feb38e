//! The reference grammar on any string: no panic, and its CSL-JSON serialises.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let work = ibid::grammar::parse_reference(text);
    serde_json::to_string(&work).expect("a parsed work serialises");
});
