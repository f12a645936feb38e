//! The pipeline, assembled once for every verb: read a manuscript, analyse it (against the
//! user's library when there is one), choose its style, check it (render, compare, settle the
//! fixes) and fix it, one file or many, with one [`RenderCache`] shared by the whole run.
//!
//! A [`Session`] holds what a run shares: the style asked for, the input format, the user's
//! library and the render cache. The command line (`crate::cli`) parses arguments into one and
//! prints what it returns; embedders can do the same, or call [`check_path`].
//!
//! ```no_run
//! use ibid::session::Session;
//!
//! let session = Session::new().with_style(Some("chicago-18".into()));
//! let checked = session.check(std::path::Path::new("essay.md"))?;
//! for d in &checked.diagnostics {
//!     println!("{} {}", d.code, d.message);
//! }
//! # Ok::<(), ibid::Error>(())
//! ```

pub(crate) mod batch;
mod fix;
pub(crate) mod timings;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::check::{self, Expected};
use crate::config::{Config, RuleSelection};
use crate::error::{Error, Result};
use crate::manuscript::{self, Format, Manuscript};
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::Library;
use crate::output::Extract;
use crate::render::{self, RenderCache, RenderInput, Style};
use crate::resolve::library::Resolution;
use crate::resolve::Analysis;

pub use fix::{FixOptions, FixOutcome};
use timings::Stage;

thread_local! {
    static CURRENT_FILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Records the file this thread is working on, for the "internal error" message of a panic.
pub fn set_current_file(path: Option<&Path>) {
    CURRENT_FILE.with(|c| *c.borrow_mut() = path.map(crate::error::display_path));
}

/// The file this thread is working on, if any.
pub fn current_file() -> Option<String> {
    CURRENT_FILE.with(|c| c.borrow().clone())
}

/// The user's bibliography (`--library`) and how missing works count.
#[derive(Debug, Clone)]
pub struct UserLibrary {
    /// The bibliography, read.
    pub library: Library,
    /// A work not in the library is a warning (a finding) rather than info.
    pub strict: bool,
}

/// What one run shares over all its files: the style asked for, how to read the files, the
/// user's library, the configuration (and the rules the command line selects), and the
/// renderings already made.
#[derive(Debug, Default)]
pub struct Session {
    style: Option<String>,
    input_format: Option<Format>,
    user: Option<UserLibrary>,
    /// `--config FILE`: the one configuration of the run, instead of each manuscript's nearest.
    config_file: Option<Arc<Config>>,
    /// `--select` / `--ignore`, applied through every configuration.
    selection: RuleSelection,
    /// The least severity that fails a run (`--fail-on`); warnings when `None`.
    fail_on: Option<Severity>,
    /// The configurations read so far, by the path of their `ibid.toml` (the empty path for
    /// none): each file is read once per run, however many manuscripts it applies to.
    configs: Mutex<HashMap<PathBuf, Arc<Config>>>,
    /// Renderings shared by every file of the run and every re-check of a file.
    cache: RenderCache,
}

/// One manuscript checked: its analysis and its findings, in source order, filtered by its
/// `ibid.toml`, each fix one that settles.
#[derive(Debug)]
pub struct Checked {
    /// The manuscript, parsed and resolved.
    pub analysis: Analysis,
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
    /// The style the citations were checked against, and why that one.
    pub style: StyleChoice,
}

/// One manuscript analysed as `ibid extract` shows it.
#[derive(Debug)]
pub struct Extracted {
    /// The manuscript, parsed and resolved; its findings filtered by its `ibid.toml`.
    pub analysis: Analysis,
    /// How the works matched the user's library, when there is one.
    pub resolution: Option<Resolution>,
}

/// What `format` and `convert` read: the render input, and the analysis when the file was a
/// manuscript.
#[derive(Debug)]
pub struct Loaded {
    /// The works and notes.
    pub input: RenderInput,
    /// The manuscript, parsed and resolved (absent for an extract JSON).
    pub analysis: Option<Analysis>,
}

/// Findings that fail a check by default: warnings and errors (info is shown but does not
/// fail). [`Session::fails`] is the same test at the run's `--fail-on`.
pub fn failing(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning
}

/// The style a manuscript is checked or rendered in, and why that one: named by `--style`, by
/// `ibid.toml`, or inferred from the notes ([`infer_style`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleChoice {
    /// The style's name or path, as [`render::style::resolve`] takes it.
    pub spec: String,
    /// Why: `--style`, `ibid.toml`, or what in the notes decided it.
    pub why: String,
}

/// What the notes themselves show of the Chicago edition they follow, beyond the places of
/// publication their works give ([`infer_style`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotesEvidence {
    /// Some citation is `Ibid.`.
    pub uses_ibid: bool,
    /// Citations that name three persons as authors: Chicago 17 (and 16) lists up to three
    /// authors in a note, 18 gives the first and `et al.`.
    pub three_authors: usize,
}

impl NotesEvidence {
    /// The evidence of a parsed manuscript's notes.
    pub fn of_analysis(analysis: &Analysis) -> NotesEvidence {
        NotesEvidence::of(
            analysis
                .notes
                .iter()
                .flat_map(|n| &n.cites)
                .map(|c| (c.kind == crate::grammar::CiteKind::Ibid, Some(&c.fields))),
        )
    }

    /// The evidence of a renderer's input: the fields of its citations when it has them (an
    /// extract JSON may leave them out).
    pub fn of_input(input: &RenderInput) -> NotesEvidence {
        NotesEvidence::of(
            input
                .notes
                .iter()
                .flat_map(|n| &n.citations)
                .map(|c| (c.kind == "ibid", c.fields.as_ref())),
        )
    }

    fn of<'a>(cites: impl Iterator<Item = (bool, Option<&'a crate::model::Work>)>) -> Self {
        cites.fold(NotesEvidence::default(), |mut e, (ibid, fields)| {
            e.uses_ibid |= ibid;
            let persons = |w: &crate::model::Work| {
                w.author.len() == 3
                    && w.author
                        .iter()
                        .all(|n| n.family.is_some() && n.literal.is_none())
            };
            e.three_authors += usize::from(fields.is_some_and(persons));
            e
        })
    }
}

/// The style that fits notes nobody named a style for: the Chicago edition they follow, with
/// Ibid. when they use it.
///
/// Chicago 17 gives the place of publication of a book (`Ithaca: Cornell University Press,
/// 2016`), Chicago 18 drops it (CMOS 18 14.30); 17 lists three authors in a note, 18 gives the
/// first and `et al.`. The places and the three-author citations vote for 17, the
/// books, chapters and reports that have a publisher and no place for 18: 17 when its votes are
/// at least half of 18's (so a third of the books with a place are enough: data without a place
/// renders without one in 17 too), otherwise 18; with no evidence either way 18, the current
/// edition, is assumed. Chicago 17 prints `Ibid.` for a repeated work, 18 prefers a short form
/// but allows `Ibid.`; a manuscript that uses Ibid. gets the style variant that prints it.
pub fn infer_style(works: &[crate::model::Work], notes: NotesEvidence) -> StyleChoice {
    // the works for which Chicago 17 prints a place: books, chapters, reports (not a thesis's
    // university, not an interview's or a website's publisher)
    let published = works.iter().filter(|w| {
        w.publisher.is_some()
            && matches!(
                w.kind,
                crate::model::WorkType::Book
                    | crate::model::WorkType::Chapter
                    | crate::model::WorkType::Report
                    | crate::model::WorkType::Document
            )
    });
    let (with_place, total) = published.fold((0, 0), |(p, t), w| {
        (p + usize::from(w.publisher_place.is_some()), t + 1)
    });
    let for_17 = with_place + notes.three_authors;
    let seventeen = for_17 > 0 && for_17 * 2 >= total - with_place;
    let spec = match (seventeen, notes.uses_ibid) {
        (true, true) => "chicago",
        (true, false) => "chicago-17-short",
        (false, true) if total == 0 => "chicago",
        (false, true) => "chicago-18-ibid",
        (false, false) => "chicago-18",
    };
    let mut why = if total == 0 {
        "no work names its publisher".to_owned()
    } else {
        format!("{with_place} of {total} works with a publisher give its place")
    };
    match notes.three_authors {
        0 => {}
        1 => why.push_str("; 1 citation names three authors"),
        n => why.push_str(&format!("; {n} citations name three authors")),
    }
    let ibid = if notes.uses_ibid {
        "the notes use Ibid."
    } else {
        "no Ibid."
    };
    StyleChoice {
        spec: spec.to_owned(),
        why: format!("inferred: {why}; {ibid}"),
    }
}

/// An error unless `style` (named `spec`) is a note style, the only kind a check compares notes with.
fn note_style_only(style: &Style, spec: &str) -> Result<()> {
    if style.is_note() {
        return Ok(());
    }
    Err(Error::Config {
        path: PathBuf::from(spec),
        message: "an author-date style cannot check notes; use `ibid convert --to apa` to turn a \
                  notes manuscript into APA"
            .into(),
    })
}

/// A style error, said to come from the configuration file that named the style.
fn in_config(e: Error, config: Option<&Path>) -> Error {
    match config {
        Some(file) => Error::Config {
            path: file.to_owned(),
            message: format!("style: {e}"),
        },
        None => e,
    }
}

/// What `check` renders a manuscript from: short forms kept where written
/// ([`RenderInput::keep_written_short_forms`]).
fn check_input(analysis: &Analysis) -> RenderInput {
    let mut input = RenderInput::from_analysis(analysis);
    input.keep_written_short_forms();
    input
}

/// Where a re-check looks: the trial of fixes, and the inputs of the notes as the re-check
/// before this one saw them (none for the first).
struct At<'a> {
    trial: &'a crate::fix::Trial<'a>,
    before: Option<check::NoteInputs>,
}

/// Checks one manuscript as `ibid check FILE [--style STYLE]` does (configuration discovered
/// from its folder, fixes settled) and returns its findings. For benchmarks and embedders; a
/// [`Session`] checks many files with one render cache.
pub fn check_path(path: &Path, style: Option<&str>) -> Result<Vec<Diagnostic>> {
    Session::new()
        .with_style(style.map(str::to_owned))
        .check(path)
        .map(|c| c.diagnostics)
}

impl Session {
    /// A session with no style asked for, formats guessed from extensions, and no library.
    pub fn new() -> Session {
        Session::default()
    }

    /// The style asked for (a short name or a `.csl` path); `None` leaves the choice to
    /// `ibid.toml`, else to the notes ([`infer_style`]).
    pub fn with_style(mut self, style: Option<String>) -> Session {
        self.style = style;
        self
    }

    /// Reads every file as this format instead of guessing from its extension.
    pub fn with_input_format(mut self, format: Option<Format>) -> Session {
        self.input_format = format;
        self
    }

    /// Resolves the works against the user's bibliography first.
    pub fn with_library(mut self, user: Option<UserLibrary>) -> Session {
        self.user = user;
        self
    }

    /// Reads every manuscript with this configuration file (`--config FILE`) instead of the
    /// `ibid.toml` nearest to each; the file is read and checked now.
    pub fn with_config_file(mut self, path: Option<&Path>) -> Result<Session> {
        self.config_file = match path {
            Some(p) => Some(Arc::new(
                Config::load(p)?.with_selection(self.selection.clone()),
            )),
            None => None,
        };
        Ok(self)
    }

    /// Reports only the rules `selection` leaves on (`--select`, `--ignore`), over what each
    /// configuration says. Set it before [`Session::with_config_file`].
    pub fn with_rules(mut self, selection: RuleSelection) -> Session {
        self.selection = selection;
        self
    }

    /// Makes findings of `severity` and above fail the run (`--fail-on`); warnings by default.
    pub fn with_fail_on(mut self, severity: Option<Severity>) -> Session {
        self.fail_on = severity;
        self
    }

    /// Whether a finding fails the run: of the `--fail-on` severity or above (warnings and
    /// errors by default).
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.severity >= self.fail_on.unwrap_or(Severity::Warning)
    }

    /// The configuration of a manuscript, with the run's rule selection over it: the
    /// `--config` file when one was given, else the nearest `ibid.toml` (each read once per
    /// run), else the default. The one place every verb gets its configuration from.
    pub fn config(&self, manuscript: &Path) -> Result<Arc<Config>> {
        if let Some(c) = &self.config_file {
            return Ok(Arc::clone(c));
        }
        let file = Config::find(manuscript);
        let key = file.clone().unwrap_or_default();
        if let Some(c) = self.configs.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(c);
        }
        let config = match &file {
            Some(f) => Config::load(f)?,
            None => Config::default(),
        };
        let config = Arc::new(config.with_selection(self.selection.clone()));
        if let Ok(mut m) = self.configs.lock() {
            m.insert(key, Arc::clone(&config));
        }
        Ok(config)
    }

    /// What must hold before a `check` or `fix` of these files starts, so that a run that
    /// cannot do its job stops once, with one message, before any file is checked: the style
    /// asked for exists and is a note style, every file's format is one ibid reads, every
    /// configuration file parses and names a note style that exists.
    pub fn prepare_check(&self, paths: &[PathBuf]) -> Result<()> {
        if let Some(style) = self.named_style()? {
            note_style_only(&style, self.style.as_deref().unwrap_or_default())?;
        }
        let mut styles_seen = std::collections::HashSet::new();
        for path in paths {
            if self.input_format.is_none() && path.as_os_str() != "-" {
                Format::from_path(path)?;
            }
            let config = self.config(path)?;
            if self.style.is_none() {
                if let Some(spec) = config.style() {
                    if styles_seen.insert(spec.clone()) {
                        let style = render::style::resolve(&spec)
                            .map_err(|e| in_config(e, config.path.as_deref()))?;
                        note_style_only(&style, &spec)
                            .map_err(|e| in_config(e, config.path.as_deref()))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The user's bibliography, if any.
    pub fn library(&self) -> Option<&Library> {
        self.user.as_ref().map(|u| &u.library)
    }

    /// The renderings made so far.
    pub fn cache(&self) -> &RenderCache {
        &self.cache
    }

    /// Reads one manuscript (timed, its notes counted).
    pub fn read(&self, path: &Path) -> Result<Manuscript> {
        let ms = timings::time(Stage::Read, || manuscript::read(path, self.input_format))?;
        timings::count_notes(ms.notes.len());
        Ok(ms)
    }

    /// Reads a manuscript from bytes that have no file (`ibid check -` reads standard input):
    /// `name` names it in messages (`--stdin-filename`, else `-`). Its format is
    /// `--input-format`'s, else the one `name` suggests when a name was given (`named`), else
    /// the one its bytes suggest ([`Format::sniff`]). Text formats only: a .docx is read from
    /// its file.
    pub fn read_stdin(&self, name: &Path, named: bool, bytes: &[u8]) -> Result<Manuscript> {
        let format = match self.input_format {
            Some(f) => f,
            None if named => Format::from_path(name)?,
            None => Format::sniff(bytes),
        };
        if format == Format::Docx {
            return Err(Error::input(
                name,
                "a .docx is not read from standard input; give its file name",
            ));
        }
        if bytes.is_empty() {
            return Err(Error::input(name, "standard input is empty (0 bytes)"));
        }
        let ms = timings::time(Stage::Read, || manuscript::read_bytes(name, bytes, format))?;
        timings::count_notes(ms.notes.len());
        Ok(ms)
    }

    /// Parses and resolves a manuscript, against the user's library when there is one.
    pub fn analyse(&self, ms: Manuscript) -> Analysis {
        self.analyse_resolved(ms).0
    }

    /// [`Session::analyse`], with how the works matched the user's library when there is one.
    pub fn analyse_resolved(&self, ms: Manuscript) -> (Analysis, Option<Resolution>) {
        match &self.user {
            Some(user) => timings::time(Stage::Resolve, || {
                let (analysis, found) =
                    crate::resolve::library::analyse_with(ms, &user.library, user.strict);
                (analysis, Some(found))
            }),
            None => (timings::analyse(ms), None),
        }
    }

    /// Reads and analyses one manuscript as `ibid extract` shows it: its findings filtered by
    /// the `ibid.toml` of its folder (rules off, severities, ignored notes, inline opt-outs).
    pub fn extract(&self, path: &Path) -> Result<Extracted> {
        let ms = self.read(path)?;
        let config = self.config(path)?;
        let (mut analysis, resolution) = self.analyse_resolved(ms);
        let diagnostics = std::mem::take(&mut analysis.diagnostics);
        analysis.diagnostics = config.filter(&analysis.manuscript, diagnostics);
        Ok(Extracted {
            analysis,
            resolution,
        })
    }

    /// Reads a manuscript (parsed and resolved) or, for a `.json` file when no input format
    /// was given, an extract JSON (the shape `ibid extract --format json` prints).
    pub fn load(&self, path: &Path) -> Result<Loaded> {
        let is_json = self.input_format.is_none()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.to_owned(),
                source,
            })?;
            let extract: Extract = serde_json::from_str(&text).map_err(|e| Error::Syntax {
                path: path.to_owned(),
                line: e.line(),
                column: e.column(),
                message: format!("not an extract JSON: {e}"),
            })?;
            return Ok(Loaded {
                input: RenderInput::from_extract(&extract),
                analysis: None,
            });
        }
        let analysis = self.analyse(self.read(path)?);
        Ok(Loaded {
            input: RenderInput::from_analysis(&analysis),
            analysis: Some(analysis),
        })
    }

    /// The style's name or path: the one asked for, else `config`'s (read only when needed),
    /// else the one [`infer_style`] finds in the notes. The one place the style of a manuscript is chosen.
    fn choose_style(
        &self,
        config: impl FnOnce() -> Result<Option<String>>,
        infer: impl FnOnce() -> StyleChoice,
    ) -> Result<StyleChoice> {
        if let Some(style) = &self.style {
            return Ok(StyleChoice {
                spec: style.clone(),
                why: "--style".into(),
            });
        }
        Ok(match config()? {
            Some(spec) => StyleChoice {
                spec,
                why: "ibid.toml".into(),
            },
            None => infer(),
        })
    }

    /// The style asked for, resolved, if one was: so that an unknown name fails before any
    /// file is read.
    pub fn named_style(&self) -> Result<Option<Style>> {
        self.style
            .as_deref()
            .map(render::style::resolve)
            .transpose()
    }

    /// The style to render what `load` read from `path` in: the one asked for, else the
    /// `ibid.toml` of its folder, else the one that fits the notes. Any style, notes or
    /// author-date.
    pub fn style_for_input(&self, path: &Path, input: &RenderInput) -> Result<Style> {
        let choice = self.choose_style(
            || self.config(path).map(|c| c.style()),
            || infer_style(&input.works, NotesEvidence::of_input(input)),
        )?;
        render::style::resolve(&choice.spec)
    }

    /// The style to check an analysed manuscript in: as [`Session::style_for_input`], and a
    /// note style.
    fn note_style(&self, config: &Config, analysis: &Analysis) -> Result<(Style, StyleChoice)> {
        let choice = self.choose_style(
            || Ok(config.style()),
            || {
                infer_style(
                    &analysis.library.works,
                    NotesEvidence::of_analysis(analysis),
                )
            },
        )?;
        let mut style = render::style::resolve(&choice.spec)?;
        let mut choice = choice;
        note_style_only(&style, &choice.spec)?;
        // a style that names no locale is rendered in the manuscript's language (CSL's locale
        // fallback: the user's choice), so that French notes are checked with `et` and `« »`
        if !style.names_locale() {
            let prose = render::language::of_prose(&analysis.manuscript.text);
            if let Some(code) = prose.and_then(render::language::csl_locale) {
                style = style.in_locale(code);
                choice.why = format!("{}; prose in {code}", choice.why);
            }
        }
        Ok((style, choice))
    }

    /// Checks one manuscript: every citation compared with its rendering in the style, the
    /// findings filtered by `ibid.toml`, and only fixes offered that settle (the rewritten text
    /// checked again, as `fix` would leave it).
    pub fn check(&self, path: &Path) -> Result<Checked> {
        let ms = self.read(path)?;
        self.check_manuscript(path, ms)
    }

    /// [`Session::check`] of a manuscript already read (from disk, or a fixed text).
    pub fn check_manuscript(&self, path: &Path, ms: Manuscript) -> Result<Checked> {
        let config = self.config(path)?;
        let analysis = self.analyse(ms);
        let (style, style_choice) = self.note_style(&config, &analysis)?;
        let mut diagnostics = self.diagnose(&analysis, &style, &config)?;
        // Offer only fixes that settle: check the rewritten text again, as `fix` would leave it,
        // where the fixes rewrote it; after the first re-check, only where what a note depends
        // on changed since the one before (check::NoteInputs)
        let format = analysis.manuscript.format;
        // the last re-check's notes, with what the grammar read in them and their inputs
        type Last = (Vec<manuscript::Note>, Vec<crate::grammar::ParsedNote>);
        let last_read: std::cell::RefCell<Option<Last>> = Default::default();
        let last_inputs: std::cell::RefCell<Option<check::NoteInputs>> = Default::default();
        let recheck = |bytes: &[u8], trial: &crate::fix::Trial| {
            timings::time(Stage::Settle, || {
                let ms =
                    timings::time(Stage::Read, || manuscript::read_bytes(path, bytes, format))?;
                let last = last_read.take();
                let again = match &self.user {
                    None => {
                        let mut known = vec![(&analysis.manuscript.notes[..], &analysis.notes[..])];
                        known.extend(last.as_ref().map(|(n, p)| (&n[..], &p[..])));
                        timings::analyse_again(ms, &known)
                    }
                    Some(_) => self.analyse(ms),
                };
                let at = At {
                    trial,
                    before: last_inputs.take(),
                };
                let (found, inputs) = self.diagnose_at(&again, &style, &config, at)?;
                *last_inputs.borrow_mut() = inputs;
                *last_read.borrow_mut() = Some((again.manuscript.notes, again.notes));
                Ok(found)
            })
        };
        crate::fix::SourceKind::of(format).settle(
            path,
            &analysis.manuscript.text,
            &mut diagnostics,
            recheck,
        )?;
        Ok(Checked {
            analysis,
            diagnostics,
            style: style_choice,
        })
    }

    /// The findings of one analysed manuscript in `style`: the analysis' own, then every
    /// citation that differs from its rendering, in source order, filtered by the configuration.
    fn diagnose(
        &self,
        analysis: &Analysis,
        style: &Style,
        config: &Config,
    ) -> Result<Vec<Diagnostic>> {
        self.findings(analysis, &check_input(analysis), style, config, None)
    }

    /// [`Session::diagnose`] for a re-check of trial fixes: the citations are compared only in
    /// the notes the findings at the trial's fixes depend on ([`check::focus`]), leaving out the
    /// notes of the fixes the re-check before proved whose inputs are still those it saw
    /// (`at.before`). Returns the inputs of this one's notes too, for the next re-check (none for
    /// an in-text style, whose renderings depend on the whole document).
    fn diagnose_at(
        &self,
        analysis: &Analysis,
        style: &Style,
        config: &Config,
        at: At,
    ) -> Result<(Vec<Diagnostic>, Option<check::NoteInputs>)> {
        let input = check_input(analysis);
        let inputs = style.is_note().then(|| {
            timings::time(Stage::Render, || {
                let shared = render::Shared::of(&input.works, style);
                check::NoteInputs::of(analysis, &input, &shared)
            })
        });
        let changed = match (&inputs, &at.before) {
            (Some(now), Some(before)) => Some(now.changed_since(before)),
            _ => None,
        };
        let focus = check::focus(
            analysis,
            at.trial.spans,
            at.trial.proven,
            changed.as_deref(),
        );
        let found = self.findings(analysis, &input, style, config, Some(&focus))?;
        Ok((found, inputs))
    }

    /// The findings of `analysis` whose render input is `input`, the citations compared in the
    /// notes of `focus` (all of them without one).
    fn findings(
        &self,
        analysis: &Analysis,
        input: &RenderInput,
        style: &Style,
        config: &Config,
        focus: Option<&[bool]>,
    ) -> Result<Vec<Diagnostic>> {
        // Notes only: the check never looks at the bibliography.
        let rendered = timings::time(Stage::Render, || match focus {
            None => render::render_notes_cached(input, style, &self.cache),
            Some(focus) => render::render_notes_of(input, style, &self.cache, focus),
        })?;
        timings::time(Stage::Diff, || {
            let expected = Expected::from_rendered(analysis, &rendered);
            let mut diagnostics = analysis.diagnostics.clone();
            diagnostics.extend(check::compare(analysis, &expected));
            diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
            Ok(config.filter(&analysis.manuscript, diagnostics))
        })
    }

    /// Checks many manuscripts in parallel; hands `keep(checked)` (computed in parallel, so
    /// that only what is kept waits for its turn) of each to `emit`, in input order.
    pub fn check_all<T: Send>(
        &self,
        paths: &[PathBuf],
        keep: impl Fn(&Path, Checked) -> T + Sync,
        emit: impl FnMut(&Path, Result<T>),
    ) {
        batch::run_ordered(paths, |p| self.check(p).map(|c| keep(p, c)), emit);
    }

    /// Fixes many manuscripts in parallel; hands each outcome to `emit`, in input order.
    pub fn fix_all(
        &self,
        paths: &[PathBuf],
        options: FixOptions,
        emit: impl FnMut(&Path, Result<FixOutcome>),
    ) {
        batch::run_ordered(paths, |p| self.fix(p, options.clone()), emit);
    }

    /// The merged library of several manuscripts; with the user's library, resolved against it
    /// first. Keys are the library's for works from it, and given by
    /// [`crate::model::keys`]' scheme to the others.
    pub fn library_of(&self, paths: &[PathBuf]) -> Result<Library> {
        use crate::model::keys;
        let user = self.library();
        let mut merged = Library::default();
        for path in paths {
            set_current_file(Some(path));
            let mut works = self.analyse(self.read(path)?).library;
            if user.is_none() {
                for w in &mut works.works {
                    w.id.clear();
                }
            }
            crate::resolve::matching::merge(&mut merged, works);
        }
        match user {
            Some(user) => {
                for w in &mut merged.works {
                    if user.by_key(&w.id).is_none_or(|i| user.works[i] != *w) {
                        w.id.clear();
                    }
                }
                keys::fill_missing_keys(&mut merged.works);
            }
            None => keys::assign_keys(&mut merged.works),
        }
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::{infer_style, At, NotesEvidence, Session};
    use crate::fix::Trial;
    use crate::model::diagnostic::Severity;
    use crate::model::diagnostic::{Code, Diagnostic};
    use crate::model::span::Span;
    use crate::model::Work;

    /// A re-check renders and compares only the notes its trial fixes touch (#17): what it
    /// finds there must be what the whole check finds there, on manuscripts whose fixes are
    /// many and whose works are cited across notes (full, short, Ibid).
    #[test]
    fn a_focused_check_finds_at_the_fixes_what_the_whole_check_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "fixtures/check/cmos17-errors.md",
            "fixtures/essay-internet-governance.txt",
            "fixtures/notes-corpus/mutated/001.md",
            "fixtures/notes-corpus/mutated/002.md",
        ] {
            let path = root.join(file);
            let session = Session::new();
            let config = session.config(&path).unwrap();
            let analysis = session.analyse(session.read(&path).unwrap());
            let (style, _) = session.note_style(&config, &analysis).unwrap();
            let whole = session.diagnose(&analysis, &style, &config).unwrap();
            // the places of the findings: fixes, and citations left unchecked
            let spans: Vec<Span> = whole
                .iter()
                .filter_map(|d| d.fix.as_ref().map_or(d.span, |f| Some(f.span)))
                .collect();
            assert!(spans.len() >= 4, "{file}: {} findings", spans.len());
            // every other fix, and the second half: foci with notes left out between and before
            for at in [
                spans.iter().step_by(2).copied().collect::<Vec<_>>(),
                spans[spans.len() / 2..].to_vec(),
            ] {
                let trial = Trial {
                    spans: &at,
                    proven: &vec![false; at.len()],
                };
                let before = None;
                let at_trial = At {
                    trial: &trial,
                    before,
                };
                let (focused, _) = session
                    .diagnose_at(&analysis, &style, &config, at_trial)
                    .unwrap();
                let near = |d: &&Diagnostic| {
                    d.span
                        .is_some_and(|s| at.iter().any(|a| s.start <= a.end && a.start <= s.end))
                };
                let in_whole: Vec<&Diagnostic> = whole.iter().filter(near).collect();
                let in_focused: Vec<&Diagnostic> = focused.iter().filter(near).collect();
                assert_eq!(in_focused, in_whole, "{file}");
                assert!(
                    focused.len() < whole.len(),
                    "{file}: the focus left no finding out"
                );
            }
        }
    }

    fn book(place: Option<&str>) -> Work {
        Work {
            publisher: Some("Penguin".into()),
            publisher_place: place.map(str::to_owned),
            ..Work::default()
        }
    }

    #[test]
    fn the_edition_follows_the_places_of_publication() {
        let notes = |uses_ibid| NotesEvidence {
            uses_ibid,
            three_authors: 0,
        };
        let seventeen = [book(Some("New York")), book(Some("Ithaca, NY")), book(None)];
        assert_eq!(
            infer_style(&seventeen, notes(false)).spec,
            "chicago-17-short"
        );
        assert_eq!(infer_style(&seventeen, notes(true)).spec, "chicago");
        // a stray place among many books without one: 18 (a third with places would be 17)
        let eighteen = [book(None), book(None), book(None), book(Some("London"))];
        assert_eq!(infer_style(&eighteen, notes(false)).spec, "chicago-18");
        assert_eq!(infer_style(&eighteen, notes(true)).spec, "chicago-18-ibid");
        // no publisher anywhere: no evidence of the edition
        assert_eq!(
            infer_style(&[Work::default()], notes(false)).spec,
            "chicago-18"
        );
        assert_eq!(infer_style(&[], notes(true)).spec, "chicago");
        assert_eq!(
            infer_style(&seventeen, notes(false)).why,
            "inferred: 2 of 3 works with a publisher give its place; no Ibid."
        );
    }

    /// A Markdown manuscript of paragraphs of `prose`, each followed by `Text.` and a note marker,
    /// and the notes.
    fn markdown_with_notes(prose: &str, notes: &[&str]) -> String {
        let body: String = (1..=notes.len())
            .map(|n| format!("{prose}Text.[^{n}]\n\n"))
            .collect();
        let defs: String = notes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("[^{}]: {n}\n", i + 1))
            .collect();
        body + &defs
    }

    /// No finding of a warning or worse.
    fn assert_quiet(checked: &super::Checked) {
        assert!(
            checked
                .diagnostics
                .iter()
                .all(|d| d.severity < Severity::Warning),
            "{:#?}",
            checked.diagnostics
        );
    }

    /// A manuscript whose books give no place (the author's data has none) but whose notes list
    /// three authors, as Chicago 17 does and 18 does not (`Drury et al.`), was written to 17.
    #[test]
    fn notes_listing_three_authors_are_chicago_17() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("three.md");
        let notes = [
            "CG Drury, CH Law, and CS Pawenski, “A Survey of Industrial Box Handling,” *Human Factors* 24, no. 5 (1982): 378.",
            "Mary Douglas, *Purity and Danger* (Routledge, 1966), 12.",
            "Drury, Law, and Pawenski, “Industrial Box Handling,” 380.",
            "Ibid., 381.",
        ];
        std::fs::write(&path, markdown_with_notes("", &notes)).unwrap();
        let checked = Session::new().check(&path).unwrap();
        assert_eq!(checked.style.spec, "chicago", "{}", checked.style.why);
        assert!(
            checked.style.why.contains("2 citations name three authors"),
            "{}",
            checked.style.why
        );
        // as 17 prints them: no finding asks for `Drury et al.`
        assert_quiet(&checked);
        // without the three-author notes, the one book without a place says 18
        let eighteen = NotesEvidence {
            uses_ibid: true,
            three_authors: 0,
        };
        assert_eq!(infer_style(&[book(None)], eighteen).spec, "chicago-18-ibid");
    }

    /// A manuscript in French is checked in the style's French locale: its notes' `et` and
    /// `« »` are what the style prints there, not differences from `and` and `“ ”`.
    #[test]
    fn a_french_manuscript_is_checked_in_its_locale() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fr.md");
        let prose = "Dans cette leçon, nous présentons les étapes de la reconnaissance des \
            écritures et les choix qui se posent pour les langues peu dotées, avec un \
            ensemble de données et une évaluation des modèles sur des manuscrits de la \
            période moderne. ";
        let notes = [
            "Stuart Snydman, Robert Sanderson, et Tom Cramer, « The International Image Interoperability Framework », *Archiving Conference* 12 (2015): 16–21.",
            "Snydman, Sanderson, et Cramer, « International Image Interoperability Framework », 18.",
        ];
        std::fs::write(&path, markdown_with_notes(&prose.repeat(3), &notes)).unwrap();
        let checked = Session::new().check(&path).unwrap();
        assert!(
            checked.style.why.ends_with("prose in fr-FR"),
            "{}",
            checked.style.why
        );
        assert_quiet(&checked);
        // the same notes in English prose are checked in English, where `et` is a difference
        std::fs::write(
            &path,
            std::fs::read_to_string(&path)
                .unwrap()
                .replace(prose, "In this lesson we present the steps of the recognition of the scripts and the choices that arise for the languages with few resources. "),
        )
        .unwrap();
        let checked = Session::new().check(&path).unwrap();
        assert!(
            !checked.style.why.contains("prose in"),
            "{}",
            checked.style.why
        );
        assert!(checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::StyleDifference));
    }
}
