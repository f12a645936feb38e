//! The one serialized record of a citation ([`CiteRecord`]): what `ibid extract --format json`
//! writes for each citation (the shape of the shared gold files), what the renderer takes
//! ([`crate::render::RenderInput`]) and what `ibid parse --notes` prints. The grammar's typed
//! citation ([`crate::grammar::Cite`]) makes it, in one place
//! ([`crate::grammar::Cite::record`]): the kind's name, the locator's label and the signal's name
//! are decided there once.
//!
//! Every use writes the fields it has and leaves the optional others out: an extract has no
//! positions in the note's text and no fields, the renderer's input no position in the
//! manuscript. Its two kinds of position are two fields: [`CiteRecord::span`] counts in the
//! manuscript's bytes, [`CiteRecord::note_span`] and [`CiteRecord::signal_span`] in the note's
//! text.

use serde::{Deserialize, Serialize};

use super::span::Span;
use super::work::Work;

/// One citation as ibid writes it out and reads it back.
///
/// Serialized, the fields come in the order of the extract JSON (`kind`, `work`, `locator`,
/// `label`, `signal`, `text`, `span`); `work`, `locator` and `signal` are written as null when
/// absent, the rest left out. Reading, every field but `kind` may be missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CiteRecord {
    /// `full`, `short` or `ibid`, as written (an `op. cit.` counts as short).
    pub kind: String,
    /// The key of its work in the library (`works`); null when unresolved.
    #[serde(default)]
    pub work: Option<String>,
    /// The locator's value, normalised (`4–13`, an en dash); a compound locator as written
    /// (`Chapter 1, Article 9`); null when there is none.
    #[serde(default)]
    pub locator: Option<String>,
    /// The locator's CSL label (`page`, `chapter` ...) when there is a locator: `page` for a
    /// compound one, whose words are its labels. In a [`crate::render::RenderInput`], `custom`
    /// marks a locator printed as written, without a label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The locator gives several labels (`Chapter 1, Article 9`), as the grammar read it. Never
    /// written: the renderer's input turns it into the `custom` label, and an extract JSON read
    /// back tells compound locators by their words.
    #[serde(skip)]
    pub compound: bool,
    /// The signal (`see`, `cited in`), lower case, without a final period; null when there is
    /// none.
    #[serde(default)]
    pub signal: Option<String>,
    /// The citation as written in the note's text (signal and final period excluded).
    #[serde(default)]
    pub text: String,
    /// The citation's bytes in the manuscript, when they map exactly (`ibid extract`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The citation's bytes in the note's text (signal and final period excluded): where the
    /// renderer puts the corrected citation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_span: Option<Span>,
    /// The signal's bytes in the note's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal_span: Option<Span>,
    /// The fields the grammar read in the citation (`ibid parse --notes`): all of them for a full
    /// citation, author(s) and short title for a short form, nothing for Ibid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Work>,
    /// Render it where the style would print Ibid. as if the chain were broken there: a short
    /// form ([`crate::render::RenderInput::keep_written_short_forms`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_ibid: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_the_extract_order_with_nulls_for_work_locator_and_signal() {
        let record = CiteRecord {
            kind: "ibid".into(),
            text: "Ibid".into(),
            note_span: Some(Span::new(0, 4)),
            ..CiteRecord::default()
        };
        let json = serde_json::to_string(&CiteRecord {
            note_span: None,
            ..record.clone()
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"kind":"ibid","work":null,"locator":null,"signal":null,"text":"Ibid"}"#
        );
        let back: CiteRecord =
            serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        assert_eq!(back, record);
    }

    #[test]
    fn reads_a_gold_citation() {
        let c: CiteRecord =
            serde_json::from_str(r#"{"kind":"short","work":"lee","locator":"62","signal":"see"}"#)
                .unwrap();
        assert_eq!(c.work.as_deref(), Some("lee"));
        assert_eq!(c.label, None);
        assert!(c.text.is_empty() && c.span.is_none() && !c.compound);
        assert!(serde_json::from_str::<CiteRecord>(r#"{"work":"lee"}"#).is_err());
    }
}
