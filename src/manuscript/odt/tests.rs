use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/></style:style><style:style style:name="T2" style:family="text" style:parent-style-name="Emphasis"/></office:automatic-styles><office:body><office:text>"#;
const STYLES: &str = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"><office:styles><style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style></office:styles></office:document-styles>"#;

fn ms(body: &str) -> Manuscript {
    let text = format!(
        "{}{HEAD}{body}</office:text></office:body></office:document-content>\n{}{STYLES}\n",
        part_header("content.xml"),
        part_header("styles.xml")
    );
    read_text(Path::new("t.odt"), text).unwrap()
}

fn note(class: &str, n: &str, body: &str) -> String {
    format!(
        r#"<text:note text:id="ftn{n}" text:note-class="{class}"><text:note-citation>{n}</text:note-citation><text:note-body>{body}</text:note-body></text:note>"#
    )
}

#[test]
fn notes_text_italics_and_spans() {
    let body = format!(
        "<text:p>Claim.{}More.{}</text:p>",
        note(
            "footnote",
            "1",
            r#"<text:p>Smith, <text:span text:style-name="T1">The Book</text:span>,<text:s/>4&amp;5<text:soft-page-break/>.</text:p><text:p>See <text:a xlink:href="https://x.org"><text:span text:style-name="T2">site</text:span></text:a>.</text:p>"#
        ),
        note("endnote", "1", "<text:p>End<text:tab/>note.</text:p>")
    );
    let m = ms(&body);
    assert_eq!(m.notes.len(), 2);
    let n = &m.notes[0];
    assert_eq!(n.text, "Smith, The Book, 4&5.\n\nSee site https://x.org.");
    let italic: Vec<&str> = n.emphasis.iter().map(|e| e.slice(&n.text)).collect();
    assert_eq!(italic, ["The Book", "site"]);
    assert_eq!(m.notes[1].text, "End note.");
    // footnote 1 and endnote 1: the endnote's id is prefixed
    assert_eq!(m.notes[1].id, "e1");
    assert!(m.markers[0].span.slice(&m.text).starts_with("<text:note "));
    assert!(m.markers[0]
        .span
        .slice(&m.text)
        .ends_with("<text:note-citation>1</text:note-citation>"));
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    // verbatim pieces are the XML's bytes
    for seg in &n.map.segments {
        if seg.text.len() == seg.source.len() {
            assert_eq!(seg.text.slice(&n.text), seg.source.slice(&m.text));
        }
    }
}

#[test]
fn deleted_text_and_comments_are_not_read() {
    let body = format!(
        "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion><text:p>{}</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>A.{}</text:p>",
        note("footnote", "9", "<text:p>Deleted note.</text:p>"),
        note(
            "footnote",
            "1",
            "<text:p>Kept<office:annotation><text:p>a comment</text:p></office:annotation> text.</text:p>"
        )
    );
    let m = ms(&body);
    assert_eq!(m.notes.len(), 1);
    assert_eq!(m.notes[0].text, "Kept text.");
}

#[test]
fn a_package_without_content_is_refused() {
    let err = read(Path::new("x.odt"), b"not a zip").unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
}
