//! What the .docx tests share: a package rewritten part by part.

use std::io::{Cursor, Read, Write};

/// `original` (a .docx) with `edit` applied to each XML part (its name, its text); other parts
/// kept as they are.
pub fn rezip(original: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(original)).unwrap();
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            let body = match String::from_utf8(body) {
                Ok(text) => edit(&name, text).into_bytes(),
                Err(e) => e.into_bytes(),
            };
            w.start_file(name, opts).unwrap();
            w.write_all(&body).unwrap();
        }
        w.finish().unwrap();
    }
    out.into_inner()
}
