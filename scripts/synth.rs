//! Synthetic data for the benchmarks and the batch load test, built from real works: the seed
//! essay's 24 works (from its gold extract) and the works ibid's grammar reads out of the AnyStyle
//! reference strings in `../shared/corpus/anystyle/`. Shared by `benches/*.rs` and
//! `scripts/gen_manuscripts.rs` through `#[path]` includes; deterministic (a fixed xorshift seed).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ibid::model::{Name, Work};
use ibid::output::Extract;
use ibid::render::{CiteRef, NoteSeq, RenderInput};

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
            let mut citations = vec![CiteRef {
                work: Some(works[work].id.clone()),
                kind: "full".into(),
                locator: Some(locator),
                label: Some("page".into()),
                ..CiteRef::default()
            }];
            if rng.below(10) == 0 {
                let other = rng.below(works.len());
                citations.push(CiteRef {
                    work: Some(works[other].id.clone()),
                    kind: "full".into(),
                    ..CiteRef::default()
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
