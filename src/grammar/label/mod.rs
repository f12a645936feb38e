//! The learned field labeller: a linear-chain CRF (the method of AnyStyle, GROBID and ParsCit)
//! that labels every token of a reference string with the field it belongs to (`author`, `title`,
//! `journal`, `publisher` ...).
//!
//! The model is trained by `cargo run --release --example train-labeller` on the labelled
//! AnyStyle references (`../shared/corpus/anystyle/`, the training part of a fixed split by a hash
//! of the text) and shipped in the binary: `models/labeller.crfsuite` (CRFsuite's format, read by
//! the pure-Rust crate `crfs`) and the word lists of [`lexicon`] (`models/labeller-lexicon.tsv`).
//! Tokens and features are those of [`mod@features`]. Turning the labels into fields is the reference
//! grammar's part (`grammar::reference`), which also decides when the labeller is asked at all.

pub mod features;
pub mod lexicon;

use std::sync::OnceLock;

use crate::model::span::Span;
pub use features::{features, tokenize};
pub use lexicon::Lexicon;

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

/// The shipped model, loaded once; `None` when the binary was built without one (an empty
/// placeholder file before the first training) or it cannot be read.
fn shipped() -> Option<&'static (crfs::Model<'static>, Lexicon)> {
    static MODEL: OnceLock<Option<(crfs::Model<'static>, Lexicon)>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let model = crfs::Model::new(MODEL_BYTES).ok()?;
            Some((model, Lexicon::parse(LEXICON_TSV)))
        })
        .as_ref()
}

/// The shipped word lists (empty when no model is shipped).
pub fn shipped_lexicon() -> Lexicon {
    shipped().map(|(_, l)| l.clone()).unwrap_or_default()
}

/// The shipped model is present and readable.
pub fn available() -> bool {
    shipped().is_some()
}

thread_local! {
    /// A tagger per thread (it keeps the model's transition scores ready).
    static TAGGER: Option<crfs::Tagger<'static>> = shipped().and_then(|(m, _)| m.tagger().ok());
}

/// Labels the tokens of `text` with the shipped model and returns the runs of one label, in
/// order. `emphasis` lists the byte ranges the source set in italics. Empty when no model is
/// shipped.
pub fn label(text: &str, emphasis: &[Span]) -> Vec<Segment> {
    let Some((_, lex)) = shipped() else {
        return Vec::new();
    };
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let xseq = features(text, &tokens, emphasis, lex);
    let labels: Vec<&'static str> = TAGGER.with(|t| {
        t.as_ref()
            .and_then(|t| t.tag(&xseq).ok())
            .map(|ls| ls.into_iter().map(model_label).collect())
            .unwrap_or_default()
    });
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
