//! Properties that must hold for any input: no panic, every span inside its text, note text
//! mapped back to the source byte for byte, and the same notes whatever the line endings.

use std::path::Path;

use ibid::manuscript::{read_bytes, Format};
use proptest::prelude::*;

/// Manuscript-like text: prose, markers, a notes heading, labelled notes, odd characters.
fn manuscript() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Body text with a claim.".to_string()),
        Just("[i]".to_string()),
        Just("[ii]".to_string()),
        Just("[12]".to_string()),
        Just("[^3]".to_string()),
        Just("¹".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("NOTES\n".to_string()),
        Just("\nEndnotes:\n".to_string()),
        Just("[i] Dev Lewis, China’s Ambitions (Delhi: Hub), 4-13.".to_string()),
        Just("[ii]Ibid, 4.".to_string()),
        Just("1. Smith, “Title,” 3.".to_string()),
        Just("   continued line".to_string()),
        Just("“unclosed".to_string()),
        "[a-zA-Z0-9 ,.;:\\[\\]()“”’-]{0,30}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn reader_spans_stay_inside_and_map_exactly(text in manuscript()) {
        let ms = read_bytes(Path::new("p.txt"), text.as_bytes(), Format::Text).unwrap();
        for m in &ms.markers {
            prop_assert!(m.span.end <= ms.text.len());
            prop_assert!(ms.text.get(m.span.start..m.span.end).is_some());
        }
        for n in &ms.notes {
            prop_assert!(n.span.end <= ms.text.len());
            let whole = n.map.span(ibid::Span::new(0, n.text.len())).expect("plain text maps exactly");
            prop_assert_eq!(whole.slice(&ms.text), n.text.as_str());
        }
        for d in &ms.diagnostics {
            if let Some(s) = d.span {
                prop_assert!(s.start <= s.end && s.end <= ms.text.len());
            }
        }
    }

    #[test]
    fn line_endings_do_not_change_the_notes(text in manuscript()) {
        let lf = text.replace("\r\n", "\n").replace('\r', "");
        let crlf = lf.replace('\n', "\r\n");
        let a = read_bytes(Path::new("a.txt"), lf.as_bytes(), Format::Text).unwrap();
        let b = read_bytes(Path::new("b.txt"), crlf.as_bytes(), Format::Text).unwrap();
        let texts = |m: &ibid::Manuscript| m.notes.iter().map(|n| (n.id.clone(), n.text.replace('\r', ""))).collect::<Vec<_>>();
        prop_assert_eq!(texts(&a), texts(&b));
        let ids = |m: &ibid::Manuscript| m.markers.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&a), ids(&b));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(lf.as_bytes());
        let c = read_bytes(Path::new("c.txt"), &bom, Format::Text).unwrap();
        prop_assert_eq!(texts(&a), texts(&c));
    }

    #[test]
    fn analysis_never_panics_and_spans_stay_in_notes(text in manuscript()) {
        let ms = read_bytes(Path::new("p.txt"), text.as_bytes(), Format::Text).unwrap();
        let analysis = ibid::resolve::analyse(ms);
        for (note, parsed) in analysis.manuscript.notes.iter().zip(&analysis.notes) {
            for cite in &parsed.cites {
                prop_assert!(cite.span.end <= note.text.len());
                prop_assert!(note.text.get(cite.span.start..cite.span.end).is_some());
                if let Some(l) = &cite.locator {
                    prop_assert!(l.span.end <= note.text.len());
                }
            }
        }
    }
}
