//! A symbolic link planted where anketa keeps its own folders and files in the data folder is
//! never followed: each command reports it by name, and the link's target is left exactly as
//! it was (through the real binary).
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::{Response, Store};
use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};

const QID: &str = "civic-participation-bg";

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// Every file under `dir`, with its contents: what must not change.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// A folder elsewhere with one file of its own, as a link's target.
fn elsewhere() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not anketa's").unwrap();
    dir
}

fn simulate(data: &Path, n: usize) {
    anketa(data)
        .args(["simulate", "--responses", &n.to_string(), "--seed", "3"])
        .assert()
        .success();
}

/// Runs `cmd`, expects it to fail, and gives its stderr, which must name `link`.
fn refused(cmd: &mut Command, link: &Path) -> String {
    let output = cmd.output().unwrap();
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        stderr.contains("symbolic link") && stderr.contains(&*link.to_string_lossy()),
        "{stderr}"
    );
    stderr
}

#[test]
fn a_link_in_place_of_the_cache_folder_is_reported_and_never_written_through() {
    let data = tempfile::tempdir().unwrap();
    simulate(data.path(), 30);
    let reference = anketa(data.path())
        .args(["stats", "--json"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(data.path().join("cache")).unwrap();
    let target = elsewhere();
    let before = snapshot(target.path());
    let link = data.path().join("cache");
    symlink(target.path(), &link).unwrap();

    for args in [&["stats", "--json"][..], &["stats", "--json"][..]] {
        let output = anketa(data.path()).args(args).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            output.stdout, reference.stdout,
            "the figures are right all the same"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("warning: the load cache was not used"),
            "{stderr}"
        );
        assert!(stderr.contains(&*link.to_string_lossy()), "{stderr}");
    }
    let out = tempfile::tempdir().unwrap();
    let output = anketa(data.path())
        .arg("export")
        .arg("--out")
        .arg(out.path().join("data.csv"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("symbolic link"));
    assert_eq!(snapshot(target.path()), before);
    assert!(link.is_symlink(), "the link is left for the user to remove");
}

#[test]
fn a_link_in_place_of_the_responses_folders_is_refused_by_writers_and_readers() {
    for below in ["responses", "responses/civic-participation-bg"] {
        let data = tempfile::tempdir().unwrap();
        let target = elsewhere();
        let before = snapshot(target.path());
        let link = data.path().join(below);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        symlink(target.path(), &link).unwrap();
        refused(
            anketa(data.path()).args(["simulate", "--responses", "5"]),
            &link,
        );
        refused(anketa(data.path()).args(["stats", "--json"]), &link);
        let out = tempfile::tempdir().unwrap();
        refused(
            anketa(data.path())
                .arg("export")
                .arg("--out")
                .arg(out.path().join("x.csv")),
            &link,
        );
        assert_eq!(snapshot(target.path()), before, "{below}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }
}

fn response() -> Response {
    let form = default_form().unwrap();
    let mut r = Response::new(&form, "ana", "SOF46", "bg");
    r.started_at = Timestamp::from_second(1_772_000_000).unwrap();
    r.updated_at = r.started_at;
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    r.answers.insert("age".into(), Answer::Number(40.0));
    r
}

fn later(r: &Response) -> Response {
    let mut r = r.clone();
    r.updated_at = r
        .updated_at
        .checked_add(SignedDuration::from_mins(5))
        .unwrap();
    r.answers.insert("age".into(), Answer::Number(41.0));
    r
}

#[test]
fn a_merge_never_writes_history_or_takes_a_lock_through_a_link() {
    for folder in ["history", "locks"] {
        let dest = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let r = response();
        Store::open(dest.path()).unwrap().save(&r).unwrap();
        Store::open(src.path()).unwrap().save(&later(&r)).unwrap();
        let responses = dest.path().join("responses");
        let local_before = snapshot(&responses);
        let target = elsewhere();
        let before = snapshot(target.path());
        let link = dest.path().join(folder);
        symlink(target.path(), &link).unwrap();
        refused(anketa(dest.path()).arg("merge").arg(src.path()), &link);
        assert_eq!(snapshot(target.path()), before, "{folder}");
        assert_eq!(
            snapshot(&responses),
            local_before,
            "the local version stays"
        );
        // With the link gone, the same merge goes through.
        std::fs::remove_file(&link).unwrap();
        anketa(dest.path())
            .arg("merge")
            .arg(src.path())
            .assert()
            .success();
    }
}

#[test]
fn a_link_in_place_of_a_local_response_is_a_problem_of_that_response_only() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let linked = response();
    let other = response();
    Store::open(src.path())
        .unwrap()
        .save(&later(&linked))
        .unwrap();
    Store::open(src.path()).unwrap().save(&other).unwrap();
    let folder = dest.path().join("responses").join(QID);
    std::fs::create_dir_all(&folder).unwrap();
    let target = elsewhere();
    let victim = target.path().join("notes.txt");
    let link = folder.join(format!("{}.json", linked.id));
    symlink(&victim, &link).unwrap();
    let output = anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("symbolic link"), "{stdout}");
    assert!(folder.join(format!("{}.json", other.id)).is_file());
    assert_eq!(std::fs::read(&victim).unwrap(), b"not anketa's");
    assert!(link.is_symlink());
}
