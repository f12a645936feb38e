//! The seed essay through `ibid extract --format json`, scored against its hand-checked gold with
//! the shared scorer: the grammar's kinds, locators and signals, and (with the resolver) the works'
//! fields must stay above their bounds.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn seed_essay_scores_above_bounds() {
    let shared = root().join("../shared");
    let gold = shared.join("fixtures/essay-internet-governance.gold.json");
    let scorer = shared.join("tools/score.py");
    if !gold.exists() || !scorer.exists() {
        eprintln!("shared fixtures not found; skipping");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(["extract", "--format", "json"])
        .arg(root().join("fixtures/essay-internet-governance.txt"))
        .output()
        .expect("run ibid");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "ibid extract failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let pred = dir.path().join("pred.json");
    std::fs::write(&pred, &out.stdout).expect("write prediction");
    let score = Command::new("python3")
        .arg(&scorer)
        .arg(&gold)
        .arg(&pred)
        .args([
            "--min",
            "citation_kind=0.98",
            "--min",
            "citation_locator=0.98",
            "--min",
            "citation_signal=0.98",
            "--min",
            "field_f1=0.95",
            "--min",
            "work_f1=0.98",
        ])
        .output()
        .expect("run python3 score.py");
    let report = String::from_utf8_lossy(&score.stdout);
    assert!(score.status.success(), "score.py failed:\n{report}");
    assert!(report.contains("score: citation_kind="), "{report}");
}
