// Shared by the reader targets: what a reader returns must be consistent, and the analysis of
// what it returns must not panic.
// Each target uses some of these helpers.
#![allow(dead_code)]

use ibid::manuscript::{read_bytes, Format};

pub fn read_and_analyse(data: &[u8], format: Format) {
    let path = std::path::Path::new("fuzz");
    let Ok(ms) = read_bytes(path, data, format) else {
        return;
    };
    let len = ms.text.len();
    for m in &ms.markers {
        assert!(
            m.span.start <= m.span.end && m.span.end <= len,
            "marker span"
        );
    }
    for note in &ms.notes {
        assert!(
            note.span.start <= note.span.end && note.span.end <= len,
            "note span"
        );
        for seg in &note.map.segments {
            assert!(seg.source.end <= len, "segment outside the source");
            assert!(seg.text.end <= note.text.len(), "segment outside the note");
        }
        for e in &note.emphasis {
            assert!(e.end <= note.text.len(), "emphasis outside the note");
        }
    }
    let analysis = ibid::resolve::analyse(ms);
    for d in &analysis.diagnostics {
        if let Some(s) = d.span {
            assert!(s.end <= len, "diagnostic span outside the source");
        }
    }
}

/// The `read_docx` target's input as a .docx package: bytes starting `PK` are the archive
/// itself; anything else is `document.xml` NUL `footnotes.xml`, zipped here.
pub fn docx_package(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    if data.starts_with(b"PK") {
        return data.to_vec();
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
    out.into_inner()
}
