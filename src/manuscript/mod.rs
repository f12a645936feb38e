//! Read: a manuscript's bytes become a [`Manuscript`]: its source text, the note markers of the body
//! and the notes, each with its byte span in the source.
//!
//! One reader per format; all of them produce the same data, so that the grammar and the resolver
//! never know which format a note came from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::diagnostic::Diagnostic;
use crate::model::span::{SourceMap, Span};

pub(crate) mod archive;
pub mod docx;
pub mod encoding;
pub mod html;
pub mod latex;
pub mod markdown;
pub mod odt;
pub mod text;

/// The formats ibid reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: `[i]` / `[12]` markers, a NOTES section.
    Text,
    /// Markdown with pandoc footnotes.
    Markdown,
    /// HTML with `<sup>` links and a notes list.
    Html,
    /// Word .docx with footnotes and endnotes.
    Docx,
    /// LaTeX with `\footnote{...}`, `\endnote{...}`, `\footnotetext{...}`.
    Latex,
    /// OpenDocument text (.odt) with `text:note` footnotes and endnotes.
    Odt,
}

/// The extensions ibid reads, and the format of each: the one table that both the guess from a
/// file name ([`Format::from_path`]) and the search of a directory (`ibid check DIR`) use.
pub const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Text),
    ("text", Format::Text),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("mdown", Format::Markdown),
    ("mkd", Format::Markdown),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("xhtml", Format::Html),
    ("docx", Format::Docx),
    ("tex", Format::Latex),
    ("latex", Format::Latex),
    ("ltx", Format::Latex),
    ("odt", Format::Odt),
];

/// Manuscript formats ibid does not read (yet), by extension, with what they are: a file named
/// with one of these is refused with a message naming what ibid reads, never read as plain text
/// (a LaTeX file would pass with "no notes"). A reader added for one of them moves its extensions
/// from here to [`EXTENSIONS`].
pub const UNSUPPORTED: &[(&str, &str)] = &[
    ("fodt", "OpenDocument text"),
    ("ott", "OpenDocument template"),
    ("rtf", "RTF"),
    ("doc", "Word 97-2003"),
    ("dot", "Word 97-2003 template"),
    ("docm", "Word macro-enabled"),
    ("dotx", "Word template"),
    ("wpd", "WordPerfect"),
    ("pages", "Apple Pages"),
    ("pdf", "PDF"),
    ("epub", "EPUB"),
    ("rst", "reStructuredText"),
    ("adoc", "AsciiDoc"),
    ("org", "Org"),
];

impl Format {
    /// The format a file name suggests: `.txt`, `.md`, `.html`, `.docx`, `.tex`, `.odt` and their variants
    /// ([`EXTENSIONS`]); a name without an extension (`NOTES`, `/dev/stdin`) is plain text. Any
    /// other extension is an error naming the file and the formats ibid reads, so that a LaTeX,
    /// RTF or PDF file is never read as plain text and passed with "no notes"; `--input-format`
    /// reads a file as a given format whatever its name.
    pub fn from_path(path: &Path) -> Result<Format> {
        let Some(ext) = path.extension() else {
            return Ok(Format::Text);
        };
        let ext = ext.to_string_lossy().to_ascii_lowercase();
        if let Some((_, format)) = EXTENSIONS.iter().find(|(e, _)| *e == ext) {
            return Ok(*format);
        }
        let what = match UNSUPPORTED.iter().find(|(e, _)| *e == ext) {
            Some((_, name)) => format!("{name} (.{ext}) is not a format ibid reads"),
            None => format!("unknown format .{ext}"),
        };
        Err(Error::input(
            path,
            format!(
                "{what}; ibid reads plain text (.txt), Markdown (.md), HTML (.html), Word \
                 (.docx), LaTeX (.tex) and OpenDocument (.odt); `--input-format \
                 text|markdown|html|docx|latex|odt` reads a file as one of them"
            ),
        ))
    }

    /// Whether a directory search takes a file with this name ([`EXTENSIONS`]).
    pub fn is_manuscript_name(path: &Path) -> bool {
        path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            EXTENSIONS.iter().any(|(x, _)| *x == e)
        })
    }

    /// The format of text whose name says nothing (standard input without
    /// `--stdin-filename`): a zip package is a .docx, markup that opens with a tag is HTML,
    /// pandoc footnotes (`[^1]:`) are Markdown, anything else plain text.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            // an OpenDocument package opens with its stored `mimetype` entry
            let head = &bytes[..bytes.len().min(128)];
            let odt = head.windows(17).any(|w| w == b"opendocument.text");
            return if odt { Format::Odt } else { Format::Docx };
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        let start = head.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with('<') {
            return Format::Html;
        }
        let text = String::from_utf8_lossy(bytes);
        if text
            .lines()
            .any(|l| l.starts_with("[^") && l.contains("]:"))
        {
            return Format::Markdown;
        }
        Format::Text
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Latex => "latex",
            Format::Odt => "odt",
        }
    }

    /// A zip package whose fixes are written as tracked changes (.docx, .odt), not as text.
    pub fn is_package(self) -> bool {
        matches!(self, Format::Docx | Format::Odt)
    }
}

/// A note marker in the body (`[iv]`, `[^3]`, `<sup>3</sup>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The note id the marker points to, normalised (`iv`, `3`, `fn3`).
    pub id: String,
    /// The marker's bytes in the source.
    pub span: Span,
}

/// One note of the notes section (or one footnote definition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The note's id as its label gives it, normalised (`xxvi`, `12`, `fn3`).
    pub id: String,
    /// 1-based position among the notes.
    pub number: usize,
    /// The label's bytes in the source (`[xxvi]`, `12.`), when the note has a label.
    pub label: Option<Span>,
    /// The whole note in the source, label included.
    pub span: Span,
    /// The note's text as the grammar reads it (label removed, markup decoded, lines joined).
    pub text: String,
    /// Where each byte of `text` came from in the source.
    pub map: SourceMap,
    /// Ranges of `text` the source set in italics (`*...*`, `<em>`, Word italics): title evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emphasis: Vec<Span>,
}

/// A manuscript as read: its source text, markers and notes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manuscript {
    /// The file it came from (for messages).
    pub path: PathBuf,
    /// The format it was read as.
    pub format: Format,
    /// The source text every span points into. For .docx, the text of the document parts the
    /// reader flattened (see the reader); for the others, the file's text.
    pub text: String,
    /// Note markers in the body, in order of appearance.
    pub markers: Vec<Marker>,
    /// Notes, in order.
    pub notes: Vec<Note>,
    /// What the reader noticed (glued or side-by-side markers, a marker without a note ...).
    pub diagnostics: Vec<Diagnostic>,
}

/// The most bytes ibid reads from one file: a manuscript, a .docx package or a bibliography
/// larger than this is refused with an error naming it, and a device that never ends
/// (`/dev/zero`) is read no further than this.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The bytes of the file at `path`, at most [`MAX_INPUT_BYTES`] of them (read through
/// [`std::io::Read::take`], so a device or pipe cannot stream forever).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let too_large = || {
        Error::input(
            path,
            format!(
                "larger than {} MiB, the most ibid reads from one file",
                MAX_INPUT_BYTES >> 20
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if size.is_some_and(|n| n > MAX_INPUT_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(size.map_or(0, |n| n as usize + 1));
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads the file at `path` as `format` (or as its extension suggests, [`Format::from_path`]).
/// An empty file is an error (a file with text but no notes is read, and gets a finding).
pub fn read(path: &Path, format: Option<Format>) -> Result<Manuscript> {
    // the name is judged before the bytes are read (a PDF is refused unread), except for a
    // directory, which is refused as one whatever its name (`drafts.d`)
    let format = match format {
        Some(f) => Ok(f),
        None => Format::from_path(path),
    };
    if format.is_err() && path.is_dir() {
        read_file(path)?;
    }
    let format = format?;
    let bytes = read_file(path)?;
    if bytes.is_empty() {
        return Err(Error::input(path, "the file is empty (0 bytes)"));
    }
    read_bytes(path, &bytes, format)
}

/// Reads a manuscript from bytes already in memory; `path` is used in messages only.
pub fn read_bytes(path: &Path, bytes: &[u8], format: Format) -> Result<Manuscript> {
    let text = || encoding::Encoding::detect(bytes, format).decode(path, bytes);
    match format {
        Format::Text => text::read(path, text()?),
        Format::Markdown => markdown::read(path, text()?),
        Format::Html => html::read(path, text()?),
        Format::Docx => docx::read(path, bytes),
        Format::Latex => latex::read(path, text()?),
        Format::Odt => odt::read(path, bytes),
    }
}

/// Decodes a text file: UTF-8 (a BOM is dropped, CRLF kept as is), UTF-16 with a BOM converted.
/// Binary or invalid bytes give an error naming the byte offset. (An HTML page's declared
/// charset is [`encoding::Encoding::detect`]'s business; this is the BOM-or-UTF-8 case.)
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    encoding::Encoding::sniff(bytes).decode(path, bytes)
}

/// How sure a reader is that its markers are note markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markers {
    /// Linked by the format (Markdown footnotes, HTML links, Word note references): every marker
    /// is one, with or without a note.
    Linked,
    /// Typed in plain text: `[1]` may be a numbered reference rather than a note marker, and a
    /// pasted text may have lost its superscript markers. A marker without a note is reported only
    /// when there are notes, a note without a marker only when there are markers.
    Typed,
}

/// Marker/note consistency, for every reader: a marker without a note, a note without a marker,
/// a marker used twice, markers out of note order, two markers side by side, no notes at all.
/// `text` is the source the spans point into; two markers count as side by side when only
/// whitespace and tags (`<...>`) stand between them.
pub(crate) fn check_links(
    markers: &[Marker],
    notes: &[Note],
    text: &str,
    certainty: Markers,
    out: &mut Vec<crate::model::diagnostic::Diagnostic>,
) {
    check_links_in(markers, notes, text, certainty, |_| 0, out);
}

/// [`check_links`] for notes numbered in several sequences (Word's footnotes and endnotes):
/// `sequence` gives a note id's sequence, and markers are in order when they are in order within
/// each sequence.
pub(crate) fn check_links_in(
    markers: &[Marker],
    notes: &[Note],
    text: &str,
    certainty: Markers,
    sequence: impl Fn(&str) -> usize,
    out: &mut Vec<crate::model::diagnostic::Diagnostic>,
) {
    let typed = certainty == Markers::Typed;
    use crate::model::diagnostic::{Code, Diagnostic};
    use std::collections::{HashMap, HashSet};
    let numbers: HashMap<&str, usize> = notes.iter().map(|n| (n.id.as_str(), n.number)).collect();
    let number_of = |id: &str| numbers.get(id).copied();
    let mut seen: HashSet<&str> = HashSet::new();
    // the highest note number referred to so far, in each sequence
    let mut highests: HashMap<usize, usize> = HashMap::new();
    for (i, marker) in markers.iter().enumerate() {
        let id = marker.id.as_str();
        match number_of(id) {
            None if typed && notes.is_empty() => {}
            None => out.push(Diagnostic::new(
                Code::MarkerWithoutNote,
                Some(id),
                Some(marker.span),
                format!("marker [{id}] has no note"),
            )),
            Some(n) => {
                let highest = highests.entry(sequence(id)).or_insert(0);
                if seen.contains(&id) {
                    out.push(Diagnostic::new(
                        Code::RepeatedMarker,
                        Some(id),
                        Some(marker.span),
                        format!("marker [{id}] is used more than once"),
                    ));
                } else if n < *highest {
                    out.push(Diagnostic::new(
                        Code::MarkersOutOfOrder,
                        Some(id),
                        Some(marker.span),
                        format!("marker [{id}] (note {n}) comes after note {highest}'s marker"),
                    ));
                }
                *highest = (*highest).max(n);
                seen.insert(id);
            }
        }
        if let Some(next) = markers.get(i + 1) {
            if marker.span.end <= next.span.start
                && only_blank_or_tags(text.get(marker.span.end..next.span.start).unwrap_or("x"))
            {
                out.push(Diagnostic::new(
                    Code::AdjacentMarkers,
                    Some(id),
                    Some(Span::new(marker.span.start, next.span.end)),
                    format!("markers [{id}] and [{}] stand side by side", next.id),
                ));
            }
        }
    }
    let referenced: HashSet<&str> = markers.iter().map(|m| m.id.as_str()).collect();
    for note in notes {
        let unreferenced = !referenced.contains(note.id.as_str());
        // a typed text without any marker may just have lost them (pasted without superscripts)
        let markers_lost = typed && markers.is_empty();
        if unreferenced && !markers_lost {
            out.push(Diagnostic::new(
                Code::NoteWithoutMarker,
                Some(&note.id),
                note.label.or(Some(note.span)),
                format!("note [{}] has no marker in the body", note.id),
            ));
        }
    }
    if notes.is_empty() && markers.is_empty() {
        out.push(Diagnostic::new(
            Code::NoNotes,
            None,
            None,
            "no notes and no note markers found",
        ));
    }
}

/// A note's text with surrounding whitespace trimmed, its source map and emphasis cut to match
/// (a verbatim segment is cut byte for byte; a decoded one that is cut keeps its source).
pub(crate) fn trim_note(
    text: &str,
    map: &SourceMap,
    emphasis: &[Span],
) -> (String, SourceMap, Vec<Span>) {
    let lead = text.len() - text.trim_start().len();
    let keep = text.trim_end().len();
    if lead >= keep {
        return (String::new(), SourceMap::default(), Vec::new());
    }
    let out = text[lead..keep].to_owned();
    let mut new_map = SourceMap::default();
    for seg in &map.segments {
        let (s, e) = (seg.text.start.max(lead), seg.text.end.min(keep));
        if s >= e {
            continue;
        }
        let source = if seg.text.len() == seg.source.len() {
            Span::new(
                seg.source.start + (s - seg.text.start),
                seg.source.end - (seg.text.end - e),
            )
        } else {
            seg.source
        };
        new_map.push(s - lead, e - s, source);
    }
    let mut emph: Vec<Span> = emphasis
        .iter()
        .filter_map(|sp| {
            let (s, e) = (sp.start.clamp(lead, keep), sp.end.clamp(lead, keep));
            // an emphasis that opened before a separator starts at its first visible byte
            let inner = text.get(s..e)?;
            let s = s + (inner.len() - inner.trim_start().len());
            (s < e).then(|| Span::new(s - lead, e - lead))
        })
        .collect();
    emph.sort();
    emph.dedup();
    (out, new_map, emph)
}

/// True when a link's text already shows its URL (as written, or percent-decoded: a link
/// `https://x.org/a%3Cb%3E` whose text is `https://x.org/a<b>`), so the URL need not be added.
pub(crate) fn shows_url(text: &str, url: &str) -> bool {
    let text = text.trim();
    if text == url {
        return true;
    }
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out) == text
}

/// True when `gap` holds nothing but whitespace (non-breaking spaces included) and markup tags.
fn only_blank_or_tags(gap: &str) -> bool {
    only_markup(gap, true)
}

/// True when `gap` holds nothing but complete tags (`<...>`), and white space if `blank_ok`.
pub(crate) fn only_markup(gap: &str, blank_ok: bool) -> bool {
    let mut in_tag = false;
    for c in gap.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if blank_ok && c.is_whitespace() => {}
            _ => return false,
        }
    }
    !in_tag
}

impl Manuscript {
    /// The note with this id.
    pub fn note(&self, id: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.id == id)
    }

    /// A display name for messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// Converts a lower- or upper-case roman numeral (`xliv`) to its value; `None` when the text is
/// not a roman numeral in canonical form (`iiii`, `il` are not).
pub fn roman_value(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 15 {
        return None;
    }
    let value = |c: char| match c.to_ascii_lowercase() {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let digits: Vec<isize> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total: isize = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d;
        } else {
            total += d;
        }
    }
    let total = usize::try_from(total).ok().filter(|&t| t > 0)?;
    (to_roman(total) == text.to_ascii_lowercase()).then_some(total)
}

/// The lower-case roman numeral of `n` (1 ≤ n < 4000).
pub fn to_roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_round_trip() {
        assert_eq!(roman_value("xliv"), Some(44));
        assert_eq!(roman_value("lix"), Some(59));
        assert_eq!(roman_value("XXVI"), Some(26));
        assert_eq!(roman_value("iiii"), None);
        assert_eq!(roman_value("il"), None);
        assert_eq!(roman_value("ibid"), None);
        for n in 1..200 {
            assert_eq!(roman_value(&to_roman(n)), Some(n));
        }
    }

    #[test]
    fn decode_names_the_bad_byte() {
        let err = decode(Path::new("x.txt"), b"abc\xffdef").unwrap_err();
        assert!(err.to_string().contains("byte 3"), "{err}");
        let err = decode(Path::new("x.txt"), b"ab\0c").unwrap_err();
        assert!(err.to_string().contains("byte 2"), "{err}");
        assert_eq!(decode(Path::new("x"), b"\xef\xbb\xbfhi").unwrap(), "hi");
        assert_eq!(
            decode(Path::new("x"), &[0xff, 0xfe, b'h', 0, b'i', 0]).unwrap(),
            "hi"
        );
    }
}
