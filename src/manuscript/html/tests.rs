//! The HTML reader's tests.

use super::*;
use crate::model::diagnostic::Code;

fn read_str(text: &str) -> Manuscript {
    read(Path::new("t.html"), text.to_owned()).unwrap()
}

fn assert_maps(ms: &Manuscript) {
    for note in &ms.notes {
        for seg in &note.map.segments {
            let blank = |t: &str| t.chars().all(char::is_whitespace);
            let (t, src) = (seg.text.slice(&note.text), seg.source.slice(&ms.text));
            if blank(t) && blank(src) {
                continue; // a collapsed whitespace run
            }
            if seg.text.len() == seg.source.len() {
                assert_eq!(
                    seg.text.slice(&note.text),
                    seg.source.slice(&ms.text),
                    "note {}",
                    note.id
                );
            }
        }
    }
}

const PANDOC: &str = r##"<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a> Two.<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a> <a href="#fn3" class="footnote-ref" id="fnref3" role="doc-noteref"><sup>3</sup></a></p>
<section class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr />
<ol>
<li id="fn1" role="doc-endnote"><p>Smith &amp; Lee, <em>A Book</em>,
1998, 4.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2" role="doc-endnote"><p>Ibid.&#160;5.<a href="#fnref2" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn3" role="doc-endnote"><p>First paragraph.</p>
<p>Second, <i>T</i>.<a href="#fnref3" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol>
</section>"##;

#[test]
fn pandoc_footnotes() {
    let ms = read_str(PANDOC);
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "2", "3"]);
    assert_eq!(ms.notes[0].text, "Smith & Lee, A Book, 1998, 4.");
    assert_eq!(ms.notes[1].text, "Ibid.\u{a0}5.");
    assert_eq!(ms.notes[2].text, "First paragraph.\n\nSecond, T.");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(13, 19)]);
    assert_eq!(ms.notes[2].emphasis.len(), 1);
    assert_eq!(ms.markers.len(), 3);
    assert!(ms.markers[0]
        .span
        .slice(&ms.text)
        .starts_with("<a href=\"#fn1\""));
    assert!(ms.markers[0].span.slice(&ms.text).ends_with("</a>"));
    let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::AdjacentMarkers]);
    assert_maps(&ms);
}

#[test]
fn entities_map_one_segment_each() {
    let ms = read_str(PANDOC);
    let note = &ms.notes[0];
    let amp = note.text.find('&').unwrap();
    assert_eq!(
        note.map
            .span(Span::new(amp, amp + 1))
            .unwrap()
            .slice(&ms.text),
        "&amp;"
    );
    let seg = note
        .map
        .segments
        .iter()
        .find(|s| s.source.slice(&ms.text) == "&amp;")
        .unwrap();
    assert_eq!(seg.text.len(), 1);
    // the whole note maps, from "Smith" to "4."
    let all = note.map.span(Span::new(0, note.text.len())).unwrap();
    assert!(all.slice(&ms.text).starts_with("Smith &amp; Lee"));
    assert!(all.slice(&ms.text).ends_with("1998, 4."));
    // the line break inside the note became one space mapped to the newline
    let sp = note.text.find("Book, 1998").unwrap() + 5;
    assert_eq!(&note.text[sp..sp + 1], " ");
    assert_eq!(
        note.map
            .span(Span::new(sp, sp + 1))
            .unwrap()
            .slice(&ms.text),
        "\n"
    );
    let nbsp = &ms.notes[1];
    let at = nbsp.text.find('\u{a0}').unwrap();
    assert_eq!(
        nbsp.map
            .span(Span::new(at, at + 2))
            .unwrap()
            .slice(&ms.text),
        "&#160;"
    );
}

#[test]
fn sup_links_paragraph_notes_and_word_anchors() {
    let html = r##"<p>One<sup><a href="#fn3" id="ref3">3</a></sup> and two<a href="#_ftn4" name="_ftnref4">[4]</a>.</p>
<div class="notes"><p id="fn3"><sup>3</sup> Lee, <cite>Hacking</cite>, 62. <a href="#ref3">↩</a></p>
<p><a href="#_ftnref4" name="_ftn4">[4]</a> Ibid., 63.</p></div>"##;
    let ms = read_str(html);
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["3", "4"]);
    assert_eq!(ms.notes[0].text, "Lee, Hacking, 62.");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(5, 12)]);
    assert_eq!(ms.notes[0].label.unwrap().slice(&ms.text), "<sup>3</sup>");
    assert_eq!(ms.notes[1].text, "Ibid., 63.");
    assert!(ms.notes[1].label.unwrap().slice(&ms.text).contains("[4]"));
    assert_eq!(ms.markers.len(), 2);
    assert_eq!(
        ms.markers[0].span.slice(&ms.text),
        "<sup><a href=\"#fn3\" id=\"ref3\">3</a></sup>"
    );
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    assert_maps(&ms);
}

#[test]
fn word_export_endnotes_with_roman_labels() {
    // what Word's "save as web page" writes for endnotes, as in the seed essay's original page
    let html = r##"<p>Claim.<a href="#_edn1" name="_ednref1" title=""><span class="MsoEndnoteReference">[i]</span></a> More.<a href="#_edn2" name="_ednref2">[ii]</a></p>
<div style="mso-element:endnote-list"><hr align="left" size="1" width="33%">
<div style="mso-element:endnote" id="edn1"><p class="MsoEndnoteText"><a href="#_ednref1" name="_edn1" title=""><span class="MsoEndnoteReference">[i]</span></a> Dev Lewis, <i>Ambitions</i>, 4-13.</p></div>
<div style="mso-element:endnote" id="edn2"><p class="MsoEndnoteText"><a href="#_ednref2" name="_edn2">[ii]</a>Ibid, 4.</p></div></div>"##;
    let ms = read_str(html);
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["i", "ii"]);
    assert_eq!(ms.notes[0].text, "Dev Lewis, Ambitions, 4-13.");
    assert_eq!(ms.notes[1].text, "Ibid, 4.");
    assert!(ms.notes[0].label.unwrap().slice(&ms.text).contains("[i]"));
    assert_eq!(ms.markers.len(), 2);
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    assert_maps(&ms);
}

#[test]
fn wordpress_plugin_style_and_unused_note() {
    let html = r##"<p>Text<sup class="footnote"><a href="#fn-12-1" id="fnref-12-1">1</a></sup>.
<a href="#sec2">2</a> <a href="#top">Top</a></p><h2 id="sec2">Two</h2>
<div class="footnotes"><hr><ol><li id="fn-12-1">A, <em>B</em> (2001).&#160;<a href="#fnref-12-1">&#8617;</a></li>
<li id="fn-12-2">Never cited.</li></ol></div>"##;
    let ms = read_str(html);
    assert_eq!(ms.notes.len(), 1, "{:?}", ms.notes);
    assert_eq!(ms.notes[0].id, "1");
    assert_eq!(ms.notes[0].text, "A, B (2001).");
    assert_eq!(ms.markers.len(), 1);
}

#[test]
fn markup_at_citation_edges_maps_with_its_text() {
    let html = r##"<p>T<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1"><p><em>Hacking</em>, 62; see <b>Lee</b>, <i>T</i>.</p></li></ol>"##;
    let ms = read_str(html);
    let note = &ms.notes[0];
    assert_eq!(note.text, "Hacking, 62; see Lee, T.");
    let whole = note.map.span(Span::new(0, note.text.len())).unwrap();
    assert_eq!(
        whole.slice(&ms.text),
        "<em>Hacking</em>, 62; see <b>Lee</b>, <i>T</i>."
    );
    let title = note.map.span(Span::new(0, 7)).unwrap();
    assert_eq!(title.slice(&ms.text), "<em>Hacking</em>");
    let rest = note.map.span(Span::new(7, 11)).unwrap();
    assert_eq!(rest.slice(&ms.text), ", 62");
    let lee = note.text.find("Lee").unwrap();
    let span = note.map.span(Span::new(lee, lee + 3)).unwrap();
    assert_eq!(span.slice(&ms.text), "<b>Lee</b>");
}

#[test]
fn links_keep_their_urls() {
    let html = r##"<p>T<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1"><a href="https://perma.cc/J5BV">Intro</a>, <a href="https://a.org/b">https://a.org/b</a>, <a href="/local">here</a>.</li></ol>"##;
    let ms = read_str(html);
    let note = &ms.notes[0];
    assert_eq!(
        note.text,
        "Intro https://perma.cc/J5BV, https://a.org/b, here."
    );
    let seg = note
        .map
        .segments
        .iter()
        .find(|s| s.text.slice(&note.text) == "https://perma.cc/J5BV")
        .unwrap();
    assert_eq!(seg.source.slice(&ms.text), "https://perma.cc/J5BV");
    assert_maps(&ms);
}

#[test]
fn pasted_page_without_links_reads_as_plain_text() {
    let html = "<html><head><title>[i] no</title></head><body><p>Body one.[i] Body &amp; two.[ii]</p>\n<p>NOTES</p>\n<p>[i] Dev Lewis, <em>China&rsquo;s Ambitions</em>,\n  4-13.</p>\n<p>[ii]Ibid, 4.</p><p>Leave a Reply</p></body></html>";
    let ms = read_str(html);
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["i", "ii"]);
    assert_eq!(
        ms.notes[0].text,
        "Dev Lewis, China\u{2019}s Ambitions, 4-13."
    );
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(11, 30)]);
    assert_eq!(ms.markers.len(), 2);
    assert_eq!(ms.markers[1].span.slice(&ms.text), "[ii]");
    assert_eq!(ms.notes[0].label.unwrap().slice(&ms.text), "[i]");
    let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::GluedMarker]);
    let d = &ms.diagnostics[0];
    assert_eq!(d.span.unwrap().slice(&ms.text), "[ii]");
    let note = &ms.notes[0];
    let quote = note.text.find('\u{2019}').unwrap();
    assert_eq!(
        note.map
            .span(Span::new(quote, quote + 3))
            .unwrap()
            .slice(&ms.text),
        "&rsquo;"
    );
    let all = note.map.span(Span::new(0, note.text.len())).unwrap();
    assert!(all.slice(&ms.text).starts_with("Dev Lewis, <em>"));
    assert!(all.slice(&ms.text).ends_with("\n  4-13."));
    assert_maps(&ms);
}

#[test]
fn google_docs_and_wikipedia_exports() {
    let gdocs = r##"<p><span>Claim.</span><sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p><hr><div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a><span>&nbsp;Lee, &ldquo;Hacking,&rdquo; 62.</span></p></div>"##;
    let ms = read_str(gdocs);
    assert_eq!(ms.notes.len(), 1);
    assert_eq!(ms.notes[0].id, "1");
    assert_eq!(ms.notes[0].text, "Lee, \u{201c}Hacking,\u{201d} 62.");
    assert!(ms.notes[0].label.unwrap().slice(&ms.text).contains("[1]"));
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    let wiki = r##"<p>Claim.<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a></sup></p><ol class="references"><li id="cite_note-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-1">^</a></b></span> <span class="reference-text">Smith, <i>Book</i> (2001), 4.</span></li></ol>"##;
    let ms = read_str(wiki);
    assert_eq!(ms.notes.len(), 1);
    assert_eq!(ms.notes[0].text, "Smith, Book (2001), 4.");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(7, 11)]);
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
}

#[test]
fn epub_noterefs_and_asides() {
    let html = r##"<p>Claim.<a epub:type="noteref" href="#n1">1</a> More.<a epub:type="noteref" href="#n2">2</a></p>
<aside epub:type="footnote" id="n1"><p>Smith, <i>Book</i>, 4.</p></aside>
<aside epub:type="footnote" id="n2"><p>Ibid.</p></aside>"##;
    let ms = read_str(html);
    let texts: Vec<_> = ms.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, vec!["Smith, Book, 4.", "Ibid."]);
    assert_eq!(ms.markers.len(), 2);
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
}

#[test]
fn pasted_page_with_superscript_numbers() {
    let html = "<p>Claim.<sup>1</sup> More.<sup>2</sup></p><h2>Notes</h2><p><sup>1</sup> Smith, <em>Book</em>, 4.</p><p><sup>2</sup> Ibid.</p>";
    let ms = read_str(html);
    let texts: Vec<_> = ms.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, vec!["Smith, Book, 4.", "Ibid."]);
    let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "2"]);
    assert_eq!(ms.markers.len(), 2);
    assert_eq!(ms.markers[0].span.slice(&ms.text), "<sup>1</sup>");
    assert_eq!(ms.notes[1].label.unwrap().slice(&ms.text), "<sup>2</sup>");
    assert_eq!(ms.notes[0].emphasis, vec![Span::new(7, 11)]);
    assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 30_000;
    let mut html = String::from("<p>x<sup><a href=\"#fn1\">1</a></sup></p>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<ol><li id=\"fn1\">Deep, 4.</li></ol>");
    html.push_str(&"</div>".repeat(depth));
    let ms = read_str(&html);
    assert_eq!(ms.notes.len(), 1);
    assert_eq!(ms.notes[0].text, "Deep, 4.");
    let mut unclosed =
        String::from("<p>x<sup><a href=\"#fn1\">1</a></sup></p><ol><li id=\"fn1\">N.");
    unclosed.push_str(&"<span><b>".repeat(depth));
    let ms = read_str(&unclosed);
    assert_eq!(ms.notes[0].text, "N.");
}

#[test]
fn no_notes_and_script_skipped() {
    let ms = read_str("<p>Plain <a href=\"#x\">1</a></p><script>var a='<sup><a href=\"#fn1\">1</a></sup>';</script>");
    assert!(ms.notes.is_empty());
    let codes: Vec<_> = ms.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::NoNotes]);
}
