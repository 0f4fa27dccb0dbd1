//! The load cache through the real binary: whatever happens to the cache or the files, `anketa
//! stats` gives exactly what reading every file gives.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anketa::questionnaire::{Answer, catalog};
use anketa::store::Response;
use assert_cmd::Command;

const QUESTIONNAIRE: &str = "civic-participation-bg";

/// A data folder with `n` simulated interviews, a few seconds old: files changed in the last
/// seconds (by their change time, which cannot be set back) are never trusted from the cache,
/// so fresh ones would hide it.
fn data(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    anketa(dir.path())
        .args(["simulate", "--responses", &n.to_string(), "--seed", "11"])
        .assert()
        .success();
    // Two seconds of margin for the clocks, two more for a file system that counts in
    // whole seconds (or two, as FAT does).
    std::thread::sleep(Duration::from_millis(4_500));
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let folder = dir.join("responses").join(QUESTIONNAIRE);
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
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

/// `stats` with no cache at all: the reference.
fn stats_from_files(dir: &Path) -> String {
    let _ = std::fs::remove_dir_all(dir.join("cache"));
    stats(dir)
}

fn cache_file(dir: &Path) -> PathBuf {
    dir.join("cache").join(format!("{QUESTIONNAIRE}.table"))
}

#[test]
fn statistics_from_the_cache_equal_statistics_from_the_files() {
    let dir = data(400);
    let first = stats(dir.path());
    assert!(
        cache_file(dir.path()).exists(),
        "the first run writes the cache"
    );
    let written = std::fs::metadata(cache_file(dir.path()))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(stats(dir.path()), first);
    assert_eq!(
        std::fs::metadata(cache_file(dir.path()))
            .unwrap()
            .modified()
            .unwrap(),
        written,
        "an unchanged folder is answered from the cache, which is not rewritten"
    );
    assert_eq!(stats_from_files(dir.path()), first);
}

#[test]
fn a_file_edited_by_hand_is_seen_at_once() {
    let dir = data(200);
    let before = stats(dir.path());
    let path = files(dir.path())[17].clone();
    let mut response: Response = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let form = catalog::default_form().unwrap();
    let consent = form.position("consent").unwrap();
    let refused = Answer::Special(anketa::questionnaire::Special::Refused);
    response
        .answers
        .insert(form.questions()[consent].id.clone(), refused);
    // Edited in place, with its old modification time put back: only the change time tells.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, serde_json::to_vec_pretty(&response).unwrap()).unwrap();
    std::fs::File::options()
        .append(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let after = stats(dir.path());
    assert_ne!(after, before);
    assert_eq!(after, stats_from_files(dir.path()));
}

#[test]
fn a_damaged_or_foreign_cache_changes_nothing() {
    let dir = data(200);
    let reference = stats(dir.path());
    let cache = cache_file(dir.path());
    let good = std::fs::read(&cache).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    let damaged: [&[u8]; 4] = [
        &[],
        &good[..good.len() / 3],
        &flipped,
        b"not a cache at all",
    ];
    for bytes in damaged {
        std::fs::write(&cache, bytes).unwrap();
        assert_eq!(stats(dir.path()), reference);
        assert_eq!(std::fs::read(&cache).unwrap(), good, "rebuilt as it was");
    }
}

#[test]
fn deleted_and_broken_files_leave_the_statistics_and_are_reported() {
    let dir = data(200);
    stats(dir.path());
    let files = files(dir.path());
    std::fs::remove_file(&files[3]).unwrap();
    std::fs::write(&files[5], b"{\"id\": ").unwrap();
    let output = anketa(dir.path())
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&*files[5].to_string_lossy()),
        "the broken file is named: {stderr}"
    );
    let from_cache = String::from_utf8(output.stdout).unwrap();
    assert_eq!(from_cache, stats_from_files(dir.path()));
    assert!(from_cache.contains("\"responses\": "));
}
