//! The pipeline before and after rendering: the seed essay read, parsed and resolved; `ibid
//! parse` over the 3,183 AnyStyle reference strings; parse + resolve throughput on a generated
//! manuscript of 10,000 notes; `check` of the seed end to end, in process and as a spawned binary
//! (process start included).

#[path = "../scripts/synth.rs"]
mod synth;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ibid::manuscript;
use ibid::render::{self, Style};
use ibid::resolve;

fn bench(c: &mut Criterion) {
    let seed = synth::seed_manuscript();
    let mut g = c.benchmark_group("seed");
    g.bench_function("read", |b| {
        b.iter(|| manuscript::read(black_box(&seed), None).unwrap())
    });
    let ms = manuscript::read(&seed, None).unwrap();
    g.throughput(Throughput::Elements(ms.notes.len() as u64));
    g.bench_function("parse+resolve", |b| {
        b.iter(|| resolve::analyse(black_box(ms.clone())))
    });
    g.bench_function("read+parse+resolve", |b| {
        b.iter(|| resolve::analyse(manuscript::read(black_box(&seed), None).unwrap()))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("check-in-process", |b| {
        b.iter(|| ibid::session::check_path(black_box(&seed), None).unwrap())
    });
    g.sample_size(20);
    g.bench_function("check-spawned-binary", |b| {
        b.iter(|| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_ibid"))
                .arg("check")
                .arg(&seed)
                .output()
                .unwrap();
            assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
        })
    });
    g.finish();

    let strings = synth::anystyle_strings();
    let mut g = c.benchmark_group("anystyle");
    g.throughput(Throughput::Elements(strings.len() as u64));
    g.bench_function("parse-3183-references", |b| {
        b.iter(|| {
            for s in &strings {
                black_box(ibid::grammar::parse_reference(s));
            }
        })
    });
    g.finish();

    // A generated manuscript: 10,000 notes over 500 works, rendered in Chicago, as Markdown.
    let pool = synth::pool();
    let input = synth::input(&pool, 500, 10_000);
    let rendered = render::render(&input, &Style::builtin("chicago").unwrap()).unwrap();
    let texts: Vec<String> = rendered
        .notes
        .iter()
        .map(|n| n.text.to_markdown())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.md");
    synth::write_markdown(&path, "Generated", &texts).unwrap();
    let big = manuscript::read(&path, None).unwrap();
    assert_eq!(big.notes.len(), 10_000);
    let mut g = c.benchmark_group("generated-10k-notes");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(big.notes.len() as u64));
    g.bench_function("read", |b| {
        b.iter(|| manuscript::read(black_box(&path), None).unwrap())
    });
    g.bench_function("parse+resolve", |b| {
        b.iter(|| resolve::analyse(black_box(big.clone())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
