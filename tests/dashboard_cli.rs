//! `anketa dashboard` on the command line: its options, and bad options refused before the
//! terminal is touched.

use assert_cmd::Command;
use predicates::str::contains;

fn anketa() -> Command {
    Command::cargo_bin("anketa").expect("binary built")
}

#[test]
fn help_names_the_options() {
    anketa()
        .args(["dashboard", "--help"])
        .assert()
        .success()
        .stdout(contains("--questionnaire"))
        .stdout(contains("--data-dir"))
        .stdout(contains("--municipality"))
        .stdout(contains("--include-drafts"));
}

#[test]
fn an_unknown_municipality_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    anketa()
        .args(["dashboard", "--municipality", "XXX99", "--data-dir"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("unknown municipality code `XXX99`"));
}

#[test]
fn an_unknown_language_or_questionnaire_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    anketa()
        .args(["dashboard", "--lang", "fr", "--data-dir"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("unknown language `fr`"));
    anketa()
        .args([
            "dashboard",
            "--questionnaire",
            "no-such-survey",
            "--data-dir",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("cannot load the questionnaire"));
}
