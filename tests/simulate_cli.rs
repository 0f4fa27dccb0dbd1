//! `anketa simulate` and `anketa demo` on the command line: identical files for a seed, real
//! data protected, errors named, and output the statistics can tell apart by municipality.

use std::collections::BTreeMap;
use std::path::Path;

use anketa::questionnaire::{catalog, load_path};
use anketa::store::Store;
use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;

fn anketa() -> Command {
    Command::cargo_bin("anketa").unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn simulate_writes_identical_files_for_a_seed_and_protects_real_data() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        anketa()
            .args([
                "simulate",
                "--responses",
                "400",
                "--seed",
                "9",
                "--municipalities",
                "4",
            ])
            .arg("--data-dir")
            .arg(dir.path())
            .assert()
            .success()
            .stdout(predicates::str::contains("wrote 400 cases: "));
    }
    let sub = "responses/civic-participation-bg";
    let written = files(&a.path().join(sub));
    assert_eq!(written.len(), 400);
    assert_eq!(written, files(&b.path().join(sub)));

    // A folder with responses is not mixed with synthetic ones unless asked.
    anketa()
        .args(["simulate", "--responses", "10"])
        .arg("--data-dir")
        .arg(a.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("--append"));
    assert_eq!(files(&a.path().join(sub)), written);
    anketa()
        .args(["simulate", "--responses", "10", "--append", "--seed", "10"])
        .arg("--data-dir")
        .arg(a.path())
        .assert()
        .success();
    assert_eq!(files(&a.path().join(sub)).len(), 410);
}

#[test]
fn simulate_reports_bad_municipalities() {
    let dir = tempfile::tempdir().unwrap();
    anketa()
        .args(["simulate", "--responses", "10", "--municipality", "XYZ99"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("XYZ99"));
    anketa()
        .args(["simulate", "--responses", "10", "--municipalities", "999"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("between 1 and 265"));
}

#[test]
fn simulate_follows_a_questionnaire_file() {
    let dir = tempfile::tempdir().unwrap();
    anketa()
        .args(["simulate", "--responses", "50", "--municipality", "SOF46"])
        .args(["--questionnaire", "tests/fixtures/simulate-features.json"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .success();
    let store = Store::open(dir.path()).unwrap();
    let form = load_path(Path::new("tests/fixtures/simulate-features.json")).unwrap();
    let report = store.load(&form).unwrap();
    assert!(report.problems.is_empty());
    assert_eq!(report.responses.len(), 50);
}

#[test]
fn demo_writes_twelve_municipalities_into_a_kept_folder_only() {
    let home = tempfile::tempdir().unwrap();
    let keep = home.path().join("sample");
    anketa()
        .args(["demo", "--no-ui", "--keep"])
        .arg(&keep)
        .env("ANKETA_DATA_DIR", home.path().join("real"))
        .assert()
        .success()
        .stdout(predicates::str::contains("Столична").and(predicates::str::contains("Сливница")));
    assert!(
        !home.path().join("real").exists(),
        "the real data folder was touched"
    );
    let store = Store::open(&keep).unwrap();
    let report = store.load(&catalog::default_form().unwrap()).unwrap();
    assert!(report.problems.is_empty());
    assert_eq!(report.responses.len(), 3_000);
    let municipalities: std::collections::BTreeSet<&str> = report
        .responses
        .iter()
        .map(|r| r.municipality.as_str())
        .collect();
    assert_eq!(municipalities.len(), 12);

    // Never into a folder that holds something already.
    anketa()
        .args(["demo", "--no-ui", "--keep"])
        .arg(&keep)
        .assert()
        .failure()
        .stderr(predicates::str::contains("not empty"));
}

#[test]
fn the_statistics_find_the_differences_between_municipalities() {
    let dir = tempfile::tempdir().unwrap();
    anketa()
        .args(["simulate", "--responses", "2000", "--seed", "3"])
        .args(["--municipality", "SOF46", "--municipality", "PVN24"])
        .args(["--municipality", "SLV20", "--municipality", "GAB05"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .success();
    let output = anketa()
        .args(["stats", "--json", "--by-municipality"])
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let p_values: Vec<f64> = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["chi_square"]["p_value"].as_f64())
        .collect();
    assert!(p_values.len() >= 20, "{} tests", p_values.len());
    let significant = p_values.iter().filter(|p| **p < 0.01).count();
    assert!(
        significant * 2 > p_values.len(),
        "only {significant} of {} questions differ by municipality",
        p_values.len()
    );
}

#[test]
fn nonresponse_shares_are_checked_and_zero_writes_interviews_only() {
    let dir = tempfile::tempdir().unwrap();
    anketa()
        .args(["simulate", "--responses", "10", "--non-interviews", "1.5"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "`1.5` is not a share between 0 and 1",
        ));
    anketa()
        .args(["simulate", "--responses", "200", "--municipalities", "2"])
        .args(["--non-interviews", "0", "--partials", "0"])
        .arg("--data-dir")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("(0 partial)"))
        .stdout(predicates::str::contains(", 0 closed without an interview"));
}
