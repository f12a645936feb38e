//! `ibid format` and `ibid styles` through the binary: every output format, style names, paths and
//! dependent styles, and the error for an unknown style.

use std::path::PathBuf;
use std::process::{Command, Output};

fn gold() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/essay-internet-governance.gold.json")
}

fn ibid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn format_writes_text_markdown_html_and_json() {
    let g = gold();
    let g = g.to_str().unwrap();
    let text = stdout(&ibid(&["format", g, "--style", "chicago", "--to", "text"]));
    assert!(text.contains("\n2. Ibid., 4.\n"), "{text}");
    assert!(text.contains("Politics & Policy 45, no. 3"));
    assert!(!text.contains('*') && !text.contains("<i>"));
    assert!(text.contains("\nBibliography\n"));
    assert!(text.contains("\n20. Seen in Jyh-An Lee, “Hacking into China’s Cybersecurity Law,”"));

    let md = stdout(&ibid(&[
        "format", g, "--style", "chicago", "--to", "markdown",
    ]));
    assert!(md.contains(
        "1. Dev Lewis, *China’s Global Internet Ambitions: Finding Roots in ASEAN* (Delhi"
    ));

    let html = stdout(&ibid(&["format", g, "--style", "chicago", "--to", "html"]));
    assert!(html.contains("<i>Politics &amp; Policy</i>"), "{html}");
    assert!(!html.contains("Politics & Policy"));

    let json = stdout(&ibid(&["format", g, "--style", "apa", "--to", "json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes = v["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 59);
    assert_eq!(notes[0]["id"], "i");
    assert_eq!(notes[0]["number"], 1);
    assert_eq!(notes[0]["text"], "(Lewis, n.d., pp. 4–13)");
    assert_eq!(notes[0]["citations"][0]["text"], "Lewis, n.d., pp. 4–13");
    let last = &notes[58];
    assert_eq!(
        last["citations"][0]["text"], "Lewis, n.d., p. 7",
        "signal not in the citation"
    );
    assert_eq!(v["bibliography"].as_array().unwrap().len(), 24);
    assert!(v["bibliography"][0]["key"].is_string());
}

#[test]
fn default_style_prints_ibid_for_an_ibid_heavy_manuscript() {
    let g = gold();
    let text = stdout(&ibid(&["format", g.to_str().unwrap()]));
    assert!(text.contains("17th edition"), "{}", &text[..200]);
    assert!(text.contains("\n2. Ibid., 4.\n"));
}

#[test]
fn styles_are_listed_and_unknown_names_get_a_suggestion() {
    let list = stdout(&ibid(&["styles"]));
    for name in ["chicago", "chicago-18", "chicago-18-shortened", "apa"] {
        assert!(
            list.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name}"
        );
    }
    let g = gold();
    let out = ibid(&["format", g.to_str().unwrap(), "--style", "chicago-81"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `chicago-18`"), "{err}");
}

#[test]
fn a_csl_path_and_a_dependent_style_load() {
    let dir = tempfile::tempdir().unwrap();
    let styles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("styles");
    // An independent style by path.
    let apa = styles.join("apa.csl");
    let g = gold();
    let g = g.to_str().unwrap();
    let by_path = stdout(&ibid(&["format", g, "--style", apa.to_str().unwrap()]));
    let by_name = stdout(&ibid(&["format", g, "--style", "apa"]));
    assert_eq!(
        by_path.lines().skip(1).collect::<Vec<_>>(),
        by_name.lines().skip(1).collect::<Vec<_>>()
    );
    // A dependent style naming the Chicago 18 style as its parent.
    let dep = dir.path().join("my-journal.csl");
    std::fs::write(
        &dep,
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>My Journal</title>
    <id>http://www.zotero.org/styles/my-journal</id>
    <link href="http://www.zotero.org/styles/my-journal" rel="self"/>
    <link href="http://www.zotero.org/styles/chicago-notes-bibliography" rel="independent-parent"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
</style>
"#,
    )
    .unwrap();
    let text = stdout(&ibid(&["format", g, "--style", dep.to_str().unwrap()]));
    assert!(text.starts_with("Notes (My Journal)"), "{}", &text[..100]);
    assert!(text.contains("\n2. Lewis, "), "Chicago 18 has no Ibid.");
    // A parent that cannot be found is an error naming it.
    std::fs::write(
        &dep,
        std::fs::read_to_string(&dep)
            .unwrap()
            .replace("chicago-notes-bibliography\"", "nowhere\""),
    )
    .unwrap();
    let out = ibid(&["format", g, "--style", dep.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}

#[test]
fn extract_json_with_works_as_a_list_renders_the_same() {
    let g = gold();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
    let list: Vec<serde_json::Value> = v["works"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, w)| {
            let mut w = w.clone();
            w["id"] = k.clone().into();
            w
        })
        .collect();
    v["works"] = list.into();
    let dir = tempfile::tempdir().unwrap();
    let as_list = dir.path().join("list.json");
    std::fs::write(&as_list, serde_json::to_string(&v).unwrap()).unwrap();
    let a = stdout(&ibid(&["format", g.to_str().unwrap(), "--style", "apa"]));
    let b = stdout(&ibid(&[
        "format",
        as_list.to_str().unwrap(),
        "--style",
        "apa",
    ]));
    assert_eq!(a, b);
    // A broken JSON file is an error with its line and column.
    std::fs::write(&as_list, "{\n  \"notes\": [,\n").unwrap();
    let out = ibid(&["format", as_list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("list.json:2:"), "{err}");
}
