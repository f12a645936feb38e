//! `ibid format`: the notes as they should read in a style, then the bibliography (or reference
//! list), as text, Markdown, HTML or JSON.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use crate::cli::{InputFormat, Outcome};
use crate::render::{self, Rendered, Rich, Style};
use crate::session::{set_current_file, Session};

/// Output formats of `format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    /// Plain text, no markup.
    Text,
    /// Markdown, italics as `*...*`.
    Markdown,
    /// HTML, escaped, italics as `<i>`.
    Html,
    /// Per note its id, number, text and citations; then the bibliography entries.
    Json,
}

/// `ibid format`.
#[derive(Debug, clap::Args)]
pub struct FormatArgs {
    /// A manuscript, or an extract JSON (the shape `ibid extract --format json` prints).
    pub file: PathBuf,
    /// A style's short name (`ibid styles` lists them) or a path to a `.csl` file. By default,
    /// the config file's, else Chicago 17 with Ibid. when the notes use Ibid., else Chicago 18.
    #[arg(long)]
    pub style: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    pub to: RenderFormat,
    /// Read the file as this format instead of guessing from its extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// `--library FILE`: the works take the entries of the user's bibliography they match.
    #[command(flatten)]
    pub library: crate::cli::export::LibraryArgs,
}

/// Runs `ibid format`.
pub(crate) fn run(args: FormatArgs) -> anyhow::Result<Outcome> {
    set_current_file(Some(&args.file));
    let session = Session::new()
        .with_style(args.style.clone())
        .with_input_format(args.input_format.map(Into::into));
    // An unknown style name fails before the manuscript is read.
    let named = session.named_style()?;
    let session = session.with_library(args.library.load()?);
    let loaded = session.load(&args.file)?;
    let style = match named {
        Some(style) => style,
        None => session.style_for_input(&args.file, &loaded.input)?,
    };
    let rendered = render::render(&loaded.input, &style)?;
    for w in &rendered.warnings {
        eprintln!("ibid: {}: {w}", crate::error::display_path(&args.file));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write(&mut out, &rendered, &style, args.to)?;
    out.flush()?;
    Ok(Outcome::Clean)
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    style: &'a str,
    title: &'a str,
    notes: Vec<JsonNote<'a>>,
    bibliography: Vec<JsonText>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonNote<'a> {
    id: &'a str,
    number: usize,
    text: String,
    html: String,
    /// The citation cluster alone, as a CSL processor prints it (no signal, no commentary).
    citation: Option<JsonText>,
    citations: Vec<Option<JsonText>>,
}

#[derive(Serialize)]
struct JsonText {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    text: String,
    html: String,
}

fn json_text(r: &Rich, key: Option<&str>) -> JsonText {
    JsonText {
        key: key.map(str::to_owned),
        text: r.to_text(),
        html: r.to_html(),
    }
}

/// Writes a rendering in one of the output formats.
pub(crate) fn write(
    w: &mut impl Write,
    rendered: &Rendered,
    style: &Style,
    to: RenderFormat,
) -> io::Result<()> {
    let list_title = if rendered.in_text {
        "References"
    } else {
        "Bibliography"
    };
    let notes = rendered.notes.iter().filter(|n| !n.text.is_empty());
    match to {
        RenderFormat::Json => {
            let doc = JsonDoc {
                style: &rendered.style,
                title: &style.title,
                notes: rendered
                    .notes
                    .iter()
                    .map(|n| JsonNote {
                        id: &n.id,
                        number: n.number,
                        text: n.text.to_text(),
                        html: n.text.to_html(),
                        citation: n.citation.as_ref().map(|c| json_text(c, None)),
                        citations: n
                            .citations
                            .iter()
                            .map(|c| c.as_ref().map(|c| json_text(c, None)))
                            .collect(),
                    })
                    .collect(),
                bibliography: rendered
                    .bibliography
                    .iter()
                    .map(|b| json_text(&b.text, Some(&b.key)))
                    .collect(),
                warnings: &rendered.warnings,
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
        RenderFormat::Text => {
            writeln!(w, "Notes ({})\n", style.title)?;
            for n in notes {
                writeln!(w, "{}. {}", n.number, n.text.to_text())?;
            }
            writeln!(w, "\n{list_title}\n")?;
            for b in &rendered.bibliography {
                writeln!(w, "{}", b.text.to_text())?;
            }
            Ok(())
        }
        RenderFormat::Markdown => {
            writeln!(w, "## Notes\n")?;
            for n in notes {
                writeln!(w, "{}. {}", n.number, n.text.to_markdown())?;
            }
            writeln!(w, "\n## {list_title}\n")?;
            for b in &rendered.bibliography {
                writeln!(w, "{}\n", b.text.to_markdown())?;
            }
            Ok(())
        }
        RenderFormat::Html => {
            writeln!(w, "<section class=\"notes\">\n<h2>Notes</h2>\n<ol>")?;
            for n in notes {
                writeln!(
                    w,
                    "<li value=\"{}\" id=\"note-{}\">{}</li>",
                    n.number,
                    escape_attr(&n.id),
                    n.text.to_html()
                )?;
            }
            writeln!(
                w,
                "</ol>\n</section>\n<section class=\"bibliography\">\n<h2>{list_title}</h2>"
            )?;
            for b in &rendered.bibliography {
                writeln!(w, "<p class=\"csl-entry\">{}</p>", b.text.to_html())?;
            }
            writeln!(w, "</section>")
        }
    }
}

fn escape_attr(s: &str) -> String {
    Rich::plain(s).to_html()
}
