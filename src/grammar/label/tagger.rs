//! The labeller's own tagger: the weights of a CRFsuite model read once into compact tables, the
//! features of [`describe`] looked up as attribute ids without building a string per feature, and
//! a Viterbi search of its own.
//!
//! It gives the labels `crfs`'s tagger gives for the same model, bit for bit: the state scores are
//! summed in the same order (the token's features in the order described, each attribute's
//! weights in the model's order) and the search breaks ties as CRFsuite does (the first best
//! label). `tests/labeller.rs` asserts it over the dev part of the split. What it saves is the
//! string built per feature, the attribute name's hashing in the model's string database and the
//! unpacking of every weight from the model's bytes at every use: measured with callgrind on the
//! dev part, labelling a reference took 1.33 million instructions with `format!`-built features
//! and `crfs`'s tagger, and takes 0.34 million with these tables (describing the tokens about
//! 0.25 million, the Viterbi search 0.07 million).

use std::cell::RefCell;
use std::io;

use super::features::{describe, Sink};
use super::lexicon::Lexicon;
use crate::model::span::Span;

/// No attribute (a feature the model does not know).
const NONE: u32 = u32::MAX;

/// An attribute with this many weights or more has them in a dense row: adding a whole row is
/// fewer instructions than adding them one label at a time, and adding 0 where the model has no
/// weight leaves every sum as it was.
const DENSE_FROM: usize = 6;

/// A CRFsuite model's weights, in tables indexed by attribute and label id.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The model's labels, by id.
    labels: Vec<String>,
    /// Transition scores, transposed: `trans_t[j * L + i]` is the score of label `i` followed
    /// by label `j`.
    trans_t: Vec<f64>,
    /// Where each attribute's state weights start in `weights` (one more entry than attributes).
    starts: Vec<u32>,
    /// State weights: `(label, weight)`, each attribute's in the model's order; empty for an
    /// attribute with a dense row.
    weights: Vec<(u32, f64)>,
    /// The dense row (one weight per label, 0 where the model has none) of each attribute with
    /// at least [`DENSE_FROM`] weights, by attribute id ([`NONE`] for the others).
    dense_of: Vec<u32>,
    /// The dense rows, one after another.
    dense: Vec<f64>,
    /// The attribute names (concatenated) for the lookup table.
    names: String,
    /// Where each attribute's name ends in `names` (it starts where the one before ends).
    name_ends: Vec<u32>,
    /// Open-addressing table of `(hash, attribute id)` by name hash (id [`NONE`] for an empty
    /// slot; the hash's low 32 bits, compared before the name).
    slots: Vec<(u32, u32)>,
}

/// A little-endian `u32` at `at`.
fn u32_at(b: &[u8], at: usize) -> io::Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "model truncated"))
}

/// A little-endian `f64` at `at`.
fn f64_at(b: &[u8], at: usize) -> io::Result<f64> {
    let s = b
        .get(at..at + 8)
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "model truncated"))?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Ok(f64::from_le_bytes(a))
}

/// The multiplier of `rustc`'s FxHash.
const K: u64 = 0x517c_c1b7_2722_0a95;

/// The hash of one piece of a name: eight bytes at a time, its length included (the
/// rotate-xor-multiply step of `rustc`'s FxHash).
fn piece_hash(piece: &[u8]) -> u64 {
    let mut h: u64 = 0;
    let mut chunks = piece.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
    }
    let tail = chunks
        .remainder()
        .iter()
        .rev()
        .fold(0u64, |w, &b| (w << 8) | u64::from(b));
    (h.rotate_left(5) ^ tail ^ ((piece.len() as u64) << 56)).wrapping_mul(K)
}

/// The hash of an attribute name from the hashes of its prefix and value ([`Sink::feature`]).
fn combine(prefix: u64, value: u64) -> u64 {
    let h = (prefix.rotate_left(5) ^ value).wrapping_mul(K);
    h ^ (h >> 32)
}

/// The hash of an attribute name as its prefix and value.
fn hash(prefix: &[u8], value: &[u8]) -> u64 {
    combine(piece_hash(prefix), piece_hash(value))
}

/// An attribute name cut as [`Sink::feature`] receives it: the prefix up to the first `=`, that
/// included, and the value after it (the whole name and nothing when it has no `=`).
fn split_name(name: &str) -> (&str, &str) {
    name.find('=').map_or((name, ""), |k| name.split_at(k + 1))
}

impl Compiled {
    /// Reads a model in CRFsuite's binary format (as written by `crfs::Trainer`): the names of
    /// labels and attributes through `crfs`, the weights and the order of each attribute's
    /// weights from the feature and reference tables of the file.
    pub fn new(bytes: &[u8]) -> io::Result<Compiled> {
        let model = crfs::Model::new(bytes)?;
        let (num_labels, num_attrs) = (model.num_labels() as usize, model.num_attrs() as usize);
        let num_features = u32_at(bytes, 16)? as usize;
        let (off_features, off_attr_refs) = (u32_at(bytes, 28)? as usize, u32_at(bytes, 44)?);
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
        let labels: Vec<String> = (0..num_labels as u32)
            .map(|i| {
                model
                    .to_label(i)
                    .map(str::to_owned)
                    .ok_or_else(|| bad("label"))
            })
            .collect::<io::Result<_>>()?;
        // a feature: type, source, target (u32 each), weight (f64), after a 12-byte chunk header
        let feature = |fid: usize| -> io::Result<(u32, u32, u32, f64)> {
            let at = off_features + 12 + 20 * fid;
            Ok((
                u32_at(bytes, at)?,
                u32_at(bytes, at + 4)?,
                u32_at(bytes, at + 8)?,
                f64_at(bytes, at + 12)?,
            ))
        };
        let mut trans_t = vec![0.0; num_labels * num_labels];
        for fid in 0..num_features {
            let (kind, source, target, weight) = feature(fid)?;
            if kind == 1 {
                let (i, j) = (source as usize, target as usize);
                if i >= num_labels || j >= num_labels {
                    return Err(bad("transition"));
                }
                trans_t[j * num_labels + i] = weight;
            }
        }
        let mut starts = Vec::with_capacity(num_attrs + 1);
        let mut weights = Vec::new();
        let mut dense_of = Vec::with_capacity(num_attrs);
        let mut dense = Vec::new();
        let mut names = String::new();
        let mut name_ends = Vec::with_capacity(num_attrs);
        for a in 0..num_attrs {
            starts.push(weights.len() as u32);
            let at = u32_at(bytes, off_attr_refs as usize + 12 + 4 * a)? as usize;
            let count = u32_at(bytes, at)? as usize;
            let mut row = Vec::with_capacity(count);
            for r in 0..count {
                let fid = u32_at(bytes, at + 4 + 4 * r)? as usize;
                let (_, _, target, weight) = feature(fid)?;
                if target as usize >= num_labels || row.iter().any(|&(t, _)| t == target) {
                    return Err(bad("state feature"));
                }
                row.push((target, weight));
            }
            if count >= DENSE_FROM {
                dense_of.push((dense.len() / num_labels.max(1)) as u32);
                let at = dense.len();
                dense.resize(at + num_labels, 0.0);
                for (t, w) in row {
                    dense[at + t as usize] = w;
                }
            } else {
                dense_of.push(NONE);
                weights.extend(row);
            }
            names.push_str(model.to_attr(a as u32).ok_or_else(|| bad("attribute"))?);
            name_ends.push(names.len() as u32);
        }
        starts.push(weights.len() as u32);
        let size = (num_attrs * 2).next_power_of_two().max(16);
        let mut c = Compiled {
            labels,
            trans_t,
            starts,
            weights,
            dense_of,
            dense,
            names,
            name_ends,
            slots: vec![(0, NONE); size],
        };
        for a in 0..num_attrs {
            let (prefix, value) = split_name(c.name(a as u32));
            let h = hash(prefix.as_bytes(), value.as_bytes());
            let mut k = h as usize & (size - 1);
            while c.slots[k].1 != NONE {
                k = (k + 1) & (size - 1);
            }
            c.slots[k] = (h as u32, a as u32);
        }
        Ok(c)
    }

    /// The name of attribute `a`.
    fn name(&self, a: u32) -> &str {
        let end = self.name_ends[a as usize] as usize;
        let start = if a == 0 {
            0
        } else {
            self.name_ends[a as usize - 1] as usize
        };
        &self.names[start..end]
    }

    /// The id of the attribute named `prefix` + `value` (whose hash is `h`), if the model knows it.
    fn attr(&self, h: u64, prefix: &str, value: &str) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut k = h as usize & mask;
        loop {
            let (tag, a) = self.slots[k];
            if a == NONE {
                return None;
            }
            if tag == h as u32 {
                let name = self.name(a).as_bytes();
                if name.len() == prefix.len() + value.len() {
                    let (p, v) = name.split_at(prefix.len());
                    if p == prefix.as_bytes() && v == value.as_bytes() {
                        return Some(a);
                    }
                }
            }
            k = (k + 1) & mask;
        }
    }

    /// The model's label names, by id.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The label ids of the tokens of `text` (`tokens` from [`super::tokenize`]), the best
    /// sequence under the model; `emphasis` and `lex` as for [`describe`].
    pub fn tag(&self, text: &str, tokens: &[Span], emphasis: &[Span], lex: &Lexicon) -> Vec<u32> {
        if tokens.is_empty() {
            return Vec::new();
        }
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let l = self.labels.len();
            s.state.clear();
            s.values.clear();
            s.values.resize(2 * tokens.len(), 0);
            let Scratch {
                state,
                alpha,
                back,
                values,
            } = &mut *s;
            let mut scorer = Scorer {
                model: self,
                state,
                row: 0,
                values,
                prefixes: [(0, 0, 0); PREFIX_SLOTS],
            };
            describe(text, tokens, emphasis, lex, &mut scorer);
            viterbi(&self.trans_t, l, state, alpha, back)
        })
    }
}

/// Buffers reused from one reference to the next (per thread).
#[derive(Default)]
struct Scratch {
    /// State scores, `[token][label]`.
    state: Vec<f64>,
    /// Best path scores, `[token][label]`.
    alpha: Vec<f64>,
    /// Best previous label, `[token][label]`.
    back: Vec<u32>,
    /// The hash of each token's word and shape, once computed (0 before).
    values: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Sums each token's state scores as its features are described.
struct Scorer<'a> {
    model: &'a Compiled,
    state: &'a mut Vec<f64>,
    /// Where the current token's scores start in `state`.
    row: usize,
    /// The hashes of the tokens' words and shapes ([`Sink::item_feature`]), 0 until computed.
    values: &'a mut Vec<u64>,
    /// Prefix hashes by the prefix's address and length ([`Scorer::prefix_hash`]).
    prefixes: [(usize, usize, u64); PREFIX_SLOTS],
}

/// The size of the table of prefix hashes.
const PREFIX_SLOTS: usize = 61;

impl Scorer<'_> {
    /// The hash of a feature name's prefix, kept by the address of the prefix (a `'static`
    /// string, whose text never changes) in a small table.
    fn prefix_hash(&mut self, prefix: &'static str) -> u64 {
        let key = prefix.as_ptr() as usize;
        let slot = &mut self.prefixes[(key >> 2) % PREFIX_SLOTS];
        if slot.0 == key && slot.1 == prefix.len() {
            return slot.2;
        }
        let h = piece_hash(prefix.as_bytes());
        *slot = (key, prefix.len(), h);
        h
    }

    /// Adds the weights of the attribute named `prefix` + `value` (hash `h`) to the current
    /// token's scores.
    fn add(&mut self, h: u64, prefix: &str, value: &str) {
        let m = self.model;
        let Some(a) = m.attr(h, prefix, value) else {
            return;
        };
        let l = m.labels.len();
        let row = &mut self.state[self.row..self.row + l];
        let d = m.dense_of[a as usize];
        if d != NONE {
            let ws = &m.dense[d as usize * l..(d as usize + 1) * l];
            for (s, w) in row.iter_mut().zip(ws) {
                *s += w;
            }
            return;
        }
        let (from, to) = (
            m.starts[a as usize] as usize,
            m.starts[a as usize + 1] as usize,
        );
        for &(label, weight) in &m.weights[from..to] {
            row[label as usize] += weight;
        }
    }
}

impl Sink for Scorer<'_> {
    fn token(&mut self) {
        self.row = self.state.len();
        self.state.resize(self.row + self.model.labels.len(), 0.0);
    }

    fn feature(&mut self, prefix: &'static str, value: &str) {
        let h = combine(self.prefix_hash(prefix), piece_hash(value.as_bytes()));
        self.add(h, prefix, value);
    }

    fn item_feature(&mut self, prefix: &'static str, item: usize, slot: usize, value: &str) {
        let k = 2 * item + slot;
        let v = match self.values.get(k) {
            Some(&v) if v != 0 => v,
            _ => {
                let v = piece_hash(value.as_bytes());
                if let Some(c) = self.values.get_mut(k) {
                    *c = v;
                }
                v
            }
        };
        let h = combine(self.prefix_hash(prefix), v);
        self.add(h, prefix, value);
    }
}

/// The best label sequence for state scores `state` (`[token][label]`, `l` labels) and
/// transposed transition scores `trans_t`, ties broken towards the lower label as CRFsuite does.
fn viterbi(
    trans_t: &[f64],
    l: usize,
    state: &[f64],
    alpha: &mut Vec<f64>,
    back: &mut Vec<u32>,
) -> Vec<u32> {
    let n = state.len() / l;
    alpha.clear();
    alpha.resize(n * l, 0.0);
    back.clear();
    back.resize(n * l, 0);
    alpha[..l].copy_from_slice(&state[..l]);
    for t in 1..n {
        let (before, now) = alpha.split_at_mut(l * t);
        let prev = &before[l * (t - 1)..];
        let state_t = &state[l * t..l * (t + 1)];
        let back_t = &mut back[l * t..l * (t + 1)];
        // two labels at a time, sharing the reads of the previous scores
        let mut j = 0;
        while j + 1 < l {
            let (c0, c1) = (
                &trans_t[l * j..l * (j + 1)],
                &trans_t[l * (j + 1)..l * (j + 2)],
            );
            let (mut b0, mut a0, mut b1, mut a1) = (f64::MIN, 0u32, f64::MIN, 0u32);
            for (i, ((p, x0), x1)) in prev.iter().zip(c0).zip(c1).enumerate() {
                let (s0, s1) = (p + x0, p + x1);
                if b0 < s0 {
                    b0 = s0;
                    a0 = i as u32;
                }
                if b1 < s1 {
                    b1 = s1;
                    a1 = i as u32;
                }
            }
            back_t[j] = a0;
            back_t[j + 1] = a1;
            now[j] = b0 + state_t[j];
            now[j + 1] = b1 + state_t[j + 1];
            j += 2;
        }
        if j < l {
            let col = &trans_t[l * j..l * (j + 1)];
            let (mut best, mut arg) = (f64::MIN, 0u32);
            for (i, (p, tr)) in prev.iter().zip(col).enumerate() {
                let score = p + tr;
                if best < score {
                    best = score;
                    arg = i as u32;
                }
            }
            back_t[j] = arg;
            now[j] = best + state_t[j];
        }
    }
    let mut labels = vec![0u32; n];
    let mut best = f64::MIN;
    for (i, &a) in alpha[l * (n - 1)..].iter().enumerate() {
        if best < a {
            best = a;
            labels[n - 1] = i as u32;
        }
    }
    for t in (0..n - 1).rev() {
        labels[t] = back[l * (t + 1) + labels[t + 1] as usize];
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_follows_transitions_and_breaks_ties_low() {
        // two labels; staying is rewarded, so the strong first token carries the second
        let trans_t = [1.0, -1.0, -1.0, 1.0];
        let state = [0.0, 3.0, 0.5, 0.0];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(viterbi(&trans_t, 2, &state, &mut a, &mut b), [1, 1]);
        // three labels (one left over after the pairs): the middle one wins, then stays
        let trans_t = [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0];
        let state = [0.0, 1.0, 0.0, 0.2, 0.0, 0.3];
        assert_eq!(viterbi(&trans_t, 3, &state, &mut a, &mut b), [1, 1]);
        // a tie everywhere goes to label 0
        let state = [0.0; 6];
        assert_eq!(viterbi(&[0.0; 4], 2, &state, &mut a, &mut b), [0, 0, 0]);
    }

    #[test]
    fn names_split_at_the_first_equals_sign() {
        assert_eq!(split_name("w=oxford"), ("w=", "oxford"));
        assert_eq!(split_name("-1:lex=n"), ("-1:lex=", "n"));
        assert_eq!(split_name("sh=x=x"), ("sh=", "x=x"));
        assert_eq!(split_name("-2:none"), ("-2:none", ""));
        assert_ne!(hash(b"w=", b"oxford"), hash(b"w=o", b"xford"));
        assert_ne!(hash(b"w=", b"oxfordshire"), hash(b"w=", b"oxford"));
    }
}
