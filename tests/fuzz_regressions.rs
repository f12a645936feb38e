//! Inputs that once crashed ibid, found by the fuzz targets (`fuzz/`) and the property tests
//! (`tests/properties_invariance.rs`): each runs the check of the target that found it, so that
//! `cargo test` keeps them fixed.

use ibid::grammar::parse_note;
use ibid::Span;

/// What the `note_grammar` target checks: no panic, every span inside the text.
fn note_grammar(text: &str) {
    for emphasis in [&[][..], &[Span::new(0, text.len())][..]] {
        let parsed = parse_note(text, emphasis);
        for cite in &parsed.cites {
            assert!(
                text.get(cite.span.start..cite.span.end).is_some(),
                "{text:?}"
            );
            if let Some(loc) = &cite.locator {
                assert!(text.get(loc.span.start..loc.span.end).is_some(), "{text:?}");
            }
        }
        for f in &parsed.findings {
            assert!(text.get(f.span.start..f.span.end).is_some(), "{text:?}");
        }
    }
}

/// A no-break space before `op. cit.`: the sentence before the short form was empty, and the
/// name reader was handed an offset past the end of an empty slice (found by proptest,
/// `note_grammar_spans_stay_inside_citation_like_strings`; panicked in `names::word_end`).
#[test]
fn nbsp_before_op_cit() {
    note_grammar("\u{a0}op. cit.");
    note_grammar("\u{a0}op. cit., 4.");
    note_grammar("\u{a0}\u{a0}Smith, op. cit.");
}

/// One note of thousands of citations of the same author (a 50 MB single-line file made of
/// citations): the check for name variants compared every occurrence of the name with every
/// citation, for every citation: minutes at 200 KB, hours at 1 MB. Now linear: 200 KB
/// in well under a second in a release build, a few seconds in a debug one.
#[test]
fn a_note_of_thousands_of_citations_parses_in_bounded_time() {
    let one = "Ludwig Wittgenstein, Philosophical Investigations (Oxford: Blackwell, 2001), 4; ";
    let text = one.repeat(200 * 1024 / one.len());
    let start = std::time::Instant::now();
    let parsed = parse_note(&text, &[]);
    let took = start.elapsed();
    assert!(
        parsed.cites.len() > 1000,
        "{} citations",
        parsed.cites.len()
    );
    assert!(took.as_secs() < 20, "200 KB note took {took:?}");
    note_grammar(&text[..one.len() * 3]);
}
