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
    /// A style, locale or library file that ibid cannot use.
    #[error("{}: {message}", display_path(.path))]
    Config {
        /// The file (or the style name given).
        path: PathBuf,
        /// What is wrong.
        message: String,
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
