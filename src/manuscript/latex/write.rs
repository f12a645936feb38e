//! What `fix` needs to write LaTeX: plain text escaped as LaTeX in the author's typing (quotes
//! and dashes as ligatures or as Unicode), the markup a rewrite may cross or write anew
//! (italics), and the test that a rewritten span keeps its braces balanced.

use super::scan::{command_end, comment_end};
use super::text::{accented, SYMBOLS};

/// How the author types what LaTeX can take in two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typing {
    /// Quotation marks as ``` `` ``` and `''` (else as Unicode `“ ”`).
    pub tex_quotes: bool,
    /// Dashes as `--` and `---` (else as Unicode `– —`).
    pub tex_dashes: bool,
    /// The italics command to write: `\emph`, `\textit`, or a declaration `\itshape` / `\em`
    /// (written `{\itshape ...}`).
    pub italic: &'static str,
}

impl Default for Typing {
    fn default() -> Self {
        Typing {
            tex_quotes: true,
            tex_dashes: true,
            italic: "emph",
        }
    }
}

impl Typing {
    /// The typing of a piece of LaTeX source (a note, a citation): Unicode quotes when it has
    /// curly quotes or apostrophes and no ``` `` ```, Unicode dashes when it has `–` and no `--`, and the
    /// italics command it uses (`\emph` when it uses none).
    pub fn of(source: &str) -> Typing {
        let unicode_quotes = source.contains(['“', '”', '‘', '’']) && !source.contains("``");
        let unicode_dashes = source.contains(['–', '—']) && !source.contains("--");
        let italic = italic_in(source).unwrap_or("emph");
        Typing {
            tex_quotes: !unicode_quotes,
            tex_dashes: !unicode_dashes,
            italic,
        }
    }

    /// The markup that opens italics (`\emph{`, `{\itshape `) and the one that closes it.
    pub fn italic_markup(&self) -> (String, &'static str) {
        match self.italic {
            "itshape" | "em" => (format!("{{\\{} ", self.italic), "}"),
            name => (format!("\\{name}{{"), "}"),
        }
    }
}

/// The italics command a piece of LaTeX source uses, if any: `textit` (when it has no
/// `\emph`), `itshape`, `em`, `emph`.
pub fn italic_in(source: &str) -> Option<&'static str> {
    if source.contains("\\textit{") && !source.contains("\\emph{") {
        Some("textit")
    } else if source.contains("{\\itshape") {
        Some("itshape")
    } else if source.contains("{\\em ") {
        Some("em")
    } else if source.contains("\\emph{") {
        Some("emph")
    } else {
        None
    }
}

/// `text` as LaTeX source: the special characters escaped (`\&`, `\%`, `\$`, `\#`, `\_`,
/// `\{`, `\}`), a non-breaking space as `~`, and quotes and dashes as `typing` says.
pub fn escape(text: &str, typing: &Typing) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '\u{a0}' => out.push('~'),
            '…' => out.push_str("\\ldots{}"),
            '–' if typing.tex_dashes => out.push_str("--"),
            '—' if typing.tex_dashes => out.push_str("---"),
            '“' if typing.tex_quotes => out.push_str("``"),
            '”' if typing.tex_quotes => out.push_str("''"),
            '‘' if typing.tex_quotes => out.push('`'),
            '’' if typing.tex_quotes => out.push('\''),
            '"' if typing.tex_quotes => out.push_str("\\textquotedbl{}"),
            c => out.push(c),
        }
    }
    out
}

/// The length of the italics markup `text` starts with, if it does: `\emph{`, `\textit{`,
/// `\textsl{`, `{\itshape `, `{\em `, `{\it `, `\/` (italic correction), or a closing `}`.
/// (Whether a `}` closes italics is not known here: a rewrite that crosses one must keep the
/// braces balanced, see [`balanced`].)
pub fn italic_mark(text: &str) -> Option<usize> {
    for open in ["\\emph{", "\\textit{", "\\textsl{", "\\/", "}"] {
        if text.starts_with(open) {
            return Some(open.len());
        }
    }
    for decl in ["itshape", "slshape", "em", "it", "sl"] {
        if let Some(rest) = text.strip_prefix("{\\").and_then(|r| r.strip_prefix(decl)) {
            if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let blanks = rest.len() - rest.trim_start().len();
                return Some(2 + decl.len() + blanks);
            }
        }
    }
    None
}

/// True when `raw`, the source of one decoded piece of note text, is a text escape and nothing
/// else: blanks, `~`, `--`, `---`, quotes, `\&` and the other escaped characters, an accent
/// (`\'e`, `\'{e}`), a text symbol (`\ldots`, `\ldots{}`), a control space (`\,`); a closing
/// brace after it is allowed (the group it ends is checked by [`balanced`]).
pub fn is_text_escape(raw: &str) -> bool {
    let raw = match raw.strip_suffix("{}") {
        Some(symbol) => symbol,
        None => raw.strip_suffix('}').unwrap_or(raw),
    };
    if raw.chars().all(char::is_whitespace)
        || matches!(raw, "~" | "--" | "---" | "``" | "''" | "`" | "'")
    {
        return true;
    }
    let b = raw.as_bytes();
    let Some(rest) = raw.strip_prefix('\\') else {
        // a letter that absorbed a closing brace, or a character and its brace
        return raw.chars().count() == 1;
    };
    let end = command_end(b, 1);
    let name = &raw[1..end];
    let tail = raw[end..].trim_start();
    if name.len() == 1 && "&%$#_{} ,;:".contains(name) {
        return tail.is_empty() || rest.len() == 1;
    }
    if let Some(accent) = name.chars().next().filter(|_| name.chars().count() == 1) {
        let arg = tail.trim_start_matches('{').trim_end_matches('}').trim();
        let base = match arg {
            "\\i" => Some('ı'),
            "\\j" => Some('ȷ'),
            a if a.chars().count() == 1 => a.chars().next(),
            _ => None,
        };
        return base.is_some_and(|c| accented(accent, c).is_some());
    }
    SYMBOLS.iter().any(|(s, _)| *s == name) && (tail.is_empty() || tail == "{}")
}

/// True when the braces of `source` are balanced (escaped braces and comments aside), so that
/// writing a new text in its place cannot break the groups around it.
pub fn balanced(source: &str) -> bool {
    let b = source.as_bytes();
    let mut depth = 0isize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                i = command_end(b, i + 1);
                continue;
            }
            b'%' => {
                i = comment_end(b, i);
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_author_types() {
        let tex = Typing::default();
        assert_eq!(
            escape("A & B, 4–13 “x” 50%", &tex),
            "A \\& B, 4--13 ``x'' 50\\%"
        );
        let uni = Typing::of("“Quoted” 4–5");
        assert_eq!(escape("“x” 4–13", &uni), "“x” 4–13");
        assert_eq!(escape("p.\u{a0}4", &tex), "p.~4");
    }

    #[test]
    fn knows_italics_markup_and_text_escapes() {
        assert_eq!(italic_mark("\\emph{Title}"), Some(6));
        assert_eq!(italic_mark("{\\itshape Title}"), Some(10));
        assert_eq!(italic_mark("{\\item x}"), None);
        assert_eq!(italic_mark("\\textsc{x}"), None);
        for raw in [
            "~",
            "--",
            "``",
            "\\&",
            "\\'e",
            "\\'{e}",
            "\\ldots{}",
            "\\\"{\\i}",
            "e}",
        ] {
            assert!(is_text_escape(raw), "{raw}");
        }
        for raw in ["\\textsc{", "\\href{x}", "ab}"] {
            assert!(!is_text_escape(raw), "{raw}");
        }
        assert!(balanced("\\emph{A} \\{ % }\n"));
        assert!(!balanced("\\emph{A"));
        assert!(!balanced("A}"));
    }
}
