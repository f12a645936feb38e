//! Parse: the nom grammar that reads a note's text into citations, and a reference string into
//! CSL-JSON fields.
//!
//! The grammar never fails a whole note. What it cannot read stays prose: the note is then marked
//! as commentary, and the resolver or `check` may report it.

use serde::{Deserialize, Serialize};

mod date;
pub mod label;
mod locator;
mod names;
mod note;
mod reference;
mod scan;

use crate::model::span::Span;
use crate::model::{CiteRecord, Library, Work, WorkId};

pub(crate) use date::is_month;

/// How a citation refers to its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiteKind {
    /// A complete citation: author, title and facts of publication.
    Full,
    /// A shortened citation: author and short title (`Lee, "Hacking," 62.`).
    Short,
    /// `Ibid.`, `Ibidem`, `Id.`: the work of the note just before.
    Ibid,
    /// `op. cit.` / `loc. cit.` after an author's name: that author's last work.
    OpCit,
}

impl CiteKind {
    /// The kind as the extract JSON names it (`op. cit.` counts as a short form there).
    pub fn json_name(self) -> &'static str {
        match self {
            CiteKind::Full => "full",
            CiteKind::Short | CiteKind::OpCit => "short",
            CiteKind::Ibid => "ibid",
        }
    }
}

/// An introductory signal: `See`, `Cf.`, `cited in` ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// Normalised, lower case, no final period: `see`, `see also`, `cf.`, `seen in`, `cited in`.
    pub name: String,
    /// The signal as written, in the note's text.
    pub span: Span,
}

/// What a locator counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocatorLabel {
    /// Pages (the default).
    Page,
    /// Chapter.
    Chapter,
    /// Article (of a law).
    Article,
    /// Section, §.
    Section,
    /// Paragraph, ¶.
    Paragraph,
    /// Note (`n. 4`).
    Note,
    /// Line.
    Line,
    /// Folio.
    Folio,
    /// Volume (as a pinpoint).
    Volume,
    /// Several labels in one locator (`Chapter 1, Article 9`): kept as text.
    Compound,
}

impl LocatorLabel {
    /// The CSL locator type.
    pub fn csl_name(self) -> &'static str {
        match self {
            LocatorLabel::Page | LocatorLabel::Compound => "page",
            LocatorLabel::Chapter => "chapter",
            LocatorLabel::Article => "article",
            LocatorLabel::Section => "section",
            LocatorLabel::Paragraph => "paragraph",
            LocatorLabel::Note => "note",
            LocatorLabel::Line => "line",
            LocatorLabel::Folio => "folio",
            LocatorLabel::Volume => "volume",
        }
    }
}

/// The place in the work a citation points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locator {
    /// What it counts.
    pub label: LocatorLabel,
    /// Normalised value: ranges with an en dash (`4–13`, `493–94` kept as written), no `p.`; a
    /// compound locator as written (`Chapter 1, Article 9`).
    pub value: String,
    /// The locator as written, in the note's text (`pp. 4-13`).
    pub span: Span,
}

/// One citation in a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cite {
    /// How it refers to its work.
    pub kind: CiteKind,
    /// The citation proper in the note's text: from the first byte after the signal to the end of
    /// the locator (or of the reference), without the final period or `;`.
    pub span: Span,
    /// The signal before it, if any.
    pub signal: Option<Signal>,
    /// The locator, if any.
    pub locator: Option<Locator>,
    /// The fields the citation gives: all of them for a full citation, author(s) and (short) title
    /// for a short form, nothing for Ibid. `id` is empty here.
    pub fields: Work,
    /// The work it cites, in the manuscript's library: set by the resolver.
    pub work: Option<WorkId>,
}

impl Cite {
    /// The citation's serialized record, in a note whose text is `note_text`, its work's key
    /// taken from `library`: the one place where its kind is named ([`CiteKind::json_name`]),
    /// its locator's label chosen ([`LocatorLabel::csl_name`]: `page` for a compound locator,
    /// which is marked [`CiteRecord::compound`]) and its signal named. With the citation's text
    /// and the bytes of it and of its signal in the note's text; without its bytes in the
    /// manuscript and its fields, which the uses that want them add.
    pub fn record(&self, note_text: &str, library: &Library) -> CiteRecord {
        CiteRecord {
            kind: self.kind.json_name().to_owned(),
            work: self.work.and_then(|w| library.get(w)).map(|w| w.id.clone()),
            locator: self.locator.as_ref().map(|l| l.value.clone()),
            label: self.locator.as_ref().map(|l| l.label.csl_name().to_owned()),
            compound: self
                .locator
                .as_ref()
                .is_some_and(|l| l.label == LocatorLabel::Compound),
            signal: self.signal.as_ref().map(|s| s.name.clone()),
            text: self.span.slice(note_text).to_owned(),
            span: None,
            note_span: Some(self.span),
            signal_span: self.signal.as_ref().map(|s| s.span),
            fields: None,
            no_ibid: false,
        }
    }
}

/// Something the grammar noticed inside one note (positions in the note's text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteFinding {
    /// The rule.
    pub code: crate::model::diagnostic::Code,
    /// Where, in the note's text.
    pub span: Span,
    /// What, for a person.
    pub message: String,
}

/// A note as the grammar reads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedNote {
    /// The citations, in order.
    pub cites: Vec<Cite>,
    /// The note holds prose beyond its citations and signals.
    pub commentary: bool,
    /// What the grammar noticed (an unclosed quotation mark, a name spelled two ways ...).
    pub findings: Vec<NoteFinding>,
}

/// Below this many notes a manuscript's notes are parsed on one thread.
pub(crate) const PARALLEL_FROM: usize = 256;

/// Parses every note of a manuscript ([`parse_note`] on each), in order; the notes of a long
/// manuscript on all cores (each note is read on its own).
pub fn parse_notes(notes: &[crate::manuscript::Note]) -> Vec<ParsedNote> {
    use rayon::prelude::*;
    let one = |n: &crate::manuscript::Note| parse_note(&n.text, &n.emphasis);
    if notes.len() < PARALLEL_FROM {
        notes.iter().map(one).collect()
    } else {
        notes.par_iter().map(one).collect()
    }
}

/// Reads one note's text into citations and prose. `emphasis` lists the ranges of `text` the
/// source set in italics (title evidence; empty for plain text).
pub fn parse_note(text: &str, emphasis: &[Span]) -> ParsedNote {
    note::parse(text, emphasis)
}

/// A locator label word at the start of `s` (`p.`, `paras.`, `chap.`, `§` ...), from the
/// grammar's one table of labels: the label and the text after the word and its spaces.
pub(crate) fn locator_label(s: &str) -> Option<(LocatorLabel, &str)> {
    locator::label_prefix(s)
}

/// Reads one reference string (a bibliography entry, or a full citation without its locator) into
/// CSL-JSON fields: the hand grammar, and the learned labeller ([`label`]) where the grammar's
/// reading is doubtful (a title that runs on past a sentence's end; about one reference in
/// twenty). What cannot be read is left out; nothing is invented.
/// [`parse_reference_learned`] asks the labeller always and [`grammar_reference`] never (#14).
pub fn parse_reference(text: &str) -> Work {
    bib_reference(text, reference::Consult::WhenDoubtful)
}

/// [`parse_reference`] with the fields of the learned labeller ([`label`]) put over the
/// grammar's for every reference (`ibid parse --learned`): the best fields (held-out field F1
/// 0.925 against the grammar's 0.848) at about a quarter of the speed (#14).
pub fn parse_reference_learned(text: &str) -> Work {
    bib_reference(text, reference::Consult::Always)
}

/// The number of an edition written with its label (`3rd ed`, `2nd edn.`, `4th edition`): `3`;
/// `None` for an edition named in words (`Revised ed.`) or without its label.
pub(crate) fn edition_number(edition: &str) -> Option<String> {
    reference::edition(edition).filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads one reference string with the hand grammar alone, never asking the labeller (for
/// measuring grammar and labeller apart).
pub fn grammar_reference(text: &str) -> Work {
    bib_reference(text, reference::Consult::Never)
}

/// A reference string read by the grammar, the labeller consulted as `consult` says.
fn bib_reference(text: &str, consult: reference::Consult) -> Work {
    if text.trim().is_empty() {
        return Work::default();
    }
    reference::parse_bib(text, &markdown_emphasis(text), consult)
}

/// Reads one reference string with the learned field labeller alone ([`label`]), without the
/// hand grammar (for measuring the two apart). Empty when the binary ships no model.
pub fn label_reference(text: &str) -> Work {
    if text.trim().is_empty() {
        return Work::default();
    }
    reference::labelled(text, &markdown_emphasis(text))
}

/// The fields of a reference string from labelled segments (what [`label::label`] returns, or
/// another model's): names, dates and numbers read by the grammar's own readers.
pub fn reference_from_segments(text: &str, segments: &[label::Segment]) -> Work {
    reference::from_segments(text, segments)
}

/// The ranges of `text` inside Markdown italics (`*Title*`, `_Title_`), which mark titles as a
/// reader's emphasis would.
fn markdown_emphasis(text: &str) -> Vec<Span> {
    // Markdown italics (`*Title*`, `_Title_`) mark titles as a reader's emphasis would
    let mut emphasis = Vec::new();
    for mark in ['*', '_'] {
        let idx: Vec<usize> = text.match_indices(mark).map(|(i, _)| i).collect();
        for pair in idx.chunks_exact(2) {
            let (a, b) = (pair[0] + 1, pair[1]);
            let opens = a == 1 || text[..a - 1].ends_with([' ', '(', '"', '“']);
            if b > a + 1 && opens && !text[a..b].contains("  ") {
                emphasis.push(Span::new(a, b));
            }
        }
    }
    emphasis.sort();
    emphasis
}
