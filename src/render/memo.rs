//! The memoised render path: each citation is rendered once and reused.
//!
//! hayagriva renders a document as a whole: every citation twice (once to find ambiguities, once
//! with its locator), about 0.25 ms a note. But in a note style without note numbers, sorting or
//! grouping inside a citation, what a citation prints depends only on its work, its CSL position
//! (first citation of the work or not; the same work as the item just before it, at the same
//! locator or another) and its locator; and a note's cluster is its citations put together with
//! the layout's affixes and delimiter ([`compose`]). So ibid decides those positions itself,
//! exactly as hayagriva's driver does ([`positions`]), and keys each citation by them
//! ([`ItemKey`]): the memo is a cache of rendered citations by (work, position, locator).
//!
//! The digits of a locator are stood in for (`4–13` is rendered as `7300000–7300001`), so the
//! key holds the locator's shape, not its value: a work cited at a hundred pages is rendered once
//! per position. A rendering is kept only when the stand-ins come back whole (or not at all, as in
//! an Ibid that does not repeat its page); otherwise (a style that re-formats the digits) the
//! citation is rendered with its real locator.
//!
//! What is not in the memo is rendered by hayagriva in one small document built so that every
//! missing citation stands alone at the position its key says ([`Reduced`]); the positions of
//! that document are computed again and compared before anything is kept. The memo lives as long
//! as the [`super::RenderCache`] that holds it: across the re-checks of `check` and the files of a
//! batch.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{
    Elem, ElemChild, ElemChildren, ElemMeta, Formatted, Formatting, Rendered, RenderedCitation,
};

use super::{Job, Planned, PlannedItem, Prepared, Style};

/// Where a citation stands relative to the item just before it (CSL `ibid`,
/// `ibid-with-locator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ibid {
    /// Another work, a hidden item, or no locator after one with a locator.
    Different,
    /// The same work at the same locator.
    Same,
    /// The same work at another locator.
    WithLocator,
}

/// One visible item of a citation as its rendering depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    /// The work, interned ([`Memos::intern`]).
    work: u32,
    first: bool,
    ibid: Ibid,
    /// The locator's label and its shape (digits stood in for) or value.
    locator: Option<(Locator, String)>,
    /// The other works of the document hayagriva could have to tell this one apart from (same
    /// first author, [`first_author`]): their presence can change how it is printed (given names
    /// added), so a rendering is reused only beside the same ones. Empty for most works.
    peers: std::sync::Arc<[u32]>,
}

/// What a kept rendering is kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MemoKey {
    /// The parsed style it was rendered with (its address: styles are parsed once per process).
    style: usize,
    /// The locator is a real value, not a shape.
    literal: bool,
    item: ItemKey,
}

/// A kept rendering.
#[derive(Debug, Clone)]
enum Memo {
    /// The item as hayagriva printed it, stand-ins where the locator's digits go.
    Rendered(ElemChildren),
    /// The stand-ins did not come back one each: render this item with its real locator.
    Literal,
}

/// Memoised citation renderings, shared by threads.
#[derive(Debug, Default)]
pub(crate) struct Memos {
    works: RwLock<HashMap<Item, u32>>,
    /// The next work number: never reused, so a number handed out before the memo started again
    /// cannot name another work after it.
    next_work: std::sync::atomic::AtomicU32,
    citations: RwLock<HashMap<MemoKey, Memo>>,
    /// Citations (items) taken from the memo.
    pub reused: AtomicUsize,
    /// Citations (items) rendered by hayagriva (each distinct one once).
    pub rendered: AtomicUsize,
    /// Documents the memo could not take (rendered whole).
    pub whole: AtomicUsize,
}

/// Beyond this many kept citations (about 1.5 KB each) the memo starts again: memory stays flat
/// over any batch.
const CAPACITY: usize = 50_000;

impl Memos {
    /// A number for each distinct work, by content: its key (`id`) is left out, since no citation
    /// prints it, so that equal works of different files, keyed differently, share it. `None`
    /// when a thread panicked holding the memo (the caller renders without it).
    fn intern(&self, items: &[Item]) -> Option<Vec<u32>> {
        let items: Vec<Item> = items
            .iter()
            .map(|item| {
                let mut content = item.clone();
                content.0.remove("id");
                content
            })
            .collect();
        {
            let works = self.works.read().ok()?;
            let known: Option<Vec<u32>> = items.iter().map(|i| works.get(i).copied()).collect();
            if known.is_some() {
                return known;
            }
        }
        let mut works = self.works.write().ok()?;
        if works.len() > CAPACITY {
            works.clear();
            self.citations.write().ok()?.clear();
        }
        Some(
            items
                .into_iter()
                .map(|item| {
                    *works
                        .entry(item)
                        .or_insert_with(|| self.next_work.fetch_add(1, Ordering::Relaxed))
                })
                .collect(),
        )
    }

    fn get(&self, key: &MemoKey) -> Option<Memo> {
        self.citations.read().ok()?.get(key).cloned()
    }

    fn put(&self, kept: Vec<(MemoKey, Memo)>) {
        if let Ok(mut citations) = self.citations.write() {
            if citations.len() + kept.len() > CAPACITY {
                citations.clear();
            }
            citations.extend(kept);
        }
    }
}

/// The CSL position of every planned item, decided as hayagriva's driver decides it: `first` when
/// no earlier item (hidden ones included) cites the work; Ibid against the item just before.
fn positions(plan: &[Planned]) -> Vec<Vec<(bool, Ibid)>> {
    let mut seen = HashSet::new();
    let mut last: Option<&PlannedItem> = None;
    plan.iter()
        .map(|request| {
            request
                .items
                .iter()
                .map(|p| {
                    let first = seen.insert(p.item);
                    let ibid = match last {
                        Some(prev) if prev.item == p.item && !prev.hidden => {
                            if prev.locator == p.locator {
                                Ibid::Same
                            } else if p.locator.is_none() {
                                Ibid::Different
                            } else {
                                Ibid::WithLocator
                            }
                        }
                        _ => Ibid::Different,
                    };
                    last = Some(p);
                    (first, ibid)
                })
                .collect()
        })
        .collect()
}

/// The first stand-in number; every stand-in has seven digits.
const STAND_IN_BASE: usize = 7_300_000;

/// `value` with each run of digits replaced by a stand-in, and the (stand-in, digits) pairs.
/// `None` when a run cannot be stood in for faithfully: a leading zero or more than six digits (a
/// number parsed differently), or too many runs.
fn stand_in(value: &str) -> Option<(String, Vec<(String, String)>)> {
    let mut shape = String::with_capacity(value.len() + 8);
    let mut pairs = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        shape.push_str(&rest[..start]);
        let run_len = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        let digits = &rest[start..start + run_len];
        if (digits.len() > 1 && digits.starts_with('0')) || digits.len() > 6 || pairs.len() >= 100 {
            return None;
        }
        let token = (STAND_IN_BASE + pairs.len()).to_string();
        shape.push_str(&token);
        pairs.push((token, digits.to_owned()));
        rest = &rest[start + run_len..];
    }
    shape.push_str(rest);
    Some((shape, pairs))
}

/// One visible item of the document as the memo sees it: rendered alone, at its position.
struct Unit {
    /// Where it goes: the request in the plan and the item's index in it.
    request: usize,
    index: usize,
    key: MemoKey,
    /// The item as it is rendered: its locator stood in for (or real, for a literal key).
    item: PlannedItem,
    /// (stand-in, digits) to put back.
    pairs: Vec<(String, String)>,
}

impl Unit {
    fn new(
        p: &PlannedItem,
        (request, index): (usize, usize),
        (first, ibid): (bool, Ibid),
        (work, peers): (u32, std::sync::Arc<[u32]>),
        style: usize,
        literal: bool,
    ) -> Unit {
        let (locator, pairs, literal) = match &p.locator {
            Some((kind, value)) if !literal => match stand_in(value) {
                Some((shape, pairs)) => (Some((*kind, shape)), pairs, false),
                None => (p.locator.clone(), Vec::new(), true),
            },
            other => (other.clone(), Vec::new(), literal),
        };
        Unit {
            request,
            index,
            key: MemoKey {
                style,
                literal,
                item: ItemKey {
                    work,
                    first,
                    ibid,
                    locator: locator.clone(),
                    peers,
                },
            },
            item: PlannedItem {
                item: p.item,
                locator,
                hidden: false,
                cites: Vec::new(),
            },
            pairs,
        }
    }
}

/// A small document in which every item to render stands alone at the position its key says.
struct Reduced {
    plan: Vec<Planned>,
    /// For each unit to render, the index of its request in `plan`.
    at: Vec<usize>,
}

impl Reduced {
    /// A hidden request first cites every work none of these units cites for the first time;
    /// then come the units that cite a work for the first time, in document order, then the rest;
    /// each is preceded by what gives it its Ibid state, unless the unit just placed does.
    fn build(todo: &[&Unit], sentinel: usize, bibliography: &[usize]) -> Reduced {
        let mut plan: Vec<Planned> = Vec::new();
        let mut at = vec![0; todo.len()];
        let firsts: HashSet<usize> = todo
            .iter()
            .filter(|u| u.key.item.first)
            .map(|u| u.item.item)
            .collect();
        let mut prelude: Vec<usize> = Vec::new();
        let mut in_prelude = HashSet::new();
        for u in todo {
            let w = u.item.item;
            if !u.key.item.first && !firsts.contains(&w) && in_prelude.insert(w) {
                prelude.push(w);
            }
        }
        let hidden = |item: usize| PlannedItem {
            item,
            locator: None,
            hidden: true,
            cites: Vec::new(),
        };
        let request = |items: Vec<PlannedItem>| Planned {
            note: None,
            number: 0,
            items,
        };
        if !prelude.is_empty() {
            plan.push(request(prelude.iter().map(|&w| hidden(w)).collect()));
        }
        let mut chainable: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, u) in todo.iter().enumerate() {
            if !u.key.item.first && u.key.item.ibid != Ibid::Different {
                chainable.entry(u.item.item).or_default().push(i);
            }
        }
        // A unit whose Ibid state the item just placed gives: the first not yet placed.
        let successor = |after: &PlannedItem, placed: &[bool]| -> Option<usize> {
            chainable.get(&after.item)?.iter().copied().find(|&i| {
                !placed[i]
                    && match todo[i].key.item.ibid {
                        Ibid::Same => todo[i].item.locator == after.locator,
                        Ibid::WithLocator => todo[i].item.locator != after.locator,
                        Ibid::Different => false,
                    }
            })
        };
        let mut placed = vec![false; todo.len()];
        let order: Vec<usize> = (0..todo.len())
            .filter(|&i| todo[i].key.item.first)
            .chain((0..todo.len()).filter(|&i| !todo[i].key.item.first))
            .collect();
        for i in order {
            if placed[i] {
                continue;
            }
            let u = todo[i];
            let last = plan.last().and_then(|r| r.items.last());
            match u.key.item.ibid {
                Ibid::Different => {
                    if last.is_some_and(|l| l.item == u.item.item && !l.hidden) {
                        plan.push(request(vec![hidden(sentinel)]));
                    }
                }
                Ibid::Same => plan.push(request(vec![u.item.clone()])),
                Ibid::WithLocator => plan.push(request(vec![PlannedItem {
                    locator: None,
                    ..u.item.clone()
                }])),
            }
            at[i] = plan.len();
            placed[i] = true;
            plan.push(request(vec![u.item.clone()]));
            // Chains only once every work has been cited (all first citations placed).
            if u.key.item.first {
                continue;
            }
            let mut tail = u.item.clone();
            while let Some(next) = successor(&tail, &placed) {
                at[next] = plan.len();
                placed[next] = true;
                plan.push(request(vec![todo[next].item.clone()]));
                tail = todo[next].item.clone();
            }
        }
        if !bibliography.is_empty() {
            plan.push(request(bibliography.iter().map(|&w| hidden(w)).collect()));
        }
        Reduced { plan, at }
    }

    /// Every unit stands where its key says.
    fn faithful(&self, todo: &[&Unit]) -> bool {
        let got = positions(&self.plan);
        todo.iter()
            .zip(&self.at)
            .all(|(u, &r)| got[r].len() == 1 && got[r][0] == (u.key.item.first, u.key.item.ibid))
    }
}

/// Renders the plan through the memo, or `None` when the style (or the job) needs the whole
/// document rendered at once.
pub(super) fn render(
    prepared: &Prepared,
    style: &Style,
    job: Job,
    memos: &Memos,
) -> Option<Rendered> {
    let support = style.memo;
    if !support.citations || (job == Job::Everything && !support.sorted_bibliography) {
        return None;
    }
    render_items(prepared, style, job, memos)
}

fn render_items(prepared: &Prepared, style: &Style, job: Job, memos: &Memos) -> Option<Rendered> {
    let csl = super::csl_for(style, job);
    let style_id = std::sync::Arc::as_ptr(csl) as usize;
    let ids = memos.intern(&prepared.items)?;
    let at = positions(&prepared.plan);
    let sentinel = prepared.items.len() - 1;
    let mut cited = vec![false; sentinel];
    for p in prepared.plan.iter().flat_map(|r| &r.items) {
        if let Some(c) = cited.get_mut(p.item) {
            *c = true;
        }
    }
    let peers = peers(&prepared.items[..sentinel], &ids, &cited);
    let unit = |r: usize, j: usize, literal: bool| {
        let p = &prepared.plan[r].items[j];
        let work = (ids[p.item], peers.get(p.item).cloned().unwrap_or_default());
        Unit::new(p, (r, j), at[r][j], work, style_id, literal)
    };

    // Each visible item of each note: from the memo, or to render.
    let mut done: Vec<Vec<Option<ElemChildren>>> = prepared
        .plan
        .iter()
        .map(|p| vec![None; p.items.len()])
        .collect();
    let mut pending: Vec<Unit> = Vec::new();
    for (r, planned) in prepared.plan.iter().enumerate() {
        if prepared.rendered_note(planned).is_none() {
            continue;
        }
        for (j, p) in planned.items.iter().enumerate() {
            if p.hidden {
                continue;
            }
            let mut u = unit(r, j, !style.memo.templated_locators);
            if let Some(Memo::Literal) = memos.get(&u.key) {
                u = unit(r, j, true);
            }
            match memos.get(&u.key) {
                Some(Memo::Rendered(children)) => {
                    memos.reused.fetch_add(1, Ordering::Relaxed);
                    done[r][j] = Some(put_back(&children, &u.pairs));
                }
                _ => pending.push(u),
            }
        }
    }

    // The bibliography lists the cited works (a work of the library no note cites is left out).
    let bibliography: Vec<usize> = match job {
        Job::Everything => {
            let mut cited = HashSet::new();
            prepared
                .plan
                .iter()
                .flat_map(|p| &p.items)
                .map(|p| p.item)
                .filter(|&item| item != sentinel && cited.insert(item))
                .collect()
        }
        Job::NotesOnly => Vec::new(),
    };
    let mut bib = None;
    // Two rounds at most: items whose stand-ins did not come back go again, literally.
    for round in 0..2 {
        if pending.is_empty() && (round > 0 || bibliography.is_empty()) {
            break;
        }
        // one rendering per distinct key
        let mut unique: Vec<&Unit> = Vec::new();
        let mut index: HashMap<&MemoKey, usize> = HashMap::new();
        let mut of: Vec<usize> = Vec::with_capacity(pending.len());
        for u in &pending {
            let i = *index.entry(&u.key).or_insert_with(|| {
                unique.push(u);
                unique.len() - 1
            });
            of.push(i);
        }
        let wants_bib = round == 0 && !bibliography.is_empty();
        // Two documents rendered side by side when there is enough to share out; a work's
        // citations, and the works whose citations could be told apart only by their authors'
        // names (the same first author), stay in one document.
        // (Not when the bibliography is wanted: its entries carry the disambiguation decided
        // across all of the document's citations.)
        let groups = if wants_bib {
            vec![(0..unique.len()).collect()]
        } else {
            share_out(&unique, &prepared.items)
        };
        let bib_out = std::sync::Mutex::new(None);
        let rendered = |(g, group): (usize, &Vec<usize>)| -> Option<Vec<ElemChildren>> {
            let todo: Vec<&Unit> = group.iter().map(|&i| unique[i]).collect();
            let bib: &[usize] = if wants_bib && g == 0 {
                &bibliography
            } else {
                &[]
            };
            let reduced = Reduced::build(&todo, sentinel, bib);
            if !reduced.faithful(&todo) {
                debug_assert!(false, "the reduced document misplaces an item");
                return None;
            }
            let out = super::drive(&prepared.items, &reduced.plan, style, job);
            if bib.is_empty() {
                reduced
                    .at
                    .iter()
                    .map(|&r| item_of(&out.citations.get(r)?.citation))
                    .collect()
            } else {
                let items = reduced
                    .at
                    .iter()
                    .map(|&r| item_of(&out.citations.get(r)?.citation))
                    .collect();
                if let Ok(mut slot) = bib_out.lock() {
                    *slot = out.bibliography;
                }
                items
            }
        };
        let outputs: Vec<Option<Vec<ElemChildren>>> = if groups.len() == 2 {
            let (a, b) = rayon::join(|| rendered((0, &groups[0])), || rendered((1, &groups[1])));
            vec![a, b]
        } else {
            groups.iter().enumerate().map(rendered).collect()
        };
        memos.rendered.fetch_add(unique.len(), Ordering::Relaxed);
        let mut children_of: Vec<Option<ElemChildren>> = vec![None; unique.len()];
        for (group, out) in groups.iter().zip(outputs) {
            for (&i, children) in group.iter().zip(out?) {
                children_of[i] = Some(children);
            }
        }
        if wants_bib {
            bib = bib_out.into_inner().ok().flatten();
        }
        let mut kept: Vec<(MemoKey, Memo)> = Vec::with_capacity(unique.len());
        let mut verdict: Vec<Option<ElemChildren>> = Vec::with_capacity(unique.len());
        for (u, children) in unique.iter().zip(children_of) {
            let children = children?;
            if stand_ins_come_back(&children, &u.pairs) {
                kept.push((u.key.clone(), Memo::Rendered(children.clone())));
                verdict.push(Some(children));
            } else {
                kept.push((u.key.clone(), Memo::Literal));
                verdict.push(None);
            }
        }
        memos.put(kept);
        let mut again = Vec::new();
        for (u, i) in pending.into_iter().zip(of) {
            match &verdict[i] {
                Some(children) => done[u.request][u.index] = Some(put_back(children, &u.pairs)),
                None if !u.key.literal => again.push(unit(u.request, u.index, true)),
                None => return None,
            }
        }
        pending = again;
    }
    if !pending.is_empty() {
        return None;
    }
    let layout = &super::csl_for(style, job).citation.layout;
    let citations = prepared
        .plan
        .iter()
        .zip(done)
        .map(|(planned, parts)| RenderedCitation {
            note_number: Some(planned.number),
            citation: match prepared.rendered_note(planned) {
                Some(_) => compose(layout, &planned.items, parts),
                None => ElemChildren(Vec::new()),
            },
        })
        .collect();
    Some(Rendered {
        bibliography: bib,
        citations,
    })
}

/// Below this many citations to render, one document: sharing out costs more than it saves.
const SHARE_OUT_FROM: usize = 16;

/// The units to render as one or two groups of about equal size, each a document of its own:
/// all the citations of a work, and of every work with the same first author (or, without
/// names, all such works), fall in one group, since hayagriva disambiguates names across the
/// citations of one document.
fn share_out(units: &[&Unit], items: &[Item]) -> Vec<Vec<usize>> {
    let all: Vec<usize> = (0..units.len()).collect();
    if units.len() < SHARE_OUT_FROM || rayon::current_num_threads() < 2 {
        return vec![all];
    }
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        by_key
            .entry(first_author(&items[u.item.item]))
            .or_default()
            .push(i);
    }
    let mut families: Vec<Vec<usize>> = by_key.into_values().collect();
    // largest first, each into the smaller group: a fair share, the same for the same input
    families.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut groups = vec![Vec::new(), Vec::new()];
    for family in families {
        let smaller = usize::from(groups[1].len() < groups[0].len());
        groups[smaller].extend(family);
    }
    groups.iter_mut().for_each(|g| g.sort_unstable());
    groups.retain(|g| !g.is_empty());
    groups
}

/// For each work, the works the document cites with the same first author (itself included),
/// when there are others; nothing otherwise.
fn peers(items: &[Item], ids: &[u32], cited: &[bool]) -> Vec<std::sync::Arc<[u32]>> {
    let keys: Vec<String> = items.iter().map(first_author).collect();
    let mut by_key: HashMap<&str, Vec<u32>> = HashMap::new();
    for ((key, &id), _) in keys.iter().zip(ids).zip(cited).filter(|(_, &c)| c) {
        by_key.entry(key).or_default().push(id);
    }
    let none: std::sync::Arc<[u32]> = std::sync::Arc::from(Vec::new());
    let shared: HashMap<&str, std::sync::Arc<[u32]>> = by_key
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, mut v)| {
            v.sort_unstable();
            (k, std::sync::Arc::from(v))
        })
        .collect();
    keys.iter()
        .map(|k| {
            shared
                .get(k.as_str())
                .cloned()
                .unwrap_or_else(|| none.clone())
        })
        .collect()
}

/// The family name of a work's first author (or editor, or translator), lower case; empty
/// without names.
fn first_author(item: &Item) -> String {
    use hayagriva::citationberg::json::{NameValue, Value};
    for role in ["author", "editor", "translator"] {
        if let Some(Value::Names(names)) = item.0.get(role) {
            match names.first() {
                Some(NameValue::Item(n)) => return n.family.to_lowercase(),
                Some(NameValue::Literal(l)) => return l.literal.to_lowercase(),
                None => {}
            }
        }
    }
    // Without names, a citation is told apart by its title, which may be shortened: every
    // work without names is one group.
    String::new()
}

/// The item's own rendering in a one-item citation: the element hayagriva marks with its entry.
fn item_of(citation: &ElemChildren) -> Option<ElemChildren> {
    citation.0.iter().find_map(|child| match child {
        ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Entry(_))) => {
            Some(e.children.clone())
        }
        _ => None,
    })
}

/// A citation from its items' renderings, as hayagriva's driver puts it together for a style
/// without grouping or collapsing: the layout's prefix, the visible items separated by its
/// delimiter (counted from the first item, hidden or not), its suffix unless the last text
/// already ends with it.
fn compose(
    layout: &hayagriva::citationberg::Layout,
    items: &[PlannedItem],
    parts: Vec<Option<ElemChildren>>,
) -> ElemChildren {
    if items.iter().all(|p| p.hidden) {
        return ElemChildren(Vec::new());
    }
    let formatting = layout_formatting(layout);
    let text = |s: &str| {
        ElemChild::Text(Formatted {
            text: s.to_owned(),
            formatting,
        })
    };
    let mut children = Vec::new();
    if let Some(prefix) = &layout.prefix {
        children.push(text(prefix));
    }
    for (i, (p, part)) in items.iter().zip(parts).enumerate() {
        if p.hidden {
            continue;
        }
        if i != 0 {
            if let Some(delim) = &layout.delimiter {
                children.push(text(delim));
            }
        }
        children.push(ElemChild::Elem(Elem {
            children: part.unwrap_or_else(|| ElemChildren(Vec::new())),
            display: None,
            meta: Some(ElemMeta::Entry(i)),
        }));
    }
    if let Some(suffix) = &layout.suffix {
        if last_text(&children).is_none_or(|t| !t.ends_with(suffix.as_str())) {
            children.push(text(suffix));
        }
    }
    ElemChildren(children)
}

/// The text of the last child, looking into the last element (hayagriva's `last_text_mut_child`).
fn last_text(children: &[ElemChild]) -> Option<&str> {
    match children.last()? {
        ElemChild::Text(t) => Some(&t.text),
        ElemChild::Elem(e) => last_text(&e.children.0),
        _ => None,
    }
}

/// The layout's formatting over the default, as hayagriva applies it to affixes and delimiters.
fn layout_formatting(layout: &hayagriva::citationberg::Layout) -> Formatting {
    use hayagriva::citationberg::ToFormatting;
    let partial = layout.to_formatting();
    let mut f = Formatting::default();
    if let Some(v) = partial.font_style {
        f.font_style = v;
    }
    if let Some(v) = partial.font_variant {
        f.font_variant = v;
    }
    if let Some(v) = partial.font_weight {
        f.font_weight = v;
    }
    if let Some(v) = partial.text_decoration {
        f.text_decoration = v;
    }
    if let Some(v) = partial.vertical_align {
        f.vertical_align = v;
    }
    f
}

/// Every stand-in comes back exactly once, or none does (an Ibid that does not repeat its
/// locator) and nothing that looks like a re-formatted stand-in is left.
fn stand_ins_come_back(children: &ElemChildren, pairs: &[(String, String)]) -> bool {
    let counts: Vec<usize> = pairs
        .iter()
        .map(|(token, _)| occurrences(children, token))
        .collect();
    let prefix = &STAND_IN_BASE.to_string()[..3];
    counts.iter().all(|&n| n == 1)
        || (counts.iter().all(|&n| n == 0) && occurrences(children, prefix) == 0)
}

/// How many times `token` occurs in the text of `children`; a stand-in inside a URL (or cut
/// between two runs of text) counts as unfaithful.
fn occurrences(children: &ElemChildren, token: &str) -> usize {
    let mut n = 0;
    for child in &children.0 {
        n += match child {
            ElemChild::Text(f) => f.text.matches(token).count(),
            ElemChild::Elem(e) => occurrences(&e.children, token),
            ElemChild::Markup(m) => m.matches(token).count(),
            ElemChild::Link { text, url } => {
                if url.contains(token) {
                    return usize::MAX / 2;
                }
                text.text.matches(token).count()
            }
            ElemChild::Transparent { .. } => 0,
        };
    }
    n
}

/// The rendering with each stand-in replaced by the digits it stood for.
fn put_back(children: &ElemChildren, pairs: &[(String, String)]) -> ElemChildren {
    if pairs.is_empty() {
        return children.clone();
    }
    let swap = |text: &str| -> String {
        let mut out = text.to_owned();
        for (token, digits) in pairs {
            if out.contains(token.as_str()) {
                out = out.replace(token.as_str(), digits);
            }
        }
        out
    };
    ElemChildren(
        children
            .0
            .iter()
            .map(|child| match child {
                ElemChild::Text(f) => {
                    let mut f = f.clone();
                    f.text = swap(&f.text);
                    ElemChild::Text(f)
                }
                ElemChild::Elem(e) => {
                    let mut e = e.clone();
                    e.children = put_back(&e.children, pairs);
                    ElemChild::Elem(e)
                }
                ElemChild::Markup(m) => ElemChild::Markup(swap(m)),
                ElemChild::Link { text, url } => {
                    let mut text = text.clone();
                    text.text = swap(&text.text);
                    ElemChild::Link {
                        text,
                        url: url.clone(),
                    }
                }
                other => other.clone(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_keep_the_shape() {
        let (shape, pairs) = stand_in("4–13").unwrap();
        assert_eq!(shape, "7300000–7300001");
        assert_eq!(pairs[1], ("7300001".to_owned(), "13".to_owned()));
        let (shape, _) = stand_in("xiv, 12a").unwrap();
        assert_eq!(shape, "xiv, 7300000a");
        assert_eq!(stand_in("chap. 3").unwrap().0, "chap. 7300000");
        assert!(
            stand_in("007").is_none(),
            "a leading zero is printed differently"
        );
        assert!(stand_in("12345678").is_none());
    }

    #[test]
    fn works_are_numbered_by_content_not_by_key() {
        let item = |id: &str, title: &str| -> Item {
            serde_json::from_value(serde_json::json!({"id": id, "type": "book", "title": title}))
                .unwrap()
        };
        let memos = Memos::default();
        let a = memos.intern(&[item("a", "One"), item("b", "Two")]).unwrap();
        let b = memos
            .intern(&[item("x", "Two"), item("y", "Three")])
            .unwrap();
        assert_eq!(a[1], b[0], "the same work under another key");
        assert!(a[0] != b[1] && a[1] != b[1] && a[0] != a[1]);
    }

    fn text(s: &str) -> ElemChildren {
        ElemChildren(vec![ElemChild::Text(hayagriva::Formatted {
            text: s.to_owned(),
            formatting: hayagriva::Formatting::default(),
        })])
    }

    #[test]
    fn stand_ins_must_come_back_whole_or_not_at_all() {
        let (_, range) = stand_in("321-328").unwrap();
        assert!(stand_ins_come_back(
            &text("Lewis, Ambitions, 7300000-7300001."),
            &range
        ));
        // an Ibid that does not repeat its locator
        assert!(stand_ins_come_back(&text("Ibid."), &range));
        // a range abbreviated by the style: the digits no longer stand alone
        assert!(!stand_ins_come_back(&text("Lewis, 7300000–1."), &range));
        assert!(!stand_ins_come_back(&text("Ibid., 730."), &range));
        assert!(!stand_ins_come_back(
            &text("7300000 and 7300000"),
            &range[..1]
        ));
    }

    fn item(item: usize, locator: Option<&str>, hidden: bool) -> PlannedItem {
        PlannedItem {
            item,
            locator: locator.map(|l| (Locator::Page, l.to_owned())),
            hidden,
            cites: Vec::new(),
        }
    }

    #[test]
    fn positions_follow_hayagriva() {
        let plan: Vec<Planned> = [
            vec![item(0, Some("3"), false)],
            vec![item(0, Some("3"), false)],
            vec![item(0, Some("4"), false)],
            vec![item(0, None, false)],
            vec![item(9, None, true)],
            vec![item(0, Some("4"), false)],
            vec![item(1, None, false), item(0, None, false)],
        ]
        .into_iter()
        .map(|items| Planned {
            note: Some(0),
            number: 1,
            items,
        })
        .collect();
        let got = positions(&plan);
        use Ibid::*;
        assert_eq!(got[0], vec![(true, Different)]);
        assert_eq!(got[1], vec![(false, Same)]);
        assert_eq!(got[2], vec![(false, WithLocator)]);
        assert_eq!(
            got[3],
            vec![(false, Different)],
            "no locator after one: subsequent"
        );
        assert_eq!(
            got[5],
            vec![(false, Different)],
            "a hidden item breaks the chain"
        );
        assert_eq!(got[6], vec![(true, Different), (false, Different)]);
    }
}
