//! The `text:note` elements of `content.xml`.

use std::path::Path;

use quick_xml::events::Event;

use super::Styles;
use crate::error::Result;
use crate::manuscript::docx::{attr, each_event, local, xml_pieces};
use crate::manuscript::html::{Builder, Piece};
use crate::manuscript::shows_url;
use crate::model::span::{SourceMap, Span};

/// A note as read, before it gets its id.
pub(super) struct RawNote {
    pub endnote: bool,
    /// The citation (the number shown).
    pub citation: String,
    /// The `<text:note ...>` start tag through the citation's end tag.
    pub marker: Span,
    pub span: Span,
    pub text: String,
    pub map: SourceMap,
    pub emphasis: Vec<Span>,
}

/// A link being read: its URL, its start tag, where its text starts.
struct Link {
    url: Option<String>,
    source: Span,
    start: usize,
}

/// Elements whose content is not the note's text: comments, deleted text kept for tracked
/// changes, frames and their text boxes.
const SKIPPED: &[&[u8]] = &[b"annotation", b"tracked-changes", b"frame", b"deletion"];

/// The notes of `xml` (content.xml, at offset `at` of the manuscript text), in document order.
pub(super) fn scan(path: &Path, xml: &str, at: usize, styles: &Styles) -> Result<Vec<RawNote>> {
    struct Current {
        endnote: bool,
        start: usize,
        citation: String,
        marker: Option<Span>,
        in_citation: bool,
        in_body: bool,
        builder: Builder,
        paragraphs: usize,
        /// Italics of the open paragraphs and spans (`None`: inherited).
        italics: Vec<Option<bool>>,
        emphasis_open: Option<usize>,
        links: Vec<Link>,
    }
    let mut notes = Vec::new();
    let mut current: Option<Current> = None;
    let mut skipped = 0usize;
    each_event(path, "content.xml", xml, |event, span| {
        let source = span.shift(at);
        let name = match event {
            Event::Start(e) | Event::Empty(e) => e.name().as_ref().to_vec(),
            Event::End(e) => e.name().as_ref().to_vec(),
            _ => Vec::new(),
        };
        let lname = local(&name);
        match event {
            Event::Start(_) if SKIPPED.contains(&lname) => {
                skipped += 1;
                return Ok(());
            }
            Event::End(_) if SKIPPED.contains(&lname) => {
                skipped = skipped.saturating_sub(1);
                return Ok(());
            }
            _ if skipped > 0 => return Ok(()),
            Event::Start(e) if lname == b"note" => {
                let class = attr(e, b"note-class").unwrap_or_default();
                current = Some(Current {
                    endnote: class == "endnote",
                    start: source.start,
                    citation: String::new(),
                    marker: None,
                    in_citation: false,
                    in_body: false,
                    builder: Builder::default(),
                    paragraphs: 0,
                    italics: Vec::new(),
                    emphasis_open: None,
                    links: Vec::new(),
                });
                return Ok(());
            }
            Event::End(_) if lname == b"note" => {
                if let Some(mut cur) = current.take() {
                    if let Some(start) = cur.emphasis_open.take() {
                        close_emphasis(&mut cur.builder, start);
                    }
                    let (text, map, emphasis) = cur.builder.finish();
                    notes.push(RawNote {
                        endnote: cur.endnote,
                        citation: cur.citation,
                        marker: cur.marker.unwrap_or(Span::new(cur.start, cur.start)),
                        span: Span::new(cur.start, source.end),
                        text,
                        map,
                        emphasis,
                    });
                }
                return Ok(());
            }
            _ => {}
        }
        let Some(cur) = current.as_mut() else {
            return Ok(());
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match lname {
                    b"note-citation" if !empty => {
                        cur.in_citation = true;
                        if let Some(label) = attr(e, b"label").filter(|l| !l.trim().is_empty()) {
                            cur.citation = label;
                        }
                    }
                    b"note-citation" => cur.marker = Some(Span::new(cur.start, source.end)),
                    b"note-body" if !empty => cur.in_body = true,
                    _ if !cur.in_body => {}
                    b"p" | b"h" if !empty => {
                        cur.paragraphs += 1;
                        if cur.paragraphs > 1 {
                            cur.builder.paragraph(source.start);
                        }
                        let style = attr(e, b"style-name");
                        cur.italics
                            .push(style.and_then(|s| styles.italic("paragraph", &s)));
                    }
                    b"span" if !empty => {
                        let style = attr(e, b"style-name");
                        cur.italics
                            .push(style.and_then(|s| styles.italic("text", &s)));
                    }
                    b"a" if !empty => cur.links.push(Link {
                        url: attr(e, b"href").filter(|u| external(u)),
                        source,
                        start: cur.builder.text.len(),
                    }),
                    b"s" | b"tab" | b"line-break" => cur.builder.space(source),
                    _ => {}
                }
            }
            Event::End(_) => match lname {
                b"note-citation" => {
                    cur.in_citation = false;
                    cur.marker = Some(Span::new(cur.start, source.end));
                }
                b"note-body" => cur.in_body = false,
                b"p" | b"h" | b"span" if cur.in_body => {
                    cur.italics.pop();
                }
                b"a" if cur.in_body => {
                    // the URL added after a link's text is not in the link's italics
                    if let Some(start) = cur.emphasis_open.take() {
                        close_emphasis(&mut cur.builder, start);
                    }
                    if let Some(link) = cur.links.pop() {
                        close_link(&mut cur.builder, link, source);
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) if cur.in_citation => {
                for piece in xml_pieces(span.slice(xml), source.start) {
                    cur.citation.push_str(&piece.text);
                }
            }
            Event::Text(_) | Event::GeneralRef(_) if cur.in_body => {
                let italic = cur.italics.iter().rev().find_map(|i| *i).unwrap_or(false);
                match (italic, cur.emphasis_open) {
                    (true, None) => cur.emphasis_open = Some(cur.builder.text_len_with_pending()),
                    (false, Some(start)) => {
                        close_emphasis(&mut cur.builder, start);
                        cur.emphasis_open = None;
                    }
                    _ => {}
                }
                for piece in xml_pieces(span.slice(xml), source.start) {
                    cur.builder.push(&piece);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(notes)
}

/// Only links to other documents keep their URL, as in the other readers.
fn external(url: &str) -> bool {
    ["http://", "https://", "ftp://", "doi:"]
        .iter()
        .any(|p| url.starts_with(p))
}

/// A link's text, then its URL (mapped to the link's start tag), unless the text shows it.
fn close_link(builder: &mut Builder, link: Link, at: Span) {
    let Some(url) = link.url else { return };
    let shown = builder.text.get(link.start..).unwrap_or("").trim();
    if !shows_url(shown, &url) {
        builder.space(at);
        builder.push(&Piece {
            text: url,
            source: link.source,
            verbatim: false,
        });
    }
}

fn close_emphasis(builder: &mut Builder, start: usize) {
    if builder.text.len() > start {
        builder.emphasis.push(Span::new(start, builder.text.len()));
    }
}
