//! The load cache on file systems whose clocks count whole seconds (ext4 made with 128-byte
//! inodes, FAT): a file rewritten with the same size within one second, its modification time
//! put back, is still seen by the next `stats`.
//!
//! Each test mounts a small file system image on a loop device, which needs root and a kernel
//! that allows it; where it cannot (most CI runners), the test says so on stderr and passes
//! without checking anything. `cache::tests` checks the same decision without a mount.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;

const QUESTIONNAIRE: &str = "civic-participation-bg";

/// A file system image mounted on a loop device, unmounted when dropped.
struct Mounted {
    _image_dir: tempfile::TempDir,
    point: tempfile::TempDir,
}

impl Mounted {
    /// Makes a 32 MiB image with `mkfs` and `args` and mounts it; `None` (with the reason on
    /// stderr) when this machine cannot.
    fn new(mkfs: &str, args: &[&str]) -> Option<Self> {
        let image_dir = tempfile::tempdir().unwrap();
        let image = image_dir.path().join("fs.img");
        std::fs::File::create(&image)
            .unwrap()
            .set_len(32 << 20)
            .unwrap();
        let made = Process::new(mkfs).args(args).arg(&image).output();
        if !made.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("SKIPPED: `{mkfs}` is not available here ({made:?})");
            return None;
        }
        let point = tempfile::tempdir().unwrap();
        let mounted = Process::new("mount")
            .args(["-o", "loop"])
            .arg(&image)
            .arg(point.path())
            .output();
        if !mounted.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("SKIPPED: this machine does not allow mounting a {mkfs} image ({mounted:?})");
            return None;
        }
        Some(Self {
            _image_dir: image_dir,
            point,
        })
    }

    fn path(&self) -> &Path {
        self.point.path()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(self.point.path()).status();
    }
}

fn anketa(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.arg("--data-dir").arg(dir);
    cmd
}

fn stats(dir: &Path) -> String {
    let output = anketa(dir).args(["stats", "--json"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn set_modified(path: &Path, time: SystemTime) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

/// The change time of `path`, as the file system keeps it.
fn changed(path: &Path) -> (i64, i64) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    (meta.ctime(), meta.ctime_nsec())
}

/// A response file with a two-digit age, and its bytes with that age replaced by another of
/// the same width (the file keeps its size).
fn file_with_an_age(dir: &Path) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let folder = dir.join("responses").join(QUESTIONNAIRE);
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(at) = text.find("\"age\": ") else {
            continue;
        };
        let digits = &text[at + 7..at + 9];
        if digits.bytes().all(|b| b.is_ascii_digit()) && text.as_bytes()[at + 9] != b'.' {
            let other = if digits == "98" { "56" } else { "98" };
            let edited = format!("{}{other}{}", &text[..at + 7], &text[at + 9..]);
            return (path, text.into_bytes(), edited.into_bytes());
        }
    }
    panic!("no response with a two-digit age");
}

/// The steps on the data folder `dir`: within one second, `touch -d` a file, run
/// `stats`, rewrite the file in place with the same size and put its old modification time
/// back; then every later `stats` must agree with reading every file.
fn a_rewrite_within_one_second_is_seen(dir: &Path) {
    anketa(dir)
        .args(["simulate", "--responses", "300", "--seed", "11"])
        .assert()
        .success();
    let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
    for entry in std::fs::read_dir(dir.join("responses").join(QUESTIONNAIRE)).unwrap() {
        set_modified(&entry.unwrap().path(), two_hours_ago);
    }
    let (path, _, edited) = file_with_an_age(dir);
    // The steps only show anything when they fit in one tick of the file system's clock; a
    // slow run is tried again at the start of the next second.
    for _attempt in 0..5 {
        let _ = std::fs::remove_dir_all(dir.join("cache"));
        let original = std::fs::read(&path).unwrap();
        let old_modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        wait_for_the_next_second();
        set_modified(&path, old_modified);
        let touched = changed(&path);
        let before = stats(dir);
        // In place: same file, same size, only the bytes differ.
        let mut file = std::fs::File::options().write(true).open(&path).unwrap();
        std::io::Write::write_all(&mut file, &edited).unwrap();
        drop(file);
        set_modified(&path, old_modified);
        if changed(&path) != touched {
            // Too slow for one tick: undo and try again.
            std::fs::write(&path, &original).unwrap();
            set_modified(&path, old_modified);
            continue;
        }
        let after = stats(dir);
        assert!(after != before, "the edited answer changes the statistics");
        let cached_again = stats(dir);
        let _ = std::fs::remove_dir_all(dir.join("cache"));
        let from_files = stats(dir);
        // Plain asserts: the reports are thousands of lines long.
        assert!(after == from_files, "the first run after the edit sees it");
        assert!(cached_again == from_files, "and so does every later run");
        return;
    }
    panic!("the steps never fitted within one second of the file system's clock");
}

fn wait_for_the_next_second() {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap();
    std::thread::sleep(Duration::from_nanos(
        1_000_000_000 - u64::from(now.subsec_nanos()),
    ));
    std::thread::sleep(Duration::from_millis(20));
}

#[test]
fn ext4_with_128_byte_inodes() {
    let Some(mounted) = Mounted::new("mkfs.ext4", &["-q", "-F", "-I", "128"]) else {
        return;
    };
    let data = mounted.path().join("data");
    a_rewrite_within_one_second_is_seen(&data);
    let file = std::fs::read_dir(data.join("responses").join(QUESTIONNAIRE))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(changed(&file).1, 0, "a whole-second clock, as intended");
}

#[test]
fn vfat() {
    let Some(mounted) = Mounted::new("mkfs.vfat", &[]) else {
        return;
    };
    a_rewrite_within_one_second_is_seen(&mounted.path().join("data"));
}
