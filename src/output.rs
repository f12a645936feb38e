//! The JSON shape of `ibid extract --format json`: the shape of the shared gold files
//! (`notes`, `works`, `diagnostics`), with spans and positions added.

use serde::{Deserialize, Serialize};

use crate::model::diagnostic::{Code, Severity};
use crate::model::span::{LineIndex, Span};
use crate::model::Work;
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
    /// Its citations.
    pub citations: Vec<CitationOut>,
    /// The note holds prose beyond its citations.
    pub commentary: bool,
    /// The note's text.
    #[serde(default)]
    pub text: String,
    /// The note's bytes in the manuscript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// One citation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CitationOut {
    /// `full`, `short` or `ibid`.
    pub kind: String,
    /// The key of its work in `works`, or null when unresolved.
    pub work: Option<String>,
    /// The locator, normalised (en dash), or null.
    pub locator: Option<String>,
    /// The locator's label (`page`, `chapter` ...) when there is a locator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The signal (`see`, `cited in`), or null.
    pub signal: Option<String>,
    /// The citation as written.
    #[serde(default)]
    pub text: String,
    /// The citation's bytes in the manuscript, when they map exactly.
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
                    .map(|cite| CitationOut {
                        kind: cite.kind.json_name().to_owned(),
                        work: cite
                            .work
                            .and_then(|w| analysis.library.get(w))
                            .map(|w| w.id.clone()),
                        locator: cite.locator.as_ref().map(|l| l.value.clone()),
                        label: cite.locator.as_ref().map(|l| l.label.csl_name().to_owned()),
                        signal: cite.signal.as_ref().map(|s| s.name.clone()),
                        text: cite.span.slice(&note.text).to_owned(),
                        span: note.map.span(cite.span),
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
