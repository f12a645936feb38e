//! Pandoc citations in notes (`[see @lieberthal1992, pp. 4-6; @nye2014]`), resolved through the
//! user's library by their keys.
//!
//! A bracketed group holding `@key` items separated by `;` is read item by item: an optional
//! prefix (a signal such as `see`), the key (`@key` or `@{key}`, `-@key` to suppress the author),
//! and an optional locator after a comma or a space (`p. 4`, `pp. 4-6`, `chap. 3`, `12`). Only
//! keys the library has become citations; each is a full citation of that entry.

use crate::grammar::{Cite, CiteKind, Locator, LocatorLabel, ParsedNote, Signal};
use crate::model::span::Span;
use crate::model::Library;

/// One `@key` item of a pandoc citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PandocCite {
    /// The citation key.
    pub key: String,
    /// The item, from its prefix to the end of its locator, in the note's text.
    pub span: Span,
    /// A signal before the key (`see`), normalised to lower case without a final period.
    pub signal: Option<(String, Span)>,
    /// The locator after the key.
    pub locator: Option<(LocatorLabel, String, Span)>,
}

/// Signals, longest first (`but see` before `see`).
const SIGNALS: &[&str] = &[
    "see also", "but see", "compare", "contra", "accord", "e.g.", "see", "cf.", "cf",
];

/// The signal's normalised name: lower case; `cf` -> `cf.` as the grammar writes it.
fn signal_name(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower == "cf" {
        "cf.".into()
    } else {
        lower
    }
}

fn key_char(c: char) -> bool {
    c.is_alphanumeric() || "_-:.#$%&+?<>~/".contains(c)
}

/// Reads `p. 4`, `pp. 4-6`, `chap. 3`, `§ 2`, `paras. 3`, `12` into a label and a normalised
/// value; the labels are the grammar's.
fn locator(text: &str) -> Option<(LocatorLabel, String)> {
    let t = text.trim().trim_end_matches(['.', ',']);
    if t.is_empty() {
        return None;
    }
    // The grammar's table of labels, as in a typed note (`paras. 3` is paragraph 3).
    let (label, rest) = crate::grammar::locator_label(t)
        .map_or((LocatorLabel::Page, t), |(label, rest)| {
            (label, rest.trim())
        });
    if rest.is_empty() || !rest.chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    // Ranges with an en dash, as the grammar gives them.
    let value = rest.replace("--", "–").replace('-', "–");
    Some((label, value))
}

/// Every `@key` item of the pandoc citation groups in `text`.
pub fn find(text: &str) -> Vec<PandocCite> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = text[search..].find('[').map(|i| i + search) {
        let Some(close) = text[open..].find(']').map(|i| i + open) else {
            break;
        };
        search = close + 1;
        let inner = &text[open + 1..close];
        if !inner.contains('@') {
            continue;
        }
        // A signal just before the group (`See [@a, 4]`) belongs to its first item.
        let outer_signal = SIGNALS.iter().find_map(|sig| {
            let before = text[..open].trim_end();
            let cut = before.len().checked_sub(sig.len())?;
            let word = before.get(cut..)?;
            let starts_word = before[..cut]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric());
            (word.eq_ignore_ascii_case(sig) && starts_word)
                .then(|| (signal_name(sig), Span::new(cut, cut + word.len())))
        });
        let first_item = out.len();
        let mut item_start = open + 1;
        for item in inner.split(';') {
            let base = item_start;
            item_start += item.len() + 1;
            let Some(at) = item.find('@') else {
                continue;
            };
            // An e-mail address is not a key.
            if item[..at].chars().last().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let after = &item[at + 1..];
            let (key, key_end) = if let Some(braced) = after.strip_prefix('{') {
                match braced.find('}') {
                    Some(end) => (&braced[..end], at + 1 + end + 2),
                    None => continue,
                }
            } else {
                let end = after
                    .char_indices()
                    .find(|&(_, c)| !key_char(c))
                    .map_or(after.len(), |(i, _)| i);
                let key = after[..end].trim_end_matches(|c: char| ":.#$%&+?<>~/".contains(c));
                (key, at + 1 + key.len())
            };
            if key.is_empty() {
                continue;
            }
            let prefix = item[..at].trim_end_matches('-').trim();
            let signal = (!prefix.is_empty())
                .then(|| prefix.to_lowercase())
                .filter(|p| SIGNALS.contains(&p.as_str()))
                .map(|p| {
                    let start = base + item.find(prefix).unwrap_or(0);
                    (signal_name(&p), Span::new(start, start + prefix.len()))
                });
            let rest = &item[key_end..];
            let loc_text = rest.trim_start_matches([',', ' ']).trim_end();
            let loc = locator(loc_text).map(|(label, value)| {
                let start =
                    base + key_end + (rest.len() - rest.trim_start_matches([',', ' ']).len());
                (label, value, Span::new(start, start + loc_text.len()))
            });
            // As the grammar has it: the citation starts after its signal.
            let dash = usize::from(item[..at].ends_with('-'));
            let start = base + at - dash;
            let end = loc.as_ref().map_or(base + key_end, |(_, _, s)| s.end);
            let signal = signal.or_else(|| {
                (out.len() == first_item)
                    .then(|| outer_signal.clone())
                    .flatten()
            });
            out.push(PandocCite {
                key: key.to_owned(),
                span: Span::new(start, end),
                signal,
                locator: loc,
            });
        }
    }
    out
}

/// Adds to a parsed note the pandoc citations the grammar did not read, in text order; each
/// carries its library entry's fields and key, or only its key when the library lacks it.
pub fn add_cites(text: &str, parsed: &mut ParsedNote, library: &Library) {
    let mut added = false;
    for pc in find(text) {
        let fields = match library.by_key(&pc.key) {
            Some(entry) => library.works[entry].clone(),
            None => crate::model::Work {
                id: pc.key.clone(),
                ..Default::default()
            },
        };
        let overlaps = parsed
            .cites
            .iter()
            .any(|c| c.span.start < pc.span.end && pc.span.start < c.span.end);
        if overlaps {
            continue;
        }
        let cite = Cite {
            kind: CiteKind::Full,
            span: pc.span,
            signal: pc.signal.map(|(name, span)| Signal { name, span }),
            locator: pc
                .locator
                .map(|(label, value, span)| Locator { label, value, span }),
            fields,
            work: None,
        };
        let at = parsed
            .cites
            .iter()
            .position(|c| c.span.start > cite.span.start)
            .unwrap_or(parsed.cites.len());
        parsed.cites.insert(at, cite);
        added = true;
    }
    if added {
        // The note is commentary only if words remain outside its citation groups.
        let mut rest = String::new();
        let mut last = 0;
        let mut spans: Vec<Span> = parsed
            .cites
            .iter()
            .flat_map(|c| std::iter::once(c.span).chain(c.signal.as_ref().map(|s| s.span)))
            .collect();
        spans.sort_by_key(|s| s.start);
        for s in spans {
            rest.push_str(text.get(last..s.start.max(last)).unwrap_or(""));
            last = last.max(s.end);
        }
        rest.push_str(text.get(last..).unwrap_or(""));
        parsed.commentary = rest
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_items_signals_and_locators() {
        let text = "See [see @lieberthal1992, pp. 4-6; -@nye2014 12] and [@{doe:2019}].";
        let found = find(text);
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["lieberthal1992", "nye2014", "doe:2019"]);
        assert_eq!(found[0].signal.as_ref().map(|s| s.0.as_str()), Some("see"));
        let loc = found[0].locator.as_ref().unwrap();
        assert_eq!((loc.0, loc.1.as_str()), (LocatorLabel::Page, "4–6"));
        assert_eq!(loc.2.slice(text), "pp. 4-6");
        assert_eq!(found[0].span.slice(text), "@lieberthal1992, pp. 4-6");
        assert_eq!(found[1].locator.as_ref().unwrap().1, "12");
        assert_eq!(found[1].span.slice(text), "-@nye2014 12");
        assert!(found[1].signal.is_none());
        assert!(found[2].locator.is_none());
        assert!(find("Write to [a@b.org] or [no key].").is_empty());
        assert!(find("[@unclosed, p. 4").is_empty());
    }

    #[test]
    fn a_signal_before_the_group() {
        let text = "See [@a, 4; @b]. Cf. also [@c]. But see [@d]. Cf [@e].";
        let found = find(text);
        let sig = found[0].signal.as_ref().unwrap();
        assert_eq!((sig.0.as_str(), sig.1.slice(text)), ("see", "See"));
        assert!(found[1].signal.is_none());
        assert!(found[2].signal.is_none());
        assert_eq!(found[3].signal.as_ref().unwrap().0, "but see");
        assert_eq!(found[4].signal.as_ref().unwrap().0, "cf.");
    }

    #[test]
    fn chapter_and_section_labels() {
        let found = find("[@a, chap. 3; @b, § 2]");
        assert_eq!(found[0].locator.as_ref().unwrap().0, LocatorLabel::Chapter);
        assert_eq!(found[1].locator.as_ref().unwrap().0, LocatorLabel::Section);
    }

    #[test]
    fn labels_are_the_grammars() {
        // `paras. 3` is paragraph 3, as in a typed note (it was page "paras. 3")
        let text = "[@key, paras. 3; @b, para. 12; @c, lines 4-6; @d, p. 7; @e, 9]";
        let found = find(text);
        let locs: Vec<(LocatorLabel, &str)> = found
            .iter()
            .map(|c| {
                let l = c.locator.as_ref().unwrap();
                (l.0, l.1.as_str())
            })
            .collect();
        assert_eq!(
            locs,
            [
                (LocatorLabel::Paragraph, "3"),
                (LocatorLabel::Paragraph, "12"),
                (LocatorLabel::Line, "4–6"),
                (LocatorLabel::Page, "7"),
                (LocatorLabel::Page, "9"),
            ]
        );
        assert_eq!(found[0].locator.as_ref().unwrap().2.slice(text), "paras. 3");
        let typed = crate::grammar::parse_note("Lee, “Hacking,” paras. 3.", &[]);
        assert_eq!(
            typed.cites[0].locator.as_ref().map(|l| l.label),
            Some(LocatorLabel::Paragraph)
        );
    }
}
