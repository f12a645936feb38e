//! `ibid fix` killed at any moment leaves the manuscript either as it was or as fixed, never a
//! mix: the new text is written to a temporary file beside it and renamed over it. A kill between
//! the two can leave that temporary file behind; it is always named `.ibid-*.tmp` (documented in
//! the README), and nothing else is ever left.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seed() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/essay-internet-governance.txt"),
    )
    .unwrap()
}

/// The seed essay with a long body (several megabytes of prose before its notes), so that
/// reading, checking and writing take long enough to be interrupted at many points.
fn large_manuscript() -> String {
    let text = seed();
    let at = text.find("\n\n").expect("the seed has paragraphs");
    let mut out = String::with_capacity(text.len() + (3 << 20));
    out.push_str(&text[..at]);
    let para = "\n\nA paragraph of argument that cites nothing and only makes the file long, \
                so that writing it takes a while.";
    while out.len() < 3 << 20 {
        out.push_str(para);
    }
    out.push_str(&text[at..]);
    out
}

fn fix(dir: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_ibid"))
        .current_dir(dir)
        .args(["fix", "essay.txt"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A small deterministic generator, so that a failing delay can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn fix_killed_at_random_moments_leaves_old_or_new_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    let original = large_manuscript();

    // one complete run: the fixed text, and how long a run takes
    std::fs::write(&path, &original).unwrap();
    let start = Instant::now();
    let status = fix(dir.path()).wait().unwrap();
    let full = start.elapsed();
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_ne!(fixed, original, "the seed has something to fix");
    let names = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(dir.path()), vec!["essay.txt"]);

    // kill it at moments spread over a whole run, the last tenth (the write) sampled most
    let mut rng = Rng(0x1b1d);
    let span = full.as_micros() as u64;
    let (mut old, mut new, mut leftovers) = (0, 0, 0);
    let rounds = 24;
    for round in 0..rounds {
        std::fs::write(&path, &original).unwrap();
        let delay = if round % 2 == 0 {
            rng.below(span)
        } else {
            span * 9 / 10 + rng.below(span / 5)
        };
        let mut child = fix(dir.path());
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL; it may have finished already
        child.wait().unwrap();
        let now = std::fs::read_to_string(&path).unwrap();
        if now == original {
            old += 1;
        } else if now == fixed {
            new += 1;
        } else {
            panic!("round {round} (killed after {delay} µs): the file is neither old nor new");
        }
        for name in names(dir.path()) {
            if name == "essay.txt" {
                continue;
            }
            assert!(
                name.starts_with(".ibid-") && name.ends_with(".tmp"),
                "round {round}: unexpected file {name}"
            );
            leftovers += 1;
            std::fs::remove_file(dir.path().join(name)).unwrap();
        }
    }
    eprintln!(
        "full run {full:?}; {rounds} kills: {old} old, {new} new, {leftovers} temporary files left"
    );
    assert_eq!(old + new, rounds);
    assert!(old > 0, "some kills came before the rename");
}
