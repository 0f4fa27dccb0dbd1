//! Interviewer names given on the command line match as a person would read them: in Cyrillic as
//! in Latin, whatever the case, however an accent was typed, with extra spaces; and a filter that
//! matches nothing says so instead of printing an empty report as if it were true.

use std::path::Path;

use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// Two interviews by "Борислав Илиев 203" (one with `й` typed as `и` + breve) and one by "Ana".
fn data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let form = default_form().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for name in ["Борислав Илиев 203", "Борислав Илиев 203", "Ana"] {
        let mut r = Response::new(&form, name, "SOF46", "bg");
        r.answers
            .insert("consent".into(), Answer::Text("yes".into()));
        r.status = Status::Complete;
        r.completed_at = Some(r.updated_at);
        store.save(&r).unwrap();
    }
    dir
}

fn stats_count(data: &Path, interviewer: &str) -> (u64, String) {
    let out = anketa(data)
        .args(["stats", "--json", "--interviewer", interviewer])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        report["responses"].as_u64().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn stats_and_export_match_names_in_any_case_and_normal_form() {
    let data = data();
    for spelling in [
        "Борислав Илиев 203",
        "борислав илиев 203",
        "БОРИСЛАВ  ИЛИЕВ 203",
        " борислав илиев 203 ",
    ] {
        let (n, stderr) = stats_count(data.path(), spelling);
        assert_eq!(n, 2, "{spelling:?}");
        assert!(!stderr.contains("no interviews match"), "{stderr}");
    }
    assert_eq!(stats_count(data.path(), "ANA").0, 1);
    let out = tempfile::tempdir().unwrap();
    anketa(data.path())
        .args(["export", "--interviewer", "борислав илиев 203", "--out"])
        .arg(out.path().join("x.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 2 interview(s)"));
}

#[test]
fn a_filter_that_matches_nothing_says_so() {
    let data = data();
    let (n, stderr) = stats_count(data.path(), "Борис");
    assert_eq!(n, 0);
    assert!(
        stderr.contains("warning: no interviews match interviewer Борис"),
        "{stderr}"
    );
    anketa(data.path())
        .args(["check", "--interviewer", "Борис"])
        .assert()
        .success()
        .stderr(predicate::str::contains("no interviews match"));
}

#[test]
fn pack_matches_names_in_any_case_and_refuses_a_name_that_matches_nothing() {
    let data = data();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("b.tar");
    anketa(data.path())
        .args(["pack", "--interviewer", "борислав илиев 203", "--out"])
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("packed 2 interview(s)"));
    let wrong = out.path().join("wrong.tar");
    anketa(data.path())
        .args(["pack", "--interviewer", "Борис", "--out"])
        .arg(&wrong)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no interview of `Борис` here"))
        .stderr(predicate::str::contains("Ana, Борислав Илиев 203"));
    assert!(!wrong.exists(), "no empty archive is written");
}
