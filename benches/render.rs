//! Rendering through ibid (hayagriva plus the corrections) against hayagriva alone on the same
//! data: the seed essay's gold notes, and 10,000 notes over 500 works generated from its works.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ibid::library::{Name, Work};
use ibid::output::Extract;
use ibid::render::{self, CiteRef, NoteSeq, RenderInput, Style};

fn seed() -> RenderInput {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/essay-internet-governance.gold.json");
    let extract: Extract = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    RenderInput::from_extract(&extract)
}

const WORDS: &[&str] = &[
    "Networks",
    "Borders",
    "Sovereignty",
    "Platforms",
    "Standards",
    "Markets",
    "Regimes",
    "Publics",
    "Protocols",
    "Rights",
    "Archives",
    "Cities",
    "Courts",
    "Media",
    "States",
    "Firms",
    "Data",
    "Power",
    "Norms",
    "Law",
    "Order",
];

/// `works` works derived from the seed's (title, author and key varied) and `notes` notes citing
/// them: runs of the same work (Ibid), returns to earlier works, some notes with two citations.
fn synthetic(works: usize, notes: usize) -> RenderInput {
    let base = seed().works;
    let lib: Vec<Work> = (0..works)
        .map(|i| {
            let mut w = base[i % base.len()].clone();
            let round = i / base.len();
            w.id = format!("w{i}");
            let word = WORDS[round % WORDS.len()];
            w.title = w.title.map(|t| format!("{t}: {word} {round}"));
            w.title_short = None;
            if let Some(Name {
                family: Some(f), ..
            }) = w.author.first_mut()
            {
                f.push_str(&format!("-{}", WORDS[(i * 7) % WORDS.len()]));
            }
            w
        })
        .collect();
    let mut seed_state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed_state ^= seed_state << 13;
        seed_state ^= seed_state >> 7;
        seed_state ^= seed_state << 17;
        (seed_state % n as u64) as usize
    };
    let mut last = 0;
    let notes = (1..=notes)
        .map(|number| {
            let work = if next(10) < 3 { last } else { next(works) };
            last = work;
            let mut citations = vec![CiteRef {
                work: Some(format!("w{work}")),
                kind: "full".into(),
                locator: Some(format!("{}", 1 + next(400))),
                label: Some("page".into()),
                ..CiteRef::default()
            }];
            if next(10) == 0 {
                let other = next(works);
                citations.push(CiteRef {
                    work: Some(format!("w{other}")),
                    kind: "full".into(),
                    ..CiteRef::default()
                });
                last = other;
            }
            NoteSeq {
                id: number.to_string(),
                number,
                citations,
                commentary: false,
                text: None,
            }
        })
        .collect();
    RenderInput { works: lib, notes }
}

fn bench(c: &mut Criterion) {
    let seed = seed();
    for name in ["chicago", "apa"] {
        let style = Style::builtin(name).unwrap();
        let mut g = c.benchmark_group(format!("seed-{name}"));
        g.bench_function("ibid", |b| {
            b.iter(|| render::render(black_box(&seed), &style).unwrap())
        });
        g.bench_function("hayagriva", |b| {
            b.iter(|| render::render_uncorrected(black_box(&seed), &style))
        });
        g.finish();
    }

    let big = synthetic(500, 10_000);
    let style = Style::builtin("chicago").unwrap();
    let mut g = c.benchmark_group("10k-notes-500-works-chicago");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("ibid", |b| {
        b.iter(|| render::render(black_box(&big), &style).unwrap())
    });
    g.bench_function("hayagriva", |b| {
        b.iter(|| render::render_uncorrected(black_box(&big), &style))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
