//! Nesting of quotation marks, parentheses and brackets in a text, computed once per note so that
//! every later search can ask "is this byte at the top level?" in constant time.

/// What kind of pair opened a nesting level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pair {
    Paren,
    Bracket,
    Curly,
    Single,
    Straight,
    Guillemet,
}

impl Pair {
    pub(crate) fn is_quote(self) -> bool {
        matches!(
            self,
            Pair::Curly | Pair::Single | Pair::Straight | Pair::Guillemet
        )
    }
}

/// The nesting structure of a text.
#[derive(Debug, Clone)]
pub(crate) struct Scan<'a> {
    /// The text.
    pub text: &'a str,
    depth: Vec<u8>,
    /// Matched pairs: (open byte, close byte, kind), sorted by open byte.
    pairs: Vec<(usize, usize, Pair)>,
    /// Openers that were never closed: (byte, kind).
    pub unclosed: Vec<(usize, Pair)>,
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

impl<'a> Scan<'a> {
    /// Scans `text`.
    pub(crate) fn new(text: &'a str) -> Scan<'a> {
        let mut stack: Vec<(usize, Pair)> = Vec::new();
        let mut pairs = Vec::new();
        let mut unclosed = Vec::new();
        let mut prev: Option<char> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let next = iter.peek().map(|&(_, c)| c);
            let close = |stack: &mut Vec<(usize, Pair)>,
                         pairs: &mut Vec<(usize, usize, Pair)>,
                         unclosed: &mut Vec<(usize, Pair)>,
                         kind: Pair|
             -> bool {
                if let Some(at) = stack.iter().rposition(|&(_, k)| k == kind) {
                    while stack.len() > at + 1 {
                        if let Some(u) = stack.pop() {
                            unclosed.push(u);
                        }
                    }
                    if let Some((open, k)) = stack.pop() {
                        pairs.push((open, i, k));
                    }
                    true
                } else {
                    false
                }
            };
            match c {
                '(' => stack.push((i, Pair::Paren)),
                '[' => stack.push((i, Pair::Bracket)),
                '“' => stack.push((i, Pair::Curly)),
                '«' => stack.push((i, Pair::Guillemet)),
                ')' => {
                    close(&mut stack, &mut pairs, &mut unclosed, Pair::Paren);
                }
                ']' => {
                    close(&mut stack, &mut pairs, &mut unclosed, Pair::Bracket);
                }
                '”' => {
                    close(&mut stack, &mut pairs, &mut unclosed, Pair::Curly);
                }
                '»' => {
                    close(&mut stack, &mut pairs, &mut unclosed, Pair::Guillemet);
                }
                '‘' if !is_word_char(prev) => stack.push((i, Pair::Single)),
                '’' => {
                    let apostrophe = is_word_char(prev) && is_word_char(next);
                    if !apostrophe && stack.iter().any(|&(_, k)| k == Pair::Single) {
                        close(&mut stack, &mut pairs, &mut unclosed, Pair::Single);
                    }
                }
                '"' => {
                    let top_quote = stack.iter().rev().find(|(_, k)| k.is_quote()).map(|p| p.1);
                    if top_quote == Some(Pair::Straight)
                        && (!is_word_char(next) || is_word_char(prev))
                    {
                        close(&mut stack, &mut pairs, &mut unclosed, Pair::Straight);
                    } else if !is_word_char(prev) {
                        stack.push((i, Pair::Straight));
                    }
                }
                _ => {}
            }
            prev = Some(c);
        }
        unclosed.extend(stack);
        unclosed.sort_unstable();
        pairs.sort_unstable();
        let mut diff = vec![0i32; text.len() + 1];
        for &(open, close, _) in &pairs {
            let inner = open + text[open..].chars().next().map_or(1, char::len_utf8);
            diff[inner] += 1;
            diff[close] -= 1;
        }
        let mut depth = Vec::with_capacity(text.len());
        let mut d = 0i32;
        for v in diff.iter().take(text.len()) {
            d += v;
            depth.push(d.clamp(0, 255) as u8);
        }
        Scan {
            text,
            depth,
            pairs,
            unclosed,
        }
    }

    /// True when byte `i` lies outside every quotation, parenthesis and bracket.
    pub(crate) fn top(&self, i: usize) -> bool {
        self.depth.get(i).is_none_or(|&d| d == 0)
    }

    /// Nesting depth at byte `i`.
    pub(crate) fn depth(&self, i: usize) -> u8 {
        self.depth.get(i).copied().unwrap_or(0)
    }

    /// The closing byte of the pair opened at `open`.
    pub(crate) fn close_of(&self, open: usize) -> Option<(usize, Pair)> {
        self.pairs
            .binary_search_by_key(&open, |p| p.0)
            .ok()
            .map(|i| (self.pairs[i].1, self.pairs[i].2))
    }

    /// First occurrence of `pat` in `from..to` whose first byte is at depth `level` or less.
    pub(crate) fn find_at(&self, from: usize, to: usize, pat: &str, level: u8) -> Option<usize> {
        let hay = self.text.get(from..to)?;
        let mut start = 0;
        while let Some(k) = find_in(&hay[start..], pat) {
            let at = from + start + k;
            if self.depth(at) <= level {
                return Some(at);
            }
            start += k + pat.len().max(1);
        }
        None
    }

    /// First top-level occurrence of `pat` in `from..to`.
    pub(crate) fn find_top(&self, from: usize, to: usize, pat: &str) -> Option<usize> {
        self.find_at(from, to, pat, 0)
    }

    /// Last top-level occurrence of `pat` in `from..to`.
    pub(crate) fn rfind_top(&self, from: usize, to: usize, pat: &str) -> Option<usize> {
        let hay = self.text.get(from..to)?;
        let mut end = hay.len();
        while let Some(k) = rfind_in(&hay[..end], pat) {
            let at = from + k;
            if self.top(at) {
                return Some(at);
            }
            end = k;
        }
        None
    }

    /// Top-level positions of byte `b` in `from..to`.
    pub(crate) fn split_top(&self, from: usize, to: usize, b: u8) -> Vec<usize> {
        let bytes = self.text.as_bytes();
        (from..to.min(bytes.len()))
            .filter(|&i| bytes[i] == b && self.top(i))
            .collect()
    }

    /// Ends of the top-level sentences in `from..to` (each end is the byte after its `.`, `?` or
    /// `!`), the last one being `to`. A period after an initial or a known abbreviation does not end
    /// a sentence, nor one followed by a lower-case letter.
    pub(crate) fn sentence_ends(&self, from: usize, to: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        let bytes = self.text.as_bytes();
        let mut i = from;
        while i < to {
            let b = bytes[i];
            if (b == b'.' || b == b'?' || b == b'!') && self.top(i) && i + 1 < to {
                let after = &self.text[i + 1..to];
                let rest = after.trim_start();
                let has_space = rest.len() < after.len();
                let next = rest.chars().next();
                let starts_new = has_space
                    && next.is_some_and(|c| {
                        c.is_uppercase() || c.is_ascii_digit() || "“‘\"([«".contains(c)
                    });
                if starts_new && (b != b'.' || !abbreviation_before(&self.text[from..i])) {
                    ends.push(i + 1);
                }
            }
            i += 1;
        }
        ends.push(to);
        ends
    }
}

/// Words whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "ed",
    "eds",
    "trans",
    "vol",
    "vols",
    "no",
    "nos",
    "pp",
    "p",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "al",
    "repr",
    "rev",
    "comp",
    "chap",
    "ch",
    "art",
    "arts",
    "sec",
    "cf",
    "esp",
    "ca",
    "c",
    "n.d",
    "op",
    "cit",
    "loc",
    "ibid",
    "id",
    "e.g",
    "i.e",
    "viz",
    "vs",
    "v",
    "inc",
    "co",
    "ltd",
    "univ",
    "dept",
    "fig",
    "figs",
    "para",
    "paras",
    "n",
    "nn",
    "fol",
    "ff",
    "et",
    "ibidem",
    "transl",
    "eng",
    "pt",
    "ser",
    "suppl",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "hrsg",
    "dir",
    "coord",
    "diss",
    "ph.d",
    "phd",
    "ms",
    "mss",
    "ps",
    "u.s",
    "u.k",
    "d.c",
    "j",
    "am",
    "appl",
    "phys",
    "chem",
    "soc",
    "lett",
    "int",
    "res",
    "sci",
    "med",
    "biol",
    "acad",
    "natl",
    "nat",
    "proc",
    "environ",
    "geophys",
    "astron",
    "astrophys",
    "mol",
    "clin",
    "gen",
    "inst",
    "mech",
    "math",
    "stat",
    "comput",
    "syst",
    "technol",
    "ecol",
    "evol",
    "psychol",
    "econ",
    "polit",
    "hist",
    "philos",
    "anal",
    "bull",
    "mag",
    "ann",
    "annu",
    "curr",
    "opin",
    "eur",
    "br",
    "brit",
    "jpn",
    "chin",
    "ind",
    "exp",
    "theor",
    "pharm",
    "pharmacol",
    "neurosci",
    "physiol",
    "biochem",
    "biophys",
    "immunol",
    "microbiol",
    "genet",
    "dev",
    "struct",
    "mater",
    "electron",
    "commun",
    "inf",
    "softw",
    "quart",
    "assoc",
    "conf",
    "symp",
    "mon",
    "roy",
    "sociol",
    "anthropol",
    "archaeol",
    "linguist",
    "lang",
    "lit",
    "rep",
    "educ",
    "stud",
    "geol",
    "behav",
    "cogn",
    "surg",
    "oncol",
    "neurol",
    "radiol",
    "cardiol",
    "opt",
    "nucl",
    "adv",
    "acta",
    "z",
    "q",
    "trop",
    "vet",
    "agric",
    "zool",
    "bot",
    "entomol",
    "epidemiol",
    "infect",
    "dis",
    "nutr",
    "hum",
    "ther",
    "syndr",
    "defic",
    "acquir",
    "gastroenterol",
    "endocrinol",
    "metab",
    "hematol",
    "dermatol",
    "ophthalmol",
    "pediatr",
    "obstet",
    "gynecol",
    "urol",
    "nephrol",
    "rheumatol",
    "respir",
    "crit",
    "emerg",
    "anesth",
    "orthop",
    "dent",
    "pathol",
    "toxicol",
    "manag",
    "oper",
    "contin",
    "dyn",
    "pub",
    "publ",
    "cell",
    "cybern",
    "electr",
    "sys",
    "geogr",
];

/// `hay.find(pat)`; a one-byte (ASCII) pattern by a byte search, without the set-up of a
/// substring searcher (an ASCII byte never occurs inside another character in UTF-8).
fn find_in(hay: &str, pat: &str) -> Option<usize> {
    match pat.as_bytes() {
        [b] if b.is_ascii() => hay.bytes().position(|c| c == *b),
        _ => hay.find(pat),
    }
}

/// `hay.rfind(pat)`, as [`find_in`].
fn rfind_in(hay: &str, pat: &str) -> Option<usize> {
    match pat.as_bytes() {
        [b] if b.is_ascii() => hay.bytes().rposition(|c| c == *b),
        _ => hay.rfind(pat),
    }
}

/// True when the text before a period ends with an initial or an abbreviation.
pub(crate) fn abbreviation_before(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == ',')
        .next()
        .unwrap_or("");
    // an initial (`J`), or initials such as D.J or J.-P: five characters at most
    if word.chars().nth(5).is_none() && word.starts_with(char::is_uppercase) {
        if word.chars().nth(1).is_none() {
            return true;
        }
        if word
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '-')
            && word.contains('.')
        {
            return true;
        }
    }
    is_abbreviation(word)
}

/// `word`, lower-cased, is one of [`ABBREVIATIONS`]; without an allocation for an ASCII word.
fn is_abbreviation(word: &str) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v = ABBREVIATIONS.to_vec();
        v.sort_unstable();
        v
    });
    if !word.is_ascii() {
        return sorted.binary_search(&word.to_lowercase().as_str()).is_ok();
    }
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..word.len()) else {
        // longer than any abbreviation
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|l| sorted.binary_search(&l).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_double_quotes_match() {
        let t = "“Introduction: The “Fragmented” Model” in X";
        let s = Scan::new(t);
        assert!(s.unclosed.is_empty());
        assert!(s.top(t.find(" in").unwrap()));
        assert!(!s.top(t.find("Model").unwrap()));
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let t = "‘China’s Solution’ and ‘Internet Sovereignty,’” x";
        let s = Scan::new(t);
        assert!(s.top(t.find(" and").unwrap()));
        assert_eq!(s.unclosed.len(), 0);
    }

    #[test]
    fn unclosed_quote_is_reported_and_ignored() {
        let t = "Zhou, “Historicizing Online Politics. Stanford (2016).";
        let s = Scan::new(t);
        assert_eq!(s.unclosed.len(), 1);
        assert!(s.top(t.find(". Stanford").unwrap()));
        assert_eq!(s.sentence_ends(0, t.len()).len(), 2);
    }

    #[test]
    fn initials_do_not_end_sentences() {
        let t = "Sending, O., & Neumann, I. (2011). Banking on power. In E. Adler";
        let s = Scan::new(t);
        let ends = s.sentence_ends(0, t.len());
        assert_eq!(ends.len(), 3, "{ends:?}");
    }
}
