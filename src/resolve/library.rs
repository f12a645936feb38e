//! Resolving a manuscript's works against the user's own bibliography (`--library FILE`).
//!
//! After the resolver has built the manuscript's library from the notes, each of its works is
//! looked up in the user's library with [`matching::find`]: a work that matches one entry
//! becomes that entry (its key and every field come from the user's bibliography, and two works of
//! the notes that match the same entry become one); a work that matches several entries is
//! flagged ([`Code::AmbiguousLibraryMatch`]) and kept as the notes give it; a work that matches
//! none is reported ([`Code::NotInLibrary`], an info, or a warning with `strict`). A pandoc
//! citation `[@key]` whose key is in the library resolves to that entry directly.

use std::collections::HashMap;

use crate::grammar::{self, ParsedNote};
use crate::manuscript::Manuscript;
use crate::model::diagnostic::{Code, Diagnostic, Severity};
use crate::model::span::Span;
use crate::model::{keys, Library, WorkId};
use crate::resolve::matching::{self, Match};
use crate::resolve::pandoc;
use crate::resolve::{self, Analysis};

/// What resolving against a library did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// Works of the notes replaced by a library entry (citations by `[@key]` not counted).
    pub matched: usize,
    /// Works that matched no entry.
    pub missing: usize,
    /// Works that matched several entries.
    pub ambiguous: usize,
}

/// The pandoc citation key a citation's text gives (`@lee2018` in `[@lee2018, p. 4]`), if any.
fn pandoc_key(text: &str) -> Option<&str> {
    let at = text.find('@')?;
    // An e-mail address is not a citation key.
    if at > 0
        && text[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric())
    {
        return None;
    }
    let rest = &text[at + 1..];
    let rest = rest.strip_prefix('{').unwrap_or(rest);
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_alphanumeric() || "_-".contains(c) || (":.#$%&+?<>~/".contains(c) && i > 0))
        })
        .map_or(rest.len(), |(i, _)| i);
    let key = rest[..end].trim_end_matches(|c: char| ":.#$%&+?<>~/".contains(c));
    (!key.is_empty()).then_some(key)
}

/// Reads, parses and resolves a manuscript with the user's library: pandoc citations
/// (`[@key, p. 4]`) of keys the library has become citations of those entries before the
/// resolver runs (so that an Ibid after one follows it), then [`resolve_against`].
pub fn analyse_with(
    manuscript: Manuscript,
    user: &Library,
    strict: bool,
) -> (Analysis, Resolution) {
    let notes: Vec<ParsedNote> = manuscript
        .notes
        .iter()
        .map(|n| {
            let mut parsed = grammar::parse_note(&n.text, &n.emphasis);
            pandoc::add_cites(&n.text, &mut parsed, user);
            parsed
        })
        .collect();
    let mut analysis = resolve::resolve(manuscript, notes);
    let found = resolve_against(&mut analysis, user, strict);
    (analysis, found)
}

/// Replaces the works of `analysis` by the entries of `user` they match, relinks every citation,
/// and adds the findings. With `strict`, a work missing from the library is a warning.
pub fn resolve_against(analysis: &mut Analysis, user: &Library, strict: bool) -> Resolution {
    let parsed = std::mem::take(&mut analysis.library.works);
    let mut works = Vec::new();
    let mut from_user: HashMap<WorkId, WorkId> = HashMap::new();
    let mut remap: Vec<WorkId> = Vec::with_capacity(parsed.len());
    let mut outcome: Vec<Match> = Vec::with_capacity(parsed.len());
    let mut report = Resolution::default();

    let mut take_user = |u: WorkId, works: &mut Vec<crate::model::Work>| -> WorkId {
        *from_user.entry(u).or_insert_with(|| {
            works.push(user.works[u].clone());
            works.len() - 1
        })
    };

    for work in &parsed {
        let mut probe = work.clone();
        probe.id.clear();
        let found = matching::find(&probe, user);
        let index = match &found {
            Match::One(u) => take_user(*u, &mut works),
            Match::None | Match::Ambiguous(_) => {
                works.push(work.clone());
                works.len() - 1
            }
        };
        remap.push(index);
        outcome.push(found);
    }

    // Relink the citations; pandoc keys go straight to their entry.
    let mut first_cite: HashMap<WorkId, (String, Option<Span>)> = HashMap::new();
    let mut unknown_keys: HashMap<String, WorkId> = HashMap::new();
    let mut key_findings: Vec<Diagnostic> = Vec::new();
    for (note, parsed_note) in analysis
        .manuscript
        .notes
        .iter()
        .zip(analysis.notes.iter_mut())
    {
        for cite in parsed_note.cites.iter_mut() {
            let text = cite.span.slice(&note.text);
            let key = Some(cite.fields.id.as_str())
                .filter(|k| !k.is_empty())
                .or_else(|| pandoc_key(text))
                .map(str::to_owned);
            if let Some(key) = key {
                match user.by_key(&key) {
                    Some(u) => cite.work = Some(take_user(u, &mut works)),
                    None => {
                        // A key the library lacks: one work under that key, reported once.
                        let index = *unknown_keys.entry(key.clone()).or_insert_with(|| {
                            works.push(crate::model::Work {
                                id: key.clone(),
                                ..Default::default()
                            });
                            let mut d = Diagnostic::new(
                                Code::NotInLibrary,
                                Some(&note.id),
                                note.map.span(cite.span),
                                format!("the key @{key} is not in the library"),
                            );
                            if strict {
                                d.severity = Severity::Warning;
                            }
                            key_findings.push(d);
                            works.len() - 1
                        });
                        cite.work = Some(index);
                    }
                }
                continue;
            }
            if let Some(old) = cite.work {
                first_cite
                    .entry(old)
                    .or_insert_with(|| (note.id.clone(), note.map.span(cite.span)));
                cite.work = remap.get(old).copied();
            }
        }
    }

    report.missing += key_findings.len();
    analysis.diagnostics.append(&mut key_findings);

    // Findings, for the works still cited other than by key.
    for (old, found) in outcome.iter().enumerate() {
        let Some((note, span)) = first_cite.get(&old).cloned() else {
            continue;
        };
        let note = Some(note);
        let what = describe(&parsed[old]);
        let diagnostic = match found {
            Match::One(_) => {
                report.matched += 1;
                continue;
            }
            Match::None => {
                report.missing += 1;
                let mut d = Diagnostic::new(
                    Code::NotInLibrary,
                    note.as_deref(),
                    span,
                    format!("{what} is not in the library"),
                );
                if strict {
                    d.severity = Severity::Warning;
                }
                d
            }
            Match::Ambiguous(ids) => {
                report.ambiguous += 1;
                let keys: Vec<&str> = ids.iter().map(|&i| user.works[i].id.as_str()).collect();
                Diagnostic::new(
                    Code::AmbiguousLibraryMatch,
                    note.as_deref(),
                    span,
                    format!(
                        "{what} matches {} library entries: {}",
                        keys.len(),
                        keys.join(", ")
                    ),
                )
            }
        };
        analysis.diagnostics.push(diagnostic);
    }
    analysis
        .diagnostics
        .sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));

    // Drop works no citation points at any more (all their citations went by key), then give
    // the works of the notes keys that do not clash with the library's.
    let used: std::collections::HashSet<WorkId> = analysis
        .notes
        .iter()
        .flat_map(|n| n.cites.iter().filter_map(|c| c.work))
        .collect();
    let mut renumber: Vec<Option<WorkId>> = vec![None; works.len()];
    let mut kept = Vec::new();
    let user_slots: std::collections::HashSet<WorkId> = from_user.values().copied().collect();
    for (i, w) in works.into_iter().enumerate() {
        if used.contains(&i) || user_slots.contains(&i) {
            renumber[i] = Some(kept.len());
            kept.push((w, user_slots.contains(&i)));
        }
    }
    for note in analysis.notes.iter_mut() {
        for cite in note.cites.iter_mut() {
            cite.work = cite.work.and_then(|w| renumber.get(w).copied().flatten());
        }
    }
    // Library keys first, so that a work of the notes never takes one.
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|&i| !kept[i].1);
    let mut keyed: Vec<crate::model::Work> = order
        .iter()
        .map(|&i| {
            let (w, from_lib) = &kept[i];
            let mut w = w.clone();
            if !from_lib && user.by_key(&w.id).is_some() {
                w.id.clear();
            }
            w
        })
        .collect();
    keys::fill_missing_keys(&mut keyed);
    let mut final_works = vec![crate::model::Work::default(); kept.len()];
    for (pos, &i) in order.iter().enumerate() {
        final_works[i] = keyed[pos].clone();
    }
    analysis.library.works = final_works;
    report
}

/// `Lewis, “China’s Global Internet Ambitions”` for messages.
fn describe(work: &crate::model::Work) -> String {
    let who = work.families().first().map(|s| s.to_string());
    let title = work.title.clone().unwrap_or_else(|| "(untitled)".into());
    match who {
        Some(w) if !w.is_empty() => format!("{w}, “{title}”,"),
        _ => format!("“{title}”"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_keys() {
        assert_eq!(pandoc_key("[@lee2018, p. 4]"), Some("lee2018"));
        assert_eq!(pandoc_key("@lewis-chinas"), Some("lewis-chinas"));
        assert_eq!(pandoc_key("see @{doe:2019}."), Some("doe:2019"));
        assert_eq!(pandoc_key("write to a@b.org"), None);
        assert_eq!(pandoc_key("Lewis, China’s"), None);
    }
}
