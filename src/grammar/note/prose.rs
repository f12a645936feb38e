//! Prose or reference: counting the lower-case words of a stretch of a note.

use crate::grammar::scan::Scan;

/// Small words a reference holds in lower case (articles, prepositions, labels, particles): not
/// counted.
const SMALL: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "nor",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "by",
    "with",
    "from",
    "as",
    "but",
    "into",
    "over",
    "under",
    "about",
    "between",
    "among",
    "through",
    "via",
    "vs",
    "per",
    "upon",
    "et",
    "al",
    "ed",
    "eds",
    "trans",
    "vol",
    "no",
    "pp",
    "p",
    "n",
    "nn",
    "chap",
    "art",
    "accessed",
    "retrieved",
    "available",
    "online",
    "first",
    "edited",
    "translated",
    "doi",
    "op",
    "cit",
    "loc",
    "ibid",
    "id",
    "de",
    "la",
    "le",
    "van",
    "von",
    "der",
    "du",
    "des",
    "y",
    "en",
    "und",
    "für",
    "zur",
    "del",
    "di",
    "da",
    "e",
    "i",
    "s",
    "c",
    "ca",
    "cf",
    "see",
    "also",
    "esp",
];

/// Function words (verbs, pronouns, conjunctions) that mark prose.
const FUNCTION: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "that",
    "this",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "my",
    "our",
    "their",
    "his",
    "her",
    "not",
    "however",
    "there",
    "here",
    "would",
    "could",
    "should",
    "can",
    "will",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "because",
    "although",
    "while",
    "when",
    "where",
    "what",
    "how",
    "why",
    "such",
    "more",
    "most",
    "very",
    "than",
    "then",
    "thus",
    "so",
    "if",
    "all",
    "some",
    "any",
    "many",
    "much",
    "argues",
    "notes",
    "shows",
    "see",
    "also",
    "according",
    "whether",
];

/// True when the top-level text of `a..b` reads as prose (verbs, pronouns, many lower-case words)
/// rather than as the elements of a reference.
pub(super) fn is_prose(scan: &Scan, a: usize, b: usize) -> bool {
    let (function, content) = prose_counts(scan, a, b);
    (function >= 1 && content >= 3) || content >= 7
}

/// Lower-case words at the top level of `a..b`: (function words, all counted words).
pub(super) fn prose_counts(scan: &Scan, a: usize, b: usize) -> (usize, usize) {
    let text = scan.text;
    let mut content = 0;
    let mut function = 0;
    let mut i = a;
    while i < b {
        if !scan.top(i) || !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_alphabetic()
            && (i == a
                || !text[..i].ends_with(|p: char| {
                    // inside a word, or a link's path and query (`a_b`, `?id=`, `&q=`, `#v=`)
                    p.is_alphanumeric()
                        || matches!(
                            p,
                            '/' | '.' | '-' | '\'' | '’' | '_' | '=' | '?' | '&' | '#' | '%'
                        )
                }))
        {
            let end = text[i..b]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’'))
                .map_or(b, |k| i + k);
            let w = &text[i..end];
            let link = text[end..b].starts_with(['/', ':']) && text[end..b].starts_with("://")
                || text[end..b].starts_with('.')
                    && text[end + 1..b].starts_with(char::is_alphanumeric);
            if c.is_lowercase() && !link {
                let lower = w.to_ascii_lowercase();
                if FUNCTION.contains(&lower.as_str()) {
                    function += 1;
                    content += 1;
                } else if !SMALL.contains(&lower.as_str()) {
                    content += 1;
                }
            }
            i = end.max(i + 1);
            continue;
        }
        i += c.len_utf8().max(1);
    }
    (function, content)
}

/// The text holds a URL or a DOI.
pub(super) fn has_link(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || lower.contains("doi:")
        || lower.contains("doi.org")
}
