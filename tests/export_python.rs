//! An independent reader: Python's `csv` module must parse the exports to the same rows as the
//! `csv` crate (and as the oracle of `tests/export.rs`). Skipped, with a notice, where no
//! `python3` is installed.

mod export_support;

use std::path::Path;
use std::process::Command;

use export_support::*;

/// Reads `path` with Python's csv module (UTF-8, BOM removed, newlines kept inside cells)
/// and returns every row, header included, as JSON.
const READER: &str = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
json.dump(rows, sys.stdout, ensure_ascii=False)
"#;

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import csv, json"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some("python3")
    } else {
        eprintln!("notice: python3 not found; the independent-reader test is skipped");
        None
    }
}

fn read_with_python(python: &str, path: &Path) -> Vec<Vec<String>> {
    let out = Command::new(python)
        .args(["-c", READER])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn read_with_crate(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn python_reads_the_same_rows() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let form = form();
    let responses = dataset(&form, 50);
    let data = dir.path().join("data");
    save_all(&data, &responses);
    let runs: [(&str, &[&str]); 4] = [
        ("wide.csv", &[]),
        ("wide-bom.csv", &["--bom", "--values", "labels"]),
        ("long.csv", &["--format", "long"]),
        ("raw.csv", &["--raw-text", "--missing", "empty"]),
    ];
    for (name, extra) in runs {
        let out = dir.path().join(name);
        export_cmd(&data, &out, extra).assert().success();
        for path in [
            out.clone(),
            dir.path().join(name.replace(".csv", ".codebook.csv")),
        ] {
            let by_python = read_with_python(python, &path);
            let by_crate = read_with_crate(&path);
            assert!(by_python.len() > 1, "{}", path.display());
            assert_eq!(by_python, by_crate, "{}", path.display());
        }
    }
    // And both agree with the responses themselves (cell by cell, via the oracle).
    let wide = read_with_python(python, &dir.path().join("wide.csv"));
    assert_eq!(wide[0], expected_header(&form, Style::default()));
    let mut complete: Vec<_> = responses
        .iter()
        .filter(|r| r.status == anketa::store::Status::Complete)
        .collect();
    complete.sort_by_key(|r| r.id);
    for (row, response) in wide[1..].iter().zip(&complete) {
        assert_eq!(row, &expected_row(&form, response, Style::default()));
    }
    assert_eq!(wide.len() - 1, complete.len());
}
