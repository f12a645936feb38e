//! Round trips on text nobody wrote for ibid: the 1,514 reference strings of AnyStyle's core set
//! (`../shared/corpus/anystyle/core.jsonl`), parsed by ibid's grammar into works, go through each
//! format and back. What comes back must be what went in, except for the lossy points each
//! format's module documents, applied here explicitly (and nothing else).

use std::path::PathBuf;

use ibid::bib::{formats, LibraryFormat};
use ibid::model::{Date, Library, Work};

fn corpus() -> Library {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/anystyle/core.jsonl");
    let text = std::fs::read_to_string(path).expect("AnyStyle corpus");
    let works = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let reference = v["text"].as_str().unwrap_or_default().replace('\n', " ");
            let mut work = ibid::grammar::parse_reference(&reference);
            work.id = format!("ref{i}");
            work
        })
        .collect();
    Library { works }
}

/// Seasons: no format but CSL-JSON keeps them.
fn no_season(d: &Option<Date>) -> Option<Date> {
    d.clone().map(|d| Date { season: None, ..d })
}

/// The documented losses of `format`, applied to a work as written.
fn expected(work: &Work, format: LibraryFormat) -> Work {
    let mut w = work.clone();
    if format == LibraryFormat::CslJson {
        return w;
    }
    w.issued = no_season(&w.issued);
    w.accessed = no_season(&w.accessed);
    if matches!(
        format,
        LibraryFormat::Ris | LibraryFormat::Yaml | LibraryFormat::Bibtex
    ) {
        // RIS, hayagriva's YAML and BibTeX's date fields keep a range's first date (`April 8–11,
        // 1991`); CSL-JSON and BibLaTeX (`1991-04-08/1991-04-11`) keep the range
        for d in [&mut w.issued, &mut w.accessed].into_iter().flatten() {
            d.date_parts.truncate(1);
        }
    }
    if format != LibraryFormat::Ris {
        // BibLaTeX and YAML cannot tell a family name alone that has a space (`Van Mulken`) from
        // an institution: it reads back as a literal name (RIS keeps it with a trailing comma).
        for name in w
            .author
            .iter_mut()
            .chain(w.editor.iter_mut())
            .chain(w.translator.iter_mut())
        {
            if let (Some(family), None) = (&name.family, &name.given) {
                if family.contains(' ') {
                    *name = ibid::model::Name::literal(family.clone());
                }
            }
        }
    }
    match format {
        LibraryFormat::Biblatex | LibraryFormat::Bibtex => {
            // `--` and `---` are TeX's dashes.
            let tex = |s: &mut Option<String>| {
                if let Some(t) = s {
                    *t = t.replace("---", "—").replace("--", "–");
                }
            };
            for field in [
                &mut w.title,
                &mut w.title_short,
                &mut w.container_title,
                &mut w.collection_title,
                &mut w.publisher,
                &mut w.publisher_place,
                &mut w.note,
                &mut w.genre,
            ] {
                tex(field);
            }
        }
        LibraryFormat::Yaml => {
            // hayagriva keeps only URLs it can parse, normalised by the url crate
            // (`http://x.org` -> `http://x.org/`), and the access date on the URL.
            let parsed = w.url.as_ref().and_then(|u| {
                serde_json::from_value::<hayagriva::types::QualifiedUrl>(serde_json::json!(u)).ok()
            });
            match parsed {
                Some(url) => w.url = Some(url.value.to_string()),
                None => {
                    w.url = None;
                    w.accessed = None;
                }
            }
            // Volume and issue ranges come back with an en dash.
            for v in [&mut w.volume, &mut w.issue].into_iter().flatten() {
                if v.chars().all(|c| c.is_ascii_digit() || c == '-') {
                    *v = v.replace('-', "–");
                }
            }
        }
        _ => {}
    }
    w
}

fn check(format: LibraryFormat) {
    let lib = corpus();
    assert!(lib.works.len() > 1500);
    let text = formats::write(&lib, format).expect("write");
    let back = formats::parse(&text, format).expect("read back");
    assert_eq!(back.works.len(), lib.works.len());
    let mut problems = Vec::new();
    for (a, b) in lib.works.iter().zip(&back.works) {
        // `^` is written `\^` by the biblatex crate, which TeX (and the crate) read as an accent.
        let caret = a
            .container_title
            .as_deref()
            .is_some_and(|t| t.contains('^'))
            || a.title.as_deref().is_some_and(|t| t.contains('^'));
        if caret && matches!(format, LibraryFormat::Biblatex | LibraryFormat::Bibtex) {
            continue;
        }
        let want = expected(a, format);
        if &want != b {
            problems.push(format!(
                "{}\n  want {}\n  got  {}",
                a.id,
                serde_json::to_string(&want).unwrap_or_default(),
                serde_json::to_string(b).unwrap_or_default()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}: {} works changed:\n{}",
        format.name(),
        problems.len(),
        problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn corpus_round_trips_csl_json() {
    check(LibraryFormat::CslJson);
}

#[test]
fn corpus_round_trips_biblatex() {
    check(LibraryFormat::Biblatex);
}

#[test]
fn corpus_round_trips_bibtex() {
    check(LibraryFormat::Bibtex);
}

#[test]
fn corpus_round_trips_yaml() {
    check(LibraryFormat::Yaml);
}

#[test]
fn corpus_round_trips_ris() {
    check(LibraryFormat::Ris);
}
