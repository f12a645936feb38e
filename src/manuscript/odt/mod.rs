//! The OpenDocument text (.odt) reader: `text:note` footnotes and endnotes of `content.xml`.
//!
//! An .odt is a zip package; the document's text is `content.xml`, its named styles
//! `styles.xml`. A note is one element in the body, `<text:note text:note-class="footnote">`
//! (or `"endnote"`), holding its `text:note-citation` (the number shown, the marker) and its
//! `text:note-body` (paragraphs, the note).
//!
//! **`Manuscript::text` for .odt** is the XML of `content.xml` then of `styles.xml`, each after a
//! line `<!-- ibid part: content.xml -->`, as for .docx ([`crate::manuscript::docx::parts`] splits
//! it), so that every span points at the exact XML bytes: a marker at its `<text:note ...>` start
//! tag and citation, a note at its whole `text:note` element, each piece of note text at its
//! characters. `styles.xml` is carried only so that the fix writer sees the styles the reader saw.
//!
//! Note text: the text of the note body's paragraphs (`text:p`, `text:h`, joined with `\n\n`),
//! through `text:span` and `text:a` (a link's URL added after its text unless the text shows
//! it, as in the other readers); `text:s` and `text:tab` a space, `text:line-break` a space,
//! `text:soft-page-break`, bookmarks and change marks nothing; comments (`office:annotation`),
//! and what tracked changes deleted (`text:tracked-changes`) are not read: the text reads as if
//! every change were accepted. Italics: a span or paragraph whose style, automatic
//! (`office:automatic-styles`) or named (`styles.xml`, `Emphasis`), or a style it inherits from
//! (`style:parent-style-name`), sets `fo:font-style="italic"` (or `oblique`); `normal` ends it.
//!
//! Ids: the citation as shown (`1`, `i`, a custom `text:label`), footnotes and endnotes numbered
//! apart; when both kinds are present and their ids collide, endnote ids get an `e` prefix (`e1`).
//!
//! Limits as for .docx ([`crate::manuscript::docx::MAX_ENTRY`] ...); a DOCTYPE is refused.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::manuscript::{check_links_in, Format, Manuscript, Marker, Markers, Note};

mod notes;
mod styles;

pub use styles::Styles;

/// The line that starts each part in an .odt manuscript's text.
pub fn part_header(name: &str) -> String {
    format!("<!-- ibid part: {name} -->\n")
}

/// The parts of the package an .odt manuscript's text holds, in order.
pub const PARTS: [&str; 2] = ["content.xml", "styles.xml"];

/// The manuscript text of an .odt package: its parts' XML, each after its header line.
pub fn package_text(path: &Path, bytes: &[u8]) -> Result<String> {
    let mut zip = open(path, bytes)?;
    let mut text = String::new();
    for name in PARTS {
        match read_part(path, &mut zip, name)? {
            Some(xml) => {
                text.push_str(&part_header(name));
                text.push_str(&xml);
                text.push('\n');
            }
            None if name == "content.xml" => {
                return Err(Error::input(
                    path,
                    "not an OpenDocument text: the package has no content.xml",
                ))
            }
            None => {}
        }
    }
    Ok(text)
}

/// Reads an OpenDocument text manuscript.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Manuscript> {
    let text = package_text(path, bytes)?;
    read_text(path, text)
}

/// Reads an .odt manuscript from its text ([`package_text`]).
pub fn read_text(path: &Path, text: String) -> Result<Manuscript> {
    let parts = crate::manuscript::docx::parts(&text);
    let part = |name: &str| parts.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
    let content = part("content.xml")
        .ok_or_else(|| Error::input(path, "not an OpenDocument text: no content.xml"))?;
    let mut styles = Styles::default();
    if let Some(span) = part("styles.xml") {
        styles.scan(path, "styles.xml", span.slice(&text))?;
    }
    styles.scan(path, "content.xml", content.slice(&text))?;
    let raw = notes::scan(path, content.slice(&text), content.start, &styles)?;

    let collide = {
        let foot: std::collections::HashSet<&str> = raw
            .iter()
            .filter(|n| !n.endnote)
            .map(|n| n.citation.as_str())
            .collect();
        raw.iter()
            .any(|n| n.endnote && foot.contains(n.citation.as_str()))
    };
    let mut markers = Vec::new();
    let mut notes = Vec::new();
    let mut counters: HashMap<bool, usize> = HashMap::new();
    let mut endnote_ids = std::collections::HashSet::new();
    for n in raw {
        let count = counters.entry(n.endnote).or_insert(0);
        *count += 1;
        let shown = n.citation.trim().to_lowercase();
        let shown = if shown.is_empty() {
            count.to_string()
        } else {
            shown
        };
        let id = if n.endnote && collide {
            format!("e{shown}")
        } else {
            shown
        };
        if n.endnote {
            endnote_ids.insert(id.clone());
        }
        markers.push(Marker {
            id: id.clone(),
            span: n.marker,
        });
        notes.push(Note {
            id,
            number: notes.len() + 1,
            label: None,
            span: n.span,
            text: n.text,
            map: n.map,
            emphasis: n.emphasis,
        });
    }
    let mut diagnostics = Vec::new();
    check_links_in(
        &markers,
        &notes,
        &text,
        Markers::Linked,
        |id| usize::from(endnote_ids.contains(id)),
        &mut diagnostics,
    );
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Odt,
        text,
        markers,
        notes,
        diagnostics,
    })
}

/// The zip archive of an .odt package.
pub(crate) use crate::manuscript::archive::{read_part, Archive};

/// Opens the archive of an .odt and checks its limits ([`crate::manuscript::archive`]).
pub(crate) fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<Archive<'a>> {
    crate::manuscript::archive::open(path, bytes, ".odt")
}

#[cfg(test)]
mod tests;
