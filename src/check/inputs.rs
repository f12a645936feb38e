//! What each note's findings depend on, hashed: so that a re-check of trial fixes renders and
//! compares again only the notes whose inputs changed since the last re-check (#17).
//!
//! A note's findings ([`super::compare`]) are a function of its text and italics (the grammar
//! reads a note from these alone), of its citations as the renderer gets them (kind, locator,
//! label, signal, a short form kept as written), of each cited work (its fields; whether this is
//! its first citation; the works hayagriva may have to tell it apart from, and where their
//! citations stand; the notes that cite it in full, whose reading decides whether its short forms
//! are checked), of the citations of the note before (what an Ibid repeats; whether it is one), and
//! of what the renderer takes from the whole library ([`Shared`]), as far as it can touch this
//! note: the `, and ` phrases its works or its text hold (they correct nothing else), the
//! protected family names of its works (nothing else renders them). Each note gets one hash of
//! all that: two analyses that give a note the same hash give it the same findings.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::grammar::CiteKind;
use crate::model::Work;
use crate::render::{RenderInput, Shared};
use crate::resolve::Analysis;

/// Per note (indexed like `Analysis::notes`), a hash of what its findings depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteInputs(Vec<u64>);

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The family name (or literal name) of a work's first author, or editor, or translator.
fn first_name(work: &Work) -> Option<&str> {
    [&work.author, &work.editor, &work.translator]
        .into_iter()
        .find_map(|names| names.first())
        .and_then(|n| n.family.as_deref().or(n.literal.as_deref()))
}

/// The first name, lower case, as the renderer's memo groups the works hayagriva may have to tell
/// apart; empty for a work without names.
fn first_author(work: &Work) -> String {
    first_name(work).unwrap_or("").to_lowercase()
}

/// The first word, lower case, of what a citation of the work begins with: its first name, or
/// its title when it has none; marked apart from [`first_author`]'s keys.
fn lead_word(work: &Work) -> String {
    let lead = first_name(work)
        .or(work.title_short.as_deref())
        .or(work.title.as_deref())
        .unwrap_or("");
    let word = lead
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    format!("\u{1}{}", word.to_lowercase())
}

impl NoteInputs {
    /// The inputs of each note of `analysis`, whose render input (as `check` renders it) is
    /// `input`; `shared` is what the renderer takes from that input's whole library.
    pub fn of(analysis: &Analysis, input: &RenderInput, shared: &Shared) -> NoteInputs {
        // the library-wide phrases a text holds, in any case: the word after each `, `
        let phrases_in = |text: &str| -> Vec<&str> {
            if shared.phrases.is_empty() {
                return Vec::new();
            }
            text.match_indices(", ")
                .filter_map(|(at, _)| {
                    let rest = &text[at + 2..];
                    let word = &rest[..rest.find(' ')?];
                    shared
                        .phrases
                        .iter()
                        .find(|p| p[2..p.len() - 1].eq_ignore_ascii_case(word))
                        .map(String::as_str)
                })
                .collect()
        };
        let protected: HashMap<&str, &str> = shared
            .protected
            .iter()
            .map(|(joined, written)| (written.as_str(), joined.as_str()))
            .collect();
        let mut collisions: Vec<&String> = shared.collisions.iter().collect();
        collisions.sort_unstable();
        let everywhere = hash_of(collisions);
        // each work's fields (its key included: a key that changes only widens the re-check),
        // with the library-wide corrections that can reach its rendering
        let work_hash: Vec<u64> = input
            .works
            .iter()
            .map(|w| {
                let fields = format!("{w:?}");
                let names: Vec<Option<&&str>> = [&w.author, &w.editor, &w.translator]
                    .into_iter()
                    .flatten()
                    .map(|n| n.family.as_deref().and_then(|f| protected.get(f)))
                    .collect();
                hash_of((&fields, phrases_in(&fields), names))
            })
            .collect();
        // the works a citation may have to be told apart from: those of the same first author
        // (the renderer's memo keys its renderings by them), and those whose lead (first name,
        // or title without one) begins with the same word (a name and a title can print alike:
        // hayagriva then adds `n.d.` to both). hayagriva tells citations apart as the document
        // prints them, so each peer counts with its fields and with where and how each of its
        // citations stands; the same pass finds each citation's first
        let mut cited = vec![false; input.works.len()];
        let mut placed = work_hash.clone();
        let firsts: Vec<Vec<bool>> = input
            .notes
            .iter()
            .zip(&analysis.notes)
            .enumerate()
            .map(|(i, (seq, parsed))| {
                seq.citations
                    .iter()
                    .zip(&parsed.cites)
                    .map(|(record, cite)| {
                        let Some(w) = cite.work.filter(|&w| w < cited.len()) else {
                            return false;
                        };
                        let first = !std::mem::replace(&mut cited[w], true);
                        let at = hash_of((i, &record.kind, first, record.no_ibid));
                        placed[w] = placed[w].wrapping_add(at);
                        first
                    })
                    .collect()
            })
            .collect();
        let keys: Vec<(String, String)> = input
            .works
            .iter()
            .map(|w| (first_author(w), lead_word(w)))
            .collect();
        let mut groups: HashMap<&str, u64> = HashMap::new();
        for ((author, lead), &h) in keys.iter().zip(&placed) {
            for key in [author, lead] {
                let sum = groups.entry(key.as_str()).or_default();
                *sum = sum.wrapping_add(h);
            }
        }
        let peers: Vec<u64> = keys
            .iter()
            .map(|(author, lead)| hash_of((groups[author.as_str()], groups[lead.as_str()])))
            .collect();
        // the notes that cite each work in full, with their texts
        let mut fulls = vec![0u64; input.works.len()];
        for (i, (note, parsed)) in analysis
            .manuscript
            .notes
            .iter()
            .zip(&analysis.notes)
            .enumerate()
        {
            for cite in parsed.cites.iter().filter(|c| c.kind == CiteKind::Full) {
                if let Some(sum) = cite.work.and_then(|w| fulls.get_mut(w)) {
                    *sum = sum.wrapping_add(hash_of((i, &note.text, &note.emphasis)));
                }
            }
        }
        // the citations of the last note with any, and whether the note just before had none
        let mut before = 0u64;
        let mut after_empty = false;
        let hashes = input
            .notes
            .iter()
            .zip(&analysis.notes)
            .zip(&analysis.manuscript.notes)
            .zip(&firsts)
            .map(|(((seq, parsed), note), firsts)| {
                let mut h = DefaultHasher::new();
                (everywhere, before, after_empty).hash(&mut h);
                phrases_in(seq.text.as_deref().unwrap_or_default()).hash(&mut h);
                (
                    &seq.id,
                    seq.number,
                    &seq.text,
                    seq.commentary,
                    &note.emphasis,
                )
                    .hash(&mut h);
                for ((record, cite), &first) in seq.citations.iter().zip(&parsed.cites).zip(firsts)
                {
                    (
                        &record.kind,
                        &record.locator,
                        &record.label,
                        &record.signal,
                        &record.text,
                        record.no_ibid,
                        record.compound,
                    )
                        .hash(&mut h);
                    match cite.work.filter(|&w| w < work_hash.len()) {
                        Some(w) => (work_hash[w], first, peers[w], fulls[w]).hash(&mut h),
                        None => 0u8.hash(&mut h),
                    }
                }
                after_empty = seq.citations.is_empty();
                if !after_empty {
                    before = hash_of(
                        seq.citations
                            .iter()
                            .zip(&parsed.cites)
                            .map(|(record, cite)| {
                                let work = cite.work.and_then(|w| work_hash.get(w));
                                (work, &record.locator, &record.label)
                            })
                            .collect::<Vec<_>>(),
                    );
                }
                h.finish()
            })
            .collect();
        NoteInputs(hashes)
    }

    /// For each note, whether its inputs differ from those of `before`: every note, when the
    /// two are not of the same notes.
    pub fn changed_since(&self, before: &NoteInputs) -> Vec<bool> {
        if self.0.len() != before.0.len() {
            return vec![true; self.0.len()];
        }
        self.0.iter().zip(&before.0).map(|(a, b)| a != b).collect()
    }
}
