//! The note grammar on conventions other than the seed essay's: Chicago notes with translators and
//! editions, Chicago bibliography-form and APA-form notes, legal `Id. at`, `op. cit.`, multi-citation
//! notes with signals, newspapers, web pages with access dates, DOIs, statutes, cases, commentary.
//! The notes come from `fixtures/grammar/conventions.txt` (`1.`-numbered notes) read by the reader.

use ibid::grammar::{parse_note, Cite, CiteKind, LocatorLabel, ParsedNote};
use ibid::manuscript;

fn notes() -> Vec<(String, ParsedNote)> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grammar/conventions.txt");
    let ms = manuscript::read(&path, None).expect("read fixture");
    assert_eq!(ms.notes.len(), 20, "the reader finds the 20 numbered notes");
    ms.notes
        .iter()
        .map(|n| (n.text.clone(), parse_note(&n.text, &n.emphasis)))
        .collect()
}

fn text(note: &(String, ParsedNote), i: usize) -> &str {
    note.1.cites[i].span.slice(&note.0)
}

fn loc(c: &Cite) -> Option<&str> {
    c.locator.as_ref().map(|l| l.value.as_str())
}

fn fam(c: &Cite) -> Vec<&str> {
    c.fields
        .author
        .iter()
        .map(|n| n.family_or_literal())
        .collect()
}

#[test]
fn chicago_translated_edition_and_cf() {
    let n = notes();
    let note = &n[0];
    assert_eq!(note.1.cites.len(), 2);
    let (a, b) = (&note.1.cites[0], &note.1.cites[1]);
    assert_eq!(a.kind, CiteKind::Full);
    assert_eq!(a.signal.as_ref().unwrap().name, "see also");
    assert_eq!(a.signal.as_ref().unwrap().span.slice(&note.0), "See also");
    assert_eq!(loc(a), Some("45"));
    assert!(text(note, 0).starts_with("Ludwig Wittgenstein, Philosophical"));
    assert!(text(note, 0).ends_with("2001), 45"));
    assert_eq!(
        a.fields.title.as_deref(),
        Some("Philosophical Investigations")
    );
    assert_eq!(a.fields.translator[0].family.as_deref(), Some("Anscombe"));
    assert_eq!(a.fields.edition.as_deref(), Some("3"));
    assert_eq!(a.fields.publisher.as_deref(), Some("Blackwell"));
    assert_eq!(a.fields.publisher_place.as_deref(), Some("Oxford"));
    assert_eq!(a.fields.kind.as_str(), "book");
    assert_eq!(b.kind, CiteKind::Short);
    assert_eq!(b.signal.as_ref().unwrap().name, "cf.");
    assert_eq!(fam(b), ["Kripke"]);
    assert_eq!(b.fields.title.as_deref(), Some("Wittgenstein on Rules"));
    assert_eq!(text(note, 1), "Kripke, Wittgenstein on Rules, 12");
    assert!(!note.1.commentary);
}

#[test]
fn ibid_id_and_op_cit() {
    let n = notes();
    let c = &n[1].1.cites[0];
    assert_eq!((c.kind, loc(c)), (CiteKind::Ibid, Some("47–48")));
    assert_eq!(text(&n[1], 0), "Ibid., 47–48");
    let c = &n[3].1.cites[0];
    assert_eq!((c.kind, loc(c)), (CiteKind::Ibid, Some("178")));
    assert_eq!(text(&n[3], 0), "Id. at 178");
    let c = &n[4].1.cites[0];
    assert_eq!(c.kind, CiteKind::OpCit);
    assert_eq!(fam(c), ["Kripke"]);
    assert_eq!(loc(c), Some("14"));
    // Ibidem with a labelled page, then commentary
    let c = &n[16].1.cites[0];
    assert_eq!((c.kind, loc(c)), (CiteKind::Ibid, Some("7")));
    assert_eq!(text(&n[16], 0), "Ibidem, p. 7");
    assert!(n[16].1.commentary);
}

#[test]
fn legal_case_with_pinpoint_before_year() {
    let n = notes();
    let c = &n[2].1.cites[0];
    assert_eq!(c.kind, CiteKind::Full);
    assert_eq!(c.fields.kind.as_str(), "legal_case");
    assert_eq!(c.fields.title.as_deref(), Some("Marbury v. Madison"));
    assert_eq!(c.fields.volume.as_deref(), Some("5"));
    assert_eq!(loc(c), Some("177"));
    assert_eq!(c.fields.year(), Some(1803));
    assert_eq!(text(&n[2], 0), "Marbury v. Madison, 5 U.S. 137, 177 (1803)");
}

#[test]
fn bibliography_and_apa_forms_in_notes() {
    let n = notes();
    let c = &n[5].1.cites[0];
    assert_eq!(c.kind, CiteKind::Full);
    assert_eq!(c.fields.kind.as_str(), "chapter");
    assert_eq!(fam(c), ["Nichols"]);
    assert_eq!(c.fields.author[0].given.as_deref(), Some("Bill"));
    assert_eq!(
        c.fields.container_title.as_deref(),
        Some("Theorizing Documentary")
    );
    assert_eq!(c.fields.editor[0].family.as_deref(), Some("Renov"));
    // in bibliography form the pages are the chapter's own, not a locator
    assert_eq!(c.fields.page.as_deref(), Some("174–91"));
    assert_eq!(c.locator, None);
    let c = &n[6].1.cites[0];
    assert_eq!(c.fields.kind.as_str(), "book");
    assert_eq!(fam(c), ["Keohane", "Nye"]);
    assert_eq!(c.fields.year(), Some(1977));
    assert_eq!(
        c.fields.title.as_deref(),
        Some("Power and interdependence: World politics in transition")
    );
    assert_eq!(
        c.fields.publisher.as_deref(),
        Some("Princeton University Press")
    );
    assert_eq!(c.locator, None);
}

#[test]
fn newspaper_web_page_and_doi() {
    let n = notes();
    let c = &n[7].1.cites[0];
    assert_eq!(c.fields.kind.as_str(), "article-newspaper");
    assert_eq!(c.fields.container_title.as_deref(), Some("New York Times"));
    assert_eq!(
        c.fields.issued.as_ref().unwrap().date_parts[0],
        vec![2016, 11, 3]
    );
    let c = &n[8].1.cites[0];
    assert_eq!(c.fields.kind.as_str(), "webpage");
    assert_eq!(
        c.fields.url.as_deref(),
        Some("https://www.intgovforum.org/")
    );
    assert_eq!(
        c.fields.accessed.as_ref().unwrap().date_parts[0],
        vec![2019, 5, 3]
    );
    assert!(text(&n[8], 0).ends_with("intgovforum.org/"));
    let c = &n[9].1.cites[0];
    assert_eq!(c.fields.kind.as_str(), "article-journal");
    assert_eq!(
        c.fields.doi.as_deref(),
        Some("10.1080/23738871.2017.1299194")
    );
    assert_eq!(
        (c.fields.volume.as_deref(), c.fields.issue.as_deref()),
        (Some("2"), Some("1"))
    );
    assert_eq!(loc(c), Some("45–60"));
}

#[test]
fn statutes_and_compound_locators() {
    let n = notes();
    let c = &n[10].1.cites[0];
    assert_eq!(c.fields.kind.as_str(), "legislation");
    let l = c.locator.as_ref().unwrap();
    assert_eq!((l.label, l.value.as_str()), (LocatorLabel::Article, "21"));
    assert_eq!(l.span.slice(&n[10].0), "Article 21");
    let l = n[17].1.cites[0].locator.as_ref().unwrap();
    assert_eq!(l.label, LocatorLabel::Compound);
    assert_eq!(l.value, "Chapter 3, Article 30");
}

#[test]
fn editors_after_title_and_multi_citation_signals() {
    let n = notes();
    let c = &n[11].1.cites[0];
    assert_eq!(fam(c), ["Weber"]);
    assert_eq!(c.fields.title.as_deref(), Some("Economy and Society"));
    let eds: Vec<_> = c
        .fields
        .editor
        .iter()
        .map(|e| e.family_or_literal())
        .collect();
    assert_eq!(eds, ["Roth", "Wittich"]);
    assert_eq!(c.fields.edition.as_deref(), Some("2"));
    let note = &n[12];
    assert_eq!(note.1.cites.len(), 2);
    assert_eq!(note.1.cites[0].signal.as_ref().unwrap().name, "see, e.g.");
    assert_eq!(text(note, 1), "Benkler, The Wealth of Networks, 12–14");
    let c = &n[19].1.cites[0];
    assert_eq!(fam(c), ["Keohane", "Nye"]);
    assert_eq!(c.fields.title.as_deref(), Some("Power and Interdependence"));
}

#[test]
fn commentary_and_citations_inside_it() {
    let n = notes();
    let note = &n[13];
    assert!(note.1.commentary);
    let c = &note.1.cites[0];
    assert_eq!(c.signal.as_ref().unwrap().name, "quoted in");
    assert_eq!(c.kind, CiteKind::Full);
    assert_eq!(c.fields.publisher_place.as_deref(), Some("Cambridge, MA"));
    assert!(text(note, 0).starts_with("Ezra F. Vogel"));
    assert!(n[14].1.cites.is_empty() && n[14].1.commentary);
    let c = &n[15].1.cites[0];
    assert_eq!(loc(c), Some("xiv"));
}

#[test]
fn bibliography_form_with_link_and_inverted_names() {
    let t = "Underwood, Ted. \"Identifying diction that characterizes an author or genre: why Dunning's may not be the best method,\" The Stone and the Shell, November 9, 2011. <https://tedunderwood.com/2011/11/09/identifying/>";
    let p = parse_note(t, &[]);
    assert_eq!(p.cites.len(), 1);
    let c = &p.cites[0];
    assert_eq!(c.kind, CiteKind::Full);
    assert_eq!(c.fields.author[0].given.as_deref(), Some("Ted"));
    assert!(c
        .fields
        .title
        .as_deref()
        .unwrap()
        .starts_with("Identifying diction"));
    assert_eq!(
        c.fields.container_title.as_deref(),
        Some("The Stone and the Shell")
    );
    assert_eq!(
        c.fields.url.as_deref(),
        Some("https://tedunderwood.com/2011/11/09/identifying/")
    );
    assert!(!p.commentary);
    let t = "Spärck Jones, Karen. \"A Statistical Interpretation of Term Specificity.\" Journal of Documentation vol. 28, no. 1 (1972): 16.";
    let c = &parse_note(t, &[]).cites[0];
    assert_eq!(fam(c), ["Spärck Jones"]);
    assert_eq!(
        c.fields.container_title.as_deref(),
        Some("Journal of Documentation")
    );
    assert_eq!(
        (c.fields.volume.as_deref(), c.fields.issue.as_deref()),
        (Some("28"), Some("1"))
    );
    assert_eq!(loc(c), Some("16"));
    let t = "Manning, C.D., P. Raghavan, and H. Schütze, Introduction to Information Retrieval. (Cambridge: Cambridge University Press, 2008): 118-120.";
    let c = &parse_note(t, &[]).cites[0];
    assert_eq!(fam(c), ["Manning", "Raghavan", "Schütze"]);
    assert_eq!(
        c.fields.title.as_deref(),
        Some("Introduction to Information Retrieval")
    );
    assert_eq!(loc(c), Some("118–120"));
}

#[test]
fn italics_mark_the_title() {
    // `Title` in italics (as the Markdown/HTML/docx readers report it) ends where the italics end,
    // even with a comma and a colon inside
    let t = "Jane Doe, Cities, Rivers: A History, 2nd ed. (London: Verso, 2001), 12.";
    let start = t.find("Cities").unwrap();
    let end = t.find(", 2nd").unwrap();
    let p = parse_note(t, &[ibid::Span::new(start, end)]);
    let c = &p.cites[0];
    assert_eq!(c.fields.title.as_deref(), Some("Cities, Rivers: A History"));
    assert_eq!(c.fields.edition.as_deref(), Some("2"));
    assert_eq!(loc(c), Some("12"));
}
