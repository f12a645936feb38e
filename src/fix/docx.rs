//! Fixes in a Word .docx, written as tracked changes.
//!
//! A .docx manuscript's text is the XML of its parts (see [`crate::manuscript::docx`]); a fix's
//! span runs from inside the `w:t` of one run to inside the `w:t` of the same or a later run of
//! the same paragraph. Here a fix becomes what an editor would have typed with Track Changes on:
//! the old and new citation are compared word by word (a punctuation mark counts as a word), so
//! unchanged words stay in their runs, and changed words become `<w:del>` (the old runs, their text as `w:delText`) followed by `<w:ins>`
//! (a run with the run properties of the old text there, italics set as the style wants), and a
//! word whose italics alone change keeps its text and gets a tracked formatting change
//! (`w:rPrChange`). Every change is by author `ibid`, dated, with an id above every `w:id` of the
//! parts. Rejecting all changes gives back the original text; accepting them gives the fixed one.
//!
//! The rest of the package is copied unchanged: every zip entry but the rewritten parts is copied
//! raw (same bytes, same compression), in the same order; the rewritten parts keep their names,
//! compression method and dates.
//!
//! Refused (an error, nothing written), because the result could not be trusted: a span that
//! starts or ends inside an entity or outside a run's text; runs that hold anything but run
//! properties and one `w:t` (tabs, breaks, field codes, note references); runs inside anything
//! but a paragraph (a hyperlink, a tracked change, a simple field, a content control) or inside a
//! complex field; markup between the runs (bookmarks, proofing marks, comments); a run whose
//! formatting change is already tracked.

use std::io::{Cursor, Read, Write};
use std::ops::Range;
use std::path::Path;

use quick_xml::events::Event;

use crate::check::edit::tokens;
use crate::error::{Error, Result};
use crate::manuscript::docx::{self, each_event, local, xml_pieces};
use crate::model::diagnostic::Fix;
use crate::model::span::Span;

/// The author of every tracked change ibid writes.
pub const AUTHOR: &str = "ibid";

/// The result of rewriting a .docx manuscript's text.
#[derive(Debug, Clone)]
pub struct Rewrite {
    /// The new manuscript text (the same part headers, the rewritten XML).
    pub text: String,
    /// For each fix, in the order given, the span of the rewritten runs in [`Rewrite::text`].
    pub spans: Vec<Span>,
    /// Each rewritten region of runs: where it was in the old text, where it is in the new, in
    /// order (offsets outside them move by the growth of the regions before).
    pub regions: Vec<(Span, Span)>,
}

/// A date for `w:date`: `SOURCE_DATE_EPOCH` when set (reproducible builds and tests), else now;
/// ISO 8601 in UTC to the second, as Word writes it.
pub fn now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    iso_date(secs)
}

/// Seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ` (the civil calendar, proleptic Gregorian).
fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// One `w:r` run of a part, offsets in the manuscript text.
#[derive(Debug, Clone)]
pub(super) struct Run {
    /// The whole element, `<w:r ...>` to `</w:r>`.
    pub whole: Range<usize>,
    /// The start tag.
    pub open: Range<usize>,
    /// The `w:rPr` element, if any.
    pub rpr: Option<Range<usize>>,
    /// The content of its one `w:t` (empty for `<w:t/>`).
    pub text: Option<Range<usize>>,
    /// Why it cannot be rewritten, if it cannot.
    pub refusal: Option<&'static str>,
}

/// The runs of the part at `at..at + xml.len()` of the manuscript text.
pub(super) fn runs(path: &Path, name: &str, xml: &str, at: usize) -> Result<Vec<Run>> {
    let mut out: Vec<Run> = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut fields = 0usize;
    let mut current: Option<Run> = None;
    let mut texts = 0usize;
    let mut rpr_start: Option<usize> = None;
    let mut t_start: Option<usize> = None;
    each_event(path, name, xml, |event, span| {
        let span = span.shift(at);
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e.name().as_ref()).to_vec();
                let depth_in_run = current.as_ref().map(|_| {
                    stack
                        .iter()
                        .rposition(|n| n == b"r")
                        .map_or(0, |p| stack.len() - p)
                });
                if name == b"fldChar" {
                    match docx::attr(e, b"fldCharType").as_deref() {
                        Some("begin") => fields += 1,
                        Some("end") => fields = fields.saturating_sub(1),
                        _ => {}
                    }
                }
                if name == b"r" && current.is_none() && !empty {
                    let parent_ok = stack.last().is_some_and(|p| p == b"p");
                    let refusal = if e.name().as_ref() != b"w:r" {
                        Some("a run with an unusual namespace prefix")
                    } else if !parent_ok {
                        Some("a run inside a hyperlink, field, content control or tracked change")
                    } else if fields > 0 {
                        Some("a run inside a field")
                    } else {
                        None
                    };
                    current = Some(Run {
                        whole: span.start..span.end,
                        open: span.start..span.end,
                        rpr: None,
                        text: None,
                        refusal,
                    });
                    texts = 0;
                } else if let (Some(run), Some(depth)) = (current.as_mut(), depth_in_run) {
                    if depth == 1 {
                        // a direct child of the run
                        match name.as_slice() {
                            b"rPr" if !empty => rpr_start = Some(span.start),
                            b"rPr" => run.rpr = Some(span.start..span.end),
                            b"t" => {
                                texts += 1;
                                if texts > 1 {
                                    run.refusal.get_or_insert("a run with several texts");
                                }
                                if empty {
                                    run.text = Some(span.end..span.end);
                                } else {
                                    t_start = Some(span.end);
                                }
                            }
                            _ => {
                                run.refusal.get_or_insert(
                                    "a run holding more than text (a tab, break, field or note reference)",
                                );
                            }
                        }
                    } else if name == b"rPrChange" {
                        run.refusal
                            .get_or_insert("a run whose formatting change is already tracked");
                    }
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(e) => {
                let name = local(e.name().as_ref()).to_vec();
                stack.pop();
                if let Some(run) = current.as_mut() {
                    let in_run = stack
                        .iter()
                        .rposition(|n| n == b"r")
                        .map(|p| stack.len() - p);
                    match (name.as_slice(), in_run) {
                        (b"r", None) => {
                            run.whole.end = span.end;
                            if let Some(done) = current.take() {
                                out.push(done);
                            }
                        }
                        (b"rPr", Some(1)) => {
                            run.rpr = rpr_start.take().map(|s| s..span.end);
                        }
                        (b"t", Some(1)) => {
                            run.text = t_start.take().map(|s| s..span.start);
                        }
                        _ => {}
                    }
                }
            }
            Event::CData(_) => {
                if let Some(run) = current.as_mut() {
                    run.refusal.get_or_insert("a run with a CDATA section");
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// One character of old text: its run, its raw bytes, whether it is italic.
#[derive(Debug, Clone)]
struct OldChar {
    run: usize,
    raw: Range<usize>,
    ch: char,
    italic: bool,
}

/// What the rewritten runs are made of, in order.
#[derive(Debug, Clone)]
enum Op {
    /// An old character kept; `Some(italic)` when its italics change.
    Keep(usize, Option<bool>),
    /// An old character deleted.
    Del(usize),
    /// A new character inserted, with the run whose properties it takes, and its italics.
    Ins(usize, char, bool),
}

/// The characters of a fix's replacement with their italics (`<i>...</i>` and the entities of
/// [`crate::render::Rich::to_html`]; plain text reads as itself).
pub(crate) fn replacement_chars(replacement: &str) -> Vec<(char, bool)> {
    let mut out = Vec::new();
    let mut italic = false;
    let mut rest = replacement;
    while let Some(c) = rest.chars().next() {
        let step = if let Some(r) = rest.strip_prefix("<i>") {
            italic = true;
            rest = r;
            continue;
        } else if let Some(r) = rest.strip_prefix("</i>") {
            italic = false;
            rest = r;
            continue;
        } else {
            let mut decoded = None;
            for (ent, ch) in [
                ("&amp;", '&'),
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&quot;", '"'),
            ] {
                if rest.starts_with(ent) {
                    decoded = Some((ch, ent.len()));
                }
            }
            decoded.unwrap_or((c, c.len_utf8()))
        };
        out.push((step.0, italic));
        rest = &rest[step.1..];
    }
    out
}

fn is_italic_rpr(xml: &str) -> bool {
    let mut italic = false;
    let _ = each_event(Path::new(""), "", xml, |event, _| {
        if let Event::Start(e) | Event::Empty(e) = event {
            if local(e.name().as_ref()) == b"i" {
                let val = docx::attr(e, b"val").unwrap_or_default();
                italic = !matches!(val.as_str(), "0" | "false" | "off");
            }
        }
        Ok(())
    });
    italic
}

/// The direct children of an `w:rPr` element: (local name, raw XML).
fn rpr_children(rpr: &str) -> Vec<(Vec<u8>, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut name = Vec::new();
    let _ = each_event(Path::new(""), "", rpr, |event, span| {
        match event {
            Event::Start(e) => {
                if depth == 1 {
                    start = span.start;
                    name = local(e.name().as_ref()).to_vec();
                }
                depth += 1;
            }
            Event::Empty(e) if depth == 1 => {
                out.push((
                    local(e.name().as_ref()).to_vec(),
                    span.slice(rpr).to_owned(),
                ));
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    out.push((std::mem::take(&mut name), rpr[start..span.end].to_owned()));
                }
            }
            _ => {}
        }
        Ok(())
    });
    out
}

/// Run properties with italics set to `italic` (`w:i` at its place in the schema's order), and,
/// when `change` is given, the old properties kept in a tracked `w:rPrChange`.
fn rpr_with(old: &str, italic: bool, change: Option<&str>) -> String {
    let children = rpr_children(old);
    let mut out = String::from("<w:rPr>");
    let mut placed = !italic;
    for (name, raw) in &children {
        if name == b"i" || name == b"iCs" {
            continue;
        }
        if !placed && !matches!(name.as_slice(), b"rStyle" | b"rFonts" | b"b" | b"bCs") {
            out.push_str("<w:i/>");
            placed = true;
        }
        out.push_str(raw);
    }
    if !placed {
        out.push_str("<w:i/>");
    }
    if let Some(attrs) = change {
        out.push_str(&format!("<w:rPrChange {attrs}><w:rPr>"));
        for (_, raw) in &children {
            out.push_str(raw);
        }
        out.push_str("</w:rPr></w:rPrChange>");
    }
    out.push_str("</w:rPr>");
    out
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The largest numeric `w:id` of the text (tracked changes, comments, bookmarks share ids in
/// practice; a new change takes the next one).
pub(super) fn max_id(text: &str) -> i64 {
    let mut max = 0;
    for (i, _) in text.match_indices("w:id=\"") {
        let rest = &text[i + 6..];
        let end = rest.find('"').unwrap_or(0);
        if let Ok(n) = rest[..end].parse::<i64>() {
            max = max.max(n);
        }
    }
    max
}

/// The visible text of `runs` between the offsets `s` and `e` of the manuscript text: their
/// `w:t` contents, entities decoded.
fn visible(runs: &[Run], text: &str, s: usize, e: usize) -> String {
    let mut out = String::new();
    for t in runs.iter().filter_map(|r| r.text.as_ref()) {
        let (a, b) = (t.start.max(s), t.end.min(e));
        if a < b {
            for piece in xml_pieces(&text[a..b], a) {
                out.push_str(&piece.text);
            }
        }
    }
    out
}

/// Rewrites the manuscript text `text` of a .docx with `fixes` as tracked changes dated `date`.
/// Fails (nothing changed) when a fix's `written` is not what its span holds, when fixes overlap,
/// or when a span covers markup this cannot rewrite faithfully (see the module doc).
pub fn rewrite(path: &Path, text: &str, fixes: &[&Fix], date: &str) -> Result<Rewrite> {
    rewrite_as(path, text, fixes, date, AUTHOR)
}

/// [`rewrite`], the changes by `author`.
pub fn rewrite_as(
    path: &Path,
    text: &str,
    fixes: &[&Fix],
    date: &str,
    author: &str,
) -> Result<Rewrite> {
    write(path, text, fixes, date, author, false).map(|(rewrite, _)| rewrite)
}

/// Writes `fixes` into `text` as tracked changes. A fix that cannot be written (it overlaps one
/// before it, its text is not what was checked, it crosses markup or an entity) fails the whole
/// writing, or with `lenient` is left out and returned with its reason.
fn write(
    path: &Path,
    text: &str,
    fixes: &[&Fix],
    date: &str,
    author: &str,
    lenient: bool,
) -> Result<(Rewrite, Refusals)> {
    let author = escape(author).replace('"', "&quot;");
    let err = |at: usize, what: &str| {
        let place = docx::locate(text, at).unwrap_or_else(|| format!("byte {at}"));
        Error::input(path, format!("{place}: {what}; nothing was written"))
    };
    let parts = docx::parts(text);
    // runs of every part, in text order
    let mut all: Vec<Run> = Vec::new();
    for (name, span) in &parts {
        all.extend(runs(path, name, span.slice(text), span.start)?);
    }
    // the runs with text, by place: their texts follow one another without overlapping
    let with_text: Vec<(usize, Range<usize>)> = all
        .iter()
        .enumerate()
        .filter_map(|(k, r)| Some((k, r.text.clone()?)))
        .collect();
    // the first run whose text holds `at` (its end included)
    let inside = |at: usize| {
        let i = with_text.partition_point(|(_, t)| t.end < at);
        with_text
            .get(i)
            .filter(|(_, t)| t.start <= at)
            .map(|&(k, _)| k)
    };
    // a fix's runs (first..=last index into `all`), or why it cannot be written
    let place = |fix: &Fix, last_end: usize| -> Result<(usize, usize)> {
        let (s, e) = (fix.span.start, fix.span.end);
        if s < last_end {
            return Err(err(s, "two fixes overlap"));
        }
        if text.get(s..e).is_none() {
            return Err(err(s, "the text there is not what was checked"));
        }
        let (Some(first), Some(mut last)) = (inside(s), inside(e)) else {
            return Err(err(s, "the citation starts or ends outside a run's text"));
        };
        // an end at the very start of a run's text belongs to the run before
        while last > first && all[last].text.as_ref().is_some_and(|t| t.start == e) {
            last -= 1;
        }
        let mut first = first;
        while first < last && all[first].text.as_ref().is_some_and(|t| t.end == s) {
            first += 1;
        }
        for k in first..=last {
            if let Some(why) = all[k].refusal {
                return Err(err(all[k].whole.start, why));
            }
            if k > first {
                let gap = &text[all[k - 1].whole.end..all[k].whole.start];
                if !gap.trim().is_empty() {
                    return Err(err(
                        all[k - 1].whole.end,
                        "markup between the runs of a citation (a bookmark, comment, link or tracked change)",
                    ));
                }
            }
        }
        // the fix carries the citation's visible text: the runs' text under the span, decoded
        if visible(&all[first..=last], text, s, e) != fix.written {
            return Err(err(s, "the text there is not what was checked"));
        }
        // an entity (`&amp;`) is one character: the citation cannot start or end inside one
        let cuts = |p: &crate::manuscript::html::Piece| {
            !p.verbatim
                && [s, e]
                    .iter()
                    .any(|&at| p.source.start < at && at < p.source.end)
        };
        for t in all[first..=last].iter().filter_map(|r| r.text.as_ref()) {
            if xml_pieces(&text[t.clone()], t.start).iter().any(cuts) {
                return Err(err(s, "the citation starts or ends inside an entity"));
            }
        }
        Ok((first, last))
    };
    // each fix: its runs; fixes that share a run are written together
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| (fixes[i].span.start, fixes[i].span.end));
    let mut groups: Vec<(Range<usize>, Vec<usize>)> = Vec::new(); // runs, fixes
    let mut refused: Refusals = Vec::new();
    let mut last_end = 0usize;
    for &i in &order {
        let (first, last) = match place(fixes[i], last_end) {
            Ok(runs) => runs,
            Err(e) if lenient => {
                refused.push((i, e));
                continue;
            }
            Err(e) => return Err(e),
        };
        last_end = fixes[i].span.end;
        match groups.last_mut() {
            Some((runs, members)) if first < runs.end => {
                runs.end = runs.end.max(last + 1);
                members.push(i);
            }
            _ => groups.push((first..last + 1, vec![i])),
        }
    }

    let mut next_id = max_id(text) + 1;
    let mut attrs = || {
        let a = format!("w:id=\"{next_id}\" w:author=\"{author}\" w:date=\"{date}\"");
        next_id += 1;
        a
    };
    let mut out = String::with_capacity(text.len() + fixes.len() * 400);
    let mut spans = vec![Span::default(); fixes.len()];
    let mut regions = Vec::with_capacity(groups.len());
    let mut at = 0usize;
    for (run_range, members) in &groups {
        let region = all[run_range.start].whole.start..all[run_range.end - 1].whole.end;
        // the old characters of the region
        let mut chars: Vec<OldChar> = Vec::new();
        for k in run_range.clone() {
            let run = &all[k];
            let italic = run
                .rpr
                .as_ref()
                .is_some_and(|r| is_italic_rpr(&text[r.clone()]));
            if let Some(t) = &run.text {
                for piece in xml_pieces(&text[t.clone()], t.start) {
                    if piece.verbatim {
                        let mut p = piece.source.start;
                        for ch in piece.text.chars() {
                            chars.push(OldChar {
                                run: k,
                                raw: p..p + ch.len_utf8(),
                                ch,
                                italic,
                            });
                            p += ch.len_utf8();
                        }
                    } else if let Some(ch) = piece.text.chars().next() {
                        chars.push(OldChar {
                            run: k,
                            raw: piece.source.start..piece.source.end,
                            ch,
                            italic,
                        });
                    }
                }
            }
        }
        // the ops: kept characters outside the fixes, each fix diffed word by word
        let mut ops: Vec<Op> = Vec::new();
        // each member's ops (indices into `ops`): where its own span lies in the new text
        let mut member_ops: Vec<(usize, Range<usize>)> = Vec::with_capacity(members.len());
        let mut c = 0usize;
        for &i in members {
            let fix = fixes[i];
            let (s, e) = (fix.span.start, fix.span.end);
            while c < chars.len() && chars[c].raw.end <= s {
                ops.push(Op::Keep(c, None));
                c += 1;
            }
            let from = c;
            // (no character straddles the fix's ends: `place` refused a fix inside an entity)
            while c < chars.len() && chars[c].raw.start < e {
                c += 1;
            }
            let first_op = ops.len();
            let old: Vec<(char, bool)> = chars[from..c].iter().map(|o| (o.ch, o.italic)).collect();
            let new = replacement_chars(&fix.replacement);
            let (ot, nt) = (tokens(&old), tokens(&new));
            let key = |chars: &[(char, bool)], r: &Range<usize>| -> String {
                chars[r.clone()].iter().map(|&(c, _)| c).collect()
            };
            let ok: Vec<String> = ot.iter().map(|r| key(&old, r)).collect();
            let nk: Vec<String> = nt.iter().map(|r| key(&new, r)).collect();
            // inserted text takes the properties of the old text it replaces, else of the text
            // before it
            let mut last_run = chars.get(from).map_or(run_range.start, |o| o.run);
            for op in similar::capture_diff_slices(similar::Algorithm::Myers, &ok, &nk) {
                let (tag, o, n) = op.as_tag_tuple();
                let olds = ot[o.clone()].first().map_or(0, |r| r.start)
                    ..ot[o.clone()].last().map_or(0, |r| r.end);
                let news = nt[n.clone()].first().map_or(0, |r| r.start)
                    ..nt[n.clone()].last().map_or(0, |r| r.end);
                match tag {
                    similar::DiffTag::Equal => {
                        for (k, j) in olds.zip(news) {
                            let (_, it) = new[j];
                            let change = (it != old[k].1).then_some(it);
                            ops.push(Op::Keep(from + k, change));
                            last_run = chars[from + k].run;
                        }
                    }
                    _ => {
                        let rpr_run = olds
                            .clone()
                            .next()
                            .map_or(last_run, |k| chars[from + k].run);
                        for k in olds {
                            ops.push(Op::Del(from + k));
                            last_run = chars[from + k].run;
                        }
                        for j in news {
                            ops.push(Op::Ins(rpr_run, new[j].0, new[j].1));
                        }
                    }
                }
            }
            member_ops.push((i, first_op..ops.len()));
        }
        while c < chars.len() {
            ops.push(Op::Keep(c, None));
            c += 1;
        }

        // emit
        out.push_str(&text[at..region.start]);
        let new_start = out.len();
        let run_of = |op: &Op| match op {
            Op::Keep(c, _) | Op::Del(c) => chars[*c].run,
            Op::Ins(r, _, _) => *r,
        };
        // a run whose characters are all kept as they are, one after the other, is copied whole
        let untouched = |k: usize| {
            let idx: Vec<usize> = ops
                .iter()
                .enumerate()
                .filter(|(_, op)| run_of(op) == k)
                .map(|(i, _)| i)
                .collect();
            !idx.is_empty()
                && idx.iter().all(|&i| matches!(ops[i], Op::Keep(_, None)))
                && idx.last().map(|l| l + 1 - idx[0]) == Some(idx.len())
        };
        // where each run copied whole stands in the new text, and each op's text
        let mut run_at: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        let mut op_out: Vec<Range<usize>> = vec![0..0; ops.len()];
        // the tracked change being written (`del`, `ins`): its runs follow one another in it
        let mut wrapper: Option<&'static str> = None;
        let close = |wrapper: &mut Option<&'static str>, out: &mut String| {
            if let Some(kind) = wrapper.take() {
                out.push_str(&format!("</w:{kind}>"));
            }
        };
        let mut i = 0usize;
        let mut next_run = run_range.start;
        while i < ops.len() {
            let k = run_of(&ops[i]);
            // runs without characters (an empty w:t) come out as they were
            let kind = match &ops[i] {
                Op::Keep(..) => None,
                Op::Del(_) => Some("del"),
                Op::Ins(..) => Some("ins"),
            };
            let empty = |r: &usize| !chars.iter().any(|c| c.run == *r);
            if wrapper != kind || (next_run..k).any(|r| empty(&r)) {
                close(&mut wrapper, &mut out);
            }
            while next_run < k {
                if empty(&next_run) {
                    out.push_str(&text[all[next_run].whole.clone()]);
                }
                next_run += 1;
            }
            if let (None, Some(kind)) = (wrapper, kind) {
                out.push_str(&format!("<w:{kind} {}>", attrs()));
                wrapper = Some(kind);
            }
            let run = &all[k];
            let rpr = run.rpr.as_ref().map_or("", |r| &text[r.clone()]);
            let open = &text[run.open.clone()];
            let mut j = i + 1;
            let same = |a: &Op, b: &Op| match (a, b) {
                (Op::Keep(x, ca), Op::Keep(y, cb)) => chars[*x].run == chars[*y].run && ca == cb,
                (Op::Del(x), Op::Del(y)) => chars[*x].run == chars[*y].run,
                (Op::Ins(x, _, ia), Op::Ins(y, _, ib)) => x == y && ia == ib,
                _ => false,
            };
            while j < ops.len() && same(&ops[i], &ops[j]) {
                j += 1;
            }
            if matches!(ops[i], Op::Keep(_, None)) && untouched(k) {
                // the run copied whole, once; its characters where they stand in it
                let at = *run_at.entry(k).or_insert_with(|| {
                    out.push_str(&text[run.whole.clone()]);
                    out.len() - run.whole.len()
                });
                for (m, op) in ops.iter().enumerate().take(j).skip(i) {
                    if let Op::Keep(c, _) = op {
                        let raw = &chars[*c].raw;
                        let start = at + raw.start - run.whole.start;
                        op_out[m] = start..start + raw.len();
                    }
                }
                i = j;
                continue;
            }
            let (prefix, suffix) = match &ops[i] {
                Op::Keep(_, Some(italic)) => (
                    format!(
                        "{open}{}<w:t xml:space=\"preserve\">",
                        rpr_with(rpr, *italic, Some(&attrs()))
                    ),
                    "</w:t></w:r>",
                ),
                Op::Keep(_, None) => (
                    format!("{open}{rpr}<w:t xml:space=\"preserve\">"),
                    "</w:t></w:r>",
                ),
                Op::Del(_) => (
                    format!("{open}{rpr}<w:delText xml:space=\"preserve\">"),
                    "</w:delText></w:r>",
                ),
                Op::Ins(_, _, italic) => {
                    let props = if *italic == is_italic_rpr(rpr) {
                        rpr.to_owned()
                    } else {
                        rpr_with(rpr, *italic, None)
                    };
                    (
                        format!("{open}{props}<w:t xml:space=\"preserve\">"),
                        "</w:t></w:r>",
                    )
                }
            };
            out.push_str(&prefix);
            // each op's text written straight into the part, where its span is taken
            for (m, op) in ops.iter().enumerate().take(j).skip(i) {
                let start = out.len();
                match op {
                    Op::Keep(c, _) | Op::Del(c) => out.push_str(&text[chars[*c].raw.clone()]),
                    Op::Ins(_, ch, _) => out.push_str(&escape(&ch.to_string())),
                }
                op_out[m] = start..out.len();
            }
            out.push_str(suffix);
            i = j;
        }
        close(&mut wrapper, &mut out);
        while next_run < run_range.end {
            if !chars.iter().any(|c| c.run == next_run) {
                out.push_str(&text[all[next_run].whole.clone()]);
            }
            next_run += 1;
        }
        let new_span = Span::new(new_start, out.len());
        // each fix's span: from its first character, kept, deleted or inserted, to its last
        // (fixes in one run share the region, not their spans: a finding over one fix does not
        // blame the others, #17)
        for (m, range) in member_ops {
            let mut placed = op_out[range].iter().filter(|r| !r.is_empty());
            spans[m] = match placed.next() {
                Some(first) => Span::new(first.start, placed.next_back().unwrap_or(first).end),
                None => new_span,
            };
        }
        regions.push((Span::new(region.start, region.end), new_span));
        at = region.end;
    }
    out.push_str(&text[at..]);
    // the rewritten parts must still be well-formed XML
    for (name, span) in docx::parts(&out) {
        each_event(path, &name, span.slice(&out), |_, _| Ok(()))?;
    }
    Ok((
        Rewrite {
            text: out,
            spans,
            regions,
        },
        refused,
    ))
}

/// The .docx package `original` with the parts of `text` (a manuscript text as
/// [`crate::manuscript::docx::read`] makes it) that differ from the package's written in; every
/// other entry copied raw, in the same order.
pub fn package(path: &Path, original: &[u8], text: &str) -> Result<Vec<u8>> {
    package_with(path, original, text, &[])
}

/// [`package`], with the entries of `extra` (name, content) written too: in place of the entry
/// of that name, or added at the end.
pub fn package_with(
    path: &Path,
    original: &[u8],
    text: &str,
    extra: &[(String, String)],
) -> Result<Vec<u8>> {
    let zip_err = |e: zip::result::ZipError| Error::input(path, format!("zip: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).map_err(zip_err)?;
    let mut new_parts: std::collections::HashMap<String, &str> = docx::parts(text)
        .into_iter()
        .map(|(name, span)| (name, span.slice(text)))
        .collect();
    new_parts.extend(extra.iter().map(|(n, c)| (n.clone(), c.as_str())));
    let mut added: Vec<&(String, String)> = extra.iter().collect();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(original.len() + 4096)));
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(zip_err)?
            .name()
            .map_err(zip_err)?
            .into_owned();
        let replacement = match new_parts.get(&name) {
            Some(new) => {
                let mut old = Vec::new();
                archive
                    .by_index(i)
                    .map_err(zip_err)?
                    .take(docx::MAX_ENTRY + 1)
                    .read_to_end(&mut old)
                    .map_err(|e| Error::input(path, format!("{name}: {e}")))?;
                let old = crate::manuscript::decode(Path::new(&name), &old)?;
                (old != *new).then_some(*new)
            }
            None => None,
        };
        added.retain(|(n, _)| *n != name);
        let entry = archive.by_index_raw(i).map_err(zip_err)?;
        match replacement {
            None => writer.raw_copy_file(entry).map_err(zip_err)?,
            Some(new) => {
                let method = match entry.compression() {
                    zip::CompressionMethod::Stored => zip::CompressionMethod::Stored,
                    _ => zip::CompressionMethod::Deflated,
                };
                let mut options =
                    zip::write::SimpleFileOptions::default().compression_method(method);
                if let Some(t) = entry.last_modified() {
                    options = options.last_modified_time(t);
                }
                drop(entry);
                writer.start_file(name.as_str(), options).map_err(zip_err)?;
                writer
                    .write_all(new.as_bytes())
                    .map_err(|e| Error::input(path, format!("{name}: {e}")))?;
            }
        }
    }
    for (name, content) in added {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(name.as_str(), options).map_err(zip_err)?;
        writer
            .write_all(content.as_bytes())
            .map_err(|e| Error::input(path, format!("{name}: {e}")))?;
    }
    Ok(writer.finish().map_err(zip_err)?.into_inner())
}

/// Applies `fixes` to the .docx whose bytes are `original` and whose manuscript text (as read) is
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

fn read_file(path: &Path) -> Result<Vec<u8>> {
    crate::manuscript::read_file(path)
}

/// [`crate::fix::settle`] for a .docx whose manuscript text is `text`: each trial of fixes is
/// written as tracked changes into a copy of the package (in memory), and `recheck` checks the
/// copy's bytes (at the places the trial's fixes occupy in its text, as
/// [`crate::fix::settle_with`] says). The package is read from `path`; it must still be what
/// `text` was read from.
pub fn settle(
    path: &Path,
    text: &str,
    diagnostics: &mut [crate::model::diagnostic::Diagnostic],
    recheck: impl Fn(&[u8], &crate::fix::Trial) -> Result<Vec<crate::model::diagnostic::Diagnostic>>,
) -> Result<()> {
    settle_tracked(path, text, &DOCX, diagnostics, recheck)
}

/// The fixes that cannot be written as tracked changes: each one's index among those given, and
/// why.
pub type Refusals = Vec<(usize, Error)>;

/// How a package format writes fixes into a manuscript as tracked changes (.docx, .odt), for
/// [`settle_tracked`]: each function takes the manuscript's file and, but for `read_text`, its
/// text.
pub(crate) struct Tracked {
    /// The manuscript text of a package's bytes.
    pub read_text: fn(&Path, &[u8]) -> Result<String>,
    /// The fixes that cannot be written, each with its reason ([`Tracked::rewrite`]'s error
    /// for it): one writing of them all, each fix refused on its own, the others written.
    /// Fails when that writing fails as a whole (the rewritten XML not well-formed).
    pub refusals: fn(&Path, &str, &[&Fix], &str) -> Result<Refusals>,
    /// The text with the fixes written as tracked changes dated as given.
    pub rewrite: fn(&Path, &str, &[&Fix], &str) -> Result<Rewrite>,
    /// The package with the parts of a rewritten text written in.
    pub package: fn(&Path, &[u8], &str) -> Result<Vec<u8>>,
}

/// The .docx writer. Its refusals: one lenient writing of all the fixes.
const DOCX: Tracked = Tracked {
    read_text: |path, bytes| docx::read(path, bytes).map(|ms| ms.text),
    refusals: |path, text, fixes, date| {
        write(path, text, fixes, date, AUTHOR, true).map(|(_, refused)| refused)
    },
    rewrite,
    package,
};

/// The settling of a package's fixes, whatever the package (.docx, .odt): the file must still
/// read as the text checked; a fix that cannot be written as a tracked change (the format's
/// refusals of them all name it) is left to a person, with the reason; then each trial of fixes
/// is rewritten and packaged in memory, and `recheck` checks the package's bytes.
pub(crate) fn settle_tracked(
    path: &Path,
    text: &str,
    format: &Tracked,
    diagnostics: &mut [crate::model::diagnostic::Diagnostic],
    recheck: impl Fn(&[u8], &crate::fix::Trial) -> Result<Vec<crate::model::diagnostic::Diagnostic>>,
) -> Result<()> {
    let original = read_file(path)?;
    if (format.read_text)(path, &original)? != text {
        return Err(Error::input(path, "the file changed while it was checked"));
    }
    let date = now();
    // a fix that cannot be written as a tracked change is left to a person, with the reason:
    // one writing of them all names them (a writing per fix, each of the whole document, made
    // checking a long .docx quadratic, #17); should that writing fail as a whole, each fix is
    // tried alone
    let open: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| {
            diagnostics[i]
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability != crate::model::diagnostic::Applicability::Manual)
        })
        .collect();
    let refused: Refusals = {
        let fixes: Vec<&Fix> = open
            .iter()
            .filter_map(|&i| diagnostics[i].fix.as_ref())
            .collect();
        (format.refusals)(path, text, &fixes, &date).unwrap_or_else(|_| {
            (0..fixes.len())
                .filter_map(|k| Some((k, (format.rewrite)(path, text, &[fixes[k]], &date).err()?)))
                .collect()
        })
    };
    for (k, e) in refused {
        let d = &mut diagnostics[open[k]];
        let (Some(fix), Error::Input { message, .. }) = (d.fix.as_mut(), e) else {
            continue;
        };
        fix.applicability = crate::model::diagnostic::Applicability::Manual;
        let why = message.trim_end_matches("; nothing was written");
        d.message = format!(
            "{} (cannot be written as a tracked change: {why})",
            d.message
        );
    }
    let bytes = std::cell::RefCell::new(Vec::new());
    crate::fix::settle_with(
        diagnostics,
        |fixes| {
            let rewrite = (format.rewrite)(path, text, fixes, &date)?;
            *bytes.borrow_mut() = (format.package)(path, &original, &rewrite.text)?;
            Ok((rewrite.text, rewrite.spans))
        },
        |_, trial| recheck(&bytes.borrow(), trial),
    )
}

/// `ibid fix` on a .docx: writes `fixes` into the file `target` (opened and locked at `path`) as
/// tracked changes by `author`, and `comments` as Word comments ([`crate::fix::comments`]);
/// without a target (`--diff`), returns a unified diff of the notes' text before and after, and
/// writes nothing. `ms` is the manuscript as checked; if the file no longer reads the same,
/// nothing is written. Returns the diff (empty unless there is no target) and a one-line
/// summary.
pub fn fix_file(
    path: &Path,
    ms: &crate::manuscript::Manuscript,
    fixes: &[&Fix],
    comments: &[crate::fix::comments::Comment],
    author: &str,
    target: Option<&crate::fix::Target>,
) -> Result<(String, String)> {
    let original = match target {
        Some(t) => t.read()?,
        None => read_file(path)?,
    };
    if docx::read(path, &original)?.text != ms.text {
        return Err(Error::input(
            path,
            "the file changed since it was read; nothing was written",
        ));
    }
    let date = now();
    let rewrite = rewrite_as(path, &ms.text, fixes, &date, author)?;
    let place = docx::comments_place(path, &original)?;
    let (text, extra, commented) = crate::fix::comments::anchor(
        path,
        &ms.text,
        &rewrite.text,
        &rewrite.regions,
        comments,
        &place,
        author,
        &date,
    )?;
    // the parts with their comment anchors must still be well-formed XML
    for (name, span) in docx::parts(&text) {
        each_event(path, &name, span.slice(&text), |_, _| Ok(()))?;
    }
    let name = crate::error::display_path(path);
    if fixes.is_empty() && commented == 0 {
        return Ok((
            String::new(),
            format!("{name}: nothing to fix (the comments for a person are already there)"),
        ));
    }
    let bytes = package_with(path, &original, &text, &extra)?;
    let what = format!(
        "{} citation(s) rewritten as tracked changes, {commented} comment(s) for a person",
        fixes.len()
    );
    let Some(target) = target else {
        let after = docx::read(path, &bytes)?;
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
        return Ok((diff, format!("{name}: would be written: {what}")));
    };
    target.write(&original, &bytes)?;
    Ok((
        String::new(),
        format!("{name}: {what} (author \"{author}\")"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_utc() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn replacement_reads_italics_and_entities() {
        let chars = replacement_chars("A <i>B &amp; C</i>, 4");
        let text: String = chars.iter().map(|c| c.0).collect();
        assert_eq!(text, "A B & C, 4");
        assert!(chars[2].1 && chars[6].1 && !chars[7].1 && !chars[0].1);
    }

    #[test]
    fn italics_go_in_schema_order() {
        let rpr = r#"<w:rPr><w:rStyle w:val="X"/><w:sz w:val="20"/></w:rPr>"#;
        assert_eq!(
            rpr_with(rpr, true, None),
            r#"<w:rPr><w:rStyle w:val="X"/><w:i/><w:sz w:val="20"/></w:rPr>"#
        );
        assert_eq!(
            rpr_with(r#"<w:rPr><w:i/></w:rPr>"#, false, None),
            "<w:rPr></w:rPr>"
        );
    }
}
