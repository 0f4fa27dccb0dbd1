use super::*;
use crate::questionnaire::catalog::default_form;

const TARGETS: &str = r#"{
  "questionnaire": "civic-participation-bg",
  "eligible": [{"question": "consent", "codes": ["yes"]}, {"question": "age", "min": 18}],
  "municipalities": {"PDV22": 2, "VAR06": 5},
  "quota": {
    "dimensions": [
      {"id": "gender", "question": "gender", "bands": [
        {"id": "female", "codes": ["female"]}, {"id": "male", "codes": ["male"]}]},
      {"id": "age_band", "question": "age", "bands": [
        {"id": "18-29", "min": 18, "max": 29}, {"id": "30-44", "min": 30, "max": 44}]}
    ],
    "cells": [
      {"bands": {"gender": "female", "age_band": "30-44"}, "target": 1},
      {"bands": {"gender": "male", "age_band": "30-44"}, "target": 3}
    ]
  }
}"#;

fn answers(gender: Option<&str>, age: Option<f64>) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    out.insert("consent".to_owned(), Answer::Text("yes".into()));
    if let Some(age) = age {
        out.insert("age".to_owned(), Answer::Number(age));
    }
    if let Some(g) = gender {
        out.insert("gender".to_owned(), Answer::Text(g.into()));
    }
    out
}

fn complete(form: &Form, municipality: &str, gender: &str, age: f64) -> Response {
    let mut r = Response::new(form, "Мария", municipality, "bg");
    r.answers = answers(Some(gender), Some(age));
    r.status = Status::Complete;
    r
}

fn tracker(responses: &[Response]) -> (Form, QuotaTracker) {
    let form = default_form().unwrap();
    let targets = Targets::parse(TARGETS, "t.json", &form).unwrap();
    let tracker = QuotaTracker::new(targets, &form, responses);
    (form, tracker)
}

#[test]
fn a_full_cell_warns_only_once_its_questions_are_answered() {
    let form = default_form().unwrap();
    let done = [complete(&form, "VAR06", "female", 35.0)];
    let (form, t) = tracker(&done);
    // Municipality not reached, quota questions not yet answered: nothing.
    assert_eq!(t.warnings(&form, "PDV22", &answers(None, None)), vec![]);
    assert_eq!(
        t.warnings(&form, "PDV22", &answers(Some("female"), None)),
        vec![]
    );
    let full = t.warnings(&form, "PDV22", &answers(Some("female"), Some(40.0)));
    let QuotaWarning::CellFull {
        bands,
        achieved,
        target,
    } = &full[..]
        .first()
        .cloned()
        .expect("a warning for the full cell")
    else {
        panic!("{full:?}");
    };
    assert_eq!((*achieved, *target), (1, 1));
    assert_eq!(t.targets().describe_cell(&form, bands, "bg"), "Жена, 30-44");
    assert_eq!(
        t.targets().describe_cell(&form, bands, "en"),
        "Female, 30-44"
    );
    // Another cell, or outside every band: nothing.
    assert_eq!(
        t.warnings(&form, "PDV22", &answers(Some("male"), Some(40.0))),
        vec![]
    );
    assert_eq!(
        t.warnings(&form, "PDV22", &answers(Some("female"), Some(70.0))),
        vec![]
    );
}

#[test]
fn a_municipality_at_its_target_warns_from_the_start() {
    let form = default_form().unwrap();
    let done = [
        complete(&form, "PDV22", "male", 20.0),
        complete(&form, "PDV22", "male", 21.0),
    ];
    let (form, t) = tracker(&done);
    let expected = QuotaWarning::MunicipalityReached {
        code: "PDV22".into(),
        achieved: 2,
        target: 2,
    };
    assert_eq!(t.warnings(&form, "PDV22", &BTreeMap::new()), vec![expected]);
    assert_eq!(t.warnings(&form, "VAR06", &BTreeMap::new()), vec![]);
    // A municipality without a target never warns.
    assert_eq!(t.warnings(&form, "SOF46", &BTreeMap::new()), vec![]);
    // A respondent who turns out ineligible does not count, so gets no warning.
    let mut refused = BTreeMap::new();
    refused.insert("consent".to_owned(), Answer::Text("no".into()));
    assert_eq!(t.warnings(&form, "PDV22", &refused), vec![]);
}

#[test]
fn completed_interviews_update_the_counts_once() {
    let (form, mut t) = tracker(&[]);
    let one = complete(&form, "PDV22", "male", 35.0);
    let mut draft = complete(&form, "PDV22", "male", 36.0);
    draft.status = Status::Draft;
    assert!(!t.is_counted(one.id));
    t.record_completed(&form, &one);
    t.record_completed(&form, &one);
    assert!(t.is_counted(one.id));
    t.record_completed(&form, &draft);
    let pdv = t
        .progress()
        .municipalities
        .iter()
        .find(|m| m.code == "PDV22");
    assert_eq!(pdv.map(|m| m.achieved), Some(1));
    assert_eq!(pdv.and_then(|m| m.percent), Some(50.0));
    assert_eq!(t.progress().total_achieved, 1);
    let male = &t.progress().cells[1];
    assert_eq!((male.achieved, male.remaining, male.full), (1, 2, false));
    // A new municipality without a target gets its row.
    t.record_completed(&form, &complete(&form, "SOF46", "female", 35.0));
    let sof = t
        .progress()
        .municipalities
        .iter()
        .find(|m| m.code == "SOF46");
    assert_eq!(sof.map(|m| (m.achieved, m.target)), Some((1, None)));
    assert!(t.progress().cells[0].full);
    t.record_completed(&form, &complete(&form, "PDV22", "male", 37.0));
    let w = t.warnings(&form, "PDV22", &BTreeMap::new());
    assert!(
        matches!(
            w[..],
            [QuotaWarning::MunicipalityReached { achieved: 2, .. }]
        ),
        "{w:?}"
    );
}

#[test]
fn progress_over_table_rows_equals_progress_over_responses() {
    let form = default_form().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let (targets, _) = crate::targets::find(&form, None, None, empty.path())
        .unwrap()
        .expect("bundled targets");
    let options = crate::simulate::Options {
        responses: 3_000,
        ..crate::simulate::Options::default()
    };
    let simulation = crate::simulate::Simulation::new(&form, &options).unwrap();
    let responses: Vec<Response> = (0..3_000).map(|i| simulation.response(i)).collect();
    let table = crate::store::ResponseTable::from_slice(&form, &responses).unwrap();
    let from_rows = targets.progress_of_rows(&form, table.rows());
    assert_eq!(from_rows, targets.progress(&form, &responses));
    assert!(from_rows.total_achieved > 0 && from_rows.ineligible > 0);
    assert!(from_rows.cells.iter().any(|c| c.achieved > 0));
}
