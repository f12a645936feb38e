//! Render: drive hayagriva with a CSL style, one citation request per note in order, then correct
//! what hayagriva gets wrong (see `../shared/guides/hayagriva.md`, D1–D10) and rebuild each note
//! with its signals and commentary around the rendered citations.
//!
//! The stage takes plain data ([`RenderInput`]: the works and the note sequence), so it works the
//! same from an [`crate::Analysis`] and from an extract JSON.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::PageRangeFormat;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemMeta,
    LocatorPayload, SpecificLocator,
};
use serde::Serialize;

use crate::error::Error;
use crate::model::{CiteRecord, Name, Work};

pub mod input;
pub(crate) mod language;
mod memo;
pub mod rich;
pub mod style;
pub mod validate;

pub use input::{NoteSeq, RenderInput};
pub use rich::Rich;
pub use style::Style;

/// The rendering of a whole manuscript in one style.
#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    /// The style's name.
    pub style: String,
    /// True for an in-text style (APA): citations are parenthetical, the list is a reference list.
    pub in_text: bool,
    /// Every note, in order.
    pub notes: Vec<RenderedNote>,
    /// The bibliography (or reference list), sorted as the style says.
    pub bibliography: Vec<RenderedEntry>,
    /// What was changed in the input to render it (a date range cut, an unknown work skipped).
    pub warnings: Vec<String>,
}

/// One rendered note.
#[derive(Debug, Clone, Serialize)]
pub struct RenderedNote {
    /// The note's id.
    pub id: String,
    /// The note number.
    pub number: usize,
    /// The note as it should read: signals and commentary kept around the rendered citations.
    pub text: Rich,
    /// The rendered citation cluster alone (what a CSL processor prints for the note), when the
    /// note cites a known work.
    pub citation: Option<Rich>,
    /// Each citation rendered alone (no signal), in the note's order; `None` when unresolved.
    pub citations: Vec<Option<Rich>>,
}

/// One bibliography entry.
#[derive(Debug, Clone, Serialize)]
pub struct RenderedEntry {
    /// The work's key.
    pub key: String,
    /// The entry.
    pub text: Rich,
}

const SENTINEL: &str = "\u{2060}ibid-sentinel";

/// A citation request as planned: which works, with which locators.
#[derive(Debug, Clone)]
struct Planned {
    /// The note (index in the input) it renders; `None` for a sentinel that breaks an Ibid chain.
    note: Option<usize>,
    number: usize,
    items: Vec<PlannedItem>,
}

#[derive(Debug, Clone)]
struct PlannedItem {
    /// Index into the prepared items.
    item: usize,
    locator: Option<(Locator, String)>,
    hidden: bool,
    /// The note's citations this item renders (several when APA merges locators).
    cites: Vec<usize>,
}

/// Everything hayagriva needs, prepared from a [`RenderInput`].
#[derive(Debug)]
struct Prepared {
    items: Vec<Item>,
    /// For each item, the index of its work in the input (`None` for the sentinel).
    work_of: Vec<Option<usize>>,
    plan: Vec<Planned>,
    warnings: Vec<String>,
    /// The notes to render (by index in the input), when not all: see [`render_notes_of`].
    focus: Option<Vec<bool>>,
}

impl Prepared {
    /// Whether note `n` (index in the input) is rendered: every note, or those of the focus.
    fn renders(&self, n: usize) -> bool {
        self.focus.as_ref().is_none_or(|f| f.get(n) == Some(&true))
    }

    /// The note a planned request renders, if it is one to render: not a sentinel, and in the
    /// focus when there is one.
    fn rendered_note(&self, planned: &Planned) -> Option<usize> {
        planned.note.filter(|&n| self.renders(n))
    }
}

/// Renders the notes and the bibliography of `input` in `style`.
pub fn render(input: &RenderInput, style: &Style) -> Result<Rendered, Error> {
    render_with(input, style, Job::Everything, None, None)
}

/// Renders the notes of `input` alone: what `check` needs. The notes are those [`render`] gives;
/// the bibliography is left empty (hayagriva is not asked for it).
pub fn render_notes(input: &RenderInput, style: &Style) -> Result<Rendered, Error> {
    render_with(input, style, Job::NotesOnly, None, None)
}

/// [`render_notes`], reusing what `cache` holds when hayagriva would be asked exactly the same
/// thing again (same works, same citation requests): `check` re-renders a manuscript once per
/// round of fixes it tries, and fixes of punctuation leave the requests unchanged.
pub fn render_notes_cached(
    input: &RenderInput,
    style: &Style,
    cache: &RenderCache,
) -> Result<Rendered, Error> {
    render_with(input, style, Job::NotesOnly, Some(cache), None)
}

/// [`render_notes_cached`] for some of the notes: those `focus` marks (indexed like
/// `input.notes`) are rendered as [`render_notes_cached`] renders them; the others still count
/// (a work's first citation, the citation an Ibid repeats) but come back without citations.
/// `check`'s re-checks ask only for the notes its trial fixes rewrote, so that a re-check
/// costs what it changed, not the whole manuscript (#17).
pub fn render_notes_of(
    input: &RenderInput,
    style: &Style,
    cache: &RenderCache,
    focus: &[bool],
) -> Result<Rendered, Error> {
    render_with(input, style, Job::NotesOnly, Some(cache), Some(focus))
}

/// [`render`] through one hayagriva run over the whole document, never through the memo of
/// cluster renderings: the path in-text styles take. For comparisons and benchmarks; the output is
/// the same.
pub fn render_whole_document(input: &RenderInput, style: &Style) -> Result<Rendered, Error> {
    let prepared = prepare(input, style);
    let out = catch_unwind(AssertUnwindSafe(|| {
        drive(&prepared.items, &prepared.plan, style, Job::Everything)
    }))
    .map_err(|_| Error::Config {
        path: PathBuf::from(&style.name),
        message: "hayagriva panicked while rendering these works; please report it with the input"
            .into(),
    })?;
    Ok(assemble(input, style, &prepared, out))
}

/// What to ask hayagriva for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Everything,
    NotesOnly,
}

/// The last requests sent to hayagriva and its answer, for [`render_notes_cached`].
#[derive(Debug, Default)]
pub struct RenderCache {
    last: std::sync::Mutex<Option<CachedDrive>>,
    /// Rendered citations, for the styles the memoised path takes ([`memo`]).
    memos: memo::Memos,
}

#[derive(Debug)]
struct CachedDrive {
    style: String,
    items: Vec<Item>,
    plan: Vec<PlanKey>,
    out: hayagriva::Rendered,
}

/// What a [`RenderCache`] has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RenderStats {
    /// Citations taken from the memo.
    pub reused: usize,
    /// Citations rendered by hayagriva (each distinct one once).
    pub rendered: usize,
    /// Documents rendered whole by hayagriva (in-text styles, and what the memo cannot take).
    pub whole_documents: usize,
}

impl RenderCache {
    /// How many citations were reused and rendered, how many documents rendered whole.
    pub fn stats(&self) -> RenderStats {
        use std::sync::atomic::Ordering::Relaxed;
        RenderStats {
            reused: self.memos.reused.load(Relaxed),
            rendered: self.memos.rendered.load(Relaxed),
            whole_documents: self.memos.whole.load(Relaxed),
        }
    }
}

/// A planned request as hayagriva sees it.
type PlanKey = (usize, Vec<(usize, Option<(String, String)>, bool)>);

fn plan_key(plan: &[Planned]) -> Vec<PlanKey> {
    plan.iter()
        .map(|p| {
            (
                p.number,
                p.items
                    .iter()
                    .map(|i| {
                        (
                            i.item,
                            i.locator
                                .as_ref()
                                .map(|(k, v)| (format!("{k:?}"), v.clone())),
                            i.hidden,
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn render_with(
    input: &RenderInput,
    style: &Style,
    job: Job,
    cache: Option<&RenderCache>,
    focus: Option<&[bool]>,
) -> Result<Rendered, Error> {
    let mut prepared = prepare(input, style);
    prepared.focus = focus.map(<[bool]>::to_vec);
    let fresh;
    let memos = match cache {
        Some(cache) => &cache.memos,
        None => {
            fresh = memo::Memos::default();
            &fresh
        }
    };
    let guarded = |f: &dyn Fn() -> Option<hayagriva::Rendered>| {
        catch_unwind(AssertUnwindSafe(f)).map_err(|_| Error::Config {
            path: PathBuf::from(&style.name),
            message:
                "hayagriva panicked while rendering these works; please report it with the input"
                    .into(),
        })
    };
    // A note style: each citation rendered once, through the memo.
    if let Some(out) = guarded(&|| memo::render(&prepared, style, job, memos))? {
        return Ok(assemble(input, style, &prepared, out));
    }
    // Otherwise the whole document at once, reused when asked exactly the same thing again.
    let key = cache.map(|_| plan_key(&prepared.plan));
    if let (Some(cache), Some(key)) = (cache, &key) {
        if let Ok(last) = cache.last.lock() {
            if let Some(hit) = last.as_ref().filter(|c| {
                c.style == drive_key(style) && &c.plan == key && c.items == prepared.items
            }) {
                let out = hit.out.clone();
                return Ok(assemble(input, style, &prepared, out));
            }
        }
    }
    memos
        .whole
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = guarded(&|| Some(drive(&prepared.items, &prepared.plan, style, job)))?
        .expect("the whole-document path always renders");
    if let (Some(cache), Some(plan)) = (cache, key) {
        if let Ok(mut last) = cache.last.lock() {
            *last = Some(CachedDrive {
                style: drive_key(style),
                items: prepared.items.clone(),
                plan,
                out: out.clone(),
            });
        }
    }
    Ok(assemble(input, style, &prepared, out))
}

/// Renders the same data with hayagriva alone: the works as CSL-JSON items, one request per note,
/// no correction. For benchmarks and comparisons. What hayagriva cannot take (a date range,
/// on which it panics) is changed first, as [`render`] does.
pub fn render_uncorrected(input: &RenderInput, style: &Style) -> hayagriva::Rendered {
    let mut items: Vec<Item> = Vec::with_capacity(input.works.len());
    let mut keys: HashMap<&str, usize> = HashMap::new();
    for w in &input.works {
        if let Ok(item) = to_item(&validate(w, &mut Vec::new())) {
            keys.insert(w.id.as_str(), items.len());
            items.push(item);
        }
    }
    let mut driver = BibliographyDriver::new();
    for note in &input.notes {
        let cites: Vec<CitationItem<Item>> = note
            .citations
            .iter()
            .filter_map(|c| {
                let item = &items[*keys.get(c.work.as_deref()?)?];
                let loc = c
                    .locator
                    .as_deref()
                    .map(|l| SpecificLocator(Locator::Page, LocatorPayload::Str(l)));
                Some(CitationItem::with_locator(item, loc))
            })
            .collect();
        if !cites.is_empty() {
            driver.citation(CitationRequest::new(
                cites,
                &style.csl,
                None,
                &style.locales,
                Some(note.number),
            ));
        }
    }
    driver.finish(BibliographyRequest::new(&style.csl, None, &style.locales))
}

/// The parsed style to drive hayagriva with: without its bibliography when only notes are wanted
/// and the style allows it.
/// What a [`CachedDrive`] was rendered with: the style's name and its locale.
fn drive_key(style: &Style) -> String {
    match &style.locale {
        Some(locale) => format!("{}@{}", style.name, locale.0),
        None => style.name.clone(),
    }
}

fn csl_for(style: &Style, job: Job) -> &std::sync::Arc<hayagriva::citationberg::IndependentStyle> {
    match (job, &style.notes_only) {
        (Job::NotesOnly, Some(bare)) => bare,
        _ => &style.csl,
    }
}

/// One hayagriva driver run over `plan`.
fn drive(items: &[Item], plan: &[Planned], style: &Style, job: Job) -> hayagriva::Rendered {
    let csl: &hayagriva::citationberg::IndependentStyle = csl_for(style, job);
    let mut driver = BibliographyDriver::new();
    for req in plan {
        let items = req
            .items
            .iter()
            .map(|p| {
                let locator = p
                    .locator
                    .as_ref()
                    .map(|(kind, value)| SpecificLocator(*kind, LocatorPayload::Str(value)));
                CitationItem::new(&items[p.item], locator, None, p.hidden, None)
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            csl,
            style.locale.clone(),
            &style.locales,
            // hayagriva scans all earlier citations for a note number; only given when used.
            style.uses_note_numbers.then_some(req.number),
        ));
    }
    driver.finish(BibliographyRequest::new(
        csl,
        style.locale.clone(),
        &style.locales,
    ))
}

fn prepare(input: &RenderInput, style: &Style) -> Prepared {
    let mut warnings = Vec::new();
    let mut items = Vec::with_capacity(input.works.len() + 1);
    let mut keys = HashMap::new();
    let mut work_of = Vec::with_capacity(input.works.len() + 1);
    for (w, work) in input.works.iter().enumerate() {
        if keys.contains_key(&work.id) {
            warnings.push(format!(
                "work `{}` appears twice; the first is used",
                work.id
            ));
            continue;
        }
        let work = validate(work, &mut warnings);
        match to_item(&work) {
            Ok(item) => {
                keys.insert(work.id.clone(), items.len());
                items.push(item);
                work_of.push(Some(w));
            }
            Err(e) => warnings.push(format!("work `{}` cannot be rendered: {e}", work.id)),
        }
    }
    let sentinel = items.len();
    items.push(sentinel_item());
    work_of.push(None);

    let note_style = style.is_note();
    let range_format = style.page_range_format();
    let mut plan: Vec<Planned> = Vec::new();
    // The last real request: its note number, how many items, its last item.
    let mut last: Option<(usize, usize, usize)> = None;
    for (n, note) in input.notes.iter().enumerate() {
        let mut planned: Vec<PlannedItem> = Vec::new();
        for (c, cite) in note.citations.iter().enumerate() {
            let Some(key) = cite.work.as_deref() else {
                continue;
            };
            let Some(&item) = keys.get(key) else {
                warnings.push(format!(
                    "note {}: work `{key}` is not in the library; the citation is kept as written",
                    note.id
                ));
                continue;
            };
            let volume = work_of[item].and_then(|w| input.works[w].volume.as_deref());
            let locator = cite
                .locator
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .map(|value| without_volume(value, volume))
                .map(|value| locator_of(cite.label.as_deref(), value, range_format));
            if !note_style {
                // D9: the same work twice in one in-text citation: one item, locators merged.
                if let Some(prev) = planned.iter_mut().find(|p| p.item == item) {
                    prev.cites.push(c);
                    prev.locator = match (prev.locator.take(), locator) {
                        (Some((k, a)), Some((_, b))) if a != b => Some((k, format!("{a}, {b}"))),
                        (a, b) => a.or(b),
                    };
                    continue;
                }
            } else if planned.last().is_some_and(|p| p.item == item) {
                // D5: no Ibid within one note (the previous cite of the note is the same work).
                planned.push(PlannedItem {
                    item: sentinel,
                    locator: None,
                    hidden: true,
                    cites: Vec::new(),
                });
            }
            planned.push(PlannedItem {
                item,
                locator,
                hidden: false,
                cites: vec![c],
            });
        }
        if planned.is_empty() {
            continue;
        }
        if note_style {
            // D5: Ibid only when the immediately preceding note cites exactly one item.
            if let Some((number, count, last_item)) = last {
                let eligible = count == 1 && number + 1 == note.number;
                let kept_short = planned[0]
                    .cites
                    .first()
                    .is_some_and(|&c| note.citations[c].no_ibid);
                if (!eligible || kept_short) && last_item == planned[0].item {
                    plan.push(Planned {
                        note: None,
                        number: note.number,
                        items: vec![PlannedItem {
                            item: sentinel,
                            locator: None,
                            hidden: true,
                            cites: Vec::new(),
                        }],
                    });
                }
            }
        }
        let visible: Vec<usize> = planned
            .iter()
            .filter(|p| !p.hidden)
            .map(|p| p.item)
            .collect();
        last = Some((
            note.number,
            visible.len(),
            *visible.last().unwrap_or(&sentinel),
        ));
        plan.push(Planned {
            note: Some(n),
            number: note.number,
            items: planned,
        });
    }
    Prepared {
        items,
        work_of,
        plan,
        warnings,
        focus: None,
    }
}

/// D10 and friends: what hayagriva cannot take is changed here, with a warning.
fn validate(work: &Work, warnings: &mut Vec<String>) -> Work {
    let mut work = work.clone();
    // a number kept with its label (`No. 3`, `Vol. 12`, `3rd ed`), as bibliographies typed by
    // hand hold it: the style prints the label itself (`no. No. 3`, or the label's case lost)
    unlabel(&mut work.issue, &["nos.", "no.", "no", "issue", "iss."]);
    unlabel(&mut work.volume, &["vols.", "vol.", "vol", "volume"]);
    if let Some(n) = work
        .edition
        .as_deref()
        .and_then(crate::grammar::edition_number)
    {
        work.edition = Some(n);
    }
    for (name, date) in [
        ("issued", &mut work.issued),
        ("accessed", &mut work.accessed),
    ] {
        let Some(d) = date else { continue };
        if d.date_parts.len() > 1 {
            warnings.push(format!(
                "work `{}`: the {name} date is a range; only its start is rendered",
                work.id
            ));
            d.date_parts.truncate(1);
        }
        let bad = d
            .date_parts
            .iter()
            .flatten()
            .any(|&p| i16::try_from(p).is_err() || p < 0);
        let month_bad = d
            .month()
            .is_some_and(|m| !(1..=12).contains(&m) && !(21..=24).contains(&m));
        if bad
            || month_bad
            || d.date_parts
                .first()
                .is_some_and(|p| p.is_empty() || p.len() > 3)
        {
            warnings.push(format!(
                "work `{}`: the {name} date {:?} is not a valid date; left out",
                work.id, d.date_parts
            ));
            *date = None;
        }
    }
    work
}

/// `field` without a label it starts with (`No. 3` as `3`), when a figure follows the label.
fn unlabel(field: &mut Option<String>, labels: &[&str]) {
    let Some(value) = field.as_deref() else {
        return;
    };
    for label in labels {
        let Some(head) = value.get(..label.len()) else {
            continue;
        };
        let rest = value[label.len()..].trim_start();
        let spaced = label.ends_with('.') || value[label.len()..].starts_with(' ');
        if head.eq_ignore_ascii_case(label)
            && spaced
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            *field = Some(rest.to_owned());
            return;
        }
    }
}

/// A work as a CSL-JSON item for hayagriva.
fn to_item(work: &Work) -> Result<Item, serde_json::Error> {
    let mut value = serde_json::to_value(work)?;
    if let Some(map) = value.as_object_mut() {
        // hayagriva reads `title-short`; a non-string extra field it cannot type is dropped.
        map.retain(|_, v| !v.is_null());
        for role in ["author", "editor", "translator"] {
            if let Some(serde_json::Value::Array(names)) = map.get_mut(role) {
                names.iter_mut().for_each(protect_family);
            }
        }
        // title case is for English titles: a title clearly in another language keeps its case
        if !map.contains_key("language") {
            let titles = [&work.title, &work.container_title].into_iter().flatten();
            if let Some(lang) = language::non_english(titles.map(String::as_str)) {
                map.insert("language".into(), lang.into());
            }
        }
    }
    match serde_json::from_value::<Item>(value.clone()) {
        Ok(item) => Ok(item),
        Err(_) => {
            // Keep only the fields this crate models: an unknown extra field is what failed.
            let mut bare = work.clone();
            bare.extra.clear();
            serde_json::from_value(serde_json::to_value(&bare)?)
        }
    }
}

/// A family name of several capitalised words (`Von Solms`) is one name, as citeproc-js reads it;
/// hayagriva would take a capitalised `Von` for a particle (`Solms, Roussouw Von`, sorted under S).
/// The words are joined with a no-break space for hayagriva; [`unprotect`] restores the space.
fn protect_family(name: &mut serde_json::Value) {
    let Some(map) = name.as_object_mut() else {
        return;
    };
    if map.contains_key("non-dropping-particle") || map.contains_key("dropping-particle") {
        return;
    }
    let Some(family) = map.get("family").and_then(|f| f.as_str()) else {
        return;
    };
    let words: Vec<&str> = family.split(' ').collect();
    if words.len() < 2
        || !words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return;
    }
    let joined = words.join(PROTECT);
    map.insert("family".into(), joined.into());
}

/// The no-break space that holds a protected family name together.
const PROTECT: &str = "\u{A0}";

/// The family names [`protect_family`] changes, as (protected, original).
fn protected_names(works: &[Work]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for name in works
        .iter()
        .flat_map(|w| w.author.iter().chain(&w.editor).chain(&w.translator))
    {
        let Some(family) = name.family.as_deref() else {
            continue;
        };
        let mut v = serde_json::json!({ "family": family, "given": "x" });
        protect_family(&mut v);
        if let Some(p) = v["family"].as_str().filter(|p| *p != family) {
            if !out.iter().any(|(q, _)| q == p) {
                out.push((p.to_owned(), family.to_owned()));
            }
        }
    }
    out
}

/// Restores the spaces of protected family names in rendered text.
fn unprotect(text: &str, names: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (protected, original) in names {
        if out.contains(protected.as_str()) {
            out = out.replace(protected.as_str(), original);
        }
    }
    out
}

fn sentinel_item() -> Item {
    let value = serde_json::json!({
        "id": SENTINEL,
        "type": "book",
        "title": SENTINEL,
        "author": [{"literal": SENTINEL}],
    });
    serde_json::from_value(value).expect("the sentinel is valid CSL-JSON")
}

/// A locator without the volume the style prints before it: `36:286` cites page 286 of volume 36
/// (CMOS 14.23), and of a work whose volume is 36 the style writes `36:` itself.
fn without_volume<'a>(locator: &'a str, volume: Option<&str>) -> &'a str {
    match (locator.split_once(':'), volume) {
        (Some((v, pages)), Some(volume))
            if v.trim() == volume.trim() && !pages.trim().is_empty() =>
        {
            pages.trim_start()
        }
        _ => locator,
    }
}

/// The locator as hayagriva takes it: its label, and its value with ranges in the style's format
/// (D6). A compound locator (`Chapter 1, Article 9`) is printed as written, without a label.
fn locator_of(label: Option<&str>, value: &str, format: PageRangeFormat) -> (Locator, String) {
    let kind = match label.unwrap_or("page") {
        "custom" | "compound" => return (Locator::Custom, value.to_owned()),
        "chapter" => Locator::Chapter,
        "article" | "article-locator" => Locator::ArticleLocator,
        "section" => Locator::Section,
        "paragraph" => Locator::Paragraph,
        "note" => Locator::Note,
        "line" => Locator::Line,
        "folio" => Locator::Folio,
        "volume" => Locator::Volume,
        "figure" => Locator::Figure,
        "column" => Locator::Column,
        "part" => Locator::Part,
        "book" => Locator::Book,
        "verse" => Locator::Verse,
        _ => Locator::Page,
    };
    (kind, format_ranges(value, format))
}

/// Applies a page-range format to every range of a locator (`321-328` -> `321–28` in Chicago).
pub fn format_ranges(value: &str, format: PageRangeFormat) -> String {
    value
        .split(',')
        .map(|part| {
            let trimmed = part.trim();
            let mut halves = trimmed.splitn(2, ['–', '-', '—']);
            match (halves.next(), halves.next()) {
                (Some(a), Some(b))
                    if !a.trim().is_empty()
                        && a.trim().chars().last().is_some_and(|c| c.is_ascii_digit())
                        && b.trim().chars().all(|c| c.is_ascii_alphanumeric())
                        && b.trim().chars().last().is_some_and(|c| c.is_ascii_digit()) =>
                {
                    let mut out = String::new();
                    if format.format(&mut out, a, b, Some("–")).is_ok() {
                        out
                    } else {
                        trimmed.to_owned()
                    }
                }
                _ => trimmed.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// For in-text styles, the first-author surnames shared by different people (D8).
fn colliding_families(works: &[Work]) -> HashSet<String> {
    let mut by_family: HashMap<&str, HashSet<String>> = HashMap::new();
    for w in works {
        if let Some(Name {
            family: Some(f),
            given: Some(g),
            ..
        }) = w.author.first()
        {
            by_family.entry(f).or_default().insert(initials(g));
        }
    }
    by_family
        .into_iter()
        .filter(|(_, set)| set.len() > 1)
        .map(|(f, _)| f.to_owned())
        .collect()
}

/// `Kenneth G.` -> `K. G.`; `Jean-Paul` -> `J.-P.`.
fn initials(given: &str) -> String {
    given
        .split_whitespace()
        .map(|word| {
            word.split('-')
                .filter_map(|part| part.chars().next())
                .map(|c| format!("{}.", c.to_uppercase()))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn assemble(
    input: &RenderInput,
    style: &Style,
    prepared: &Prepared,
    out: hayagriva::Rendered,
) -> Rendered {
    let in_text = !style.is_note();
    let Shared {
        collisions,
        phrases,
        protected,
    } = Shared::of(&input.works, style);
    let layout = &style.csl.citation.layout;
    let finish = |s: &str| rich::fix_stop_words(&rich::polish(&unprotect(s, &protected)), &phrases);
    // a work's words with inner capitals, kept as its titles write them (each work on its own, so
    // that a citation reads the same whatever else the document cites)
    // (each work's words found once: a work is cited many times)
    let mut mixed_case: HashMap<usize, Vec<(String, String)>> = HashMap::new();
    let mut keep_case = |piece: &str, at: usize| {
        let words = mixed_case
            .entry(at)
            .or_insert_with(|| rich::mixed_case_words(titles_of(&input.works[at])));
        rich::keep_case(piece, words)
    };
    let mut notes: Vec<RenderedNote> = input
        .notes
        .iter()
        .map(|n| RenderedNote {
            id: n.id.clone(),
            number: n.number,
            text: Rich::default(),
            citation: None,
            citations: vec![None; n.citations.len()],
        })
        .collect();

    for (planned, cited) in prepared.plan.iter().zip(&out.citations) {
        let Some(n) = prepared.rendered_note(planned) else {
            continue;
        };
        let mut cluster = String::new();
        let mut italic = false;
        let mut first_item = true;
        for child in &cited.citation.0 {
            if let ElemChild::Elem(e) = child {
                if let Some(ElemMeta::Entry(idx)) = e.meta {
                    let mut piece = rich::from_children(&e.children);
                    if let Some(p) = planned.items.get(idx) {
                        let at = prepared.work_of.get(p.item).copied().flatten();
                        if let Some((at, w)) = at.and_then(|at| Some((at, input.works.get(at)?))) {
                            piece = keep_case(&piece, at);
                            if in_text {
                                piece = add_initials(&piece, w, &collisions);
                            }
                        }
                        let alone = finish(&piece);
                        for &c in &p.cites {
                            // Capitalised where it starts a sentence of the note (`Ibid., 4`),
                            // not after a signal or inside prose (`See ibid., 4`).
                            let starts = !in_text
                                && input.notes[n].citations.get(c).is_some_and(|cite| {
                                    starts_sentence(&input.notes[n], cite, first_item)
                                });
                            let text = if starts {
                                rich::capitalise_first(&alone)
                            } else {
                                alone.clone()
                            };
                            if let Some(slot) = notes[n].citations.get_mut(c) {
                                *slot = Some(Rich(text));
                            }
                        }
                    }
                    first_item = false;
                    if italic {
                        cluster.push(rich::ITALIC_CLOSE);
                        italic = false;
                    }
                    cluster.push_str(&piece);
                    continue;
                }
            }
            rich::push_child(child, &mut cluster, &mut italic);
        }
        if italic {
            cluster.push(rich::ITALIC_CLOSE);
        }
        let mut cluster = finish(&cluster);
        if !in_text {
            cluster = rich::capitalise_first(&cluster);
        }
        notes[n].citation = Some(Rich(cluster));
    }

    let prefix = layout.prefix.clone().unwrap_or_default();
    let suffix = layout.suffix.clone().unwrap_or_default();
    for (n, (note, seq)) in notes.iter_mut().zip(&input.notes).enumerate() {
        // (a note outside the focus keeps no text)
        if prepared.renders(n) {
            note.text = Rich(note_text(seq, note, in_text, &prefix, &suffix));
        }
    }

    let by_key: std::collections::HashMap<&str, usize> = input
        .works
        .iter()
        .enumerate()
        .map(|(at, w)| (w.id.as_str(), at))
        .collect();
    let bibliography = out
        .bibliography
        .map(|b| {
            b.items
                .iter()
                .filter(|i| i.key != SENTINEL)
                .map(|i| {
                    let text = finish(&rich::from_children(&i.content));
                    let text = match by_key.get(i.key.as_str()) {
                        Some(&at) => keep_case(&text, at),
                        None => text,
                    };
                    RenderedEntry {
                        key: i.key.clone(),
                        text: Rich(text),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Rendered {
        style: style.name.clone(),
        in_text,
        notes,
        bibliography,
        warnings: prepared.warnings.clone(),
    }
}

/// What the renderer's corrections of hayagriva's output take from the whole library, not from
/// the work a citation cites: what a note's rendering may depend on beyond its own citations,
/// their works and their positions.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    /// In-text styles: families whose first authors differ in their initials (which are added).
    pub collisions: HashSet<String>,
    /// Stop words some title writes in lower case after a comma (`, and `): the title case of
    /// any citation is corrected by them ([`rich::fix_stop_words`]).
    pub phrases: Vec<String>,
    /// Family names of several capitalised words, as given to hayagriva (joined with no-break
    /// spaces) and as written: a rendering's joined form is written back.
    pub protected: Vec<(String, String)>,
}

impl Shared {
    /// What `works`, the library of a render input, give every citation rendered in `style`.
    pub fn of(works: &[Work], style: &Style) -> Shared {
        Shared {
            collisions: if style.is_note() {
                HashSet::new()
            } else {
                colliding_families(works)
            },
            phrases: rich::lowercase_stop_phrases(works.iter().flat_map(titles_of)),
            protected: protected_names(works),
        }
    }
}

/// The titles of a work: its own, its container's, its series', its short title.
fn titles_of(w: &Work) -> impl Iterator<Item = &str> {
    [
        &w.title,
        &w.container_title,
        &w.collection_title,
        &w.title_short,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
}

/// D8: `Lewis` -> `J. Lewis` in an in-text citation when another work's first author is another
/// Lewis.
fn add_initials(piece: &str, work: &Work, collisions: &HashSet<String>) -> String {
    let Some(Name {
        family: Some(family),
        given: Some(given),
        ..
    }) = work.author.first()
    else {
        return piece.to_owned();
    };
    if !collisions.contains(family) {
        return piece.to_owned();
    }
    let init = initials(given);
    match piece.find(family.as_str()) {
        Some(at) if !piece[..at].trim_end().ends_with('.') => {
            format!("{}{init} {}", &piece[..at], &piece[at..])
        }
        _ => piece.to_owned(),
    }
}

/// The note as it should read. With the note's text: each citation's span replaced by its
/// rendering, everything else kept. Without it: signals and citations joined.
fn note_text(
    seq: &NoteSeq,
    note: &RenderedNote,
    in_text: bool,
    prefix: &str,
    suffix: &str,
) -> String {
    let wrap = |s: &str, signal: Option<&str>| -> String {
        if in_text {
            let sig = signal
                .map(|s| format!("{} ", s.to_lowercase()))
                .unwrap_or_default();
            format!("{prefix}{sig}{s}{suffix}")
        } else {
            s.to_owned()
        }
    };
    let spans_ok = seq.text.is_some()
        && seq
            .citations
            .iter()
            .zip(&note.citations)
            .all(|(c, r)| r.is_none() || c.note_span.is_some());
    if !spans_ok && seq.commentary {
        // The citations cannot be placed in the prose: the note is kept as written.
        if let Some(text) = &seq.text {
            return rich::strip_markers(text);
        }
    }
    let text = if let (Some(text), true) = (&seq.text, spans_ok) {
        let mut out = String::new();
        let mut at = 0;
        for (cite, rendered) in seq.citations.iter().zip(&note.citations) {
            let (Some(span), Some(rendered)) = (cite.note_span, rendered) else {
                continue;
            };
            let mut start = span.start;
            let mut signal = None;
            if in_text {
                if let Some(s) = cite
                    .signal_span
                    .filter(|s| s.end <= span.start && s.start >= at)
                {
                    start = s.start;
                    signal = cite.signal.as_deref();
                }
            }
            let on_boundaries = [start, span.start, span.end]
                .iter()
                .all(|&i| text.is_char_boundary(i));
            if start < at || span.end > text.len() || span.start > span.end || !on_boundaries {
                continue;
            }
            out.push_str(&rich::strip_markers(&text[at..start]));
            let mut body = rendered.0.clone();
            if !in_text && start != 0 && !text[..start].trim_end().ends_with(['.', '?', '!']) {
                body = lower_first_ibid(&body);
            }
            at = span.end;
            // Already in parentheses in the prose (`(Wintrobe, ..., 335.)`): not wrapped twice.
            let after = text[at..].trim_start_matches('.');
            if in_text && text[..start].ends_with('(') && after.starts_with(')') {
                let sig = signal
                    .map(|s| format!("{} ", s.to_lowercase()))
                    .unwrap_or_default();
                out.push_str(&sig);
                out.push_str(&body);
                at = text.len() - after.len();
                continue;
            }
            out.push_str(&wrap(&body, signal));
        }
        let tail = &text[at..];
        let out_trim = rich::strip_markers(&out);
        if !in_text && tail.starts_with('.') && out_trim.ends_with('.') {
            out.push_str(&tail[1..]);
        } else if !in_text
            && tail.trim().is_empty()
            && at > 0
            && !out_trim.ends_with(['.', '?', '!'])
        {
            out.push_str(suffix);
            out.push_str(tail);
        } else {
            out.push_str(tail);
        }
        out
    } else {
        let parts: Vec<String> = seq
            .citations
            .iter()
            .zip(&note.citations)
            .filter_map(|(c, r)| {
                let r = r.as_ref()?;
                if in_text {
                    return Some(wrap(&r.0, c.signal.as_deref()));
                }
                Some(match &c.signal {
                    Some(sig) => format!("{sig} {}", lower_first_ibid(&r.0)),
                    None => r.0.clone(),
                })
            })
            .collect();
        if parts.is_empty() {
            seq.text.clone().unwrap_or_default()
        } else if in_text {
            parts.join(" ")
        } else {
            let mut s = parts.join("; ");
            if !rich::strip_markers(&s).ends_with(['.', '?', '!']) {
                s.push_str(suffix);
            }
            s
        }
    };
    let polished = rich::polish(&text);
    if in_text {
        polished
    } else {
        rich::capitalise_first(&polished)
    }
}

/// True when `cite` starts a sentence of its note: no signal, and nothing but a sentence end before
/// it (without the note's text: when it is the note's first citation).
fn starts_sentence(note: &NoteSeq, cite: &CiteRecord, first_item: bool) -> bool {
    if cite.signal.is_some() {
        return false;
    }
    match (&note.text, cite.note_span) {
        (Some(text), Some(span)) => {
            let before = text.get(..span.start).unwrap_or("").trim_end();
            before.is_empty() || before.ends_with(['.', '?', '!'])
        }
        _ => first_item,
    }
}

/// `Ibid.` inside a sentence reads `ibid.` (`See ibid.`).
fn lower_first_ibid(s: &str) -> String {
    let plain = rich::strip_markers(s);
    if plain.starts_with("Ibid") {
        s.replacen("Ibid", "ibid", 1)
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_the_style() {
        assert_eq!(
            format_ranges("321-328", PageRangeFormat::Chicago16),
            "321–28"
        );
        assert_eq!(
            format_ranges("321–28", PageRangeFormat::Expanded),
            "321–328"
        );
        assert_eq!(format_ranges("4–13", PageRangeFormat::Chicago16), "4–13");
        assert_eq!(
            format_ranges("12, 15-19", PageRangeFormat::Expanded),
            "12, 15–19"
        );
        assert_eq!(format_ranges("ix", PageRangeFormat::Expanded), "ix");
    }

    /// The input of one work (CSL-JSON) cited in one note per `(kind, locator)`.
    fn one_work(work: serde_json::Value, cites: &[(&str, Option<&str>)]) -> RenderInput {
        let work: Work = serde_json::from_value(work).unwrap();
        let id = work.id.clone();
        let notes = cites
            .iter()
            .enumerate()
            .map(|(n, (kind, locator))| NoteSeq {
                id: (n + 1).to_string(),
                number: n + 1,
                citations: vec![CiteRecord {
                    work: Some(id.clone()),
                    kind: (*kind).into(),
                    locator: locator.map(Into::into),
                    ..CiteRecord::default()
                }],
                ..NoteSeq::default()
            })
            .collect();
        RenderInput {
            works: vec![work],
            notes,
        }
    }

    #[test]
    fn hayagriva_alone_is_never_given_a_date_range() {
        // hayagriva panics on an issued range (`June 4 and 11, 2012`, a double issue)
        let input = one_work(
            serde_json::json!({
                "id": "w", "type": "article-magazine", "title": "Double Issue",
                "author": [{"family": "Lepore", "given": "Jill"}],
                "container-title": "New Yorker",
                "issued": {"date-parts": [[2012, 6, 4], [2012, 6, 11]]}
            }),
            &[("full", None)],
        );
        let style = Style::builtin("chicago-17").unwrap();
        let rendered = render_uncorrected(&input, &style);
        assert_eq!(rendered.citations.len(), 1);
    }

    #[test]
    fn a_volume_written_in_the_locator_is_printed_once() {
        // `Varga, *Gershgorin and His Circles*, 36:286` of a work read with volume 36
        let input = one_work(
            serde_json::json!({
                "id": "w", "type": "book", "title": "Gershgorin and His Circles",
                "author": [{"family": "Varga", "given": "R. S."}], "volume": "36",
                "publisher": "Springer", "publisher-place": "Berlin",
                "issued": {"date-parts": [[2004]]}
            }),
            &[
                ("full", Some("365")),
                ("short", Some("12")),
                ("short", Some("36:286")),
            ],
        );
        let style = Style::builtin("chicago-17").unwrap();
        let rendered = render(&input, &style).unwrap();
        let last = rendered.notes[2].text.to_markdown();
        assert!(last.ends_with("36:286."), "{last}");
        assert_eq!(without_volume("36:286", Some("36")), "286");
        assert_eq!(without_volume("2:45", Some("36")), "2:45");
        assert_eq!(without_volume("2:45", None), "2:45");
    }

    #[test]
    fn a_number_typed_with_its_label_is_printed_with_the_styles() {
        let input = one_work(
            serde_json::json!({
                "id": "w", "type": "article-journal", "title": "Sydney W. Head",
                "author": [{"family": "Sterling", "given": "Christopher"}],
                "container-title": "Journal of Broadcasting", "volume": "Vol. 50",
                "issue": "No. 3", "issued": {"date-parts": [[2006]]}
            }),
            &[("full", Some("244"))],
        );
        let style = Style::builtin("chicago-17").unwrap();
        let note = render(&input, &style).unwrap().notes[0].text.to_markdown();
        assert!(
            note.contains("*Journal of Broadcasting* 50, no. 3 (2006): 244"),
            "{note}"
        );
        use crate::grammar::edition_number;
        assert_eq!(edition_number("3rd ed"), Some("3".into()));
        assert_eq!(edition_number("2nd edn."), Some("2".into()));
        assert_eq!(edition_number("Revised ed."), None);
        let mut issue = Some("Spring".to_owned());
        unlabel(&mut issue, &["no."]);
        assert_eq!(issue.as_deref(), Some("Spring"));
        let mut issue = Some("Nov. 3".to_owned());
        unlabel(&mut issue, &["no"]);
        assert_eq!(issue.as_deref(), Some("Nov. 3"));
    }

    #[test]
    fn initials_of_given_names() {
        assert_eq!(initials("Kenneth G."), "K. G.");
        assert_eq!(initials("Jean-Paul"), "J.-P.");
    }
}
