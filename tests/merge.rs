//! `anketa merge` and `anketa pack` through the real binary: new, identical, updated, older,
//! conflicting and corrupt inputs, archives (including hostile ones), idempotence and the
//! guarantee that no version of any interview is ever lost.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};
use predicates::prelude::*;

const QID: &str = "civic-participation-bg";

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

fn response(interviewer: &str, municipality: &str) -> Response {
    let form = default_form().unwrap();
    let mut r = Response::new(&form, interviewer, municipality, "bg");
    r.started_at = Timestamp::from_second(1_772_000_000).unwrap();
    r.updated_at = r.started_at;
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    r.answers.insert("age".into(), Answer::Number(40.0));
    r
}

fn later(r: &Response, minutes: i64) -> Response {
    let mut r = r.clone();
    r.updated_at = r
        .updated_at
        .checked_add(SignedDuration::from_mins(minutes))
        .unwrap();
    r
}

fn save(dir: &Path, responses: &[&Response]) {
    let store = Store::open(dir).unwrap();
    for r in responses {
        store.save(r).unwrap();
    }
}

fn response_file(dir: &Path, r: &Response) -> PathBuf {
    dir.join("responses")
        .join(QID)
        .join(format!("{}.json", r.id))
}

/// Every file under `dir` (relative path → contents).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    // Lock files are bookkeeping, not data.
    out.retain(|p, _| !p.starts_with("locks"));
    out
}

fn contents(dir: &Path) -> BTreeSet<Vec<u8>> {
    files(dir).into_values().collect()
}

/// Nothing lost: every file that was in the destination or a source is somewhere in the
/// destination afterwards (responses, history or conflicts), byte for byte.
fn assert_nothing_lost(dest_before: &BTreeSet<Vec<u8>>, sources: &[&Path], dest: &Path) {
    let after = contents(dest);
    for c in dest_before {
        assert!(after.contains(c), "a destination file was lost");
    }
    for s in sources {
        for (path, c) in files(s) {
            let valid = anketa::store::parse_response(&c).is_ok();
            assert!(!valid || after.contains(&c), "{} was lost", path.display());
        }
    }
}

#[test]
fn new_identical_updated_older_and_conflicting_files() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let unchanged = response("ana", "SOF46");
    let draft = response("ana", "PDV22");
    let stale_here = later(&response("ana", "VAR06"), 30);
    let clash = response("ana", "BGS04");
    let fresh = response("boris", "SLV20");
    save(dest.path(), &[&unchanged, &draft, &stale_here, &clash]);

    let mut completed = later(&draft, 10);
    completed.status = Status::Complete;
    completed.completed_at = Some(completed.updated_at);
    let older = later(&stale_here, -20);
    let mut rival = clash.clone();
    rival.answers.insert("age".into(), Answer::Number(41.0));
    save(
        src.path(),
        &[&unchanged, &completed, &older, &rival, &fresh],
    );

    let before = contents(dest.path());
    let count_before = files(dest.path()).len();
    anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "merged: 1 new, 1 updated, 1 identical, 1 older, 1 conflicts, 0 problems",
        ))
        .stdout(predicate::str::contains("conflict"));

    // New and updated files are in place, with the replaced version in history.
    let read = |r: &Response| std::fs::read(response_file(dest.path(), r)).unwrap();
    assert_eq!(anketa::store::parse_response(&read(&fresh)).unwrap(), fresh);
    assert_eq!(
        anketa::store::parse_response(&read(&draft)).unwrap().status,
        Status::Complete
    );
    let history: Vec<_> = std::fs::read_dir(dest.path().join("history"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        history.contains(&format!("{}.20260225T061320Z.json", draft.id)),
        "{history:?}"
    );
    // The older incoming version is kept in history; the local newer one stays.
    assert_eq!(
        anketa::store::parse_response(&read(&stale_here)).unwrap(),
        stale_here
    );
    // The conflict leaves the local version and keeps the incoming one aside.
    assert_eq!(anketa::store::parse_response(&read(&clash)).unwrap(), clash);
    let conflicts: Vec<_> = std::fs::read_dir(dest.path().join("conflicts"))
        .unwrap()
        .collect();
    assert_eq!(conflicts.len(), 1);

    // Files: 1 new response + 2 history copies (replaced draft, older incoming) + 1 conflict.
    assert_eq!(files(dest.path()).len(), count_before + 4);
    assert_nothing_lost(&before, &[src.path()], dest.path());

    // A second run changes nothing and reports the same standing conflict.
    let snapshot = files(dest.path());
    anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "merged: 0 new, 0 updated, 3 identical, 1 older, 1 conflicts, 0 problems",
        ));
    assert_eq!(
        files(dest.path()),
        snapshot,
        "a second run must change nothing"
    );
}

#[test]
fn corrupt_and_foreign_files_are_reported_and_not_copied() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let good = response("ana", "SOF46");
    save(src.path(), &[&good]);
    let dir = src.path().join("responses").join(QID);
    let truncated = uuid::Uuid::new_v4();
    std::fs::write(dir.join(format!("{truncated}.json")), b"{\"id\": \"").unwrap();
    // A copy under another name: its file name does not match its id.
    let copy = uuid::Uuid::new_v4();
    std::fs::copy(
        response_file(src.path(), &good),
        dir.join(format!("{copy}.json")),
    )
    .unwrap();
    let mut bad_place = response("ana", "SOF46");
    bad_place.municipality = "XXX99".into();
    std::fs::write(
        dir.join(format!("{}.json", bad_place.id)),
        serde_json::to_vec(&bad_place).unwrap(),
    )
    .unwrap();
    let mut foreign = response("ana", "SOF46");
    foreign.questionnaire = "no-such-study".into();
    let foreign_dir = src.path().join("responses/no-such-study");
    std::fs::create_dir_all(&foreign_dir).unwrap();
    std::fs::write(
        foreign_dir.join(format!("{}.json", foreign.id)),
        serde_json::to_vec(&foreign).unwrap(),
    )
    .unwrap();

    anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 new").and(predicate::str::contains("4 problems")))
        .stdout(predicate::str::contains("truncated JSON"))
        .stdout(predicate::str::contains("does not match its id"))
        .stdout(predicate::str::contains(
            "unknown municipality code `XXX99`",
        ))
        .stdout(predicate::str::contains("unknown questionnaire"));
    let all = files(dest.path());
    assert_eq!(
        all.len(),
        1,
        "only the good file is copied: {:?}",
        all.keys()
    );
    // The source is never modified.
    assert_eq!(files(src.path()).len(), 5);
}

#[test]
fn dry_run_reports_without_writing() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let a = response("ana", "SOF46");
    save(dest.path(), &[&a]);
    let newer = later(&a, 5);
    let b = response("ana", "GAB05");
    save(src.path(), &[&newer, &b]);
    let before = files(dest.path());
    anketa(dest.path())
        .args(["merge", "--dry-run"])
        .arg(src.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("would merge: 1 new, 1 updated"));
    assert_eq!(files(dest.path()), before);
}

#[test]
fn the_same_interview_from_two_sources_is_ordered_across_them() {
    let dest = tempfile::tempdir().unwrap();
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let r = response("ana", "SOF46");
    let r2 = later(&r, 15);
    save(one.path(), &[&r2]);
    save(two.path(), &[&r]);
    anketa(dest.path())
        .arg("merge")
        .arg(one.path())
        .arg(two.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 new, 0 updated, 0 identical, 1 older",
        ));
    let kept = std::fs::read(response_file(dest.path(), &r)).unwrap();
    assert_eq!(anketa::store::parse_response(&kept).unwrap(), r2);
}

#[test]
fn pack_then_merge_an_archive() {
    let laptop = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        response("ana", "SOF46"),
        response("ana", "PVN24"),
        response("boris", "JAM26"),
    );
    save(laptop.path(), &[&a, &b, &c]);
    let archive = out.path().join("ana.tar");
    anketa(laptop.path())
        .args(["pack", "--interviewer", "ANA", "--out"])
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("packed 2 interview(s)"));
    // An existing archive is not replaced without --force.
    anketa(laptop.path())
        .args(["pack", "--out"])
        .arg(&archive)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));

    anketa(dest.path())
        .arg("merge")
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("merged: 2 new"));
    assert!(response_file(dest.path(), &a).is_file());
    assert!(response_file(dest.path(), &b).is_file());
    assert!(!response_file(dest.path(), &c).exists());
    assert_eq!(
        std::fs::read(response_file(dest.path(), &a)).unwrap(),
        std::fs::read(response_file(laptop.path(), &a)).unwrap()
    );
    anketa(dest.path())
        .arg("merge")
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 new, 0 updated, 2 identical"));
}

/// A tar entry whose raw name climbs out of any folder it might be unpacked into.
fn hostile_archive(path: &Path, good: &Response) {
    let mut builder = tar::Builder::new(Vec::new());
    let body = serde_json::to_vec(good).unwrap();
    for name in [
        "../../escape.json".to_owned(),
        format!("/tmp/{}.json", good.id),
        format!("responses/{QID}/../../../{}.json", good.id),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_cksum();
        builder.append(&header, body.as_slice()).unwrap();
    }
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.as_old_mut().name[..9].copy_from_slice(b"link.json");
    link.set_link_name("/etc/passwd").unwrap();
    link.set_cksum();
    builder.append(&link, std::io::empty()).unwrap();
    std::fs::write(path, builder.into_inner().unwrap()).unwrap();
}

#[test]
fn archive_entries_never_choose_where_files_are_written() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("a/b/data");
    std::fs::create_dir_all(&dest).unwrap();
    let archive = root.path().join("evil.tar");
    let good = response("ana", "SOF46");
    hostile_archive(&archive, &good);
    let assert = anketa(&dest).arg("merge").arg(&archive).assert().code(1);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    // The entry named after the id is accepted by content; its name is never used as a path.
    assert!(out.contains("1 new, 0 updated, 1 identical"), "{out}");
    assert!(out.contains("1 problems"), "{out}");
    assert!(!root.path().join("a/escape.json").exists());
    assert!(!root.path().join("escape.json").exists());
    assert!(response_file(&dest, &good).is_file());
    let everything = files(root.path());
    assert_eq!(everything.len(), 2, "{:?}", everything.keys());
}

#[test]
fn an_interview_open_on_this_laptop_is_not_replaced() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let r = response("ana", "SOF46");
    save(dest.path(), &[&r]);
    save(src.path(), &[&later(&r, 5)]);
    let store = Store::open(dest.path()).unwrap();
    let lock = store.lock_response(r.id).unwrap();
    let before = std::fs::read(response_file(dest.path(), &r)).unwrap();
    anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("open for editing"));
    assert_eq!(
        std::fs::read(response_file(dest.path(), &r)).unwrap(),
        before
    );
    drop(lock);
    anketa(dest.path())
        .arg("merge")
        .arg(src.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("1 updated"));
}

#[test]
fn an_unreadable_local_file_is_kept_and_the_incoming_one_set_aside() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let r = response("ana", "SOF46");
    save(src.path(), &[&r]);
    let local = response_file(dest.path(), &r);
    std::fs::create_dir_all(local.parent().unwrap()).unwrap();
    std::fs::write(&local, b"{\"id\": \"trunc").unwrap();
    let out = anketa(dest.path())
        .args(["merge", "--json"])
        .arg(src.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["counts"]["conflicts"], 1);
    let item = &json["report"]["items"][0];
    assert_eq!(item["outcome"], "conflict");
    assert!(
        item["reason"]
            .as_str()
            .unwrap()
            .contains("local file cannot be read")
    );
    assert_eq!(std::fs::read(&local).unwrap(), b"{\"id\": \"trunc");
    let kept = PathBuf::from(item["kept_as"].as_str().unwrap());
    assert!(kept.starts_with(dest.path().join("conflicts")));
    assert_eq!(
        std::fs::read(kept).unwrap(),
        std::fs::read(response_file(src.path(), &r)).unwrap()
    );
}

#[test]
fn a_single_response_file_and_an_unreadable_source() {
    let dest = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let r = response("ana", "SOF46");
    save(src.path(), &[&r]);
    anketa(dest.path())
        .arg("merge")
        .arg(response_file(src.path(), &r))
        .assert()
        .success()
        .stdout(predicate::str::contains("merged: 1 new"));
    let not_tar = src.path().join("notes.txt");
    std::fs::write(&not_tar, "hello").unwrap();
    // Unreadable sources are reported and the others still merged.
    let other = tempfile::tempdir().unwrap();
    let r2 = response("boris", "SOF46");
    save(other.path(), &[&r2]);
    anketa(dest.path())
        .arg("merge")
        .arg(&not_tar)
        .arg(src.path().join("missing"))
        .arg(other.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("notes.txt"))
        .stdout(predicate::str::contains("missing: "))
        .stdout(predicate::str::contains(
            "1 new, 0 updated, 0 identical, 0 older, 0 conflicts, 2 problems",
        ));
    assert!(response_file(dest.path(), &r2).is_file());
}
