//! Links, access dates and availability phrases at the end of a reference: read into the work
//! and cut from the reference proper.

use super::super::date;
use super::words::find_ci;
use crate::grammar::scan::Scan;
use crate::model::Date;

/// Links found in a reference.
#[derive(Debug, Default)]
pub(super) struct Links {
    /// The first URL that is not a DOI link.
    pub url: Option<String>,
    /// The first DOI (without `https://doi.org/`).
    pub doi: Option<String>,
    /// Byte where the first link (or its introducing phrase) starts.
    pub cut: Option<usize>,
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

/// Finds the URL and the DOI of a reference.
pub(super) fn find_links(s: &str) -> Links {
    let mut links = Links::default();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        // a link starts `http`, `www.`, `doi` or `10.`: other positions are passed over at once
        if !matches!(
            s.as_bytes()[i],
            b'h' | b'H' | b'w' | b'W' | b'd' | b'D' | b'1'
        ) {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
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
pub(super) fn strip_availability(scan: &Scan, body_end: usize) -> usize {
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

/// An access date and where its phrase stands.
#[derive(Debug)]
pub(super) struct Accessed {
    /// The phrase's first byte (the separator before `accessed`).
    pub start: usize,
    /// The byte after the date (and a closing bracket).
    pub end: usize,
    /// The date.
    pub date: Date,
}

/// Finds `accessed DATE` / `retrieved DATE` at top level.
pub(super) fn find_accessed(scan: &Scan, end: usize) -> Option<Accessed> {
    const WORDS: [&str; 5] = [
        "accessed",
        "retrieved",
        "last modified",
        "consulted",
        "viewed",
    ];
    let text = scan.text;
    // one pass to see whether any of the words is there at all (most references have none)
    // before the word-by-word search, which prefers `accessed` anywhere to an earlier `viewed`
    let hay = &text.as_bytes()[..end];
    let any = hay.iter().enumerate().any(|(i, b)| {
        let word = match b | 0x20 {
            b'a' => WORDS[0],
            b'r' => WORDS[1],
            b'l' => WORDS[2],
            b'c' => WORDS[3],
            b'v' => WORDS[4],
            _ => return false,
        };
        hay[i..]
            .get(..word.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(word.as_bytes()))
    });
    if !any {
        return None;
    }
    for word in WORDS {
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
                return Some(Accessed {
                    start,
                    end: stop,
                    date: d,
                });
            }
        }
    }
    None
}
