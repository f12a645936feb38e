//! Every bad input a user can hand ibid gets a one-line error naming the file (and the byte
//! offset where there is one), exit code 2, and leaves every file as it was: the table below runs
//! each case through `extract`, `check` and `fix` and compares the directory before and after.
//! The inputs that are not errors (no notes, UTF-16, huge or deeply nested files) have their own
//! tests after the table.

#[path = "common/docx.rs"]
mod docx;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seed_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ibid_in(dir: &Path, args: &[String], env: &[(&str, &str)], as_nobody: bool) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ibid"));
    cmd.current_dir(dir).args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if as_nobody {
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().expect("run ibid");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir` (hidden ones included, so that a stray temporary file shows) with its
/// bytes and permission bits.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let mode = meta.permissions().mode();
            if meta.is_dir() {
                out.insert(path.clone(), (Vec::new(), mode));
                stack.push(path);
            } else if mode & 0o444 == 0 {
                // unreadable on purpose: its permission bits are its content here
                out.insert(path, (Vec::new(), mode));
            } else {
                out.insert(path.clone(), (std::fs::read(&path).unwrap(), mode));
            }
        }
    }
    out
}

fn is_root() -> bool {
    // the owner of a file this process creates is its effective user
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    std::fs::metadata(&probe).unwrap().uid() == 0
}

/// A .docx built from the seed's, with `edit` applied to each XML part (name, text).
fn rezip(edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let original = std::fs::read(seed_path("fixtures/formats/seed.docx")).unwrap();
    docx::rezip(&original, edit)
}

/// A zip whose `word/document.xml` expands to more than ibid's limit for one part (64 MiB of
/// spaces, which deflate to about 65 KB).
fn zip_bomb() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("word/document.xml", opts).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..65 {
            w.write_all(&block).unwrap();
        }
        w.finish().unwrap();
    }
    out.into_inner()
}

/// One bad input: the files it needs, the arguments after the verb, and what the one-line error
/// must say.
struct Case {
    name: &'static str,
    /// Creates the files in the directory; returns the arguments after the verb.
    setup: fn(&Path) -> Vec<String>,
    /// The verbs it is run through.
    verbs: &'static [&'static str],
    /// Substrings of the error line.
    expect: &'static [&'static str],
    /// Run as the unprivileged user `nobody` (for permission cases when the tests run as root).
    unprivileged: bool,
}

const ALL: &[&str] = &["extract", "check", "fix"];
const STYLED: &[&str] = &["check", "fix"];
const BATCH: &[&str] = &["check", "fix"];

fn essay(dir: &Path) {
    std::fs::copy(
        seed_path("fixtures/essay-internet-governance.txt"),
        dir.join("essay.txt"),
    )
    .unwrap();
}

fn one(s: &str) -> Vec<String> {
    vec![s.to_owned()]
}

const CASES: &[Case] = &[
    Case {
        name: "missing file",
        setup: |_| one("missing.txt"),
        verbs: ALL,
        expect: &["missing.txt", "cannot read", "No such file"],
        unprivileged: false,
    },
    Case {
        name: "a directory given as a manuscript",
        setup: |d| {
            std::fs::create_dir(d.join("drafts.d")).unwrap();
            one("drafts.d")
        },
        verbs: &["extract"],
        expect: &["drafts.d", "cannot read", "directory"],
        unprivileged: false,
    },
    Case {
        name: "a directory with no manuscripts in it",
        setup: |d| {
            std::fs::create_dir(d.join("drafts.d")).unwrap();
            std::fs::write(d.join("drafts.d/figure.png"), b"\x89PNG").unwrap();
            one("drafts.d")
        },
        verbs: BATCH,
        expect: &["drafts.d", "no manuscripts"],
        unprivileged: false,
    },
    Case {
        name: "permission denied",
        setup: |d| {
            use std::os::unix::fs::PermissionsExt;
            essay(d);
            let p = d.join("essay.txt");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
            one("essay.txt")
        },
        verbs: ALL,
        expect: &["essay.txt", "cannot read", "Permission denied"],
        unprivileged: true,
    },
    Case {
        name: "empty file",
        setup: |d| {
            std::fs::write(d.join("empty.md"), b"").unwrap();
            one("empty.md")
        },
        verbs: ALL,
        expect: &["empty.md", "the file is empty"],
        unprivileged: false,
    },
    Case {
        name: "binary file",
        setup: |d| {
            std::fs::write(d.join("a.out.txt"), b"\x7fELF\x02\x01\x01\x00\x00\x00\x00").unwrap();
            one("a.out.txt")
        },
        verbs: ALL,
        expect: &["a.out.txt", "byte 7", "binary file"],
        unprivileged: false,
    },
    Case {
        name: "invalid UTF-8 (Latin-1)",
        setup: |d| {
            std::fs::write(
                d.join("latin1.txt"),
                b"A claim.[i]\n\nNOTES\n[i] Th\xe9rien, 4.\n",
            )
            .unwrap();
            one("latin1.txt")
        },
        verbs: ALL,
        expect: &["latin1.txt", "byte 25", "not valid UTF-8"],
        unprivileged: false,
    },
    Case {
        name: "UTF-16 with an odd number of bytes",
        setup: |d| {
            std::fs::write(d.join("u16.txt"), b"\xff\xfeh\x00i").unwrap();
            one("u16.txt")
        },
        verbs: ALL,
        expect: &["u16.txt", "UTF-16"],
        unprivileged: false,
    },
    Case {
        name: "a format ibid does not read (RTF), however plain its text",
        setup: |d| {
            std::fs::write(d.join("essay.rtf"), "A claim.[1]\n\nNOTES\n[1] Ibid, 4.\n").unwrap();
            one("essay.rtf")
        },
        verbs: ALL,
        expect: &[
            "essay.rtf",
            "RTF (.rtf) is not a format ibid reads",
            ".docx",
        ],
        unprivileged: false,
    },
    Case {
        name: "a .docx that is not a zip",
        setup: |d| {
            std::fs::write(d.join("essay.docx"), "Just text, saved as .docx.\n").unwrap();
            one("essay.docx")
        },
        verbs: ALL,
        expect: &["essay.docx", "not a .docx file"],
        unprivileged: false,
    },
    Case {
        name: "zip bomb",
        setup: |d| {
            std::fs::write(d.join("bomb.docx"), zip_bomb()).unwrap();
            one("bomb.docx")
        },
        verbs: ALL,
        expect: &["bomb.docx", "zip bomb"],
        unprivileged: false,
    },
    Case {
        name: "XML entity expansion (billion laughs)",
        setup: |d| {
            let lol = r#"<!DOCTYPE w [<!ENTITY a "lollollollol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>"#;
            let bytes = rezip(|name, text| {
                if name == "word/footnotes.xml" {
                    let at = text.find("?>").map_or(0, |i| i + 2);
                    let mut t = text.clone();
                    t.insert_str(at, lol);
                    t.replacen("</w:t>", "&c;</w:t>", 1)
                } else {
                    text
                }
            });
            std::fs::write(d.join("laughs.docx"), bytes).unwrap();
            one("laughs.docx")
        },
        verbs: ALL,
        expect: &["laughs.docx", "footnotes.xml", "DOCTYPE"],
        unprivileged: false,
    },
    Case {
        name: "a CSL file that is not CSL",
        setup: |d| {
            essay(d);
            std::fs::write(d.join("style.csl"), "<html><body>Chicago</body></html>\n").unwrap();
            vec!["--style".into(), "style.csl".into(), "essay.txt".into()]
        },
        verbs: STYLED,
        expect: &["style.csl", "not a CSL style", "<html>"],
        unprivileged: false,
    },
    Case {
        name: "a CSL file that is not XML",
        setup: |d| {
            essay(d);
            std::fs::write(d.join("style.csl"), "chicago, please\n").unwrap();
            vec!["--style".into(), "style.csl".into(), "essay.txt".into()]
        },
        verbs: STYLED,
        expect: &["style.csl", "not a CSL style"],
        unprivileged: false,
    },
    Case {
        name: "unknown style name",
        setup: |d| {
            essay(d);
            vec!["--style".into(), "chicgo".into(), "essay.txt".into()]
        },
        verbs: STYLED,
        expect: &["chicgo", "unknown style", "did you mean `chicago`"],
        unprivileged: false,
    },
];

#[test]
fn every_bad_input_is_one_line_exit_2_and_changes_nothing() {
    let root = is_root();
    let mut failures = Vec::new();
    for case in CASES {
        for verb in case.verbs {
            let dir = tempfile::tempdir().unwrap();
            let args = (case.setup)(dir.path());
            let nobody = case.unprivileged && root;
            if nobody {
                // `nobody` must reach the directory; the file itself stays unreadable
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777))
                    .unwrap();
            }
            let before = snapshot(dir.path());
            let mut full = vec![verb.to_string()];
            full.extend(args.iter().cloned());
            let run = ibid_in(dir.path(), &full, &[], nobody);
            let after = snapshot(dir.path());
            let what = format!("{} / ibid {}", case.name, full.join(" "));
            let lines: Vec<&str> = run.stderr.lines().collect();
            if run.code != 2 {
                failures.push(format!(
                    "{what}: exit {} (stderr {:?})",
                    run.code, run.stderr
                ));
            } else if lines.len() != 1 {
                failures.push(format!("{what}: not one line: {:?}", run.stderr));
            } else if !lines[0].starts_with("ibid: error: ") {
                failures.push(format!("{what}: {:?}", lines[0]));
            } else if let Some(miss) = case.expect.iter().find(|e| !lines[0].contains(*e)) {
                failures.push(format!("{what}: {:?} lacks {miss:?}", lines[0]));
            }
            if before != after {
                failures.push(format!("{what}: files changed"));
            }
            if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
                failures.push(format!("{what}: a panic reached the user"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_manuscript_without_notes_is_a_finding_not_an_error() {
    for (name, body) in [
        ("prose.txt", "Plain prose, not a single note in it.\n"),
        (
            "prose.md",
            "# Title\n\nProse with *emphasis* and no footnote.\n",
        ),
        (
            "prose.html",
            "<html><body><p>Prose only.</p></body></html>\n",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), body).unwrap();
        let before = snapshot(dir.path());
        for verb in ALL {
            let run = ibid_in(dir.path(), &[verb.to_string(), name.into()], &[], false);
            assert_eq!(run.code, 0, "{verb} {name}: {}", run.stderr);
            assert!(run.stderr.is_empty(), "{verb} {name}: {}", run.stderr);
            if *verb != "fix" {
                assert!(
                    run.stdout.contains("IB030") && run.stdout.contains(name),
                    "{verb} {name}: {}",
                    run.stdout
                );
            }
        }
        assert_eq!(before, snapshot(dir.path()), "{name}: files changed");
    }
}

#[test]
fn utf16_with_a_bom_is_converted_and_written_back_as_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(seed_path("fixtures/essay-internet-governance.txt")).unwrap();
    std::fs::write(dir.path().join("utf8.txt"), &text).unwrap();
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("utf16.txt"), &le).unwrap();
    let json = |name: &str| {
        let run = ibid_in(
            dir.path(),
            &[
                "extract".into(),
                name.into(),
                "--format".into(),
                "json".into(),
            ],
            &[],
            false,
        );
        assert!(run.code == 0 || run.code == 1, "{name}: {}", run.stderr);
        let mut v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        v["file"] = serde_json::Value::Null;
        v
    };
    let (a, b) = (json("utf8.txt"), json("utf16.txt"));
    assert!(!a["notes"].as_array().unwrap().is_empty());
    assert_eq!(a, b, "UTF-16 reads as the same manuscript");

    // fix rewrites it in UTF-16 with its BOM, and the same bytes change as in the UTF-8 copy
    for name in ["utf8.txt", "utf16.txt"] {
        let run = ibid_in(dir.path(), &["fix".into(), name.into()], &[], false);
        assert!(run.code == 0 || run.code == 1, "{name}: {}", run.stderr);
    }
    let fixed8 = std::fs::read_to_string(dir.path().join("utf8.txt")).unwrap();
    let fixed16 = std::fs::read(dir.path().join("utf16.txt")).unwrap();
    assert_eq!(&fixed16[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = fixed16[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(String::from_utf16(&units).unwrap(), fixed8);
    assert_ne!(fixed8, text, "the seed has something to fix");
}

/// Peak resident memory of the largest child this process has waited for, in bytes. (An
/// `unsafe` in a test: the crate itself denies it.)
#[allow(unsafe_code)]
fn children_peak_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is a valid selector.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    assert_eq!(rc, 0);
    // SAFETY: initialised by the successful call above.
    let usage = unsafe { usage.assume_init() };
    usage.ru_maxrss as u64 * 1024
}

/// Runs `ibid extract` on a file, in bounded time: the child is killed after `limit`.
fn extract_within(dir: &Path, name: &str, limit: Duration) -> (i32, Duration, String) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ibid"))
        .current_dir(dir)
        .args(["extract", name])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), start.elapsed(), err);
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{name}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_50_mb_single_line_file_takes_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    // one line of 50 MB: prose with note markers, then a notes section on the same line
    let mut line = String::with_capacity(50 << 20);
    let mut i = 0;
    while line.len() < 50 << 20 {
        i += 1;
        line.push_str("A sentence of prose that runs on and on, with a claim.[");
        line.push_str(&i.to_string());
        line.push_str("] ");
    }
    line.push_str("NOTES [1] Ibid, 4. [2] Smith, The Book (Chicago: Press, 2001), 12.");
    std::fs::write(dir.path().join("long.txt"), &line).unwrap();
    std::fs::write(dir.path().join("long.md"), &line).unwrap();
    // the same as one HTML paragraph (a page pasted from a word processor: plain-text notes)
    std::fs::write(
        dir.path().join("long.html"),
        format!("<html><body><p>{line}</p></body></html>"),
    )
    .unwrap();
    for name in ["long.txt", "long.md", "long.html"] {
        // generous for a debug build on a shared machine; a release build takes a few seconds
        let (code, took, err) = extract_within(dir.path(), name, Duration::from_secs(240));
        assert!(code == 0 || code == 1, "{name}: exit {code}: {err}");
        eprintln!("{name}: {took:?}");
    }
    let peak = children_peak_rss();
    // about five copies of the input at most (the HTML reader flattens the page, then reads the
    // flat text as plain text); it was 1.7 GB for the HTML page before its pieces were lazy
    assert!(
        peak < 600 << 20,
        "peak memory {} MB for a 50 MB file",
        peak >> 20
    );
}

#[test]
fn deeply_nested_html_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let mut html = String::from("<html><body>");
    html.push_str(&"<div><span>".repeat(depth));
    html.push_str("A claim.<a href=\"#fn1\"><sup>1</sup></a>");
    html.push_str(&"</span></div>".repeat(depth));
    html.push_str(
        "<ol><li id=\"fn1\">Smith, <em>The Book</em> (Chicago: Press, 2001), 12.</li></ol>",
    );
    html.push_str(&"<b>".repeat(depth));
    std::fs::write(dir.path().join("deep.html"), &html).unwrap();
    let (code, _, err) = extract_within(dir.path(), "deep.html", Duration::from_secs(120));
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let run = ibid_in(
        dir.path(),
        &[
            "extract".into(),
            "deep.html".into(),
            "--format".into(),
            "json".into(),
        ],
        &[],
        false,
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["notes"].as_array().unwrap().len(), 1, "{}", run.stdout);
}

#[test]
fn a_panic_is_exit_2_internal_error_naming_the_file_without_a_backtrace() {
    if !cfg!(debug_assertions) {
        return; // the trigger exists in debug builds only
    }
    let dir = tempfile::tempdir().unwrap();
    essay(dir.path());
    let run = ibid_in(
        dir.path(),
        &["extract".into(), "essay.txt".into()],
        &[("IBID_DEBUG_PANIC", "1"), ("RUST_BACKTRACE", "1")],
        false,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("ibid: internal error while processing essay.txt"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("stack backtrace"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}
