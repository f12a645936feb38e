//! `ibid check` and `ibid fix`: every manuscript read, parsed, resolved and rendered in its style;
//! each citation compared with its correct form; findings printed, or the safe fixes written.
//!
//! The flags a CI run needs are ruff's: `--select` / `--ignore`, `--exit-zero`, `--fail-on`,
//! `--config`, `--quiet`, `--color`, `-` for standard input with `--stdin-filename`, and
//! `--exclude`. Which rules count is decided in the session's configuration
//! ([`crate::config::Config::filter`]), so `extract`, `check` and `fix` agree.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::report::{self, FileReport, ReportFormat};
use crate::cli::timings;
use crate::cli::InputFormat;
use crate::config::{RuleSelection, Selector};
use crate::error::Error;
use crate::model::diagnostic::Severity;
use crate::session::{batch, FixOptions, Session};

use super::Outcome;

/// What `check` and `fix` both take: the manuscripts and how to read and judge them.
#[derive(Debug, clap::Args)]
pub struct Manuscripts {
    /// Manuscripts, directories (searched for .txt, .md, .html, .docx, leaving out what
    /// .gitignore does) or glob patterns; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Style: `chicago` (CMOS 17 with Ibid.), `chicago-18`, `chicago-18-shortened`, or a .csl
    /// file. Default: the config file's, else Chicago 17 when the notes use Ibid., else Chicago 18.
    #[arg(long)]
    pub style: Option<String>,
    /// Read the files as this format instead of guessing from their extensions.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// With `-`: the name standard input is given in messages, by which its format is guessed
    /// and its ibid.toml found.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Leave out of directories and globs the files and directories this pattern matches
    /// (.gitignore syntax, relative to the working directory; repeatable). Files named on the
    /// command line are always checked.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// `--library FILE`: resolve the works against the user's bibliography first.
    #[command(flatten)]
    pub library: crate::cli::export::LibraryArgs,
    /// Which rules count, and what fails the run.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// `--fail-on` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Warnings and errors fail the run (the default).
    Warning,
    /// Only errors fail the run; warnings are shown.
    Error,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Which rules count and what fails the run: `extract`, `check` and `fix` take the same.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleArgs {
    /// Report only these rules: codes (IB100), names (style-difference), code prefixes (IB1) or
    /// ALL; comma-separated or repeated. Overrides ibid.toml's `[rules] X = "off"`.
    #[arg(long, value_delimiter = ',', value_parser = Selector::parse, value_name = "RULE")]
    pub select: Vec<Selector>,
    /// Never report these rules (as --select takes them); the more specific of --select and
    /// --ignore wins (`--select IB1 --ignore IB100`).
    #[arg(long, value_delimiter = ',', value_parser = Selector::parse, value_name = "RULE")]
    pub ignore: Vec<Selector>,
    /// Use this configuration file for every manuscript instead of the ibid.toml nearest each.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The least severity that fails the run (exit 1). Default: warning (info never fails).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (exit 2 still when the run cannot do its job).
    #[arg(long)]
    pub exit_zero: bool,
}

impl RuleArgs {
    /// `session` with these rules, fail threshold and configuration file (read now, so that a
    /// bad one stops the run before any manuscript is read).
    pub(crate) fn apply(&self, session: Session) -> anyhow::Result<Session> {
        let session = session
            .with_rules(RuleSelection {
                select: self.select.clone(),
                ignore: self.ignore.clone(),
            })
            .with_fail_on(self.fail_on.map(|f| match f {
                FailOn::Warning => Severity::Warning,
                FailOn::Error => Severity::Error,
            }))
            .with_config_file(self.config.as_deref())?;
        Ok(session)
    }

    /// The outcome of a run that found `failed` findings.
    pub(crate) fn outcome(&self, failed: bool) -> Outcome {
        if failed && !self.exit_zero {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

/// How `check` and `fix` print: `--quiet`, `--color`.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Print the findings only: no summary line, no per-file lines (`fix`: only diffs and fixed
    /// text).
    #[arg(short, long)]
    pub quiet: bool,
    /// When to colour the output: `auto` (on a terminal, unless NO_COLOR is set), `always`,
    /// `never`.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

impl OutputArgs {
    /// Sets the colour choice of everything printed through `anstream`.
    fn set_color(&self) {
        let choice = match self.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

/// What a run works on: files, or standard input under a name.
enum Inputs {
    /// Files (directories and globs expanded).
    Files(Vec<PathBuf>),
    /// Standard input's bytes; the name they go by, and whether `--stdin-filename` gave it.
    Stdin {
        name: PathBuf,
        named: bool,
        bytes: Vec<u8>,
    },
}

impl Manuscripts {
    /// The inputs to work on, and the session that checks them (with the user's library when
    /// one is given). Everything that could stop the run stops it here, once, before any
    /// manuscript is checked: no file matched, a bad style, a bad configuration file, a format
    /// ibid does not read.
    fn open(&self) -> anyhow::Result<(Inputs, Session)> {
        let session = Session::new()
            .with_style(self.style.clone())
            .with_input_format(self.input_format.map(Into::into))
            .with_library(self.library.load()?);
        let session = self.rules.apply(session)?;
        let stdin = self.files.iter().any(|f| f.as_os_str() == "-");
        if stdin && self.files.len() > 1 {
            anyhow::bail!("`-` (standard input) cannot be given with other files");
        }
        if self.stdin_filename.is_some() && !stdin {
            anyhow::bail!("--stdin-filename names standard input: give `-` as the file");
        }
        if stdin {
            let name = self
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("-"));
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .take(crate::manuscript::MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    path: name.clone(),
                    source,
                })?;
            if bytes.len() as u64 > crate::manuscript::MAX_INPUT_BYTES {
                return Err(Error::input(&name, "standard input is larger than 256 MiB").into());
            }
            session.prepare_check(std::slice::from_ref(&name))?;
            let named = self.stdin_filename.is_some();
            return Ok((Inputs::Stdin { name, named, bytes }, session));
        }
        let exclude = batch::Exclude::new(&self.exclude)?;
        let paths = batch::expand(&self.files, &exclude)?;
        session.prepare_check(&paths)?;
        Ok((Inputs::Files(paths), session))
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
    /// `--quiet`, `--color`.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Write the report to this file instead of standard output (any format; no colours).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
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
    /// `--quiet`, `--color`.
    #[command(flatten)]
    pub output: OutputArgs,
    /// The author of the tracked changes and comments written into a .docx (default: ibid).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
}

/// Runs `ibid check`.
pub fn run_check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let start = std::time::Instant::now();
    args.output.set_color();
    let (inputs, session) = args.manuscripts.open()?;
    let stdout = anstream::stdout();
    let mut out: Box<dyn Write> = match &args.output_file {
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
    let quiet = args.output.quiet;
    let keep_notes = args.format == ReportFormat::Html;
    let mut reports = Vec::new();
    let mut summary = report::Summary::default();
    let mut failed = false;
    let mut errors = Vec::new();
    let to_report = |path: &Path, checked: crate::session::Checked| FileReport {
        file: path.display().to_string(),
        text: checked.analysis.manuscript.text,
        notes: checked.analysis.manuscript.notes.len(),
        diagnostics: checked.diagnostics,
        style: checked.style,
        note_texts: if keep_notes {
            checked
                .analysis
                .manuscript
                .notes
                .into_iter()
                .map(|n| (n.id, n.text))
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut take = |result: crate::error::Result<FileReport>| match result {
        Ok(r) => {
            failed |= r.diagnostics.iter().any(|d| session.fails(d));
            summary.add(&r);
            if streaming {
                let _ = report::human_findings(&mut out, &r, !quiet);
            } else {
                reports.push(r);
            }
        }
        Err(e) => errors.push(e),
    };
    let files = match &inputs {
        Inputs::Files(paths) => {
            session.check_all(paths, to_report, |_, result| take(result));
            paths.len()
        }
        Inputs::Stdin { name, named, bytes } => {
            take(
                session
                    .read_stdin(name, *named, bytes)
                    .and_then(|ms| session.check_manuscript(name, ms))
                    .map(|c| to_report(name, c)),
            );
            1
        }
    };
    // a run in which no manuscript could be checked has nothing to sum up
    if !summary.is_empty() || errors.is_empty() {
        match args.format {
            ReportFormat::Human if quiet => {}
            ReportFormat::Human => summary.print(&mut out)?,
            ReportFormat::Json => report::json(&mut out, &reports)?,
            ReportFormat::Github => report::github(&mut out, &reports)?,
            ReportFormat::Sarif => report::sarif(&mut out, &reports)?,
            ReportFormat::Html => report::html(&mut out, &reports)?,
        }
    }
    out.flush()?;
    if args.timings {
        timings::print(
            &mut io::stderr().lock(),
            start,
            files,
            Some(session.cache().stats()),
        )?;
    }
    finish(errors, args.manuscripts.rules.outcome(failed))
}

/// Errors of some files are reported at the end; any of them makes the run exit 2.
fn finish(mut errors: Vec<Error>, outcome: Outcome) -> anyhow::Result<Outcome> {
    if let Some(last) = errors.pop() {
        for e in errors {
            eprintln!("ibid: error: {:#}", anyhow::Error::from(e));
        }
        return Err(last.into());
    }
    Ok(outcome)
}

/// Runs `ibid fix`.
pub fn run_fix(args: FixArgs) -> anyhow::Result<Outcome> {
    args.output.set_color();
    let (inputs, session) = args.manuscripts.open()?;
    let options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
        diff_only: args.diff,
        force: args.force,
        author: args.author,
    };
    let quiet = args.output.quiet;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut errors = Vec::new();
    let mut failed = false;
    match &inputs {
        Inputs::Files(paths) => session.fix_all(paths, options, |_, result| match result {
            Ok(outcome) => {
                failed |= outcome.remaining > 0 || (args.diff && !outcome.diff.is_empty());
                let _ = out.write_all(outcome.diff.as_bytes());
                if !quiet {
                    let _ = writeln!(out, "{}", outcome.summary);
                }
            }
            Err(e) => errors.push(e),
        }),
        Inputs::Stdin { name, named, bytes } => {
            // the fixed text (or the diff) goes to standard output, what was done to standard error
            let outcome = session
                .read_stdin(name, *named, bytes)
                .and_then(|ms| session.fix_bytes(name, ms, bytes, options));
            match outcome {
                Ok(outcome) => {
                    failed |= outcome.remaining > 0 || (args.diff && !outcome.diff.is_empty());
                    out.write_all(outcome.diff.as_bytes())?;
                    if let Some(fixed) = &outcome.fixed {
                        out.write_all(fixed)?;
                    }
                    if !quiet {
                        eprintln!("{}", outcome.summary);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
    }
    out.flush()?;
    finish(errors, args.manuscripts.rules.outcome(failed))
}
