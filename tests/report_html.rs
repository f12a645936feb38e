//! `ibid check --format html`: one self-contained page for an author. On the seed essay and on a
//! Markdown lesson of the corpus: every finding of the JSON report is on the page (its message,
//! its rule, its note's anchor), every link stays on the page and reaches an anchor, nothing is
//! loaded from elsewhere; manuscript text and file names are escaped. And, when Chromium is
//! installed (in CI it must be), scripts/html-report-screenshot.sh renders the page in it.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::ibid;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Text as the page writes it (the report's own escaping, written here independently).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Values of attribute `name` in the page.
fn attrs(page: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    page.match_indices(&key)
        .map(|(i, _)| {
            let rest = &page[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The page for `file`, written with `-o`, checked against `check --format json` of the same
/// file; returns the page.
fn check_page(file: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let (code, stdout, err) = ibid(&[
        "check",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(
        stdout.is_empty(),
        "-o writes the report, not standard output"
    );
    let page = std::fs::read_to_string(&out).unwrap();
    // the same page on standard output
    let (_, again, _) = ibid(&["check", "--format", "html", file.to_str().unwrap()]);
    assert_eq!(again, page);

    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    // self-contained: no scripts, nothing loaded, every link an anchor of the page
    for banned in ["<script", "<link", "<img", "<iframe", " src=", "url("] {
        assert!(!page.contains(banned), "{banned} in the page");
    }
    let ids = attrs(&page, "id");
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    let hrefs = attrs(&page, "href");
    assert!(!hrefs.is_empty());
    for h in &hrefs {
        let target = h
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{h} leaves the page"));
        assert!(
            unique.contains(&target.to_owned()),
            "#{target} has no anchor"
        );
    }

    let (_, json, _) = ibid(&["check", "--format", "json", file.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let diags = doc["files"][0]["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert_eq!(page.matches("<div class=\"finding ").count(), diags.len());
    assert!(page.contains(&format!("{} finding", diags.len())));
    for d in diags {
        let code = d["code"].as_str().unwrap();
        assert!(page.contains(&format!("href=\"#rule-{code}\"")));
        assert!(page.contains(&format!("id=\"rule-{code}\"")));
        let message = escaped(d["message"].as_str().unwrap());
        assert!(page.contains(&message), "{code}: {message}");
        if let Some(note) = d["note"].as_str() {
            let slug: String = note
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c.to_string()
                    } else {
                        format!(".{:x}", c as u32)
                    }
                })
                .collect();
            assert!(page.contains(&format!("id=\"note-{slug}\"")), "note {note}");
            assert!(
                page.contains(&format!("href=\"#note-{slug}\"")),
                "note {note}"
            );
        }
        // a fix or a correction: both forms side by side, the changes marked
        let shown = d.get("correction").filter(|c| c.is_object()).map(|c| {
            (
                c["written"].as_str().unwrap(),
                c["wanted"].as_str().unwrap(),
            )
        });
        let shown = shown.or_else(|| {
            d["fix"].as_object().map(|f| {
                (
                    f["written"].as_str().unwrap(),
                    f["replacement"].as_str().unwrap(),
                )
            })
        });
        if let Some((written, wanted)) = shown {
            let first = |s: &str| escaped(s.split_whitespace().next().unwrap_or(""));
            assert!(page.contains(&first(written)), "{written}");
            assert!(page.contains(&first(wanted)), "{wanted}");
        }
    }
    let diffs = diags
        .iter()
        .filter(|d| d["fix"].is_object() || d.get("correction").is_some_and(|c| c.is_object()))
        .count();
    assert_eq!(page.matches("<table class=\"diff\">").count(), diffs);
    // the seed's and the lesson's corrections change words: both marks are there
    assert!(page.contains("<del>") && page.contains("<ins>"));
    page
}

#[test]
fn the_seed_report_holds_every_finding_and_its_anchors() {
    let page = check_page(&fixture("fixtures/essay-internet-governance.txt"));
    // the summary: style and why, counts by rule, fixable counts
    assert!(page.contains("<code>chicago</code> (inferred:"));
    assert!(page.contains("fixable with <code>ibid fix</code>"));
    assert!(page.contains("<a href=\"#rule-IB100\"><code>IB100</code></a> style-difference"));
    // note ii of the seed: `Ibid, 4` -> `Ibid., 4`, word by word
    assert!(
        page.contains("<td class=\"written\"><del>Ibid,</del> 4</td>"),
        "note ii"
    );
    assert!(page.contains("<td class=\"wanted\"><ins>Ibid.,</ins> 4</td>"));
    // the rule's explanation, with its code spans
    assert!(page.contains("<code>[xxvi]Ibid, 5.</code>"));
}

#[test]
fn a_corpus_lesson_report_holds_every_finding() {
    let lesson = fixture("../shared/corpus/programming-historian/en/linear-regression.md");
    let page = check_page(&lesson);
    assert!(page.contains("Citation report: "));
}

#[test]
fn manuscript_text_and_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a<b>&'c\".md");
    std::fs::write(
        &file,
        "Text.[^1] More.[^2]\n\n[^1]: Ibid, 4 <script>alert(1)</script> & x < y.\n\n\
         [^2]: Dev Lewis, *A & B <i>* (Delhi: Hub, 2017) 4.\n",
    )
    .unwrap();
    let (_, page, _) = ibid(&["check", "--format", "html", file.to_str().unwrap()]);
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<b>&"));
    // the note's text as the reader has it (Markdown's inline HTML is markup, not text), the
    // citation as the author typed it, and the file's name: all escaped
    assert!(
        page.contains("<blockquote>Ibid, 4 alert(1) &amp; x &lt; y.</blockquote>"),
        "{page}"
    );
    assert!(page.contains("*A &amp; <del>B &lt;i&gt;*</del>"), "{page}");
    assert!(page.contains("a&lt;b&gt;&amp;&#39;c&quot;.md"));
    assert!(!page.contains("<i>"));
}

#[test]
fn chromium_renders_the_report() {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Chromium (apt-get install chromium) for this test"
        );
        eprintln!("chromium not installed: the HTML report's browser check is skipped");
        return;
    }
    let out = Command::new("sh")
        .arg(fixture("scripts/html-report-screenshot.sh"))
        .env("IBID", env!("CARGO_BIN_EXE_ibid"))
        .output()
        .expect("run the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("findings shown"), "{stdout}");
    assert!(stdout.ends_with("OK\n"), "{stdout}");
}
