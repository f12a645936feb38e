//! Volumes, issues, pages, editions: the numbers of the facts of publication.

use super::words::set_if_none;
use crate::grammar::date::whole_date;
use crate::model::{Date, Work};

/// Dashes between digits as one en dash (`45-67` -> `45–67`, `45 - 67`, `45--67`).
pub(super) fn dash_norm(s: &str) -> String {
    let t = s.trim().trim_end_matches(['.', ',', ';']);
    let mut out = String::new();
    let mut prev_digit = false;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '-' | '—' | '‒' | '\u{2011}' | '\u{2010}') && prev_digit {
            while chars.peek() == Some(&'-') || chars.peek() == Some(&' ') {
                chars.next();
            }
            out = out.trim_end().to_owned();
            out.push('–');
            prev_digit = false;
            continue;
        }
        if c == ' ' && prev_digit && matches!(chars.peek(), Some('-') | Some('–')) {
            continue;
        }
        if c == '–' {
            out = out.trim_end().to_owned();
            out.push('–');
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            prev_digit = false;
            continue;
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// `1992-1995`, `1992-95`: a range of years.
pub(super) fn year_range(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    let mut parts = t.splitn(2, ['-', '–', '—']);
    let a = parts.next().unwrap_or("").trim();
    let b = parts.next().unwrap_or("").trim();
    let (Ok(x), Ok(y)) = (a.parse::<i32>(), b.parse::<i32>()) else {
        return false;
    };
    if !crate::grammar::locator::looks_like_year(a) {
        return false;
    }
    (b.len() == 4 && y >= x && y - x < 60) || (b.len() == 2 && y > x % 100)
}

/// `45-67`, `A12–A19`: a range of pages.
pub(super) fn is_page_range(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    let mut parts = t.splitn(2, ['-', '–', '—']);
    let a = parts.next().unwrap_or("").trim();
    let b = parts.next().map(|x| x.trim_start_matches('-').trim());
    let num = |x: &str| {
        let x = x.trim_start_matches(|c: char| c.is_ascii_uppercase() && c != 'I');
        !x.is_empty() && x.len() <= 6 && x.chars().all(|c| c.is_ascii_digit())
    };
    num(a) && b.is_some_and(num)
}

/// `45`, `3(1)`, `2 (4)`, `12(3-4)`, `45:3`: volume and optional issue.
pub(super) fn volume_issue(s: &str) -> Option<(String, Option<String>)> {
    let t = s.trim().trim_end_matches(['.', ',', ':']);
    let (vol, rest) = match t.find(['(', ':']) {
        Some(k) => (&t[..k], Some(&t[k..])),
        None => (t, None),
    };
    // `110.1`: volume and issue
    if rest.is_none() {
        if let Some((v, i)) = vol.split_once('.') {
            let digits =
                |x: &str| !x.is_empty() && x.len() <= 4 && x.chars().all(|c| c.is_ascii_digit());
            if digits(v) && digits(i) {
                return Some((v.to_owned(), Some(i.to_owned())));
            }
        }
    }
    let vol = vol.trim();
    if vol.is_empty() || vol.len() > 6 || !vol.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let issue = match rest {
        None => None,
        Some(r) => {
            let inner = r
                .strip_prefix('(')
                .and_then(|x| x.strip_suffix(')'))
                .or_else(|| r.strip_prefix(':'))?
                .trim();
            if inner.is_empty()
                || inner.len() > 12
                || !inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-–/ .".contains(c))
            {
                return None;
            }
            Some(dash_norm(inner))
        }
    };
    Some((vol.to_owned(), issue))
}

/// Year, volume, issue and pages at the end of a journal reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct JournalTail {
    /// A year before a `;` (`2008;47(1):45-67`).
    pub year: Option<i32>,
    /// The volume.
    pub volume: String,
    /// The issue.
    pub issue: Option<String>,
    /// The pages, dashes normalised.
    pub pages: Option<String>,
}

/// `47(1):45-67`, `47 (1): 45–67`, `26: 5988-93`, `45`, `3(1)`, `2008;47(1):45-67`:
/// year, volume, issue and pages.
pub(super) fn journal_tail(t: &str) -> Option<JournalTail> {
    let t = t.trim().trim_end_matches(['.', ',']);
    let (year, t) = match t.split_once(';') {
        Some((y, rest)) => {
            let d = whole_date(y)?;
            (d.year(), rest.trim())
        }
        None => (None, t),
    };
    let (head, pages) = match t.split_once(':') {
        Some((h, p)) => {
            let p = p.trim();
            let p = p
                .strip_prefix("pp.")
                .or_else(|| p.strip_prefix("p."))
                .unwrap_or(p)
                .trim();
            if !is_page_range(p) && (p.len() > 6 || !p.chars().all(|c| c.is_ascii_alphanumeric())) {
                return None;
            }
            (h.trim(), Some(dash_norm(p)))
        }
        None => (t, None),
    };
    let (volume, issue) = volume_issue(head)?;
    Some(JournalTail {
        year,
        volume,
        issue,
        pages,
    })
}

/// Sets the work's empty date, volume, issue and pages from a journal tail.
pub(super) fn apply_tail(w: &mut Work, tail: JournalTail) {
    if let (None, Some(y)) = (&w.issued, tail.year) {
        w.issued = Some(Date::ymd(y, None, None));
    }
    set_if_none(&mut w.volume, &tail.volume);
    if let Some(i) = tail.issue {
        set_if_none(&mut w.issue, &i);
    }
    if let Some(p) = tail.pages {
        set_if_none(&mut w.page, &p);
    }
}

/// `2nd ed.`, `rev. ed.`, `3. Aufl.`: the edition (its number when it has one).
pub(crate) fn edition(piece: &str) -> Option<String> {
    let t = piece.trim().trim_end_matches('.');
    let lower = t.to_ascii_lowercase();
    for suffix in [" edition", " edn", " ed", " éd", " aufl", " auflage"] {
        if let Some(head) = lower.strip_suffix(suffix) {
            let head_orig = &t[..head.len()];
            let h = head.trim();
            if h.is_empty() || h.split_whitespace().count() > 2 {
                return None;
            }
            if h.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "rev.", "revised", "new", "expanded", "updated", "second", "third", "fourth",
                    "fifth", "first", "2d", "3d", "rev", "enlarged",
                ]
                .iter()
                .any(|w| h.starts_with(w))
            {
                let v = head_orig.trim();
                let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
                return Some(if digits.is_empty() {
                    v.to_owned()
                } else {
                    digits
                });
            }
        }
    }
    None
}
