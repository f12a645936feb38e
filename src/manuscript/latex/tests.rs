use super::*;

fn ms(src: &str) -> Manuscript {
    read(Path::new("t.tex"), src.to_owned()).unwrap()
}

/// Every byte of a note's text that maps verbatim is the source's byte.
fn maps_back(m: &Manuscript) {
    for note in &m.notes {
        for seg in &note.map.segments {
            let text = seg.text.slice(&note.text);
            let source = seg.source.slice(&m.text);
            // (a decoded piece may have its source's length: `---` for `—`, `\l` for `ł`)
            if seg.text.len() == seg.source.len() && !write::is_text_escape(source) {
                assert_eq!(text, source, "note {}", note.id);
            }
            assert!(seg.source.end <= m.text.len());
        }
    }
}

fn italics(note: &Note) -> Vec<&str> {
    note.emphasis.iter().map(|e| e.slice(&note.text)).collect()
}

#[test]
fn notes_counters_and_ids() {
    let m = ms(r"\documentclass{article}
% \footnote{not in the document}
\begin{document}
One.\footnote{First.} Two.\footnote[7]{Seventh.} Three.\footnote{Second.}
Four.\footnotemark{} Five.\footnotemark
\footnotetext[3]{Third.}
\footnotetext{Fourth.}
\setcounter{footnote}{9}Six.\footnote{Tenth.}
\begin{verbatim}
\footnote{verbatim}
\end{verbatim}
% \footnote{a comment}
\end{document}
\footnote{after the document}
");
    let ids: Vec<(&str, &str)> = m
        .notes
        .iter()
        .map(|n| (n.id.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1", "First."),
            ("7", "Seventh."),
            ("2", "Second."),
            ("3", "Third."),
            ("4", "Fourth."),
            ("10", "Tenth.")
        ]
    );
    let markers: Vec<&str> = m.markers.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(markers, ["1", "7", "2", "3", "4", "10"]);
    assert_eq!(m.markers[0].span.slice(&m.text), "\\footnote");
    assert_eq!(m.markers[1].span.slice(&m.text), "\\footnote[7]");
    assert!(m.notes[0].span.slice(&m.text).ends_with("{First.}"));
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    maps_back(&m);
}

#[test]
fn text_typesets_as_latex_does() {
    let m = ms(concat!(
        "\\begin{document}X.\\footnote{Smith, \\emph{The {\\\"U}ber~Book \\& Co.}, ",
        "``Quoted,'' 4--13 --- \\textit{It}'s {\\itshape Shape} \\'etude \\c{c}a 50\\% \\ldots{} ",
        "\\textsc{Sc} % a comment\n  \\url{https://x.org/a\\%20b} \\href{https://y.org}{Site}.}",
        "\\end{document}"
    ));
    let n = &m.notes[0];
    assert_eq!(
        n.text,
        "Smith, The Über\u{a0}Book & Co., “Quoted,” 4–13 — It’s Shape étude ça 50% … Sc \
         https://x.org/a%20b Site https://y.org."
    );
    assert_eq!(italics(n), ["The Über\u{a0}Book & Co.", "It", "Shape"]);
    maps_back(&m);
    // a finding's place is the source's line:col
    let at = n.map.offset(n.text.find("Sc ").unwrap()).unwrap();
    assert_eq!(&m.text[at..at + 10], "\\textsc{Sc");
}

#[test]
fn emph_in_italics_is_upright_and_declarations_end_with_their_group() {
    let m = ms(r"\footnote{\textit{A \emph{B} C} {\em D} E}");
    // (an emphasis starts at its first visible character)
    assert_eq!(italics(&m.notes[0]), ["A ", "C", "D"]);
}

#[test]
fn endnotes_have_their_own_counter() {
    let m = ms(r"A\footnote{f1} B\endnote{e1} C\footnote{f2}");
    let ids: Vec<&str> = m.notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["1", "e1", "2"]);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
}

#[test]
fn a_mark_without_text_and_no_notes_are_findings() {
    let m = ms(r"\begin{document}A\footnotemark\end{document}");
    assert!(m
        .diagnostics
        .iter()
        .any(|d| d.code == crate::model::diagnostic::Code::MarkerWithoutNote));
    let m = ms("\\begin{document}No notes here.\\end{document}");
    assert!(m
        .diagnostics
        .iter()
        .any(|d| d.code == crate::model::diagnostic::Code::NoNotes));
}

#[test]
fn the_closing_brace_of_italics_belongs_to_the_text_before_it() {
    let m = ms(r"\footnote{Smith, \emph{Title}, 4.}");
    let n = &m.notes[0];
    let title_end = n.text.find(", 4").unwrap();
    // a span ending with the title takes the brace, one starting after it does not
    let end = n.map.offset(title_end).unwrap();
    assert_eq!(&m.text[..end], r"\footnote{Smith, \emph{Title}");
    let start = n.map.offset(title_end).unwrap();
    assert_eq!(&m.text[start..start + 3], ", 4");
}

#[test]
fn notes_side_by_side_are_a_finding() {
    let m = ms(r"A.\footnote{One.} \footnote{Two.} B.\footnote{Three.}");
    let adjacent: Vec<_> = m
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::model::diagnostic::Code::AdjacentMarkers)
        .collect();
    assert_eq!(adjacent.len(), 1, "{:?}", m.diagnostics);
    assert_eq!(adjacent[0].note.as_deref(), Some("1"));
}

#[test]
fn every_prefix_of_a_busy_note_reads_and_maps_back() {
    // cut anywhere (an unclosed group, a command without its argument), never a panic
    let src = concat!(
        "\\begin{document}A\\footnote[2]{\\emph{B \\'{e}} \\href{u}{t} ``q'' --- \\\\* \\c{c}",
        "\\url{x\\%y} {\\itshape z} \\ldots{} \\\"{\\i} 50\\% % c\n}\\setcounter{footnote}{x}",
        "\\footnotemark[3]\\footnotetext{w}\\verb|\\footnote{v}|\\endnote{é}"
    );
    for end in (0..=src.len()).filter(|&e| src.is_char_boundary(e)) {
        maps_back(&ms(&src[..end]));
    }
    assert_eq!(ms(src).notes.len(), 3);
}
