//! Tokens and their features, as AnyStyle cuts and describes them: a token is a run of
//! non-whitespace characters (its punctuation stays on it and is described by features), and each
//! token is described by its word, shape, affixes, punctuation, kind of number, position, whether it
//! stands inside parentheses, quotation marks or italics, the word lists it is in, and the same of
//! its neighbours.

use super::lexicon::{Category, Lexicon};
use crate::model::span::Span;
use crfs::Attribute;

/// The tokens of a reference: every maximal run of non-whitespace characters, as byte ranges.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(Span::new(s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span::new(s, text.len()));
    }
    out
}

/// The token without the punctuation around it, lower-cased (the token itself, lower-cased, when
/// it is all punctuation).
pub fn core_lower(token: &str) -> String {
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        token.to_lowercase()
    } else {
        core.to_lowercase()
    }
}

/// The shape of a token: upper-case letters as `X`, lower-case as `x`, digits as `d`, dashes as
/// `-`, other characters kept; runs of one class squeezed to one (`Smith,` → `Xx,`,
/// `327–335.` → `d-d.`).
pub fn shape(token: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for c in token.chars() {
        // ASCII first: the same classes as the Unicode tests below, fewer instructions
        let k = if c.is_ascii() {
            match c {
                'A'..='Z' => 'X',
                'a'..='z' => 'x',
                '0'..='9' => 'd',
                _ => c,
            }
        } else if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() || c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if matches!(c, '–' | '—' | '‐' | '‑' | '-') {
            '-'
        } else {
            c
        };
        if last != Some(k) {
            out.push(k);
            last = Some(k);
        }
    }
    out
}

/// What kind of number a token is, if any: a year, a page range, a number, or none.
fn number_kind(core: &str) -> Option<&'static str> {
    let digits = core.chars().filter(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let b = core.as_bytes();
    let year = |s: &str| {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        d.len() == 4 && matches!(&d[..2], "15" | "16" | "17" | "18" | "19" | "20")
    };
    if core.chars().all(|c| c.is_ascii_digit()) {
        return Some(if year(core) {
            "year"
        } else if b.len() <= 2 {
            "num2"
        } else {
            "num"
        });
    }
    if year(core) && core.len() == 5 && core.ends_with(|c: char| c.is_ascii_lowercase()) {
        return Some("year"); // 1997a
    }
    let parts: Vec<&str> = core
        .split(['-', '–', '—', '‐'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() == 2 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return Some(if year(parts[0]) && year(parts[1]) {
            "yrange"
        } else {
            "range"
        });
    }
    Some("hasdigit")
}

/// The class of a punctuation character at an edge of a token (`_` for a letter or digit).
fn punct_class(c: Option<char>) -> char {
    match c {
        None => '_',
        Some(c) if c.is_alphanumeric() => '_',
        Some('“' | '”' | '"' | '«' | '»' | '„') => 'q',
        Some('‘' | '’' | '\'') => 's',
        Some('–' | '—' | '-') => '-',
        Some(c) => c,
    }
}

/// What is known of one token before its neighbours are looked at.
struct Item {
    word: String,
    shape: String,
    first: char,
    last: char,
    /// The word lists the word is in ([`Lexicon::get`]).
    lex: u8,
}

/// Words whose presence is a strong sign of a field; each gets its own feature (`kw=`).
fn keyword(word: &str) -> bool {
    matches!(
        word,
        "in" | "eds"
            | "ed"
            | "edn"
            | "edition"
            | "pp"
            | "p"
            | "vol"
            | "vols"
            | "no"
            | "nr"
            | "press"
            | "university"
            | "univ"
            | "verlag"
            | "publishing"
            | "publishers"
            | "doi"
            | "http"
            | "https"
            | "retrieved"
            | "available"
            | "accessed"
            | "and"
            | "et"
            | "al"
            | "trans"
            | "translated"
            | "thesis"
            | "dissertation"
            | "report"
            | "proceedings"
            | "journal"
            | "review"
            | "isbn"
            | "der"
            | "des"
            | "die"
            | "hg"
            | "hrsg"
            | "s"
            | "bd"
    )
}

/// Receives the features of a reference's tokens, in order: [`Sink::token`] before each token's
/// features, then one [`Sink::feature`] per feature, whose name is `prefix` followed by `value`
/// (`w=` and `oxford` for `w=oxford`). The prefix is the name up to its first `=`, that included,
/// or the whole name when it has none (`bias`, `-1:none`). The string features of [`features`] and the compiled
/// tagger's attribute ids are two sinks of the one description of a token, [`describe`].
pub trait Sink {
    /// The features of the next token follow.
    fn token(&mut self);
    /// One feature of the current token, named `prefix` + `value`.
    fn feature(&mut self, prefix: &'static str, value: &str);
    /// A feature whose value is the word (`slot` 0) or the shape (`slot` 1) of token `item` (this
    /// token's or a neighbour's): within one description the value is the same whenever `item`
    /// and `slot` are, so a sink may keep what it computes of it. [`Sink::feature`] by default.
    fn item_feature(&mut self, prefix: &'static str, item: usize, slot: usize, value: &str) {
        let _ = (item, slot);
        self.feature(prefix, value);
    }
}

/// The string features ([`features`]): one list of CRF attributes per token.
impl Sink for Vec<Vec<Attribute>> {
    fn token(&mut self) {
        self.push(Vec::with_capacity(48));
    }

    fn feature(&mut self, prefix: &'static str, value: &str) {
        if let Some(a) = self.last_mut() {
            let mut name = String::with_capacity(prefix.len() + value.len());
            name.push_str(prefix);
            name.push_str(value);
            a.push(Attribute::new(name, 1.0));
        }
    }
}

/// The CRF attributes of every token of `text` (`tokens` from [`tokenize`]); `emphasis` lists the
/// byte ranges set in italics by the source (empty when unknown).
pub fn features(
    text: &str,
    tokens: &[Span],
    emphasis: &[Span],
    lex: &Lexicon,
) -> Vec<Vec<Attribute>> {
    let mut out = Vec::with_capacity(tokens.len());
    describe(text, tokens, emphasis, lex, &mut out);
    out
}

/// The first `k` characters of `s`.
fn prefix_chars(s: &str, k: usize) -> &str {
    s.char_indices().nth(k).map_or(s, |(i, _)| &s[..i])
}

/// The last `k` characters of `s`.
fn suffix_chars(s: &str, k: usize) -> &str {
    s.char_indices()
        .rev()
        .nth(k - 1)
        .map_or(s, |(i, _)| &s[i..])
}

/// `a` then `b`, as text in `buf`.
fn two_chars(buf: &mut [u8; 8], a: char, b: char) -> &str {
    let n = a.encode_utf8(&mut buf[..]).len();
    let m = b.encode_utf8(&mut buf[n..]).len();
    std::str::from_utf8(&buf[..n + m]).unwrap_or_default()
}

/// The letters of the word-list categories, as feature values.
fn lex_letter(c: Category) -> &'static str {
    match c {
        Category::Name => "n",
        Category::Place => "p",
        Category::Publisher => "b",
        Category::Journal => "j",
    }
}

/// The tenths of a reference, as feature values.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// Describes every token of `text` (`tokens` from [`tokenize`]) to `sink`: its word, shape,
/// affixes, punctuation, kind of number, position, parentheses, quotation marks and italics
/// (`emphasis`, the byte ranges the source set in italics), word lists, and those of its
/// neighbours. [`features`] collects the descriptions as strings.
pub fn describe(
    text: &str,
    tokens: &[Span],
    emphasis: &[Span],
    lex: &Lexicon,
    sink: &mut impl Sink,
) {
    let n = tokens.len();
    let items: Vec<Item> = tokens
        .iter()
        .map(|t| {
            let raw = t.slice(text);
            let word = core_lower(raw);
            let lex = lex.get(&word);
            Item {
                word,
                shape: shape(raw),
                first: punct_class(raw.chars().next()),
                last: punct_class(raw.chars().next_back()),
                lex,
            }
        })
        .collect();
    let mut buf = [0u8; 8];
    // inside parentheses, brackets or quotation marks, as the tokens before left it
    let (mut paren, mut quote) = (0i32, false);
    let mut seen_year = false;
    for (i, t) in tokens.iter().enumerate() {
        let raw = t.slice(text);
        let it = &items[i];
        sink.token();
        sink.feature("bias", "");
        sink.item_feature("w=", i, 0, &it.word);
        sink.item_feature("sh=", i, 1, &it.shape);
        let mut f = |prefix: &'static str, value: &str| sink.feature(prefix, value);
        let len = it.word.chars().count();
        for k in 1..=3.min(len) {
            f(["p1=", "p2=", "p3="][k - 1], prefix_chars(&it.word, k));
            f(["s1=", "s2=", "s3="][k - 1], suffix_chars(&it.word, k));
        }
        f("pf=", two_chars(&mut buf, it.first, it.last));
        f("pl=", it.last.encode_utf8(&mut buf));
        let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(k) = number_kind(core) {
            f("num=", k);
            if k == "year" {
                seen_year = true;
            }
        }
        if seen_year {
            f("afteryear", "");
        }
        let upper_first = core.chars().next().is_some_and(char::is_uppercase);
        if upper_first {
            f("cap", "");
            if core.chars().count() == 1 {
                f("initial", "");
            }
            if core
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            {
                f("allcaps", "");
            }
        }
        if raw.contains("://") || raw.starts_with("www.") {
            f("url", "");
        }
        if raw.starts_with("10.") && raw.contains('/') {
            f("doi", "");
        }
        if keyword(&it.word) {
            sink.item_feature("kw=", i, 0, &it.word);
        }
        let mut f = |prefix: &'static str, value: &str| sink.feature(prefix, value);
        for c in Category::ALL {
            if it.lex & c as u8 != 0 {
                f("lex=", lex_letter(c));
            }
        }
        // position: tenths of the reference, and the edges
        f("pos=", DIGITS[(i * 10 / n.max(1)).min(9)]);
        if i == 0 {
            f("first", "");
        }
        if i + 1 == n {
            f("last", "");
        }
        // parentheses and quotation marks opened by the tokens so far (this one included)
        let opens = raw.trim_start_matches(['(', '[']);
        if opens.starts_with(['“', '"', '«']) {
            quote = true;
        }
        paren += raw.matches(['(', '[']).count() as i32;
        if paren > 0 {
            f("paren", "");
        }
        if quote {
            f("quote", "");
        }
        paren = (paren - raw.matches([')', ']']).count() as i32).max(0);
        let closes = raw.trim_end_matches(['.', ',', ';', ':', ')']);
        if raw.contains(['”', '»']) || (closes.len() > 1 && closes.ends_with('"')) {
            quote = false;
        }
        if emphasis
            .iter()
            .any(|e| e.start <= t.start && t.end <= e.end)
        {
            f("ital", "");
        }
        // neighbours
        for (d, names) in NEIGHBOURS {
            let j = i as i64 + d;
            if j < 0 || j >= n as i64 {
                sink.feature(names.none, "");
                continue;
            }
            let j = j as usize;
            let nb = &items[j];
            sink.item_feature(names.w, j, 0, &nb.word);
            if d.abs() == 1 {
                sink.item_feature(names.sh, j, 1, &nb.shape);
                sink.feature(names.pl, nb.last.encode_utf8(&mut buf));
                sink.feature(names.pf, nb.first.encode_utf8(&mut buf));
                for c in Category::ALL {
                    if nb.lex & c as u8 != 0 {
                        sink.feature(names.lex, lex_letter(c));
                    }
                }
            }
        }
    }
}

/// The feature names of one neighbour (at distance `-2`, `-1`, `1` or `2`).
struct Neighbour {
    none: &'static str,
    w: &'static str,
    sh: &'static str,
    pl: &'static str,
    pf: &'static str,
    lex: &'static str,
}

/// The neighbours a token's features describe, and their feature names.
const NEIGHBOURS: [(i64, Neighbour); 4] = [
    (
        -2,
        Neighbour {
            none: "-2:none",
            w: "-2:w=",
            sh: "-2:sh=",
            pl: "-2:pl=",
            pf: "-2:pf=",
            lex: "-2:lex=",
        },
    ),
    (
        -1,
        Neighbour {
            none: "-1:none",
            w: "-1:w=",
            sh: "-1:sh=",
            pl: "-1:pl=",
            pf: "-1:pf=",
            lex: "-1:lex=",
        },
    ),
    (
        1,
        Neighbour {
            none: "1:none",
            w: "1:w=",
            sh: "1:sh=",
            pl: "1:pl=",
            pf: "1:pf=",
            lex: "1:lex=",
        },
    ),
    (
        2,
        Neighbour {
            none: "2:none",
            w: "2:w=",
            sh: "2:sh=",
            pl: "2:pl=",
            pf: "2:pf=",
            lex: "2:lex=",
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_runs_of_non_space_with_offsets() {
        let t = "Smith, J.  (1999).\tTitle";
        let toks: Vec<&str> = tokenize(t).iter().map(|s| s.slice(t)).collect();
        assert_eq!(toks, ["Smith,", "J.", "(1999).", "Title"]);
        assert!(tokenize("   ").is_empty());
        let t = "é “Ça”";
        let spans = tokenize(t);
        assert_eq!(spans[1].slice(t), "“Ça”");
        assert_eq!(spans[1].end, t.len());
    }

    #[test]
    fn shapes_and_words() {
        assert_eq!(shape("Smith,"), "Xx,");
        assert_eq!(shape("327–335."), "d-d.");
        assert_eq!(shape("J."), "X.");
        assert_eq!(shape("Éd-2a½"), "Xx-dxd");
        assert_eq!(shape("(Hg.)"), "(Xx.)");
        assert_eq!(core_lower("(Oxford:"), "oxford");
        assert_eq!(core_lower("—."), "—.");
    }

    #[test]
    fn keywords_are_label_words() {
        for w in [
            "in", "eds", "pp", "vol", "press", "hrsg", "s", "bd", "no", "doi",
        ] {
            assert!(keyword(w), "{w}");
        }
        for w in ["In", "ibid", "", "pp.", "university press"] {
            assert!(!keyword(w), "{w}");
        }
    }

    #[test]
    fn numbers_are_told_apart() {
        assert_eq!(number_kind("1997"), Some("year"));
        assert_eq!(number_kind("1997a"), Some("year"));
        assert_eq!(number_kind("327–335"), Some("range"));
        assert_eq!(number_kind("1990-1995"), Some("yrange"));
        assert_eq!(number_kind("12"), Some("num2"));
        assert_eq!(number_kind("475"), Some("num"));
        assert_eq!(number_kind("Smith"), None);
    }

    #[test]
    fn features_describe_context() {
        let text = "Lee, A. (2001). “On Things.” Oxford: Clarendon Press.";
        let toks = tokenize(text);
        let lex = Lexicon::parse("oxford\tp\npress\tb\n");
        let at = text.find("“On").unwrap_or(0);
        let fs = features(text, &toks, &[Span::new(at, at + 16)], &lex);
        assert_eq!(fs.len(), toks.len());
        let has = |i: usize, name: &str| fs[i].iter().any(|a| a.name == name);
        assert!(has(0, "first") && has(0, "w=lee") && has(0, "sh=Xx,"));
        assert!(has(2, "num=year") && has(2, "paren"));
        assert!(!has(3, "paren") && has(3, "quote") && has(4, "quote"));
        assert!(!has(5, "quote"), "{:?}", fs[5]);
        assert!(has(5, "lex=p") && has(6, "-1:lex=p") && has(7, "lex=b"));
        assert!(has(7, "last") && has(7, "kw=press"));
        assert!(has(5, "afteryear") && !has(1, "afteryear"));
        assert!(has(3, "ital") && !has(5, "ital"));
    }
}
