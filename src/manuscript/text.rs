//! The plain-text reader: body markers such as `[iv]`, `[12]`, `[^3]` or `¹`, and a notes section
//! under a heading (NOTES, Notes, Endnotes, Footnotes) with one note per paragraph or line:
//! `[iv] text`, `12. text`, `12 text`, `¹ text`.
//!
//! A note runs on over the lines that follow it (indented or not) and over paragraphs that start
//! without a label when the next note's label follows them (a note of several paragraphs); a
//! paragraph after the last note ends the section (a page's footer). Note numbers may have up to
//! six digits; beyond four, only where they continue the sequence. A bracket that indexes an
//! array in code (`a[i]`, `arr[12]`, `at index [i]`) is no marker unless a note has its id.

use std::collections::HashSet;
use std::path::Path;

use crate::error::Result;
use crate::manuscript::{check_links, roman_value, Format, Manuscript, Marker, Markers, Note};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::span::{SourceMap, Span};

/// How the notes section labels its notes; the body's markers are looked for in the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelStyle {
    /// `[iv]`, `[12]`, `[^3]`
    Bracket,
    /// `12.` or `12)`
    Numbered,
    /// `12 text`
    Bare,
    /// `¹²`
    Superscript,
}

/// A note label found at the start of a line.
#[derive(Debug, Clone)]
struct Label {
    style: LabelStyle,
    id: String,
    /// The label's bytes (from the start of the line's text).
    span: Span,
    /// Where the note's text starts (after the label and spaces).
    text_start: usize,
}

/// One line of the source: its bytes without the line break.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let mut end = i;
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
            out.push(Line { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(Line {
            start,
            end: text.len(),
        });
    }
    out
}

/// Headings of a notes section, lower case, without `#` or a final colon.
const HEADINGS: &[&str] = &[
    "notes",
    "endnotes",
    "footnotes",
    "end notes",
    "foot notes",
    "note",
    "references and notes",
    "notes and references",
];

/// True when `line` is a notes section's heading (`NOTES`, `## Endnotes:`, `Notes and
/// References`): the one list every stage asks (the reader, and `convert`, which removes it).
pub(crate) fn is_heading(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase();
    HEADINGS.contains(&t.as_str())
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁴' as u32 + 4),
        _ => None,
    }
}

/// A bracketed note id (`iv`, `12`, `^3`, `^note`), normalised: lower case, no caret.
fn bracket_id(inner: &str) -> Option<String> {
    if let Some(rest) = inner.strip_prefix('^') {
        let ok = !rest.is_empty()
            && rest.len() <= 40
            && rest
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        return ok.then(|| rest.to_lowercase());
    }
    if !inner.is_empty() && inner.len() <= 6 && inner.bytes().all(|b| b.is_ascii_digit()) {
        return Some(inner.trim_start_matches('0').to_owned()).filter(|s| !s.is_empty());
    }
    if roman_value(inner).is_some() && inner.chars().all(|c| c.is_ascii_lowercase())
        || (roman_value(inner).is_some() && inner.chars().all(|c| c.is_ascii_uppercase()))
    {
        return Some(inner.to_lowercase());
    }
    None
}

/// The label at the start of `text` (a line's content, leading spaces included), if any.
fn label_at(text: &str) -> Option<Label> {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let after = |end: usize, style, id: String| {
        let tail = &text[end..];
        let spaces = tail.len() - tail.trim_start().len();
        Label {
            style,
            id,
            span: Span::new(lead, end),
            text_start: end + spaces,
        }
    };
    if let Some(inner_end) = rest.strip_prefix('[').and_then(|r| r.find(']')) {
        let inner = &rest[1..1 + inner_end];
        let id = bracket_id(inner)?;
        let mut end = lead + inner_end + 2;
        // pandoc-style definition `[^3]:`
        if inner.starts_with('^') && text[end..].starts_with(':') {
            end += 1;
        }
        return Some(after(end, LabelStyle::Bracket, id));
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 6 {
        let id = rest[..digits].trim_start_matches('0').to_owned();
        if id.is_empty() {
            return None;
        }
        let next = rest[digits..].chars().next();
        return match next {
            Some('.') | Some(')') => {
                let tail = &rest[digits + 1..];
                // "12. text" but not "12.5" or "1.2.3"
                if tail.starts_with(char::is_whitespace) || tail.is_empty() {
                    Some(after(lead + digits + 1, LabelStyle::Numbered, id))
                } else {
                    None
                }
            }
            Some(c) if c.is_whitespace() => Some(after(lead + digits, LabelStyle::Bare, id)),
            _ => None,
        };
    }
    let sup: String = rest
        .chars()
        .map_while(superscript_digit)
        .map(|d| char::from_digit(d, 10).unwrap_or('0'))
        .collect();
    if !sup.is_empty() {
        let len: usize = rest.chars().take(sup.len()).map(char::len_utf8).sum();
        return Some(after(lead + len, LabelStyle::Superscript, sup));
    }
    None
}

/// Note numbers of more than four digits are labels only where they continue the sequence.
const SHORT_NUMBER: usize = 4;

/// True when `label` can be the label of note number `expected` in a notes section labelled in
/// `style` (`None`: not known yet): the same style, and for a bare number (`12 text`) or a long
/// one (`12345.`), the very number due.
fn label_fits(label: &Label, style: Option<LabelStyle>, expected: usize) -> bool {
    let fits_style = style.is_none_or(|s| s == label.style);
    let number = label.id.parse::<usize>().ok();
    let strict =
        label.style == LabelStyle::Bare || (number.is_some() && label.id.len() > SHORT_NUMBER);
    fits_style && (!strict || number == Some(expected))
}

/// True when `label` is the label of note number `expected` (by its number, arabic or roman; a
/// named label `[^note]` is any note's).
fn label_is(label: &Label, expected: usize) -> bool {
    match label.id.parse::<usize>() {
        Ok(n) => n == expected,
        Err(_) => roman_value(&label.id).is_none_or(|n| n == expected),
    }
}

/// Where the notes section is: the line index where notes start, and the heading's line if any.
fn find_notes_section(text: &str, lines: &[Line]) -> Option<(usize, Option<usize>)> {
    // The last heading that is followed (after blank lines) by a labelled line.
    let first_label_after = |from: usize| {
        lines[from..]
            .iter()
            .position(|l| !text[l.start..l.end].trim().is_empty())
            .map(|p| from + p)
            .filter(|&i| label_at(&text[lines[i].start..lines[i].end]).is_some())
    };
    for (i, line) in lines.iter().enumerate().rev() {
        if is_heading(&text[line.start..line.end]) {
            if let Some(first) = first_label_after(i + 1) {
                return Some((first, Some(i)));
            }
        }
    }
    // No heading: the last run of bracket-labelled paragraphs that starts with note 1 (`[1]`, `[i]`)
    // and whose ids also occur earlier in the text as markers.
    let mut candidate = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(label) = label_at(&text[line.start..line.end]) {
            if label.style == LabelStyle::Bracket && (label.id == "1" || label.id == "i") {
                let marker = format!(
                    "[{}]",
                    &text[line.start..line.end][label.span.start + 1..label.span.end - 1]
                );
                if text[..line.start].contains(&marker) {
                    candidate = Some(i);
                }
            }
        }
    }
    candidate.map(|i| (i, None))
}

/// Reads a plain-text manuscript.
pub fn read(path: &Path, text: String) -> Result<Manuscript> {
    let all = lines(&text);
    let mut diagnostics = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut body_end = text.len();
    let mut style = None;

    if let Some((first, heading)) = find_notes_section(&text, &all) {
        body_end = all[heading.unwrap_or(first)].start;
        let mut current: Option<(Label, usize, usize)> = None; // label, line start, last content end
        let mut blank_since = false;
        let finish = |cur: (Label, usize, usize), notes: &mut Vec<Note>| {
            let (label, start, end) = cur;
            let text_at = start + label.text_start;
            let body = if text_at < end {
                &text[text_at..end]
            } else {
                ""
            };
            let body_len = body.trim_end().len();
            notes.push(Note {
                id: label.id,
                number: notes.len() + 1,
                label: Some(label.span.shift(start)),
                span: Span::new(start + label.span.start, end.max(start + label.span.end)),
                text: body[..body_len].to_owned(),
                map: SourceMap::verbatim(text_at.min(end), body_len),
                emphasis: Vec::new(),
            });
        };
        let section = &all[first..];
        // for each line, the next line at or after it that starts with a label
        let mut next_label: Vec<Option<(usize, Label)>> = vec![None; section.len() + 1];
        for (k, line) in section.iter().enumerate().rev() {
            next_label[k] = match label_at(&text[line.start..line.end]) {
                Some(label) => Some((k, label)),
                None => next_label[k + 1].clone(),
            };
        }
        for (k, line) in section.iter().enumerate() {
            let content = &text[line.start..line.end];
            if content.trim().is_empty() {
                blank_since = true;
                continue;
            }
            let expected = notes.len() + usize::from(current.is_some()) + 1;
            // the number that continues the sequence: the note's place, or the last label's
            // number plus one (notes numbered from 9998 on)
            let last = current
                .as_ref()
                .map(|c| &c.0.id)
                .or(notes.last().map(|n| &n.id))
                .and_then(|id| id.parse::<usize>().ok());
            // (the first note may have any number but a bare one: a section can start anywhere)
            let first_note = notes.is_empty() && current.is_none();
            let due = |l: &Label| {
                label_fits(l, style, expected)
                    || last.is_some_and(|n| label_fits(l, style, n + 1))
                    || (first_note && l.style != LabelStyle::Bare)
            };
            let label = label_at(content).filter(due);
            match label {
                Some(label) => {
                    style.get_or_insert(label.style);
                    if let Some(cur) = current.take() {
                        finish(cur, &mut notes);
                    }
                    if label.text_start == label.span.end && label.span.end < content.len() {
                        let at = line.start + label.span.start;
                        diagnostics.push(Diagnostic::new(
                            Code::GluedMarker,
                            Some(&label.id),
                            Some(Span::new(at, line.start + label.span.end)),
                            format!(
                                "note [{}] has no space between its marker and its text",
                                label.id
                            ),
                        ));
                    }
                    current = Some((label, line.start, line.end));
                }
                None => {
                    let indented = content.starts_with([' ', '\t']);
                    // a paragraph of its own is the note's next one when the next note's label
                    // follows (else the notes have ended: a page's footer, a reply form)
                    let next_note_follows = || {
                        let next = last.map_or(expected, |n| n + 1);
                        next_label[k + 1].as_ref().is_some_and(|(_, l)| {
                            (label_fits(l, style, expected) && label_is(l, expected))
                                || (label_fits(l, style, next) && label_is(l, next))
                        })
                    };
                    match current.as_mut() {
                        Some(cur) if !blank_since || indented || next_note_follows() => {
                            cur.2 = line.end
                        }
                        _ => break,
                    }
                }
            }
            blank_since = false;
        }
        if let Some(cur) = current.take() {
            finish(cur, &mut notes);
        }
    }

    let style = style.unwrap_or(LabelStyle::Bracket);
    let note_ids: HashSet<&str> = notes.iter().map(|n| n.id.as_str()).collect();
    let markers = find_markers(&text[..body_end], style, &note_ids);
    check_links(&markers, &notes, &text, Markers::Typed, &mut diagnostics);
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Text,
        text,
        markers,
        notes,
        diagnostics,
    })
}

/// Markers in the body: bracketed (`[iv]`, `[12]`, `[^3]`) and superscript digits. A text uses
/// one kind of marker: the kind (roman, arabic, caret, superscript) that most markers of notes
/// use wins, then the kind most markers use, with the notes' label style deciding between roman
/// and arabic brackets on a tie.
///
/// A bracket whose id is no note's (`note_ids`) is no marker when it reads as code indexing an
/// array ([`indexes_code`]: `a[i]`, `arr[12]`, `index [i]`), or when it is a number of more than
/// four digits (`[10000]`).
fn find_markers(body: &str, style: LabelStyle, note_ids: &HashSet<&str>) -> Vec<Marker> {
    let number_of = |id: &str| id.parse::<usize>().ok().or_else(|| roman_value(id));
    // the number of the note after the last one (a marker of it is a note left out)
    let next_note = note_ids
        .iter()
        .filter_map(|id| number_of(id))
        .max()
        .unwrap_or(0)
        + 1;
    let mut out = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(d) = superscript_digit(c) {
            let mut id = d.to_string();
            let mut end = i + c.len_utf8();
            while let Some(&(j, c2)) = chars.peek() {
                let Some(d2) = superscript_digit(c2) else {
                    break;
                };
                id.push(char::from_digit(d2, 10).unwrap_or('0'));
                end = j + c2.len_utf8();
                chars.next();
            }
            out.push((
                MarkerKind::Superscript,
                Marker {
                    id,
                    span: Span::new(i, end),
                },
            ));
        }
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    while let Some(off) = body[i..].find('[') {
        let open = i + off;
        i = open + 1;
        let Some(close) = body[open + 1..].find(']').map(|c| open + 1 + c) else {
            break;
        };
        if close - open > 42 {
            continue;
        }
        let inner = &body[open + 1..close];
        // `[text](url)` is a link, not a marker
        if bytes.get(close + 1) == Some(&b'(') {
            continue;
        }
        if let Some(id) = bracket_id(inner) {
            let long = id.len() > SHORT_NUMBER && id.bytes().all(|b| b.is_ascii_digit());
            let plausible = number_of(&id).is_some_and(|n| n <= next_note);
            if !note_ids.contains(id.as_str())
                && (long || indexes_code(body, open, close, plausible))
            {
                continue;
            }
            let kind = if inner.starts_with('^') {
                MarkerKind::Caret
            } else if id.bytes().all(|b| b.is_ascii_digit()) {
                MarkerKind::Arabic
            } else {
                MarkerKind::Roman
            };
            out.push((
                kind,
                Marker {
                    id,
                    span: Span::new(open, close + 1),
                },
            ));
            i = close + 1;
        }
    }
    out.sort_by_key(|(_, m)| m.span.start);
    let count = |k: MarkerKind| out.iter().filter(|(kind, _)| *kind == k).count();
    let of_notes = |k: MarkerKind| {
        out.iter()
            .filter(|(kind, m)| *kind == k && note_ids.contains(m.id.as_str()))
            .count()
    };
    let preferred = match style {
        LabelStyle::Superscript => MarkerKind::Superscript,
        _ => MarkerKind::Roman,
    };
    let best = [
        MarkerKind::Roman,
        MarkerKind::Arabic,
        MarkerKind::Caret,
        MarkerKind::Superscript,
    ]
    .into_iter()
    .max_by_key(|&k| (of_notes(k), count(k), k == preferred))
    .unwrap_or(MarkerKind::Roman);
    out.into_iter()
        .filter(|(kind, _)| *kind == best)
        .map(|(_, m)| m)
        .collect()
}

/// Words after which a bracket is an index (`the element at index [i]`).
const INDEX_WORDS: &[&str] = &[
    "index",
    "indices",
    "indexes",
    "element",
    "elements",
    "array",
    "arrays",
    "subscript",
    "offset",
    "position",
    "entry",
    "row",
    "column",
    "cell",
    "item",
    "slot",
];

/// True when the bracket `body[open..=close]` reads as code indexing an array rather than a note
/// marker: glued to an identifier that is not a plain word of prose (`a[i]`, `arr[12]`,
/// `row_2[i]`, `xs.len()[0]`), chained or used as code after it (`m[i][j]`, `a[i] = 0`,
/// `a[i].x`), or after a word that names an index (`at index [i]`). An essay's `word[12]` or
/// `sentence.[12]` stays a marker when its number is `plausible` (not beyond the notes' next
/// number: a note left out), a word of prose being two letters or more, all lower case but the
/// first (`arr[12]` with five notes is code, `And[6]` a missing note).
fn indexes_code(body: &str, open: usize, close: usize, plausible: bool) -> bool {
    let before = &body[..open];
    let after = &body[close + 1..];
    let chained = after.starts_with('[')
        || after.starts_with('(')
        || after.trim_start().starts_with("= ")
        || after.trim_start().starts_with("+=")
        || (after.starts_with('.') && after[1..].starts_with(|c: char| c.is_alphanumeric()));
    match before.chars().next_back() {
        Some(c) if c.is_alphanumeric() || c == '_' || c == ')' || c == ']' => {
            let word: &str = {
                let start = before
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                &before[start..]
            };
            let prose = word.chars().count() >= 2
                && word.chars().all(char::is_alphabetic)
                && word.chars().skip(1).all(char::is_lowercase);
            chained || !prose || !plausible
        }
        Some(c) if c.is_whitespace() => {
            let word = before
                .trim_end()
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            chained || INDEX_WORDS.contains(&word.as_str())
        }
        _ => false,
    }
}

/// The kinds of body marker; one manuscript uses one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    Roman,
    Arabic,
    Caret,
    Superscript,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Manuscript {
        read(Path::new("t.txt"), text.to_owned()).unwrap()
    }

    #[test]
    fn roman_notes_with_heading_and_footer() {
        let ms = read_str(
            "Body one.[i] Body two.[ii]\n\nNOTES\n\n[i] First, 4.\n\n[ii]Ibid.\n\n \n\nLeave a Reply\n\nmore\n",
        );
        assert_eq!(ms.notes.len(), 2);
        assert_eq!(ms.notes[0].text, "First, 4.");
        assert_eq!(ms.notes[1].text, "Ibid.");
        assert_eq!(ms.markers.len(), 2);
        let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::GluedMarker]);
        let span = ms.notes[0].map.span(Span::new(0, 5)).unwrap();
        assert_eq!(span.slice(&ms.text), "First");
    }

    #[test]
    fn numbered_notes_span_lines() {
        let ms = read_str(
            "Text.[1] More.[2] And[3]\n\nEndnotes:\n1. A long note\n   continued here.\n2 Wrong style is a continuation\n2. Second.\n",
        );
        assert_eq!(ms.notes.len(), 2);
        assert!(ms.notes[0].text.contains("continued here"));
        assert!(ms.notes[0].text.contains("Wrong style"));
        let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::MarkerWithoutNote]);
    }

    #[test]
    fn bare_and_superscript_labels() {
        let ms = read_str("Text¹ and more² here.\n\nNotes\n\n¹ One.\n² Two.\n");
        assert_eq!(ms.notes.len(), 2);
        assert_eq!(ms.markers.len(), 2);
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
        let ms =
            read_str("Text[1] and[2].\n\nFootnotes\n\n1 One, 1998.\n2014 is not a label\n2 Two.\n");
        assert_eq!(ms.notes.len(), 2);
        assert!(ms.notes[0].text.contains("2014 is not"));
    }

    #[test]
    fn out_of_order_repeated_and_adjacent_markers() {
        let ms = read_str(
            "A[ii] b[i] c[i] d[iii] [iv]\n\nNOTES\n[i] a\n[ii] b\n[iii] c\n[iv] d\n[v] e\n",
        );
        let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::MarkersOutOfOrder));
        assert!(codes.contains(&Code::RepeatedMarker));
        assert!(codes.contains(&Code::AdjacentMarkers));
        assert!(codes.contains(&Code::NoteWithoutMarker));
    }

    #[test]
    fn superscript_markers_with_numbered_notes() {
        let ms = read_str("Text.¹ More text.² See [sic] and [1990].\n\nNotes\n1. One.\n2. Two.\n");
        assert_eq!(ms.markers.len(), 2);
        assert_eq!(ms.markers[1].id, "2");
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    }

    #[test]
    fn crlf_and_bom_read_the_same_notes() {
        let lf = "Body.[1] More.[2]\n\nNOTES\n\n[1] Smith, Title\nwrapped, 4.\n\n[2] Ibid.\n";
        let crlf = lf.replace('\n', "\r\n");
        let a = read_str(lf);
        let b = read_str(&crlf);
        let texts = |m: &Manuscript| {
            m.notes
                .iter()
                .map(|n| n.text.replace('\r', ""))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&a), texts(&b));
        assert_eq!(a.markers.len(), b.markers.len());
    }

    #[test]
    fn no_notes_is_a_finding() {
        let ms = read_str("Just prose [sic] with brackets.\n");
        assert!(ms.notes.is_empty());
        assert_eq!(ms.diagnostics[0].code, Code::NoNotes);
    }
}
