//! The library in and out: every format round-trips the gold works of the seed essay, BibLaTeX
//! output parses with the biblatex crate, CSL-JSON output validates against the CSL-JSON schema,
//! RIS output is read by rispy (a RIS reader that is not ibid's), and the documented lossy points
//! are exactly what is lost.

use std::path::{Path, PathBuf};
use std::process::Command;

use ibid::bib::{formats, LibraryFormat};
use ibid::model::{Date, Library, Name, Work, WorkType};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn items_path() -> PathBuf {
    manifest().join("../shared/fixtures/oracle/essay-internet-governance.items.json")
}

/// The gold works as CSL-JSON items (the oracle's input).
fn gold_items() -> Library {
    formats::read_file(&items_path(), Some(LibraryFormat::CslJson)).expect("gold items")
}

/// The gold works as the gold file's `works` map.
fn gold_works_map() -> Library {
    let path = manifest().join("../shared/fixtures/essay-internet-governance.gold.json");
    formats::read_file(&path, Some(LibraryFormat::CslJson)).expect("gold works")
}

/// Writes `library` in `format`, reads it back, and lists every work that changed.
fn round_trip(library: &Library, format: LibraryFormat) -> Vec<String> {
    let text = formats::write(library, format).expect("write");
    let back = formats::parse(&text, format).expect("read back");
    let mut problems = Vec::new();
    if back.works.len() != library.works.len() {
        problems.push(format!(
            "{} works written, {} read back",
            library.works.len(),
            back.works.len()
        ));
    }
    for (a, b) in library.works.iter().zip(&back.works) {
        if a != b {
            problems.push(format!(
                "{}:\n  wrote {}\n  read  {}",
                a.id,
                serde_json::to_string(a).unwrap_or_default(),
                serde_json::to_string(b).unwrap_or_default()
            ));
        }
    }
    problems
}

fn assert_round_trip(format: LibraryFormat) {
    for (name, lib) in [("items", gold_items()), ("gold works", gold_works_map())] {
        assert_eq!(lib.works.len(), 24, "{name}");
        let problems = round_trip(&lib, format);
        assert!(
            problems.is_empty(),
            "{} round trip of the {name}:\n{}",
            format.name(),
            problems.join("\n")
        );
    }
}

#[test]
fn csl_json_round_trip() {
    assert_round_trip(LibraryFormat::CslJson);
}

#[test]
fn biblatex_round_trip() {
    assert_round_trip(LibraryFormat::Biblatex);
}

#[test]
fn bibtex_round_trip() {
    assert_round_trip(LibraryFormat::Bibtex);
}

#[test]
fn yaml_round_trip() {
    assert_round_trip(LibraryFormat::Yaml);
}

#[test]
fn ris_round_trip() {
    assert_round_trip(LibraryFormat::Ris);
}

#[test]
fn a_chain_through_every_format_changes_nothing() {
    let lib = gold_items();
    let mut current = lib.clone();
    for format in [
        LibraryFormat::Biblatex,
        LibraryFormat::Yaml,
        LibraryFormat::Ris,
        LibraryFormat::Bibtex,
        LibraryFormat::CslJson,
    ] {
        let text = formats::write(&current, format).unwrap();
        current = formats::parse(&text, format).unwrap();
    }
    assert_eq!(current, lib);
}

#[test]
fn biblatex_output_parses_with_the_biblatex_crate() {
    let lib = gold_items();
    for format in [LibraryFormat::Biblatex, LibraryFormat::Bibtex] {
        let text = formats::write(&lib, format).unwrap();
        let bib = biblatex::Bibliography::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {e:?}", format.name()));
        assert_eq!(bib.len(), lib.works.len());
        for work in &lib.works {
            let entry = bib.get(&work.id).expect("entry with the work's key");
            let report = entry.verify();
            assert!(
                report.malformed.is_empty(),
                "{}: {}: malformed {:?}",
                format.name(),
                work.id,
                report.malformed
            );
            if let Some(year) = work.year() {
                match entry.date() {
                    Ok(biblatex::PermissiveType::Typed(d)) => match d.value {
                        biblatex::DateValue::At(dt) => assert_eq!(dt.year, year),
                        other => panic!("{}: date {other:?}", work.id),
                    },
                    other => panic!("{}: date {other:?}", work.id),
                }
            }
            let authors = entry.author().unwrap_or_default();
            assert_eq!(authors.len(), work.author.len(), "{}", work.id);
            if let Some(title) = &work.title {
                let got = entry.title().map(|c| {
                    use biblatex::ChunksExt;
                    c.format_verbatim()
                });
                assert_eq!(got.ok().as_deref(), Some(title.as_str()), "{}", work.id);
            }
        }
    }
}

#[test]
fn csl_json_output_validates_against_the_csl_schema() {
    let schema_text =
        std::fs::read_to_string(manifest().join("fixtures/library/csl-items.schema.json"))
            .expect("schema fixture");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let lib = gold_items();
    let text = formats::write(&lib, LibraryFormat::CslJson).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The validator is not vacuous: an item without a type, or with a field CSL lacks, fails.
    let bad: serde_json::Value =
        serde_json::from_str(r#"[{"id": "x", "title": "T", "shelf": 3}]"#).unwrap();
    assert!(!validator.is_valid(&bad));
}

/// A `PYTHONPATH` where `rispy` can be imported: the interpreter's own when it has rispy, else a
/// folder under `target/` where the test installs the version `.ci/requirements.txt` pins (so a
/// plain `cargo test` on a fresh machine sets itself up).
fn rispy_path() -> Option<std::path::PathBuf> {
    let has = |path: Option<&Path>| {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", "import rispy"]);
        if let Some(p) = path {
            cmd.env("PYTHONPATH", p);
        }
        cmd.output().is_ok_and(|o| o.status.success())
    };
    if has(None) {
        return None;
    }
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pydeps");
    if !has(Some(&target)) {
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&target)
            .arg("-r")
            .arg(manifest().join(".ci/requirements.txt"))
            .status()
            .expect("python3 -m pip runs");
        assert!(
            status.success(),
            "could not install rispy (pip install -r .ci/requirements.txt)"
        );
    }
    Some(target)
}

#[test]
fn ris_output_is_read_by_rispy() {
    let pythonpath = rispy_path();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("library.ris");
    let text = formats::write(&gold_items(), LibraryFormat::Ris).unwrap();
    std::fs::write(&out, text).unwrap();
    let script = manifest().join("fixtures/library/rispy_check.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script).arg(&out).arg(items_path());
    if let Some(p) = &pythonpath {
        cmd.env("PYTHONPATH", p);
    }
    let run = cmd.output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "rispy_check failed ({:?}):\n{stdout}{stderr}",
        run.status.code()
    );
    assert!(stdout.contains("24 records, 0 differences"), "{stdout}");
}

fn person(family: &str, given: &str) -> Name {
    Name::person(family, Some(given.into()))
}

/// A work that exercises the documented lossy points of each format.
fn awkward() -> Work {
    let mut extra = serde_json::Map::new();
    extra.insert("archive".into(), serde_json::json!("Hoover Archives"));
    Work {
        id: "awkward".into(),
        kind: WorkType::Article,
        author: vec![person("de la Cruz", "Ana"), Name::literal("Freedom House")],
        title: Some("A Title".into()),
        issued: Some(Date {
            date_parts: vec![vec![2016], vec![2017]],
            ..Date::default()
        }),
        extra,
        ..Work::default()
    }
}

fn round(work: &Work, format: LibraryFormat) -> Work {
    let lib = Library {
        works: vec![work.clone()],
    };
    let text = formats::write(&lib, format).unwrap();
    let back = formats::parse(&text, format).unwrap();
    assert_eq!(back.works.len(), 1, "{}", format.name());
    back.works.into_iter().next().unwrap()
}

#[test]
fn lossy_points_are_the_documented_ones() {
    let w = awkward();
    // CSL-JSON keeps everything.
    assert_eq!(round(&w, LibraryFormat::CslJson), w);

    // BibLaTeX: the type travels in entrysubtype, the range as `2016/2017`; `extra` is dropped.
    let b = round(&w, LibraryFormat::Biblatex);
    assert_eq!(b.kind.as_str(), "article");
    assert_eq!(b.issued, w.issued);
    assert_eq!(b.author, w.author);
    assert!(b.extra.is_empty());
    assert_eq!(
        Work {
            extra: w.extra.clone(),
            ..b
        },
        w
    );

    // RIS: `article` has no tag (GEN -> document), a range keeps its first year, `extra` dropped.
    let r = round(&w, LibraryFormat::Ris);
    assert_eq!(r.kind.as_str(), "document");
    assert_eq!(r.issued, Some(Date::ymd(2016, None, None)));
    assert_eq!(r.author, w.author);
    assert_eq!(
        Work {
            kind: w.kind,
            issued: w.issued.clone(),
            extra: w.extra.clone(),
            ..r
        },
        w
    );

    // YAML: a range keeps its first date; `extra` dropped; `article` survives.
    let y = round(&w, LibraryFormat::Yaml);
    assert_eq!(y.kind.as_str(), "article");
    assert_eq!(y.issued, Some(Date::ymd(2016, None, None)));
    assert_eq!(y.author, w.author);
    assert_eq!(
        Work {
            issued: w.issued.clone(),
            extra: w.extra.clone(),
            ..y
        },
        w
    );

    // A bill is legislation to hayagriva; an accessed date without a URL has nowhere to go.
    let bill = Work {
        id: "bill".into(),
        kind: WorkType::Bill,
        title: Some("A Bill".into()),
        accessed: Some(Date::ymd(2018, Some(8), Some(20))),
        ..Work::default()
    };
    let y = round(&bill, LibraryFormat::Yaml);
    assert_eq!(y.kind.as_str(), "legislation");
    assert_eq!(y.accessed, None);
    // BibLaTeX and RIS keep both.
    assert_eq!(round(&bill, LibraryFormat::Biblatex), bill);
    assert_eq!(round(&bill, LibraryFormat::Ris), bill);
}

#[test]
fn read_errors_name_the_place() {
    let cases: [(LibraryFormat, &str, &str); 4] = [
        (
            LibraryFormat::CslJson,
            "[{\"id\": \"a\",\n \"type\": ]",
            "2:",
        ),
        (LibraryFormat::Biblatex, "@book{a,\n title = {A}\n", "3:"),
        (
            LibraryFormat::Ris,
            "TY  - BOOK\nTI  - A\nER  - \nAU  - B\n",
            "4:",
        ),
        (LibraryFormat::Yaml, "a:\n  type: book\n  title: [\n", "3:"),
    ];
    for (format, text, start) in cases {
        let err = formats::parse(text, format).unwrap_err();
        assert!(err.starts_with(start), "{}: {err}", format.name());
    }
    let missing = formats::read_file(Path::new("/nonexistent/lib.bib"), None).unwrap_err();
    assert!(missing.to_string().contains("/nonexistent/lib.bib"));
}

#[test]
fn damaged_files_are_errors_not_panics() {
    let lib = gold_items();
    for &format in LibraryFormat::ALL {
        let text = formats::write(&lib, format).unwrap();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(5).collect();
        for cut in cuts {
            // Truncated, and with a stray byte of markup in the middle.
            let _ = formats::parse(&text[..cut], format);
            let mut damaged = text.clone();
            damaged.insert(cut, ['{', '}', '"', '@', '\n', '-'][cut % 6]);
            let _ = formats::parse(&damaged, format);
        }
    }
}

proptest::proptest! {
    #[test]
    fn any_text_is_read_or_refused(text in "\\PC{0,200}") {
        for &format in LibraryFormat::ALL {
            let _ = formats::parse(&text, format);
        }
    }
}

#[test]
fn odd_dates_are_written_and_read_without_panics() {
    let odd = [
        vec![vec![2017, 0]],
        vec![vec![2017, 13, 40]],
        vec![vec![-44, 3, 15]],
        vec![vec![0]],
        vec![vec![2016], vec![2015]],
        vec![vec![99999, 2]],
    ];
    for parts in odd {
        let work = Work {
            id: "odd".into(),
            kind: WorkType::Book,
            title: Some("Odd".into()),
            issued: Some(Date {
                date_parts: parts.clone(),
                ..Date::default()
            }),
            accessed: Some(Date {
                date_parts: parts.clone(),
                ..Date::default()
            }),
            url: Some("https://example.org/x".into()),
            ..Work::default()
        };
        let lib = Library { works: vec![work] };
        for &format in LibraryFormat::ALL {
            if let Ok(text) = formats::write(&lib, format) {
                let back = formats::parse(&text, format)
                    .unwrap_or_else(|e| panic!("{} {parts:?}: {e}", format.name()));
                assert_eq!(back.works.len(), 1);
                // The year, when there is one that is a year, survives.
                if parts[0][0] > 0 && parts[0][0] < 10000 {
                    assert_eq!(
                        back.works[0].year(),
                        Some(parts[0][0]),
                        "{} {parts:?}",
                        format.name()
                    );
                }
            }
        }
    }
}

#[test]
fn every_entry_is_written_under_a_key_of_its_own() {
    let ids = [
        "http://zotero.org/users/1/items/ABCD",
        "lewis 2017",
        "x,y",
        "",
        "dup",
        "dup",
    ];
    let works: Vec<Work> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Work {
            id: (*id).into(),
            kind: WorkType::Book,
            title: Some(format!("Title number {i}")),
            author: vec![person("Lewis", "Dev")],
            ..Work::default()
        })
        .collect();
    let lib = Library { works };
    for &format in LibraryFormat::ALL {
        let text = formats::write(&lib, format).unwrap();
        let back = formats::parse(&text, format).unwrap();
        assert_eq!(back.works.len(), ids.len(), "{}", format.name());
        let mut keys: Vec<&str> = back.works.iter().map(|w| w.id.as_str()).collect();
        assert!(keys.iter().all(|k| !k.is_empty()), "{}", format.name());
        // Titles stay with their entries.
        for (a, b) in lib.works.iter().zip(&back.works) {
            assert_eq!(a.title, b.title);
        }
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), ids.len(), "{}: {keys:?}", format.name());
        // A key that is a valid key everywhere is kept.
        assert_eq!(back.works[0].id, ids[0], "{}", format.name());
    }
}
