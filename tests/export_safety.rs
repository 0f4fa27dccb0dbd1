//! The export's safety rules through the real binary: formula injection, never overwriting
//! without `--force`, no half files, the byte-order mark, and unreadable files reported.

mod export_support;

use std::path::{Path, PathBuf};

use anketa::store::Response;
use export_support::*;
use predicates::prelude::*;

fn data_with(dir: &Path, responses: &[Response]) -> PathBuf {
    let data = dir.join("data");
    save_all(&data, responses);
    data
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn formula_like_text_is_prefixed_everywhere_and_numbers_never() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let cases = formula_cases(&form);
    let data = data_with(dir.path(), &cases);
    let out = dir.path().join("wide.csv");
    export_cmd(&data, &out, &[]).assert().success();
    let (h, rows) = read_csv(&out);
    let by_id = |r: &Response| rows.iter().find(|row| row[0] == r.id.to_string()).unwrap();
    for (case, formula) in cases.iter().zip(FORMULAS) {
        let row = by_id(case);
        let guarded = format!("'{formula}");
        for name in ["comment", "interviewer", "colour__other_text"] {
            assert_eq!(row[column(&h, name)], guarded, "{name} of {formula:?}");
        }
        // Negative codes and numbers are numbers: never prefixed.
        assert_eq!(row[column(&h, "height")], "-9");
        assert_eq!(row[column(&h, "reasons__time")], "-9");
        assert_eq!(row[column(&h, "trust")], "0");
    }
    // Long format: the same rule.
    let long = dir.path().join("long.csv");
    export_cmd(&data, &long, &["--format", "long"])
        .assert()
        .success();
    let (_, rows) = read_csv(&long);
    for formula in FORMULAS {
        let guarded = format!("'{formula}");
        let hits = rows.iter().filter(|r| r[4] == guarded).count();
        assert_eq!(hits, 2, "comment and other text of {formula:?}");
        assert!(!rows.iter().any(|r| r[4] == formula));
    }
    assert!(rows.iter().any(|r| r[4] == "-9"), "codes stay bare");
}

#[test]
fn raw_text_writes_text_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let cases = formula_cases(&form);
    let data = data_with(dir.path(), &cases);
    let out = dir.path().join("raw.csv");
    export_cmd(&data, &out, &["--raw-text"]).assert().success();
    let (h, rows) = read_csv(&out);
    let comments: Vec<&str> = rows
        .iter()
        .map(|r| r[column(&h, "comment")].as_str())
        .collect();
    for formula in FORMULAS {
        assert!(comments.contains(&formula), "{formula:?} in {comments:?}");
    }
}

#[test]
fn existing_files_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 3));
    let out = dir.path().join("survey.csv");
    let codebook = dir.path().join("survey.codebook.csv");
    std::fs::write(&out, "precious").unwrap();
    export_cmd(&data, &out, &[]).assert().failure().stderr(
        predicate::str::contains("already exists").and(predicate::str::contains("--force")),
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    assert!(!codebook.exists(), "nothing written when refusing");
    // An existing codebook blocks the export as well, before the data is written.
    std::fs::remove_file(&out).unwrap();
    std::fs::write(&codebook, "precious too").unwrap();
    export_cmd(&data, &out, &[]).assert().failure();
    assert!(!out.exists());
    assert_eq!(std::fs::read_to_string(&codebook).unwrap(), "precious too");
    // --force replaces both.
    std::fs::write(&out, "precious").unwrap();
    export_cmd(&data, &out, &["--force"]).assert().success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("response_id,")
    );
    assert!(
        std::fs::read_to_string(&codebook)
            .unwrap()
            .starts_with("variable,")
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "temp files left: {names:?}"
    );
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 3));
    let out = dir.path().join("missing-folder").join("survey.csv");
    export_cmd(&data, &out, &[])
        .assert()
        .failure()
        .stderr(predicate::str::contains("survey.csv"));
    assert!(!out.exists());
}

#[test]
fn bom_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 3));
    let with = dir.path().join("bom.csv");
    export_cmd(&data, &with, &["--bom"]).assert().success();
    for path in [with.clone(), dir.path().join("bom.codebook.csv")] {
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{}", path.display());
        assert!(bytes[3..].starts_with(b"response_id,") || bytes[3..].starts_with(b"variable,"));
    }
    let long = dir.path().join("bom-long.csv");
    export_cmd(&data, &long, &["--bom", "--format", "long"])
        .assert()
        .success();
    assert!(
        std::fs::read(&long)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFresponse_id,municipality,")
    );
    let without = dir.path().join("plain.csv");
    export_cmd(&data, &without, &[]).assert().success();
    assert!(
        std::fs::read(&without)
            .unwrap()
            .starts_with(b"response_id,")
    );
    // The separator stays a comma and the rows are the same.
    let strip = |p: &Path| {
        let bytes = std::fs::read(p).unwrap();
        bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .to_vec()
    };
    assert_eq!(strip(&with), strip(&without));
}

#[test]
fn unreadable_files_are_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let good = dataset(&form, 2);
    let data = data_with(dir.path(), &good);
    let folder = data.join("responses").join("export-test");
    let broken = folder.join("00000000-0000-4000-8000-000000000001.json");
    std::fs::write(&broken, b"{\"id\": truncated").unwrap();
    let out = dir.path().join("survey.csv");
    export_cmd(&data, &out, &["--include-drafts"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("00000000-0000-4000-8000-000000000001.json")
                .and(predicate::str::contains("JSON")),
        );
    assert_eq!(std::fs::read(&broken).unwrap(), b"{\"id\": truncated");
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), good.len());
}

#[test]
fn bad_options_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 1));
    let out = dir.path().join("survey.csv");
    export_cmd(&data, &out, &["--values", "labels", "--lang", "de"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("`de`").and(predicate::str::contains("bg, en")));
    export_cmd(&data, &out, &["--codebook"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("same file"));
    export_cmd(&data, &out, &["--municipality", "NOPE1"])
        .assert()
        .failure();
    assert!(!out.exists());
}

#[test]
fn an_empty_selection_writes_the_header_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("empty-data");
    let out = dir.path().join("survey.csv");
    export_cmd(&data, &out, &[])
        .assert()
        .success()
        .stderr(predicate::str::contains("no interviews"));
    let (h, rows) = read_csv(&out);
    assert_eq!(h, expected_header(&form(), Style::default()));
    assert!(rows.is_empty());
}

#[cfg(unix)]
#[test]
fn export_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 2));
    let out = dir.path().join("survey.csv");
    export_cmd(&data, &out, &[]).assert().success();
    for path in [out, dir.path().join("survey.codebook.csv")] {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
}

#[test]
fn long_exports_drop_personal_data_too() {
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let data = data_with(dir.path(), &dataset(&form, 20));
    let out = dir.path().join("long.csv");
    export_cmd(&data, &out, &["--format", "long", "--drop-text"])
        .assert()
        .success();
    let (_, rows) = read_csv(&out);
    assert!(rows.iter().any(|r| r[2] == "reasons" && r[3] == "other"));
    assert!(
        !rows
            .iter()
            .any(|r| r[2] == "comment" || r[3] == "other_text")
    );
}
