//! The Markdown, HTML and .docx readers never panic on damaged input, and what they return stays
//! consistent: spans inside the source, verbatim map segments equal to their source bytes.
//! Inputs: the seed fixtures cut short and with fragments of markup spliced in at pseudo-random
//! places (a fixed-seed generator, so a failure can be replayed).

#[path = "common/docx.rs"]
mod docx;

use docx::rezip;
use std::path::{Path, PathBuf};

use ibid::manuscript::{read_bytes, Format, Manuscript};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(name)
}

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

const FRAGMENTS: &[&str] = &[
    "[^",
    "^[",
    "]",
    "[^i]",
    "[^i]:",
    "`",
    "```\n",
    "\n    ",
    "\n\n",
    "*",
    "_",
    "&",
    "&amp",
    "&#x;",
    "&#99999999;",
    "<a href=\"#fn1\">",
    "<sup>",
    "</sup>",
    "</a>",
    "<li id=\"fn2\">",
    "</li>",
    "</ol>",
    "<em>",
    "<!--",
    "<script>",
    "\u{a0}",
    "é",
    "> ",
];

fn check(ms: &Manuscript, what: &str) {
    let len = ms.text.len();
    for m in &ms.markers {
        assert!(
            m.span.end <= len && m.span.start <= m.span.end,
            "{what}: marker span"
        );
    }
    for note in &ms.notes {
        assert!(note.span.end <= len, "{what}: note span");
        for seg in &note.map.segments {
            assert!(seg.source.end <= len, "{what}: segment outside the source");
            assert!(
                seg.text.end <= note.text.len(),
                "{what}: segment outside the note"
            );
            let (t, s) = (seg.text.slice(&note.text), seg.source.slice(&ms.text));
            let blank = |x: &str| x.chars().all(char::is_whitespace);
            if seg.text.len() == seg.source.len() && !(blank(t) && blank(s)) {
                assert_eq!(t, s, "{what}: verbatim segment of note {}", note.id);
            }
        }
        for e in &note.emphasis {
            assert!(
                e.start < e.end && e.end <= note.text.len(),
                "{what}: emphasis"
            );
        }
    }
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut out = text.to_owned();
    for _ in 0..1 + rng.next(4) {
        let mut at = rng.next(out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        out.insert_str(at, FRAGMENTS[rng.next(FRAGMENTS.len())]);
    }
    if rng.next(3) == 0 {
        let mut cut = rng.next(out.len() + 1);
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

#[test]
fn damaged_markdown_and_html_read_without_panic() {
    for (name, format) in [("seed.md", Format::Markdown), ("seed.html", Format::Html)] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let mut rng = Rng(0x1b1d);
        for round in 0..60 {
            let damaged = mutate(&text, &mut rng);
            let what = format!("{name} round {round}");
            let ms = read_bytes(Path::new(name), damaged.as_bytes(), format)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            check(&ms, &what);
        }
    }
}

#[test]
fn damaged_docx_reads_or_fails_cleanly() {
    let bytes = std::fs::read(fixture("seed.docx")).unwrap();
    // cut short: an error naming the file, never a panic
    for cut in [
        0,
        10,
        100,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 30,
    ] {
        match read_bytes(Path::new("cut.docx"), &bytes[..cut], Format::Docx) {
            Ok(ms) => check(&ms, "cut"),
            Err(e) => assert!(e.to_string().contains("cut.docx"), "{e}"),
        }
    }
    // markup spliced into the notes and the body
    let xml_fragments = [
        "<w:t>",
        "</w:t>",
        "&amp;",
        "&",
        "<w:i/>",
        "</w:footnote>",
        "<w:footnote w:id=\"3\">",
        "<w:r>",
        "</w:r>",
        "<w:footnoteReference w:id=\"999\"/>",
        "<w:del>",
        "]]>",
        "<![CDATA[x",
    ];
    let mut rng = Rng(0xd0c5);
    let (mut read_ok, mut refused) = (0, 0);
    for round in 0..25 {
        let picks: Vec<(usize, usize)> = (0..3)
            .map(|_| (rng.next(1 << 20), rng.next(xml_fragments.len())))
            .collect();
        let damaged = rezip(&bytes, |name, mut text| {
            if name == "word/footnotes.xml" || name == "word/document.xml" {
                for (at, f) in &picks {
                    let mut at = at % (text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.insert_str(at, xml_fragments[*f]);
                }
            }
            text
        });
        match read_bytes(Path::new("damaged.docx"), &damaged, Format::Docx) {
            Ok(ms) => {
                check(&ms, &format!("docx round {round}"));
                read_ok += 1;
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("damaged.docx") && msg.contains("word/"),
                    "{msg}"
                );
                refused += 1;
            }
        }
    }
    // the damage is real: some of it breaks the XML, some of it reads
    assert!(
        read_ok > 0 && refused > 0,
        "{read_ok} read, {refused} refused"
    );
}
