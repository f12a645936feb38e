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

use std::path::{Path, PathBuf};

use crate::check::{self, Expected};
use crate::config::Config;
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
/// user's library, and the renderings already made.
#[derive(Debug, Default)]
pub struct Session {
    style: Option<String>,
    input_format: Option<Format>,
    user: Option<UserLibrary>,
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

/// Findings that fail a check: warnings and errors (info is shown but does not fail).
pub fn failing(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning
}

/// The default style, when neither `--style` nor `ibid.toml` names one: Chicago 17 (which
/// prints Ibid.) for notes that use Ibid., Chicago 18 otherwise.
pub fn default_style(uses_ibid: bool) -> &'static str {
    if uses_ibid {
        "chicago"
    } else {
        "chicago-18"
    }
}

/// Whether any note of the analysis cites by Ibid.
fn uses_ibid(analysis: &Analysis) -> bool {
    analysis
        .notes
        .iter()
        .flat_map(|n| &n.cites)
        .any(|c| c.kind == crate::grammar::CiteKind::Ibid)
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
    /// `ibid.toml`, else to [`default_style`].
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
        let config = Config::discover(path)?;
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
    /// else the [`default_style`]. The one place the style of a manuscript is chosen.
    fn style_spec(
        &self,
        config: impl FnOnce() -> Result<Option<String>>,
        uses_ibid: impl FnOnce() -> bool,
    ) -> Result<String> {
        if let Some(style) = &self.style {
            return Ok(style.clone());
        }
        Ok(config()?.unwrap_or_else(|| default_style(uses_ibid()).to_owned()))
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
        let spec = self.style_spec(
            || Config::discover(path).map(|c| c.style()),
            || input.ibid_count() > 0,
        )?;
        render::style::resolve(&spec)
    }

    /// The style to check an analysed manuscript in: as [`Session::style_for_input`], and a
    /// note style.
    fn note_style(&self, config: &Config, analysis: &Analysis) -> Result<Style> {
        let spec = self.style_spec(|| Ok(config.style()), || uses_ibid(analysis))?;
        let style = render::style::resolve(&spec)?;
        if !style.is_note() {
            return Err(Error::Config {
                path: PathBuf::from(spec),
                message: "an author-date style cannot check notes; use `ibid convert --to apa` to \
                     turn a notes manuscript into APA"
                    .into(),
            });
        }
        Ok(style)
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
        let config = Config::discover(path)?;
        let analysis = self.analyse(ms);
        let style = self.note_style(&config, &analysis)?;
        let mut diagnostics = self.diagnose(&analysis, &style, &config)?;
        // Offer only fixes that settle: check the rewritten text again, as `fix` would leave it.
        let format = analysis.manuscript.format;
        let recheck = |bytes: &[u8]| {
            timings::time(Stage::Settle, || {
                let ms =
                    timings::time(Stage::Read, || manuscript::read_bytes(path, bytes, format))?;
                self.diagnose(&self.analyse(ms), &style, &config)
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
        // Notes only: the check never looks at the bibliography.
        let rendered = timings::time(Stage::Render, || {
            render::render_notes_cached(&RenderInput::from_analysis(analysis), style, &self.cache)
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
        batch::run_ordered(paths, |p| self.fix(p, options), emit);
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
