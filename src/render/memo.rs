//! The memoised render path: each citation cluster is rendered once and reused.
//!
//! hayagriva renders a document as a whole: every citation twice (once to find ambiguities, once
//! with its locator), about 0.25 ms a note. But in a note style without note numbers, sorting or
//! grouping inside a citation, what a cluster prints depends only on its works, each item's CSL
//! position (first citation of the work or not; the same work as the item before it, with the
//! same locator or another) and its locators. So ibid decides those positions itself, exactly as
//! hayagriva's driver does ([`positions`]), and keys each cluster by them ([`ClusterKey`]).
//!
//! The digits of a locator are stood in for (`4–13` is rendered as `7300000–7300001`), so the
//! key holds the locator's shape, not its value: a work cited at a hundred pages is rendered once
//! per position. A rendering is kept only when every stand-in comes back exactly once; otherwise
//! (a style that re-formats the digits) the cluster is rendered with its real locators.
//!
//! What is not in the memo is rendered by hayagriva in one small document built so that every
//! missing cluster stands at the position its key says ([`Reduced`]); the positions of that
//! document are computed again and compared before anything is kept. The memo lives as long as the
//! [`super::RenderCache`] that holds it: across the re-checks of `check` and the files of a batch.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::RwLock;

use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{ElemChild, ElemChildren, Rendered, RenderedCitation};

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

/// One item of a cluster as its rendering depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    /// The work, interned ([`Memos::intern`]).
    work: u32,
    first: bool,
    ibid: Ibid,
    hidden: bool,
    /// The locator's label and its shape (digits stood in for) or value.
    locator: Option<(Locator, String)>,
}

/// A cluster as its rendering depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClusterKey {
    /// The parsed style it was rendered with (its address: styles are parsed once per process).
    style: usize,
    /// Locators are real values, not shapes.
    literal: bool,
    items: Vec<ItemKey>,
}

/// A kept rendering.
#[derive(Debug, Clone)]
enum Memo {
    /// The cluster as hayagriva printed it, stand-ins where the locators' digits go.
    Rendered(ElemChildren),
    /// The stand-ins did not come back one each: render this cluster with its real locators.
    Literal,
}

/// Memoised cluster renderings, shared by threads.
#[derive(Debug, Default)]
pub(crate) struct Memos {
    works: RwLock<HashMap<Item, u32>>,
    clusters: RwLock<HashMap<ClusterKey, Memo>>,
    /// Clusters taken from the memo.
    pub reused: AtomicUsize,
    /// Clusters rendered by hayagriva (each distinct one once).
    pub rendered: AtomicUsize,
    /// Documents the memo could not take (rendered whole).
    pub whole: AtomicUsize,
}

/// Beyond this many kept clusters the memo starts again: memory stays flat over any batch.
const CAPACITY: usize = 200_000;

impl Memos {
    /// A number for each distinct work, by content: its key (`id`) is left out, since no citation
    /// prints it, so that equal works of different files, keyed differently, share it.
    fn intern(&self, items: &[Item]) -> Vec<u32> {
        let items: Vec<Item> = items
            .iter()
            .map(|item| {
                let mut content = item.clone();
                content.0.remove("id");
                content
            })
            .collect();
        if let Ok(works) = self.works.read() {
            let known: Option<Vec<u32>> = items.iter().map(|i| works.get(i).copied()).collect();
            if let Some(ids) = known {
                return ids;
            }
        }
        let Ok(mut works) = self.works.write() else {
            return (0..items.len() as u32).map(|i| u32::MAX - i).collect();
        };
        if works.len() > CAPACITY {
            works.clear();
            if let Ok(mut clusters) = self.clusters.write() {
                clusters.clear();
            }
        }
        items
            .into_iter()
            .map(|item| {
                let next = works.len() as u32;
                *works.entry(item).or_insert(next)
            })
            .collect()
    }

    fn get(&self, key: &ClusterKey) -> Option<Memo> {
        self.clusters.read().ok()?.get(key).cloned()
    }

    fn put(&self, kept: Vec<(ClusterKey, Memo)>) {
        if let Ok(mut clusters) = self.clusters.write() {
            if clusters.len() + kept.len() > CAPACITY {
                clusters.clear();
            }
            clusters.extend(kept);
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

/// `value` with each run of digits replaced by a stand-in unique to item `j` of a cluster, and
/// the (stand-in, digits) pairs. `None` when a run cannot be stood in for faithfully: a leading
/// zero or more than six digits (a number parsed differently), or too many runs.
fn stand_in(value: &str, j: usize) -> Option<(String, Vec<(String, String)>)> {
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
        if j >= 1000 {
            return None;
        }
        let token = (STAND_IN_BASE + j * 100 + pairs.len()).to_string();
        shape.push_str(&token);
        pairs.push((token, digits.to_owned()));
        rest = &rest[start + run_len..];
    }
    shape.push_str(rest);
    Some((shape, pairs))
}

/// One cluster of the document as the memo sees it.
struct Cluster {
    /// Index of its request in the plan.
    request: usize,
    key: ClusterKey,
    /// The items as they are rendered: locators as stood in for (or real, for a literal key).
    items: Vec<PlannedItem>,
    /// (stand-in, digits) to put back.
    pairs: Vec<(String, String)>,
}

fn cluster(
    prepared: &Prepared,
    request: usize,
    at: &[(bool, Ibid)],
    ids: &[u32],
    style_id: usize,
    literal: bool,
) -> Cluster {
    let planned = &prepared.plan[request];
    let mut items = Vec::with_capacity(planned.items.len());
    let mut keys = Vec::with_capacity(planned.items.len());
    let mut pairs = Vec::new();
    for (j, (p, &(first, ibid))) in planned.items.iter().zip(at).enumerate() {
        let locator = match &p.locator {
            Some((kind, value)) if !literal => match stand_in(value, j) {
                Some((shape, mut found)) => {
                    pairs.append(&mut found);
                    Some((*kind, shape))
                }
                None => {
                    // one value cannot be stood in for: the whole cluster is literal
                    return cluster(prepared, request, at, ids, style_id, true);
                }
            },
            other => other.clone(),
        };
        // A hidden item prints nothing: its own position does not matter (only that it breaks
        // an Ibid chain, which the next item's key records).
        let (first, ibid) = if p.hidden {
            (false, Ibid::Different)
        } else {
            (first, ibid)
        };
        keys.push(ItemKey {
            work: ids[p.item],
            first,
            ibid,
            hidden: p.hidden,
            locator: locator.clone(),
        });
        items.push(PlannedItem {
            item: p.item,
            locator,
            hidden: p.hidden,
            cites: Vec::new(),
        });
    }
    Cluster {
        request,
        key: ClusterKey {
            style: style_id,
            literal,
            items: keys,
        },
        items,
        pairs,
    }
}

/// A small document in which every cluster to render stands at the position its key says.
struct Reduced {
    plan: Vec<Planned>,
    /// For each cluster to render, the index of its request in `plan`.
    at: Vec<usize>,
}

impl Reduced {
    /// A hidden request first cites every work none of these clusters cites for the first time;
    /// then come the clusters that cite a work for the first time, in document order, then the
    /// rest; each cluster is preceded by what gives its first item its Ibid state.
    fn build(todo: &[&Cluster], sentinel: usize, bibliography: &[usize]) -> Reduced {
        let mut plan: Vec<Planned> = Vec::new();
        let mut at = vec![0; todo.len()];
        let has_first = |c: &Cluster| c.key.items.iter().any(|i| i.first);
        let firsts: HashSet<usize> = todo
            .iter()
            .flat_map(|c| c.items.iter().zip(&c.key.items))
            .filter(|(_, k)| k.first)
            .map(|(p, _)| p.item)
            .collect();
        let mut prelude: Vec<usize> = Vec::new();
        for c in todo {
            for (p, k) in c.items.iter().zip(&c.key.items) {
                if !k.first && !firsts.contains(&p.item) && !prelude.contains(&p.item) {
                    prelude.push(p.item);
                }
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
        // Where the item before a cluster already gives its head the Ibid state it needs, the
        // cluster follows without a context request: the first of these clusters not yet placed.
        let mut placed = vec![false; todo.len()];
        let mut chainable: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, c) in todo.iter().enumerate() {
            if !has_first(c) && c.key.items[0].ibid != Ibid::Different {
                chainable.entry(c.items[0].item).or_default().push(i);
            }
        }
        let successor = |after: &PlannedItem, placed: &[bool]| -> Option<usize> {
            if after.hidden {
                return None;
            }
            chainable.get(&after.item)?.iter().copied().find(|&i| {
                let (head, key) = (&todo[i].items[0], &todo[i].key.items[0]);
                !placed[i]
                    && match key.ibid {
                        Ibid::Same => head.locator == after.locator,
                        Ibid::WithLocator => head.locator != after.locator,
                        Ibid::Different => false,
                    }
            })
        };
        let order: Vec<usize> = (0..todo.len())
            .filter(|&i| has_first(todo[i]))
            .chain((0..todo.len()).filter(|&i| !has_first(todo[i])))
            .collect();
        for i in order {
            if placed[i] {
                continue;
            }
            let c = todo[i];
            let (head, key) = (&c.items[0], &c.key.items[0]);
            let last = plan.last().and_then(|r| r.items.last());
            match key.ibid {
                Ibid::Different => {
                    if last.is_some_and(|l| l.item == head.item && !l.hidden) {
                        plan.push(request(vec![hidden(sentinel)]));
                    }
                }
                Ibid::Same => plan.push(request(vec![PlannedItem {
                    hidden: false,
                    ..head.clone()
                }])),
                Ibid::WithLocator => plan.push(request(vec![PlannedItem {
                    item: head.item,
                    locator: None,
                    hidden: false,
                    cites: Vec::new(),
                }])),
            }
            at[i] = plan.len();
            placed[i] = true;
            plan.push(request(c.items.clone()));
            // Chains only once every work has been cited (all first citations placed).
            if has_first(c) {
                continue;
            }
            let mut tail = c.items.last().cloned();
            while let Some(next) = tail.as_ref().and_then(|t| successor(t, &placed)) {
                at[next] = plan.len();
                placed[next] = true;
                plan.push(request(todo[next].items.clone()));
                tail = todo[next].items.last().cloned();
            }
        }
        if !bibliography.is_empty() {
            plan.push(request(bibliography.iter().map(|&w| hidden(w)).collect()));
        }
        Reduced { plan, at }
    }

    /// Every cluster stands where its key says.
    fn faithful(&self, todo: &[&Cluster]) -> bool {
        let got = positions(&self.plan);
        todo.iter().zip(&self.at).all(|(c, &r)| {
            got[r].len() == c.key.items.len()
                && got[r]
                    .iter()
                    .zip(&c.key.items)
                    .all(|(&(first, ibid), k)| k.hidden || (first == k.first && ibid == k.ibid))
        })
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
    if !support.clusters || (job == Job::Everything && !support.sorted_bibliography) {
        return None;
    }
    render_clusters(prepared, style, job, memos)
}

fn render_clusters(
    prepared: &Prepared,
    style: &Style,
    job: Job,
    memos: &Memos,
) -> Option<Rendered> {
    let support = style.memo;
    let csl = super::csl_for(style, job);
    let style_id = std::sync::Arc::as_ptr(csl) as usize;
    let ids = memos.intern(&prepared.items);
    let at = positions(&prepared.plan);
    let sentinel = prepared.items.len() - 1;

    let mut done: Vec<Option<ElemChildren>> = vec![None; prepared.plan.len()];
    let mut pending: Vec<Cluster> = Vec::new();
    for (r, planned) in prepared.plan.iter().enumerate() {
        if planned.note.is_none() {
            continue;
        }
        let literal = !support.templated_locators;
        let mut c = cluster(prepared, r, &at[r], &ids, style_id, literal);
        if let Some(Memo::Literal) = memos.get(&c.key) {
            c = cluster(prepared, r, &at[r], &ids, style_id, true);
        }
        match memos.get(&c.key) {
            Some(Memo::Rendered(children)) => {
                memos.reused.fetch_add(1, Ordering::Relaxed);
                done[r] = Some(put_back(&children, &c.pairs));
            }
            _ => pending.push(c),
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
    // Two rounds at most: clusters whose stand-ins did not come back go again, literally.
    for round in 0..2 {
        if pending.is_empty() && (round > 0 || bibliography.is_empty()) {
            break;
        }
        // one rendering per distinct key
        let mut unique: Vec<&Cluster> = Vec::new();
        let mut index: HashMap<&ClusterKey, usize> = HashMap::new();
        let mut of: Vec<usize> = Vec::with_capacity(pending.len());
        for c in &pending {
            let i = *index.entry(&c.key).or_insert_with(|| {
                unique.push(c);
                unique.len() - 1
            });
            of.push(i);
        }
        let wants_bib = round == 0 && !bibliography.is_empty();
        let reduced = Reduced::build(
            &unique,
            sentinel,
            if wants_bib { &bibliography } else { &[] },
        );
        if !reduced.faithful(&unique) {
            debug_assert!(false, "the reduced document misplaces a cluster");
            return None;
        }
        memos.rendered.fetch_add(unique.len(), Ordering::Relaxed);
        let out = super::drive(&prepared.items, &reduced.plan, style, job);
        if wants_bib {
            bib = out.bibliography;
        }
        let mut kept: Vec<(ClusterKey, Memo)> = Vec::with_capacity(unique.len());
        let mut verdict: Vec<Option<ElemChildren>> = Vec::with_capacity(unique.len());
        for (c, &r) in unique.iter().zip(&reduced.at) {
            let children = out.citations.get(r)?.citation.clone();
            let faithful = stand_ins_come_back(&children, &c.pairs);
            if faithful {
                kept.push((c.key.clone(), Memo::Rendered(children.clone())));
                verdict.push(Some(children));
            } else {
                kept.push((c.key.clone(), Memo::Literal));
                verdict.push(None);
            }
        }
        memos.put(kept);
        let mut again = Vec::new();
        for (c, i) in pending.into_iter().zip(of) {
            match &verdict[i] {
                Some(children) => done[c.request] = Some(put_back(children, &c.pairs)),
                None if !c.key.literal => again.push(cluster(
                    prepared,
                    c.request,
                    &at[c.request],
                    &ids,
                    style_id,
                    true,
                )),
                None => return None,
            }
        }
        pending = again;
    }
    if !pending.is_empty() {
        return None;
    }
    let citations = prepared
        .plan
        .iter()
        .zip(done)
        .map(|(planned, children)| RenderedCitation {
            note_number: Some(planned.number),
            citation: children.unwrap_or_else(|| ElemChildren(Vec::new())),
        })
        .collect();
    Some(Rendered {
        bibliography: bib,
        citations,
    })
}

/// Every stand-in of an item comes back exactly once, or none of them does (an Ibid that does not
/// repeat its locator), and nothing that looks like a re-formatted stand-in is left.
fn stand_ins_come_back(children: &ElemChildren, pairs: &[(String, String)]) -> bool {
    let item_of = |token: &str| {
        token
            .parse::<usize>()
            .map_or(usize::MAX, |t| (t - STAND_IN_BASE) / 100)
    };
    let mut by_item: HashMap<usize, (usize, usize)> = HashMap::new();
    for (token, _) in pairs {
        let n = occurrences(children, token);
        let entry = by_item.entry(item_of(token)).or_default();
        match n {
            0 => entry.0 += 1,
            1 => entry.1 += 1,
            _ => return false,
        }
    }
    let prefix = &STAND_IN_BASE.to_string()[..3];
    by_item.values().all(|&(absent, once)| {
        once > 0 && absent == 0 || once == 0 && occurrences(children, prefix) == 0
    })
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
        let (shape, pairs) = stand_in("4–13", 0).unwrap();
        assert_eq!(shape, "7300000–7300001");
        assert_eq!(pairs[1], ("7300001".to_owned(), "13".to_owned()));
        let (shape, _) = stand_in("xiv, 12a", 2).unwrap();
        assert_eq!(shape, "xiv, 7300200a");
        assert_eq!(stand_in("chap. 3", 1).unwrap().0, "chap. 7300100");
        assert!(
            stand_in("007", 0).is_none(),
            "a leading zero is printed differently"
        );
        assert!(stand_in("12345678", 0).is_none());
    }

    fn text(s: &str) -> ElemChildren {
        ElemChildren(vec![ElemChild::Text(hayagriva::Formatted {
            text: s.to_owned(),
            formatting: hayagriva::Formatting::default(),
        })])
    }

    #[test]
    fn stand_ins_must_come_back_whole_or_not_at_all() {
        let (_, range) = stand_in("321-328", 0).unwrap();
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
