//! Writes generated Markdown manuscripts for the batch load test:
//!
//! ```text
//! cargo run --release --example gen-manuscripts -- OUT_DIR [COUNT=1000] [NOTES=60]
//! ```
//!
//! Each manuscript cites 25 works drawn from 2,000 (the seed's and the AnyStyle corpus's works,
//! varied; see `scripts/synth.rs`) in NOTES notes, rendered in Chicago 17 by ibid (short notes with
//! the CMOS short title ibid gives a work of a manuscript it reads), then about one
//! note in six is spoiled the way people type (`Ibid` without its period, a hyphen for a range
//! dash) so that `check` has something to find.
//!
//! ```text
//! cargo run --release --example gen-manuscripts -- --scale OUT_DIR NOTES
//! ```
//!
//! writes instead the scale test's manuscripts (see `benches/check_scale.rs`): `scale-NOTES.txt`
//! and `scale-NOTES.md` (NOTES notes over NOTES / 20 works), `ibid-chain-NOTES.md` (one work
//! cited NOTES times in a row) and `reused-NOTES.md` (one marker used NOTES times).

#[path = "synth.rs"]
mod synth;

use std::path::PathBuf;

use ibid::render::{self, RenderInput, Style};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--scale") {
        return scale(&args[1..]);
    }
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: gen-manuscripts OUT_DIR [COUNT] [NOTES]");
        std::process::exit(2);
    };
    let count: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let per: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    std::fs::create_dir_all(&out).expect("create the output directory");
    let pool = synth::pool();
    let all = synth::works(&pool, 2000);
    let style = Style::builtin("chicago").expect("the chicago style is embedded");
    let mut total = 0;
    let mut spoiled = String::new();
    for m in 0..count {
        let mut rng = synth::Rng::new(m as u64 + 1);
        let mut works = Vec::new();
        while works.len() < 25 {
            let w = &all[rng.below(all.len())];
            if !works.iter().any(|x: &ibid::Work| x.id == w.id) {
                works.push(w.clone());
            }
        }
        let notes = synth::notes(&works, per, m as u64);
        // short notes as ibid renders the works of a manuscript it reads: the CMOS short title
        // (render::input::main_title) where the work has none of its own
        for w in &mut works {
            if w.title_short.is_none() {
                w.title_short = w.title.as_deref().and_then(render::input::main_title);
            }
        }
        let input = RenderInput { works, notes };
        let rendered = render::render(&input, &style).expect("render");
        let mut spoilt = Vec::new();
        let texts: Vec<String> = rendered
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let written = n.text.to_markdown();
                let t = match rng.below(12) {
                    0 => written.replacen("Ibid.", "Ibid", 1),
                    1 => written.replacen('–', "-", 1),
                    _ => written.clone(),
                };
                if t != written {
                    spoilt.push((i + 1).to_string());
                }
                t
            })
            .collect();
        spoiled.push_str(&format!("ms-{m:04}.md\t{}\n", spoilt.join(",")));
        total += texts.len();
        synth::write_markdown(
            &out.join(format!("ms-{m:04}.md")),
            &format!("Generated manuscript {m}"),
            &texts,
        )
        .expect("write a manuscript");
    }
    std::fs::write(out.join("spoiled.tsv"), spoiled).expect("write spoiled.tsv");
    eprintln!("{count} manuscripts, {total} notes, in {}", out.display());
}

/// `--scale OUT_DIR NOTES`: the scale test's manuscripts.
fn scale(args: &[String]) {
    use synth::Shape;
    let (Some(out), Some(n)) = (
        args.first().map(PathBuf::from),
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen-manuscripts --scale OUT_DIR NOTES");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&out).expect("create the output directory");
    let pool = synth::pool();
    let write = |name: String, text: String| {
        std::fs::write(out.join(&name), text).expect("write a manuscript");
        eprintln!("{}", out.join(name).display());
    };
    for shape in [Shape::Text, Shape::Markdown] {
        let notes = synth::note_texts(&pool, (n / 20).max(5), n, shape);
        write(
            format!("scale-{n}.{}", shape.ext()),
            synth::manuscript_text(shape, "Generated", &notes),
        );
    }
    let chain = synth::ibid_chain_texts(&pool, n, Shape::Markdown);
    write(
        format!("ibid-chain-{n}.md"),
        synth::manuscript_text(Shape::Markdown, "Chain", &chain),
    );
    write(
        format!("reused-{n}.md"),
        synth::reused_marker_text(&pool, n, Shape::Markdown),
    );
}
