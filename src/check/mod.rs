//! Check: each citation as written against its correct form in the style, note by note.
//!
//! The render stage says what every citation should read ([`Expected`]); this stage compares, and
//! turns every difference into a [`Diagnostic`] of rule `IB100` carrying the [`Fix`] that rewrites
//! exactly the citation's span (never its signal, never the note's prose).

use crate::diagnostic::{Applicability, Code, Diagnostic, Fix};
use crate::grammar::{Cite, CiteKind};
use crate::manuscript::{Format, Note};
use crate::resolve::Analysis;

pub(crate) mod edit;
pub mod safety;

/// What each citation should read in the chosen style: per note, per citation, the citation's
/// text without its signal and without the note's final period; `None` where there is nothing
/// to compare (an unresolved citation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    /// Indexed like `Analysis::notes` and their `cites`.
    pub notes: Vec<Vec<Option<Expectation>>>,
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
                        let rich = rich.as_ref()?;
                        let text = rich.to_text();
                        let first = seen.insert(work);
                        let kind = if text.trim_start().to_lowercase().starts_with("ibid") {
                            CiteKind::Ibid
                        } else if first {
                            CiteKind::Full
                        } else {
                            CiteKind::Short
                        };
                        let source = match format {
                            crate::manuscript::Format::Markdown => rich.to_markdown(),
                            // .docx: italics as `<i>`, which the tracked-change writer
                            // turns into `w:i` runs
                            crate::manuscript::Format::Html | crate::manuscript::Format::Docx => {
                                rich.to_html()
                            }
                            _ => text.clone(),
                        };
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
        Expected { notes }
    }
}

/// Compares every citation of `analysis` with its expectation; returns one finding per
/// differing citation, with its fix.
pub fn compare(analysis: &Analysis, expected: &Expected) -> Vec<Diagnostic> {
    let format = analysis.manuscript.format;
    let mut out = Vec::new();
    for ((note, parsed), wanted) in analysis
        .manuscript
        .notes
        .iter()
        .zip(&analysis.notes)
        .zip(&expected.notes)
    {
        for (cite, want) in parsed.cites.iter().zip(wanted) {
            let Some(want) = want else { continue };
            let written_text = cite.span.slice(&note.text);
            let target = want.text.trim_end_matches('.').trim();
            if same_text(written_text, target) {
                continue;
            }
            let work = cite.work.and_then(|w| analysis.library.get(w));
            let fix = rewrite(note, cite, want, &analysis.manuscript.text, format)
                .map(|(span, replacement, in_place)| {
                    let written = span.slice(&analysis.manuscript.text).to_owned();
                    // a .docx span is XML: its words are compared as the note's text
                    let (old, new) = if format == Format::Docx {
                        (written_text.to_owned(), target.to_owned())
                    } else {
                        (written.clone(), replacement.clone())
                    };
                    let applicability =
                        applicability(cite, note, work, (&old, &new), want, in_place);
                    Fix {
                        span,
                        written,
                        replacement,
                        applicability,
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
            d.fix = fix;
            out.push(d);
        }
    }
    out
}

/// The rewrite of one citation: its source span, what to write there, and whether every source
/// byte the correction does not concern is kept (`true`: only the changed tokens were replaced;
/// `false`: the span is written anew, italics markup included). `None` when the span cannot be
/// rewritten without destroying markup: a person makes the change.
fn rewrite(
    note: &Note,
    cite: &Cite,
    want: &Expectation,
    source: &str,
    format: Format,
) -> Option<(crate::span::Span, String, bool)> {
    if format == Format::Docx {
        // Word runs: the tracked-change writer (manuscript::docx_fix) diffs token by token itself
        // and refuses, with its reason, the markup it cannot split (links, fields, bookmarks)
        let span = note.map.span(cite.span)?;
        let in_place = edit::changes(note, cite.span, &want.rich).is_some();
        return Some((span, want.source.clone(), in_place));
    }
    if let Some(r) = edit::minimal(note, cite.span, &want.rich, source, format) {
        return Some((r.span, r.replacement, true));
    }
    let span = note.map.rewritable(cite.span, source)?;
    edit::only_text_and_emphasis(note, cite.span, source)
        .then(|| (span, want.source.clone(), false))
}

/// Equal, once runs of white space (a line break inside a note) count as one space.
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
    work: Option<&crate::library::Work>,
    (written, replacement): (&str, &str),
    want: &Expectation,
    in_place: bool,
) -> Applicability {
    let written_text = cite.span.slice(&note.text);
    let wanted_text = want.text.trim_end_matches('.').trim();
    let full_to_full = cite.kind == CiteKind::Full && want.kind == CiteKind::Full;
    let place = work.and_then(|w| w.publisher_place.as_deref());
    let trusted = safety::confident(cite, &note.text, work)
        && safety::keeps_locator(cite, &note.text, wanted_text)
        && safety::italics_agree(
            &edit::written_italic_words(note, cite.span),
            &edit::italic_words(&want.rich),
            want.kind == CiteKind::Full,
        )
        && (!full_to_full
            || safety::keeps_fields(written_text, wanted_text, place.as_slice()));
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
    use crate::library::Work;
    use crate::span::Span;

    fn cite(kind: CiteKind) -> Cite {
        Cite {
            kind,
            span: Span::new(0, 1),
            signal: None,
            locator: None,
            fields: Work::default(),
            work: Some(0),
        }
    }

    #[test]
    fn punctuation_only_is_safe_dropping_words_is_not() {
        let want = |t: &str, kind| Expectation {
            text: t.into(),
            source: t.into(),
            kind,
        };
        let ibid = cite(CiteKind::Ibid);
        assert_eq!(
            applicability(&ibid, "Ibid, 4", &want("Ibid., 4", CiteKind::Ibid)),
            Applicability::Safe
        );
        let short = cite(CiteKind::Short);
        assert_eq!(
            applicability(
                &short,
                "Lam, “The agenda,” 6",
                &want("Ibid.", CiteKind::Ibid)
            ),
            Applicability::Unsafe
        );
        let full = cite(CiteKind::Full);
        assert_eq!(
            applicability(
                &full,
                "Robert Wintrobe, Dictatorship",
                &want("Ronald Wintrobe, Dictatorship", CiteKind::Full)
            ),
            Applicability::Unsafe
        );
        assert_eq!(
            applicability(
                &full,
                "Atack, Jeremy, Title",
                &want("Jeremy Atack, Title", CiteKind::Full)
            ),
            Applicability::Unsafe,
            "reordered names"
        );
        assert_eq!(
            applicability(
                &full,
                "Politics 45, 3 (2017): 436",
                &want("Politics 45, no. 3 (2017): 436", CiteKind::Full)
            ),
            Applicability::Safe
        );
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
