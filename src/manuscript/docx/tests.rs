//! Unit tests of the .docx reader.

use super::*;
use crate::model::diagnostic::Code;
use std::io::{Cursor, Write};

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";
const ENDNOTES: &str = "word/endnotes.xml";
const SETTINGS: &str = "word/settings.xml";

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in entries {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    )
}

fn fref(id: u32) -> String {
    format!(
        r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
    )
}

fn footnotes(notes: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{notes}</w:footnotes>"#
    )
}

fn note(id: u32, runs: &str) -> String {
    format!(
        r#"<w:footnote w:id="{id}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>"#
    )
}

fn read_docx(entries: &[(&str, &str)]) -> Result<Manuscript> {
    read(Path::new("t.docx"), &docx(entries))
}

#[test]
fn tracked_changes_read_as_accepted() {
    let doc = document(&format!(
        "<w:p><w:r><w:t>Claim.</w:t></w:r>{}</w:p>",
        fref(1)
    ));
    let notes = footnotes(&note(
        1,
        r#"<w:r><w:t xml:space="preserve">Lee, </w:t></w:r><w:del w:id="5" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:tab/><w:delText>Hackin</w:delText></w:r></w:del><w:ins w:id="6" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:rPr><w:i/></w:rPr><w:t>Hacking</w:t></w:r></w:ins><w:r><w:t>, 4.</w:t></w:r>"#,
    ));
    let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &notes)]).unwrap();
    assert_eq!(ms.notes[0].text, "Lee, Hacking, 4.");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(5, 12)]);
}

#[test]
fn footnotes_with_italics_entities_and_separators() {
    let doc = document(&format!(
        "<w:p><w:r><w:t>Claim.</w:t></w:r>{}<w:r><w:t>More.</w:t></w:r>{}</w:p>",
        fref(7),
        fref(3)
    ));
    let notes = footnotes(&format!(
        "{}{}",
        note(3, r#"<w:r><w:t>Ibid., 5.</w:t></w:r>"#),
        note(
            7,
            r#"<w:r><w:t xml:space="preserve">Smith &amp; Lee, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>A Book</w:t></w:r><w:r><w:rPr><w:i w:val="0"/></w:rPr><w:t>, 1998, 4.</w:t></w:r>"#
        ),
    ));
    let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &notes)]).unwrap();
    // displayed numbers follow the order of reference, not the w:id
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "2"]);
    assert_eq!(ms.notes[0].text, "Smith & Lee, A Book, 1998, 4.");
    assert_eq!(ms.notes[1].text, "Ibid., 5.");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(13, 19)]);
    let amp = ms.notes[0].text.find('&').unwrap();
    assert_eq!(
        ms.notes[0]
            .map
            .span(Span::new(amp, amp + 1))
            .unwrap()
            .slice(&ms.text),
        "&amp;"
    );
    // each run's text is one segment mapping onto the content of its <w:t>
    let book = ms.notes[0]
        .map
        .segments
        .iter()
        .find(|s| s.text == Span::new(13, 19))
        .unwrap();
    assert_eq!(book.source.slice(&ms.text), "A Book");
    let end = ms.notes[0].map.offset(19).unwrap();
    assert!(ms.text[..end].ends_with("A Book"));
    assert!(ms.notes[0]
        .span
        .slice(&ms.text)
        .starts_with("<w:footnote w:id=\"7\">"));
    assert!(ms.notes[0]
        .label
        .unwrap()
        .slice(&ms.text)
        .contains("<w:footnoteRef/>"));
    assert_eq!(ms.markers.len(), 2);
    assert!(ms.markers[0].span.slice(&ms.text).contains("w:id=\"7\""));
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    let parts = parts(&ms.text);
    let names: Vec<_> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec![DOCUMENT, FOOTNOTES]);
    assert!(parts[1].1.slice(&ms.text).starts_with("<?xml"));
    assert!(parts[1].1.contains(ms.notes[0].span));
}

#[test]
fn hyperlinks_keep_their_urls() {
    let doc = document(&format!("<w:p>{}</w:p>", fref(1)));
    let foot = footnotes(&note(
        1,
        r#"<w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId21"><w:r><w:t>Intro</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">, </w:t></w:r><w:hyperlink r:id="rId22"><w:r><w:t>https://a.org/b</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink r:id="rId23"><w:r><w:t>a lesson</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r>"#,
    ));
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId21" Target="https://perma.cc/J5BV?a=1&amp;b=2" TargetMode="External" Type="x"/><Relationship Id="rId22" Target="https://a.org/b" TargetMode="External" Type="x"/><Relationship Id="rId23" Target="/en/lessons/x" TargetMode="External" Type="x"/></Relationships>"#;
    let ms = read_docx(&[
        (DOCUMENT, &doc),
        (FOOTNOTES, &foot),
        ("word/_rels/footnotes.xml.rels", rels),
    ])
    .unwrap();
    assert_eq!(
        ms.notes[0].text,
        "See Intro https://perma.cc/J5BV?a=1&b=2, https://a.org/b and a lesson."
    );
}

#[test]
fn endnotes_are_roman_and_both_kinds_coexist() {
    let doc = document(&format!(
        r#"<w:p>{}<w:r><w:t>y</w:t></w:r><w:r><w:endnoteReference w:id="2"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:endnoteReference w:id="5"/></w:r></w:p>"#,
        fref(1)
    ));
    let end = format!(
        r#"<w:endnotes {W}><w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote><w:endnote w:id="2"><w:p><w:r><w:t>E one.</w:t></w:r></w:p></w:endnote><w:endnote w:id="5"><w:p><w:r><w:t>E two.</w:t></w:r></w:p><w:p><w:r><w:t>Second paragraph.</w:t></w:r></w:p></w:endnote></w:endnotes>"#
    );
    let foot = footnotes(&note(1, "<w:r><w:t>F one.</w:t></w:r>"));
    let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &foot), (ENDNOTES, &end)]).unwrap();
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "i", "ii"]);
    assert_eq!(ms.notes[2].text, "E two.\n\nSecond paragraph.");
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    // same format for both: endnotes get a prefix
    let settings = format!(
        r#"<w:settings {W}><w:endnotePr><w:numFmt w:val="decimal"/></w:endnotePr></w:settings>"#
    );
    let ms = read_docx(&[
        (DOCUMENT, &doc),
        (FOOTNOTES, &foot),
        (ENDNOTES, &end),
        (SETTINGS, &settings),
    ])
    .unwrap();
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "e1", "e2"]);
}

#[test]
fn findings_and_deleted_references() {
    let doc = document(&format!(
        r#"<w:p>{}<w:r><w:t xml:space="preserve"> </w:t></w:r>{}<w:del w:id="9">{}</w:del></w:p>"#,
        fref(1),
        fref(2),
        fref(3)
    ));
    let foot = footnotes(&format!(
        "{}{}{}",
        note(1, "<w:r><w:t>A.</w:t></w:r>"),
        note(2, "<w:r><w:t>B.</w:t></w:r>"),
        note(3, "<w:r><w:t>Deleted reference.</w:t></w:r>")
    ));
    let ms = read_docx(&[(DOCUMENT, &doc), (FOOTNOTES, &foot)]).unwrap();
    let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::AdjacentMarkers, Code::NoteWithoutMarker]);
    // messages say where in Word terms
    assert!(
        ms.diagnostics[0]
            .message
            .ends_with("(word/document.xml, paragraph 1)"),
        "{}",
        ms.diagnostics[0].message
    );
    assert!(ms.diagnostics[1]
        .message
        .contains("word/footnotes.xml, paragraph"));
    assert_eq!(ms.notes.len(), 3);
}

#[test]
fn typed_notes_without_word_notes_read_as_plain_text() {
    let para = |runs: &str| format!("<w:p>{runs}</w:p>");
    let run = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    let body = [
        para(&format!(
            "{}{}",
            run("Claim.[i] More.[ii] And"),
            r#"<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>3</w:t></w:r>"#
        )),
        para(&run("NOTES")),
        para(&format!(
            "{}{}{}",
            run("[i] Dev Lewis, "),
            r#"<w:r><w:rPr><w:i/></w:rPr><w:t>China&amp;s Ambitions</w:t></w:r>"#,
            run(", 4-13.")
        )),
        para(&run("[ii]Ibid, 4.")),
    ]
    .concat();
    let ms = read_docx(&[(DOCUMENT, &document(&body))]).unwrap();
    let texts: Vec<_> = ms.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["Dev Lewis, China&s Ambitions, 4-13.", "Ibid, 4."]
    );
    assert_eq!(ms.notes[0].id, "i");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(11, 28)]);
    assert_eq!(ms.markers.len(), 2);
    assert_eq!(ms.markers[1].span.slice(&ms.text), "[ii]");
    let amp = ms.notes[0].text.find('&').unwrap();
    let span = ms.notes[0].map.span(Span::new(amp, amp + 1)).unwrap();
    assert_eq!(span.slice(&ms.text), "&amp;");
    let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::GluedMarker]);
}

#[test]
fn not_a_zip_names_the_file() {
    let err = read(Path::new("essay.docx"), b"plain text, not a zip").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("essay.docx") && msg.contains("zip"), "{msg}");
    let err = read_docx(&[("word/other.xml", "<x/>")]).unwrap_err();
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn doctype_is_refused() {
    let doc = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w:document><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
    let err = read_docx(&[(DOCUMENT, doc)]).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("t.docx") && msg.contains("word/document.xml"),
        "{msg}"
    );
    assert!(msg.contains("DOCTYPE"), "{msg}");
}

#[test]
fn zip_bomb_is_refused() {
    // 65 MiB of zeros compress to a few kilobytes
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(DOCUMENT, opts).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..65 {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 1 << 20);
    let err = read(Path::new("bomb.docx"), &bytes).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("bomb.docx") && msg.contains("zip bomb"),
        "{msg}"
    );
}

#[test]
fn broken_xml_names_part_and_byte() {
    let err = read_docx(&[(DOCUMENT, "<w:document><w:body></w:p></w:document>")]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("word/document.xml: byte"), "{msg}");
}
