//! Full references (Chicago notes, Chicago bibliography, APA, numbered science styles) into
//! CSL-JSON fields. Loose by design: each element is recognised by its own evidence, and what is not
//! recognised is left out.

use super::date::{self, trailing_date, whole_date};
use super::names::{self, is_institution, NameList};
use super::scan::{abbreviation_before, Scan};
use crate::model::span::Span;
use crate::model::{Date, Name, Work};

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

/// Links found in a reference.
#[derive(Debug, Default)]
struct Links {
    url: Option<String>,
    doi: Option<String>,
    /// Byte where the first link (or its introducing phrase) starts.
    cut: Option<usize>,
}

fn token_end(s: &str, i: usize) -> usize {
    s[i..]
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        .map_or(s.len(), |k| i + k)
}

fn trim_link(link: &str) -> &str {
    let mut l = link.trim_end_matches(['.', ',', ';', ':', '”', '’']);
    while l.ends_with(')') && l.matches('(').count() < l.matches(')').count() {
        l = &l[..l.len() - 1];
        l = l.trim_end_matches(['.', ',', ';']);
    }
    while l.ends_with(']') && !l.contains('[') {
        l = &l[..l.len() - 1];
    }
    l
}

fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    // ASCII case-insensitive search
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn find_links(s: &str) -> Links {
    let mut links = Links::default();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let at_word = i == 0 || !s[..i].ends_with(|c: char| c.is_alphanumeric());
        let lower_starts = |p: &str| {
            rest.len() >= p.len()
                && rest.is_char_boundary(p.len())
                && rest[..p.len()].eq_ignore_ascii_case(p)
        };
        let www = lower_starts("www.")
            && rest[4..]
                .split_whitespace()
                .next()
                .is_some_and(|t| t.len() > 2 && t.contains('.'));
        if at_word && (lower_starts("https://") || lower_starts("http://") || www) {
            let end = token_end(s, i);
            let link = trim_link(&s[i..end]);
            let lower = link.to_ascii_lowercase();
            if let Some(k) = lower.find("doi.org/") {
                if links.doi.is_none() {
                    links.doi = Some(link[k + 8..].to_owned());
                }
            } else if links.url.is_none() && link.len() > 8 {
                links.url = Some(link.to_owned());
            }
            links.cut.get_or_insert(i);
            i = end.max(i + 1);
            continue;
        }
        if at_word && lower_starts("doi") {
            let mut k = i + 3;
            let b = s.as_bytes();
            while k < s.len() && (b[k] == b':' || b[k] == b' ' || b[k] == b'.') {
                k += 1;
            }
            if s[k..].starts_with("10.") {
                let end = token_end(s, k);
                if links.doi.is_none() {
                    links.doi = Some(trim_link(&s[k..end]).to_owned());
                }
                links.cut.get_or_insert(i);
                i = end;
                continue;
            }
        }
        if at_word && rest.starts_with("10.") && rest[3..].starts_with(|c: char| c.is_ascii_digit())
        {
            let end = token_end(s, i);
            let tok = trim_link(&s[i..end]);
            if tok.contains('/') && links.doi.is_none() {
                links.doi = Some(tok.to_owned());
                links.cut.get_or_insert(i);
                i = end;
                continue;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    links
}

/// Phrases that introduce a link or an access date and belong to the citation, not to its fields.
const AVAILABILITY: &[&str] = &[
    "available",
    "retrieved",
    "translation",
    "found at",
    "online at",
    "online here",
    "url",
    "accessed",
    "viewed",
    "consulted",
    "last modified",
    "see also",
    "from",
    "at:",
    "here",
    "online:",
    "link",
];

/// Cuts a trailing availability phrase (`A useful translation is available online here:`,
/// `Retrieved from`, `Available at:`) from the end of `body`.
fn strip_availability(scan: &Scan, body_end: usize) -> usize {
    let text = scan.text;
    let end = text[..body_end].trim_end().len();
    // the last top-level sentence or comma part
    let ends = scan.sentence_ends(0, end);
    let last_sentence = if ends.len() >= 2 {
        ends[ends.len() - 2]
    } else {
        0
    };
    let last_comma = scan.rfind_top(0, end, ", ").map_or(0, |k| k + 1);
    for start in [last_comma.max(last_sentence), last_sentence] {
        let part = text[start..end].trim();
        if part.is_empty() || part.len() > 80 {
            continue;
        }
        let lower = part.to_ascii_lowercase();
        let has_phrase = AVAILABILITY.iter().any(|p| lower.contains(p));
        let has_digit = part.chars().any(|c| c.is_ascii_digit());
        if has_phrase && !has_digit {
            return start;
        }
    }
    end
}

/// Finds `accessed DATE` / `retrieved DATE` at top level; returns (start, end, date).
fn find_accessed(scan: &Scan, end: usize) -> Option<(usize, usize, Date)> {
    let text = scan.text;
    for word in [
        "accessed",
        "retrieved",
        "last modified",
        "consulted",
        "viewed",
    ] {
        let mut from = 0;
        while let Some(k) = find_ci(&text[..end], word, from) {
            from = k + word.len();
            let mut after = text[k + word.len()..end].trim_start();
            for lead in ["on ", "at ", ":"] {
                after = after.strip_prefix(lead).unwrap_or(after).trim_start();
            }
            if let Ok((rest, d)) = date::date(after) {
                if d.date_parts.is_empty() {
                    continue;
                }
                let dend = end - rest.len();
                // the phrase starts at the separator before it
                let mut start = k;
                let before = text[..k].trim_end();
                if before.ends_with(['(', '[', ',', '.']) {
                    start = before.len() - 1;
                }
                let mut stop = dend;
                let rest_t = text[dend..end].trim_start();
                if rest_t.starts_with([')', ']']) {
                    stop = end - rest_t.len() + 1;
                }
                return Some((start, stop, d));
            }
        }
    }
    None
}

fn clean_title(t: &str) -> String {
    let mut t = t.trim().trim_end_matches([',', ';', ':']).trim_end();
    if t.ends_with('.') && !abbreviation_before(&t[..t.len() - 1]) {
        t = &t[..t.len() - 1];
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

fn strip_number_prefix(s: &str) -> usize {
    // `33 `, `[12] `, `12. `, `(3) `
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let b = t.as_bytes();
    let mut i = 0;
    let bracket = matches!(b.first(), Some(b'[') | Some(b'('));
    if bracket {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds || i - ds > 4 {
        return 0;
    }
    if bracket {
        if !matches!(b.get(i), Some(b']') | Some(b')')) {
            return 0;
        }
        i += 1;
    } else if b.get(i) == Some(&b'.') {
        i += 1;
    }
    let after = &t[i..];
    let rest = after.trim_start();
    if rest.len() == after.len() && !bracket {
        return 0;
    }
    if rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || "“\"‘".contains(c))
    {
        lead + t.len() - rest.len()
    } else {
        0
    }
}

/// Reads names at `i` in the mode's preferred order; returns them when a reference element follows.
fn read_names(text: &str, i: usize, mode: Mode) -> Option<NameList> {
    let valid = |l: &NameList| -> bool {
        let rest = &text[l.end..];
        let t = rest.trim_start();
        if t.is_empty() {
            return mode == Mode::Note;
        }
        let c = t.chars().next().unwrap_or(' ');
        if rest.len() == t.len() {
            // glued: `,` `.` `:`
            return matches!(c, ',' | '.' | ':' | ';');
        }
        // after a space: `(` year, a quote, or (science) a year
        "(“\"‘«".contains(c)
            || t.starts_with(|c: char| c.is_ascii_digit()) && date::year(t).is_ok()
            || (l
                .names
                .iter()
                .any(|n| n.given.as_deref().is_some_and(|g| g.ends_with('.')))
                && c.is_uppercase())
    };
    let inv = names::inverted(text, i).filter(|l| {
        valid(l) && {
            let t = text[l.end..].trim_start();
            // inverted names end with a period, a parenthesis or a year
            t.starts_with(['.', '(', ':'])
                || text[..l.end].ends_with('.')
                || date::year(t.trim_start_matches(',').trim_start()).is_ok()
                || (t.starts_with(',') && l.names.len() > 1)
                || (t.starts_with(';'))
        }
    });
    let giv = names::given_first(text, i).filter(valid);
    match mode {
        Mode::Bib => {
            // `Jennifer Lees-Marshment, Brian Conley, and ...` is given-first
            let two_word_family = inv.as_ref().is_some_and(|l| {
                l.names[0]
                    .family
                    .as_deref()
                    .is_some_and(|f| f.split_whitespace().count() >= 2 && !f.contains(['.']))
                    && l.names[0]
                        .given
                        .as_deref()
                        .is_some_and(|g| !g.ends_with('.'))
            });
            match (&inv, &giv) {
                (Some(_), Some(g)) if two_word_family && g.names.len() > 1 => giv,
                (Some(_), _) => inv,
                // `Spire, Alexis, Title` (one inverted name, then a comma)
                (None, _) => names::inverted(text, i)
                    .filter(|l| {
                        l.names.len() == 1
                            && text[l.end..].starts_with(", ")
                            && l.names[0]
                                .given
                                .as_deref()
                                .is_some_and(|g| g.split_whitespace().count() <= 2)
                            && giv
                                .as_ref()
                                .is_none_or(|g| g.names.len() == 1 && g.names[0].given.is_none())
                    })
                    .or(giv),
            }
        }
        Mode::Note => match (&giv, &inv) {
            (Some(g), Some(v))
                if g.names.len() == 1
                    && g.names[0].given.is_none()
                    && (v.names.len() > 1
                        || text[v.end..].trim_start().starts_with(['.', '(']))
                    || text[..v.end].ends_with('.') =>
            {
                inv
            }
            // `Spärck Jones, Karen. "A Statistical ...`: bibliography form in a note
            (Some(g), Some(v))
                if g.names.len() == 1
                    && v.end > g.end
                    && text[v.end..].starts_with('.')
                    && text[v.end + 1..].trim_start().starts_with(['“', '"', '‘']) =>
            {
                inv
            }
            (Some(_), _) => giv,
            (None, _) => inv,
        },
    }
}

/// Skips spaces and the separators `,` `.` `:` `;`.
fn skip_seps(text: &str, mut i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while i < end && matches!(b[i], b' ' | b',' | b'.' | b':' | b';' | b'\t' | b'*') {
        i += 1;
    }
    i
}

fn starts_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
}

const EDITOR_MARKS: &[&str] = &[
    "(eds.)",
    "(ed.)",
    "(eds)",
    "(ed)",
    "(hrsg.)",
    "(dir.)",
    "(coord.)",
    "(comp.)",
    "(editors)",
    "(editor)",
    ", eds.",
    ", ed.",
    ", editors",
    ", editor",
    " eds.",
    " ed.",
];

/// Editors marker right after a name list: returns the byte after it.
fn editor_mark(text: &str, i: usize) -> Option<usize> {
    let t = &text[i..];
    let lead = t.len() - t.trim_start().len();
    for m in EDITOR_MARKS {
        let mm = m.trim_start();
        let probe = if m.starts_with(' ') || m.starts_with(',') {
            t
        } else {
            &t[lead..]
        };
        let pm = if m.starts_with(' ') || m.starts_with(',') {
            *m
        } else {
            mm
        };
        if starts_ci(probe, pm) {
            let used = if probe.len() == t.len() { 0 } else { lead };
            return Some(i + used + pm.len());
        }
    }
    None
}

/// Is this the start of publication facts after a title (a place and a colon, `ed.`, a volume)?
fn facts_start(s: &str) -> bool {
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

const REPORT_WORDS: &[&str] = &[
    "paper series",
    "working paper",
    "discussion paper",
    "policy brief",
    "report",
    "white paper",
    "occasional paper",
    "research paper",
    "technical paper",
    "briefing",
];
const NEWS_WORDS: &[&str] = &[
    "times",
    "post",
    "news",
    "herald",
    "guardian",
    "tribune",
    "gazette",
    "telegraph",
    "daily",
    "chronicle",
    "independent",
    "observer",
    "journal of commerce",
    "wall street journal",
];
const LAW_WORDS: &[&str] = &[
    "law",
    "act",
    "regulation",
    "regulations",
    "constitution",
    "statute",
    "code",
    "decree",
    "ordinance",
    "treaty",
    "convention",
    "directive",
    "bill",
    "measures",
    "provisions",
];
const BOOK_PUBLISHER: &[&str] = &[
    "press",
    "publisher",
    "publishers",
    "publishing",
    "books",
    "verlag",
    "editions",
    "éditions",
    "routledge",
    "wiley",
    "springer",
    "elsevier",
    "sage",
    "penguin",
    "norton",
    "knopf",
    "palgrave",
    "macmillan",
    "blackwell",
    "brill",
    "polity",
    "verso",
    "random house",
    "harper",
    "pearson",
    "mcgraw",
    "addison",
    "o'reilly",
    "o’reilly",
    "cengage",
    "bloomsbury",
    "continuum",
    "ashgate",
    "zed",
    "pluto",
    "basic",
    "vintage",
    "doubleday",
    "gallimard",
    "seuil",
    "flammarion",
];

fn contains_word(hay: &str, words: &[&str]) -> bool {
    // one-word entries by comparing words; phrases by searching the lowered text
    let mut lower: Option<String> = None;
    let hay_words: Vec<&str> = hay
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .collect();
    words.iter().any(|w| {
        if !w.contains([' ', '\'', '’']) {
            return hay_words.iter().any(|x| x.eq_ignore_ascii_case(w));
        }
        let lower = lower.get_or_insert_with(|| hay.to_ascii_lowercase());
        lower.match_indices(w).any(|(k, _)| {
            let before_ok = k == 0 || !lower[..k].ends_with(|c: char| c.is_alphanumeric());
            let after = k + w.len();
            let after_ok =
                after >= lower.len() || !lower[after..].starts_with(|c: char| c.is_alphanumeric());
            before_ok && after_ok
        })
    })
}

fn set_if_none(slot: &mut Option<String>, v: &str) {
    let v = v.trim().trim_end_matches([',', ';', ':']).trim();
    let v = v
        .strip_suffix('.')
        .filter(|x| !abbreviation_before(x))
        .unwrap_or(v)
        .trim();
    if slot.is_none() && !v.is_empty() {
        *slot = Some(v.to_owned());
    }
}

fn dash_norm(s: &str) -> String {
    let t = s.trim().trim_end_matches(['.', ',', ';']);
    let mut out = String::new();
    let mut prev_digit = false;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if (c == '-' || c == '—' || c == '‒') && prev_digit {
            while chars.peek() == Some(&'-') || chars.peek() == Some(&' ') {
                chars.next();
            }
            out = out.trim_end().to_owned();
            out.push('–');
            prev_digit = false;
            continue;
        }
        if c == ' ' && prev_digit && matches!(chars.peek(), Some('-') | Some('–')) {
            continue;
        }
        if c == '–' {
            out = out.trim_end().to_owned();
            out.push('–');
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            prev_digit = false;
            continue;
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// `1992-1995`, `1992-95`: a range of years.
fn year_range(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    let mut parts = t.splitn(2, ['-', '–', '—']);
    let a = parts.next().unwrap_or("").trim();
    let b = parts.next().unwrap_or("").trim();
    let (Ok(x), Ok(y)) = (a.parse::<i32>(), b.parse::<i32>()) else {
        return false;
    };
    if !crate::grammar::locator::looks_like_year(a) {
        return false;
    }
    (b.len() == 4 && y >= x && y - x < 60) || (b.len() == 2 && y > x % 100)
}

fn is_page_range(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    let mut parts = t.splitn(2, ['-', '–', '—']);
    let a = parts.next().unwrap_or("").trim();
    let b = parts.next().map(|x| x.trim_start_matches('-').trim());
    let num = |x: &str| {
        let x = x.trim_start_matches(|c: char| c.is_ascii_uppercase() && c != 'I');
        !x.is_empty() && x.len() <= 6 && x.chars().all(|c| c.is_ascii_digit())
    };
    num(a) && b.is_some_and(num)
}

/// `45`, `3(1)`, `2 (4)`, `12(3-4)`, `45:3`: volume and optional issue.
fn volume_issue(s: &str) -> Option<(String, Option<String>)> {
    let t = s.trim().trim_end_matches(['.', ',', ':']);
    let (vol, rest) = match t.find(['(', ':']) {
        Some(k) => (&t[..k], Some(&t[k..])),
        None => (t, None),
    };
    // `110.1`: volume and issue
    if rest.is_none() {
        if let Some((v, i)) = vol.split_once('.') {
            let digits =
                |x: &str| !x.is_empty() && x.len() <= 4 && x.chars().all(|c| c.is_ascii_digit());
            if digits(v) && digits(i) {
                return Some((v.to_owned(), Some(i.to_owned())));
            }
        }
    }
    let vol = vol.trim();
    if vol.is_empty() || vol.len() > 6 || !vol.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let issue = match rest {
        None => None,
        Some(r) => {
            let inner = r
                .strip_prefix('(')
                .and_then(|x| x.strip_suffix(')'))
                .or_else(|| r.strip_prefix(':'))?
                .trim();
            if inner.is_empty()
                || inner.len() > 12
                || !inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-–/ .".contains(c))
            {
                return None;
            }
            Some(dash_norm(inner))
        }
    };
    Some((vol.to_owned(), issue))
}

/// Year, volume, issue and pages at the end of a journal reference.
type Tail = (Option<i32>, String, Option<String>, Option<String>);

/// `47(1):45-67`, `47 (1): 45–67`, `26: 5988-93`, `45`, `3(1)`, `2008;47(1):45-67`:
/// (year, volume, issue, pages).
fn journal_tail(t: &str) -> Option<Tail> {
    let t = t.trim().trim_end_matches(['.', ',']);
    let (year, t) = match t.split_once(';') {
        Some((y, rest)) => {
            let d = whole_date(y)?;
            (d.year(), rest.trim())
        }
        None => (None, t),
    };
    let (head, pages) = match t.split_once(':') {
        Some((h, p)) => {
            let p = p.trim();
            let p = p
                .strip_prefix("pp.")
                .or_else(|| p.strip_prefix("p."))
                .unwrap_or(p)
                .trim();
            if !is_page_range(p) && (p.len() > 6 || !p.chars().all(|c| c.is_ascii_alphanumeric())) {
                return None;
            }
            (h.trim(), Some(dash_norm(p)))
        }
        None => (t, None),
    };
    let (vol, issue) = volume_issue(head)?;
    Some((year, vol, issue, pages))
}

fn apply_tail(w: &mut Work, tail: Tail) {
    let (year, vol, issue, pages) = tail;
    if let (None, Some(y)) = (&w.issued, year) {
        w.issued = Some(Date::ymd(y, None, None));
    }
    set_if_none(&mut w.volume, &vol);
    if let Some(i) = issue {
        set_if_none(&mut w.issue, &i);
    }
    if let Some(p) = pages {
        set_if_none(&mut w.page, &p);
    }
}

#[derive(Default)]
struct State {
    in_container: bool,
    texts: Vec<(String, bool)>, // (text, inside parenthesis)
    series: Vec<String>,
    day_date_in_paren: bool,
    had_paren_facts: bool,
}

/// Parses a reference string.
pub(crate) fn parse(text: &str, mode: Mode, emphasis: &[Span]) -> Parsed {
    let mut out = Parsed::default();
    let scan = Scan::new(text);
    let w = &mut out.work;

    // links, access date, availability phrases
    let links = find_links(text);
    let mut end = links.cut.unwrap_or(text.len());
    if let Some(u) = links.url {
        w.url = Some(u);
    }
    if let Some(d) = links.doi {
        w.doi = Some(d);
    }
    if let Some((a, b, d)) = find_accessed(&scan, text.len()) {
        w.accessed = Some(d);
        if a < end {
            // cut only when the accessed phrase ends the body
            let tail = text[b..end].trim_matches(|c: char| c.is_whitespace() || ".,;:".contains(c));
            if tail.is_empty() || links.cut.is_some_and(|c| b >= c) {
                end = a;
            }
        }
    }
    if links.cut.is_some() || w.accessed.is_some() {
        end = strip_availability(&scan, end);
    }
    // ISBN
    if let Some(k) = find_ci(&text[..end], "isbn", 0) {
        let rest = text[k + 4..end].trim_start_matches([':', ' ', '-', '1', '0', '3']);
        let _ = rest;
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
    let end = text[..end].trim_end().len();

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

    // names
    let mut names_are_editors = false;
    if let Some(list) = read_names(&text[..end], p, mode).filter(|_| !ditto) {
        p = list.end;
        if let Some(e) = editor_mark(&text[..end], p) {
            names_are_editors = true;
            p = e;
        }
        if names_are_editors {
            w.editor = list.names;
        } else {
            w.author = list.names;
        }
        out.names_end = p;
        p = skip_seps(text, p, end);
    }

    // date right after the names (APA `(2011).`, science `1997,`)
    if p < end && text[p..].starts_with('(') {
        if let Some((close, _)) = scan.close_of(p) {
            if close < end {
                if let Some(d) = whole_date(&text[p + 1..close]) {
                    w.issued = Some(d).filter(|d| !d.date_parts.is_empty());
                    out.author_date = true;
                    p = skip_seps(text, close + 1, end);
                }
            }
        }
    } else if p < end && (!w.author.is_empty() || !w.editor.is_empty()) {
        if let Ok((rest, d)) = date::date(&text[p..end]) {
            let r = rest.trim_start();
            if !d.date_parts.is_empty() && (r.starts_with(['.', ',', ':', ';']) || r.is_empty()) {
                w.issued = Some(d);
                out.author_date = true;
                p = skip_seps(text, end - rest.len(), end);
            }
        }
    }

    // title
    if p < end {
        let (t_start, t_end, next, quoted, italic) =
            read_title(text, &scan, p, end, mode, emphasis, w.author.is_empty());
        let title = clean_title(&text[t_start..t_end]);
        if !title.is_empty() {
            out.title_span = Some(Span::new(t_start, t_end));
            w.title = Some(title);
        }
        out.title_quoted = quoted;
        out.title_italic = italic;
        p = next;
        // numbered science styles give no title: `1997, ApJ, 475, 163`
        if !quoted && !italic && mode == Mode::Bib {
            let t = &text[t_start..t_end];
            let rest = text[p..end].trim_start();
            if t.split_whitespace().count() <= 5 {
                if let Some(c) = scan.find_top(t_start, t_end, ", ") {
                    if text[c + 2..t_end]
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit())
                    {
                        w.title = None;
                        out.title_span = None;
                        p = t_start;
                    }
                } else if rest.starts_with(|c: char| c.is_ascii_digit())
                    && volume_issue(rest.split([',', ' ']).next().unwrap_or("")).is_some()
                    && w.author.iter().chain(&w.editor).count() > 0
                    && t.split_whitespace()
                        .all(|x| x.chars().next().is_some_and(char::is_uppercase))
                {
                    w.title = None;
                    out.title_span = None;
                    p = t_start;
                }
            }
        }
    }

    // the rest: publication facts
    let mut st = State::default();
    rest_facts(text, &scan, p, end, mode, &mut out, &mut st);
    finish(&mut out, &st, mode);
    out
}

/// Reads the title at `p`; returns (start, end, next position, quoted, italic).
fn read_title(
    text: &str,
    scan: &Scan,
    p: usize,
    end: usize,
    mode: Mode,
    emphasis: &[Span],
    no_author: bool,
) -> (usize, usize, usize, bool, bool) {
    // italics
    if let Some(e) = emphasis
        .iter()
        .find(|e| e.start >= p && e.start <= p + 1 && e.end <= end && e.end > e.start)
    {
        return (e.start, e.end, skip_seps(text, e.end, end), false, true);
    }
    let first = text[p..].chars().next().unwrap_or(' ');
    if "“\"‘«".contains(first) {
        if let Some((close, _)) = scan.close_of(p) {
            if close < end {
                let after_close = close + text[close..].chars().next().map_or(1, char::len_utf8);
                let after = text[after_close..end].trim_start();
                let continues = after.chars().next().is_some_and(|c| c.is_lowercase())
                    && !starts_ci(after, "in ")
                    && !starts_ci(after, "ed.")
                    && !starts_ci(after, "trans")
                    && !starts_ci(after, "online")
                    && !starts_ci(after, "vol")
                    && !starts_ci(after, "no.")
                    && !starts_ci(after, "pp");
                if !continues {
                    let inner = p + first.len_utf8();
                    return (inner, close, skip_seps(text, after_close, end), true, false);
                }
            }
        }
    }
    let start = if "“\"«".contains(first) && scan.close_of(p).is_none() {
        p + first.len_utf8()
    } else {
        p
    };
    let mut cands: Vec<(usize, usize)> = Vec::new(); // (title end, next)
                                                     // a case name ends at its comma (`Marbury v. Madison, 5 U.S. 137`)
    if no_author {
        if let Some(c) = scan.find_top(start, end, ", ") {
            let head = &text[start..c];
            if head.contains(" v. ") || head.contains(" v ") || head.contains(" vs. ") {
                cands.push((c, c + 1));
            }
        }
    }
    // sentence end
    let ends = scan.sentence_ends(start, end);
    let sentence_end = ends.iter().copied().find(|&e| e < end);
    if let Some(e) = sentence_end {
        let punct = text.as_bytes()[e - 1];
        let t_end = if punct == b'.' { e - 1 } else { e };
        cands.push((t_end, e));
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
            cands.push((k, k + 1));
            break;
        }
    }
    if let Some(k) = paren_at {
        let t_end = text[..k].trim_end_matches([',', ' ']).len();
        cands.push((t_end.max(start), k + 1));
    }
    // no author: `Title [Translation], Issuing Body (Place: date)`
    if no_author {
        if let Some(k) = paren_at {
            if let Some(c) = scan.rfind_top(start, k, ", ") {
                let part = &text[c + 2..k];
                if is_institution(part) && !contains_word(part, BOOK_PUBLISHER) {
                    cands.push((c, c + 1));
                }
            }
        }
    }
    if mode == Mode::Bib && sentence_end.is_none() {
        if let Some(c) = scan.find_top(start, end, ", ") {
            if text[c..end].chars().any(|ch| ch.is_ascii_digit()) {
                cands.push((c, c + 1));
            }
        }
    }
    let best = if mode == Mode::Note {
        // in a note a publication parenthesis wins over a `?` inside the title
        match (paren_at, sentence_end) {
            (Some(k), Some(e)) if text.as_bytes()[e - 1] != b'.' && k > e => {
                cands.iter().copied().filter(|&(t, _)| t != e).min()
            }
            _ => cands.iter().copied().min(),
        }
    } else {
        cands.iter().copied().min()
    };
    match best {
        Some((t_end, next)) => (
            start,
            t_end,
            skip_seps(text, next, end).min(end),
            false,
            false,
        ),
        None => (start, end, end, false, false),
    }
}

/// End of a plain part: the next top-level `, ` / `. ` (sentence) / ` (` / `; `.
fn part_end(text: &str, scan: &Scan, i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let mut k = i;
    while k < end {
        if scan.top(k) {
            match b[k] {
                b',' | b';' if k + 1 >= end || b[k + 1] == b' ' => return k,
                b'.' if (k + 1 >= end || b[k + 1] == b' ') && !abbreviation_before(&text[i..k]) => {
                    return k
                }
                b'(' if k > i && b[k - 1] == b' ' => return k - 1,
                // `3(1)`: keep with the volume
                b'(' if k > i && !text[i..k].trim().chars().all(|c| c.is_ascii_digit()) => {
                    return k;
                }
                _ => {}
            }
        }
        k += 1;
    }
    end
}

fn rest_facts(
    text: &str,
    scan: &Scan,
    mut i: usize,
    end: usize,
    mode: Mode,
    out: &mut Parsed,
    st: &mut State,
) {
    let mut guard = 0;
    while i < end && guard < 200 {
        guard += 1;
        i = skip_seps(text, i, end);
        if i >= end {
            break;
        }
        let rest = &text[i..end];
        if rest.starts_with('(') {
            if let Some((close, _)) = scan.close_of(i) {
                if close < end {
                    paren(text, scan, i + 1, close, out, st);
                    i = close + 1;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if (starts_ci(rest, "in ") || starts_ci(rest, "in: ")) && !st.in_container {
            st.in_container = true;
            i += if starts_ci(rest, "in: ") { 4 } else { 3 };
            i = in_container(text, scan, i, end, out, st);
            continue;
        }
        // a date with month and day spans its comma (`November 3, 2016`)
        if let Ok((r, d)) = date::date(rest) {
            if d.date_parts.first().is_some_and(|p| p.len() >= 2)
                && (r.is_empty() || r.starts_with([',', '.', ';', ' ', ')']))
            {
                if out.work.issued.is_none() {
                    out.work.issued = Some(d);
                }
                i = end - r.len();
                continue;
            }
        }
        // `Orlando, FL`: a city and a state code
        {
            let pe = part_end(text, scan, i, end).min(end);
            if pe + 2 < end && text[pe..].starts_with(", ") {
                let city = &text[i..pe];
                let after = &text[pe + 2..end];
                let code_len = after
                    .find(|c: char| !(c.is_ascii_uppercase() || c == '.'))
                    .unwrap_or(after.len());
                let code = &after[..code_len];
                let letters = code.chars().filter(char::is_ascii_uppercase).count();
                let code_ends = after[code_len..].is_empty()
                    || after[code_len..].starts_with([',', ';', ' ', ')']);
                if letters == 2
                    && code.len() <= 4
                    && code_ends
                    && city.split_whitespace().count() <= 3
                    && city
                        .split_whitespace()
                        .all(|w| w.starts_with(|c: char| c.is_uppercase()))
                    && out.work.publisher_place.is_none()
                    && !city.contains(':')
                {
                    out.work.publisher_place =
                        Some(format!("{}, {}", city.trim(), code.trim_end_matches('.')));
                    i = pe + 2 + code_len;
                    continue;
                }
            }
        }
        // `Cambridge, MA: Harvard University Press`, `Columbia, S.C.: Camden House`
        if let Some(colon) = scan.find_top(i, end, ": ") {
            let place = &text[i..colon];
            let words: Vec<&str> = place.split_whitespace().collect();
            if place.matches(", ").count() == 1
                && words.len() <= 5
                && !place.contains(['(', '“', '"'])
                && words
                    .iter()
                    .all(|w| w.starts_with(|c: char| c.is_uppercase()))
                && out.work.publisher_place.is_none()
            {
                out.work.publisher_place = Some(place.trim().to_owned());
                let pstart = colon + 2;
                let pend = part_end(text, scan, pstart, end).max(pstart).min(end);
                let publisher = text[pstart..pend].trim();
                if !publisher.is_empty() && whole_date(publisher).is_none() {
                    set_if_none(&mut out.work.publisher, publisher);
                }
                i = pend;
                continue;
            }
        }
        let j = part_end(text, scan, i, end).max(i + 1).min(end);
        let part = &text[i..j];
        plain(part, out, st, mode, text, j, end);
        i = j;
    }
}

/// After `In `: editors (`E. Adler & V. Pouliot (Eds.),`), then the container title.
fn in_container(
    text: &str,
    scan: &Scan,
    mut i: usize,
    end: usize,
    out: &mut Parsed,
    _st: &mut State,
) -> usize {
    let lower = text[i..end].to_ascii_lowercase();
    for lead in ["edited by ", "ed. ", "eds. "] {
        if lower.starts_with(lead) {
            if let Some(l) = names::given_first(&text[..end], i + lead.len()) {
                out.work.editor = l.names;
                i = skip_seps(text, l.end, end);
            }
            break;
        }
    }
    if out.work.editor.is_empty() {
        let names =
            names::given_first(&text[..end], i).or_else(|| names::inverted(&text[..end], i));
        if let Some(l) = names {
            if let Some(e) = editor_mark(&text[..end], l.end) {
                out.work.editor = l.names;
                i = skip_seps(text, e, end);
            }
        }
    }
    // the container title
    if let Some(e) = out_emphasis_at(i) {
        let _ = e;
    }
    let first = text[i..end].chars().next().unwrap_or(' ');
    if "“\"‘".contains(first) {
        if let Some((close, _)) = scan.close_of(i) {
            if close < end {
                set_if_none(
                    &mut out.work.container_title,
                    &text[i + first.len_utf8()..close],
                );
                return close + text[close..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    let mut stop = end;
    let markers = [
        " (",
        ", ed.",
        ", eds.",
        ", edited by",
        ", ed ",
        ", trans",
        ", translated",
        ", pp",
        ", p. ",
        ", vol",
        ", Vol",
        ". Ed.",
        ". Edited",
        ". Eds.",
        ", hrsg",
        ": pp",
    ];
    for m in markers {
        if let Some(k) = scan.find_top(i, end, m) {
            stop = stop.min(k);
        }
    }
    let ends = scan.sentence_ends(i, end);
    if let Some(&e) = ends.iter().find(|&&e| e < end) {
        stop = stop.min(e - 1);
    }
    for k in scan.split_top(i, stop, b',') {
        let after = &text[k + 1..end];
        let t = after.trim_start();
        if facts_start(after)
            || t.starts_with(|c: char| c.is_ascii_digit())
            || starts_ci(t, "pp")
            || starts_ci(t, "pages")
            || starts_ci(t, "vol")
        {
            stop = stop.min(k);
            break;
        }
    }
    let container = text[i..stop].trim();
    // `in Tectonophysics 476: 226-251`
    let mut tail_done = false;
    if container.contains(':') && container.chars().any(|c| c.is_ascii_digit()) {
        for (k, _) in container.match_indices(' ') {
            if let Some(tail) = journal_tail(&container[k + 1..]) {
                set_if_none(&mut out.work.container_title, &container[..k]);
                apply_tail(&mut out.work, tail);
                tail_done = true;
                break;
            }
        }
    }
    if !tail_done {
        set_if_none(&mut out.work.container_title, container);
    }
    let lower = text[stop..end].to_ascii_lowercase();
    let t = lower.trim_start_matches([',', '.', ' ']);
    for lead in ["edited by ", "ed. ", "eds. ", "ed ", "eds "] {
        if t.starts_with(lead) {
            let at = end - t.len() + lead.len();
            if let Some(l) = names::given_first(&text[..end], at) {
                if out.work.editor.is_empty() {
                    out.work.editor = l.names;
                }
                return l.end;
            }
        }
    }
    stop
}

fn out_emphasis_at(_i: usize) -> Option<Span> {
    None
}

/// A parenthesis after the title.
fn paren(text: &str, scan: &Scan, a: usize, b: usize, out: &mut Parsed, st: &mut State) {
    let content = text[a..b].trim();
    let w = &mut out.work;
    if content.is_empty() {
        return;
    }
    let lower = content.to_ascii_lowercase();
    if matches!(lower.as_str(), "eds." | "ed." | "eds" | "ed") {
        return;
    }
    if let Some(d) = whole_date(content) {
        if w.issued.is_none() && !d.date_parts.is_empty() {
            if d.date_parts[0].len() == 3 {
                st.day_date_in_paren = true;
            }
            w.issued = Some(d);
        }
        return;
    }
    if is_page_range(content) && !year_range(content) {
        set_if_none(&mut w.page, &dash_norm(content));
        return;
    }
    if w.volume.is_some()
        && w.issue.is_none()
        && content.len() <= 12
        && content.chars().any(|c| c.is_ascii_digit())
        && !content.contains(' ')
    {
        w.issue = Some(dash_norm(content));
        return;
    }
    // `Place: Publisher, Date`
    if let Some(colon) = scan.find_at(a, b, ":", 1) {
        let place = text[a..colon].trim();
        if !place.is_empty() && place.split_whitespace().count() <= 5 && !place.contains(['“', '"'])
        {
            st.had_paren_facts = true;
            let right = text[colon + 1..b].trim();
            set_if_none(&mut w.publisher_place, place);
            let (publisher, date) = match trailing_date(right) {
                Some((k, d)) => (right[..k].trim().trim_end_matches(',').trim(), Some(d)),
                None => (right, None),
            };
            if let Some(d) = date {
                if d.date_parts.first().is_some_and(|p| p.len() == 3) {
                    st.day_date_in_paren = true;
                }
                if w.issued.is_none() && !d.date_parts.is_empty() {
                    w.issued = Some(d);
                }
            }
            set_if_none(&mut w.publisher, publisher);
            return;
        }
    }
    // comma parts: series, pages, volume, publisher, date
    let mut k = a;
    let mut parts = Vec::new();
    for c in scan.split_top(a, b, b',').into_iter().chain([b]) {
        // depth inside the parenthesis is 1
        parts.push(text[k..c].trim());
        k = c + 1;
    }
    let _ = &parts;
    let mut k2 = a;
    let mut pieces = Vec::new();
    let bytes = text.as_bytes();
    for c in a..=b {
        if c == b || (bytes[c] == b',' && scan.depth(c) <= 1) {
            pieces.push(text[k2..c].trim());
            k2 = c + 1;
        }
    }
    // `Site, 23 January 2017` as one: a date at the end
    if let Some((k, d)) = trailing_date(content) {
        if k > 0 && !d.date_parts.is_empty() {
            let name = content[..k].trim().trim_end_matches(',').trim();
            if !name.is_empty()
                && !name.contains(':')
                && !name.to_ascii_lowercase().starts_with("pp")
            {
                if d.date_parts[0].len() == 3 {
                    st.day_date_in_paren = true;
                }
                if w.issued.is_none() {
                    w.issued = Some(d);
                }
                st.texts.push((name.to_owned(), true));
                st.had_paren_facts = true;
                return;
            }
        }
    }
    for piece in pieces {
        let pl = piece.to_ascii_lowercase();
        if pl.starts_with("pp") || pl.starts_with("p.") || pl.starts_with("pages") {
            let v = piece
                .trim_start_matches(|c: char| c.is_alphabetic() || c == '.')
                .trim();
            set_if_none(&mut w.page, &dash_norm(v));
        } else if pl.starts_with("vol") {
            let v = piece
                .trim_start_matches(|c: char| c.is_alphabetic() || c == '.')
                .trim();
            set_if_none(&mut w.volume, v);
        } else if pl.starts_with("no.") || pl.starts_with("no ") {
            let v = piece[3..].trim();
            set_if_none(&mut w.issue, v);
        } else if let Some(ed) = edition(piece) {
            set_if_none(&mut w.edition, &ed);
        } else if let Some(d) = whole_date(piece) {
            if w.issued.is_none() && !d.date_parts.is_empty() {
                w.issued = Some(d);
            }
        } else if !piece.is_empty() {
            if st.in_container || contains_word(piece, &["series", "studies", "lecture notes"]) {
                st.series.push(piece.to_owned());
            } else {
                st.texts.push((piece.to_owned(), true));
            }
        }
    }
}

fn edition(piece: &str) -> Option<String> {
    let t = piece.trim().trim_end_matches('.');
    let lower = t.to_ascii_lowercase();
    for suffix in [" edition", " edn", " ed", " éd", " aufl", " auflage"] {
        if let Some(head) = lower.strip_suffix(suffix) {
            let head_orig = &t[..head.len()];
            let h = head.trim();
            if h.is_empty() || h.split_whitespace().count() > 2 {
                return None;
            }
            if h.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "rev.", "revised", "new", "expanded", "updated", "second", "third", "fourth",
                    "fifth", "first", "2d", "3d", "rev", "enlarged",
                ]
                .iter()
                .any(|w| h.starts_with(w))
            {
                let v = head_orig.trim();
                let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
                return Some(if digits.is_empty() {
                    v.to_owned()
                } else {
                    digits
                });
            }
        }
    }
    None
}

/// A plain part after the title.
fn plain(
    part: &str,
    out: &mut Parsed,
    st: &mut State,
    mode: Mode,
    text: &str,
    j: usize,
    end: usize,
) {
    let t = part.trim();
    if t.is_empty() {
        return;
    }
    let w = &mut out.work;
    let lower = t.to_ascii_lowercase();
    let after_label = |n: usize| t[n..].trim_start_matches(['.', ' ', ':']).trim();
    for (lead, role) in [
        ("edited by ", 0),
        ("eds. ", 0),
        ("ed. ", 0),
        ("ed ", 0),
        ("translated by ", 1),
        ("trans. ", 1),
        ("transl. ", 1),
        ("tr. ", 1),
    ] {
        if lower.starts_with(lead) {
            let start = text.len() - text[..j].len()
                + (j - part.len())
                + (part.len() - part.trim_start().len())
                + lead.len();
            let _ = start;
            let rest = &t[lead.len()..];
            // the names may run on over commas (`ed. A and B`)
            if let Some(l) = names::given_first(rest, 0) {
                let names = l.names;
                if role == 0 {
                    if w.editor.is_empty() {
                        w.editor = names;
                    }
                } else if w.translator.is_empty() {
                    w.translator = names;
                }
            }
            return;
        }
    }
    if let Some(ed) = edition(t) {
        set_if_none(&mut w.edition, &ed);
        return;
    }
    // newspaper sections, a book's page count (`312 pp.`), a bare month, `Also in`
    if lower.starts_with("sec.") || lower.starts_with("section ") || lower.starts_with("also in") {
        return;
    }
    if let Some((n, unit)) = lower.split_once(' ') {
        if n.chars().all(|c| c.is_ascii_digit())
            && matches!(
                unit.trim_end_matches('.'),
                "pp" | "p" | "s" | "pages" | "str"
            )
        {
            return;
        }
    }
    if date::month(t).is_ok_and(|(r, _)| r.trim().is_empty()) {
        return;
    }
    // `Southern Economic Journal pp. 191–204`
    for label in [" pp. ", " p. "] {
        if let Some(k) = t.find(label) {
            let pg = t[k + label.len()..].trim();
            if k > 0 && (is_page_range(pg) || pg.chars().all(|c| c.is_ascii_digit())) {
                set_if_none(&mut w.page, &dash_norm(pg));
                let head = t[..k].trim().to_owned();
                st.texts.push((head, false));
                return;
            }
        }
    }
    // `John Wiley and Sons, Inc.`
    if [
        "inc", "inc.", "ltd", "ltd.", "co.", "llc", "gmbh", "s.a.", "plc",
    ]
    .contains(&lower.as_str())
    {
        if let Some(p) = w.publisher.as_mut() {
            p.push_str(", ");
            p.push_str(t.trim_end_matches('.'));
        } else if let Some((last, _)) = st.texts.last_mut() {
            last.push_str(", ");
            last.push_str(t.trim_end_matches('.'));
        }
        return;
    }
    if lower.starts_with("vol")
        || lower.starts_with("bd.")
        || lower.starts_with("tome ")
        || (lower.starts_with("v. ")
            && t[3..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || "IVXLC".contains(c)))
    {
        let v = t
            .trim_start_matches(|c: char| c.is_alphabetic())
            .trim_start_matches(['.', ' ']);
        if let Some((vol, issue)) = volume_issue(v) {
            set_if_none(&mut w.volume, &vol);
            if let Some(i) = issue {
                set_if_none(&mut w.issue, &i);
            }
        } else {
            set_if_none(&mut w.volume, v);
        }
        return;
    }
    for lead in [
        "no.", "no ", "nr.", "issue", "iss.", "n°", "n.", "#", "heft",
    ] {
        if lower.starts_with(lead) && {
            let v = t[lead.len()..].trim_start_matches(['.', ' ']);
            v.starts_with(|c: char| c.is_ascii_digit())
                || (v.starts_with(|c: char| c.is_ascii_uppercase())
                    && v[1..].starts_with(|c: char| c.is_ascii_digit()))
        } {
            set_if_none(&mut w.issue, after_label(lead.len()));
            return;
        }
    }
    for lead in ["pp.", "pp", "p.", "pages", "page", "s."] {
        if !lower.starts_with(lead) {
            continue;
        }
        let v = after_label(lead.len());
        if v.starts_with(|c: char| c.is_ascii_digit())
            || (v.len() >= 2
                && v.starts_with(|c: char| c.is_ascii_uppercase())
                && v[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            set_if_none(&mut w.page, &dash_norm(after_label(lead.len())));
            return;
        }
    }
    if [
        "online first",
        "advance online",
        "in press",
        "forthcoming",
        "epub ahead",
        "early view",
        "published online",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        set_if_none(&mut w.note, t);
        return;
    }
    if [
        "diss",
        "ph.d",
        "phd",
        "doctoral",
        "thesis",
        "master",
        "dissertation",
        "working paper",
        "discussion paper",
        "technical report",
        "policy brief",
        "white paper",
        "unpublished",
        "preprint",
        "manuscript",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        set_if_none(&mut w.genre, t);
        return;
    }
    // `Place: Publisher`
    if let Some(k) = t.find(": ") {
        let place = &t[..k];
        let pub_ = &t[k + 2..];
        let words = place.split_whitespace().count();
        let capitalised = place.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    w,
                    "am" | "upon" | "on" | "de" | "del" | "sur" | "an" | "der"
                )
        });
        if words <= 4
            && capitalised
            && !pub_.is_empty()
            && !pub_.starts_with(|c: char| c.is_lowercase())
            && !pub_
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '–')
        {
            set_if_none(&mut w.publisher_place, place);
            // `Publisher 2005` in one part
            let (pb, d) = match trailing_date(pub_) {
                Some((k, d)) if k > 0 => (&pub_[..k], Some(d)),
                _ => (pub_, None),
            };
            set_if_none(&mut w.publisher, pb);
            if let Some(d) = d {
                if w.issued.is_none() && !d.date_parts.is_empty() {
                    w.issued = Some(d);
                }
            }
            return;
        }
        // `45:3` vol:issue, `12: 34-56`
    }
    // a law report: `5 U.S. 137`, `410 F.3d 1234`
    if let Some((vol, rest)) = t.split_once(' ') {
        if let Some((reporter, page)) = rest.rsplit_once(' ') {
            if vol.chars().all(|c| c.is_ascii_digit())
                && page.chars().all(|c| c.is_ascii_digit())
                && !page.is_empty()
                && reporter.chars().next().is_some_and(char::is_uppercase)
                && reporter.contains('.')
            {
                set_if_none(&mut w.volume, vol);
                set_if_none(&mut w.container_title, reporter);
                set_if_none(&mut w.page, page);
                return;
            }
        }
    }
    if is_page_range(t) && !year_range(t) {
        set_if_none(&mut w.page, &dash_norm(t));
        return;
    }
    // `52 1230-1233`, `2(1) 39-66`: volume and pages
    if let Some((v, pg)) = t.rsplit_once(' ') {
        let single_page =
            pg.len() <= 6 && pg.chars().all(|c| c.is_ascii_digit()) && v.contains('(');
        if let (Some((vol, issue)), true) = (volume_issue(v), is_page_range(pg) || single_page) {
            set_if_none(&mut w.volume, &vol);
            if let Some(i) = issue {
                set_if_none(&mut w.issue, &i);
            }
            set_if_none(&mut w.page, &dash_norm(pg));
            return;
        }
    }
    if let Some(d) = whole_date(t) {
        if !d.date_parts.is_empty() {
            if w.issued.is_none() {
                w.issued = Some(d);
            }
            return;
        }
    }
    if is_page_range(t) {
        set_if_none(&mut w.page, &dash_norm(t));
        return;
    }
    if t.contains([':', ';']) {
        if let Some(tail) = journal_tail(t) {
            apply_tail(w, tail);
            return;
        }
        // `Journal Name 26: 5988-93`, `J Doc. 2010;66(3):45-67`
        for (k, _) in t.match_indices(' ') {
            let head = t[..k].trim();
            if !head.chars().next().is_some_and(char::is_uppercase) || head.ends_with(':') {
                continue;
            }
            if let Some(tail) = journal_tail(&t[k + 1..]) {
                apply_tail(w, tail);
                if w.container_title.is_none() {
                    w.container_title = Some(head.trim_end_matches(['.', ',']).to_owned());
                }
                return;
            }
        }
    }
    if let Some((vol, issue)) = volume_issue(t) {
        if w.volume.is_none()
            && (w.container_title.is_some() || !st.texts.is_empty() || out.title_quoted)
        {
            w.volume = Some(vol);
            if let Some(i) = issue {
                w.issue = Some(i);
            }
        } else if w.page.is_none() && w.volume.is_some() {
            w.page = Some(vol);
        } else if w.volume.is_none() && mode == Mode::Bib {
            w.volume = Some(vol);
            if let Some(i) = issue {
                w.issue = Some(i);
            }
        }
        return;
    }
    // `Journal Name 45` / `Journal 2005` / `Journal 2 (4)` (the issue comes as a parenthesis)
    if let Some(k) = t.rfind(' ') {
        let tail = &t[k + 1..];
        let mut head = t[..k].trim();
        for label in [" vol.", " Vol.", " vol", " Vol", " v.", " Bd.", " t."] {
            if let Some(h) = head.strip_suffix(label) {
                head = h.trim_end().trim_end_matches(',');
            }
        }
        if head.chars().next().is_some_and(char::is_uppercase) {
            if let Some((vol, issue)) = volume_issue(tail) {
                if date::year(tail).is_ok()
                    && tail.len() == 4
                    && crate::grammar::locator::looks_like_year(tail)
                {
                    if w.issued.is_none() {
                        w.issued = Some(Date::ymd(tail.parse().unwrap_or(0), None, None));
                    }
                } else {
                    set_if_none(&mut w.volume, &vol);
                    if let Some(i) = issue {
                        set_if_none(&mut w.issue, &i);
                    }
                }
                if w.container_title.is_none() {
                    w.container_title = Some(head.to_owned());
                } else {
                    st.texts.push((head.to_owned(), false));
                }
                return;
            }
            // `Publisher 2005`
            if let Some((dk, d)) = trailing_date(t) {
                if dk > 0 && !d.date_parts.is_empty() {
                    if w.issued.is_none() {
                        w.issued = Some(d);
                    }
                    st.texts
                        .push((t[..dk].trim().trim_end_matches(',').to_owned(), false));
                    return;
                }
            }
        }
    }
    if contains_word(t, &["series"]) {
        st.series.push(t.to_owned());
        return;
    }
    let _ = end;
    st.texts.push((t.to_owned(), false));
}

/// Assigns the leftover text parts and infers the type.
fn finish(out: &mut Parsed, st: &State, mode: Mode) {
    let quoted = out.title_quoted;
    let w = &mut out.work;
    let journal_evidence = w.volume.is_some()
        || w.issue.is_some()
        || (w.page.is_some() && mode == Mode::Bib && !st.in_container);
    for (t, in_paren) in &st.texts {
        let t = t.as_str();
        if t.chars().all(|c| !c.is_alphabetic()) {
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
        if w.container_title.is_none()
            && (quoted
                || st.in_container
                || journal_evidence
                || (*in_paren && st.day_date_in_paren))
        {
            w.container_title = Some(t.to_owned());
        } else if w.publisher.is_none() {
            w.publisher = Some(t.trim_end_matches('.').to_owned());
        } else if w.publisher_place.is_none() && w.container_title.is_none() && mode == Mode::Bib {
            // `Publisher, Place`
            w.publisher_place = Some(t.to_owned());
        }
    }
    for s in &st.series {
        if w.collection_title.is_none() {
            w.collection_title = Some(s.clone());
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
    out.has_facts = w.container_title.is_some()
        || w.publisher.is_some()
        || w.publisher_place.is_some()
        || w.volume.is_some()
        || w.issue.is_some()
        || w.url.is_some()
        || w.doi.is_some()
        || !w.editor.is_empty()
        || !w.translator.is_empty()
        || w.edition.is_some()
        || w.collection_title.is_some()
        || w.genre.is_some()
        || w.note.is_some()
        || (w.page.is_some() && mode == Mode::Bib);
    w.kind = infer_type(w, quoted, out.title_italic, st).to_owned();
}

fn infer_type(w: &Work, quoted: bool, italic: bool, st: &State) -> &'static str {
    let title = w.title.as_deref().unwrap_or("");
    let day_date = w
        .issued
        .as_ref()
        .is_some_and(|d| d.date_parts.first().is_some_and(|p| p.len() == 3));
    let container = w.container_title.as_deref().unwrap_or("");
    let publisher = w.publisher.as_deref().unwrap_or("");
    let genre = w.genre.as_deref().unwrap_or("").to_ascii_lowercase();
    if w.author.is_empty()
        && (title.contains(" v. ") || title.contains(" v ") || title.contains(" vs. "))
    {
        return "legal_case";
    }
    if w.author.is_empty()
        && w.editor.is_empty()
        && contains_word(title, LAW_WORDS)
        && w.container_title.is_none()
        && w.publisher.is_none()
    {
        return "legislation";
    }
    if genre.contains("thesis")
        || genre.contains("diss")
        || genre.contains("ph") && genre.contains('d')
    {
        return "thesis";
    }
    if st.in_container
        || (quoted && w.container_title.is_some() && w.publisher.is_some() && w.volume.is_none())
    {
        return "chapter";
    }
    if w.url.is_some() && w.accessed.is_some() && w.volume.is_none() && w.publisher.is_none() {
        return "webpage";
    }
    let reportish = contains_word(w.collection_title.as_deref().unwrap_or(""), REPORT_WORDS)
        || contains_word(&genre, REPORT_WORDS)
        || contains_word(container, &["paper series", "working paper"])
        || w.author.iter().any(|n| n.literal.is_some());
    if quoted && w.container_title.is_some() {
        if w.volume.is_some() || w.issue.is_some() {
            return "article-journal";
        }
        if day_date {
            return if contains_word(container, NEWS_WORDS) {
                "article-newspaper"
            } else {
                "article-magazine"
            };
        }
        if reportish {
            return "report";
        }
        return "article-journal";
    }
    if reportish {
        return "report";
    }
    if w.container_title.is_some() && (w.volume.is_some() || w.issue.is_some()) {
        return "article-journal";
    }
    if !quoted && w.container_title.is_some() && st.day_date_in_paren && w.publisher.is_none() {
        return "webpage";
    }
    if !publisher.is_empty() {
        if is_institution(publisher) && !contains_word(publisher, BOOK_PUBLISHER) {
            return "report";
        }
        return "book";
    }
    if w.publisher_place.is_some() || italic {
        return "book";
    }
    if w.container_title.is_some() {
        return "article-journal";
    }
    if w.url.is_some() {
        return "webpage";
    }
    "document"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(s: &str) -> Work {
        parse(s, Mode::Note, &[]).work
    }

    #[test]
    fn chicago_book_note() {
        let w = note("Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000)");
        assert_eq!(w.kind, "book");
        assert_eq!(
            w.title.as_deref(),
            Some("The Political Economy of Dictatorship")
        );
        assert_eq!(w.publisher.as_deref(), Some("Cambridge University Press"));
        assert_eq!(w.publisher_place.as_deref(), Some("Cambridge"));
        assert_eq!(w.year(), Some(2000));
    }

    #[test]
    fn journal_note() {
        let w = note("Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017)");
        assert_eq!(w.kind, "article-journal");
        assert_eq!(w.author.len(), 3);
        assert_eq!(w.container_title.as_deref(), Some("Politics & Policy"));
        assert_eq!(w.volume.as_deref(), Some("45"));
        assert_eq!(w.issue.as_deref(), Some("3"));
        assert!(w
            .title
            .as_deref()
            .unwrap()
            .ends_with("‘Internet Sovereignty’"));
    }

    #[test]
    fn apa_chapter() {
        let w = parse("Sending, O., & Neumann, I. (2011). Banking on power. In E. Adler & V. Pouliot (Eds.), International Practices (Cambridge Studies in International Relations, pp. 231-254). Cambridge: Cambridge University Press. doi:10.1017/CBO9780511862373.014", Mode::Bib, &[]).work;
        assert_eq!(w.kind, "chapter");
        assert_eq!(w.title.as_deref(), Some("Banking on power"));
        assert_eq!(w.editor.len(), 2);
        assert_eq!(
            w.container_title.as_deref(),
            Some("International Practices")
        );
        assert_eq!(
            w.collection_title.as_deref(),
            Some("Cambridge Studies in International Relations")
        );
        assert_eq!(w.page.as_deref(), Some("231–254"));
        assert_eq!(w.doi.as_deref(), Some("10.1017/CBO9780511862373.014"));
        assert_eq!(w.publisher_place.as_deref(), Some("Cambridge"));
    }

    #[test]
    fn science_style() {
        let w = parse("Chen, H., Tafalla, M., Greene, T. P., Myers, P. C., & Wilner, D. J. 1997, ApJ, 475, 163", Mode::Bib, &[]).work;
        assert_eq!(w.author.len(), 5);
        assert_eq!(w.year(), Some(1997));
        assert_eq!(w.volume.as_deref(), Some("475"));
        assert_eq!(w.page.as_deref(), Some("163"));
    }
}
