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
    let first = n[0].to_ascii_lowercase();
    (from..=h.len() - n.len())
        .find(|&i| h[i].to_ascii_lowercase() == first && h[i..i + n.len()].eq_ignore_ascii_case(n))
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

/// Does a part of a reference, lowercased, name the kind of document (`PhD diss.`, `Master’s
/// thesis`, `working paper`, `unpublished manuscript` ...)?
pub(super) fn is_genre(lower: &str) -> bool {
    [
        "diss",
        "ph.d",
        "phd",
        "doctoral",
        "thesis",
        "master",
        "dissertation",
        "working paper",
        "discussion paper",
        "technical report",
        "policy brief",
        "white paper",
        "unpublished",
        "preprint",
        "manuscript",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Does a part of a reference describe an unpublished communication (`email message to author`,
/// `interview by Jane Doe`, `discussion with the author`, in lower case as the style writes them:
/// `Email Marketing` is a title)? Its CSL type when it does.
pub(super) fn communication(part: &str) -> Option<crate::model::WorkType> {
    const PHRASES: &[&str] = &[
        "email",
        "e-mail",
        "letter to",
        "interview by",
        "interview with",
        "interviewed by",
        "telephone interview",
        "phone interview",
        "oral history interview",
        "telephone conversation",
        "phone conversation",
        "conversation with",
        "in conversation with",
        "discussion with",
        "in discussion with",
        "personal communication",
        "personal correspondence",
        "correspondence with",
        "text message",
        "facebook message",
        "twitter message",
        "direct message",
        "message",
        "zoom call",
        "video call",
    ];
    let mut part = part.trim_start();
    if !part.starts_with(|c: char| c.is_lowercase()) {
        // a platform's name before it: `Facebook message to author`, `WhatsApp message`
        let platform = part.split(' ').next()?;
        let rest = part[platform.len()..].trim_start();
        let is_name = platform.starts_with(|c: char| c.is_uppercase())
            && platform.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !is_name || !(rest.starts_with("message") || rest.starts_with("direct message")) {
            return None;
        }
        part = rest;
    }
    let lower = part.to_ascii_lowercase();
    let hit = PHRASES.iter().find(|p| {
        lower.starts_with(**p)
            && lower[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })?;
    Some(if hit.contains("interview") {
        crate::model::WorkType::Interview
    } else {
        crate::model::WorkType::PersonalCommunication
    })
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
    // one-word entries by comparing words (the text split once, each of its words against the
    // entries of its length); phrases by an ASCII case-insensitive search bounded by
    // non-alphanumerics (no allocation: this runs for most references, several times each)
    let phrase = |w: &str| w.contains([' ', '\'', '’']);
    let word_hit = hay
        .split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .any(|x| {
            words
                .iter()
                .any(|w| w.len() == x.len() && x.eq_ignore_ascii_case(w) && !phrase(w))
        });
    if word_hit {
        return true;
    }
    words.iter().filter(|w| phrase(w)).any(|w| {
        let mut from = 0;
        while let Some(k) = find_ci(hay, w, from) {
            from = k + 1;
            if !hay.is_char_boundary(k) {
                continue;
            }
            let before_ok = k == 0 || !hay[..k].ends_with(|c: char| c.is_alphanumeric());
            let after = k + w.len();
            let after_ok = after >= hay.len()
                || hay
                    .get(after..)
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()));
            if before_ok && after_ok {
                return true;
            }
        }
        false
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

/// [`set_if_none`] for a place of publication, which keeps the period of a state's or
/// province's abbreviation after its city (`Cambridge, Mass.`, `Lanham, Md.`, `Berkeley, Calif.`):
/// the style prints the place as written.
pub(super) fn set_place_if_none(slot: &mut Option<String>, v: &str) {
    let v = v.trim().trim_end_matches([',', ';', ':']).trim();
    let region = v.rsplit_once(", ").map_or("", |(_, r)| r);
    let abbreviated = region.strip_suffix('.').is_some_and(|r| {
        r.len() <= 6
            && r.starts_with(|c: char| c.is_ascii_uppercase())
            && r.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
    });
    match slot {
        None if abbreviated => *slot = Some(v.to_owned()),
        _ => set_if_none(slot, v),
    }
}
