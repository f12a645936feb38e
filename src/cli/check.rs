//! `ibid check` and `ibid fix`: every manuscript read, parsed, resolved and rendered in its style;
//! each citation compared with its correct form; findings printed, or the safe fixes written.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::check::{self, Expected};
use crate::cli::batch;
use crate::cli::report::{self, FileReport, ReportFormat};
use crate::cli::timings::{self, Stage};
use crate::cli::InputFormat;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fix;
use crate::manuscript::{self, Format};
use crate::model::diagnostic::{Applicability, Diagnostic, Severity};
use crate::render::{self, RenderInput, Style};
use crate::resolve::Analysis;

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
    /// The files to work on, and the user's library when one is given.
    fn open(&self) -> anyhow::Result<(Vec<PathBuf>, Option<crate::model::Library>)> {
        Ok((batch::expand(&self.files)?, self.library.load()?))
    }

    /// The job for each file, borrowing the loaded library.
    fn job<'a>(
        &'a self,
        user: Option<&'a crate::model::Library>,
        cache: &'a render::RenderCache,
    ) -> Job<'a> {
        Job {
            style: self.style.as_deref(),
            input_format: self.input_format.map(Format::from),
            user: user.map(|l| (l, self.library.strict)),
            cache,
        }
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
}

/// One manuscript checked.
struct Checked {
    report: FileReport,
    analysis: Analysis,
}

/// The style for one manuscript: the flag, else the config file's, else one that fits the notes.
fn style_for(flag: Option<&str>, config: &Config, analysis: &Analysis) -> Result<Style> {
    let spec = match flag.map(str::to_owned).or_else(|| config.style()) {
        Some(spec) => spec,
        None => default_style(analysis).to_owned(),
    };
    let style = render::style::resolve(&spec)?;
    if !style.is_note() {
        return Err(Error::Config {
            path: PathBuf::from(spec),
            message:
                "an author-date style cannot check notes; use `ibid convert --to apa` to turn \
                      a notes manuscript into APA"
                    .into(),
        });
    }
    Ok(style)
}

/// Chicago 17 with Ibid. for manuscripts whose notes use Ibid., Chicago 18 otherwise.
fn default_style(analysis: &Analysis) -> &'static str {
    let uses_ibid = analysis
        .notes
        .iter()
        .flat_map(|n| &n.cites)
        .any(|c| c.kind == crate::grammar::CiteKind::Ibid);
    if uses_ibid {
        "chicago"
    } else {
        "chicago-18"
    }
}

/// What one check needs besides the manuscript: the style asked for, the input format, the
/// user's library.
#[derive(Clone, Copy)]
struct Job<'a> {
    style: Option<&'a str>,
    input_format: Option<Format>,
    user: Option<(&'a crate::model::Library, bool)>,
    /// Renderings shared by every file of the run and every re-check of a file.
    cache: &'a render::RenderCache,
}

fn check_one(path: &Path, job: Job) -> Result<Checked> {
    let ms = timings::time(Stage::Read, || manuscript::read(path, job.input_format))?;
    timings::count_notes(ms.notes.len());
    check_manuscript(path, ms, job)
}

/// Analyses, renders and compares one manuscript already read (from disk, or a fixed text).
fn check_manuscript(path: &Path, ms: manuscript::Manuscript, job: Job) -> Result<Checked> {
    let config = Config::discover(path)?;
    let analyse = |ms| match job.user {
        Some((library, strict)) => timings::time(Stage::Resolve, || {
            crate::resolve::library::analyse_with(ms, library, strict).0
        }),
        None => timings::analyse(ms),
    };
    let analysis = analyse(ms);
    let style = style_for(job.style, &config, &analysis)?;
    let cache = job.cache;
    let mut diagnostics = diagnose(&analysis, &style, &config, cache)?;
    // Offer only fixes that settle: check the rewritten text again, as `fix` would leave it.
    let format = analysis.manuscript.format;
    let recheck = |bytes: &[u8]| {
        timings::time(Stage::Settle, || {
            let ms = timings::time(Stage::Read, || manuscript::read_bytes(path, bytes, format))?;
            diagnose(&analyse(ms), &style, &config, cache)
        })
    };
    if format != Format::Docx {
        fix::settle(path, &analysis.manuscript.text, &mut diagnostics, |text| {
            recheck(text.as_bytes())
        })?;
    } else if diagnostics.iter().any(|d| d.fix.is_some()) {
        // .docx: the fixes as tracked changes, read back from the rewritten package
        crate::fix::docx::settle(path, &analysis.manuscript.text, &mut diagnostics, recheck)?;
    }
    Ok(Checked {
        report: FileReport {
            file: path.display().to_string(),
            text: analysis.manuscript.text.clone(),
            notes: analysis.manuscript.notes.len(),
            diagnostics,
        },
        analysis,
    })
}

/// The findings of one analysed manuscript in `style`: the analysis' own, then every citation
/// that differs from its rendering, in source order, filtered by the configuration.
fn diagnose(
    analysis: &Analysis,
    style: &Style,
    config: &Config,
    cache: &render::RenderCache,
) -> Result<Vec<Diagnostic>> {
    // Notes only: the check never looks at the bibliography.
    let rendered = timings::time(Stage::Render, || {
        render::render_notes_cached(&RenderInput::from_analysis(analysis), style, cache)
    })?;
    timings::time(Stage::Diff, || {
        let expected = Expected::from_rendered(analysis, &rendered);
        let mut diagnostics = analysis.diagnostics.clone();
        diagnostics.extend(check::compare(analysis, &expected));
        diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
        Ok(config.filter(&analysis.manuscript, diagnostics))
    })
}

/// Checks one manuscript as `ibid check FILE [--style STYLE]` does (configuration discovered
/// from its folder, fixes settled) and returns its findings. For benchmarks and embedders.
pub fn check_path(path: &Path, style: Option<&str>) -> Result<Vec<Diagnostic>> {
    let cache = render::RenderCache::default();
    let job = Job {
        style,
        input_format: None,
        user: None,
        cache: &cache,
    };
    check_one(path, job).map(|c| c.report.diagnostics)
}

/// Findings that fail a check: warnings and errors (info is shown but does not fail).
fn failing(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning
}

/// Runs `ibid check`.
pub fn run_check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let start = std::time::Instant::now();
    let (paths, user) = args.manuscripts.open()?;
    let cache = render::RenderCache::default();
    let job = args.manuscripts.job(user.as_ref(), &cache);
    let stdout = anstream::stdout();
    let mut out = stdout.lock();
    // People get each file's findings as soon as it is checked; machine formats are one document.
    let streaming = args.format == ReportFormat::Human;
    let mut reports = Vec::new();
    let mut summary = report::Summary::default();
    let mut failed = false;
    let mut errors = Vec::new();
    batch::run_ordered(
        &paths,
        |p| check_one(p, job).map(|c| c.report),
        |_, result| match result {
            Ok(r) => {
                failed |= r.diagnostics.iter().any(failing);
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
    }
    out.flush()?;
    if args.timings {
        timings::print(
            &mut io::stderr().lock(),
            start,
            paths.len(),
            Some(cache.stats()),
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
    let (paths, user) = args.manuscripts.open()?;
    let cache = render::RenderCache::default();
    let job = args.manuscripts.job(user.as_ref(), &cache);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut errors = Vec::new();
    let mut failed = false;
    batch::run_ordered(
        &paths,
        |p| fix_one(p, job, args.unsafe_fixes, args.diff, args.force),
        |_, result| match result {
            Ok(outcome) => {
                failed |= outcome.remaining > 0 || (args.diff && !outcome.diff.is_empty());
                let _ = out.write_all(outcome.diff.as_bytes());
                let _ = writeln!(out, "{}", outcome.summary);
            }
            Err(e) => errors.push(e),
        },
    );
    out.flush()?;
    finish(errors, failed)
}

/// What fixing one file did.
struct FixOutcome {
    /// A unified diff (with `--diff`), else empty.
    diff: String,
    /// One line for the person running it.
    summary: String,
    /// Failing findings left after the fix.
    remaining: usize,
}

/// The failing findings of a check that the given fixes do not take care of.
fn remaining_after(checked: &Checked, applied: &[&crate::model::diagnostic::Fix]) -> usize {
    checked
        .report
        .diagnostics
        .iter()
        .filter(|d| failing(d))
        .filter(|d| !d.fix.as_ref().is_some_and(|f| applied.contains(&f)))
        .count()
}

/// Fixing may uncover more to fix (a note rewritten into a full citation turns the next note's
/// form into a short one): `fix` goes round until nothing is left, at most this many times.
const FIX_ROUNDS: usize = 4;

fn fix_one(
    path: &Path,
    job: Job,
    unsafe_fixes: bool,
    diff_only: bool,
    force: bool,
) -> Result<FixOutcome> {
    // a regular file (symlinks followed), locked until it is written: checked after the lock
    let target = (!diff_only)
        .then(|| fix::Target::open(path, force))
        .transpose()?;
    let wanted = |a: Applicability| match a {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes,
        Applicability::Manual => false,
    };
    let first = check_one(path, job)?;
    let format = first.analysis.manuscript.format;
    let original_text = first.analysis.manuscript.text.clone();
    // A note in which the check shows a fix that this run does not write (manual, or unsafe
    // without `--unsafe`) is left to a person: later rounds write nothing in it either, so that
    // `fix` never writes what `check` called manual.
    let held: std::collections::HashSet<String> = first
        .report
        .diagnostics
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| !wanted(f.applicability)))
        .filter_map(|d| d.note.clone())
        .collect();
    let mut current = first;
    let mut rewritten = 0;
    for round in 0..FIX_ROUNDS {
        let chosen: Vec<&crate::model::diagnostic::Fix> = current
            .report
            .diagnostics
            .iter()
            .filter(|d| round == 0 || d.note.as_ref().is_none_or(|n| !held.contains(n)))
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| wanted(f.applicability))
            .collect();
        if chosen.is_empty() {
            break;
        }
        if format == Format::Docx {
            // one round: the corrections become Word tracked changes for an editor to review
            let remaining = remaining_after(&current, &chosen);
            let ms = &current.analysis.manuscript;
            return crate::fix::docx::fix_file(path, ms, &chosen, target.as_ref()).map(
                |(diff, summary)| FixOutcome {
                    diff,
                    summary,
                    remaining,
                },
            );
        }
        rewritten += chosen.len();
        let text = fix::apply(path, &current.analysis.manuscript.text, &chosen)?;
        let ms = manuscript::read_bytes(path, text.as_bytes(), format)?;
        current = check_manuscript(path, ms, job)?;
    }
    let remaining = remaining_after(&current, &[]);
    let name = crate::error::display_path(path);
    let new_text = &current.analysis.manuscript.text;
    if rewritten == 0 {
        return Ok(FixOutcome {
            diff: String::new(),
            summary: format!("{name}: nothing to fix ({remaining} finding(s) need a person)"),
            remaining,
        });
    }
    let Some(target) = target else {
        // --diff
        let diff = similar::TextDiff::from_lines(&original_text, new_text)
            .unified_diff()
            .context_radius(1)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        return Ok(FixOutcome {
            diff,
            summary: format!("{name}: {rewritten} citation(s) would be rewritten"),
            remaining,
        });
    };
    let original = target.read()?;
    target.write(
        &original,
        &fix::encode_like(path, &original, format, &original_text, new_text)?,
    )?;
    Ok(FixOutcome {
        diff: String::new(),
        summary: format!("{name}: {rewritten} citation(s) rewritten"),
        remaining,
    })
}
