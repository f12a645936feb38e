//! The few pieces of TeX's syntax the reader needs: control sequences, comments, groups and
//! optional arguments, on the bytes of the source (every offset is a byte offset into it).

/// The end of the name of the control sequence whose backslash is just before `i`: a control
/// word runs over ASCII letters (`\footnote`), a control symbol is one character (`\%`, `\'`).
pub(crate) fn command_end(src: &[u8], i: usize) -> usize {
    match src.get(i) {
        None => i,
        Some(b) if b.is_ascii_alphabetic() => {
            let mut j = i;
            while src.get(j).is_some_and(u8::is_ascii_alphabetic) {
                j += 1;
            }
            j
        }
        Some(&b) => i + utf8_len(b),
    }
}

/// The length of the UTF-8 character that starts with byte `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The end of the comment whose `%` is at `i`: past the line's end and the blanks that start the
/// next line, which TeX skips too (a blank line after it still ends a paragraph).
pub(crate) fn comment_end(src: &[u8], i: usize) -> usize {
    let Some(nl) = src[i..].iter().position(|&b| b == b'\n').map(|p| i + p) else {
        return src.len();
    };
    let mut j = nl + 1;
    while matches!(src.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    j
}

/// The byte of the `}` that closes the group opened by the `{` at `open`, before `limit`;
/// escaped braces (`\{`) and comments do not count. `None` when the group is not closed.
pub(crate) fn group_end(src: &[u8], open: usize, limit: usize) -> Option<usize> {
    let limit = limit.min(src.len());
    let mut depth = 0usize;
    let mut i = open;
    while i < limit {
        match src[i] {
            b'\\' => {
                i = command_end(src, i + 1);
                continue;
            }
            b'%' => {
                i = comment_end(src, i);
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The byte of the `]` that closes the optional argument opened by the `[` at `open` (braces
/// inside it nest: `[{a]b}]`).
pub(crate) fn option_end(src: &[u8], open: usize, limit: usize) -> Option<usize> {
    let limit = limit.min(src.len());
    let mut i = open + 1;
    while i < limit {
        match src[i] {
            b'\\' => {
                i = command_end(src, i + 1);
                continue;
            }
            b'%' => {
                i = comment_end(src, i);
                continue;
            }
            b'{' => i = group_end(src, i, limit)?,
            b']' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skips the blanks TeX skips between a control word and what follows: spaces, tabs, one line
/// end (not a blank line, which is a paragraph break) and comments.
pub(crate) fn skip_blanks(src: &[u8], mut i: usize, limit: usize) -> usize {
    let mut newline = false;
    while i < limit {
        match src[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' if !newline => {
                newline = true;
                i += 1;
            }
            b'%' => i = comment_end(src, i).min(limit),
            _ => break,
        }
    }
    i
}

/// After a command at `i`: its optional arguments (`[...]`, any number) skipped; the position
/// past them and the last one's content, if any.
pub(crate) fn options(src: &[u8], i: usize, limit: usize) -> (usize, Option<(usize, usize)>) {
    let mut at = i;
    let mut last = None;
    loop {
        let j = skip_blanks(src, at, limit);
        if src.get(j) != Some(&b'[') {
            return (at, last);
        }
        match option_end(src, j, limit) {
            Some(close) => {
                last = Some((j + 1, close));
                at = close + 1;
            }
            None => return (at, last),
        }
    }
}

/// After a command at `i`: its next mandatory argument, `{...}` (its content's range and the
/// position past it) or a single character or control sequence (TeX reads `\'e` so).
pub(crate) fn argument(src: &[u8], i: usize, limit: usize) -> Option<(usize, usize, usize)> {
    let j = skip_blanks(src, i, limit);
    match src.get(j).filter(|_| j < limit)? {
        b'{' => {
            let close = group_end(src, j, limit)?;
            Some((j + 1, close, close + 1))
        }
        b'}' | b'%' => None,
        b'\\' => {
            let end = command_end(src, j + 1).min(limit);
            Some((j, end, end))
        }
        &b => {
            let end = (j + utf8_len(b)).min(limit);
            Some((j, end, end))
        }
    }
}

/// Environments whose content is never read as text.
pub(crate) const VERBATIM: &[&str] = &[
    "verbatim",
    "verbatim*",
    "Verbatim",
    "BVerbatim",
    "LVerbatim",
    "lstlisting",
    "minted",
    "comment",
    "filecontents",
    "filecontents*",
    "alltt",
];

/// One control sequence met at the top of the source, outside comments and verbatim text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    /// Its name without the backslash (`footnote`); `begin` and `end` carry their environment
    /// (`begin{document}`).
    pub name: String,
    /// The backslash.
    pub start: usize,
    /// Past the name (past the environment's braces for `begin` / `end`).
    pub end: usize,
}

/// Every control sequence of the source in order, skipping comments, `\verb|...|` and the
/// content of verbatim-like environments.
pub(crate) fn commands(text: &str) -> Vec<Command> {
    let src = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        match src[i] {
            b'%' => i = comment_end(src, i),
            b'\\' => {
                let start = i;
                let end = command_end(src, i + 1);
                let name = &text[i + 1..end];
                i = end;
                if name == "verb" {
                    // \verb*|...|: the delimiter is the next character
                    let mut j = end;
                    if src.get(j) == Some(&b'*') {
                        j += 1;
                    }
                    if let Some(&delim) = src.get(j) {
                        let close = src[j + 1..]
                            .iter()
                            .position(|&b| b == delim || b == b'\n')
                            .map_or(src.len(), |p| j + 1 + p + 1);
                        i = close;
                    }
                    continue;
                }
                if name == "begin" || name == "end" {
                    let j = skip_blanks(src, end, src.len());
                    if src.get(j) == Some(&b'{') {
                        if let Some(close) = group_end(src, j, src.len()) {
                            let env = text[j + 1..close].trim();
                            i = close + 1;
                            out.push(Command {
                                name: format!("{name}{{{env}}}"),
                                start,
                                end: i,
                            });
                            if name == "begin" && VERBATIM.contains(&env) {
                                let stop = format!("\\end{{{env}}}");
                                i = text[i..].find(&stop).map_or(src.len(), |p| i + p);
                            }
                            continue;
                        }
                    }
                }
                out.push(Command {
                    name: name.to_owned(),
                    start,
                    end,
                });
            }
            _ => i += 1,
        }
    }
    out
}
