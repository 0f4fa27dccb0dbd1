//! `anketa export` killed with SIGKILL at random moments (through the real binary): the data
//! file and codebook are always whole, a pair split by a kill between the two renames shows
//! (the codebook's `data_sha256` differs from the data's SHA-256), and the temp files that
//! killed runs leave beside the export are removed by the next run.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt;
use sha2::{Digest, Sha256};

const KILLS: usize = 24;

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// The arguments of the `run`-th export: the missing-answer style alternates, so two runs'
/// files differ and a pair from two runs can be told apart.
fn export_args(out: &Path, run: usize) -> Vec<std::ffi::OsString> {
    let missing = if run.is_multiple_of(2) {
        "codes"
    } else {
        "empty"
    };
    // Long: one row per answer, a file large enough to take a while to write.
    let args = [
        "export",
        "--force",
        "--format",
        "long",
        "--missing",
        missing,
    ];
    args.into_iter()
        .chain(["--out"])
        .map(Into::into)
        .chain([out.as_os_str().to_owned()])
        .collect()
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `data_sha256` of every row of the codebook (all the same in a whole codebook).
fn recorded_sha(codebook: &Path) -> String {
    let mut reader = csv::Reader::from_path(codebook).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "data_sha256")
        .expect("a data_sha256 column");
    let shas: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_owned())
        .collect();
    assert!(!shas.is_empty() && shas.iter().all(|s| *s == shas[0]));
    shas[0].clone()
}

/// The hidden temp files in `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .collect()
}

#[test]
fn killed_exports_leave_whole_files_a_detectable_pair_and_no_lasting_temp_files() {
    let data = tempfile::tempdir().unwrap();
    anketa(data.path())
        .args(["simulate", "--responses", "1500", "--seed", "5"])
        .assert()
        .success();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("survey.csv");
    let codebook = out_dir.path().join("survey.codebook.csv");
    anketa(data.path())
        .args(export_args(&out, 0))
        .assert()
        .success();
    let first = sha256(&out);
    // Timed once the load cache is written, as every later run finds it.
    let started = Instant::now();
    anketa(data.path())
        .args(export_args(&out, 1))
        .assert()
        .success();
    let one_run = started.elapsed();
    let whole = [first, sha256(&out)];

    let mut rng = fastrand::Rng::with_seed(0xe4b0);
    let (mut left_temp, mut split) = (0, 0);
    for kill in 0..KILLS {
        let mut child = Process::cargo_bin("anketa")
            .unwrap()
            .env_remove("ANKETA_DATA_DIR")
            .arg("--data-dir")
            .arg(data.path())
            .args(export_args(&out, kill))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Half the kills at any moment of the run, half just after a temp file appears.
        let at = if kill.is_multiple_of(2) {
            one_run.mul_f64(rng.f64() * 1.2)
        } else {
            let deadline = Instant::now() + one_run * 4;
            while temp_files(out_dir.path()).is_empty()
                && Instant::now() < deadline
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_micros(200));
            }
            Duration::from_micros(rng.u64(0..20_000))
        };
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();

        // Whole files: each is one of the two exports, never a half.
        let data_sha = sha256(&out);
        assert!(
            whole.contains(&data_sha),
            "kill {kill} at {at:?}: a partial data file"
        );
        if recorded_sha(&codebook) != data_sha {
            split += 1;
        }
        let temps = temp_files(out_dir.path());
        left_temp += usize::from(!temps.is_empty());
        // As if the next run came later: leftovers older than a minute are a dead run's.
        for temp in temps {
            let file = std::fs::File::options().append(true).open(&temp).unwrap();
            file.set_modified(SystemTime::now() - Duration::from_secs(120))
                .unwrap();
        }
    }
    eprintln!(
        "{KILLS} kills over {one_run:?} exports: {left_temp} left temp files, {split} split pairs"
    );
    assert!(left_temp > 0, "no kill landed while the files were written");
    anketa(data.path())
        .args(export_args(&out, 0))
        .assert()
        .success();
    assert_eq!(temp_files(out_dir.path()), Vec::<PathBuf>::new());
    assert_eq!(
        recorded_sha(&codebook),
        sha256(&out),
        "a whole run mends the pair"
    );
}

#[test]
fn a_pair_split_after_the_fact_shows() {
    let data = tempfile::tempdir().unwrap();
    anketa(data.path())
        .args(["simulate", "--responses", "20", "--seed", "5"])
        .assert()
        .success();
    let out_dir = tempfile::tempdir().unwrap();
    let first = out_dir.path().join("a.csv");
    let second = out_dir.path().join("b.csv");
    for (out, run) in [(&first, 0), (&second, 1)] {
        anketa(data.path())
            .args(export_args(out, run))
            .assert()
            .success();
    }
    assert_eq!(
        recorded_sha(&out_dir.path().join("a.codebook.csv")),
        sha256(&first)
    );
    // The codebook of one export beside the data of another: what a kill between the two
    // renames would leave.
    assert_ne!(
        recorded_sha(&out_dir.path().join("a.codebook.csv")),
        sha256(&second)
    );
}
