//! `anketa validate` through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

const BUNDLED: &str = "questionnaires/civic-participation-bg.json";

fn anketa() -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR");
    cmd
}

fn bundled() -> Value {
    serde_json::from_str(&std::fs::read_to_string(BUNDLED).unwrap()).unwrap()
}

fn question<'a>(q: &'a mut Value, id: &str) -> &'a mut Value {
    q["sections"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|s| s["questions"].as_array_mut().unwrap().iter_mut())
        .find(|x| x["id"] == id)
        .unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_bundled_questionnaire_is_valid() {
    anketa()
        .args(["validate", BUNDLED])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
}

#[test]
fn bad_json_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(BUNDLED)
            .unwrap()
            .replacen("\"version\"", "\"version\" 1,", 1);
    let path = write(&dir, "bad.json", &text);
    let line = text
        .lines()
        .position(|l| l.contains("\"version\" 1,"))
        .unwrap()
        + 1;
    anketa()
        .args(["validate"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("bad.json:{line}:")));
}

#[test]
fn every_semantic_problem_is_named() {
    let mut q = bundled();
    question(&mut q, "gender")["choices"] = json!("no_such_list");
    question(&mut q, "age")["relevant"] = json!("${consent} = 'yes' and ${p_budget} = 'no'");
    question(&mut q, "informed")["label"]
        .as_object_mut()
        .unwrap()
        .remove("en");
    question(&mut q, "comment")["constraint"] = json!("string-length(.) <= ");
    question(&mut q, "trust_mayor")["read_aloud"] = json!({"bg": "Сега ще прочета…"});
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "broken.json", &q.to_string());
    let out = anketa().args(["validate"]).arg(&path).assert().code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for expected in [
        "question `gender`: choice list `no_such_list` does not exist",
        "question `age`: relevant refers to `${p_budget}`, which is not before it",
        "question `informed`: label has no `en` text",
        "question `trust_mayor`: read_aloud has no `en` text",
        "question `comment`: constraint",
        "5 problem(s)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(stdout.contains("broken.json"), "{stdout}");
}

#[test]
fn several_files_are_all_checked() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(&dir, "empty.json", "");
    anketa()
        .args(["validate", BUNDLED])
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ok").and(predicate::str::contains("empty.json")));
}

#[test]
fn usage_errors_exit_2() {
    anketa().args(["validate"]).assert().code(2);
    anketa().args(["no-such-command"]).assert().code(2);
}

#[test]
fn help_lists_the_commands() {
    anketa()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("validate").and(predicate::str::contains("paths")));
}

#[test]
fn paths_honours_the_override() {
    anketa()
        .args(["paths", "--data-dir", "/tmp/anketa-x"])
        .assert()
        .success()
        .stdout(predicate::str::contains("/tmp/anketa-x"));
}
