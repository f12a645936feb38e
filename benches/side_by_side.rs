//! ibid against hayagriva and pandoc, measured side by side in one run (#17), so that a loaded
//! machine slows all three alike and the ratios hold:
//!
//! * parse — `ibid::grammar::parse_reference` over the AnyStyle `core.jsonl` reference strings
//!   (`ibid parse`'s work, in process), against hayagriva rendering as many items (the works
//!   ibid read from them, one citation each, Chicago 17, one driver) and pandoc reading a Markdown
//!   document with the same strings as footnotes (`pandoc -f markdown -t plain`, spawned; the
//!   `ibid parse` binary on the same strings, spawned, beside it);
//! * the seed — `ibid check` of the seed essay, in process (`session::check_path`) and spawned,
//!   against hayagriva alone rendering the seed's notes (its gold extract, one driver, no
//!   correction) and pandoc rendering the same notes with citeproc from a Markdown document with
//!   `[@key, p. 4]` citations and the works as CSL-JSON (Chicago 17 with Ibid., spawned).
//!
//! `cargo bench --bench side_by_side` (pandoc must be on the PATH; its rows are left out if not).

#[path = "../scripts/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ibid::model::CiteRecord;
use ibid::render::{self, NoteSeq, RenderInput, Style};

/// The median wall time of `reps` runs of `f`.
fn median<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The median wall time of `reps` runs of a command (its output thrown away); `None` when it
/// cannot be run or fails.
fn spawned(reps: usize, program: &str, args: &[&str]) -> Option<Duration> {
    let run = || {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
            .filter(|s| s.code().is_some_and(|c| c < 2))
    };
    run()?;
    Some(median(reps, || run().expect("ran before")))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let style = Style::builtin("chicago").expect("embedded style");
    let ibid_bin = env!("CARGO_BIN_EXE_ibid");

    // --- parse: the core.jsonl strings
    let path = synth::shared().join("corpus/anystyle/core.jsonl");
    let text = std::fs::read_to_string(&path).expect("core.jsonl");
    let strings: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(|t| t.replace('\n', " ")))
        .collect();
    let n = strings.len();
    let parse = median(7, || {
        for s in &strings {
            black_box(ibid::grammar::parse_reference(s));
        }
    });
    let works: Vec<ibid::Work> = strings
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut w = ibid::grammar::parse_reference(s);
            w.id = format!("r{i}");
            w
        })
        .collect();
    let notes = works
        .iter()
        .enumerate()
        .map(|(i, w)| NoteSeq {
            id: (i + 1).to_string(),
            number: i + 1,
            citations: vec![CiteRecord {
                work: Some(w.id.clone()),
                kind: "full".into(),
                ..CiteRecord::default()
            }],
            commentary: false,
            text: None,
        })
        .collect();
    let input = RenderInput { works, notes };
    render::render_uncorrected(&input, &style);
    let hayagriva = median(3, || render::render_uncorrected(&input, &style));
    let refs = dir.path().join("refs.txt");
    std::fs::write(&refs, strings.join("\n") + "\n").expect("write");
    let refs_md = dir.path().join("refs.md");
    std::fs::write(
        &refs_md,
        synth::manuscript_text(synth::Shape::Markdown, "Refs", &strings),
    )
    .expect("write");
    let refs_arg = refs.to_str().expect("UTF-8");
    let ibid_parse = spawned(5, ibid_bin, &["parse", refs_arg]);
    let pandoc_md = spawned(
        5,
        "pandoc",
        &[
            "-f",
            "markdown",
            "-t",
            "plain",
            refs_md.to_str().expect("UTF-8"),
        ],
    );
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!("{n} reference strings (AnyStyle core.jsonl), medians, one run:");
    println!();
    println!("| what | ms | strings / s | ibid parse (in process) is ×faster |");
    println!("|---|---:|---:|---:|");
    let row = |what: &str, d: Duration| {
        println!(
            "| {what} | {:.1} | {:.0} | {:.2}× |",
            ms(d),
            rate(d),
            d.as_secs_f64() / parse.as_secs_f64()
        )
    };
    row("ibid parse, in process", parse);
    row("hayagriva renders as many items (one driver)", hayagriva);
    if let Some(d) = ibid_parse {
        row("`ibid parse FILE`, spawned (JSON lines out)", d);
    }
    if let Some(d) = pandoc_md {
        row(
            "`pandoc -f markdown -t plain`, same strings as footnotes",
            d,
        );
    }

    // --- the seed
    let seed = synth::seed_manuscript();
    let extract = synth::seed_extract();
    let seed_input = RenderInput::from_extract(&extract);
    ibid::session::check_path(&seed, None).expect("check");
    let check = median(21, || {
        ibid::session::check_path(&seed, None).expect("check")
    });
    let seed_arg = seed.to_str().expect("UTF-8");
    let check_bin = spawned(11, ibid_bin, &["check", seed_arg]);
    let hay_seed = median(21, || render::render_uncorrected(&seed_input, &style));
    let pandoc_seed = pandoc_citeproc(dir.path(), &extract, &seed_input);
    println!();
    println!(
        "The seed essay ({} notes, {} works), medians, one run:",
        seed_input.notes.len(),
        seed_input.works.len()
    );
    println!();
    println!("| what | ms | ratio to ibid check (in process) |");
    println!("|---|---:|---:|");
    let row = |what: &str, d: Duration| {
        println!(
            "| {what} | {:.1} | {:.2}× |",
            ms(d),
            d.as_secs_f64() / check.as_secs_f64()
        )
    };
    row("ibid check, in process (`session::check_path`)", check);
    if let Some(d) = check_bin {
        row("`ibid check FILE`, spawned", d);
    }
    row("hayagriva alone renders the seed's notes", hay_seed);
    if let Some(d) = pandoc_seed {
        row("`pandoc --citeproc` renders the seed's notes, spawned", d);
    }
}

/// pandoc rendering the seed's notes: a Markdown document citing the works by key, the works as
/// CSL-JSON, Chicago 17 with Ibid.
fn pandoc_citeproc(
    dir: &Path,
    extract: &ibid::output::Extract,
    input: &RenderInput,
) -> Option<Duration> {
    let bib = dir.join("seed.json");
    std::fs::write(&bib, serde_json::to_string(&extract.works).ok()?).ok()?;
    let notes: Vec<String> = input
        .notes
        .iter()
        .map(|n| {
            let cites: Vec<String> = n
                .citations
                .iter()
                .filter_map(|c| {
                    let key = c.work.as_deref()?;
                    Some(match c.locator.as_deref() {
                        Some(l) => format!("@{key}, p. {l}"),
                        None => format!("@{key}"),
                    })
                })
                .collect();
            if cites.is_empty() {
                n.text.clone().unwrap_or_else(|| "A remark.".into())
            } else {
                format!("[{}].", cites.join("; "))
            }
        })
        .collect();
    let md = dir.join("seed.md");
    std::fs::write(
        &md,
        synth::manuscript_text(synth::Shape::Markdown, "Seed", &notes),
    )
    .ok()?;
    let csl =
        synth::shared().join("styles/chicago-notes-bibliography-subsequent-ibid-17th-edition.csl");
    let args = [
        "--citeproc",
        "--bibliography",
        bib.to_str()?,
        "--csl",
        csl.to_str()?,
        "-f",
        "markdown",
        "-t",
        "plain",
        md.to_str()?,
    ];
    spawned(11, "pandoc", &args)
}
