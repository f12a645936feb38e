//! `ibid import` and `ibid export` from the command line.

use std::path::PathBuf;
use std::process::{Command, Output};

use ibid::bib::{formats, LibraryFormat};

fn ibid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(args)
        .output()
        .expect("ibid runs")
}

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn import_converts_through_every_format_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let items = shared("oracle/essay-internet-governance.items.json");
    let original = formats::read_file(items.as_ref(), None).unwrap();
    let mut from = items.clone();
    for format in ["biblatex", "yaml", "ris", "bibtex", "csl-json"] {
        let ext = LibraryFormat::ALL
            .iter()
            .find(|f| f.name() == format)
            .unwrap()
            .extension();
        let out = dir.path().join(format!("lib-{format}.{ext}"));
        let out_s = out.display().to_string();
        let run = ibid(&["import", &from, "--to", format, "-o", &out_s]);
        assert!(
            run.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        from = out_s;
    }
    // `.bib` holding BibTeX reads as BibLaTeX (the reader takes both).
    let back = formats::read_file(from.as_ref(), None).unwrap();
    assert_eq!(back, original);
}

#[test]
fn import_to_standard_output_and_rekey() {
    let items = shared("oracle/essay-internet-governance.items.json");
    let run = ibid(&["import", &items, "--to", "ris", "--rekey"]);
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    let lib = formats::parse(&text, LibraryFormat::Ris).unwrap();
    assert_eq!(lib.works.len(), 24);
    let ids: Vec<&str> = lib.works.iter().map(|w| w.id.as_str()).collect();
    for want in [
        "lieberthal1992",
        "wintrobe2000",
        "lewis-chinas",
        "solms-information",
        "statecouncil2014",
    ] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "keys are unique");
}

#[test]
fn import_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("refs.txt");
    std::fs::write(&odd, "TY  - BOOK\nER  - \n").unwrap();
    let odd_s = odd.display().to_string();
    let run = ibid(&["import", &odd_s, "--to", "yaml"]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("refs.txt") && err.contains("--from"), "{err}");
    let bad = dir.path().join("bad.ris");
    std::fs::write(&bad, "TY  - BOOK\nTI  - A\n").unwrap();
    let run = ibid(&["import", &bad.display().to_string(), "--to", "yaml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("bad.ris"));
}

#[test]
fn export_writes_the_manuscript_library_and_merges_manuscripts() {
    let seed = shared("essay-internet-governance.txt");
    let extract = ibid(&["extract", &seed, "--format", "json"]);
    // exit 1: the seed has findings, and extract exits as check does
    assert_eq!(extract.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    let works = doc["works"].as_array().map_or(0, Vec::len);

    let one = ibid(&["export", &seed, "--to", "csl-json"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let lib = formats::parse(
        &String::from_utf8(one.stdout).unwrap(),
        LibraryFormat::CslJson,
    )
    .unwrap();
    assert_eq!(lib.works.len(), works);
    // One work per work of the gold file, each under a key of the documented scheme.
    let gold = formats::read_file(
        shared("essay-internet-governance.gold.json").as_ref(),
        Some(LibraryFormat::CslJson),
    )
    .unwrap();
    assert_eq!(lib.works.len(), gold.works.len());
    let ids: Vec<&str> = lib.works.iter().map(|w| w.id.as_str()).collect();
    assert!(
        ids.contains(&"lieberthal1992") && ids.contains(&"lewis-chinas"),
        "{ids:?}"
    );
    // The same manuscript twice is one library, not two; so is the seed in text and Markdown.
    let md = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats/seed.md")
        .display()
        .to_string();
    let both = ibid(&["export", &seed, &md, "--to", "csl-json"]);
    assert!(both.status.success());
    let lib3 = formats::parse(
        &String::from_utf8(both.stdout).unwrap(),
        LibraryFormat::CslJson,
    )
    .unwrap();
    assert_eq!(lib3.works.len(), lib.works.len());
    let twice = ibid(&["export", &seed, &seed, "--to", "csl-json"]);
    let lib2 = formats::parse(
        &String::from_utf8(twice.stdout).unwrap(),
        LibraryFormat::CslJson,
    )
    .unwrap();
    assert_eq!(lib2, lib);
}

#[test]
fn export_with_a_library_keeps_its_keys_and_fields() {
    let seed = shared("essay-internet-governance.txt");
    let items = shared("oracle/essay-internet-governance.items.json");
    let gold = formats::read_file(items.as_ref(), None).unwrap();
    let run = ibid(&["export", &seed, "--library", &items, "--to", "bibtex"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let lib = formats::parse(
        &String::from_utf8(run.stdout).unwrap(),
        LibraryFormat::Bibtex,
    )
    .unwrap();
    assert_eq!(lib.works.len(), gold.works.len());
    for work in &lib.works {
        let theirs = gold.by_key(&work.id).map(|i| &gold.works[i]);
        assert_eq!(Some(work), theirs, "{}", work.id);
    }
}

#[test]
fn format_with_a_library_prints_the_library_fields() {
    // The essay's note iii prints the author as `Robert Wintrobe`; the library says `Ronald`.
    let seed = shared("essay-internet-governance.txt");
    let items = shared("oracle/essay-internet-governance.items.json");
    let plain = ibid(&["format", &seed]);
    let with = ibid(&["format", &seed, "--library", &items]);
    assert!(plain.status.success() && with.status.success());
    let (plain, with) = (
        String::from_utf8(plain.stdout).unwrap(),
        String::from_utf8(with.stdout).unwrap(),
    );
    assert!(plain.contains("Robert Wintrobe, The Political Economy"));
    assert!(with.contains("Ronald Wintrobe, The Political Economy"));
    assert!(!with.contains("Robert Wintrobe, The Political Economy"));
}

#[test]
fn check_with_strict_library_fails_on_a_missing_work() {
    let dir = tempfile::tempdir().unwrap();
    let seed = shared("essay-internet-governance.txt");
    let items = shared("oracle/essay-internet-governance.items.json");
    let mut lib = formats::read_file(items.as_ref(), None).unwrap();
    lib.works.retain(|w| w.id != "zhou-historicizing");
    let partial = dir.path().join("partial.ris");
    std::fs::write(&partial, formats::write(&lib, LibraryFormat::Ris).unwrap()).unwrap();
    let partial = partial.display().to_string();
    let run = ibid(&[
        "check",
        &seed,
        "--library",
        &partial,
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let missing: Vec<&serde_json::Value> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IB040")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["severity"], "warning");
    assert!(missing[0]["message"]
        .as_str()
        .unwrap()
        .contains("Historicizing"));
    // Without --strict it is an info.
    let run = ibid(&["check", &seed, "--library", &partial, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let info = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "IB040")
        .unwrap();
    assert_eq!(info["severity"], "info");
}
