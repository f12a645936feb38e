//! The end of a reading: leftover parts assigned (container, publisher, place), and the CSL type
//! inferred from the fields found.

use super::words::{
    contains_word, is_publishing_city, BOOK_PUBLISHER, LAW_WORDS, NEWS_WORDS, REPORT_WORDS,
};
use super::{Leftover, Mode, ReferenceParser, State};
use crate::grammar::names::is_institution;
use crate::model::{Name, Work, WorkType};

impl ReferenceParser<'_> {
    /// Assigns the leftover text parts and infers the type.
    pub(super) fn finish(&mut self) {
        let (st, mode) = (&self.st, self.mode);
        // what follows the title, past its closing quote and comma
        let after_title = self
            .out
            .title_span
            .map(|t| self.scan.text[t.end..].trim_start_matches(['”', '"', '’', '\'', ',', ' ']));
        // `“Federal Actions …,” 2008, 313` (not `“Global Governance,” (2017): 2`, a short form
        // with the year in parentheses)
        // (or a whole day: `Business Week, “Banks Try to Dodge Fed’s Grasp,” April 5, 1969, 94`)
        let bare_year_after_title = after_title.is_some_and(|after| {
            let bare_year = after.len() >= 4
                && after.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && !after.as_bytes().get(4).is_some_and(u8::is_ascii_digit);
            // a whole day, or a month (`February 2012`): a short form never gives one
            let day = after.starts_with(char::is_alphabetic)
                && super::date::date(after).is_ok_and(|(rest, d)| {
                    d.date_parts.first().is_some_and(|p| p.len() >= 2)
                        && (rest.trim().is_empty() || rest.starts_with([',', '.', ';']))
                });
            bare_year || day
        });
        // `F. Rabiti, “A Model of Authorization,” n.d., 223`: the style's word for a missing
        // date, which only a full citation prints
        let no_date_after_title = after_title.is_some_and(|after| {
            let head = after.split([',', ';', '(']).next().unwrap_or("").trim();
            crate::grammar::date::is_no_date(head)
        });
        // `*Rights of Passage* (2008), 222`: a book with its date alone, as ibid renders a work
        // without its publisher; a short form never gives a date in parentheses after an italic
        // title (`“Global Governance,” (2017): 2`, quoted and with a colon, is read as short)
        let paren_date_after_italic_title = self.out.title_italic
            && !self.out.title_quoted
            && after_title.is_some_and(|after| {
                after
                    .strip_prefix('(')
                    .and_then(|a| a.split_once(')'))
                    .is_some_and(|(inside, rest)| {
                        crate::grammar::date::whole_date(inside.trim()).is_some()
                            && (rest.trim().is_empty() || rest.starts_with([',', '.', ';']))
                    })
            });
        let out = &mut self.out;
        let quoted = out.title_quoted;
        let w = &mut out.work;
        let journal_evidence = w.volume.is_some()
            || w.issue.is_some()
            || (w.page.is_some() && mode == Mode::Bib && !st.in_container);
        let dated_by_day_or_month = w
            .issued
            .as_ref()
            .is_some_and(|d| d.date_parts.first().is_some_and(|p| p.len() >= 2));
        for Leftover { text: t, in_paren } in &st.texts {
            let t = t.as_str();
            if t.chars().all(|c| !c.is_alphabetic()) {
                continue;
            }
            // `n.d.`: the date is unknown, no field holds it
            if crate::grammar::date::is_no_date(t) {
                continue;
            }
            if w.author.is_empty()
                && w.editor.is_empty()
                && !quoted
                && !*in_paren
                && w.container_title.is_none()
                && is_institution(t)
                && !contains_word(t, BOOK_PUBLISHER)
                && st.had_paren_facts
            {
                w.author.push(Name::literal(t));
                continue;
            }
            if w.genre.as_deref().is_some_and(|g| {
                let g = g.to_ascii_lowercase();
                g.contains("thesis") || g.contains("diss")
            }) && w.publisher.is_none()
            {
                w.publisher = Some(t.trim_end_matches('.').to_owned());
                continue;
            }
            // `“Harbor Strike,” *Guardian*, November 20, 1984, Gale Primary Sources`: in a note,
            // after a periodical's day, the database the article was read in (a name of words,
            // not a page `A44` nor `N.p.`)
            let day_date = w
                .issued
                .as_ref()
                .is_some_and(|d| d.date_parts.first().is_some_and(|p| p.len() == 3));
            let database = mode == Mode::Note
                && t.starts_with(|c: char| c.is_uppercase())
                && t.split_whitespace().count() >= 2
                && !t.contains(|c: char| c.is_ascii_digit())
                && !t.contains('.');
            if quoted
                && database
                && day_date
                && !*in_paren
                && !st.in_container
                && w.container_title.is_some()
                && w.publisher.is_none()
                && w.volume.is_none()
                && !w.extra.contains_key("archive")
            {
                w.extra.insert("archive".into(), t.into());
                continue;
            }
            // `“Title,” in *Proceedings*, COLING (1990)`, `in *Book*, ed. X, Series 3 (Place:
            // Publisher, 1990)`: between a chapter's book and its publication facts, the series
            // (CMOS 14.123)
            if st.in_container
                && !*in_paren
                && mode == Mode::Note
                && w.container_title.is_some()
                && w.collection_title.is_none()
                && t.starts_with(|c: char| c.is_uppercase())
            {
                w.collection_title = Some(t.to_owned());
                continue;
            }
            if w.container_title.is_none()
                && (quoted
                    || st.in_container
                    || journal_evidence
                    || (*in_paren && st.day_date_in_paren))
            {
                w.container_title = Some(t.to_owned());
            } else if *in_paren
                && (journal_evidence || (quoted && dated_by_day_or_month))
                && w.container_title.is_some()
                && !st.in_container
                && w.publisher_place.is_none()
                && w.publisher.is_none()
            {
                // `*Crafts* (London) 211 (2008)` (CMOS 14.193), `*Star Tribune* (Minneapolis,
                // MN), May 8, 2014`: a journal's or a newspaper's place, in parentheses after its
                // name
                w.publisher_place = Some(t.to_owned());
            } else if w.publisher.is_none() {
                w.publisher = Some(t.trim_end_matches('.').to_owned());
            } else if w.publisher_place.is_none()
                && w.container_title.is_none()
                && mode == Mode::Bib
            {
                // `Publisher, Place`
                w.publisher_place = Some(t.to_owned());
            }
        }
        for s in &st.series {
            if w.collection_title.is_none() {
                w.collection_title = Some(s.clone());
            }
        }
        // `*The Book Itself*, Studies in Things 4 (Chicago: University of Chicago Press, 1991)`:
        // after a book's italic title and before its place and publisher, the series it belongs
        // to (CMOS 14.123), not a journal
        if out.title_italic
            && !quoted
            && !st.in_container
            && mode == Mode::Note
            && w.collection_title.is_none()
            && w.publisher.is_some()
            && w.publisher_place.is_some()
            && w.issue.is_none()
            && w.page.is_none()
        {
            w.collection_title = w.container_title.take();
        }
        // a series' number is written after it (`Studies in Things 3`), not a volume
        if let (Some(series), Some(number)) = (&w.collection_title, &w.volume) {
            let numbered = format!("{series} {number}");
            if self.scan.text.contains(&numbered) {
                w.collection_title = Some(numbered);
                w.volume = None;
            }
        }
        // a series named where a container would be, for a report
        if w.collection_title.is_none() {
            if let Some(c) = &w.container_title {
                if contains_word(
                    c,
                    &[
                        "paper series",
                        "working papers",
                        "working paper series",
                        "discussion papers",
                    ],
                ) {
                    w.collection_title = w.container_title.take();
                }
            }
        }
        // `(Penguin: New York, 2006)`: a publisher where the place goes and a known place where
        // the publisher goes. Read as meant; the check then shows the order to restore.
        // The evidence either way: a known city where the publisher goes, or a publisher's
        // words where the place goes (`Cambridge University Press: Cambridge and New York`,
        // `Bobbs-Merrill: Indianapolis`, `Morgan Kaufmann Publishers, Inc: Los Altos`)
        if let (Some(place), Some(publisher)) = (&w.publisher_place, &w.publisher) {
            let publisher_like = |t: &str| {
                contains_word(t, BOOK_PUBLISHER)
                    || contains_word(t, &["inc", "ltd", "llc", "co", "corp", "gmbh", "institute"])
            };
            let city_like =
                |t: &str| is_publishing_city(t) || t.split(" and ").all(is_publishing_city);
            let swapped = (city_like(publisher) && !city_like(place) && !publisher_like(publisher))
                || (publisher_like(place) && !publisher_like(publisher) && !city_like(place));
            if swapped {
                std::mem::swap(&mut w.publisher_place, &mut w.publisher);
            }
        }
        out.has_facts = w.gives_publication_facts()
            || !w.editor.is_empty()
            || !w.translator.is_empty()
            || w.extra.contains_key("interviewer")
            || w.note.is_some()
            || (w.page.is_some() && mode == Mode::Bib)
            || (mode == Mode::Note && quoted && no_date_after_title)
            || (mode == Mode::Note && paren_date_after_italic_title)
            // `G. Dillingham, “Federal Actions …,” 2008, 313`: a date after a quoted title
            // (a report without its publisher); a short form never gives one
            // (a short form names its authors by surname alone: `Janich and Corbeil, “GM1 and
            // GM3 Gangliosides”, 1786` is a page, unless the date is a day or a month)
            || (mode == Mode::Note
                && quoted
                && bare_year_after_title
                && w.issued.as_ref().is_some_and(|d| {
                    d.date_parts.first().is_some_and(|p| p.len() >= 2)
                        || w.author.is_empty()
                        || w.author.iter().any(|n| n.given.is_some() || n.literal.is_some())
                }));
        w.kind = infer_type(w, quoted, out.title_italic, st);
    }
}

/// The CSL type the fields and the title's marks point to.
fn infer_type(w: &Work, quoted: bool, italic: bool, st: &State) -> WorkType {
    let title = w.title.as_deref().unwrap_or("");
    let day_date = w
        .issued
        .as_ref()
        .is_some_and(|d| d.date_parts.first().is_some_and(|p| p.len() == 3));
    let container = w.container_title.as_deref().unwrap_or("");
    let publisher = w.publisher.as_deref().unwrap_or("");
    let genre = w.genre.as_deref().unwrap_or("").to_ascii_lowercase();
    if let Some(kind) = w.genre.as_deref().and_then(super::words::communication) {
        return kind;
    }
    if w.extra.contains_key("interviewer") {
        return WorkType::Interview;
    }
    if w.author.is_empty()
        && (title.contains(" v. ") || title.contains(" v ") || title.contains(" vs. "))
    {
        return WorkType::LegalCase;
    }
    if w.author.is_empty()
        && w.editor.is_empty()
        && contains_word(title, LAW_WORDS)
        && w.container_title.is_none()
        && w.publisher.is_none()
    {
        return WorkType::Legislation;
    }
    if genre.contains("thesis")
        || genre.contains("diss")
        || genre.contains("ph") && genre.contains('d')
    {
        return WorkType::Thesis;
    }
    // `*Title*, in *Collected Works*`: a title the source set in italics is a book's, even
    // inside a larger work (CMOS 14.123); a chapter's title is quoted
    if (st.in_container && (quoted || !italic))
        || (quoted && w.container_title.is_some() && w.publisher.is_some() && w.volume.is_none())
    {
        return WorkType::Chapter;
    }
    if w.url.is_some() && w.accessed.is_some() && w.volume.is_none() && w.publisher.is_none() {
        return WorkType::Webpage;
    }
    let reportish = contains_word(w.collection_title.as_deref().unwrap_or(""), REPORT_WORDS)
        || contains_word(&genre, REPORT_WORDS)
        || contains_word(container, &["paper series", "working paper"])
        || w.author.iter().any(|n| n.literal.is_some());
    if quoted && w.container_title.is_some() {
        if w.volume.is_some() || w.issue.is_some() {
            return WorkType::ArticleJournal;
        }
        if day_date {
            return if contains_word(container, NEWS_WORDS) {
                WorkType::ArticleNewspaper
            } else {
                WorkType::ArticleMagazine
            };
        }
        if reportish {
            return WorkType::Report;
        }
        return WorkType::ArticleJournal;
    }
    if reportish {
        return WorkType::Report;
    }
    if w.container_title.is_some() && (w.volume.is_some() || w.issue.is_some()) {
        return WorkType::ArticleJournal;
    }
    if !quoted && w.container_title.is_some() && st.day_date_in_paren && w.publisher.is_none() {
        return WorkType::Webpage;
    }
    if !publisher.is_empty() {
        if is_institution(publisher) && !contains_word(publisher, BOOK_PUBLISHER) {
            return WorkType::Report;
        }
        return WorkType::Book;
    }
    if w.publisher_place.is_some() || italic {
        return WorkType::Book;
    }
    if w.container_title.is_some() {
        return WorkType::ArticleJournal;
    }
    if w.url.is_some() {
        return WorkType::Webpage;
    }
    WorkType::Document
}
