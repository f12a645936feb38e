//! Resolving a manuscript's works against the user's bibliography (`--library`): the notes'
//! works take the library's keys and fields, a note that fits two entries is flagged, a work not
//! in the library is reported, and a pandoc `[@key]` goes straight to its entry.
//!
//! The citations are built by hand here (what the grammar gives for each note), so that this
//! tests the library resolution alone; the resolver in between is the real one.

use std::path::{Path, PathBuf};

use ibid::bib::{formats, LibraryFormat};
use ibid::grammar::{Cite, CiteKind, ParsedNote};
use ibid::manuscript::{self, Format};
use ibid::model::diagnostic::{Code, Severity};
use ibid::model::{Date, Library, Name, Work, WorkType};
use ibid::resolve::library::resolve_against;
use ibid::resolve::{self, Analysis};
use ibid::Span;

fn gold() -> Library {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/oracle/essay-internet-governance.items.json");
    formats::read_file(&path, Some(LibraryFormat::CslJson)).unwrap()
}

const TEXT: &str = "Body.[i] More.[ii] More.[iii] More.[iv] More.[v] More.[vi]\n\nNOTES\n\n\
[i] Kenneth Lieberthal, “Introduction: The ‘Fragmented Authoritarianism’ Model,” in Bureaucracy, Politics, and Decision Making in Post-Mao China (Berkeley: University of California Press, 1992), 8.\n\n\
[ii] Ibid., 9.\n\n\
[iii] Lewis, “China’s,” 4.\n\n\
[iv] Jane Nobody, An Unknown Book (Paris: Nowhere, 2001).\n\n\
[v] [@nye-regime, p. 4]\n\n\
[vi] Vincent Pouliot and Jean-Philippe Therien, “Global Governance,” International Studies Perspectives (2017).\n";

fn person(family: &str, given: &str) -> Name {
    Name::person(family, Some(given.into()))
}

/// What the grammar would give for each note of [`TEXT`].
fn parsed(ms: &ibid::Manuscript) -> Vec<ParsedNote> {
    let fields: Vec<(CiteKind, Work)> = vec![
        (
            CiteKind::Full,
            Work {
                kind: WorkType::Chapter,
                author: vec![person("Lieberthal", "Kenneth")],
                title: Some("Introduction: The “Fragmented Authoritarianism” Model".into()),
                container_title: Some(
                    "Bureaucracy, Politics, and Decision Making in Post-Mao China".into(),
                ),
                issued: Some(Date::ymd(1992, None, None)),
                ..Work::default()
            },
        ),
        (CiteKind::Ibid, Work::default()),
        (
            CiteKind::Short,
            Work {
                author: vec![Name::person("Lewis", None)],
                title: Some("China’s".into()),
                ..Work::default()
            },
        ),
        (
            CiteKind::Full,
            Work {
                kind: WorkType::Book,
                author: vec![person("Nobody", "Jane")],
                title: Some("An Unknown Book".into()),
                issued: Some(Date::ymd(2001, None, None)),
                ..Work::default()
            },
        ),
        (CiteKind::Full, Work::default()),
        (
            CiteKind::Full,
            Work {
                kind: WorkType::ArticleJournal,
                author: vec![
                    person("Pouliot", "Vincent"),
                    person("Therien", "Jean-Philippe"),
                ],
                title: Some("Global Governance".into()),
                issued: Some(Date::ymd(2017, None, None)),
                ..Work::default()
            },
        ),
    ];
    assert_eq!(ms.notes.len(), fields.len());
    ms.notes
        .iter()
        .zip(fields)
        .map(|(note, (kind, fields))| ParsedNote {
            cites: vec![Cite {
                kind,
                span: Span::new(0, note.text.trim_end().len()),
                signal: None,
                locator: None,
                fields,
                work: None,
            }],
            commentary: false,
            findings: Vec::new(),
        })
        .collect()
}

fn analysis() -> Analysis {
    let ms = manuscript::read_bytes(Path::new("t.txt"), TEXT.as_bytes(), Format::Text).unwrap();
    let notes = parsed(&ms);
    resolve::resolve(ms, notes)
}

/// The key of the work each note's first citation resolved to.
fn keys(a: &Analysis) -> Vec<Option<String>> {
    a.notes
        .iter()
        .map(|n| {
            n.cites
                .first()
                .and_then(|c| c.work)
                .map(|w| a.library.works[w].id.clone())
        })
        .collect()
}

#[test]
fn works_take_the_library_keys_and_fields() {
    let user = gold();
    let mut a = analysis();
    let found = resolve_against(&mut a, &user, false);
    assert_eq!(
        keys(&a),
        [
            Some("lieberthal-fragmented".to_owned()),
            Some("lieberthal-fragmented".to_owned()),
            Some("lewis-ambitions".to_owned()),
            Some("nobody2001".to_owned()),
            Some("nye-regime".to_owned()),
            Some("pouliot-struggle".to_owned()),
        ]
    );
    assert_eq!(found.matched, 3);
    assert_eq!(found.missing, 1);
    assert_eq!(found.ambiguous, 0);
    // Fields come from the library, whole: nothing of the notes' version is left.
    for key in [
        "lieberthal-fragmented",
        "lewis-ambitions",
        "nye-regime",
        "pouliot-struggle",
    ] {
        let ours = &a.library.works[a.library.by_key(key).unwrap()];
        let theirs = &user.works[user.by_key(key).unwrap()];
        assert_eq!(ours, theirs, "{key}");
    }
    // The work not in the library keeps the notes' fields, and is reported (info by default).
    let nobody = &a.library.works[a.library.by_key("nobody2001").unwrap()];
    assert_eq!(nobody.title.as_deref(), Some("An Unknown Book"));
    let missing: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::NotInLibrary)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].note.as_deref(), Some("iv"));
    assert_eq!(missing[0].severity, Severity::Info);
    assert!(missing[0].span.is_some());
    // Every work is cited, and no two share a key.
    assert_eq!(a.library.works.len(), 5);
}

#[test]
fn strict_makes_a_missing_work_a_warning() {
    let mut a = analysis();
    resolve_against(&mut a, &gold(), true);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == Code::NotInLibrary)
        .unwrap();
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn a_note_that_fits_two_entries_is_flagged() {
    let mut user = gold();
    user.works.push(Work {
        id: "lewis-cyber".into(),
        kind: WorkType::Report,
        author: vec![person("Lewis", "Dev")],
        title: Some("China’s Cyber Power".into()),
        ..Work::default()
    });
    let mut a = analysis();
    let found = resolve_against(&mut a, &user, false);
    assert_eq!(found.ambiguous, 1);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == Code::AmbiguousLibraryMatch)
        .unwrap();
    assert_eq!(d.note.as_deref(), Some("iii"));
    assert!(d.message.contains("lewis-ambitions") && d.message.contains("lewis-cyber"));
    // The work stays as the notes give it, under a key no library entry has.
    let k = keys(&a)[2].clone().unwrap();
    assert!(user.by_key(&k).is_none(), "{k}");
}

#[test]
fn pandoc_keys_resolve_through_the_library() {
    let md = "Claim.[^1] More.[^2] And.[^3] End.[^4]\n\n\
              [^1]: See [@lieberthal-fragmented, pp. 4-6].\n\
              [^2]: Ibid., 9.\n\
              [^3]: [@nye-regime, 12; @no-such-key].\n\
              [^4]: Compare [@lieberthal-fragmented].\n";
    let ms = manuscript::read_bytes(Path::new("t.md"), md.as_bytes(), Format::Markdown).unwrap();
    let user = gold();
    let (a, found) = ibid::resolve::library::analyse_with(ms, &user, true);
    /// kind, work key, locator, signal
    type Row = (String, Option<String>, Option<String>, Option<String>);
    let cites: Vec<Row> = a
        .notes
        .iter()
        .flat_map(|n| &n.cites)
        .map(|c| {
            (
                c.kind.json_name().to_owned(),
                c.work.map(|w| a.library.works[w].id.clone()),
                c.locator.as_ref().map(|l| l.value.clone()),
                c.signal.as_ref().map(|s| s.name.clone()),
            )
        })
        .collect();
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        cites,
        [
            (
                "full".into(),
                s("lieberthal-fragmented"),
                s("4–6"),
                s("see")
            ),
            ("ibid".into(), s("lieberthal-fragmented"), s("9"), None),
            ("full".into(), s("nye-regime"), s("12"), None),
            ("full".into(), s("no-such-key"), None, None),
            (
                "full".into(),
                s("lieberthal-fragmented"),
                None,
                s("compare")
            ),
        ]
    );
    // The entries are the library's, whole; the unknown key is reported, as a warning (strict).
    let lieberthal = &a.library.works[a.library.by_key("lieberthal-fragmented").unwrap()];
    assert_eq!(
        lieberthal,
        &user.works[user.by_key("lieberthal-fragmented").unwrap()]
    );
    assert_eq!(found.missing, 1);
    let d: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::NotInLibrary)
        .collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].note.as_deref(), Some("3"));
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("@no-such-key"));
    // The notes that hold only citations are not commentary.
    assert!(a.notes.iter().all(|n| !n.commentary));
}
