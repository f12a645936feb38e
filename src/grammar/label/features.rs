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
        let k = if c.is_uppercase() {
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
}

/// Words whose presence is a strong sign of a field; each gets its own feature.
const KEYWORDS: &[&str] = &[
    "in",
    "eds",
    "ed",
    "edn",
    "edition",
    "pp",
    "p",
    "vol",
    "vols",
    "no",
    "nr",
    "press",
    "university",
    "univ",
    "verlag",
    "publishing",
    "publishers",
    "doi",
    "http",
    "https",
    "retrieved",
    "available",
    "accessed",
    "and",
    "et",
    "al",
    "trans",
    "translated",
    "thesis",
    "dissertation",
    "report",
    "proceedings",
    "journal",
    "review",
    "isbn",
    "der",
    "des",
    "die",
    "hg",
    "hrsg",
    "s",
    "bd",
    "no",
];

/// The CRF attributes of every token of `text` (`tokens` from [`tokenize`]); `emphasis` lists the
/// byte ranges set in italics by the source (empty when unknown).
pub fn features(
    text: &str,
    tokens: &[Span],
    emphasis: &[Span],
    lex: &Lexicon,
) -> Vec<Vec<Attribute>> {
    let n = tokens.len();
    let items: Vec<Item> = tokens
        .iter()
        .map(|t| {
            let raw = t.slice(text);
            Item {
                word: core_lower(raw),
                shape: shape(raw),
                first: punct_class(raw.chars().next()),
                last: punct_class(raw.chars().next_back()),
            }
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    // inside parentheses, brackets or quotation marks, as the tokens before left it
    let (mut paren, mut quote) = (0i32, false);
    let mut seen_year = false;
    for (i, t) in tokens.iter().enumerate() {
        let raw = t.slice(text);
        let it = &items[i];
        let mut a: Vec<Attribute> = Vec::with_capacity(48);
        let mut f = |s: String| a.push(Attribute::new(s, 1.0));
        f("bias".into());
        f(format!("w={}", it.word));
        f(format!("sh={}", it.shape));
        let chars: Vec<char> = it.word.chars().collect();
        for k in 1..=3.min(chars.len()) {
            f(format!("p{k}={}", chars[..k].iter().collect::<String>()));
            f(format!(
                "s{k}={}",
                chars[chars.len() - k..].iter().collect::<String>()
            ));
        }
        f(format!("pf={}{}", it.first, it.last));
        f(format!("pl={}", it.last));
        let core = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(k) = number_kind(core) {
            f(format!("num={k}"));
            if k == "year" {
                seen_year = true;
            }
        }
        if seen_year {
            f("afteryear".into());
        }
        let upper_first = core.chars().next().is_some_and(char::is_uppercase);
        if upper_first {
            f("cap".into());
            if core.chars().count() == 1 {
                f("initial".into());
            }
            if core
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            {
                f("allcaps".into());
            }
        }
        if raw.contains("://") || raw.starts_with("www.") {
            f("url".into());
        }
        if raw.starts_with("10.") && raw.contains('/') {
            f("doi".into());
        }
        if KEYWORDS.contains(&it.word.as_str()) {
            f(format!("kw={}", it.word));
        }
        let bits = lex.get(&it.word);
        for c in Category::ALL {
            if bits & c as u8 != 0 {
                f(format!("lex={}", c.letter()));
            }
        }
        // position: tenths of the reference, and the edges
        f(format!("pos={}", i * 10 / n.max(1)));
        if i == 0 {
            f("first".into());
        }
        if i + 1 == n {
            f("last".into());
        }
        // parentheses and quotation marks opened by the tokens so far (this one included)
        let opens = raw.trim_start_matches(['(', '[']);
        if opens.starts_with(['“', '"', '«']) {
            quote = true;
        }
        paren += raw.matches(['(', '[']).count() as i32;
        if paren > 0 {
            f("paren".into());
        }
        if quote {
            f("quote".into());
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
            f("ital".into());
        }
        // neighbours
        for d in [-2i64, -1, 1, 2] {
            let j = i as i64 + d;
            if j < 0 || j >= n as i64 {
                f(format!("{d}:none"));
                continue;
            }
            let nb = &items[j as usize];
            f(format!("{d}:w={}", nb.word));
            if d.abs() == 1 {
                f(format!("{d}:sh={}", nb.shape));
                f(format!("{d}:pl={}", nb.last));
                f(format!("{d}:pf={}", nb.first));
                let bits = lex.get(&nb.word);
                for c in Category::ALL {
                    if bits & c as u8 != 0 {
                        f(format!("{d}:lex={}", c.letter()));
                    }
                }
            }
        }
        out.push(a);
    }
    out
}

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
        assert_eq!(core_lower("(Oxford:"), "oxford");
        assert_eq!(core_lower("—."), "—.");
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
