//! `ibid import`: converts a bibliography between CSL-JSON, BibLaTeX, BibTeX, hayagriva YAML and
//! RIS through ibid's one model of a work (the lossy points of each format are documented in its
//! module under `crate::library`).

use std::path::PathBuf;

use crate::bib::formats;
use crate::cli::export::emit;
use crate::cli::{LibraryFormat, Outcome};
use crate::model::keys;

/// `ibid import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The bibliography to read.
    pub file: PathBuf,
    /// Its format; guessed from the extension when absent (`.json`, `.bib`, `.yaml`, `.ris`).
    #[arg(long, value_enum)]
    pub from: Option<LibraryFormat>,
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: LibraryFormat,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Give every entry a new key by ibid's scheme (`lieberthal1992`) instead of keeping its own.
    #[arg(long)]
    pub rekey: bool,
}

/// Runs `ibid import`.
pub(crate) fn run(args: ImportArgs) -> anyhow::Result<Outcome> {
    let mut library = formats::read_file(&args.file, args.from.map(Into::into))?;
    if args.rekey {
        keys::assign_keys(&mut library.works);
    } else {
        keys::fill_missing_keys(&mut library.works);
    }
    let text = formats::write(&library, args.to.into())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.to.name()))?;
    emit(&text, args.output.as_deref())?;
    Ok(Outcome::Clean)
}
