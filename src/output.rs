//! The JSON shape of `ibid extract --format json`: the shape of the shared gold files
//! (`notes`, `works`, `diagnostics`), with spans and positions added.

use serde::{Deserialize, Serialize};

use crate::model::diagnostic::{Code, Severity};
use crate::model::span::{LineIndex, Span};
use crate::model::{CiteRecord, Work};
use crate::resolve::Analysis;

/// The whole extract document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extract {
    /// The manuscript file.
    #[serde(default)]
    pub file: String,
    /// The notes, in order.
    pub notes: Vec<NoteOut>,
    /// The works, as CSL-JSON items (a list; readers also accept a map keyed by id).
    #[serde(deserialize_with = "works_list_or_map")]
    pub works: Vec<Work>,
    /// The findings.
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticOut>,
}

/// One note.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteOut {
    /// The note's id (`xxvi`).
    pub id: String,
    /// 1-based position.
    pub number: usize,
    /// Its citations: each with its text and its bytes in the manuscript (`span`), none with
    /// positions in the note's text or fields.
    pub citations: Vec<CiteRecord>,
    /// The note holds prose beyond its citations.
    pub commentary: bool,
    /// The note's text.
    #[serde(default)]
    pub text: String,
    /// The note's bytes in the manuscript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// One finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticOut {
    /// The note concerned, if any.
    pub note: Option<String>,
    /// Stable rule code (`IB010`).
    pub code: Code,
    /// `info`, `warning` or `error`.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// 1-based line, when the finding has a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (characters), when the finding has a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte range in the manuscript, when the finding has a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

fn works_list_or_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Work>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Works {
        List(Vec<Work>),
        Map(std::collections::BTreeMap<String, Work>),
    }
    Ok(match Works::deserialize(d)? {
        Works::List(list) => list,
        Works::Map(map) => map
            .into_iter()
            .map(|(key, mut work)| {
                if work.id.is_empty() {
                    work.id = key;
                }
                work
            })
            .collect(),
    })
}

impl Extract {
    /// The extract document of an analysis.
    pub fn from_analysis(analysis: &Analysis) -> Extract {
        let ms = &analysis.manuscript;
        let notes = ms
            .notes
            .iter()
            .zip(&analysis.notes)
            .map(|(note, parsed)| NoteOut {
                id: note.id.clone(),
                number: note.number,
                commentary: parsed.commentary,
                text: note.text.clone(),
                span: Some(note.span),
                citations: parsed
                    .cites
                    .iter()
                    .map(|cite| CiteRecord {
                        span: note.map.span(cite.span),
                        note_span: None,
                        signal_span: None,
                        ..cite.record(&note.text, &analysis.library)
                    })
                    .collect(),
            })
            .collect();
        let lines = LineIndex::new(&ms.text);
        let diagnostics = analysis
            .diagnostics
            .iter()
            .map(|d| {
                let pos = d.span.map(|s| lines.line_col(s.start));
                DiagnosticOut {
                    note: d.note.clone(),
                    code: d.code,
                    severity: d.severity,
                    message: d.message.clone(),
                    line: pos.map(|p| p.0),
                    column: pos.map(|p| p.1),
                    span: d.span,
                }
            })
            .collect();
        Extract {
            file: ms.name(),
            notes,
            works: analysis.library.works.clone(),
            diagnostics,
        }
    }
}
