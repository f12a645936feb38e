//! Many manuscripts at once: inputs expanded (files, directories, globs), processed in parallel
//! with rayon, results handed on in input order, a chunk at a time so that memory stays flat in
//! the number of files, with a progress bar on a terminal for long runs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Extensions of the manuscripts a directory is searched for.
pub const MANUSCRIPT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "docx"];

/// Expands command-line inputs: a file stays as it is (whatever its extension), a directory
/// gives its manuscripts recursively (sorted, hidden entries skipped), a pattern with `*`, `?` or
/// `[` is a glob. A missing input is an error naming it. A file reached twice (`ibid fix .
/// essay.txt`, a symlink and its target) is kept once, where it was first seen: files are
/// compared by their canonical path.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if !input.exists() && text.contains(['*', '?', '[']) {
            let paths =
                glob::glob(&text).map_err(|e| Error::input(input, format!("bad pattern: {e}")))?;
            let mut found: Vec<PathBuf> = paths
                .filter_map(|p| p.ok())
                .filter(|p| p.is_file())
                .collect();
            if found.is_empty() {
                return Err(Error::input(input, "no file matches this pattern"));
            }
            found.sort();
            out.extend(found);
        } else if input.is_dir() {
            let before = out.len();
            walk(input, &mut out).map_err(|source| Error::Io {
                path: input.clone(),
                source,
            })?;
            if out.len() == before {
                return Err(Error::input(
                    input,
                    format!(
                        "a directory with no manuscripts in it (files ending .{})",
                        MANUSCRIPT_EXTENSIONS.join(", .")
                    ),
                ));
            }
            out[before..].sort();
        } else {
            out.push(input.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| MANUSCRIPT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// How many files are processed between two hand-overs: enough to keep every core busy, few
/// enough that memory does not grow with the number of files.
const CHUNK: usize = 64;

/// Runs `work` on every path in parallel and hands each result to `emit` in input order.
/// Shows a progress bar on standard error when it is a terminal and there are many files.
pub fn run_ordered<T: Send>(
    paths: &[PathBuf],
    work: impl Fn(&Path) -> T + Sync,
    mut emit: impl FnMut(&Path, T),
) {
    let bar = (paths.len() >= 20 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(paths.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} manuscripts {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    for chunk in paths.chunks(CHUNK) {
        let results: Vec<T> = chunk
            .par_iter()
            .map(|p| {
                super::set_current_file(Some(p));
                let r = work(p);
                super::set_current_file(None);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                r
            })
            .collect();
        for (path, result) in chunk.iter().zip(results) {
            emit(path, result);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_directories_recursively_in_order_and_keeps_input_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.txt", "a.md", "sub/c.docx", "skip.png", ".hidden.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let found = expand(&[dir.path().to_owned()]).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, vec!["a.md", "b.txt", "sub/c.docx"]);

        let mut seen = Vec::new();
        let many: Vec<PathBuf> = (0..200).map(|i| PathBuf::from(format!("{i}"))).collect();
        run_ordered(
            &many,
            |p| p.display().to_string().len(),
            |p, n| seen.push((p.to_owned(), n)),
        );
        assert_eq!(seen.len(), 200);
        assert!(seen.iter().zip(&many).all(|((p, _), q)| p == q));
    }

    #[test]
    fn a_file_reached_twice_is_kept_once_where_first_seen() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a.txt", "b.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let b = dir.path().join("b.txt");
        let again = dir.path().join(".").join("b.txt");
        let found = expand(&[b.clone(), dir.path().to_owned(), again]).unwrap();
        assert_eq!(found, vec![b, dir.path().join("a.txt")]);
    }

    #[test]
    fn a_missing_input_or_empty_glob_is_an_error() {
        assert!(expand(&[PathBuf::from("/no/such/dir/*.txt")]).is_err());
        let one = expand(&[PathBuf::from("no-such-file.txt")]).unwrap();
        assert_eq!(
            one.len(),
            1,
            "a missing plain file is reported when it is read"
        );
    }
}
