//! The machine formats of `ibid check`: SARIF 2.1.0 valid against the official schema, JSON with
//! its documented fields, GitHub annotations one per finding.

use std::path::Path;

mod common;
use common::ibid;
#[path = "common/sarif.rs"]
mod sarif;
use sarif::sarif_schema;

fn seed() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/essay-internet-governance.txt")
        .display()
        .to_string()
}

#[test]
fn sarif_output_validates_against_the_sarif_schema() {
    let (code, out, _) = ibid(&["check", &seed(), "--format", "sarif"]);
    assert_eq!(code, 1, "the seed has findings");
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    // the validator does reject a log that breaks the schema
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(log.clone()).expect("typed SARIF reads it");
    let results = typed.runs[0].results.as_ref().unwrap();
    assert!(!results.is_empty());
    // every result names a rule of the driver's table
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
}

#[test]
fn json_and_github_formats_carry_every_finding() {
    let (code, json, _) = ibid(&["check", &seed(), "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["version"], 1);
    let diags = doc["files"][0]["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        for key in ["code", "rule", "severity", "message"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    let (code, gh, _) = ibid(&["check", &seed(), "--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = gh.lines().collect();
    assert_eq!(lines.len(), diags.len());
    assert!(lines.iter().all(|l| l.starts_with("::warning ")
        || l.starts_with("::error ")
        || l.starts_with("::notice ")));
    assert!(
        lines.iter().any(|l| l.contains("title=IB001 glued-marker")),
        "{gh}"
    );
}
