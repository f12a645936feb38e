//! Every Programming Historian lesson (`../shared/corpus/programming-historian`), converted by pandoc
//! to HTML and to .docx, reads as the same notes as its Markdown. Runs when `pandoc` is installed
//! (`apt-get install pandoc`, which `.ci/run` does); outside CI it says so and passes otherwise.
//!
//! pandoc changes some notes itself, and the comparison allows exactly that: it drops a definition
//! nothing refers to (the Markdown reader reports it, IB004), it makes one note per reference when a
//! marker is used twice (reported, IB006), it reads `~8~` as a subscript (the tildes vanish), and
//! it drops raw HTML (`<a href>` in a note) when writing .docx, so .docx is compared without URLs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ibid::manuscript::{self, Manuscript};
use ibid::Code;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/programming-historian")
}

fn pandoc(input: &Path, output: &Path) -> bool {
    Command::new("pandoc")
        .args(["-f", "markdown-smart"])
        .arg(input)
        .arg("-s")
        .arg("-o")
        .arg(output)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Note texts as a multiset, whitespace collapsed, tildes dropped (and URLs, with `no_urls`).
fn texts(ms: &Manuscript, no_urls: bool) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for n in &ms.notes {
        let flat = n.text.replace('~', "");
        let flat = flat
            .split_whitespace()
            .filter(|w| !(no_urls && w.contains("://")))
            .collect::<Vec<_>>()
            .join(" ");
        *out.entry(flat).or_insert(0) += 1;
    }
    out
}

fn count(ms: &Manuscript, code: Code) -> usize {
    ms.diagnostics.iter().filter(|d| d.code == code).count()
}

#[test]
fn corpus_converted_by_pandoc_reads_the_same_notes() {
    if Command::new("pandoc").arg("--version").output().is_err() {
        // CI installs pandoc (.ci/run): there, a missing pandoc is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "pandoc is not installed (CI must install it)"
        );
        eprintln!("pandoc is not installed: nothing compared");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let index = std::fs::read_to_string(corpus().join("index.tsv")).unwrap();
    let mut compared = 0;
    let mut problems = Vec::new();
    for line in index.lines().skip(1) {
        let file = line.split('\t').next().unwrap();
        let md_path = corpus().join(file);
        let md = manuscript::read(&md_path, None).unwrap();
        // what pandoc makes of the notes: unused definitions gone, repeated markers duplicated
        let unused: Vec<&str> = md
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::NoteWithoutMarker)
            .filter_map(|d| d.note.as_deref())
            .collect();
        let referenced = Manuscript {
            notes: md
                .notes
                .iter()
                .filter(|n| !unused.contains(&n.id.as_str()))
                .cloned()
                .collect(),
            ..md.clone()
        };
        let expected =
            md.notes.len() - count(&md, Code::NoteWithoutMarker) + count(&md, Code::RepeatedMarker);
        for ext in ["html", "docx"] {
            let out = dir.path().join(format!("{}.{ext}", file.replace('/', "_")));
            if !pandoc(&md_path, &out) {
                continue; // pandoc could not convert it (an image it cannot find for .docx)
            }
            let ms = match manuscript::read(&out, None) {
                Ok(ms) => ms,
                Err(e) => {
                    problems.push(format!("{file} as {ext}: {e}"));
                    continue;
                }
            };
            compared += 1;
            if ms.notes.len() != expected {
                problems.push(format!(
                    "{file} as {ext}: {} notes, expected {expected}",
                    ms.notes.len()
                ));
            }
            let no_urls = ext == "docx";
            let mut got = texts(&ms, no_urls);
            got.values_mut().for_each(|c| *c = 1);
            let mut want_once = texts(&referenced, no_urls);
            want_once.values_mut().for_each(|c| *c = 1);
            if got != want_once {
                let missing: Vec<_> = want_once.keys().filter(|k| !got.contains_key(*k)).collect();
                let extra: Vec<_> = got.keys().filter(|k| !want_once.contains_key(*k)).collect();
                problems.push(format!(
                    "{file} as {ext}: missing {missing:?}\n  extra {extra:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(compared >= 70, "only {compared} conversions compared");
    eprintln!("{compared} conversions read the same notes as their Markdown");
}
