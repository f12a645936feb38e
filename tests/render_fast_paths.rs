//! The fast render paths give what the full path gives: notes-only rendering (no bibliography
//! pass, no note numbers for styles that never test them) and the cached re-render `check` uses
//! between rounds of fixes. Equality, not timing: speed is measured in `benches/`.

#[path = "../scripts/synth.rs"]
mod synth;

use ibid::render::{self, RenderCache, RenderInput, Style};

fn notes_json(r: &render::Rendered) -> serde_json::Value {
    serde_json::to_value(&r.notes).unwrap()
}

/// The notes of two renderings are equal; on failure, the first note that differs.
fn assert_same_notes_of(a: &render::Rendered, b: &render::Rendered, what: &str) {
    assert_eq!(a.notes.len(), b.notes.len(), "{what}");
    for (x, y) in a.notes.iter().zip(&b.notes) {
        assert_eq!(
            serde_json::to_value(x).unwrap(),
            serde_json::to_value(y).unwrap(),
            "{what}"
        );
    }
}

fn assert_same_notes(input: &RenderInput, style: &Style) {
    let full = render::render(input, style).unwrap();
    let only = render::render_notes(input, style).unwrap();
    assert_eq!(notes_json(&full), notes_json(&only), "style {}", style.name);
    assert!(only.bibliography.is_empty());
    assert!(!full.bibliography.is_empty());
    assert_eq!(full.warnings, only.warnings);
}

#[test]
fn notes_only_equals_full_render_on_the_seed_in_every_builtin_style() {
    let seed = RenderInput::from_extract(&synth::seed_extract());
    for b in render::style::BUILTIN {
        let style = Style::builtin(b.name).unwrap();
        assert_same_notes(&seed, &style);
    }
}

#[test]
fn notes_only_equals_full_render_on_generated_notes() {
    let pool = synth::pool();
    assert!(pool.len() > 500, "the corpus gives works: {}", pool.len());
    let input = synth::input(&pool, 300, 1_500);
    for name in ["chicago", "chicago-18", "apa"] {
        assert_same_notes(&input, &Style::builtin(name).unwrap());
    }
}

#[test]
fn the_cache_answers_only_the_same_question() {
    let pool = synth::pool();
    let style = Style::builtin("chicago").unwrap();
    let input = synth::input(&pool, 40, 200);
    let cache = RenderCache::default();
    let first = render::render_notes_cached(&input, &style, &cache).unwrap();
    let again = render::render_notes_cached(&input, &style, &cache).unwrap();
    assert_eq!(notes_json(&first), notes_json(&again));
    // Another locator in one note: not the cached answer.
    let mut changed = input.clone();
    let cite = changed
        .notes
        .iter_mut()
        .flat_map(|n| &mut n.citations)
        .find(|c| c.locator.is_some())
        .unwrap();
    cite.locator = Some("999".into());
    let fresh = render::render_notes(&changed, &style).unwrap();
    let cached = render::render_notes_cached(&changed, &style, &cache).unwrap();
    assert_eq!(notes_json(&fresh), notes_json(&cached));
    assert_ne!(notes_json(&first), notes_json(&cached));
}

#[test]
fn a_style_that_tests_near_note_gets_note_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("near.csl");
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Near</title><id>near</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation near-note-distance="2">
    <layout suffix=".">
      <choose>
        <if position="near-note"><text value="near"/></if>
        <else><text variable="title"/></else>
      </choose>
    </layout>
  </citation>
</style>"#;
    std::fs::write(&path, xml).unwrap();
    let style = render::style::load_file(&path).unwrap();
    assert!(style.uses_note_numbers);
    assert!(!Style::builtin("chicago").unwrap().uses_note_numbers);
    let seed = RenderInput::from_extract(&synth::seed_extract());
    let out = render::render_notes(&seed, &style).unwrap();
    let texts: Vec<String> = out
        .notes
        .iter()
        .filter_map(|n| n.citation.as_ref().map(|c| c.to_text()))
        .collect();
    assert!(texts.iter().any(|t| t.starts_with("Near")), "{texts:?}");
    assert!(texts.iter().any(|t| !t.starts_with("Near")), "{texts:?}");
}

#[test]
fn notes_only_equals_full_render_on_the_seed_manuscript() {
    let ms = ibid::manuscript::read(&synth::seed_manuscript(), None).unwrap();
    let input = RenderInput::from_analysis(&ibid::resolve::analyse(ms));
    for b in render::style::BUILTIN {
        let style = Style::builtin(b.name).unwrap();
        let full = render::render(&input, &style).unwrap();
        let only = render::render_notes(&input, &style).unwrap();
        for (a, b) in full.notes.iter().zip(&only.notes) {
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::to_value(b).unwrap(),
                "style {}",
                style.name
            );
        }
    }
}

/// The memoised path (note styles: each citation rendered once, locators stood in for) against
/// one hayagriva run over the whole document: notes and bibliography identical.
fn assert_memo_matches_whole(input: &RenderInput, style: &Style, what: &str) {
    let whole = render::render_whole_document(input, style).unwrap();
    let memo = render::render(input, style).unwrap();
    assert_eq!(
        notes_json(&whole),
        notes_json(&memo),
        "{what}, style {}",
        style.name
    );
    assert_eq!(whole.bibliography.len(), memo.bibliography.len(), "{what}");
    for (a, b) in whole.bibliography.iter().zip(&memo.bibliography) {
        assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::to_value(b).unwrap(),
            "{what}, style {}",
            style.name
        );
    }
}

#[test]
fn the_memo_renders_what_the_whole_document_renders() {
    let seed_json = RenderInput::from_extract(&synth::seed_extract());
    let ms = ibid::manuscript::read(&synth::seed_manuscript(), None).unwrap();
    let seed_ms = RenderInput::from_analysis(&ibid::resolve::analyse(ms));
    let pool = synth::pool();
    let generated = synth::input(&pool, 200, 2_000);
    for b in render::style::BUILTIN {
        let style = Style::builtin(b.name).unwrap();
        assert_memo_matches_whole(&seed_json, &style, "seed gold");
        assert_memo_matches_whole(&seed_ms, &style, "seed manuscript");
        assert_memo_matches_whole(&generated, &style, "generated");
    }
}

#[test]
fn the_memo_renders_what_the_whole_document_renders_on_the_corpus_lessons() {
    let dir = synth::shared().join("corpus/programming-historian");
    let mut files: Vec<_> = ["en", "other"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).unwrap())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "{}", files.len());
    for style in ["chicago", "chicago-18"] {
        let style = Style::builtin(style).unwrap();
        for f in &files {
            let ms = ibid::manuscript::read(f, None).unwrap();
            let input = RenderInput::from_analysis(&ibid::resolve::analyse(ms));
            assert_memo_matches_whole(&input, &style, &f.display().to_string());
        }
    }
}

#[test]
fn one_memo_serves_many_manuscripts_and_changed_locators() {
    let pool = synth::pool();
    let style = Style::builtin("chicago").unwrap();
    let cache = RenderCache::default();
    // Manuscripts drawing on the same works: the second and later reuse the first's clusters.
    for seed in 0..4 {
        let mut input = synth::input(&pool[seed * 10..], 60, 300);
        // other pages each time: the stood-in locators must come back right
        for (i, cite) in input
            .notes
            .iter_mut()
            .flat_map(|n| &mut n.citations)
            .enumerate()
        {
            if cite.locator.is_some() {
                cite.locator = Some(format!("{}–{}", 3 + i + seed, 9 + i * 2));
            }
        }
        let cached = render::render_notes_cached(&input, &style, &cache).unwrap();
        let whole = render::render_whole_document(&input, &style).unwrap();
        assert_eq!(notes_json(&whole), notes_json(&cached), "manuscript {seed}");
    }
}

#[test]
fn a_style_printing_the_locator_as_a_number_is_rendered_with_real_locators() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ordinal.csl");
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Ordinal</title><id>ordinal</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix=".">
      <text variable="title"/>
      <number variable="locator" form="ordinal" prefix=", the "/>
      <choose><if position="ibid-with-locator"><text value=" (again)"/></if></choose>
    </layout>
  </citation>
</style>"#;
    std::fs::write(&path, xml).unwrap();
    let style = render::style::load_file(&path).unwrap();
    let seed = RenderInput::from_extract(&synth::seed_extract());
    let memo = render::render_notes(&seed, &style).unwrap();
    let whole = render::render_whole_document(&seed, &style).unwrap();
    assert_eq!(notes_json(&whole), notes_json(&memo));
    let texts: Vec<String> = memo
        .notes
        .iter()
        .filter_map(|n| n.citation.as_ref().map(|c| c.to_text()))
        .collect();
    assert!(texts.iter().any(|t| t.contains("the 4th")), "{texts:?}");

    // The locator printed twice: its stand-ins come back twice, so the memo renders literally.
    let path = dir.path().join("twice.csl");
    std::fs::write(
        &path,
        xml.replace(
            r#"<number variable="locator" form="ordinal" prefix=", the "/>"#,
            r#"<text variable="locator" prefix=", "/><text variable="locator" prefix=" / "/>"#,
        ),
    )
    .unwrap();
    let style = render::style::load_file(&path).unwrap();
    let memo = render::render_notes(&seed, &style).unwrap();
    let whole = render::render_whole_document(&seed, &style).unwrap();
    assert_eq!(notes_json(&whole), notes_json(&memo));
    assert!(
        memo.notes
            .iter()
            .filter_map(|n| n.citation.as_ref().map(|c| c.to_text()))
            .any(|t| t.contains(", 4–13 / 4–13")),
        "{:?}",
        notes_json(&memo)
    );
}

/// The memo takes every note-style document it is given: none falls back to a whole-document
/// render (which would hide a misplaced cluster behind a correct but slow answer).
#[test]
fn the_memo_takes_every_note_style_document() {
    let pool = synth::pool();
    let cache = RenderCache::default();
    for b in render::style::BUILTIN {
        let style = Style::builtin(b.name).unwrap();
        if !style.is_note() {
            continue;
        }
        for (works, notes) in [(30, 120), (200, 1_000)] {
            let input = synth::input(&pool, works, notes);
            render::render_notes_cached(&input, &style, &cache).unwrap();
        }
    }
    let stats = cache.stats();
    assert_eq!(stats.whole_documents, 0, "{stats:?}");
    assert!(stats.rendered > 0 && stats.reused > 0, "{stats:?}");
}

/// A citation whose rendering hayagriva disambiguates (two works by Peot and Smith with the same
/// short title get given names) is not taken from a memo filled by a manuscript citing only one of
/// them.
#[test]
fn the_memo_does_not_carry_disambiguation_across_manuscripts() {
    let pool = synth::pool();
    let both = synth::input(&pool, 200, 2_000);
    let short_title = |id: &str| {
        both.works
            .iter()
            .find(|w| w.id == id)
            .and_then(|w| w.title.clone())
            .unwrap()
    };
    assert_eq!(
        short_title("w197"),
        short_title("w99"),
        "the two look-alike works"
    );
    // The same manuscript without w99: w197 needs no disambiguation there.
    let mut one = both.clone();
    for cite in one.notes.iter_mut().flat_map(|n| &mut n.citations) {
        if cite.work.as_deref() == Some("w99") {
            cite.work = Some("w0".into());
        }
    }
    for b in render::style::BUILTIN {
        let style = Style::builtin(b.name).unwrap();
        if !style.is_note() {
            continue;
        }
        let cache = RenderCache::default();
        render::render_notes_cached(&one, &style, &cache).unwrap();
        let cached = render::render_notes_cached(&both, &style, &cache).unwrap();
        let whole = render::render_whole_document(&both, &style).unwrap();
        assert_same_notes_of(&whole, &cached, &style.name);
    }
}
