//! `--timings`: the table of where one run's time went, from the counters of
//! [`crate::session::timings`], printed on standard error when asked.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::session::timings;

fn ms(d: Duration) -> String {
    format!("{:9.2} ms", d.as_secs_f64() * 1000.0)
}

/// Prints the table to `w`: each stage's total, its share of the wall time, how many times it
/// ran; then the wall time of the whole run since `start` (process start excluded), and what the
/// render cache did when there was one.
pub(crate) fn print(
    w: &mut impl Write,
    start: Instant,
    files: usize,
    cache: Option<crate::render::RenderStats>,
) -> std::io::Result<()> {
    let wall = start.elapsed();
    let notes = timings::notes();
    writeln!(
        w,
        "timings: {files} file(s), {notes} note(s), {} thread(s)",
        rayon::current_num_threads()
    )?;
    for (_, name, d, calls) in timings::stages() {
        let share = 100.0 * d.as_secs_f64() / wall.as_secs_f64().max(1e-9);
        writeln!(
            w,
            "  {name:<19}{}  {share:5.1} %  {calls:>6} call(s)",
            ms(d)
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
