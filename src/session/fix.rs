//! `fix` over one manuscript: check, write the chosen fixes, check again, for a few rounds;
//! then show the diff or write the file back.

use std::collections::HashSet;
use std::path::Path;

use super::{Checked, Session};
use crate::error::{Error, Result};
use crate::fix;
use crate::manuscript;
use crate::model::diagnostic::{Applicability, Fix};
use crate::model::span::Span;

/// How `fix` runs.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// Also apply unsafe rewrites (those that change words or the kind of citation).
    pub unsafe_fixes: bool,
    /// Compute a unified diff of what would change, and write nothing.
    pub diff_only: bool,
    /// Also write read-only and hard-linked files (see [`crate::fix::Target::write`]).
    pub force: bool,
    /// The author of the tracked changes and comments written into a .docx
    /// ([`crate::fix::docx::AUTHOR`] when `None`).
    pub author: Option<String>,
}

impl FixOptions {
    /// Whether this run writes fixes of this kind.
    fn wants(&self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::Manual => false,
        }
    }
}

/// What fixing one file did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// A unified diff (with [`FixOptions::diff_only`]), else empty.
    pub diff: String,
    /// One line for the person running it.
    pub summary: String,
    /// Failing findings left after the fix (at the session's `--fail-on`).
    pub remaining: usize,
    /// The fixed bytes, for a manuscript fixed in memory ([`Session::fix_bytes`] without
    /// `diff_only`): the input itself when nothing changed.
    pub fixed: Option<Vec<u8>>,
}

/// Where `fix` puts what it did.
enum Sink {
    /// A unified diff; nothing written.
    Diff,
    /// The manuscript's file, opened and locked.
    File(fix::Target),
    /// Bytes returned to the caller; these are the original ones.
    Memory(Vec<u8>),
}

impl Session {
    /// The failing findings of a check that the given fixes do not take care of.
    fn remaining_after(&self, checked: &Checked, applied: &[&Fix]) -> usize {
        checked
            .diagnostics
            .iter()
            .filter(|d| self.fails(d))
            .filter(|d| !d.fix.as_ref().is_some_and(|f| applied.contains(&f)))
            .count()
    }
}

impl Session {
    /// Fixes one manuscript: writes the fixes of the kinds `options` asks for, going round
    /// while fixing uncovers more (a .docx gets one round, as Word tracked changes); or, with
    /// [`FixOptions::diff_only`], returns the diff and writes nothing. A note in which the first
    /// check shows a fix that this run does not write is left alone in later rounds too.
    pub fn fix(&self, path: &Path, options: FixOptions) -> Result<FixOutcome> {
        // a regular file (symlinks followed), locked until it is written: checked after the lock
        let target = (!options.diff_only)
            .then(|| fix::Target::open(path, options.force))
            .transpose()?;
        let first = self.check(path)?;
        let sink = match target {
            Some(t) => Sink::File(t),
            None => Sink::Diff,
        };
        self.fix_checked(path, first, options, sink)
    }

    /// [`Session::fix`] of a manuscript given as bytes (`ibid fix -` reads standard input):
    /// `name` names it in messages and finds its configuration; the fixed bytes are returned in
    /// [`FixOutcome::fixed`] (or, with `diff_only`, the diff), and nothing is written. A text
    /// format only: a .docx is fixed in its file.
    pub fn fix_bytes(
        &self,
        name: &Path,
        ms: manuscript::Manuscript,
        bytes: &[u8],
        options: FixOptions,
    ) -> Result<FixOutcome> {
        let first = self.check_manuscript(name, ms)?;
        let sink = if options.diff_only {
            Sink::Diff
        } else {
            Sink::Memory(bytes.to_vec())
        };
        self.fix_checked(name, first, options, sink)
    }

    /// The fix rounds from a first check, and what `sink` asks for.
    fn fix_checked(
        &self,
        path: &Path,
        first: Checked,
        options: FixOptions,
        sink: Sink,
    ) -> Result<FixOutcome> {
        let format = first.analysis.manuscript.format;
        let kind = fix::SourceKind::of(format);
        let original_text = first.analysis.manuscript.text.clone();
        // A note in which the check shows a fix that this run does not write (manual, or unsafe
        // without `--unsafe`) is left to a person: later rounds write nothing in it either, so
        // that `fix` never writes what `check` called manual.
        let held: HashSet<String> = first
            .diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| !options.wants(f.applicability))
            })
            .filter_map(|d| d.note.clone())
            .collect();
        // a package is fixed in its file, never from standard input
        let target = match &sink {
            Sink::File(t) => Some(t),
            Sink::Diff => None,
            Sink::Memory(_) if kind.is_package() => {
                return Err(Error::input(
                    path,
                    "a .docx or .odt is fixed in its file, not from standard input",
                ))
            }
            Sink::Memory(_) => None,
        };
        if kind == fix::SourceKind::Docx {
            // the corrections become Word tracked changes for an editor to review, and what
            // needs a person becomes Word comments; one round
            return fix_docx(self, path, &first, &options, target);
        }
        let mut current = first;
        let mut rewritten = 0;
        for round in 0..kind.rounds() {
            let chosen: Vec<&Fix> = current
                .diagnostics
                .iter()
                .filter(|d| round == 0 || d.note.as_ref().is_none_or(|n| !held.contains(n)))
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| options.wants(f.applicability))
                .collect();
            if chosen.is_empty() {
                break;
            }
            if kind == fix::SourceKind::Odt {
                // the corrections become ODF tracked changes for an editor to review; one round
                let remaining = self.remaining_after(&current, &chosen);
                let ms = &current.analysis.manuscript;
                return fix::odt::fix_file(path, ms, &chosen, target).map(|(diff, summary)| {
                    FixOutcome {
                        diff,
                        summary,
                        remaining,
                        fixed: None,
                    }
                });
            }
            rewritten += chosen.len();
            let text = fix::apply(path, &current.analysis.manuscript.text, &chosen)?;
            let ms = manuscript::read_bytes(path, text.as_bytes(), format)?;
            current = self.check_manuscript(path, ms)?;
        }
        let remaining = self.remaining_after(&current, &[]);
        let name = crate::error::display_path(path);
        let new_text = &current.analysis.manuscript.text;
        if rewritten == 0 {
            return Ok(FixOutcome {
                diff: String::new(),
                summary: format!("{name}: nothing to fix ({remaining} finding(s) need a person)"),
                remaining,
                fixed: match sink {
                    Sink::Memory(original) => Some(original),
                    _ => None,
                },
            });
        }
        let target = match sink {
            Sink::File(target) => target,
            Sink::Memory(original) => {
                let bytes = fix::encode_like(path, &original, format, &original_text, new_text)?;
                return Ok(FixOutcome {
                    diff: String::new(),
                    summary: format!("{name}: {rewritten} citation(s) rewritten"),
                    remaining,
                    fixed: Some(bytes),
                });
            }
            Sink::Diff => {
                let diff = similar::TextDiff::from_lines(&original_text, new_text)
                    .unified_diff()
                    .context_radius(1)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string();
                return Ok(FixOutcome {
                    diff,
                    summary: format!("{name}: {rewritten} citation(s) would be rewritten"),
                    remaining,
                    fixed: None,
                });
            }
        };
        let original = target.read()?;
        target.write(
            &original,
            &fix::encode_like(path, &original, format, &original_text, new_text)?,
        )?;
        Ok(FixOutcome {
            diff: String::new(),
            summary: format!("{name}: {rewritten} citation(s) rewritten"),
            remaining,
            fixed: None,
        })
    }
}

/// `fix` on a .docx: the fixes `options` asks for as tracked changes, every other finding with a
/// place in the notes or the body as a comment ([`crate::fix::comments`]).
fn fix_docx(
    session: &Session,
    path: &Path,
    checked: &Checked,
    options: &FixOptions,
    target: Option<&fix::Target>,
) -> Result<FixOutcome> {
    let ms = &checked.analysis.manuscript;
    let chosen: Vec<&Fix> = checked
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| options.wants(f.applicability))
        .collect();
    let remaining = session.remaining_after(checked, &chosen);
    // LibreOffice cannot open a .docx with a comment inside a footnote or endnote (Word can):
    // a finding in a note is anchored on the note's reference mark in the body
    let body = crate::manuscript::docx::parts(&ms.text)
        .first()
        .map(|(_, span)| *span)
        .unwrap_or_default();
    // a comment inside a citation that a later `fix --unsafe` may rewrite is anchored on the
    // whole citation, so that its marks never fall between the runs the rewrite needs
    let unwritten: Vec<Span> = checked
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| !options.wants(f.applicability))
        .map(|f| f.span)
        .collect();
    let comments: Vec<fix::comments::Comment> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            !d.fix
                .as_ref()
                .is_some_and(|f| options.wants(f.applicability))
        })
        .filter_map(|d| {
            let span = d.span?;
            let span = if body.start <= span.start && span.end <= body.end {
                unwritten
                    .iter()
                    .filter(|f| f.start <= span.end && span.start <= f.end)
                    .fold(span, |s, f| {
                        Span::new(s.start.min(f.start), s.end.max(f.end))
                    })
            } else {
                let id = d.note.as_deref()?;
                ms.markers.iter().find(|m| m.id == id)?.span
            };
            Some(fix::comments::Comment {
                span,
                note_span: None,
                paragraphs: comment_text(d),
            })
        })
        .collect();
    if chosen.is_empty() && comments.is_empty() {
        let name = crate::error::display_path(path);
        return Ok(FixOutcome {
            diff: String::new(),
            summary: format!("{name}: nothing to fix ({remaining} finding(s) need a person)"),
            remaining,
            fixed: None,
        });
    }
    let author = options.author.as_deref().unwrap_or(fix::docx::AUTHOR);
    fix::docx::fix_file(path, ms, &chosen, &comments, author, target).map(|(diff, summary)| {
        FixOutcome {
            diff,
            summary,
            remaining,
            fixed: None,
        }
    })
}

/// A finding as the paragraphs of a Word comment: the rule and the message; the correct form
/// when there is one, and what `fix` would do with it; where the rule is explained.
fn comment_text(d: &crate::model::diagnostic::Diagnostic) -> Vec<String> {
    let note = d
        .note
        .as_deref()
        .map(|n| format!("Note {n}: "))
        .unwrap_or_default();
    let mut out = vec![format!(
        "{note}{} {} ({}): {}",
        d.code,
        d.code.slug(),
        d.severity.as_str(),
        d.message
    )];
    if let Some((written, wanted)) = d.shown() {
        out.push(format!("As written: {written}"));
        out.push(format!("Correct form: {wanted}"));
    }
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Unsafe) => {
            out.push("ibid fix --unsafe writes it (it changes words: check it first).".into())
        }
        Some(Applicability::Safe) => out.push("ibid fix writes it.".into()),
        _ => {}
    }
    out.push(format!(
        "{} (ibid explain {} says more.)",
        d.code.summary(),
        d.code
    ));
    out
}
