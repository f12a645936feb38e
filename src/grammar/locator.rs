//! Locators: `12`, `4-13`, `493–94`, `pp. 4–13`, `p. 12n4`, `xiv`, `chap. 3`, `Article 9`, `§ 4`,
//! `para. 12`, `Chapter 1, Article 9` (compound).

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while1};
use nom::character::complete::{digit1, space0};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::LocatorLabel;

/// Label words, longest first within each family.
const LABELS: &[(&str, LocatorLabel)] = &[
    ("pages", LocatorLabel::Page),
    ("page", LocatorLabel::Page),
    ("pp.", LocatorLabel::Page),
    ("pp", LocatorLabel::Page),
    ("p.", LocatorLabel::Page),
    ("chapters", LocatorLabel::Chapter),
    ("chapter", LocatorLabel::Chapter),
    ("chaps.", LocatorLabel::Chapter),
    ("chap.", LocatorLabel::Chapter),
    ("chs.", LocatorLabel::Chapter),
    ("ch.", LocatorLabel::Chapter),
    ("articles", LocatorLabel::Article),
    ("article", LocatorLabel::Article),
    ("arts.", LocatorLabel::Article),
    ("art.", LocatorLabel::Article),
    ("sections", LocatorLabel::Section),
    ("section", LocatorLabel::Section),
    ("secs.", LocatorLabel::Section),
    ("sec.", LocatorLabel::Section),
    ("§§", LocatorLabel::Section),
    ("§", LocatorLabel::Section),
    ("paragraphs", LocatorLabel::Paragraph),
    ("paragraph", LocatorLabel::Paragraph),
    ("paras.", LocatorLabel::Paragraph),
    ("para.", LocatorLabel::Paragraph),
    ("¶¶", LocatorLabel::Paragraph),
    ("¶", LocatorLabel::Paragraph),
    ("notes", LocatorLabel::Note),
    ("note", LocatorLabel::Note),
    ("nn.", LocatorLabel::Note),
    ("n.", LocatorLabel::Note),
    ("lines", LocatorLabel::Line),
    ("line", LocatorLabel::Line),
    ("ll.", LocatorLabel::Line),
    ("l.", LocatorLabel::Line),
    ("folios", LocatorLabel::Folio),
    ("folio", LocatorLabel::Folio),
    ("fols.", LocatorLabel::Folio),
    ("fol.", LocatorLabel::Folio),
    ("ff.", LocatorLabel::Folio),
    ("volume", LocatorLabel::Volume),
    ("vols.", LocatorLabel::Volume),
    ("vol.", LocatorLabel::Volume),
];

/// A locator read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub label: LocatorLabel,
    pub value: String,
    /// The label was written.
    pub labelled: bool,
}

fn label(s: &str) -> IResult<&str, LocatorLabel> {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Tag,
        )));
    }
    // `n.d.` is a missing date, not note `d`
    if crate::grammar::date::whole_date(s.trim_end_matches(['.', ',', ';', ')']))
        .is_some_and(|d| d == crate::model::Date::default())
    {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Tag,
        )));
    }
    for &(word, lab) in LABELS {
        if let Ok((rest, _)) = tag_no_case::<_, _, nom::error::Error<&str>>(word).parse(s) {
            // a word label must end there (`page` but not `pagers`)
            if word.chars().last().is_some_and(char::is_alphabetic)
                && rest.chars().next().is_some_and(char::is_alphabetic)
            {
                continue;
            }
            let (rest, _) = space0(rest)?;
            return Ok((rest, lab));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        s,
        nom::error::ErrorKind::Tag,
    )))
}

/// A label word at the start of `s` (`p.`, `paras.`, `chap.`, `§` ...): the label and the text
/// after the word and its spaces. The one table of labels, for typed notes and pandoc citations.
pub(crate) fn label_prefix(s: &str) -> Option<(LocatorLabel, &str)> {
    let (rest, lab) = label(s).ok()?;
    Some((lab, rest))
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| "ivxlcdm".contains(c)) && s.len() <= 8
}

/// A page number with an optional note (`12n4`, `12 n. 4`) or letter (`12a`, `3r`).
fn number(s: &str) -> IResult<&str, &str> {
    recognize((
        digit1,
        opt(alt((
            recognize((
                opt(tag(" ")),
                alt((tag("nn."), tag("n."), tag("n"))),
                space0,
                digit1,
            )),
            recognize((
                take_while1(|c: char| c.is_ascii_lowercase()),
                nom::combinator::not(nom::character::complete::satisfy(|c| c.is_alphanumeric())),
            )),
        ))),
    ))
    .parse(s)
    .and_then(|(rest, n)| {
        // `12a` only for one letter
        let letters = n.chars().filter(char::is_ascii_alphabetic).count();
        if letters > 2 && !n.contains('n') {
            Err(nom::Err::Error(nom::error::Error::new(
                s,
                nom::error::ErrorKind::Verify,
            )))
        } else {
            Ok((rest, n))
        }
    })
}

fn roman(s: &str) -> IResult<&str, &str> {
    let (rest, r) = take_while1(|c: char| "ivxlcdm".contains(c))(s)?;
    if rest.chars().next().is_some_and(char::is_alphanumeric) || !is_roman(r) {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, r))
}

/// A labelled item may also be `IV`, `3.2`, `4(a)`.
fn labelled_item(s: &str) -> IResult<&str, &str> {
    let (_, t) =
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '(' || c == ')')(s)?;
    let t2 = t.trim_end_matches('.');
    let ok = t2.chars().next().is_some_and(|c| c.is_ascii_digit())
        || (t2.chars().all(|c| "IVXLCDMivxlcdm".contains(c)) && !t2.is_empty());
    if !ok {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Verify,
        )));
    }
    // leave a final period to the sentence
    let used = t2.len();
    Ok((&s[used..], &s[..used]))
}

fn dash(s: &str) -> IResult<&str, &str> {
    recognize((
        space0,
        // U+2011 and U+2010: the non-breaking hyphen a word processor writes (Word's
        // `w:noBreakHyphen`) and the hyphen proper
        alt((
            tag("–"),
            tag("—"),
            tag("‒"),
            tag("-"),
            tag("\u{2011}"),
            tag("\u{2010}"),
        )),
        opt(tag("-")),
        space0,
    ))
    .parse(s)
}

/// One value or range; `labelled` allows `IV`, `3.2`.
fn range(labelled: bool) -> impl Fn(&str) -> IResult<&str, String> {
    move |s: &str| {
        let item = |x| -> IResult<&str, &str> {
            if labelled {
                alt((number, labelled_item)).parse(x)
            } else {
                alt((number, roman)).parse(x)
            }
        };
        let (rest, a) = item(s)?;
        if let Ok((rest2, (_, b))) = (dash, item).parse(rest) {
            return Ok((rest2, format!("{a}–{b}")));
        }
        Ok((rest, a.to_owned()))
    }
}

fn list_sep(s: &str) -> IResult<&str, &str> {
    recognize((
        alt((tag(","), tag(" and"), tag(" &"))),
        nom::character::complete::space1,
    ))
    .parse(s)
}

/// A list of values: `4–13`, `12, 15`, `12 and 15`.
fn values(labelled: bool) -> impl Fn(&str) -> IResult<&str, (String, usize)> {
    move |s: &str| {
        let (mut rest, first) = range(labelled)(s)?;
        let mut out = first;
        let mut n = 1;
        while let Ok((r, sep)) = list_sep(rest) {
            let Ok((r2, v)) = range(labelled)(r) else {
                break;
            };
            out.push_str(sep.trim_end());
            out.push(' ');
            out.push_str(&v);
            rest = r2;
            n += 1;
        }
        Ok((rest, (out, n)))
    }
}

fn labelled(s: &str) -> IResult<&str, (LocatorLabel, String)> {
    let (rest, lab) = label(s)?;
    let (rest, (v, _)) = values(true)(rest)?;
    Ok((rest, (lab, v)))
}

/// A locator that fills all of `s` (surrounding spaces and a final period ignored).
pub(crate) fn whole(s: &str) -> Option<Found> {
    let t = s.trim().trim_end_matches(['.', ',', ';']).trim_end();
    if t.is_empty() {
        return None;
    }
    // labelled, possibly compound
    if let Ok((mut rest, (lab, v))) = labelled(t) {
        let mut parts = vec![(lab, v)];
        while let Ok((r, _)) = (tag::<_, _, nom::error::Error<&str>>(","), space0).parse(rest) {
            match labelled(r) {
                Ok((r2, p)) => {
                    parts.push(p);
                    rest = r2;
                }
                Err(_) => break,
            }
        }
        if !rest.trim().is_empty() {
            return None;
        }
        // `sec. 2, 3` after a newspaper, as the Manual cites its section: a singular label before
        // two figures names one section, then a page; kept as written
        let written = &t[..t.len() - label(t).map_or(t.len(), |(r, _)| r.len())];
        let singular = !written
            .trim_end()
            .trim_end_matches('.')
            .ends_with(['s', 'S']);
        if let [(LocatorLabel::Section | LocatorLabel::Chapter, value)] = parts.as_slice() {
            let items: Vec<&str> = value.split(", ").collect();
            if singular
                && written.chars().next().is_some_and(char::is_alphabetic)
                && items.len() == 2
                && items.iter().all(|i| i.bytes().all(|b| b.is_ascii_digit()))
            {
                return Some(Found {
                    label: LocatorLabel::Compound,
                    value: normalise_dashes(t),
                    labelled: true,
                });
            }
        }
        if parts.len() == 1 {
            let (label, value) = parts.pop()?;
            return Some(Found {
                label,
                value,
                labelled: true,
            });
        }
        return Some(Found {
            label: LocatorLabel::Compound,
            value: normalise_dashes(t),
            labelled: true,
        });
    }
    // an article's pages, then the page cited (`57–76, at 66`): kept as written
    if let Some((pages, at)) = t.split_once(", at ") {
        let whole_values = |x: &str| values(false)(x).is_ok_and(|(rest, _)| rest.trim().is_empty());
        if whole_values(pages) && whole_values(at) {
            return Some(Found {
                label: LocatorLabel::Compound,
                value: normalise_dashes(t),
                labelled: false,
            });
        }
    }
    // a volume and its pages (`2:45`, `36:306–10`, `iv:12`), as CMOS 14.23 cites a multivolume
    // work: kept whole, as written
    if let Some((vol, pages)) = t.split_once(':') {
        let volume = !vol.is_empty()
            && vol.len() <= 4
            && (vol.bytes().all(|b| b.is_ascii_digit()) || is_roman(vol));
        if volume && pages.starts_with(|c: char| c.is_ascii_digit()) {
            let (rest, (v, _)) = values(false)(pages).ok()?;
            if !rest.trim().is_empty() || looks_like_year(vol) {
                return None;
            }
            return Some(Found {
                label: LocatorLabel::Page,
                value: format!("{vol}:{v}"),
                labelled: false,
            });
        }
    }
    let (rest, (v, n)) = values(false)(t).ok()?;
    if !rest.trim().is_empty() {
        return None;
    }
    // a bare list holding a year is a date, not pages (`2014, 5`)
    if n > 1 && v.split([',', ' ', '–']).any(looks_like_year) {
        return None;
    }
    Some(Found {
        label: LocatorLabel::Page,
        value: v,
        labelled: false,
    })
}

/// A four-digit number between 1500 and 2099.
pub(crate) fn looks_like_year(s: &str) -> bool {
    s.len() == 4 && s.parse::<u32>().is_ok_and(|y| (1500..2100).contains(&y))
}

fn normalise_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        if matches!(c, '-' | '—' | '\u{2011}' | '\u{2010}') && between_digits {
            out.push('–');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<(LocatorLabel, String)> {
        whole(s).map(|f| (f.label, f.value))
    }

    #[test]
    fn pages() {
        assert_eq!(v("4-13"), Some((LocatorLabel::Page, "4–13".into())));
        assert_eq!(v("493–94."), Some((LocatorLabel::Page, "493–94".into())));
        assert_eq!(v("pp. 4-13"), Some((LocatorLabel::Page, "4–13".into())));
        // a non-breaking hyphen (Word's w:noBreakHyphen, LibreOffice's U+2011) is a hyphen
        assert_eq!(v("4\u{2011}13"), Some((LocatorLabel::Page, "4–13".into())));
        assert_eq!(
            v("pp. 4\u{2010}13"),
            Some((LocatorLabel::Page, "4–13".into()))
        );
        assert_eq!(v("p. 12n4"), Some((LocatorLabel::Page, "12n4".into())));
        assert_eq!(v("xiv"), Some((LocatorLabel::Page, "xiv".into())));
        assert_eq!(v("12, 15"), Some((LocatorLabel::Page, "12, 15".into())));
        assert_eq!(v("2014, 5"), None);
        assert_eq!(v("ASEAN"), None);
        assert_eq!(v("Cached Data"), None);
        // a volume and its pages (a multivolume work, CMOS 14.23)
        assert_eq!(v("4:243"), Some((LocatorLabel::Page, "4:243".into())));
        assert_eq!(
            v("36:306-10"),
            Some((LocatorLabel::Page, "36:306–10".into()))
        );
        assert_eq!(v("iv:12"), Some((LocatorLabel::Page, "iv:12".into())));
        // a newspaper's section and page, and sections by a plural label
        assert_eq!(
            v("sec. 2, 3"),
            Some((LocatorLabel::Compound, "sec. 2, 3".into()))
        );
        assert_eq!(
            v("secs. 2, 3"),
            Some((LocatorLabel::Section, "2, 3".into()))
        );
        assert_eq!(v("§ 2, 3"), Some((LocatorLabel::Section, "2, 3".into())));
        assert_eq!(v("1997:12"), None);
        assert_eq!(v("4:Title"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(v("chap. 3"), Some((LocatorLabel::Chapter, "3".into())));
        assert_eq!(v("§ 4"), Some((LocatorLabel::Section, "4".into())));
        assert_eq!(v("Article 9"), Some((LocatorLabel::Article, "9".into())));
        assert_eq!(
            v("Chapter 1, Article 9"),
            Some((LocatorLabel::Compound, "Chapter 1, Article 9".into()))
        );
        assert_eq!(v("Chapter IV"), Some((LocatorLabel::Chapter, "IV".into())));
    }
}
