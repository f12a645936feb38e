//! The .docx reader on any bytes: an error or a consistent manuscript, whose analysis does not
//! panic. Input starting with `PK` is read as the archive itself (the zip layer, limits); any
//! other input is split at its first NUL byte into `word/document.xml` and `word/footnotes.xml`,
//! stored in a fresh archive, so that the fuzzer reaches the XML reader (a mutated archive
//! mostly fails its checksums).
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        common::read_and_analyse(data, ibid::manuscript::Format::Docx);
        return;
    }
    let (document, footnotes) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(document).unwrap();
        w.start_file("word/footnotes.xml", opts).unwrap();
        w.write_all(footnotes).unwrap();
        w.finish().unwrap();
    }
    common::read_and_analyse(&out.into_inner(), ibid::manuscript::Format::Docx);
});
