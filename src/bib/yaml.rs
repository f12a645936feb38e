//! hayagriva YAML in and out, through hayagriva's own model: a work becomes a hayagriva entry in
//! hayagriva's input shape, which `hayagriva::io::from_yaml_str` parses (and so checks) and
//! `hayagriva::io::to_yaml_str` writes; reading goes through the same parser and the typed
//! getters of `hayagriva::Entry`.
//!
//! hayagriva models containers as parents, not as fields. The mapping (CSL type -> entry type >
//! parent type of the container):
//! `book` Book (> Anthology); `chapter` Chapter > Book; `article-journal` Article > Periodical;
//! `article-magazine` Article > Periodical with `genre: magazine` on the periodical;
//! `article-newspaper` Article > Newspaper; `article` Article (> Misc); `paper-conference`
//! Article > Proceedings; `report` Report (> Book); `thesis` Thesis (> Book); `webpage` Web >
//! Web; `post-weblog` Post > Blog; `post` Post > Thread; `legislation` Legislation (> Book);
//! `legal_case` Case (> Book); `manuscript` Manuscript; `patent` Patent; `software` Repository;
//! `entry-encyclopedia` Entry > Reference; `motion_picture` Video; `song` Audio; `graphic`
//! Artwork; `performance` Performance; `periodical` Periodical; anything else Misc.
//! The series (`collection-title`) is a parent of the same type as the entry it belongs to (the
//! container, or the work itself), as hayagriva's BibLaTeX import does. Volume, issue,
//! editors and publisher of a chapter's or an article's container sit on the container.
//!
//! Text is escaped for hayagriva's formattable strings (`\`, `{`, `}`, `$`), so it comes back
//! as it was.
//!
//! Lossy (hayagriva cannot say it): types without an entry of their own come back as
//! `document`, `bill` as `legislation`, `dataset` as `document`, `entry-dictionary` as
//! `entry-encyclopedia`; a date range keeps its first date; a literal date and a season are
//! dropped; `accessed` needs a URL (hayagriva keeps the visit date on the URL); volume and issue
//! ranges come back with an en dash (`79-3` -> `79–3`, hayagriva's numbers); URLs are normalised
//! by the `url` crate (`https://x.org` -> `https://x.org/`), and one it cannot parse (`www.x.org`,
//! without a scheme) is left out; a name with a comma in its family name is split by hayagriva's
//! name parser, and a suffix (`Jr.`) comes back after the given names only when it looks like
//! one (hayagriva 0.10.1 writes `Family, Given, Jr.` but reads the middle part as the suffix);
//! `extra` fields are dropped except `language` and `abstract`; a webpage cannot carry a series
//! (its Web parent is its container).

use hayagriva::types::{EntryType, Person, PersonRole};
use hayagriva::Entry;
use serde_json::{json, Map, Value};

use crate::model::{Date, Library, Name, Work, WorkType};

/// Entry type and container type of a CSL type.
fn shape(kind: WorkType) -> (EntryType, Option<EntryType>) {
    use EntryType as T;
    match kind {
        WorkType::Book | WorkType::Collection | WorkType::Classic => (T::Book, Some(T::Anthology)),
        WorkType::Chapter => (T::Chapter, Some(T::Book)),
        WorkType::ArticleJournal | WorkType::ArticleMagazine => (T::Article, Some(T::Periodical)),
        WorkType::ArticleNewspaper => (T::Article, Some(T::Newspaper)),
        WorkType::Article => (T::Article, Some(T::Misc)),
        WorkType::PaperConference => (T::Article, Some(T::Proceedings)),
        WorkType::Report => (T::Report, Some(T::Book)),
        WorkType::Thesis => (T::Thesis, Some(T::Book)),
        WorkType::Webpage => (T::Web, Some(T::Web)),
        WorkType::PostWeblog => (T::Post, Some(T::Blog)),
        WorkType::Post => (T::Post, Some(T::Thread)),
        WorkType::Legislation | WorkType::Bill => (T::Legislation, Some(T::Book)),
        WorkType::LegalCase => (T::Case, Some(T::Book)),
        WorkType::Manuscript => (T::Manuscript, Some(T::Misc)),
        WorkType::Patent => (T::Patent, Some(T::Misc)),
        WorkType::Software => (T::Repository, Some(T::Misc)),
        WorkType::EntryEncyclopedia | WorkType::EntryDictionary => (T::Entry, Some(T::Reference)),
        WorkType::Entry => (T::Entry, Some(T::Misc)),
        WorkType::MotionPicture => (T::Video, Some(T::Misc)),
        WorkType::Song => (T::Audio, Some(T::Misc)),
        WorkType::Graphic => (T::Artwork, Some(T::Misc)),
        WorkType::Performance => (T::Performance, Some(T::Misc)),
        WorkType::Periodical => (T::Periodical, Some(T::Misc)),
        _ => (T::Misc, Some(T::Book)),
    }
}

/// The CSL type of an entry, given its container.
fn csl_kind(entry: &Entry, container: Option<&Entry>) -> WorkType {
    use EntryType as T;
    let parent = container.map(|c| *c.entry_type());
    let magazine = container
        .and_then(Entry::genre)
        .is_some_and(|g| g.value.to_str().eq_ignore_ascii_case("magazine"));
    match (*entry.entry_type(), parent) {
        (T::Article, Some(T::Periodical)) if magazine => WorkType::ArticleMagazine,
        (T::Article, Some(T::Periodical)) => WorkType::ArticleJournal,
        (T::Article, Some(T::Newspaper)) => WorkType::ArticleNewspaper,
        (T::Article, Some(T::Proceedings | T::Conference)) => WorkType::PaperConference,
        (T::Article, Some(T::Blog)) => WorkType::PostWeblog,
        (T::Article, _) => WorkType::Article,
        (T::Chapter | T::Anthos, _) => WorkType::Chapter,
        (T::Book | T::Anthology | T::Proceedings | T::Reference, _) => WorkType::Book,
        (T::Report, _) => WorkType::Report,
        (T::Thesis, _) => WorkType::Thesis,
        (T::Web, _) => WorkType::Webpage,
        (T::Post, Some(T::Blog)) => WorkType::PostWeblog,
        (T::Post | T::Thread, _) => WorkType::Post,
        (T::Blog, _) => WorkType::Webpage,
        (T::Legislation, _) => WorkType::Legislation,
        (T::Case, _) => WorkType::LegalCase,
        (T::Manuscript, _) => WorkType::Manuscript,
        (T::Patent, _) => WorkType::Patent,
        (T::Repository, _) => WorkType::Software,
        (T::Entry, Some(T::Reference)) => WorkType::EntryEncyclopedia,
        (T::Entry, _) => WorkType::Entry,
        (T::Video, _) => WorkType::MotionPicture,
        (T::Audio, _) => WorkType::Song,
        (T::Artwork, _) => WorkType::Graphic,
        (T::Performance, _) => WorkType::Performance,
        (T::Periodical | T::Newspaper, _) => WorkType::Periodical,
        _ => WorkType::Document,
    }
}

/// Text for a hayagriva formattable string: `\`, `{`, `}` and `$` (verbatim and math markers
/// to hayagriva) escaped, so that the text comes back as it was.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '{' | '}' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn fmt(text: &str) -> Value {
    Value::String(esc(text))
}

fn type_name(ty: EntryType) -> Value {
    serde_json::to_value(ty).unwrap_or(Value::String("misc".into()))
}

fn person(name: &Name) -> Option<Value> {
    let mut map = Map::new();
    match (&name.family, &name.literal) {
        (Some(family), _) => {
            map.insert("name".into(), json!(family));
            if let Some(given) = &name.given {
                match given.rsplit_once(", ") {
                    // `W. R., Jr.`: hayagriva has a suffix field.
                    Some((given, suffix)) => {
                        map.insert("given-name".into(), json!(given));
                        map.insert("suffix".into(), json!(suffix));
                    }
                    None => {
                        map.insert("given-name".into(), json!(given));
                    }
                }
            }
        }
        (None, Some(literal)) => {
            map.insert("name".into(), json!(literal));
        }
        (None, None) => {
            map.insert("name".into(), json!(name.given.as_ref()?));
        }
    }
    Some(Value::Object(map))
}

fn people(names: &[Name]) -> Value {
    Value::Array(names.iter().filter_map(person).collect())
}

fn date(d: &Date) -> Option<Value> {
    let clean = d.clean_parts();
    let parts = clean.first()?;
    let mut text = format!("{:04}", parts.first()?);
    for p in parts.iter().skip(1).take(2) {
        text.push_str(&format!("-{p:02}"));
    }
    Some(json!(text))
}

/// The hayagriva input of one work, as a JSON value of hayagriva's YAML shape.
fn entry_value(work: &Work) -> Value {
    let (ty, container_ty) = shape(work.kind);
    let mut item = Map::new();
    item.insert("type".into(), type_name(ty));
    let mut container = Map::new();
    let has_container = work.container_title.is_some();
    if let Some(ct) = &work.container_title {
        container.insert(
            "type".into(),
            type_name(container_ty.unwrap_or(EntryType::Misc)),
        );
        container.insert("title".into(), fmt(ct));
        if work.kind == WorkType::ArticleMagazine {
            container.insert("genre".into(), json!("magazine"));
        }
    }
    // Fields that describe the container when there is one (a chapter's book, an article's
    // periodical) go on it.
    let on_container = has_container && work.kind.is_in_book();
    let periodical = has_container && work.kind.is_article();
    if let Some(title) = &work.title {
        match &work.title_short {
            Some(short) => item.insert(
                "title".into(),
                json!({"value": esc(title), "short": esc(short)}),
            ),
            None => item.insert("title".into(), fmt(title)),
        };
    }
    if !work.author.is_empty() {
        item.insert("author".into(), people(&work.author));
    }
    if !work.editor.is_empty() {
        let target = if on_container {
            &mut container
        } else {
            &mut item
        };
        target.insert("editor".into(), people(&work.editor));
    }
    if !work.translator.is_empty() {
        item.insert(
            "affiliated".into(),
            json!([{"names": people(&work.translator), "role": "translator"}]),
        );
    }
    if let Some(d) = work.issued.as_ref().and_then(date) {
        item.insert("date".into(), d);
    }
    if work.publisher.is_some() || work.publisher_place.is_some() {
        let mut p = Map::new();
        if let Some(name) = &work.publisher {
            p.insert("name".into(), fmt(name));
        }
        if let Some(place) = &work.publisher_place {
            p.insert("location".into(), fmt(place));
        }
        let target = if on_container {
            &mut container
        } else {
            &mut item
        };
        target.insert("publisher".into(), Value::Object(p));
    }
    for (field, value) in [("volume", &work.volume), ("issue", &work.issue)] {
        if let Some(v) = value {
            let target = if periodical || on_container {
                &mut container
            } else {
                &mut item
            };
            target.insert(field.into(), json!(v));
        }
    }
    if let Some(v) = &work.edition {
        item.insert("edition".into(), json!(v));
    }
    if let Some(v) = &work.page {
        item.insert("page-range".into(), json!(v));
    }
    // hayagriva holds URLs as parsed URLs: one it cannot parse (`www.example.org`, no scheme)
    // would make it reject the whole library, so it is left out.
    let url = work
        .url
        .as_ref()
        .filter(|u| serde_json::from_value::<hayagriva::types::QualifiedUrl>(json!(u)).is_ok());
    if let Some(url) = url {
        match work.accessed.as_ref().and_then(date) {
            Some(d) => item.insert("url".into(), json!({"value": url, "date": d})),
            None => item.insert("url".into(), json!(url)),
        };
    }
    let mut serial = Map::new();
    for (key, value) in [
        ("doi", &work.doi),
        ("isbn", &work.isbn),
        ("serial", &work.number),
    ] {
        if let Some(v) = value {
            serial.insert(key.into(), json!(v));
        }
    }
    if let Some(issn) = work.extra.get("ISSN").and_then(Value::as_str) {
        serial.insert("issn".into(), json!(issn));
    }
    if !serial.is_empty() {
        item.insert("serial-number".into(), Value::Object(serial));
    }
    for (field, value) in [("genre", &work.genre), ("note", &work.note)] {
        if let Some(v) = value {
            item.insert(field.into(), fmt(v));
        }
    }
    if let Some(v) = work.extra.get("language").and_then(Value::as_str) {
        item.insert("language".into(), json!(v));
    }
    if let Some(v) = work.extra.get("abstract").and_then(Value::as_str) {
        item.insert("abstract".into(), fmt(v));
    }
    if let Some(series) = &work.collection_title {
        if has_container {
            let ty = container.get("type").cloned().unwrap_or(json!("misc"));
            container.insert("parent".into(), json!({"type": ty, "title": esc(series)}));
        } else {
            item.insert(
                "parent".into(),
                json!({"type": type_name(ty), "title": esc(series)}),
            );
        }
    }
    if has_container {
        item.insert("parent".into(), Value::Object(container));
    }
    Value::Object(item)
}

/// The works as a hayagriva library (parsed by hayagriva from its input shape).
pub fn to_hayagriva(library: &Library) -> Result<hayagriva::Library, String> {
    // JSON is YAML: hayagriva's YAML parser reads the document, so every entry is checked by
    // hayagriva itself. Written by hand as `{key: entry, ...}` to keep the library's order.
    let mut text = String::from("{");
    for (i, work) in library.works.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let key = serde_json::to_string(&work.id).map_err(|e| e.to_string())?;
        let value = serde_json::to_string(&entry_value(work)).map_err(|e| e.to_string())?;
        text.push_str(&key);
        text.push(':');
        text.push_str(&value);
    }
    text.push('}');
    hayagriva::io::from_yaml_str(&text).map_err(|e| format!("hayagriva rejects the entries: {e}"))
}

/// Writes hayagriva YAML.
pub fn write(library: &Library) -> Result<String, String> {
    let lib = to_hayagriva(library)?;
    hayagriva::io::to_yaml_str(&lib).map_err(|e| e.to_string())
}

fn fs(value: Option<&hayagriva::types::FormatString>) -> Option<String> {
    value
        .map(|f| f.value.to_str().trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn names(list: Option<&[Person]>) -> Vec<Name> {
    list.unwrap_or_default()
        .iter()
        .map(|p| {
            let family = match &p.prefix {
                Some(prefix) => format!("{prefix} {}", p.name).trim().to_owned(),
                None => p.name.clone(),
            };
            let given = match (&p.given_name, &p.suffix) {
                // hayagriva 0.10.1 writes `Family, Given, Jr.` but reads the middle part as the
                // suffix: put `Jr.` back after the given names.
                (Some(g), Some(s)) if is_suffix(g) && !is_suffix(s) => Some(format!("{s}, {g}")),
                (Some(g), Some(s)) => Some(format!("{g}, {s}")),
                (None, Some(s)) => Some(s.clone()),
                (g, None) => g.clone(),
            };
            match given {
                Some(g) => Name::person(family, Some(g)),
                None if family.contains(' ') => Name::literal(family),
                None => Name::person(family, None),
            }
        })
        .collect()
}

/// `Jr.`, `Sr.`, `II`, `III` ...: what follows a name rather than given names.
fn is_suffix(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.');
    matches!(t, "Jr" | "Sr" | "jr" | "sr" | "Jnr" | "Snr")
        || (!t.is_empty() && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X')))
}

fn date_of(d: &hayagriva::types::Date) -> Date {
    Date::ymd(
        d.year,
        d.month.map(|m| u32::from(m) + 1),
        d.day.map(|x| u32::from(x) + 1),
    )
}

/// The work of a hayagriva entry.
pub fn from_entry(entry: &Entry) -> Work {
    let own = *entry.entry_type();
    // The container: the first parent of another type (a Web in a Web is a container too).
    let container = entry
        .parents()
        .iter()
        .find(|p| *p.entry_type() != own || own == EntryType::Web);
    // The series: a parent of the same type as the entry it belongs to.
    let holder = container.unwrap_or(entry);
    let holder_ty = *holder.entry_type();
    let series = holder.parents().iter().find(|p| {
        *p.entry_type() == holder_ty && !(holder_ty == EntryType::Web && container.is_none())
    });
    let from_either = |f: &dyn Fn(&Entry) -> Option<String>| -> Option<String> {
        f(entry).or_else(|| container.and_then(f))
    };
    let title = entry.title();
    let mut work = Work {
        id: entry.key().to_owned(),
        kind: csl_kind(entry, container),
        author: names(entry.authors()),
        editor: {
            let own = names(entry.editors());
            if own.is_empty() {
                names(container.and_then(Entry::editors))
            } else {
                own
            }
        },
        translator: entry
            .affiliated()
            .unwrap_or_default()
            .iter()
            .filter(|p| p.role == PersonRole::Translator)
            .flat_map(|p| names(Some(&p.names)))
            .collect(),
        title: fs(title),
        title_short: title
            .and_then(|t| t.short.as_ref())
            .map(|s| s.to_str().trim().to_owned()),
        container_title: container.and_then(|c| fs(c.title())),
        collection_title: series.and_then(|s| fs(s.title())),
        volume: from_either(&|e: &Entry| e.volume().map(|v| v.to_str().into_owned())),
        issue: from_either(&|e: &Entry| e.issue().map(|v| v.to_str().into_owned())),
        page: entry.page_range().map(|p| p.to_str().replace('-', "–")),
        edition: entry.edition().map(|v| v.to_str().into_owned()),
        publisher: from_either(&|e: &Entry| fs(e.publisher().and_then(|p| p.name()))),
        publisher_place: from_either(&|e: &Entry| fs(e.publisher().and_then(|p| p.location()))),
        genre: fs(entry.genre()),
        number: entry
            .serial_number()
            .and_then(|s| s.0.get("serial"))
            .cloned(),
        issued: entry.date().map(date_of),
        accessed: entry.url().and_then(|u| u.visit_date.as_ref()).map(date_of),
        url: entry.url().map(|u| u.value.to_string()),
        doi: entry.doi().map(str::to_owned),
        isbn: entry.isbn().map(str::to_owned),
        note: fs(entry.note()),
        ..Work::default()
    };
    if let Some(issn) = entry.issn() {
        work.extra.insert("ISSN".into(), json!(issn));
    }
    if let Some(lang) = entry.language() {
        work.extra
            .insert("language".into(), json!(lang.to_string()));
    }
    if let Some(a) = fs(entry.abstract_()) {
        work.extra.insert("abstract".into(), json!(a));
    }
    work
}

/// The deepest nesting of YAML flow collections read. serde_yaml refuses anything deeper than
/// 128 levels, but only after the YAML parser has scanned it, which takes time quadratic in the
/// depth (100,000 nested `[` took minutes).
pub const MAX_FLOW_DEPTH: usize = 128;

/// The line where flow collections (`[`, `{`) first nest deeper than [`MAX_FLOW_DEPTH`], found
/// by a scan that skips quoted scalars and comments; a line starting a top-level key starts the
/// count again, so that stray brackets in titles do not add up across entries.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with(|c: char| !c.is_whitespace() && !"[]{},#".contains(c)) {
            depth = 0;
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if prev.is_whitespace() || "[{,:".contains(prev) => quote = Some(c),
                    '#' if prev.is_whitespace() => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some(n + 1);
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// Reads hayagriva YAML.
pub fn read(text: &str) -> Result<Library, String> {
    if let Some(line) = too_deep(text) {
        return Err(format!(
            "line {line}: flow collections ([ ] and {{ }}) nested more than {MAX_FLOW_DEPTH} levels deep"
        ));
    }
    let lib = hayagriva::io::from_yaml_str(text).map_err(|e| match e.location() {
        Some(loc) => format!("{}:{}: {e}", loc.line(), loc.column()),
        None => e.to_string(),
    })?;
    Ok(Library {
        works: lib.iter().map(from_entry).collect(),
    })
}
