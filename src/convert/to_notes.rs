//! Convert an in-text (APA) manuscript into a notes one: each parenthetical citation whose works
//! resolve against the reference list becomes a note marker (after the clause's punctuation), the
//! notes are rendered in a note style, and the reference list becomes a bibliography. Existing
//! footnotes are kept and renumbered with the new notes; parentheticals that do not resolve stay.

use crate::error::Error;
use crate::grammar;
use crate::manuscript::{to_roman, Manuscript};
use crate::model::span::Span;
use crate::model::{CiteRecord, Work};
use crate::render::{self, NoteSeq, RenderInput, Style};

/// The result of [`to_notes`].
#[derive(Debug, Clone)]
pub struct Notes {
    /// The new text.
    pub text: String,
    /// Parentheticals that became notes.
    pub converted: usize,
    /// Parentheticals left as they were (a work that did not resolve, or not a citation).
    pub left: usize,
    /// Reference-list entries read.
    pub references: usize,
    /// What the renderer changed or skipped.
    pub warnings: Vec<String>,
}

const REFERENCE_HEADINGS: &[&str] = &[
    "references",
    "reference list",
    "bibliography",
    "works cited",
    "literature cited",
];

/// One citation of a parenthetical, as read.
#[derive(Debug, Clone, PartialEq)]
struct InText {
    signal: Option<String>,
    author: String,
    year: Option<String>,
    locator: Option<(String, String)>,
}

/// The reference list: its heading's start and its entries (as works, keyed `ref1`...); `None`
/// without a reference-list heading.
pub fn reference_list(text: &str) -> Option<(usize, Vec<Work>)> {
    let mut offset = 0;
    let mut heading = None;
    for line in text.split_inclusive('\n') {
        let t = line
            .trim()
            .trim_start_matches('#')
            .trim()
            .trim_end_matches(':')
            .to_lowercase();
        if REFERENCE_HEADINGS.contains(&t.as_str()) {
            heading = Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    let (start, body) = heading?;
    let mut works = Vec::new();
    for line in text[body..].lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut work = grammar::parse_reference(line);
        // An entry has a date (or `n.d.`, or a URL instead); other lines (a page footer) are not
        // references.
        let dated = work.issued.is_some() || line.contains("n.d.") || line.contains("http");
        if !dated || (work.author.is_empty() && work.title.is_none()) {
            continue;
        }
        work.id = format!("ref{}", works.len() + 1);
        works.push(work);
    }
    Some((start, works))
}

/// Reads one part of a parenthetical (`see Lewis & Smith, 2017, pp. 4–13`).
fn read_part(part: &str) -> Option<InText> {
    let part = part.trim();
    let lower = part.to_lowercase();
    let mut signal = None;
    let mut rest = part;
    for s in [
        "as cited in ",
        "cited in ",
        "quoted in ",
        "see also ",
        "see ",
        "cf. ",
        "e.g., ",
        "e.g. ",
    ] {
        if lower.starts_with(s) {
            signal = Some(s.trim().trim_end_matches(',').to_owned());
            rest = &part[s.len()..];
            break;
        }
    }
    // The year: the first `, 2017` / `, 2017a` / `, n.d.` piece.
    let pieces: Vec<&str> = rest.split(", ").collect();
    let at = pieces.iter().position(|p| is_year(p))?;
    if at == 0 {
        return None;
    }
    let author = pieces[..at].join(", ");
    let year = pieces[at].trim();
    let loc = pieces[at + 1..].join(", ");
    let locator = (!loc.trim().is_empty()).then(|| {
        let l = loc.trim();
        for (prefix, label) in [
            ("pp. ", "page"),
            ("p. ", "page"),
            ("paras. ", "paragraph"),
            ("para. ", "paragraph"),
            ("chap. ", "chapter"),
            ("sec. ", "section"),
        ] {
            if let Some(v) = l.strip_prefix(prefix) {
                return (label.to_owned(), v.to_owned());
            }
        }
        ("custom".to_owned(), l.to_owned())
    });
    Some(InText {
        signal,
        author,
        year: (year != "n.d.").then(|| year.trim_end_matches(char::is_alphabetic).to_owned()),
        locator,
    })
}

fn is_year(p: &str) -> bool {
    let p = p.trim();
    if p == "n.d." {
        return true;
    }
    let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
    digits.len() == 4 && p[4..].chars().all(|c| c.is_ascii_lowercase()) && p.len() <= 5
}

/// The work an in-text citation names: first author's surname (or an authorless work's title)
/// and year must both fit, and only one work may fit.
fn resolve(cite: &InText, works: &[Work]) -> Option<usize> {
    let first = cite
        .author
        .split(" & ")
        .next()
        .unwrap_or("")
        .split(" et al.")
        .next()
        .unwrap_or("")
        .trim();
    // Initials added for same-surname authors (`J. Lewis`).
    let surname = first
        .rsplit_once(". ")
        .map_or(first, |(_, s)| s)
        .trim_matches(['“', '”', '"', '*', '_']);
    let fits: Vec<usize> = works
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            let year_ok = match &cite.year {
                Some(y) => w.year().map(|v| v.to_string()) == Some(y.clone()),
                None => w.year().is_none(),
            };
            let name_ok = match w.author.first().or(w.editor.first()) {
                Some(n) => n.family_or_literal() == surname,
                None => w
                    .title
                    .as_deref()
                    .is_some_and(|t| !surname.is_empty() && t.starts_with(surname)),
            };
            year_ok && name_ok
        })
        .map(|(i, _)| i)
        .collect();
    (fits.len() == 1).then(|| fits[0])
}

/// The citations of a parenthetical with the index of each one's work; `None` when one does not
/// resolve.
type Resolved = Option<Vec<(InText, usize)>>;

/// A parenthetical in the body: its span (the space before it included) and its citations.
fn parentheticals(body: &str, works: &[Work]) -> Vec<(Span, Resolved)> {
    let mut out = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while let Some(open) = body[i..].find('(').map(|o| o + i) {
        let Some(close) = body[open + 1..]
            .find([')', '(', '\n'])
            .map(|c| c + open + 1)
        else {
            break;
        };
        if bytes[close] != b')' {
            i = close.max(open + 1);
            continue;
        }
        let inner = &body[open + 1..close];
        let parts: Option<Vec<InText>> = inner.split("; ").map(read_part).collect();
        if let Some(parts) = parts.filter(|p| !p.is_empty()) {
            let resolved: Resolved = parts
                .into_iter()
                .map(|p| resolve(&p, works).map(|w| (p, w)))
                .collect();
            let start = if open > 0 && bytes[open - 1] == b' ' {
                open - 1
            } else {
                open
            };
            out.push((Span::new(start, close + 1), resolved));
        }
        i = close + 1;
    }
    out
}

/// Rewrites an in-text manuscript into notes in `style` (a note style).
pub fn to_notes(ms: &Manuscript, style: &Style) -> Result<Notes, Error> {
    let text = &ms.text;
    let (refs_start, works) = reference_list(text).unwrap_or((text.len(), Vec::new()));
    let notes_start = if ms.notes.is_empty() {
        text.len()
    } else {
        super::to_author_date::notes_start(ms)
    };
    let body_end = refs_start.min(notes_start);
    let body = &text[..body_end];

    // Events in body order: an existing marker (keep its note) or a parenthetical.
    enum Event<'a> {
        Marker(&'a crate::manuscript::Marker),
        Paren(Vec<(InText, usize)>),
    }
    let mut events: Vec<(Span, Event)> = ms
        .markers
        .iter()
        .filter(|m| m.span.end <= body_end)
        .map(|m| (m.span, Event::Marker(m)))
        .collect();
    let mut left = 0;
    for (span, resolved) in parentheticals(body, &works) {
        match resolved {
            Some(r) => events.push((span, Event::Paren(r))),
            None => left += 1,
        }
    }
    events.sort_by_key(|(s, _)| s.start);

    let roman = ms
        .notes
        .first()
        .is_some_and(|n| n.id.parse::<usize>().is_err());
    let label = |n: usize| {
        if roman {
            format!("[{}]", to_roman(n))
        } else {
            format!("[{n}]")
        }
    };
    let mut input = RenderInput {
        works: works.clone(),
        notes: Vec::new(),
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut converted = 0;
    for (span, event) in &events {
        if span.start < at {
            continue;
        }
        let number = input.notes.len() + 1;
        out.push_str(&body[at..span.start]);
        at = span.end;
        match event {
            Event::Marker(m) => {
                out.push_str(&label(number));
                let note = ms.note(&m.id);
                input.notes.push(NoteSeq {
                    id: number.to_string(),
                    number,
                    citations: Vec::new(),
                    commentary: true,
                    text: note.map(|n| n.text.clone()),
                });
            }
            Event::Paren(cites) => {
                converted += 1;
                // The marker goes after the punctuation that follows the parenthetical.
                let punct: usize = body[at..]
                    .chars()
                    .take_while(|c| ".,;:?!".contains(*c))
                    .map(char::len_utf8)
                    .sum();
                out.push_str(&body[at..at + punct]);
                at += punct;
                out.push_str(&label(number));
                input.notes.push(NoteSeq {
                    id: number.to_string(),
                    number,
                    citations: cites
                        .iter()
                        .map(|(c, w)| CiteRecord {
                            work: Some(works[*w].id.clone()),
                            kind: "full".into(),
                            locator: c.locator.as_ref().map(|l| l.1.clone()),
                            label: c.locator.as_ref().map(|l| l.0.clone()),
                            signal: c.signal.clone(),
                            ..CiteRecord::default()
                        })
                        .collect(),
                    commentary: false,
                    text: None,
                });
            }
        }
    }
    out.push_str(&body[at..]);

    let rendered = render::render(&input, style)?;
    let line = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if !rendered.notes.is_empty() {
        out.push_str("Notes");
        out.push_str(line);
        out.push_str(line);
        for n in &rendered.notes {
            out.push_str(&label(n.number));
            out.push(' ');
            out.push_str(n.text.to_text().trim());
            out.push_str(line);
            out.push_str(line);
        }
    }
    out.push_str("Bibliography");
    out.push_str(line);
    out.push_str(line);
    // Every reference, cited or not: a bibliography from the whole list.
    let all = RenderInput {
        works: works.clone(),
        notes: works
            .iter()
            .enumerate()
            .map(|(i, w)| NoteSeq {
                id: format!("b{i}"),
                number: i + 1,
                citations: vec![CiteRecord {
                    work: Some(w.id.clone()),
                    kind: "full".into(),
                    ..CiteRecord::default()
                }],
                commentary: false,
                text: None,
            })
            .collect(),
    };
    for entry in render::render(&all, style)?.bibliography {
        out.push_str(&entry.text.to_text());
        out.push_str(line);
        out.push_str(line);
    }
    Ok(Notes {
        text: out,
        converted,
        left,
        references: works.len(),
        warnings: rendered.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_text_parts() {
        let p = read_part("see Lewis & Smith, 2017, pp. 4–13").unwrap();
        assert_eq!(p.signal.as_deref(), Some("see"));
        assert_eq!(p.author, "Lewis & Smith");
        assert_eq!(p.year.as_deref(), Some("2017"));
        assert_eq!(p.locator, Some(("page".into(), "4–13".into())));
        let p = read_part(
            "Cybersecurity Law of the People’s Republic of China, n.d., Chapter 1, Article 9",
        )
        .unwrap();
        assert_eq!(p.year, None);
        assert_eq!(
            p.locator,
            Some(("custom".into(), "Chapter 1, Article 9".into()))
        );
        assert!(read_part("internal passport").is_none());
        assert!(read_part("2017").is_none());
    }
}
