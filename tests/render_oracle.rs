//! Rendering the gold works in the gold order must reproduce the citeproc-js oracle
//! (`../shared/fixtures/oracle/`): at least 56 of 57 citations and every bibliography entry, in each
//! of the three styles. The differing ones are printed.

#[path = "common/oracle.rs"]
mod oracle;

use std::path::PathBuf;

use ibid::model::CiteRecord;
use ibid::model::Work;
use ibid::output::Extract;
use ibid::render::{self, NoteSeq, RenderInput, Rendered, Style};
use serde_json::Value;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel)
}

fn read_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(shared(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The oracle's own input: `items.json` and `sequence.json`.
fn oracle_input() -> RenderInput {
    let works: Vec<Work> =
        serde_json::from_value(read_json("oracle/essay-internet-governance.items.json")).unwrap();
    let seq = read_json("oracle/essay-internet-governance.sequence.json");
    let notes = seq
        .as_array()
        .unwrap()
        .iter()
        .map(|n| NoteSeq {
            id: n["noteid"].as_str().unwrap().to_owned(),
            number: n["note"].as_u64().unwrap() as usize,
            citations: n["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let locator = i["locator"].as_str().map(str::to_owned);
                    CiteRecord {
                        work: i["id"].as_str().map(str::to_owned),
                        kind: "full".into(),
                        label: locator.as_deref().map(|l| {
                            if render::input::is_compound(l) {
                                "custom".into()
                            } else {
                                i["label"].as_str().unwrap_or("page").to_owned()
                            }
                        }),
                        locator,
                        ..CiteRecord::default()
                    }
                })
                .collect(),
            commentary: false,
            text: None,
        })
        .collect();
    RenderInput { works, notes }
}

/// The gold JSON read as an extract document.
fn gold_input() -> RenderInput {
    let text = std::fs::read_to_string(shared("essay-internet-governance.gold.json")).unwrap();
    let extract: Extract = serde_json::from_str(&text).unwrap();
    RenderInput::from_extract(&extract)
}

/// Compares a rendering with an oracle file; returns (citation matches, compared, bib matches,
/// bib total) and prints every difference.
fn score(rendered: &Rendered, oracle_file: &str) -> (usize, usize, usize, usize) {
    let oracle = read_json(oracle_file);
    let mut matches = 0;
    let mut compared = 0;
    for o in oracle["notes"].as_array().unwrap() {
        if o.get("compare").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        compared += 1;
        let id = o["id"].as_str().unwrap();
        let want = o["citation"].as_str().unwrap();
        let got = oracle::citation_of(rendered, id);
        if got == want {
            matches += 1;
        } else {
            println!("[{oracle_file}] note {id}\n  want: {want}\n  got:  {got}");
        }
    }
    let want_bib: Vec<&str> = oracle["bibliography"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    let got_bib: Vec<String> = rendered
        .bibliography
        .iter()
        .map(|b| oracle::tagged(b.text.as_raw()))
        .collect();
    let mut bib = 0;
    for (i, want) in want_bib.iter().enumerate() {
        let got = got_bib.get(i).map(String::as_str).unwrap_or("");
        if got == *want {
            bib += 1;
        } else {
            println!("[{oracle_file}] bibliography {i}\n  want: {want}\n  got:  {got}");
        }
    }
    if got_bib.len() != want_bib.len() {
        println!(
            "bibliography: {} entries, oracle {}",
            got_bib.len(),
            want_bib.len()
        );
    }
    println!(
        "{oracle_file}: citations {matches}/{compared}, bibliography {bib}/{}",
        want_bib.len()
    );
    (matches, compared, bib, want_bib.len().max(got_bib.len()))
}

fn check(style: &str, oracle_file: &str, min: usize) {
    let style = Style::builtin(style).unwrap();
    for (what, input) in [
        ("oracle input", oracle_input()),
        ("gold JSON", gold_input()),
    ] {
        println!("== {what}");
        let rendered = render::render(&input, &style).unwrap();
        let (m, compared, bib, bib_total) = score(&rendered, oracle_file);
        assert!(
            m >= min.min(compared),
            "{what}: only {m} of {compared} citations match"
        );
        assert_eq!(bib, bib_total, "{what}: bibliography differs");
    }
}

#[test]
fn chicago_17_ibid_matches_the_oracle() {
    check(
        "chicago",
        "oracle/essay-internet-governance.chicago-17-ibid.json",
        56,
    );
}

#[test]
fn chicago_18_matches_the_oracle() {
    check(
        "chicago-18",
        "oracle/essay-internet-governance.chicago-18.json",
        56,
    );
}

#[test]
fn apa_7_matches_the_oracle() {
    // Two notes carry "compare": false (see ../shared/fixtures/README.md): 55 compared.
    check("apa", "oracle/essay-internet-governance.apa-7.json", 54);
}
