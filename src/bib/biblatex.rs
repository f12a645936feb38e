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
//! [`crate::bib::formats::write`]). Institutional names are written in braces (`{State Council}`).
//!
//! Lossy: a literal (unparseable) date is written as `date` text and read back as a literal only
//! when the crate cannot parse it; seasons are dropped; CSL fields outside [`crate::model::Work`]'s
//! named fields (its `extra` map) are not written, except `abstract`, `language` and `ISSN`; a
//! name without a given name whose family name has a space (`{Freedom House}`) is read back as
//! an institution; `--` and `---` in text are TeX's dashes and come back as `–` and `—`; a `^`
//! is written `\^` by the biblatex crate, which TeX (and the crate's parser) read as a circumflex
//! on the next letter. A name suffix kept after the given names (`W. R., Jr.`) is written
//! `Family, Jr., Given` and read back the same way. BibTeX (`--to bibtex`) additionally maps `@online` to `@misc` and `@report` to
//! `@techreport`, and the date to `year`/`month`, as the crate's BibTeX writer does.

use std::collections::HashMap;

use ::biblatex::{
    Bibliography, Chunk, ChunksExt, Entry, EntryType, RawBibliography, RawChunk, Spanned,
};

use crate::error::LibraryDefect;

use crate::bib::csljson::parse_date_text;
use crate::model::{Date, Library, Name, Work, WorkType};

/// The BibLaTeX entry type of a CSL type, and the `entrysubtype` that keeps the CSL type when
/// the entry type alone does not.
fn tex_type(kind: WorkType) -> (EntryType, Option<&'static str>) {
    match kind {
        WorkType::Book => (EntryType::Book, None),
        WorkType::Chapter => (EntryType::InCollection, None),
        WorkType::ArticleJournal => (EntryType::Article, None),
        WorkType::ArticleMagazine => (EntryType::Article, Some("magazine")),
        WorkType::ArticleNewspaper => (EntryType::Article, Some("newspaper")),
        WorkType::Article => (EntryType::Article, Some("article")),
        WorkType::Report => (EntryType::Report, None),
        WorkType::Thesis => (EntryType::Thesis, None),
        WorkType::PaperConference => (EntryType::InProceedings, None),
        WorkType::Webpage => (EntryType::Online, None),
        WorkType::Manuscript => (EntryType::Unpublished, None),
        WorkType::Patent => (EntryType::Patent, None),
        WorkType::Software => (EntryType::Software, None),
        WorkType::Dataset => (EntryType::Dataset, None),
        other => (EntryType::Misc, Some(other.as_str())),
    }
}

/// The CSL type of a BibLaTeX entry.
fn csl_type(entry: &Entry, subtype: Option<&str>) -> WorkType {
    let kind = match (&entry.entry_type, subtype) {
        (EntryType::Article, Some("magazine")) => WorkType::ArticleMagazine,
        (EntryType::Article, Some("newspaper")) => WorkType::ArticleNewspaper,
        (EntryType::Article, Some("article")) => WorkType::Article,
        (EntryType::Article, _) => WorkType::ArticleJournal,
        (EntryType::Book | EntryType::MvBook | EntryType::BookInBook, _) => WorkType::Book,
        (EntryType::Collection | EntryType::MvCollection, _) => WorkType::Book,
        (EntryType::Proceedings | EntryType::MvProceedings, _) => WorkType::Book,
        (
            EntryType::InCollection
            | EntryType::InBook
            | EntryType::SuppBook
            | EntryType::SuppCollection,
            _,
        ) => WorkType::Chapter,
        (EntryType::InReference, _) => WorkType::EntryEncyclopedia,
        (EntryType::Reference | EntryType::MvReference, _) => WorkType::Book,
        (EntryType::InProceedings, _) => WorkType::PaperConference,
        (EntryType::Report | EntryType::TechReport, _) => WorkType::Report,
        (EntryType::Thesis | EntryType::PhdThesis | EntryType::MastersThesis, _) => {
            WorkType::Thesis
        }
        (EntryType::Online, _) => WorkType::Webpage,
        (EntryType::Unpublished, _) => WorkType::Manuscript,
        (EntryType::Patent, _) => WorkType::Patent,
        (EntryType::Software, _) => WorkType::Software,
        (EntryType::Dataset, _) => WorkType::Dataset,
        (EntryType::Periodical | EntryType::SuppPeriodical, _) => WorkType::Periodical,
        (EntryType::Manual | EntryType::Booklet, _) => WorkType::Pamphlet,
        (EntryType::Unknown(name), _) => match name.as_str() {
            "legislation" | "legal" => WorkType::Legislation,
            "jurisdiction" => WorkType::LegalCase,
            "letter" => WorkType::PersonalCommunication,
            "movie" | "video" => WorkType::MotionPicture,
            "audio" | "music" => WorkType::Song,
            "image" | "artwork" => WorkType::Graphic,
            "standard" => WorkType::Standard,
            "review" => WorkType::Review,
            "performance" => WorkType::Performance,
            "webpage" | "web_page" => WorkType::Webpage,
            _ => WorkType::Document,
        },
        (EntryType::Misc, Some(sub)) => WorkType::parse(sub),
        _ => WorkType::Document,
    };
    kind
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
    let (ty, subtype) = tex_type(work.kind);
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
    let container_field = if work.kind.is_in_book() {
        "booktitle"
    } else if matches!(tex_type(work.kind).0, EntryType::Online) {
        // A website's name: `@online` has no journal, but an organization.
        "organization"
    } else {
        "journaltitle"
    };
    set(&mut e, container_field, &work.container_title);
    set(&mut e, "series", &work.collection_title);
    set(&mut e, "volume", &work.volume);
    if work.kind.is_article() {
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
    let publisher_field = match work.kind {
        WorkType::Report | WorkType::Thesis => "institution",
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
        if entry.entry_type.to_bibtex() == EntryType::Misc && entry.entry_type != EntryType::Misc {
            entry.set("entrysubtype", normal(work.kind.as_str()));
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
    let article = kind.is_article();
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

/// The longest chain of `@string`s referring to `@string`s, or of entries inheriting through
/// `crossref`/`xdata`, ibid accepts: the biblatex crate resolves both by recursion. Real files
/// chain two or three.
pub const MAX_LINK_DEPTH: usize = 64;

/// The most `@string` references one field may expand to, counting repeats.
pub const MAX_STRING_EXPANSIONS: u64 = 100_000;

/// The most bytes a field that uses `@string`s may expand to (one MiB).
pub const MAX_EXPANDED_BYTES: u64 = 1 << 20;

/// The most entries one entry may inherit from through `crossref`/`xdata`, counting an entry
/// reached by two paths twice (the crate resolves each path).
pub const MAX_INHERITED: u64 = 1_000;

/// Checks the `@string`s of a raw bibliography before the crate resolves them: none refers to
/// itself, chains are at most [`MAX_LINK_DEPTH`] long, and no field expands past
/// [`MAX_STRING_EXPANSIONS`] references or [`MAX_EXPANDED_BYTES`] bytes.
pub fn check_strings(src: &str, raw: &RawBibliography) -> Result<(), LibraryDefect> {
    let line = |at: usize| crate::model::span::line_col(src, at).0;
    // the crate keeps the last definition of a name
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, pair) in raw.abbreviations.iter().enumerate() {
        index.insert(pair.key.v, i);
    }
    let refs = |field: &[Spanned<RawChunk>]| -> Vec<usize> {
        field
            .iter()
            .filter_map(|c| match c.v {
                RawChunk::Abbreviation(name) => index.get(name).copied(),
                RawChunk::Normal(_) => None,
            })
            .collect()
    };
    let edges: Vec<Vec<usize>> = raw.abbreviations.iter().map(|p| refs(&p.value.v)).collect();
    let order = crate::graph::callees_first(&edges).map_err(|cycle| {
        let first = &raw.abbreviations[cycle[0]];
        LibraryDefect::StringLoop {
            line: line(first.key.span.start),
            name: first.key.v.to_owned(),
            cycle: cycle
                .iter()
                .map(|&i| raw.abbreviations[i].key.v.to_owned())
                .collect(),
        }
    })?;
    // (references, bytes, depth) of each @string, and of a field given those
    #[derive(Clone, Copy, Default)]
    struct Size {
        refs: u64,
        bytes: u64,
        depth: usize,
    }
    let measure = |field: &[Spanned<RawChunk>], sizes: &[Size]| -> Size {
        let mut size = Size::default();
        for chunk in field {
            match chunk.v {
                RawChunk::Normal(s) => size.bytes = size.bytes.saturating_add(s.len() as u64),
                RawChunk::Abbreviation(name) => {
                    let inner = index.get(name).map(|&i| sizes[i]).unwrap_or_default();
                    size.refs = size.refs.saturating_add(inner.refs.saturating_add(1));
                    // an unknown name is a month (`jan`) or an error: a few bytes at most
                    size.bytes = size.bytes.saturating_add(inner.bytes.max(9));
                    size.depth = size.depth.max(inner.depth + 1);
                }
            }
        }
        size
    };
    let mut sizes = vec![Size::default(); edges.len()];
    for &i in &order {
        sizes[i] = measure(&raw.abbreviations[i].value.v, &sizes);
    }
    for (pair, size) in raw.abbreviations.iter().zip(&sizes) {
        if size.depth > MAX_LINK_DEPTH {
            return Err(LibraryDefect::TooDeep {
                line: line(pair.key.span.start),
                what: format!("@string `{}`", pair.key.v),
                depth: size.depth,
                limit: MAX_LINK_DEPTH,
            });
        }
    }
    for entry in &raw.entries {
        for field in &entry.v.fields {
            let size = measure(&field.value.v, &sizes);
            let what = || format!("field `{}` of entry `{}`", field.key.v, entry.v.key.v);
            if size.refs > MAX_STRING_EXPANSIONS {
                return Err(LibraryDefect::TooLarge {
                    line: line(field.key.span.start),
                    what: what(),
                    count: size.refs,
                    unit: "@string references",
                    limit: MAX_STRING_EXPANSIONS,
                });
            }
            if size.refs > 0 && size.bytes > MAX_EXPANDED_BYTES {
                return Err(LibraryDefect::TooLarge {
                    line: line(field.key.span.start),
                    what: what(),
                    count: size.bytes,
                    unit: "bytes through @strings",
                    limit: MAX_EXPANDED_BYTES,
                });
            }
        }
    }
    Ok(())
}

/// Checks the `crossref` and `xdata` links of a raw bibliography (whose `@string`s passed
/// [`check_strings`]) before the crate resolves them: no entry inherits from itself, chains are
/// at most [`MAX_LINK_DEPTH`] long and no entry inherits from more than [`MAX_INHERITED`]. The
/// links are read by the crate itself, from a copy of the entries with only those two fields,
/// renamed so that it does not follow them.
pub fn check_links(src: &str, raw: &RawBibliography) -> Result<(), LibraryDefect> {
    const CROSSREF: &str = "ibid-crossref";
    const XDATA: &str = "ibid-xdata";
    let mut links = raw.clone();
    let mut any = false;
    for entry in &mut links.entries {
        entry.v.fields.retain_mut(|pair| {
            let name = if pair.key.v.eq_ignore_ascii_case("crossref") {
                CROSSREF
            } else if pair.key.v.eq_ignore_ascii_case("xdata") {
                XDATA
            } else {
                return false;
            };
            pair.key.v = name;
            any = true;
            true
        });
    }
    if !any {
        return Ok(());
    }
    // a syntax error here is reported by the real parse that follows
    let Ok(bib) = Bibliography::from_raw(links) else {
        return Ok(());
    };
    let line = |i: usize| crate::model::span::line_col(src, raw.entries[i].v.key.span.start).0;
    let index: HashMap<&str, usize> = bib
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = bib
        .iter()
        .map(|e| {
            let mut parents: Vec<String> = e.get_as::<String>(CROSSREF).ok().into_iter().collect();
            parents.extend(e.get_as::<Vec<String>>(XDATA).unwrap_or_default());
            parents
                .iter()
                .filter_map(|k| index.get(k.as_str()).copied())
                .collect()
        })
        .collect();
    let keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    let order =
        crate::graph::callees_first(&edges).map_err(|cycle| LibraryDefect::CrossrefLoop {
            line: line(cycle[0]),
            key: keys[cycle[0]].to_owned(),
            cycle: cycle.iter().map(|&i| keys[i].to_owned()).collect(),
        })?;
    // (entries inherited from, the longest chain) of each entry, parents first
    let mut inherited = vec![(0u64, 0usize); edges.len()];
    for &i in &order {
        let mut n = (0u64, 0usize);
        for &p in &edges[i] {
            n.0 = n.0.saturating_add(inherited[p].0.saturating_add(1));
            n.1 = n.1.max(inherited[p].1 + 1);
        }
        inherited[i] = n;
        if n.1 > MAX_LINK_DEPTH {
            return Err(LibraryDefect::TooDeep {
                line: line(i),
                what: format!("entry `{}`'s crossref/xdata", keys[i]),
                depth: n.1,
                limit: MAX_LINK_DEPTH,
            });
        }
        if n.0 > MAX_INHERITED {
            return Err(LibraryDefect::TooLarge {
                line: line(i),
                what: format!("entry `{}`", keys[i]),
                count: n.0,
                unit: "inherited entries through crossref/xdata",
                limit: MAX_INHERITED,
            });
        }
    }
    Ok(())
}

/// Reads BibLaTeX or BibTeX. Errors give the line and column of the first syntax error, or the
/// line of an `@string` or entry whose links ibid refuses to resolve ([`check_strings`],
/// [`check_links`]).
pub fn read(src: &str) -> Result<Library, String> {
    let syntax = |e: ::biblatex::ParseError| {
        let (line, col) = crate::model::span::line_col(src, e.span.start.min(src.len()));
        format!("{line}:{col}: {}", e.kind)
    };
    let raw = RawBibliography::parse(src).map_err(syntax)?;
    check_strings(src, &raw).map_err(|d| d.to_string())?;
    check_links(src, &raw).map_err(|d| d.to_string())?;
    let bib = Bibliography::from_raw(raw).map_err(syntax)?;
    Ok(Library {
        works: bib.iter().map(from_entry).collect(),
    })
}
