//! What `check`'s re-checks of trial fixes leave out rests on one claim (#17): between two
//! trials, a note whose inputs hash the same (`check::NoteInputs`) draws the same findings. Tried
//! here on trials that withdraw fixes, as settling does, over a generated manuscript of a thousand
//! notes (works cited across notes: full, short, Ibid) and the seed essay, so that works, first
//! citations and the citations an Ibid repeats change under notes whose own text does not.

#[path = "../scripts/synth.rs"]
mod synth;

use std::path::Path;

use ibid::check::{compare, Expected, NoteInputs};
use ibid::manuscript::{self, Format};
use ibid::model::diagnostic::{Diagnostic, Fix};
use ibid::render::{self, RenderInput, Shared, Style};
use ibid::resolve::Analysis;

/// What `check` renders a manuscript from.
fn check_input(analysis: &Analysis) -> RenderInput {
    let mut input = RenderInput::from_analysis(analysis);
    input.keep_written_short_forms();
    input
}

/// The comparison's findings, all notes rendered by hayagriva in one document (not through the
/// memo of renderings, whose keys make the same assumption: see render_fast_paths).
fn findings(analysis: &Analysis, style: &Style) -> Vec<Diagnostic> {
    let rendered = render::render_whole_document(&check_input(analysis), style).unwrap();
    compare(analysis, &Expected::from_rendered(analysis, &rendered))
}

/// Per note, its findings placed within the note.
fn by_note(analysis: &Analysis, found: &[Diagnostic]) -> Vec<Vec<String>> {
    analysis
        .manuscript
        .notes
        .iter()
        .map(|note| {
            found
                .iter()
                .filter(|d| d.note.as_deref() == Some(note.id.as_str()))
                .map(|d| {
                    let at = d.span.map(|s| (s.start - note.span.start, s.len()));
                    let fix = d
                        .fix
                        .as_ref()
                        .map(|f| (&f.written, &f.replacement, f.applicability));
                    format!("{:?} {} {at:?} {fix:?}", d.code, d.message)
                })
                .collect()
        })
        .collect()
}

/// Checks the claim over trials of `text`'s fixes; returns how many notes kept their inputs from
/// one trial to the next, and how many lost them with their text unchanged.
fn same_inputs_same_findings(name: &str, text: &str, format: Format) -> (usize, usize) {
    let path = Path::new(name);
    let style = render::style::resolve("chicago").unwrap();
    let read = |text: &str| {
        ibid::resolve::analyse(manuscript::read_bytes(path, text.as_bytes(), format).unwrap())
    };
    let analysis = read(text);
    let first = findings(&analysis, &style);
    let fixes: Vec<&Fix> = first.iter().filter_map(|d| d.fix.as_ref()).collect();
    assert!(fixes.len() > 20, "{name}: {} fixes", fixes.len());
    let trial = |keep: &dyn Fn(usize) -> bool| {
        let kept: Vec<&Fix> = (0..fixes.len())
            .filter(|&k| keep(k))
            .map(|k| fixes[k])
            .collect();
        let again = read(&ibid::fix::apply(path, text, &kept).unwrap());
        let input = check_input(&again);
        let inputs = NoteInputs::of(&again, &input, &Shared::of(&input.works, &style));
        (by_note(&again, &findings(&again, &style)), inputs, again)
    };
    let trials = [
        trial(&|_| true),
        trial(&|k| k % 3 != 1),
        trial(&|k| k % 2 == 0),
        trial(&|k| k % 5 == 0),
        trial(&|_| false),
    ];
    let (mut same, mut moved) = (0, 0);
    for pair in trials.windows(2) {
        let [(found_a, inputs_a, a), (found_b, inputs_b, b)] = pair else {
            unreachable!()
        };
        let changed = inputs_b.changed_since(inputs_a);
        assert_eq!(changed.len(), found_b.len(), "{name}");
        for (i, &changed) in changed.iter().enumerate() {
            if !changed {
                same += 1;
                assert_eq!(found_a[i], found_b[i], "{name}: note {}", i + 1);
            } else if a.manuscript.notes[i].text == b.manuscript.notes[i].text {
                moved += 1;
            }
        }
    }
    (same, moved)
}

#[test]
fn notes_with_the_same_inputs_draw_the_same_findings() {
    let pool = synth::pool();
    let notes = synth::note_texts(&pool, 50, 1000, synth::Shape::Text);
    let text = synth::manuscript_text(synth::Shape::Text, "Generated", &notes);
    let (same, moved) = same_inputs_same_findings("generated.txt", &text, Format::Text);
    // not empty: notes kept their inputs, and notes whose text stayed lost them
    assert!(
        same > 1000 && moved > 100,
        "{same} unchanged, {moved} changed under the same text"
    );
    let seed = std::fs::read_to_string(synth::seed_manuscript()).unwrap();
    let (same, _) = same_inputs_same_findings("seed.txt", &seed, Format::Text);
    assert!(same > 50, "seed: {same} unchanged");
}
