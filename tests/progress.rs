//! `anketa progress` (text and JSON) and the pure progress API the interview and dashboards use.

use std::collections::BTreeMap;
use std::path::Path;

use anketa::outcome::Outcome;
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

/// A closed case without an interview: no answers, only its outcome.
fn closed(municipality: &str, interviewer: &str, outcome: Outcome) -> Response {
    let mut r = interview(municipality, "female", 40.0, Status::Complete);
    r.interviewer = interviewer.into();
    r.answers.clear();
    r.outcome = Some(outcome);
    r
}

/// Sixteen eligible cases, two not eligible and an open draft, in three municipalities:
///
/// | | I | P | R | NC | O | U | NE | open |
/// |---|---|---|---|---|---|---|---|---|
/// | SOF46 (ana) | 4 | 1 | 3 (2 refusals, 1 break-off) | 1 | 0 | 1 | 0 | 1 |
/// | PDV22 (boris) | 1 | 0 | 0 | 2 | 1 | 0 | 2 | 0 |
/// | VAR06 (boris) | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 |
fn dispositions() -> Vec<Response> {
    use Outcome::*;
    let mut cases = Vec::new();
    for _ in 0..4 {
        cases.push(interview("SOF46", "female", 30.0, Status::Complete));
    }
    let mut partial = interview("SOF46", "male", 45.0, Status::Complete);
    partial.outcome = Some(Partial);
    cases.push(partial);
    for outcome in [Refusal, Refusal, BreakOff, NonContact, UnknownEligibility] {
        cases.push(closed("SOF46", "ana", outcome));
    }
    cases.push(interview("SOF46", "male", 50.0, Status::Draft));
    let mut plovdiv = interview("PDV22", "male", 60.0, Status::Complete);
    plovdiv.interviewer = "boris".into();
    cases.push(plovdiv);
    for outcome in [
        NonContact,
        NonContact,
        Unable,
        NotEligibleUnderAge,
        NotEligibleNotResident,
    ] {
        cases.push(closed("PDV22", "boris", outcome));
    }
    for _ in 0..3 {
        cases.push(closed("VAR06", "boris", Refusal));
    }
    cases
}

#[track_caller]
fn rate(row: &serde_json::Value, name: &str, expected: f64) {
    let actual = row[name]
        .as_f64()
        .unwrap_or_else(|| panic!("{name} in {row}"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{name}: {actual} is not {expected} in {row}"
    );
}

fn row<'a>(rows: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows}"))
}

#[test]
fn response_rates_match_hand_computed_values() {
    let data = tempfile::tempdir().unwrap();
    save_all(data.path(), &dispositions());
    let out = anketa(data.path())
        .args(["progress", "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rates = &json["rates"];
    // Total: I = 5, P = 1, R = 6, NC = 3, O = 1, U = 1, NE = 2, one open draft.
    let total = &rates["total"];
    for (count, n) in [
        ("complete", 5),
        ("partial", 1),
        ("refusal", 6),
        ("non_contact", 3),
        ("other", 1),
        ("unknown", 1),
        ("not_eligible", 2),
        ("open", 1),
    ] {
        assert_eq!(total[count], n, "{count}");
    }
    // e = (I+P+R+NC+O) / (I+P+R+NC+O + NE) = 16 / 18.
    let e = 16.0 / 18.0;
    assert!((rates["e"].as_f64().unwrap() - e).abs() < 1e-9);
    // RR1 = I / ((I+P) + (R+NC+O) + U) = 5 / (6 + 10 + 1) = 5 / 17 = 0.2941.
    rate(total, "rr1", 5.0 / 17.0);
    // RR2 = (I+P) / 17 = 6 / 17.
    rate(total, "rr2", 6.0 / 17.0);
    // RR3 = I / ((I+P) + (R+NC+O) + e·U) = 5 / (16 + 0.8889) = 0.2961.
    rate(total, "rr3", 5.0 / (16.0 + e));
    // COOP1 = I / ((I+P) + R + O) = 5 / (6 + 6 + 1) = 5 / 13.
    rate(total, "coop1", 5.0 / 13.0);
    // REF1 = R / 17 = 6 / 17.
    rate(total, "ref1", 6.0 / 17.0);
    // CON1 = ((I+P) + R + O) / ((I+P) + R + O + NC + U) = 13 / (13 + 3 + 1) = 13 / 17.
    rate(total, "con1", 13.0 / 17.0);

    // SOF46: I = 4, P = 1, R = 3, NC = 1, U = 1 (and the draft, in no rate).
    let sofia = row(&rates["municipalities"], "SOF46");
    rate(sofia, "rr1", 4.0 / 10.0);
    rate(sofia, "rr3", 4.0 / (9.0 + e));
    rate(sofia, "coop1", 4.0 / 8.0);
    rate(sofia, "ref1", 3.0 / 10.0);
    rate(sofia, "con1", 8.0 / 10.0);
    // PDV22: I = 1, NC = 2, O = 1, NE = 2: no unknowns, so RR3 = RR1 = 1 / 4.
    let plovdiv = row(&rates["municipalities"], "PDV22");
    rate(plovdiv, "rr1", 0.25);
    rate(plovdiv, "rr3", 0.25);
    rate(plovdiv, "coop1", 1.0 / 2.0);
    rate(plovdiv, "ref1", 0.0);
    rate(plovdiv, "con1", 2.0 / 4.0);
    // VAR06, only refusals: no response, no cooperation, all refused, all contacted.
    let varna = row(&rates["municipalities"], "VAR06");
    rate(varna, "rr1", 0.0);
    rate(varna, "rr3", 0.0);
    rate(varna, "coop1", 0.0);
    rate(varna, "ref1", 1.0);
    rate(varna, "con1", 1.0);
    // boris = PDV22 + VAR06: I = 1, R = 3, NC = 2, O = 1, NE = 2.
    let boris = row(&rates["interviewers"], "boris");
    rate(boris, "rr1", 1.0 / 7.0);
    rate(boris, "coop1", 1.0 / 5.0);
    rate(boris, "ref1", 3.0 / 7.0);
    rate(boris, "con1", 5.0 / 7.0);
    assert_eq!(row(&rates["interviewers"], "ana")["rr1"], sofia["rr1"]);

    // The targets count the six interviews (partial included) and nothing else.
    let p = &json["progress"];
    assert_eq!(p["total_achieved"], 6);
    assert_eq!(p["non_interviews"], 13);
    assert_eq!(p["total_drafts"], 1);
}

#[test]
fn every_command_counts_the_same_interviews() {
    let data = tempfile::tempdir().unwrap();
    save_all(data.path(), &dispositions());
    let json = |args: &[&str]| -> serde_json::Value {
        let out = anketa(data.path()).args(args).assert().success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    // Five complete interviews and one partial: the thirteen closed cases without an
    // interview and the draft are in no analysis.
    assert_eq!(json(&["stats", "--json"])["responses"], 6);
    assert_eq!(json(&["check", "--json"])["checked"], 6);
    assert_eq!(
        json(&["stats", "--json", "--cases", "complete"])["responses"],
        5
    );
    assert_eq!(
        json(&["stats", "--json", "--cases", "all"])["responses"],
        19
    );
    let out = data.path().join("out.csv");
    anketa(data.path())
        .args(["export", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 6 interview(s)"));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let outcome = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "outcome")
        .unwrap();
    let mut codes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[outcome].to_owned())
        .collect();
    codes.sort();
    assert_eq!(codes, ["1.1", "1.1", "1.1", "1.1", "1.1", "1.2"]);
    // The codebook lists every outcome code with its label.
    let codebook = std::fs::read_to_string(data.path().join("out.codebook.csv")).unwrap();
    let line = codebook
        .lines()
        .find(|l| l.starts_with("outcome,"))
        .unwrap();
    for code in ["1.1=", "1.2=", "2.11=", "2.20=", "3.20=", "4.70="] {
        assert!(line.contains(code), "{code} in {line}");
    }
    assert!(
        line.contains("2.11=Отказ") && line.contains("2.11=Refusal"),
        "{line}"
    );

    // With every case, the export has a row for each closed case, each with its code.
    let all = data.path().join("all.csv");
    anketa(data.path())
        .args(["export", "--cases", "all", "--out"])
        .arg(&all)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 19 interview(s)"));
}

#[test]
fn without_targets_only_the_response_rates_are_shown() {
    let data = tempfile::tempdir().unwrap();
    let questionnaire = Path::new("tests/fixtures/simulate-features.json");
    let out = anketa(data.path())
        .args(["progress", "--json", "-q"])
        .arg(questionnaire)
        .assert()
        .success()
        .stderr(predicate::str::contains("no targets for"));
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["targets"], serde_json::Value::Null);
    assert_eq!(json["progress"], serde_json::Value::Null);
    // No case at all: every rate and e are undefined, not 0 or 100 %.
    assert_eq!(json["rates"]["total"]["rr1"], serde_json::Value::Null);
    assert_eq!(json["rates"]["e"], serde_json::Value::Null);
    anketa(data.path())
        .args(["progress", "-q"])
        .arg(questionnaire)
        .assert()
        .success()
        .stdout(predicate::str::contains("Response rates (%"))
        .stdout(predicate::str::contains("RR1"));
}
