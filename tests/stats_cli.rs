//! `anketa stats` through the real binary, on a data folder written with `Store::save` from the
//! hand-made interviews of `tests/fixtures/stats/handmade.json`.

use std::collections::BTreeMap;
use std::path::Path;

use anketa::questionnaire::{Answer, Form, load_path};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const QUESTIONNAIRE: &str = "tests/fixtures/stats/mini.json";

#[derive(serde::Deserialize)]
struct Row {
    municipality: String,
    answers: BTreeMap<String, Answer>,
}

/// A data folder holding the 30 hand-made interviews plus one draft.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let form: Form = load_path(Path::new(QUESTIONNAIRE)).expect("fixture questionnaire");
    let store = Store::open(dir.path()).expect("store");
    let text = std::fs::read_to_string("tests/fixtures/stats/handmade.json").expect("fixture");
    let rows: Vec<Row> = serde_json::from_str(&text).expect("fixture rows");
    for (i, row) in rows.into_iter().enumerate() {
        let mut r = Response::new(
            &form,
            if i % 2 == 0 { "ana" } else { "boris" },
            &row.municipality,
            "en",
        );
        r.answers = row.answers;
        r.status = Status::Complete;
        r.completed_at = Some(r.updated_at);
        store.save(&r).expect("save");
    }
    let mut draft = Response::new(&form, "ana", "SOF46", "en");
    draft
        .answers
        .insert("took_part".into(), Answer::Text("yes".into()));
    store.save(&draft).expect("save draft");
    dir
}

fn stats(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").expect("binary");
    cmd.env_remove("ANKETA_DATA_DIR")
        .args(["--data-dir"])
        .arg(dir)
        .args(["stats", "--questionnaire", QUESTIONNAIRE]);
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("one JSON document")
}

fn question<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["questions"]
        .as_array()
        .and_then(|qs| qs.iter().find(|q| q["id"] == id))
        .unwrap_or_else(|| panic!("no question {id}"))
}

#[test]
fn json_has_the_documented_fields() {
    let dir = data_dir();
    let doc = json(stats(dir.path()).arg("--json"));
    assert_eq!(doc["questionnaire"], "mini-stats");
    assert_eq!(doc["responses"], 30, "the draft is left out");
    assert_eq!(doc["problems"], 0);
    let q = question(&doc, "took_part");
    for field in [
        "id",
        "type",
        "asked",
        "n",
        "dont_know",
        "refused",
        "not_asked",
        "no_answer",
        "options",
        "mean",
        "sd",
        "ci95_mean",
        "median",
        "by_municipality",
        "chi_square",
    ] {
        assert!(q.get(field).is_some(), "missing {field}");
    }
    assert_eq!(q["type"], "single");
    assert_eq!(
        (q["n"].as_u64(), q["dont_know"].as_u64()),
        (Some(29), Some(1))
    );
    assert_eq!(q["options"][0]["code"], "yes");
    assert_eq!(q["options"][0]["count"], 11);
    assert!(
        q["options"][0]["ci95"]
            .as_array()
            .is_some_and(|a| a.len() == 2)
    );
    assert!(q["mean"].is_null());
    let m = &q["by_municipality"][0];
    for field in [
        "municipality",
        "asked",
        "n",
        "options",
        "mean",
        "small_base",
    ] {
        assert!(m.get(field).is_some(), "missing by_municipality.{field}");
    }
    let chi = &q["chi_square"];
    for field in [
        "statistic",
        "df",
        "p_value",
        "cramers_v",
        "low_expected_cells",
    ] {
        assert!(chi.get(field).is_some(), "missing chi_square.{field}");
    }
    let index = &doc["indices"][0];
    for field in ["id", "mean", "ci95", "alpha", "by_municipality"] {
        assert!(index.get(field).is_some(), "missing indices.{field}");
    }
    let text = serde_json::to_string(&doc).unwrap();
    assert!(!text.contains("NaN"));
}

#[test]
fn filters_and_drafts() {
    let dir = data_dir();
    let doc = json(stats(dir.path()).args(["--json", "--municipality", "VAR06"]));
    assert_eq!(doc["responses"], 8);
    let q = question(&doc, "took_part");
    assert!(q["chi_square"].is_null());
    assert!(
        q["chi_square_reason"]
            .as_str()
            .unwrap()
            .contains("one municipality")
    );
    let doc = json(stats(dir.path()).args(["--json", "--oblast", "PDV"]));
    assert_eq!(doc["responses"], 10);
    let doc = json(stats(dir.path()).args(["--json", "--interviewer", "ana"]));
    assert_eq!(doc["responses"], 15);
    let doc = json(stats(dir.path()).args(["--json", "--include-drafts"]));
    assert_eq!(doc["responses"], 31);
    let doc =
        json(stats(dir.path()).args(["--json", "--from", "2000-01-01", "--to", "2000-12-31"]));
    assert_eq!(doc["responses"], 0);
}

#[test]
fn readable_summary_by_default() {
    let dir = data_dir();
    stats(dir.path())
        .arg("--by-municipality")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "mini-stats (version 1): 30 responses from 3 municipalities",
        ))
        .stdout(predicate::str::contains("asked 30 · n 29 · don't know 1"))
        .stdout(predicate::str::contains(
            "yes      11    37.9%  [22.7–56.0]",
        ))
        .stdout(predicate::str::contains("chi-square 5.02, df 2, p 0.0812"))
        .stdout(predicate::str::contains("VAR06 Varna  (small base)"))
        .stdout(predicate::str::contains("Indices (0–100)"));
}

#[test]
fn csv_tables_are_written() {
    let dir = data_dir();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("tables");
    stats(dir.path())
        .arg("--csv")
        .arg(&target)
        .assert()
        .success();
    for name in [
        "questions",
        "options",
        "chi_square",
        "crosstabs",
        "texts",
        "indices",
    ] {
        assert!(target.join(format!("{name}.csv")).is_file(), "{name}.csv");
    }
    let options = std::fs::read_to_string(target.join("options.csv")).unwrap();
    assert!(options.starts_with(
        "question,municipality,municipality_name,option,count,n,percent,ci95_low,ci95_high\n"
    ));
    assert!(options.contains("took_part,all,,yes,11,29,37.9,22.7,56.0\n"));
    assert!(options.contains("took_part,VAR06,Varna,yes,2,8,25.0,"));
    let tests = std::fs::read_to_string(target.join("chi_square.csv")).unwrap();
    assert!(tests.contains("took_part,5.021,2,0.0812,0.416,4,2,3,\n"));
    assert!(tests.contains("how,,,,,,,,\"cross-tabs with the municipality are computed"));
    let indices = std::fs::read_to_string(target.join("indices.csv")).unwrap();
    assert!(indices.contains("trust,all,,30,,46.8,32.6,34.7,59.0,,,0.933,20\n"));
}

#[test]
fn unreadable_files_are_counted_and_left_alone() {
    let dir = data_dir();
    let bad = dir
        .path()
        .join("responses/mini-stats/00000000-0000-4000-8000-000000000000.json");
    std::fs::write(&bad, b"{ truncated").unwrap();
    let doc = json(stats(dir.path()).arg("--json"));
    assert_eq!(doc["problems"], 1);
    assert_eq!(doc["responses"], 30);
    assert_eq!(std::fs::read(&bad).unwrap(), b"{ truncated");
}

#[test]
fn empty_data_folder_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json(stats(dir.path()).arg("--json"));
    assert_eq!(doc["responses"], 0);
    stats(dir.path())
        .args(["--municipality", "NOPE1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown municipality code"));
    stats(dir.path())
        .args(["--json", "--csv", "x"])
        .assert()
        .code(2);
}

#[test]
fn bundled_questionnaire_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    let out = cmd
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(dir.path())
        .args(["stats", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["questionnaire"], "civic-participation-bg");
    let ids: Vec<&str> = doc["indices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["participation", "local_trust", "efficacy"]);
}

#[test]
fn readable_summary_snapshot() {
    let dir = data_dir();
    let out = stats(dir.path())
        .arg("--by-municipality")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8_lossy(&out));
}
