//! Near matches without comparing everything with everything: family names one letter apart,
//! found through an index of each name with one character left out (a symmetric-deletion index),
//! and the pairs of people of a library that may be one person spelled two ways.
//!
//! Two strings one edit apart (one character substituted, inserted or deleted) have a common
//! string once one character is left out of one or both: the same position left out of each
//! (substituted), or one left out of the longer (inserted). So the names one edit from a name are
//! among those filed under the name or under one of its deletions; the caller then applies its
//! own test to these few, exactly as it would have to every name.

use std::collections::HashMap;

use crate::model::WorkId;

/// Hands `each` `word` with one character left out, at each position in turn (built in one
/// buffer, not a string each: the name index looks up every deletion of every short form).
fn each_deletion(word: &str, mut each: impl FnMut(&str)) {
    let mut buffer = String::with_capacity(word.len());
    for (i, c) in word.char_indices() {
        buffer.clear();
        buffer.push_str(&word[..i]);
        buffer.push_str(&word[i + c.len_utf8()..]);
        each(&buffer);
    }
}

/// The key a string is filed under: a hash (two strings may share one; the caller tests every
/// name it is handed, so a shared key only costs a test).
fn key(s: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(s)
}

/// Map keyed by [`key`]s.
type Keyed<V> = HashMap<u64, V, foldhash::fast::FixedState>;

/// The works by (folded) family name of their first author, with each name also filed under its
/// deletions, so that the names one edit from a given one are found without a scan of all.
///
/// Names are numbered as they come, and filed by hashed keys, not strings: at a hundred thousand
/// notes the string-keyed tables outgrew the cache, and looking names up cost more per note the
/// longer the manuscript (#17).
#[derive(Debug, Default)]
pub(super) struct Families {
    /// Each name, by number, with its works.
    names: Vec<(String, Vec<WorkId>)>,
    /// The numbers of the names with a key.
    by_name: Keyed<Vec<u32>>,
    /// The numbers of the names one of whose deletions has a key.
    by_deletion: Keyed<Vec<u32>>,
}

impl Families {
    /// The number of `family`, if it is filed.
    fn number(&self, family: &str) -> Option<u32> {
        self.by_name
            .get(&key(family))?
            .iter()
            .copied()
            .find(|&n| self.names[n as usize].0 == family)
    }

    /// The works filed under `family` (a new name is filed under its deletions too).
    pub(super) fn works_mut(&mut self, family: &str) -> &mut Vec<WorkId> {
        let n = match self.number(family) {
            Some(n) => n,
            None => {
                let n = self.names.len() as u32;
                self.names.push((family.to_owned(), Vec::new()));
                self.by_name.entry(key(family)).or_default().push(n);
                each_deletion(family, |d| {
                    let list = self.by_deletion.entry(key(d)).or_default();
                    // (a name with a doubled letter has the same deletion twice)
                    if list.last() != Some(&n) {
                        list.push(n);
                    }
                });
                n
            }
        };
        &mut self.names[n as usize].1
    }

    /// The works filed under `family` itself.
    pub(super) fn works(&self, family: &str) -> &[WorkId] {
        self.number(family)
            .map_or(&[], |n| self.names[n as usize].1.as_slice())
    }

    /// Hands `visit` the works of `first` itself and of every name `near(name)` accepts among
    /// those one edit from `first` or closer (each name once, in no particular order). Every name
    /// one edit from `first` is tried; others may be.
    pub(super) fn visit_near(
        &self,
        first: &str,
        near: impl Fn(&str) -> bool,
        mut visit: impl FnMut(&[WorkId]),
    ) {
        let mut numbers: Vec<u32> = Vec::new();
        // inserted: `first` is a deletion of the name
        numbers.extend(self.by_deletion.get(&key(first)).into_iter().flatten());
        each_deletion(first, |d| {
            let k = key(d);
            // deleted: the name is a deletion of `first`
            numbers.extend(self.by_name.get(&k).into_iter().flatten());
            // substituted: the same deletion of both
            numbers.extend(self.by_deletion.get(&k).into_iter().flatten());
        });
        numbers.sort_unstable();
        numbers.dedup();
        let itself = self.number(first);
        if let Some(n) = itself {
            visit(&self.names[n as usize].1);
        }
        for n in numbers {
            let (name, works) = &self.names[n as usize];
            if Some(n) != itself && near(name) {
                visit(works);
            }
        }
    }
}

/// A person's name as written (family, given) and folded (family, given).
pub(super) type Person<'a> = ((&'a str, &'a str), (String, String));

/// The pairs `(i, j)`, `i < j`, in increasing order, of people who may be one person spelled two
/// ways, for a test of each pair that can accept only a pair with the same folded family name, or
/// with the same (non-empty) folded given name and folded family names one edit apart. `people`
/// holds each person's name as written (family, given) and folded (family, given). Pairs of the
/// same name as written are left out (one spelling).
pub(super) fn variant_pairs(people: &[Person]) -> Vec<(usize, usize)> {
    // each name as written once, with where it occurs
    let mut distinct: HashMap<(&str, &str), usize> = HashMap::new();
    let mut occurs: Vec<Vec<usize>> = Vec::new();
    let mut folded: Vec<&(String, String)> = Vec::new();
    for (i, (written, keys)) in people.iter().enumerate() {
        let n = *distinct.entry(*written).or_insert_with(|| {
            occurs.push(Vec::new());
            folded.push(keys);
            occurs.len() - 1
        });
        occurs[n].push(i);
    }
    // names that share a folded family, or a folded given name and a family or one of its
    // deletions
    let mut buckets: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    for (n, (family, given)) in folded.iter().enumerate() {
        buckets.entry(("", family.clone())).or_default().push(n);
        if !given.is_empty() {
            let given = given.as_str();
            // a bucket keyed by a given name can't meet one keyed by none: given is not empty
            buckets.entry((given, family.clone())).or_default().push(n);
            each_deletion(family, |d| {
                buckets.entry((given, d.to_owned())).or_default().push(n);
            });
        }
    }
    let mut names: Vec<(usize, usize)> = Vec::new();
    for list in buckets.values() {
        for (a, &x) in list.iter().enumerate() {
            for &y in &list[a + 1..] {
                if x != y {
                    names.push((x.min(y), x.max(y)));
                }
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (x, y) in names {
        for &i in &occurs[x] {
            for &j in &occurs[y] {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_one_edit_away_are_all_visited() {
        let names = [
            "schmidt",
            "schmid",
            "schmitt",
            "schmidtt",
            "smith",
            "schmidt jr",
            "xschmidt",
            "mao",
        ];
        let mut f = Families::default();
        for (id, n) in names.iter().enumerate() {
            f.works_mut(n).push(id);
        }
        let mut got = Vec::new();
        f.visit_near(
            "schmidt",
            |n| crate::fold::edit_distance(n, "schmidt") == 1,
            |l| got.extend_from_slice(l),
        );
        got.sort_unstable();
        assert_eq!(got, [0, 1, 2, 3, 6]);
    }

    #[test]
    fn variant_pairs_are_every_pair_that_can_be_one() {
        let person = |f: &'static str, g: &'static str| {
            ((f, g), (crate::fold::family(f), crate::fold::key(g)))
        };
        let people = [
            person("Schmidt", "John"),
            person("Smith", "John"),
            person("Schmid", "John"),
            person("Schmidt", "J."),
            person("Schmidt", "John"),
            person("Lee", "Ann"),
            person("Schmid", "Jane"),
        ];
        let pairs = variant_pairs(&people);
        // same family: 0-3, 0-4 (same name written the same way: left out), 3-4, 2-6;
        // one edit with the same given name: 0-2, 2-4
        assert_eq!(pairs, [(0, 2), (0, 3), (2, 4), (2, 6), (3, 4)]);
    }
}
