//! Resolve: every citation gets a work in one deduplicated library; Ibid chains and short forms
//! are linked to their antecedents, and what a copy editor would flag becomes a diagnostic.

use crate::diagnostic::Diagnostic;
use crate::grammar::{self, ParsedNote};
use crate::library::Library;
use crate::manuscript::Manuscript;

/// A manuscript read, parsed and resolved: what every later stage (render, check, export) takes.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The manuscript as read.
    pub manuscript: Manuscript,
    /// One parsed note per manuscript note, in the same order; each citation's `work` is set
    /// when it was resolved.
    pub notes: Vec<ParsedNote>,
    /// The deduplicated works.
    pub library: Library,
    /// Every finding: the reader's, the grammar's and the resolver's, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses every note of `manuscript` and resolves its citations.
pub fn analyse(manuscript: Manuscript) -> Analysis {
    let notes = manuscript
        .notes
        .iter()
        .map(|n| grammar::parse_note(&n.text, &n.emphasis))
        .collect();
    resolve(manuscript, notes)
}

/// Resolves parsed notes into a library (placeholder: the resolver lands next).
pub fn resolve(manuscript: Manuscript, notes: Vec<ParsedNote>) -> Analysis {
    let diagnostics = manuscript.diagnostics.clone();
    Analysis {
        manuscript,
        notes,
        library: Library::default(),
        diagnostics,
    }
}
