//! Properties the other test files do not cover yet:
//! * the note and reference grammars, on any string at all, return without panic and every span
//!   they give lies inside the input, on character boundaries;
//! * the citations a manuscript yields (kinds, locators, signals, the works they resolve to) do not
//!   change when its line endings become CRLF, when it starts with a BOM, or when its lines end in
//!   spaces: on the seed essay, the conventions file and the Markdown and HTML fixtures.

use std::path::{Path, PathBuf};

use ibid::grammar::{parse_note, parse_reference};
use ibid::manuscript::{read_bytes, Format};
use ibid::output::Extract;
use ibid::Span;
use proptest::prelude::*;

fn check_span(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what} {s:?} outside {} bytes of {text:?}",
        text.len()
    );
    assert!(
        text.get(s.start..s.end).is_some(),
        "{what} {s:?} off a character boundary in {text:?}"
    );
}

fn check_note(text: &str, emphasis: &[Span]) {
    let parsed = parse_note(text, emphasis);
    for cite in &parsed.cites {
        check_span(text, cite.span, "citation");
        if let Some(loc) = &cite.locator {
            check_span(text, loc.span, "locator");
        }
    }
    for f in &parsed.findings {
        check_span(text, f.span, "finding");
    }
}

/// Strings made of the pieces citations are made of, so that the grammar goes deep, not only
/// rejects at the first byte.
fn citation_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "Ibid.",
        "ibid",
        "Id.",
        " at ",
        "op. cit.",
        "See ",
        "See, e.g., ",
        "cf. ",
        "Smith",
        "J. R.",
        "Smith and Jones",
        ", ",
        ". ",
        "; ",
        ": ",
        "“",
        "”",
        "\"",
        "'",
        "’",
        "(",
        ")",
        "[",
        "]",
        "Chicago",
        "Press",
        "2001",
        "n.d.",
        "12",
        "4–13",
        "pp. ",
        "p. ",
        "vol. ",
        "no. ",
        "ch. ",
        "xiv",
        "ed. ",
        "trans. ",
        "In ",
        "https://doi.org/10.1/x",
        "accessed May 3, 2019",
        "U.S.",
        " v. ",
        "Article 21",
        "é",
        "\u{a0}",
        "\u{301}",
        "—",
        "–",
        "-",
        "…",
        " ",
        "\n",
        "*",
        "ﬁ",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn note_grammar_spans_stay_inside_any_string(text in any::<String>()) {
        check_note(&text, &[]);
        let first = text.char_indices().nth(3).map_or(text.len(), |(i, _)| i);
        check_note(&text, &[Span::new(0, first)]);
    }

    #[test]
    fn note_grammar_spans_stay_inside_citation_like_strings(text in citation_like()) {
        check_note(&text, &[]);
        let first = text.find(',').unwrap_or(text.len());
        check_note(&text, &[Span::new(0, first)]);
    }

    #[test]
    fn reference_grammar_returns_on_any_string(
        text in prop_oneof![any::<String>(), citation_like()]
    ) {
        let work = parse_reference(&text);
        prop_assert!(serde_json::to_string(&work).is_ok());
    }
}

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// What must not change: per note, each citation's kind, work, locator, label and signal; and
/// the works of the library.
fn citations(bytes: &[u8], format: Format) -> (Vec<String>, String) {
    let ms = read_bytes(Path::new("m"), bytes, format).expect("reads");
    let analysis = ibid::resolve::analyse(ms);
    let out = Extract::from_analysis(&analysis);
    let cites = out
        .notes
        .iter()
        .flat_map(|n| {
            n.citations.iter().map(move |c| {
                format!(
                    "{} {} {:?} {:?} {:?} {:?}",
                    n.id, c.kind, c.work, c.locator, c.label, c.signal
                )
            })
        })
        .collect();
    (cites, serde_json::to_string(&out.works).unwrap())
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn trailing_spaces(text: &str) -> String {
    // one space, not two: two spaces before a newline are a hard line break in Markdown
    text.replace('\n', " \n")
}

#[test]
fn crlf_bom_and_trailing_spaces_do_not_change_the_citations() {
    let files = [
        ("fixtures/essay-internet-governance.txt", Format::Text),
        ("fixtures/grammar/conventions.txt", Format::Text),
        ("fixtures/formats/seed.md", Format::Markdown),
        ("fixtures/formats/variants.md", Format::Markdown),
        ("fixtures/formats/seed.html", Format::Html),
        ("fixtures/formats/variants.html", Format::Html),
    ];
    for (rel, format) in files {
        let text = std::fs::read_to_string(fixture(rel)).unwrap();
        let base = citations(text.as_bytes(), format);
        assert!(base.0.len() >= 5, "{rel}: too few citations to compare");
        let variants: [(&str, Vec<u8>); 4] = [
            ("CRLF", crlf(&text).into_bytes()),
            ("BOM", [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()),
            ("trailing spaces", trailing_spaces(&text).into_bytes()),
            (
                "all three",
                [
                    &b"\xEF\xBB\xBF"[..],
                    crlf(&trailing_spaces(&text)).as_bytes(),
                ]
                .concat(),
            ),
        ];
        for (what, bytes) in variants {
            let got = citations(&bytes, format);
            assert_eq!(got.0, base.0, "{rel} with {what}: citations differ");
            assert_eq!(got.1, base.1, "{rel} with {what}: works differ");
        }
    }
}
