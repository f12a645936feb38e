//! Where one run's time went (read, parse, resolve, render, diff), summed over every file and
//! every re-check of the fixes `check` tries. The counters are process-wide and always kept (two
//! clock reads per stage and file); `ibid ... --timings` prints them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::grammar;
use crate::grammar::ParsedNote;
use crate::manuscript::{Manuscript, Note};
use crate::resolve::{self, Analysis};

/// A stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and decoding a manuscript into notes.
    Read,
    /// The grammar: each note's text into citations.
    Parse,
    /// Linking Ibid and short forms into one library.
    Resolve,
    /// Rendering the notes in the style (hayagriva and the corrections).
    Render,
    /// Comparing each citation with its rendering, and the findings' fixes.
    Diff,
    /// Re-checking rewritten texts (what `check` does to offer only fixes that settle); the
    /// stages it runs are counted in their own lines too.
    Settle,
}

const STAGES: [(Stage, &str); 6] = [
    (Stage::Read, "read"),
    (Stage::Parse, "parse"),
    (Stage::Resolve, "resolve"),
    (Stage::Render, "render"),
    (Stage::Diff, "diff"),
    (Stage::Settle, "settle (re-checks)"),
];

static NANOS: [AtomicU64; 6] = [const { AtomicU64::new(0) }; 6];
static CALLS: [AtomicU64; 6] = [const { AtomicU64::new(0) }; 6];
static NOTES: AtomicU64 = AtomicU64::new(0);

fn index(stage: Stage) -> usize {
    STAGES.iter().position(|(s, _)| *s == stage).unwrap_or(0)
}

/// Runs `f`, adding its time to `stage`.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let i = index(stage);
    NANOS[i].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    CALLS[i].fetch_add(1, Ordering::Relaxed);
    out
}

/// Counts the notes of a manuscript read for the first time (not the re-checks).
pub fn count_notes(n: usize) {
    NOTES.fetch_add(n as u64, Ordering::Relaxed);
}

/// [`resolve::analyse`] with the parse and the resolve timed apart.
pub fn analyse(manuscript: Manuscript) -> Analysis {
    let notes = time(Stage::Parse, || grammar::parse_notes(&manuscript.notes));
    time(Stage::Resolve, || resolve::resolve(manuscript, notes))
}

/// [`analyse`] of a manuscript rewritten from another (a re-check of trial fixes): a note whose
/// text and italics are those of the same note in one of the `known` readings (notes and what
/// the grammar read in them: the manuscript as first read, the last trial) is not read again,
/// its reading is that one, without the works the resolver gave it (the grammar reads a note
/// from these alone); the others are parsed.
pub fn analyse_again(manuscript: Manuscript, known: &[(&[Note], &[ParsedNote])]) -> Analysis {
    use rayon::prelude::*;
    let notes = time(Stage::Parse, || {
        let one = |(i, n): (usize, &Note)| {
            let read = known.iter().find_map(|(notes, parsed)| {
                let was = notes.get(i)?;
                (was.text == n.text && was.emphasis == n.emphasis).then_some(parsed.get(i)?)
            });
            match read {
                Some(read) => {
                    let mut read = read.clone();
                    for cite in &mut read.cites {
                        cite.work = None;
                    }
                    read
                }
                None => grammar::parse_note(&n.text, &n.emphasis),
            }
        };
        if manuscript.notes.len() < grammar::PARALLEL_FROM {
            manuscript.notes.iter().enumerate().map(one).collect()
        } else {
            manuscript.notes.par_iter().enumerate().map(one).collect()
        }
    });
    time(Stage::Resolve, || resolve::resolve(manuscript, notes))
}

/// Each stage with its name, its summed time and how many times it ran, in pipeline order.
pub fn stages() -> Vec<(Stage, &'static str, Duration, u64)> {
    STAGES
        .iter()
        .map(|&(stage, name)| {
            let i = index(stage);
            let d = Duration::from_nanos(NANOS[i].load(Ordering::Relaxed));
            (stage, name, d, CALLS[i].load(Ordering::Relaxed))
        })
        .collect()
}

/// The notes of the manuscripts read for the first time so far.
pub fn notes() -> u64 {
    NOTES.load(Ordering::Relaxed)
}
