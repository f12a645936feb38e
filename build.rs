//! Parses the embedded CSL styles and the en-US locale once, at build time, into CBOR (the form
//! hayagriva's own archive uses): decoding CBOR at start-up takes a fraction of the time that
//! reading the XML does (about 12 ms for Chicago, most of a seed check's budget). The XML stays
//! embedded too; `src/render/style.rs` checks both give the same style.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=styles");
    let mut entries: Vec<PathBuf> = std::fs::read_dir("styles")
        .expect("the styles folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let xml = std::fs::read_to_string(&path).expect("read a style");
        let mut cbor = Vec::new();
        match ext {
            "csl" => {
                let style = citationberg::Style::from_xml(&xml)
                    .unwrap_or_else(|e| panic!("{}: not a CSL style: {e}", path.display()));
                ciborium::ser::into_writer(&style, &mut cbor).expect("encode a style");
            }
            "xml" => {
                let file = citationberg::LocaleFile::from_xml(&xml)
                    .unwrap_or_else(|e| panic!("{}: not a CSL locale: {e}", path.display()));
                let locale = citationberg::Locale::from(file);
                ciborium::ser::into_writer(&locale, &mut cbor).expect("encode a locale");
            }
            _ => continue,
        }
        let name = path.file_name().expect("a file name").to_string_lossy();
        std::fs::write(out.join(format!("{name}.cbor")), cbor).expect("write the CBOR form");
    }
}
