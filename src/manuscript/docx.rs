//! The Word .docx reader: footnotes and endnotes with their references.
//!
//! A .docx is a zip archive of XML parts. The reader takes `word/document.xml` (the body, where
//! `w:footnoteReference` / `w:endnoteReference` runs are the markers), `word/footnotes.xml` and
//! `word/endnotes.xml` (the notes; the separator notes, `w:type="separator"`,
//! `"continuationSeparator"`, `"continuationNotice"` or ids ≤ 0, are skipped), and the note number
//! formats from `word/settings.xml` and the section properties.
//!
//! **`Manuscript::text` for .docx** is the raw XML of those three parts, one after the other, each
//! preceded by a line `<!-- ibid part: word/document.xml -->` (see [`parts`]). Every span
//! therefore points at the exact XML bytes (a marker at its `<w:r>` run, a note at its
//! `<w:footnote>` element, each piece of note text at the content of its `<w:t>`), so that `fix` can
//! write tracked changes (`w:del`/`w:ins`) into the part at the right place, and line:col are those
//! of the XML. No side table is needed: [`parts`] turns an offset back into (part, offset).
//!
//! Note text: the `w:t` runs of the note in order (`w:delText`, deleted text, is left out;
//! inserted text is kept), `w:tab` as a space, `w:br` as a line break, paragraphs joined with
//! `\n\n`; entities decoded (one [`SourceMap`] segment each). A hyperlink to an external URL
//! reads as its text followed by the URL, as in the Markdown and HTML readers (the URL is taken
//! from `word/_rels/footnotes.xml.rels`, so its piece maps to the `<w:hyperlink>` start tag). Runs with italics (`w:i`, not
//! `w:val="0"`) give [`Note::emphasis`]. The `w:footnoteRef` run is the note's label.
//!
//! Ids: a note's displayed number. Word numbers footnotes and endnotes separately, in order of
//! reference, footnotes in arabic numerals and endnotes in lower-case roman ones unless the
//! document says otherwise (`w:numFmt`, `w:numStart`). When both kinds are present and their
//! numbers would collide (same format), endnote ids get an `e` prefix (`e1`). Notes are ordered
//! footnotes first, then endnotes, each by order of reference; notes nobody refers to come last.
//!
//! A document **without Word notes** whose notes were typed (`[i]` in the text, a NOTES heading,
//! one paragraph per note) is read by the plain-text reader over the visible text of document.xml,
//! paragraph by paragraph (a number in a superscript run read as `¹`), every span mapped back.
//!
//! Limits: at most [`MAX_ENTRIES`] entries, no part read may expand beyond [`MAX_ENTRY`] bytes, the
//! archive's declared uncompressed total may not exceed [`MAX_TOTAL`]; a DOCTYPE is refused (no
//! entity expansion is ever done; Word never writes one).

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, Result};
use crate::manuscript::html::{read_flat, Builder, Piece};
use crate::manuscript::{
    check_links, decode, shows_url, to_roman, Format, Manuscript, Marker, Markers, Note,
};
use crate::model::span::{SourceMap, Span};

/// The most bytes one XML part may expand to (64 MiB).
pub const MAX_ENTRY: u64 = 64 << 20;
/// The most bytes all entries of the archive may declare together (256 MiB).
pub const MAX_TOTAL: u64 = 256 << 20;
/// The most entries an archive may have.
pub const MAX_ENTRIES: usize = 10_000;

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";
const ENDNOTES: &str = "word/endnotes.xml";
const SETTINGS: &str = "word/settings.xml";
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
    let document = read_part(path, &mut zip, DOCUMENT)?.ok_or_else(|| {
        Error::input(
            path,
            format!("not a Word document: the archive has no {DOCUMENT}"),
        )
    })?;
    let footnotes = read_part(path, &mut zip, FOOTNOTES)?;
    let endnotes = read_part(path, &mut zip, ENDNOTES)?;
    let settings = read_part(path, &mut zip, SETTINGS)?;
    let foot_links = match read_part(path, &mut zip, "word/_rels/footnotes.xml.rels")? {
        Some(x) => links(path, "word/_rels/footnotes.xml.rels", &x)?,
        None => HashMap::new(),
    };
    let end_links = match read_part(path, &mut zip, "word/_rels/endnotes.xml.rels")? {
        Some(x) => links(path, "word/_rels/endnotes.xml.rels", &x)?,
        None => HashMap::new(),
    };

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
    let doc_at = base(DOCUMENT, &document, &mut text);
    let foot_at = footnotes.as_deref().map(|x| base(FOOTNOTES, x, &mut text));
    let end_at = endnotes.as_deref().map(|x| base(ENDNOTES, x, &mut text));

    let mut formats = Formats::default();
    if let Some(s) = &settings {
        scan_formats(path, SETTINGS, s, &mut formats)?;
    }
    let refs = scan_document(path, &document, doc_at, &mut formats)?;
    let foot = match (&footnotes, foot_at) {
        (Some(x), Some(at)) => scan_notes(path, FOOTNOTES, x, at, Kind::Foot, &foot_links)?,
        _ => Vec::new(),
    };
    let end = match (&endnotes, end_at) {
        (Some(x), Some(at)) => scan_notes(path, ENDNOTES, x, at, Kind::End, &end_links)?,
        _ => Vec::new(),
    };

    let both = !foot.is_empty() && !end.is_empty();
    let prefix_end = both && formats.foot.0 == formats.end.0;
    let mut markers = Vec::new();
    let mut notes = Vec::new();
    for (kind, raw, (fmt, start)) in [
        (Kind::Foot, foot, formats.foot),
        (Kind::End, end, formats.end),
    ] {
        let prefix = if kind == Kind::End && prefix_end {
            "e"
        } else {
            ""
        };
        let display = |n: usize| format!("{prefix}{}", number(n + start.saturating_sub(1), fmt));
        // displayed numbers: by order of first reference
        let mut shown: Vec<(String, String)> = Vec::new(); // (w:id, displayed id)
        let mut position: std::collections::HashMap<String, usize> = Default::default();
        for r in refs.iter().filter(|r| r.kind == kind) {
            let id = match position.get(&r.wid) {
                Some(&p) => shown[p].1.clone(),
                None => {
                    let id = display(shown.len() + 1);
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
        ordered.sort_by_key(|(pos, _)| *pos);
        let mut next = shown.len();
        for (pos, n) in ordered {
            let id = if pos == usize::MAX {
                next += 1;
                display(next)
            } else {
                shown[pos].1.clone()
            };
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
        let flat = flatten_document(path, &document, doc_at)?;
        if let Some(mut ms) = read_flat(path, flat, Format::Docx)? {
            locate_all(&text, &mut ms.diagnostics);
            return Ok(Manuscript { text, ..ms });
        }
    }
    let mut diagnostics = Vec::new();
    check_links(&markers, &notes, &text, Markers::Linked, &mut diagnostics);
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

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Opens the archive and checks its entry count and declared sizes.
fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<Archive<'a>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::input(
            path,
            format!("not a .docx file (a .docx is a zip archive): {e}"),
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(Error::input(
            path,
            format!(
                "the archive has {} entries, more than the {MAX_ENTRIES} ibid accepts",
                zip.len()
            ),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| Error::input(path, format!("broken zip entry {i}: {e}")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_TOTAL {
        return Err(Error::input(
            path,
            format!(
                "the archive expands to {total} bytes, more than the {MAX_TOTAL} ibid accepts (a zip bomb?)"
            ),
        ));
    }
    Ok(zip)
}

/// The text of one part, or `None` when the archive has no such entry.
fn read_part(path: &Path, zip: &mut Archive<'_>, name: &str) -> Result<Option<String>> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::input(path, format!("{name}: {e}"))),
    };
    if entry.size() > MAX_ENTRY {
        return Err(Error::input(
            path,
            format!(
                "{name}: expands to {} bytes, more than the {MAX_ENTRY} ibid accepts (a zip bomb?)",
                entry.size()
            ),
        ));
    }
    let mut buf = Vec::new();
    entry
        .take(MAX_ENTRY + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::input(path, format!("{name}: cannot decompress: {e}")))?;
    if buf.len() as u64 > MAX_ENTRY {
        return Err(Error::input(
            path,
            format!(
                "{name}: expands beyond {MAX_ENTRY} bytes (its declared size is wrong: a zip bomb?)"
            ),
        ));
    }
    let part = format!("{}:{name}", path.display());
    decode(Path::new(&part), &buf).map(Some)
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

struct Reference {
    kind: Kind,
    wid: String,
    span: Span,
}

/// The footnote and endnote references of document.xml (spans: their `<w:r>` runs, shifted by
/// `at`), and the number formats of its section properties.
fn scan_document(
    path: &Path,
    xml: &str,
    at: usize,
    formats: &mut Formats,
) -> Result<Vec<Reference>> {
    let mut refs = Vec::new();
    let mut run_start: Option<usize> = None;
    let mut pending: Option<(Kind, String, Span)> = None;
    let mut deleted = 0usize;
    let mut within: Option<Kind> = None;
    each_event(path, DOCUMENT, xml, |event, span| {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let start = matches!(event, Event::Start(_));
                match local(e.name().as_ref()) {
                    b"r" if start => run_start = Some(span.start),
                    b"del" if start => deleted += 1,
                    b"footnotePr" if start => within = Some(Kind::Foot),
                    b"endnotePr" if start => within = Some(Kind::End),
                    b"numFmt" | b"numStart" if within.is_some() => {
                        let target = if within == Some(Kind::Foot) {
                            &mut formats.foot
                        } else {
                            &mut formats.end
                        };
                        let val = attr(e, b"val").unwrap_or_default();
                        if local(e.name().as_ref()) == b"numFmt" {
                            target.0 = parse_fmt(&val);
                        } else if let Ok(n) = val.parse::<usize>() {
                            target.1 = n.max(1);
                        }
                    }
                    name @ (b"footnoteReference" | b"endnoteReference") if deleted == 0 => {
                        let kind = if name == b"footnoteReference" {
                            Kind::Foot
                        } else {
                            Kind::End
                        };
                        let wid = attr(e, b"id").unwrap_or_default();
                        pending = Some((kind, wid, span));
                    }
                    _ => {}
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                b"r" => {
                    if let Some((kind, wid, own)) = pending.take() {
                        let start = run_start.unwrap_or(own.start);
                        refs.push(Reference {
                            kind,
                            wid,
                            span: Span::new(start, span.end).shift(at),
                        });
                    }
                    run_start = None;
                }
                b"del" => deleted = deleted.saturating_sub(1),
                b"footnotePr" | b"endnotePr" => within = None,
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    if let Some((kind, wid, own)) = pending {
        refs.push(Reference {
            kind,
            wid,
            span: own.shift(at),
        });
    }
    Ok(refs)
}

/// The visible text of document.xml, paragraph by paragraph (spans shifted by `at`): italic runs
/// give emphasis, a number in a superscript run becomes superscript digits (`¹`), a marker.
fn flatten_document(path: &Path, xml: &str, at: usize) -> Result<Builder> {
    let mut b = Builder::default();
    let (mut in_run, mut in_rpr, mut in_text) = (false, false, false);
    let (mut italic, mut superscript) = (false, false);
    each_event(path, DOCUMENT, xml, |event, span| {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e.name().as_ref()) {
                    b"p" => b.paragraph(span.start + at),
                    b"r" if !empty => {
                        in_run = true;
                        italic = false;
                        superscript = false;
                    }
                    b"rPr" if in_run && !empty => in_rpr = true,
                    b"i" if in_rpr => {
                        let val = attr(e, b"val").unwrap_or_default();
                        italic = !matches!(val.as_str(), "0" | "false" | "off");
                    }
                    b"vertAlign" if in_rpr => {
                        superscript = attr(e, b"val").as_deref() == Some("superscript");
                    }
                    b"t" if in_run && !empty => in_text = true,
                    b"tab" | b"br" | b"cr" if in_run => b.space(span.shift(at)),
                    _ => {}
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                b"p" => b.paragraph(span.start + at),
                b"r" => {
                    in_run = false;
                    in_rpr = false;
                }
                b"rPr" => in_rpr = false,
                b"t" => in_text = false,
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) if in_text => {
                let raw = span.slice(xml);
                let digits = !raw.trim().is_empty()
                    && raw.trim().len() <= 4
                    && raw.trim().bytes().all(|c| c.is_ascii_digit());
                let start = b.text_len_with_pending();
                if superscript && digits {
                    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
                    b.push(&Piece {
                        text: raw
                            .trim()
                            .bytes()
                            .map(|d| SUP[usize::from(d - b'0')])
                            .collect(),
                        source: span.shift(at),
                        verbatim: false,
                    });
                } else {
                    for piece in xml_pieces(raw, span.start + at) {
                        if piece.text.chars().all(char::is_whitespace) {
                            b.space(piece.source);
                        } else {
                            b.push(&piece);
                        }
                    }
                }
                if italic && b.text.len() > start {
                    let end = b.text.len();
                    match b.emphasis.last_mut() {
                        // italic runs one after the other are one stretch of italics
                        Some(last) if last.end + 1 >= start => last.end = end,
                        _ => b.emphasis.push(Span::new(start, end)),
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(b)
}

struct RawNote {
    wid: String,
    span: Span,
    label: Option<Span>,
    text: String,
    map: SourceMap,
    emphasis: Vec<Span>,
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

/// The notes of footnotes.xml or endnotes.xml, separators skipped; spans shifted by `at`.
/// The external hyperlink targets of a relationships part: relationship id -> URL.
fn links(path: &Path, part: &str, xml: &str) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    each_event(path, part, xml, |event, _| {
        if let Event::Start(e) | Event::Empty(e) = event {
            if local(e.name().as_ref()) == b"Relationship"
                && attr(e, b"TargetMode").as_deref() == Some("External")
            {
                if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    out.insert(id, target);
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

fn scan_notes(
    path: &Path,
    part: &str,
    xml: &str,
    at: usize,
    kind: Kind,
    urls: &HashMap<String, String>,
) -> Result<Vec<RawNote>> {
    let note_tag: &[u8] = if kind == Kind::Foot {
        b"footnote"
    } else {
        b"endnote"
    };
    let ref_tag: &[u8] = if kind == Kind::Foot {
        b"footnoteRef"
    } else {
        b"endnoteRef"
    };
    struct Current {
        wid: String,
        start: usize,
        builder: Builder,
        label: Option<Span>,
        paragraphs: usize,
    }
    let mut notes = Vec::new();
    let mut current: Option<Current> = None;
    let mut in_run = false;
    let mut run_start = 0usize;
    let mut run_is_label = false;
    let mut in_rpr = false;
    let mut italic = false;
    let mut in_text = false;
    let mut emphasis_open: Option<usize> = None;
    // inside tracked deletions (`w:del`, `w:moveFrom`): the text as if the changes were accepted
    let mut deleted = 0usize;
    // open hyperlinks: their URL (external ones), start tag and where their text starts
    let mut open_links: Vec<(Option<String>, Span, usize)> = Vec::new();
    each_event(path, part, xml, |event, span| {
        let name = match event {
            Event::Start(e) | Event::Empty(e) => Some(e.name().as_ref().to_vec()),
            Event::End(e) => Some(e.name().as_ref().to_vec()),
            _ => None,
        };
        let lname = name.as_deref().map(local).unwrap_or_default();
        match event {
            Event::Start(e) if lname == note_tag => {
                let wid = attr(e, b"id").unwrap_or_default();
                let kind_attr = attr(e, b"type").unwrap_or_default();
                let separator = matches!(
                    kind_attr.as_str(),
                    "separator" | "continuationSeparator" | "continuationNotice"
                ) || wid.parse::<i64>().is_ok_and(|n| n <= 0);
                current = (!separator).then(|| Current {
                    wid,
                    start: span.start,
                    builder: Builder::default(),
                    label: None,
                    paragraphs: 0,
                });
            }
            Event::End(_) if lname == note_tag => {
                if let Some(mut cur) = current.take() {
                    if let Some(start) = emphasis_open.take() {
                        close_emphasis(&mut cur.builder, start);
                    }
                    let (text, map, emphasis) = cur.builder.finish();
                    notes.push(RawNote {
                        wid: cur.wid,
                        span: Span::new(cur.start, span.end).shift(at),
                        label: cur.label.map(|l| l.shift(at)),
                        text,
                        map,
                        emphasis,
                    });
                }
            }
            _ => {}
        }
        let Some(cur) = current.as_mut() else {
            return Ok(());
        };
        match event {
            Event::Start(_) | Event::Empty(_) => {
                let empty = matches!(event, Event::Empty(_));
                let e = match event {
                    Event::Start(e) | Event::Empty(e) => e,
                    _ => unreachable!("matched above"),
                };
                match lname {
                    b"del" | b"moveFrom" if !empty => deleted += 1,
                    _ if deleted > 0 => {}
                    b"p" if !empty => {
                        cur.paragraphs += 1;
                        if cur.paragraphs > 1 {
                            cur.builder.paragraph(span.start + at);
                        }
                    }
                    b"r" if !empty => {
                        in_run = true;
                        run_start = span.start;
                        run_is_label = false;
                        italic = false;
                    }
                    b"rPr" if in_run && !empty => in_rpr = true,
                    b"i" if in_rpr => {
                        let val = attr(e, b"val").unwrap_or_default();
                        italic = !matches!(val.as_str(), "0" | "false" | "off");
                    }
                    n if n == ref_tag => run_is_label = true,
                    b"t" if !empty && in_run => {
                        in_text = true;
                        match (italic, emphasis_open) {
                            (true, None) => {
                                emphasis_open = Some(cur.builder.text_len_with_pending())
                            }
                            (false, Some(start)) => {
                                close_emphasis(&mut cur.builder, start);
                                emphasis_open = None;
                            }
                            _ => {}
                        }
                    }
                    b"tab" if in_run => cur.builder.space(span.shift(at)),
                    b"hyperlink" if !empty => {
                        // only links to other documents, as in the Markdown and HTML readers
                        let url =
                            attr(e, b"id")
                                .and_then(|id| urls.get(&id).cloned())
                                .filter(|u| {
                                    ["http://", "https://", "ftp://", "doi:"]
                                        .iter()
                                        .any(|p| u.starts_with(p))
                                });
                        open_links.push((url, span.shift(at), cur.builder.text.len()));
                    }
                    b"br" | b"cr" if in_run => cur.builder.space(span.shift(at)),
                    _ => {}
                }
            }
            Event::End(_) => match lname {
                b"del" | b"moveFrom" => deleted = deleted.saturating_sub(1),
                b"r" => {
                    if run_is_label && cur.label.is_none() {
                        cur.label = Some(Span::new(run_start, span.end));
                    }
                    in_run = false;
                    in_rpr = false;
                }
                b"rPr" => in_rpr = false,
                b"t" => in_text = false,
                b"hyperlink" => {
                    // as in Markdown and HTML: the link's text, then its URL (which lives in the
                    // relationships part, so it maps to the hyperlink's start tag)
                    if let Some((Some(url), tag, start)) = open_links.pop() {
                        let shown = cur.builder.text.get(start..).unwrap_or("").trim();
                        if !shows_url(shown, &url) {
                            cur.builder.space(span.shift(at));
                            cur.builder.push(&Piece {
                                text: url,
                                source: tag,
                                verbatim: false,
                            });
                        }
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) if in_text => {
                let raw = span.slice(xml);
                for piece in xml_pieces(raw, span.start + at) {
                    cur.builder.push(&piece);
                }
            }
            Event::CData(c) if in_text => {
                let inner = String::from_utf8_lossy(c.as_ref()).into_owned();
                let start = span.start + 9; // `<![CDATA[`
                cur.builder.push(&Piece {
                    source: Span::new(start, start + inner.len()).shift(at),
                    text: inner,
                    verbatim: true,
                });
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(notes)
}

fn close_emphasis(builder: &mut Builder, start: usize) {
    if builder.text.len() > start {
        builder.emphasis.push(Span::new(start, builder.text.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostic::Code;
    use std::io::Write;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn docx(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, body) in entries {
                zip.start_file(*name, opts).unwrap();
                zip.write_all(body.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        }
        buf.into_inner()
    }

    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    }

    fn fref(id: u32) -> String {
        format!(
            r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
        )
    }

    fn footnotes(notes: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{notes}</w:footnotes>"#
        )
    }

    fn note(id: u32, runs: &str) -> String {
        format!(
            r#"<w:footnote w:id="{id}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>"#
        )
    }

    fn read_docx(entries: &[(&str, &str)]) -> Result<Manuscript> {
        read(Path::new("t.docx"), &docx(entries))
    }

    #[test]
    fn tracked_changes_read_as_accepted() {
        let doc = document(&format!(
            "<w:p><w:r><w:t>Claim.</w:t></w:r>{}</w:p>",
            fref(1)
        ));
        let notes = footnotes(&note(
            1,
            r#"<w:r><w:t xml:space="preserve">Lee, </w:t></w:r><w:del w:id="5" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:tab/><w:delText>Hackin</w:delText></w:r></w:del><w:ins w:id="6" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:rPr><w:i/></w:rPr><w:t>Hacking</w:t></w:r></w:ins><w:r><w:t>, 4.</w:t></w:r>"#,
        ));
        let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &notes)]).unwrap();
        assert_eq!(ms.notes[0].text, "Lee, Hacking, 4.");
        assert_eq!(ms.notes[0].emphasis, vec![Span::new(5, 12)]);
    }

    #[test]
    fn footnotes_with_italics_entities_and_separators() {
        let doc = document(&format!(
            "<w:p><w:r><w:t>Claim.</w:t></w:r>{}<w:r><w:t>More.</w:t></w:r>{}</w:p>",
            fref(7),
            fref(3)
        ));
        let notes = footnotes(&format!(
            "{}{}",
            note(3, r#"<w:r><w:t>Ibid., 5.</w:t></w:r>"#),
            note(
                7,
                r#"<w:r><w:t xml:space="preserve">Smith &amp; Lee, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>A Book</w:t></w:r><w:r><w:rPr><w:i w:val="0"/></w:rPr><w:t>, 1998, 4.</w:t></w:r>"#
            ),
        ));
        let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &notes)]).unwrap();
        // displayed numbers follow the order of reference, not the w:id
        let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "2"]);
        assert_eq!(ms.notes[0].text, "Smith & Lee, A Book, 1998, 4.");
        assert_eq!(ms.notes[1].text, "Ibid., 5.");
        assert_eq!(ms.notes[0].emphasis, vec![Span::new(13, 19)]);
        let amp = ms.notes[0].text.find('&').unwrap();
        assert_eq!(
            ms.notes[0]
                .map
                .span(Span::new(amp, amp + 1))
                .unwrap()
                .slice(&ms.text),
            "&amp;"
        );
        // each run's text is one segment mapping onto the content of its <w:t>
        let book = ms.notes[0]
            .map
            .segments
            .iter()
            .find(|s| s.text == Span::new(13, 19))
            .unwrap();
        assert_eq!(book.source.slice(&ms.text), "A Book");
        let end = ms.notes[0].map.offset(19).unwrap();
        assert!(ms.text[..end].ends_with("A Book"));
        assert!(ms.notes[0]
            .span
            .slice(&ms.text)
            .starts_with("<w:footnote w:id=\"7\">"));
        assert!(ms.notes[0]
            .label
            .unwrap()
            .slice(&ms.text)
            .contains("<w:footnoteRef/>"));
        assert_eq!(ms.markers.len(), 2);
        assert!(ms.markers[0].span.slice(&ms.text).contains("w:id=\"7\""));
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
        let parts = parts(&ms.text);
        let names: Vec<_> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec![DOCUMENT, FOOTNOTES]);
        assert!(parts[1].1.slice(&ms.text).starts_with("<?xml"));
        assert!(parts[1].1.contains(ms.notes[0].span));
    }

    #[test]
    fn hyperlinks_keep_their_urls() {
        let doc = document(&format!("<w:p>{}</w:p>", fref(1)));
        let foot = footnotes(&note(
            1,
            r#"<w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId21"><w:r><w:t>Intro</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">, </w:t></w:r><w:hyperlink r:id="rId22"><w:r><w:t>https://a.org/b</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink r:id="rId23"><w:r><w:t>a lesson</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r>"#,
        ));
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId21" Target="https://perma.cc/J5BV?a=1&amp;b=2" TargetMode="External" Type="x"/><Relationship Id="rId22" Target="https://a.org/b" TargetMode="External" Type="x"/><Relationship Id="rId23" Target="/en/lessons/x" TargetMode="External" Type="x"/></Relationships>"#;
        let ms = read_docx(&[
            (DOCUMENT, &doc),
            (FOOTNOTES, &foot),
            ("word/_rels/footnotes.xml.rels", rels),
        ])
        .unwrap();
        assert_eq!(
            ms.notes[0].text,
            "See Intro https://perma.cc/J5BV?a=1&b=2, https://a.org/b and a lesson."
        );
    }

    #[test]
    fn endnotes_are_roman_and_both_kinds_coexist() {
        let doc = document(&format!(
            r#"<w:p>{}<w:r><w:t>y</w:t></w:r><w:r><w:endnoteReference w:id="2"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:endnoteReference w:id="5"/></w:r></w:p>"#,
            fref(1)
        ));
        let end = format!(
            r#"<w:endnotes {W}><w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote><w:endnote w:id="2"><w:p><w:r><w:t>E one.</w:t></w:r></w:p></w:endnote><w:endnote w:id="5"><w:p><w:r><w:t>E two.</w:t></w:r></w:p><w:p><w:r><w:t>Second paragraph.</w:t></w:r></w:p></w:endnote></w:endnotes>"#
        );
        let foot = footnotes(&note(1, "<w:r><w:t>F one.</w:t></w:r>"));
        let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &foot), (ENDNOTES, &end)]).unwrap();
        let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "i", "ii"]);
        assert_eq!(ms.notes[2].text, "E two.\n\nSecond paragraph.");
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
        // same format for both: endnotes get a prefix
        let settings = format!(
            r#"<w:settings {W}><w:endnotePr><w:numFmt w:val="decimal"/></w:endnotePr></w:settings>"#
        );
        let ms = read_docx(&[
            (DOCUMENT, &doc),
            (FOOTNOTES, &foot),
            (ENDNOTES, &end),
            (SETTINGS, &settings),
        ])
        .unwrap();
        let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["1", "e1", "e2"]);
    }

    #[test]
    fn findings_and_deleted_references() {
        let doc = document(&format!(
            r#"<w:p>{}<w:r><w:t xml:space="preserve"> </w:t></w:r>{}<w:del w:id="9">{}</w:del></w:p>"#,
            fref(1),
            fref(2),
            fref(3)
        ));
        let foot = footnotes(&format!(
            "{}{}{}",
            note(1, "<w:r><w:t>A.</w:t></w:r>"),
            note(2, "<w:r><w:t>B.</w:t></w:r>"),
            note(3, "<w:r><w:t>Deleted reference.</w:t></w:r>")
        ));
        let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &foot)]).unwrap();
        let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::AdjacentMarkers, Code::NoteWithoutMarker]);
        // messages say where in Word terms
        assert!(
            ms.diagnostics[0]
                .message
                .ends_with("(word/document.xml, paragraph 1)"),
            "{}",
            ms.diagnostics[0].message
        );
        assert!(ms.diagnostics[1]
            .message
            .contains("word/footnotes.xml, paragraph"));
        assert_eq!(ms.notes.len(), 3);
    }

    #[test]
    fn typed_notes_without_word_notes_read_as_plain_text() {
        let para = |runs: &str| format!("<w:p>{runs}</w:p>");
        let run = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
        let body = [
            para(&format!(
                "{}{}",
                run("Claim.[i] More.[ii] And"),
                r#"<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>3</w:t></w:r>"#
            )),
            para(&run("NOTES")),
            para(&format!(
                "{}{}{}",
                run("[i] Dev Lewis, "),
                r#"<w:r><w:rPr><w:i/></w:rPr><w:t>China&amp;s Ambitions</w:t></w:r>"#,
                run(", 4-13.")
            )),
            para(&run("[ii]Ibid, 4.")),
        ]
        .concat();
        let ms = read_docx(&[(DOCUMENT, &document(&body))]).unwrap();
        let texts: Vec<_> = ms.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Dev Lewis, China&s Ambitions, 4-13.", "Ibid, 4."]
        );
        assert_eq!(ms.notes[0].id, "i");
        assert_eq!(ms.notes[0].emphasis, vec![Span::new(11, 28)]);
        assert_eq!(ms.markers.len(), 2);
        assert_eq!(ms.markers[1].span.slice(&ms.text), "[ii]");
        let amp = ms.notes[0].text.find('&').unwrap();
        let span = ms.notes[0].map.span(Span::new(amp, amp + 1)).unwrap();
        assert_eq!(span.slice(&ms.text), "&amp;");
        let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::GluedMarker]);
    }

    #[test]
    fn not_a_zip_names_the_file() {
        let err = read(Path::new("essay.docx"), b"plain text, not a zip").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("essay.docx") && msg.contains("zip"), "{msg}");
        let err = read_docx(&[("word/other.xml", "<x/>")]).unwrap_err();
        assert!(err.to_string().contains("word/document.xml"), "{err}");
    }

    #[test]
    fn doctype_is_refused() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w:document><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
        let err = read_docx(&[(DOCUMENT, doc)]).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("t.docx") && msg.contains("word/document.xml"),
            "{msg}"
        );
        assert!(msg.contains("DOCTYPE"), "{msg}");
    }

    #[test]
    fn zip_bomb_is_refused() {
        // 65 MiB of zeros compress to a few kilobytes
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(DOCUMENT, opts).unwrap();
            let block = vec![b' '; 1 << 20];
            for _ in 0..65 {
                zip.write_all(&block).unwrap();
            }
            zip.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 1 << 20);
        let err = read(Path::new("bomb.docx"), &bytes).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("bomb.docx") && msg.contains("zip bomb"),
            "{msg}"
        );
    }

    #[test]
    fn broken_xml_names_part_and_byte() {
        let err = read_docx(&[(DOCUMENT, "<w:document><w:body></w:p></w:document>")]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("word/document.xml: byte"), "{msg}");
    }
}
