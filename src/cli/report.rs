//! Printing findings: for people (compiler-style headers with a word diff), and for machines
//! (`json`, GitHub workflow annotations, SARIF 2.1.0).

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;
use serde_json::json;

use crate::check::word_diff;
use crate::model::diagnostic::{Applicability, Code, Diagnostic, Severity};
use crate::model::span::{LineIndex, Span};

/// The findings of one file, ready to print.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file, as given on the command line.
    pub file: String,
    /// Its text (spans point into it).
    pub text: String,
    /// How many notes it has.
    pub notes: usize,
    /// The findings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The style the citations were checked against, and why that one.
    pub style: crate::session::StyleChoice,
    /// Its notes' ids and texts (kept for `--format html` only; empty otherwise).
    pub note_texts: Vec<(String, String)>,
}

impl FileReport {
    /// Finds the lines of the text once, for the positions of all its findings.
    fn lines(&self) -> Lines<'_> {
        Lines(LineIndex::new(&self.text))
    }
}

/// The lines of a report's text.
struct Lines<'a>(LineIndex<'a>);

impl Lines<'_> {
    /// The line and column where `span` starts.
    fn position(&self, span: Option<Span>) -> Option<(usize, usize)> {
        span.map(|s| self.0.line_col(s.start))
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For people: one header per finding, with a word diff.
    Human,
    /// A stable JSON document (see README, "check --format json").
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0.
    Sarif,
    /// One self-contained HTML page for an author: summary, then note by note.
    Html,
}

const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().effects(Effects::BOLD),
        Severity::Warning => AnsiColor::Yellow.on_default().effects(Effects::BOLD),
        Severity::Info => AnsiColor::Cyan.on_default(),
    }
}

/// Prints one file's findings: a compiler-style header each, and the word diff of its fix;
/// first, with `style_line`, the style they were checked against (`--quiet` leaves it out).
pub fn human_findings(w: &mut impl Write, r: &FileReport, style_line: bool) -> io::Result<()> {
    // one write of the file's findings, not one per piece of each line
    let mut w = io::BufWriter::new(w);
    // one line per finding, whatever the file is called
    let file = crate::error::escape_controls(&r.file);
    if style_line && !r.diagnostics.is_empty() {
        writeln!(
            w,
            "{DIM}{file}: checked against {} ({}){DIM:#}",
            r.style.spec, r.style.why
        )?;
    }
    let lines = r.lines();
    for d in &r.diagnostics {
        let pos = match lines.position(d.span) {
            Some((l, c)) => format!("{file}:{l}:{c}"),
            None => file.clone(),
        };
        let note = d
            .note
            .as_deref()
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        let sev = severity_style(d.severity);
        writeln!(
            w,
            "{BOLD}{pos}{BOLD:#}  {sev}{}{sev:#} {}{note}  {}",
            d.code,
            d.severity.as_str(),
            d.message
        )?;
        let shown = d.shown();
        if let Some((written, replacement)) = shown {
            write!(w, "    ")?;
            for (tag, text) in word_diff(written, replacement) {
                match tag {
                    similar::ChangeTag::Equal => write!(w, "{text}")?,
                    similar::ChangeTag::Delete => {
                        write!(w, "{RED}[-{}-]{RED:#}{}", text.trim_end(), trailing(&text))?
                    }
                    similar::ChangeTag::Insert => write!(
                        w,
                        "{GREEN}{{+{}+}}{GREEN:#}{}",
                        text.trim_end(),
                        trailing(&text)
                    )?,
                }
            }
            writeln!(w)?;
            match d.fix.as_ref().map(|f| f.applicability) {
                None => writeln!(
                    w,
                    "    {DIM}(to change by hand: the citation holds links or markup that a rewrite would destroy){DIM:#}"
                )?,
                Some(Applicability::Safe) => {}
                Some(Applicability::Unsafe) => writeln!(
                    w,
                    "    {DIM}(unsafe fix: changes words; `ibid fix --unsafe` applies it){DIM:#}"
                )?,
                Some(Applicability::Manual) => writeln!(
                    w,
                    "    {DIM}(to change by hand: a rewrite could lose the locator, a field or the author's italics){DIM:#}"
                )?,
            }
        }
    }
    w.flush()
}

/// The counts of a run's summary line, added up file by file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    files: usize,
    notes: usize,
    total: usize,
    fixable: usize,
    unsafe_fixes: usize,
}

impl Summary {
    /// Counts one file's findings.
    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        self.notes += r.notes;
        for d in &r.diagnostics {
            self.total += 1;
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => self.fixable += 1,
                Some(Applicability::Unsafe) => self.unsafe_fixes += 1,
                Some(Applicability::Manual) | None => {}
            }
        }
    }

    /// Whether no file was counted.
    pub fn is_empty(&self) -> bool {
        self.files == 0
    }

    /// Prints the summary line.
    pub fn print(&self, w: &mut impl Write) -> io::Result<()> {
        writeln!(
            w,
            "{BOLD}{} finding{} in {} note{} of {} file{}{BOLD:#}: {} fixable with `ibid fix`, {} more with `--unsafe`",
            self.total,
            plural(self.total),
            self.notes,
            plural(self.notes),
            self.files,
            plural(self.files),
            self.fixable,
            self.unsafe_fixes
        )
    }
}

fn trailing(text: &str) -> &str {
    &text[text.trim_end().len()..]
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The `check --format json` document, version 1.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Schema version of this document.
    pub version: u32,
    /// One entry per file.
    pub files: Vec<JsonFile<'a>>,
}

/// The style of one file in [`JsonReport`]: its name or path, and why it was chosen (`--style`,
/// `ibid.toml`, or what the notes showed).
#[derive(Debug, Serialize)]
pub struct JsonStyle<'a> {
    /// The style's name or path.
    pub name: &'a str,
    /// Why this style.
    pub why: &'a str,
}

/// One file in [`JsonReport`].
#[derive(Debug, Serialize)]
pub struct JsonFile<'a> {
    /// The file.
    pub file: &'a str,
    /// The style the citations were checked against, and why that one.
    pub style: JsonStyle<'a>,
    /// Its findings.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One finding in [`JsonReport`].
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Stable rule code.
    pub code: Code,
    /// Rule name.
    pub rule: &'static str,
    /// `info`, `warning`, `error`.
    pub severity: Severity,
    /// The note concerned.
    pub note: Option<&'a str>,
    /// What is wrong.
    pub message: &'a str,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// Byte range in the file.
    pub span: Option<Span>,
    /// The rewrite, when there is one.
    pub fix: Option<&'a crate::model::diagnostic::Fix>,
    /// The citation's text and its correct form, when no fix can be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<&'a crate::model::diagnostic::Correction>,
}

/// Prints the JSON document.
pub fn json(w: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let doc = JsonReport {
        version: 1,
        files: reports
            .iter()
            .map(|r| {
                let lines = r.lines();
                JsonFile {
                    file: &r.file,
                    style: JsonStyle {
                        name: &r.style.spec,
                        why: &r.style.why,
                    },
                    diagnostics: r
                        .diagnostics
                        .iter()
                        .map(|d| {
                            let pos = lines.position(d.span);
                            JsonDiagnostic {
                                code: d.code,
                                rule: d.code.slug(),
                                severity: d.severity,
                                note: d.note.as_deref(),
                                message: &d.message,
                                line: pos.map(|p| p.0),
                                column: pos.map(|p| p.1),
                                span: d.span,
                                fix: d.fix.as_ref(),
                                correction: d.correction.as_ref(),
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    // one buffered write, not one per line of the document
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &doc)?;
    writeln!(w)?;
    w.flush()
}

/// Prints GitHub Actions workflow commands (`::warning file=...,line=...::message`).
pub fn github(w: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    fn escape_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn escape_prop(s: &str) -> String {
        escape_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut w = io::BufWriter::new(w);
    for r in reports {
        let lines = r.lines();
        for d in &r.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = format!("file={}", escape_prop(&r.file));
            if let Some((l, c)) = lines.position(d.span) {
                props.push_str(&format!(",line={l},col={c}"));
            }
            props.push_str(&format!(
                ",title={}",
                escape_prop(&format!("{} {}", d.code, d.code.slug()))
            ));
            let mut message = d.message.clone();
            if let Some(fix) = &d.fix {
                message.push_str(&format!("\nexpected: {}", fix.replacement));
            }
            writeln!(w, "::{level} {props}::{}", escape_data(&message))?;
        }
    }
    w.flush()
}

/// The SARIF 2.1.0 log of the reports.
pub fn sarif_value(reports: &[FileReport]) -> serde_json::Value {
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.slug(),
                "shortDescription": {"text": c.summary()},
                "fullDescription": {"text": c.explanation()},
                "help": {"text": format!("{}\n\nExample:\n{}", c.explanation(), c.example())},
                "defaultConfiguration": {"level": sarif_level(c.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let lines = LineIndex::new(&r.text);
        for d in &r.diagnostics {
            let mut location =
                json!({"physicalLocation": {"artifactLocation": {"uri": uri(&r.file)}}});
            if let Some(span) = d.span {
                let (sl, sc) = lines.line_col(span.start);
                let (el, ec) = lines.line_col(span.end);
                location["physicalLocation"]["region"] = json!({
                    "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                    "byteOffset": span.start, "byteLength": span.len(),
                });
            }
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [location],
            });
            if let Some(note) = &d.note {
                result["properties"] = json!({"note": note});
            }
            if let Some(fix) = d
                .fix
                .as_ref()
                .filter(|f| f.applicability != Applicability::Manual)
            {
                result["fixes"] = json!([{
                    "description": {"text": format!("{} fix: rewrite the citation", fix.applicability.as_str())},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(&r.file)},
                        "replacements": [{
                            "deletedRegion": {"byteOffset": fix.span.start, "byteLength": fix.span.len()},
                            "insertedContent": {"text": fix.replacement},
                        }],
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ibid",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/ibid",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Prints the SARIF log.
pub fn sarif(w: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &sarif_value(reports))?;
    writeln!(w)?;
    w.flush()
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a file path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// Prints the HTML report ([`crate::report::html`]).
pub fn html(w: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let views: Vec<crate::report::FileView<'_>> = reports
        .iter()
        .map(|r| crate::report::FileView {
            file: &r.file,
            text: &r.text,
            notes: &r.note_texts,
            diagnostics: &r.diagnostics,
            style: &r.style,
        })
        .collect();
    w.write_all(crate::report::html::render(&views).as_bytes())
}
