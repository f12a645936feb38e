//! `ibid export`: the deduplicated library of one manuscript (or of several, merged) in a
//! bibliography format; `--library` first resolves the works against the user's bibliography so
//! that its keys and fields are the ones exported.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::bib::formats;
use crate::cli::{InputFormat, LibraryFormat, Outcome};
use crate::session::{batch, Session, UserLibrary};

/// `ibid export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Manuscripts, directories or glob patterns; several give one library, duplicates merged.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The bibliography format to write.
    #[arg(long, value_enum)]
    pub to: LibraryFormat,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Read the manuscripts as this format instead of guessing from their extensions.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// The user's bibliography: works that match an entry are exported as that entry.
    #[command(flatten)]
    pub library: LibraryArgs,
}

/// `--library FILE [--library-format F] [--strict]`, shared by extract, check, fix and export.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LibraryArgs {
    /// The user's bibliography (CSL-JSON, BibLaTeX, BibTeX, YAML, RIS): the works of the notes
    /// that match an entry take its key and fields; works not in it are reported (IB040).
    #[arg(long)]
    pub library: Option<PathBuf>,
    /// The format of `--library`, when its extension does not tell.
    #[arg(long, value_enum)]
    pub library_format: Option<LibraryFormat>,
    /// With `--library`: a work not in the library is a warning (a finding: exit 1).
    #[arg(long, requires = "library")]
    pub strict: bool,
}

impl LibraryArgs {
    /// The bibliography given with `--library`, read; `None` without the flag.
    pub(crate) fn load(&self) -> anyhow::Result<Option<UserLibrary>> {
        match &self.library {
            Some(path) => Ok(Some(UserLibrary {
                library: formats::read_file(path, self.library_format.map(Into::into))?,
                strict: self.strict,
            })),
            None => Ok(None),
        }
    }
}

/// Writes `text` to `output`, or to standard output.
pub(crate) fn emit(text: &str, output: Option<&Path>) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("{}: cannot write", crate::error::display_path(path)))?,
        None => {
            let stdout = std::io::stdout();
            let mut w = stdout.lock();
            w.write_all(text.as_bytes())?;
            w.flush()?;
        }
    }
    Ok(())
}

/// Runs `ibid export`.
pub(crate) fn run(args: ExportArgs) -> anyhow::Result<Outcome> {
    let paths = batch::expand(&args.files, &batch::Exclude::default())?;
    let session = Session::new()
        .with_input_format(args.input_format.map(Into::into))
        .with_library(args.library.load()?);
    let library = session.library_of(&paths)?;
    let text = formats::write(&library, args.to.into())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.to.name()))?;
    emit(&text, args.output.as_deref())?;
    Ok(Outcome::Clean)
}
