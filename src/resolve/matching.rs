//! "Is this the same work?": the one home of the comparison of names and titles that both the
//! resolver (a short form against the works cited before it) and the library lookup (a work read
//! from a note against a user's bibliography) make.
//!
//! Both fold names and titles the same way (`Folded`: case, accents, punctuation and particles
//! gone, so `Thérien` = `Therien`, `von Solms` = `Solms`) and grade the fit on the same scales
//! (`TitleFit`, `NameFit`). They differ in how much they forgive, which `Tolerance` names:
//!
//! * **Within a manuscript** (`Tolerance::Manuscript`) the author typed both forms: every name
//!   of the short form is the work's name in the same position; a name that differs only in case
//!   or accents, or by one letter in a long surname, is a `NameFit::Variant` (and flagged); the
//!   short title is the full title or its first words, or (flagged) every word of it in order and
//!   at least a third of the full title.
//! * **Against a library** (`Tolerance::Library`) the entry was written elsewhere: the note's
//!   first name is the entry's first author or first editor and its other names are anywhere
//!   among them; one title may be the first words of the other (either way), its significant
//!   words in order, or, for typos and changed words, most of them (`TitleFit::Overlap`).
//!
//! A library entry matches when the DOI is the same (that alone is enough), or the note's key
//! (`[@key]`) is the entry's key; otherwise when names and titles fit and the years agree when
//! both give one. Among the entries that match, the best fit wins when it is the only one at its
//! level; otherwise the match is ambiguous and nothing is chosen (unique match or flag).

use crate::fold;
use crate::model::{Library, Work, WorkId};

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

/// How much a comparison forgives: see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tolerance {
    /// A short form against the works cited before it in the same manuscript.
    Manuscript,
    /// A work read from a note against a bibliography written elsewhere.
    Library,
}

/// How a (short) title compares with a work's title, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TitleFit {
    /// Different titles.
    None,
    /// The citation gives no title (`Lavin, 14.`).
    Absent,
    /// Most significant words shared (a typo, a changed word); only [`Tolerance::Library`].
    Overlap,
    /// Every word of the short title occurs in the full title, in order.
    Subset,
    /// The short title is the first words of the full title (or of its `title-short`).
    Prefix,
    /// Same words.
    Equal,
}

/// How a citation's names compare with a work's names, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameFit {
    /// Different people.
    None,
    /// The citation names nobody.
    Absent,
    /// The same people with a one-letter slip in a long surname, or (within a manuscript) the
    /// same surname written with other case or accents: a spelling variant.
    Variant,
    /// The same surnames.
    Exact,
}

/// A work's names and titles folded once for matching, so that a citation is not compared with
/// every earlier work's text folded anew.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    /// Each name the work is cited by (authors, or editors when there is no author), as written
    /// in lower case, and folded.
    pub families: Vec<(String, String)>,
    /// The authors' family names, folded.
    pub authors: Vec<String>,
    /// The editors' family names, folded.
    pub editors: Vec<String>,
    /// The title's words.
    pub title: Vec<String>,
    /// The short title's words.
    pub title_short: Vec<String>,
    /// For a work without names: the bodies that publish it (publisher, website), folded, by
    /// which a short form may cite it (`Google, “Privacy Policy.”`, CMOS 14.206).
    pub bodies: Vec<String>,
    /// Each name it is cited by, whole (given and family names, or the literal), folded: an
    /// organisation read as a person (`Human Rights Watch`) is that name whole.
    pub whole: Vec<String>,
}

impl Folded {
    /// Folds the names and titles of `work`.
    pub fn of(work: &Work) -> Folded {
        let words = |t: &Option<String>| t.as_deref().map(fold::words).unwrap_or_default();
        let folded = |names: &[crate::model::Name]| -> Vec<String> {
            names
                .iter()
                .map(|n| fold::family(n.family_or_literal()))
                .collect()
        };
        Folded {
            families: work
                .families()
                .into_iter()
                .map(|f| (f.to_lowercase(), fold::family(f)))
                .collect(),
            authors: folded(&work.author),
            // (a translator in the author's place leads like an editor)
            editors: folded(if work.author.is_empty() && work.editor.is_empty() {
                &work.translator
            } else {
                &work.editor
            }),
            // an untitled work (an interview, a letter) is cited by what it is: `Castillo,
            // audio recording`
            title: match (&work.title, work.extra.get("medium")) {
                (None, Some(serde_json::Value::String(medium))) => fold::words(medium),
                _ => words(&work.title),
            },
            title_short: words(&work.title_short),
            bodies: if work.lead_names().is_empty() {
                [&work.publisher, &work.container_title]
                    .into_iter()
                    .flatten()
                    .map(|b| fold::family(b))
                    .filter(|b| !b.is_empty())
                    .collect()
            } else {
                Vec::new()
            },
            whole: work
                .lead_names()
                .iter()
                .map(|n| match (&n.given, &n.family) {
                    (Some(g), Some(f)) => fold::family(&format!("{g} {f}")),
                    _ => fold::family(n.family_or_literal()),
                })
                .collect(),
        }
    }
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

/// Every item of `needle` occurs in `hay`, in order.
fn in_order<T: PartialEq>(needle: &[T], hay: &[T]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|w| it.any(|h| h == w))
}

/// How the title words `mine` (folded) fit the title and short title of `theirs`.
pub(crate) fn title_fit(mine: &[String], theirs: &Folded, tolerance: Tolerance) -> TitleFit {
    if mine.is_empty() {
        return TitleFit::Absent;
    }
    match tolerance {
        Tolerance::Manuscript => [&theirs.title, &theirs.title_short]
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(|t| {
                if t.as_slice() == mine {
                    TitleFit::Equal
                } else if t.starts_with(mine) {
                    TitleFit::Prefix
                } else if in_order(mine, t) && mine.len() * 3 >= t.len().min(9)
                    || cmos_short_words(mine, t)
                {
                    TitleFit::Subset
                } else {
                    TitleFit::None
                }
            })
            .max()
            .unwrap_or(TitleFit::None),
        Tolerance::Library => {
            let (e, es) = (&theirs.title, &theirs.title_short);
            if e.is_empty() {
                return TitleFit::None;
            }
            if mine == e.as_slice() || (!es.is_empty() && mine == es.as_slice()) {
                return TitleFit::Equal;
            }
            let (sn, se) = (significant(mine), significant(e));
            if sn.is_empty() {
                return TitleFit::None;
            }
            if is_prefix(mine, e) || is_prefix(e, mine) || is_prefix(mine, es) {
                return TitleFit::Prefix;
            }
            if in_order(&sn, &se) {
                return TitleFit::Subset;
            }
            // Typos and changed words: most of the shorter title's significant words in the
            // longer one.
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
    }
}

/// Whether the (folded) words of a short title follow CMOS 14.32 for the full `title`: four
/// words or fewer, taken in order from the main title (the subtitle and an initial A, An or The
/// dropped; words from later in the main title allowed), as `Omnivore’s Dilemma` for *The
/// Omnivore’s Dilemma: A Natural History of Four Meals*.
pub(crate) fn is_cmos_short_title(short: &[String], title: &str) -> bool {
    let main = crate::model::work::main_title(title).unwrap_or(title);
    cmos_short_words(short, &fold::words(main))
}

/// [`is_cmos_short_title`] on folded words: `short` is four words or fewer, in order, from
/// `main` (an initial article dropped). Words of a subtitle count too when `main` is a whole
/// title's words: the caller decides.
fn cmos_short_words(short: &[String], main: &[String]) -> bool {
    let words = match main.first().map(String::as_str) {
        Some("a" | "an" | "the") => &main[1..],
        _ => main,
    };
    // `Horace’s` is one word of the four, folded into `horace` and `s`
    let counted = short.iter().filter(|w| w.as_str() != "s").count();
    !short.is_empty()
        && counted <= 4
        && short.iter().any(|w| !STOP.contains(&w.as_str()))
        && in_order(short, words)
}

/// How two folded surnames compare: the same, or one letter apart in a long name.
fn surname_fit(a: &str, b: &str) -> NameFit {
    if a == b {
        NameFit::Exact
    } else if a.chars().count() >= 5 && fold::edit_distance(a, b) == 1 {
        NameFit::Variant
    } else {
        NameFit::None
    }
}

/// How the names `mine` cites by fit the names of `theirs`.
pub(crate) fn name_fit(mine: &Folded, theirs: &Folded, tolerance: Tolerance) -> NameFit {
    match tolerance {
        Tolerance::Manuscript => {
            let names = &mine.families;
            if names.is_empty() {
                return NameFit::Absent;
            }
            // a work without names cited by the body that publishes it
            if theirs.families.is_empty() && names.len() == 1 {
                return if theirs.bodies.contains(&names[0].1) {
                    NameFit::Exact
                } else {
                    NameFit::None
                };
            }
            let theirs = &theirs.families;
            // `Zeng et al.` names the first author only; otherwise every name must be there, in
            // order.
            if theirs.is_empty() || names.len() > theirs.len() {
                return NameFit::None;
            }
            let mut fit = NameFit::Exact;
            for (i, ((mine_raw, a), (theirs_raw, b))) in names.iter().zip(theirs).enumerate() {
                if a.is_empty() || b.is_empty() {
                    return NameFit::None;
                }
                // an organisation's name, read in the short form as a person's
                let whole = mine.whole.get(i).is_some_and(|w| w != a && w == b);
                let one = if whole {
                    NameFit::Exact
                } else {
                    surname_fit(a, b)
                };
                // `Beauvoir` for `de Beauvoir` is the short form's way (CMOS 8.5), not a variant
                let same_raw =
                    fold::without_particles(mine_raw) == fold::without_particles(theirs_raw);
                if one == NameFit::Exact && !same_raw && !whole {
                    fit = fit.min(NameFit::Variant);
                } else {
                    fit = fit.min(one);
                }
                if fit == NameFit::None {
                    return NameFit::None;
                }
            }
            fit
        }
        Tolerance::Library => {
            let n: Vec<&str> = mine
                .families
                .iter()
                .map(|(_, f)| f.as_str())
                .filter(|f| !f.is_empty())
                .collect();
            if n.is_empty() {
                return NameFit::Absent;
            }
            // The entry's authors, and its editors too (a note may cite an edited book by its
            // editors).
            let e: Vec<&str> = theirs
                .authors
                .iter()
                .chain(&theirs.editors)
                .map(String::as_str)
                .collect();
            if e.is_empty() {
                return NameFit::None;
            }
            // The first surname of the note is the first author (or first editor) of the entry.
            let firsts = [e.first(), e.get(theirs.authors.len())];
            let mut worst = firsts
                .iter()
                .flatten()
                .map(|f| surname_fit(n[0], f))
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
    }
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
    let (mine, theirs) = (Folded::of(note), Folded::of(entry));
    let names = name_fit(&mine, &theirs, Tolerance::Library);
    let title = title_fit(&mine.title, &theirs, Tolerance::Library);
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

/// Merges `other` into `into`: a work that matches one work of `into` fills that work's missing
/// fields; any other work is added. Used to export the one library of several manuscripts.
pub fn merge(into: &mut Library, other: Library) {
    for work in other.works {
        let mut probe = work.clone();
        probe.id.clear();
        match find(&probe, into) {
            Match::One(id) => into.works[id].fill_missing(&work),
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
    fn the_two_tolerances_differ_only_where_documented() {
        let full = Folded::of(&entry(
            "",
            &["Schjølberg", "Ghernaouti"],
            "The History of Global Harmonization on Cybercrime Legislation",
            None,
        ));
        let words = |t: &str| fold::words(t);
        let typo = words("History of Global Harmonisation on Cybercrime Legislation");
        assert_eq!(
            title_fit(&typo, &full, Tolerance::Library),
            TitleFit::Overlap
        );
        assert_eq!(
            title_fit(&typo, &full, Tolerance::Manuscript),
            TitleFit::None
        );
        let short = words("The History of Global Harmonization");
        for tolerance in [Tolerance::Library, Tolerance::Manuscript] {
            assert_eq!(title_fit(&short, &full, tolerance), TitleFit::Prefix);
        }
        // Within a manuscript a name written with other accents is a variant (flagged IB014);
        // against a library it is the same name.
        let written = Folded::of(&entry("", &["Schjolberg"], "x", None));
        assert_eq!(
            name_fit(&written, &full, Tolerance::Manuscript),
            NameFit::Variant
        );
        assert_eq!(
            name_fit(&written, &full, Tolerance::Library),
            NameFit::Exact
        );
        // Against a library the second name may be anywhere; within a manuscript, in its place.
        let swapped = Folded::of(&entry("", &["Schjølberg", "Schjølberg"], "x", None));
        assert_eq!(
            name_fit(&swapped, &full, Tolerance::Library),
            NameFit::Exact
        );
        assert_eq!(
            name_fit(&swapped, &full, Tolerance::Manuscript),
            NameFit::None
        );
    }

    #[test]
    fn short_titles_as_cmos_makes_them() {
        let full = "The Omnivore’s Dilemma: A Natural History of Four Meals";
        let ok = |short: &str| is_cmos_short_title(&fold::words(short), full);
        assert!(ok("Omnivore’s Dilemma"));
        assert!(ok("Dilemma"));
        assert!(!ok("Natural History"), "words of the subtitle");
        assert!(!ok("Dilemma Omnivore’s"), "out of order");
        assert!(!ok(""));
        let long = "A Theory of Justice and the Sense of Fairness in Modern Democracies";
        assert!(!is_cmos_short_title(
            &fold::words("Theory Justice Fairness Modern Democracies"),
            long
        ));
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
