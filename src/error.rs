//! Errors that stop a job (exit 2). Findings about a manuscript are [`crate::Diagnostic`]s, not errors.

use std::path::{Path, PathBuf};

/// Something that stops ibid from doing its job on one input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (missing, a directory, no permission).
    #[error("{}: cannot read", display_path(.path))]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The manuscript could not be written back (read-only directory, disk full). The file is
    /// always left as it was.
    #[error("{}: cannot write", display_path(.path))]
    Write {
        /// The manuscript (never the temporary file beside it).
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file's bytes are not a manuscript ibid can read (not UTF-8, binary, a broken .docx).
    #[error("{}: {message}", display_path(.path))]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the byte offset or line:column where one is known.
        message: String,
    },
    /// A data file ibid reads (an extract JSON) that does not parse, at a line and column.
    #[error("{}:{line}:{column}: {message}", display_path(.path))]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A style, locale or library file that ibid cannot use.
    #[error("{}: {message}", display_path(.path))]
    Config {
        /// The file (or the style name given).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A CSL style that parses but that ibid refuses to render with: it would loop, overflow
    /// the stack or take unbounded time ([`crate::render::validate`]).
    #[error("{path}: {defect}")]
    Style {
        /// The style file.
        path: PathBuf,
        /// What is wrong with it.
        defect: StyleDefect,
    },
}

/// Why ibid refuses a CSL style ([`crate::render::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StyleDefect {
    /// Elements nested deeper than the limit in the XML.
    #[error("line {line}: elements nested more than {limit} levels deep")]
    TooDeep {
        /// The line of the first element past the limit.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// No `<citation>` element with a `<layout>`.
    #[error("not a CSL style: no <citation> element with a <layout> in it")]
    NoCitation,
    /// A macro is called that the style does not define.
    #[error("{caller} calls the macro `{name}`, which the style does not define")]
    UndefinedMacro {
        /// The macro called.
        name: String,
        /// Where it is called (`the macro `x``, `the citation layout`).
        caller: String,
    },
    /// A macro calls itself, directly or through other macros.
    #[error("the macro `{name}` calls itself ({})", cycle.join(" -> "))]
    RecursiveMacro {
        /// The first macro of the cycle.
        name: String,
        /// The macros of the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A layout nests too deep once its macros are expanded.
    #[error("the {layout} nests {depth} levels deep through its macros (ibid's limit is {limit})")]
    TooDeepThroughMacros {
        /// The layout or sort key (`citation layout`).
        layout: String,
        /// Its depth.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// A layout expands to too many macro calls.
    #[error(
        "the {layout} expands to {count} macro calls (macros calling macros several times over; ibid's limit is {limit})"
    )]
    TooManyExpansions {
        /// The layout or sort key (`citation layout`).
        layout: String,
        /// The macro calls it expands to (saturating).
        count: u64,
        /// The limit.
        limit: u64,
    },
}

/// Why ibid refuses a BibLaTeX/BibTeX file that parses: resolving its `@string`s or its
/// `crossref`/`xdata` links would loop, overflow the stack or blow up
/// ([`crate::bib::biblatex`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryDefect {
    /// An `@string` refers to itself, directly or through others.
    #[error("line {line}: @string `{name}` refers to itself ({})", cycle.join(" -> "))]
    StringLoop {
        /// The line of its definition.
        line: usize,
        /// The first `@string` of the cycle.
        name: String,
        /// The `@string`s of the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// An entry inherits from itself through `crossref` or `xdata`.
    #[error("line {line}: entry `{key}` inherits from itself through crossref/xdata ({})", cycle.join(" -> "))]
    CrossrefLoop {
        /// The line of the entry.
        line: usize,
        /// The entry's key.
        key: String,
        /// The keys of the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A chain of `@string`s or of `crossref`/`xdata` links longer than the limit.
    #[error("line {line}: {what} is a chain of {depth} links (ibid's limit is {limit})")]
    TooDeep {
        /// The line of the entry or `@string`.
        line: usize,
        /// `@string `x`` or `entry `x`'s crossref/xdata`.
        what: String,
        /// The length of its longest chain.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// A field or entry that expands to too much through `@string`s or `crossref`/`xdata`.
    #[error("line {line}: {what} expands to {count} {unit} (ibid's limit is {limit})")]
    TooLarge {
        /// The line of the entry.
        line: usize,
        /// `field `title` of entry `x`` or `entry `x``.
        what: String,
        /// How much it expands to (saturating).
        count: u64,
        /// What is counted (`@string references`, `bytes`, `inherited entries`).
        unit: &'static str,
        /// The limit.
        limit: u64,
    },
}

impl Error {
    /// An [`Error::Input`] for `path`.
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A path as every one-line message prints it: control characters escaped the way Rust's
/// `escape_debug` writes them (`\n`, `\r`, `\t`, `\u{1b}`), so that a file name with a newline
/// cannot split a `file:line:col` line or an error line; everything else (backslashes and
/// non-ASCII letters included) as it is, bytes that are not UTF-8 as U+FFFD.
pub fn display_path(path: &Path) -> String {
    escape_controls(&path.to_string_lossy())
}

/// `text` with its control characters escaped as [`display_path`] does.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Result with ibid's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_paths_are_escaped() {
        assert_eq!(display_path(Path::new("a\nb.txt")), "a\\nb.txt");
        assert_eq!(display_path(Path::new("a\tb\r\u{1b}")), "a\\tb\\r\\u{1b}");
        assert_eq!(display_path(Path::new("dir\\é.txt")), "dir\\é.txt");
        let err = Error::input("x\ny.txt", "bad");
        assert_eq!(err.to_string(), "x\\ny.txt: bad");
    }
}
