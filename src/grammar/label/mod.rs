//! The learned field labeller: a linear-chain CRF (the method of AnyStyle, GROBID and ParsCit)
//! that labels every token of a reference string with the field it belongs to (`author`, `title`,
//! `journal`, `publisher` ...).
//!
//! The model is trained by `cargo run --release --example train-labeller` on the labelled
//! AnyStyle references (`../shared/corpus/anystyle/`, the training part of a fixed split by a hash
//! of the text) and shipped in the binary: `models/labeller.crfsuite` (CRFsuite's format, read by
//! the pure-Rust crate `crfs`, and for tagging
//! into the compact tables of [`tagger`]) and the word lists of [`lexicon`] (`models/labeller-lexicon.tsv`).
//! Tokens and features are those of [`mod@features`]. Turning the labels into fields is the reference
//! grammar's part (`grammar::reference`), which also decides when the labeller is asked at all.

pub mod features;
pub mod lexicon;
pub mod tagger;

use std::sync::OnceLock;

use crate::model::span::Span;
pub use features::{features, tokenize};
pub use lexicon::Lexicon;
pub use tagger::Compiled;

/// The shipped model (CRFsuite's binary format).
static MODEL_BYTES: &[u8] = include_bytes!("../../../models/labeller.crfsuite");
/// The shipped word lists.
static LEXICON_TSV: &str = include_str!("../../../models/labeller-lexicon.tsv");

/// The labels the model is trained with: AnyStyle's tags, with the rare ones (`source`,
/// `director`, `medium`, `producer`) folded into `note`.
pub const LABELS: &[&str] = &[
    "author",
    "editor",
    "translator",
    "title",
    "container-title",
    "journal",
    "collection-title",
    "date",
    "volume",
    "pages",
    "publisher",
    "location",
    "edition",
    "genre",
    "note",
    "url",
    "doi",
    "isbn",
    "citation-number",
];

/// The model label of an AnyStyle tag (see [`LABELS`]).
pub fn model_label(tag: &str) -> &'static str {
    LABELS
        .iter()
        .find(|l| **l == tag)
        .copied()
        .unwrap_or("note")
}

/// One labelled run of tokens: the label and the byte range from its first token's start to its
/// last token's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// One of [`LABELS`].
    pub label: &'static str,
    /// Where it stands in the text.
    pub span: Span,
}

/// The shipped model, read once into the tagger's tables, with the model label of each of its
/// labels; `None` when the binary was built without one (an empty placeholder file before the
/// first training) or it cannot be read.
fn shipped() -> Option<&'static Shipped> {
    static MODEL: OnceLock<Option<Shipped>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let model = Compiled::new(MODEL_BYTES).ok()?;
            let labels = model.labels().iter().map(|l| model_label(l)).collect();
            Some(Shipped {
                model,
                labels,
                lexicon: Lexicon::parse(LEXICON_TSV),
            })
        })
        .as_ref()
}

/// The shipped model and word lists.
struct Shipped {
    model: Compiled,
    /// [`model_label`] of each of the model's labels, by id.
    labels: Vec<&'static str>,
    lexicon: Lexicon,
}

/// The shipped model in CRFsuite's binary format (`models/labeller.crfsuite`), for reading it
/// with `crfs` (what [`label`] gives must be what `crfs`'s tagger gives).
pub fn shipped_model_bytes() -> &'static [u8] {
    MODEL_BYTES
}

/// The shipped word lists (empty when no model is shipped).
pub fn shipped_lexicon() -> Lexicon {
    shipped().map(|s| s.lexicon.clone()).unwrap_or_default()
}

/// The shipped model is present and readable.
pub fn available() -> bool {
    shipped().is_some()
}

/// Labels the tokens of `text` with the shipped model and returns the runs of one label, in
/// order. `emphasis` lists the byte ranges the source set in italics. Empty when no model is
/// shipped.
pub fn label(text: &str, emphasis: &[Span]) -> Vec<Segment> {
    let Some(s) = shipped() else {
        return Vec::new();
    };
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let labels: Vec<&'static str> = s
        .model
        .tag(text, &tokens, emphasis, &s.lexicon)
        .into_iter()
        .map(|id| s.labels.get(id as usize).copied().unwrap_or("note"))
        .collect();
    segments(&tokens, &labels)
}

/// Groups labelled tokens into runs of one label.
pub fn segments(tokens: &[Span], labels: &[&'static str]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for (t, &l) in tokens.iter().zip(labels) {
        match out.last_mut() {
            Some(s) if s.label == l => s.span.end = t.end,
            _ => out.push(Segment { label: l, span: *t }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_one_label_make_one_segment() {
        let text = "Lee, A. On things. Oxford";
        let toks = tokenize(text);
        let segs = segments(&toks, &["author", "author", "title", "title", "location"]);
        let got: Vec<(&str, &str)> = segs.iter().map(|s| (s.label, s.span.slice(text))).collect();
        assert_eq!(
            got,
            [
                ("author", "Lee, A."),
                ("title", "On things."),
                ("location", "Oxford")
            ]
        );
    }

    #[test]
    fn tags_map_to_model_labels() {
        assert_eq!(model_label("journal"), "journal");
        assert_eq!(model_label("director"), "note");
        assert!(LABELS.contains(&model_label("anything")));
    }
}
