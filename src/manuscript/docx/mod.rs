//! The Word .docx reader: footnotes and endnotes with their references.
//!
//! A .docx is a zip archive of XML parts. The reader finds its parts through the package's
//! relationships, as Word does (its `package` submodule: `_rels/.rels` names the
//! document part, usually `word/document.xml`, whose relationships name the footnotes, endnotes
//! and settings parts). It takes the document (the body, where `w:footnoteReference` /
//! `w:endnoteReference` runs are the markers), the footnotes and the endnotes (the notes; the
//! separator notes, `w:type="separator"`, `"continuationSeparator"`, `"continuationNotice"` or ids
//! ≤ 0, are skipped), and the note number formats from the settings and the section properties.
//!
//! **`Manuscript::text` for .docx** is the raw XML of those three parts, one after the other, each
//! preceded by a line `<!-- ibid part: word/document.xml -->` naming the part as the archive does
//! (see [`parts`]). Every span therefore points at the exact XML bytes (a marker at its `<w:r>`
//! run, a note at its `<w:footnote>` element, each piece of note text at the content of its
//! `<w:t>`), so that `fix` can write tracked changes (`w:del`/`w:ins`) into the part at the right
//! place, and line:col are those of the XML. No side table is needed: [`parts`] turns an offset
//! back into (part, offset).
//!
//! Note text: the `w:t` runs of the note in order (`w:delText`, deleted text, is left out;
//! inserted text is kept), `w:tab` as a space, `w:br` as a line break, `w:noBreakHyphen` as
//! U+2011 (`w:softHyphen` as nothing), paragraphs joined with `\n\n`; entities decoded (one
//! [`SourceMap`](crate::model::span::SourceMap) segment each). The `mc:Fallback` of an
//! `mc:AlternateContent` repeats its choice for older readers and is skipped (a text box's text is
//! read once). A hyperlink to an external URL reads as its text followed by the URL, as in the
//! Markdown and HTML readers (the URL is taken from the note part's relationships, so its piece
//! maps to the `<w:hyperlink>` start tag); so does a `HYPERLINK` field, simple (`w:fldSimple`) or
//! complex (`w:fldChar`, the URL mapping to its `w:instrText`). Runs with italics (`w:i`, not
//! `w:val="0"`) give [`Note::emphasis`]. The `w:footnoteRef` run is the note's label.
//!
//! Ids: a note's displayed number. Word numbers footnotes and endnotes separately, in order of
//! reference, footnotes in arabic numerals and endnotes in lower-case roman ones unless the
//! document says otherwise (`w:numFmt`, `w:numStart`). When both kinds are present and their
//! numbers would collide (same format), endnote ids get an `e` prefix (`e1`). A reference with a
//! custom mark (`w:customMarkFollows`, an author's note `*`) takes no number: its id is its mark,
//! and the mark typed at the start of its note is the note's label. Notes are ordered footnotes
//! first, then endnotes, each by order of reference; notes nobody refers to come last. Markers are
//! in order when they are in order within each kind. Two notes with one `w:id` are reported
//! (IB007) and the first is read.
//!
//! The body is read as if its tracked changes were accepted: a reference inside `w:del` or
//! `w:moveFrom` (the old place of a moved reference) does not count.
//!
//! A document **without Word notes** whose notes were typed (`[i]` in the text, a NOTES heading,
//! one paragraph per note) is read by the plain-text reader over the visible text of document.xml,
//! paragraph by paragraph (a number in a superscript run read as `¹`), every span mapped back.
//!
//! Limits: at most [`MAX_ENTRIES`] entries, no part read may expand beyond [`MAX_ENTRY`] bytes, the
//! archive's declared uncompressed total may not exceed [`MAX_TOTAL`]; a DOCTYPE is refused (no
//! entity expansion is ever done; Word never writes one).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, Result};
use crate::manuscript::html::{read_flat, Piece};
use crate::manuscript::{check_links_in, to_roman, Format, Manuscript, Marker, Markers, Note};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::span::Span;

use body::{flatten_document, scan_document};
use notes::{scan_notes, RawNote};
pub use package::{comments_place, CommentsPlace};
use package::{open, read_part};

mod body;
mod notes;
mod package;

/// The most bytes one XML part may expand to (64 MiB).
pub const MAX_ENTRY: u64 = 64 << 20;
/// The most bytes all entries of the archive may declare together (256 MiB).
pub const MAX_TOTAL: u64 = 256 << 20;
/// The most entries an archive may have.
pub const MAX_ENTRIES: usize = 10_000;

const HEADER: &str = "<!-- ibid part: ";

/// The parts held in a .docx manuscript's text: each part's name and the span of its XML.
pub fn parts(text: &str) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    let mut at = 0;
    while let Some(p) = text[at..].find(HEADER) {
        let start = at + p;
        let name_start = start + HEADER.len();
        let Some(name_len) = text[name_start..].find(" -->\n") else {
            break;
        };
        let body = name_start + name_len + 5;
        if let Some(last) = out.last_mut() {
            last.1.end = start.saturating_sub(1).max(last.1.start);
        }
        out.push((
            text[name_start..name_start + name_len].to_owned(),
            Span::new(body, text.len()),
        ));
        at = body;
    }
    if let Some(last) = out.last_mut() {
        last.1.end = text.len().saturating_sub(1).max(last.1.start);
    }
    out
}

/// Where byte `at` of a .docx manuscript's text is, for a person: the part and the paragraph
/// (`word/document.xml, paragraph 12`); line:column of the XML mean little to a Word user.
pub fn locate(text: &str, at: usize) -> Option<String> {
    let (name, span) = parts(text)
        .into_iter()
        .find(|(_, span)| span.start <= at && at <= span.end)?;
    let before = text.get(span.start..at)?;
    let paragraphs = before.matches("<w:p>").count() + before.matches("<w:p ").count();
    Some(format!("{name}, paragraph {}", paragraphs.max(1)))
}

fn locate_all(text: &str, diagnostics: &mut [crate::model::diagnostic::Diagnostic]) {
    for d in diagnostics {
        if let Some(place) = d.span.and_then(|s| locate(text, s.start)) {
            d.message = format!("{} ({place})", d.message);
        }
    }
}

/// Reads a Word .docx manuscript.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Manuscript> {
    let mut zip = open(path, bytes)?;
    let parts = package::find_parts(path, &mut zip)?;
    let document = read_part(path, &mut zip, &parts.document)?.unwrap_or_default();
    let mut optional = |name: &Option<String>| -> Result<Option<(String, String)>> {
        Ok(match name {
            Some(name) => read_part(path, &mut zip, name)?.map(|xml| (name.clone(), xml)),
            None => None,
        })
    };
    let footnotes = optional(&parts.footnotes)?;
    let endnotes = optional(&parts.endnotes)?;
    let settings = optional(&parts.settings)?;
    let mut note_links = |part: &Option<(String, String)>| match part {
        Some((name, _)) => package::links(path, &mut zip, name),
        None => Ok(HashMap::new()),
    };
    let foot_links = note_links(&footnotes)?;
    let end_links = note_links(&endnotes)?;

    let mut text = String::new();
    let base = |name: &str, xml: &str, text: &mut String| {
        text.push_str(HEADER);
        text.push_str(name);
        text.push_str(" -->\n");
        let at = text.len();
        text.push_str(xml);
        text.push('\n');
        at
    };
    let doc_name = parts.document.as_str();
    let doc_at = base(doc_name, &document, &mut text);
    let foot_at = footnotes
        .as_ref()
        .map(|(name, xml)| base(name, xml, &mut text));
    let end_at = endnotes
        .as_ref()
        .map(|(name, xml)| base(name, xml, &mut text));

    let mut formats = Formats::default();
    if let Some((name, xml)) = &settings {
        scan_formats(path, name, xml, &mut formats)?;
    }
    let refs = scan_document(path, doc_name, &document, doc_at, &mut formats)?;
    let marks = |kind: Kind| -> HashMap<String, String> {
        refs.iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| Some((r.wid.clone(), r.mark.clone()?)))
            .collect()
    };
    let foot = match (&footnotes, foot_at) {
        (Some((name, x)), Some(at)) => scan_notes(
            path,
            name,
            x,
            at,
            Kind::Foot,
            &foot_links,
            &marks(Kind::Foot),
        )?,
        _ => Vec::new(),
    };
    let end = match (&endnotes, end_at) {
        (Some((name, x)), Some(at)) => {
            scan_notes(path, name, x, at, Kind::End, &end_links, &marks(Kind::End))?
        }
        _ => Vec::new(),
    };

    let both = !foot.is_empty() && !end.is_empty();
    let prefix_end = both && formats.foot.0 == formats.end.0;
    let mut markers = Vec::new();
    let mut notes = Vec::new();
    let mut diagnostics = Vec::new();
    // footnotes and endnotes are numbered apart: the ids of the endnotes
    let mut endnote_ids: HashSet<String> = HashSet::new();
    for (kind, raw, (fmt, start), part) in [
        (Kind::Foot, foot, formats.foot, &footnotes),
        (Kind::End, end, formats.end, &endnotes),
    ] {
        let part = part.as_ref().map_or("", |(name, _)| name.as_str());
        let prefix = if kind == Kind::End && prefix_end {
            "e"
        } else {
            ""
        };
        let display = |n: usize| format!("{prefix}{}", number(n + start.saturating_sub(1), fmt));
        // displayed numbers: by order of first reference; a custom mark takes no number
        let mut shown: Vec<(String, String)> = Vec::new(); // (w:id, displayed id)
        let mut position: HashMap<String, usize> = HashMap::new();
        let mut numbered = 0;
        for r in refs.iter().filter(|r| r.kind == kind) {
            let id = match position.get(&r.wid) {
                Some(&p) => shown[p].1.clone(),
                None => {
                    let id = match r.mark.as_deref().filter(|m| !m.is_empty()) {
                        Some(mark) => mark.to_owned(),
                        None => {
                            numbered += 1;
                            display(numbered)
                        }
                    };
                    position.insert(r.wid.clone(), shown.len());
                    shown.push((r.wid.clone(), id.clone()));
                    id
                }
            };
            markers.push(Marker { id, span: r.span });
        }
        let mut ordered: Vec<(usize, RawNote)> = raw
            .into_iter()
            .map(|n| {
                let pos = position.get(&n.wid).copied().unwrap_or(usize::MAX);
                (pos, n)
            })
            .collect();
        // stable: of two notes with one w:id, the first in the part comes first
        ordered.sort_by_key(|(pos, _)| *pos);
        let mut next = numbered;
        let mut read: HashMap<String, String> = HashMap::new(); // w:id -> id
        for (pos, n) in ordered {
            if let Some(id) = read.get(&n.wid) {
                // Word keeps one note per w:id; so does ibid, the first
                diagnostics.push(Diagnostic::new(
                    Code::DuplicateNote,
                    Some(id),
                    n.label.or(Some(n.span)),
                    format!(
                        "{part} has two notes with w:id=\"{}\" (note [{id}]): only the first \
                         is read",
                        n.wid
                    ),
                ));
                continue;
            }
            let id = if pos == usize::MAX {
                next += 1;
                display(next)
            } else {
                shown[pos].1.clone()
            };
            read.insert(n.wid, id.clone());
            if kind == Kind::End {
                endnote_ids.insert(id.clone());
            }
            notes.push(Note {
                id,
                number: notes.len() + 1,
                label: n.label,
                span: n.span,
                text: n.text,
                map: n.map,
                emphasis: n.emphasis,
            });
        }
    }
    markers.sort_by_key(|m| m.span.start);
    if markers.is_empty() && notes.is_empty() {
        // no Word notes: perhaps an essay typed with `[i]` markers and a NOTES heading
        let flat = flatten_document(path, doc_name, &document, doc_at)?;
        if let Some(mut ms) = read_flat(path, flat, Format::Docx)? {
            locate_all(&text, &mut ms.diagnostics);
            return Ok(Manuscript { text, ..ms });
        }
    }
    check_links_in(
        &markers,
        &notes,
        &text,
        Markers::Linked,
        |id| usize::from(endnote_ids.contains(id)),
        &mut diagnostics,
    );
    locate_all(&text, &mut diagnostics);
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Docx,
        text,
        markers,
        notes,
        diagnostics,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Foot,
    End,
}

/// Number formats (`w:numFmt`) and first numbers (`w:numStart`) of footnotes and endnotes.
#[derive(Debug, Clone, Copy)]
struct Formats {
    foot: (NumFmt, usize),
    end: (NumFmt, usize),
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            foot: (NumFmt::Decimal, 1),
            end: (NumFmt::LowerRoman, 1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumFmt {
    Decimal,
    LowerRoman,
    UpperRoman,
    LowerLetter,
    UpperLetter,
    Symbols,
}

/// A note's displayed number in `fmt` (ids are lower case, like the other readers').
fn number(n: usize, fmt: NumFmt) -> String {
    match fmt {
        NumFmt::Decimal => n.to_string(),
        NumFmt::LowerRoman | NumFmt::UpperRoman if n > 0 && n < 4000 => to_roman(n),
        NumFmt::LowerLetter | NumFmt::UpperLetter if n > 0 => {
            // Word repeats the letter: a..z, aa..zz, aaa...
            let letter = char::from(b'a' + ((n - 1) % 26) as u8);
            std::iter::repeat_n(letter, (n - 1) / 26 + 1).collect()
        }
        NumFmt::Symbols if n > 0 => {
            let symbols = ['*', '†', '‡', '§'];
            std::iter::repeat_n(symbols[(n - 1) % 4], (n - 1) / 4 + 1).collect()
        }
        _ => n.to_string(),
    }
}

fn parse_fmt(val: &str) -> NumFmt {
    match val {
        "lowerRoman" => NumFmt::LowerRoman,
        "upperRoman" => NumFmt::UpperRoman,
        "lowerLetter" => NumFmt::LowerLetter,
        "upperLetter" => NumFmt::UpperLetter,
        "chicago" => NumFmt::Symbols,
        _ => NumFmt::Decimal,
    }
}

/// The value of attribute `local` (any prefix) of an element.
pub(crate) fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let name = key.rsplit(|&b| b == b':').next().unwrap_or(key);
        // values are XML-escaped (`&amp;` in a URL): unescape the predefined entities
        (name == local).then(|| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
    })
}

pub(crate) fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

fn xml_error(path: &Path, part: &str, at: u64, what: impl std::fmt::Display) -> Error {
    Error::input(path, format!("{part}: byte {at}: {what}"))
}

/// Reads events of a part; refuses DOCTYPE declarations. `f` gets each event with its byte span
/// (relative to the part).
pub(crate) fn each_event(
    path: &Path,
    part: &str,
    xml: &str,
    mut f: impl FnMut(&Event<'_>, Span) -> Result<()>,
) -> Result<()> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(path, part, reader.error_position(), e))?;
        let after = reader.buffer_position();
        let span = Span::new(before as usize, after as usize);
        match event {
            Event::Eof => return Ok(()),
            Event::DocType(_) => {
                return Err(xml_error(
                    path,
                    part,
                    before,
                    "a DOCTYPE declaration: .docx parts never have one, and ibid does not \
                     expand entities",
                ))
            }
            ref e => f(e, span)?,
        }
    }
}

/// Footnote and endnote number formats from settings.xml or a section's properties.
fn scan_formats(path: &Path, part: &str, xml: &str, formats: &mut Formats) -> Result<()> {
    let mut within: Option<Kind> = None;
    each_event(path, part, xml, |event, _| {
        match event {
            Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                b"footnotePr" if matches!(event, Event::Start(_)) => within = Some(Kind::Foot),
                b"endnotePr" if matches!(event, Event::Start(_)) => within = Some(Kind::End),
                b"numFmt" | b"numStart" => {
                    let target = match within {
                        Some(Kind::Foot) => &mut formats.foot,
                        Some(Kind::End) => &mut formats.end,
                        None => return Ok(()),
                    };
                    let val = attr(e, b"val").unwrap_or_default();
                    if local(e.name().as_ref()) == b"numFmt" {
                        target.0 = parse_fmt(&val);
                    } else if let Ok(n) = val.parse::<usize>() {
                        target.1 = n.max(1);
                    }
                }
                _ => {}
            },
            Event::End(e) if matches!(local(e.name().as_ref()), b"footnotePr" | b"endnotePr") => {
                within = None;
            }
            _ => {}
        }
        Ok(())
    })
}

/// Decodes the XML text `raw` (at source offset `at`): verbatim runs and one piece per entity.
pub(crate) fn xml_pieces(raw: &str, at: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut plain = 0;
    let mut i = 0;
    while let Some(p) = raw[i..].find('&') {
        let amp = i + p;
        let Some(semi) = raw[amp..].find(';').filter(|&s| s <= 12).map(|s| amp + s) else {
            i = amp + 1;
            continue;
        };
        let name = &raw[amp + 1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name.strip_prefix('#').and_then(|n| {
                let v = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                v.and_then(char::from_u32)
            }),
        };
        i = semi + 1;
        if let Some(c) = decoded {
            if plain < amp {
                out.push(Piece {
                    text: raw[plain..amp].to_owned(),
                    source: Span::new(at + plain, at + amp),
                    verbatim: true,
                });
            }
            out.push(Piece {
                text: c.to_string(),
                source: Span::new(at + amp, at + semi + 1),
                verbatim: false,
            });
            plain = semi + 1;
        }
    }
    if plain < raw.len() {
        out.push(Piece {
            text: raw[plain..].to_owned(),
            source: Span::new(at + plain, at + raw.len()),
            verbatim: true,
        });
    }
    out
}

#[cfg(test)]
mod tests;
