//! The command line as a user meets it: exit codes and messages for bad input.

use std::path::Path;

mod common;
use common::ibid;

#[test]
fn missing_file_is_exit_2_naming_the_file() {
    let (code, _, err) = ibid(&["extract", "no/such/essay.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/essay.txt"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn directory_invalid_utf8_and_binary_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = ibid(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(dir.path().to_str().unwrap()), "{err}");

    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"Th\xe9rien, Notes\n").unwrap();
    let (code, _, err) = ibid(&["extract", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("latin1.txt") && err.contains("byte 2"),
        "{err}"
    );

    let bin = dir.path().join("x.txt");
    std::fs::write(&bin, b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap();
    let (code, _, err) = ibid(&["extract", bin.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("binary"), "{err}");
}

#[test]
fn extract_json_has_the_gold_shape() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/essay-internet-governance.txt");
    let (code, out, err) = ibid(&["extract", seed.to_str().unwrap(), "--format", "json"]);
    // the seed's notes have findings, and extract exits as check does
    assert_eq!(code, 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = doc["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 59);
    assert_eq!(notes[0]["id"], "i");
    assert_eq!(notes[58]["id"], "lix");
    assert!(doc["works"].is_array());
    let diags = doc["diagnostics"].as_array().unwrap();
    let glued = diags
        .iter()
        .find(|d| d["code"] == "IB001")
        .expect("glued marker found");
    assert_eq!(glued["note"], "xxvi");
    assert!(glued["line"].as_u64().unwrap() > 96);
}

#[test]
fn explain_knows_every_rule_and_rejects_unknown_ones() {
    let (code, out, _) = ibid(&["explain", "dangling-ibid"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("IB010"));
    let (code, _, err) = ibid(&["explain", "IB999"]);
    assert_eq!(code, 2);
    assert!(err.contains("IB999"));
}

#[test]
fn parse_notes_reads_one_note_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notes.txt");
    std::fs::write(
        &input,
        "See Lee, “Hacking into China’s Cybersecurity Law,” 62; cf. Ibid., 4-6.\nIbid.\n",
    )
    .unwrap();
    let (code, out, err) = ibid(&["parse", "--notes", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let first = lines[0]["citations"].as_array().unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["kind"], "short");
    assert_eq!(first[0]["signal"], "see");
    assert_eq!(first[0]["locator"], "62");
    assert_eq!(first[1]["kind"], "ibid");
    assert_eq!(first[1]["locator"], "4–6");
    assert_eq!(lines[1]["citations"][0]["kind"], "ibid");
}
