//! Errors that stop a job (exit 2). Findings about a manuscript are [`crate::Diagnostic`]s, not errors.

use std::path::PathBuf;

/// Something that stops ibid from doing its job on one input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (missing, a directory, no permission).
    #[error("{path}: cannot read")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file's bytes are not a manuscript ibid can read (not UTF-8, binary, a broken .docx).
    #[error("{path}: {message}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the byte offset or line:column where one is known.
        message: String,
    },
    /// A style, locale or library file that ibid cannot use.
    #[error("{path}: {message}")]
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
/// ([`crate::library::biblatex`]).
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

/// Result with ibid's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
