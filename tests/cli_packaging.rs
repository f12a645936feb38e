//! The packaging around the binary: shell completions and the man page for every subcommand,
//! the example GitHub workflow (its `ibid` lines run here on the seed, its SARIF validated) and
//! the pre-commit hooks.

use std::path::Path;
use std::process::Command;

#[path = "common/sarif.rs"]
mod sarif;

#[path = "common/run.rs"]
mod run;

use run::{run, seed_dir, seed_path, seed_text};

/// The subcommands `ibid --help` lists.
fn subcommands() -> Vec<String> {
    let r = run(Path::new("."), &["--help"]);
    let mut out = Vec::new();
    let mut inside = false;
    for line in r.stdout.lines() {
        if line.starts_with("Commands:") {
            inside = true;
            continue;
        }
        if inside {
            if line.trim().is_empty() {
                break;
            }
            let name = line.split_whitespace().next().unwrap();
            if name != "help" {
                out.push(name.to_owned());
            }
        }
    }
    assert!(out.len() >= 10, "{}", r.stdout);
    out
}

#[test]
fn completions_and_man_pages_are_generated_for_every_subcommand() {
    let subs = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run(Path::new("."), &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for sub in &subs {
            assert!(r.stdout.contains(sub.as_str()), "{shell}: {sub}");
        }
        for flag in ["select", "exit-zero", "stdin-filename"] {
            assert!(r.stdout.contains(flag), "{shell}: {flag}");
        }
    }
    assert_eq!(run(Path::new("."), &["completions", "tcsh"]).code, 2);
    let man = run(Path::new("."), &["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH ibid"),
        "{}",
        &man.stdout[..200]
    );
    for sub in &subs {
        assert!(man.stdout.contains(sub.as_str()), "man: {sub}");
    }
    let check = run(Path::new("."), &["man", "check"]);
    assert_eq!(check.code, 0);
    assert!(check.stdout.contains("ibid\\-check") || check.stdout.contains("ibid-check"));
    for flag in [
        "select",
        "exit\\-zero",
        "fail\\-on",
        "stdin\\-filename",
        "exclude",
    ] {
        assert!(check.stdout.contains(flag), "man check: {flag}");
    }
    assert_eq!(run(Path::new("."), &["man", "nope"]).code, 2);
    // hidden: not in the help of ibid, which lists what a user runs
    assert!(!subs.iter().any(|s| s == "completions" || s == "man"));
}

fn yaml(path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn the_example_workflow_commands_check_the_seed_and_write_valid_sarif() {
    let wf = yaml("examples/github-workflow.yml");
    let env: Vec<(String, String)> = wf["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_owned(),
                v.as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let steps = wf["jobs"]["ibid"]["steps"].as_sequence().unwrap();
    let uploads: Vec<&serde_yaml::Value> = steps
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .collect();
    assert_eq!(uploads.len(), 1);
    let sarif_file = uploads[0]["with"]["sarif_file"].as_str().unwrap();
    // the upload runs even when the check step fails on findings
    assert!(uploads[0]["if"]
        .as_str()
        .unwrap_or("")
        .contains("failure()"));
    let lines: Vec<&str> = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(str::lines)
        .filter(|l| l.trim_start().starts_with("ibid "))
        .collect();
    assert!(!lines.is_empty(), "the workflow runs ibid");

    // the repository the workflow checks out: the seed under the workflow's MANUSCRIPTS
    let repo = tempfile::tempdir().unwrap();
    let manuscripts = env
        .iter()
        .find(|(k, _)| k == "MANUSCRIPTS")
        .unwrap()
        .1
        .clone();
    std::fs::create_dir_all(repo.path().join(&manuscripts)).unwrap();
    std::fs::copy(
        seed_path(),
        repo.path().join(&manuscripts).join("essay.txt"),
    )
    .unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ibid")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for line in &lines {
        // as GitHub runs a `run:` step: bash -e -o pipefail
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", line])
            .current_dir(repo.path())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PATH", &path)
            .output()
            .unwrap();
        // findings fail the step (exit 1), which is the point of running it in CI
        assert_eq!(
            out.status.code(),
            Some(1),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path().join(sarif_file)).unwrap())
            .expect("the SARIF file parses");
    let schema = sarif::sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:?}");
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).unwrap();
    let results = typed.runs[0].results.as_ref().unwrap();
    assert!(results.len() > 50, "the seed's findings: {}", results.len());
    // the paths are the repository's, as code scanning wants them
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, format!("{manuscripts}essay.txt"));
    // every rule carries its help with an example
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        assert!(
            rule["help"]["text"].as_str().unwrap().contains("Example:"),
            "{rule}"
        );
    }
}

#[test]
fn the_pre_commit_hooks_run_ibid_check_and_fix() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().unwrap();
    let by_id = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("hook {id}"))
    };
    let dir = seed_dir();
    for (id, verb) in [("ibid-check", "check"), ("ibid-fix", "fix")] {
        let hook = by_id(id);
        assert_eq!(hook["language"].as_str(), Some("rust"), "{id}");
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry[..2], ["ibid", verb], "{id}");
        let files = regex_lite_matches(hook["files"].as_str().unwrap());
        // the hooks take the files ibid reads, LaTeX and OpenDocument included
        let read: Vec<&str> = ibid::manuscript::EXTENSIONS
            .iter()
            .map(|(e, _)| *e)
            .collect();
        assert!(files.iter().all(|e| read.contains(e)), "{files:?}");
        assert!(
            ["tex", "odt", "docx", "md"]
                .iter()
                .all(|e| files.contains(e)),
            "{files:?}"
        );
        // pre-commit appends the staged files
        let mut args: Vec<&str> = entry[1..].to_vec();
        args.push("essay.txt");
        let r = run(dir.path(), &args);
        assert!(
            r.code == 1 || (verb == "fix" && r.code == 0),
            "{id}: {}",
            r.stderr
        );
        assert!(!r.stdout.contains("findings in"), "{id} is quiet");
    }
    // the fix hook changed the file, which is what makes pre-commit fail the commit
    assert_ne!(
        std::fs::read_to_string(dir.path().join("essay.txt")).unwrap(),
        seed_text()
    );
}

/// The extensions of a `\.(a|b|c)$` pattern.
fn regex_lite_matches(pattern: &str) -> Vec<&str> {
    pattern
        .trim_start_matches("\\.(")
        .trim_end_matches(")$")
        .split('|')
        .collect()
}
