//! Throughput of the note grammar (run with `cargo test --release --test grammar_speed -- --ignored
//! --nocapture`): the seed essay's and the Programming Historian's notes, parsed over and over.

use std::time::Instant;

#[test]
#[ignore = "measures speed; run in release mode"]
fn notes_per_second() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ms = ibid::manuscript::read(&root.join("fixtures/essay-internet-governance.txt"), None)
        .expect("seed");
    let notes: Vec<String> = ms.notes.iter().map(|n| n.text.clone()).collect();
    let rounds = 2000;
    let start = Instant::now();
    let mut cites = 0;
    for _ in 0..rounds {
        for n in &notes {
            cites += ibid::grammar::parse_note(n, &[]).cites.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = (rounds * notes.len()) as f64 / secs;
    eprintln!("{rate:.0} notes/s ({cites} citations)");
    assert!(rate > 1000.0);
}
