//! Faults of the machine, and the promises about personal data.
//!
//! What each test proves:
//!
//! * `a_read_only_folder_*`: when the responses folder cannot be written (permission bits, or
//!   for root, who ignores them, the immutable attribute), `Store::save` fails at once with an
//!   error naming the file and the cause, the response is still in memory to be saved
//!   elsewhere, and the files already saved are unchanged.
//! * `a_full_disk_*`: a write that fails half-way through (the process's file-size limit, which
//!   makes the kernel refuse the write as a full disk would) leaves the previous version of the
//!   file intact and no temp file behind.
//! * `a_full_small_filesystem_*`: the same on a real 256 KiB filesystem filled to the brim
//!   (a tmpfs mounted in a private mount namespace; needs root, and says so when it cannot run):
//!   every save that returned is intact, the first failing one names the cause, and saving works
//!   again once space is freed.
//! * `a_rename_that_fails_*`: the last step of an atomic write failing (the target is a folder)
//!   leaves no temp file and touches nothing.
//! * `the_folder_deleted_*` and `the_responses_folder_is_a_file_*`: a data folder removed while
//!   an interview is open is created again by the next save (the answers in memory are not
//!   lost); a folder replaced by a file gives a clear error.
//! * Personal data: folders 0700 and files 0600 even under `umask 000` (so the modes come from
//!   creation, not from the umask or a later chmod), and no network client anywhere in the
//!   dependency tree.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anketa::questionnaire::{Answer, Form, catalog};
use anketa::store::{Response, Store};

const MODE: &str = "ANKETA_FAULT_MODE";
const DIR: &str = "ANKETA_FAULT_DIR";

fn form() -> Form {
    catalog::default_form().expect("bundled questionnaire")
}

/// A response of about `text_len` characters of text: the comment up to its `max_length`, the
/// rest as the interviewer's remark on it (which has no limit), so that every file stays valid.
fn response(form: &Form, text_len: usize) -> Response {
    let mut r = Response::new(form, "Мария Петрова", "SOF46", "bg");
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    r.answers.insert("age".into(), Answer::Number(52.0));
    lengthen(&mut r, text_len);
    r
}

fn lengthen(r: &mut Response, text_len: usize) {
    let comment = text_len.min(1000);
    r.answers
        .insert("comment".into(), Answer::Text("ж".repeat(comment)));
    r.remarks
        .insert("comment".into(), "ж".repeat(text_len - comment));
}

fn temp_files(folder: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.to_string_lossy().ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// The test binary started again as a child in `mode`, through `sh -c 'SETUP; exec child'`.
fn child_through_shell(setup: &str, mode: &str, dir: &Path) -> Output {
    let exe = std::env::current_exe().expect("test binary");
    Command::new("sh")
        .arg("-c")
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(exe)
        .args(["--exact", "fault_child", "--ignored", "--nocapture", "-q"])
        .env(MODE, mode)
        .env(DIR, dir)
        .output()
        .expect("spawn")
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The child processes. Do nothing unless started by a test below.
#[test]
#[ignore = "the child process of the fault tests; runs only when they start it"]
fn fault_child() {
    let (Ok(mode), Some(dir)) = (std::env::var(MODE), std::env::var_os(DIR)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    match mode.as_str() {
        "save-too-big" => {
            let store = Store::open(&dir).expect("open");
            let form = form();
            let mut saved = store.load(&form).expect("load").responses;
            let mut r = saved.pop().expect("the parent saved one");
            lengthen(&mut r, 20_000);
            match store.save(&r) {
                Ok(_) => println!("saved"),
                Err(e) => println!("error: {e}"),
            }
        }
        "private" => {
            let store = Store::open(&dir.join("new/data")).expect("open");
            let r = response(&form(), 10);
            store.save(&r).expect("save");
            let _lock = store.lock_response(r.id).expect("lock");
            println!("done");
        }
        "fill" => fill_the_disk(&dir),
        other => panic!("unknown mode {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// A read-only folder.

/// Keeps a folder read-only for as long as it lives.
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700));
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let ok = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(probe);
    ok
}

/// Makes `dir` read-only: by its mode, or, for root, with the immutable attribute.
fn make_read_only(dir: &Path) -> Option<ReadOnly> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).expect("chmod");
    let mut guard = ReadOnly {
        dir: dir.to_owned(),
        immutable: false,
    };
    if !writable(dir) {
        return Some(guard);
    }
    guard.immutable = Command::new("chattr")
        .arg("+i")
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    (!writable(dir)).then_some(guard)
}

#[test]
fn a_read_only_folder_gives_a_clear_error_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let form = form();
    let first = response(&form, 100);
    let path = store.save(&first).expect("save");
    let before = std::fs::read(&path).expect("read");
    let folder = store.responses_dir(form.id()).expect("folder");

    let Some(_read_only) = make_read_only(&folder) else {
        eprintln!("skipped: this system cannot make a folder read-only for this user");
        return;
    };
    let mut changed = first.clone();
    changed
        .answers
        .insert("trust_mayor".into(), Answer::Number(3.0));
    let err = store
        .save(&changed)
        .expect_err("saving into a read-only folder fails");
    let message = err.to_string();
    assert!(
        message.starts_with("cannot save") && message.contains(&path.display().to_string()),
        "the error names the file: {message}"
    );
    assert!(
        message.contains("denied") || message.contains("not permitted"),
        "the error names the cause: {message}"
    );
    let err = store
        .save(&response(&form, 5))
        .expect_err("a new file fails too");
    assert!(err.to_string().starts_with("cannot save"), "{err}");

    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "saved file untouched"
    );
    assert!(temp_files(&folder).is_empty(), "no temp file left");
    let report = store.load(&form).expect("a read-only folder still loads");
    assert_eq!(report.responses, vec![first]);
    assert_eq!(changed.answers.len(), 4, "the answers are still in memory");
}

// ---------------------------------------------------------------------------------------------
// Writes that fail half-way.

#[test]
fn a_full_disk_leaves_the_previous_version_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let form = form();
    let path = store.save(&response(&form, 100)).expect("save");
    let before = std::fs::read(&path).expect("read");
    // `ulimit -f 8` allows files of 4 KiB (8 blocks of 512 bytes; 8 KiB in shells that count
    // in KiB), and SIGXFSZ is ignored so the write fails with EFBIG instead of killing the
    // process; the new version of the response is over 40 KB.
    let out = child_through_shell("trap '' XFSZ; ulimit -f 8", "save-too-big", dir.path());
    let stdout = stdout_of(&out);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("error: ") || *l == "saved")
        .unwrap_or_else(|| panic!("no result in {stdout}"));
    assert!(
        line.starts_with("error: cannot save") && line.contains("File too large"),
        "a clear error: {line}"
    );
    assert!(
        line.contains(&path.display().to_string()),
        "names the file: {line}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "previous version intact"
    );
    assert!(
        temp_files(path.parent().expect("folder")).is_empty(),
        "no temp file left"
    );
}

#[test]
fn a_rename_that_fails_leaves_no_temp_file_and_touches_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let form = form();
    let kept = response(&form, 10);
    let kept_path = store.save(&kept).expect("save");
    let before = std::fs::read(&kept_path).expect("read");
    let blocked = response(&form, 10);
    let target = store.response_path(&blocked).expect("path");
    std::fs::create_dir(&target).expect("a folder where the file should go");
    std::fs::write(target.join("inside"), b"x").expect("write");

    let err = store
        .save(&blocked)
        .expect_err("cannot rename over a folder");
    assert!(
        err.to_string().contains(&target.display().to_string()),
        "{err}"
    );
    assert_eq!(std::fs::read(&kept_path).expect("read"), before);
    assert_eq!(std::fs::read(target.join("inside")).expect("read"), b"x");
    assert!(temp_files(target.parent().expect("folder")).is_empty());
}

/// In a private mount namespace, on a 256 KiB tmpfs mounted at `dir`: save until the disk is
/// full, check everything, free space, save again. Prints `ok …` or panics.
fn fill_the_disk(dir: &Path) {
    let store = Store::open(dir).expect("open");
    let form = form();
    let mut saved = Vec::new();
    let error = loop {
        let r = response(&form, 3_000);
        match store.save(&r) {
            Ok(_) => saved.push(r),
            Err(e) => break e.to_string(),
        }
        assert!(saved.len() < 10_000, "the disk never filled");
    };
    assert!(error.starts_with("cannot save"), "{error}");
    assert!(error.contains("No space left"), "{error}");
    assert!(
        !error.contains(".json."),
        "the temp file is an internal detail: {error}"
    );
    // An overwrite with a bigger version fails too, and the old version stays.
    let mut bigger = saved[0].clone();
    lengthen(&mut bigger, 60_000);
    assert!(
        store.save(&bigger).is_err(),
        "no room for the bigger version"
    );
    let folder = store.responses_dir(form.id()).expect("folder");
    assert!(temp_files(&folder).is_empty(), "no temp file left");
    let mut report = store.load(&form).expect("load");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    saved.sort_by_key(|r| r.id);
    assert_eq!(
        report.responses, saved,
        "every save that returned is intact"
    );
    // Free space: the next save works again.
    let freed = saved.pop().expect("one saved");
    std::fs::remove_file(store.response_path(&freed).expect("path")).expect("remove");
    store
        .save(&response(&form, 100))
        .expect("saving works again");
    report = store.load(&form).expect("load");
    assert_eq!(report.responses.len(), saved.len() + 1);
    println!(
        "ok {} saves before the disk was full; then: {error}",
        saved.len() + 1
    );
}

#[test]
fn a_full_small_filesystem_keeps_every_save_that_returned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mount_point = dir.path().join("disk");
    std::fs::create_dir(&mount_point).expect("mkdir");
    let setup = format!(
        "mount -t tmpfs -o size=256k,mode=0700 anketa-test-disk '{}' || exit 77",
        mount_point.display()
    );
    let exe = std::env::current_exe().expect("test binary");
    // A private mount namespace: the small disk exists only for the child and vanishes with it.
    let out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(exe)
        .args(["--exact", "fault_child", "--ignored", "--nocapture", "-q"])
        .env(MODE, "fill")
        .env(DIR, &mount_point)
        .output();
    let out = match out {
        Ok(out) if out.status.code() != Some(77) && out.status.code() != Some(1) => out,
        Ok(out) if !String::from_utf8_lossy(&out.stderr).contains("panicked") => {
            eprintln!(
                "skipped: cannot mount a small filesystem here (needs root): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: no `unshare` here: {e}");
            return;
        }
    };
    let stdout = stdout_of(&out);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("ok "))
        .unwrap_or_else(|| panic!("no result in {stdout}"));
    eprintln!("full disk: {line}");
    assert_eq!(
        std::fs::read_dir(&mount_point).expect("read").count(),
        0,
        "the small disk was private to the child"
    );
}

// ---------------------------------------------------------------------------------------------
// The folder deleted or replaced while an interview is open.

#[test]
fn the_folder_deleted_mid_interview_is_created_again_by_the_next_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("data");
    let store = Store::open(&root).expect("open");
    let form = form();
    let mut open = response(&form, 10);
    store.save(&open).expect("save");
    std::fs::remove_dir_all(&root).expect("delete the data folder");

    open.answers
        .insert("trust_mayor".into(), Answer::Number(9.0));
    store
        .save(&open)
        .expect("the next save recreates the folder");
    let report = store.load(&form).expect("load");
    assert_eq!(
        report.responses,
        vec![open],
        "the answers in memory are on disk again"
    );
    for folder in [root.clone(), root.join("responses")] {
        let mode = std::fs::metadata(&folder)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "{} is private", folder.display());
    }
}

#[test]
fn the_responses_folder_is_a_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let form = form();
    let folder = store.responses_dir(form.id()).expect("folder");
    std::fs::create_dir_all(folder.parent().expect("parent")).expect("mkdir");
    std::fs::write(&folder, b"someone's notes").expect("a file in the way");
    let err = store
        .save(&response(&form, 10))
        .expect_err("no folder to save in");
    assert!(
        err.to_string().contains(&folder.display().to_string()),
        "{err}"
    );
    assert_eq!(std::fs::read(&folder).expect("read"), b"someone's notes");
    let err = store.load(&form).expect_err("no folder to load from");
    assert!(
        err.to_string().contains(&folder.display().to_string()),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Personal data.

#[test]
fn folders_and_files_are_private_from_creation_whatever_the_umask() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = child_through_shell("umask 000", "private", dir.path());
    assert!(
        stdout_of(&out).contains("done"),
        "{}{}",
        stdout_of(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let root = dir.path().join("new");
    let mut checked = 0;
    let mut stack = vec![root];
    while let Some(path) = stack.pop() {
        let meta = std::fs::metadata(&path).expect("meta");
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{} is {mode:o}", path.display());
            stack.extend(
                std::fs::read_dir(&path)
                    .expect("read")
                    .map(|e| e.expect("e").path()),
            );
        } else {
            assert_eq!(mode, 0o600, "{} is {mode:o}", path.display());
        }
        checked += 1;
    }
    // new, data, responses, the questionnaire's folder, the response, locks, the lock file.
    assert_eq!(checked, 7, "every folder and file was checked");
}

#[test]
fn no_network_client_is_in_the_dependency_tree() {
    // Every crate that could open a connection; the lock file lists the whole tree (for every
    // platform, dev-dependencies included), so this is stricter than `cargo tree`.
    const NETWORK: &[&str] = &[
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "h3",
        "quinn",
        "http",
        "native-tls",
        "openssl",
        "openssl-sys",
        "rustls",
        "tokio",
        "async-std",
        "socket2",
        "websocket",
        "tungstenite",
        "lettre",
        "ssh2",
        "trust-dns-resolver",
        "hickory-resolver",
    ];
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    let crates: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(crates.contains(&"anketa"), "the lock file was read");
    let found: Vec<_> = crates.iter().filter(|c| NETWORK.contains(c)).collect();
    assert!(found.is_empty(), "network crates in the tree: {found:?}");
    // And the code itself opens no socket.
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                for word in ["std::net", "TcpStream", "UdpSocket", "TcpListener"] {
                    assert!(!text.contains(word), "{} uses {word}", path.display());
                }
            }
        }
    }
}
