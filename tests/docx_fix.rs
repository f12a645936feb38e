//! `ibid fix` on a .docx writes its corrections as Word tracked changes: on the seed essay in Word
//! (fixtures/formats/seed.docx) the package stays whole, rejecting every change gives the
//! original back, accepting them gives what `ibid fix` makes of the plain-text seed, and a second
//! fix changes nothing. Also hand-made documents: citations over several runs, italics, entities,
//! and the markup that must be refused. And, when LibreOffice is installed (in CI it must be),
//! scripts/verify-docx-fix.sh: LibreOffice opens the result and sees the tracked changes.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use ibid::fix::docx as docx_fix;
use ibid::manuscript::{self, Format, Manuscript};
use ibid::model::diagnostic::{Applicability, Fix};
use ibid::model::span::Span;
use quick_xml::events::Event;

mod common;
use common::ibid;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Every entry of a zip: (name, compression method, raw compressed bytes, content).
type Entry = (String, zip::CompressionMethod, Vec<u8>, Vec<u8>);

fn entries(bytes: &[u8]) -> Vec<Entry> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let (name, method, raw) = {
            let mut e = zip.by_index_raw(i).unwrap();
            let mut raw = Vec::new();
            e.read_to_end(&mut raw).unwrap();
            (e.name().unwrap().into_owned(), e.compression(), raw)
        };
        let mut content = Vec::new();
        zip.by_index(i)
            .unwrap()
            .read_to_end(&mut content)
            .expect("entry decompresses (CRC checked)");
        out.push((name, method, raw, content));
    }
    out
}

/// A package with `parts` replaced (a test's own writer, not ibid's).
fn repack(bytes: &[u8], parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, _, _, content) in entries(bytes) {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        match parts.iter().find(|(n, _)| *n == name) {
            Some((_, new)) => w.write_all(new.as_bytes()).unwrap(),
            None => w.write_all(&content).unwrap(),
        }
    }
    w.finish().unwrap().into_inner()
}

/// The XML with every tracked change accepted (`accept`) or rejected: written with quick-xml's
/// own writer, independently of ibid's reader.
fn resolve_changes(xml: &str, accept: bool) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let (drop_tag, keep_tag): (&[u8], &[u8]) = if accept {
        (b"w:del", b"w:ins")
    } else {
        (b"w:ins", b"w:del")
    };
    let mut dropping = 0usize;
    let mut in_change = 0usize; // inside rPrChange: its old properties
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        match &ev {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == drop_tag => dropping += 1,
            Event::End(e) if e.name().as_ref() == drop_tag => dropping -= 1,
            _ if dropping > 0 => {}
            // the kept change's wrapper goes, its content stays
            Event::Start(_) | Event::End(_) if name_of(&ev) == keep_tag => {}
            Event::Start(_) if name_of(&ev) == b"w:rPrChange" => in_change += 1,
            Event::End(_) if name_of(&ev) == b"w:rPrChange" => in_change -= 1,
            _ if in_change > 0 => {}
            Event::Start(e) if !accept && e.name().as_ref() == b"w:delText" => {
                writer
                    .write_event(Event::Start(quick_xml::events::BytesStart::new("w:t")))
                    .unwrap();
            }
            Event::End(e) if !accept && e.name().as_ref() == b"w:delText" => {
                writer
                    .write_event(Event::End(quick_xml::events::BytesEnd::new("w:t")))
                    .unwrap();
            }
            _ => writer.write_event(ev.borrow()).unwrap(),
        }
    }
    String::from_utf8(writer.into_inner()).unwrap()
}

fn name_of<'a>(ev: &'a Event<'_>) -> &'a [u8] {
    match ev {
        Event::Start(e) | Event::Empty(e) => e.name().0,
        Event::End(e) => e.name().0,
        _ => b"",
    }
}

fn part(bytes: &[u8], name: &str) -> String {
    let (_, _, _, content) = entries(bytes)
        .into_iter()
        .find(|e| e.0 == name)
        .unwrap_or_else(|| panic!("no {name}"));
    String::from_utf8(content).unwrap()
}

fn read(bytes: &[u8]) -> Manuscript {
    manuscript::read_bytes(Path::new("t.docx"), bytes, Format::Docx).expect("reads")
}

fn note_texts(ms: &Manuscript) -> Vec<String> {
    ms.notes.iter().map(|n| n.text.clone()).collect()
}

/// The XML without comment anchors (`w:commentRangeStart`, `w:commentRangeEnd`, and the runs
/// holding a `w:commentReference`), written as ibid writes them.
fn without_comments(xml: &str) -> String {
    let mut out = xml.to_owned();
    for (open, close) in [
        ("<w:commentRangeStart w:id=\"", "\"/>"),
        ("<w:commentRangeEnd w:id=\"", "\"/>"),
        ("<w:r><w:commentReference w:id=\"", "\"/></w:r>"),
    ] {
        while let Some(at) = out.find(open) {
            let end = at + out[at..].find(close).unwrap() + close.len();
            out.replace_range(at..end, "");
        }
    }
    out
}

/// The package with all changes of its footnotes and document accepted or rejected.
fn resolved(bytes: &[u8], accept: bool) -> Vec<u8> {
    let foot = resolve_changes(&part(bytes, "word/footnotes.xml"), accept);
    let doc = resolve_changes(&part(bytes, "word/document.xml"), accept);
    repack(
        bytes,
        &[("word/footnotes.xml", &foot), ("word/document.xml", &doc)],
    )
}

#[test]
fn fixing_the_word_seed_writes_tracked_changes_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("seed.docx");
    let original = std::fs::read(fixture("fixtures/formats/seed.docx")).unwrap();
    std::fs::write(&docx, &original).unwrap();
    let (_, _, err) = ibid(&["fix", docx.to_str().unwrap()]);
    let fixed = std::fs::read(&docx).unwrap();
    assert_ne!(fixed, original, "something was fixed: {err}");

    // a valid zip, the same entries in the same order, all but the notes' part byte-identical
    // (compressed bytes too), the same compression
    let (old, new) = (entries(&original), entries(&fixed));
    assert_eq!(
        old.iter().map(|e| &e.0).collect::<Vec<_>>(),
        new.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    let mut rewritten = Vec::new();
    for (o, n) in old.iter().zip(&new) {
        assert_eq!(o.1, n.1, "{}: compression method kept", o.0);
        if o.3 != n.3 {
            rewritten.push(o.0.clone());
        } else {
            assert_eq!(o.2, n.2, "{}: copied raw", o.0);
        }
    }
    // the notes' part; the body and the comments part for the findings left to a person,
    // which become Word comments on the notes' reference marks
    assert_eq!(
        rewritten,
        [
            "word/document.xml",
            "word/footnotes.xml",
            "word/comments.xml"
        ]
    );
    let comments = part(&fixed, "word/comments.xml");
    let body = part(&fixed, "word/document.xml");
    let n = comments.matches("<w:comment w:id=").count();
    assert!(n >= 20, "{n} comments");
    assert_eq!(comments.matches(r#"w:author="ibid""#).count(), n);
    for id in 0..100_000 {
        if !comments.contains(&format!("<w:comment w:id=\"{id}\"")) {
            continue;
        }
        for mark in ["commentRangeStart", "commentRangeEnd", "commentReference"] {
            assert_eq!(
                body.matches(&format!("<w:{mark} w:id=\"{id}\"/>")).count(),
                1,
                "{mark} {id}"
            );
        }
    }
    assert!(
        comments.contains("Note 3: IB014 name-variant (warning)"),
        "{comments}"
    );
    assert!(comments.contains("Correct form: "));
    // a second fix neither rewrites nor comments again
    let again = dir.path().join("again.docx");
    std::fs::write(&again, &fixed).unwrap();
    let (_, out, _) = ibid(&["fix", again.to_str().unwrap()]);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(std::fs::read(&again).unwrap(), fixed);
    let xml = part(&fixed, "word/footnotes.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut dels, mut inss) = (0, 0);
    let mut ids = std::collections::HashSet::new();
    loop {
        match reader
            .read_event()
            .expect("the rewritten part parses as XML")
        {
            Event::Eof => break,
            Event::Start(e) if matches!(e.name().as_ref(), b"w:del" | b"w:ins") => {
                if e.name().as_ref() == b"w:del" {
                    dels += 1
                } else {
                    inss += 1
                }
                let attr = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                };
                assert_eq!(attr(b"w:author").as_deref(), Some("ibid"));
                assert!(attr(b"w:date").is_some_and(|d| d.len() == 20 && d.ends_with('Z')));
                assert!(ids.insert(attr(b"w:id").unwrap()), "ids unique");
            }
            _ => {}
        }
    }
    // a safe fix changes punctuation, dashes and quotes, never a word's letters or case, so
    // most corrections are insertions (`no.`, a comma) and few are deletions
    assert!(
        dels >= 5 && inss >= 15,
        "{dels} deletions, {inss} insertions"
    );
    // no new id collides with an id already in the package's parts
    for (_, _, _, content) in &old {
        let text = String::from_utf8_lossy(content);
        for id in &ids {
            assert!(
                !text.contains(&format!("w:id=\"{id}\"")),
                "id {id} was free"
            );
        }
    }

    // all changes rejected: the original notes, character for character
    let before = read(&original);
    assert_eq!(
        note_texts(&read(&resolved(&fixed, false))),
        note_texts(&before)
    );
    // all accepted (independently of the reader): what the reader reads from the fixed file ...
    let after = read(&fixed);
    assert_eq!(
        note_texts(&read(&resolved(&fixed, true))),
        note_texts(&after)
    );
    // ... and what `ibid fix` makes of the plain-text seed, note for note (numbered otherwise)
    let txt = dir.path().join("seed.txt");
    std::fs::copy(fixture("fixtures/essay-internet-governance.txt"), &txt).unwrap();
    ibid(&["fix", txt.to_str().unwrap()]);
    let plain = manuscript::read(&txt, None).unwrap();
    let plain_before = manuscript::read(
        &fixture("fixtures/essay-internet-governance.txt"),
        Some(Format::Text),
    )
    .unwrap();
    assert_eq!(after.notes.len(), plain.notes.len());
    let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let (mut same, mut one_only) = (0, 0);
    for (((d, d0), p), p0) in after
        .notes
        .iter()
        .zip(&before.notes)
        .zip(&plain.notes)
        .zip(&plain_before.notes)
    {
        if words(&d.text) == words(&p.text) {
            same += 1;
        } else {
            // Word carries italics, plain text cannot: a correction that also sets a title in
            // italics writes formatting in the .docx, which is not a safe fix there, while the
            // same correction of the .txt only changes punctuation. So one of the two is fixed
            // and the other left as written; nothing else may differ.
            assert!(
                p.text == p0.text || d.text == d0.text,
                "note {}: {:?} vs {:?}",
                d.id,
                d.text,
                p.text
            );
            one_only += 1;
        }
    }
    assert!(
        same >= plain.notes.len() - 8,
        "{same} notes alike, {one_only} fixed in one format only"
    );
    // the body is untouched but for the comments' anchors, and the notes that were not fixed too
    assert_eq!(
        without_comments(&part(&fixed, "word/document.xml")),
        part(&original, "word/document.xml")
    );

    // check afterwards offers no safe fix; a second fix changes nothing
    let (_, out, _) = ibid(&["check", docx.to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let safe = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["fix"]["applicability"] == "safe")
        .count();
    assert_eq!(safe, 0);
    let (_, out, _) = ibid(&["fix", docx.to_str().unwrap()]);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(std::fs::read(&docx).unwrap(), fixed);
}

#[test]
fn diff_writes_nothing_and_shows_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("seed.docx");
    std::fs::copy(fixture("fixtures/formats/seed.docx"), &docx).unwrap();
    let original = std::fs::read(&docx).unwrap();
    let (code, out, _) = ibid(&["fix", "--diff", docx.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("-[2] Ibid, 4."), "{out}");
    assert!(out.contains("+[2] Ibid., 4."), "{out}");
    assert_eq!(std::fs::read(&docx).unwrap(), original);
}

#[test]
fn typed_notes_in_the_body_are_fixed_there() {
    // seed.plain.docx: no Word notes, the notes typed as paragraphs of document.xml
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("plain.docx");
    std::fs::copy(fixture("fixtures/formats/seed.plain.docx"), &docx).unwrap();
    let original = std::fs::read(&docx).unwrap();
    let (_, out, err) = ibid(&["fix", docx.to_str().unwrap()]);
    assert!(out.contains("rewritten as tracked changes"), "{out}{err}");
    let fixed = std::fs::read(&docx).unwrap();
    let changed: Vec<String> = entries(&original)
        .iter()
        .zip(entries(&fixed))
        .filter(|(o, n)| o.3 != n.3)
        .map(|(o, _)| o.0.clone())
        .collect();
    assert_eq!(changed, ["word/document.xml", "word/comments.xml"]);
    assert_eq!(
        note_texts(&read(&resolved(&fixed, false))),
        note_texts(&read(&original))
    );
    let (_, out, _) = ibid(&["fix", docx.to_str().unwrap()]);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(std::fs::read(&docx).unwrap(), fixed);
}

#[test]
fn a_fix_that_cannot_be_tracked_is_left_to_a_person_and_check_still_runs() {
    // "Ibid, 5" needs its period, but a bookmark sits between the runs of the citation
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>One.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>Two.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>Three.</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p></w:body></w:document>"#
    );
    let note = |id: u32, runs: &str| {
        format!(
            r#"<w:footnote w:id="{id}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>"#
        )
    };
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>{}{}{}</w:footnotes>"#,
        note(
            1,
            r#"<w:r><w:t xml:space="preserve">Dev Lewis, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>China’s Global Internet Ambitions</w:t></w:r><w:r><w:t xml:space="preserve"> (Delhi: Digital Asia Hub, 2017), 4.</w:t></w:r>"#
        ),
        note(
            2,
            r#"<w:r><w:t>Ibid</w:t></w:r><w:bookmarkStart w:id="9" w:name="b"/><w:r><w:t>, 5.</w:t></w:r>"#
        ),
        note(3, r#"<w:r><w:t>Ibid, 6.</w:t></w:r>"#),
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in [
        ("word/document.xml", &document),
        ("word/footnotes.xml", &footnotes),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("marks.docx");
    std::fs::write(&file, w.finish().unwrap().into_inner()).unwrap();
    let (code, out, err) = ibid(&["check", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fixes: Vec<(String, String)> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["fix"].is_null())
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_owned(),
                d["fix"]["applicability"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // note 2 refused, with the reason; note 3 fixable
    assert!(
        fixes.iter().any(|(m, a)| a == "manual"
            && m.contains("cannot be written as a tracked change")
            && m.contains("bookmark")),
        "{fixes:?}"
    );
    assert!(fixes.iter().any(|(_, a)| a == "safe"), "{fixes:?}");
    // fix writes the one it can
    let (_, out, err) = ibid(&["fix", file.to_str().unwrap()]);
    assert!(out.contains("1 citation(s) rewritten"), "{out}{err}");
    let notes = note_texts(&read(&std::fs::read(&file).unwrap()));
    assert_eq!(notes[1], "Ibid, 5.");
    assert_eq!(notes[2], "Ibid., 6.");
}

/// The words of each note (by `w:id`) that are in runs whose properties hold `prop`
/// (`<w:b/>`, `<w:lang w:val="en-GB"/>`; every run for ""), read with quick-xml; deleted text
/// left out.
fn formatted_words(xml: &str, prop: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut note = String::new();
    let mut text = String::new();
    let (mut rpr_start, mut in_rpr_of, mut flagged, mut in_t) = (0usize, false, false, false);
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader.read_event().expect("well-formed");
        let after = reader.buffer_position() as usize;
        match &ev {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"w:footnote" => {
                note = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"w:id")
                    .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                    .unwrap_or_default();
            }
            Event::Start(e) if e.name().as_ref() == b"w:r" => flagged = prop.is_empty(),
            Event::Start(e) if e.name().as_ref() == b"w:rPr" && !in_rpr_of => {
                rpr_start = before;
                in_rpr_of = true;
            }
            Event::End(e) if e.name().as_ref() == b"w:rPr" && in_rpr_of => {
                // the run's own properties, not the old ones of a tracked format change
                let rpr = &xml[rpr_start..after];
                let own = rpr.split("<w:rPrChange").next().unwrap_or("");
                flagged = prop.is_empty() || own.contains(prop);
                in_rpr_of = false;
            }
            Event::Start(e) if e.name().as_ref() == b"w:rPrChange" => {}
            Event::Start(e) if e.name().as_ref() == b"w:t" => {
                in_t = true;
                text.clear();
            }
            Event::End(e) if e.name().as_ref() == b"w:t" => {
                in_t = false;
                if flagged {
                    for w in text.split_whitespace() {
                        out.push((note.clone(), w.to_owned()));
                    }
                }
            }
            Event::Text(t) if in_t => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) if in_t => {
                let name = r.decode().unwrap();
                text.push(match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    n => n
                        .strip_prefix('#')
                        .and_then(|n| n.parse::<u32>().ok())
                        .and_then(char::from_u32)
                        .unwrap_or('?'),
                });
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_citation_over_runs_as_word_writes_them_shows_as_text_and_is_fixed_across_them() {
    // fixtures/formats/runs.docx: seed.docx with every note split into runs of two or three
    // words, each with its own w:rsidR, some with other properties (bold, a language), as a
    // file edited in Word is (made by fixtures/formats/make-runs.py)
    let runs = fixture("fixtures/formats/runs.docx");
    let seed = fixture("fixtures/formats/seed.docx");
    let (_, human, _) = ibid(&["check", runs.to_str().unwrap()]);
    let (_, json, _) = ibid(&["check", runs.to_str().unwrap(), "--format", "json"]);
    for out in [&human, &json] {
        assert!(!out.contains("<w:"), "XML shown:\n{out}");
        assert!(!out.contains("</w:"), "XML shown:\n{out}");
    }
    // the citations read as text: note 2's fix, word for word
    assert!(human.contains("[-Ibid,-]{+Ibid.,+} 4"), "{human}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let diags = doc["files"][0]["diagnostics"].as_array().unwrap().clone();
    let fixes: Vec<&serde_json::Value> = diags.iter().filter(|d| d["fix"].is_object()).collect();
    assert!(fixes.iter().any(|d| d["fix"]["written"]
        == "Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000) 335"));
    // splitting the text over runs takes no fix away: as many safe and unsafe fixes as the
    // same notes in one run each
    let (_, seed_json, _) = ibid(&["check", seed.to_str().unwrap(), "--format", "json"]);
    let count = |json: &str, kind: &str| {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["fix"]["applicability"] == kind)
            .count()
    };
    for kind in ["safe", "unsafe"] {
        assert_eq!(count(&json, kind), count(&seed_json, kind), "{kind} fixes");
    }
    assert!(count(&json, "safe") >= 10);
    // runs hold three words at most: a citation of more spans several
    let multi = fixes
        .iter()
        .filter(|d| {
            d["fix"]["written"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .count()
                > 3
        })
        .count();
    assert!(multi >= 20, "{multi} fixes of citations over several runs");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("runs.docx");
    let original = std::fs::read(&runs).unwrap();
    std::fs::write(&file, &original).unwrap();
    let (_, out, err) = ibid(&["fix", "--unsafe", file.to_str().unwrap()]);
    assert!(
        out.contains("citation(s) rewritten as tracked changes"),
        "{out}{err}"
    );
    let fixed = std::fs::read(&file).unwrap();
    // what the reader reads equals the same fixes made in seed.docx, note for note
    let seed_file = dir.path().join("seed.docx");
    std::fs::copy(&seed, &seed_file).unwrap();
    ibid(&["fix", "--unsafe", seed_file.to_str().unwrap()]);
    let seed_fixed = std::fs::read(&seed_file).unwrap();
    assert_eq!(note_texts(&read(&fixed)), note_texts(&read(&seed_fixed)));
    // accepted independently of ibid's reader: the same; rejected: the original notes
    assert_eq!(
        note_texts(&read(&resolved(&fixed, true))),
        note_texts(&read(&fixed))
    );
    assert_eq!(
        note_texts(&read(&resolved(&fixed, false))),
        note_texts(&read(&original))
    );
    // each run keeps its formatting: every bold or en-GB word of the original that the fixed
    // note still has is still in a run with that property (accepted)
    let before_xml = part(&original, "word/footnotes.xml");
    let after_xml = resolve_changes(&part(&fixed, "word/footnotes.xml"), true);
    for prop in ["<w:b/>", "<w:lang w:val=\"en-GB\"/>"] {
        let before = formatted_words(&before_xml, prop);
        let after = formatted_words(&after_xml, prop);
        assert!(before.len() >= 10, "{prop}: {} words", before.len());
        let all_after = formatted_words(&after_xml, "");
        let mut kept = 0;
        for w in &before {
            if all_after.contains(w) {
                assert!(after.contains(w), "{prop} lost on {w:?}");
                kept += 1;
            }
        }
        // (an unsafe fix may rewrite a word: it is kept only where the fixed note has it)
        assert!(
            kept * 2 >= before.len(),
            "{prop}: {kept} of {}",
            before.len()
        );
    }
    // a second fix finds nothing more to write
    let (_, out, _) = ibid(&["fix", "--unsafe", file.to_str().unwrap()]);
    assert!(!out.contains("rewritten as tracked changes"), "{out}");
}

// ---- hand-made documents ----

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn make_docx(note_paragraph: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>Text.</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r></w:p></w:body></w:document>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{note_paragraph}</w:p></w:footnote></w:footnotes>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in [
        ("word/document.xml", document.as_str()),
        ("word/footnotes.xml", footnotes.as_str()),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A fix of the note text `old` (found in the note) into `new` (HTML-ish, `<i>` for italics).
fn fix_for(ms: &Manuscript, old: &str, new: &str) -> Fix {
    let note = &ms.notes[0];
    let at = note.text.find(old).expect("old text in the note");
    let span = note
        .map
        .span(Span::new(at, at + old.len()))
        .expect("maps to the source");
    Fix {
        span,
        // a .docx fix carries the visible text its span covers
        written: old.to_owned(),
        replacement: new.to_owned(),
        applicability: Applicability::Safe,
        work: None,
    }
}

/// Fixes `old` into `new` in a note made of `runs`; returns (new package, its footnotes.xml).
fn fix_runs(runs: &str, old: &str, new: &str) -> ibid::error::Result<(Vec<u8>, String)> {
    let bytes = make_docx(runs);
    let ms = read(&bytes);
    let fix = fix_for(&ms, old, new);
    let out = docx_fix::fix_package(
        Path::new("t.docx"),
        &bytes,
        &ms.text,
        &[&fix],
        "2026-01-02T03:04:05Z",
    )?;
    let xml = part(&out, "word/footnotes.xml");
    Ok((out, xml))
}

#[test]
fn a_citation_over_several_runs_keeps_its_unchanged_runs_and_italics() {
    let runs = r#"<w:r><w:t xml:space="preserve">See Lee, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Hacking &amp; Power</w:t></w:r><w:r><w:t xml:space="preserve"> (Oxford, 2001) 4-5. Prose.</w:t></w:r>"#;
    let (out, xml) = fix_runs(
        runs,
        "Lee, Hacking & Power (Oxford, 2001) 4-5",
        "Lee, <i>Hacking &amp; Power</i> (Oxford: OUP, 2001), 4–5",
    )
    .unwrap();
    let ms = read(&out);
    assert_eq!(
        ms.notes[0].text,
        "See Lee, Hacking & Power (Oxford: OUP, 2001), 4–5. Prose."
    );
    // the italic run was not touched at all, nor the words around the changes
    assert!(xml.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t>Hacking &amp; Power</w:t></w:r>"#));
    // only what changed is tracked: ": OUP" and "," inserted, the hyphen replaced by a dash
    assert!(
        xml.contains(r#"<w:ins w:id="2" w:author="ibid" w:date="2026-01-02T03:04:05Z"><w:r><w:t xml:space="preserve">: OUP</w:t></w:r></w:ins>"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:delText xml:space="preserve">-</w:delText>"#));
    assert!(xml.contains(r#"<w:t xml:space="preserve">–</w:t>"#));
    assert_eq!(xml.matches("<w:del ").count(), 1);
    assert_eq!(xml.matches("<w:ins ").count(), 3);
    assert!(xml.contains(r#"<w:t xml:space="preserve">See Lee, </w:t>"#));
    assert!(xml.contains(r#"w:author="ibid" w:date="2026-01-02T03:04:05Z""#));
    // rejected: the old note again
    let rejected = read(&resolved(&out, false));
    assert_eq!(
        rejected.notes[0].text,
        "See Lee, Hacking & Power (Oxford, 2001) 4-5. Prose."
    );
    assert_eq!(rejected.notes[0].text, read(&make_docx(runs)).notes[0].text);
}

#[test]
fn italics_the_style_wants_become_a_tracked_format_change() {
    let runs = r#"<w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">Lee, Hacking, 4.</w:t></w:r>"#;
    let (out, xml) = fix_runs(runs, "Lee, Hacking, 4", "Lee, <i>Hacking</i>, 4").unwrap();
    assert!(
        xml.contains(r#"<w:rPr><w:i/><w:sz w:val="20"/><w:rPrChange w:id="#),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:rPr><w:sz w:val="20"/></w:rPr></w:rPrChange></w:rPr><w:t xml:space="preserve">Hacking</w:t>"#));
    let ms = read(&out);
    assert_eq!(ms.notes[0].text, "Lee, Hacking, 4.");
    let at = ms.notes[0].text.find("Hacking").unwrap();
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(at, at + 7)]);
}

#[test]
fn unsure_places_are_refused() {
    // a field inside the citation
    let field = r#"<w:r><w:t xml:space="preserve">Lee, </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Hacking</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>, 4.</w:t></w:r>"#;
    let err = fix_runs(field, "Lee, Hacking, 4", "Lee, Hacking, 5").unwrap_err();
    assert!(err.to_string().contains("nothing was written"), "{err}");
    // an earlier tracked change inside the span
    let tracked = r#"<w:r><w:t xml:space="preserve">Lee, </w:t></w:r><w:ins w:id="7" w:author="A" w:date="2020-01-01T00:00:00Z"><w:r><w:t>Hacking</w:t></w:r></w:ins><w:r><w:t>, 4.</w:t></w:r>"#;
    let err = fix_runs(tracked, "Lee, Hacking, 4", "Lee, Hacking, 5").unwrap_err();
    assert!(err.to_string().contains("tracked change"), "{err}");
    // a bookmark between the runs
    let mark = r#"<w:r><w:t xml:space="preserve">Lee, </w:t></w:r><w:bookmarkStart w:id="3" w:name="x"/><w:r><w:t>Hacking, 4.</w:t></w:r>"#;
    let err = fix_runs(mark, "Lee, Hacking, 4", "Lee, Hacking, 5").unwrap_err();
    assert!(err.to_string().contains("bookmark"), "{err}");
    // a tab inside a run of the citation
    let tab = r#"<w:r><w:t xml:space="preserve">Lee,</w:t><w:tab/><w:t>Hacking, 4.</w:t></w:r>"#;
    assert!(fix_runs(tab, "Lee, Hacking, 4", "Lee, Hacking, 5").is_err());
    // a stale fix (the text is not what was checked)
    let bytes = make_docx(r#"<w:r><w:t>Lee, Hacking, 4.</w:t></w:r>"#);
    let ms = read(&bytes);
    let mut fix = fix_for(&ms, "Lee, Hacking, 4", "Lee, Hacking, 5");
    fix.written = "Lee, Hacking, 6".into();
    assert!(docx_fix::rewrite(Path::new("t"), &ms.text, &[&fix], "d").is_err());
}

#[test]
fn new_ids_are_above_every_id_in_the_parts() {
    let runs = r#"<w:bookmarkStart w:id="41" w:name="x"/><w:bookmarkEnd w:id="41"/><w:r><w:t>Lee, Hacking, 4.</w:t></w:r>"#;
    let (_, xml) = fix_runs(runs, "Lee, Hacking, 4", "Lee, Hacking, 5").unwrap();
    assert!(xml.contains(r#"<w:del w:id="42""#), "{xml}");
    assert!(xml.contains(r#"<w:ins w:id="43""#), "{xml}");
}

/// A note of two citations in one run, and a fix of each: (package, manuscript, the Ibid's fix,
/// the short form's fix).
fn two_citations_in_one_run() -> (Vec<u8>, Manuscript, Fix, Fix) {
    let bytes = make_docx(r#"<w:r><w:t>Ibid, 4; Lee, Hacking, 2-3.</w:t></w:r>"#);
    let ms = read(&bytes);
    let a = fix_for(&ms, "Ibid, 4", "Ibid., 4");
    let b = fix_for(&ms, "Lee, Hacking, 2-3", "Lee, <i>Hacking</i>, 2–3");
    (bytes, ms, a, b)
}

#[test]
fn two_citations_in_one_run_are_both_fixed() {
    let (bytes, ms, a, b) = two_citations_in_one_run();
    let out = docx_fix::fix_package(Path::new("t"), &bytes, &ms.text, &[&b, &a], "d").unwrap();
    assert_eq!(read(&out).notes[0].text, "Ibid., 4; Lee, Hacking, 2–3.");
    assert_eq!(
        read(&resolved(&out, false)).notes[0].text,
        "Ibid, 4; Lee, Hacking, 2-3."
    );
}

/// Two fixes in one run are written in one region of runs, but each keeps its own span in the
/// rewritten text: `check` blames a fix for the findings over its span, and a region's span made
/// a finding over one citation withdraw its neighbours (and their kin, round after round: #17).
#[test]
fn two_citations_in_one_run_keep_their_own_spans() {
    let (_, ms, a, b) = two_citations_in_one_run();
    let rw = docx_fix::rewrite(Path::new("t"), &ms.text, &[&b, &a], "d").unwrap();
    let (sb, sa) = (rw.spans[0], rw.spans[1]);
    assert!(sa.end <= sb.start, "{sa:?} then {sb:?}");
    assert_eq!(rw.regions.len(), 1, "one region of runs");
    // each span holds its own citation's text and markup, and not the other's
    let text_of = |s: Span| -> String {
        let xml = s.slice(&rw.text);
        let mut out = String::new();
        let mut inside = false;
        for c in xml.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    let (ta, tb) = (text_of(sa), text_of(sb));
    assert!(ta.starts_with("Ibid") && ta.ends_with('4'), "{ta}");
    assert!(!ta.contains("Lee"), "{ta}");
    assert!(tb.starts_with("Lee, ") && tb.ends_with('3'), "{tb}");
    assert!(!tb.contains("Ibid"), "{tb}");
}

// ---- LibreOffice ----

fn has_soffice() -> bool {
    Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn libreoffice_opens_the_fixed_seed_and_shows_the_changes() {
    if !has_soffice() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install LibreOffice (libreoffice-writer-nogui) for this test"
        );
        eprintln!("soffice not installed: LibreOffice verification skipped");
        return;
    }
    let out = Command::new("sh")
        .arg(fixture("scripts/verify-docx-fix.sh"))
        .env("IBID", env!("CARGO_BIN_EXE_ibid"))
        .output()
        .expect("run the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("OK"), "{stdout}");
}

#[test]
fn author_names_the_changes_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.docx");
    std::fs::copy(fixture("fixtures/formats/runs.docx"), &file).unwrap();
    let (_, out, err) = ibid(&[
        "fix",
        "--author",
        "Jane \"JE\" Editor",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.contains("(author \"Jane \"JE\" Editor\")"),
        "{out}{err}"
    );
    let fixed = std::fs::read(&file).unwrap();
    let notes = part(&fixed, "word/footnotes.xml");
    let comments = part(&fixed, "word/comments.xml");
    let by = r#"w:author="Jane &quot;JE&quot; Editor""#;
    assert!(notes.matches(by).count() >= 10, "{notes}");
    assert!(!notes.contains(r#"w:author="ibid""#));
    assert!(comments.matches(by).count() >= 20);
    assert!(comments.contains(r#"w:initials="J"#));
    // an author's quote does not break the XML: the package reads back
    read(&fixed);
}
