//! `ibid fix` never loses data on the way to disk: what it writes through (symlinks), what it
//! refuses to write (devices, fifos, read-only and hard-linked files), whose save it must not
//! overwrite (an editor's, another `ibid fix`'s), what it keeps (owner, group, mode, the page's
//! encoding), what happens when the write fails (read-only directory, full disk), and how much it
//! reads. Each test names the defect of issue #12 it guards (D02, D03, ...).

mod common;

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seed_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn seed() -> Vec<u8> {
    std::fs::read(seed_path("fixtures/essay-internet-governance.txt")).unwrap()
}

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The single `ibid: error:` line of standard error (fails the test otherwise).
    fn error_line(&self) -> &str {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(self.code, 2, "{self:?}");
        assert_eq!(lines.len(), 1, "not one line: {self:?}");
        assert!(lines[0].starts_with("ibid: error: "), "{self:?}");
        lines[0]
    }

    fn ok(&self) -> &Self {
        assert!(matches!(self.code, 0 | 1), "{self:?}");
        self
    }
}

/// Runs `ibid` in `dir`; `setup` may change the command (user, environment, standard input).
/// A run that does not end within `limit` is killed and fails the test (a hang guard, not a
/// timing assertion: a fixed run takes a fraction of it).
fn ibid_with(dir: &Path, args: &[&str], setup: impl FnOnce(&mut Command)) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ibid"));
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let child = cmd.spawn().expect("run ibid");
    wait_bounded(child, Duration::from_secs(300), &format!("ibid {args:?}"))
}

fn ibid_in(dir: &Path, args: &[&str]) -> Run {
    ibid_with(dir, args, |_| {})
}

fn wait_bounded(mut child: std::process::Child, limit: Duration, what: &str) -> Run {
    let start = Instant::now();
    // drain the pipes on threads so that a chatty child cannot block on them
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?} (it hangs)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn is_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    std::fs::metadata(&probe).unwrap().uid() == 0
}

/// The names in `dir` other than `keep`: a stray `.ibid-*.tmp` shows here.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    v.sort();
    v
}

/// The seed essay as `ibid fix` leaves it (fixed in a directory of its own).
fn fixed_seed(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("essay.txt"), seed()).unwrap();
    let mut full = vec!["fix"];
    full.extend_from_slice(args);
    full.push("essay.txt");
    ibid_in(dir.path(), &full).ok();
    let fixed = std::fs::read(dir.path().join("essay.txt")).unwrap();
    assert_ne!(fixed, seed(), "the seed has something to fix");
    fixed
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

// ---------------------------------------------------------------------------------------- D02

#[test]
fn d02_fix_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    let real = dir.path().join("drafts/essay.txt");
    std::fs::write(&real, seed()).unwrap();
    std::os::unix::fs::symlink("drafts/essay.txt", dir.path().join("link.txt")).unwrap();
    ibid_in(dir.path(), &["fix", "link.txt"]).ok();
    let link = dir.path().join("link.txt");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("drafts/essay.txt")
    );
    assert_eq!(std::fs::read(&real).unwrap(), fixed_seed(&[]));
    assert!(others(&dir.path().join("drafts"), &["essay.txt"]).is_empty());
}

#[test]
fn d02_fix_refuses_a_fifo_a_device_and_a_pipe_behind_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("queue.txt");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", dir.path().join("stdin.txt")).unwrap();

    // nothing opens the fifo's other end: a fix that opened it would hang
    let run = ibid_in(dir.path(), &["fix", "queue.txt"]);
    let line = run.error_line();
    assert!(line.contains("queue.txt") && line.contains("not a regular file (a fifo)"));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    let run = ibid_in(dir.path(), &["fix", "null.txt"]);
    let line = run.error_line();
    assert!(
        line.contains("null.txt") && line.contains("a character device"),
        "{line}"
    );

    // `fix /dev/stdin` with a manuscript piped in: refused, the link left as it was
    let mut feeder = Command::new("cat")
        .arg(seed_path("fixtures/essay-internet-governance.txt"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = feeder.stdout.take().unwrap();
    let run = ibid_with(dir.path(), &["fix", "stdin.txt"], |cmd| {
        cmd.stdin(pipe);
    });
    let _ = feeder.kill();
    feeder.wait().unwrap();
    let line = run.error_line();
    assert!(
        line.contains("stdin.txt") && line.contains("not a regular file"),
        "{line}"
    );
    assert_eq!(
        std::fs::read_link(dir.path().join("stdin.txt")).unwrap(),
        Path::new("/dev/stdin")
    );
    assert!(others(dir.path(), &["queue.txt", "null.txt", "stdin.txt"]).is_empty());
}

// ---------------------------------------------------------------------------------------- D03

#[test]
fn d03_an_edit_saved_while_fixing_is_never_overwritten() {
    if !cfg!(debug_assertions) {
        eprintln!("note: the edit hook exists in debug builds only; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    // the hook saves this text over the manuscript after the temporary file is written and
    // synced, just before the last comparison: the editor's save at the worst moment
    let edit = "The author's newer draft.\n";
    let run = ibid_with(dir.path(), &["fix", "essay.txt"], |cmd| {
        cmd.env("IBID_DEBUG_EDIT_WHILE_FIXING", edit);
    });
    let line = run.error_line();
    assert!(
        line.contains("essay.txt") && line.contains("changed while fixing"),
        "{line}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edit);
    assert!(
        others(dir.path(), &["essay.txt"]).is_empty(),
        "temp file left"
    );
}

#[test]
fn d03_two_concurrent_fixes_never_lose_one_runs_rewrites() {
    // `fix` applies the safe rewrites, `fix --unsafe` the unsafe ones too. Run one after the
    // other, in either order, they leave the fully fixed text; a lost update (one run renaming
    // its result over the other's) would leave the safe-only text, or an error.
    let safe_only = fixed_seed(&[]);
    let full = fixed_seed(&["--unsafe"]);
    assert_ne!(safe_only, full, "the seed has unsafe rewrites too");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ibid"))
            .current_dir(dir.path())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let rounds = 40;
    for round in 0..rounds {
        std::fs::write(&path, seed()).unwrap();
        let (a, b) = if round % 2 == 0 {
            (
                spawn(&["fix", "essay.txt"]),
                spawn(&["fix", "--unsafe", "essay.txt"]),
            )
        } else {
            (
                spawn(&["fix", "--unsafe", "essay.txt"]),
                spawn(&["fix", "essay.txt"]),
            )
        };
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "round {round}: {:?} {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let now = std::fs::read(&path).unwrap();
        assert!(
            now == full,
            "round {round}: {}",
            if now == safe_only {
                "the unsafe run's rewrites were lost"
            } else {
                "the file is neither"
            }
        );
        assert!(
            others(dir.path(), &["essay.txt"]).is_empty(),
            "round {round}"
        );
    }
}

// ---------------------------------------------------------------------------------------- D19

#[test]
fn d19_a_read_only_directory_is_cannot_write_naming_the_manuscript() {
    let root = is_root();
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let path = ro.join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    // writable by whoever runs the fix: only the directory is read-only
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = ibid_with(dir.path(), &["fix", "ro/essay.txt"], |cmd| {
        if root {
            // root writes into any directory: run as `nobody`
            use std::os::unix::process::CommandExt;
            cmd.uid(65534).gid(65534);
        }
    });
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    let line = run.error_line();
    assert!(
        line.contains("ro/essay.txt: cannot write") && line.contains("Permission denied"),
        "{line}"
    );
    assert!(!line.contains(".ibid-"), "names the temporary file: {line}");
    assert_eq!(std::fs::read(&path).unwrap(), seed());
    assert!(others(&ro, &["essay.txt"]).is_empty());
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn d19_a_full_disk_is_cannot_write_and_the_original_survives() {
    if !is_root() {
        eprintln!("note: not root, cannot mount a small tmpfs; the full-disk case is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&dir.path().join("small"), "256k") else {
        eprintln!("note: `mount -t tmpfs` refused here; the full-disk case is skipped");
        return;
    };
    let path = fs.0.join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    // fill every block left
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(fs.0.join("filler")).unwrap();
        let block = vec![b'x'; 4096];
        while filler.write_all(&block).is_ok() {}
        let _ = filler.sync_all();
    }
    let run = ibid_in(dir.path(), &["fix", "small/essay.txt"]);
    let line = run.error_line();
    assert!(
        line.contains("small/essay.txt: cannot write") && line.contains("No space left"),
        "{line}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), seed());
    assert!(others(&fs.0, &["essay.txt", "filler"]).is_empty());
}

// ---------------------------------------------------------------------------------------- D20

#[test]
fn d20_a_file_named_twice_is_fixed_and_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("essay.txt"), seed()).unwrap();
    let run = ibid_in(dir.path(), &["check", ".", "essay.txt", "./essay.txt"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains(" of 1 file:"), "{}", run.stdout);
    let run = ibid_in(dir.path(), &["fix", ".", "essay.txt"]);
    run.ok();
    let summaries = run
        .stdout
        .lines()
        .filter(|l| l.contains("essay.txt:"))
        .count();
    assert_eq!(summaries, 1, "{}", run.stdout);
    assert_eq!(
        std::fs::read(dir.path().join("essay.txt")).unwrap(),
        fixed_seed(&[])
    );
}

// ---------------------------------------------------------------------------------------- D23

#[test]
fn d23_owner_group_and_mode_are_kept() {
    let root = is_root();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    if root {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    } else {
        eprintln!("note: not root; only the mode is checked, not a foreign owner");
    }
    let before = std::fs::metadata(&path).unwrap();
    ibid_in(dir.path(), &["fix", "essay.txt"]).ok();
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), fixed_seed(&[]));
    assert_eq!(mode(&path), 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
}

#[test]
fn d23_a_read_only_file_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = ibid_in(dir.path(), &["fix", "essay.txt"]);
    let line = run.error_line();
    assert!(
        line.contains("essay.txt: read-only (mode 444)") && line.contains("--force"),
        "{line}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), seed());
    ibid_in(dir.path(), &["fix", "--force", "essay.txt"]).ok();
    assert_eq!(std::fs::read(&path).unwrap(), fixed_seed(&[]));
    assert_eq!(mode(&path), 0o444);
    assert!(others(dir.path(), &["essay.txt"]).is_empty());
}

#[test]
fn d23_a_hard_linked_file_is_refused_unless_forced_then_written_through_every_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("essay.txt");
    let other = dir.path().join("backup-of-essay.txt");
    std::fs::write(&path, seed()).unwrap();
    std::fs::hard_link(&path, &other).unwrap();
    let ino = std::fs::metadata(&path).unwrap().ino();
    let run = ibid_in(dir.path(), &["fix", "essay.txt"]);
    let line = run.error_line();
    assert!(
        line.contains("essay.txt: has 2 hard links") && line.contains("--force"),
        "{line}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), seed());

    ibid_in(dir.path(), &["fix", "--force", "essay.txt"]).ok();
    let fixed = fixed_seed(&[]);
    assert_eq!(std::fs::read(&path).unwrap(), fixed);
    assert_eq!(
        std::fs::read(&other).unwrap(),
        fixed,
        "the other link sees it"
    );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(
        (meta.ino(), meta.nlink()),
        (ino, 2),
        "still one file, two links"
    );
    assert!(others(dir.path(), &["essay.txt", "backup-of-essay.txt"]).is_empty());
}

#[test]
fn d23_a_file_whose_owner_cannot_be_kept_is_refused_unless_forced() {
    if !is_root() {
        eprintln!("note: needs root to give the file an owner the fixing user is not");
        return;
    }
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = dir.path().join("essay.txt");
    std::fs::write(&path, seed()).unwrap();
    // root's file, writable by everyone, in a directory everyone writes: `nobody` could
    // rename a new file over it, and the file would become nobody's
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let as_nobody = |cmd: &mut Command| {
        cmd.uid(65534).gid(65534);
    };
    let run = ibid_with(dir.path(), &["fix", "essay.txt"], as_nobody);
    let line = run.error_line();
    assert!(line.contains("owner and group cannot be kept"), "{line}");
    assert_eq!(std::fs::read(&path).unwrap(), seed());
    ibid_with(dir.path(), &["fix", "--force", "essay.txt"], as_nobody).ok();
    assert_eq!(std::fs::read(&path).unwrap(), fixed_seed(&[]));
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid(), mode(&path)), (0, 0, 0o666));
    assert!(others(dir.path(), &["essay.txt"]).is_empty());
}

// ---------------------------------------------------------------------------------------- D17

/// The seed page with its back-link arrows (not in windows-1252) as character references.
fn seed_page() -> String {
    std::fs::read_to_string(seed_path("fixtures/formats/seed.html"))
        .unwrap()
        .replace("↩︎", "&#8617;&#xFE0E;")
}

#[test]
fn d17_a_windows_1252_page_is_read_and_written_in_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let page = seed_page();
    assert!(page.contains(r#"<meta charset="utf-8" />"#));
    // the same page, once in UTF-8 and once declared (two ways) and saved as windows-1252
    let declared = [
        r#"<meta charset="windows-1252" />"#,
        r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">"#,
    ];
    std::fs::write(dir.path().join("utf8.html"), &page).unwrap();
    for (i, meta) in declared.iter().enumerate() {
        let legacy = page.replace(r#"<meta charset="utf-8" />"#, meta);
        let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&legacy);
        assert!(!lossy);
        assert!(
            bytes.contains(&0x96),
            "an en dash is byte 0x96 in windows-1252"
        );
        std::fs::write(dir.path().join(format!("cp{i}.html")), &bytes).unwrap();
    }
    // each note's text and its citations' (the spans differ: the meta tags differ in length)
    let notes = |name: &str| {
        let run = ibid_in(dir.path(), &["extract", name, "--format", "json"]);
        run.ok();
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let notes = v["notes"].as_array().unwrap().clone();
        notes
            .iter()
            .map(|n| {
                let cites: Vec<String> = n["citations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["text"].to_string())
                    .collect();
                (n["text"].to_string(), cites)
            })
            .collect::<Vec<_>>()
    };
    let utf8_notes = notes("utf8.html");
    assert!(utf8_notes.len() > 50);
    assert!(format!("{utf8_notes:?}").contains('’'));
    for i in 0..declared.len() {
        assert_eq!(
            notes(&format!("cp{i}.html")),
            utf8_notes,
            "cp{i}.html reads the same"
        );
    }

    ibid_in(dir.path(), &["fix", "utf8.html"]).ok();
    let fixed_utf8 = std::fs::read_to_string(dir.path().join("utf8.html")).unwrap();
    assert_ne!(fixed_utf8, page, "the page has something to fix");
    for (i, meta) in declared.iter().enumerate() {
        let name = format!("cp{i}.html");
        ibid_in(dir.path(), &["fix", &name]).ok();
        let bytes = std::fs::read(dir.path().join(&name)).unwrap();
        let text = encoding_rs::WINDOWS_1252
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .unwrap();
        assert_eq!(
            text,
            fixed_utf8.replace(r#"<meta charset="utf-8" />"#, meta),
            "{name}: the same fixes, in windows-1252"
        );
        assert!(
            !bytes.windows(3).any(|w| w == "–".as_bytes()),
            "{name}: UTF-8 written into a windows-1252 page"
        );
    }
}

#[test]
fn d17_a_fix_the_declared_encoding_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // the seed page declared ISO-8859-2, its few non-ASCII characters as character references;
    // ISO-8859-2 has no en dash, so the fix of `4-13` cannot be written in it
    let mut page = String::new();
    for c in seed_page().chars() {
        if c.is_ascii() {
            page.push(c);
        } else {
            page.push_str(&format!("&#{};", c as u32));
        }
    }
    let page = page.replace(
        r#"<meta charset="utf-8" />"#,
        r#"<meta charset="iso-8859-2" />"#,
    );
    let path = dir.path().join("page.html");
    std::fs::write(&path, &page).unwrap();
    let run = ibid_in(dir.path(), &["fix", "page.html"]);
    let line = run.error_line();
    assert!(
        line.contains("page.html") && line.contains("ISO-8859-2") && line.contains("cannot hold"),
        "{line}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), page);
    assert!(others(dir.path(), &["page.html"]).is_empty());
}

// ------------------------------------------------------------------------------ endless input

#[test]
fn endless_or_huge_input_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // a sparse file past the limit: refused by its size, nothing read
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    for verb in ["extract", "check", "fix"] {
        let run = ibid_in(dir.path(), &[verb, "huge.txt"]);
        let line = run.error_line();
        assert!(
            line.contains("huge.txt") && line.contains("256 MiB"),
            "{line}"
        );
    }
    // a device that never ends: read up to the limit, then refused; a child that tried to
    // read it all would run out of its 2 GiB of address space instead
    let run = ibid_with(dir.path(), &["check", "/dev/zero"], |cmd| {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe; the closure touches nothing else.
        #[allow(unsafe_code)]
        unsafe {
            cmd.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 2 << 30,
                    rlim_max: 2 << 30,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    });
    let line = run.error_line();
    assert!(
        line.contains("/dev/zero") && line.contains("256 MiB"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------- names with \n

#[test]
fn a_newline_in_a_file_name_never_splits_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "two\nlines.txt";
    std::fs::write(dir.path().join(name), seed()).unwrap();
    let run = ibid_in(dir.path(), &["check", name]);
    assert_eq!(run.code, 1, "{run:?}");
    // every line is a finding's header, its indented word diff, or the summary
    let headers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.contains(" of 1 file:"))
        .collect();
    assert!(headers.len() > 10, "{}", run.stdout);
    for l in &headers {
        assert!(
            l.starts_with("two\\nlines.txt:"),
            "split or unescaped: {l:?}"
        );
    }
    // GitHub annotations: one workflow command a line, the name in GitHub's own escaping
    let run = ibid_in(dir.path(), &["check", "--format", "github", name]);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("file=two%0Alines.txt,"));
    // errors and fix's summary
    let (code, _, err) = common::ibid(&["check", "no\nsuch.txt"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(err.contains("no\\nsuch.txt: cannot read"), "{err:?}");
    let run = ibid_in(dir.path(), &["fix", name]);
    run.ok();
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("two\\nlines.txt: ")),
        "{:?}",
        run.stdout
    );
}
