//! The seed essay extracted with the gold works as `--library`, in each format the library can
//! come in: scored with `../shared/tools/score.py`, the fields must reach field_f1 >= 0.99 and
//! every work must carry the library's key. With part of the library missing, `--strict`
//! reports exactly the missing works and exits 1.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use ibid::bib::{formats, LibraryFormat};
use ibid::model::Library;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

fn gold_library() -> Library {
    formats::read_file(
        &shared("fixtures/essay-internet-governance.gold.json"),
        Some(LibraryFormat::CslJson),
    )
    .unwrap()
}

/// Runs `ibid extract SEED --format json --library LIB [extra]`; returns the exit code of the
/// library's rules alone (the same run with `--select IB040,IB041`: `extract` exits 1 on any
/// warning, as `check` does, and the seed has copy-edit findings of its own) and the JSON text
/// of the run with every rule.
fn extract_with(library: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let seed = shared("fixtures/essay-internet-governance.txt");
    let run = |select: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ibid"))
            .arg("extract")
            .arg(&seed)
            .args(["--format", "json", "--library"])
            .arg(library)
            .args(extra)
            .args(select)
            .output()
            .unwrap();
        assert!(
            out.status.code() != Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let all = run(&[]);
    let library_rules = run(&["--select", "IB040,IB041"]);
    (
        library_rules.status.code(),
        String::from_utf8(all.stdout).unwrap(),
    )
}

/// The metrics score.py prints for a prediction.
fn score(pred: &str, dir: &Path) -> std::collections::HashMap<String, f64> {
    let path = dir.join("pred.json");
    std::fs::write(&path, pred).unwrap();
    let out = Command::new("python3")
        .arg(shared("tools/score.py"))
        .arg(shared("fixtures/essay-internet-governance.gold.json"))
        .arg(&path)
        .output()
        .expect("python3 runs score.py");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(": ")?;
            Some((k.to_owned(), v.trim().parse().ok()?))
        })
        .collect()
}

fn work_keys(pred: &str) -> BTreeSet<String> {
    let doc: serde_json::Value = serde_json::from_str(pred).unwrap();
    doc["works"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn gold_library_in_every_format_gives_its_fields_and_keys() {
    let gold = gold_library();
    let gold_keys: BTreeSet<String> = gold.works.iter().map(|w| w.id.clone()).collect();
    let dir = tempfile::tempdir().unwrap();
    for format in [
        LibraryFormat::CslJson,
        LibraryFormat::Biblatex,
        LibraryFormat::Yaml,
        LibraryFormat::Ris,
    ] {
        let lib = dir.path().join(format!("gold.{}", format.extension()));
        std::fs::write(&lib, formats::write(&gold, format).unwrap()).unwrap();
        let (code, pred) = extract_with(&lib, &["--strict"]);
        assert_eq!(
            code,
            Some(0),
            "{}: every work is in the library",
            format.name()
        );
        let m = score(&pred, dir.path());
        let f1 = m.get("field_f1").copied().unwrap_or(0.0);
        assert!(f1 >= 0.99, "{}: field_f1 {f1}", format.name());
        assert!(m.get("work_f1").copied().unwrap_or(0.0) >= 0.99);
        assert_eq!(
            work_keys(&pred),
            gold_keys,
            "{}: library keys",
            format.name()
        );
    }
}

#[test]
fn strict_reports_the_works_the_library_lacks() {
    let mut lib = gold_library();
    lib.works
        .retain(|w| w.id != "lee-hacking" && w.id != "wang-systematic");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial.bib");
    std::fs::write(
        &path,
        formats::write(&lib, LibraryFormat::Biblatex).unwrap(),
    )
    .unwrap();

    let (code, pred) = extract_with(&path, &[]);
    assert_eq!(
        code,
        Some(0),
        "without --strict a missing work is only an info"
    );
    let (code, strict_pred) = extract_with(&path, &["--strict"]);
    assert_eq!(code, Some(1));

    let doc: serde_json::Value = serde_json::from_str(&strict_pred).unwrap();
    let missing: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IB040")
        .collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(missing.iter().all(|d| d["severity"] == "warning"));
    // Each is reported at the first note that cites the work, as the gold file has it.
    let gold: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared("fixtures/essay-internet-governance.gold.json")).unwrap(),
    )
    .unwrap();
    let first_note = |key: &str| {
        gold["notes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| {
                n["citations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["work"] == key)
            })
            .map(|n| n["id"].as_str().unwrap().to_owned())
    };
    let want: BTreeSet<Option<String>> = [first_note("lee-hacking"), first_note("wang-systematic")]
        .into_iter()
        .collect();
    let got: BTreeSet<Option<String>> = missing
        .iter()
        .map(|d| d["note"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(got, want);
    // The other 22 works carry the library's keys; the two missing ones keys of their own.
    let keys = work_keys(&pred);
    assert_eq!(keys.len(), 24);
    let lib_keys: BTreeSet<String> = lib.works.iter().map(|w| w.id.clone()).collect();
    assert_eq!(keys.intersection(&lib_keys).count(), 22);
    // Their fields still come from the notes, so the score barely moves.
    let f1 = score(&pred, dir.path())["field_f1"];
    assert!(f1 >= 0.95, "field_f1 {f1}");
}

#[test]
fn a_library_that_words_things_differently_still_matches() {
    // The user's entries differ from the notes: short titles without their subtitles, titles in
    // capitals, surnames without accents, initials for given names, keys of their own.
    let mut lib = gold_library();
    for (i, w) in lib.works.iter_mut().enumerate() {
        w.id = format!("k{i}");
        if let Some(t) = w.title.as_mut() {
            if i % 2 == 0 {
                if let Some((head, _)) = t.split_once(':') {
                    *t = head.to_owned();
                }
            }
            if i % 3 == 0 {
                *t = t.to_uppercase();
            }
        }
        for a in &mut w.author {
            if let Some(f) = a.family.as_mut() {
                *f = ibid::fold::words(f).join(" ");
            }
            if i % 2 == 1 {
                a.given = a
                    .given
                    .as_ref()
                    .and_then(|g| g.chars().next())
                    .map(|c| format!("{c}."));
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("variants.yaml");
    std::fs::write(&path, formats::write(&lib, LibraryFormat::Yaml).unwrap()).unwrap();
    let (code, pred) = extract_with(&path, &["--strict"]);
    let keys = work_keys(&pred);
    let want: BTreeSet<String> = (0..lib.works.len()).map(|i| format!("k{i}")).collect();
    assert_eq!(keys, want);
    assert_eq!(code, Some(0));

    // A year that differs is a different work (another edition): not matched.
    // A year that differs is a different work (another edition): not matched, unless the DOI
    // says it is the same.
    let mut wrong = lib.clone();
    let mut changed = 0;
    for w in wrong.works.iter_mut().filter(|w| w.doi.is_none()).take(3) {
        if let Some(y) = w.year() {
            w.issued = Some(ibid::model::Date::ymd(y + 5, None, None));
            changed += 1;
        }
    }
    let doi_work = wrong.works.iter_mut().find(|w| w.doi.is_some()).unwrap();
    let y = doi_work.year().unwrap();
    doi_work.issued = Some(ibid::model::Date::ymd(y + 5, None, None));
    std::fs::write(&path, formats::write(&wrong, LibraryFormat::Yaml).unwrap()).unwrap();
    let (code, pred) = extract_with(&path, &["--strict"]);
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&pred).unwrap();
    let missing = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IB040")
        .count();
    assert_eq!(missing, changed);
    assert_eq!(changed, 3);
}
