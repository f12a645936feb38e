//! The reference grammar on whole references.

use super::*;

fn note(s: &str) -> Work {
    parse(s, Mode::Note, &[]).work
}

#[test]
fn chicago_book_note() {
    let w = note("Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000)");
    assert_eq!(w.kind.as_str(), "book");
    assert_eq!(
        w.title.as_deref(),
        Some("The Political Economy of Dictatorship")
    );
    assert_eq!(w.publisher.as_deref(), Some("Cambridge University Press"));
    assert_eq!(w.publisher_place.as_deref(), Some("Cambridge"));
    assert_eq!(w.year(), Some(2000));
}

#[test]
fn a_state_abbreviation_keeps_its_period() {
    for (text, place) in [
        (
            "Kevin Lynch, The Image of the City (Cambridge, Mass.: MIT Press, 1960)",
            "Cambridge, Mass.",
        ),
        (
            "Margy Gerber, ed., Selected Papers (Lanham, Md.: University Press of America, 1989)",
            "Lanham, Md.",
        ),
        (
            "Jane Doe, A Book (Cambridge, MA: MIT Press, 1960)",
            "Cambridge, MA",
        ),
        (
            "Jane Doe, A Book (Chicago: University of Chicago Press, 1960)",
            "Chicago",
        ),
    ] {
        assert_eq!(note(text).publisher_place.as_deref(), Some(place), "{text}");
    }
}

#[test]
fn a_month_after_a_quoted_title_makes_a_full_citation() {
    let full = |s: &str| parse(s, Mode::Note, &[]).has_facts;
    assert!(full("D. Goure, “Modernizing the Department of Homeland Security’s Aerial Fleets,” February 2012"));
    assert!(full("G. Patnaik, “Personal Communication,” September 1995"));
    assert!(!full("Goure, “Modernizing the Department”"));
}

#[test]
fn a_date_in_parentheses_after_an_italic_title_makes_a_full_citation() {
    let italic = |s: &str| {
        let (a, b) = (s.find('*').unwrap(), s.rfind('*').unwrap());
        let text = s.replace('*', "");
        let span = crate::model::span::Span::new(a, b - 1);
        parse(&text, Mode::Note, &[span])
    };
    let p = italic(
        "Victorian Equal Opportunity and Human Rights Commission, *Rights of Passage* (2008)",
    );
    assert!(p.has_facts);
    assert_eq!(p.work.year(), Some(2008));
    assert!(italic("Cage, *Silence* (n.d.)").has_facts);
    // a short form, and a quoted title with the year and a colon
    assert!(!italic("Cage, *Silence*").has_facts);
    assert!(!parse("Nye, “Global Governance,” (2017)", Mode::Note, &[]).has_facts);
}

/// A newspaper's place, in parentheses after its name and before the day (CMOS 14.196): the
/// place of an article in a newspaper, not a chapter's publisher.
#[test]
fn a_newspapers_place_in_parentheses() {
    let text =
        "Debra Lacoste, “An Evening of Vespers,” Star Tribune (Minneapolis, MN), May 8, 2014";
    let start = text.find("Star").unwrap();
    let italic = crate::model::span::Span::new(start, start + "Star Tribune".len());
    let w = parse(text, Mode::Note, &[italic]).work;
    assert_eq!(w.kind.as_str(), "article-newspaper");
    assert_eq!(w.publisher_place.as_deref(), Some("Minneapolis, MN"));
    assert_eq!(w.publisher, None);
    assert_eq!(w.container_title.as_deref(), Some("Star Tribune"));
}

#[test]
fn journal_note() {
    let w = note("Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017)");
    assert_eq!(w.kind.as_str(), "article-journal");
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
    assert_eq!(w.kind.as_str(), "chapter");
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

/// One reference and the fields the grammar reads in it today.
struct Ref {
    text: &'static str,
    mode: Mode,
    kind: &'static str,
    /// The first author's family name or literal name.
    author: Option<&'static str>,
    /// The first editor's family name.
    editor: Option<&'static str>,
    title: Option<&'static str>,
    container: Option<&'static str>,
    publisher: Option<&'static str>,
    place: Option<&'static str>,
    year: Option<i32>,
    volume: Option<&'static str>,
    issue: Option<&'static str>,
    page: Option<&'static str>,
    doi: Option<&'static str>,
    url: Option<&'static str>,
}

/// References from the AnyStyle gold set (bibliography mode) and the essay fixture's notes (note
/// mode), with the fields read today.
#[test]
fn references_table() {
    assert!(REFS.len() >= 30);
    for r in REFS {
        let w = parse(r.text, r.mode, &[]).work;
        let fam = |v: &Vec<crate::model::Name>| {
            v.first()
                .and_then(|n| n.family.clone().or(n.literal.clone()))
        };
        let t = r.text;
        assert_eq!(w.kind.as_str(), r.kind, "type of {t:?}");
        assert_eq!(fam(&w.author).as_deref(), r.author, "author of {t:?}");
        assert_eq!(fam(&w.editor).as_deref(), r.editor, "editor of {t:?}");
        assert_eq!(w.title.as_deref(), r.title, "title of {t:?}");
        assert_eq!(
            w.container_title.as_deref(),
            r.container,
            "container of {t:?}"
        );
        assert_eq!(w.publisher.as_deref(), r.publisher, "publisher of {t:?}");
        assert_eq!(w.publisher_place.as_deref(), r.place, "place of {t:?}");
        assert_eq!(w.year(), r.year, "year of {t:?}");
        assert_eq!(w.volume.as_deref(), r.volume, "volume of {t:?}");
        assert_eq!(w.issue.as_deref(), r.issue, "issue of {t:?}");
        assert_eq!(w.page.as_deref(), r.page, "page of {t:?}");
        assert_eq!(w.doi.as_deref(), r.doi, "doi of {t:?}");
        assert_eq!(w.url.as_deref(), r.url, "url of {t:?}");
    }
}

const REFS: &[Ref] = &[
    Ref { text: "Chen, H., Tafalla, M., Greene, T. P., Myers, P. C., & Wilner, D. J. 1997, ApJ, 475, 163", mode: Mode::Bib, kind: "article-journal", author: Some("Chen"), editor: None, title: None, container: Some("ApJ"), publisher: None, place: None, year: Some(1997), volume: Some("475"), issue: None, page: Some("163"), doi: None, url: None },
    // wrong today: the issuing body is read as the title, the title as the publisher
    Ref { text: "U.S. Department of the Interior, National Park Service. (1998). NPS- 28: Cultural resource management guideline. Washington, DC: U.S. Department of the Interior, National Park Service.", mode: Mode::Bib, kind: "book", author: None, editor: None, title: Some("U.S. Department of the Interior, National Park Service"), container: None, publisher: Some("Cultural resource management guideline"), place: Some("NPS- 28"), year: Some(1998), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "54. Frazier, Gary L. (1999). Organizing and managing channels of distribution. Journal of the Academy of Marketing Science, 27(2), 226-240. http://www.uk.sagepub.com/suder/Chapter%208%20-%20Frazier.pdf.", mode: Mode::Bib, kind: "article-journal", author: Some("Frazier"), editor: None, title: Some("Organizing and managing channels of distribution"), container: Some("Journal of the Academy of Marketing Science"), publisher: None, place: None, year: Some(1999), volume: Some("27"), issue: Some("2"), page: Some("226–240"), doi: None, url: Some("http://www.uk.sagepub.com/suder/Chapter%208%20-%20Frazier.pdf") },
    Ref { text: "MacWhinney, B. (1993). Connections and symbols: closing the gap. Cognition, 49 (3), 291-296.", mode: Mode::Bib, kind: "article-journal", author: Some("MacWhinney"), editor: None, title: Some("Connections and symbols: closing the gap"), container: Some("Cognition"), publisher: None, place: None, year: Some(1993), volume: Some("49"), issue: Some("3"), page: Some("291–296"), doi: None, url: None },
    Ref { text: "Buntine, W. (1994). Operations for learning with graphical models. Journal of Artificial Intelligence Research, 2, 159-225.", mode: Mode::Bib, kind: "article-journal", author: Some("Buntine"), editor: None, title: Some("Operations for learning with graphical models"), container: Some("Journal of Artificial Intelligence Research"), publisher: None, place: None, year: Some(1994), volume: Some("2"), issue: None, page: Some("159–225"), doi: None, url: None },
    Ref { text: "S. M. Robinson. Some continuity properties of polyhedral multifunctions. Mathematical Programming Study, 14 206-214, 1981.", mode: Mode::Bib, kind: "article-journal", author: Some("Robinson"), editor: None, title: Some("Some continuity properties of polyhedral multifunctions"), container: Some("Mathematical Programming Study"), publisher: None, place: None, year: Some(1981), volume: Some("14"), issue: None, page: Some("206–214"), doi: None, url: None },
    Ref { text: "Mehellou, Y., De Clercq, E., 2010. Twenty-Six Years of Anti-HIV Drug Discovery: Where Do We Stand and Where Do We Go? J. Med. Chem. 53, 521–538. doi:10.1021/jm900492g", mode: Mode::Bib, kind: "article-journal", author: Some("Mehellou"), editor: None, title: Some("Twenty-Six Years of Anti-HIV Drug Discovery: Where Do We Stand and Where Do We Go?"), container: Some("J. Med. Chem."), publisher: None, place: None, year: Some(2010), volume: Some("53"), issue: None, page: Some("521–538"), doi: Some("10.1021/jm900492g"), url: None },
    // wrong today: the conference date is read as the title, the title as the publisher
    Ref { text: "Balakrishnan, R. (2006, 25-26 March). Why aren't we using 3d user interfaces, and will we ever? Paper presented at the IEEE Symposium on 3D User Interfaces. doi:10.1109/VR.2006.148", mode: Mode::Bib, kind: "book", author: Some("Balakrishnan"), editor: None, title: Some("(2006, 25-26 March)"), container: None, publisher: Some("Why aren't we using 3d user interfaces"), place: Some("and will we ever? Paper presented at the IEEE Symposium on 3D User Interfaces"), year: None, volume: None, issue: None, page: None, doi: Some("10.1109/VR.2006.148"), url: None },
    // wrong today: the journal name is cut at its comma (`Systems, Man, and Cybernetics`)
    Ref { text: "A. Garvey and V. R. Lesser, \"Design-to-time Real-Time Scheduling\", IEEE Transactions on Systems, Man, and Cybernetics: Special Issue on Scheduling, Planning, and Control, 23(6), 1993.", mode: Mode::Bib, kind: "article-journal", author: Some("Garvey"), editor: None, title: Some("Design-to-time Real-Time Scheduling"), container: Some("IEEE Transactions on Systems"), publisher: Some("Man"), place: None, year: Some(1993), volume: Some("23"), issue: Some("6"), page: None, doi: None, url: None },
    Ref { text: "[65] A. Ruszczyński, “Probabilistic programming with discrete distributions and precedence constrained knapsack polyhedra,” Mathematical Programming, vol. 93, no. 2, pp. 195–215, 2002.", mode: Mode::Bib, kind: "article-journal", author: Some("Ruszczyński"), editor: None, title: Some("Probabilistic programming with discrete distributions and precedence constrained knapsack polyhedra"), container: Some("Mathematical Programming"), publisher: None, place: None, year: Some(2002), volume: Some("93"), issue: Some("2"), page: Some("195–215"), doi: None, url: None },
    Ref { text: "[46] K. Fiedler, S. Schiller, R. Paschotta, P. Kürz, and J. Mlynek, “Highly efficient frequency doubling with a doubly resonant monolithic total-internal-reflection ring resonator,” Optics Letters 18, 1786–1788 (1993).", mode: Mode::Bib, kind: "article-journal", author: Some("Fiedler"), editor: None, title: Some("Highly efficient frequency doubling with a doubly resonant monolithic total-internal-reflection ring resonator"), container: Some("Optics Letters"), publisher: None, place: None, year: Some(1786), volume: Some("18"), issue: None, page: None, doi: None, url: None },
    // wrong today: the publisher is cut at its first comma (`Ticknor, Reed, and Fields`)
    Ref { text: "Hawthorne, Nathaniel. The Blithedale Romance. Boston: Ticknor, Reed, and Fields, 1852.", mode: Mode::Bib, kind: "book", author: Some("Hawthorne"), editor: None, title: Some("The Blithedale Romance"), container: None, publisher: Some("Ticknor"), place: Some("Boston"), year: Some(1852), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Vamvatsikos, D. and Cornell, C. A. (2002). Incremental dynamic analysis. Earthquake Engineering & Structural Dynamics, 31(3):491–514.", mode: Mode::Bib, kind: "article-journal", author: Some("Vamvatsikos"), editor: None, title: Some("Incremental dynamic analysis"), container: Some("Earthquake Engineering & Structural Dynamics"), publisher: None, place: None, year: Some(2002), volume: Some("31"), issue: Some("3"), page: Some("491–514"), doi: None, url: None },
    Ref { text: "(22) Fafarman, A.; Sigala, P.; Herschlag, D.; Boxer, S. \"Decomposition of Vibrational Shifts of Nitriles Into Electrostatic and Hydrogen-Bonding Effects.\" J. Am. Chem. Soc. 2010, 132, 12811–12813.", mode: Mode::Bib, kind: "article-journal", author: Some("Fafarman"), editor: None, title: Some("Decomposition of Vibrational Shifts of Nitriles Into Electrostatic and Hydrogen-Bonding Effects"), container: Some("J. Am. Chem. Soc."), publisher: None, place: None, year: Some(2010), volume: Some("132"), issue: None, page: Some("12811–12813"), doi: None, url: None },
    Ref { text: "Hong, S., Jhou, T.C., Smith, M., Saleem, K.S., and Hikosaka, O. (2011). Negative Reward Signals from the Lateral Habenula to Dopamine Neurons Are Mediated by Rostromedial Tegmental Nucleus in Primates. J Neurosci 31, 11457–11471.", mode: Mode::Bib, kind: "article-journal", author: Some("Hong"), editor: None, title: Some("Negative Reward Signals from the Lateral Habenula to Dopamine Neurons Are Mediated by Rostromedial Tegmental Nucleus in Primates"), container: Some("J Neurosci"), publisher: None, place: None, year: Some(2011), volume: Some("31"), issue: None, page: Some("11457–11471"), doi: None, url: None },
    Ref { text: "[34] Guang Chen, Jianchao Yang, Hailin Jin, Jonathan Brandt, Eli Shechtman, Aseem Agarwala, and Tony X Han. Large-scale visual font recognition. In Computer Vision and Pattern Recognition (CVPR). IEEE, 2014.", mode: Mode::Bib, kind: "chapter", author: Some("Chen"), editor: None, title: Some("Large-scale visual font recognition"), container: Some("Computer Vision and Pattern Recognition"), publisher: Some("IEEE"), place: None, year: Some(2014), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Goldberger, Arthur S. Topics in Regression Analysis. New York: Macmillan, 1968.", mode: Mode::Bib, kind: "book", author: Some("Goldberger"), editor: None, title: Some("Topics in Regression Analysis"), container: None, publisher: Some("Macmillan"), place: Some("New York"), year: Some(1968), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Hutton, James. 1788. Theory of the earth; or, An investigation of the laws observ- able in the composition, dissolution, and restoration of land upon the globe. Edinburgh.", mode: Mode::Bib, kind: "book", author: Some("Hutton"), editor: None, title: Some("Theory of the earth; or, An investigation of the laws observ- able in the composition, dissolution, and restoration of land upon the globe"), container: None, publisher: Some("Edinburgh"), place: None, year: Some(1788), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Muller, Eric; Hollien, Harry; & Murry, Thomas. 1974. Perceptual responses to infant crying – identification of cry types. Journal of Child Language 1, 89–95.", mode: Mode::Bib, kind: "article-journal", author: Some("Muller"), editor: None, title: Some("Perceptual responses to infant crying – identification of cry types"), container: Some("Journal of Child Language"), publisher: None, place: None, year: Some(1974), volume: Some("1"), issue: None, page: Some("89–95"), doi: None, url: None },
    Ref { text: "Beck, Ulrich, Anthony Giddens, and Scott Lash. Reflexive Modernization: Politics, Tradition and Aesthetics in the Modern Social Order. Cambridge: Polity Press, 1994.", mode: Mode::Bib, kind: "book", author: Some("Beck"), editor: None, title: Some("Reflexive Modernization: Politics, Tradition and Aesthetics in the Modern Social Order"), container: None, publisher: Some("Polity Press"), place: Some("Cambridge"), year: Some(1994), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Mahler, Alma, Gustav Mahler: Memories and Letters (New York, NY: Viking Press, 1969).", mode: Mode::Bib, kind: "book", author: Some("Mahler"), editor: None, title: Some("Gustav Mahler: Memories and Letters"), container: None, publisher: Some("Viking Press"), place: Some("New York, NY"), year: Some(1969), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "7. Graser, S., Stierhof, Y. D., Lavoie, S. B., Gassner, O. S., Lamla, S., Le Clech, M., and Nigg, E. A. (2007). Cep164, a novel centriole appendage protein required for primary cilium formation. J. Cell Biol. 179, 321–330.", mode: Mode::Bib, kind: "article-journal", author: Some("Graser"), editor: None, title: Some("Cep164, a novel centriole appendage protein required for primary cilium formation"), container: Some("J. Cell Biol."), publisher: None, place: None, year: Some(2007), volume: Some("179"), issue: None, page: Some("321–330"), doi: None, url: None },
    Ref { text: "Bateson G, Jackson DD, Haley J, Weakland J: Toward a Theory of Schizophrenia. Behavioral Science 1956; 1: 251–64.", mode: Mode::Bib, kind: "article-journal", author: Some("Bateson"), editor: None, title: Some("Toward a Theory of Schizophrenia"), container: Some("Behavioral Science"), publisher: None, place: None, year: Some(1956), volume: Some("1"), issue: None, page: Some("251–64"), doi: None, url: None },
    // wrong today: the second author is read as the title, the title as the container
    Ref { text: "JOUET, Emmanuelle. GREACEN, Tim. Pour « donner la chance aux gens ». Santé Mentale, juin 2010, n°149. p. 72-76.", mode: Mode::Bib, kind: "article-journal", author: Some("JOUET"), editor: None, title: Some("GREACEN, Tim"), container: Some("Pour « donner la chance aux gens »"), publisher: Some("Santé Mentale"), place: None, year: None, volume: None, issue: Some("149"), page: Some("72–76"), doi: None, url: None },
    // wrong today: `octobre 2011` is read as the publisher, and no year
    Ref { text: "MONTGUILLON, Dominique. L’offre de soins infirmiers à domicile. La revue de l’Infirmière, octobre 2011, n°174. p. 43-44.", mode: Mode::Bib, kind: "article-journal", author: Some("MONTGUILLON"), editor: None, title: Some("L’offre de soins infirmiers à domicile"), container: Some("La revue de l’Infirmière"), publisher: Some("octobre 2011"), place: None, year: None, volume: None, issue: Some("174"), page: Some("43–44"), doi: None, url: None },
    Ref { text: "———. The Poetical Works of Lord Byron. London: Oxford University Press, n.d.", mode: Mode::Bib, kind: "book", author: None, editor: None, title: Some("The Poetical Works of Lord Byron"), container: None, publisher: Some("Oxford University Press"), place: Some("London"), year: None, volume: None, issue: None, page: None, doi: None, url: None },
    // place and publisher swapped: read as meant (the check shows the order to restore)
    Ref { text: "Michael Pollan, The Omnivore’s Dilemma (Penguin: New York, 2006)", mode: Mode::Note, kind: "book", author: Some("Pollan"), editor: None, title: Some("The Omnivore’s Dilemma"), container: None, publisher: Some("Penguin"), place: Some("New York"), year: Some(2006), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Chris Cairns, Fragmented Authoritarianism? (Cornell University Press: Ithaca, NY, 2016)", mode: Mode::Note, kind: "book", author: Some("Cairns"), editor: None, title: Some("Fragmented Authoritarianism?"), container: None, publisher: Some("Cornell University Press"), place: Some("Ithaca, NY"), year: Some(2016), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000)", mode: Mode::Note, kind: "book", author: Some("Wintrobe"), editor: None, title: Some("The Political Economy of Dictatorship"), container: None, publisher: Some("Cambridge University Press"), place: Some("Cambridge"), year: Some(2000), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Chris Cairns, Fragmented Authoritarianism? Reforms to China’s Internet censorship system under Xi Jinping (Ithaca: Cornell University, September 2016)", mode: Mode::Note, kind: "report", author: Some("Cairns"), editor: None, title: Some("Fragmented Authoritarianism? Reforms to China’s Internet censorship system under Xi Jinping"), container: None, publisher: Some("Cornell University"), place: Some("Ithaca"), year: Some(2016), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Kenneth G. Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” in Bureaucracy, Politics, and Decision Making in Post-Mao China (Berkeley: University of California Press, 1992)", mode: Mode::Note, kind: "chapter", author: Some("Lieberthal"), editor: None, title: Some("Introduction: The “Fragmented Authoritarianism” Model and Its Limitations"), container: Some("Bureaucracy, Politics, and Decision Making in Post-Mao China"), publisher: Some("University of California Press"), place: Some("Berkeley"), year: Some(1992), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Paul Hubbard, ‘Fragmented authoritarianism’ and state ownership (East Asia Forum, 23 January 2017)", mode: Mode::Note, kind: "webpage", author: Some("Hubbard"), editor: None, title: Some("‘Fragmented authoritarianism’ and state ownership"), container: Some("East Asia Forum"), publisher: None, place: None, year: Some(2017), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017)", mode: Mode::Note, kind: "article-journal", author: Some("Zeng"), editor: None, title: Some("China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty’"), container: Some("Politics & Policy"), publisher: None, place: None, year: Some(2017), volume: Some("45"), issue: Some("3"), page: None, doi: None, url: None },
    Ref { text: "Vincent Pouliot and Jean-Philippe Thérien. “Global Governance: A Struggle over Universal Values.” International Studies Perspectives, online first, (2017)", mode: Mode::Note, kind: "article-journal", author: Some("Pouliot"), editor: None, title: Some("Global Governance: A Struggle over Universal Values"), container: Some("International Studies Perspectives"), publisher: None, place: None, year: Some(2017), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Willy Wo-Lap Lam. “The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?” in The Routledge Handbook of the Chinese Communist Party (London: Routledge, 2018)", mode: Mode::Note, kind: "chapter", author: Some("Lam"), editor: None, title: Some("The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?"), container: Some("The Routledge Handbook of the Chinese Communist Party"), publisher: Some("Routledge"), place: Some("London"), year: Some(2018), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Jyh-An Lee, “Hacking into China’s Cybersecurity Law,” Wake Forest Law Review 53, (August 2018)", mode: Mode::Note, kind: "article-journal", author: Some("Lee"), editor: None, title: Some("Hacking into China’s Cybersecurity Law"), container: Some("Wake Forest Law Review"), publisher: None, place: None, year: Some(2018), volume: Some("53"), issue: None, page: None, doi: None, url: None },
    Ref { text: "Emanuel Adler and Vincent Pouliot, “International practices” International Theory, 3(1) (2011): 5. doi:10.1017/S175297191000031X", mode: Mode::Note, kind: "article-journal", author: Some("Adler"), editor: None, title: Some("International practices"), container: Some("International Theory"), publisher: None, place: None, year: Some(2011), volume: Some("3"), issue: Some("1"), page: Some("5"), doi: Some("10.1017/S175297191000031X"), url: None },
    Ref { text: "Monroe Price, “Global Politics of Internet Governance” Technology and World Politics (London: Routledge, 2017)", mode: Mode::Note, kind: "chapter", author: Some("Price"), editor: None, title: Some("Global Politics of Internet Governance"), container: Some("Technology and World Politics"), publisher: Some("Routledge"), place: Some("London"), year: Some(2017), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Joseph S. Nye, “The Regime Complex for Managing Global Cyber Activities,” Global Commission on Internet Governance Paper Series, 2014", mode: Mode::Note, kind: "report", author: Some("Nye"), editor: None, title: Some("The Regime Complex for Managing Global Cyber Activities"), container: None, publisher: None, place: None, year: Some(2014), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Stein Schjflberg. The History of Cybercrime: 1976-2014, Cologne: Cybercrime Research Institute, 2014", mode: Mode::Note, kind: "report", author: Some("Schjflberg"), editor: None, title: Some("The History of Cybercrime: 1976-2014"), container: None, publisher: Some("Cybercrime Research Institute"), place: Some("Cologne"), year: Some(2014), volume: None, issue: None, page: None, doi: None, url: None },
    Ref { text: "Shazeda Ahmed, Cashless Society, Cached Data: Security Considerations for a Chinese Social Credit System (Toronto: The Citizen Lab, January 24, 2017) https://citizenlab.ca/2017/01/cashless-society-cached-data-security-considerations-chinese-social-credit-system/", mode: Mode::Note, kind: "report", author: Some("Ahmed"), editor: None, title: Some("Cashless Society, Cached Data: Security Considerations for a Chinese Social Credit System"), container: None, publisher: Some("The Citizen Lab"), place: Some("Toronto"), year: Some(2017), volume: None, issue: None, page: None, doi: None, url: Some("https://citizenlab.ca/2017/01/cashless-society-cached-data-security-considerations-chinese-social-credit-system/") },
    Ref { text: "Zhizheng Wang, “Systematic Government Access to Private-Sector Data in China,” International Data Privacy Law 2 (4)", mode: Mode::Note, kind: "article-journal", author: Some("Wang"), editor: None, title: Some("Systematic Government Access to Private-Sector Data in China"), container: Some("International Data Privacy Law"), publisher: None, place: None, year: None, volume: Some("2"), issue: Some("4"), page: None, doi: None, url: None },
    Ref { text: "“Freedom on the Net Methodology,” Freedom House, Accessed August 20, 2018, https://freedomhouse.org/report/freedom-net-methodology", mode: Mode::Note, kind: "webpage", author: None, editor: None, title: Some("Freedom on the Net Methodology"), container: Some("Freedom House"), publisher: None, place: None, year: None, volume: None, issue: None, page: None, doi: None, url: Some("https://freedomhouse.org/report/freedom-net-methodology") },
    Ref { text: "Jack Wagner, “China’s Cybersecurity Law: What You Need to Know,” The Diplomat (June 1 2018) https://thediplomat.com/2017/06/chinas-cybersecurity-law-what-you-need-to-know/", mode: Mode::Note, kind: "article-magazine", author: Some("Wagner"), editor: None, title: Some("China’s Cybersecurity Law: What You Need to Know"), container: Some("The Diplomat"), publisher: None, place: None, year: Some(2018), volume: None, issue: None, page: None, doi: None, url: Some("https://thediplomat.com/2017/06/chinas-cybersecurity-law-what-you-need-to-know/") },
    Ref { text: "Marbury v. Madison, 5 U.S. 137 (1803)", mode: Mode::Note, kind: "legal_case", author: None, editor: None, title: Some("Marbury v. Madison"), container: Some("U.S."), publisher: None, place: None, year: Some(1803), volume: Some("5"), issue: None, page: Some("137"), doi: None, url: None },
    Ref { text: "Yongming Zhou, “Historicizing Online Politics: Telegraphy, the Internet, and Political Participation in China. Stanford University Press (2016)", mode: Mode::Note, kind: "book", author: Some("Zhou"), editor: None, title: Some("Historicizing Online Politics: Telegraphy, the Internet, and Political Participation in China"), container: None, publisher: Some("Stanford University Press"), place: None, year: Some(2016), volume: None, issue: None, page: None, doi: None, url: None },
];
