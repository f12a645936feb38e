//! Many manuscripts at once: inputs expanded (files, directories, globs), processed in parallel
//! with rayon, results handed on in input order, a chunk at a time so that memory stays flat in
//! the number of files, with a progress bar on a terminal for long runs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Patterns of files to leave out of a run (`--exclude`), written as in a `.gitignore` and
/// matched against the paths a directory or glob gives, relative to the working directory
/// (`drafts/`, `*.old.md`, `/notes/scratch.txt`).
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    matcher: Option<ignore::gitignore::Gitignore>,
}

impl Exclude {
    /// The patterns, each checked: a bad one is an error naming it.
    pub fn new(patterns: &[String]) -> Result<Exclude> {
        if patterns.is_empty() {
            return Ok(Exclude::default());
        }
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let mut builder = ignore::gitignore::GitignoreBuilder::new(&root);
        for p in patterns {
            builder
                .add_line(None, p)
                .map_err(|e| Error::input(p, format!("bad --exclude pattern: {e}")))?;
        }
        let matcher = builder
            .build()
            .map_err(|e| Error::input("--exclude", e.to_string()))?;
        Ok(Exclude {
            matcher: Some(matcher),
        })
    }

    /// Whether `path` (or a directory above it, up to the working directory) is excluded.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        let Some(m) = &self.matcher else {
            return false;
        };
        let path = path.strip_prefix("./").unwrap_or(path);
        // a path outside the working directory is matched by its own components
        if path.is_absolute() && !path.starts_with(m.path()) {
            return path.ancestors().any(|a| {
                a.file_name()
                    .is_some_and(|name| m.matched(Path::new(name), a != path || is_dir).is_ignore())
            });
        }
        m.matched_path_or_any_parents(path, is_dir).is_ignore()
    }
}

/// Expands command-line inputs: a file stays as it is (whatever its extension, and even when
/// `.gitignore` or `--exclude` would leave it out: a file named is a file wanted), a directory
/// gives its manuscripts recursively (the extensions of [`crate::manuscript::EXTENSIONS`],
/// sorted), a pattern with `*`, `?` or `[` is a glob. A directory search skips hidden entries
/// and what `.gitignore`, `.ignore` and git's exclude files leave out (as ripgrep and ruff do,
/// through the `ignore` crate; a `.gitignore` counts outside a git repository too), and the
/// `exclude` patterns; a glob skips the `exclude` patterns. A missing input is an error naming
/// it, and so is a directory or glob that leaves nothing to check. A file reached twice (`ibid
/// fix . essay.txt`, a symlink and its target) is kept once, where it was first seen: files are
/// compared by their canonical path.
pub fn expand(inputs: &[PathBuf], exclude: &Exclude) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if !input.exists() && text.contains(['*', '?', '[']) {
            let paths =
                glob::glob(&text).map_err(|e| Error::input(input, format!("bad pattern: {e}")))?;
            let mut found: Vec<PathBuf> = paths
                .filter_map(|p| p.ok())
                .filter(|p| p.is_file() && !exclude.excludes(p, false))
                .collect();
            if found.is_empty() {
                return Err(Error::input(input, "no file matches this pattern"));
            }
            found.sort();
            out.extend(found);
        } else if input.is_dir() {
            let before = out.len();
            walk(input, exclude, &mut out)?;
            if out.len() == before {
                let kinds: Vec<String> = crate::manuscript::EXTENSIONS
                    .iter()
                    .map(|(e, _)| format!(".{e}"))
                    .collect();
                return Err(Error::input(
                    input,
                    format!(
                        "a directory with no manuscripts in it (files ending {}, not left out by \
                         .gitignore or --exclude)",
                        kinds.join(", ")
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

fn walk(dir: &Path, exclude: &Exclude, out: &mut Vec<PathBuf>) -> Result<()> {
    let exclude = exclude.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0 || !exclude.excludes(e.path(), is_dir)
        })
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| {
            let source = e
                .io_error()
                .map(|io| std::io::Error::new(io.kind(), io.to_string()))
                .unwrap_or_else(|| std::io::Error::other(e.to_string()));
            Error::Io {
                path: dir.to_owned(),
                source,
            }
        })?;
        if entry.file_type().is_some_and(|t| t.is_file())
            && crate::manuscript::Format::is_manuscript_name(entry.path())
        {
            out.push(entry.into_path());
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
        let found = expand(&[dir.path().to_owned()], &Exclude::default()).unwrap();
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
        let found = expand(
            &[b.clone(), dir.path().to_owned(), again],
            &Exclude::default(),
        )
        .unwrap();
        assert_eq!(found, vec![b, dir.path().join("a.txt")]);
    }

    #[test]
    fn a_missing_input_or_empty_glob_is_an_error() {
        assert!(expand(&[PathBuf::from("/no/such/dir/*.txt")], &Exclude::default()).is_err());
        let one = expand(&[PathBuf::from("no-such-file.txt")], &Exclude::default()).unwrap();
        assert_eq!(
            one.len(),
            1,
            "a missing plain file is reported when it is read"
        );
    }
}
