//! The HTML reader.

use std::path::Path;

use crate::error::{Error, Result};
use crate::manuscript::Manuscript;

/// Reads an HTML manuscript.
pub fn read(path: &Path, _text: String) -> Result<Manuscript> {
    Err(Error::input(
        path,
        "reading html manuscripts is not supported yet",
    ))
}
