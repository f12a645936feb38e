//! What several integration tests share: running the `ibid` binary.

use std::process::Command;

/// Runs the `ibid` binary with `args` (colour off); its exit code, standard output and error.
pub fn ibid(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ibid");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
