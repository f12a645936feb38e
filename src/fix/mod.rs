//! Fix: apply non-overlapping rewrites to a manuscript, and write it back atomically.
//!
//! Only the bytes of the rewritten spans change, in the file's own encoding. The file is written
//! to a temporary file in the same directory and renamed over the original (owner, group and
//! mode kept), under an advisory lock, and only if the file on disk is still exactly what was
//! read when the temporary file is ready: otherwise nothing is written. See [`Target`].

pub mod comments;
pub mod docx;
pub mod odt;
pub mod source;

pub use source::SourceKind;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::manuscript::encoding::Encoding;
use crate::model::diagnostic::Fix;

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
fn unsettled(code: crate::model::diagnostic::Code) -> bool {
    use crate::model::diagnostic::Code::*;
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

/// The spans of the findings of a re-check that leave a fix unsettled ([`unsettled`]), each
/// widened to at least one byte, sorted by start, with the furthest end among each prefix: which
/// of them a fix's span overlaps is found by binary search, not by a scan of them all for each
/// fix.
struct Findings {
    /// (start, end), by start.
    spans: Vec<(usize, usize)>,
    /// `furthest[i]`: the largest end among `spans[..=i]`.
    furthest: Vec<usize>,
}

impl Findings {
    fn of(diagnostics: &[crate::model::diagnostic::Diagnostic]) -> Findings {
        let mut spans: Vec<(usize, usize)> = diagnostics
            .iter()
            .filter(|d| unsettled(d.code))
            .filter_map(|d| d.span)
            .map(|s| (s.start, s.end.max(s.start + 1)))
            .collect();
        spans.sort_unstable();
        let furthest = spans
            .iter()
            .scan(0, |max, &(_, end)| {
                *max = end.max(*max);
                Some(*max)
            })
            .collect();
        Findings { spans, furthest }
    }

    /// Whether a finding overlaps `start..end`.
    fn overlap(&self, start: usize, end: usize) -> bool {
        // the findings that start before `end`; one of them overlaps when it ends after `start`
        let before = self.spans.partition_point(|&(s, _)| s < end);
        before > 0 && self.furthest[before - 1] > start
    }
}

/// What a fix does, whatever its numbers: the written text and its replacement with every run of
/// digits taken out, so that one short form's correction at page 75 and at page 265 are the same
/// edit.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Edit(String, String);

impl Edit {
    fn of(fix: &Fix) -> Edit {
        let strip = |s: &str| {
            let mut out = String::with_capacity(s.len());
            let mut digits = false;
            for c in s.chars() {
                if c.is_ascii_digit() || digits && matches!(c, '–' | '-') {
                    if !digits {
                        out.push('#');
                    }
                    digits = true;
                } else {
                    out.push(c);
                    digits = false;
                }
            }
            out
        };
        Edit(strip(&fix.written), strip(&fix.replacement))
    }
}

/// The trial fixes to withdraw after a round: the unsettled ones (`bad`, indices into
/// `diagnostics`), the same edit elsewhere, and the other rewrites of the same class of the work
/// each cites. Fixes interact through their works (a short form read one way decides how the next
/// is read), and withdrawing them one round at a time made the rounds grow with the manuscript
/// (#17).
fn with_kin(
    diagnostics: &[crate::model::diagnostic::Diagnostic],
    trial: &[usize],
    bad: &[usize],
) -> Vec<bool> {
    use std::collections::HashSet;
    let fixes = |ids: &[usize]| -> Vec<(usize, &Fix)> {
        ids.iter()
            .filter_map(|&i| Some((i, diagnostics[i].fix.as_ref()?)))
            .collect()
    };
    let unsettled = fixes(bad);
    let edits: HashSet<Edit> = unsettled.iter().map(|(_, f)| Edit::of(f)).collect();
    let works: HashSet<_> = unsettled
        .iter()
        .filter_map(|(_, f)| Some((f.work?, f.applicability)))
        .collect();
    let mut is_bad = vec![false; diagnostics.len()];
    bad.iter().for_each(|&i| is_bad[i] = true);
    for (i, fix) in fixes(trial) {
        let of_work = fix
            .work
            .is_some_and(|w| works.contains(&(w, fix.applicability)));
        if of_work || edits.contains(&Edit::of(fix)) {
            is_bad[i] = true;
        }
    }
    is_bad
}

/// Keeps only the fixes whose result reads back as the correct form: `recheck` checks a
/// rewritten text, and a fix whose rewritten span still (or newly) draws a finding
/// becomes [`Applicability::Manual`](crate::model::diagnostic::Applicability::Manual): shown, not written. Safe fixes are tried on their own (what
/// `ibid fix` applies), then together with the unsafe ones (what `--unsafe` applies). So a fix
/// that is offered, once applied, leaves nothing to fix: fixing twice changes nothing.
pub fn settle(
    path: &Path,
    source: &str,
    diagnostics: &mut [crate::model::diagnostic::Diagnostic],
    recheck: impl Fn(&str, &Trial) -> Result<Vec<crate::model::diagnostic::Diagnostic>>,
) -> Result<()> {
    settle_with(diagnostics, |fixes| applied(path, source, fixes), recheck)
}

/// [`apply`] of fixes sorted by span, with the span each replacement occupies in the text.
fn applied(
    path: &Path,
    source: &str,
    fixes: &[&Fix],
) -> Result<(String, Vec<crate::model::span::Span>)> {
    let text = apply(path, source, fixes)?;
    let mut shift: isize = 0;
    let spans = fixes
        .iter()
        .map(|fix| {
            let start = (fix.span.start as isize + shift) as usize;
            shift += fix.replacement.len() as isize - fix.span.len() as isize;
            crate::model::span::Span::new(start, start + fix.replacement.len())
        })
        .collect();
    Ok((text, spans))
}

/// A trial of fixes as a re-check sees it ([`settle_with`]): where each fix is in the rewritten
/// text, and which of them the re-check before this one already answered for.
#[derive(Debug, Clone, Copy)]
pub struct Trial<'a> {
    /// For each fix of the trial, in order, the span it occupies in the rewritten text.
    pub spans: &'a [crate::model::span::Span],
    /// For each fix, whether the re-check before this one (of the same manuscript) tried it too
    /// and found nothing over it: it is still settled unless what its note depends on changed.
    pub proven: &'a [bool],
}

/// [`settle`] for any way of writing fixes: `apply` gets the trial fixes sorted by span and
/// returns the rewritten text and, for each fix in that order, the span it occupies in it (a
/// .docx fix writes tracked changes, not the bare replacement). `recheck` gets that text and
/// the [`Trial`]: only the findings that overlap its spans count, so it may leave the rest of
/// the manuscript unchecked, and the notes of the fixes it proved in the round before whose
/// inputs have not changed since (#17).
pub fn settle_with(
    diagnostics: &mut [crate::model::diagnostic::Diagnostic],
    apply: impl Fn(&[&Fix]) -> Result<(String, Vec<crate::model::span::Span>)>,
    recheck: impl Fn(&str, &Trial) -> Result<Vec<crate::model::diagnostic::Diagnostic>>,
) -> Result<()> {
    use crate::model::diagnostic::Applicability::{Safe, Unsafe};
    use crate::model::WorkId;
    use std::collections::HashSet;
    // the last set of fixes that settled: the same set again (no unsafe fix to add to the safe
    // ones) settles again, without a re-check
    let mut settled: Option<Vec<usize>> = None;
    // the fixes the last re-check tried and found nothing over
    let mut proven = vec![false; diagnostics.len()];
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
            if settled.as_ref() == Some(&trial) {
                break;
            }
            let fixes: Vec<&Fix> = trial
                .iter()
                .filter_map(|&i| diagnostics[i].fix.as_ref())
                .collect();
            let (text, spans) = apply(&fixes)?;
            let known: Vec<bool> = trial.iter().map(|&i| proven[i]).collect();
            let after = Findings::of(&recheck(
                &text,
                &Trial {
                    spans: &spans,
                    proven: &known,
                },
            )?);
            let mut bad = Vec::new();
            proven.iter_mut().for_each(|p| *p = false);
            for (&i, span) in trial.iter().zip(&spans) {
                if after.overlap(span.start, span.end.max(span.start + 1)) {
                    bad.push(i);
                } else {
                    proven[i] = true;
                }
            }
            if bad.is_empty() {
                settled = Some(trial);
                break;
            }
            let is_bad = with_kin(diagnostics, &trial, &bad);
            // In the combined trial, an unsettled safe fix (proved settled alone) means an unsafe
            // one disturbed it: the unsafe fixes that did not settle themselves are withdrawn,
            // and those of the work the disturbed safe fix cites (a rewritten full citation
            // changes how that work's short forms read). Only when that names no unsafe fix are
            // all of them withdrawn, so that one disturbance in a long manuscript does not take
            // every unsafe fix with it.
            let combined = classes.len() > 1;
            let disturbed: HashSet<Option<WorkId>> = bad
                .iter()
                .filter_map(|&i| diagnostics[i].fix.as_ref())
                .filter(|f| combined && f.applicability == Safe)
                .map(|f| f.work)
                .collect();
            let blamed = |i: usize, fix: &Fix| {
                fix.applicability == Unsafe
                    && (is_bad[i] || fix.work.is_some() && disturbed.contains(&fix.work))
            };
            let blame_all = !disturbed.is_empty()
                && (disturbed.contains(&None)
                    || !diagnostics
                        .iter()
                        .enumerate()
                        .any(|(i, d)| d.fix.as_ref().is_some_and(|f| blamed(i, f))));
            for (i, d) in diagnostics.iter_mut().enumerate() {
                let Some(fix) = d.fix.as_mut() else { continue };
                let withdraw = if blame_all {
                    fix.applicability == Unsafe
                } else if combined {
                    blamed(i, fix)
                } else {
                    is_bad[i]
                };
                if withdraw {
                    fix.applicability = crate::model::diagnostic::Applicability::Manual;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnostic::Applicability;
    use crate::model::span::Span;

    fn fix(start: usize, end: usize, written: &str, replacement: &str) -> Fix {
        Fix {
            span: Span::new(start, end),
            written: written.into(),
            replacement: replacement.into(),
            applicability: Applicability::Safe,
            work: None,
        }
    }

    #[test]
    fn findings_overlap_as_a_scan_of_them_all_would() {
        use crate::model::diagnostic::{Code, Diagnostic};
        let spans = [(3, 3), (0, 10), (12, 14), (12, 20), (30, 31), (40, 40)];
        let diagnostics: Vec<Diagnostic> = spans
            .iter()
            .map(|&(a, b)| Diagnostic::new(Code::StyleDifference, None, Some(Span::new(a, b)), ""))
            .chain([Diagnostic::new(
                Code::MissingDate,
                None,
                Some(Span::new(50, 60)),
                "",
            )])
            .collect();
        let findings = Findings::of(&diagnostics);
        for start in 0..65 {
            for end in start..66 {
                let end1 = end.max(start + 1);
                let scan = diagnostics.iter().any(|d| {
                    unsettled(d.code)
                        && d.span
                            .is_some_and(|s| s.start < end1 && start < s.end.max(s.start + 1))
                });
                assert_eq!(findings.overlap(start, end1), scan, "{start}..{end}");
            }
        }
    }

    /// A style finding over `span`, of rule `code`.
    fn finding(
        code: crate::model::diagnostic::Code,
        span: Span,
    ) -> crate::model::diagnostic::Diagnostic {
        crate::model::diagnostic::Diagnostic::new(code, None, Some(span), "")
    }

    /// What each finding's fix became.
    fn applicabilities(diagnostics: &[crate::model::diagnostic::Diagnostic]) -> Vec<Applicability> {
        diagnostics
            .iter()
            .map(|d| d.fix.as_ref().unwrap().applicability)
            .collect()
    }

    /// A finding for each fix in `diagnostics` (one finding each, over its written span).
    fn findings_for(source: &str, fixes: &[Fix]) -> Vec<crate::model::diagnostic::Diagnostic> {
        fixes
            .iter()
            .map(|f| {
                assert_eq!(f.span.slice(source), f.written);
                let mut d = finding(crate::model::diagnostic::Code::StyleDifference, f.span);
                d.fix = Some(f.clone());
                d
            })
            .collect()
    }

    #[test]
    fn settling_withdraws_the_same_edit_everywhere_in_one_round() {
        // each rewrite unsettles the first of the remaining ones once applied: withdrawn one by
        // one, that took one re-check per copy of the edit
        let source = "Law of China, 75. Law of China, 265. Law of China, 9. Other, 4-5.";
        let fixes = [
            fix(0, 16, "Law of China, 75", "Law, 75"),
            fix(18, 35, "Law of China, 265", "Law, 265"),
            fix(37, 52, "Law of China, 9", "Law, 9"),
            fix(54, 64, "Other, 4-5", "Other, 4–5"),
        ];
        let mut diagnostics = findings_for(source, &fixes);
        let rechecks = std::cell::Cell::new(0);
        let proven = std::cell::RefCell::new(Vec::new());
        settle(
            Path::new("t.txt"),
            source,
            &mut diagnostics,
            |text, trial| {
                rechecks.set(rechecks.get() + 1);
                proven.borrow_mut().push(trial.proven.to_vec());
                let at = text.find("Law, ").map(|i| Span::new(i, i + 5));
                Ok(at
                    .into_iter()
                    .map(|s| finding(crate::model::diagnostic::Code::StyleDifference, s))
                    .collect())
            },
        )
        .unwrap();
        use Applicability::{Manual, Safe};
        assert_eq!(
            applicabilities(&diagnostics),
            [Manual, Manual, Manual, Safe]
        );
        assert_eq!(
            rechecks.get(),
            2,
            "one round finds them, one proves the rest"
        );
        // the second round is told that the fix it keeps drew nothing in the first
        assert_eq!(*proven.borrow(), [vec![false; 4], vec![true]]);
    }

    #[test]
    fn a_disturbed_safe_fix_withdraws_the_unsafe_fixes_of_its_work_only() {
        use Applicability::{Manual, Safe, Unsafe};
        let source = "Ray, Title, 4-5. Ray, *Long Title*. Doe, *Other Title*.";
        let mut fixes = [
            fix(0, 15, "Ray, Title, 4-5", "Ray, Title, 4–5"),
            fix(17, 34, "Ray, *Long Title*", "Ray, *Title*"),
            fix(36, 54, "Doe, *Other Title*", "Doe, *Other*"),
        ];
        fixes[1].applicability = Unsafe;
        fixes[2].applicability = Unsafe;
        for (f, work) in fixes.iter_mut().zip([0, 0, 1]) {
            f.work = Some(work);
        }
        let mut diagnostics = findings_for(source, &fixes);
        settle(Path::new("t.txt"), source, &mut diagnostics, |text, _| {
            // Ray's short form rewritten makes the first citation read as another work
            let disturbed = text.contains("Ray, *Title*") && text.contains("4–5");
            Ok(disturbed
                .then(|| {
                    finding(
                        crate::model::diagnostic::Code::UnresolvedShortForm,
                        Span::new(0, 5),
                    )
                })
                .into_iter()
                .collect())
        })
        .unwrap();
        assert_eq!(applicabilities(&diagnostics), [Safe, Manual, Unsafe]);
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
}
