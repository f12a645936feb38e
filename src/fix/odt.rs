//! Fixes in an OpenDocument text (.odt), written as ODF tracked changes.
//!
//! A fix's span runs over a note's text in `content.xml` (see [`crate::manuscript::odt`]). The
//! old and new citation are compared token by token (a word, a run of spaces, each punctuation
//! mark; a word whose italics change counts as changed), and each change is written where
//! LibreOffice writes one: the old characters leave the paragraph for a `text:deletion` region
//! (a `<text:change/>` mark stays at their place), and the new ones stand between
//! `<text:change-start/>` and `<text:change-end/>` marks of a `text:insertion` region; the
//! regions (`text:changed-region`, author `ibid` as `dc:creator`, dated `dc:date`) go in the
//! `text:tracked-changes` element at the start of `office:text`. Inserted text whose italics
//! differ from the text around it is wrapped in a `text:span` of an automatic style ibid adds
//! (`ibid-italic`, `ibid-upright`). Rejecting every change gives back the old text, accepting
//! them the fixed one (italics of deleted text are not kept in the deletion region).
//!
//! The rest of the package is copied unchanged, entry by entry (raw, same compression and
//! order, so `mimetype` stays first and stored): only `content.xml` is written anew.
//!
//! Refused (an error, nothing written): a change whose old characters are not plain text of one
//! text node (they cross a span, a link, a paragraph or other markup), an insertion next to a
//! link's URL, and anything whose result is not well-formed XML.

use std::path::Path;

use similar::{Algorithm, DiffTag};

use crate::check::edit::tokens;
use crate::error::{Error, Result};
use crate::manuscript::docx::each_event;
use crate::manuscript::odt;
use crate::manuscript::Note;
use crate::model::diagnostic::Fix;
use crate::model::span::Span;

use super::docx::{now, package, replacement_chars, Refusals, Rewrite, AUTHOR};

/// One edit of the manuscript text: `span` replaced by `text`.
struct Edit {
    span: Span,
    text: String,
}

/// The smallest note-text offset whose source offset is `pos` (`last`: the largest).
fn text_offset(note: &Note, pos: usize, last: bool) -> Option<usize> {
    let mut found = None;
    for t in 0..=note.text.len() {
        if note.text.is_char_boundary(t) && note.map.offset(t) == Some(pos) {
            found = Some(t);
            if !last {
                break;
            }
        }
    }
    found
}

/// True when the source of a decoded piece may be deleted or sit next to an insertion: an
/// entity, a `<text:s/>` space, or white space.
fn plain_piece(raw: &str) -> bool {
    raw.starts_with('&') && raw.ends_with(';') && !raw.contains('<')
        || raw.starts_with("<text:s") && raw.ends_with("/>") && raw.matches('<').count() == 1
        || raw.chars().all(char::is_whitespace)
}

/// The source of note-text `a..b` when it is plain text of one text node.
fn plain_source(
    note: &Note,
    a: usize,
    b: usize,
    xml: &str,
) -> std::result::Result<Span, &'static str> {
    let segments: Vec<&crate::model::span::Segment> = note
        .map
        .segments
        .iter()
        .filter(|s| s.text.end > a && s.text.start < b)
        .collect();
    // the source from the segments the change covers: at a boundary between two segments the
    // map would give the end of the one before, which may lie before markup (`</text:span>`)
    let verbatim = |s: &crate::model::span::Segment| s.text.len() == s.source.len();
    let whole = match (segments.first(), segments.last()) {
        (Some(first), Some(last)) => {
            let start = if verbatim(first) && first.text.start <= a {
                first.source.start + (a - first.text.start)
            } else {
                first.source.start
            };
            let end = if verbatim(last) && b <= last.text.end {
                last.source.start + (b - last.text.start)
            } else {
                last.source.end
            };
            Span::new(start, end)
        }
        _ => note
            .map
            .span(Span::new(a, b))
            .ok_or("a change that does not map to the text")?,
    };
    let mut previous: Option<usize> = None;
    for &seg in &segments {
        if previous.is_some_and(|end| end != seg.source.start) {
            return Err("a change that crosses markup (a span, a link or a paragraph)");
        }
        if seg.text.len() != seg.source.len()
            && !(a <= seg.text.start && seg.text.end <= b && plain_piece(seg.source.slice(xml)))
        {
            return Err("a change that crosses markup (a span, a link or a paragraph)");
        }
        previous = Some(seg.source.end);
    }
    Ok(whole)
}

fn escape(text: &str) -> String {
    crate::render::Rich::plain(text).to_html()
}

/// Rewrites the manuscript text `text` of an .odt with `fixes` as tracked changes dated `date`.
/// Fails (nothing changed) when a fix's `written` is not what its span holds, when fixes
/// overlap, or when a change crosses markup (see the module doc).
pub fn rewrite(path: &Path, text: &str, fixes: &[&Fix], date: &str) -> Result<Rewrite> {
    write(path, text, fixes, date, false).map(|(rewrite, _)| rewrite)
}

/// What a writing of tracked changes has made so far.
struct Written {
    edits: Vec<Edit>,
    /// The `text:changed-region` elements.
    regions: String,
    next_id: usize,
    styles_needed: [bool; 2],
    /// Where the last fix written ends.
    covered: usize,
}

/// Writes `fixes` into `text` as tracked changes. A fix that cannot be written fails the whole
/// writing, or with `lenient` is left out (what it had written taken back) and returned with
/// its reason.
fn write(
    path: &Path,
    text: &str,
    fixes: &[&Fix],
    date: &str,
    lenient: bool,
) -> Result<(Rewrite, Refusals)> {
    let refuse = |why: &str| Error::input(path, format!("{why}; nothing was written"));
    let ms = odt::read_text(path, text.to_owned())?;
    let parts = crate::manuscript::docx::parts(text);
    let content = parts
        .iter()
        .find(|(n, _)| n == "content.xml")
        .map(|(_, s)| *s)
        .ok_or_else(|| refuse("no content.xml"))?;
    let date = date.trim_end_matches('Z');
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| (fixes[i].span.start, fixes[i].span.end));
    let next_id = (1..)
        .find(|n| !text.contains(&format!("ibid-ct{n}")))
        .unwrap_or(1);
    let mut st = Written {
        edits: Vec::new(),
        regions: String::new(),
        next_id,
        styles_needed: [false, false],
        covered: 0,
    };
    // the notes by place in the text
    let mut by_place: Vec<usize> = (0..ms.notes.len()).collect();
    by_place.sort_by_key(|&k| ms.notes[k].span.start);
    // one fix: its edits, or why it cannot be written
    let one = |st: &mut Written, fix: &Fix| -> Result<()> {
        if fix.span.start < st.covered {
            return Err(refuse(&format!(
                "byte {}: two fixes overlap",
                fix.span.start
            )));
        }
        st.covered = fix.span.end;
        if fix.span.slice(text) != fix.written {
            return Err(refuse(&format!(
                "byte {}: the text there is not what was checked",
                fix.span.start
            )));
        }
        // the note that starts last at or before the fix (notes do not overlap)
        let at = by_place.partition_point(|&k| ms.notes[k].span.start <= fix.span.start);
        let note = at
            .checked_sub(1)
            .map(|k| &ms.notes[by_place[k]])
            .filter(|n| n.span.contains(fix.span))
            .ok_or_else(|| refuse("a fix outside every note"))?;
        let (a, b) = (
            text_offset(note, fix.span.start, false),
            text_offset(note, fix.span.end, true),
        );
        let (Some(a), Some(b)) = (a, b) else {
            return Err(refuse("a fix whose ends do not map to the note's text"));
        };
        let italic_at = |t: usize| note.emphasis.iter().any(|e| e.start <= t && t < e.end);
        let old: Vec<(char, bool, usize)> = note.text[a..b]
            .char_indices()
            .map(|(k, c)| (c, italic_at(a + k), a + k))
            .collect();
        let old_ci: Vec<(char, bool)> = old.iter().map(|&(c, it, _)| (c, it)).collect();
        let new = replacement_chars(&fix.replacement);
        let (ot, nt) = (tokens(&old_ci), tokens(&new));
        let key = |chars: &[(char, bool)], r: &std::ops::Range<usize>| -> (String, bool) {
            let s: String = chars[r.clone()].iter().map(|&(c, _)| c).collect();
            let it = chars[r.start].1 && !s.trim().is_empty();
            (s, it)
        };
        let ok: Vec<(String, bool)> = ot.iter().map(|r| key(&old_ci, r)).collect();
        let nk: Vec<(String, bool)> = nt.iter().map(|r| key(&new, r)).collect();
        let byte = |k: usize| old.get(k).map_or(b, |o| o.2);
        let mut next = 0;
        for op in similar::capture_diff_slices(Algorithm::Myers, &ok, &nk) {
            let (tag, o, n) = op.as_tag_tuple();
            let o = if o.is_empty() { next..next } else { o };
            next = o.end;
            if tag == DiffTag::Equal {
                continue;
            }
            let from = ot.get(o.start).map_or(old.len(), |r| r.start);
            let to = ot[o.clone()].last().map_or(from, |r| r.end);
            let added: Vec<(char, bool)> = nt[n]
                .iter()
                .flat_map(|r| new[r.clone()].iter().copied())
                .collect();
            let (ta, tb) = (byte(from), byte(to));
            let (span, context) = if from < to {
                let span = plain_source(note, ta, tb, text).map_err(refuse)?;
                (span, old[from].1)
            } else {
                // an insertion: at the end of the text before it, or the start of the text after
                let before = note.map.segments.iter().find(|s| s.text.end == ta);
                let after = note.map.segments.iter().find(|s| s.text.start == ta);
                let plain = |s: &crate::model::span::Segment| {
                    s.text.len() == s.source.len() || plain_piece(s.source.slice(text))
                };
                let inside = note
                    .map
                    .segments
                    .iter()
                    .find(|s| s.text.start < ta && ta < s.text.end);
                let pos = match (inside, before, after) {
                    (Some(s), _, _) if s.text.len() == s.source.len() => {
                        s.source.start + (ta - s.text.start)
                    }
                    (None, Some(s), _) if plain(s) => s.source.end,
                    (None, _, Some(s)) if plain(s) => s.source.start,
                    _ => return Err(refuse("an insertion next to markup (a link's URL)")),
                };
                let context = from
                    .checked_sub(1)
                    .and_then(|k| old.get(k))
                    .or(old.get(from))
                    .is_some_and(|o| o.1);
                (Span::new(pos, pos), context)
            };
            let mut out = String::new();
            if !span.is_empty() {
                let id = format!("ibid-ct{}", st.next_id);
                st.next_id += 1;
                out.push_str(&format!("<text:change text:change-id=\"{id}\"/>"));
                let gone: String = old[from..to].iter().map(|o| o.0).collect();
                st.regions.push_str(&format!(
                    "<text:changed-region xml:id=\"{id}\" text:id=\"{id}\"><text:deletion>{}\
                     <text:p>{}</text:p></text:deletion></text:changed-region>",
                    change_info(date),
                    escape(&gone)
                ));
            }
            if !added.is_empty() {
                let id = format!("ibid-ct{}", st.next_id);
                st.next_id += 1;
                out.push_str(&format!("<text:change-start text:change-id=\"{id}\"/>"));
                // runs of one italics, each in a span when it differs from the text around
                let mut k = 0;
                while k < added.len() {
                    let it = added[k].1;
                    let run: String = added[k..]
                        .iter()
                        .take_while(|c| c.1 == it)
                        .map(|c| c.0)
                        .collect();
                    k += run.chars().count();
                    if it == context || run.trim().is_empty() {
                        out.push_str(&escape(&run));
                    } else {
                        let style = if it { "ibid-italic" } else { "ibid-upright" };
                        st.styles_needed[usize::from(!it)] = true;
                        out.push_str(&format!(
                            "<text:span text:style-name=\"{style}\">{}</text:span>",
                            escape(&run)
                        ));
                    }
                }
                out.push_str(&format!("<text:change-end text:change-id=\"{id}\"/>"));
                st.regions.push_str(&format!(
                    "<text:changed-region xml:id=\"{id}\" text:id=\"{id}\"><text:insertion>{}\
                     </text:insertion></text:changed-region>",
                    change_info(date)
                ));
            }
            st.edits.push(Edit { span, text: out });
        }
        Ok(())
    };
    let mut refused: Refusals = Vec::new();
    for &i in &order {
        let mark = (
            st.edits.len(),
            st.regions.len(),
            st.next_id,
            st.styles_needed,
            st.covered,
        );
        match one(&mut st, fixes[i]) {
            Ok(()) => {}
            Err(e) if lenient => {
                st.edits.truncate(mark.0);
                st.regions.truncate(mark.1);
                (st.next_id, st.styles_needed, st.covered) = (mark.2, mark.3, mark.4);
                refused.push((i, e));
            }
            Err(e) => return Err(e),
        }
    }
    let Written {
        mut edits,
        regions,
        styles_needed,
        ..
    } = st;
    let xml = content.slice(text);
    let at = content.start;
    edits.extend(header_edits(xml, at, &regions, styles_needed).map_err(refuse)?);
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // apply, and find where each fix's span went
    let mut out = String::with_capacity(text.len() + regions.len() * 2);
    let mut pos = 0;
    for e in &edits {
        if e.span.start < pos {
            return Err(refuse("two changes overlap"));
        }
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.text);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    // the growth of the text before each edit (`grown[j]`: of edits[..j]); edits are sorted
    let grown: Vec<isize> = std::iter::once(0)
        .chain(edits.iter().scan(0isize, |sum, e| {
            *sum += e.text.len() as isize - e.span.len() as isize;
            Some(*sum)
        }))
        .collect();
    let shifted = |p: usize, inclusive: bool| -> usize {
        let before = edits.partition_point(|e| e.span.start < p || inclusive && e.span.start == p);
        (p as isize + grown[before]) as usize
    };
    let spans = fixes
        .iter()
        .map(|f| Span::new(shifted(f.span.start, false), shifted(f.span.end, true)))
        .collect();
    // the result must still be well-formed
    for (name, span) in crate::manuscript::docx::parts(&out) {
        each_event(path, &name, span.slice(&out), |_, _| Ok(()))?;
    }
    // (the regions place Word comments after a rewrite; none are written into an .odt)
    Ok((
        Rewrite {
            text: out,
            spans,
            regions: Vec::new(),
        },
        refused,
    ))
}

/// `office:change-info` by ibid, dated.
fn change_info(date: &str) -> String {
    format!(
        "<office:change-info><dc:creator>{AUTHOR}</dc:creator><dc:date>{date}</dc:date>\
         </office:change-info>"
    )
}

/// The edits that hold the change regions (in `text:tracked-changes` at the start of
/// `office:text`, after `office:forms`), the automatic styles of inserted italics, and the `dc`
/// namespace, in content.xml `xml` (at `at` of the manuscript text).
fn header_edits(
    xml: &str,
    at: usize,
    regions: &str,
    styles: [bool; 2],
) -> std::result::Result<Vec<Edit>, &'static str> {
    let mut out = Vec::new();
    if regions.is_empty() {
        return Ok(out);
    }
    let tag_end = |from: usize| xml[from..].find('>').map(|p| from + p + 1);
    let ins = |pos: usize, text: String| Edit {
        span: Span::new(at + pos, at + pos),
        text,
    };
    // the dc namespace on the root element
    let root = xml
        .find("<office:document-content")
        .ok_or("content.xml has no office:document-content")?;
    let root_end = tag_end(root).ok_or("content.xml is cut")?;
    if !xml[root..root_end].contains("xmlns:dc=") {
        let pos = root + "<office:document-content".len();
        out.push(ins(
            pos,
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"".into(),
        ));
    }
    // the regions
    if let Some(p) = xml.find("</text:tracked-changes>") {
        out.push(ins(p, regions.to_owned()));
    } else if let Some(p) = xml.find("<text:tracked-changes") {
        let end = tag_end(p).ok_or("content.xml is cut")?;
        if !xml[p..end].ends_with("/>") {
            return Err("content.xml has an unusual text:tracked-changes element");
        }
        out.push(Edit {
            span: Span::new(at + p, at + end),
            text: format!(
                "{}>{regions}</text:tracked-changes>",
                xml[p..end - 2].trim_end()
            ),
        });
    } else {
        let p = xml
            .find("<office:text")
            .ok_or("content.xml has no office:text")?;
        let mut pos = tag_end(p).ok_or("content.xml is cut")?;
        if xml[p..pos].ends_with("/>") {
            return Err("content.xml has an empty office:text");
        }
        let rest = &xml[pos..];
        let blank = rest.len() - rest.trim_start().len();
        if rest.trim_start().starts_with("<office:forms") {
            let f = pos + blank;
            let end = tag_end(f).ok_or("content.xml is cut")?;
            pos = if xml[f..end].ends_with("/>") {
                end
            } else {
                xml[f..]
                    .find("</office:forms>")
                    .map(|e| f + e + "</office:forms>".len())
                    .ok_or("content.xml is cut")?
            };
        }
        out.push(ins(
            pos,
            format!("<text:tracked-changes text:track-changes=\"false\">{regions}</text:tracked-changes>"),
        ));
    }
    // the automatic styles of inserted italics
    let mut defs = String::new();
    for (needed, name, shape) in [
        (styles[0], "ibid-italic", "italic"),
        (styles[1], "ibid-upright", "normal"),
    ] {
        if needed && !xml.contains(&format!("style:name=\"{name}\"")) {
            defs.push_str(&format!(
                "<style:style style:name=\"{name}\" style:family=\"text\"><style:text-properties \
                 fo:font-style=\"{shape}\" style:font-style-asian=\"{shape}\" \
                 style:font-style-complex=\"{shape}\"/></style:style>"
            ));
        }
    }
    if !defs.is_empty() {
        if let Some(p) = xml.find("</office:automatic-styles>") {
            out.push(ins(p, defs));
        } else if let Some(p) = xml.find("<office:automatic-styles/>") {
            out.push(Edit {
                span: Span::new(at + p, at + p + "<office:automatic-styles/>".len()),
                text: format!("<office:automatic-styles>{defs}</office:automatic-styles>"),
            });
        } else {
            let p = xml
                .find("<office:body")
                .ok_or("content.xml has no office:body")?;
            out.push(ins(
                p,
                format!("<office:automatic-styles>{defs}</office:automatic-styles>"),
            ));
        }
        if !xml[root..root_end].contains("xmlns:fo=")
            || !xml[root..root_end].contains("xmlns:style=")
        {
            return Err("content.xml does not declare the fo and style namespaces");
        }
    }
    Ok(out)
}

/// Applies `fixes` to the .odt whose bytes are `original` and whose manuscript text (as read) is
/// `text`: the new package's bytes, the changes tracked and dated `date`.
pub fn fix_package(
    path: &Path,
    original: &[u8],
    text: &str,
    fixes: &[&Fix],
    date: &str,
) -> Result<Vec<u8>> {
    let rewrite = rewrite(path, text, fixes, date)?;
    package(path, original, &rewrite.text)
}

/// [`crate::fix::settle`] for an .odt whose manuscript text is `text`: each trial of fixes is
/// written as tracked changes into a copy of the package (in memory), and `recheck` checks the
/// copy's bytes (at the places the trial's fixes occupy in its text). A fix that cannot be
/// written as a tracked change is left to a person.
pub fn settle(
    path: &Path,
    text: &str,
    diagnostics: &mut [crate::model::diagnostic::Diagnostic],
    recheck: impl Fn(&[u8], &crate::fix::Trial) -> Result<Vec<crate::model::diagnostic::Diagnostic>>,
) -> Result<()> {
    crate::fix::docx::settle_tracked(path, text, &ODT, diagnostics, recheck)
}

/// The .odt writer. Its refusals: one lenient writing of all the fixes.
const ODT: crate::fix::docx::Tracked = crate::fix::docx::Tracked {
    read_text: odt::package_text,
    refusals: |path, text, fixes, date| {
        write(path, text, fixes, date, true).map(|(_, refused)| refused)
    },
    rewrite,
    package,
};

/// `ibid fix` on an .odt: writes `fixes` into the file `target` as tracked changes; without a
/// target (`--diff`), returns a unified diff of the notes' text before and after and writes
/// nothing. Returns the diff and a one-line summary.
pub fn fix_file(
    path: &Path,
    ms: &crate::manuscript::Manuscript,
    fixes: &[&Fix],
    target: Option<&crate::fix::Target>,
) -> Result<(String, String)> {
    let original = match target {
        Some(t) => t.read()?,
        None => crate::manuscript::read_file(path)?,
    };
    if odt::package_text(path, &original)? != ms.text {
        return Err(Error::input(
            path,
            "the file changed since it was read; nothing was written",
        ));
    }
    let bytes = fix_package(path, &original, &ms.text, fixes, &now())?;
    let name = crate::error::display_path(path);
    let Some(target) = target else {
        let after = odt::read(path, &bytes)?;
        let lines = |m: &crate::manuscript::Manuscript| -> String {
            m.notes
                .iter()
                .map(|n| format!("[{}] {}\n", n.id, n.text.replace('\n', " ")))
                .collect()
        };
        let (old, new) = (lines(ms), lines(&after));
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(1)
            .header(&format!("a/{name} (notes)"), &format!("b/{name} (notes)"))
            .to_string();
        return Ok((
            diff,
            format!(
                "{name}: {} citation(s) would be rewritten as tracked changes",
                fixes.len()
            ),
        ));
    };
    target.write(&original, &bytes)?;
    Ok((
        String::new(),
        format!(
            "{name}: {} citation(s) rewritten as tracked changes (author \"{AUTHOR}\")",
            fixes.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostic::Applicability;

    fn text(note_body: &str) -> String {
        format!(
            "{}<office:document-content xmlns:office=\"o\" xmlns:text=\"t\" xmlns:style=\"s\" \
             xmlns:fo=\"f\"><office:automatic-styles/><office:body><office:text><text:p>A.\
             <text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>\
             <text:note-body><text:p>{note_body}</text:p></text:note-body></text:note></text:p>\
             </office:text></office:body></office:document-content>\n",
            odt::part_header("content.xml")
        )
    }

    fn fix(text: &str, old: &str, new: &str) -> Fix {
        let start = text.find(old).unwrap();
        Fix {
            span: Span::new(start, start + old.len()),
            written: old.into(),
            replacement: new.into(),
            applicability: Applicability::Safe,
            work: None,
        }
    }

    fn notes(text: &str) -> Vec<String> {
        odt::read_text(Path::new("t.odt"), text.to_owned())
            .unwrap()
            .notes
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    #[test]
    fn changes_are_tracked_where_the_text_changes() {
        let t = text("Ibid, 4-13.");
        let r = rewrite(
            Path::new("t.odt"),
            &t,
            &[&fix(&t, "Ibid, 4-13", "Ibid., 4–13")],
            "D",
        )
        .unwrap();
        assert_eq!(notes(&r.text), ["Ibid., 4–13."]);
        assert!(r.text.contains("<text:p>Ibid<text:change-start text:change-id=\"ibid-ct1\"/>.<text:change-end text:change-id=\"ibid-ct1\"/>, 4<text:change text:change-id=\"ibid-ct2\"/>"), "{}", r.text);
        assert!(r.text.contains("<office:text><text:tracked-changes"));
        assert!(r.text.contains("<text:deletion><office:change-info><dc:creator>ibid</dc:creator><dc:date>D</dc:date></office:change-info><text:p>-</text:p></text:deletion>"));
        assert!(r.text.contains("xmlns:dc="));
        assert!(r.spans[0]
            .slice(&r.text)
            .starts_with("Ibid<text:change-start"));
    }

    /// A deletion that starts where a span closes (`…Power 0</text:span> (Boston…`) deletes the
    /// text after the close, never the close: the whole of a full citation of a pandoc .odt
    /// rewritten as a short form was refused as ill-formed.
    #[test]
    fn a_change_after_a_span_leaves_the_span_whole() {
        let t = text(
            "Ann Lee, <text:span text:style-name=\"T1\">Hacking Power 0</text:span> (Boston: Beacon, 2001), 50.",
        );
        let old = "Ann Lee, <text:span text:style-name=\"T1\">Hacking Power 0</text:span> (Boston: Beacon, 2001), 50";
        let r = rewrite(
            Path::new("t.odt"),
            &t,
            &[&fix(&t, old, "Lee, Hacking Power 0, 50")],
            "D",
        )
        .unwrap();
        assert_eq!(notes(&r.text), ["Lee, Hacking Power 0, 50."]);
        assert!(
            r.text.contains("Hacking Power 0</text:span><text:change "),
            "{}",
            r.text
        );
    }

    #[test]
    fn refusals_name_the_fixes_that_cannot_be_written_and_write_the_others() {
        let t = text("Ibid, 4-13. Ibid, 5-6.");
        let good = fix(&t, "Ibid, 4-13", "Ibid., 4–13");
        let mut stale = fix(&t, "Ibid, 5-6", "Ibid., 5–6");
        stale.written = "Ibid, 7-8".into();
        let refused = (ODT.refusals)(Path::new("t.odt"), &t, &[&good, &stale], "D").unwrap();
        let which: Vec<usize> = refused.iter().map(|(k, _)| *k).collect();
        assert_eq!(which, [1]);
        assert!(rewrite(Path::new("t.odt"), &t, &[&good, &stale], "D").is_err());
    }

    #[test]
    fn inserted_italics_get_a_style_of_their_own() {
        let t = text("Smith, The Book, 4.");
        let r = rewrite(
            Path::new("t.odt"),
            &t,
            &[&fix(&t, "Smith, The Book, 4", "Smith, <i>The Book</i>, 4")],
            "D",
        )
        .unwrap();
        assert!(r
            .text
            .contains("<text:span text:style-name=\"ibid-italic\">The</text:span>"));
        assert!(r
            .text
            .contains("<office:automatic-styles><style:style style:name=\"ibid-italic\""));
        let ms = odt::read_text(Path::new("t.odt"), r.text.clone()).unwrap();
        let n = &ms.notes[0];
        assert_eq!(n.text, "Smith, The Book, 4.");
        let it: Vec<&str> = n.emphasis.iter().map(|e| e.slice(&n.text)).collect();
        // (the space between the two inserted words stays in the old, upright text)
        assert_eq!(it, ["The", "Book"]);
    }

    #[test]
    fn a_change_across_markup_is_refused() {
        let t = text("Smith, <text:span text:style-name=\"X\">Bo</text:span>ok, 4.");
        let err = rewrite(
            Path::new("t.odt"),
            &t,
            &[&fix(
                &t,
                "Smith, <text:span text:style-name=\"X\">Bo</text:span>ok",
                "Smith, Cook",
            )],
            "D",
        )
        .unwrap_err();
        assert!(err.to_string().contains("crosses markup"), "{err}");
        let stale = Fix {
            written: "other".into(),
            ..fix(&t, "Smith", "Smyth")
        };
        assert!(rewrite(Path::new("t.odt"), &t, &[&stale], "D").is_err());
    }
}
