//! The fast render paths give what the full path gives: notes-only rendering (no bibliography
//! pass, no note numbers for styles that never test them) and the cached re-render `check` uses
//! between rounds of fixes. Equality, not timing: speed is measured in `benches/`.

#[path = "../scripts/synth.rs"]
mod synth;

use ibid::render::{self, RenderCache, RenderInput, Style};

fn notes_json(r: &render::Rendered) -> serde_json::Value {
    serde_json::to_value(&r.notes).unwrap()
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
