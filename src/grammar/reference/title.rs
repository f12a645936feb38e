//! The title: where it starts and ends (quotation marks, italics, or the first sign of the
//! publication facts), and how it is cleaned.

use super::numbers::edition;
use super::words::{contains_word, skip_seps, starts_ci, BOOK_PUBLISHER};
use super::{Mode, ReferenceParser};
use crate::grammar::date::{trailing_date, whole_date};
use crate::grammar::names::is_institution;
use crate::grammar::scan::abbreviation_before;

/// Where the title is, and how it was marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Title {
    /// The title's first byte (inside an opening quotation mark).
    pub start: usize,
    /// The byte after the title (before a closing quotation mark or the separator).
    pub end: usize,
    /// Where the reading goes on after the title and its separators.
    pub next: usize,
    /// The title was in quotation marks.
    pub quoted: bool,
    /// The title was in italics.
    pub italic: bool,
}

/// A place the title may end: candidates are compared by `end`, then `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct TitleEnd {
    /// The byte after the title.
    end: usize,
    /// Where the facts start (before the separators are skipped).
    next: usize,
}

/// The title's text without its final separator or period (a period after an abbreviation stays),
/// and with a comma or period inside a closing inner quote moved out of it.
pub(super) fn clean_title(t: &str) -> String {
    let mut t = t.trim().trim_end_matches([',', ';', ':']).trim_end();
    // a title's own final period is citation punctuation, and so is a doubled one (`You..,`),
    // which would otherwise read back as a title ending in a period; an ellipsis is the title's
    if !t.ends_with("...") {
        while t.ends_with('.') && !abbreviation_before(&t[..t.len() - 1]) {
            t = &t[..t.len() - 1];
        }
    }
    let mut out = t.trim().to_owned();
    // a comma or period inside an inner closing quote is citation punctuation
    for q in ["’", "”", "'"] {
        for p in [",", "."] {
            let pat = format!("{p}{q}");
            if out.ends_with(&pat) {
                let keep = out.len() - pat.len();
                out.truncate(keep);
                out.push_str(q);
            }
        }
    }
    out
}

/// Is this the start of publication facts after a title (a place and a colon, `ed.`, a volume)?
pub(super) fn facts_start(s: &str) -> bool {
    strong_facts_start(s) || place_start(s)
}

/// Words that open the publication facts after a title.
const FACTS_WORDS: &[&str] = &[
    "ed. ",
    "eds. ",
    "edited by",
    "trans. ",
    "translated by",
    "vol.",
    "no. ",
    "pp.",
];

/// `ed.`, `trans.`, `vol.`, `3rd ed.` after a title.
fn strong_facts_start(s: &str) -> bool {
    let t = s.trim_start();
    let lower = t.to_ascii_lowercase();
    if FACTS_WORDS.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let second = t.split_whitespace().nth(1).unwrap_or("");
    if matches!(second.trim_end_matches(['.', ',']), "vols" | "volumes")
        && t.starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    t.split_whitespace()
        .nth(1)
        .is_some_and(|w| matches!(w.trim_end_matches(['.', ',']), "ed" | "edn" | "edition"))
        && edition(t.split(',').next().unwrap_or("")).is_some()
}

/// `Cologne: Publisher` after a title. (Callers also ask [`strong_facts_start`], which covers
/// `ed.`, `trans.` and the like.)
fn place_start(s: &str) -> bool {
    let t = s.trim_start();
    if t.split_whitespace()
        .next()
        .is_some_and(|w| w.ends_with("ed.") && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
    {
        return true;
    }
    // `Cologne: Publisher`, `New York: Publisher`
    if let Some(k) = t.find(": ") {
        let place = &t[..k];
        let words: Vec<&str> = place.split_whitespace().collect();
        if !words.is_empty()
            && words.len() <= 4
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    || matches!(*w, "am" | "upon" | "on" | "de" | "del")
            })
            && !place.contains(['“', '”', '"'])
        {
            return true;
        }
    }
    false
}

/// Does a parenthesis hold publication facts (a colon, a date, a publisher with a date)?
fn facts_paren(content: &str) -> bool {
    let c = content.trim();
    c.contains(':') && !c.starts_with("http")
        || whole_date(c).is_some()
        || trailing_date(c).is_some()
        || c.to_ascii_lowercase().contains("ed.")
}

/// Lower-case words that, right after a quoted title, begin the facts of the work rather than
/// continue its title: the missing date (`n.d.`), a container (`in`), contributors, numbering,
/// and what a note says of the kind of work (CMOS 14.215 reviews, 14.217 papers, 14.206 web
/// pages, 14.214 interviews).
const AFTER_TITLE: &[&str] = &[
    "n.d",
    "in ",
    "ed.",
    "edited",
    "trans",
    "online",
    "vol",
    "no.",
    "pp",
    "review",
    "interview",
    "paper presented",
    "presented at",
    "lecture",
    "last modified",
    "modified",
    "accessed",
    "posted",
    "published",
    "directed",
    "filmed",
    "video",
    "audio",
    "podcast",
    "episode",
    "unpublished",
];

impl ReferenceParser<'_> {
    /// Finds the title at `p` (`no_author`: no names were read before it).
    pub(super) fn read_title(&self, p: usize, no_author: bool) -> Title {
        let (text, scan, end, mode) = (self.text(), &self.scan, self.end, self.mode);
        // italics
        if let Some(e) = self
            .emphasis
            .iter()
            .find(|e| e.start >= p && e.start <= p + 1 && e.end <= end && e.end > e.start)
        {
            return Title {
                start: e.start,
                end: e.end,
                next: skip_seps(text, e.end, end),
                quoted: false,
                italic: true,
            };
        }
        let first = text[p..].chars().next().unwrap_or(' ');
        if "“\"‘«".contains(first) {
            if let Some((close, _)) = scan.close_of(p) {
                if close < end {
                    let after_close =
                        close + text[close..].chars().next().map_or(1, char::len_utf8);
                    let after = text[after_close..end].trim_start();
                    // lower-case words after the closing quote continue the title (`“Snap”
                    // and its discontents`) unless they begin what a note says of the work
                    // (`review of`, `paper presented at`, `last modified`)
                    let continues = after.chars().next().is_some_and(|c| c.is_lowercase())
                        && !AFTER_TITLE.iter().any(|w| starts_ci(after, w));
                    if !continues {
                        let inner = p + first.len_utf8();
                        return Title {
                            start: inner,
                            end: close,
                            next: skip_seps(text, after_close, end),
                            quoted: true,
                            italic: false,
                        };
                    }
                }
            }
        }
        let start = if "“\"«".contains(first) && scan.close_of(p).is_none() {
            p + first.len_utf8()
        } else {
            p
        };
        let mut cands: Vec<TitleEnd> = Vec::new();
        // a case name ends at its comma (`Marbury v. Madison, 5 U.S. 137`)
        if no_author {
            if let Some(c) = scan.find_top(start, end, ", ") {
                let head = &text[start..c];
                if head.contains(" v. ") || head.contains(" v ") || head.contains(" vs. ") {
                    cands.push(TitleEnd {
                        end: c,
                        next: c + 1,
                    });
                }
            }
        }
        // sentence end
        let ends = scan.sentence_ends(start, end);
        let sentence_end = ends.iter().copied().find(|&e| e < end);
        if let Some(e) = sentence_end {
            let punct = text.as_bytes()[e - 1];
            let t_end = if punct == b'.' { e - 1 } else { e };
            cands.push(TitleEnd {
                end: t_end,
                next: e,
            });
        }
        // a parenthesis of publication facts
        let mut paren_at = None;
        let mut from = start;
        while let Some(k) = scan.find_top(from, end, " (") {
            let open = k + 1;
            if let Some((close, _)) = scan.close_of(open) {
                let content = &text[open + 1..close.min(end)];
                // in a reference list a year in parentheses may be part of the title
                let facts = facts_paren(content)
                    && (mode == Mode::Note
                        || content.contains(':')
                        || content.contains("ed")
                        || trailing_date(content).is_some_and(|(k, _)| k > 0));
                if close <= end && facts {
                    paren_at = Some(k);
                    break;
                }
            }
            from = k + 2;
        }
        // `, Place: Publisher`, `, ed.` (not before a parenthesis of facts: the title runs to it)
        for k in scan.split_top(start, end, b',') {
            let after = &text[k + 1..end];
            if strong_facts_start(after) || (paren_at.is_none() && place_start(after)) {
                cands.push(TitleEnd {
                    end: k,
                    next: k + 1,
                });
                break;
            }
        }
        if let Some(k) = paren_at {
            let t_end = text[..k].trim_end_matches([',', ' ']).len();
            cands.push(TitleEnd {
                end: t_end.max(start),
                next: k + 1,
            });
        }
        // no author: `Title [Translation], Issuing Body (Place: date)`
        if no_author {
            if let Some(k) = paren_at {
                if let Some(c) = scan.rfind_top(start, k, ", ") {
                    let part = &text[c + 2..k];
                    if is_institution(part) && !contains_word(part, BOOK_PUBLISHER) {
                        cands.push(TitleEnd {
                            end: c,
                            next: c + 1,
                        });
                    }
                }
            }
        }
        if mode == Mode::Bib && sentence_end.is_none() {
            if let Some(c) = scan.find_top(start, end, ", ") {
                if text[c..end].chars().any(|ch| ch.is_ascii_digit()) {
                    cands.push(TitleEnd {
                        end: c,
                        next: c + 1,
                    });
                }
            }
        }
        let best = if mode == Mode::Note {
            // in a note a publication parenthesis wins over a `?` inside the title
            match (paren_at, sentence_end) {
                (Some(k), Some(e)) if text.as_bytes()[e - 1] != b'.' && k > e => {
                    cands.iter().copied().filter(|c| c.end != e).min()
                }
                _ => cands.iter().copied().min(),
            }
        } else {
            cands.iter().copied().min()
        };
        let (t_end, next) = match best {
            Some(c) => (c.end, skip_seps(text, c.next, end).min(end)),
            None => (end, end),
        };
        Title {
            start,
            end: t_end,
            next,
            quoted: false,
            italic: false,
        }
    }
}
