//! `anketa progress` (text and JSON) and the pure progress API the interview and dashboards use.

use std::collections::BTreeMap;
use std::path::Path;

use anketa::questionnaire::{Answer, Special, catalog::default_form};
use anketa::store::{Response, Status, Store};
use anketa::targets::{self, Targets};
use assert_cmd::Command;
use jiff::Timestamp;
use predicates::prelude::*;

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

fn interview(municipality: &str, gender: &str, age: f64, status: Status) -> Response {
    let form = default_form().unwrap();
    let mut r = Response::new(&form, "ana", municipality, "bg");
    r.started_at = Timestamp::from_second(1_772_434_800).unwrap();
    r.updated_at = r.started_at;
    r.status = status;
    if status == Status::Complete {
        r.completed_at = Some(r.started_at);
    }
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    r.answers.insert("age".into(), Answer::Number(age));
    r.answers
        .insert("gender".into(), Answer::Text(gender.into()));
    r
}

/// Six counted interviews, one refusal, one under-age respondent, one draft and one interview
/// whose gender was refused.
fn fieldwork() -> Vec<Response> {
    let mut refusal = interview("SOF46", "female", 30.0, Status::Complete);
    refusal.answers.clear();
    refusal
        .answers
        .insert("consent".into(), Answer::Text("no".into()));
    let mut no_gender = interview("VAR06", "male", 50.0, Status::Complete);
    no_gender
        .answers
        .insert("gender".into(), Answer::Special(Special::Refused));
    vec![
        interview("SOF46", "female", 25.0, Status::Complete),
        interview("SOF46", "female", 29.0, Status::Complete),
        interview("SOF46", "male", 44.0, Status::Complete),
        interview("PDV22", "female", 71.0, Status::Complete),
        interview("PDV22", "male", 60.0, Status::Draft),
        interview("GAB12", "male", 18.0, Status::Complete),
        interview("SOF46", "female", 17.0, Status::Complete),
        refusal,
        no_gender,
    ]
}

fn save_all(dir: &Path, responses: &[Response]) {
    let store = Store::open(dir).unwrap();
    for r in responses {
        store.save(r).unwrap();
    }
}

const SMALL_TARGETS: &str = r#"{
  "questionnaire": "civic-participation-bg",
  "eligible": [{"question": "consent", "codes": ["yes"]}, {"question": "age", "min": 18}],
  "municipalities": {"SOF46": 3, "PDV22": 4, "VAR06": 2},
  "quota": {
    "dimensions": [
      {"id": "gender", "question": "gender", "bands": [
        {"id": "female", "codes": ["female"]}, {"id": "male", "codes": ["male"]}]},
      {"id": "age_band", "question": "age", "bands": [
        {"id": "18-29", "min": 18, "max": 29}, {"id": "30+", "min": 30}]}
    ],
    "cells": [
      {"bands": {"gender": "female", "age_band": "18-29"}, "target": 2},
      {"bands": {"gender": "female", "age_band": "30+"}, "target": 2},
      {"bands": {"gender": "male", "age_band": "18-29"}, "target": 2},
      {"bands": {"gender": "male", "age_band": "30+"}, "target": 2}
    ]
  }
}"#;

fn with_local_targets() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    save_all(data.path(), &fieldwork());
    let dir = data.path().join("questionnaires");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("civic-participation-bg.targets.json"),
        SMALL_TARGETS,
    )
    .unwrap();
    data
}

#[test]
fn progress_text() {
    let data = with_local_targets();
    let out = anketa(data.path()).arg("progress").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout)
        .replace(&data.path().display().to_string(), "DATA");
    insta::assert_snapshot!(text);
}

#[test]
fn progress_json() {
    let data = with_local_targets();
    let out = anketa(data.path())
        .args(["progress", "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let p = &json["progress"];
    assert!(
        json["targets"]
            .as_str()
            .unwrap()
            .ends_with("civic-participation-bg.targets.json")
    );
    assert_eq!(p["total_target"], 9);
    assert_eq!(p["total_achieved"], 6);
    assert_eq!(p["total_drafts"], 1);
    assert_eq!(p["ineligible"], 2);
    assert_eq!(p["not_in_cell"], 1);
    let rows: BTreeMap<String, (serde_json::Value, u64)> = p["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let code = m["code"].as_str().unwrap().to_owned();
            (code, (m["target"].clone(), m["achieved"].as_u64().unwrap()))
        })
        .collect();
    assert_eq!(rows["SOF46"], (serde_json::json!(3), 3));
    assert_eq!(rows["PDV22"], (serde_json::json!(4), 1));
    assert_eq!(rows["VAR06"], (serde_json::json!(2), 1));
    assert_eq!(
        rows["GAB12"],
        (serde_json::Value::Null, 1),
        "no target, still shown"
    );
    let cells: Vec<(String, u64, bool)> = p["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["label"].as_str().unwrap().to_owned(),
                c["achieved"].as_u64().unwrap(),
                c["full"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        vec![
            ("female × 18-29".into(), 2, true),
            ("female × 30+".into(), 1, false),
            ("male × 18-29".into(), 1, false),
            ("male × 30+".into(), 1, false),
        ]
    );
}

#[test]
fn bundled_targets_cover_the_demo_municipalities() {
    let data = tempfile::tempdir().unwrap();
    let out = anketa(data.path())
        .args(["progress", "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        json["targets"],
        "bundled targets for civic-participation-bg"
    );
    let p = &json["progress"];
    assert_eq!(p["municipalities"].as_array().unwrap().len(), 12);
    assert_eq!(p["total_target"], 3000);
    assert_eq!(p["cells"].as_array().unwrap().len(), 8);
}

#[test]
fn an_invalid_targets_file_names_the_file_and_every_problem() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("bad.json");
    let bad = SMALL_TARGETS
        .replace("\"PDV22\"", "\"XXX01\"")
        .replace("\"codes\": [\"male\"]", "\"codes\": [\"man\"]")
        .replace(
            "{\"id\": \"30+\", \"min\": 30}",
            "{\"id\": \"30+\", \"min\": 29}",
        );
    std::fs::write(&path, bad).unwrap();
    anketa(data.path())
        .args(["progress", "--targets"])
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.json"))
        .stderr(predicate::str::contains("unknown code `XXX01`"))
        .stderr(predicate::str::contains("`gender` has no choice `man`"))
        .stderr(predicate::str::contains("bands `18-29` and `30+` overlap"));
}

#[test]
fn the_interview_can_ask_whether_a_respondent_falls_in_a_full_cell() {
    let form = default_form().unwrap();
    let targets = Targets::parse(SMALL_TARGETS, "test", &form).unwrap();
    let progress = targets.progress(&form, &fieldwork());
    let full = targets::full_cells(&progress);
    assert_eq!(full.len(), 1);
    assert_eq!(full[0].label, "female × 18-29");
    let young_woman = interview("VAR06", "female", 22.0, Status::Draft);
    let cell = targets::cell_of(&targets, &form, &progress, &young_woman.answers).unwrap();
    assert!(cell.full);
    let older_man = interview("VAR06", "male", 52.0, Status::Draft);
    let cell = targets::cell_of(&targets, &form, &progress, &older_man.answers).unwrap();
    assert!(!cell.full);
    assert_eq!(cell.remaining, 1);
    // Before the quota questions are answered there is no cell yet.
    let mut fresh = older_man.answers.clone();
    fresh.remove("gender");
    assert!(targets::cell_of(&targets, &form, &progress, &fresh).is_none());
}

#[test]
fn municipalities_furthest_behind_come_first() {
    let form = default_form().unwrap();
    let targets = Targets::parse(SMALL_TARGETS, "test", &form).unwrap();
    let progress = targets.progress(&form, &fieldwork());
    let order: Vec<&str> = progress
        .by_shortfall()
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(order, ["PDV22", "VAR06", "SOF46"], "GAB12 has no target");
}
