//! The labelled AnyStyle references and their fixed split, shared by the labeller's training and
//! evaluation commands and its test: every reference goes to train (80%), dev (10%) or test (10%)
//! by a hash (FNV-1a, 64 bits) of its text, so the split never depends on order or on a seed.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ibid::grammar::label::{model_label, tokenize};
use ibid::model::Span;

/// One labelled reference.
pub struct Ref {
    /// The reference string, on one line (newlines read as spaces).
    pub text: String,
    /// The whole JSON line (the gold for `score_refs.py`).
    pub line: String,
    /// `(tag, text)` segments in order.
    pub segments: Vec<(String, String)>,
}

/// A part of the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Training data.
    Train,
    /// Tuning data.
    Dev,
    /// Held out: measured once, at the end.
    Test,
}

impl Part {
    /// `train`, `dev` or `test`.
    pub fn parse(s: &str) -> Option<Part> {
        match s {
            "train" => Some(Part::Train),
            "dev" => Some(Part::Dev),
            "test" => Some(Part::Test),
            _ => None,
        }
    }
}

/// The part a reference belongs to.
pub fn part(text: &str) -> Part {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    match h % 10 {
        0 => Part::Test,
        1 => Part::Dev,
        _ => Part::Train,
    }
}

/// The corpus folder: `../shared/corpus/anystyle` beside the project root.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/anystyle")
}

/// Reads `core.jsonl` then `gold.jsonl` from `dir`, in file order.
pub fn load(dir: &Path) -> std::io::Result<Vec<Ref>> {
    let mut out = Vec::new();
    for file in ["core.jsonl", "gold.jsonl"] {
        let body = std::fs::read_to_string(dir.join(file))?;
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            let text = v["text"].as_str().unwrap_or("").replace('\n', " ");
            let segments = v["segments"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| {
                            Some((s[0].as_str()?.to_owned(), s[1].as_str()?.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push(Ref {
                text,
                line: line.to_owned(),
                segments,
            });
        }
    }
    Ok(out)
}

/// The reference's tokens and the model label of each (its segment's tag); `None` when the
/// segments do not cut the text at token boundaries.
pub fn token_labels(r: &Ref) -> Option<(Vec<Span>, Vec<&'static str>)> {
    let tokens = tokenize(&r.text);
    let labels: Vec<&'static str> = r
        .segments
        .iter()
        .flat_map(|(tag, text)| text.split_whitespace().map(move |_| model_label(tag)))
        .collect();
    (labels.len() == tokens.len()).then_some((tokens, labels))
}
