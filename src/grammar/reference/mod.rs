//! Full references (Chicago notes, Chicago bibliography, APA, numbered science styles) into
//! CSL-JSON fields. Loose by design: each element is recognised by its own evidence, and what is not
//! recognised is left out.
//!
//! A reference is read left to right by a [`ReferenceParser`]: links, access date and ISBN are cut
//! from the end first ([`links`]); then names ([`authors`]), a date after them, the title
//! ([`title`]), and the publication facts ([`facts`], [`plain`], with the volume, issue and page
//! forms of [`numbers`]); [`kind`] assigns what is left over and infers the CSL type.

mod authors;
mod facts;
mod kind;
mod learned;
mod links;
mod numbers;
mod plain;
#[cfg(test)]
mod tests;
mod title;
mod words;

use super::date;
use super::date::whole_date;
use super::scan::Scan;
use crate::model::span::Span;
use crate::model::Work;
use authors::{editor_mark, read_names, strip_number_prefix, translator_mark};
use links::{find_accessed, find_links, strip_availability};
pub(crate) use numbers::edition;
use numbers::volume_issue;
use title::clean_title;
use words::{find_ci, skip_seps};

/// Where the reference comes from: a note (given-first names, publication facts in parentheses) or
/// a bibliography / reference list (inverted names, sentences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Note,
    Bib,
}

/// What the reference grammar found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The fields.
    pub work: Work,
    /// The title was in quotation marks.
    pub title_quoted: bool,
    /// The title was in italics.
    pub title_italic: bool,
    /// A year in parentheses follows the authors (APA).
    pub author_date: bool,
    /// Something beyond author, title and year: the citation is a full one.
    pub has_facts: bool,
    /// Byte range of the title in the text.
    pub title_span: Option<Span>,
    /// The names read at the start, if any, and where they end.
    pub names_end: usize,
}

/// A text part the facts did not place: assigned at the end (container, publisher, place).
#[derive(Debug)]
struct Leftover {
    /// The part, trimmed.
    text: String,
    /// It stood inside the parenthesis of publication facts.
    in_paren: bool,
}

/// What the reading of the publication facts gathers for the end.
#[derive(Debug, Default)]
struct State {
    /// An `In ...` container was read: the work is a chapter.
    in_container: bool,
    /// Parts to assign at the end, in order.
    texts: Vec<Leftover>,
    /// Series names.
    series: Vec<String>,
    /// A parenthesis held a full date (year, month and day).
    day_date_in_paren: bool,
    /// A parenthesis held publication facts.
    had_paren_facts: bool,
}

impl State {
    /// Keeps a part for the end.
    fn leave(&mut self, text: impl Into<String>, in_paren: bool) {
        self.texts.push(Leftover {
            text: text.into(),
            in_paren,
        });
    }
}

/// One reference being read: its text, how it was written, and what has been found so far.
struct ReferenceParser<'a> {
    /// The text and its brackets and quotes.
    scan: Scan<'a>,
    /// Note or bibliography conventions.
    mode: Mode,
    /// Italic ranges of the text (title evidence).
    emphasis: &'a [Span],
    /// The end of the reference proper: links, an access date and an ISBN are cut off.
    end: usize,
    /// The result.
    out: Parsed,
    /// The leftovers of the facts.
    st: State,
}

/// Parses a reference string.
pub(crate) fn parse(text: &str, mode: Mode, emphasis: &[Span]) -> Parsed {
    let mut p = ReferenceParser {
        scan: Scan::new(text),
        mode,
        emphasis,
        end: text.len(),
        out: Parsed::default(),
        st: State::default(),
    };
    p.end = p.body_end();
    let at = p.lead();
    let at = p.title(at);
    p.rest_facts(at);
    p.finish();
    p.out
}

/// Reads a reference string with the learned labeller alone (see [`crate::grammar::label`]).
pub(crate) fn labelled(text: &str, emphasis: &[Span]) -> Work {
    learned::work_from_segments(text, &crate::grammar::label::label(text, emphasis))
}

/// When the learned labeller is asked to read a bibliography entry the grammar has read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Consult {
    /// Never: the grammar alone.
    Never,
    /// When the grammar's reading is doubtful ([`learned::doubtful`]).
    WhenDoubtful,
    /// Always.
    Always,
}

/// A bibliography entry read by the grammar, with the fields of the learned labeller put over
/// its own ([`learned::combine`] says why) when `consult` says so and a model is shipped.
pub(crate) fn parse_bib(text: &str, emphasis: &[Span], consult: Consult) -> Work {
    let mut w = parse(text, Mode::Bib, emphasis).work;
    let ask = match consult {
        Consult::Never => false,
        Consult::WhenDoubtful => learned::doubtful(&w),
        Consult::Always => true,
    };
    if ask {
        let segs = crate::grammar::label::label(text, emphasis);
        if !segs.is_empty() {
            learned::combine(&mut w, text, &segs);
        }
    }
    w
}

/// The fields of labelled segments of `text`.
pub(crate) fn from_segments(text: &str, segs: &[crate::grammar::label::Segment]) -> Work {
    learned::work_from_segments(text, segs)
}

impl<'a> ReferenceParser<'a> {
    /// The whole reference string.
    fn text(&self) -> &'a str {
        self.scan.text
    }

    /// Reads links, an access date and an ISBN into the work; returns where the reference proper
    /// ends (before them and the phrases that introduce them).
    fn body_end(&mut self) -> usize {
        let text = self.text();
        let w = &mut self.out.work;
        // links, access date, availability phrases
        let links = find_links(text);
        let mut end = links.cut.unwrap_or(text.len());
        if let Some(u) = links.url {
            w.url = Some(u);
        }
        if let Some(d) = links.doi {
            w.doi = Some(d);
        }
        if let Some(acc) = find_accessed(&self.scan, text.len()) {
            w.accessed = Some(acc.date);
            if acc.start < end {
                // cut only when the accessed phrase ends the body
                let tail = text[acc.end..end]
                    .trim_matches(|c: char| c.is_whitespace() || ".,;:".contains(c));
                if tail.is_empty() || links.cut.is_some_and(|c| acc.end >= c) {
                    end = acc.start;
                }
            }
        }
        if links.cut.is_some() || w.accessed.is_some() {
            end = strip_availability(&self.scan, end);
        }
        // ISBN
        if let Some(k) = find_ci(&text[..end], "isbn", 0) {
            let after = text[k + 4..end].trim_start_matches([':', ' ']);
            let isbn: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == 'X')
                .collect();
            if isbn.len() >= 10 {
                w.isbn = Some(isbn);
                end = text[..k].trim_end().trim_end_matches([',', '.']).len();
            }
        }
        text[..end].trim_end().len()
    }

    /// Reads what precedes the title: a list number, the names (authors or editors) and a date
    /// right after them. Returns where the title starts.
    fn lead(&mut self) -> usize {
        let text = self.text();
        let (end, mode) = (self.end, self.mode);
        let w = &mut self.out.work;
        let mut p = if mode == Mode::Bib {
            strip_number_prefix(&text[..end])
        } else {
            text.len() - text.trim_start().len()
        };

        // `———.` / `---.`: the same author as the entry before (not known here)
        let mut ditto = false;
        if text[p..end].starts_with(['—', '–', '-', '_']) {
            ditto = true;
            let ditto = text[p..end]
                .trim_start_matches(['—', '–', '-', '_', ' '])
                .trim_start_matches(['.', ','])
                .trim_start();
            p = end - ditto.len();
        }

        // names, which never run into italics (`Fiedler, *Love and Death*`: the title's `and`
        // does not join names)
        let cut = self
            .emphasis
            .iter()
            .map(|e| e.start)
            .filter(|&s| s > p && s < end)
            .min();
        let names_end = cut.unwrap_or(end);
        if let Some(list) =
            read_names(&text[..names_end], p, mode, cut.is_some()).filter(|_| !ditto)
        {
            p = list.end;
            if let Some(e) = editor_mark(&text[..names_end], p) {
                p = e;
                w.editor = list.names;
            } else if let Some(e) = translator_mark(&text[..names_end], p) {
                p = e;
                w.translator = list.names;
            } else {
                w.author = list.names;
            }
            self.out.names_end = p;
            p = skip_seps(text, p, end);
        }

        // date right after the names (APA `(2011).`, science `1997,`)
        if p < end && text[p..].starts_with('(') {
            if let Some((close, _)) = self.scan.close_of(p) {
                if close < end {
                    if let Some(d) = whole_date(&text[p + 1..close]) {
                        w.issued = Some(d).filter(|d| !d.date_parts.is_empty());
                        self.out.author_date = true;
                        p = skip_seps(text, close + 1, end);
                    }
                }
            }
        } else if p < end && (!w.author.is_empty() || !w.editor.is_empty()) {
            if let Ok((rest, d)) = date::date(&text[p..end]) {
                let r = rest.trim_start();
                if !d.date_parts.is_empty() && (r.starts_with(['.', ',', ':', ';']) || r.is_empty())
                {
                    w.issued = Some(d);
                    self.out.author_date = true;
                    p = skip_seps(text, end - rest.len(), end);
                }
            }
        }
        p
    }

    /// Reads an untitled communication at `p` (after its author): what it was (`email message to
    /// author`, `interview by Henry Ward`), its date, and what else it gives (`audio recording`).
    fn communication(&mut self, p: usize) {
        let (text, end) = (self.text(), self.end);
        let w = &mut self.out.work;
        let cuts: Vec<usize> = self
            .scan
            .split_top(p, end, b',')
            .into_iter()
            .chain([end])
            .collect();
        let piece = |from: usize, to: usize| text[from..to].trim().trim_end_matches('.');
        let date = |s: &str| whole_date(s).filter(|d| !d.date_parts.is_empty());
        let (mut k, mut i) = (p, 0);
        let mut described = false;
        while i < cuts.len() {
            let here = piece(k, cuts[i]);
            // a date may hold a comma: `August 1, 2017`
            let across = cuts
                .get(i + 1)
                .filter(|_| described && w.issued.is_none())
                .and_then(|&next| date(piece(k, next)));
            if let Some(d) = across {
                w.issued = Some(d);
                i += 1;
            } else if !described {
                described = !here.is_empty();
                if described {
                    describe(w, here);
                }
            } else if let Some(d) = date(here) {
                w.issued.get_or_insert(d);
            } else if !here.is_empty() && !w.extra.contains_key("medium") {
                // what follows is the form it takes (`audio recording`): CSL's medium
                w.extra.insert("medium".into(), here.into());
            } else if !here.is_empty() {
                words::set_if_none(&mut w.note, here);
            }
            k = cuts[i] + 1;
            i += 1;
        }
    }

    /// Reads the title at `p` into the work; returns where the publication facts start.
    fn title(&mut self, mut p: usize) -> usize {
        let text = self.text();
        let end = self.end;
        if p >= end {
            return p;
        }
        let no_author = self.out.work.author.is_empty();
        // `Leila Haddad, email message to author, January 17, 2022`: no title, a communication
        if !no_author && words::communication(&text[p..end]).is_some() {
            self.communication(p);
            return end;
        }
        let t = self.read_title(p, no_author);
        let w = &mut self.out.work;
        let title = clean_title(&text[t.start..t.end]);
        if !title.is_empty() {
            self.out.title_span = Some(Span::new(t.start, t.end));
            w.title = Some(title);
        }
        self.out.title_quoted = t.quoted;
        self.out.title_italic = t.italic;
        p = t.next;
        // numbered science styles give no title: `1997, ApJ, 475, 163`
        if !t.quoted && !t.italic && self.mode == Mode::Bib {
            let tt = &text[t.start..t.end];
            let rest = text[p..end].trim_start();
            if tt.split_whitespace().count() <= 5 {
                if let Some(c) = self.scan.find_top(t.start, t.end, ", ") {
                    if text[c + 2..t.end]
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit())
                    {
                        w.title = None;
                        self.out.title_span = None;
                        p = t.start;
                    }
                } else if rest.starts_with(|c: char| c.is_ascii_digit())
                    && volume_issue(rest.split([',', ' ']).next().unwrap_or("")).is_some()
                    && w.author.iter().chain(&w.editor).count() > 0
                    && tt
                        .split_whitespace()
                        .all(|x| x.chars().next().is_some_and(char::is_uppercase))
                {
                    w.title = None;
                    self.out.title_span = None;
                    p = t.start;
                }
            }
        }
        p
    }
}

/// Sets what a reference says the work is (`PhD diss.`, `email message to author`) as its genre;
/// an interviewer named there (`interview by Jane Doe`) is a name the style prints with its own
/// words, so it goes to CSL's `interviewer` and the rest stays the genre.
fn describe(w: &mut Work, part: &str) {
    if w.genre.is_some() {
        return;
    }
    const BY: &str = "interview by ";
    if let Some(at) = part.find(BY).map(|at| at + BY.len()) {
        let names = read_names(part, at, Mode::Note, false)
            .filter(|n| n.end == part.len() && !n.names.is_empty());
        if let Some(names) = names {
            let genre = part[..at - " by ".len()].trim();
            w.genre = Some(genre.to_owned()).filter(|g| *g != "interview");
            w.extra.insert(
                "interviewer".into(),
                serde_json::to_value(names.names).unwrap_or_default(),
            );
            return;
        }
    }
    w.genre = Some(part.to_owned());
}
