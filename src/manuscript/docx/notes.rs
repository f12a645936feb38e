//! The notes of a footnotes or endnotes part.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::Event;

use super::{attr, each_event, local, xml_pieces, Kind};
use crate::error::Result;
use crate::manuscript::html::{Builder, Piece};
use crate::manuscript::shows_url;
use crate::model::span::{SourceMap, Span};

/// A note as read from its part, before it gets its displayed id.
pub(super) struct RawNote {
    /// Its `w:id`.
    pub wid: String,
    pub span: Span,
    pub label: Option<Span>,
    pub text: String,
    pub map: SourceMap,
    pub emphasis: Vec<Span>,
}

/// Only links to other documents keep their URL, as in the Markdown and HTML readers.
fn external(url: &str) -> bool {
    ["http://", "https://", "ftp://", "doi:"]
        .iter()
        .any(|p| url.starts_with(p))
}

/// The URL of a `HYPERLINK` field instruction (`HYPERLINK "https://x.org" \o "tip"`), when it
/// links to another document (`HYPERLINK \l "bookmark"` links inside this one).
pub(super) fn field_url(instr: &str) -> Option<String> {
    let rest = instr.trim_start();
    let rest = rest
        .get(..9)
        .filter(|w| w.eq_ignore_ascii_case("HYPERLINK"))
        .map(|_| &rest[9..])?;
    // the arguments: quoted strings or words; a switch's argument is not the URL
    let mut args: Vec<String> = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut arg = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                arg.push(c);
            }
            args.push(arg);
        } else {
            let mut arg = String::new();
            while let Some(&c) = chars.peek().filter(|c| !c.is_whitespace()) {
                arg.push(c);
                chars.next();
            }
            args.push(arg);
        }
    }
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if let Some(switch) = arg.strip_prefix('\\') {
            // `\l`, `\o`, `\t` take an argument; `\m`, `\n` do not
            i += if matches!(switch, "l" | "o" | "t") {
                2
            } else {
                1
            };
            continue;
        }
        return Some(arg.trim().to_owned()).filter(|u| external(u));
    }
    None
}

/// A link being read: its URL (external ones only), the source its URL maps to, and where its
/// text starts in the note.
struct OpenLink {
    url: Option<String>,
    source: Span,
    start: usize,
}

/// A complex field (`w:fldChar` begin ... separate ... end) being read.
#[derive(Default)]
struct Field {
    /// Its instruction (the `w:instrText` runs).
    instr: String,
    /// Where the instruction is in the source.
    instr_span: Option<Span>,
    /// After `separate`: the result (what Word shows) as a link, for a `HYPERLINK` field.
    link: Option<OpenLink>,
}

/// As in Markdown and HTML: a link's text, then its URL, unless the text shows the URL.
fn close_link(builder: &mut Builder, link: OpenLink, at: Span) {
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

/// The notes of footnotes.xml or endnotes.xml, separators skipped; spans shifted by `at`.
///
/// `marks`: the custom marks of the notes that have one (`w:id` -> `*`); such a note begins with
/// its mark typed in a run of its own, which is its label. Read as in the body: tracked changes
/// accepted, `mc:Fallback` skipped (the text of a text box once, as paragraphs of its own), a
/// non-breaking hyphen as U+2011, a `HYPERLINK` field (simple or complex) as a hyperlink.
pub(super) fn scan_notes(
    path: &Path,
    part: &str,
    xml: &str,
    at: usize,
    kind: Kind,
    urls: &HashMap<String, String>,
    marks: &HashMap<String, String>,
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
    struct Current<'m> {
        wid: String,
        start: usize,
        builder: Builder,
        label: Option<Span>,
        paragraphs: usize,
        mark: Option<&'m str>,
    }
    let mut notes = Vec::new();
    let mut current: Option<Current<'_>> = None;
    let mut in_run = false;
    let mut run_start = 0usize;
    let mut run_is_label = false;
    let mut in_rpr = false;
    let mut italic = false;
    let mut in_text = false;
    let mut in_instr = false;
    let mut emphasis_open: Option<usize> = None;
    // inside tracked deletions (`w:del`, `w:moveFrom`): the text as if the changes were accepted
    let mut deleted = 0usize;
    // inside an `mc:Fallback`, a copy of its `mc:Choice` for older readers
    let mut fallback = 0usize;
    // open hyperlinks and simple fields
    let mut open_links: Vec<OpenLink> = Vec::new();
    // open complex fields
    let mut fields: Vec<Field> = Vec::new();
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
                open_links.clear();
                fields.clear();
                current = (!separator).then(|| Current {
                    mark: marks
                        .get(&wid)
                        .map(String::as_str)
                        .filter(|m| !m.is_empty()),
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
                    b"Fallback" if !empty => fallback += 1,
                    _ if fallback > 0 => {}
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
                    b"instrText" if !empty && in_run => in_instr = true,
                    b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                        Some("begin") => fields.push(Field::default()),
                        Some("separate") => {
                            if let Some(field) = fields.last_mut() {
                                let source = field.instr_span.unwrap_or(span).shift(at);
                                field.link = Some(OpenLink {
                                    url: field_url(&field.instr),
                                    source,
                                    start: cur.builder.text.len(),
                                });
                            }
                        }
                        Some("end") => {
                            if let Some(link) = fields.pop().and_then(|f| f.link) {
                                close_link(&mut cur.builder, link, span.shift(at));
                            }
                        }
                        _ => {}
                    },
                    b"fldSimple" if !empty => open_links.push(OpenLink {
                        url: attr(e, b"instr").and_then(|i| field_url(&i)),
                        source: span.shift(at),
                        start: cur.builder.text.len(),
                    }),
                    b"tab" if in_run => cur.builder.space(span.shift(at)),
                    b"hyperlink" if !empty => open_links.push(OpenLink {
                        url: attr(e, b"id")
                            .and_then(|id| urls.get(&id).cloned())
                            .filter(|u| external(u)),
                        source: span.shift(at),
                        start: cur.builder.text.len(),
                    }),
                    b"br" | b"cr" if in_run => cur.builder.space(span.shift(at)),
                    name if in_run => {
                        if let Some(piece) = super::body::special_char(name, span.shift(at)) {
                            cur.builder.push(&piece);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => match lname {
                b"Fallback" => fallback = fallback.saturating_sub(1),
                _ if fallback > 0 => {}
                b"del" | b"moveFrom" => deleted = deleted.saturating_sub(1),
                _ if deleted > 0 => {}
                b"r" => {
                    if run_is_label && cur.label.is_none() {
                        cur.label = Some(Span::new(run_start, span.end));
                    }
                    in_run = false;
                    in_rpr = false;
                }
                b"rPr" => in_rpr = false,
                b"t" => in_text = false,
                b"instrText" => in_instr = false,
                // a text box's paragraphs end where it ends; the note's paragraph goes on
                b"txbxContent" => cur.builder.paragraph(span.end + at),
                b"hyperlink" | b"fldSimple" => {
                    // the URL lives in the relationships part or the field's instruction, so
                    // it maps to the start tag
                    if let Some(link) = open_links.pop() {
                        close_link(&mut cur.builder, link, span.shift(at));
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) if in_instr && fallback == 0 => {
                if let Some(field) = fields.last_mut() {
                    for piece in xml_pieces(span.slice(xml), 0) {
                        field.instr.push_str(&piece.text);
                    }
                    let own = span;
                    field.instr_span = Some(match field.instr_span {
                        Some(s) => Span::new(s.start, own.end),
                        None => own,
                    });
                }
            }
            Event::Text(_) | Event::GeneralRef(_) if in_text && fallback == 0 => {
                let raw = span.slice(xml);
                let pieces = xml_pieces(raw, span.start + at);
                // a custom mark typed at the start of its note is the note's label
                if let Some(mark) = cur.mark.filter(|_| cur.label.is_none()) {
                    let typed: String = pieces.iter().map(|p| p.text.as_str()).collect();
                    if typed.trim() == mark && cur.builder.text.trim().is_empty() {
                        run_is_label = true;
                        return Ok(());
                    }
                }
                for piece in pieces {
                    cur.builder.push(&piece);
                }
            }
            Event::CData(c) if in_text && fallback == 0 => {
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
