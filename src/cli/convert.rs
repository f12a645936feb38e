//! `ibid convert`: rewrite a notes manuscript into APA (in-text citations and a reference list),
//! or re-emit its notes in Chicago. The input is never touched; the output goes to `-o` or stdout.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;

use crate::cli::{InputFormat, Outcome};
use crate::convert::{to_author_date as convert, to_notes};
use crate::manuscript::Format;
use crate::render;
use crate::session::{set_current_file, Session};

/// Target systems of `convert`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConvertTarget {
    /// APA 7: parenthetical citations at the markers, a reference list instead of the notes.
    Apa,
    /// Chicago 17 notes (with Ibid.): an author-date manuscript's parenthetical citations become
    /// notes and its reference list a bibliography; a notes manuscript's notes are re-emitted.
    Chicago,
}

/// `ibid convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The manuscript (never modified).
    pub file: PathBuf,
    /// The target system.
    #[arg(long, value_enum)]
    pub to: ConvertTarget,
    /// Write the result to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A style for the target (a short name or a .csl path) instead of `apa` / `chicago`.
    #[arg(long)]
    pub style: Option<String>,
    /// Read the file as this format instead of guessing from its extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
}

/// Runs `ibid convert`.
pub(crate) fn run(args: ConvertArgs) -> anyhow::Result<Outcome> {
    set_current_file(Some(&args.file));
    let session = Session::new().with_input_format(args.input_format.map(Into::into));
    let loaded = session.load(&args.file)?;
    let Some(analysis) = &loaded.analysis else {
        anyhow::bail!(
            "{}: convert needs a manuscript (its body and markers), not an extract JSON",
            crate::error::display_path(&args.file)
        );
    };
    let ms = &analysis.manuscript;
    if !matches!(ms.format, Format::Text | Format::Markdown) {
        anyhow::bail!(
            "{}: convert writes plain text and Markdown manuscripts; this one was read as {}",
            crate::error::display_path(&args.file),
            ms.format.as_str()
        );
    }
    let (text, warnings) = match args.to {
        ConvertTarget::Apa => {
            let style = render::style::resolve(args.style.as_deref().unwrap_or("apa"))?;
            if style.is_note() {
                anyhow::bail!(
                    "--to apa needs an in-text style; `{}` is a note style",
                    style.name
                );
            }
            let c = convert::to_in_text(ms, &loaded.input, &style)?;
            eprintln!(
                "ibid: {}: {} markers became parenthetical citations, {} notes kept as footnotes",
                crate::error::display_path(&args.file),
                c.replaced,
                c.kept
            );
            (c.text, c.warnings)
        }
        ConvertTarget::Chicago => {
            let style = render::style::resolve(args.style.as_deref().unwrap_or("chicago"))?;
            if !style.is_note() {
                anyhow::bail!(
                    "--to chicago needs a note style; `{}` is not one",
                    style.name
                );
            }
            let in_text = to_notes::reference_list(&ms.text).is_some_and(|(_, w)| !w.is_empty());
            if in_text {
                // An author-date manuscript: parentheticals become notes.
                let n = to_notes::to_notes(ms, &style)?;
                eprintln!(
                    "ibid: {}: {} parenthetical citations became notes, {} left as written ({} references read)",
                    crate::error::display_path(&args.file),
                    n.converted,
                    n.left,
                    n.references
                );
                (n.text, n.warnings)
            } else {
                // A notes manuscript: every note re-emitted in the style.
                let rendered = render::render(&loaded.input, &style)?;
                (
                    convert::rewrite_notes(ms, &rendered),
                    rendered.warnings.clone(),
                )
            }
        }
    };
    for w in &warnings {
        eprintln!("ibid: {}: {w}", crate::error::display_path(&args.file));
    }
    match &args.output {
        Some(path) => {
            if std::fs::canonicalize(path).ok() == std::fs::canonicalize(&args.file).ok()
                && path.exists()
            {
                anyhow::bail!(
                    "{}: refusing to overwrite the input",
                    crate::error::display_path(path)
                );
            }
            std::fs::write(path, text)
                .with_context(|| format!("{}: cannot write", crate::error::display_path(path)))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Outcome::Clean)
}
