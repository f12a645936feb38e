//! Synthetic data for the benchmarks and the batch load test, built from real works: the seed
//! essay's 24 works (from its gold extract) and the works ibid's grammar reads out of the AnyStyle
//! reference strings in `../shared/corpus/anystyle/`. Shared by `benches/*.rs` and
//! `scripts/gen_manuscripts.rs` through `#[path]` includes; deterministic (a fixed xorshift seed).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ibid::model::{CiteRecord, Name, Work};
use ibid::output::Extract;
use ibid::render::{NoteSeq, RenderInput};

/// `../shared` from the crate root.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The seed essay's manuscript.
pub fn seed_manuscript() -> PathBuf {
    shared().join("fixtures/essay-internet-governance.txt")
}

/// The seed essay's gold extract.
pub fn seed_extract() -> Extract {
    let path = shared().join("fixtures/essay-internet-governance.gold.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The reference strings of the AnyStyle corpus (`core.jsonl` then `gold.jsonl`).
pub fn anystyle_strings() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["core.jsonl", "gold.jsonl"] {
        let path = shared().join("corpus/anystyle").join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if let Some(t) = v["text"].as_str() {
                out.push(t.to_owned());
            }
        }
    }
    out
}

/// The corpus works ibid reads with a personal author and a title (what a note would cite).
pub fn corpus_works() -> Vec<Work> {
    anystyle_strings()
        .iter()
        .map(|s| ibid::grammar::parse_reference(s))
        .filter(|w| {
            w.title.as_deref().is_some_and(|t| t.len() > 3)
                && w.author.first().is_some_and(|n| n.family.is_some())
        })
        .collect()
}

/// A deterministic pseudo-random source (xorshift64).
pub struct Rng(u64);

impl Rng {
    /// A source with a fixed seed, varied by `salt`.
    pub fn new(salt: u64) -> Rng {
        Rng(0x9e37_79b9_7f4a_7c15 ^ salt.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "Networks",
    "Borders",
    "Sovereignty",
    "Platforms",
    "Standards",
    "Markets",
    "Regimes",
    "Publics",
    "Protocols",
    "Rights",
    "Archives",
    "Cities",
    "Courts",
    "Media",
    "States",
    "Firms",
];

/// The pool the generated works are drawn from: the seed's works, then the corpus's.
pub fn pool() -> Vec<Work> {
    let mut pool = seed_extract().works;
    pool.extend(corpus_works());
    pool
}

/// `n` distinct works (keys `w0`, `w1` ...) cycled from `pool`; past the first round each gets
/// a varied title and first-author surname, so that no two render the same.
pub fn works(pool: &[Work], n: usize) -> Vec<Work> {
    (0..n)
        .map(|i| {
            let mut w = pool[i % pool.len()].clone();
            let round = i / pool.len();
            w.id = format!("w{i}");
            if round > 0 {
                let word = WORDS[round % WORDS.len()];
                w.title = w.title.map(|t| format!("{t}: {word} {round}"));
                w.title_short = None;
                if let Some(Name {
                    family: Some(f), ..
                }) = w.author.first_mut()
                {
                    f.push_str(&format!("-{}", WORDS[(i * 7) % WORDS.len()]));
                }
            }
            w
        })
        .collect()
}

/// `n` notes citing `works`: about 30 % repeat the previous note's work (Ibid), the rest cite a
/// random work (first or subsequent citation), one in ten adds a second citation without
/// locator, one in twenty is commentary without citation.
pub fn notes(works: &[Work], n: usize, salt: u64) -> Vec<NoteSeq> {
    let mut rng = Rng::new(salt);
    let mut last = 0;
    (1..=n)
        .map(|number| {
            if rng.below(20) == 0 {
                return NoteSeq {
                    id: number.to_string(),
                    number,
                    citations: Vec::new(),
                    commentary: true,
                    text: Some("A remark without citation.".into()),
                };
            }
            let work = if rng.below(10) < 3 {
                last
            } else {
                rng.below(works.len())
            };
            last = work;
            let page = 1 + rng.below(400);
            let locator = if rng.below(8) == 0 {
                format!("{page}-{}", page + 1 + rng.below(12))
            } else {
                page.to_string()
            };
            let mut citations = vec![CiteRecord {
                work: Some(works[work].id.clone()),
                kind: "full".into(),
                locator: Some(locator),
                label: Some("page".into()),
                ..CiteRecord::default()
            }];
            if rng.below(10) == 0 {
                let other = rng.below(works.len());
                citations.push(CiteRecord {
                    work: Some(works[other].id.clone()),
                    kind: "full".into(),
                    ..CiteRecord::default()
                });
                last = other;
            }
            NoteSeq {
                id: number.to_string(),
                number,
                citations,
                commentary: false,
                text: None,
            }
        })
        .collect()
}

/// A render input of `notes` notes over `works` works drawn from `pool`.
pub fn input(pool: &[Work], works_n: usize, notes_n: usize) -> RenderInput {
    let works = works(pool, works_n);
    let notes = notes(&works, notes_n, works_n as u64 ^ notes_n as u64);
    RenderInput { works, notes }
}

/// Writes `path` as a Markdown manuscript: a paragraph per note with its `[^n]` marker, then the
/// note definitions. `notes` are the notes' texts.
pub fn write_markdown(path: &Path, title: &str, notes: &[String]) -> std::io::Result<()> {
    let mut s = format!("# {title}\n\n");
    for (i, _) in notes.iter().enumerate() {
        s.push_str(&format!(
            "Paragraph {} of the argument, which a note supports.[^{}]\n\n",
            i + 1,
            i + 1
        ));
    }
    s.push_str("## Notes\n\n");
    for (i, n) in notes.iter().enumerate() {
        s.push_str(&format!("[^{}]: {}\n\n", i + 1, n.replace('\n', " ")));
    }
    std::fs::write(path, s)
}

/// How a generated manuscript is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Plain text: a paragraph per note with its `[^n]` marker, then `Notes` and one `[^n] text`
    /// paragraph per note (caret ids, since bracketed numbers stop at four digits).
    Text,
    /// Markdown: pandoc footnotes (see [`write_markdown`]).
    Markdown,
}

impl Shape {
    /// The file extension the readers guess this shape from.
    pub fn ext(self) -> &'static str {
        match self {
            Shape::Text => "txt",
            Shape::Markdown => "md",
        }
    }
}

/// A manuscript's text: a paragraph per note with its marker, then the notes. `notes` are the
/// notes' texts (Markdown for [`Shape::Markdown`], plain for [`Shape::Text`]).
pub fn manuscript_text(shape: Shape, title: &str, notes: &[String]) -> String {
    let mut s = String::with_capacity(notes.iter().map(|n| n.len() + 80).sum());
    s.push_str(title);
    s.push_str("\n\n");
    if shape == Shape::Markdown {
        s.insert_str(0, "# ");
    }
    for i in 1..=notes.len() {
        s.push_str(&format!(
            "Paragraph {i} of the argument, which a note supports.[^{i}]\n\n"
        ));
    }
    s.push_str(match shape {
        Shape::Text => "Notes\n\n",
        Shape::Markdown => "## Notes\n\n",
    });
    for (i, n) in notes.iter().enumerate() {
        let sep = if shape == Shape::Markdown { ":" } else { "" };
        s.push_str(&format!("[^{}]{sep} {}\n\n", i + 1, n.replace('\n', " ")));
    }
    s
}

/// The texts of `notes` notes over `works_n` works drawn from `pool` as a writer would type
/// them: rendered in Chicago 17 (full citations, short forms, Ibid.), then about one note in
/// twelve spoiled (`Ibid` without its period, a hyphen for a range's dash) so that `check` has
/// findings to report and fixes to settle.
pub fn note_texts(pool: &[Work], works_n: usize, notes_n: usize, shape: Shape) -> Vec<String> {
    let input = input(pool, works_n, notes_n);
    spoiled_texts(&input, shape, notes_n as u64)
}

/// A chain of `notes_n` notes citing one work: the first in full, every other one `Ibid.` with
/// its page, spoiled as [`note_texts`] does.
pub fn ibid_chain_texts(pool: &[Work], notes_n: usize, shape: Shape) -> Vec<String> {
    let works = works(pool, 1);
    let mut rng = Rng::new(7);
    let notes = (1..=notes_n)
        .map(|number| NoteSeq {
            id: number.to_string(),
            number,
            citations: vec![CiteRecord {
                work: Some(works[0].id.clone()),
                kind: "full".into(),
                locator: Some((1 + rng.below(400)).to_string()),
                label: Some("page".into()),
                ..CiteRecord::default()
            }],
            commentary: false,
            text: None,
        })
        .collect();
    spoiled_texts(&RenderInput { works, notes }, shape, 11)
}

/// The notes of `input` rendered in Chicago 17, one in twelve spoiled.
fn spoiled_texts(input: &RenderInput, shape: Shape, salt: u64) -> Vec<String> {
    let style = ibid::render::Style::builtin("chicago").expect("the chicago style is embedded");
    let rendered = ibid::render::render_notes(input, &style).expect("render");
    let mut rng = Rng::new(salt);
    rendered
        .notes
        .iter()
        .map(|n| {
            let mut t = match shape {
                Shape::Markdown => n.text.to_markdown(),
                Shape::Text => n.text.to_text(),
            };
            match rng.below(12) {
                0 => t = t.replacen("Ibid.", "Ibid", 1),
                1 => t = t.replacen('–', "-", 1),
                _ => {}
            }
            t
        })
        .collect()
}

/// A pandoc Markdown manuscript of `n` inline notes (`^[...]`), the notes of [`note_texts`] over
/// `n / 20` works, one per paragraph.
pub fn inline_notes_text(pool: &[Work], n: usize) -> String {
    let notes = note_texts(pool, (n / 20).max(5), n, Shape::Markdown);
    let mut s = String::with_capacity(n * 160);
    s.push_str(
        "Inline notes

",
    );
    for (i, note) in notes.iter().enumerate() {
        s.push_str(&format!("Claim {}.^[{note}]\n\n", i + 1));
    }
    s
}

/// A Word manuscript (.docx bytes) of `n` footnotes, the notes of [`note_texts`] over `n / 20`
/// works as plain runs, one reference per paragraph: the two parts ibid reads, zipped.
pub fn docx_bytes(pool: &[Work], n: usize) -> Vec<u8> {
    use std::io::Write;
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let notes = note_texts(pool, (n / 20).max(5), n, Shape::Text);
    let mut body = String::with_capacity(n * 120);
    let mut footnotes = String::with_capacity(n * 260);
    for (i, note) in notes.iter().enumerate() {
        let id = i + 1;
        body.push_str(&format!(
            r#"<w:p><w:r><w:t xml:space="preserve">Claim {id}.</w:t></w:r><w:r><w:footnoteReference w:id="{id}"/></w:r></w:p>"#
        ));
        footnotes.push_str(&format!(
            r#"<w:footnote w:id="{id}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p></w:footnote>"#,
            ibid::render::Rich::plain(note).to_html()
        ));
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>{footnotes}</w:footnotes>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, part) in [
        ("word/document.xml", &document),
        ("word/footnotes.xml", &footnotes),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("a zip entry");
        zip.write_all(part.as_bytes()).expect("written");
    }
    zip.finish().expect("a zip").into_inner()
}

/// A manuscript whose body cites one note `uses` times (`[^1]` in every paragraph), the note
/// defined once: what a writer's copy-paste can leave.
pub fn reused_marker_text(pool: &[Work], uses: usize, shape: Shape) -> String {
    let note = note_texts(pool, 1, 1, shape).remove(0);
    let mut s = String::with_capacity(uses * 60 + note.len() + 40);
    s.push_str("Reused marker\n\n");
    for i in 1..=uses {
        s.push_str(&format!("Paragraph {i} cites the same note.[^1]\n\n"));
    }
    s.push_str(match shape {
        Shape::Text => "Notes\n\n[^1] ",
        Shape::Markdown => "## Notes\n\n[^1]: ",
    });
    s.push_str(&note);
    s.push('\n');
    s
}
