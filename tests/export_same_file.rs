//! `export` refuses a codebook that would be the data file under another spelling, before
//! writing anything: `--out same.csv --codebook ./same.csv --force` used to leave the codebook
//! where the data should be and say it had written the interviews.

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn a_codebook_that_is_the_data_file_in_another_spelling_is_refused() {
    let data = tempfile::tempdir().unwrap();
    Command::cargo_bin("anketa")
        .unwrap()
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data.path())
        .args(["simulate", "-n", "5"])
        .assert()
        .success();
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("sub")).unwrap();
    let earlier = b"an earlier export, kept\n";
    std::fs::write(work.path().join("same.csv"), earlier).unwrap();
    for codebook in [
        "./same.csv",
        "sub/../same.csv",
        "SAME.csv",
        "./sub/../Same.CSV",
    ] {
        Command::cargo_bin("anketa")
            .unwrap()
            .current_dir(work.path())
            .env_remove("ANKETA_DATA_DIR")
            .arg("--data-dir")
            .arg(data.path())
            .args([
                "export",
                "--out",
                "same.csv",
                "--codebook",
                codebook,
                "--force",
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("would be the same file"));
        assert_eq!(
            std::fs::read(work.path().join("same.csv")).unwrap(),
            earlier,
            "{codebook}: nothing written"
        );
    }
    let names: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temp file left: {names:?}");
}
