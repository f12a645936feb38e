//! The committed fuzz corpora (`fuzz/corpus/<target>.zip`, minimised by `fuzz/minimise.sh` and
//! packed by `fuzz/pack.py`) replayed through the checks of their targets, so that `cargo test`
//! keeps every input the fuzzer found interesting passing without cargo-fuzz: no panic, every span
//! inside its text. The inputs are read straight from the archives (nothing is unpacked to disk).

use std::io::Read;

use ibid::manuscript::Format;
use ibid::Span;

#[path = "../fuzz/common.rs"]
mod common;

/// How many inputs each archive holds, as committed: a lost or truncated archive fails here
/// rather than replaying nothing. Update after `fuzz/minimise.sh` repacks a target.
const COUNTS: [(&str, usize); 6] = [
    ("note_grammar", 7132),
    ("reference_grammar", 6072),
    ("read_text", 1757),
    ("read_markdown", 3648),
    ("read_html", 1692),
    ("read_docx", 1786),
];

/// The inputs of `fuzz/corpus/<target>.zip`, as (entry name, bytes), sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(format!("{target}.zip"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive =
        zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut inputs = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .unwrap_or_else(|e| panic!("{}: entry {i}: {e}", path.display()));
        if !entry.is_file() {
            continue;
        }
        let name = match entry.name() {
            Ok(name) => format!("{target}/{name}"),
            Err(e) => panic!("{}: entry {i}: {e}", path.display()),
        };
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        inputs.push((name, bytes));
    }
    inputs.sort();
    let expected = COUNTS
        .iter()
        .find(|(t, _)| *t == target)
        .map(|&(_, n)| n)
        .unwrap_or_else(|| panic!("{target}: no expected count"));
    assert_eq!(
        inputs.len(),
        expected,
        "{target}: {} inputs in {}, {expected} committed",
        inputs.len(),
        path.display()
    );
    inputs
}

#[test]
fn note_grammar_corpus() {
    for (name, bytes) in corpus("note_grammar") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let first = text.find(' ').unwrap_or(text.len());
        for emphasis in [&[][..], &[Span::new(0, first)][..]] {
            let parsed = ibid::grammar::parse_note(text, emphasis);
            for cite in &parsed.cites {
                let ok = text.get(cite.span.start..cite.span.end).is_some()
                    && cite
                        .locator
                        .as_ref()
                        .is_none_or(|l| text.get(l.span.start..l.span.end).is_some());
                assert!(ok, "{name}: a span outside the note");
            }
            for f in &parsed.findings {
                assert!(f.span.end <= text.len(), "{name}");
            }
        }
    }
}

#[test]
fn reference_grammar_corpus() {
    for (name, bytes) in corpus("reference_grammar") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let work = ibid::grammar::parse_reference(text);
        assert!(serde_json::to_string(&work).is_ok(), "{name}");
    }
}

#[test]
fn reader_corpora() {
    for (target, format) in [
        ("read_text", Format::Text),
        ("read_markdown", Format::Markdown),
        ("read_html", Format::Html),
    ] {
        for (_, bytes) in corpus(target) {
            common::read_and_analyse(&bytes, format);
        }
    }
}

#[test]
fn docx_corpus() {
    for (_, bytes) in corpus("read_docx") {
        common::read_and_analyse(&common::docx_package(&bytes), Format::Docx);
    }
}
