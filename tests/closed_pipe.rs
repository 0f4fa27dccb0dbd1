//! Every command that prints stops printing quietly when its reader goes away
//! (`anketa merge --json | head -c 400`): no panic, no error message, and the work is still done.
//!
//! Each command runs with a standard output whose read end is closed before it starts, so its
//! first write fails with `EPIPE` whatever the timing.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn data_with_responses() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data.path())
        .args(["simulate", "-n", "40"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    data
}

/// Runs anketa with `args` on `data`, its standard output a pipe nobody reads.
fn run_closed(data: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_anketa"))
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn assert_quiet(data: &Path, args: &[&str], expected_code: i32) {
    let out = run_closed(data, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    assert_eq!(out.status.code(), Some(expected_code), "{args:?}: {stderr}");
}

#[test]
fn reading_commands_stop_quietly() {
    let data = data_with_responses();
    let tables = tempfile::tempdir().unwrap();
    let tables = tables.path().to_str().unwrap();
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["stats", "--csv", tables],
        &["check"],
        &["check", "--json"],
        &["progress"],
        &["progress", "--json"],
        &["paths"],
        &["validate", "questionnaires/civic-participation-bg.json"],
    ] {
        assert_quiet(data.path(), args, 0);
    }
}

#[test]
fn writing_commands_stop_printing_but_finish_their_work() {
    let data = data_with_responses();
    let out = tempfile::tempdir().unwrap();
    let export = out.path().join("export.csv");
    assert_quiet(
        data.path(),
        &["export", "--out", export.to_str().unwrap()],
        0,
    );
    assert!(export.is_file() && out.path().join("export.codebook.csv").is_file());

    let archive = out.path().join("laptop.tar");
    assert_quiet(
        data.path(),
        &["pack", "--out", archive.to_str().unwrap()],
        0,
    );
    assert!(archive.is_file());

    let dest = tempfile::tempdir().unwrap();
    let archive = archive.to_str().unwrap();
    assert_quiet(dest.path(), &["merge", "--json", "--dry-run", archive], 0);
    assert_quiet(dest.path(), &["merge", "--json", archive], 0);
    let merged = std::fs::read_dir(dest.path().join("responses/civic-participation-bg"))
        .unwrap()
        .count();
    assert_eq!(
        merged, 40,
        "the merge was done although nobody read its report"
    );
    assert_quiet(dest.path(), &["merge", archive], 0);

    let fresh = tempfile::tempdir().unwrap();
    assert_quiet(fresh.path(), &["simulate", "-n", "5"], 0);
    let keep = out.path().join("demo");
    assert_quiet(
        fresh.path(),
        &[
            "demo",
            "--no-ui",
            "--responses",
            "30",
            "--keep",
            keep.to_str().unwrap(),
        ],
        0,
    );
}

#[test]
fn a_failing_command_keeps_its_status_with_stdout_closed() {
    let data = tempfile::tempdir().unwrap();
    let broken = data.path().join("broken.json");
    std::fs::write(&broken, b"{").unwrap();
    // validate prints each problem on standard output and fails.
    assert_quiet(data.path(), &["validate", broken.to_str().unwrap()], 1);
}
