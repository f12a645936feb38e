//! Every verb runs the one pipeline of `ibid::session`: the `ibid.toml` beside a manuscript
//! applies to `format` and `extract` as it does to `check` (issue #15).

mod common;

use std::path::{Path, PathBuf};

use common::ibid;

/// A copy of the seed essay in a fresh directory, with `config` as its `ibid.toml`.
fn seed_with_config(config: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/essay-internet-governance.txt");
    let copy = dir.path().join("essay.txt");
    std::fs::copy(seed, &copy).unwrap();
    std::fs::write(dir.path().join("ibid.toml"), config).unwrap();
    (dir, copy)
}

#[test]
fn format_takes_the_style_of_ibid_toml() {
    // The seed's notes use Ibid., so without a config the default is Chicago 17.
    let (_dir, essay) = seed_with_config("style = \"chicago-18\"\n");
    let (code, out, err) = ibid(&["format", essay.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("18th edition"), "{first}");

    // `--style` still wins over the config file.
    let (code, out, err) = ibid(&["format", essay.to_str().unwrap(), "--style", "chicago"]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("17th edition"), "{first}");
}

#[test]
fn extract_leaves_out_the_rules_ibid_toml_turns_off() {
    let (_dir, essay) = seed_with_config("[rules]\nIB021 = \"off\"\nIB014 = \"error\"\n");
    let (code, out, err) = ibid(&["extract", essay.to_str().unwrap()]);
    // findings of warning severity and above: extract exits 1, as check does
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains("IB021"), "{out}");
    // the other rules are still reported, at the severity the config gives them
    assert!(out.contains("IB014 error"), "{out}");
    assert!(out.contains("IB001 warning"), "{out}");

    let (code, out, err) = ibid(&["extract", essay.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains("IB021"), "{out}");
    assert!(out.contains("IB014"), "{out}");
}
