//! Field F1 of the hand grammar alone (`grammar_reference`), the learned labeller alone
//! (`label_reference`), the labeller always put over the grammar (`parse_reference_learned`) and
//! only where the grammar's reading is doubtful (`parse_reference`, the default), on one part of
//! the labeller's split, scored by `../shared/tools/score_refs.py`; and the speed of each (the
//! best of five runs over the part, on one thread).
//!
//! ```sh
//! cargo run --release --example eval-labeller -- dev [--model DIR] [--keep DIR]
//! ```
//!
//! `--model DIR` tags with `DIR/labeller.crfsuite` and `DIR/labeller-lexicon.tsv` instead of the
//! shipped model (to compare trainings without rebuilding); `--keep DIR` keeps the gold and
//! prediction files there. Also prints the tagging speed of the labeller and of the grammar.

#[path = "labeller_data.rs"]
mod labeller_data;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ibid::grammar::label::{self, features, segments, tokenize, Lexicon};
use ibid::grammar::{
    grammar_reference, label_reference, parse_reference, parse_reference_learned,
    reference_from_segments,
};
use labeller_data::{load, part, Part};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let which = args
        .next()
        .and_then(|s| Part::parse(&s))
        .ok_or("usage: eval-labeller dev|test [--model DIR] [--keep DIR]")?;
    let (mut model_dir, mut keep) = (None::<PathBuf>, None::<PathBuf>);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model_dir = args.next().map(PathBuf::from),
            "--keep" => keep = args.next().map(PathBuf::from),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let refs: Vec<_> = load(&labeller_data::default_dir())?
        .into_iter()
        .filter(|r| part(&r.text) == which)
        .collect();
    let tmp = tempfile::tempdir()?;
    let dir = keep.clone().unwrap_or_else(|| tmp.path().to_owned());
    std::fs::create_dir_all(&dir)?;
    let texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    let gold: String = refs.iter().map(|r| format!("{}\n", r.line)).collect();
    std::fs::write(dir.join("gold.jsonl"), gold)?;

    // each reader over the whole part, five times; the best time counts
    let timed = |read: &dyn Fn(&str) -> ibid::model::Work| {
        let mut best = f64::MAX;
        let mut out = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            out = texts.iter().map(|t| read(t)).collect::<Vec<_>>();
            best = best.min(t.elapsed().as_secs_f64());
        }
        (out, best)
    };
    let (grammar, grammar_s) = timed(&grammar_reference);
    let (combined, combined_s) = timed(&parse_reference_learned);
    let (gated, gated_s) = timed(&parse_reference);
    let asked = grammar
        .iter()
        .zip(&gated)
        .filter(|(g, d)| serde_json::to_string(g).ok() != serde_json::to_string(d).ok())
        .count();
    let t = Instant::now();
    let labelled: Vec<_> = match &model_dir {
        None => texts.iter().map(|t| label_reference(t)).collect(),
        Some(m) => {
            let bytes = std::fs::read(m.join("labeller.crfsuite"))?;
            let lex = Lexicon::parse(&std::fs::read_to_string(m.join("labeller-lexicon.tsv"))?);
            let model = crfs::Model::new(&bytes)?;
            let tagger = model.tagger()?;
            let mut out = Vec::new();
            for t in &texts {
                let toks = tokenize(t);
                let got = tagger.tag(&features(t, &toks, &[], &lex))?;
                let labels: Vec<&'static str> = got.into_iter().map(label::model_label).collect();
                out.push(reference_from_segments(t, &segments(&toks, &labels)));
            }
            out
        }
    };
    let label_s = t.elapsed().as_secs_f64();
    // the labels alone, by the own tagger (what `label::label` runs) and by `crfs`'s (the string
    // features and its tagger), which must agree
    let model = crfs::Model::new(label::shipped_model_bytes())?;
    let tagger = model.tagger()?;
    let lex = label::shipped_lexicon();
    let t = Instant::now();
    let own: Vec<Vec<label::Segment>> = texts.iter().map(|t| label::label(t, &[])).collect();
    let own_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut by_crfs = Vec::with_capacity(texts.len());
    for t in &texts {
        let toks = tokenize(t);
        let got = tagger.tag(&features(t, &toks, &[], &lex))?;
        let labels: Vec<&'static str> = got.into_iter().map(label::model_label).collect();
        by_crfs.push(segments(&toks, &labels));
    }
    let crfs_s = t.elapsed().as_secs_f64();
    let differ = own.iter().zip(&by_crfs).filter(|(a, b)| a != b).count();
    let write = |name: &str, works: &[ibid::model::Work]| -> std::io::Result<PathBuf> {
        let p = dir.join(name);
        let body: String = works
            .iter()
            .map(|w| serde_json::to_string(w).unwrap_or_else(|_| "{}".into()) + "\n")
            .collect();
        std::fs::write(&p, body)?;
        Ok(p)
    };
    let scorer = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/score_refs.py");
    println!("{} references ({which:?})", refs.len());
    // wider gates, for comparison: the labeller also where the grammar found no date (`date`),
    // and also where it found no names or fell back on CSL's generic type (`wide`); where the
    // default gate fired, its reading is the labeller's (`gated` differs from `grammar`)
    let widen = |ask: &dyn Fn(&ibid::model::Work) -> bool| -> (Vec<ibid::model::Work>, usize) {
        let mut n = 0;
        let out = (0..texts.len())
            .map(|i| {
                let fired = serde_json::to_string(&gated[i]).ok()
                    != serde_json::to_string(&grammar[i]).ok();
                if fired || ask(&grammar[i]) {
                    n += 1;
                    combined[i].clone()
                } else {
                    grammar[i].clone()
                }
            })
            .collect();
        (out, n)
    };
    let (date_gate, date_n) = widen(&|w| w.issued.is_none());
    let (wide_gate, wide_n) = widen(&|w| {
        w.issued.is_none()
            || (w.author.is_empty() && w.editor.is_empty())
            || w.kind == ibid::model::WorkType::Document
    });
    for (name, works) in [
        ("grammar", &grammar),
        ("labeller", &labelled),
        ("always", &combined),
        ("gated", &gated),
        ("g+date", &date_gate),
        ("g+wide", &wide_gate),
    ] {
        let p = write(&format!("{name}.jsonl"), works)?;
        let out = Command::new("python3")
            .arg(&scorer)
            .arg(dir.join("gold.jsonl"))
            .arg(&p)
            .output()?;
        let report = String::from_utf8_lossy(&out.stdout);
        let line: Vec<String> = report
            .lines()
            .filter(|l| l.starts_with("f1_") || l.starts_with("field_"))
            .map(|l| l.replace(": ", "="))
            .collect();
        println!("{name:9} {}", line.join(" "));
    }
    let n = refs.len() as f64;
    println!(
        "speed: grammar {:.0} refs/s, labeller {:.0} refs/s, always (parse_reference_learned) {:.0} refs/s, gated (parse_reference) {:.0} refs/s ({:.2} of the grammar's)",
        n / grammar_s,
        n / label_s,
        n / combined_s,
        n / gated_s,
        grammar_s / gated_s
    );
    println!(
        "gated: the labeller changed the reading of {asked} of {} references ({:.1}%); g+date asks it for {:.1}%, g+wide for {:.1}% (at most)",
        texts.len(),
        100.0 * asked as f64 / n,
        100.0 * date_n as f64 / n,
        100.0 * wide_n as f64 / n
    );
    println!(
        "tagging alone: own tagger {:.0} refs/s, crfs {:.0} refs/s; {differ} of {} references labelled differently",
        n / own_s,
        n / crfs_s,
        texts.len()
    );
    Ok(())
}
