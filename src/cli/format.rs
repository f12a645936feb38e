//! `ibid format`: the notes as they should read in a style, then the bibliography (or reference
//! list), as text, Markdown, HTML or JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::ValueEnum;
use serde::Serialize;

use crate::cli::{InputFormat, Outcome};
use crate::manuscript::{self, Format};
use crate::output::Extract;
use crate::render::{self, RenderInput, Rendered, Rich, Style};
use crate::resolve::{self, Analysis};

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
    /// Chicago 17 with Ibid. when the notes use Ibid., Chicago 18 otherwise.
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

/// What `format` and `convert` read: the render input, and the analysis when the file was a
/// manuscript.
pub struct Loaded {
    /// The works and notes.
    pub input: RenderInput,
    /// The manuscript, parsed and resolved (absent for an extract JSON).
    pub analysis: Option<Analysis>,
}

/// Reads a manuscript (parsed and resolved, against the user's library when one is given) or an
/// extract JSON.
pub fn load(
    path: &Path,
    input_format: Option<InputFormat>,
    user: Option<&crate::model::Library>,
) -> anyhow::Result<Loaded> {
    let is_json = input_format.is_none()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", crate::error::display_path(path)))?;
        let extract: Extract = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: not an extract JSON: {e}",
                crate::error::display_path(path),
                e.line(),
                e.column()
            )
        })?;
        return Ok(Loaded {
            input: RenderInput::from_extract(&extract),
            analysis: None,
        });
    }
    let ms = manuscript::read(path, input_format.map(Format::from))?;
    let analysis = match user {
        Some(user) => crate::resolve::library::analyse_with(ms, user, false).0,
        None => resolve::analyse(ms),
    };
    Ok(Loaded {
        input: RenderInput::from_analysis(&analysis),
        analysis: Some(analysis),
    })
}

/// The style `--style` names, or the one that fits the notes: a style that prints Ibid. when the
/// notes use Ibid.
pub fn choose_style(spec: Option<&str>, input: &RenderInput) -> anyhow::Result<Style> {
    let name = match spec {
        Some(s) => s,
        None if input.ibid_count() > 0 => "chicago",
        None => "chicago-18",
    };
    Ok(render::style::resolve(name)?)
}

/// Runs `ibid format`.
pub fn run(args: FormatArgs) -> anyhow::Result<Outcome> {
    crate::cli::set_current_file(Some(&args.file));
    // An unknown style name fails before the manuscript is read.
    let named = args
        .style
        .as_deref()
        .map(render::style::resolve)
        .transpose()?;
    let user = args.library.load()?;
    let loaded = load(&args.file, args.input_format, user.as_ref())?;
    let style = match named {
        Some(style) => style,
        None => choose_style(None, &loaded.input)?,
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
pub fn write(
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
