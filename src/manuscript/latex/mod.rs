//! The LaTeX reader: `\footnote{...}`, `\footnote[3]{...}`, `\endnote{...}`, and
//! `\footnotemark` / `\footnotetext{...}` pairs.
//!
//! `Manuscript::text` is the .tex file itself, so every span (and every finding's line:col) is
//! a place in the source. Only the document is read: the notes between `\begin{document}` and
//! `\end{document}` (the whole file when it has no `\begin{document}`, as a chapter that a main
//! file `\input`s); comments (`%`, not `\%`), `\verb` and verbatim-like environments
//! (`verbatim`, `lstlisting`, `minted`, `comment` ...) are skipped.
//!
//! Numbering follows LaTeX's counters: each `\footnote` and `\footnotemark` steps the footnote
//! counter and takes its value; `\footnote[n]` and `\footnotemark[n]` take `n` and step nothing;
//! `\footnotetext{...}` is the note of the counter's current value (of `n` with `[n]`);
//! `\setcounter{footnote}{n}` and `\addtocounter{footnote}{n}` are followed. Endnotes
//! (`\endnote`, the `endnotes` and `enotez` packages) have their own counter; when a document
//! has both, endnote ids get an `e` prefix (`e1`), as Word's do. A `\footnote` is both the
//! marker (the command and its optional argument) and the note (the command to its closing
//! brace); a `\footnotemark` is a marker only, a `\footnotetext` a note only.
//!
//! Note text: what LaTeX typesets (the `text` submodule): `~` a non-breaking space, `--` and `---` en and em
//! dashes, ``` `` ''``` and `` ` ' `` curly quotes, `\&` `\%` `\$` `\_` `\#` the characters,
//! accents (`\'e`, `{\"u}`, `\c{c}`) the accented letters, `\ldots` an ellipsis, `\url{...}` its
//! URL, `\href{url}{text}` its text then its URL (unless the text shows it), `\textsc{...}` and
//! other text commands their text; `\emph`, `\textit`, `{\itshape ...}`, `{\em ...}` set
//! [`Note::emphasis`](crate::manuscript::Note::emphasis) (`\emph` inside italics is upright, as in
//! LaTeX); `\label`, `\index` and the like print nothing. Each character maps back to its
//! bytes: verbatim text byte for byte, each escape as one segment, so a fix rewrites only what it
//! changes (see [`write`](mod@write) for how fixes are written as LaTeX).

use std::path::Path;

use crate::error::Result;
use crate::manuscript::{check_links_in, Format, Manuscript, Marker, Markers, Note};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::span::Span;

pub(crate) mod scan;
pub(crate) mod text;
pub mod write;

use scan::{argument, commands, options, Command};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Foot,
    End,
}

/// A note or marker found, before ids are final.
struct Found {
    kind: Kind,
    number: String,
    marker: Option<Span>,
    /// (the whole note, its content)
    note: Option<(Span, Span)>,
}

/// Reads a LaTeX manuscript.
pub fn read(path: &Path, text: String) -> Result<Manuscript> {
    let cmds = commands(&text);
    let begin = cmds.iter().position(|c| c.name == "begin{document}");
    let body: &[Command] = match begin {
        Some(b) => {
            let end = cmds[b..]
                .iter()
                .position(|c| c.name == "end{document}")
                .map_or(cmds.len(), |e| b + e);
            &cmds[b + 1..end]
        }
        None => &cmds,
    };
    let found = scan_notes(&text, body);
    let both =
        found.iter().any(|f| f.kind == Kind::Foot) && found.iter().any(|f| f.kind == Kind::End);
    let id = |f: &Found| match (f.kind, both) {
        (Kind::End, true) => format!("e{}", f.number),
        _ => f.number.clone(),
    };
    let mut markers = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut diagnostics = Vec::new();
    for f in &found {
        if let Some(span) = f.marker {
            markers.push(Marker { id: id(f), span });
        }
        if let Some((whole, content)) = f.note {
            let (note_text, map, emphasis) = text::decode(&text, content.start, content.end);
            notes.push(Note {
                id: id(f),
                number: notes.len() + 1,
                label: None,
                span: whole,
                text: note_text,
                map,
                emphasis,
            });
        }
    }
    let endnotes: std::collections::HashSet<String> = found
        .iter()
        .filter(|f| f.kind == Kind::End)
        .map(&id)
        .collect();
    check_links_in(
        &markers,
        &notes,
        &text,
        Markers::Linked,
        |id| usize::from(endnotes.contains(id)),
        &mut diagnostics,
    );
    // `\footnote{a}\footnote{b}` prints two marks side by side: the note between the two
    // commands is not body text
    for pair in found.windows(2) {
        let (Some((note, _)), Some(next)) = (pair[0].note, pair[1].marker) else {
            continue;
        };
        if pair[0].marker.is_some()
            && note.end <= next.start
            && text[note.end..next.start].trim().is_empty()
        {
            let (a, b) = (id(&pair[0]), id(&pair[1]));
            diagnostics.push(Diagnostic::new(
                Code::AdjacentMarkers,
                Some(&a),
                Some(Span::new(note.start, next.end)),
                format!("markers [{a}] and [{b}] stand side by side"),
            ));
        }
    }
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Latex,
        text,
        markers,
        notes,
        diagnostics,
    })
}

/// The notes and markers of the document's commands, numbered as LaTeX numbers them.
fn scan_notes(text: &str, body: &[Command]) -> Vec<Found> {
    let b = text.as_bytes();
    let len = b.len();
    let mut out = Vec::new();
    let (mut foot, mut end) = (0i64, 0i64);
    // a note's own content is not scanned again for notes
    let mut skip_to = 0;
    for cmd in body {
        if cmd.start < skip_to {
            continue;
        }
        let (kind, counter) = match cmd.name.as_str() {
            "footnote" | "footnotemark" | "footnotetext" => (Kind::Foot, &mut foot),
            "endnote" | "endnotemark" | "endnotetext" => (Kind::End, &mut end),
            "setcounter" | "addtocounter" => {
                let Some((s, e, after)) = argument(b, cmd.end, len) else {
                    continue;
                };
                let Some((vs, ve, _)) = argument(b, after, len) else {
                    continue;
                };
                let Ok(value) = text[vs..ve].trim().parse::<i64>() else {
                    continue;
                };
                let counter = match text[s..e].trim() {
                    "footnote" => &mut foot,
                    "endnote" => &mut end,
                    _ => continue,
                };
                if cmd.name == "setcounter" {
                    *counter = value;
                } else {
                    *counter += value;
                }
                continue;
            }
            _ => continue,
        };
        let (after_opt, opt) = options(b, cmd.end, len);
        let given = opt.map(|(s, e)| text[s..e].trim().to_owned());
        let is_mark = cmd.name.ends_with("mark");
        let is_text = cmd.name.ends_with("text");
        let number = match (&given, is_text) {
            (Some(n), _) => n.clone(),
            (None, true) => counter.to_string(),
            (None, false) => {
                *counter += 1;
                counter.to_string()
            }
        };
        let marker = (!is_text).then(|| Span::new(cmd.start, after_opt));
        let note = if is_mark {
            None
        } else {
            match argument(b, after_opt, len) {
                Some((s, e, after)) if after > e => {
                    skip_to = after;
                    Some((Span::new(cmd.start, after), Span::new(s, e)))
                }
                // `\footnote` without a braced argument is not a note ibid can read
                _ => continue,
            }
        };
        out.push(Found {
            kind,
            number,
            marker,
            note,
        });
    }
    out
}

#[cfg(test)]
mod tests;
