//! The .docx reader on any bytes: an error or a consistent manuscript, whose analysis does not
//! panic. Input starting with `PK` is read as the archive itself (the zip layer, limits); any
//! other input is split at its first NUL byte into `word/document.xml` and `word/footnotes.xml`,
//! stored in a fresh archive, so that the fuzzer reaches the XML reader (a mutated archive
//! mostly fails its checksums).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_analyse(&common::docx_package(data), ibid::manuscript::Format::Docx);
});
