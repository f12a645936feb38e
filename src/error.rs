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
