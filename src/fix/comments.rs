//! Findings for a person, as Word comments in a fixed .docx.
//!
//! `ibid fix` on a .docx writes what it can as tracked changes ([`super::docx`]); every other
//! finding (a fix that needs a person, an ambiguous Ibid., a short form without its full form, a
//! name spelled two ways, an unsafe fix without `--unsafe`) becomes a comment anchored at the
//! citation, as an editor would leave one: `w:commentRangeStart` before the citation's text,
//! `w:commentRangeEnd` after it and a run holding the `w:commentReference`, the comment itself in
//! the package's comments part (`word/comments.xml`, created with its relationship and content
//! type when the package has none). A run is split where the citation starts or ends inside it
//! (both halves keep the run's properties); a citation that a tracked change rewrote is anchored
//! on the whole rewritten region, and one in a run that holds more than text (a tab, a field) on
//! that whole run.
//!
//! A comment already there, by the same author, with the same text, in the same note, is not
//! written again: fixing twice adds nothing.

use std::collections::HashSet;
use std::path::Path;

use quick_xml::events::Event;

use super::docx::{escape, max_id, runs, Run};
use crate::error::{Error, Result};
use crate::manuscript::docx::{self as reader, each_event, local, xml_pieces, CommentsPlace};
use crate::model::span::Span;

/// What [`anchor`] returns: the new manuscript text, the package entries to write (name,
/// content), and how many comments were written.
pub type Anchored = (String, Vec<(String, String)>, usize);

/// One comment to write: where (a span of the manuscript text as checked), the note it
/// concerns (for [`Comment::note_span`]), and its paragraphs.
#[derive(Debug, Clone)]
pub struct Comment {
    /// The span it is anchored at, in the manuscript text as checked.
    pub span: Span,
    /// The span of the note (`w:footnote` element) it concerns, in that text, when known: an
    /// identical comment by the same author already anchored in it is not written again.
    pub note_span: Option<Span>,
    /// Its paragraphs, plain text.
    pub paragraphs: Vec<String>,
}

const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const COMMENTS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// An offset of the old text in the new one, after a rewrite's `regions` (old, new): inside a
/// region, its start (`start`) or end; elsewhere moved by the growth of the regions before.
fn moved(regions: &[(Span, Span)], at: usize, start: bool) -> usize {
    let mut delta: isize = 0;
    for (old, new) in regions {
        if at < old.start || (at == old.start && start) {
            break;
        }
        if at < old.end || (at == old.end && start) {
            return if start { new.start } else { new.end };
        }
        delta += new.len() as isize - old.len() as isize;
    }
    (at as isize + delta) as usize
}

/// Where a comment mark goes: before or after a run (a byte offset at a run's edge), or inside
/// the text of a run that is split there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    At(usize),
    Split(usize, usize),
}

/// The comments' existing text by id, and where each is anchored: (text, author, start offset).
fn existing(
    path: &Path,
    text: &str,
    place: &CommentsPlace,
) -> Result<Vec<(String, String, usize)>> {
    let mut bodies: Vec<(String, String, String)> = Vec::new(); // id, author, text
    if let Some((name, xml)) = &place.comments {
        let mut current: Option<(String, String, String)> = None;
        let mut in_t = false;
        each_event(path, name, xml, |event, at| {
            match event {
                Event::Start(e) if local(e.name().as_ref()) == b"comment" => {
                    current = Some((
                        reader::attr(e, b"id").unwrap_or_default(),
                        reader::attr(e, b"author").unwrap_or_default(),
                        String::new(),
                    ));
                }
                Event::End(e) if local(e.name().as_ref()) == b"comment" => {
                    bodies.extend(current.take());
                }
                Event::End(e) if local(e.name().as_ref()) == b"p" => {
                    if let Some(c) = current.as_mut() {
                        c.2.push('\n');
                    }
                }
                Event::Start(e) if local(e.name().as_ref()) == b"t" => in_t = true,
                Event::End(e) if local(e.name().as_ref()) == b"t" => in_t = false,
                Event::Text(_) | Event::GeneralRef(_) if in_t => {
                    if let Some(c) = current.as_mut() {
                        for piece in xml_pieces(at.slice(xml), 0) {
                            c.2.push_str(&piece.text);
                        }
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
    }
    let mut out = Vec::new();
    for (name, span) in reader::parts(text) {
        each_event(path, &name, span.slice(text), |event, at| {
            if let Event::Start(e) | Event::Empty(e) = event {
                if local(e.name().as_ref()) == b"commentRangeStart" {
                    let id = reader::attr(e, b"id").unwrap_or_default();
                    if let Some((_, author, body)) = bodies.iter().find(|b| b.0 == id) {
                        out.push((body.clone(), author.clone(), span.start + at.start));
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// The paragraph (`w:p` element) of the XML `text` around `span`.
fn paragraph(text: &str, span: Span) -> Span {
    let before = &text[..span.start.min(text.len())];
    let start = [before.rfind("<w:p>"), before.rfind("<w:p ")]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0);
    let end = text[span.end.min(text.len())..]
        .find("</w:p>")
        .map_or(text.len(), |e| span.end + e);
    Span::new(start, end)
}

fn body(paragraphs: &[String]) -> String {
    paragraphs.iter().map(|p| format!("{p}\n")).collect()
}

/// Writes `comments` into the manuscript text `new` (the old text `old` rewritten with
/// `regions`, see [`super::docx::Rewrite`]): the anchors into the parts, and the comments part,
/// relationships and content types changed in `extra` (entry name, new content). Returns the
/// new text and how many comments were written (those already there are not).
#[allow(clippy::too_many_arguments)]
pub fn anchor(
    path: &Path,
    old: &str,
    new: &str,
    regions: &[(Span, Span)],
    comments: &[Comment],
    place: &CommentsPlace,
    author: &str,
    date: &str,
) -> Result<Anchored> {
    let there = existing(path, old, place)?;
    let mut wanted: Vec<&Comment> = Vec::new();
    let mut seen: HashSet<(String, Option<Span>)> = HashSet::new();
    for c in comments {
        let text = body(&c.paragraphs);
        // where an identical comment would be: in the note, else in the paragraph
        let scope = c.note_span.unwrap_or_else(|| paragraph(old, c.span));
        let duplicate = there
            .iter()
            .any(|(t, a, at)| t == &text && a == author && scope.start <= *at && *at <= scope.end);
        if !duplicate && seen.insert((text, Some(scope))) {
            wanted.push(c);
        }
    }
    if wanted.is_empty() {
        return Ok((new.to_owned(), Vec::new(), 0));
    }
    let mut all: Vec<Run> = Vec::new();
    for (name, span) in reader::parts(new) {
        all.extend(runs(path, &name, span.slice(new), span.start)?);
    }
    let comment_ids = place.comments.as_ref().map_or(0, |(_, xml)| max_id(xml));
    let mut next = max_id(new).max(comment_ids) + 1;
    // marks: (place, order at one place, markup)
    let mut marks: Vec<(Place, u8, i64, String)> = Vec::new();
    let mut bodies = String::new();
    let initials: String = author
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    for c in &wanted {
        let (s, e) = (
            moved(regions, c.span.start, true),
            moved(regions, c.span.end, false),
        );
        let Some((from, to)) = places(&all, new, s, e.max(s)) else {
            continue;
        };
        let id = next;
        next += 1;
        marks.push((from, 2, id, format!("<w:commentRangeStart w:id=\"{id}\"/>")));
        marks.push((to, 0, id, format!("<w:commentRangeEnd w:id=\"{id}\"/>")));
        marks.push((
            to,
            1,
            id,
            format!("<w:r><w:commentReference w:id=\"{id}\"/></w:r>"),
        ));
        bodies.push_str(&format!(
            "<w:comment w:id=\"{id}\" w:author=\"{}\" w:date=\"{date}\" w:initials=\"{}\">",
            escape_attr(author),
            escape_attr(&initials)
        ));
        for (i, p) in c.paragraphs.iter().enumerate() {
            bodies.push_str("<w:p>");
            if i == 0 {
                bodies.push_str("<w:r><w:annotationRef/></w:r>");
            }
            bodies.push_str(&format!(
                "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(p)
            ));
        }
        bodies.push_str("</w:comment>");
    }
    let written = marks.len() / 3;
    if written == 0 {
        return Ok((new.to_owned(), Vec::new(), 0));
    }
    let text = insert_marks(new, &all, marks);
    Ok((text, package_parts(path, place, &bodies)?, written))
}

/// Where a comment on `s..e` of the new text starts and ends.
fn places(all: &[Run], text: &str, s: usize, e: usize) -> Option<(Place, Place)> {
    let in_text = |at: usize| {
        all.iter().position(|r| {
            r.text
                .as_ref()
                .is_some_and(|t| t.start <= at && at <= t.end)
        })
    };
    // a point, or a span at no run's text: the run it is in, or the next one, whole
    if s == e || in_text(s).is_none() || in_text(e).is_none() {
        let k = in_text(s)
            .or_else(|| all.iter().position(|r| r.whole.end > s))
            .filter(|&k| all[k].whole.start <= e.max(s + 1))?;
        let last = all
            .iter()
            .rposition(|r| r.whole.start < e)
            .filter(|&l| l >= k && e > s)
            .unwrap_or(k);
        return Some((
            Place::At(all[k].whole.start),
            Place::At(all[last].whole.end),
        ));
    }
    let point = |at: usize, start: bool| -> Place {
        let k = all
            .iter()
            .position(|r| {
                r.text.as_ref().is_some_and(|t| {
                    (start && t.start <= at && at < t.end)
                        || (!start && t.start < at && at <= t.end)
                })
            })
            .or_else(|| in_text(at))
            .unwrap_or(0);
        let run = &all[k];
        let t = run.text.clone().unwrap_or(run.whole.clone());
        if at <= t.start {
            return Place::At(run.whole.start);
        }
        if at >= t.end {
            return Place::At(run.whole.end);
        }
        if run.refusal.is_some() {
            return Place::At(if start {
                run.whole.start
            } else {
                run.whole.end
            });
        }
        // not inside an entity: out to the piece's edge
        let mut cut = at;
        for p in xml_pieces(&text[t.clone()], t.start) {
            if !p.verbatim && p.source.start < at && at < p.source.end {
                cut = if start { p.source.start } else { p.source.end };
            }
        }
        if cut <= t.start {
            Place::At(run.whole.start)
        } else if cut >= t.end {
            Place::At(run.whole.end)
        } else {
            Place::Split(k, cut)
        }
    };
    Some((point(s, true), point(e, false)))
}

/// The text with the marks in: runs split where a mark falls inside their text.
fn insert_marks(text: &str, all: &[Run], mut marks: Vec<(Place, u8, i64, String)>) -> String {
    let offset = |p: &Place| match p {
        Place::At(a) | Place::Split(_, a) => *a,
    };
    marks.sort_by_key(|m| (offset(&m.0), m.1, m.2));
    // each split run, rebuilt once with all its marks
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut split_runs: Vec<usize> = marks
        .iter()
        .filter_map(|m| match m.0 {
            Place::Split(k, _) => Some(k),
            Place::At(_) => None,
        })
        .collect();
    split_runs.sort_unstable();
    split_runs.dedup();
    for &k in &split_runs {
        let run = &all[k];
        let t = run.text.clone().unwrap_or_default();
        let open = &text[run.open.clone()];
        let rpr = run.rpr.clone().map_or("", |r| &text[r]);
        let piece = |a: usize, b: usize| {
            format!(
                "{open}{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                &text[a..b]
            )
        };
        let mut out = String::new();
        let mut at = t.start;
        for m in marks
            .iter()
            .filter(|m| matches!(m.0, Place::Split(j, _) if j == k))
        {
            let cut = offset(&m.0);
            if cut > at {
                out.push_str(&piece(at, cut));
                at = cut;
            }
            out.push_str(&m.3);
        }
        out.push_str(&piece(at, t.end));
        edits.push((run.whole.clone(), out));
    }
    for m in marks.iter().filter(|m| matches!(m.0, Place::At(_))) {
        let a = offset(&m.0);
        edits.push((a..a, m.3.clone()));
    }
    // insertions before a rebuilt run that starts at the same offset; stable otherwise
    edits.sort_by_key(|(r, _)| (r.start, !r.is_empty()));
    let mut out = String::with_capacity(text.len() + edits.len() * 64);
    let mut at = 0;
    for (range, markup) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&markup);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn escape_attr(text: &str) -> String {
    escape(text).replace('"', "&quot;")
}

/// The comments part with `bodies` appended (created when the package has none), and, for a
/// new part, the document's relationship to it and its content type.
fn package_parts(
    path: &Path,
    place: &CommentsPlace,
    bodies: &str,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if let Some((name, xml)) = &place.comments {
        let updated = if let Some(end) = xml.rfind("</w:comments>") {
            format!("{}{bodies}{}", &xml[..end], &xml[end..])
        } else if let Some(close) = xml
            .rfind("<w:comments")
            .and_then(|open| xml[open..].rfind("/>").map(|c| open + c))
        {
            // an empty part written as one element: `<w:comments .../>`
            format!(
                "{}>{bodies}</w:comments>{}",
                &xml[..close],
                &xml[close + 2..]
            )
        } else {
            return Err(Error::input(
                path,
                format!("{name}: not a comments part ibid can add to; nothing was written"),
            ));
        };
        out.push((name.clone(), updated));
        return Ok(out);
    }
    // a new part beside the document
    let mut file = "comments.xml".to_owned();
    let mut n = 1;
    while place.taken.contains(&format!("{}{file}", place.dir)) {
        n += 1;
        file = format!("comments{n}.xml");
    }
    let name = format!("{}{file}", place.dir);
    out.push((
        name.clone(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{W_NS}\">{bodies}</w:comments>"
        ),
    ));
    let mut id = "rIdIbidComments".to_owned();
    while place.taken.contains(&id) {
        id.push('1');
    }
    let rel = format!("<Relationship Id=\"{id}\" Type=\"{COMMENTS_REL}\" Target=\"{file}\"/>");
    let (rels_name, rels_xml) = &place.rels;
    let rels = match rels_xml {
        Some(xml) => match xml.rfind("</Relationships>") {
            Some(end) => format!("{}{rel}{}", &xml[..end], &xml[end..]),
            None => return Err(Error::input(path, format!("{rels_name}: no </Relationships>; nothing was written"))),
        },
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rel}</Relationships>"
        ),
    };
    out.push((rels_name.clone(), rels));
    if let Some(types) = &place.types {
        let part = format!("/{name}");
        if !types.contains(&format!("PartName=\"{part}\"")) {
            let Some(end) = types.rfind("</Types>") else {
                return Err(Error::input(
                    path,
                    "[Content_Types].xml: no </Types>; nothing was written",
                ));
            };
            out.push((
                "[Content_Types].xml".to_owned(),
                format!(
                    "{}<Override PartName=\"{part}\" ContentType=\"{COMMENTS_TYPE}\"/>{}",
                    &types[..end],
                    &types[end..]
                ),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_move_past_rewritten_regions() {
        let regions = [(Span::new(10, 20), Span::new(10, 40))];
        assert_eq!(moved(&regions, 5, true), 5);
        assert_eq!(moved(&regions, 12, true), 10);
        assert_eq!(moved(&regions, 12, false), 40);
        assert_eq!(moved(&regions, 25, true), 45);
    }
}
