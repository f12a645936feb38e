//! Matching a work read from a note against a user's bibliography.
//!
//! A note gives what its author typed: surnames (sometimes only the first author's), a title that
//! may be shortened or carry a typo, maybe a year. A library entry matches when
//!
//! * the DOI is the same (that alone is enough), or the note's key (`[@key]`) is the entry's key;
//! * otherwise, the names fit: every surname of the note is among the entry's surnames, the first
//!   one first, compared without case, accents, punctuation or particles (`Thérien` = `Therien`,
//!   `von Solms` = `Solms`), a one-letter slip in a long surname tolerated (`Schjflberg`);
//!   a note that names nobody fits only an entry whose title it gives in full or as a prefix;
//! * and the titles fit: the same words, or one the first words of the other (short titles,
//!   titles with or without their subtitle), or the entry's `title-short`, or every significant
//!   word of the note's title in the entry's title in order, or (for typos) most of them;
//! * and the years agree when both give one.
//!
//! Among the entries that match, the best fit wins when it is the only one at its level;
//! otherwise the match is ambiguous and nothing is chosen (unique match or flag).

use crate::fold;
use crate::model::{Library, Work, WorkId, WorkType};

/// What a search in a library found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// No entry fits.
    None,
    /// Exactly one entry fits best.
    One(WorkId),
    /// Several entries fit equally well (their ids, best first).
    Ambiguous(Vec<WorkId>),
}

/// How two titles compare, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TitleFit {
    None,
    /// The note gives no title.
    Absent,
    /// Most significant words shared (a typo, a changed word).
    Overlap,
    /// Every significant word of the note's title occurs in the entry's title, in order.
    Subset,
    /// One title is the first words of the other (or of the entry's short title).
    Prefix,
    /// The same words.
    Equal,
}

/// How two lists of names compare, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NameFit {
    None,
    /// The note names nobody.
    Absent,
    /// The same people with a one-letter slip in a surname.
    Variant,
    /// The same surnames.
    Exact,
}

const STOP: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "and", "to", "for", "from", "with", "at", "by", "s",
];

fn significant(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .map(String::as_str)
        .filter(|w| !STOP.contains(w))
        .collect()
}

fn is_prefix(short: &[String], long: &[String]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long[..short.len()] == *short
}

fn in_order(needle: &[&str], hay: &[&str]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|w| it.any(|h| h == w))
}

fn title_fit(note: &Work, entry: &Work) -> TitleFit {
    let n = note.title.as_deref().map(fold::words).unwrap_or_default();
    if n.is_empty() {
        return TitleFit::Absent;
    }
    let e = entry.title.as_deref().map(fold::words).unwrap_or_default();
    let es = entry
        .title_short
        .as_deref()
        .map(fold::words)
        .unwrap_or_default();
    if e.is_empty() {
        return TitleFit::None;
    }
    if n == e || (!es.is_empty() && n == es) {
        return TitleFit::Equal;
    }
    let (sn, se) = (significant(&n), significant(&e));
    if sn.is_empty() {
        return TitleFit::None;
    }
    if is_prefix(&n, &e) || is_prefix(&e, &n) || is_prefix(&n, &es) {
        return TitleFit::Prefix;
    }
    if in_order(&sn, &se) {
        return TitleFit::Subset;
    }
    // Typos and changed words: most of the shorter title's significant words in the longer one.
    let (short, long) = if sn.len() <= se.len() {
        (&sn, &se)
    } else {
        (&se, &sn)
    };
    let shared = short.iter().filter(|w| long.contains(w)).count();
    if short.len() >= 3 && shared * 4 >= short.len() * 3 {
        return TitleFit::Overlap;
    }
    TitleFit::None
}

fn surname_fit(a: &str, b: &str) -> NameFit {
    if a == b {
        NameFit::Exact
    } else if a.chars().count() >= 5 && fold::edit_distance(a, b) <= 1 {
        NameFit::Variant
    } else {
        NameFit::None
    }
}

fn name_fit(note: &Work, entry: &Work) -> NameFit {
    let n: Vec<String> = note.families().into_iter().map(fold::family).collect();
    let n: Vec<String> = n.into_iter().filter(|f| !f.is_empty()).collect();
    if n.is_empty() {
        return NameFit::Absent;
    }
    // The entry's authors, and its editors too (a note may cite an edited book by its editors).
    let mut e: Vec<String> = entry
        .author
        .iter()
        .map(|a| fold::family(a.family_or_literal()))
        .collect();
    let first_editor = e.len();
    e.extend(
        entry
            .editor
            .iter()
            .map(|a| fold::family(a.family_or_literal())),
    );
    if e.is_empty() {
        return NameFit::None;
    }
    // The first surname of the note is the first author (or first editor) of the entry.
    let firsts = [e.first(), e.get(first_editor)];
    let mut worst = firsts
        .iter()
        .flatten()
        .map(|f| surname_fit(&n[0], f))
        .max()
        .unwrap_or(NameFit::None);
    for other in &n[1..] {
        let best = e
            .iter()
            .map(|f| surname_fit(other, f))
            .max()
            .unwrap_or(NameFit::None);
        worst = worst.min(best);
    }
    worst
}

fn norm_doi(doi: &str) -> String {
    let d = doi.trim().to_ascii_lowercase();
    let d = d
        .trim_start_matches("https://doi.org/")
        .trim_start_matches("http://doi.org/")
        .trim_start_matches("https://dx.doi.org/")
        .trim_start_matches("doi:")
        .trim();
    d.to_owned()
}

/// How well `entry` fits `note`, or `None` when it does not.
fn score(note: &Work, entry: &Work) -> Option<u32> {
    if let (Some(a), Some(b)) = (&note.doi, &entry.doi) {
        if norm_doi(a) == norm_doi(b) {
            return Some(1000);
        }
    }
    if let (Some(a), Some(b)) = (note.year(), entry.year()) {
        if a != b {
            return None;
        }
    }
    let names = name_fit(note, entry);
    let title = title_fit(note, entry);
    let ok = match (names, title) {
        (NameFit::None, _) | (_, TitleFit::None) => false,
        // Nobody named: the title must be the entry's, whole or as its first words.
        (NameFit::Absent, t) => t >= TitleFit::Prefix,
        // No title: the names and a year must both agree.
        (_, TitleFit::Absent) => note.year().is_some() && entry.year().is_some(),
        _ => true,
    };
    if !ok {
        return None;
    }
    let year_bonus = u32::from(note.year().is_some() && entry.year().is_some());
    Some(title as u32 * 10 + names as u32 * 2 + year_bonus)
}

/// Finds the entry of `library` that the work `note` (as parsed from a note) means.
pub fn find(note: &Work, library: &Library) -> Match {
    if !note.id.is_empty() {
        if let Some(id) = library.by_key(&note.id) {
            return Match::One(id);
        }
    }
    let mut scored: Vec<(u32, WorkId)> = library
        .works
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| score(note, entry).map(|s| (s, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match scored.as_slice() {
        [] => Match::None,
        [(_, only)] => Match::One(*only),
        [(best, first), (second, _), ..] if best > second => Match::One(*first),
        [(best, _), ..] => Match::Ambiguous(
            scored
                .iter()
                .filter(|(s, _)| s == best)
                .map(|&(_, i)| i)
                .collect(),
        ),
    }
}

/// Fills the fields `into` lacks from `from` (names, title and everything else), keeping what
/// `into` has.
pub fn fill_missing(into: &mut Work, from: &Work) {
    macro_rules! fill {
        ($($f:ident),*) => {$(
            if into.$f.is_none() {
                into.$f = from.$f.clone();
            }
        )*};
    }
    fill!(
        title,
        title_short,
        container_title,
        collection_title,
        volume,
        issue,
        page,
        edition,
        publisher,
        publisher_place,
        genre,
        number,
        issued,
        accessed,
        url,
        doi,
        isbn,
        note
    );
    for (list, other) in [
        (&mut into.author, &from.author),
        (&mut into.editor, &from.editor),
        (&mut into.translator, &from.translator),
    ] {
        if list.is_empty() {
            list.clone_from(other);
        }
    }
    if into.kind == WorkType::Document {
        into.kind = from.kind;
    }
    for (k, v) in &from.extra {
        into.extra.entry(k.clone()).or_insert_with(|| v.clone());
    }
}

/// Merges `other` into `into`: a work that matches one work of `into` fills that work's missing
/// fields; any other work is added. Used to export the one library of several manuscripts.
pub fn merge(into: &mut Library, other: Library) {
    for work in other.works {
        let mut probe = work.clone();
        probe.id.clear();
        match find(&probe, into) {
            Match::One(id) => fill_missing(&mut into.works[id], &work),
            Match::None | Match::Ambiguous(_) => into.works.push(work),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Name, WorkType};

    fn entry(id: &str, authors: &[&str], title: &str, year: Option<i32>) -> Work {
        Work {
            id: id.into(),
            kind: WorkType::Book,
            author: authors.iter().map(|a| Name::person(*a, None)).collect(),
            title: Some(title.into()),
            issued: year.map(|y| Date::ymd(y, None, None)),
            ..Work::default()
        }
    }

    fn library() -> Library {
        Library {
            works: vec![
                entry(
                    "pouliot2017",
                    &["Pouliot", "Thérien"],
                    "Global Governance: A Struggle over Universal Values",
                    Some(2017),
                ),
                entry(
                    "adler2011",
                    &["Adler", "Pouliot"],
                    "International practices",
                    Some(2011),
                ),
                entry(
                    "lam2018",
                    &["Lam"],
                    "The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?",
                    Some(2018),
                ),
                entry(
                    "schjolberg2014",
                    &["Schjølberg"],
                    "The History of Cybercrime: 1976-2014",
                    Some(2014),
                ),
                entry("lewis-a", &["Lewis"], "China’s Global Internet Ambitions", None),
                entry("lewis-b", &["Lewis"], "China’s Cyber Power", None),
                Work {
                    id: "freedomhouse".into(),
                    kind: WorkType::Webpage,
                    title: Some("Freedom on the Net Methodology".into()),
                    ..Work::default()
                },
            ],
        }
    }

    #[test]
    fn variants_of_names_and_titles_match() {
        let lib = library();
        let cases = [
            (
                entry("", &["Pouliot", "Therien"], "Global Governance", Some(2017)),
                0,
            ),
            (entry("", &["Adler"], "International Practices", None), 1),
            (entry("", &["Lam"], "“The agenda of Xi Jinping,”", None), 2),
            (
                entry("", &["Schjflberg"], "The History of Cybercrime", Some(2014)),
                3,
            ),
            (entry("", &["Lewis"], "Global Internet Ambitions", None), 4),
            (entry("", &[], "Freedom on the Net Methodology", None), 6),
        ];
        for (note, want) in cases {
            assert_eq!(find(&note, &lib), Match::One(want), "{note:?}");
        }
    }

    #[test]
    fn mismatches_and_ambiguity() {
        let lib = library();
        // Wrong year.
        let note = entry("", &["Adler"], "International practices", Some(2012));
        assert_eq!(find(&note, &lib), Match::None);
        // Wrong author.
        let note = entry("", &["Nye"], "International practices", None);
        assert_eq!(find(&note, &lib), Match::None);
        // Two works of Lewis fit "China's".
        let note = entry("", &["Lewis"], "China’s", None);
        assert_eq!(find(&note, &lib), Match::Ambiguous(vec![4, 5]));
        // Nobody named and only part of a title: not enough.
        let note = entry("", &[], "Methodology", None);
        assert_eq!(find(&note, &lib), Match::None);
    }

    #[test]
    fn keys_and_dois_decide() {
        let mut lib = library();
        lib.works[1].doi = Some("10.1017/S175297191000031X".into());
        let note = Work {
            doi: Some("https://doi.org/10.1017/s175297191000031x".into()),
            ..Work::default()
        };
        assert_eq!(find(&note, &lib), Match::One(1));
        let note = Work {
            id: "lam2018".into(),
            ..Work::default()
        };
        assert_eq!(find(&note, &lib), Match::One(2));
    }

    #[test]
    fn merge_fills_and_adds() {
        let mut lib = library();
        let mut more = Library {
            works: vec![
                entry(
                    "x",
                    &["Adler", "Pouliot"],
                    "International practices",
                    Some(2011),
                ),
                entry("y", &["Nye"], "The Regime Complex", Some(2014)),
            ],
        };
        more.works[0].volume = Some("3".into());
        merge(&mut lib, more);
        assert_eq!(lib.works.len(), 8);
        assert_eq!(lib.works[1].volume.as_deref(), Some("3"));
        assert_eq!(lib.works[1].id, "adler2011");
    }
}
