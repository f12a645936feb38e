//! `--timings`: where one run's time went (read, parse, resolve, render, diff), summed over every
//! file and every re-check of the fixes `check` tries. The counters are process-wide and always
//! kept (two clock reads per stage and file); they are printed only when asked.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::grammar;
use crate::manuscript::Manuscript;
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

fn ms(d: Duration) -> String {
    format!("{:9.2} ms", d.as_secs_f64() * 1000.0)
}

/// Prints the table to `w`: each stage's total, its share of the wall time, how many times it
/// ran; then the wall time of the whole run since `start` (process start excluded), and what the
/// render cache did when there was one.
pub fn print(
    w: &mut impl Write,
    start: Instant,
    files: usize,
    cache: Option<crate::render::RenderStats>,
) -> std::io::Result<()> {
    let wall = start.elapsed();
    let notes = NOTES.load(Ordering::Relaxed);
    writeln!(
        w,
        "timings: {files} file(s), {notes} note(s), {} thread(s)",
        rayon::current_num_threads()
    )?;
    for (stage, name) in STAGES {
        let i = index(stage);
        let d = Duration::from_nanos(NANOS[i].load(Ordering::Relaxed));
        let share = 100.0 * d.as_secs_f64() / wall.as_secs_f64().max(1e-9);
        writeln!(
            w,
            "  {name:<19}{}  {share:5.1} %  {:>6} call(s)",
            ms(d),
            CALLS[i].load(Ordering::Relaxed)
        )?;
    }
    writeln!(
        w,
        "  {:<19}{}  (summed over threads above)",
        "wall",
        ms(wall)
    )?;
    if notes > 0 {
        writeln!(
            w,
            "  {:<19}{:9.0} notes/s",
            "throughput",
            notes as f64 / wall.as_secs_f64().max(1e-9)
        )?;
    }
    if let Some(c) = cache {
        writeln!(
            w,
            "  {:<19}{} citation(s) rendered, {} reused, {} document(s) rendered whole",
            "render cache", c.rendered, c.reused, c.whole_documents
        )?;
    }
    Ok(())
}
