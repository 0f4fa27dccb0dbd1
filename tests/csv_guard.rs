//! Every CSV anketa writes is safe to open in a spreadsheet: no cell that came from a file starts
//! like a formula (`=`, `+`, `-`, `@`, tab, carriage return), whichever command wrote it.

use std::path::Path;

use anketa::questionnaire::{Answer, Form, load_path};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use jiff::SignedDuration;

const QUESTIONNAIRE: &str = "tests/fixtures/stats/mini.json";

/// Text a hostile laptop could put in an interviewer's name or a free-text answer.
const HOSTILE: [&str; 6] = [
    "=HYPERLINK(\"http://evil\",\"x\")",
    "@SUM(A1)",
    "+1+1",
    "\t=1+1",
    "\r=2+2",
    "-1+3",
];

/// A data folder of the mini questionnaire whose interviewers and comments are all hostile,
/// each interview done in two seconds so that `check` flags every one of them.
fn hostile_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let form: Form = load_path(Path::new(QUESTIONNAIRE)).unwrap();
    let store = Store::open(dir.path()).unwrap();
    for (i, text) in HOSTILE.iter().cycle().take(12).enumerate() {
        let mut r = Response::new(&form, text, "SOF46", "en");
        r.answers
            .insert("took_part".into(), Answer::Text("no".into()));
        r.answers
            .insert("age".into(), Answer::Number(30.0 + i as f64));
        r.answers
            .insert("comment".into(), Answer::Text((*text).to_owned()));
        r.status = Status::Complete;
        r.completed_at = Some(r.started_at + SignedDuration::from_secs(2));
        r.updated_at = r.completed_at.unwrap();
        store.save(&r).unwrap();
    }
    dir
}

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// Whether a spreadsheet would run `cell` as a formula: it starts with one of OWASP's
/// characters and is not simply a negative number.
fn runs_as_formula(cell: &str) -> bool {
    let starts = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    starts && cell.parse::<f64>().map_or(true, |n| !n.is_finite())
}

/// Every cell of the CSV file `path`, checked; returns how many cells held guarded text.
fn assert_no_formula(path: &Path) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    let mut guarded = 0;
    for (line, record) in reader.records().enumerate() {
        for cell in &record.unwrap() {
            assert!(
                !runs_as_formula(cell),
                "{}, record {}: {cell:?}",
                path.display(),
                line + 1
            );
            guarded += usize::from(cell.starts_with('\''));
        }
    }
    guarded
}

#[test]
fn check_csv_guards_interviewer_names() {
    let data = hostile_data();
    let csv = data.path().join("flags.csv");
    anketa(data.path())
        .args(["check", "--questionnaire", QUESTIONNAIRE, "--csv"])
        .arg(&csv)
        .assert()
        .success();
    let guarded = assert_no_formula(&csv);
    assert!(
        guarded >= 12,
        "every flagged interview's interviewer: {guarded}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'@SUM(A1)"), "{text}");
}

#[test]
fn stats_csv_guards_texts_after_trimming_them() {
    let data = hostile_data();
    let out = tempfile::tempdir().unwrap();
    anketa(data.path())
        .args(["stats", "--questionnaire", QUESTIONNAIRE, "--csv"])
        .arg(out.path())
        .assert()
        .success();
    let mut files = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        assert_no_formula(&entry.unwrap().path());
        files += 1;
    }
    assert!(files >= 6, "{files} tables");
    let texts = std::fs::read_to_string(out.path().join("texts.csv")).unwrap();
    // "\t=1+1" is trimmed to "=1+1", which must then be guarded.
    assert!(texts.contains("'=1+1"), "{texts}");
    assert!(texts.contains("'-1+3"), "{texts}");
}

#[test]
fn export_guards_data_and_codebook() {
    let data = hostile_data();
    let out = tempfile::tempdir().unwrap();
    for format in ["wide", "long"] {
        let path = out.path().join(format!("{format}.csv"));
        anketa(data.path())
            .args([
                "export",
                "--questionnaire",
                QUESTIONNAIRE,
                "--format",
                format,
            ])
            .arg("--out")
            .arg(&path)
            .assert()
            .success();
        assert!(assert_no_formula(&path) >= 12, "{format}");
        assert_no_formula(&out.path().join(format!("{format}.codebook.csv")));
    }
}
