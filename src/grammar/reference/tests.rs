//! The reference grammar on whole references.

use super::*;

fn note(s: &str) -> Work {
    parse(s, Mode::Note, &[]).work
}

#[test]
fn chicago_book_note() {
    let w = note("Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000)");
    assert_eq!(w.kind, "book");
    assert_eq!(
        w.title.as_deref(),
        Some("The Political Economy of Dictatorship")
    );
    assert_eq!(w.publisher.as_deref(), Some("Cambridge University Press"));
    assert_eq!(w.publisher_place.as_deref(), Some("Cambridge"));
    assert_eq!(w.year(), Some(2000));
}

#[test]
fn journal_note() {
    let w = note("Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017)");
    assert_eq!(w.kind, "article-journal");
    assert_eq!(w.author.len(), 3);
    assert_eq!(w.container_title.as_deref(), Some("Politics & Policy"));
    assert_eq!(w.volume.as_deref(), Some("45"));
    assert_eq!(w.issue.as_deref(), Some("3"));
    assert!(w
        .title
        .as_deref()
        .unwrap()
        .ends_with("‘Internet Sovereignty’"));
}

#[test]
fn apa_chapter() {
    let w = parse("Sending, O., & Neumann, I. (2011). Banking on power. In E. Adler & V. Pouliot (Eds.), International Practices (Cambridge Studies in International Relations, pp. 231-254). Cambridge: Cambridge University Press. doi:10.1017/CBO9780511862373.014", Mode::Bib, &[]).work;
    assert_eq!(w.kind, "chapter");
    assert_eq!(w.title.as_deref(), Some("Banking on power"));
    assert_eq!(w.editor.len(), 2);
    assert_eq!(
        w.container_title.as_deref(),
        Some("International Practices")
    );
    assert_eq!(
        w.collection_title.as_deref(),
        Some("Cambridge Studies in International Relations")
    );
    assert_eq!(w.page.as_deref(), Some("231–254"));
    assert_eq!(w.doi.as_deref(), Some("10.1017/CBO9780511862373.014"));
    assert_eq!(w.publisher_place.as_deref(), Some("Cambridge"));
}

#[test]
fn science_style() {
    let w = parse(
        "Chen, H., Tafalla, M., Greene, T. P., Myers, P. C., & Wilner, D. J. 1997, ApJ, 475, 163",
        Mode::Bib,
        &[],
    )
    .work;
    assert_eq!(w.author.len(), 5);
    assert_eq!(w.year(), Some(1997));
    assert_eq!(w.volume.as_deref(), Some("475"));
    assert_eq!(w.page.as_deref(), Some("163"));
}

