//! How fixes are written back, per kind of source: the one place that knows that a .docx is not
//! a text file (ruff's `SourceKind`).
//!
//! A text source (plain text, Markdown, HTML, LaTeX) is rewritten byte for byte, and `fix` goes round
//! (fix, check again) while fixing uncovers more: a note rewritten into a full citation turns the
//! next note's form into a short one. A Word or OpenDocument package gets the fixes as tracked changes for an
//! editor to review, in one round, and each trial fix is checked by reading the rewritten package.

use std::path::Path;

use crate::error::Result;
use crate::manuscript::Format;
use crate::model::diagnostic::Diagnostic;

/// The kind of source a manuscript was read from, as far as writing fixes is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Text in its own encoding: plain text, Markdown, HTML.
    Text,
    /// A Word package: fixes become tracked changes.
    Docx,
    /// An OpenDocument text package: fixes become ODF tracked changes.
    Odt,
}

impl SourceKind {
    /// The kind of source of a manuscript format.
    pub fn of(format: Format) -> SourceKind {
        match format {
            Format::Docx => SourceKind::Docx,
            Format::Odt => SourceKind::Odt,
            Format::Text | Format::Markdown | Format::Html | Format::Latex => SourceKind::Text,
        }
    }

    /// A zip package whose fixes are written as tracked changes (.docx, .odt).
    pub fn is_package(self) -> bool {
        matches!(self, SourceKind::Docx | SourceKind::Odt)
    }

    /// How many rounds of fix-then-check `fix` may go: a .docx one (its fixes are proposals
    /// for an editor, not yet text that a second round could build on).
    pub fn rounds(self) -> usize {
        match self {
            SourceKind::Text => 4,
            SourceKind::Docx | SourceKind::Odt => 1,
        }
    }

    /// Keeps only the fixes whose result reads back as the correct form ([`crate::fix::settle`]):
    /// `recheck` checks the bytes a trial of fixes leaves (the rewritten text, or the rewritten
    /// package) at the spans the trial's fixes occupy in its text ([`super::settle_with`]);
    /// `text` is the manuscript's text as read from `path`.
    pub fn settle(
        self,
        path: &Path,
        text: &str,
        diagnostics: &mut [Diagnostic],
        recheck: impl Fn(&[u8], &crate::fix::Trial) -> Result<Vec<Diagnostic>>,
    ) -> Result<()> {
        match self {
            SourceKind::Text => super::settle(path, text, diagnostics, |t, trial| {
                recheck(t.as_bytes(), trial)
            }),
            SourceKind::Docx if diagnostics.iter().any(|d| d.fix.is_some()) => {
                super::docx::settle(path, text, diagnostics, recheck)
            }
            SourceKind::Odt if diagnostics.iter().any(|d| d.fix.is_some()) => {
                super::odt::settle(path, text, diagnostics, recheck)
            }
            SourceKind::Docx | SourceKind::Odt => Ok(()),
        }
    }
}
