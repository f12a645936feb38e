//! Fix: apply non-overlapping rewrites to a manuscript, and write it back atomically.
//!
//! Only the bytes of the rewritten spans change. The file is written to a temporary file in the
//! same directory and renamed over the original (permissions kept), and only if the file on disk
//! is still exactly what was read: otherwise nothing is written.

use std::io::Write;
use std::path::Path;

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

/// How a text file was encoded, so that it is written back the same way.
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
}

impl Encoding {
    /// The encoding of `bytes`, by their BOM.
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

    /// `text` encoded this way.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
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
        }
    }
}

/// Writes `new_bytes` over `path` atomically, if the file still holds `original` bytes.
pub fn write_atomic(path: &Path, original: &[u8], new_bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let now = std::fs::read(path).map_err(io)?;
    if now != original {
        return Err(Error::input(
            path,
            "the file changed since it was read; nothing was written",
        ));
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".ibid-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(new_bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
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
        assert!(err.to_string().contains("changed since it was read"));
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // no temporary file left behind
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn encodings_round_trip() {
        for enc in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = enc.encode("Thérien’s “notes”");
            assert_eq!(Encoding::sniff(&bytes), enc);
            let text = crate::manuscript::decode(Path::new("t"), &bytes).unwrap();
            assert_eq!(text, "Thérien’s “notes”");
        }
    }
}
