//! Lists of personal and institutional names, in the orders references use:
//! given-first (`Jinghan Zeng, Tim Stevens, and Yaru Chen`), inverted (`Sending, O., & Neumann, I.`,
//! `Nichols, Bill, and John Smith`), Vancouver (`Smith AB, Jones C`).

use crate::model::Name;

/// Particles that belong to the family name.
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "du", "da", "di", "del", "della", "des", "la", "le", "ter",
    "ten", "dos", "das", "do", "bin", "ibn", "al", "el", "zu", "vom", "zum", "y", "st.",
];

/// Words that make a name an institution.
const INSTITUTION: &[&str] = &[
    "council",
    "office",
    "ministry",
    "department",
    "organization",
    "organisation",
    "commission",
    "committee",
    "institute",
    "institution",
    "university",
    "agency",
    "bureau",
    "association",
    "society",
    "government",
    "foundation",
    "bank",
    "center",
    "centre",
    "forum",
    "house",
    "group",
    "board",
    "court",
    "parliament",
    "congress",
    "senate",
    "union",
    "nations",
    "party",
    "lab",
    "laboratory",
    "project",
    "initiative",
    "program",
    "programme",
    "network",
    "corporation",
    "company",
    "inc",
    "ltd",
    "press",
    "service",
    "authority",
    "administration",
    "secretariat",
    "assembly",
    "academy",
    "trust",
    "fund",
    "hub",
    "consortium",
    "collective",
    "team",
    "staff",
    "who",
    "unesco",
    "oecd",
    "nasa",
];

/// A parsed list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameList {
    /// The names.
    pub names: Vec<Name>,
    /// Byte after the last name (before the terminator).
    pub end: usize,
    /// `et al.` followed.
    pub etal: bool,
}

/// End of the word starting at `i`: letters, digits, `-`, `'`, `’`, and `.` between letters.
fn word_end(s: &str, i: usize) -> usize {
    let mut end = i;
    // `i` past the end (or inside a character) is an empty word: no name there
    let Some(rest) = s.get(i..) else {
        return i;
    };
    let mut chars = rest.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        // `Martin- Facklam`: a hyphen broken at a line end
        if c == '-' && next == Some(' ') && k > 0 {
            let after = &s[i + k + 2..];
            if after.chars().next().is_some_and(char::is_uppercase) {
                let _ = chars.next();
                end = i + k + 2;
                continue;
            }
        }
        let ok = c.is_alphanumeric()
            || ((c == '-' || c == '\'' || c == '’') && next.is_some_and(char::is_alphabetic))
            || (c == '.' && next.is_some_and(|n| n.is_alphabetic() || n == '-') && k > 0);
        if !ok {
            break;
        }
        end = i + k + c.len_utf8();
    }
    end
}

fn is_particle(w: &str) -> bool {
    PARTICLES.iter().any(|p| w.eq_ignore_ascii_case(p))
}

/// An initial: `O`, `D.J`, `J.-P`, `Th`? (only single capitals and dotted groups).
fn is_initial(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let rest = chars.as_str();
    rest.is_empty()
        || (rest.chars().nth(5).is_none()
            && rest.contains('.')
            && rest
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '-'))
}

fn is_cap_word(w: &str) -> bool {
    let Some(first) = w.chars().next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    if w.ends_with("’s") || w.ends_with("'s") {
        return false;
    }
    // a name word has letters only (and - ' ’ .)
    w.chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.')
}

/// True when a name's words look like an institution.
pub(crate) fn is_institution(words: &str) -> bool {
    words
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| INSTITUTION.iter().any(|i| w.eq_ignore_ascii_case(i)))
}

struct Word {
    start: usize,
    end: usize,
}

/// Words of a given-first name starting at `i`; returns the words and the byte after them.
fn name_words(s: &str, i: usize, max: usize) -> (Vec<Word>, usize) {
    let mut words: Vec<Word> = Vec::new();
    let mut j = i;
    let mut end = i;
    while words.len() < max {
        let we = word_end(s, j);
        if we == j {
            break;
        }
        let w = &s[j..we];
        if ["and", "et", "&", "eds", "ed", "in"]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x))
        {
            break;
        }
        let initial = is_initial(w);
        if !(is_cap_word(w) || (is_particle(w) && !words.is_empty())) {
            break;
        }
        let mut k = we;
        // an initial's period, and Saint's (`Muriel St. Clare Byrne`)
        if (initial || matches!(w, "St" | "Ste")) && s[k..].starts_with('.') {
            k += 1;
        }
        words.push(Word { start: j, end: k });
        end = k;
        if s[k..].starts_with(' ') && s[k + 1..].chars().next().is_some_and(|c| c.is_alphabetic()) {
            j = k + 1;
        } else {
            break;
        }
    }
    (words, end)
}

/// A body's name of capitalised words joined by lower-case ones (`Commission on Freedom of the
/// Press`, `House of Commons`, `Ministry for the Environment`): one name, when one of its words
/// names an institution. A person's name never holds these words.
fn institution_item(s: &str, i: usize) -> Option<(Name, usize)> {
    const JOINING: &[&str] = &["of", "on", "for", "the", "and", "in", "to", "&"];
    let mut j = i;
    let mut end = None;
    // a joining word read, and one followed by a capitalised word
    let (mut pending, mut joined) = (false, false);
    // (`j` may be past the end, or inside a character: no word there)
    while let Some(rest) = s.get(j..) {
        let we = match word_end(s, j) {
            we if we > j => we,
            _ if rest.starts_with('&') => j + 1,
            _ => break,
        };
        let w = &s[j..we];
        if JOINING.contains(&w) {
            // a joining word between capitalised ones
            end?;
            pending = true;
        } else if is_cap_word(w) && !w.ends_with('.') {
            end = Some(we);
            joined |= pending;
        } else {
            break;
        }
        if s[we..].starts_with(' ') {
            j = we + 1;
        } else {
            break;
        }
    }
    let end = end?;
    let all = &s[i..end];
    let institution = all
        .split(' ')
        .any(|w| w.starts_with(char::is_uppercase) && is_institution(w));
    (joined && institution).then(|| (Name::literal(all), end))
}

/// One given-first name at `i`.
fn given_first_item(s: &str, i: usize) -> Option<(Name, usize)> {
    if let Some(body) = institution_item(s, i) {
        return Some(body);
    }
    let (mut words, _) = name_words(s, i, 7);
    // drop trailing particles and lower-case words
    while words
        .last()
        .is_some_and(|w| !is_cap_word(&s[w.start..w.end]))
    {
        words.pop();
    }
    let last = words.last()?;
    let last_word = &s[last.start..last.end];
    if is_initial(last_word.trim_end_matches('.')) {
        return None;
    }
    let end = last.end;
    let all = &s[words[0].start..end];
    if words.len() >= 2 && is_institution(all) {
        return Some((Name::literal(all), end));
    }
    // four words at most, not counting particles (`A. T. van der Burght`)
    if words
        .iter()
        .filter(|w| !is_particle(&s[w.start..w.end]))
        .count()
        > 4
    {
        return None;
    }
    // the family name starts at the first particle after the first word, or at the last word; a
    // capitalised particle at the start (`Von Solms`) makes the whole a family name
    let mut fam = words.len() - 1;
    for (k, w) in words.iter().enumerate().take(words.len() - 1) {
        let text = &s[w.start..w.end];
        // `Ruth St. Denis` has the surname `St. Denis`, but `Muriel St. Clare Byrne` the middle
        // name `St. Clare` and the surname `Byrne` (the Manual's short form: `Byrne`)
        if text.eq_ignore_ascii_case("st.") && k > 0 && words.len() - k > 2 {
            continue;
        }
        if is_particle(text) && (k > 0 || text.chars().next().is_some_and(char::is_uppercase)) {
            fam = k;
            break;
        }
    }
    let family = &s[words[fam].start..end];
    let given = if fam == 0 {
        None
    } else {
        Some(s[words[0].start..words[fam - 1].end].to_owned())
    };
    Some((Name::person(family, given), end))
}

/// Given names after `Family, `: initials (`O.`, `W. E.`, `D.J.`), or up to three capitalised words.
fn given_part(s: &str, i: usize) -> Option<usize> {
    let (mut words, mut end) = name_words(s, i, 5);
    if words.is_empty() {
        return None;
    }
    // after an initial with its period only initials follow (`Joseph W. An Introduction`)
    if let Some(k) = words.iter().position(|w| s[w.start..w.end].ends_with('.')) {
        let cut = words[k + 1..]
            .iter()
            .position(|w| !is_initial(s[w.start..w.end].trim_end_matches('.')))
            .map(|p| k + 1 + p);
        if let Some(c) = cut {
            words.truncate(c);
            end = words[c - 1].end;
        }
    }
    let initials = words
        .iter()
        .all(|w| is_initial(s[w.start..w.end].trim_end_matches('.')));
    // up to four given names before a period (`Maria Aparecida Viana Schtine.`)
    let limit = if s[end..].starts_with('.') { 4 } else { 3 };
    if !initials && words.len() > limit {
        return None;
    }
    // `Jr.`
    for suffix in [", Jr.", " Jr.", ", Sr."] {
        if s[end..].starts_with(suffix) {
            end += suffix.len();
        }
    }
    Some(end)
}

/// One inverted name at `i`: `Family, Given` (or Vancouver `Family AB`).
fn inverted_item(s: &str, i: usize) -> Option<(Name, usize)> {
    let (words, _) = name_words(s, i, 4);
    if words.is_empty() {
        return None;
    }
    // Vancouver: `Smith AB`, `Bykov A.M.` (a group of 1–3 capitals after the family name)
    for j in 1..words.len() {
        let w = &s[words[j].start..words[j].end];
        let bare: String = w.chars().filter(|c| *c != '.').collect();
        // `Kenneth G. Lieberthal,` is given-first: a dotted initial followed by a surname
        let surname_follows = w.ends_with('.')
            && words.get(j + 1).is_some_and(|n| {
                s[n.end..].starts_with([',', '.', ' ']) && !s[n.end..].starts_with(" ")
            });
        if (1..=3).contains(&bare.chars().count())
            && bare.chars().all(char::is_uppercase)
            && !surname_follows
        {
            let family = &s[words[0].start..words[j - 1].end];
            if family
                .split_whitespace()
                .all(|x| !is_initial(x.trim_end_matches('.')))
                && (!s[words[j - 1].end..].starts_with(',') || j == 0)
            {
                return Some((Name::person(family, Some(w.to_owned())), words[j].end));
            }
            break;
        }
    }
    if words.len() > 3 {
        return None;
    }
    let family_end = words.last()?.end;
    let family = &s[i..family_end];
    if family
        .split_whitespace()
        .any(|w| is_initial(w.trim_end_matches('.')))
    {
        return None;
    }
    let rest = &s[family_end..];
    let after = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(","))?;
    let gstart = s.len() - after.len();
    let gend = given_part(s, gstart)?;
    Some((Name::person(family, Some(s[gstart..gend].to_owned())), gend))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Comma,
    And,
}

/// Separators between names: `, and `, `, & `, ` and `, ` & `, `; `, `, `.
fn separator(s: &str, i: usize) -> Option<(Sep, usize)> {
    let rest = &s[i..];
    for (pat, kind) in [
        (", and ", Sep::And),
        // French lists may keep the serial comma (`Stuart Snydman, Robert Sanderson, et Tom
        // Cramer`)
        (", et ", Sep::And),
        (",& ", Sep::And),
        (", & ", Sep::And),
        (" and ", Sep::And),
        (" & ", Sep::And),
        (" und ", Sep::And),
        (" et ", Sep::And),
        (" y ", Sep::And),
        ("; & ", Sep::And),
        ("; and ", Sep::And),
        ("; ", Sep::Comma),
        (" , ", Sep::Comma),
        (", ", Sep::Comma),
        (",", Sep::Comma),
    ] {
        if rest.starts_with(pat) {
            if pat.ends_with(" et ") && rest[pat.len() - 3..].starts_with("et al") {
                return None;
            }
            return Some((kind, i + pat.len()));
        }
    }
    None
}

fn etal(s: &str, end: usize) -> Option<usize> {
    for pat in [
        ", et al.", " et al.", ", et al", " et al", " ...", ", …", " …",
    ] {
        if s[end..].starts_with(pat) {
            return Some(end + pat.len());
        }
    }
    None
}

/// The most names one list reads (a large consortium's author list has a few hundred); past it
/// the list ends, and what follows is read as the rest of the citation.
const MAX_NAMES: usize = 1000;

/// Given-first names at `i`: `A B, C D, and E F` / `A B and C D` / `A B`.
pub(crate) fn given_first(s: &str, i: usize) -> Option<NameList> {
    let (first, mut end) = given_first_item(s, i)?;
    let mut names = vec![first];
    let mut seps = Vec::new();
    let first_end = end;
    let has_given = names[0].given.is_some();
    let mut ends = vec![end];
    while let Some((sep, next)) = separator(s, end) {
        match given_first_item(s, next) {
            // full names and bare surnames do not mix (`Max Weber, Economy and Society`)
            Some((n, e)) if n.literal.is_some() || n.given.is_some() == has_given => {
                ends.push(e);
                names.push(n);
                seps.push(sep);
                end = e;
            }
            // ... unless the first is a surname of two words in a short form's list of surnames
            // (`Vander Linden, Cumming, and Martin, *Expressing …*`)
            _ if names.len() == 1 && has_given => {
                if let Some(list) = two_word_surname_first(s, i, first_end) {
                    return Some(list);
                }
                break;
            }
            _ => break,
        }
        // `and` closes the list
        if sep == Sep::And || names.len() >= MAX_NAMES {
            break;
        }
    }
    // commas alone do not separate given-first names: the last separator must be `and`, unless
    // every name is initials and surname (`B. Foutz, J. Smart, K. Chu`)
    let all_initials = names.iter().all(|n| {
        n.given.as_deref().is_some_and(|g| {
            g.split_whitespace()
                .all(|w| is_initial(w.trim_end_matches('.')))
        })
    });
    let etal_follows = etal(s, end).is_some();
    if names.len() > 1 && seps.last() == Some(&Sep::Comma) && !all_initials && !etal_follows {
        // keep the longest run of initials-and-surname names (`T. Imielinski, S. Viswanathan,
        // Adaptive Wire less ...`), else the first name only
        let initials = |n: &Name| {
            n.given.as_deref().is_some_and(|g| {
                g.split_whitespace()
                    .all(|w| is_initial(w.trim_end_matches('.')))
            })
        };
        let run = names.iter().take_while(|n| initials(n)).count();
        if run >= 2 {
            names.truncate(run);
            end = ends[run - 1];
        } else {
            names.truncate(1);
            end = first_end;
        }
    }
    Some(finish(s, names, end))
}

/// The surnames of a short form whose first surname is two capitalised words (`Wellman Kephart`
/// of `Wellman Kephart, Hogg, and Huberman, “Dynamics …”`), which a name alone reads as a given
/// name and a surname: two bare surnames or more follow, the list is closed by `and`, and a
/// quoted or italic title comes next. The closing title keeps prose and a title after a full
/// name (`Max Weber, Economy and Society`) from being read so.
fn two_word_surname_first(s: &str, i: usize, first_end: usize) -> Option<NameList> {
    let (words, _) = name_words(s, i, 2);
    if words.len() != 2 || words[1].end != first_end {
        return None;
    }
    if words.iter().any(|w| is_initial(&s[w.start..w.end])) {
        return None;
    }
    // read as one name reads it, a given name and a surname: the resolver learns the surname of
    // two words from the full note (`learn_compound_family`)
    let first = Name::person(
        &s[words[1].start..words[1].end],
        Some(s[words[0].start..words[0].end].to_owned()),
    );
    let mut names = vec![first];
    let mut end = first_end;
    loop {
        let (sep, next) = separator(s, end)?;
        // a list of three names or more: `Google Privacy & Terms`, `X Y and Z` may be one body
        if sep == Sep::And && names.len() < 2 {
            return None;
        }
        let (n, e) = given_first_item(s, next)?;
        if n.given.is_some() || n.literal.is_some() {
            return None;
        }
        names.push(n);
        end = e;
        if sep == Sep::And {
            break;
        }
    }
    // (the names' text ends at the start of italics, which the reference marks apart: `s` cut
    // right after `, ` is followed by an italic title)
    let title_follows = s[end..]
        .strip_prefix(", ")
        .is_some_and(|r| r.is_empty() || r.starts_with(['“', '"', '*', '_']));
    title_follows.then_some(NameList {
        names,
        end,
        etal: false,
    })
}

/// A name list ending at `end`, with a following `et al.` taken in.
fn finish(s: &str, names: Vec<Name>, end: usize) -> NameList {
    match etal(s, end) {
        Some(e) => NameList {
            names,
            end: e,
            etal: true,
        },
        None => NameList {
            names,
            end,
            etal: false,
        },
    }
}

/// Inverted names at `i`: `Sending, O., & Neumann, I.`; after `and` a given-first name is allowed
/// (`Nichols, Bill, and John Smith`).
pub(crate) fn inverted(s: &str, i: usize) -> Option<NameList> {
    let (first, mut end) = inverted_item(s, i)?;
    let mut names = vec![first];
    while let Some((sep, next)) = separator(s, end) {
        let inv = inverted_item(s, next);
        let two_word_family = inv.as_ref().is_some_and(|(n, _)| {
            n.family
                .as_deref()
                .is_some_and(|f| f.split_whitespace().filter(|w| !is_particle(w)).count() >= 2)
        });
        let item = if two_word_family || (sep == Sep::And && inv.is_none()) {
            // `Atack, Jeremy, Fred Bateman, Michael Haines, and ...`: given-first after the first
            given_first_item(s, next)
                .filter(|(n, _)| n.given.is_some() || sep == Sep::And)
                .or(inv)
        } else if inv.is_none() {
            // `Manning, C.D., P. Raghavan, and H. Schütze`, `Colborn, Theo, Dianne Dumanoski, and
            // John Peterson Myers`: given-first names after the first, when `and` follows
            given_first_item(s, next).filter(|(n, e)| {
                n.given.as_deref().is_some_and(|g| {
                    g.split_whitespace()
                        .all(|w| is_initial(w.trim_end_matches('.')))
                }) || s[*e..].starts_with(", and ")
                    || s[*e..].starts_with(" and ")
            })
        } else {
            inv
        };
        match item {
            Some((n, e)) => {
                names.push(n);
                end = e;
            }
            None => break,
        }
        if names.len() >= MAX_NAMES {
            break;
        }
    }
    Some(finish(s, names, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fam(l: &NameList) -> Vec<String> {
        l.names
            .iter()
            .map(|n| n.family_or_literal().to_owned())
            .collect()
    }

    #[test]
    fn chicago_names() {
        let s = "Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s";
        let l = given_first(s, 0).unwrap();
        assert_eq!(fam(&l), ["Zeng", "Stevens", "Chen"]);
        assert_eq!(&s[l.end..l.end + 1], ",");
        let s = "Dev Lewis, China’s Global Internet Ambitions: Finding";
        let l = given_first(s, 0).unwrap();
        assert_eq!(fam(&l), ["Lewis"]);
        let s = "Roussouw Von Solms and Johan Van Niekerk. “From";
        let l = given_first(s, 0).unwrap();
        assert_eq!(fam(&l), ["Von Solms", "Van Niekerk"]);
        assert_eq!(l.names[0].given.as_deref(), Some("Roussouw"));
        let l = given_first("Kenneth G. Lieberthal, “Intro", 0).unwrap();
        assert_eq!(l.names[0].given.as_deref(), Some("Kenneth G."));
        let l = given_first("Ronald Wintrobe coins the term", 0).unwrap();
        assert_eq!(fam(&l), ["Wintrobe"]);
        // Saint abbreviated inside a name (CMOS 17, 14.121's example): a middle name before a
        // surname (the Manual's short form is `Byrne`), a particle before the last word
        let l = given_first("Muriel St. Clare Byrne, ed., *The Lisle", 0).unwrap();
        assert_eq!(fam(&l), ["Byrne"]);
        assert_eq!(l.names[0].given.as_deref(), Some("Muriel St. Clare"));
        let l = given_first("Ruth St. Denis, *An Unfinished Life*", 0).unwrap();
        assert_eq!(fam(&l), ["St. Denis"]);
        assert_eq!(l.names[0].given.as_deref(), Some("Ruth"));
        // initials and two particles: five words, four of them counted
        let s = "J. Hermans and A. T. van der Burght, “Cases";
        let l = given_first(s, 0).unwrap();
        assert_eq!(fam(&l), ["Hermans", "van der Burght"]);
        assert_eq!(l.names[1].given.as_deref(), Some("A. T."));
    }

    /// A short form's surnames, the first of two words: a list of surnames closed by `and`
    /// before the title, not a given name and a surname followed by a title.
    #[test]
    fn a_short_forms_first_surname_of_two_words() {
        let s = "Wellman Kephart, Hogg, and Huberman, “Dynamics of Computational Ecosystems,” 136";
        let l = given_first(s, 0).unwrap();
        assert_eq!(fam(&l), ["Kephart", "Hogg", "Huberman"]);
        assert_eq!(l.names[0].given.as_deref(), Some("Wellman"));
        assert!(s[l.end..].starts_with(", “Dynamics"));
        let s = "Vander Linden, Cumming, and Martin, *Expressing Local Rhetorical Relations*, 166";
        assert_eq!(
            fam(&given_first(s, 0).unwrap()),
            ["Linden", "Cumming", "Martin"]
        );
        // a body's name cut short, or nothing after the start
        assert!(institution_item("House of", 0).is_none());
        assert!(institution_item("", 0).is_none());
        assert!(institution_item("A", 3).is_none());
        assert_eq!(
            institution_item("House of Commons, *Report*", 0).map(|(n, _)| n.literal),
            Some(Some("House of Commons".to_owned()))
        );
        // the names' text cut where the italic title starts, as a reference reads them
        let s = "Vander Linden, Cumming, and Martin, ";
        assert_eq!(
            fam(&given_first(s, 0).unwrap()),
            ["Linden", "Cumming", "Martin"]
        );
        // two names may be one body's name
        let l = given_first("Google Privacy & Terms, “Privacy Policy”", 0).unwrap();
        assert_eq!(fam(&l), ["Privacy"]);
        // a full name and a title: the title is not quoted after the list
        let l = given_first("Max Weber, Economy and Society, 2:104", 0).unwrap();
        assert_eq!(fam(&l), ["Weber"]);
        // nor a given name and a surname (`Walter K. Amis`, initials)
        let l = given_first("Walter K. Amis, Lyle, and Hart, “Title,” 4", 0).unwrap();
        assert_eq!(fam(&l), ["Amis"]);
    }

    #[test]
    fn inverted_names() {
        let s = "Sending, O., & Neumann, I. (2011). Banking";
        let l = inverted(s, 0).unwrap();
        assert_eq!(fam(&l), ["Sending", "Neumann"]);
        assert_eq!(&s[l.end..l.end + 2], " (");
        let s = "Chen, H., Tafalla, M., Greene, T. P., Myers, P. C., & Wilner, D. J. 1997, ApJ";
        let l = inverted(s, 0).unwrap();
        assert_eq!(fam(&l).len(), 5);
        let l = inverted("Nichols, Bill. “Getting", 0).unwrap();
        assert_eq!(fam(&l), ["Nichols"]);
        let l = inverted("Smith AB, Jones C. Title", 0).unwrap();
        assert_eq!(fam(&l), ["Smith", "Jones"]);
    }
}
