//! `ibid check` and `ibid fix`: every manuscript read, parsed, resolved and rendered in its style;
//! each citation compared with its correct form; findings printed, or the safe fixes written.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::cli::report::{self, FileReport, ReportFormat};
use crate::cli::timings;
use crate::cli::InputFormat;
use crate::error::Error;
use crate::session::{self, batch, FixOptions, Session};

use super::Outcome;

/// What `check` and `fix` both take: the manuscripts and how to read and judge them.
#[derive(Debug, clap::Args)]
pub struct Manuscripts {
    /// Manuscripts, directories (searched for .txt, .md, .html, .docx) or glob patterns.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Style: `chicago` (CMOS 17 with Ibid.), `chicago-18`, `chicago-18-shortened`, or a .csl
    /// file. Default: the config file's, else Chicago 17 when the notes use Ibid., else Chicago 18.
    #[arg(long)]
    pub style: Option<String>,
    /// Read the files as this format instead of guessing from their extensions.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// `--library FILE`: resolve the works against the user's bibliography first.
    #[command(flatten)]
    pub library: crate::cli::export::LibraryArgs,
}

impl Manuscripts {
    /// The files to work on, and the session that checks them (with the user's library when
    /// one is given).
    fn open(&self) -> anyhow::Result<(Vec<PathBuf>, Session)> {
        let paths = batch::expand(&self.files)?;
        let session = Session::new()
            .with_style(self.style.clone())
            .with_input_format(self.input_format.map(Into::into))
            .with_library(self.library.load()?);
        Ok((paths, session))
    }
}

/// `ibid check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The manuscripts.
    #[command(flatten)]
    pub manuscripts: Manuscripts,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output (any format; no colours).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print where the run's time went (read, parse, resolve, render, diff) on standard error.
    #[arg(long)]
    pub timings: bool,
}

/// `ibid fix`.
#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// The manuscripts.
    #[command(flatten)]
    pub manuscripts: Manuscripts,
    /// Print a unified diff of what would change, and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Also apply unsafe rewrites (those that change words or the kind of citation).
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Also write read-only files, and files with more than one hard link (those in place,
    /// through the file itself, so every link sees the fix), which `fix` otherwise refuses.
    #[arg(long)]
    pub force: bool,
    /// The author of the tracked changes and comments written into a .docx (default: ibid).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
}

/// Runs `ibid check`.
pub fn run_check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let start = std::time::Instant::now();
    let (paths, session) = args.manuscripts.open()?;
    let stdout = anstream::stdout();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                anyhow::anyhow!("{}: cannot write: {e}", crate::error::display_path(path))
            })?;
            let file: Box<dyn Write> = Box::new(io::BufWriter::new(file));
            Box::new(anstream::AutoStream::never(file))
        }
        None => Box::new(stdout.lock()),
    };
    // People get each file's findings as soon as it is checked; machine formats are one document.
    let streaming = args.format == ReportFormat::Human;
    let keep_notes = args.format == ReportFormat::Html;
    let mut reports = Vec::new();
    let mut summary = report::Summary::default();
    let mut failed = false;
    let mut errors = Vec::new();
    session.check_all(
        &paths,
        |path, checked| FileReport {
            file: path.display().to_string(),
            text: checked.analysis.manuscript.text,
            notes: checked.analysis.manuscript.notes.len(),
            diagnostics: checked.diagnostics,
            style: checked.style,
            note_texts: match keep_notes {
                true => checked
                    .analysis
                    .manuscript
                    .notes
                    .into_iter()
                    .map(|n| (n.id, n.text))
                    .collect(),
                false => Vec::new(),
            },
        },
        |_, result| match result {
            Ok(r) => {
                failed |= r.diagnostics.iter().any(session::failing);
                summary.add(&r);
                if streaming {
                    let _ = report::human_findings(&mut out, &r);
                } else {
                    reports.push(r);
                }
            }
            Err(e) => errors.push(e),
        },
    );
    match args.format {
        ReportFormat::Human => summary.print(&mut out)?,
        ReportFormat::Json => report::json(&mut out, &reports)?,
        ReportFormat::Github => report::github(&mut out, &reports)?,
        ReportFormat::Sarif => report::sarif(&mut out, &reports)?,
        ReportFormat::Html => report::html(&mut out, &reports)?,
    }
    out.flush()?;
    if args.timings {
        timings::print(
            &mut io::stderr().lock(),
            start,
            paths.len(),
            Some(session.cache().stats()),
        )?;
    }
    finish(errors, failed)
}

/// Errors of some files are reported at the end; any of them makes the run exit 2.
fn finish(mut errors: Vec<Error>, failed: bool) -> anyhow::Result<Outcome> {
    if let Some(last) = errors.pop() {
        for e in errors {
            eprintln!("ibid: error: {:#}", anyhow::Error::from(e));
        }
        return Err(last.into());
    }
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Runs `ibid fix`.
pub fn run_fix(args: FixArgs) -> anyhow::Result<Outcome> {
    let (paths, session) = args.manuscripts.open()?;
    let options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
        diff_only: args.diff,
        force: args.force,
        author: args.author,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut errors = Vec::new();
    let mut failed = false;
    session.fix_all(&paths, options, |_, result| match result {
        Ok(outcome) => {
            failed |= outcome.remaining > 0 || (args.diff && !outcome.diff.is_empty());
            let _ = out.write_all(outcome.diff.as_bytes());
            let _ = writeln!(out, "{}", outcome.summary);
        }
        Err(e) => errors.push(e),
    });
    out.flush()?;
    finish(errors, failed)
}
