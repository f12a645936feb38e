//! Readable, stable citation keys.
//!
//! The scheme (one scheme for every export format):
//!
//! 1. the base is the first author's family name (or the first editor's, or an institution's
//!    name), folded to lower-case ASCII letters and digits with leading particles set aside
//!    (`Thérien` -> `therien`, `Von Solms` -> `solms`, `State Council` -> `statecouncil`);
//! 2. followed by the year when the work has one (`lieberthal1992`), or else by `-` and the first
//!    significant word of the title (`lewis-chinas`); a work with no name at all starts with that
//!    title word (`cybersecurity`, `methodology2018`);
//! 3. when two works would get the same key, each of them gets `-` and its first significant title
//!    word added (`lewis2017-chinas`, `lewis2017-cyber`); if that still clashes, the next title
//!    words are added one by one; works that still clash (same names, year and title) get `a`,
//!    `b` ... in library order.
//!
//! The keys depend only on the works, not on the order of other works (except for the last-resort
//! letters), so that the same library gets the same keys on every run and adding a work to a
//! library rarely renames another.

use std::collections::HashMap;

use crate::fold;
use crate::model::Work;

/// Title words that never make a key.
const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "and", "to", "for", "from", "with", "at", "by", "la", "le",
    "les", "l", "el", "los", "las", "der", "die", "das", "ein", "eine", "un", "une", "de", "du",
    "des",
];

/// The key-making name of a work: its first author's (or editor's) family name, folded.
fn who(work: &Work) -> String {
    work.author
        .first()
        .or(work.editor.first())
        .map(|n| fold::family(n.family_or_literal()).replace(' ', ""))
        .unwrap_or_default()
}

/// The significant title words of a work (stop words and one-letter words dropped).
fn title_words(work: &Work) -> Vec<String> {
    work.title
        .as_deref()
        // `China’s` -> `chinas`, not `china` and `s`.
        .map(|t| fold::words(&t.replace(['’', '\'', 'ʼ'], "")))
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()) && w.len() > 1)
        .collect()
}

/// What a work's key is made of, computed once per work: the key-making name, the significant
/// title words and the year.
struct KeyParts {
    who: String,
    words: Vec<String>,
    year: Option<i32>,
}

impl KeyParts {
    fn of(work: &Work) -> KeyParts {
        KeyParts {
            who: who(work),
            words: title_words(work),
            year: work.year(),
        }
    }

    /// The key at a level of detail: level 0 is the base key, each further level adds one more
    /// title word. `None` when the title has no more words to add.
    fn key_at(&self, level: usize) -> Option<String> {
        let KeyParts { who, words, year } = self;
        // How many title words the base key already uses.
        let base_words = usize::from(who.is_empty() || year.is_none());
        let take = base_words + level;
        if level > 0 && take > words.len() {
            return None;
        }
        let mut key = String::new();
        match (who.is_empty(), year) {
            (false, Some(y)) => key.push_str(&format!("{who}{y}")),
            (false, None) => key.push_str(who),
            (true, Some(y)) => {
                key.push_str(words.first().map_or("untitled", String::as_str));
                key.push_str(&y.to_string());
            }
            (true, None) => key.push_str(words.first().map_or("untitled", String::as_str)),
        }
        let skip = usize::from(who.is_empty());
        for word in words.iter().take(take).skip(skip) {
            key.push('-');
            key.push_str(word);
        }
        if who.is_empty() && year.is_none() && words.is_empty() {
            key = "untitled".into();
        }
        Some(key)
    }

    /// Whether the key can take one more title word past `level`.
    fn can_grow(&self, level: usize) -> bool {
        let base_words = usize::from(self.who.is_empty() || self.year.is_none());
        base_words + level < self.words.len()
    }
}

/// The base key of one work, before clashes are settled (`lieberthal1992`, `lewis-chinas`).
pub fn base_key(work: &Work) -> String {
    KeyParts::of(work)
        .key_at(0)
        .unwrap_or_else(|| "untitled".into())
}

/// Gives every work a key by the scheme of this module, replacing the keys it had.
///
/// In rounds: every work whose key clashes with another's takes one more title word, if it has
/// one, until a round changes nothing. Only the keys that changed are made again, and only the
/// clashes among them looked for: a clash no work joined in the last round is one whose works
/// can take no more words (they would have), so each round costs what it changes, not the library.
pub fn assign_keys(works: &mut [Work]) {
    let parts: Vec<KeyParts> = works.iter().map(KeyParts::of).collect();
    let mut level = vec![0usize; works.len()];
    let mut keys: Vec<String> = parts
        .iter()
        .map(|p| p.key_at(0).unwrap_or_default())
        .collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        groups.entry(k.clone()).or_default().push(i);
    }
    let mut look: Vec<String> = groups
        .iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let mut moved: Vec<usize> = Vec::new();
        for k in &look {
            let members = &groups[k];
            if members.len() > 1 {
                moved.extend(
                    members
                        .iter()
                        .copied()
                        .filter(|&i| parts[i].can_grow(level[i])),
                );
            }
        }
        if moved.is_empty() {
            break;
        }
        let mut joined: Vec<String> = Vec::new();
        for i in moved {
            if let Some(members) = groups.get_mut(&keys[i]) {
                members.retain(|&m| m != i);
            }
            level[i] += 1;
            keys[i] = parts[i].key_at(level[i]).unwrap_or_default();
            groups.entry(keys[i].clone()).or_default().push(i);
            joined.push(keys[i].clone());
        }
        joined.sort_unstable();
        joined.dedup();
        look = joined;
    }
    // Last resort: letters, in library order.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let finals: Vec<String> = keys
        .iter()
        .map(|k| {
            if groups[k.as_str()].len() > 1 {
                let n = seen.entry(k.clone()).or_default();
                *n += 1;
                format!("{k}{}", letters(*n))
            } else {
                k.clone()
            }
        })
        .collect();
    for (work, key) in works.iter_mut().zip(finals) {
        work.id = key;
    }
}

/// Gives a key only to the works without one, and renames the later of two works sharing a key;
/// the keys a user's library gave are kept.
pub fn fill_missing_keys(works: &mut [Work]) {
    let mut fresh: Vec<Work> = works.to_vec();
    assign_keys(&mut fresh);
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (work, generated) in works.iter_mut().zip(fresh) {
        if work.id.is_empty() || used.contains(&work.id) {
            let mut key = generated.id;
            let base = key.clone();
            let mut n = 0;
            while used.contains(&key) {
                n += 1;
                key = format!("{base}{}", letters(n));
            }
            work.id = key;
        }
        used.insert(work.id.clone());
    }
}

/// 1 -> `a`, 26 -> `z`, 27 -> `aa` ...
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Name, WorkType};

    fn work(family: &str, year: Option<i32>, title: &str) -> Work {
        Work {
            kind: WorkType::Book,
            author: vec![Name::person(family, Some("A.".into()))],
            title: Some(title.into()),
            issued: year.map(|y| Date::ymd(y, None, None)),
            ..Work::default()
        }
    }

    #[test]
    fn family_and_year_folded() {
        let mut works = vec![
            work("Lieberthal", Some(1992), "Introduction"),
            work("Thérien", Some(2017), "Global Governance"),
            work(
                "Von Solms",
                None,
                "From Information Security to Cyber Security",
            ),
            work("Lewis", None, "China’s Global Internet Ambitions"),
        ];
        assign_keys(&mut works);
        let keys: Vec<&str> = works.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(
            keys,
            [
                "lieberthal1992",
                "therien2017",
                "solms-information",
                "lewis-chinas"
            ]
        );
    }

    #[test]
    fn clashes_take_title_words_then_letters() {
        let mut works = vec![
            work("Lewis", Some(2017), "China’s Global Internet Ambitions"),
            work("Lewis", Some(2017), "Cyber Sovereignty"),
            work("Adler", Some(2011), "International Practices"),
            work("Adler", Some(2011), "International Relations"),
            work("Same", Some(2000), "Twice"),
            work("Same", Some(2000), "Twice"),
        ];
        assign_keys(&mut works);
        let keys: Vec<&str> = works.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(
            keys,
            [
                "lewis2017-chinas",
                "lewis2017-cyber",
                "adler2011-international-practices",
                "adler2011-international-relations",
                "same2000-twicea",
                "same2000-twiceb"
            ]
        );
    }

    /// The scheme as first written: every round makes every key again and groups them all.
    fn assign_keys_round_by_round(works: &mut [Work]) {
        let key_at = |w: &Work, l: usize| KeyParts::of(w).key_at(l);
        let mut level = vec![0usize; works.len()];
        loop {
            let keys: Vec<String> = works
                .iter()
                .zip(&level)
                .map(|(w, &l)| key_at(w, l).unwrap_or_default())
                .collect();
            let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, k) in keys.iter().enumerate() {
                groups.entry(k.as_str()).or_default().push(i);
            }
            let mut bumped = false;
            for members in groups.values().filter(|m| m.len() > 1) {
                for &i in members {
                    if key_at(&works[i], level[i] + 1).is_some() {
                        level[i] += 1;
                        bumped = true;
                    }
                }
            }
            if !bumped {
                let mut seen: HashMap<String, usize> = HashMap::new();
                for (work, k) in works.iter_mut().zip(&keys) {
                    work.id = if groups[k.as_str()].len() > 1 {
                        let n = seen.entry(k.clone()).or_default();
                        *n += 1;
                        format!("{k}{}", letters(*n))
                    } else {
                        k.clone()
                    };
                }
                return;
            }
        }
    }

    #[test]
    fn only_changed_keys_are_made_again_with_the_same_outcome() {
        // clashes several rounds deep, a key taken by a work that joins a settled clash, works
        // without names or years, identical works
        let families = ["Lewis", "Lewis", "Nye", "", "Adler"];
        let titles = [
            "China’s Global Internet Ambitions",
            "China’s Global Internet Sovereignty",
            "China’s Global",
            "China",
            "The Regime Complex for Managing Global Cyber Activities",
            "The Regime",
            "Global Internet",
            "",
        ];
        let mut works = Vec::new();
        for (i, f) in families.iter().enumerate() {
            for (j, t) in titles.iter().enumerate() {
                for year in [None, Some(2017)] {
                    let mut w = work(f, year, t);
                    if f.is_empty() {
                        w.author.clear();
                    }
                    if t.is_empty() {
                        w.title = None;
                    }
                    works.push(w);
                    if (i + j) % 3 == 0 {
                        works.push(works[works.len() - 1].clone());
                    }
                }
            }
        }
        let mut fast = works.clone();
        assign_keys(&mut fast);
        assign_keys_round_by_round(&mut works);
        let got: Vec<&str> = fast.iter().map(|w| w.id.as_str()).collect();
        let want: Vec<&str> = works.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn keys_are_stable_and_order_independent() {
        let a = work("Lewis", Some(2017), "China’s Global Internet Ambitions");
        let b = work("Lewis", Some(2017), "Cyber Sovereignty");
        let c = work("Nye", Some(2014), "The Regime Complex");
        let mut one = vec![a.clone(), b.clone(), c.clone()];
        let mut two = vec![c, b, a];
        assign_keys(&mut one);
        assign_keys(&mut two);
        let mut k1: Vec<String> = one.into_iter().map(|w| w.id).collect();
        let mut k2: Vec<String> = two.into_iter().map(|w| w.id).collect();
        k1.sort();
        k2.sort();
        assert_eq!(k1, k2);
    }

    #[test]
    fn nameless_works_and_kept_keys() {
        let mut works = vec![
            Work {
                kind: WorkType::Legislation,
                title: Some("Cybersecurity Law of the People’s Republic of China".into()),
                ..Work::default()
            },
            Work {
                id: "mine".into(),
                ..work("Nye", Some(2014), "Regime")
            },
            work("Nye", Some(2014), "Other"),
            Work::default(),
        ];
        fill_missing_keys(&mut works);
        let keys: Vec<&str> = works.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(keys, ["cybersecurity", "mine", "nye2014-other", "untitled"]);
    }
}
