//! Dates as references write them: `2017`, `September 2016`, `23 January 2017`, `January 24, 2017`,
//! `June 1 2018`, `2017-06-01`, `Spring 2010`, `(2011a)`, `n.d.`.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while_m_n};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{opt, peek, verify};
use nom::{IResult, Parser};

use crate::model::Date;

const MONTHS: [(&str, u32); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("sept", 9),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// True for a month's name or abbreviation, in lower case (`june`, `sept`): a word of a date,
/// which a citation may hold without naming a field.
pub(crate) fn is_month(word: &str) -> bool {
    MONTHS.iter().any(|(m, _)| *m == word)
}

const SEASONS: [(&str, i32); 5] = [
    ("spring", 1),
    ("summer", 2),
    ("autumn", 3),
    ("fall", 3),
    ("winter", 4),
];

/// A month name or abbreviation (with an optional period).
pub(crate) fn month(s: &str) -> IResult<&str, u32> {
    let word_end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    let word = &s[..word_end];
    if word.len() < 3 || word.len() > 9 {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Tag,
        )));
    }
    for (name, n) in MONTHS {
        if word.eq_ignore_ascii_case(name) {
            let rest = &s[word_end..];
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            return Ok((rest, n));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        s,
        nom::error::ErrorKind::Tag,
    )))
}

fn not_digit_after(s: &str) -> IResult<&str, ()> {
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Digit,
        )))
    } else {
        Ok((s, ()))
    }
}

/// A four-digit year (1000–2999), with an optional letter (`2011a`).
pub(crate) fn year(s: &str) -> IResult<&str, i32> {
    let (rest, y) = verify(
        take_while_m_n(4, 4, |c: char| c.is_ascii_digit()),
        |d: &str| d.starts_with('1') || d.starts_with('2'),
    )
    .parse(s)?;
    let (mut rest, _) = not_digit_after(rest)?;
    let mut chars = rest.chars();
    if let (Some(l), next) = (chars.next(), chars.next()) {
        if l.is_ascii_lowercase() && !next.is_some_and(char::is_alphabetic) {
            rest = &rest[1..];
        }
    }
    Ok((rest, y.parse().unwrap_or(0)))
}

fn day(s: &str) -> IResult<&str, u32> {
    let (rest, d) = verify(
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        |d: &str| d.parse::<u32>().is_ok_and(|n| (1..=31).contains(&n)),
    )
    .parse(s)?;
    let (rest, _) = not_digit_after(rest)?;
    let (rest, _) = opt(alt((tag("st"), tag("nd"), tag("rd"), tag("th")))).parse(rest)?;
    Ok((rest, d.parse().unwrap_or(1)))
}

/// `23 January 2017`
fn day_month_year(s: &str) -> IResult<&str, Date> {
    let (rest, (d, _, m, _, y)) = (day, space1, month, space1, year).parse(s)?;
    Ok((rest, Date::ymd(y, Some(m), Some(d))))
}

/// `January 24, 2017`, `June 1 2018`
fn month_day_year(s: &str) -> IResult<&str, Date> {
    let (rest, (m, _, d, _, _, y)) = (month, space1, day, opt(char(',')), space0, year).parse(s)?;
    Ok((rest, Date::ymd(y, Some(m), Some(d))))
}

/// `June 4–11, 2012`, `June 4 and 11, 2012` (a double issue, CMOS 14.89): a range of days.
fn month_days_year(s: &str) -> IResult<&str, Date> {
    let (rest, (m, _, d1, _, d2, _, _, y)) = (
        month,
        space1,
        day,
        alt((tag("–"), tag("-"), tag(" and "), tag(" & "))),
        day,
        opt(char(',')),
        space0,
        year,
    )
        .parse(s)?;
    let mut date = Date::ymd(y, Some(m), Some(d1));
    date.date_parts.push(vec![y, m as i32, d2 as i32]);
    Ok((rest, date))
}

/// `2012, January 16` (APA)
fn year_comma_month_day(s: &str) -> IResult<&str, Date> {
    let (rest, (y, _, _, m, d)) = (year, char(','), space1, month, opt((space1, day))).parse(s)?;
    Ok((rest, Date::ymd(y, Some(m), d.map(|(_, d)| d))))
}

/// `2010 Mar 18`, `2010 Mar` (Vancouver)
fn year_month_day(s: &str) -> IResult<&str, Date> {
    let (rest, (y, _, m, d)) = (year, space1, month, opt((space1, day))).parse(s)?;
    Ok((rest, Date::ymd(y, Some(m), d.map(|(_, d)| d))))
}

/// `September 2016`, `Sept. 2016`
fn month_year(s: &str) -> IResult<&str, Date> {
    let (rest, (m, _, _, y)) = (month, opt(char(',')), space1, year).parse(s)?;
    Ok((rest, Date::ymd(y, Some(m), None)))
}

/// `2017-06-01`, `2017-06`
fn iso(s: &str) -> IResult<&str, Date> {
    let (rest, y) = year(s)?;
    let (rest, _) = char('-')(rest)?;
    let (rest, m) = verify(
        take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
        |d: &str| d.parse::<u32>().is_ok_and(|n| (1..=12).contains(&n)),
    )
    .parse(rest)?;
    let (rest, d) = opt((
        char('-'),
        take_while_m_n(2, 2, |c: char| c.is_ascii_digit()),
    ))
    .parse(rest)?;
    let m: u32 = m.parse().unwrap_or(1);
    let d = d.and_then(|(_, d)| d.parse::<u32>().ok());
    Ok((rest, Date::ymd(y, Some(m), d)))
}

/// `Spring 2010`
fn season_year(s: &str) -> IResult<&str, Date> {
    let word_end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    let word = &s[..word_end];
    let Some(&(_, season)) = SEASONS.iter().find(|(n, _)| word.eq_ignore_ascii_case(n)) else {
        return Err(nom::Err::Error(nom::error::Error::new(
            s,
            nom::error::ErrorKind::Tag,
        )));
    };
    let (rest, (_, y)) = (space1, year).parse(&s[word_end..])?;
    let mut date = Date::ymd(y, None, None);
    date.season = Some(season);
    Ok((rest, date))
}

/// `1992–1993`, `1992/93` kept as the first year.
fn year_only(s: &str) -> IResult<&str, Date> {
    let (rest, y) = year(s)?;
    let (rest, _) = opt((
        alt((tag("–"), tag("-"), tag("/"))),
        digit1,
        peek(nom::combinator::not(char('-'))),
    ))
    .parse(rest)?;
    Ok((rest, Date::ymd(y, None, None)))
}

/// `n.d.` (and `n. d.`)
fn no_date(s: &str) -> IResult<&str, Date> {
    let (rest, _) = alt((
        tag_no_case("n.d."),
        tag_no_case("n. d."),
        tag_no_case("n.d"),
        tag_no_case("n. d"),
        tag_no_case("nd."),
    ))
    .parse(s)?;
    Ok((rest, Date::default()))
}

/// One date at the start of `s`: the date and the rest.
///
/// The forms are tried in one order; those that start with a figure (a day or a year) and those
/// that start with a word (a month, a season, `n.d.`) are tried apart, since no form of the one
/// kind can read a start of the other (the grammar asks this of every word of a reference).
pub(crate) fn date(s: &str) -> IResult<&str, Date> {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_digit() => alt((
            day_month_year,
            iso,
            year_comma_month_day,
            year_month_day,
            year_only,
        ))
        .parse(s),
        Some(_) if month(s).is_ok() => alt((month_days_year, month_day_year, month_year)).parse(s),
        _ => alt((season_year, no_date)).parse(s),
    }
}

/// `s` (trimmed of spaces and light punctuation) is exactly one date.
pub(crate) fn whole_date(s: &str) -> Option<Date> {
    let t = s.trim().trim_end_matches(['.', ',', ';']).trim();
    let t = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    match date(t) {
        Ok((rest, d)) if rest.trim().is_empty() => Some(d),
        _ => None,
    }
}

/// `n.d.` alone (as [`whole_date`] takes it): a date the source says it does not have.
pub(crate) fn is_no_date(s: &str) -> bool {
    whole_date(s).is_some_and(|d| d == Date::default())
}

/// A date at the end of `s`: where it starts and the date. Tries the starts of the last few words.
pub(crate) fn trailing_date(s: &str) -> Option<(usize, Date)> {
    let t = s.trim_end().trim_end_matches(['.', ',']);
    let mut starts: Vec<usize> = t
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace()
                && (i == 0 || t[..i].ends_with(char::is_whitespace) || t[..i].ends_with(['(', ',']))
        })
        .map(|(i, _)| i)
        .collect();
    starts.reverse();
    let mut best = None;
    for i in starts.into_iter().take(4) {
        if let Some(d) = whole_date(&t[i..]) {
            if !d.date_parts.is_empty() || d.literal.is_some() {
                best = Some((i, d));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Vec<i32> {
        whole_date(s)
            .map(|d| d.date_parts[0].clone())
            .unwrap_or_default()
    }

    #[test]
    fn forms() {
        assert_eq!(parts("23 January 2017"), vec![2017, 1, 23]);
        assert_eq!(parts("January 24, 2017"), vec![2017, 1, 24]);
        assert_eq!(parts("June 1 2018"), vec![2018, 6, 1]);
        assert_eq!(parts("September 2016"), vec![2016, 9]);
        assert_eq!(parts("(2011)."), vec![2011]);
        assert_eq!(parts("2011a"), vec![2011]);
        assert_eq!(parts("2017-06-01"), vec![2017, 6, 1]);
        assert_eq!(parts("Aug. 3, 1999"), vec![1999, 8, 3]);
        // a double issue: a range of days
        let d = whole_date("June 4 and 11, 2012").unwrap();
        assert_eq!(d.date_parts, vec![vec![2012, 6, 4], vec![2012, 6, 11]]);
        assert_eq!(
            whole_date("June 4–11, 2012").unwrap().date_parts[1],
            vec![2012, 6, 11]
        );
        assert!(whole_date("Cambridge").is_none());
        assert!(whole_date("12345").is_none());
    }

    #[test]
    fn trailing() {
        let (at, d) = trailing_date("The Citizen Lab, January 24, 2017").unwrap();
        assert_eq!(at, 17);
        assert_eq!(d.date_parts[0], vec![2017, 1, 24]);
    }
}
