//! The notes corpus of #13 (`fixtures/notes-corpus/`, made by `scripts/notes-corpus/generate.js`):
//! Chicago 17 notes rendered by citeproc-js, which `ibid check` should accept, and copies with one
//! error in about one note in three, which it should flag and `ibid fix` should restore. Measures,
//! per note, on the dev and held-out manuscripts:
//! - false alarms: correct notes that draw a finding of severity warning or error (info counted apart),
//! - recall: mutated notes that draw such a finding,
//! - fix exact: mutated notes whose text after `ibid fix` (safe fixes) / `ibid fix --unsafe` is the
//!   correct text, and the notes the fix changed that were not mutated (collateral).
//!
//! Prints the tables (`cargo test --test check_notes_corpus -- --nocapture`; with
//! `IBID_CORPUS_DETAIL=1` also every false alarm and miss) and asserts floors that are today's
//! figures less about two points: a ratchet, to be raised as the checker improves.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

mod common;
use common::ibid;

use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/notes-corpus")
}

#[derive(Debug, Clone)]
struct Note {
    id: String,
    kind: String,
    ty: String,
    text: String,
}

struct Mutation {
    id: String,
    kind: String,
    correct: String,
}

struct Manuscript {
    name: String,
    split: String,
    notes: Vec<Note>,
    mutations: Vec<Mutation>,
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_of(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

fn manuscripts() -> Vec<Manuscript> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join("correct"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "json")
                .then(|| path.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let correct = read_json(&corpus().join(format!("correct/{name}.json")));
            let mutated = read_json(&corpus().join(format!("mutated/{name}.json")));
            let notes = correct["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| Note {
                    id: str_of(n, "id"),
                    kind: str_of(n, "kind"),
                    ty: str_of(n, "type"),
                    text: str_of(n, "text"),
                })
                .collect();
            let mutations = mutated["mutations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| Mutation {
                    id: str_of(m, "id"),
                    kind: str_of(m, "kind"),
                    correct: str_of(m, "correct"),
                })
                .collect();
            Manuscript {
                name,
                split: str_of(&correct, "split"),
                notes,
                mutations,
            }
        })
        .collect()
}

/// The footnote definitions of a Markdown manuscript: label -> text of the definition line.
fn definitions(markdown: &str) -> HashMap<String, String> {
    markdown
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("[^")?;
            let (label, text) = rest.split_once("]: ")?;
            Some((label.to_owned(), text.to_owned()))
        })
        .collect()
}

/// A finding on a note: (severity, code, message, the fix's replacement if any).
#[derive(Debug, Clone)]
struct Finding {
    severity: String,
    code: String,
    message: String,
    replacement: Option<String>,
}

impl Finding {
    fn counts(&self) -> bool {
        self.severity == "warning" || self.severity == "error"
    }
}

/// `ibid check DIR --style chicago --format json`: manuscript name -> note id -> findings.
fn check(dir: &Path) -> HashMap<String, HashMap<String, Vec<Finding>>> {
    let (code, out, err) = ibid(&[
        "check",
        dir.to_str().unwrap(),
        "--style",
        "chicago",
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 1, "ibid check exited {code}: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let mut by_file = HashMap::new();
    for file in doc["files"].as_array().unwrap() {
        let name = Path::new(file["file"].as_str().unwrap())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut by_note: HashMap<String, Vec<Finding>> = HashMap::new();
        for d in file["diagnostics"].as_array().unwrap() {
            let note = d["note"].as_str().unwrap_or("").to_owned();
            by_note.entry(note).or_default().push(Finding {
                severity: str_of(d, "severity"),
                code: str_of(d, "code"),
                message: str_of(d, "message"),
                replacement: d["fix"]["replacement"].as_str().map(str::to_owned),
            });
        }
        by_file.insert(name, by_note);
    }
    by_file
}

/// Copies the mutated manuscripts to a temporary folder, runs `ibid fix` on it (with `--unsafe`
/// when asked) and returns each manuscript's definitions after the fix.
fn fixed(with_unsafe: bool) -> HashMap<String, HashMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(corpus().join("mutated")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut args = vec!["fix", dir.path().to_str().unwrap(), "--style", "chicago"];
    if with_unsafe {
        args.push("--unsafe");
    }
    let (code, _, err) = ibid(&args);
    assert!(code == 0 || code == 1, "ibid fix exited {code}: {err}");
    std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, definitions(&std::fs::read_to_string(&path).unwrap()))
        })
        .collect()
}

/// A count out of a total.
#[derive(Default, Clone, Copy)]
struct Ratio {
    hit: usize,
    of: usize,
}

impl Ratio {
    fn add(&mut self, hit: bool) {
        self.of += 1;
        self.hit += usize::from(hit);
    }
    fn pct(self) -> f64 {
        if self.of == 0 {
            0.0
        } else {
            100.0 * self.hit as f64 / self.of as f64
        }
    }
    fn show(self) -> String {
        format!("{:>3}/{:<4} {:>5.1}%", self.hit, self.of, self.pct())
    }
}

/// Every figure of one side of the split (or of a group within it).
#[derive(Default, Clone, Copy)]
struct Figures {
    false_alarm: Ratio,
    info: Ratio,
    recall: Ratio,
    safe_exact: Ratio,
    unsafe_exact: Ratio,
    /// unmutated notes of the mutated manuscripts changed by the fix
    safe_collateral: Ratio,
    unsafe_collateral: Ratio,
}

const SPLITS: [&str; 2] = ["dev", "heldout"];

#[test]
fn notes_corpus_false_alarms_recall_and_fix() {
    let manuscripts = manuscripts();
    let correct = check(&corpus().join("correct"));
    let mutated = check(&corpus().join("mutated"));
    let safe = fixed(false);
    let unsafe_ = fixed(true);
    let detail = std::env::var_os("IBID_CORPUS_DETAIL").is_some();

    let mut total: BTreeMap<&str, Figures> = BTreeMap::new();
    let mut by_note_kind: BTreeMap<(String, &str), Figures> = BTreeMap::new();
    let mut by_type: BTreeMap<(String, &str), Figures> = BTreeMap::new();
    let mut by_mutation: BTreeMap<(String, &str), Figures> = BTreeMap::new();
    let mut alarm_codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut details = Vec::new();
    let empty = HashMap::new();
    let (mut notes_seen, mut mutations_seen) = (0, 0);

    for ms in &manuscripts {
        let split = SPLITS
            .iter()
            .copied()
            .find(|s| *s == ms.split)
            .unwrap_or_else(|| panic!("{}: split {}", ms.name, ms.split));
        let name = &ms.name;
        let found = correct.get(name).unwrap_or(&empty);
        let source = definitions(
            &std::fs::read_to_string(corpus().join(format!("correct/{name}.md"))).unwrap(),
        );
        for note in &ms.notes {
            notes_seen += 1;
            assert_eq!(
                source.get(&note.id),
                Some(&note.text),
                "{name} note {}: the sidecar and the manuscript disagree",
                note.id
            );
            let findings = found.get(&note.id).map(Vec::as_slice).unwrap_or(&[]);
            let alarm = findings.iter().any(Finding::counts);
            let info = findings.iter().any(|f| f.severity == "info");
            for f in findings.iter().filter(|f| f.counts()) {
                *alarm_codes.entry(f.code.clone()).or_default() += 1;
            }
            for figures in [
                total.entry(split).or_default(),
                by_note_kind.entry((note.kind.clone(), split)).or_default(),
                by_type.entry((note.ty.clone(), split)).or_default(),
            ] {
                figures.false_alarm.add(alarm);
                figures.info.add(info);
            }
            if alarm && detail {
                for f in findings.iter().filter(|f| f.counts()) {
                    details.push(format!(
                        "FALSE ALARM {split} {name}[^{}] {} {} {}: {}\n    note: {}\n    want: {}",
                        note.id,
                        note.kind,
                        note.ty,
                        f.code,
                        f.message,
                        note.text,
                        f.replacement.as_deref().unwrap_or("-"),
                    ));
                }
            }
        }

        let found = mutated.get(name).unwrap_or(&empty);
        let written = definitions(
            &std::fs::read_to_string(corpus().join(format!("mutated/{name}.md"))).unwrap(),
        );
        let kinds: HashMap<&str, &Note> = ms.notes.iter().map(|n| (n.id.as_str(), n)).collect();
        for (fixes, safe_side) in [(&safe, true), (&unsafe_, false)] {
            let after = &fixes[name];
            for note in &ms.notes {
                if ms.mutations.iter().any(|m| m.id == note.id) {
                    continue;
                }
                let changed = after.get(&note.id) != Some(&note.text);
                let figures = total.entry(split).or_default();
                if safe_side {
                    figures.safe_collateral.add(changed);
                } else {
                    figures.unsafe_collateral.add(changed);
                }
            }
        }
        for m in &ms.mutations {
            mutations_seen += 1;
            let note = kinds[m.id.as_str()];
            let findings = found.get(&m.id).map(Vec::as_slice).unwrap_or(&[]);
            let flagged = findings.iter().any(Finding::counts);
            let safe_ok = safe[name].get(&m.id) == Some(&m.correct);
            let unsafe_ok = unsafe_[name].get(&m.id) == Some(&m.correct);
            for figures in [
                total.entry(split).or_default(),
                by_mutation.entry((m.kind.clone(), split)).or_default(),
            ] {
                figures.recall.add(flagged);
                figures.safe_exact.add(safe_ok);
                figures.unsafe_exact.add(unsafe_ok);
            }
            if detail && (!flagged || !unsafe_ok) {
                details.push(format!(
                    "{} {split} {name}[^{}] {} {} {}\n    wrote: {}\n    right: {}\n    fixed: {}\n    findings: {}",
                    if flagged { "NOT RESTORED" } else { "MISS" },
                    m.id,
                    m.kind,
                    note.kind,
                    note.ty,
                    written.get(&m.id).map(String::as_str).unwrap_or("?"),
                    m.correct,
                    unsafe_[name].get(&m.id).map(String::as_str).unwrap_or("?"),
                    findings
                        .iter()
                        .map(|f| format!("{} {} {}", f.severity, f.code, f.message))
                        .collect::<Vec<_>>()
                        .join(" | "),
                ));
            }
        }
    }

    println!(
        "\nnotes corpus: {} manuscripts, {notes_seen} correct notes, {mutations_seen} mutated notes",
        manuscripts.len()
    );
    println!(
        "\n{:<8} {:>17} {:>17} {:>17} {:>17} {:>17} {:>17} {:>17}",
        "split",
        "false alarms",
        "info only",
        "recall",
        "fix exact",
        "fix --unsafe ex.",
        "fix collateral",
        "--unsafe collat."
    );
    for split in SPLITS {
        let f = total.get(split).copied().unwrap_or_default();
        println!(
            "{split:<8} {:>17} {:>17} {:>17} {:>17} {:>17} {:>17} {:>17}",
            f.false_alarm.show(),
            f.info.show(),
            f.recall.show(),
            f.safe_exact.show(),
            f.unsafe_exact.show(),
            f.safe_collateral.show(),
            f.unsafe_collateral.show()
        );
    }
    println!("\nfalse alarms by note kind and by item type");
    for (group, title) in [(&by_note_kind, "note kind"), (&by_type, "item type")] {
        println!("{title:<24} {:>17} {:>17}", "dev", "heldout");
        let keys: Vec<&String> = group.keys().map(|(k, _)| k).collect();
        let mut keys = keys;
        keys.dedup();
        for key in keys {
            let cell = |split: &str| {
                group
                    .get(&(key.clone(), split))
                    .map(|f| f.false_alarm.show())
                    .unwrap_or_else(|| "-".into())
            };
            println!("{key:<24} {:>17} {:>17}", cell("dev"), cell("heldout"));
        }
    }
    println!("\nfalse-alarm findings by code: {alarm_codes:?}");
    println!(
        "\nby mutation kind: recall / fix exact / fix --unsafe exact\n{:<26} {:>17} {:>17} {:>17}   {:>17} {:>17} {:>17}",
        "kind", "dev recall", "dev fix", "dev --unsafe", "heldout recall", "heldout fix", "heldout --unsafe"
    );
    let kinds: Vec<&String> = {
        let mut k: Vec<&String> = by_mutation.keys().map(|(k, _)| k).collect();
        k.dedup();
        k
    };
    for kind in kinds {
        let f = |split: &str| {
            by_mutation
                .get(&(kind.clone(), split))
                .copied()
                .unwrap_or_default()
        };
        let (d, h) = (f("dev"), f("heldout"));
        println!(
            "{kind:<26} {:>17} {:>17} {:>17}   {:>17} {:>17} {:>17}",
            d.recall.show(),
            d.safe_exact.show(),
            d.unsafe_exact.show(),
            h.recall.show(),
            h.safe_exact.show(),
            h.unsafe_exact.show()
        );
    }
    for line in &details {
        println!("{line}");
    }

    // The corpus is what the generator wrote.
    assert!(manuscripts.len() >= 20, "{} manuscripts", manuscripts.len());
    assert!(notes_seen >= 700, "{notes_seen} notes");
    assert!(mutations_seen >= 230, "{mutations_seen} mutations");

    // Floors: today's figures less about two points (a ratchet; raise them as ibid improves).
    // (split, false alarms at most, recall at least, fix exact at least, --unsafe exact at least,
    //  collateral changes of --unsafe at most), in percent.
    let floors = [("dev", FLOORS_DEV), ("heldout", FLOORS_HELDOUT)];
    for (split, [fa, recall, safe, unsafe_exact, collateral]) in floors {
        let f = total[split];
        let fail = |what: &str, got: f64, bound: f64| -> String {
            format!("{split}: {what} {got:.1}% against the floor {bound}% (see the table above)")
        };
        assert!(
            f.false_alarm.pct() <= fa,
            "{}",
            fail("false alarms", f.false_alarm.pct(), fa)
        );
        assert!(
            f.recall.pct() >= recall,
            "{}",
            fail("recall", f.recall.pct(), recall)
        );
        assert!(
            f.safe_exact.pct() >= safe,
            "{}",
            fail("fix exact", f.safe_exact.pct(), safe)
        );
        assert!(
            f.unsafe_exact.pct() >= unsafe_exact,
            "{}",
            fail("fix --unsafe exact", f.unsafe_exact.pct(), unsafe_exact)
        );
        assert!(
            f.unsafe_collateral.pct() <= collateral,
            "{}",
            fail(
                "fix --unsafe collateral",
                f.unsafe_collateral.pct(),
                collateral
            )
        );
    }
}

/// [false alarms ≤, recall ≥, fix exact ≥, fix --unsafe exact ≥, --unsafe collateral ≤], percent.
/// Measured on 2026-12-04 (main at 3e83e1f0): dev 20.2% / 62.6% / 28.8% / 38.4% / 11.9%,
/// held-out 22.8% / 62.5% / 23.2% / 35.7% / 10.8%. Then, after the first #13 work: dev
/// 13.0% / 88.4% / 53.0% / 67.7% / 5.8%, held-out 15.6% / 87.5% / 50.0% / 62.5% / 3.6%. On
/// 2026-12-07, after reading the misread Chicago forms (names against italics, theses,
/// communications, et al., minor words' capitals, the edition, CMOS short titles, locators after
/// italics, dates after quoted titles, particles, an italic article title beside its italic
/// journal): dev 0.8% / 96.0% / 58.1% / 84.3% / 1.0%, held-out 0.6% / 96.4% / 57.1% / 87.5% /
/// 1.8%. Then (interviewers and media, works cited by their publishing body, short forms of
/// uncertain full citations): dev 0.2% / 96.0% / 59.1% / 85.4% / 1.0%, held-out unchanged
/// (these floors, a little under). Targets of #13:
/// false alarms <= 2%, recall >= 95%, fix --unsafe exact >= 85%.
const FLOORS_DEV: [f64; 5] = [1.0, 95.0, 58.0, 85.0, 2.0];
const FLOORS_HELDOUT: [f64; 5] = [1.0, 95.0, 56.0, 85.0, 3.0];
