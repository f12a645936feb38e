//! Field F1 of the hand grammar, the learned labeller and `parse_reference_learned` (their combination,
//! with the shipped model)
//! on one part of the labeller's split, scored by `../shared/tools/score_refs.py`.
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
    grammar_reference, label_reference, parse_reference_learned, reference_from_segments,
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

    let t = Instant::now();
    let grammar: Vec<_> = texts.iter().map(|t| grammar_reference(t)).collect();
    let grammar_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let combined: Vec<_> = texts.iter().map(|t| parse_reference_learned(t)).collect();
    let combined_s = t.elapsed().as_secs_f64();
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
    for (name, works) in [
        ("grammar", &grammar),
        ("labeller", &labelled),
        ("combined", &combined),
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
        "speed: grammar {:.0} refs/s, labeller {:.0} refs/s, combined (parse_reference_learned) {:.0} refs/s",
        n / grammar_s,
        n / label_s,
        n / combined_s
    );
    Ok(())
}
