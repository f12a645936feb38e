//! Whether a rewrite may be written without a person looking at it.
//!
//! A **safe** rewrite keeps every word the author wrote, letters and case included, in order; it
//! may change punctuation, spacing, dashes and quotation-mark glyphs, and add only the style's
//! fixed terms ([`STYLE_TERMS`]: `Ibid.`, `ed.`, `trans.` ...). It never adds a word the manuscript
//! does not give. An **unsafe** rewrite may reword the citation, but never drops a locator or
//! words that the parse did not account for. A rewrite of a citation that ibid did not read with
//! confidence is **manual**: shown, never written.
//!
//! Words here are what a reader of the source counts as words: runs of letters, digits and `_`
//! between white space, with other characters left out (`2019),` is `2019`; `_JavaScript` keeps
//! its underscore, so turning `_x_` into `*x*` changes a word).

use crate::fold;
use crate::grammar::Cite;
use crate::model::Work;

/// The terms a style adds by itself, which a safe rewrite may insert (compared without case).
pub const STYLE_TERMS: &[&str] = &[
    "ibid",
    "ed",
    "eds",
    "trans",
    "vol",
    "vols",
    "no",
    "nos",
    "in",
    "and",
    "by",
    "edited",
    "translated",
    "accessed",
    "pp",
    "p",
    "n",
    "chap",
    "sec",
];

/// Words a note may hold around and between the fields of its citation without the parse having
/// missed anything: the style's terms, Ibid. and its relatives, months, the abbreviations of
/// locators and of missing facts (compared as [`fold::words`] gives them). Months are the
/// grammar's ([`crate::grammar::is_month`]).
const CONNECTIVES: &[&str] = &[
    "ibid",
    "ibidem",
    "idem",
    "id",
    "op",
    "cit",
    "loc",
    "ed",
    "eds",
    "edited",
    "edition",
    "trans",
    "translated",
    "by",
    "in",
    "and",
    "vol",
    "vols",
    "no",
    "nos",
    "pp",
    "p",
    "n",
    "nn",
    "ch",
    "chap",
    "chapter",
    "sec",
    "para",
    "paras",
    "pt",
    "fol",
    "fols",
    "line",
    "lines",
    "accessed",
    "et",
    "al",
    "d",
    "nd",
    "s",
    "at",
    "doi",
    "http",
    "https",
    "www",
];

/// The words of `text` as a reader of the source counts them (see the module docs).
pub fn written_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|t| {
            t.chars()
                .filter(|&c| c.is_alphanumeric() || c == '_')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when `replacement` keeps every word of `written`, case included and in order, and adds
/// none but the style's own terms. Case counts even in those: `Accessed` to `accessed` is a
/// change of the author's word.
pub fn keeps_words(written: &str, replacement: &str) -> bool {
    let old = written_words(written);
    let new = written_words(replacement);
    let mut old = old.iter().peekable();
    for word in &new {
        if old.peek().is_some_and(|o| *o == word) {
            old.next();
        } else if !STYLE_TERMS.contains(&word.to_lowercase().as_str()) {
            return false;
        }
    }
    old.peek().is_none()
}

/// True when every word of the citation as written (`written`, its text in the note) is accounted
/// for by what the parse made of it: the fields of the work it resolved to, its locator and
/// signal, and the connecting words of citations. A word left over is prose the parse took into
/// the citation, or a field it did not read: a rewrite built on that parse could lose it.
///
/// A full citation must also give more than a title (and a URL): a name, a date or a fact of
/// publication. A bare title is as often a sentence of the note as a citation.
pub fn confident(cite: &Cite, note_text: &str, work: Option<&Work>) -> bool {
    if cite.kind == crate::grammar::CiteKind::Full
        && (!cite.fields.is_described()
            || cite.fields.title.as_deref().is_some_and(quoted_then_more))
    {
        return false;
    }
    // a title opens with a capital, or with a name written in lower case (`ggplot2`); a title
    // read from a lower-case word of prose (`the author's text: Taylor Arnold …`, `see: Louis
    // Gottschalk …`, a lead-in phrase after a signal) is a misreading
    const PROSE_OPENERS: &[&str] = &[
        "the", "a", "an", "see", "for", "in", "on", "and", "of", "this", "that", "these", "to",
        "from", "with", "by", "as", "at", "also", "which", "cf",
    ];
    if cite.kind == crate::grammar::CiteKind::Full
        && cite.fields.title.as_deref().is_some_and(|t| {
            let first = t.trim_start_matches(['“', '"', '‘', '«', ' ', '*', '_']);
            let word = first
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("");
            PROSE_OPENERS.contains(&word)
        })
    {
        return false;
    }
    // quotation marks mark a title: a reading that made a quotation a publisher or place
    // (`Stuart Snydman, Robert Sanderson, et Tom Cramer. « The International … »` read with the
    // names as the title) misread the citation
    let quoted = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| v.trim_start().starts_with(['“', '«', '"', '‘']))
    };
    if [&cite.fields.publisher, &cite.fields.publisher_place]
        .into_iter()
        .chain(work.map(|w| &w.publisher))
        .any(quoted)
    {
        return false;
    }
    // a range of dates (`June 4 and 11, 2012`) is rendered by its start only: the expected form
    // would drop what the author rightly wrote
    if work.is_some_and(|w| {
        [&w.issued, &w.accessed]
            .into_iter()
            .flatten()
            .any(|d| d.date_parts.len() > 1)
    }) {
        return false;
    }
    let mut known: std::collections::HashSet<String> =
        CONNECTIVES.iter().map(|s| (*s).to_owned()).collect();
    if let Some(work) = work {
        if let Ok(value) = serde_json::to_value(work) {
            collect_words(&value, &mut known);
        }
    }
    if let Some(loc) = &cite.locator {
        known.extend(fold::words(loc.span.slice(note_text)));
        known.extend(fold::words(&loc.value));
    }
    if let Some(signal) = &cite.signal {
        known.extend(fold::words(signal.span.slice(note_text)));
    }
    fold::words(cite.span.slice(note_text))
        .iter()
        .all(|w| known.contains(w) || crate::grammar::is_month(w) || ordinal_of_known(w, &known))
}

/// The words of a full citation as written (`cite`, in `note_text`) that its correct full form
/// (`target`) leaves out, other than what a style leaves out by design: its connecting words and
/// labels, a place of publication (Chicago 18 drops it), the names that `et al.` stands for, the
/// month and day of a date, a note the grammar recognised, the abbreviated end of a page range. A
/// correct form that drops the author's words puts them in a field its type does not print
/// (`*AIDS Care* 14, no. Spring` read with the publisher `no. Spring`), or was rendered from a
/// reading that cut a field short: either way, ibid misread the citation.
pub fn dropped_words(cite: &Cite, note_text: &str, work: &Work, target: &str) -> Vec<String> {
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in fold::words(target) {
        *kept.entry(w).or_default() += 1;
    }
    let mut exempt: std::collections::HashSet<String> =
        CONNECTIVES.iter().map(|s| (*s).to_owned()).collect();
    if let Some(loc) = &cite.locator {
        exempt.extend(fold::words(loc.span.slice(note_text)));
    }
    if let Some(signal) = &cite.signal {
        exempt.extend(fold::words(signal.span.slice(note_text)));
    }
    exempt.extend(work.publisher_place.iter().flat_map(|p| fold::words(p)));
    // the month and day of a date, which the style gives by year or month alone (a book's
    // `September 2016`, a journal's day) or writes out (`2016-11-11`); and a note the grammar
    // recognised (`online first`), which the style may leave out
    let mut dated_by_month = false;
    for part in [&work.issued, &work.accessed]
        .into_iter()
        .flatten()
        .filter_map(|d| d.date_parts.first())
        .flat_map(|parts| parts.iter().skip(1))
    {
        dated_by_month = true;
        exempt.insert(part.to_string());
        exempt.insert(format!("{part:02}"));
    }
    exempt.extend(work.note.iter().flat_map(|n| fold::words(n)));
    if kept.contains_key("al") {
        for name in work.lead_names().iter().skip(1) {
            exempt.extend(fold::words(name.family_or_literal()));
            exempt.extend(name.given.iter().flat_map(|g| fold::words(g)));
        }
    }
    // a month the correct form writes out or abbreviates (`Mar.` as `March`), or leaves out
    // of a date that has one
    let months_exempt = dated_by_month || kept.keys().any(|w| crate::grammar::is_month(w));
    // the end of a page range, which the style abbreviates (`237-249` as `237–49`)
    let numbers: std::collections::HashSet<String> = kept
        .keys()
        .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
        .cloned()
        .collect();
    let shortened = |w: &str| {
        w.bytes().all(|b| b.is_ascii_digit()) && (1..w.len()).any(|k| numbers.contains(&w[k..]))
    };
    let mut dropped = Vec::new();
    for w in fold::words(cite.span.slice(note_text)) {
        match kept.get_mut(&w) {
            Some(n) if *n > 0 => *n -= 1,
            _ if exempt.contains(&w)
                || (months_exempt && crate::grammar::is_month(&w))
                || shortened(&w) => {}
            _ => dropped.push(w),
        }
    }
    dropped
}

/// Whether `work` has a fact of publication besides its names and titles (a date, a container, a
/// publisher or place, numbers, pages, a link, a genre): what a full citation gives and a short
/// form does not.
pub fn has_facts(work: &Work) -> bool {
    work.gives_publication_facts()
        || work.issued.is_some()
        || work.page.is_some()
        || work.number.is_some()
}

/// True when the correct form of a full citation, read back by the grammar, is one full
/// citation of the work it was rendered from: each field the reading finds (names, titles,
/// container, series, publisher, place, volume, issue, year) holds the words the work holds there.
/// A rendering ibid cannot read back as the same work shows that ibid does not understand this
/// work's shape (fields misread in the note, and put back where a reader would not look for them):
/// a difference from such a rendering is ibid's, not the author's, and is not reported, and a fix
/// built on it would not settle (`*Mercure de France* (15 novembre 1925, n.d.)`, read with the
/// date as a series, renders as `*Mercure de France*, 15 novembre 1925 (n.d.)`, which reads back
/// with that date as the publisher).
pub fn reads_back(work: &Work, expected: &crate::render::Rich) -> bool {
    let (text, italics) = expected.text_and_italics();
    let parsed = crate::grammar::parse_note(&text, &italics);
    let [cite] = parsed.cites.as_slice() else {
        return false;
    };
    if cite.kind != crate::grammar::CiteKind::Full {
        return false;
    }
    let read = &cite.fields;
    let agree = |r: &Option<String>, w: &Option<String>| {
        r.as_deref().is_none_or(|r| {
            w.as_deref()
                .is_some_and(|w| fold::words(r) == fold::words(w))
        })
    };
    let families = |names: &[crate::model::Name]| -> Vec<Vec<String>> {
        names
            .iter()
            .map(|n| fold::words(n.family_or_literal()))
            .collect()
    };
    let lead = read.lead_names();
    (lead.is_empty()
        || families(lead)
            == families(&work.lead_names()[..lead.len().min(work.lead_names().len())]))
        && agree(&read.title, &work.title)
        && agree(&read.container_title, &work.container_title)
        && agree(&read.collection_title, &work.collection_title)
        && agree(&read.publisher, &work.publisher)
        && agree(&read.publisher_place, &work.publisher_place)
        && agree(&read.volume, &work.volume)
        && agree(&read.issue, &work.issue)
        && read.year().is_none_or(|y| work.year() == Some(y))
}

/// Whether every word the author set in italics in a citation is a word of the titles (title,
/// container, series) the citation was read with or of its work: italics mark titles, so a reading that put the italic words
/// elsewhere (`Ver, por ejemplo, … *Humanities Data in R*` read with the title `por ejemplo …`)
/// misread the citation. Latin abbreviations some authors italicise (`*ibid.*`, `*et al.*`)
/// are allowed.
pub fn italics_are_titles(italic_words: &[String], cite: &Cite, work: Option<&Work>) -> bool {
    if italic_words.is_empty() {
        return true;
    }
    let titles: std::collections::HashSet<String> = std::iter::once(&cite.fields)
        .chain(work)
        .flat_map(|w| {
            [
                &w.title,
                &w.title_short,
                &w.container_title,
                &w.collection_title,
            ]
        })
        .flatten()
        .flat_map(|t| fold::words(t))
        .collect();
    const LATIN: &[&str] = &[
        "ibid", "id", "et", "al", "op", "cit", "loc", "passim", "sic", "cf", "see",
    ];
    italic_words
        .iter()
        .all(|w| titles.contains(w) || LATIN.contains(&w.as_str()))
}

/// True for a title that is a quoted title and then another field (`‘Recursive Deep Learning’
/// PhD diss.`): the quotation marks closed the title.
fn quoted_then_more(title: &str) -> bool {
    let t = title.trim();
    let Some(open) = t.chars().next() else {
        return false;
    };
    let close = match open {
        '‘' => '’',
        '“' => '”',
        '\'' | '"' => open,
        _ => return false,
    };
    // what follows the closing mark starts a new field (`PhD diss.`, `2014`); a title that
    // goes on after a quoted phrase goes on in lower case (`‘Fragmented authoritarianism’ and
    // state ownership`)
    t[open.len_utf8()..].find(close).is_some_and(|i| {
        let inside = &t[open.len_utf8()..open.len_utf8() + i];
        let after = &t[open.len_utf8() + i + close.len_utf8()..];
        // `“Using R With MySQL Databases,” blog`: a comma or period closing the quotation
        // closes the title, whatever follows
        let closed = inside.trim_end().ends_with([',', '.']);
        after
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| closed || c.is_uppercase() || c.is_ascii_digit())
    })
}

/// `2nd` when `2` is known (an edition written as an ordinal).
fn ordinal_of_known(word: &str, known: &std::collections::HashSet<String>) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th" | "d")
        && known.contains(digits)
}

/// Every word of every string and number in a work's CSL-JSON (its key and type left out).
fn collect_words(value: &serde_json::Value, out: &mut std::collections::HashSet<String>) {
    match value {
        serde_json::Value::String(s) => out.extend(fold::words(s)),
        serde_json::Value::Number(n) => {
            out.insert(n.to_string());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_words(v, out)),
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "type"))
            .for_each(|(_, v)| collect_words(v, out)),
        _ => {}
    }
}

/// True when every number of the citation's locator as written is still in `replacement`: an
/// unsafe rewrite may reword a citation, never lose the place it points at.
pub fn keeps_locator(cite: &Cite, note_text: &str, replacement: &str) -> bool {
    let Some(loc) = &cite.locator else {
        return true;
    };
    let new = numbers(replacement);
    numbers(loc.span.slice(note_text))
        .iter()
        .all(|n| new.contains(n))
}

/// True when the italics of the citation as written agree with those of its correct form: where
/// the author set words in italics, the correct form italicises none but those, and (when it is a
/// full citation) keeps every one of them in italics. Italics are the source's own evidence of
/// what the title is; a correct form that disagrees was built on a misreading (authors taken into
/// the title, a journal read as a place, prose read as a citation). One disagreement is the
/// style's own: an article's title set in italics beside its italic journal (`*Reserve Unveils a
/// Key Procedure*, *The New York Times*`), where the style quotes the title: the words the
/// correct form takes out of italics are then all words of the title the citation was read
/// with (`title_words`), and the journal stays italic.
pub fn italics_agree(
    written_italic: &[String],
    wanted_italic: &[String],
    full: bool,
    title_words: &[String],
) -> bool {
    if written_italic.is_empty() {
        return true;
    }
    let mut taken_out = written_italic.iter().filter(|w| !wanted_italic.contains(w));
    wanted_italic.iter().all(|w| written_italic.contains(w))
        && (!full
            || taken_out.clone().next().is_none()
            || (!wanted_italic.is_empty() && taken_out.all(|w| title_words.contains(w))))
}

/// True when a full citation rewritten as a full citation keeps every word of the work it
/// names: what the correct form leaves out may only be the connecting words of citations, or
/// words of the fields in `omitted` (the place of publication, which a style may leave out).
/// An unsafe rewrite may reword a citation, never drop what the author wrote in it.
pub fn keeps_fields(written: &str, wanted: &str, omitted: &[&str]) -> bool {
    let kept: std::collections::HashSet<String> = fold::words(wanted).into_iter().collect();
    let omitted: std::collections::HashSet<String> =
        omitted.iter().flat_map(|f| fold::words(f)).collect();
    fold::words(written).iter().all(|w| {
        kept.contains(w)
            || omitted.contains(w)
            || CONNECTIVES.contains(&w.as_str())
            || crate::grammar::is_month(w)
    })
}

fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_italic_article_title_beside_its_italic_journal_may_be_quoted() {
        let w = |s: &str| fold::words(s);
        let written = w("Reserve Unveils a Key Procedure The New York Times");
        let wanted = w("The New York Times");
        let title = w("Reserve Unveils a Key Procedure");
        assert!(italics_agree(&written, &wanted, true, &title));
        // not when the words taken out of italics are not the title's (a misreading)
        assert!(!italics_agree(&written, &wanted, true, &w("Key Procedure")));
        // nor when nothing stays italic (a thesis title: the type could be the misreading)
        assert!(!italics_agree(&title, &[], true, &title));
    }

    #[test]
    fn words_are_counted_as_written() {
        assert_eq!(
            written_words("_JavaScript and jQuery_, 2019),<x>"),
            ["_JavaScript", "and", "jQuery_", "2019x"]
        );
    }

    #[test]
    fn safe_keeps_case_and_adds_only_style_terms() {
        assert!(keeps_words("Ibid, 4", "Ibid., 4"));
        assert!(keeps_words(
            "Politics 45, 3 (2017)",
            "Politics 45, no. 3 (2017)"
        ));
        assert!(keeps_words("Smith & Jones, Book", "Smith and Jones, Book"));
        assert!(!keeps_words("House, Accessed May", "House, accessed May"));
        assert!(!keeps_words(
            "JavaScript and jQuery",
            "Javascript and Jquery"
        ));
        assert!(
            !keeps_words("Hub, 2016", "Hub, n.d., 2016"),
            "n.d. is invented"
        );
        assert!(!keeps_words("_members_", "*members*"));
        assert!(!keeps_words("Atack, Jeremy", "Jeremy Atack"), "reordered");
        assert!(
            !keeps_words("Smith, Book, 4", "Smith, Book"),
            "a dropped locator"
        );
    }

    #[test]
    fn a_quoted_title_with_more_after_it_is_a_misreading() {
        assert!(quoted_then_more("‘Recursive Deep Learning’ PhD diss."));
        assert!(!quoted_then_more("‘Fragmented Authoritarianism’"));
        assert!(!quoted_then_more(
            "‘Fragmented authoritarianism’ and state ownership"
        ));
        assert!(!quoted_then_more("The ‘Fragmented’ Model"));
        assert!(!quoted_then_more("'Tis the Season"));
    }

    #[test]
    fn ordinals_of_known_numbers() {
        let known: std::collections::HashSet<String> = ["2".to_owned()].into();
        assert!(ordinal_of_known("2nd", &known));
        assert!(!ordinal_of_known("3rd", &known));
        assert!(!ordinal_of_known("nd", &known));
    }
}
