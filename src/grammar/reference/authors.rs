//! What stands before the title: a list number, and the authors or editors.

use super::words::starts_ci;
use super::Mode;
use crate::grammar::date;
use crate::grammar::names::{self, NameList};

/// The length of a list number at the start (`33 `, `[12] `, `12. `, `(3) `) when a name or a
/// title follows it; else 0.
pub(super) fn strip_number_prefix(s: &str) -> usize {
    // `33 `, `[12] `, `12. `, `(3) `
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let b = t.as_bytes();
    let mut i = 0;
    let bracket = matches!(b.first(), Some(b'[') | Some(b'('));
    if bracket {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds || i - ds > 4 {
        return 0;
    }
    if bracket {
        if !matches!(b.get(i), Some(b']') | Some(b')')) {
            return 0;
        }
        i += 1;
    } else if b.get(i) == Some(&b'.') {
        i += 1;
    }
    let after = &t[i..];
    let rest = after.trim_start();
    if rest.len() == after.len() && !bracket {
        return 0;
    }
    if rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || "“\"‘".contains(c))
    {
        lead + t.len() - rest.len()
    } else {
        0
    }
}

/// Reads names at `i` in the mode's preferred order; returns them when a reference element follows.
/// `cut`: `text` ends where an italic title starts, which is such an element.
pub(super) fn read_names(text: &str, i: usize, mode: Mode, cut: bool) -> Option<NameList> {
    let valid = |l: &NameList| -> bool {
        let rest = &text[l.end..];
        let t = rest.trim_start();
        if t.is_empty() {
            return mode == Mode::Note || cut;
        }
        if cut && t.trim_start_matches([',', '.', ':', ' ']).is_empty() {
            return true;
        }
        let c = t.chars().next().unwrap_or(' ');
        if rest.len() == t.len() {
            // glued: `,` `.` `:`
            return matches!(c, ',' | '.' | ':' | ';');
        }
        // after a space: `(` year, a quote, or (science) a year
        "(“\"‘«".contains(c)
            || t.starts_with(|c: char| c.is_ascii_digit()) && date::year(t).is_ok()
            || (l
                .names
                .iter()
                .any(|n| n.given.as_deref().is_some_and(|g| g.ends_with('.')))
                && c.is_uppercase())
    };
    let inv = names::inverted(text, i).filter(|l| {
        valid(l) && {
            let t = text[l.end..].trim_start();
            // inverted names end with a period, a parenthesis or a year
            t.starts_with(['.', '(', ':'])
                || text[..l.end].ends_with('.')
                || date::year(t.trim_start_matches(',').trim_start()).is_ok()
                || (t.starts_with(',') && l.names.len() > 1)
                || (t.starts_with(';'))
        }
    });
    let giv = names::given_first(text, i).filter(valid);
    match mode {
        Mode::Bib => {
            // `Jennifer Lees-Marshment, Brian Conley, and ...` is given-first
            let two_word_family = inv.as_ref().is_some_and(|l| {
                l.names[0]
                    .family
                    .as_deref()
                    .is_some_and(|f| f.split_whitespace().count() >= 2 && !f.contains(['.']))
                    && l.names[0]
                        .given
                        .as_deref()
                        .is_some_and(|g| !g.ends_with('.'))
            });
            match (&inv, &giv) {
                (Some(_), Some(g)) if two_word_family && g.names.len() > 1 => giv,
                (Some(_), _) => inv,
                // `Spire, Alexis, Title` (one inverted name, then a comma)
                (None, _) => names::inverted(text, i)
                    .filter(|l| {
                        l.names.len() == 1
                            && text[l.end..].starts_with(", ")
                            && l.names[0]
                                .given
                                .as_deref()
                                .is_some_and(|g| g.split_whitespace().count() <= 2)
                            && giv
                                .as_ref()
                                .is_none_or(|g| g.names.len() == 1 && g.names[0].given.is_none())
                    })
                    .or(giv),
            }
        }
        Mode::Note => match (&giv, &inv) {
            // `Erica A. Cartmill and Richard W. Byrne, “…` (read inverted: `Erica, A.`),
            // `Giuseppe Bagatto, Louise C. Paquette, and …` (read inverted: `Giuseppe Bagatto,
            // Louise C.`): in a note, names are given first, and the given-first reading that
            // goes on past the inverted one is the list
            (Some(g), Some(v)) if g.end > v.end => giv,
            (Some(g), Some(v))
                if g.names.len() == 1
                    && g.names[0].given.is_none()
                    && (v.names.len() > 1
                        || text[v.end..].trim_start().starts_with(['.', '(']))
                    || text[..v.end].ends_with('.') =>
            {
                inv
            }
            // `Spärck Jones, Karen. "A Statistical ...`: bibliography form in a note
            (Some(g), Some(v))
                if g.names.len() == 1
                    && v.end > g.end
                    && text[v.end..].starts_with('.')
                    && text[v.end + 1..].trim_start().starts_with(['“', '"', '‘']) =>
            {
                inv
            }
            (Some(_), _) => giv,
            (None, _) => inv,
        },
    }
}

/// The marks of editors after their names.
const EDITOR_MARKS: &[&str] = &[
    "(eds.)",
    "(ed.)",
    "(eds)",
    "(ed)",
    "(hrsg.)",
    "(dir.)",
    "(coord.)",
    "(comp.)",
    "(editors)",
    "(editor)",
    ", eds.",
    ", ed.",
    ", editors",
    ", editor",
    " eds.",
    " ed.",
];

/// The marks of translators after their names, where a translator stands in the author's place
/// (`Richmond Lattimore, trans., *The Iliad of Homer*`, CMOS 14.6).
const TRANSLATOR_MARKS: &[&str] = &[
    "(trans.)",
    "(tr.)",
    "(translator)",
    "(translators)",
    ", trans.",
    ", translator",
    ", translators",
    " trans.",
];

/// Editors marker right after a name list: returns the byte after it.
pub(super) fn editor_mark(text: &str, i: usize) -> Option<usize> {
    role_mark(text, i, EDITOR_MARKS)
}

/// Translators marker right after a name list: returns the byte after it.
pub(super) fn translator_mark(text: &str, i: usize) -> Option<usize> {
    role_mark(text, i, TRANSLATOR_MARKS)
}

fn role_mark(text: &str, i: usize, marks: &[&str]) -> Option<usize> {
    let t = &text[i..];
    let lead = t.len() - t.trim_start().len();
    for m in marks {
        let mm = m.trim_start();
        let probe = if m.starts_with(' ') || m.starts_with(',') {
            t
        } else {
            &t[lead..]
        };
        let pm = if m.starts_with(' ') || m.starts_with(',') {
            *m
        } else {
            mm
        };
        if starts_ci(probe, pm) {
            let used = if probe.len() == t.len() { 0 } else { lead };
            return Some(i + used + pm.len());
        }
    }
    None
}
