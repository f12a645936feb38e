//! The body of a Word document: the note references of the main part, and its visible text for
//! documents whose notes were typed rather than made with Word.

use quick_xml::events::Event;

use super::{attr, each_event, local, parse_fmt, xml_pieces, Formats, Kind};
use crate::error::Result;
use crate::manuscript::html::{Builder, Piece};
use crate::model::span::Span;
use std::path::Path;

/// A note reference of the body.
pub(super) struct Reference {
    pub kind: Kind,
    /// The `w:id` of the note it refers to.
    pub wid: String,
    /// Its run (and the run of its custom mark, when that follows in a run of its own).
    pub span: Span,
    /// A custom mark (`w:customMarkFollows`): the text Word shows instead of a number, the
    /// content of the run that follows the reference (`*`). Empty when the mark has no text.
    pub mark: Option<String>,
}

/// True for an on/off attribute that is on (`1`, `true`, `on`).
pub(super) fn is_on(value: Option<String>) -> bool {
    matches!(value.as_deref(), Some("1" | "true" | "on"))
}

/// The footnote and endnote references of document.xml (spans: their `<w:r>` runs, shifted by
/// `at`), and the number formats of its section properties.
///
/// A reference inside a tracked deletion (`w:del`, `w:moveFrom`: the old place of a moved
/// reference) does not count, one inside an insertion (`w:ins`, `w:moveTo`) does: the document as
/// if its changes were accepted. The `mc:Fallback` of an `mc:AlternateContent` repeats its
/// `mc:Choice` for older readers and is skipped.
pub(super) fn scan_document(
    path: &Path,
    part: &str,
    xml: &str,
    at: usize,
    formats: &mut Formats,
) -> Result<Vec<Reference>> {
    let mut refs = Vec::new();
    let mut run_start: Option<usize> = None;
    // the reference of the run being read; whether it has a custom mark
    let mut pending: Option<(Reference, bool)> = None;
    // a reference whose custom mark is in the next run
    let mut awaiting: Option<Reference> = None;
    // the text of the current run after its reference (a custom mark)
    let mut run_text = String::new();
    let mut in_text = false;
    let mut deleted = 0usize;
    let mut fallback = 0usize;
    let mut within: Option<Kind> = None;
    each_event(path, part, xml, |event, span| {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let start = matches!(event, Event::Start(_));
                match local(e.name().as_ref()) {
                    b"Fallback" if start => fallback += 1,
                    _ if fallback > 0 => {}
                    b"r" if start => {
                        run_start = Some(span.start);
                        run_text.clear();
                    }
                    b"t" if start => in_text = true,
                    b"del" | b"moveFrom" if start => deleted += 1,
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
                        let reference = Reference {
                            kind,
                            wid: attr(e, b"id").unwrap_or_default(),
                            span,
                            mark: None,
                        };
                        run_text.clear();
                        pending = Some((reference, is_on(attr(e, b"customMarkFollows"))));
                    }
                    _ => {}
                }
            }
            Event::Text(_) | Event::GeneralRef(_) if in_text && fallback == 0 => {
                for piece in xml_pieces(span.slice(xml), 0) {
                    run_text.push_str(&piece.text);
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                b"Fallback" => fallback = fallback.saturating_sub(1),
                _ if fallback > 0 => {}
                b"t" => in_text = false,
                b"r" => {
                    let start = run_start.take();
                    if let Some(mut waiting) = awaiting.take() {
                        // the custom mark of the reference before: this run's text
                        if pending.is_none() && !run_text.trim().is_empty() {
                            waiting.mark = Some(run_text.trim().to_owned());
                            waiting.span.end = span.end + at;
                        }
                        refs.push(waiting);
                    }
                    if let Some((mut reference, custom)) = pending.take() {
                        let own = reference.span;
                        reference.span = Span::new(start.unwrap_or(own.start), span.end).shift(at);
                        let mark = run_text.trim();
                        if !custom {
                            refs.push(reference);
                        } else if mark.is_empty() {
                            reference.mark = Some(String::new());
                            awaiting = Some(reference);
                        } else {
                            reference.mark = Some(mark.to_owned());
                            refs.push(reference);
                        }
                    }
                    run_text.clear();
                }
                b"del" | b"moveFrom" => deleted = deleted.saturating_sub(1),
                b"footnotePr" | b"endnotePr" => within = None,
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    refs.extend(awaiting);
    if let Some((mut reference, custom)) = pending {
        reference.span = reference.span.shift(at);
        if custom {
            reference.mark = Some(String::new());
        }
        refs.push(reference);
    }
    Ok(refs)
}

/// The visible text of document.xml, paragraph by paragraph (spans shifted by `at`): italic runs
/// give emphasis, a number in a superscript run becomes superscript digits (`¹`), a marker.
/// Hyphens as in a note (see [`special_char`]); an `mc:Fallback` is skipped.
pub(super) fn flatten_document(path: &Path, part: &str, xml: &str, at: usize) -> Result<Builder> {
    let mut b = Builder::default();
    let (mut in_run, mut in_rpr, mut in_text) = (false, false, false);
    let (mut italic, mut superscript) = (false, false);
    let mut fallback = 0usize;
    each_event(path, part, xml, |event, span| {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e.name().as_ref()) {
                    b"Fallback" if !empty => fallback += 1,
                    _ if fallback > 0 => {}
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
                    name if in_run => {
                        if let Some(piece) = special_char(name, span.shift(at)) {
                            b.push(&piece);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                b"Fallback" => fallback = fallback.saturating_sub(1),
                _ if fallback > 0 => {}
                b"p" => b.paragraph(span.start + at),
                b"r" => {
                    in_run = false;
                    in_rpr = false;
                }
                b"rPr" => in_rpr = false,
                b"t" => in_text = false,
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) if in_text && fallback == 0 => {
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

/// The text of a run's special-character element (`source`: the element): a non-breaking hyphen
/// (`w:noBreakHyphen`, which LibreOffice writes for U+2011 and Word for Ctrl+Shift+-) reads as
/// U+2011, so `4‑13` stays a page range; an optional hyphen (`w:softHyphen`) reads as nothing,
/// as Word shows it except at a line break (so `None`, as for any other element).
pub(super) fn special_char(name: &[u8], source: Span) -> Option<Piece> {
    (name == b"noBreakHyphen").then(|| Piece {
        text: "\u{2011}".to_owned(),
        source,
        verbatim: false,
    })
}
