//! Word lists and small text helpers the reference grammar shares.

use crate::grammar::scan::abbreviation_before;

/// ASCII case-insensitive search of `needle` in `hay` from byte `from`.
pub(super) fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    // ASCII case-insensitive search
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Skips spaces and the separators `,` `.` `:` `;`.
pub(super) fn skip_seps(text: &str, mut i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    while i < end && matches!(b[i], b' ' | b',' | b'.' | b':' | b';' | b'\t' | b'*') {
        i += 1;
    }
    i
}

/// `s` starts with `p`, ASCII case-insensitive.
pub(super) fn starts_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
}

/// Words of a report's series or genre.
pub(super) const REPORT_WORDS: &[&str] = &[
    "paper series",
    "working paper",
    "discussion paper",
    "policy brief",
    "report",
    "white paper",
    "occasional paper",
    "research paper",
    "technical paper",
    "briefing",
];
/// Words of a newspaper's name.
pub(super) const NEWS_WORDS: &[&str] = &[
    "times",
    "post",
    "news",
    "herald",
    "guardian",
    "tribune",
    "gazette",
    "telegraph",
    "daily",
    "chronicle",
    "independent",
    "observer",
    "journal of commerce",
    "wall street journal",
];
/// Words of a law's title.
pub(super) const LAW_WORDS: &[&str] = &[
    "law",
    "act",
    "regulation",
    "regulations",
    "constitution",
    "statute",
    "code",
    "decree",
    "ordinance",
    "treaty",
    "convention",
    "directive",
    "bill",
    "measures",
    "provisions",
];
/// Cities where books are published, as notes name them: enough to tell a place from a
/// publisher when the two are swapped (`Penguin: New York`). With a US state or a country after
/// a comma (`Ithaca, NY`, `Cambridge, MA`, `Oxford, UK`) the city alone is looked up.
const PUBLISHING_CITIES: &[&str] = &[
    "amsterdam",
    "ann arbor",
    "athens",
    "austin",
    "baltimore",
    "barcelona",
    "basingstoke",
    "beijing",
    "berkeley",
    "berlin",
    "bern",
    "bloomington",
    "boston",
    "boulder",
    "brussels",
    "buenos aires",
    "cambridge",
    "cape town",
    "charlottesville",
    "chapel hill",
    "cheltenham",
    "chicago",
    "copenhagen",
    "delhi",
    "durham",
    "edinburgh",
    "evanston",
    "florence",
    "frankfurt",
    "geneva",
    "glasgow",
    "göttingen",
    "hamburg",
    "hong kong",
    "honolulu",
    "ithaca",
    "jerusalem",
    "lanham",
    "lawrence",
    "leiden",
    "leipzig",
    "lincoln",
    "lisbon",
    "london",
    "los angeles",
    "madison",
    "madrid",
    "manchester",
    "melbourne",
    "mexico city",
    "milan",
    "minneapolis",
    "montreal",
    "moscow",
    "munich",
    "münchen",
    "nashville",
    "new brunswick",
    "new delhi",
    "new haven",
    "new york",
    "oakland",
    "oxford",
    "palo alto",
    "paris",
    "philadelphia",
    "pittsburgh",
    "princeton",
    "rome",
    "san francisco",
    "santa barbara",
    "são paulo",
    "seattle",
    "shanghai",
    "singapore",
    "stanford",
    "stockholm",
    "stuttgart",
    "sydney",
    "tokyo",
    "toronto",
    "tübingen",
    "urbana",
    "vancouver",
    "vienna",
    "warsaw",
    "washington",
    "wien",
    "zurich",
    "zürich",
];

/// Whether `text` names a publishing city, alone or followed by a state or country (`Ithaca,
/// NY`, `Washington, DC`).
pub(crate) fn is_publishing_city(text: &str) -> bool {
    let city = text.split(',').next().unwrap_or("").trim().to_lowercase();
    PUBLISHING_CITIES.contains(&city.as_str())
}

/// Words and names of book publishers (not institutions).
pub(super) const BOOK_PUBLISHER: &[&str] = &[
    "press",
    "publisher",
    "publishers",
    "publishing",
    "books",
    "verlag",
    "editions",
    "éditions",
    "routledge",
    "wiley",
    "springer",
    "elsevier",
    "sage",
    "penguin",
    "norton",
    "knopf",
    "palgrave",
    "macmillan",
    "blackwell",
    "brill",
    "polity",
    "verso",
    "random house",
    "harper",
    "pearson",
    "mcgraw",
    "addison",
    "o'reilly",
    "o’reilly",
    "cengage",
    "bloomsbury",
    "continuum",
    "ashgate",
    "zed",
    "pluto",
    "basic",
    "vintage",
    "doubleday",
    "gallimard",
    "seuil",
    "flammarion",
];

/// `hay` holds one of `words` as whole words, ASCII case-insensitive.
pub(super) fn contains_word(hay: &str, words: &[&str]) -> bool {
    // one-word entries by comparing words; phrases by searching the lowered text
    let mut lower: Option<String> = None;
    let hay_words: Vec<&str> = hay
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .collect();
    words.iter().any(|w| {
        if !w.contains([' ', '\'', '’']) {
            return hay_words.iter().any(|x| x.eq_ignore_ascii_case(w));
        }
        let lower = lower.get_or_insert_with(|| hay.to_ascii_lowercase());
        lower.match_indices(w).any(|(k, _)| {
            let before_ok = k == 0 || !lower[..k].ends_with(|c: char| c.is_alphanumeric());
            let after = k + w.len();
            let after_ok =
                after >= lower.len() || !lower[after..].starts_with(|c: char| c.is_alphanumeric());
            before_ok && after_ok
        })
    })
}

/// Sets an empty field to `v` without its trailing separators (and a final period not after an
/// abbreviation); an empty value leaves it empty.
pub(super) fn set_if_none(slot: &mut Option<String>, v: &str) {
    let v = v.trim().trim_end_matches([',', ';', ':']).trim();
    let v = v
        .strip_suffix('.')
        .filter(|x| !abbreviation_before(x))
        .unwrap_or(v)
        .trim();
    if slot.is_none() && !v.is_empty() {
        *slot = Some(v.to_owned());
    }
}
