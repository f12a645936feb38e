//! Resolve: every citation gets a work in one deduplicated library; Ibid chains and short forms
//! are linked to their antecedents, and what a copy editor would flag becomes a diagnostic.
//!
//! The rules follow eyecite's resolver: one rule per citation form; a link is made only when
//! exactly one antecedent fits, otherwise the citation stays unresolved and is reported; a failed
//! link does not chain (an Ibid after an unresolved citation is unresolved too).
//!
//! * A full citation is a new work, unless an earlier work has the same authors and title (then it
//!   is that work, and fields the earlier citations lacked are filled in).
//! * `Ibid.` takes the work of the citation just before it in the same note, or else the work of
//!   the immediately preceding note when that note cites exactly one work. After a note with no
//!   citation, in the first note, or after a note citing several works it is flagged.
//! * A short form takes the unique earlier work whose authors and title fit (short titles, folded
//!   accents and near-miss surnames tolerated, the last two flagged). With no antecedent it is
//!   flagged and starts a work of its own, so that later short forms of it still link.
//! * `op. cit.` takes the last work of that author.

pub mod library;
pub mod matching;
mod near;
pub mod pandoc;

use std::collections::HashMap;

use crate::fold;
use crate::grammar::{self, Cite, CiteKind, ParsedNote};
use crate::manuscript::{Manuscript, Note};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::{Library, Name, Work, WorkId};
use matching::{name_fit, title_fit, Folded, NameFit, TitleFit, Tolerance};

/// A manuscript read, parsed and resolved: what every later stage (render, check, export) takes.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The manuscript as read.
    pub manuscript: Manuscript,
    /// One parsed note per manuscript note, in the same order; each citation's `work` is set
    /// when it was resolved.
    pub notes: Vec<ParsedNote>,
    /// The deduplicated works.
    pub library: Library,
    /// Every finding: the reader's, the grammar's and the resolver's, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses every note of `manuscript` and resolves its citations.
pub fn analyse(manuscript: Manuscript) -> Analysis {
    let notes = grammar::parse_notes(&manuscript.notes);
    resolve(manuscript, notes)
}

/// What the note before the current one cited.
#[derive(Debug, Clone, PartialEq)]
enum Previous {
    /// There is no note before.
    Nothing,
    /// The note before cites nothing (commentary only).
    NoCitation,
    /// The works of the note before's citations (`None` for one that stayed unresolved).
    Works(Vec<Option<WorkId>>),
}

/// The resolver's state while it walks the notes.
#[derive(Default)]
struct Resolver {
    works: Vec<Work>,
    /// Each work's names and titles, folded.
    folded: Vec<Folded>,
    /// Works by their folded title (for full citations cited again).
    by_title: HashMap<Vec<String>, Vec<WorkId>>,
    /// Works by their first author's folded family name (for short forms).
    by_family: near::Families,
    /// Works by the first word, and the first two words, of their folded title and short title
    /// (for short forms that name nobody); a work may be listed twice, and under words its title
    /// no longer starts with.
    by_title_start: HashMap<Vec<String>, Vec<WorkId>>,
    /// Works without names, which a short form may cite by words from anywhere in their title
    /// (`“Drawing Board.”`), by each word of their folded title and short title: a short form's
    /// title fits only a title that holds all its words, so any one of its words (the rarest)
    /// finds every work it may cite (a scan of them all made resolving quadratic, #17).
    nameless: HashMap<String, std::collections::BTreeSet<WorkId>>,
    /// For each work, the index of the note that first cited it.
    first_note: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

/// Resolves parsed notes into a library; fills each citation's `work`.
pub fn resolve(manuscript: Manuscript, mut notes: Vec<ParsedNote>) -> Analysis {
    let mut r = Resolver::default();
    let mut previous = Previous::Nothing;
    for (index, (note, parsed)) in manuscript.notes.iter().zip(notes.iter_mut()).enumerate() {
        for finding in &parsed.findings {
            r.diagnostics.push(Diagnostic::new(
                finding.code,
                Some(&note.id),
                Some(note.map.locate(finding.span)),
                finding.message.clone(),
            ));
        }
        let mut here: Vec<Option<WorkId>> = Vec::new();
        for cite in parsed.cites.iter_mut() {
            let work = match cite.kind {
                CiteKind::Full => Some(r.full(cite, index)),
                CiteKind::Short => r.short(cite, note, index),
                CiteKind::OpCit => r.op_cit(cite, note),
                CiteKind::Ibid => r.ibid(cite, note, &here, &previous),
            };
            cite.work = work;
            here.push(work);
        }
        previous = if parsed.cites.is_empty() {
            Previous::NoCitation
        } else {
            Previous::Works(here)
        };
    }
    r.library_checks(&manuscript, &notes);
    let mut diagnostics = manuscript.diagnostics.clone();
    diagnostics.append(&mut r.diagnostics);
    diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    let mut works = r.works;
    crate::model::keys::assign_keys(&mut works);
    let library = Library { works };
    Analysis {
        manuscript,
        notes,
        library,
        diagnostics,
    }
}

impl Resolver {
    fn flag(&mut self, code: Code, note: &Note, cite: &Cite, message: String) {
        self.diagnostics.push(Diagnostic::new(
            code,
            Some(&note.id),
            Some(note.map.locate(cite.span)),
            message,
        ));
    }

    /// Folds work `id` again (after a change) and indexes it by title and first family name (or,
    /// without names, its publishing bodies).
    fn refresh(&mut self, id: WorkId) {
        let folded = Folded::of(&self.works[id]);
        if !folded.title.is_empty() {
            let list = self.by_title.entry(folded.title.clone()).or_default();
            if !list.contains(&id) {
                list.push(id);
            }
        }
        // by its first family name, or (a work without names) by the bodies that publish it
        let names = folded.families.first().map(|(_, f)| f);
        for family in names.into_iter().chain(folded.bodies.iter().take(2)) {
            let list = self.by_family.works_mut(family);
            if !list.contains(&id) {
                list.push(id);
            }
        }
        for title in [&folded.title, &folded.title_short] {
            for n in 1..=title.len().min(2) {
                let list = self.by_title_start.entry(title[..n].to_vec()).or_default();
                // ids come in order, but a work refreshed again may come twice
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        if folded.families.is_empty() {
            for word in folded.title.iter().chain(&folded.title_short) {
                self.nameless.entry(word.clone()).or_default().insert(id);
            }
        }
        if id == self.folded.len() {
            self.folded.push(folded);
        } else {
            self.folded[id] = folded;
        }
    }

    /// A full citation: the same work as an earlier one with the same authors and title, or new.
    fn full(&mut self, cite: &Cite, note_index: usize) -> WorkId {
        let fields = &cite.fields;
        let mine = Folded::of(fields);
        if !mine.title.is_empty() {
            let same = self.by_title.get(&mine.title).and_then(|ids| {
                ids.iter().copied().find(|&id| {
                    name_fit(&mine, &self.folded[id], Tolerance::Manuscript) >= NameFit::Absent
                        && (fields.author.is_empty() == self.works[id].author.is_empty())
                })
            });
            if let Some(id) = same {
                self.works[id].fill_missing(fields);
                self.refresh(id);
                return id;
            }
        }
        let mut work = fields.clone();
        work.id.clear();
        self.works.push(work);
        self.first_note.push(note_index);
        let id = self.works.len() - 1;
        self.refresh(id);
        id
    }

    /// The works a citation naming these (folded) authors may cite: those whose first family name
    /// is the same or one letter away. When the citation names nobody, those whose title or short
    /// title starts with the first words of its `title` (folded): a short form without a name fits
    /// only a title it equals or begins ([`TitleFit::Prefix`] at least, see `short`), and an op.
    /// cit. without a name fits nothing.
    fn candidates(&self, families: &[(String, String)], title: &[String]) -> Vec<WorkId> {
        let mut ids: Vec<WorkId> = Vec::new();
        match families.first() {
            // no name is one letter from a name this short (see below): only the name itself,
            // without gathering the many short names that share a deletion with it
            Some((_, first)) if first.len() < 5 => ids.extend(self.by_family.works(first)),
            Some((_, first)) => self.by_family.visit_near(
                first,
                |family| {
                    first.len() >= 5
                        && family.len().abs_diff(first.len()) <= 1
                        && fold::edit_distance(family, first) == 1
                },
                |list| ids.extend(list),
            ),
            None => ids.extend(
                self.by_title_start
                    .get(&title[..title.len().min(2)])
                    .into_iter()
                    .flatten(),
            ),
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Ibid: the citation before it in the note, or the single work of the note before.
    fn ibid(
        &mut self,
        cite: &Cite,
        note: &Note,
        here: &[Option<WorkId>],
        previous: &Previous,
    ) -> Option<WorkId> {
        if let Some(&last) = here.last() {
            if last.is_none() {
                self.flag(
                    Code::DanglingIbid,
                    note,
                    cite,
                    "Ibid. follows a citation in this note that could not be resolved".into(),
                );
            }
            return last;
        }
        match previous {
            Previous::Nothing => {
                self.flag(
                    Code::DanglingIbid,
                    note,
                    cite,
                    "Ibid. in the first note has nothing to refer to".into(),
                );
                None
            }
            Previous::NoCitation => {
                self.flag(
                    Code::DanglingIbid,
                    note,
                    cite,
                    "Ibid. follows a note that cites nothing".into(),
                );
                None
            }
            Previous::Works(works) => {
                let mut distinct: Vec<Option<WorkId>> = Vec::new();
                for w in works {
                    if !distinct.contains(w) {
                        distinct.push(*w);
                    }
                }
                match distinct.as_slice() {
                    [Some(id)] => Some(*id),
                    [None] => {
                        self.flag(
                            Code::DanglingIbid,
                            note,
                            cite,
                            "Ibid. refers to a citation in the previous note that could not be resolved"
                                .into(),
                        );
                        None
                    }
                    _ => {
                        let names: Vec<String> = distinct
                            .iter()
                            .flatten()
                            .map(|&id| describe(&self.works[id]))
                            .collect();
                        self.flag(
                            Code::AmbiguousIbid,
                            note,
                            cite,
                            format!(
                                "Ibid. follows a note that cites {} works ({}): which one is meant?",
                                distinct.len(),
                                names.join("; ")
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    /// A short form: the unique earlier work whose authors and title fit.
    fn short(&mut self, cite: &Cite, note: &Note, note_index: usize) -> Option<WorkId> {
        let fields = &cite.fields;
        let mine = Folded::of(fields);
        let mut best: Vec<(WorkId, NameFit, TitleFit)> = Vec::new();
        let mut candidates = self.candidates(&mine.families, &mine.title);
        // an organisation whose name the short form repeats whole (`Human Rights Watch`)
        if let Some(whole) = mine.whole.first().filter(|_| mine.families.len() == 1) {
            candidates.extend(self.by_family.works(whole));
        }
        if mine.families.is_empty() {
            // (a word no nameless title holds: none fits)
            let rarest = mine
                .title
                .iter()
                .map(|w| self.nameless.get(w).map_or(0, |l| l.len()))
                .zip(&mine.title)
                .min();
            if let Some((_, word)) = rarest {
                candidates.extend(self.nameless.get(word).into_iter().flatten());
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        // a work without names is cited by its short title, which a short form without quotes or
        // italics reads as a person's names (`Cybersecurity Law, 150`, as ibid renders the short
        // form of a law): the nameless work whose title begins with, or whose short title is,
        // the whole name (its title fit beats the bare surname's fit of a person named Law)
        if fields.title.is_none() && mine.families.len() == 1 {
            if let Some(words) = mine.whole.first().map(|w| fold::words(w)) {
                let start = &words[..words.len().min(2)];
                for &id in self.by_title_start.get(start).into_iter().flatten() {
                    let theirs = &self.folded[id];
                    let t = title_fit(&words, theirs, Tolerance::Manuscript);
                    if theirs.families.is_empty() && t >= TitleFit::Prefix {
                        best.push((id, NameFit::Absent, t));
                    }
                }
            }
        }
        for id in candidates {
            let a = name_fit(&mine, &self.folded[id], Tolerance::Manuscript);
            let t = title_fit(&mine.title, &self.folded[id], Tolerance::Manuscript);
            let nameless = self.folded[id].families.is_empty();
            let accepted = match (a, t) {
                (NameFit::None, _) | (_, TitleFit::None) => false,
                (NameFit::Absent, TitleFit::Absent) => false,
                // a work without names is cited by key words of its title (CMOS 14.32)
                (NameFit::Absent, TitleFit::Subset) => nameless,
                (NameFit::Absent, t) => t >= TitleFit::Prefix,
                (NameFit::Variant, TitleFit::Absent) => false,
                _ => true,
            };
            if accepted {
                best.push((id, a, t));
            }
        }
        // Among several candidates, the better title fit wins, then the better author fit.
        if best.len() > 1 {
            let top = best
                .iter()
                .map(|&(_, a, t)| (t, a))
                .max()
                .unwrap_or((TitleFit::None, NameFit::None));
            best.retain(|&(_, a, t)| (t, a) == top);
        }
        match best.as_slice() {
            [] => {
                let what = describe(fields);
                self.flag(
                    Code::UnresolvedShortForm,
                    note,
                    cite,
                    format!("short form {what} has no full citation in an earlier note"),
                );
                // It starts a work of its own, so that its later short forms link to it.
                Some(self.full(cite, note_index))
            }
            [(id, a, t)] => {
                let id = *id;
                if *a == NameFit::Variant {
                    let written: Vec<&str> =
                        fields.author.iter().map(Name::family_or_literal).collect();
                    let known: Vec<&str> = self.works[id].families();
                    self.flag(
                        Code::NameVariant,
                        note,
                        cite,
                        format!(
                            "author written `{}` here but `{}` in the full citation",
                            written.join(", "),
                            known.join(", ")
                        ),
                    );
                }
                if learn_compound_family(&mut self.works[id], fields.lead_names()) {
                    self.refresh(id);
                }
                let cmos = *t == TitleFit::Subset
                    && self.works[id]
                        .title
                        .as_deref()
                        .is_some_and(|full| matching::is_cmos_short_title(&mine.title, full));
                if *t == TitleFit::Subset && !cmos {
                    self.flag(
                        Code::TitleVariant,
                        note,
                        cite,
                        format!(
                            "short title `{}` is not the beginning of the full title `{}`",
                            fields.title.as_deref().unwrap_or(""),
                            self.works[id].title.as_deref().unwrap_or("")
                        ),
                    );
                }
                // the author's own short title, when it is the title's first words or follows
                // CMOS 14.32, is the one later short forms print; so is a whole title of four
                // words or fewer and no subtitle (`The Second Sex`), short already
                if let (TitleFit::Prefix | TitleFit::Subset | TitleFit::Equal, Some(short)) =
                    (t, fields.title.as_deref())
                {
                    let short_already = *t == TitleFit::Equal
                        && crate::model::work::main_title(short).is_none()
                        && short.split_whitespace().count()
                            - usize::from(
                                short.starts_with("A ")
                                    || short.starts_with("An ")
                                    || short.starts_with("The "),
                            )
                            <= 4;
                    if (*t == TitleFit::Prefix || cmos || short_already)
                        && self.works[id].title_short.is_none()
                        && (short_already || mine.title != self.folded[id].title)
                    {
                        self.works[id].title_short = Some(short.trim().to_owned());
                        self.refresh(id);
                    }
                }
                Some(id)
            }
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|&(id, _, _)| describe(&self.works[id]))
                    .collect();
                self.flag(
                    Code::AmbiguousShortForm,
                    note,
                    cite,
                    format!(
                        "short form fits {} earlier works: {}",
                        several.len(),
                        names.join("; ")
                    ),
                );
                None
            }
        }
    }

    /// op. cit.: the last work cited of that author.
    fn op_cit(&mut self, cite: &Cite, note: &Note) -> Option<WorkId> {
        let fields = &cite.fields;
        let mine = Folded::of(fields);
        let candidates = self.candidates(&mine.families, &mine.title);
        if fields.title.is_some() {
            // `Author, Title, op. cit., 12` is a short form with a title.
            let found = candidates.iter().rev().copied().find(|&id| {
                name_fit(&mine, &self.folded[id], Tolerance::Manuscript) >= NameFit::Variant
                    && title_fit(&mine.title, &self.folded[id], Tolerance::Manuscript)
                        >= TitleFit::Subset
            });
            if found.is_some() {
                return found;
            }
        }
        let last =
            candidates.iter().rev().copied().find(|&id| {
                name_fit(&mine, &self.folded[id], Tolerance::Manuscript) == NameFit::Exact
            });
        if last.is_none() {
            self.flag(
                Code::UnresolvedShortForm,
                note,
                cite,
                format!(
                    "op. cit. of {}: no earlier work of this author",
                    describe(fields)
                ),
            );
        }
        last
    }

    /// Checks over the whole library: missing dates, dates the URL contradicts, names spelled two
    /// ways across works.
    fn library_checks(&mut self, ms: &Manuscript, notes: &[ParsedNote]) {
        // where each work is first cited in full (for positions), found in one pass
        let mut first_fulls: HashMap<WorkId, (&Note, &Cite)> = HashMap::new();
        for (n, p) in ms.notes.iter().zip(notes) {
            for c in p.cites.iter().filter(|c| c.kind == CiteKind::Full) {
                if let Some(id) = c.work {
                    first_fulls.entry(id).or_insert((n, c));
                }
            }
        }
        let first_full = |id: WorkId| first_fulls.get(&id).copied();
        let mut found = Vec::new();
        for (id, work) in self.works.iter().enumerate() {
            let Some((note, cite)) = first_full(id) else {
                continue;
            };
            // a bare title (a link's text, a phrase of prose) is not a work to date; `n.d.` says
            // the author knows there is none
            if work.issued.is_none()
                && work.accessed.is_none()
                && work.is_described()
                && !says_undated(cite.span.slice(&note.text))
            {
                found.push((
                    Code::MissingDate,
                    note,
                    cite,
                    format!("{} is cited without a date of publication", describe(work)),
                ));
            }
            if let (Some(url), Some(year)) = (work.url.as_deref(), work.year()) {
                if let Some((uy, um)) = url_date(url) {
                    let month_differs = matches!((um, work.issued.as_ref().and_then(|d| d.month())), (Some(a), Some(b)) if a != b);
                    if uy != year || month_differs {
                        let given = work
                            .issued
                            .as_ref()
                            .map(|d| {
                                d.date_parts
                                    .first()
                                    .map(|p| {
                                        p.iter().map(i32::to_string).collect::<Vec<_>>().join("-")
                                    })
                                    .unwrap_or_default()
                            })
                            .unwrap_or_default();
                        let in_url = um.map_or(uy.to_string(), |m| format!("{uy}-{m:02}"));
                        found.push((
                            Code::DateContradictsUrl,
                            note,
                            cite,
                            format!("the note dates the work {given}, but its URL says {in_url}"),
                        ));
                    }
                }
            }
        }
        // One person, two spellings: same surname, given names close but different, in two works.
        let mut people: Vec<(&Name, WorkId)> = Vec::new();
        for (id, work) in self.works.iter().enumerate() {
            for name in work.author.iter().chain(&work.editor) {
                people.push((name, id));
            }
        }
        // Every pair of people, in order, that `name_variant` may accept (not all pairs).
        let with_family: Vec<(usize, near::Person)> = people
            .iter()
            .enumerate()
            .filter_map(|(i, (name, _))| {
                let family = name.family.as_deref()?;
                let given = name.given.as_deref().unwrap_or("");
                Some((
                    i,
                    ((family, given), (fold::family(family), fold::key(given))),
                ))
            })
            .collect();
        let keys: Vec<_> = with_family.iter().map(|(_, k)| k.clone()).collect();
        let mut reported: std::collections::HashSet<(String, String)> = Default::default();
        for (i, j) in near::variant_pairs(&keys) {
            let ((a, wa), (b, wb)) = (people[with_family[i].0], people[with_family[j].0]);
            if wa == wb {
                continue;
            }
            if let Some(msg) = name_variant(a, b) {
                let pair = (fold::key(&full_name(a)), fold::key(&full_name(b)));
                if !reported.insert(pair) {
                    continue;
                }
                if let Some((note, cite)) = first_full(wb) {
                    found.push((Code::NameVariant, note, cite, msg));
                }
            }
        }
        let found: Vec<(Code, Note, Cite, String)> = found
            .into_iter()
            .map(|(c, n, ct, m)| (c, n.clone(), ct.clone(), m))
            .collect();
        for (code, note, cite, message) in found {
            self.flag(code, &note, &cite, message);
        }
    }
}

/// A short form names a person by the family name alone (CMOS 14.29), so a short form that writes
/// more than the full citation's family name (`García Márquez` for `Gabriel García Márquez`,
/// read there as given `Gabriel García`) shows where the family name starts: the work's first name
/// becomes family `García Márquez`, given `Gabriel`; and one that writes the whole name again
/// (`Human Rights Watch`) shows it is one name, an organisation's. Returns whether it changed.
fn learn_compound_family(work: &mut Work, written: &[Name]) -> bool {
    let Some(Name {
        given: Some(extra),
        family: Some(family),
        ..
    }) = written.first()
    else {
        return false;
    };
    // the extra words are whole capitalised words, not initials
    if extra
        .split_whitespace()
        .any(|w| w.ends_with('.') || !w.starts_with(char::is_uppercase))
    {
        return false;
    }
    let Some(name) = work.lead_names_mut().first_mut() else {
        return false;
    };
    let (Some(given), Some(known)) = (&name.given, &name.family) else {
        return false;
    };
    if known != family {
        return false;
    }
    // the whole name again (`Human Rights Watch` in both): not a person's given and family names
    // but one name, an organisation's
    if given == extra {
        let literal = format!("{given} {known}");
        *name = Name {
            literal: Some(literal),
            ..Name::default()
        };
        return true;
    }
    let Some(first) = given
        .strip_suffix(extra.as_str())
        .and_then(|g| g.strip_suffix(' '))
        .filter(|g| !g.trim().is_empty())
    else {
        return false;
    };
    let (first, compound) = (first.trim().to_owned(), format!("{extra} {known}"));
    name.given = Some(first);
    name.family = Some(compound);
    true
}

fn full_name(name: &Name) -> String {
    match (&name.given, &name.family) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        _ => name.family_or_literal().to_owned(),
    }
}

/// Two names of one person spelled two ways: same surname with different given names that are
/// neither initials of each other nor clearly different people; or surnames one letter apart
/// (or differing only in accents) with the same given name.
fn name_variant(a: &Name, b: &Name) -> Option<String> {
    let (fa, fb) = (a.family.as_deref()?, b.family.as_deref()?);
    let (ga, gb) = (
        a.given.as_deref().unwrap_or(""),
        b.given.as_deref().unwrap_or(""),
    );
    let (kfa, kfb) = (fold::family(fa), fold::family(fb));
    let (kga, kgb) = (fold::key(ga), fold::key(gb));
    let compatible_given = |x: &str, y: &str| {
        let (x, y): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
        x.first().zip(y.first()).is_none_or(|(p, q)| {
            p == q || (p.len() == 1 && q.starts_with(p)) || (q.len() == 1 && p.starts_with(q))
        })
    };
    if kfa == kfb && fa != fb && compatible_given(&kga, &kgb) {
        return Some(format!(
            "`{}` and `{}`: one name spelled two ways",
            full_name(a),
            full_name(b)
        ));
    }
    if kfa == kfb && !kga.is_empty() && !kgb.is_empty() && kga != kgb {
        let (p, q) = (kga.split(' ').next()?, kgb.split(' ').next()?);
        if p.len() > 2 && q.len() > 2 && p != q && fold::edit_distance(p, q) <= 2 {
            return Some(format!(
                "`{}` and `{}`: the same author's given name spelled two ways?",
                full_name(a),
                full_name(b)
            ));
        }
    }
    if kfa != kfb
        && kfa.len() >= 5
        && fold::edit_distance(&kfa, &kfb) == 1
        && !kga.is_empty()
        && kga == kgb
    {
        return Some(format!(
            "`{}` and `{}`: one name spelled two ways",
            full_name(a),
            full_name(b)
        ));
    }
    None
}

/// The year (and month) a URL's path carries, as in `/2017/06/`.
fn url_date(url: &str) -> Option<(i32, Option<i32>)> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        if part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = part.parse().ok()?;
            if !(1990..=2100).contains(&year) {
                continue;
            }
            let month = parts
                .get(i + 1)
                .filter(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|m| m.parse::<i32>().ok())
                .filter(|m| (1..=12).contains(m));
            return Some((year, month));
        }
    }
    None
}

/// A short description of a work for messages: `Lewis, China’s Global Internet Ambitions`.
fn describe(work: &Work) -> String {
    let who = work.families().join(" and ");
    let title = work.title.as_deref().unwrap_or("(no title)");
    let title: String = if title.chars().count() > 60 {
        title.chars().take(57).chain("...".chars()).collect()
    } else {
        title.to_owned()
    };
    if who.is_empty() {
        format!("“{title}”")
    } else {
        format!("{who}, “{title}”")
    }
}

/// Does a citation say that its work has no date (`n.d.`, `no date`, `undated`)?
fn says_undated(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "n.d.", "n. d.", "n.d,", "n.d)", "no date", "undated", "s.d.",
    ]
    .iter()
    .any(|m| lower.contains(m))
        || lower.trim_end().ends_with("n.d")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::{Locator, LocatorLabel};
    use crate::model::span::{SourceMap, Span};
    use crate::model::WorkType;
    use std::path::PathBuf;

    fn person(family: &str, given: &str) -> Name {
        Name::person(family, Some(given.to_owned()))
    }

    fn work(authors: &[(&str, &str)], title: &str) -> Work {
        Work {
            kind: WorkType::Book,
            author: authors.iter().map(|(f, g)| person(f, g)).collect(),
            title: Some(title.into()),
            ..Work::default()
        }
    }

    fn cite(kind: CiteKind, fields: Work, page: Option<&str>) -> Cite {
        Cite {
            kind,
            span: Span::new(0, 1),
            signal: None,
            locator: page.map(|p| Locator {
                label: LocatorLabel::Page,
                value: p.into(),
                span: Span::new(0, 1),
            }),
            fields,
            work: None,
        }
    }

    fn short(family: &str, title: Option<&str>) -> Work {
        Work {
            author: if family.is_empty() {
                vec![]
            } else {
                vec![Name::person(family, None)]
            },
            title: title.map(str::to_owned),
            ..Work::default()
        }
    }

    /// Resolves a manuscript whose notes are the given parsed notes.
    fn run(notes: Vec<ParsedNote>) -> Analysis {
        let ms = Manuscript {
            path: PathBuf::from("t.txt"),
            format: crate::manuscript::Format::Text,
            text: "x".repeat(notes.len()),
            markers: vec![],
            notes: (0..notes.len())
                .map(|i| Note {
                    id: (i + 1).to_string(),
                    number: i + 1,
                    label: None,
                    span: Span::new(i, i + 1),
                    text: "x".into(),
                    map: SourceMap::verbatim(i, 1),
                    emphasis: vec![],
                })
                .collect(),
            diagnostics: vec![],
        };
        resolve(ms, notes)
    }

    fn note(cites: Vec<Cite>) -> ParsedNote {
        ParsedNote {
            cites,
            commentary: false,
            findings: vec![],
        }
    }

    fn codes(a: &Analysis) -> Vec<(Option<String>, Code)> {
        a.diagnostics
            .iter()
            .map(|d| (d.note.clone(), d.code))
            .collect()
    }

    /// A law cited by its short title, which the grammar reads as a person's names (`Cybersecurity
    /// Law, 150`, as ibid renders the short form of a work without names): the work is the
    /// nameless one whose title begins with them, not a new one by a Mr Law.
    #[test]
    fn a_nameless_works_short_title_read_as_names() {
        let law = Work {
            kind: WorkType::Legislation,
            title: Some("Cybersecurity Law of the People’s Republic of China".into()),
            ..Work::default()
        };
        let as_names = Work {
            author: vec![person("Law", "Cybersecurity")],
            ..Work::default()
        };
        let a = run(vec![
            note(vec![cite(CiteKind::Full, law, Some("141"))]),
            note(vec![cite(CiteKind::Short, as_names.clone(), Some("150"))]),
        ]);
        assert_eq!(a.notes[1].cites[0].work, Some(0), "{:?}", codes(&a));
        assert!(
            !codes(&a).contains(&(Some("2".into()), Code::UnresolvedShortForm)),
            "{:?}",
            codes(&a)
        );
        // a person of that surname cited before: the names cite that person's work
        let essay = work(&[("Law", "John")], "Cybersecurity and Its Discontents");
        let a = run(vec![
            note(vec![cite(CiteKind::Full, essay, Some("3"))]),
            note(vec![cite(CiteKind::Short, as_names, Some("150"))]),
        ]);
        assert_eq!(a.notes[1].cites[0].work, Some(0), "{:?}", codes(&a));
    }

    #[test]
    fn ibid_chains_and_breaks() {
        let lewis = work(&[("Lewis", "Dev")], "China’s Global Internet Ambitions");
        let a = run(vec![
            note(vec![cite(CiteKind::Ibid, Work::default(), None)]),
            note(vec![cite(CiteKind::Full, lewis.clone(), Some("4"))]),
            note(vec![cite(CiteKind::Ibid, Work::default(), Some("5"))]),
            note(vec![cite(CiteKind::Ibid, Work::default(), None)]),
            ParsedNote {
                cites: vec![],
                commentary: true,
                findings: vec![],
            },
            note(vec![cite(CiteKind::Ibid, Work::default(), None)]),
            note(vec![cite(CiteKind::Ibid, Work::default(), None)]),
        ]);
        let works: Vec<Option<WorkId>> = a
            .notes
            .iter()
            .map(|n| n.cites.first().and_then(|c| c.work))
            .collect();
        assert_eq!(
            works,
            vec![None, Some(0), Some(0), Some(0), None, None, None]
        );
        let c = codes(&a);
        assert!(c.contains(&(Some("1".into()), Code::DanglingIbid)));
        assert!(c.contains(&(Some("6".into()), Code::DanglingIbid)));
        // the failed link does not chain: note 7 is flagged, not resolved through note 6
        assert!(c.contains(&(Some("7".into()), Code::DanglingIbid)));
        assert_eq!(a.library.works[0].id, "lewis-chinas");
    }

    #[test]
    fn ibid_after_two_works_is_ambiguous_unless_within_the_note() {
        let a1 = work(&[("Adler", "Emanuel")], "International Practices");
        let b1 = work(&[("Nye", "Joseph S.")], "The Regime Complex");
        let a = run(vec![
            note(vec![
                cite(CiteKind::Full, a1.clone(), None),
                cite(CiteKind::Full, b1.clone(), None),
                cite(CiteKind::Ibid, Work::default(), Some("3")),
            ]),
            note(vec![cite(CiteKind::Ibid, Work::default(), None)]),
        ]);
        assert_eq!(a.notes[0].cites[2].work, Some(1));
        assert_eq!(a.notes[1].cites[0].work, None);
        assert!(codes(&a).contains(&(Some("2".into()), Code::AmbiguousIbid)));
    }

    #[test]
    fn a_short_form_shows_where_a_compound_family_name_starts() {
        let full = work(
            &[("Márquez", "Gabriel García")],
            "Love in the Time of Cholera",
        );
        let mut written = short("Márquez", Some("Cholera"));
        written.author[0].given = Some("García".into());
        let a = run(vec![
            note(vec![cite(CiteKind::Full, full, Some("242"))]),
            note(vec![cite(CiteKind::Short, written, Some("33"))]),
        ]);
        // one work, no short form left unresolved
        assert_eq!(a.library.works.len(), 1, "{:?}", codes(&a));
        let name = &a.library.works[0].author[0];
        assert_eq!(name.family.as_deref(), Some("García Márquez"));
        assert_eq!(name.given.as_deref(), Some("Gabriel"));
        // initials are not a family name's first part
        let full_then_short = |full: Work, written: Work| {
            run(vec![
                note(vec![cite(CiteKind::Full, full, None)]),
                note(vec![cite(CiteKind::Short, written, None)]),
            ])
        };
        let full = work(&[("Kelly", "John D.")], "Seeing Red");
        let mut written = short("Kelly", Some("Seeing Red"));
        written.author[0].given = Some("D.".into());
        let a = full_then_short(full, written);
        assert_eq!(
            a.library.works[0].author[0].family.as_deref(),
            Some("Kelly")
        );
        // the whole name again: an organisation
        let full = work(&[("Watch", "Human Rights")], "They Know Everything We Do");
        let mut written = short("Watch", Some("They Know Everything We Do"));
        written.author[0].given = Some("Human Rights".into());
        let a = full_then_short(full, written);
        let name = &a.library.works[0].author[0];
        assert_eq!(name.literal.as_deref(), Some("Human Rights Watch"));
    }

    #[test]
    fn short_forms_match_unique_work_and_learn_short_titles() {
        let lam = work(
            &[("Lam", "Willy Wo-Lap")],
            "The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?",
        );
        let lee = work(
            &[("Lee", "Jyh-An")],
            "Hacking into China’s Cybersecurity Law",
        );
        let lee2 = work(&[("Lee", "Jyh-An")], "Privacy in China");
        let a = run(vec![
            note(vec![cite(CiteKind::Full, lam.clone(), Some("6"))]),
            note(vec![cite(CiteKind::Full, lee.clone(), Some("64"))]),
            note(vec![cite(
                CiteKind::Short,
                short("Lam", Some("The agenda of Xi Jinping")),
                Some("6"),
            )]),
            note(vec![cite(
                CiteKind::Short,
                short("Lee", Some("Hacking into China's Cybersecurity Law")),
                Some("60"),
            )]),
            note(vec![cite(CiteKind::Full, lee2.clone(), None)]),
            note(vec![cite(CiteKind::Short, short("Lee", None), Some("3"))]),
            note(vec![cite(
                CiteKind::Short,
                short("Thérien", Some("Global Governance")),
                None,
            )]),
            note(vec![cite(
                CiteKind::Short,
                short("Therien", Some("Global Governance")),
                None,
            )]),
        ]);
        assert_eq!(a.notes[2].cites[0].work, Some(0));
        assert_eq!(a.notes[3].cites[0].work, Some(1));
        assert_eq!(
            a.library.works[0].title_short.as_deref(),
            Some("The agenda of Xi Jinping")
        );
        // `Lee, 3.` after two works by Lee: ambiguous, unresolved
        assert_eq!(a.notes[5].cites[0].work, None);
        let c = codes(&a);
        assert!(c.contains(&(Some("6".into()), Code::AmbiguousShortForm)));
        // a short form with no antecedent is flagged and starts a work; its variant links to it
        assert!(c.contains(&(Some("7".into()), Code::UnresolvedShortForm)));
        assert_eq!(a.notes[7].cites[0].work, a.notes[6].cites[0].work);
        assert!(c.contains(&(Some("8".into()), Code::NameVariant)));
    }

    #[test]
    fn full_citation_twice_is_one_work_and_fields_merge() {
        let mut first = work(&[("Segal", "Adam")], "Chinese Cyber Diplomacy");
        let mut second = first.clone();
        second.publisher = Some("Hoover Institution".into());
        second.issued = Some(crate::model::Date::ymd(2017, None, None));
        first.url = Some("https://example.org/2016/05/x".into());
        let a = run(vec![
            note(vec![cite(CiteKind::Full, first, None)]),
            note(vec![cite(CiteKind::Full, second, Some("3"))]),
        ]);
        assert_eq!(a.library.works.len(), 1);
        assert_eq!(
            a.library.works[0].publisher.as_deref(),
            Some("Hoover Institution")
        );
        assert_eq!(a.library.works[0].id, "segal2017");
        let c = codes(&a);
        assert!(
            c.contains(&(Some("1".into()), Code::DateContradictsUrl)),
            "{c:?}"
        );
        assert!(!c.iter().any(|(_, code)| *code == Code::MissingDate));
    }

    #[test]
    fn missing_date_and_name_variants_across_works() {
        let a = run(vec![
            note(vec![cite(
                CiteKind::Full,
                work(
                    &[("Wintrobe", "Ronald")],
                    "The Political Economy of Dictatorship",
                ),
                None,
            )]),
            note(vec![cite(
                CiteKind::Full,
                work(&[("Wintrobe", "Ronnald")], "Rational Extremism"),
                None,
            )]),
            note(vec![cite(
                CiteKind::Full,
                work(&[("Lewis", "Dev")], "Ambitions"),
                None,
            )]),
            note(vec![cite(
                CiteKind::Full,
                work(&[("Lewis", "John")], "Other"),
                None,
            )]),
        ]);
        let c = codes(&a);
        assert!(c.contains(&(Some("2".into()), Code::NameVariant)), "{c:?}");
        assert!(!c.contains(&(Some("4".into()), Code::NameVariant)), "{c:?}");
        assert_eq!(
            c.iter()
                .filter(|(_, code)| *code == Code::MissingDate)
                .count(),
            4
        );
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            url_date("https://thediplomat.com/2017/06/chinas-law/"),
            Some((2017, Some(6)))
        );
        assert_eq!(
            url_date("https://example.org/report/2019"),
            Some((2019, None))
        );
        assert_eq!(url_date("https://example.org/1234/x"), None);
    }
}
