//! The command line: clap definitions and one function per verb. The only place that prints.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::manuscript::{self, Format};
use crate::model::{CiteRecord, Library};
use crate::output::Extract;
use crate::session::{set_current_file, Session};

pub(crate) mod check;
pub(crate) mod convert;
pub(crate) mod explain;
pub(crate) mod export;
pub(crate) mod format;
pub(crate) mod import;
pub(crate) mod report;
pub(crate) mod styles;
pub(crate) mod timings;

/// ibid: find, parse, resolve, re-emit and check the citations of footnote-heavy essays.
#[derive(Debug, Parser)]
#[command(name = "ibid", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a manuscript, parse its notes and resolve every citation.
    Extract(ExtractArgs),
    /// Parse reference strings, one per line, into CSL-JSON items.
    Parse(ParseArgs),
    /// Compare every citation with its correct form in the style; exit 1 on findings.
    Check(check::CheckArgs),
    /// Rewrite the citations that differ from the style, in place (or show the diff).
    Fix(check::FixArgs),
    /// Write the library of one or more manuscripts as CSL-JSON, BibLaTeX, BibTeX, YAML or RIS.
    Export(export::ExportArgs),
    /// Convert a bibliography between CSL-JSON, BibLaTeX, BibTeX, YAML and RIS.
    Import(import::ImportArgs),
    /// Explain a rule (`ibid explain IB010`), or list them all.
    Explain {
        /// The rule's code or name; all rules when absent.
        code: Option<String>,
    },
    /// Print the notes as they should read in a style, then the bibliography or reference list.
    Format(format::FormatArgs),
    /// Rewrite a notes manuscript into APA (in-text citations, reference list), or back.
    Convert(convert::ConvertArgs),
    /// List the citation styles ibid carries.
    Styles,
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell), e.g.
    /// `ibid completions bash > /etc/bash_completion.d/ibid`.
    #[command(hide = true)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `ibid man > ibid.1`; `ibid man check` prints
    /// `ibid-check(1)`.
    #[command(hide = true)]
    Man {
        /// A subcommand whose page to print instead of ibid's.
        subcommand: Option<String>,
    },
}

/// Input format names for `--input-format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormat {
    /// Plain text.
    Text,
    /// Markdown (pandoc footnotes).
    Markdown,
    /// HTML.
    Html,
    /// Word .docx.
    Docx,
    /// LaTeX (`\footnote{...}`).
    Latex,
    /// OpenDocument text (.odt).
    Odt,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Html => Format::Html,
            InputFormat::Docx => Format::Docx,
            InputFormat::Latex => Format::Latex,
            InputFormat::Odt => Format::Odt,
        }
    }
}

/// Bibliography format names for `--to`, `--from` and `--library-format`
/// ([`crate::bib::LibraryFormat`] on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LibraryFormat {
    /// CSL-JSON (an array of items).
    #[value(name = "csl-json", alias = "json")]
    CslJson,
    /// BibLaTeX.
    Biblatex,
    /// BibTeX (read like BibLaTeX; written with BibTeX's field names and types).
    Bibtex,
    /// hayagriva YAML.
    #[value(name = "yaml", alias = "hayagriva")]
    Yaml,
    /// RIS.
    Ris,
}

impl From<LibraryFormat> for crate::bib::LibraryFormat {
    fn from(f: LibraryFormat) -> crate::bib::LibraryFormat {
        use crate::bib::LibraryFormat as F;
        match f {
            LibraryFormat::CslJson => F::CslJson,
            LibraryFormat::Biblatex => F::Biblatex,
            LibraryFormat::Bibtex => F::Bibtex,
            LibraryFormat::Yaml => F::Yaml,
            LibraryFormat::Ris => F::Ris,
        }
    }
}

impl LibraryFormat {
    /// The name used on the command line.
    fn name(self) -> &'static str {
        crate::bib::LibraryFormat::from(self).name()
    }
}

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExtractFormat {
    /// A compact table for a terminal.
    Table,
    /// The JSON shape of the gold files.
    Json,
}

/// `ibid extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The manuscript.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Table)]
    pub format: ExtractFormat,
    /// Read the file as this format instead of guessing from its extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// `--library FILE`: resolve the works against the user's bibliography.
    #[command(flatten)]
    pub library: export::LibraryArgs,
    /// Print where the run's time went (read, parse, resolve) on standard error.
    #[arg(long)]
    pub timings: bool,
    /// Which rules count and what fails the run, as for `check`.
    #[command(flatten)]
    pub rules: check::RuleArgs,
}

/// Output formats of `parse`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ParseFormat {
    /// One CSL-JSON item per line.
    Jsonl,
    /// A JSON array of CSL-JSON items.
    Json,
}

/// `ibid parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// A file of reference strings, one per line; standard input when absent or `-`.
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Jsonl)]
    pub format: ParseFormat,
    /// Read each line as a note's text (citations, signals, Ibid, short forms, prose) instead of
    /// as a reference string; print what the grammar makes of it.
    #[arg(long)]
    pub notes: bool,
    /// Put the fields of the learned labeller (a CRF trained on labelled references) over the
    /// grammar's for every reference, not only where the grammar's reading is doubtful: better
    /// fields (held-out field F1 0.925 against 0.848 for the grammar alone), a few times slower.
    #[arg(long, conflicts_with = "notes")]
    pub learned: bool,
}

/// What a run found: decides the exit code (0 nothing, 1 findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings were reported.
    Findings,
}

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Parse(args) => parse(args),
        Command::Check(args) => check::run_check(args),
        Command::Fix(args) => check::run_fix(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Explain { code } => {
            explain::explain(&mut io::stdout().lock(), code.as_deref())?;
            Ok(Outcome::Clean)
        }
        Command::Format(args) => format::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Styles => styles::run(),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "ibid", &mut io::stdout().lock());
            Ok(Outcome::Clean)
        }
        Command::Man { subcommand } => man(subcommand.as_deref()),
    }
}

/// Prints ibid's man page, or one subcommand's (`ibid-check(1)`), generated from the clap
/// definitions.
fn man(subcommand: Option<&str>) -> anyhow::Result<Outcome> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd
                .get_subcommands()
                .find(|c| c.get_name() == name && !c.is_hide_set())
            else {
                anyhow::bail!("no subcommand `{name}`; `ibid --help` lists them");
            };
            let full = format!("ibid-{name}");
            sub.clone().display_name(full.clone()).bin_name(full)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    let stdout = io::stdout();
    let mut w = stdout.lock();
    w.write_all(&out)?;
    w.flush()?;
    Ok(Outcome::Clean)
}

fn extract(args: ExtractArgs) -> anyhow::Result<Outcome> {
    let start = std::time::Instant::now();
    set_current_file(Some(&args.file));
    // Debug builds only: a way for the tests to see what a panic looks like to a user.
    #[cfg(debug_assertions)]
    if std::env::var_os("IBID_DEBUG_PANIC").is_some() {
        panic!("IBID_DEBUG_PANIC is set");
    }
    let session = Session::new()
        .with_input_format(args.input_format.map(Format::from))
        .with_library(args.library.load()?);
    let session = args.rules.apply(session)?;
    let extracted = session.extract(&args.file)?;
    // as `check`: the findings it reports of warning severity or above (at `--fail-on`) fail
    // the run, and so does a strict library that misses works
    let strict_misses = match (&extracted.resolution, args.library.strict) {
        (Some(found), true) => found.missing > 0 || found.ambiguous > 0,
        _ => false,
    };
    let failed = strict_misses
        || extracted
            .analysis
            .diagnostics
            .iter()
            .any(|d| session.fails(d));
    let outcome = args.rules.outcome(failed);
    let analysis = extracted.analysis;
    let out = Extract::from_analysis(&analysis);
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match args.format {
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut w, &out)?;
            writeln!(w)?;
        }
        ExtractFormat::Table => write_table(&mut w, &out)?,
    }
    w.flush()?;
    if args.timings {
        timings::print(&mut io::stderr().lock(), start, 1, None)?;
    }
    Ok(outcome)
}

fn write_table(w: &mut impl Write, out: &Extract) -> io::Result<()> {
    let cites: usize = out.notes.iter().map(|n| n.citations.len()).sum();
    writeln!(
        w,
        "{}: {} notes, {} citations, {} works, {} findings",
        out.file,
        out.notes.len(),
        cites,
        out.works.len(),
        out.diagnostics.len()
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "{:>6}  {:<6} {:<10} {:<24} {:<12} text",
        "note", "kind", "locator", "work", "signal"
    )?;
    for note in &out.notes {
        if note.citations.is_empty() {
            writeln!(
                w,
                "{:>6}  {:<6} {:<10} {:<24} {:<12} {}",
                note.id,
                "-",
                "",
                "",
                "",
                clip(&note.text, 50)
            )?;
        }
        for (i, c) in note.citations.iter().enumerate() {
            let id = if i == 0 { note.id.as_str() } else { "" };
            writeln!(
                w,
                "{:>6}  {:<6} {:<10} {:<24} {:<12} {}",
                id,
                c.kind,
                clip(c.locator.as_deref().unwrap_or(""), 10),
                clip(c.work.as_deref().unwrap_or("(unresolved)"), 24),
                c.signal.as_deref().unwrap_or(""),
                clip(&c.text, 50)
            )?;
        }
    }
    if !out.diagnostics.is_empty() {
        writeln!(w)?;
        for d in &out.diagnostics {
            let pos = match (d.line, d.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", out.file),
                _ => out.file.clone(),
            };
            let note = d
                .note
                .as_deref()
                .map(|n| format!(" [{n}]"))
                .unwrap_or_default();
            writeln!(
                w,
                "{pos}  {} {}{note}  {}",
                d.code,
                d.severity.as_str(),
                d.message
            )?;
        }
    }
    Ok(())
}

fn clip(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        flat
    } else {
        let mut s: String = flat.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// What the grammar reads in one note: its citations and whether it holds prose. Each citation is
/// its [`CiteRecord`] with the fields the grammar read and without positions, written as
/// `parse --notes` always has: without `work` (a note read alone resolves nothing) and with a
/// `label` of null when there is no locator.
fn note_json(text: &str) -> serde_json::Result<serde_json::Value> {
    let parsed = crate::grammar::parse_note(text, &[]);
    let unresolved = Library::default();
    let citations = parsed
        .cites
        .iter()
        .map(|c| {
            let record = CiteRecord {
                note_span: None,
                signal_span: None,
                fields: Some(c.fields.clone()),
                ..c.record(text, &unresolved)
            };
            let mut value = serde_json::to_value(record)?;
            if let Some(fields) = value.as_object_mut() {
                fields.remove("work");
                fields.entry("label").or_insert(serde_json::Value::Null);
            }
            Ok(value)
        })
        .collect::<serde_json::Result<Vec<_>>>()?;
    let findings: Vec<serde_json::Value> = parsed
        .findings
        .iter()
        .map(|f| serde_json::json!({"code": f.code, "message": f.message}))
        .collect();
    let note = serde_json::json!({"citations": citations, "commentary": parsed.commentary, "findings": findings});
    Ok(note)
}

/// How many lines `ibid parse` reads before parsing them in parallel.
const PARSE_CHUNK: usize = 4096;

fn parse(args: ParseArgs) -> anyhow::Result<Outcome> {
    let input: Box<dyn BufRead> = match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            let bytes = std::fs::read(p)
                .with_context(|| format!("{}: cannot read", crate::error::display_path(p)))?;
            let text = manuscript::decode(p, &bytes)?;
            Box::new(io::Cursor::new(text.into_bytes()))
        }
        _ => Box::new(io::BufReader::new(io::stdin())),
    };
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let mut all = Vec::new();
    // lines are read and written in chunks, each chunk parsed on every core (in order)
    let mut lines = input.lines();
    loop {
        let chunk: Vec<String> = lines
            .by_ref()
            .take(PARSE_CHUNK)
            .collect::<io::Result<_>>()
            .context("standard input: not valid UTF-8")?;
        if chunk.is_empty() {
            break;
        }
        let read = |line: &String| -> serde_json::Result<serde_json::Value> {
            if args.notes {
                note_json(line)
            } else {
                let read = if args.learned {
                    crate::grammar::parse_reference_learned
                } else {
                    crate::grammar::parse_reference
                };
                serde_json::to_value(read(line))
            }
        };
        match args.format {
            ParseFormat::Jsonl => {
                let out: Vec<Vec<u8>> = chunk
                    .par_iter()
                    .map(|line| {
                        let mut buf = serde_json::to_vec(&read(line)?)?;
                        buf.push(b'\n');
                        Ok(buf)
                    })
                    .collect::<serde_json::Result<_>>()?;
                for buf in out {
                    w.write_all(&buf)?;
                }
            }
            ParseFormat::Json => {
                let out: Vec<serde_json::Value> = chunk
                    .par_iter()
                    .map(read)
                    .collect::<serde_json::Result<_>>()?;
                all.extend(out);
            }
        }
    }
    if args.format == ParseFormat::Json {
        serde_json::to_writer_pretty(&mut w, &all)?;
        writeln!(w)?;
    }
    w.flush()?;
    Ok(Outcome::Clean)
}
