//! The committed fuzz corpora (`fuzz/corpus/<target>/`, minimised by `fuzz/minimise.sh`) replayed
//! through the checks of their targets, so that `cargo test` keeps every input the fuzzer found
//! interesting passing without cargo-fuzz: no panic, every span inside its text.

use std::path::{Path, PathBuf};

use ibid::manuscript::Format;
use ibid::Span;

#[path = "../fuzz/common.rs"]
mod common;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 50,
        "{target}: only {} inputs committed",
        inputs.len()
    );
    inputs
}

#[test]
fn note_grammar_corpus() {
    for (path, bytes) in corpus("note_grammar") {
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
                assert!(ok, "{}: a span outside the note", path.display());
            }
            for f in &parsed.findings {
                assert!(f.span.end <= text.len(), "{}", path.display());
            }
        }
    }
}

#[test]
fn reference_grammar_corpus() {
    for (path, bytes) in corpus("reference_grammar") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let work = ibid::grammar::parse_reference(text);
        assert!(serde_json::to_string(&work).is_ok(), "{}", path.display());
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
