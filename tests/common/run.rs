//! Running the `ibid` binary in tests: its exit code and output, with or without standard
//! input and environment changes; and the seed essay in a fresh directory.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the binary gave.
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

/// Runs `ibid` in `dir` with `args`, the environment changes `env` (a `None` value removes the
/// variable; `NO_COLOR` and `CLICOLOR_FORCE` are removed unless given) and `stdin` as its input.
pub fn run_full(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)], stdin: &[u8]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ibid"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut child = cmd.spawn().expect("run ibid");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `ibid` in `dir` with no input and colour off.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_full(dir, args, &[("NO_COLOR", Some("1"))], b"")
}

pub fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/essay-internet-governance.txt")
}

pub fn seed_text() -> String {
    std::fs::read_to_string(seed_path()).unwrap()
}

/// A fresh directory with a copy of the seed essay as `essay.txt`.
pub fn seed_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed_path(), dir.path().join("essay.txt")).unwrap();
    dir
}
