//! Convert a notes manuscript into an in-text (APA) one: each note's citations become a
//! parenthetical at the marker's place, a note that also holds commentary stays a footnote (its
//! citations in parentheses), a note that held only citations disappears, and a reference list
//! replaces the notes. The body outside the markers is kept byte for byte.

use std::collections::HashMap;

use crate::error::Error;
use crate::manuscript::{roman_value, to_roman, Manuscript};
use crate::model::span::Span;
use crate::render::{self, RenderInput, Rendered, Style};

/// The converted manuscript.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The new text.
    pub text: String,
    /// Where the new text has bytes the body did not have (parentheticals, renumbered markers),
    /// in the new text, in order.
    pub insertions: Vec<Span>,
    /// The body's end in the source: the notes section (heading included) starts here.
    pub body_end: usize,
    /// The body's end in the new text: the notes kept and the reference list start here.
    pub new_body_end: usize,
    /// Markers replaced by a parenthetical.
    pub replaced: usize,
    /// Markers kept (renumbered) because their note holds commentary or an unresolved citation.
    pub kept: usize,
    /// What the renderer changed or skipped.
    pub warnings: Vec<String>,
}

/// Where the notes section starts: at its heading line when the line before the first note (after
/// blank lines) is a notes heading, at the first note otherwise.
pub fn notes_start(ms: &Manuscript) -> usize {
    let Some(first) = ms.notes.iter().map(|n| n.span.start).min() else {
        return ms.text.len();
    };
    let before = &ms.text[..first];
    let trimmed = before.trim_end();
    let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    if crate::manuscript::text::is_heading(&trimmed[line_start..]) {
        line_start
    } else {
        first
    }
}

/// Rewrites `ms` (whose notes `input` describes, note ids matching) into `style`, which should be
/// an in-text style.
pub fn to_in_text(ms: &Manuscript, input: &RenderInput, style: &Style) -> Result<Converted, Error> {
    let rendered = render::render(input, style)?;
    let by_id: HashMap<&str, usize> = input
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let body_end = notes_start(ms);
    let notes_end = ms
        .notes
        .iter()
        .map(|n| n.span.end)
        .max()
        .unwrap_or(body_end)
        .max(body_end);

    let mut markers: Vec<_> = ms
        .markers
        .iter()
        .filter(|m| m.span.end <= body_end)
        .collect();
    markers.sort_by_key(|m| m.span.start);

    let mut out = String::with_capacity(ms.text.len());
    let mut insertions = Vec::new();
    let mut at = 0;
    let mut replaced = 0;
    // Footnotes kept: (old id, new number).
    let mut kept: Vec<(String, usize)> = Vec::new();
    let mut renumber: HashMap<String, usize> = HashMap::new();
    let roman = ms
        .notes
        .first()
        .is_some_and(|n| roman_value(&n.id).is_some() && n.id.parse::<usize>().is_err());

    let citations_only = |id: &str| -> Option<String> {
        let i = *by_id.get(id)?;
        let n = &input.notes[i];
        let only = !n.commentary
            && !n.citations.is_empty()
            && n.citations.iter().all(|c| c.work.is_some());
        only.then(|| parenthetical(n, &rendered, i)).flatten()
    };
    let mut k = 0;
    while k < markers.len() {
        let marker = markers[k];
        k += 1;
        if marker.span.start < at {
            continue;
        }
        if let Some(first) = citations_only(&marker.id) {
            // Side-by-side markers of citation-only notes make one parenthetical.
            // The white space between them stays, after the parenthetical.
            let mut inner = vec![first];
            let mut end = marker.span.end;
            let mut gaps = String::new();
            while let Some(next) = markers.get(k) {
                let gap = ms.text.get(end..next.span.start).unwrap_or("x");
                let Some(p) = (next.span.start >= end && gap.chars().all(|c| c == ' '))
                    .then(|| citations_only(&next.id))
                    .flatten()
                else {
                    break;
                };
                inner.push(p);
                gaps.push_str(gap);
                end = next.span.end;
                k += 1;
            }
            replaced += inner.len();
            let p = if inner.len() == 1 {
                inner.remove(0)
            } else {
                let parts: Vec<&str> = inner
                    .iter()
                    .map(|p| p.trim_start_matches('(').trim_end_matches(')'))
                    .collect();
                format!("({})", parts.join("; "))
            };
            // Before the punctuation that ends the clause the marker follows.
            let head = &ms.text[at..marker.span.start];
            let cut = clause_end(head);
            out.push_str(&head[..cut]);
            let glue = if head[..cut].ends_with(char::is_whitespace)
                || cut == 0 && out.ends_with(char::is_whitespace)
            {
                ""
            } else {
                " "
            };
            let s = out.len();
            out.push_str(glue);
            out.push_str(&p);
            insertions.push(Span::new(s, out.len()));
            out.push_str(&head[cut..]);
            out.push_str(&gaps);
            at = end;
            continue;
        }
        out.push_str(&ms.text[at..marker.span.start]);
        let next = kept.len() + 1;
        let number = *renumber.entry(marker.id.clone()).or_insert_with(|| {
            kept.push((marker.id.clone(), next));
            next
        });
        let label = relabel(marker.span.slice(&ms.text), &marker.id, number, roman);
        let s = out.len();
        out.push_str(&label);
        insertions.push(Span::new(s, out.len()));
        at = marker.span.end;
    }
    out.push_str(&ms.text[at..body_end]);
    let new_body_end = out.len();

    let markdown = ms.format == crate::manuscript::Format::Markdown;
    let write = |r: &render::Rich| {
        if markdown {
            r.to_markdown()
        } else {
            r.to_text()
        }
    };
    let line = if ms.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    if !kept.is_empty() {
        out.push_str("Notes");
        out.push_str(line);
        out.push_str(line);
        for (old, number) in &kept {
            let Some(src) = ms.note(old) else { continue };
            let label = src
                .label
                .map(|l| relabel(l.slice(&ms.text), old, *number, roman))
                .unwrap_or_else(|| format!("{number}."));
            let text = by_id
                .get(old.as_str())
                .and_then(|&i| rendered.notes.get(i))
                .map(|n| write(&n.text))
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| src.text.clone());
            out.push_str(&label);
            out.push(' ');
            out.push_str(text.trim());
            out.push_str(line);
            out.push_str(line);
        }
    }
    out.push_str("References");
    out.push_str(line);
    out.push_str(line);
    for entry in &rendered.bibliography {
        out.push_str(&write(&entry.text));
        out.push_str(line);
        out.push_str(line);
    }
    let rest = &ms.text[notes_end..];
    out.push_str(rest.trim_start_matches(['\r', '\n']));

    Ok(Converted {
        text: out,
        insertions,
        body_end,
        new_body_end,
        replaced,
        kept: kept.len(),
        warnings: rendered.warnings,
    })
}

/// Re-emits every note that cites a known work in the rendered style (Chicago -> Chicago, or a
/// note style): the note's text in the source is replaced by the rendered note; the body, the
/// labels and the notes without a rendered citation are kept as they are.
pub fn rewrite_notes(ms: &Manuscript, rendered: &Rendered) -> String {
    let mut edits: Vec<(Span, String)> = Vec::new();
    for (note, out) in ms.notes.iter().zip(&rendered.notes) {
        if out.citation.is_none() || note.id != out.id {
            continue;
        }
        let Some(span) = note.map.span(Span::new(0, note.text.len())) else {
            continue;
        };
        edits.push((span, out.text.to_text()));
    }
    edits.sort_by_key(|(s, _)| s.start);
    let mut text = String::with_capacity(ms.text.len());
    let mut at = 0;
    for (span, new) in edits {
        if span.start < at || span.end > ms.text.len() {
            continue;
        }
        text.push_str(&ms.text[at..span.start]);
        text.push_str(&new);
        at = span.end;
    }
    text.push_str(&ms.text[at..]);
    text
}

/// The parenthetical for a note: the rendered cluster, or (when a citation carries a signal) each
/// citation with its signal, joined.
fn parenthetical(seq: &render::NoteSeq, rendered: &Rendered, i: usize) -> Option<String> {
    let note = rendered.notes.get(i)?;
    if seq.citations.iter().any(|c| c.signal.is_some()) {
        let parts: Vec<String> = seq
            .citations
            .iter()
            .zip(&note.citations)
            .filter_map(|(c, r)| {
                let r = r.as_ref()?.to_text();
                Some(match &c.signal {
                    Some(s) => format!("{} {r}", s.to_lowercase()),
                    None => r,
                })
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        return Some(format!("({})", parts.join("; ")));
    }
    note.citation.as_ref().map(|c| c.to_text())
}

/// Where in `head` the clause ends: before trailing punctuation (and closing quotes) that the
/// marker follows; `head.len()` when there is none.
fn clause_end(head: &str) -> usize {
    head.trim_end_matches(|c| ".,;:?!".contains(c)).len()
}

/// A marker or label with its note id replaced by the new number (`[xxxix]` -> `[i]`).
fn relabel(written: &str, old_id: &str, number: usize, roman: bool) -> String {
    let new_id = if roman {
        to_roman(number)
    } else {
        number.to_string()
    };
    let lower = written.to_lowercase();
    match lower.rfind(&old_id.to_lowercase()) {
        Some(pos) => format!(
            "{}{}{}",
            &written[..pos],
            new_id,
            &written[pos + old_id.len()..]
        ),
        None => format!("[{new_id}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notes_section_starts_at_any_heading_the_reader_knows() {
        let text =
            "Body.[1]\n\nNotes and References\n\n[1] Smith, *Book* (Boston: Norton, 2001), 3.\n";
        let ms = crate::manuscript::read_bytes(
            std::path::Path::new("t.txt"),
            text.as_bytes(),
            crate::manuscript::Format::Text,
        )
        .unwrap();
        assert_eq!(notes_start(&ms), text.find("Notes and References").unwrap());
    }

    #[test]
    fn clause_end_before_punctuation() {
        assert_eq!(clause_end("in ASEAN."), 8);
        assert_eq!(clause_end("in ASEAN"), 8);
        assert_eq!(clause_end("“a quote.”"), "“a quote.”".len());
    }

    #[test]
    fn relabel_keeps_the_marker_form() {
        assert_eq!(relabel("[xxxix]", "xxxix", 1, true), "[i]");
        assert_eq!(relabel("[12]", "12", 3, false), "[3]");
    }
}
