//! A note's LaTeX source read as the text it typesets: every character of the text maps back to
//! the bytes it came from (verbatim text byte for byte; `--`, `~`, ``` `` ```, `\&`, `\'e` ...
//! each as one decoded segment), and the ranges set in italics are the note's emphasis.

use crate::manuscript::{shows_url, trim_note};
use crate::model::span::{SourceMap, Span};

use super::scan::{argument, command_end, comment_end, group_end, options, skip_blanks};

/// The text, map and emphasis of the note whose content is `start..end` of `src`.
pub(crate) fn decode(src: &str, start: usize, end: usize) -> (String, SourceMap, Vec<Span>) {
    let mut c = Collector::default();
    c.group(src, start, end, false);
    c.set_italic(false);
    trim_note(&c.text, &c.map, &c.emphasis)
}

/// Accented letters: the accent command's character, then pairs of a base letter and its
/// accented form.
const ACCENTS: &[(char, &str)] = &[
    (
        '\'',
        "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝcćCĆnńNŃsśSŚzźZŹrŕRŔgǵGǴlĺLĹwẃWẂkḱKḰ",
    ),
    ('`', "aàeèiìoòuùyỳAÀEÈIÌOÒUÙYỲnǹNǸwẁWẀ"),
    ('^', "aâeêiîoôuûyŷAÂEÊIÎOÔUÛYŶcĉCĈsŝSŜzẑZẐgĝGĜwŵWŴhĥHĤjĵJĴ"),
    ('"', "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸtẗwẅWẄhḧHḦ"),
    ('~', "aãeẽiĩoõuũyỹAÃEẼIĨOÕUŨYỸnñNÑ"),
    ('=', "aāeēiīoōuūyȳAĀEĒIĪOŌUŪYȲgḡGḠ"),
    (
        '.',
        "aȧeėoȯyẏAȦEĖIİOȮYẎcċCĊnṅNṄsṡSṠzżZŻrṙRṘgġGĠdḋDḊtṫTṪwẇWẆhḣHḢ",
    ),
    ('c', "eȩEȨcçCÇnņNŅsşSŞrŗRŖgģGĢlļLĻdḑDḐtţTŢhḩHḨkķKĶ"),
    (
        'v',
        "aǎeěiǐoǒuǔAǍEĚIǏOǑUǓcčCČnňNŇsšSŠzžZŽrřRŘgǧGǦlľLĽdďDĎtťTŤhȟHȞjǰkǩKǨ",
    ),
    ('u', "aăeĕiĭoŏuŭAĂEĔIĬOŎUŬgğGĞ"),
    ('H', "oőuűOŐUŰ"),
    ('k', "aąeęiįoǫuųAĄEĘIĮOǪUŲ"),
    ('r', "aåuůyẙAÅUŮwẘ"),
];

/// The combining mark of an accent command, for a letter the table lacks.
fn combining(accent: char) -> Option<char> {
    Some(match accent {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'c' => '\u{327}',
        'v' => '\u{30c}',
        'u' => '\u{306}',
        'H' => '\u{30b}',
        'k' => '\u{328}',
        'r' => '\u{30a}',
        _ => return None,
    })
}

/// `base` with the accent of command `accent` (`\'` + `e` = `é`).
pub(crate) fn accented(accent: char, base: char) -> Option<String> {
    let base = match base {
        'ı' => 'i',
        'ȷ' => 'j',
        b => b,
    };
    let (_, pairs) = ACCENTS.iter().find(|(a, _)| *a == accent)?;
    let chars: Vec<char> = pairs.chars().collect();
    for pair in chars.chunks(2) {
        if pair[0] == base {
            return Some(pair[1].to_string());
        }
    }
    Some(format!("{base}{}", combining(accent)?))
}

/// Text commands without arguments: name, text.
pub(crate) const SYMBOLS: &[(&str, &str)] = &[
    ("ldots", "…"),
    ("dots", "…"),
    ("textellipsis", "…"),
    ("textendash", "–"),
    ("textemdash", "—"),
    ("textquoteleft", "‘"),
    ("textquoteright", "’"),
    ("textquotedblleft", "“"),
    ("textquotedblright", "”"),
    ("guillemotleft", "«"),
    ("guillemotright", "»"),
    ("S", "§"),
    ("textsection", "§"),
    ("P", "¶"),
    ("textparagraph", "¶"),
    ("ss", "ß"),
    ("o", "ø"),
    ("O", "Ø"),
    ("ae", "æ"),
    ("AE", "Æ"),
    ("oe", "œ"),
    ("OE", "Œ"),
    ("aa", "å"),
    ("AA", "Å"),
    ("l", "ł"),
    ("L", "Ł"),
    ("i", "ı"),
    ("j", "ȷ"),
    ("dh", "ð"),
    ("th", "þ"),
    ("LaTeX", "LaTeX"),
    ("TeX", "TeX"),
    ("copyright", "©"),
    ("textcopyright", "©"),
    ("textbackslash", "\\"),
    ("textasciitilde", "~"),
    ("textasciicircum", "^"),
    ("textunderscore", "_"),
    ("textbar", "|"),
    ("textless", "<"),
    ("textgreater", ">"),
    ("textdollar", "$"),
    ("textdegree", "°"),
    ("nobreakspace", "\u{a0}"),
    ("space", " "),
    ("quad", " "),
    ("newline", " "),
    ("linebreak", " "),
    ("slash", "/"),
];

/// Commands whose arguments are read as text in the same shape (italic stays italic).
const TRANSPARENT: &[&str] = &[
    "textsc",
    "textbf",
    "textrm",
    "textsf",
    "texttt",
    "textmd",
    "textsuperscript",
    "textsubscript",
    "mbox",
    "hbox",
    "text",
    "uppercase",
    "MakeUppercase",
    "lowercase",
    "MakeLowercase",
    "textnormal",
    "ignorespaces",
];

/// Commands whose arguments print nothing a reader reads as the note (`\label{x}`).
const SILENT: &[(&str, usize)] = &[
    ("label", 1),
    ("index", 1),
    ("ref", 1),
    ("pageref", 1),
    ("eqref", 1),
    ("cite", 1),
    ("nocite", 1),
    ("hspace", 1),
    ("vspace", 1),
    ("phantom", 1),
    ("hypertarget", 1),
    ("hyperlink", 1),
    ("footnotemark", 0),
    ("protect", 0),
    ("noindent", 0),
    ("relax", 0),
    ("nobreak", 0),
    ("smallskip", 0),
    ("medskip", 0),
    ("bigskip", 0),
    ("selectlanguage", 1),
    ("setlength", 2),
    ("includegraphics", 1),
];

/// The note's text as it is built.
#[derive(Default)]
struct Collector {
    text: String,
    map: SourceMap,
    emphasis: Vec<Span>,
    /// Where the italic text being read started.
    italic_from: Option<usize>,
    /// The last segment is verbatim text (its source's bytes).
    last_verbatim: bool,
}

impl Collector {
    /// Appends `s`, from `source` (its bytes when `verbatim`), in italics or not.
    fn push(&mut self, s: &str, source: Span, verbatim: bool, italic: bool) {
        if s.is_empty() {
            return;
        }
        self.set_italic(italic);
        let start = self.text.len();
        self.text.push_str(s);
        // (a decoded piece may have its source's length, `---` for `—`: never extended)
        let extend = verbatim && std::mem::replace(&mut self.last_verbatim, verbatim);
        self.last_verbatim = verbatim;
        if extend {
            if let Some(last) = self.map.segments.last_mut() {
                if last.text.len() == last.source.len()
                    && last.text.end == start
                    && last.source.end == source.start
                {
                    last.text.end += s.len();
                    last.source.end += s.len();
                    return;
                }
            }
        }
        self.map.push(start, s.len(), source);
    }

    fn set_italic(&mut self, italic: bool) {
        match (italic, self.italic_from) {
            (true, None) => self.italic_from = Some(self.text.len()),
            (false, Some(from)) => {
                if self.text.len() > from {
                    self.emphasis.push(Span::new(from, self.text.len()));
                }
                self.italic_from = None;
            }
            _ => {}
        }
    }

    /// The group `from..to` (a brace group's content, or a command's argument), then its
    /// closing brace at `close`, which the last character of its text absorbs (so that a span
    /// ending after the text takes the brace, and one starting after it does not).
    fn sub(&mut self, src: &str, from: usize, to: usize, close: usize, italic: bool) {
        let before = self.text.len();
        self.group(src, from, to, italic);
        let ends_inside = self
            .map
            .segments
            .last()
            .is_some_and(|s| s.source.end <= to && s.source.end >= from);
        if self.text.len() > before && ends_inside && close > to {
            self.map.absorb_closing_markup(&self.text, close);
        }
    }

    /// Reads `from..to` of `src` in italics or not (a declaration inside changes that for the
    /// rest of the group, as in TeX).
    fn group(&mut self, src: &str, from: usize, to: usize, mut italic: bool) {
        let b = src.as_bytes();
        let mut i = from;
        while i < to {
            match b[i] {
                b'%' => i = comment_end(b, i).min(to),
                b'{' => {
                    let close = group_end(b, i, to).unwrap_or(to);
                    self.sub(src, i + 1, close, (close + 1).min(to), italic);
                    i = (close + 1).min(to);
                }
                b'}' | b'$' => i += 1,
                b'\\' => i = self.command(src, i, to, &mut italic),
                b'~' => {
                    self.push("\u{a0}", Span::new(i, i + 1), false, italic);
                    i += 1;
                }
                b'-' => {
                    let n = b[i..to].iter().take_while(|&&c| c == b'-').count().min(3);
                    let (s, verbatim) = match n {
                        3 => ("—", false),
                        2 => ("–", false),
                        _ => ("-", true),
                    };
                    self.push(s, Span::new(i, i + n), verbatim, italic);
                    i += n;
                }
                q @ (b'`' | b'\'') => {
                    let double = i + 1 < to && b[i + 1] == q;
                    let s = match (q, double) {
                        (b'`', true) => "“",
                        (b'`', false) => "‘",
                        (_, true) => "”",
                        _ => "’",
                    };
                    let n = 1 + usize::from(double);
                    self.push(s, Span::new(i, i + n), false, italic);
                    i += n;
                }
                c if c.is_ascii_whitespace() => {
                    let j = i + b[i..to]
                        .iter()
                        .take_while(|c| c.is_ascii_whitespace())
                        .count();
                    let raw = &src[i..j];
                    let lines = raw.matches('\n').count();
                    let span = Span::new(i, j);
                    if lines >= 2 {
                        self.push("\n\n", span, false, italic);
                    } else if raw == " " {
                        self.push(" ", span, true, italic);
                    } else {
                        self.push(" ", span, false, italic);
                    }
                    i = j;
                }
                _ => {
                    let j = i + b[i..to]
                        .iter()
                        .take_while(|c| {
                            !matches!(
                                c,
                                b'%' | b'{' | b'}' | b'$' | b'\\' | b'~' | b'-' | b'`' | b'\''
                            ) && !c.is_ascii_whitespace()
                        })
                        .count();
                    self.push(&src[i..j], Span::new(i, j), true, italic);
                    i = j;
                }
            }
        }
    }

    /// The control sequence whose backslash is at `i`; returns where reading goes on.
    fn command(&mut self, src: &str, i: usize, to: usize, italic: &mut bool) -> usize {
        let b = src.as_bytes();
        let name_end = command_end(b, i + 1).min(to);
        let name = &src[i + 1..name_end];
        let Some(first) = name.chars().next() else {
            return name_end;
        };
        let word = first.is_ascii_alphabetic();
        // TeX skips the blanks after a control word
        let after = if word {
            skip_blanks(b, name_end, to)
        } else {
            name_end
        };
        let it = *italic;
        if !word {
            match first {
                '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                    self.push(name, Span::new(i, name_end), false, it)
                }
                // a thin space between two quotation marks (pandoc's `’\,”`) is no word space
                ',' if self.text.ends_with(['’', '‘', '”', '“', '\'', '"']) => {}
                ',' | ' ' | ';' | ':' | '\n' | '\t' => {
                    self.push(" ", Span::new(i, name_end), false, it)
                }
                '\\' => {
                    // a line break, `\\*` or `\\[2pt]`
                    let mut end = name_end;
                    if end < to && b[end] == b'*' {
                        end += 1;
                    }
                    let (end, _) = options(b, end, to);
                    self.push(" ", Span::new(i, end), false, it);
                    return end;
                }
                '\'' | '`' | '^' | '"' | '~' | '=' | '.' => {
                    return self.accent(src, i, to, first, it)
                }
                _ => {}
            }
            return name_end;
        }
        match name {
            "emph" => self.argument(src, after, to, !it),
            "textit" | "textsl" | "mkbibemph" | "mkbibitalic" => {
                self.argument(src, after, to, true)
            }
            "textup" => self.argument(src, after, to, false),
            n if TRANSPARENT.contains(&n) => self.argument(src, after, to, it),
            "enquote" | "mkbibquote" | "textquote" => {
                let (after, _) = options(b, after, to);
                let Some((s, e, end)) = argument(b, after, to) else {
                    return after;
                };
                self.push("“", Span::new(i, s), false, it);
                self.group(src, s, e, it);
                self.push("”", Span::new(e, end), false, it);
                end
            }
            "foreignlanguage" | "foreignquote" => {
                let (after, _) = options(b, after, to);
                match argument(b, after, to) {
                    Some((_, _, end)) => self.argument(src, end, to, it),
                    None => after,
                }
            }
            "url" | "nolinkurl" | "path" => {
                let Some((s, e, end)) = argument(b, after, to) else {
                    return after;
                };
                self.url(src, s, e, it);
                end
            }
            "href" => {
                let (after, _) = options(b, after, to);
                let Some((us, ue, uend)) = argument(b, after, to) else {
                    return after;
                };
                let Some((s, e, end)) = argument(b, uend, to) else {
                    return uend;
                };
                let start = self.text.len();
                self.group(src, s, e, it);
                let url = unescape_url(&src[us..ue]);
                if !shows_url(self.text.get(start..).unwrap_or(""), &url) {
                    self.push(" ", Span::new(e, e), false, it);
                    self.url(src, us, ue, it);
                }
                end
            }
            "itshape" | "slshape" | "it" | "sl" => {
                *italic = true;
                after
            }
            "em" => {
                *italic = !*italic;
                after
            }
            "upshape" | "normalfont" | "rm" | "up" => {
                *italic = false;
                after
            }
            "par" => {
                self.push("\n\n", Span::new(i, after), false, it);
                after
            }
            "c" | "v" | "u" | "H" | "k" | "r" if argument(b, name_end, to).is_some() => {
                self.accent(src, i, to, first, it)
            }
            n => {
                if let Some(&(_, text)) = SYMBOLS.iter().find(|(s, _)| *s == n) {
                    // `\ldots{}`: the empty group belongs to the command
                    let end = if src[after..to].starts_with("{}") {
                        after + 2
                    } else {
                        after
                    };
                    self.push(text, Span::new(i, end), false, it);
                    return end;
                }
                let (mut end, _) = options(b, after, to);
                if let Some(&(_, args)) = SILENT.iter().find(|(s, _)| *s == n) {
                    for _ in 0..args {
                        match argument(b, end, to) {
                            Some((_, _, e)) => end = e,
                            None => break,
                        }
                    }
                    return end;
                }
                // an unknown command: its name is dropped, what follows is read
                end
            }
        }
    }

    /// The argument of a text command whose name ends at `after`, read in `italic`.
    fn argument(&mut self, src: &str, after: usize, to: usize, italic: bool) -> usize {
        let b = src.as_bytes();
        match argument(b, after, to) {
            Some((s, e, end)) if end > e => {
                self.sub(src, s, e, end, italic);
                end
            }
            Some((s, e, end)) => {
                self.group(src, s, e, italic);
                end
            }
            None => after,
        }
    }

    /// An accent command at `i` (`\'e`, `\'{e}`, `\c{c}`, `\"{\i}`).
    fn accent(&mut self, src: &str, i: usize, to: usize, accent: char, italic: bool) -> usize {
        let b = src.as_bytes();
        let name_end = command_end(b, i + 1).min(to);
        let Some((s, e, end)) = argument(b, name_end, to) else {
            return name_end;
        };
        let inner = src[s..e].trim();
        let base = match inner.strip_prefix('\\') {
            Some("i") => Some('ı'),
            Some("j") => Some('ȷ'),
            Some(_) => None,
            None => {
                let mut chars = inner.chars();
                chars.next().filter(|_| chars.next().is_none())
            }
        };
        match base.and_then(|c| accented(accent, c)) {
            Some(text) => self.push(&text, Span::new(i, end), false, italic),
            None => {
                self.group(src, s, e, italic);
            }
        }
        end
    }

    /// The content of `\url{...}`: its characters as they print (`\%` is `%`).
    fn url(&mut self, src: &str, s: usize, e: usize, italic: bool) {
        let mut i = s;
        let mut plain = s;
        let b = src.as_bytes();
        while i < e {
            if b[i] == b'\\' && i + 1 < e && b"%#&_~$".contains(&b[i + 1]) {
                self.push(&src[plain..i], Span::new(plain, i), true, italic);
                self.push(&src[i + 1..i + 2], Span::new(i, i + 2), false, italic);
                i += 2;
                plain = i;
            } else {
                i += 1;
            }
        }
        self.push(&src[plain..e], Span::new(plain, e), true, italic);
    }
}

/// A URL as `\href` and `\url` print it: `\%`, `\#`, `\&`, `\_`, `\~` as the character.
pub(crate) fn unescape_url(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek().filter(|n| "%#&_~$".contains(**n)) {
                out.push(n);
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}
