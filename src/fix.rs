//! Fix: apply non-overlapping rewrites to a manuscript, and write it back atomically.
//!
//! Only the bytes of the rewritten spans change, in the file's own encoding. The file is written
//! to a temporary file in the same directory and renamed over the original (owner, group and
//! mode kept), under an advisory lock, and only if the file on disk is still exactly what was
//! read when the temporary file is ready: otherwise nothing is written. See [`Target`].

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Fix;
use crate::error::{Error, Result};

/// Applies `fixes` to `source`. Fails (and changes nothing) when two fixes overlap, a span lies
/// outside the text or not on character boundaries, or a fix's `written` text is not what the
/// span holds: the signs that the fixes were computed for another text.
pub fn apply(path: &Path, source: &str, fixes: &[&Fix]) -> Result<String> {
    let mut sorted: Vec<&Fix> = fixes.to_vec();
    sorted.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for fix in sorted {
        let span = fix.span;
        if span.start < at {
            return Err(Error::input(
                path,
                format!(
                    "byte {}: two fixes overlap; nothing was written",
                    span.start
                ),
            ));
        }
        let Some(current) = source.get(span.start..span.end) else {
            return Err(Error::input(
                path,
                format!(
                    "byte {}: a fix points outside the text; nothing was written",
                    span.start
                ),
            ));
        };
        if current != fix.written {
            return Err(Error::input(
                path,
                format!(
                    "byte {}: the text there is not what was checked; nothing was written",
                    span.start
                ),
            ));
        }
        out.push_str(&source[at..span.start]);
        out.push_str(&fix.replacement);
        at = span.end;
    }
    out.push_str(&source[at..]);
    Ok(out)
}

/// How a text file was encoded, so that it is read and written back the same way. Every
/// decision about a manuscript's encoding is made here: [`Encoding::detect`] (the BOM, else the
/// charset an HTML page declares, else UTF-8), [`Encoding::decode`] and [`Encoding::encode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with a BOM.
    Utf8Bom,
    /// UTF-16, little-endian, with BOM.
    Utf16Le,
    /// UTF-16, big-endian, with BOM.
    Utf16Be,
    /// A legacy encoding an HTML page declares in a `<meta>` tag (`windows-1252`, `Shift_JIS`
    /// ...), as the WHATWG Encoding Standard defines it.
    Declared(&'static encoding_rs::Encoding),
}

/// How far into an HTML page its `<meta charset>` is looked for (the HTML standard's prescan).
const PRESCAN_BYTES: usize = 1024;

impl Encoding {
    /// The encoding of `bytes`, by their BOM (UTF-8 without one).
    pub fn sniff(bytes: &[u8]) -> Encoding {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            Encoding::Utf8Bom
        } else if bytes.starts_with(&[0xFF, 0xFE]) {
            Encoding::Utf16Le
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            Encoding::Utf16Be
        } else {
            Encoding::Utf8
        }
    }

    /// The encoding of a manuscript read as `format`: its BOM; else, for HTML, the charset the
    /// page declares (`<meta charset="windows-1252">` or an `http-equiv` content type, found as
    /// a browser finds it); else UTF-8.
    ///
    /// One exception to the declaration: a page whose bytes are valid UTF-8 and not all ASCII
    /// is read as UTF-8 whatever it declares. Such a page is UTF-8 mislabelled (legacy text
    /// with accents is almost never valid UTF-8), and writing the fixes in the declared
    /// encoding would leave it half one encoding, half the other. It also means that a
    /// manuscript's text, once decoded and fixed in memory, reads back as itself.
    pub fn detect(bytes: &[u8], format: crate::manuscript::Format) -> Encoding {
        match Encoding::sniff(bytes) {
            Encoding::Utf8 if format == crate::manuscript::Format::Html => {
                let utf8_beyond_ascii = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
                match declared_charset(bytes) {
                    Some(enc) if enc != encoding_rs::UTF_8 && !utf8_beyond_ascii => {
                        Encoding::Declared(enc)
                    }
                    _ => Encoding::Utf8,
                }
            }
            found => found,
        }
    }

    /// The encoding's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Declared(enc) => enc.name(),
        }
    }

    /// Decodes `bytes` (BOM dropped, CRLF kept). Binary or invalid bytes give an error naming
    /// the byte offset; `path` is for messages.
    pub fn decode(self, path: &Path, bytes: &[u8]) -> Result<String> {
        match self {
            Encoding::Utf8 => decode_utf8(path, bytes, 0),
            Encoding::Utf8Bom => decode_utf8(path, &bytes[3.min(bytes.len())..], 3),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let rest = &bytes[2.min(bytes.len())..];
                if rest.len() % 2 != 0 {
                    return Err(Error::input(
                        path,
                        "UTF-16 text with an odd number of bytes",
                    ));
                }
                let le = self == Encoding::Utf16Le;
                let units = rest.chunks_exact(2).map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                });
                char::decode_utf16(units)
                    .collect::<std::result::Result<String, _>>()
                    .map_err(|e| Error::input(path, format!("invalid UTF-16: {e}")))
            }
            Encoding::Declared(enc) => {
                no_nul(path, bytes, 0)?;
                enc.decode_without_bom_handling_and_without_replacement(bytes)
                    .map(|text| text.into_owned())
                    .ok_or_else(|| {
                        Error::input(
                            path,
                            format!("not valid {} (the encoding the page declares)", enc.name()),
                        )
                    })
            }
        }
    }

    /// `text` encoded this way. Fails, naming the first such character, when the encoding
    /// cannot hold a character of `text` (an en dash in ISO-8859-2, say): nothing is replaced
    /// by `?` or a character reference.
    pub fn encode(self, path: &Path, text: &str) -> Result<Vec<u8>> {
        Ok(match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16Le => [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            Encoding::Utf16Be => [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            Encoding::Declared(enc) => {
                let (bytes, used, lossy) = enc.encode(text);
                if lossy || used != enc {
                    let mut buf = [0u8; 4];
                    let bad = text
                        .chars()
                        .filter(|c| !c.is_ascii())
                        .find(|c| enc.encode(c.encode_utf8(&mut buf)).2)
                        .map_or(String::new(), |c| format!(" {c:?} (U+{:04X})", c as u32));
                    return Err(Error::input(
                        path,
                        format!(
                            "the fixed text has a character{bad} that {} (the page's declared \
                             encoding) cannot hold; nothing was written",
                            enc.name()
                        ),
                    ));
                }
                bytes.into_owned()
            }
        })
    }
}

fn no_nul(path: &Path, bytes: &[u8], offset: usize) -> Result<()> {
    match bytes.iter().position(|&b| b == 0) {
        Some(at) => Err(Error::input(
            path,
            format!(
                "byte {}: a NUL byte: this looks like a binary file, not a manuscript",
                at + offset
            ),
        )),
        None => Ok(()),
    }
}

fn decode_utf8(path: &Path, bytes: &[u8], offset: usize) -> Result<String> {
    no_nul(path, bytes, offset)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(Error::input(
            path,
            format!(
                "byte {}: not valid UTF-8 (save the file as UTF-8)",
                e.valid_up_to() + offset
            ),
        )),
    }
}

/// The encoding an HTML page declares in its first 1024 bytes, found as the HTML standard's
/// prescan does (simplified): the first `<meta charset=...>`, or `<meta http-equiv=content-type
/// content="...; charset=...">`, outside comments. UTF-16 labels mean UTF-8 there (a page whose
/// bytes are UTF-16 has a BOM), `x-user-defined` means windows-1252.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut at = 0;
    while at < lower.len() {
        let rest = &lower[at..];
        if rest.starts_with(b"<!--") {
            at += find(rest, b"-->").map_or(rest.len(), |i| i + 3);
            continue;
        }
        let is_meta = rest.starts_with(b"<meta")
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/');
        if !is_meta {
            at += 1;
            continue;
        }
        let end = find(rest, b">").unwrap_or(rest.len());
        let attrs = attributes(&rest[5..end]);
        let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let label = if let Some(charset) = get("charset") {
            Some(charset.clone())
        } else if get("http-equiv").is_some_and(|v| v.trim() == "content-type") {
            get("content").and_then(|c| charset_in_content(c))
        } else {
            None
        };
        if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        {
            return Some(
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else if enc == encoding_rs::X_USER_DEFINED {
                    encoding_rs::WINDOWS_1252
                } else {
                    enc
                },
            );
        }
        at += end.max(1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The attributes of a tag's inside (after its name), lower-cased: `name=value`, `name="value"`,
/// `name='value'`, or a bare `name`.
fn attributes(inside: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(inside);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/') {
            name.push(c);
        }
        if name.is_empty() {
            break;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => {
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name, value));
    }
    out
}

/// The charset of a `content="text/html; charset=windows-1252"` value.
fn charset_in_content(content: &str) -> Option<String> {
    let at = content.find("charset")?;
    let rest = content[at + 7..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

/// The bytes to write for a manuscript fixed from `old_text` to `new_text`, in the encoding its
/// `original` bytes have ([`Encoding::detect`]). Refuses when `original` no longer decodes to
/// `old_text` (the file changed while it was fixed), when the new text cannot be held by the
/// encoding, and when encoding `old_text` would not give back `original` byte for byte (so that
/// the bytes the fixes do not touch are never changed by a round trip).
pub fn encode_like(
    path: &Path,
    original: &[u8],
    format: crate::manuscript::Format,
    old_text: &str,
    new_text: &str,
) -> Result<Vec<u8>> {
    let encoding = Encoding::detect(original, format);
    if encoding.decode(path, original)? != old_text {
        return Err(Error::input(path, CHANGED));
    }
    if encoding.encode(path, old_text)? != original {
        return Err(Error::input(
            path,
            format!(
                "its {} bytes do not survive being read and written back unchanged; nothing \
                 was written",
                encoding.name()
            ),
        ));
    }
    encoding.encode(path, new_text)
}

/// What `fix` says when the manuscript changed on disk while it was being fixed.
pub const CHANGED: &str = "the file changed while fixing; nothing was written";

/// A manuscript opened for fixing: symlinks resolved (the link is kept, its target written), a
/// regular file (never a device, fifo or socket), with an advisory lock (`flock`) held until it
/// is dropped, so that two `ibid fix` runs on one file take turns instead of losing one's
/// rewrites.
#[derive(Debug)]
pub struct Target {
    /// The path as given, for messages.
    path: PathBuf,
    /// The file it names, symlinks resolved.
    real: PathBuf,
    /// Open on `real`, locked.
    file: std::fs::File,
    /// Write read-only and hard-linked files too.
    force: bool,
}

impl Target {
    /// Opens the manuscript at `path` for fixing and waits for its lock. Refuses anything that
    /// is not a regular file. With `force`, [`Target::write`] also writes read-only files and
    /// files with more than one hard link.
    pub fn open(path: &Path, force: bool) -> Result<Target> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        // the type first, without opening: opening a fifo would wait for a writer
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(Error::input(
                path,
                format!(
                    "not a regular file ({}): fix writes only regular files; nothing was written",
                    kind(&meta.file_type())
                ),
            ));
        }
        let real = std::fs::canonicalize(path).map_err(io)?;
        // A run that waited for the lock while another renamed a new file over the path holds
        // the old file: open the path again until the file locked is the file it names.
        for _ in 0..100 {
            let file = std::fs::File::open(&real).map_err(io)?;
            if !file.metadata().map_err(io)?.is_file() {
                return Err(Error::input(
                    path,
                    "not a regular file: fix writes only regular files; nothing was written",
                ));
            }
            os::lock(&file).map_err(io)?;
            let now = std::fs::metadata(&real).map_err(io)?;
            if os::same_file(&file.metadata().map_err(io)?, &now) {
                return Ok(Target {
                    path: path.to_owned(),
                    real,
                    file,
                    force,
                });
            }
        }
        Err(Error::input(
            path,
            "the file kept being replaced while waiting to fix it; nothing was written",
        ))
    }

    /// The file's bytes now (at most [`crate::manuscript::MAX_INPUT_BYTES`]).
    pub fn read(&self) -> Result<Vec<u8>> {
        crate::manuscript::read_file(&self.real).map_err(|e| self.named(e))
    }

    /// Errors about the real file name the path as given.
    fn named(&self, e: Error) -> Error {
        match e {
            Error::Io { source, .. } => Error::Io {
                path: self.path.clone(),
                source,
            },
            Error::Input { message, .. } => Error::input(&self.path, message),
            other => other,
        }
    }

    /// Writes `new_bytes` over the manuscript, if it still holds exactly `original`.
    ///
    /// The new text goes to a temporary file `.ibid-XXXXXX.tmp` beside the real file, given the
    /// manuscript's owner, group and mode, written and synced; then the manuscript's bytes are
    /// compared with `original` once more, and only if they are the same is the temporary file
    /// renamed over it. So the manuscript is always either the old or the new text, and a change
    /// made meanwhile (an editor's save) is never overwritten.
    ///
    /// Refused unless `force` was given: a read-only file (no write bit for its owner), and a
    /// file with more than one hard link (a rename would give this name a new file and leave
    /// the other links on the old text), and a file whose owner and group the temporary file
    /// cannot be given (another user's file). With `force`, those two are written in place,
    /// through the file itself, so every link sees the fix; that write is not atomic (see
    /// `write_in_place`), which is why it needs `--force`.
    pub fn write(&self, original: &[u8], new_bytes: &[u8]) -> Result<()> {
        let path = &self.path;
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let write_err = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let meta = self.file.metadata().map_err(io)?;
        let links = os::links(&meta);
        if !self.force {
            if os::read_only(&meta) {
                return Err(Error::input(
                    path,
                    format!(
                        "read-only (mode {:o}); nothing was written (`ibid fix --force` writes it)",
                        os::mode(&meta)
                    ),
                ));
            }
            if links > 1 {
                return Err(Error::input(
                    path,
                    format!(
                        "has {links} hard links and a rewrite would split them; nothing was \
                         written (`ibid fix --force` writes it in place, through every link)"
                    ),
                ));
            }
        }
        let dir = self
            .real
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".ibid-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| write_err(without_temp_path(e)))?;
        let mut in_place = self.force && links > 1;
        if let Err(e) = os::keep_owner(tmp.as_file(), &meta) {
            if !self.force {
                return Err(Error::input(
                    path,
                    format!(
                        "its owner and group cannot be kept by a rewrite ({e}); nothing was \
                         written (`ibid fix --force` writes it in place)"
                    ),
                ));
            }
            in_place = true;
        }
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(write_err)?;
        tmp.as_file_mut().write_all(new_bytes).map_err(write_err)?;
        tmp.as_file().sync_all().map_err(write_err)?;
        debug_edit_hook(&self.real);
        // the last look, after everything that can take time: still what was read?
        let now = crate::manuscript::read_file(&self.real).map_err(|e| self.named(e))?;
        if now != original {
            return Err(Error::input(path, CHANGED));
        }
        if in_place {
            return self.write_in_place(new_bytes, tmp);
        }
        tmp.persist(&self.real).map_err(|e| write_err(e.error))?;
        // the rename itself, on disk (best effort: not every file system syncs a directory)
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// `--force` on a hard-linked file: the new bytes written through the file's own inode. The
    /// space is reserved first, so a full disk stops it before a byte changes; the synced
    /// temporary file holding the whole new text is removed only after the write is synced, and
    /// kept (and named) if the write fails half way.
    fn write_in_place(&self, new_bytes: &[u8], tmp: tempfile::NamedTempFile) -> Result<()> {
        let write_err = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(&self.real)
            .map_err(write_err)?;
        let same = file
            .metadata()
            .and_then(|m| Ok(os::same_file(&m, &self.file.metadata()?)))
            .map_err(write_err)?;
        if !same {
            return Err(Error::input(&self.path, CHANGED));
        }
        os::reserve(&file, new_bytes.len() as u64).map_err(write_err)?;
        let result = file
            .write_all(new_bytes)
            .and_then(|()| file.set_len(new_bytes.len() as u64))
            .and_then(|()| file.sync_all());
        match result {
            Ok(()) => Ok(()),
            Err(source) => {
                let kept = tmp.into_temp_path().keep().ok();
                Err(Error::Input {
                    path: self.path.clone(),
                    message: format!(
                        "cannot write in place: {source}; the file may be partly written{}",
                        kept.map_or(String::new(), |p| format!(
                            "; the fixed text is in {}",
                            crate::error::display_path(&p)
                        ))
                    ),
                })
            }
        }
    }
}

/// The OS error of a failed temporary file, without the " at path \"/.../.ibid-XXXXXX.tmp\""
/// that `tempfile` adds: the message names the manuscript, not a file the user never made.
fn without_temp_path(e: std::io::Error) -> std::io::Error {
    if e.raw_os_error().is_some() {
        return e;
    }
    match e.to_string().split_once(" at path ") {
        Some((reason, _)) => std::io::Error::new(e.kind(), reason.to_owned()),
        None => e,
    }
}

/// Debug builds only: `IBID_DEBUG_EDIT_WHILE_FIXING=TEXT` writes TEXT over the manuscript just
/// before fix's last comparison, as an editor saving at the worst moment would (for the tests).
fn debug_edit_hook(real: &Path) {
    #[cfg(debug_assertions)]
    if let Some(text) = std::env::var_os("IBID_DEBUG_EDIT_WHILE_FIXING") {
        let _ = std::fs::write(real, text.as_encoded_bytes());
    }
    #[cfg(not(debug_assertions))]
    let _ = real;
}

/// A file type's name, for messages.
fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a fifo";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// What the write path needs from the operating system.
#[cfg(unix)]
mod os {
    use std::fs::{File, Metadata};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    /// Waits for an exclusive advisory lock. A file system without locks is no error: the byte
    /// comparison before the rename still guards the file.
    pub fn lock(file: &File) -> std::io::Result<()> {
        use rustix::io::Errno;
        match rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive) {
            Ok(()) => Ok(()),
            // (NOTSUP and OPNOTSUPP are one value on Linux, two elsewhere)
            Err(e) if [Errno::NOLCK, Errno::NOTSUP, Errno::OPNOTSUPP].contains(&e) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
        a.dev() == b.dev() && a.ino() == b.ino()
    }

    pub fn links(meta: &Metadata) -> u64 {
        meta.nlink()
    }

    pub fn mode(meta: &Metadata) -> u32 {
        meta.permissions().mode() & 0o7777
    }

    pub fn read_only(meta: &Metadata) -> bool {
        meta.permissions().mode() & 0o200 == 0
    }

    pub fn keep_owner(tmp: &File, meta: &Metadata) -> std::io::Result<()> {
        std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid()))
    }

    /// Reserves `len` bytes for the file without changing it; a file system that cannot is
    /// no error.
    pub fn reserve(file: &File, len: u64) -> std::io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::io::Errno;
            let keep = rustix::fs::FallocateFlags::KEEP_SIZE;
            match rustix::fs::fallocate(file, keep, 0, len) {
                Ok(()) => Ok(()),
                Err(e) if [Errno::NOTSUP, Errno::OPNOTSUPP, Errno::NOSYS].contains(&e) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let _ = (file, len);
            Ok(())
        }
    }
}

/// Elsewhere: no lock, no owner to keep, no links to see.
#[cfg(not(unix))]
mod os {
    use std::fs::{File, Metadata};

    pub fn lock(_: &File) -> std::io::Result<()> {
        Ok(())
    }
    pub fn same_file(_: &Metadata, _: &Metadata) -> bool {
        true
    }
    pub fn links(_: &Metadata) -> u64 {
        1
    }
    pub fn mode(meta: &Metadata) -> u32 {
        if meta.permissions().readonly() {
            0o444
        } else {
            0o644
        }
    }
    pub fn read_only(meta: &Metadata) -> bool {
        meta.permissions().readonly()
    }
    pub fn keep_owner(_: &File, _: &Metadata) -> std::io::Result<()> {
        Ok(())
    }
    pub fn reserve(_: &File, _: u64) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes `new_bytes` over `path` atomically, if the file still holds `original` bytes: a
/// [`Target`] opened without `force`, then [`Target::write`].
pub fn write_atomic(path: &Path, original: &[u8], new_bytes: &[u8]) -> Result<()> {
    Target::open(path, false)?.write(original, new_bytes)
}

/// The findings whose appearance at a rewritten place shows that the rewrite did not settle:
/// the corrected text reads back as a different citation, or not as the same work.
fn unsettled(code: crate::diagnostic::Code) -> bool {
    use crate::diagnostic::Code::*;
    matches!(
        code,
        StyleDifference
            | UnresolvedShortForm
            | AmbiguousShortForm
            | DanglingIbid
            | AmbiguousIbid
            | UnreadNote
    )
}

/// Keeps only the fixes whose result reads back as the correct form: `recheck` runs the whole
/// check on a rewritten text, and a fix whose rewritten span still (or newly) draws a finding
/// becomes [`Applicability::Manual`](crate::diagnostic::Applicability::Manual): shown, not written. Safe fixes are tried on their own (what
/// `ibid fix` applies), then together with the unsafe ones (what `--unsafe` applies). So a fix
/// that is offered, once applied, leaves nothing to fix: fixing twice changes nothing.
pub fn settle(
    path: &Path,
    source: &str,
    diagnostics: &mut [crate::diagnostic::Diagnostic],
    recheck: impl Fn(&str) -> Result<Vec<crate::diagnostic::Diagnostic>>,
) -> Result<()> {
    settle_with(
        diagnostics,
        |fixes| {
            let text = apply(path, source, fixes)?;
            let mut shift: isize = 0;
            let spans = fixes
                .iter()
                .map(|fix| {
                    let start = (fix.span.start as isize + shift) as usize;
                    shift += fix.replacement.len() as isize - fix.span.len() as isize;
                    crate::span::Span::new(start, start + fix.replacement.len())
                })
                .collect();
            Ok((text, spans))
        },
        recheck,
    )
}

/// [`settle`] for any way of writing fixes: `apply` gets the trial fixes sorted by span and
/// returns the rewritten text and, for each fix in that order, the span it occupies in it (a
/// .docx fix writes tracked changes, not the bare replacement).
pub fn settle_with(
    diagnostics: &mut [crate::diagnostic::Diagnostic],
    apply: impl Fn(&[&Fix]) -> Result<(String, Vec<crate::span::Span>)>,
    recheck: impl Fn(&str) -> Result<Vec<crate::diagnostic::Diagnostic>>,
) -> Result<()> {
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    for classes in [&[Safe][..], &[Safe, Unsafe][..]] {
        // each round withdraws at least one fix, so this ends
        loop {
            let mut trial: Vec<usize> = (0..diagnostics.len())
                .filter(|&i| {
                    diagnostics[i]
                        .fix
                        .as_ref()
                        .is_some_and(|f| classes.contains(&f.applicability))
                })
                .collect();
            if trial.is_empty() {
                break;
            }
            trial.sort_by_key(|&i| diagnostics[i].fix.as_ref().map(|f| f.span.start));
            let fixes: Vec<&Fix> = trial
                .iter()
                .filter_map(|&i| diagnostics[i].fix.as_ref())
                .collect();
            let (text, spans) = apply(&fixes)?;
            let after = recheck(&text)?;
            let mut bad = Vec::new();
            for (&i, span) in trial.iter().zip(&spans) {
                let (start, end) = (span.start, span.end);
                let hit = after.iter().any(|d| {
                    unsettled(d.code)
                        && d.span.is_some_and(|s| {
                            s.start < end.max(start + 1) && start < s.end.max(s.start + 1)
                        })
                });
                if hit {
                    bad.push(i);
                }
            }
            if bad.is_empty() {
                break;
            }
            // In the combined trial, an unsettled safe fix (proved settled alone) means an unsafe
            // one disturbed it: withdraw the unsafe ones.
            let blame_unsafe = classes.len() > 1
                && bad.iter().any(|&i| {
                    diagnostics[i]
                        .fix
                        .as_ref()
                        .is_some_and(|f| f.applicability == Safe)
                });
            for (i, d) in diagnostics.iter_mut().enumerate() {
                let Some(fix) = d.fix.as_mut() else { continue };
                let withdraw = if blame_unsafe {
                    fix.applicability == Unsafe
                } else {
                    bad.contains(&i)
                };
                if withdraw {
                    fix.applicability = crate::diagnostic::Applicability::Manual;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;
    use crate::span::Span;

    fn fix(start: usize, end: usize, written: &str, replacement: &str) -> Fix {
        Fix {
            span: Span::new(start, end),
            written: written.into(),
            replacement: replacement.into(),
            applicability: Applicability::Safe,
        }
    }

    #[test]
    fn applies_only_the_spans() {
        let src = "[ii] Ibid, 4.\n[x] Ibid, 2-3. Prose.\n";
        let a = fix(5, 12, "Ibid, 4", "Ibid., 4");
        let b = fix(18, 27, "Ibid, 2-3", "Ibid., 2–3");
        let out = apply(Path::new("t"), src, &[&b, &a]).unwrap();
        assert_eq!(out, "[ii] Ibid., 4.\n[x] Ibid., 2–3. Prose.\n");
    }

    #[test]
    fn refuses_overlaps_and_stale_fixes() {
        let src = "abcdef";
        assert!(apply(
            Path::new("t"),
            src,
            &[&fix(0, 3, "abc", "x"), &fix(2, 4, "cd", "y")]
        )
        .is_err());
        assert!(apply(Path::new("t"), src, &[&fix(0, 3, "abd", "x")]).is_err());
        assert!(apply(Path::new("t"), src, &[&fix(4, 9, "ef", "x")]).is_err());
    }

    #[test]
    fn writes_atomically_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.txt");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"old", b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let err = write_atomic(&path, b"old", b"newer").unwrap_err();
        assert!(err.to_string().contains("changed while fixing"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // no temporary file left behind
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_html_page_declares_its_encoding() {
        use crate::manuscript::Format::{Html, Text};
        let cp1252 = Encoding::Declared(encoding_rs::WINDOWS_1252);
        for head in [
            &b"<html><head><meta charset=\"windows-1252\" />"[..],
            b"<!DOCTYPE html>\n<head>\n  <META CHARSET=windows-1252>",
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
            b"<meta content='text/html;charset=iso-8859-1' http-equiv='content-type'>",
        ] {
            assert_eq!(
                Encoding::detect(head, Html),
                cp1252,
                "{}",
                String::from_utf8_lossy(head)
            );
            assert_eq!(Encoding::detect(head, Text), Encoding::Utf8);
        }
        for head in [
            &b"<meta charset=\"utf-8\">"[..],
            b"<meta charset=\"utf-16\">",
            b"<!-- <meta charset=\"windows-1252\"> --><p>",
            b"<meta name=\"charset\" content=\"windows-1252\">",
            b"\xEF\xBB\xBF<meta charset=\"windows-1252\">",
        ] {
            assert_ne!(
                Encoding::detect(head, Html),
                cp1252,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
        // a mislabelled page (valid UTF-8 beyond ASCII) is UTF-8
        let mislabelled = "<meta charset=\"windows-1252\"><p>2\u{2013}3</p>";
        assert_eq!(
            Encoding::detect(mislabelled.as_bytes(), Html),
            Encoding::Utf8
        );
        let page = b"<meta charset=\"windows-1252\"><p>2\x963</p>";
        let text = cp1252.decode(Path::new("p"), page).unwrap();
        assert!(text.ends_with("<p>2\u{2013}3</p>"), "{text}");
        assert_eq!(cp1252.encode(Path::new("p"), &text).unwrap(), page);
        let latin2 = Encoding::Declared(encoding_rs::ISO_8859_2);
        let err = latin2.encode(Path::new("p"), "2\u{2013}3").unwrap_err();
        assert!(err.to_string().contains("U+2013"), "{err}");
    }

    #[test]
    fn encodings_round_trip() {
        for enc in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = enc.encode(Path::new("t"), "Thérien’s “notes”").unwrap();
            assert_eq!(Encoding::sniff(&bytes), enc);
            let text = crate::manuscript::decode(Path::new("t"), &bytes).unwrap();
            assert_eq!(text, "Thérien’s “notes”");
        }
    }
}
