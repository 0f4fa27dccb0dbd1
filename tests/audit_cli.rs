//! `anketa export --audit` on a real data folder: one row per event of the selected
//! interviews, a damaged trail reported and left untouched.

use std::path::Path;
use std::sync::Arc;

use anketa::audit;
use anketa::interview::Interview;
use anketa::outcome::Outcome;
use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::Store;
use assert_cmd::Command;
use predicates::prelude::*;

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// An interview that is asked consent and age, switches to English, and is broken off.
fn broken_off(store: &Store) -> Interview {
    let form = Arc::new(default_form().unwrap());
    let mut i = Interview::start(form, "Мария", "PDV22", "bg");
    i.submit(None, None).unwrap();
    i.submit(Some(Answer::Text("yes".into())), None).unwrap();
    i.set_language("en");
    i.submit(Some(Answer::Number(42.0)), None).unwrap();
    i.end(Outcome::BreakOff, "had to leave");
    store.save_interview(i.response(), i.trail()).unwrap();
    i
}

#[test]
fn the_audit_export_has_one_row_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let i = broken_off(&store);
    let out = dir.path().join("audit.csv");
    anketa(dir.path())
        .args(["export", "--audit", "--cases", "all", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "wrote {} event(s) of 1 interview(s)",
            i.trail().len()
        )));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), audit_columns());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), i.trail().len());
    let age = rows
        .iter()
        .find(|r| &r[2] == "answered" && &r[4] == "age")
        .unwrap();
    assert_eq!((&age[6], &age[7]), ("42", "en"), "{age:?}");
    let consent = rows
        .iter()
        .find(|r| &r[2] == "answered" && &r[4] == "consent")
        .unwrap();
    assert_eq!(&consent[7], "bg");
    let ended = rows.last().unwrap();
    assert_eq!((&ended[2], &ended[9]), ("ended", "2.12"));
    assert!(rows.iter().all(|r| r[0] == i.response().id.to_string()));
}

#[test]
fn a_damaged_trail_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let i = broken_off(&store);
    let trail = store
        .audit_path("civic-participation-bg", i.response().id)
        .unwrap();
    std::fs::write(&trail, b"{\"not\": \"an event\"}\n").unwrap();
    let out = dir.path().join("audit.csv");
    anketa(dir.path())
        .args(["export", "--audit", "--cases", "all", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("damaged audit trail").and(predicate::str::contains("line 1")),
        );
    assert_eq!(std::fs::read(&trail).unwrap(), b"{\"not\": \"an event\"}\n");
    assert_eq!(
        audit::parse(&std::fs::read(&trail).unwrap())
            .unwrap_err()
            .line,
        1
    );
}

fn audit_columns() -> Vec<&'static str> {
    anketa::export::audit::COLUMNS.to_vec()
}
