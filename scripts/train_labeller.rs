//! Trains the learned field labeller (#14) and writes the model the library embeds.
//!
//! ```sh
//! cargo run --release --example train-labeller [-- --data DIR --c1 X --c2 X --iterations N]
//! ```
//!
//! Reads the labelled AnyStyle references (`../shared/corpus/anystyle/{core,gold}.jsonl`), keeps
//! the training part of the fixed split (`labeller_data.rs`), compiles the word lists from its
//! labelled spans, and trains a linear-chain CRF with L-BFGS (deterministic: fixed order, no random
//! seed). Writes `models/labeller.crfsuite` and `models/labeller-lexicon.tsv`, then prints the
//! token accuracy of the new model on the dev part. Rebuild afterwards to ship the new model.

#[path = "labeller_data.rs"]
mod labeller_data;

use std::path::{Path, PathBuf};
use std::time::Instant;

use ibid::grammar::label::{features, Lexicon};
use labeller_data::{load, part, token_labels, Part};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = labeller_data::default_dir();
    let (mut c1, mut c2, mut iterations) = (0.05f64, 0.01f64, 150usize);
    let mut out = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--data" => dir = PathBuf::from(val()?),
            "--out" => out = PathBuf::from(val()?),
            "--c1" => c1 = val()?.parse()?,
            "--c2" => c2 = val()?.parse()?,
            "--iterations" => iterations = val()?.parse()?,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let refs = load(&dir)?;
    let train: Vec<_> = refs
        .iter()
        .filter(|r| part(&r.text) == Part::Train)
        .collect();
    let dev: Vec<_> = refs.iter().filter(|r| part(&r.text) == Part::Dev).collect();
    let lex = Lexicon::compile(
        train
            .iter()
            .flat_map(|r| r.segments.iter().map(|(t, s)| (t.as_str(), s.as_str()))),
    );
    eprintln!(
        "{} references: {} train, {} dev; {} words in the lists",
        refs.len(),
        train.len(),
        dev.len(),
        lex.len()
    );
    let started = Instant::now();
    let mut trainer = crfs::Trainer::lbfgs();
    for r in &train {
        let Some((tokens, labels)) = token_labels(r) else {
            continue;
        };
        trainer.append(&features(&r.text, &tokens, &[], &lex), &labels)?;
    }
    trainer.params_mut().set_c1(c1)?;
    trainer.params_mut().set_c2(c2)?;
    trainer.params_mut().set_max_iterations(iterations)?;
    std::fs::create_dir_all(&out)?;
    let model_path = out.join("labeller.crfsuite");
    trainer.train(&model_path)?;
    std::fs::write(out.join("labeller-lexicon.tsv"), lex.to_tsv())?;
    let secs = started.elapsed().as_secs_f64();
    let bytes = std::fs::read(&model_path)?;
    eprintln!(
        "trained in {secs:.1} s (c1 {c1}, c2 {c2}, {iterations} iterations): {} ({} bytes)",
        model_path.display(),
        bytes.len()
    );
    // token accuracy on dev
    let model = crfs::Model::new(&bytes)?;
    let tagger = model.tagger()?;
    let (mut right, mut all) = (0usize, 0usize);
    for r in &dev {
        let Some((tokens, labels)) = token_labels(r) else {
            continue;
        };
        let got = tagger.tag(&features(&r.text, &tokens, &[], &lex))?;
        right += got.iter().zip(&labels).filter(|(g, l)| *g == *l).count();
        all += labels.len();
    }
    eprintln!(
        "dev token accuracy: {:.4} ({right}/{all})",
        right as f64 / all.max(1) as f64
    );
    Ok(())
}
