//! Zip packages (.docx, .odt): the archive opened and its parts read within limits, so that a
//! crafted file cannot make ibid expand gigabytes: at most [`MAX_ENTRIES`] entries, a declared
//! uncompressed total of at most [`MAX_TOTAL`] bytes, no part read beyond [`MAX_ENTRY`] bytes.

use std::io::{Cursor, Read};
use std::path::Path;

use crate::error::{Error, Result};
use crate::manuscript::decode;
pub use crate::manuscript::docx::{MAX_ENTRIES, MAX_ENTRY, MAX_TOTAL};

/// A package's zip archive, read from memory.
pub(crate) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Opens the archive of a `kind` package (`.docx`, `.odt`) and checks its entry count and
/// declared sizes.
pub(crate) fn open<'a>(path: &Path, bytes: &'a [u8], kind: &str) -> Result<Archive<'a>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::input(
            path,
            format!("not a {kind} file (a {kind} is a zip archive): {e}"),
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(Error::input(
            path,
            format!(
                "the archive has {} entries, more than the {MAX_ENTRIES} ibid accepts",
                zip.len()
            ),
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| Error::input(path, format!("broken zip entry {i}: {e}")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_TOTAL {
        return Err(Error::input(
            path,
            format!(
                "the archive expands to {total} bytes, more than the {MAX_TOTAL} ibid accepts (a zip bomb?)"
            ),
        ));
    }
    Ok(zip)
}

/// The text of one part, or `None` when the archive has no such entry.
pub(crate) fn read_part(path: &Path, zip: &mut Archive<'_>, name: &str) -> Result<Option<String>> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::input(path, format!("{name}: {e}"))),
    };
    if entry.size() > MAX_ENTRY {
        return Err(Error::input(
            path,
            format!(
                "{name}: expands to {} bytes, more than the {MAX_ENTRY} ibid accepts (a zip bomb?)",
                entry.size()
            ),
        ));
    }
    let mut buf = Vec::new();
    entry
        .take(MAX_ENTRY + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::input(path, format!("{name}: cannot decompress: {e}")))?;
    if buf.len() as u64 > MAX_ENTRY {
        return Err(Error::input(
            path,
            format!(
                "{name}: expands beyond {MAX_ENTRY} bytes (its declared size is wrong: a zip bomb?)"
            ),
        ));
    }
    let part = format!("{}:{name}", path.display());
    decode(Path::new(&part), &buf).map(Some)
}
