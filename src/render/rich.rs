//! Rendered text with italics, the typographic corrections applied to hayagriva's output, and the
//! writers (plain text, Markdown, HTML).
//!
//! A [`Rich`] string is plain text in which two private-use characters open and close italics, so
//! that the corrections can work on one string and the writers stay trivial.

use hayagriva::citationberg::FontStyle;
use hayagriva::{ElemChild, ElemChildren};
use serde::{Serialize, Serializer};

/// Opens italics inside a [`Rich`] string.
pub const ITALIC_OPEN: char = '\u{E000}';
/// Closes italics inside a [`Rich`] string.
pub const ITALIC_CLOSE: char = '\u{E001}';

/// Rendered text with italics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rich(pub(crate) String);

impl Rich {
    /// Rich text from plain text (the markers are removed from it).
    pub fn plain(text: &str) -> Rich {
        Rich(strip_markers(text))
    }

    /// The text without markup.
    pub fn to_text(&self) -> String {
        strip_markers(&self.0)
    }

    /// Markdown: italics as `*...*`, literal `*` and `_` escaped.
    pub fn to_markdown(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 8);
        for c in self.0.chars() {
            match c {
                ITALIC_OPEN | ITALIC_CLOSE => out.push('*'),
                '*' | '_' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// HTML: text escaped, italics as `<i>...</i>`.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 16);
        for c in self.0.chars() {
            match c {
                ITALIC_OPEN => out.push_str("<i>"),
                ITALIC_CLOSE => out.push_str("</i>"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                _ => out.push(c),
            }
        }
        out
    }

    /// True when there is no visible text.
    pub fn is_empty(&self) -> bool {
        self.0.chars().all(|c| is_marker(c) || c.is_whitespace())
    }

    /// The raw string, markers included.
    pub fn as_raw(&self) -> &str {
        &self.0
    }

    /// The text without markup, and the byte ranges of it set in italics: the shape in which a
    /// reader gives the grammar a note.
    pub fn text_and_italics(&self) -> (String, Vec<crate::model::span::Span>) {
        let mut text = String::with_capacity(self.0.len());
        let mut spans = Vec::new();
        let mut open = None;
        for c in self.0.chars() {
            match c {
                ITALIC_OPEN => open = open.or(Some(text.len())),
                ITALIC_CLOSE => {
                    if let Some(start) = open.take() {
                        spans.push(crate::model::span::Span::new(start, text.len()));
                    }
                }
                _ => text.push(c),
            }
        }
        if let Some(start) = open {
            spans.push(crate::model::span::Span::new(start, text.len()));
        }
        (text, spans)
    }
}

impl Serialize for Rich {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_html())
    }
}

fn is_marker(c: char) -> bool {
    c == ITALIC_OPEN || c == ITALIC_CLOSE
}

/// Removes the italic markers.
pub fn strip_markers(text: &str) -> String {
    text.chars().filter(|&c| !is_marker(c)).collect()
}

/// Flattens hayagriva's output elements into a rich string (italics kept, links as their text).
pub fn from_children(children: &ElemChildren) -> String {
    let mut out = String::new();
    let mut italic = false;
    push_children(children, &mut out, &mut italic);
    if italic {
        out.push(ITALIC_CLOSE);
    }
    out
}

/// Appends one child (see [`from_children`]); `italic` carries the state between calls.
pub fn push_child(child: &ElemChild, out: &mut String, italic: &mut bool) {
    match child {
        ElemChild::Text(f) => push_text(&f.text, f.formatting.font_style, out, italic),
        ElemChild::Link { text, .. } => {
            push_text(&text.text, text.formatting.font_style, out, italic)
        }
        ElemChild::Elem(e) => push_children(&e.children, out, italic),
        ElemChild::Markup(m) => push_text(m, FontStyle::Normal, out, italic),
        ElemChild::Transparent { .. } => {}
    }
}

fn push_children(children: &ElemChildren, out: &mut String, italic: &mut bool) {
    for child in &children.0 {
        push_child(child, out, italic);
    }
}

fn push_text(text: &str, style: FontStyle, out: &mut String, italic: &mut bool) {
    if text.is_empty() {
        return;
    }
    let want = style == FontStyle::Italic;
    if want != *italic {
        out.push(if want { ITALIC_OPEN } else { ITALIC_CLOSE });
        *italic = want;
    }
    out.extend(text.chars().filter(|&c| !is_marker(c)));
}

fn opens_quote_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || "([{‘“—–/-".contains(c),
    }
}

/// The typographic corrections of hayagriva's output (en-US), in one pass:
///
/// * straight quotes and apostrophes become typographic (D1): `'` between letters is `’`;
/// * quotation marks inside a quotation take the other kind (D2): a title quoted inside a quoted
///   title gets `‘…’`; at the top level a quotation mark keeps its kind;
/// * a period or comma after a closing quotation mark moves inside it (D3), and a period that
///   follows one already inside (`.”.`) is dropped, as is a period after `?` or `!`.
pub fn polish(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 4);
    // Parallel to `out`: true where the char is a closing quotation mark.
    let mut closer: Vec<bool> = Vec::with_capacity(chars.len() + 4);
    // Open quotation marks: (opened by a single quote in the source, the mark emitted).
    let mut stack: Vec<(bool, char)> = Vec::new();
    let prev_visible = |out: &[char]| out.iter().rev().find(|c| !is_marker(**c)).copied();
    let next_visible = |i: usize| chars[i + 1..].iter().find(|c| !is_marker(**c)).copied();
    // At the top level a quotation mark keeps its kind; inside a quotation it takes the other.
    let open = |stack: &mut Vec<(bool, char)>, single: bool| -> char {
        let q = match stack.last() {
            None if single => '‘',
            None => '“',
            Some(&(_, '“')) => '‘',
            Some(_) => '“',
        };
        stack.push((single, q));
        q
    };
    let closer_of = |q: char| if q == '“' { '”' } else { '’' };

    for (i, &c) in chars.iter().enumerate() {
        let prev = prev_visible(&out);
        let next = next_visible(i);
        let (emit, is_closer) = match c {
            '"' if opens_quote_after(prev) && next.is_some_and(|n| !n.is_whitespace()) => {
                (open(&mut stack, false), false)
            }
            '“' => (open(&mut stack, false), false),
            '"' | '”' => match stack.last() {
                Some(&(false, q)) => {
                    stack.pop();
                    (closer_of(q), true)
                }
                _ => ('”', true),
            },
            '\'' | '‘' | '’' => {
                let between_letters = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if between_letters {
                    ('’', false)
                } else if c != '’' && opens_quote_after(prev) {
                    (open(&mut stack, true), false)
                } else if let Some(&(true, q)) = stack.last() {
                    if next.is_some_and(char::is_alphanumeric) {
                        ('’', false)
                    } else {
                        stack.pop();
                        (closer_of(q), true)
                    }
                } else {
                    ('’', false)
                }
            }
            '.' | ',' => {
                // Move inside the closing quotation marks that precede it.
                let mut k = out.len();
                let mut moved = false;
                while k > 0 && (is_marker(out[k - 1]) || closer[k - 1]) {
                    if closer[k - 1] {
                        moved = true;
                    }
                    k -= 1;
                }
                if moved {
                    let inside = out[..k].iter().rev().find(|c| !is_marker(**c)).copied();
                    let dup = matches!(inside, Some('.' | '?' | '!'))
                        || (c == ',' && inside == Some(','));
                    if !dup {
                        out.insert(k, c);
                        closer.insert(k, false);
                    }
                    continue;
                }
                if c == '.' && matches!(prev, Some('?' | '!')) {
                    continue;
                }
                (c, false)
            }
            _ => (c, false),
        };
        out.push(emit);
        closer.push(is_closer);
    }
    out.into_iter().collect()
}

/// Capitalises the first letter (after markers and opening punctuation): `ibid.` at the start of a
/// note becomes `Ibid.` (D4).
pub fn capitalise_first(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for c in text.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            if !done && (c.is_alphanumeric()) {
                done = true;
            }
            out.push(c);
        }
    }
    out
}

/// Stop words that CSL title case leaves in lower case.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
];

/// The `, and ` phrases (a comma, then a stop word in lower case) that the source titles hold.
pub fn lowercase_stop_phrases<'a>(titles: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in titles {
        for w in STOP_WORDS {
            let p = format!(", {w} ");
            if t.contains(&p) && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// D7: hayagriva's title case capitalises a stop word after a comma (`Politics, And Decision`);
/// where the source title has it in lower case, it is put back.
pub fn fix_stop_words(text: &str, phrases: &[String]) -> String {
    let mut out = text.to_owned();
    for p in phrases {
        let mut cap = String::with_capacity(p.len());
        let mut done = false;
        for c in p.chars() {
            if !done && c.is_alphabetic() {
                cap.extend(c.to_uppercase());
                done = true;
            } else {
                cap.push(c);
            }
        }
        if out.contains(&cap) {
            out = out.replace(&cap, p);
        }
    }
    out
}

/// The words of the source titles whose case title case must not change: capitals inside the
/// word (`JavaScript`, `jQuery`, `McCartney`, `iPhone`) or all capitals (`NLTK`, `MALLET`). A word
/// that the titles also write another way (`US` and `us`) is left out: its case is not the word's;
/// so is a title written in capitals throughout.
/// Sorted by their lower-case form, which comes first in each pair.
pub fn mixed_case_words<'a>(titles: impl Iterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut forms: std::collections::HashMap<String, Vec<&str>> = Default::default();
    // a title in capitals throughout says nothing of its words' case
    for t in titles.filter(|t| t.chars().any(char::is_lowercase)) {
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let v = forms.entry(w.to_lowercase()).or_default();
            if !v.contains(&w) {
                v.push(w);
            }
        }
    }
    let mut out: Vec<(String, String)> = forms
        .into_iter()
        .filter(|(_, v)| v.len() == 1 && has_inner_capital(v[0]))
        .map(|(k, v)| (k, v[0].to_owned()))
        .collect();
    out.sort();
    out
}

/// True for a word with a capital letter after its first character (`JavaScript`, `NLTK`).
fn has_inner_capital(word: &str) -> bool {
    word.chars().skip(1).any(char::is_uppercase) && word.chars().any(char::is_lowercase)
        || word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && word.chars().all(|c| !c.is_lowercase())
}

/// CSL title case leaves a word with inner capitals as it is (`JavaScript`, not `Javascript`);
/// hayagriva does not: every word of `text` that is one of `words` ([`mixed_case_words`]) in
/// another case is put back.
pub fn keep_case(text: &str, words: &[(String, String)]) -> String {
    if words.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for chunk in text.split_inclusive(char::is_whitespace) {
        // a URL or DOI is written as it is
        if chunk.contains("://") || chunk.starts_with("www.") || chunk.starts_with("doi:") {
            out.push_str(chunk);
            continue;
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let lower = word.to_lowercase();
            match words.binary_search_by(|(k, _)| k.as_str().cmp(&lower)) {
                Ok(i) => out.push_str(&words[i].1),
                Err(_) => out.push_str(word),
            }
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_and_nested_quotes() {
        assert_eq!(polish("China's"), "China’s");
        assert_eq!(
            polish("“Introduction: The “Fragmented Authoritarianism” Model”"),
            "“Introduction: The ‘Fragmented Authoritarianism’ Model”"
        );
        assert_eq!(polish("The ‘Fragmented’ Model"), "The ‘Fragmented’ Model");
        assert_eq!(polish("“The ‘A’ and “B””"), "“The ‘A’ and ‘B’”");
        assert_eq!(polish("Reforms?.” In"), "Reforms?” In");
        assert_eq!(
            polish("\"Hacking into China's Future\""),
            "“Hacking into China’s Future”"
        );
    }

    #[test]
    fn punctuation_moves_inside_quotes() {
        assert_eq!(
            polish("“International Practices”."),
            "“International Practices.”"
        );
        assert_eq!(polish("“A ‘B’”, 4."), "“A ‘B,’” 4.");
        assert_eq!(polish("“Done.”."), "“Done.”");
        assert_eq!(polish("States’ rights."), "States’ rights.");
    }

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(capitalise_first("ibid., 4."), "Ibid., 4.");
        assert_eq!(
            capitalise_first("\u{E000}ibid.\u{E001}"),
            "\u{E000}Ibid.\u{E001}"
        );
        assert_eq!(capitalise_first("2 ibid."), "2 ibid.");
    }

    #[test]
    fn inner_capitals_survive_title_case() {
        let words = mixed_case_words(
            [
                "JavaScript and jQuery",
                "the Songs of Paul McCartney",
                "NLTK, and us",
                "US Politics",
                "THE BOOK OF KELLS",
            ]
            .into_iter(),
        );
        let forms: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(forms, ["JavaScript", "jQuery", "McCartney", "NLTK"]);
        assert_eq!(
            keep_case("Javascript and Jquery: Paul Mccartney and Nltk. Us", &words),
            "JavaScript and jQuery: Paul McCartney and NLTK. Us"
        );
        assert_eq!(
            keep_case("Nltk, https://nltk.org/javascript/", &words),
            "NLTK, https://nltk.org/javascript/",
            "a URL is left as written"
        );
    }

    #[test]
    fn writers_escape() {
        let r = Rich(format!("A & B {ITALIC_OPEN}<T>{ITALIC_CLOSE} *x*"));
        assert_eq!(r.to_html(), "A &amp; B <i>&lt;T&gt;</i> *x*");
        assert_eq!(r.to_markdown(), "A & B *<T>* \\*x\\*");
        assert_eq!(r.to_text(), "A & B <T> *x*");
    }
}
