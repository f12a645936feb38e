//! ibid: find, parse, resolve, re-emit and check the hand-typed citations of footnote-heavy essays.
//!
//! The pipeline is visible in the module layout, and every stage hands the next one plain data:
//!
//! ```text
//! bytes --read--> Manuscript --parse--> ParsedNote (Cite...) --resolve--> Analysis (Library + linked cites)
//!       --render--> expected notes --check--> Diagnostic (+ edits for fix)
//! ```
//!
//! * [`manuscript`]: read a manuscript (plain text, Markdown, HTML, .docx) into notes and markers,
//!   every one with its byte span in the source.
//! * [`grammar`]: the nom grammar that turns a note's text into citations and a reference string into
//!   CSL-JSON fields.
//! * [`resolve`]: links Ibid chains and short forms to works of one deduplicated [`library::Library`].
//! * [`diagnostic`]: findings with stable codes, severities and positions.
//! * [`render`]: re-emits notes and bibliography in a CSL style through hayagriva, corrected.
//! * [`output`]: the JSON shape of `ibid extract` (the shape of the shared gold files).

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod fix;
pub mod fold;
pub mod grammar;
pub(crate) mod graph;
pub mod library;
pub mod manuscript;
pub mod output;
pub mod render;
pub mod resolve;
pub mod span;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use error::Error;
pub use library::{Library, Work};
pub use manuscript::Manuscript;
pub use resolve::Analysis;
pub use span::Span;
