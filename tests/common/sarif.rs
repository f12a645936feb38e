//! The official SARIF 2.1.0 schema, for the tests that validate ibid's SARIF log
//! (`#[path = "common/sarif.rs"] mod sarif;`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The SARIF schema shipped in the serde-sarif package (a dev-dependency), found through
/// `cargo metadata` so that it works wherever the registry lives.
pub fn sarif_schema() -> serde_json::Value {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo metadata");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata json");
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif in the dependency graph");
    let schema = PathBuf::from(manifest)
        .with_file_name("src")
        .join("schema.json");
    let text = std::fs::read_to_string(&schema).unwrap();
    // The official schema's `language` patterns have a bare `]`, which ECMA regexes read as a
    // literal and Rust's regex rejects: escape it (same meaning) so that the schema compiles.
    let text = text.replace("{2}]?$", "{2}\\\\]?$");
    serde_json::from_str(&text).unwrap()
}
