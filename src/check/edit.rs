//! The smallest rewrite of a citation: what changes between the citation as written and its
//! correct form, found token by token and written back into the few source bytes it concerns.
//!
//! A rewrite built here keeps every source byte it does not change: the author's italics markup
//! (`_x_` stays `_x_`), entities (`&nbsp;`), links, and tags that wrap the note (`<span
//! lang=EN-GB>`). Only the tokens that differ are replaced, and only where the source holds them
//! as plain text; an edit that would cross markup, or a change of italics, gives `None`, and the
//! caller decides what is left (see [`super::safety`]).

use std::ops::Range;

use similar::{Algorithm, DiffTag};

use crate::manuscript::latex::write::{self as latex, Typing};
use crate::manuscript::{Format, Note};
use crate::model::span::Span;
use crate::render::rich::{ITALIC_CLOSE, ITALIC_OPEN};
use crate::render::Rich;

/// Words (letters and digits), runs of white space, and each other character (punctuation) on
/// its own, as ranges of a char slice; a word also ends where its italics change. So `Ibid,` to
/// `Ibid.,` inserts a period, and `4-13` to `4–13` replaces the hyphen only.
pub(crate) fn tokens(chars: &[(char, bool)]) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, &(c, it)) in chars.iter().enumerate() {
        match out.last_mut() {
            Some(r)
                if {
                    let (p, pit) = chars[r.end - 1];
                    let k = class(c);
                    k != Class::Other && k == class(p) && (k == Class::Space || pit == it)
                } =>
            {
                r.end = i + 1
            }
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// The characters of a rendering with their italics, without the note's final period (as
/// [`super::Expectation::text`] is compared).
pub(crate) fn rich_chars(rich: &Rich) -> Vec<(char, bool)> {
    let mut italic = false;
    let mut out = Vec::new();
    for c in rich.as_raw().chars() {
        match c {
            ITALIC_OPEN => italic = true,
            ITALIC_CLOSE => italic = false,
            _ => out.push((c, italic)),
        }
    }
    while out.last().is_some_and(|&(c, _)| c == '.') {
        out.pop();
    }
    while out.last().is_some_and(|&(c, _)| c.is_whitespace()) {
        out.pop();
    }
    let lead = out.iter().take_while(|(c, _)| c.is_whitespace()).count();
    out.drain(..lead);
    out
}

/// The words (as [`crate::fold::words`] gives them) of the citation at note-text `cite` that the
/// source sets in italics.
pub(crate) fn written_italic_words(note: &Note, cite: Span) -> Vec<String> {
    let text: String = written_chars(note, cite)
        .into_iter()
        .map(|(c, it, _)| if it { c } else { ' ' })
        .collect();
    crate::fold::words(&text)
}

/// The words of a rendering that it sets in italics.
pub(crate) fn italic_words(rich: &Rich) -> Vec<String> {
    let text: String = rich_chars(rich)
        .into_iter()
        .map(|(c, it)| if it { c } else { ' ' })
        .collect();
    crate::fold::words(&text)
}

/// A citation rewritten: the citation's whole source span, and what to write there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rewrite {
    /// The citation's bytes in the source.
    pub span: Span,
    /// Those bytes as they should read.
    pub replacement: String,
    /// Only the changed tokens are replaced, every other source byte kept (`false`: the span is
    /// written anew, italics markup included).
    pub in_place: bool,
}

/// One change of a citation: the old characters `old` (indices into the citation's characters)
/// become `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// Which characters of the citation as written are replaced (empty: an insertion there).
    pub old: Range<usize>,
    /// What takes their place (plain text).
    pub text: String,
}

/// The characters of the citation at note-text `cite` with their italics and byte offsets.
fn written_chars(note: &Note, cite: Span) -> Vec<(char, bool, usize)> {
    cite.slice(&note.text)
        .char_indices()
        .map(|(i, c)| {
            let at = cite.start + i;
            let italic = note.emphasis.iter().any(|e| e.start <= at && at < e.end);
            (c, italic, at)
        })
        .collect()
}

/// The token-level changes from the citation at note-text `cite` to `want`, when none of them
/// changes italics: kept tokens keep their italics, inserted italic text stands inside italics
/// and plain text outside them. `None` when italics markup would have to be written.
///
/// Plain text has no italics: there, the correct form's italics are not compared.
pub(crate) fn changes(note: &Note, cite: Span, want: &Rich, format: Format) -> Option<Vec<Change>> {
    let old: Vec<(char, bool)> = written_chars(note, cite)
        .into_iter()
        .map(|(c, it, _)| (c, it))
        .collect();
    let mut new = rich_chars(want);
    if format == Format::Text {
        new.iter_mut().for_each(|(_, it)| *it = false);
    }
    let (ot, nt) = (tokens(&old), tokens(&new));
    let key = |chars: &[(char, bool)], r: &Range<usize>| -> String {
        chars[r.clone()].iter().map(|&(c, _)| c).collect()
    };
    let ok: Vec<String> = ot.iter().map(|r| key(&old, r)).collect();
    let nk: Vec<String> = nt.iter().map(|r| key(&new, r)).collect();
    let mut out = Vec::new();
    // the old token after the last one an op covered: where an insertion goes (an insert op's
    // own old index is not always that)
    let mut next = 0;
    for op in similar::capture_diff_slices(Algorithm::Myers, &ok, &nk) {
        let (tag, o, n) = op.as_tag_tuple();
        let o = if o.is_empty() { next..next } else { o };
        next = o.end;
        let at = ot.get(o.start).map_or(old.len(), |r| r.start);
        let olds = at..ot[o].last().map_or(at, |r| r.end);
        let news = nt[n.clone()].first().map_or(0, |r| r.start)..nt[n].last().map_or(0, |r| r.end);
        if tag == DiffTag::Equal {
            if olds.zip(news).any(|(k, j)| old[k].1 != new[j].1) {
                return None;
            }
            continue;
        }
        let added = &new[news];
        let italic = added.first().map(|&(_, it)| it);
        if added.iter().any(|&(_, it)| Some(it) != italic) {
            return None;
        }
        if olds.is_empty() {
            let before = olds.start.checked_sub(1).map(|k| old[k].1);
            let after = old.get(olds.start).map(|&(_, it)| it);
            let inside = before == Some(true) && after == Some(true);
            if italic.is_some_and(|it| it != inside) {
                return None;
            }
        } else if italic.is_some_and(|it| old[olds.clone()].iter().any(|&(_, o)| o != it)) {
            return None;
        }
        out.push(Change {
            old: olds,
            text: added.iter().map(|&(c, _)| c).collect(),
        });
    }
    Some(out)
}

/// The rewrite of the citation at note-text `cite` of `note` into `want`, changing only the
/// tokens that differ ([`changes`]). `None` when the italics differ (markup would have to be
/// written), when a changed token is not plain text in the source (it crosses a tag, a link's
/// markup or the italics delimiters), or when the citation's ends do not map exactly.
pub(crate) fn minimal(
    note: &Note,
    cite: Span,
    want: &Rich,
    source: &str,
    format: Format,
) -> Option<Rewrite> {
    let whole = note.map.span(cite)?;
    let old = written_chars(note, cite);
    // the byte in the note's text where old char `k` starts (the citation's end past the last)
    let byte = |k: usize| old.get(k).map_or(cite.end, |o| o.2);
    let typing = Typing::of(note.span.slice(source));
    let mut replacement = String::with_capacity(whole.len() + 8);
    let mut at = whole.start;
    for change in changes(note, cite, want, format)? {
        let span = if change.old.is_empty() {
            let pos = note.map.offset(byte(change.old.start))?;
            Span::new(pos, pos)
        } else {
            let old = Span::new(byte(change.old.start), byte(change.old.end));
            plain_source(note, old, source, format)?
        };
        if span.start < at || span.end > whole.end {
            return None;
        }
        replacement.push_str(source.get(at..span.start)?);
        replacement.push_str(&escape(&change.text, format, &typing));
        at = span.end;
    }
    replacement.push_str(source.get(at..whole.end)?);
    Some(Rewrite {
        span: whole,
        replacement,
        in_place: true,
    })
}

/// True when every source byte of the citation at note-text `cite` that is not its text is
/// white space, an entity or emphasis markup: a rewrite of the whole span (which writes the
/// italics anew) then loses nothing else. A tag that wraps the note (`<span lang=EN-GB>`), a
/// link or a comment gives `false`.
pub(crate) fn only_text_and_emphasis(
    note: &Note,
    cite: Span,
    source: &str,
    format: Format,
) -> bool {
    const EMPHASIS: &[&str] = &[
        "<i>", "</i>", "<em>", "</em>", "<cite>", "</cite>", "*", "_",
    ];
    note.map
        .segments
        .iter()
        .filter(|s| s.text.end > cite.start && s.text.start < cite.end)
        .filter(|s| s.text.len() != s.source.len())
        .all(|seg| {
            let raw = seg.source.slice(source);
            let text = seg.text.slice(&note.text);
            if raw.chars().all(char::is_whitespace)
                || raw.starts_with('&') && raw.ends_with(';') && !raw.contains('<')
                || format == Format::Latex && latex::is_text_escape(raw)
            {
                return true;
            }
            // the text with emphasis markup before or after it
            let Some(i) = raw.find(text) else {
                return false;
            };
            let markup_only = |mut rest: &str| {
                while !rest.is_empty() {
                    if format == Format::Latex {
                        match latex::italic_mark(rest) {
                            Some(len) => {
                                rest = &rest[len..];
                                continue;
                            }
                            None => return false,
                        }
                    }
                    let lower = rest.to_ascii_lowercase();
                    match EMPHASIS.iter().find(|m| lower.starts_with(*m)) {
                        Some(m) => rest = &rest[m.len()..],
                        None => return false,
                    }
                }
                true
            };
            markup_only(&raw[..i]) && markup_only(&raw[i + text.len()..])
        })
}

/// The source bytes of note-text `span` when they are the text itself, with nothing else in
/// between: verbatim segments, contiguous in the source, and decoded pieces that are an entity
/// or white space (a joined line) taken whole. `None` for anything with markup inside.
fn plain_source(note: &Note, span: Span, source: &str, format: Format) -> Option<Span> {
    let whole = note.map.span(span)?;
    let mut previous_end: Option<usize> = None;
    for seg in note
        .map
        .segments
        .iter()
        .filter(|s| s.text.end > span.start && s.text.start < span.end)
    {
        if previous_end.is_some_and(|end| end != seg.source.start) {
            return None;
        }
        if seg.text.len() != seg.source.len() {
            let covered = span.start <= seg.text.start && seg.text.end <= span.end;
            let raw = seg.source.slice(source);
            let entity = if format == Format::Latex {
                latex::is_text_escape(raw)
            } else {
                raw.starts_with('&') && raw.ends_with(';') && !raw.contains('<')
            };
            if !covered || !(entity || raw.chars().all(char::is_whitespace)) {
                return None;
            }
        }
        previous_end = Some(seg.source.end);
    }
    Some(whole)
}

/// A rendered citation as the source format writes it: Markdown emphasis, HTML `<i>` (a .docx
/// or .odt too: the tracked-change writers turn `<i>` into their own italics), LaTeX `\emph{}`,
/// or plain text.
pub(crate) fn markup(rich: &Rich, format: Format) -> String {
    match format {
        Format::Markdown => rich.to_markdown(),
        Format::Html | Format::Docx | Format::Odt => rich.to_html(),
        Format::Latex => latex(rich, &Typing::default()),
        Format::Text => rich.to_text(),
    }
}

/// A rendered citation as LaTeX in the author's `typing`: text escaped, italics in the
/// author's command.
pub(crate) fn latex(rich: &Rich, typing: &Typing) -> String {
    let (open, close) = typing.italic_markup();
    let mut out = String::new();
    let mut plain = String::new();
    for c in rich.as_raw().chars() {
        match c {
            ITALIC_OPEN | ITALIC_CLOSE => {
                out.push_str(&latex::escape(&plain, typing));
                plain.clear();
                out.push_str(if c == ITALIC_OPEN { &open } else { close });
            }
            c => plain.push(c),
        }
    }
    out.push_str(&latex::escape(&plain, typing));
    out
}

/// `text` as the manuscript's syntax writes plain text (`typing`: how a LaTeX author writes
/// quotes and dashes).
fn escape(text: &str, format: Format, typing: &Typing) -> String {
    match format {
        Format::Markdown => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if matches!(c, '*' | '_' | '\\' | '[' | ']' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
        Format::Html | Format::Docx | Format::Odt => Rich::plain(text).to_html(),
        Format::Latex => latex::escape(text, typing),
        Format::Text => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manuscript::{self, Format};
    use std::path::Path;

    fn rewrite(src: &str, format: Format, want: &str) -> Option<String> {
        let ms = manuscript::read_bytes(Path::new("t"), src.as_bytes(), format).unwrap();
        let note = ms.notes.last().unwrap();
        let text = note.text.trim_end_matches('.');
        let cite = Span::new(0, text.len());
        let want = Rich(italics(&want.replace('*', "\u{E000}")));
        let r = minimal(note, cite, &want, &ms.text, format)?;
        let mut out = ms.text.clone();
        out.replace_range(r.span.start..r.span.end, &r.replacement);
        Some(out)
    }

    /// `*x*` in a test's expected rendering stands for italics.
    fn italics(s: &str) -> String {
        let mut open = false;
        s.chars()
            .map(|c| {
                if c == '\u{E000}' {
                    open = !open;
                    if open {
                        ITALIC_OPEN
                    } else {
                        ITALIC_CLOSE
                    }
                } else {
                    c
                }
            })
            .collect()
    }

    #[test]
    fn html_wrapping_tags_survive() {
        let src = "<p>A.<sup><a href=\"#fn1\" id=\"r1\">1</a></sup></p>\n<ol>\n<li id=\"fn1\"><span class=\"rt\">Ibid, 4.</span> <a href=\"#r1\">↩</a></li>\n</ol>\n";
        let out = rewrite(src, Format::Html, "Ibid., 4").unwrap();
        assert!(
            out.contains("<li id=\"fn1\"><span class=\"rt\">Ibid., 4.</span>"),
            "{out}"
        );
    }

    #[test]
    fn markdown_keeps_the_authors_delimiters_and_entities() {
        let src = "Text.[^1]\n\n[^1]: Smith, _The Book_, 4-13&nbsp;and 5.\n";
        let out = rewrite(src, Format::Markdown, "Smith, *The Book*, 4–13\u{a0}and 5").unwrap();
        assert!(
            out.contains("[^1]: Smith, _The Book_, 4–13&nbsp;and 5."),
            "{out}"
        );
        let src = "Text.[^1]\n\n[^1]: Smith, [The Book](http://x.org), 4-13.\n";
        // the reader adds a link's URL to the note's text when the link text does not show it
        let want = "Smith, The Book http://x.org, 4–13";
        let out = rewrite(src, Format::Markdown, want).unwrap();
        assert!(
            out.contains("Smith, [The Book](http://x.org), 4–13."),
            "{out}"
        );
    }

    #[test]
    fn italics_to_write_or_markup_to_cross_give_none() {
        let src = "Text.[^1]\n\n[^1]: Smith, The Book, 4.\n";
        assert_eq!(rewrite(src, Format::Markdown, "Smith, *The Book*, 4"), None);
        let src = "Text.[^1]\n\n[^1]: Smith, [The Book](http://x.org), 4.\n";
        // the URL the reader took from the link's markup cannot be deleted from the text
        assert_eq!(rewrite(src, Format::Markdown, "Smith, The Book, 4"), None);
        // the link's text is text: a word in it can change, the markup stays
        let want = "Smith, The Cook http://x.org, 4";
        let out = rewrite(src, Format::Markdown, want).unwrap();
        assert!(out.contains("Smith, [The Cook](http://x.org), 4."), "{out}");
    }

    #[test]
    fn an_insertion_goes_after_the_text_it_follows() {
        let src = "Text.[^1]\n\n[^1]: Journal 38, 99.\n";
        let out = rewrite(src, Format::Markdown, "Journal 38 (n.d.): 99").unwrap();
        assert!(out.contains("[^1]: Journal 38 (n.d.): 99."), "{out}");
    }

    #[test]
    fn tokens_split_words_space_and_each_mark() {
        let chars: Vec<(char, bool)> = "Ibid., 4–13".chars().map(|c| (c, false)).collect();
        let t: Vec<String> = tokens(&chars)
            .into_iter()
            .map(|r| chars[r].iter().map(|&(c, _)| c).collect())
            .collect();
        assert_eq!(t, ["Ibid", ".", ",", " ", "4", "–", "13"]);
    }
}
