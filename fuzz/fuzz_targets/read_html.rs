//! The html reader on any bytes: an error or a consistent manuscript, whose analysis does not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_analyse(data, ibid::manuscript::Format::Html);
});
