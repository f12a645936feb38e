//! Check: each citation as written against its correct form in the style, note by note.
//!
//! The render stage says what every citation should read ([`Expected`]); this stage compares, and
//! turns every difference into a [`Diagnostic`] of rule `IB100` carrying the [`Fix`] that rewrites
//! exactly the citation's span (never its signal, never the note's prose).

use crate::grammar::{Cite, CiteKind};
use crate::manuscript::{Format, Note};
use crate::model::diagnostic::{Applicability, Code, Diagnostic, Fix};
use crate::resolve::Analysis;

pub(crate) mod edit;
mod inputs;
pub mod safety;
mod typed;

pub use inputs::NoteInputs;

/// What each citation should read in the chosen style: per note, per citation, the citation's
/// text without its signal and without the note's final period; `None` where there is nothing
/// to compare (an unresolved citation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    /// Indexed like `Analysis::notes` and their `cites`.
    pub notes: Vec<Vec<Option<Expectation>>>,
    /// Per note: the style ends its citations with a period (every notes style does; none
    /// for a note whose citations it could not render).
    pub final_period: Vec<bool>,
}

/// The correct form of one citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The text, plain (no markup), without the note's final period: what is compared with the
    /// note's text.
    pub text: String,
    /// The same in the manuscript's own syntax (Markdown `*...*`, HTML and .docx `<i>`, plain
    /// text as `text`): what a fix writes.
    pub source: String,
    /// The kind of citation the style wants here (first cite full, later short, Ibid).
    pub kind: CiteKind,
    /// The rendering with its italics, final period included.
    pub rich: crate::render::Rich,
}

impl Expected {
    /// The expectations of a rendering of `analysis`: each citation rendered alone, in the
    /// manuscript's syntax. The kind the style wants is read off the rendering: Ibid where it
    /// prints Ibid, full at a work's first citation, short after.
    pub fn from_rendered(analysis: &Analysis, rendered: &crate::render::Rendered) -> Expected {
        let format = analysis.manuscript.format;
        let mut seen = std::collections::HashSet::new();
        let notes = analysis
            .notes
            .iter()
            .zip(&rendered.notes)
            .map(|(parsed, note)| {
                parsed
                    .cites
                    .iter()
                    .zip(note.citations.iter().chain(std::iter::repeat(&None)))
                    .map(|(cite, rich)| {
                        let work = cite.work?;
                        // a work's first citation, rendered or not (a re-check renders only
                        // the notes it looks at)
                        let first = seen.insert(work);
                        let rich = rich.as_ref()?;
                        let text = rich.to_text();
                        let kind = if text.trim_start().to_lowercase().starts_with("ibid") {
                            CiteKind::Ibid
                        } else if first {
                            CiteKind::Full
                        } else {
                            CiteKind::Short
                        };
                        let source = edit::markup(rich, format);
                        let source = source.trim_end_matches('.').trim().to_owned();
                        Some(Expectation {
                            text,
                            source,
                            kind,
                            rich: rich.clone(),
                        })
                    })
                    .collect()
            })
            .collect();
        let final_period = rendered
            .notes
            .iter()
            .map(|n| {
                n.citation.as_ref().is_some_and(|c| {
                    c.to_text()
                        .trim_end()
                        .trim_end_matches(['”', '’', '"'])
                        .ends_with('.')
                })
            })
            .collect();
        Expected {
            notes,
            final_period,
        }
    }
}

/// The notes a re-check must render and compare to answer for the findings at `spans` (places in
/// `analysis`'s source, sorted by start): the notes that hold or touch one, and the notes with a
/// full citation of a work those cite, on which the comparison of its later citations depends (a
/// full citation not read with confidence leaves its short forms unchecked, [`compare`]). Indexed
/// like the notes. The other notes are left out: their findings would be the same as in a whole
/// check, but nobody looks at them (#17).
///
/// A span the last re-check already answered for (`proven`, per span: it was tried there and drew
/// nothing) needs its notes only if their inputs changed since (`changed`, per note, from
/// [`NoteInputs::changed_since`]; `None`: every note changed): with the same inputs a note draws
/// the same findings, so a round that only withdrew fixes looks again at what the withdrawal
/// touched, not at every fix it keeps.
pub fn focus(
    analysis: &Analysis,
    spans: &[crate::model::span::Span],
    proven: &[bool],
    changed: Option<&[bool]>,
) -> Vec<bool> {
    let notes = &analysis.manuscript.notes;
    let mut focus = vec![false; notes.len()];
    let mut works = std::collections::HashSet::new();
    // the notes by place in the source (a .docx's endnotes may come before its footnotes); notes
    // do not overlap, so their ends are in the same order
    let mut by_place: Vec<usize> = (0..notes.len()).collect();
    by_place.sort_by_key(|&i| notes[i].span.start);
    for (k, span) in spans.iter().enumerate() {
        let known = proven.get(k) == Some(&true);
        // the notes that end at or after the span's start, up to those that start after its end
        let from = by_place.partition_point(|&i| notes[i].span.end < span.start);
        for &i in &by_place[from..] {
            if notes[i].span.start > span.end {
                break;
            }
            if known && changed.is_some_and(|c| c.get(i) == Some(&false)) {
                continue;
            }
            focus[i] = true;
            works.extend(analysis.notes[i].cites.iter().filter_map(|c| c.work));
        }
    }
    for (i, parsed) in analysis.notes.iter().enumerate() {
        if parsed
            .cites
            .iter()
            .any(|c| c.kind == CiteKind::Full && c.work.is_some_and(|w| works.contains(&w)))
        {
            focus[i] = true;
        }
    }
    focus
}

/// Compares every citation of `analysis` with its expectation; returns one finding per
/// differing citation, with its fix.
pub fn compare(analysis: &Analysis, expected: &Expected) -> Vec<Diagnostic> {
    let format = analysis.manuscript.format;
    let mut out = Vec::new();
    // works whose full citation was not read with confidence: their short forms are rendered from
    // that reading, so they are not checked either
    let mut unsure = std::collections::HashSet::new();
    for (((note, parsed), wanted), &period) in analysis
        .manuscript
        .notes
        .iter()
        .zip(&analysis.notes)
        .zip(&expected.notes)
        .zip(&expected.final_period)
    {
        for (cite, want) in parsed.cites.iter().zip(wanted) {
            let Some(want) = want else { continue };
            let written_text = cite.span.slice(&note.text);
            let matches = |want: &Expectation| {
                let target = want.text.trim_end_matches('.').trim();
                same_text(written_text, target)
                    || same_text(&final_period_inside_quote(written_text), target)
            };
            // most citations match their rendering as it is: the author's typing (a word diff
            // of the two) is only looked at for the others
            if matches(want) {
                continue;
            }
            let typed;
            let want = match typed::as_typed(want, written_text, format) {
                Some(w) => {
                    typed = w;
                    &typed
                }
                None => want,
            };
            if matches(want) {
                continue;
            }
            let target = want.text.trim_end_matches('.').trim();
            let work = cite.work.and_then(|w| analysis.library.get(w));
            // abstain when unsure: a difference could be ibid's own misreading (a short form's
            // name the expected form leaves out is the work's names misread in its full citation)
            let read_from_unsure = cite.kind == CiteKind::Short
                && want.kind == CiteKind::Short
                && cite.work.is_some_and(|w| unsure.contains(&w))
                && cite
                    .fields
                    .lead_names()
                    .first()
                    .is_some_and(|n| !target.contains(n.family_or_literal()));
            let misread = read_from_unsure
                || !safety::confident(cite, &note.text, work)
                || !safety::italics_are_titles(
                    &edit::written_italic_words(note, cite.span),
                    cite,
                    work,
                );
            // a full citation the style wants where the author wrote a short form of a work no
            // note gives more of: its full form would be the short form's names and title and
            // `n.d.`, made up (the short form without its full citation is IB012)
            let unknown = !misread
                && want.kind == CiteKind::Full
                && cite.kind == CiteKind::Short
                && work.is_some_and(|w| !safety::has_facts(w));
            // a full citation whose correct form leaves out words the author wrote
            let dropping = !misread
                && !unknown
                && want.kind == CiteKind::Full
                && cite.kind == CiteKind::Full
                && work.is_some_and(|w| {
                    !safety::dropped_words(cite, &note.text, w, target).is_empty()
                });
            // a full citation whose correct form ibid cannot read back as the same work
            let unreadable = !misread
                && !unknown
                && !dropping
                && want.kind == CiteKind::Full
                && work.is_some_and(|w| !safety::reads_back(w, &want.rich));
            if misread || unknown || dropping || unreadable {
                // (a work's first citation, full as the style wants it, even where the grammar
                // read it as a short form: its work is that reading)
                if cite.kind == CiteKind::Full || want.kind == CiteKind::Full {
                    unsure.extend(cite.work);
                }
                out.push(Diagnostic::new(
                    Code::UncheckedCitation,
                    Some(&note.id),
                    Some(note.map.locate(cite.span)),
                    format!(
                        "“{}” {}; its style is not checked",
                        abbreviate(written_text, 60),
                        if read_from_unsure {
                            "cites a work whose full citation was not read with confidence"
                        } else if unknown {
                            "was not read with confidence (no facts of publication were read for its work)"
                        } else if dropping {
                            "was not read with confidence (its correct form would leave out words it gives)"
                        } else if unreadable {
                            "was not read with confidence (its correct form does not read back as the same work)"
                        } else {
                            "was not read with confidence"
                        }
                    ),
                ));
                continue;
            }
            let fix = rewrite(note, cite, want, &analysis.manuscript.text, format).map(|r| {
                // a .docx span is XML: the fix carries the citation's visible text (what the
                // reports show, and what fix::docx finds again under the span); a .docx or .odt
                // citation's words are compared as the note's text
                let written = if format == Format::Docx {
                    written_text.to_owned()
                } else {
                    r.span.slice(&analysis.manuscript.text).to_owned()
                };
                let (old, new) = if format.is_package() {
                    (written_text, target)
                } else {
                    (written.as_str(), r.replacement.as_str())
                };
                let applicability = applicability(cite, note, work, (old, new), want, r.in_place);
                Fix {
                    span: r.span,
                    written,
                    replacement: r.replacement,
                    applicability,
                    work: cite.work,
                }
            });
            let mut d = Diagnostic::new(
                Code::StyleDifference,
                Some(&note.id),
                Some(
                    fix.as_ref()
                        .map_or_else(|| note.map.locate(cite.span), |f| f.span),
                ),
                describe(cite, want),
            );
            // a .docx fix's replacement marks italics as `<i>`: people see the plain forms
            if fix.is_none() || format == Format::Docx {
                d.correction = Some(crate::model::diagnostic::Correction {
                    written: written_text.to_owned(),
                    wanted: target.to_owned(),
                });
            }
            d.fix = fix;
            out.push(d);
        }
        if period {
            out.extend(final_period(
                note,
                parsed,
                wanted,
                &analysis.manuscript.text,
                format,
            ));
        }
    }
    out
}

/// IB101: a note of citations alone, which the style ends with a period, written without
/// one (`Ibid`, `Pollan, *Omnivore’s Dilemma*, 3`); not a note that ends with a URL or a DOI,
/// which authors often leave bare so that the link is copied whole. The fix adds the period after the last
/// citation, past the emphasis that closes there (`*Title*.`, `<i>Title</i>.`); safe, as it
/// changes no word. In a .docx the period is left to a person.
fn final_period(
    note: &Note,
    parsed: &crate::grammar::ParsedNote,
    wanted: &[Option<Expectation>],
    source: &str,
    format: Format,
) -> Option<Diagnostic> {
    let last = parsed.cites.last()?;
    // only a citation the style rendered (an unresolved one is reported already)
    wanted.last()?.as_ref()?;
    if parsed.commentary {
        return None;
    }
    let written = note.text[..last.span.end].trim_end();
    let after = &note.text[last.span.end..];
    // `“Snap”.`: American style puts the final period inside the closing quotation mark
    if after.trim() == "." && written.ends_with(['”', '"']) {
        let quote = written.chars().next_back()?;
        let at = last.span.start + written.len() - quote.len_utf8();
        let end = last.span.end + after.find('.')? + 1;
        let span = note.map.span(crate::model::span::Span::new(at, end))?;
        let written_src = span.slice(source);
        let mut d = Diagnostic::new(
            Code::StyleDifference,
            Some(&note.id),
            Some(span),
            "the final period goes inside the closing quotation mark".to_owned(),
        );
        // (LaTeX: `''.` for `”.`)
        let typed = written_src.strip_suffix('.').filter(|q| {
            *q == quote.to_string() || format == Format::Latex && matches!(*q, "''" | "'")
        });
        if let Some(typed) = typed.filter(|_| !format.is_package()) {
            d.fix = Some(Fix {
                span,
                written: written_src.to_owned(),
                replacement: format!(".{typed}"),
                applicability: Applicability::Safe,
                work: last.work,
            });
        }
        return Some(d);
    }
    let unquoted = written.trim_end_matches(['"', '”', '’', '\'', '*', '_']);
    if !after.trim().is_empty() || unquoted.ends_with(['.', '?', '!', '…']) {
        return None;
    }
    // a note that ends with a URL or DOI: many authors leave the period off so that the link
    // is copied whole; not flagged
    let last_word = written.rsplit(char::is_whitespace).next().unwrap_or("");
    let lower = last_word.to_ascii_lowercase();
    if lower.contains("://")
        || lower.starts_with("www.")
        || lower.starts_with("10.")
        || lower.starts_with("doi:")
    {
        return None;
    }
    let at = last.span.start + written.len();
    let mut d = Diagnostic::new(
        Code::MissingFinalPeriod,
        Some(&note.id),
        note.map.span(crate::model::span::Span::new(at, at)),
        "the note does not end with a period".to_owned(),
    );
    if !format.is_package() {
        let mut insert = note.map.offset(at)?;
        // past emphasis that closes at the end of the citation (in LaTeX, the reader's map
        // already ends past the `}` that closes `\emph{...}`)
        while let Some(len) =
            crate::model::span::emphasis_mark(&source[insert..]).filter(|_| format != Format::Latex)
        {
            insert += len;
        }
        d.fix = Some(Fix {
            span: crate::model::span::Span::new(insert, insert),
            written: String::new(),
            replacement: ".".into(),
            applicability: Applicability::Safe,
            work: last.work,
        });
    }
    Some(d)
}

/// The rewrite of one citation ([`edit::Rewrite`]). `None` when the span cannot be rewritten
/// without destroying markup: a person makes the change.
fn rewrite(
    note: &Note,
    cite: &Cite,
    want: &Expectation,
    source: &str,
    format: Format,
) -> Option<edit::Rewrite> {
    if format.is_package() {
        // Word runs, ODF spans: the tracked-change writers (fix::docx, fix::odt) diff token by
        // token themselves and refuse, with their reason, the markup they cannot split (links,
        // fields, bookmarks)
        return Some(edit::Rewrite {
            span: note.map.span(cite.span)?,
            replacement: want.source.clone(),
            in_place: edit::changes(note, cite.span, &want.rich, format).is_some(),
        });
    }
    if format == Format::Latex {
        return latex_rewrite(note, cite, want, source);
    }
    if let Some(r) = edit::minimal(note, cite.span, &want.rich, source, format) {
        return Some(r);
    }
    let span = note.map.rewritable(cite.span, source)?;
    edit::only_text_and_emphasis(note, cite.span, source, format).then(|| edit::Rewrite {
        span,
        replacement: want.source.clone(),
        in_place: false,
    })
}

/// [`rewrite`] in LaTeX: the changed tokens only, or the whole citation written anew when it
/// holds nothing but text and italics (`\emph{...}`, `\textit{...}`, `{\itshape ...}`), its
/// italics in the command the author used there (`\emph` if none); quotes and dashes as the
/// author types them in the note. Never a rewrite whose braces are not balanced (it would
/// cross a command's argument).
fn latex_rewrite(
    note: &Note,
    cite: &Cite,
    want: &Expectation,
    source: &str,
) -> Option<edit::Rewrite> {
    use crate::manuscript::latex::write::{balanced, italic_in, italic_mark, Typing};
    let ok = |r: &edit::Rewrite| balanced(r.span.slice(source)) && balanced(&r.replacement);
    if let Some(r) = edit::minimal(note, cite.span, &want.rich, source, Format::Latex) {
        return ok(&r).then_some(r);
    }
    let span = note.map.rewritable_with(cite.span, source, italic_mark)?;
    if !edit::only_text_and_emphasis(note, cite.span, source, Format::Latex) {
        return None;
    }
    // quotes and dashes as the note types them; italics as the citation, else the note, does
    let mut typing = Typing::of(note.span.slice(source));
    if let Some(italic) = italic_in(span.slice(source)) {
        typing.italic = italic;
    }
    let r = edit::Rewrite {
        span,
        replacement: edit::latex(&want.rich, &typing),
        in_place: false,
    };
    ok(&r).then_some(r)
}

/// A citation that ends the note with its period inside the closing quotation mark
/// (`Manjoo, “Snap.”`), as American style puts it, without that period: the note's final period,
/// which the comparison leaves out.
fn final_period_inside_quote(written: &str) -> String {
    let t = written.trim_end();
    for close in ['”', '’', '"', '\''] {
        if let Some(rest) = t.strip_suffix(close) {
            if let Some(inner) = rest.strip_suffix('.') {
                return format!("{inner}{close}");
            }
        }
    }
    t.to_owned()
}

/// The first `max` characters of `text` on one line, with `…` when cut.
fn abbreviate(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max).collect();
    cut.push('…');
    cut
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// How far a rewrite may be trusted (see [`safety`]): manual when the parse behind it did not
/// account for every word of the citation, when the correct form's italics disagree with the
/// author's, or when the rewrite would lose the locator or (full to full) a word of the work;
/// safe when the kind stays, only the changed tokens are replaced and every written word is
/// kept, case included, with nothing added but the style's terms; unsafe otherwise.
fn applicability(
    cite: &Cite,
    note: &Note,
    work: Option<&crate::model::Work>,
    (written, replacement): (&str, &str),
    want: &Expectation,
    in_place: bool,
) -> Applicability {
    let written_text = cite.span.slice(&note.text);
    let wanted_text = want.text.trim_end_matches('.').trim();
    let full_to_full = cite.kind == CiteKind::Full && want.kind == CiteKind::Full;
    // what a style leaves out of a full note: the place of publication (Chicago 18), and the
    // names after the first where it writes `et al.`
    let mut omitted: Vec<String> = work
        .and_then(|w| w.publisher_place.clone())
        .into_iter()
        .collect();
    if wanted_text.contains("et al") {
        let names = work.map(|w| w.author.iter().chain(&w.editor));
        omitted.extend(names.into_iter().flatten().flat_map(|n| {
            [&n.given, &n.family, &n.literal]
                .into_iter()
                .flatten()
                .cloned()
        }));
    }
    let omitted: Vec<&str> = omitted.iter().map(String::as_str).collect();
    // a bare `Ibid.` stands for the same place as the note before: the locator is not lost
    let bare_ibid =
        want.kind == CiteKind::Ibid && !wanted_text.contains(|c: char| c.is_ascii_digit());
    let trusted = safety::confident(cite, &note.text, work)
        && (bare_ibid || safety::keeps_locator(cite, &note.text, wanted_text))
        && safety::italics_agree(
            &edit::written_italic_words(note, cite.span),
            &edit::italic_words(&want.rich),
            want.kind == CiteKind::Full,
            &crate::fold::words(cite.fields.title.as_deref().unwrap_or("")),
        )
        && (!full_to_full || safety::keeps_fields(written_text, wanted_text, &omitted));
    if !trusted {
        Applicability::Manual
    } else if cite.kind == want.kind && in_place && safety::keeps_words(written, replacement) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    }
}

fn describe(cite: &Cite, want: &Expectation) -> String {
    let kind = |k: CiteKind| match k {
        CiteKind::Full => "a full citation",
        CiteKind::Short | CiteKind::OpCit => "a short form",
        CiteKind::Ibid => "Ibid.",
    };
    if cite.kind != want.kind && !(cite.kind == CiteKind::OpCit && want.kind == CiteKind::Short) {
        format!(
            "the style wants {} here, not {}",
            kind(want.kind),
            kind(cite.kind)
        )
    } else {
        "citation differs from the style".to_owned()
    }
}

/// A word-level inline diff of `old` against `new`: `[-removed-]{+added+}`, for terminals without
/// colour and for logs. (The terminal printer colours the same changes.)
pub fn word_diff(old: &str, new: &str) -> Vec<(similar::ChangeTag, String)> {
    let diff = similar::TextDiff::configure().diff_words(old, new);
    let mut out: Vec<(similar::ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value();
        match out.last_mut() {
            Some((last, text)) if *last == tag => text.push_str(value),
            _ => out.push((tag, value.to_owned())),
        }
    }
    out
}

/// [`word_diff`] as plain text with `[-...-]` and `{+...+}` marks.
pub fn word_diff_plain(old: &str, new: &str) -> String {
    let mut s = String::new();
    for (tag, text) in word_diff(old, new) {
        match tag {
            similar::ChangeTag::Equal => s.push_str(&text),
            similar::ChangeTag::Delete => {
                s.push_str("[-");
                s.push_str(text.trim_end());
                s.push_str("-]");
                if text.ends_with(' ') {
                    s.push(' ');
                }
            }
            similar::ChangeTag::Insert => {
                s.push_str("{+");
                s.push_str(text.trim_end());
                s.push_str("+}");
                if text.ends_with(' ') {
                    s.push(' ');
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Markdown manuscript with these notes, read and resolved.
    fn analysed(notes: &[&str]) -> Analysis {
        let body: String = (1..=notes.len()).map(|i| format!("Text.[^{i}] ")).collect();
        let defs: String = notes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("[^{}]: {n}\n", i + 1))
            .collect();
        let src = format!("{body}\n\n{defs}");
        let ms = crate::manuscript::read_bytes(
            std::path::Path::new("t.md"),
            src.as_bytes(),
            Format::Markdown,
        )
        .unwrap();
        crate::resolve::analyse(ms)
    }

    /// What `check` finds in the citations of a Markdown manuscript in Chicago 17.
    fn findings(notes: &[&str]) -> Vec<Diagnostic> {
        let analysis = analysed(notes);
        let style = crate::render::style::resolve("chicago").unwrap();
        let mut input = crate::render::RenderInput::from_analysis(&analysis);
        input.keep_written_short_forms();
        let rendered = crate::render::render_notes(&input, &style).unwrap();
        let expected = Expected::from_rendered(&analysis, &rendered);
        compare(&analysis, &expected)
    }

    /// The fixes `check` offers for a Markdown manuscript in Chicago 17: (written, replacement,
    /// applicability).
    fn fixes(notes: &[&str]) -> Vec<(String, String, Applicability)> {
        findings(notes)
            .into_iter()
            .filter_map(|d| d.fix)
            .map(|f| (f.written, f.replacement, f.applicability))
            .collect()
    }

    #[test]
    fn a_focus_takes_the_notes_at_the_spans_and_the_full_citations_of_their_works() {
        let analysis = analysed(&[
            "Ann Lee, *Hacking Power* (Boston: Beacon, 2001), 4.",
            "Tom Ray, *Other Matters* (London: Verso, 1999), 7.",
            "Ray, *Other Matters*, 9.",
            "Lee, *Hacking Power*, 12.",
        ]);
        let notes = &analysis.manuscript.notes;
        // a place inside the last note: it, and the full citation of the work it cites
        let inside =
            crate::model::span::Span::new(notes[3].span.start + 2, notes[3].span.start + 3);
        assert_eq!(
            focus(&analysis, &[inside], &[false], None),
            [true, false, false, true]
        );
        // the start of a note (an insertion there) touches it
        let at = crate::model::span::Span::new(notes[2].span.start, notes[2].span.start);
        assert_eq!(
            focus(&analysis, &[at], &[false], None),
            [false, true, true, false]
        );
        assert_eq!(focus(&analysis, &[], &[], None), [false; 4]);
        // a place proved by the re-check before: its note only if its inputs changed
        let unchanged = [false; 4];
        let changed = [false, false, true, false];
        assert_eq!(
            focus(&analysis, &[inside, at], &[true, false], Some(&unchanged)),
            [false, true, true, false]
        );
        assert_eq!(
            focus(&analysis, &[inside, at], &[true, true], Some(&changed)),
            [false, true, true, false]
        );
        assert_eq!(
            focus(&analysis, &[inside], &[true], None),
            [true, false, false, true]
        );
    }

    #[test]
    fn punctuation_only_is_safe() {
        let got = fixes(&[
            "Jane Doe, \"The Agenda of Reform,\" *Politics* 45, no. 3 (2017): 436-40.",
            "Ibid, 4.",
        ]);
        assert_eq!(
            got,
            [
                (
                    "Jane Doe, \"The Agenda of Reform,\" *Politics* 45, no. 3 (2017): 436-40"
                        .into(),
                    // straight quotes are pandoc's curly ones: kept as typed
                    "Jane Doe, \"The Agenda of Reform,\" *Politics* 45, no. 3 (2017): 436–40"
                        .into(),
                    Applicability::Safe
                ),
                ("Ibid, 4".into(), "Ibid., 4".into(), Applicability::Safe)
            ]
        );
    }

    #[test]
    fn the_authors_markup_and_case_are_kept() {
        let got = fixes(&["Jon Duckett, _JavaScript and jQuery_, (Wiley, 2014), 4-13."]);
        assert_eq!(
            got,
            [(
                "Jon Duckett, _JavaScript and jQuery_, (Wiley, 2014), 4-13".into(),
                "Jon Duckett, _JavaScript and jQuery_ (Wiley, 2014), 4–13".into(),
                Applicability::Safe
            )]
        );
    }

    #[test]
    fn reordered_or_invented_words_are_not_safe() {
        let got = fixes(&["Atack, Jeremy. *Title of the Book*. Boston: Norton, 2001."]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, Applicability::Unsafe, "{got:?}");
        // no date: the style's `n.d.` is a word the manuscript does not give
        let got = fixes(&["Dev Lewis, *Global Ambitions* (Delhi: Digital Asia Hub), 4-13."]);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.contains("n.d."), "{got:?}");
        assert_ne!(got[0].2, Applicability::Safe, "{got:?}");
    }

    #[test]
    fn words_the_parse_did_not_account_for_make_a_fix_manual() {
        // a remark in parentheses after the locator is outside the citation: a fix keeps it
        let got = fixes(&[
            "John Smith, *The Book* (New York: Norton, 2001), 3.",
            "Smith, *The Book*, 4-13 (emphasis added).",
        ]);
        assert!(got.iter().all(|f| !f.0.contains("emphasis")), "{got:?}");
        for note in [
            "Smith, *The Book*, 20, quoting Brown.",
            "Smith, *The Book*, 31. Translation mine.",
        ] {
            let got = fixes(&["John Smith, *The Book* (New York: Norton, 2001), 3.", note]);
            assert!(
                got.iter()
                    .filter(|f| f.0.starts_with("Smith,"))
                    .all(|f| f.2 == Applicability::Manual),
                "{note}: {got:?}"
            );
        }
    }

    /// The codes `check` reports for a Markdown manuscript in Chicago 17, per note.
    fn codes(notes: &[&str]) -> Vec<(Option<String>, Code)> {
        findings(notes)
            .into_iter()
            .map(|d| (d.note, d.code))
            .collect()
    }

    #[test]
    fn a_correct_form_that_does_not_read_back_is_not_reported() {
        // the date in French is read as a series; its rendering puts it where a reader finds a
        // publisher: ibid does not understand this work, and says so instead of a difference
        let note = "Adolphe Basler, “Y a-t-il une peinture juive ?,” in *Mercure de France* (15 novembre 1925, n.d.), 91.";
        assert_eq!(
            codes(&[note]),
            vec![(Some("1".into()), Code::UncheckedCitation)]
        );
        // a work ibid reads back is checked
        let note = "John Smith, *The Book* (New York: Norton, 2001), 4-13.";
        assert_eq!(
            codes(&[note]),
            vec![(Some("1".into()), Code::StyleDifference)]
        );
    }

    /// A short form with no full citation before it: the full citation the style wants there
    /// would be made of the short form's names and title and `n.d.`; ibid says it does not know
    /// the work instead of proposing that.
    #[test]
    fn a_full_form_made_up_from_a_short_form_is_not_proposed() {
        let found = codes(&["Smith, “A Title of Some Length,” 4."]);
        assert!(
            found.contains(&(Some("1".into()), Code::UncheckedCitation)),
            "{found:?}"
        );
        assert!(
            !found.contains(&(Some("1".into()), Code::StyleDifference)),
            "{found:?}"
        );
    }

    /// A correct form that leaves out words the author wrote was rendered from a misreading
    /// (here a translator read nowhere, an issue read as an article's publisher):
    /// ibid says so instead of proposing to delete them. What the style drops by design is
    /// still checked: the end of a page range, the names `et al.` stands for, a book's month.
    #[test]
    fn a_correct_form_that_drops_the_authors_words_is_not_proposed() {
        for note in [
            "Dewar, Taryn. \"Datos tabulares en R\", traducido por Jennifer Isasi, *The Programming Historian en español* 3 (2018), https://programminghistorian.org/es/lecciones/datos-tabulares-en-r.",
            "L. A. Aday, “A Health Services Research Perspective,” *AIDS Care* 14, no. Spring (2002): 275.",
        ] {
            let found = codes(&[note]);
            assert_eq!(
                found,
                vec![(Some("1".into()), Code::UncheckedCitation)],
                "{note}"
            );
        }
        for (note, correct) in [
            (
                "Chris Cairns, *Fragmented Authoritarianism?* (Ithaca: Cornell University, September 2016), 3.",
                "Chris Cairns, *Fragmented Authoritarianism?* (Ithaca: Cornell University, 2016), 3",
            ),
            (
                "Ann Lee, Robert Ray, Carol Tan, and Diane Wu, “Some Title,” *Journal* 4 (2001): 237-249.",
                "Ann Lee et al., “Some Title,” *Journal* 4 (2001): 237–49",
            ),
        ] {
            let fixed = fixes(&[note]);
            assert_eq!(fixed.first().map(|f| f.1.as_str()), Some(correct), "{fixed:?}");
        }
    }

    #[test]
    fn word_diff_marks_changes() {
        assert_eq!(
            word_diff_plain("Ibid, 2-3", "Ibid., 2–3"),
            "[-Ibid,-]{+Ibid.,+} [-2-3-]{+2–3+}"
        );
        assert_eq!(
            word_diff_plain("Lee, “Hacking,” 62", "Lee, “Hacking,” 63"),
            "Lee, “Hacking,” [-62-]{+63+}"
        );
    }
}
