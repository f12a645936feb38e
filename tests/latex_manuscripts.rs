//! LaTeX manuscripts (`fixtures/formats/*.tex`, made by `fixtures/formats/make-tex-odt.sh`): the
//! seed essay with its notes as `\footnote{}`s, pandoc's LaTeX of the seed and of the variants,
//! and pandoc's LaTeX of a corpus lesson read as the same notes, citations and works as their
//! sources; findings at their line:col in the .tex; fixes written as LaTeX, only inside the notes,
//! and idempotent; a rewrite that would cross a command's argument refused.

use std::path::{Path, PathBuf};

use ibid::manuscript::{self, Format, Manuscript};

mod common;
use common::ibid;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/formats").join(name)
}

fn seed_txt() -> PathBuf {
    root().join("fixtures/essay-internet-governance.txt")
}

fn read(path: &Path) -> Manuscript {
    manuscript::read(path, None).unwrap_or_else(|e| panic!("{e}"))
}

/// Whitespace collapsed, and the apostrophe as LaTeX prints it: pandoc writes `China's`, which
/// LaTeX (and ibid's reader) typesets as `China’s`, where Markdown keeps `'`.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\'', "’")
}

/// `ibid extract --format json` of a file: (per note, the kinds of its citations; the works'
/// titles, sorted).
fn extracted(path: &Path) -> (Vec<Vec<String>>, Vec<String>) {
    let (_, out, err) = ibid(&["extract", path.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let notes = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            n["citations"]
                .as_array()
                .map(|cs| cs.iter().map(|c| c["kind"].to_string()).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut works: Vec<String> = doc["works"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["title"].as_str().unwrap_or("").replace('\'', "’"))
        .collect();
    works.sort();
    (notes, works)
}

#[test]
fn the_seed_in_latex_reads_as_the_seed() {
    let txt = read(&seed_txt());
    assert_eq!(txt.notes.len(), 59);
    for name in ["seed.tex", "seed.pandoc.tex"] {
        let tex = read(&fixture(name));
        assert_eq!(tex.format, Format::Latex);
        assert_eq!(tex.notes.len(), 59, "{name}");
        assert_eq!(tex.markers.len(), 59, "{name}");
        for (a, b) in txt.notes.iter().zip(&tex.notes) {
            assert_eq!(a.number, b.number);
            assert_eq!(
                b.id,
                a.number.to_string(),
                "{name}: LaTeX numbers its notes"
            );
            assert_eq!(flat(&a.text), flat(&b.text), "{name}: note {}", b.id);
            // the whole text maps back inside the note's \footnote{...}
            let span = b.map.span(ibid::Span::new(0, b.text.len())).unwrap();
            assert!(b.span.contains(span), "{name}: note {}", b.id);
            assert!(b.span.slice(&tex.text).starts_with("\\footnote{"));
        }
    }
    // the preamble's macro, the verbatim block and the comments hold no note
    assert!(!read(&fixture("seed.tex"))
        .notes
        .iter()
        .any(|n| n.text.contains("Not a note") || n.text.contains("Nor this")));
    // the same citations and works as the plain text
    assert_eq!(extracted(&fixture("seed.tex")), extracted(&seed_txt()));
}

#[test]
fn pandoc_latex_reads_as_its_markdown() {
    for (tex, md) in [
        (fixture("variants.tex"), fixture("variants.md")),
        (
            fixture("lesson.tex"),
            root().join("../shared/corpus/programming-historian/en/introduction-to-stylometry-with-python.md"),
        ),
    ] {
        let (a, b) = (read(&md), read(&tex));
        // LaTeX has no note referred to twice: pandoc writes such a note at each reference
        let expected: Vec<&ibid::manuscript::Note> =
            a.markers.iter().filter_map(|m| a.note(&m.id)).collect();
        assert_eq!(expected.len(), b.notes.len(), "{}", tex.display());
        assert!(expected.len() >= 7);
        let mut same = 0;
        for (x, y) in expected.iter().zip(&b.notes) {
            if flat(&x.text) == flat(&y.text) {
                same += 1;
            }
            // italics: the same words
            let it = |n: &ibid::manuscript::Note| -> Vec<String> {
                n.emphasis.iter().map(|e| flat(e.slice(&n.text))).collect()
            };
            assert_eq!(it(x), it(y), "{}: note {}", tex.display(), y.id);
        }
        // pandoc writes some characters otherwise in LaTeX (a `<` as \textless{}, read back as
        // `<`; a URL's `\%`), so nearly every note reads the same, word for word
        assert!(
            same * 10 >= expected.len() * 9,
            "{}: {same} of {} notes alike",
            tex.display(),
            expected.len()
        );
        let ((na, wa), (nb, wb)) = (extracted(&md), extracted(&tex));
        assert_eq!(wa.len(), wb.len(), "{}: works", tex.display());
        // the same works, but where the Markdown typed two spaces in a name (`Patrick  Juola`),
        // which LaTeX prints as one and ibid then reads as a name (the Markdown reader keeps
        // both spaces, and the whole note becomes the title)
        for w in wa.iter().filter(|w| !wb.contains(w)) {
            assert!(w.contains("  "), "{}: work {w} not read", tex.display());
        }
        if a.notes.len() == b.notes.len() {
            assert_eq!(na, nb, "{}: citations", tex.display());
        }
    }
}

#[test]
fn findings_point_at_their_place_in_the_tex() {
    let path = fixture("seed.tex");
    let text = std::fs::read_to_string(&path).unwrap();
    let ms = read(&path);
    let (code, out, _) = ibid(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diagnostics = doc["files"][0]["diagnostics"].as_array().unwrap();
    let mut fixes = 0;
    for d in diagnostics {
        let Some(start) = d["span"]["start"].as_u64() else {
            continue;
        };
        let (start, end) = (start as usize, d["span"]["end"].as_u64().unwrap() as usize);
        let (line, col) = ibid::model::span::line_col(&text, start);
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line as u64), Some(col as u64))
        );
        // a finding on a citation lies inside its note's \footnote{...}
        if d["code"].as_str().unwrap().starts_with("IB1") {
            let note = ms.note(d["note"].as_str().unwrap()).unwrap();
            assert!(note.span.contains(ibid::Span::new(start, end)), "{d}");
        }
        if let Some(written) = d["fix"]["written"].as_str() {
            assert_eq!(&text[start..end], written);
            fixes += 1;
        }
    }
    assert!(fixes >= 40, "{fixes} fixes");
    // the first `Ibid, 4` of the essay, where the .tex has it
    let human = ibid(&["check", path.to_str().unwrap()]).1;
    let at = text.find("\\footnote{Ibid, 4.}").unwrap() + "\\footnote{".len();
    let (line, col) = ibid::model::span::line_col(&text, at);
    assert!(
        human.contains(&format!("seed.tex:{line}:{col} ")),
        "{human}"
    );
}

#[test]
fn fix_writes_latex_inside_the_notes_only_and_settles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.tex");
    std::fs::copy(fixture("seed.tex"), &path).unwrap();
    let file = path.to_str().unwrap();
    let before = read(&path);
    ibid(&["fix", "--unsafe", file]);
    let after = read(&path);
    assert_ne!(before.text, after.text);
    // every byte outside the notes is kept
    let outside = |m: &Manuscript| -> Vec<String> {
        let mut at = 0;
        let mut out = Vec::new();
        for n in &m.notes {
            out.push(m.text[at..n.span.start].to_owned());
            at = n.span.end;
        }
        out.push(m.text[at..].to_owned());
        out
    };
    assert_eq!(outside(&before), outside(&after));
    // written as LaTeX: the en dash as `--`, italics as \emph, the author's Unicode quotes kept
    assert!(after.text.contains("\\footnote{Ibid., 2--3. Lieberthal"));
    assert!(after
        .text
        .contains("\\emph{The Political Economy of Dictatorship}"));
    assert!(after
        .text
        .contains("“Introduction: The ‘Fragmented Authoritarianism’ Model"));
    let changed = before
        .notes
        .iter()
        .zip(&after.notes)
        .filter(|(a, b)| a.text != b.text)
        .count();
    assert!(changed >= 30, "{changed} notes fixed");
    // fixing twice changes nothing, and check offers nothing more to fix
    let fixed = std::fs::read(&path).unwrap();
    let (_, out, _) = ibid(&["fix", "--unsafe", file]);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(std::fs::read(&path).unwrap(), fixed);
}

/// A small LaTeX manuscript in a temporary directory.
fn small(dir: &Path, notes: &[&str]) -> PathBuf {
    let mut tex = String::from("\\documentclass{article}\n\\begin{document}\n");
    for (i, n) in notes.iter().enumerate() {
        tex.push_str(&format!("Claim {i}.\\footnote{{{n}}} % a comment\n\n"));
    }
    tex.push_str("\\end{document}\n");
    let path = dir.join("small.tex");
    std::fs::write(&path, tex).unwrap();
    path
}

#[test]
fn fixes_keep_the_authors_quotes_and_italics_command_and_refuse_to_cross_commands() {
    let dir = tempfile::tempdir().unwrap();
    let path = small(
        dir.path(),
        &[
            "Robert Smith, \\textit{The Long Book} (New York: Penguin, 2001), 4-13.",
            "Jane Doe, ``An Article'' \\textit{Journal of Things} 3, no. 2 (2004): 7.",
            "Ibid, 9.",
            "Alan Roe, \\textsc{A Third Book} (London: Verso 1999), 5.",
        ],
    );
    let file = path.to_str().unwrap();
    let original = std::fs::read_to_string(&path).unwrap();
    ibid(&["fix", "--unsafe", file]);
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains("\\textit{The Long Book} (New York: Penguin, 2001), 4--13."),
        "{fixed}"
    );
    assert!(
        fixed.contains("``An Article,'' \\textit{Journal of Things}"),
        "{fixed}"
    );
    assert!(fixed.contains("\\footnote{Ibid., 9.}"), "{fixed}");
    // the title set in small capitals would need italics inside \textsc{}: not written, shown
    assert!(fixed.contains("\\textsc{A Third Book}"), "{fixed}");
    let (_, out, _) = ibid(&["check", file, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let on_note_4: Vec<&serde_json::Value> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["note"] == "4" && d["code"] == "IB100")
        .collect();
    assert!(!on_note_4.is_empty(), "{out}");
    assert!(on_note_4
        .iter()
        .all(|d| d["fix"].is_null() || d["fix"]["applicability"] == "manual"));
    // the comments and the body are as they were
    assert_eq!(
        original.matches("% a comment").count(),
        fixed.matches("% a comment").count()
    );
    assert_eq!(fixed.lines().count(), original.lines().count());
}
