//! The note grammar on any string: no panic, every span inside the note and on char boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // an emphasis range from the text's own shape: the first word, when there is one
    let first = text.find(' ').unwrap_or(text.len());
    let emphasis = [ibid::Span::new(0, first)];
    for emph in [&[][..], &emphasis[..]] {
        let parsed = ibid::grammar::parse_note(text, emph);
        for cite in &parsed.cites {
            let s = cite.span;
            assert!(s.start <= s.end && s.end <= text.len(), "cite span {s:?}");
            assert!(text.get(s.start..s.end).is_some(), "cite span off a char boundary");
            if let Some(loc) = &cite.locator {
                let l = loc.span;
                assert!(l.start <= l.end && l.end <= text.len(), "locator span {l:?}");
                assert!(text.get(l.start..l.end).is_some(), "locator span off a boundary");
            }
        }
        for f in &parsed.findings {
            assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "finding span");
        }
    }
});
