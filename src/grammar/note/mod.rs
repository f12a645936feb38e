//! A note's text into citations and prose: segmentation on `;`, sentences, signals, Ibid / Id.,
//! op. cit., short forms, full citations, citations inside commentary.

mod prose;
mod signals;
#[cfg(test)]
mod tests;

use super::locator;
use super::names;
use super::reference::{self, Mode};
use super::scan::{Pair, Scan};
use super::{Cite, CiteKind, Locator, LocatorLabel, NoteFinding, ParsedNote, Signal};
use crate::model::diagnostic::Code;
use crate::model::span::Span;
use crate::model::{Work, WorkType};
use prose::{has_link, is_prose, prose_counts};
use signals::{ibid_sep, ibid_word, signal, MID_SIGNALS};

/// A citation being collected over sentences.
struct Pending {
    start: usize,
    end: usize,
    signal: Option<Signal>,
    sentences: usize,
}

/// A signal in the middle of a sentence (` cited in `).
#[derive(Debug, Clone, Copy)]
struct MidSignal {
    /// The byte of the space before the signal.
    at: usize,
    /// The length of the pattern, with a space on each side.
    len: usize,
    /// The normalised name.
    name: &'static str,
}

/// One note being read: its text, its italics, and the citations found so far.
struct NoteParser<'a> {
    scan: Scan<'a>,
    emphasis: &'a [Span],
    out: ParsedNote,
}

/// Reads a note.
pub(crate) fn parse(text: &str, emphasis: &[Span]) -> ParsedNote {
    let mut p = NoteParser {
        scan: Scan::new(text),
        emphasis,
        out: ParsedNote::default(),
    };
    for &(pos, kind) in &p.scan.unclosed {
        if kind.is_quote() && kind != Pair::Single {
            let len = text[pos..].chars().next().map_or(1, char::len_utf8);
            p.out.findings.push(NoteFinding {
                code: Code::UnclosedQuote,
                span: Span::new(pos, pos + len),
                message: format!(
                    "the quotation mark opened at byte {pos} is never closed in this note"
                ),
            });
        }
    }
    let mut start = 0;
    let mut cuts = p.scan.split_top(0, text.len(), b';');
    // a semicolon in italics is a title's (`*Musicage: Cage Muses on Words, Art, Music; John
    // Cage in Conversation*`), unless the whole note is in italics
    let (first, last) = trim(text, 0, text.len());
    cuts.retain(|&k| {
        !emphasis
            .iter()
            .any(|e| e.start < k && k < e.end && (e.start > first || e.end < last))
    });
    cuts.push(text.len());
    for k in cuts {
        // `…, pp. 42-46; and Robert A. Bosch …`: the `and` joins the citations (before a name
        // given in full, which no sentence of prose starts with)
        let (a, _) = trim(text, start, k);
        let full_name_after = |i: usize| {
            names::given_first(&text[..k], i)
                .is_some_and(|l| l.names.first().is_some_and(|n| n.given.is_some()))
        };
        let a = if start > 0 && text[a..k].starts_with("and ") && full_name_after(a + 4) {
            a + 4
        } else {
            start
        };
        p.segment(a, k);
        start = k + 1;
    }
    p.name_variants();
    if p.out.cites.is_empty() {
        if let Some(why) = looks_like_a_citation(&p.scan, emphasis) {
            let (a, b) = trim(text, 0, text.len());
            p.out.findings.push(NoteFinding {
                code: Code::UnreadNote,
                span: Span::new(a, b),
                message: format!(
                    "no citation was read in this note, though it has {why}; it is kept as prose"
                ),
            });
        }
    }
    // A citation is large (its work's fields held inline) and a vector's first growth makes room
    // for four: without this an Ibid-only note would keep kilobytes it does not use, for as long as
    // the analysis lives.
    p.out.cites.shrink_to_fit();
    p.out
}

/// A quotation that reads as a title: four words or more, or two or more whose first and last are
/// capitalised (`“Cruel Optimism”`, not `“Save as”`).
fn title_like(quoted: &str) -> bool {
    let words: Vec<&str> = quoted.split_whitespace().collect();
    let capital = |w: &&str| w.starts_with(|c: char| c.is_uppercase());
    words.len() >= 4
        || (words.len() >= 2
            && words.first().is_some_and(capital)
            && words.last().is_some_and(capital))
}

/// Why a note in which the grammar found no citation still looks like one: little prose (at most
/// a dozen lower-case words outside quotations, as in `See, for the origins, …`), and a title (a
/// quotation that reads as one, or italics) together with a year or a page. `None` for prose.
fn looks_like_a_citation(scan: &Scan, emphasis: &[Span]) -> Option<&'static str> {
    let text = scan.text;
    if prose_counts(scan, 0, text.len()).1 > 12 {
        return None;
    }
    let bytes = text.as_bytes();
    let year = (0..bytes.len().saturating_sub(3)).any(|i| {
        let digits = bytes[i..i + 4].iter().all(u8::is_ascii_digit);
        let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric());
        digits && bounded && matches!(&text[i..i + 2], "15" | "16" | "17" | "18" | "19" | "20")
    });
    let page = ["p. ", "pp. "].iter().any(|label| {
        text.match_indices(label).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            before.is_none_or(|c| !c.is_alphanumeric())
                && text[i + label.len()..].starts_with(|c: char| c.is_ascii_digit())
        })
    });
    if !year && !page {
        return None;
    }
    let quoted = [('“', '”'), ('"', '"')].iter().any(|&(open, close)| {
        let mut rest = text;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            let Some(j) = after.find(close) else { break };
            if title_like(&after[..j]) {
                return true;
            }
            rest = &after[j + close.len_utf8()..];
        }
        false
    });
    match (quoted || !emphasis.is_empty(), year) {
        (false, _) => None,
        (true, true) => Some("a title and a year"),
        (true, false) => Some("a title and a page"),
    }
}

/// A locator that is a year as written (`2009`, not `p. 2009` nor `2,009`): after a quoted title,
/// maybe the work's date rather than a page.
fn bare_year(l: &Locator, text: &str) -> bool {
    l.value.len() == 4
        && l.value
            .parse::<u16>()
            .is_ok_and(|y| (1500..=2100).contains(&y))
        && l.span.slice(text) == l.value
}

impl<'a> NoteParser<'a> {
    fn text(&self) -> &'a str {
        self.scan.text
    }

    fn segment(&mut self, a: usize, b: usize) {
        let text = self.text();
        let ends = self.scan.sentence_ends(a, b);
        let mut pending: Option<Pending> = None;
        let mut s = a;
        for e in ends {
            let (st, en) = trim(text, s, e);
            s = e;
            if st >= en {
                continue;
            }
            self.sentence(st, en, &mut pending);
        }
        if let Some(p) = pending.take() {
            self.flush(p);
        }
    }

    fn sentence(&mut self, st: usize, en: usize, pending: &mut Option<Pending>) {
        let text = self.text();
        let found = signal(&text[st..en]);
        // the citation starts after the signal
        let r = found.map_or(st, |m| st + m.skip);
        let sig = found.map(|m| m.at(st));
        // Ibid / Id.
        if let Ok((_, word)) = ibid_word(&text[r..en]) {
            if let Some(p) = pending.take() {
                self.flush(p);
            }
            self.ibid(r, r + word.len(), en, sig);
            return;
        }
        if sig.is_none() {
            if let Some(p) = pending.as_mut() {
                let continues = has_link(&text[st..en])
                    || !is_prose(&self.scan, st, en)
                    || (p.sentences == 1 && self.only_names(p.start, p.end));
                if continues {
                    p.end = en;
                    p.sentences += 1;
                    return;
                }
                if let Some(p) = pending.take() {
                    self.flush(p);
                }
                self.prose(st, en);
                return;
            }
        }
        if let Some(p) = pending.take() {
            self.flush(p);
        }
        if (sig.is_some() || self.cite_start(r, en)) && !is_prose(&self.scan, r, en) {
            *pending = Some(Pending {
                start: r,
                end: en,
                signal: sig,
                sentences: 1,
            });
            return;
        }
        // a signal in the middle: `X cited in Lewis, ...`
        if let Some(MidSignal { at: k, len, name }) = self.mid_signal(st, en) {
            // what precedes `cited in` is the original source, unless it reads as a sentence
            let (function, content) = prose_counts(&self.scan, st, k);
            if function >= 1 || content >= 2 {
                self.out.commentary = true;
            }
            let at = k + len;
            *pending = Some(Pending {
                start: at,
                end: en,
                signal: Some(Signal {
                    name: name.to_owned(),
                    span: Span::new(k + 1, k + len - 1),
                }),
                sentences: 1,
            });
            return;
        }
        if !is_prose(&self.scan, st, en) && self.citation(st, en, None, true).is_some() {
            // a citation that starts with an unquoted title
            *pending = Some(Pending {
                start: st,
                end: en,
                signal: None,
                sentences: 1,
            });
            return;
        }
        self.prose(st, en);
    }

    /// The first sentence of a pending citation holds only names (and a date): a title follows.
    fn only_names(&self, a: usize, b: usize) -> bool {
        let text = self.text();
        if a >= b || text.get(..b).is_none() {
            return false; // an empty sentence (`\u{a0}op. cit.`) holds no names
        }
        let list = names::inverted(&text[..b], a).or_else(|| names::given_first(&text[..b], a));
        let Some(l) = list else { return false };
        let rest = text[l.end..b].trim_matches(|c: char| c.is_whitespace() || ",.:".contains(c));
        rest.is_empty() || super::date::whole_date(rest).is_some()
    }

    /// The first signal inside `a..b` (` cited in `, ` see `) that a citation follows.
    fn mid_signal(&self, a: usize, b: usize) -> Option<MidSignal> {
        let text = self.text();
        let lower = text[a..b].to_ascii_lowercase();
        let mut best: Option<MidSignal> = None;
        for &(pat, name) in MID_SIGNALS {
            let mut from = 0;
            while let Some(k) = lower[from..].find(pat) {
                let at = a + from + k;
                from += k + pat.len();
                if !self.scan.top(at) {
                    continue;
                }
                if self.cite_start(at + pat.len(), b) && best.is_none_or(|m| at < m.at) {
                    best = Some(MidSignal {
                        at,
                        len: pat.len(),
                        name,
                    });
                }
            }
        }
        best
    }

    /// Does a citation start at `r`: a quoted or italic title, or names followed by `,` `.` `(`?
    fn cite_start(&self, r: usize, en: usize) -> bool {
        let text = self.text();
        let t = &text[r..en];
        let Some(first) = t.chars().next() else {
            return false;
        };
        if "“\"‘«".contains(first) {
            return true;
        }
        if self.emphasis.iter().any(|e| e.start == r) {
            return true;
        }
        let ok_after = |end: usize| {
            let rest = &text[end..en];
            let tt = rest.trim_start();
            if tt.is_empty() {
                return false;
            }
            let glued = rest.len() == tt.len();
            if glued {
                return tt.starts_with([',', '.', ':']);
            }
            tt.starts_with(['(', '“', '"', '‘'])
                || self.emphasis.iter().any(|e| e.start == en - tt.len())
        };
        if let Some(l) = names::given_first(&text[..en], r) {
            if ok_after(l.end) {
                // `Author, op. cit.` or `Author, Title` or `Author and Author, 12`
                return true;
            }
        }
        if let Some(l) = names::inverted(&text[..en], r) {
            if ok_after(l.end) {
                return true;
            }
        }
        false
    }

    fn prose(&mut self, st: usize, en: usize) {
        self.out.commentary = true;
        // citations in parentheses inside the prose
        let text = self.text();
        let mut i = st;
        while let Some(k) = self.scan.find_top(i, en, "(") {
            let Some((close, _)) = self.scan.close_of(k) else {
                i = k + 1;
                continue;
            };
            let (a, b) = trim(text, k + 1, close);
            let found = signal(&text[a..b]);
            let a2 = found.map_or(a, |m| a + m.skip);
            let sig = found.map(|m| m.at(a));
            if a2 < b && self.cite_start(a2, b) {
                if let Some(c) = self.citation(a2, b, sig, true) {
                    if c.kind == CiteKind::Full || c.locator.is_some() {
                        self.out.cites.push(c);
                    }
                }
            }
            i = close + 1;
        }
        self.embedded(st, en);
    }

    /// Full citations written into a sentence of prose (`The best account is Helen Porter,
    /// *Rivers of Salt* (Boston: Beacon Press, 2011), which …`): names given in full and a
    /// marked title after a space, then publication facts in parentheses, maybe a page; read
    /// where the citation is full and its facts are its own.
    fn embedded(&mut self, st: usize, en: usize) {
        let text = self.text();
        // (each candidate starts after a space, never at the sentence's start)
        let mut i = st;
        while i < en {
            let Some(k) = text[i..en].find(' ').map(|k| i + k + 1) else {
                break;
            };
            i = k;
            if !self.scan.top(k) || !text[k..en].starts_with(|c: char| c.is_uppercase()) {
                continue;
            }
            let Some(names) = names::given_first(&text[..en], k) else {
                continue;
            };
            // `…, in J. Stillwell, O. Duke-Williams, and A. Dennett, eds., *Technologies …*`:
            // the book a chapter is in, not a citation of its own; nor a name inside a list
            let before = text[st..k - 1].rsplit(' ').next().unwrap_or("");
            if ["in", "In", "by", "By", "ed.", "eds.", "trans."].contains(&before)
                || before.ends_with(',')
            {
                i = names.end.max(k);
                continue;
            }
            if !names.names.iter().any(|n| n.given.is_some())
                || !text[names.end..en].starts_with(", ")
                || !self.cite_start(k, en)
            {
                continue;
            }
            // the facts' parenthesis, then a page, before the prose goes on
            let Some(open) = self.scan.find_top(names.end, en, " (") else {
                continue;
            };
            let Some((close, _)) = self.scan.close_of(open + 1) else {
                continue;
            };
            let mut end = close + 1;
            let after = &text[end..en];
            if let Some(rest) = after.strip_prefix(", ") {
                let digits = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '–' || c == '-'))
                    .unwrap_or(rest.len());
                if digits > 0 && rest[..digits].starts_with(|c: char| c.is_ascii_digit()) {
                    end += 2 + digits;
                }
            }
            if let Some(c) = self.citation(k, end, None, true) {
                let titled = self.emphasis.iter().any(|e| e.start > k && e.end <= open)
                    || text[names.end..open].contains(['“', '"']);
                if c.kind == CiteKind::Full && titled && c.fields.issued.is_some() {
                    self.out.cites.push(c);
                    i = end;
                }
            }
        }
    }

    /// `Ibid.` at `r..word_end` and its locator up to `en`.
    fn ibid(&mut self, r: usize, word_end: usize, en: usize, signal: Option<Signal>) {
        let text = self.text();
        let (_, sep) = ibid_sep(&text[word_end..en]).unwrap_or(("", ""));
        let loc_start = word_end + sep.len();
        let mut span_end = if text[r..word_end].ends_with('.') {
            word_end - 1
        } else {
            word_end
        };
        let mut loc = None;
        let (ls, le) = trim(text, loc_start, en);
        let le = strip_final_period(text, ls, le);
        if ls < le {
            if let Some(f) = locator::whole(&text[ls..le]) {
                loc = Some(Locator {
                    label: f.label,
                    value: f.value,
                    span: Span::new(ls, le),
                });
                span_end = le;
            } else {
                // what follows is not a locator: prose, or another citation
                let rest_is_prose = is_prose(&self.scan, ls, le);
                self.out.commentary |= rest_is_prose || !self.cite_start(ls, le);
            }
        }
        self.out.cites.push(Cite {
            kind: CiteKind::Ibid,
            span: Span::new(r, span_end),
            signal,
            locator: loc,
            fields: Work::default(),
            work: None,
        });
    }

    fn flush(&mut self, p: Pending) {
        let (a, b) = trim(self.text(), p.start, p.end);
        // two citations in one sentence: `…, 12, quoted in Orme, *Sea Walls*, 19`, `…: 115–39
        // and Peter B. Lowell Jr., *The Keepers* …`
        if let Some((first_end, second, signal)) = self.inner_split(a, b) {
            let first = self.citation(a, first_end, p.signal.clone(), false);
            let then = self.citation(second, b, signal, false);
            if let (Some(c1), Some(c2)) = (first, then) {
                if c1.kind == CiteKind::Full || c1.locator.is_some() {
                    self.out.cites.push(c1);
                    self.out.cites.push(c2);
                    return;
                }
            }
        }
        match self.citation(a, b, p.signal, false) {
            Some(c) => self.out.cites.push(c),
            None => self.out.commentary = true,
        }
    }

    /// Where a sentence read as one citation holds a second: after a locator, `, quoted in ` (or
    /// another signal of a source quoted or reprinted in another), or ` and ` before a citation's
    /// start (names and a title). Returns the end of the first, the start of the second and the
    /// second's signal.
    fn inner_split(&self, a: usize, b: usize) -> Option<(usize, usize, Option<Signal>)> {
        // the signals of a source found in another (`quoted in`, `reprinted in`), after a comma;
        // and a bare `and`
        let after_locator: Vec<(String, &str)> = MID_SIGNALS
            .iter()
            .filter(|(_, name)| name.ends_with(" in"))
            .map(|&(pat, name)| (format!(",{pat}"), name))
            .chain([(" and ".to_owned(), "")])
            .collect();
        let text = self.text();
        let lower = text[a..b].to_ascii_lowercase();
        let mut best: Option<(usize, usize, Option<Signal>)> = None;
        for (pat, name) in &after_locator {
            let (pat, name) = (pat.as_str(), *name);
            let mut from = 0;
            while let Some(k) = lower[from..].find(pat) {
                let at = a + from + k;
                from += k + pat.len();
                let next = at + pat.len();
                // after a figure (a page), at the top level, before a citation's start
                let after_figure = text[..at].ends_with(|c: char| c.is_ascii_digit());
                if !after_figure || !self.scan.top(at) || !self.cite_start(next, b) {
                    continue;
                }
                if best.as_ref().is_some_and(|(e, _, _)| *e <= at) {
                    continue;
                }
                let signal = (!name.is_empty()).then(|| {
                    let start = at + pat.find(|c: char| c.is_alphabetic()).unwrap_or(0);
                    Signal {
                        name: name.to_owned(),
                        span: Span::new(start, next - 1),
                    }
                });
                best = Some((at, next, signal));
            }
        }
        best
    }

    /// Reads one citation in `a..b` (after its signal).
    fn citation(&self, a: usize, b: usize, signal: Option<Signal>, strict: bool) -> Option<Cite> {
        let text = self.text();
        let b = strip_final_period(text, a, b);
        if a >= b {
            return None;
        }
        // links and availability phrases end the reference proper
        let lower = text[a..b].to_ascii_lowercase();
        let mut core_end = b;
        for pat in ["http://", "https://", "www.", "doi:", "doi.org"] {
            if let Some(k) = lower.find(pat) {
                // `www.` only as the start of an address (`the www. IEEE` is prose)
                let token = lower[k..].split_whitespace().next().unwrap_or("");
                if pat == "www." && token.len() <= 5 {
                    continue;
                }
                core_end = core_end.min(a + k);
            }
        }
        let link_end = core_end < b;
        let core_end = if link_end {
            self.strip_tail(a, core_end)
        } else {
            core_end
        };
        // op. cit.
        let core_lower = text[a..core_end].to_ascii_lowercase();
        for oc in [
            "op. cit.",
            "op. cit",
            "op.cit.",
            "loc. cit.",
            "loc. cit",
            "opus citatum",
            // German: am angegebenen Ort
            "a.a.o.",
            "a. a. o.",
        ] {
            if let Some(k) = core_lower.find(oc) {
                let names_end = text[..a + k]
                    .trim_end()
                    .trim_end_matches(',')
                    .trim_end()
                    .len();
                let list = names::given_first(&text[..names_end], a)
                    .or_else(|| names::inverted(&text[..names_end], a))?;
                let after = a + k + oc.len();
                let (ls, le) = trim(text, after, core_end);
                let ls = skip_commas(text, ls, le);
                let loc = locator::whole(&text[ls..le]).map(|f| Locator {
                    label: f.label,
                    value: f.value,
                    span: Span::new(ls, le),
                });
                let end = if loc.is_some() { le } else { after.min(b) };
                let end = strip_final_period(text, a, end.min(b));
                return Some(Cite {
                    kind: CiteKind::OpCit,
                    span: Span::new(a, end),
                    signal,
                    locator: loc,
                    fields: Work {
                        author: list.names,
                        ..Work::default()
                    },
                    work: None,
                });
            }
        }
        // a remark in parentheses after the locator (`167 (quoting Harland)`, `30 (see especially
        // pp. 53–59)`, `(emphasis added)`): the author's words about the passage, not the work's
        let core_end = self.without_remark(a, core_end);
        // the locator at the end of the core
        let (mut loc, mut ref_end) = self.trailing_locator(a, core_end);
        // `“Fred Smith: FedEx Wants UAVs,” 2009, http://…`: a year right after a quoted title and
        // before the link is the work's date, not a page
        if link_end {
            if let Some(l) = &loc {
                let before = text[a..l.span.start].trim_end();
                if bare_year(l, text) && (before.ends_with(",”") || before.ends_with(",\"")) {
                    loc = None;
                    ref_end = core_end;
                }
            }
        }
        // a case's pinpoint before its year: `5 U.S. 137, 177 (1803)`
        if loc.is_none() && text[a..core_end].ends_with(')') {
            if let Some(open) = self.scan.rfind_top(a, core_end, " (") {
                let year = &text[open + 2..core_end - 1];
                if super::date::whole_date(year).is_some() && text[a..open].contains(" v. ") {
                    let (l2, _) = self.trailing_locator(a, open);
                    if l2.is_some() {
                        loc = l2;
                        ref_end = core_end;
                    }
                }
            }
        }
        let emphasis: Vec<Span> = self
            .emphasis
            .iter()
            .filter(|e| e.start >= a && e.end <= b)
            .map(|e| Span::new(e.start - a, e.end - a))
            .collect();
        // the reference without its locator (with its links when they follow it directly)
        let parsed = if !link_end {
            reference::parse(&text[a..ref_end.min(b)], Mode::Note, &emphasis)
        } else if ref_end >= core_end {
            reference::parse(&text[a..b], Mode::Note, &emphasis)
        } else {
            // locator before the link: parse the core without the locator, keep the links
            let parsed = reference::parse(&text[a..b], Mode::Note, &emphasis);
            let mut p2 = reference::parse(&text[a..ref_end], Mode::Note, &emphasis);
            p2.work.url = parsed.work.url.clone();
            p2.work.doi = parsed.work.doi.clone();
            p2.work.accessed = parsed.work.accessed.clone();
            if p2.work.url.is_some() || p2.work.doi.is_some() {
                p2.has_facts = true;
                if p2.work.kind == WorkType::Document {
                    p2.work.kind = WorkType::Webpage;
                }
            }
            p2
        };
        // APA: the pages after the container are the work's own (no pinpoint)
        let (loc, parsed) = if parsed.author_date
            && loc.as_ref().is_some_and(|l| l.label == LocatorLabel::Page)
            && !link_end
        {
            (None, reference::parse(&text[a..b], Mode::Note, &emphasis))
        } else {
            (loc, parsed)
        };
        let w = &parsed.work;
        if w.title.is_none() && w.lead_names().is_empty() {
            return None;
        }
        if w.lead_names().is_empty() && !parsed.title_quoted && !parsed.title_italic {
            // an unquoted title with no author must bring facts or a locator
            let law = parsed.work.kind.is_legal();
            let labelled = loc.as_ref().is_some_and(|l| l.label != LocatorLabel::Page);
            if !parsed.has_facts && (loc.is_none() || (strict && !law && !labelled)) {
                return None;
            }
            if let Some(ts) = parsed.title_span {
                if is_prose(&Scan::new(&text[a..b]), ts.start, ts.end) {
                    return None;
                }
            }
        }
        let mut kind = if parsed.has_facts {
            CiteKind::Full
        } else {
            CiteKind::Short
        };
        let (mut loc, mut parsed) = (loc, parsed);
        // `D. W. Connolly, “Voice Data Entry in Air Traffic Control,” 1979`: names given in full
        // (a short form gives surnames alone) and a year after the quoted title: the year is the
        // work's date (a report without its publisher, as ibid renders one), not a page
        if kind == CiteKind::Short && !link_end && parsed.title_quoted {
            let year_after_quote = loc.as_ref().is_some_and(|l| {
                bare_year(l, text)
                    && matches!(
                        text[a..l.span.start].trim_end().chars().last(),
                        Some('”' | '"')
                    )
            });
            let named_in_full = parsed.work.author.iter().any(|n| n.given.is_some());
            if year_after_quote && named_in_full {
                let whole = reference::parse(&text[a..core_end], Mode::Note, &emphasis);
                if whole.has_facts && whole.work.year().is_some() {
                    parsed = whole;
                    loc = None;
                    ref_end = core_end;
                    kind = CiteKind::Full;
                }
            }
        }
        // a short form gives no date: a year-like number ending it after a comma is its page
        // (`Janich and Corbeil, “GM1 and GM3 Gangliosides”, 1786`)
        if kind == CiteKind::Short
            && loc.is_none()
            && !link_end
            && (parsed.title_quoted || parsed.title_italic)
        {
            let core = text[a..core_end].trim_end().trim_end_matches('.');
            if let (Some(year), Some(k)) = (parsed.work.year(), core.rfind(", ")) {
                let value = &core[k + 2..];
                if value == year.to_string() {
                    let start = a + k + 2;
                    loc = Some(Locator {
                        label: LocatorLabel::Page,
                        value: value.to_owned(),
                        span: Span::new(start, start + value.len()),
                    });
                    parsed.work.issued = None;
                    ref_end = a + k;
                }
            }
        }
        if strict && kind == CiteKind::Short && loc.is_none() {
            return None;
        }
        let fields = if kind == CiteKind::Full {
            parsed.work.clone()
        } else {
            Work {
                kind: parsed.work.kind,
                author: parsed.work.author.clone(),
                editor: if parsed.work.author.is_empty() {
                    parsed.work.editor.clone()
                } else {
                    Vec::new()
                },
                title: parsed.work.title.clone(),
                title_short: parsed.work.title.clone(),
                issued: parsed.work.issued.clone(),
                ..Work::default()
            }
        };
        let end = if link_end {
            b
        } else {
            match &loc {
                Some(l) => l.span.end.max(strip_final_period(text, a, ref_end)),
                None => strip_final_period(text, a, ref_end.max(a)),
            }
        };
        let end = if link_end || loc.is_some() {
            end
        } else {
            strip_final_period(text, a, b.min(core_end))
        };
        Some(Cite {
            kind,
            span: Span::new(a, end),
            signal,
            locator: loc,
            fields,
            work: None,
        })
    }

    /// `a..b` without a closing parenthesis that remarks on the passage cited: it follows a
    /// figure (the locator) and starts with a lower-case word that is not a date's (`n.d.`).
    fn without_remark(&self, a: usize, b: usize) -> usize {
        let text = self.text();
        let end = strip_final_period(text, a, b);
        if !text[..end].ends_with(')') {
            return b;
        }
        let Some(open) = self.scan.rfind_top(a, end, " (") else {
            return b;
        };
        let inside = &text[open + 2..end - 1];
        let remark = inside.starts_with(|c: char| c.is_lowercase())
            && text[a..open].ends_with(|c: char| c.is_ascii_digit())
            && super::date::whole_date(inside).is_none()
            && !inside.contains(':');
        if remark {
            open
        } else {
            b
        }
    }

    /// Cuts an availability phrase or access date before a link.
    fn strip_tail(&self, a: usize, link: usize) -> usize {
        let text = self.text();
        let mut end = text[..link].trim_end().len().max(a);
        // the last sentence, when it reads as an availability phrase
        let ends = self.scan.sentence_ends(a, end);
        if ends.len() >= 2 {
            let last = ends[ends.len() - 2];
            let part = &text[last..end];
            let words = [
                "available",
                "translation",
                "found",
                "retrieved",
                "online",
                "accessed",
                "url",
                "see",
                "here",
                "at",
                "from",
                "link",
            ];
            // a short phrase, no title in it, with one of the words as a word
            if part.len() <= 80
                && !part.contains(['“', '"', '‘'])
                && part
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|x| words.iter().any(|w| x.eq_ignore_ascii_case(w)))
            {
                end = last;
            }
        }
        // `, Accessed August 20, 2018,`
        let lower = text[a..end].to_ascii_lowercase();
        for w in [
            "accessed",
            "retrieved",
            "last modified",
            "consulted",
            "viewed",
        ] {
            if let Some(k) = lower.rfind(w) {
                let at = a + k;
                if self.scan.top(at) {
                    let cut = text[..at]
                        .trim_end()
                        .trim_end_matches([',', '.', '(', '['])
                        .len()
                        .max(a);
                    end = end.min(cut);
                }
            }
        }
        let t = text[a..end].trim_end().trim_end_matches([',', ';', ':']);
        a + t.trim_end().len()
    }

    /// The locator at the end of `a..b`: (locator, end of the reference before it).
    fn trailing_locator(&self, a: usize, b: usize) -> (Option<Locator>, usize) {
        let text = self.text();
        let b = strip_final_period(text, a, b);
        let bytes = text.as_bytes();
        let mut starts = Vec::new();
        let mut k = b;
        let level = self.scan.depth(a);
        while k > a && starts.len() < 5 {
            k -= 1;
            if !text.is_char_boundary(k) || self.scan.depth(k) > level {
                continue;
            }
            let c = text[k..].chars().next().unwrap_or(' ');
            let sep = matches!(c, ',' | ':' | '.' | ')' | '”' | '’' | '"');
            // `Diamond, *Collapse* 453–54`: the end of an italic title, its comma missing
            if c == ' ' && self.emphasis.iter().any(|e| e.end == k && e.start > a) {
                starts.push((k, k));
                continue;
            }
            if sep {
                let after = k + c.len_utf8();
                if after < b && (bytes[after] == b' ' || c == ',' && bytes[after].is_ascii_digit())
                {
                    starts.push((k, after));
                }
            }
        }
        let mut best: Option<(Locator, usize)> = None;
        for (sep_at, after) in starts {
            let (ls, le) = trim(text, after, b);
            if ls >= le {
                continue;
            }
            let Some(f) = locator::whole(&text[ls..le]) else {
                continue;
            };
            let sep_char = text[sep_at..].chars().next().unwrap_or(' ');
            if !f.labelled
                && !f.value.contains(['–', ','])
                && locator::looks_like_year(&f.value)
                && matches!(sep_char, ',' | '.' | ' ')
            {
                continue;
            }
            // after an abbreviation (`5 U.S. 137`) a period does not separate a locator
            if sep_char == '.' && super::scan::abbreviation_before(&text[a..sep_at]) {
                continue;
            }
            let before = text[a..sep_at].trim_end().to_ascii_lowercase();
            if ["no", "vol", "nr", "issue", "n°", "no.", "vol."]
                .iter()
                .any(|w| before.ends_with(w))
            {
                continue;
            }
            // a roman numeral after a comma only; never a word of the title
            if !f.labelled && f.value.chars().all(|c| c.is_ascii_lowercase()) && sep_char != ',' {
                continue;
            }
            let ref_end = text[..sep_at
                + if sep_char == ',' || sep_char == ':' || sep_char == '.' {
                    0
                } else {
                    sep_char.len_utf8()
                }]
                .trim_end()
                .len();
            if ref_end <= a {
                continue;
            }
            best = Some((
                Locator {
                    label: f.label,
                    value: f.value,
                    span: Span::new(ls, le),
                },
                ref_end,
            ));
        }
        match best {
            Some((l, e)) => (Some(l), e),
            None => (None, b),
        }
    }

    /// A given name in the note's prose that differs from the cited author's (`Ronald Wintrobe`
    /// then `(Robert Wintrobe, ...)`).
    fn name_variants(&mut self) {
        let text = self.text();
        // the citations' spans, merged and sorted, so that "inside a citation" is a binary
        // search (a note of thousands of citations of one author was cubic here)
        let mut spans: Vec<Span> = self.out.cites.iter().map(|c| c.span).collect();
        spans.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        let inside = |k: usize| {
            let i = merged.partition_point(|s| s.start <= k);
            i > 0 && k < merged[i - 1].end
        };
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        for cite in &self.out.cites {
            for name in &cite.fields.author {
                let (Some(family), Some(given)) = (&name.family, &name.given) else {
                    continue;
                };
                // the same name cited again finds the same variants: look once
                if !seen.insert((family.as_str(), given.as_str())) {
                    continue;
                }
                let first_given = given.split_whitespace().next().unwrap_or("");
                if first_given.trim_end_matches('.').chars().count() <= 1 {
                    continue;
                }
                for (k, _) in text.match_indices(family.as_str()) {
                    if inside(k) {
                        continue;
                    }
                    let before = &text[..k];
                    if !before.ends_with(' ') {
                        continue;
                    }
                    let before = before.trim_end();
                    let wstart = before
                        .rfind(|c: char| !c.is_alphabetic() && c != '-')
                        .map_or(0, |i| {
                            i + before[i..].chars().next().map_or(1, char::len_utf8)
                        });
                    let word = &before[wstart..];
                    if word.chars().count() < 2
                        || !word.chars().next().is_some_and(char::is_uppercase)
                        || word == first_given
                        || [
                            "The",
                            "In",
                            "And",
                            "See",
                            "Cf",
                            "Ibid",
                            "As",
                            "By",
                            "Of",
                            "For",
                            "According",
                            "While",
                        ]
                        .contains(&word)
                    {
                        continue;
                    }
                    found.push(NoteFinding {
                        code: Code::NameVariant,
                        span: Span::new(wstart, k + family.len()),
                        message: format!(
                            "“{word} {family}” in the note, but the citation names “{given} {family}”"
                        ),
                    });
                }
            }
        }
        self.out.findings.extend(found);
    }
}

fn trim(text: &str, a: usize, b: usize) -> (usize, usize) {
    let s = &text[a..b];
    let t = s.trim_start();
    let a2 = a + (s.len() - t.len());
    let b2 = a2 + t.trim_end().len();
    (a2, b2)
}

fn skip_commas(text: &str, mut a: usize, b: usize) -> usize {
    while a < b && matches!(text.as_bytes()[a], b',' | b' ') {
        a += 1;
    }
    a
}

/// `a..b` without a final period (kept after an abbreviation such as `et al.` only when the period
/// is needed: never, by the span rule) and trailing spaces or `;`.
fn strip_final_period(text: &str, a: usize, b: usize) -> usize {
    let mut t = text[a..b].trim_end();
    t = t.trim_end_matches([';', ',']);
    t = t.trim_end();
    if let Some(x) = t.strip_suffix('.') {
        t = x.trim_end();
    }
    a + t.len()
}
