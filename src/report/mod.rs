//! Reports on checked manuscripts that are documents of their own, made here so that the command
//! line only chooses and writes them: [`html`], the page an editor sends to an author.
//!
//! A report takes each file's findings as [`FileView`]s (what `check` found, with the notes'
//! text) and returns the whole document as a string.

pub mod html;

use crate::model::diagnostic::Diagnostic;
use crate::session::StyleChoice;

/// One checked file, as a report shows it.
#[derive(Debug, Clone, Copy)]
pub struct FileView<'a> {
    /// The file, as given on the command line.
    pub file: &'a str,
    /// Its source text (the findings' spans point into it).
    pub text: &'a str,
    /// Its notes in order: id and visible text.
    pub notes: &'a [(String, String)],
    /// The findings, in source order.
    pub diagnostics: &'a [Diagnostic],
    /// The style the citations were checked against, and why that one.
    pub style: &'a StyleChoice,
}
