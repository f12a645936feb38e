//! `convert` of the seed essay to APA: every body marker becomes a parenthetical or stays a
//! (renumbered) footnote, the body outside the markers is unchanged byte for byte, a reference list
//! replaces the notes.
//!
//! The notes' citations come from the gold JSON (the seed's answer key) laid over the manuscript
//! ibid reads, so that this test does not depend on the note grammar; the CLI test below runs the
//! whole pipeline on the manuscript.

use std::path::PathBuf;
use std::process::Command;

use ibid::convert::to_author_date as convert;
use ibid::manuscript;
use ibid::output::Extract;
use ibid::render::{RenderInput, Style};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel)
}

fn seed_with_gold() -> (manuscript::Manuscript, RenderInput) {
    let path = shared("essay-internet-governance.txt");
    let ms = manuscript::read(&path, None).unwrap();
    let gold: Extract = serde_json::from_str(
        &std::fs::read_to_string(shared("essay-internet-governance.gold.json")).unwrap(),
    )
    .unwrap();
    let mut input = RenderInput::from_extract(&gold);
    for note in &mut input.notes {
        note.text = ms.note(&note.id).map(|n| n.text.clone());
    }
    (ms, input)
}

/// `text` without the given byte ranges (sorted, not overlapping).
fn without(text: &str, spans: impl IntoIterator<Item = (usize, usize)>) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in spans {
        out.push_str(&text[at..s]);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn seed_to_apa_keeps_the_body_and_replaces_every_marker() {
    let (ms, input) = seed_with_gold();
    let style = Style::builtin("apa").unwrap();
    let c = convert::to_in_text(&ms, &input, &style).unwrap();

    let body_markers: Vec<_> = ms
        .markers
        .iter()
        .filter(|m| m.span.end <= c.body_end)
        .collect();
    assert!(body_markers.len() >= 59, "{} markers", body_markers.len());
    let kept_markers = c
        .insertions
        .iter()
        .filter(|s| s.slice(&c.text).starts_with('['))
        .count();
    assert_eq!(
        c.replaced + kept_markers,
        body_markers.len(),
        "every marker replaced or kept"
    );
    let citation_only = |id: &str| {
        input
            .notes
            .iter()
            .any(|n| n.id == id && !n.commentary && !n.citations.is_empty())
    };
    let expected = body_markers.iter().filter(|m| citation_only(&m.id)).count();
    assert_eq!(
        c.replaced, expected,
        "markers of citation-only notes replaced"
    );

    // The body, markers and insertions removed, is the same bytes.
    let original = without(
        &ms.text[..c.body_end],
        body_markers.iter().map(|m| (m.span.start, m.span.end)),
    );
    let converted = without(
        &c.text[..c.new_body_end],
        c.insertions.iter().map(|s| (s.start, s.end)),
    );
    assert!(
        original == converted,
        "the body changed outside the markers"
    );

    // Each insertion is a parenthetical citation or a footnote marker.
    for s in &c.insertions {
        let ins = s.slice(&c.text);
        let paren = ins.trim_start().starts_with('(') && ins.ends_with(')');
        let marker = ins.starts_with('[') && ins.ends_with(']');
        assert!(paren || marker, "insertion {ins:?}");
    }
    assert!(c.text.contains(" (Lewis, n.d., pp. 4–13)."), "marker i");
    assert!(
        c.text.contains("(Zhou, 2016; Wang, n.d., p. 243)."),
        "side-by-side markers make one parenthetical"
    );

    // Notes with commentary stay footnotes; notes of citations only disappear.
    let commentary = input.notes.iter().filter(|n| n.commentary).count();
    assert_eq!(c.kept, commentary);
    let tail = &c.text[c.new_body_end..];
    assert!(
        tail.starts_with("Notes\n\n[i] "),
        "{}",
        &tail[..80.min(tail.len())]
    );
    let refs = tail.find("References\n\n").expect("a reference list");
    for entry in ["Adler, E., & Pouliot, V. (2011).", "Zhou, Y. (2016)."] {
        assert!(tail[refs..].contains(entry), "{entry}");
    }
    assert!(!tail.contains("[xlix]"), "a citation-only note disappeared");
    // The page footer after the notes is kept.
    assert!(c.text.ends_with(
        ms.text
            .trim_end_matches(['\n'])
            .rsplit('\n')
            .next()
            .unwrap()
    ));
}

#[test]
fn convert_cli_writes_a_new_file_and_never_touches_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("essay.txt");
    std::fs::copy(shared("essay-internet-governance.txt"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = dir.path().join("essay-apa.txt");
    let status = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(["convert", input.to_str().unwrap(), "--to", "apa", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("References"));
    // Refuses to overwrite its input.
    let same = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(["convert", input.to_str().unwrap(), "--to", "apa", "-o"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!same.status.success());
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
#[ignore = "prints the converted seed for a person to read"]
fn print_converted_seed() {
    let (ms, input) = seed_with_gold();
    let c = convert::to_in_text(&ms, &input, &Style::builtin("apa").unwrap()).unwrap();
    println!("{}", c.text);
}

#[test]
fn apa_back_to_chicago_turns_resolved_parentheticals_into_notes() {
    let dir = tempfile::tempdir().unwrap();
    let apa = dir.path().join("apa.txt");
    let back = dir.path().join("chicago.txt");
    let seed = shared("essay-internet-governance.txt");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ibid"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    };
    run(&[
        "convert",
        seed.to_str().unwrap(),
        "--to",
        "apa",
        "-o",
        apa.to_str().unwrap(),
    ]);
    let log = run(&[
        "convert",
        apa.to_str().unwrap(),
        "--to",
        "chicago",
        "-o",
        back.to_str().unwrap(),
    ]);
    let converted: usize = log
        .split(" parenthetical citations became notes")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{log}"));
    assert!(converted >= 40, "{log}");

    let text = std::fs::read_to_string(&back).unwrap();
    let apa_text = std::fs::read_to_string(&apa).unwrap();
    let (body, rest) = text.split_once("\nNotes\n\n").unwrap();
    // Every converted parenthetical left a marker; the four commentary notes stay notes.
    let markers = body
        .split('[')
        .skip(1)
        .filter(|s| {
            s.split_once(']')
                .is_some_and(|(id, _)| !id.is_empty() && id.chars().all(|c| "ivxlcdm".contains(c)))
        })
        .count();
    assert_eq!(markers, converted + 4, "{body}");
    assert!(rest.contains("Ibid., 4."));
    assert!(rest.contains("Ronald Wintrobe coins the term"));
    let bib = rest.split_once("\nBibliography\n\n").unwrap().1;
    assert!(bib.lines().filter(|l| !l.is_empty()).count() >= 20);
    // The prose between citations is the APA manuscript's.
    let first = "The People’s Republic of China (PRC) is home to the largest population";
    assert!(body.contains(first) && apa_text.contains(first));
    assert!(
        body.contains("immense presence of Chinese online.[i]"),
        "marker after the period"
    );
}
