//! The corrections of hayagriva's output that the essay does not exercise: Ibid after a note
//! without citation, after a note citing two works and within one note (D5); initials for
//! surnames shared by different people (D8); merged locators (D9); date ranges (D10); signals.

use ibid::model::CiteRecord;
use ibid::model::{Date, Name, Work, WorkType};
use ibid::render::{self, NoteSeq, RenderInput, Style};

fn book(id: &str, family: &str, given: &str, title: &str, year: i32) -> Work {
    Work {
        id: id.into(),
        kind: WorkType::Book,
        author: vec![Name::person(family, Some(given.into()))],
        title: Some(title.into()),
        publisher: Some("Polity".into()),
        publisher_place: Some("Cambridge".into()),
        issued: Some(Date::ymd(year, None, None)),
        ..Work::default()
    }
}

fn cite(work: &str, locator: Option<&str>, signal: Option<&str>) -> CiteRecord {
    CiteRecord {
        work: Some(work.into()),
        kind: "full".into(),
        locator: locator.map(str::to_owned),
        label: locator.map(|_| "page".to_owned()),
        signal: signal.map(str::to_owned),
        ..CiteRecord::default()
    }
}

fn note(number: usize, citations: Vec<CiteRecord>) -> NoteSeq {
    NoteSeq {
        id: number.to_string(),
        number,
        citations,
        commentary: false,
        text: None,
    }
}

fn works() -> Vec<Work> {
    vec![
        book("a", "Lewis", "Dev", "China and the Web", 2017),
        book("b", "Lewis", "James", "Cyber Power", 2017),
        book(
            "c",
            "Price",
            "Monroe",
            "Free Expression, Globalism, and the New Strategic Communication",
            2015,
        ),
    ]
}

fn texts(input: &RenderInput, style: &str) -> Vec<String> {
    let style = Style::builtin(style).unwrap();
    let out = render::render(input, &style).unwrap();
    out.notes.iter().map(|n| n.text.to_text()).collect()
}

#[test]
fn ibid_only_after_a_single_cite_in_the_note_just_before() {
    let input = RenderInput {
        works: works(),
        notes: vec![
            note(1, vec![cite("a", Some("4"), None)]),
            note(2, vec![cite("a", Some("5"), None)]),
            note(3, vec![]),
            note(4, vec![cite("a", Some("6"), None)]),
            note(
                5,
                vec![cite("a", Some("7"), None), cite("c", Some("9"), None)],
            ),
            note(6, vec![cite("c", Some("9"), None)]),
            note(
                7,
                vec![cite("c", Some("10"), None), cite("c", Some("11"), None)],
            ),
        ],
    };
    let t = texts(&input, "chicago");
    assert_eq!(t[1], "Ibid., 5.", "{t:#?}");
    assert!(t[2].is_empty());
    assert!(
        t[3].starts_with("Lewis, "),
        "after a note without citation: {}",
        t[3]
    );
    assert!(
        t[5].starts_with("Price, "),
        "after a note citing two works: {}",
        t[5]
    );
    let (first, second) = t[6].split_once("; ").unwrap();
    assert_eq!(first, "Ibid., 10", "{}", t[6]);
    assert!(
        second.starts_with("Price, "),
        "no Ibid within one note: {}",
        t[6]
    );
    assert!(
        !t.iter()
            .any(|s| s.contains("Politics, And") || s.contains(", And ")),
        "{t:#?}"
    );
}

#[test]
fn signals_are_kept_and_capitalised() {
    let input = RenderInput {
        works: works(),
        notes: vec![
            note(1, vec![cite("a", Some("4"), None)]),
            note(2, vec![cite("a", Some("5"), Some("see"))]),
            note(3, vec![cite("c", None, Some("cited in"))]),
        ],
    };
    let t = texts(&input, "chicago");
    assert_eq!(t[1], "See ibid., 5.");
    let out = render::render(&input, &Style::builtin("chicago").unwrap()).unwrap();
    let alone = |n: usize| out.notes[n].citations[0].as_ref().unwrap().to_text();
    assert_eq!(
        alone(1),
        "ibid., 5",
        "after a signal the citation stays lower case"
    );
    assert_eq!(
        out.notes[1].citation.as_ref().unwrap().to_text(),
        "Ibid., 5."
    );
    assert!(t[2].starts_with("Cited in Monroe Price, "), "{}", t[2]);
}

#[test]
fn apa_initials_for_shared_surnames_and_merged_locators() {
    let input = RenderInput {
        works: works(),
        notes: vec![
            note(1, vec![cite("a", Some("4"), None)]),
            note(
                2,
                vec![cite("b", Some("436"), None), cite("b", Some("440"), None)],
            ),
        ],
    };
    let style = Style::builtin("apa").unwrap();
    let out = render::render(&input, &style).unwrap();
    let c1 = out.notes[0].citation.as_ref().unwrap().to_text();
    let c2 = out.notes[1].citation.as_ref().unwrap().to_text();
    assert_eq!(c1, "(D. Lewis, 2017, p. 4)");
    assert_eq!(c2, "(J. Lewis, 2017, pp. 436, 440)");
}

#[test]
fn date_ranges_and_bad_dates_do_not_panic() {
    let mut w = works();
    w[0].issued = Some(Date {
        date_parts: vec![vec![2016], vec![2017]],
        ..Date::default()
    });
    w[1].issued = Some(Date {
        date_parts: vec![vec![2017, 45, 99]],
        ..Date::default()
    });
    let input = RenderInput {
        works: w,
        notes: vec![
            note(1, vec![cite("a", Some("4-13"), None)]),
            note(2, vec![cite("b", None, None), cite("zzz", None, None)]),
        ],
    };
    for style in ["chicago", "chicago-18", "apa"] {
        let style = Style::builtin(style).unwrap();
        let out = render::render(&input, &style).unwrap();
        assert!(
            out.warnings.iter().any(|w| w.contains("range")),
            "{:?}",
            out.warnings
        );
        assert!(
            out.warnings.iter().any(|w| w.contains("zzz")),
            "{:?}",
            out.warnings
        );
        assert_eq!(out.bibliography.len(), 2, "the cited works");
        let first = out.notes[0].citations[0].as_ref().unwrap().to_text();
        assert!(first.contains("4–13"), "{first}");
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn any_work() -> impl Strategy<Value = Work> {
        (
            "[a-z]{1,3}",
            prop::sample::select(vec![
                "book",
                "chapter",
                "article-journal",
                "report",
                "webpage",
                "",
                "bogus",
            ]),
            prop::option::of("\\PC{0,30}"),
            prop::option::of("[A-Z][a-z]{0,8}( [A-Z][a-z]{0,8})?"),
            prop::collection::vec(prop::collection::vec(-3i32..40000, 0..4), 0..3),
        )
            .prop_map(|(id, kind, title, family, parts)| Work {
                id,
                kind: WorkType::parse(kind),
                title,
                author: family
                    .map(|f| vec![Name::person(f, Some("Ann".into()))])
                    .unwrap_or_default(),
                issued: Some(Date {
                    date_parts: parts,
                    ..Date::default()
                }),
                ..Work::default()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn render_returns_for_any_works_and_notes(
            works in prop::collection::vec(any_work(), 0..6),
            picks in prop::collection::vec((0usize..8, prop::option::of("\\PC{0,12}"), any::<bool>()), 0..12),
        ) {
            let notes = picks
                .iter()
                .enumerate()
                .map(|(i, (w, loc, see))| note(i + 1, vec![cite(
                    &works.get(*w).map(|w| w.id.clone()).unwrap_or_else(|| "missing".into()),
                    loc.as_deref(),
                    see.then_some("see"),
                )]))
                .collect();
            let input = RenderInput { works, notes };
            for style in ["chicago", "apa"] {
                let style = Style::builtin(style).unwrap();
                // Ok, or an error that names the style: never a panic through the caller.
                if let Ok(out) = render::render(&input, &style) {
                    prop_assert_eq!(out.notes.len(), input.notes.len());
                }
            }
        }
    }
}
