//! BibLaTeX and BibTeX in and out, through the `biblatex` crate (its parser, its entry model and
//! its writers; ibid only maps fields).
//!
//! Types (CSL -> BibLaTeX -> CSL): `book` <-> `@book`; `chapter` <-> `@incollection` (`@inbook`
//! is read as a chapter too); `article-journal`, `article-magazine`, `article-newspaper`,
//! `article` <-> `@article` (the latter three with `entrysubtype = {magazine}`, `{newspaper}`,
//! `{article}`); `report` <-> `@report`; `thesis` <-> `@thesis`; `paper-conference` <->
//! `@inproceedings`; `webpage` <-> `@online`; `manuscript` <-> `@unpublished`; `patent` <->
//! `@patent`; `software` <-> `@software`; `dataset` <-> `@dataset`; every other CSL type,
//! `legislation` among them, <-> `@misc` with `entrysubtype` holding the CSL type (the crate
//! writes non-standard types such as `@legislation` as `@misc`, so the type travels in
//! `entrysubtype`, where biblatex styles look for subtypes).
//!
//! Fields: `author`, `editor`, `translator`; `title`; `title-short` -> `shorttitle`;
//! `container-title` -> `booktitle` (chapters, conference papers), `organization` (web pages)
//! or `journaltitle`;
//! `collection-title` -> `series`; `volume`; `issue` -> `number` on articles (BibLaTeX's
//! `number` is the issue number; its `issue` field is for `Spring` and the like), CSL `number` ->
//! `eid` on articles (an article number) and `number` elsewhere; `page` -> `pages` (`--`);
//! `edition`; `publisher` -> `publisher`, or `institution` on reports and theses; `publisher-place`
//! -> `location`; `genre` -> `type`; `issued` -> `date` (ISO 8601, ranges as `2016/2017`);
//! `accessed` -> `urldate`; `URL` -> `url`; `DOI` -> `doi`; `ISBN` -> `isbn`; `note` -> `note`;
//! the key is the entry key (characters BibTeX cannot have in a key become `_`, see
//! [`crate::library::formats::write`]). Institutional names are written in braces (`{State Council}`).
//!
//! Lossy: a literal (unparseable) date is written as `date` text and read back as a literal only
//! when the crate cannot parse it; seasons are dropped; CSL fields outside [`crate::library::Work`]'s
//! named fields (its `extra` map) are not written, except `abstract`, `language` and `ISSN`; a
//! name without a given name whose family name has a space (`{Freedom House}`) is read back as
//! an institution; `--` and `---` in text are TeX's dashes and come back as `–` and `—`; a `^`
//! is written `\^` by the biblatex crate, which TeX (and the crate's parser) read as a circumflex
//! on the next letter. A name suffix kept after the given names (`W. R., Jr.`) is written
//! `Family, Jr., Given` and read back the same way. BibTeX (`--to bibtex`) additionally maps `@online` to `@misc` and `@report` to
//! `@techreport`, and the date to `year`/`month`, as the crate's BibTeX writer does.

use ::biblatex::{Bibliography, Chunk, ChunksExt, Entry, EntryType, Spanned};

use crate::library::csljson::parse_date_text;
use crate::library::{Date, Library, Name, Work};

/// CSL types whose container is a book (`booktitle`).
const IN_BOOK: &[&str] = &[
    "chapter",
    "paper-conference",
    "entry-dictionary",
    "entry-encyclopedia",
];

fn is_article(kind: &str) -> bool {
    kind.starts_with("article")
}

/// The BibLaTeX entry type of a CSL type, and the `entrysubtype` that keeps the CSL type when
/// the entry type alone does not.
fn tex_type(kind: &str) -> (EntryType, Option<&str>) {
    match kind {
        "book" => (EntryType::Book, None),
        "chapter" => (EntryType::InCollection, None),
        "article-journal" => (EntryType::Article, None),
        "article-magazine" => (EntryType::Article, Some("magazine")),
        "article-newspaper" => (EntryType::Article, Some("newspaper")),
        "article" => (EntryType::Article, Some("article")),
        "report" => (EntryType::Report, None),
        "thesis" => (EntryType::Thesis, None),
        "paper-conference" => (EntryType::InProceedings, None),
        "webpage" => (EntryType::Online, None),
        "manuscript" => (EntryType::Unpublished, None),
        "patent" => (EntryType::Patent, None),
        "software" => (EntryType::Software, None),
        "dataset" => (EntryType::Dataset, None),
        "" => (EntryType::Misc, None),
        other => (EntryType::Misc, Some(other)),
    }
}

/// The CSL type of a BibLaTeX entry.
fn csl_type(entry: &Entry, subtype: Option<&str>) -> String {
    let kind = match (&entry.entry_type, subtype) {
        (EntryType::Article, Some("magazine")) => "article-magazine",
        (EntryType::Article, Some("newspaper")) => "article-newspaper",
        (EntryType::Article, Some("article")) => "article",
        (EntryType::Article, _) => "article-journal",
        (EntryType::Book | EntryType::MvBook | EntryType::BookInBook, _) => "book",
        (EntryType::Collection | EntryType::MvCollection, _) => "book",
        (EntryType::Proceedings | EntryType::MvProceedings, _) => "book",
        (
            EntryType::InCollection
            | EntryType::InBook
            | EntryType::SuppBook
            | EntryType::SuppCollection,
            _,
        ) => "chapter",
        (EntryType::InReference, _) => "entry-encyclopedia",
        (EntryType::Reference | EntryType::MvReference, _) => "book",
        (EntryType::InProceedings, _) => "paper-conference",
        (EntryType::Report | EntryType::TechReport, _) => "report",
        (EntryType::Thesis | EntryType::PhdThesis | EntryType::MastersThesis, _) => "thesis",
        (EntryType::Online, _) => "webpage",
        (EntryType::Unpublished, _) => "manuscript",
        (EntryType::Patent, _) => "patent",
        (EntryType::Software, _) => "software",
        (EntryType::Dataset, _) => "dataset",
        (EntryType::Periodical | EntryType::SuppPeriodical, _) => "periodical",
        (EntryType::Manual | EntryType::Booklet, _) => "pamphlet",
        (EntryType::Unknown(name), _) => match name.as_str() {
            "legislation" | "legal" => "legislation",
            "jurisdiction" => "legal_case",
            "letter" => "personal_communication",
            "movie" | "video" => "motion_picture",
            "audio" | "music" => "song",
            "image" | "artwork" => "graphic",
            "standard" => "standard",
            "review" => "review",
            "performance" => "performance",
            "webpage" | "web_page" => "webpage",
            _ => "document",
        },
        (EntryType::Misc, Some(sub)) => return sub.to_owned(),
        _ => "document",
    };
    kind.to_owned()
}

fn normal(text: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Normal(text.to_owned()))]
}

/// Names as BibLaTeX chunks: `Family, Given and {Institution}`.
fn names(list: &[Name]) -> Vec<Spanned<Chunk>> {
    let mut chunks = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if i > 0 {
            chunks.push(Spanned::detached(Chunk::Normal(" and ".into())));
        }
        match (&name.family, &name.literal) {
            (Some(family), _) => {
                let protect = family.contains([' ', ',']) || family.contains(" and ");
                if protect {
                    chunks.push(Spanned::detached(Chunk::Verbatim(family.clone())));
                } else {
                    chunks.push(Spanned::detached(Chunk::Normal(family.clone())));
                }
                if let Some(given) = &name.given {
                    // `W. R., Jr.` (CSL keeps a suffix after the given names) is BibTeX's
                    // `Family, Jr., Given`.
                    let text = match given.rsplit_once(", ") {
                        Some((given, suffix)) => format!(", {suffix}, {given}"),
                        None => format!(", {given}"),
                    };
                    chunks.push(Spanned::detached(Chunk::Normal(text)));
                }
            }
            (None, Some(literal)) => {
                chunks.push(Spanned::detached(Chunk::Verbatim(literal.clone())));
            }
            (None, None) => {
                if let Some(given) = &name.given {
                    chunks.push(Spanned::detached(Chunk::Normal(given.clone())));
                }
            }
        }
    }
    chunks
}

/// A CSL date as BibLaTeX's ISO 8601 text (`2017-06-01`, `2016/2017`).
fn iso(date: &Date) -> Option<String> {
    if date.date_parts.is_empty() {
        return date.literal.clone();
    }
    let one = |p: &Vec<i32>| -> String {
        let mut s = format!("{:04}", p.first().copied().unwrap_or(0));
        for part in p.iter().skip(1).take(2) {
            s.push_str(&format!("-{part:02}"));
        }
        s
    };
    Some(
        date.clean_parts()
            .iter()
            .take(2)
            .map(one)
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The BibLaTeX entry of a work.
pub fn to_entry(work: &Work) -> Entry {
    let (ty, subtype) = tex_type(&work.kind);
    let mut e = Entry::new(work.id.clone(), ty);
    let set = |e: &mut Entry, field: &str, value: &Option<String>| {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            e.set(field, normal(v));
        }
    };
    if let Some(sub) = subtype {
        e.set("entrysubtype", normal(sub));
    }
    if !work.author.is_empty() {
        e.set("author", names(&work.author));
    }
    if !work.editor.is_empty() {
        e.set("editor", names(&work.editor));
    }
    if !work.translator.is_empty() {
        e.set("translator", names(&work.translator));
    }
    set(&mut e, "title", &work.title);
    set(&mut e, "shorttitle", &work.title_short);
    let container_field = if IN_BOOK.contains(&work.kind.as_str()) {
        "booktitle"
    } else if matches!(tex_type(&work.kind).0, EntryType::Online) {
        // A website's name: `@online` has no journal, but an organization.
        "organization"
    } else {
        "journaltitle"
    };
    set(&mut e, container_field, &work.container_title);
    set(&mut e, "series", &work.collection_title);
    set(&mut e, "volume", &work.volume);
    if is_article(&work.kind) {
        set(&mut e, "number", &work.issue);
        set(&mut e, "eid", &work.number);
    } else {
        set(&mut e, "issue", &work.issue);
        set(&mut e, "number", &work.number);
    }
    if let Some(page) = &work.page {
        e.set("pages", normal(&page.replace('–', "--")));
    }
    set(&mut e, "edition", &work.edition);
    let publisher_field = match work.kind.as_str() {
        "report" | "thesis" => "institution",
        _ => "publisher",
    };
    set(&mut e, publisher_field, &work.publisher);
    set(&mut e, "location", &work.publisher_place);
    set(&mut e, "type", &work.genre);
    set(&mut e, "date", &work.issued.as_ref().and_then(iso));
    set(&mut e, "urldate", &work.accessed.as_ref().and_then(iso));
    set(&mut e, "url", &work.url);
    set(&mut e, "doi", &work.doi);
    set(&mut e, "isbn", &work.isbn);
    set(&mut e, "note", &work.note);
    for (csl, tex) in [
        ("abstract", "abstract"),
        ("language", "language"),
        ("ISSN", "issn"),
    ] {
        if let Some(v) = work.extra.get(csl).and_then(|v| v.as_str()) {
            e.set(tex, normal(v));
        }
    }
    e
}

/// The works as a BibLaTeX bibliography.
pub fn to_bibliography(library: &Library) -> Bibliography {
    let mut bib = Bibliography::new();
    for work in &library.works {
        bib.insert(to_entry(work));
    }
    bib
}

/// Writes BibLaTeX.
pub fn write_biblatex(library: &Library) -> String {
    let mut text = to_bibliography(library).to_biblatex_string();
    text.push('\n');
    text
}

/// Writes BibTeX (the crate's BibTeX writer: `year`/`month`, `journal`, `address`,
/// `@techreport`, and `@misc` with the CSL type in `entrysubtype` for `@online` and other types
/// BibTeX lacks).
pub fn write_bibtex(library: &Library) -> Result<String, String> {
    let mut out = String::new();
    for work in &library.works {
        let mut entry = to_entry(work);
        // BibTeX has no `@online` and the like: the crate writes them as `@misc`, so the CSL
        // type travels in `entrysubtype`, as it does for BibLaTeX's `@misc`.
        if entry.entry_type.to_bibtex() == EntryType::Misc
            && entry.entry_type != EntryType::Misc
            && !work.kind.is_empty()
        {
            entry.set("entrysubtype", normal(&work.kind));
        }
        let text = entry
            .to_bibtex_string()
            .map_err(|e| format!("{}: {e}", entry.key))?;
        out.push_str(&text);
        out.push_str("\n\n");
    }
    Ok(out)
}

/// A field's text, as printed (braces and TeX escapes resolved by the crate).
fn text(entry: &Entry, field: &str) -> Option<String> {
    entry
        .get(field)
        .map(|c| c.format_verbatim().trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn first_text(entry: &Entry, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|f| text(entry, f))
}

/// Names of a name-list field.
fn read_names(entry: &Entry, field: &str) -> Vec<Name> {
    let Some(chunks) = entry.get(field) else {
        return Vec::new();
    };
    let persons: Vec<::biblatex::Person> = chunks.parse().unwrap_or_default();
    persons
        .into_iter()
        .filter_map(|p| {
            let family = if p.prefix.is_empty() {
                p.name.clone()
            } else {
                format!("{} {}", p.prefix, p.name)
            };
            // A suffix (`Jr.`) follows the given names, as CSL-JSON writes it in `given`.
            let given = match (p.given_name.trim(), p.suffix.trim()) {
                (g, "") => g.to_owned(),
                ("", s) => s.to_owned(),
                (g, s) => format!("{g}, {s}"),
            };
            let given = Some(given).filter(|g| !g.is_empty());
            let family = family.trim().to_owned();
            if family.is_empty() {
                return given.map(|g| Name::person(g, None));
            }
            if given.is_none() && family.contains(' ') {
                Some(Name::literal(family))
            } else {
                Some(Name::person(family, given))
            }
        })
        .collect()
}

/// A date field (`date`, `urldate`), falling back on `year`/`month`/`day` (`urlyear` ...).
/// Read here rather than by the crate, whose `month` parsing overflows on `month = {0}`.
fn read_date(entry: &Entry, prefix: &str) -> Option<Date> {
    if let Some(raw) = text(entry, &format!("{prefix}date")) {
        return Some(parse_date_text(&raw));
    }
    let year = text(entry, &format!("{prefix}year"))?;
    let mut date = parse_date_text(&year);
    let Some(parts) = date.date_parts.first_mut().filter(|p| p.len() == 1) else {
        return Some(date);
    };
    let month = text(entry, &format!("{prefix}month")).and_then(|m| month_number(&m));
    if let Some(m) = month {
        parts.push(m);
        let day = text(entry, &format!("{prefix}day"))
            .and_then(|d| d.parse::<i32>().ok())
            .filter(|d| (1..=31).contains(d));
        if let Some(d) = day {
            parts.push(d);
        }
    }
    Some(date)
}

/// `6`, `06`, `jun`, `June` -> 6.
fn month_number(text: &str) -> Option<i32> {
    let t = text.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<i32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head = t.get(..3)?;
    NAMES.iter().position(|n| *n == head).map(|i| i as i32 + 1)
}

/// The work of a BibLaTeX (or BibTeX) entry.
pub fn from_entry(entry: &Entry) -> Work {
    let subtype = text(entry, "entrysubtype");
    let kind = csl_type(entry, subtype.as_deref());
    let article = is_article(&kind);
    let mut work = Work {
        id: entry.key.clone(),
        kind,
        author: read_names(entry, "author"),
        editor: read_names(entry, "editor"),
        translator: read_names(entry, "translator"),
        title: text(entry, "title"),
        title_short: text(entry, "shorttitle"),
        container_title: first_text(
            entry,
            &[
                "booktitle",
                "journaltitle",
                "journal",
                "maintitle",
                "organization",
            ],
        ),
        collection_title: text(entry, "series"),
        volume: text(entry, "volume"),
        issue: if article {
            first_text(entry, &["number", "issue"])
        } else {
            text(entry, "issue")
        },
        number: if article {
            text(entry, "eid")
        } else {
            text(entry, "number")
        },
        page: text(entry, "pages").map(|p| p.replace("--", "–")),
        edition: text(entry, "edition"),
        publisher: first_text(entry, &["publisher", "institution", "school"]),
        publisher_place: first_text(entry, &["location", "address"]),
        genre: text(entry, "type"),
        issued: read_date(entry, ""),
        accessed: read_date(entry, "url"),
        url: text(entry, "url"),
        doi: text(entry, "doi"),
        isbn: text(entry, "isbn"),
        note: text(entry, "note"),
        ..Work::default()
    };
    for (tex, csl) in [
        ("abstract", "abstract"),
        ("language", "language"),
        ("issn", "ISSN"),
    ] {
        if let Some(v) = text(entry, tex) {
            work.extra.insert(csl.into(), serde_json::Value::String(v));
        }
    }
    work
}

/// Reads BibLaTeX or BibTeX. Errors give the line and column of the first syntax error.
pub fn read(src: &str) -> Result<Library, String> {
    let bib = Bibliography::parse(src).map_err(|e| {
        let (line, col) = crate::span::line_col(src, e.span.start.min(src.len()));
        format!("{line}:{col}: {}", e.kind)
    })?;
    Ok(Library {
        works: bib.iter().map(from_entry).collect(),
    })
}
