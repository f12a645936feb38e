//! Signals (`See`, `Cf.`, `cited in` ...) and the words of Ibid.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::character::complete::{char, multispace0, space0};
use nom::combinator::{opt, peek, recognize};
use nom::{IResult, Parser};

use crate::grammar::Signal;
use crate::model::span::Span;

/// Signals, longest first; (as written, normalised name).
const SIGNALS: &[(&str, &str)] = &[
    ("as quoted in", "as quoted in"),
    ("as cited in", "as cited in"),
    ("quoted in", "quoted in"),
    ("cited in", "cited in"),
    ("seen in", "seen in"),
    ("reprinted in", "reprinted in"),
    ("see also, e.g.,", "see also, e.g."),
    ("see also", "see also"),
    ("see also, for example,", "see also, for example"),
    ("see, for example,", "see, for example"),
    ("see for example", "see, for example"),
    ("see, for instance,", "see, for instance"),
    ("see, in particular,", "see, in particular"),
    ("see in particular", "see, in particular"),
    ("see, especially,", "see especially"),
    ("see, e.g.,", "see, e.g."),
    ("see e.g.,", "see, e.g."),
    ("see e.g.", "see, e.g."),
    ("see generally", "see generally"),
    ("see especially", "see especially"),
    ("see esp.", "see esp."),
    ("but see", "but see"),
    ("but cf.", "but cf."),
    ("see", "see"),
    ("cf.", "cf."),
    ("cf", "cf."),
    ("compare", "compare"),
    ("contra", "contra"),
    ("e.g.,", "e.g."),
    ("e.g.", "e.g."),
    ("for example,", "for example"),
    ("for example", "for example"),
    ("for instance,", "for instance"),
    ("for instance", "for instance"),
    ("accord", "accord"),
];

/// Signals that may stand in the middle of a sentence (`X cited in Lewis, ...`).
pub(super) const MID_SIGNALS: &[(&str, &str)] = &[
    (" as quoted in ", "as quoted in"),
    (" as cited in ", "as cited in"),
    (" quoted in ", "quoted in"),
    (" cited in ", "cited in"),
    (" seen in ", "seen in"),
    (" reprinted in ", "reprinted in"),
    (" see also ", "see also"),
    (" see ", "see"),
    (" cf. ", "cf."),
];

/// A signal read at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SignalMatch {
    /// The normalised name (`see`, `cf.`, `see, e.g.`).
    pub name: &'static str,
    /// The length of the signal as written, without a following `,` or `:`.
    pub written_len: usize,
    /// The bytes to skip to the citation (the signal, its punctuation and spaces).
    pub skip: usize,
}

impl SignalMatch {
    /// The signal, read at byte `at` of the note.
    pub(super) fn at(self, at: usize) -> Signal {
        Signal {
            name: self.name.to_owned(),
            span: Span::new(at, at + self.written_len),
        }
    }
}

/// A signal at the start of `s`.
pub(super) fn signal(s: &str) -> Option<SignalMatch> {
    // every signal starts with one of these words: a cheap test before the tags
    let first = s
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    if ![
        "as",
        "quoted",
        "cited",
        "seen",
        "reprinted",
        "see",
        "but",
        "cf",
        "compare",
        "contra",
        "e",
        "for",
        "accord",
    ]
    .iter()
    .any(|w| first.eq_ignore_ascii_case(w))
    {
        return None;
    }
    for &(written, name) in SIGNALS {
        let r: IResult<&str, &str> = tag_no_case(written).parse(s);
        if let Ok((rest, _)) = r {
            // a word boundary, then the citation
            let next = rest.chars().next();
            if next.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let sig_len = s.len() - rest.len();
            let written_len = s[..sig_len].trim_end_matches([',', ':']).len();
            let skip: IResult<&str, &str> =
                recognize((opt(alt((char(','), char(':')))), multispace0)).parse(rest);
            let (after, _) = skip.ok()?;
            if after.is_empty() {
                return None;
            }
            return Some(SignalMatch {
                name,
                written_len,
                skip: s.len() - after.len(),
            });
        }
    }
    None
}

/// `Ibid`, `Ibid.`, `ibid.`, `Ibidem`, `Id.`, and the same word in the languages notes are also
/// written in: `Ibíd.` (Spanish), `Ebd.` and `Ebenda` (German), `Ivi` (Italian): the length of
/// the word (with its period).
pub(super) fn ibid_word(s: &str) -> IResult<&str, &str> {
    let (rest, w) = recognize((
        alt((
            tag_no_case("ibidem"),
            tag_no_case("ibid"),
            tag("Ibíd"),
            tag("ibíd"),
            tag("Ebenda"),
            tag("ebenda"),
            tag("Ebd"),
            tag("ebd"),
            tag("Ivi"),
            tag("ivi"),
            tag("Id"),
            tag("id"),
        )),
        opt(char('.')),
    ))
    .parse(s)?;
    // `Idaho` is not `Id`
    let (rest, _) = peek(nom::combinator::not(nom::character::complete::satisfy(
        char::is_alphanumeric,
    )))
    .parse(rest)?;
    if w.eq_ignore_ascii_case("id") {
        // bare `Id` without a period is a word
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, w))
}

/// Separator between `Ibid.` and its locator: `, ` / ` ` / ` at `.
pub(super) fn ibid_sep(s: &str) -> IResult<&str, &str> {
    recognize((
        opt(char(',')),
        space0,
        opt((tag_no_case("at"), char(' '), space0)),
    ))
    .parse(s)
}
