//! The .docx reader.

use std::path::Path;

use crate::error::{Error, Result};
use crate::manuscript::Manuscript;

/// Reads a Word .docx manuscript.
pub fn read(path: &Path, _bytes: &[u8]) -> Result<Manuscript> {
    Err(Error::input(
        path,
        "reading docx manuscripts is not supported yet",
    ))
}
