//! ibid: find, parse, resolve, re-emit and check the hand-typed citations of footnote-heavy essays.
//!
//! The pipeline is visible in the module layout, and every stage hands the next one plain data:
//!
//! ```text
//! bytes --read--> Manuscript --parse--> ParsedNote (Cite...) --resolve--> Analysis (Library + linked cites)
//!       --render--> expected notes --check--> Diagnostic (+ edits for fix)
//! ```
//!
//! The modules, bottom to top; none imports one above it:
//!
//! * [`model`]: the vocabulary: works, names, dates, the library, spans, findings, and the one
//!   serialized record of a citation ([`model::CiteRecord`]) that `extract`, the renderer and
//!   `parse --notes` write and read. With [`error`],
//!   [`fold`] (text folded for comparison) and `graph` (cycles, counted iteratively).
//! * [`manuscript`]: read a manuscript (plain text, Markdown, HTML, .docx) into notes and markers,
//!   every one with its byte span in the source; [`config`]: `ibid.toml`.
//! * [`bib`]: bibliographies in and out (CSL-JSON, BibLaTeX, YAML, RIS).
//! * [`grammar`]: the nom grammar that turns a note's text into citations and a reference string into
//!   CSL-JSON fields.
//! * [`resolve`]: links Ibid chains and short forms to works of one deduplicated
//!   [`model::Library`], and matches them against a user's library; [`output`]: the JSON shape
//!   of `ibid extract` (the shape of the shared gold files).
//! * [`render`]: re-emits notes and bibliography in a CSL style through hayagriva, corrected;
//!   [`convert`]: notes to author-date and back.
//! * [`check`]: each citation as written against its correct form, with the fix and its safety.
//! * [`fix`]: the fixes written back (text, .docx tracked changes), atomically.
//! * [`session`]: the pipeline assembled once for every verb: read, analyse (with or without the
//!   user's library), choose the style, check and fix, one file or many with one render cache.
//!   Embedders start here ([`session::Session`], [`session::check_path`]).
//! * [`report`]: reports that are documents of their own (the HTML page for an author), made
//!   from what [`session`] checked.
//! * [`cli`]: the command line (arguments in, [`session`] called, results printed), the only
//!   place that prints.

pub mod bib;
pub mod check;
pub mod cli;
pub mod config;
pub mod convert;
pub mod error;
pub mod fix;
pub mod fold;
pub mod grammar;
pub(crate) mod graph;
pub mod manuscript;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod resolve;
pub mod session;

pub use error::Error;
pub use manuscript::Manuscript;
pub use model::{Code, Diagnostic, Library, Severity, Span, Work};
pub use resolve::Analysis;
