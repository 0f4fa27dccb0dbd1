//! Two anketa processes on one data folder: two interviewers on a shared laptop, or an interview
//! beside a dashboard.
//!
//! * Two processes each write 1,000 interviews (one in ten saved first as a draft, then
//!   overwritten by the completed interview) into the same folder while a third reader loads the folder again and again; afterwards all 2,000
//!   files load, each equal to what its writer last saved, and no load in between ever saw a
//!   broken file or lost a response it had seen before.
//! * The same through the binary: two `anketa simulate --append` processes with different
//!   seeds write 1,000 interviews each into one folder, and 2,000 intact files load.
//! * The same draft is never open in two processes: a second process's `Store::lock_response`
//!   fails with a clear message while the first holds it, and succeeds once the first has
//!   released it or died.
//!
//! The processes are this test binary started again (`concurrency_child`, switched on by an
//! environment variable), so they go through the library exactly as the application does.
#![cfg(unix)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use anketa::municipality;
use anketa::questionnaire::{Answer, Form, catalog};
use anketa::store::{Response, Status, Store};
use uuid::Uuid;

const MODE: &str = "ANKETA_CONCURRENCY_MODE";
const DIR: &str = "ANKETA_CONCURRENCY_DIR";
const ARG: &str = "ANKETA_CONCURRENCY_ARG";
const INTERVIEWS_PER_PROCESS: usize = 1000;

/// The second process. Does nothing unless started by one of the tests below.
#[test]
#[ignore = "the child process of the concurrency tests; runs only when they start it"]
fn concurrency_child() {
    let (Ok(mode), Some(dir)) = (std::env::var(MODE), std::env::var_os(DIR)) else {
        return;
    };
    let arg = std::env::var(ARG).unwrap_or_default();
    let store = Store::open(Path::new(&dir)).expect("open");
    let mut out = std::io::stdout().lock();
    match mode.as_str() {
        "write" => write_interviews(&store, &arg, &mut out),
        "lock" => {
            let id: Uuid = arg.parse().expect("id");
            match store.lock_response(id) {
                Ok(_lock) => writeln!(out, "got"),
                Err(e) => writeln!(out, "refused: {e}"),
            }
            .expect("write");
        }
        "hold" => {
            let id: Uuid = arg.parse().expect("id");
            let _lock = store.lock_response(id).expect("lock");
            writeln!(out, "holding").expect("write");
            out.flush().expect("flush");
            // Held until the parent kills this process.
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
        other => panic!("unknown mode {other}"),
    }
}

/// Writes [`INTERVIEWS_PER_PROCESS`] interviews, some saved as a draft before they are
/// complete, and prints every final response as one JSON line.
fn write_interviews(store: &Store, who: &str, out: &mut impl Write) {
    let form = catalog::default_form().expect("bundled questionnaire");
    let mut rng = fastrand::Rng::with_seed(who.bytes().map(u64::from).sum());
    let places = municipality::bundled().all();
    for n in 0..INTERVIEWS_PER_PROCESS {
        let place = &places[rng.usize(..places.len())].code;
        let mut r = Response::new(&form, who, place, "bg");
        let _lock = store.lock_response(r.id).expect("a new draft is free");
        r.answers
            .insert("consent".into(), Answer::Text("yes".into()));
        r.answers
            .insert("age".into(), Answer::Number(f64::from(rng.u8(18..99))));
        // Every save costs two fsyncs; a draft save for one interview in ten keeps the test
        // quick while still overwriting files as the other process writes.
        if n % 10 == 0 {
            store.save(&r).expect("save the draft");
        }
        r.answers.insert(
            "trust_mayor".into(),
            Answer::Number(f64::from(rng.u8(0..=10))),
        );
        r.answers
            .insert("comment".into(), Answer::Text(format!("{who} — бележка")));
        r.status = Status::Complete;
        r.completed_at = Some(jiff::Timestamp::now());
        store.save(&r).expect("save the interview");
        writeln!(out, "{}", serde_json::to_string(&r).expect("JSON")).expect("write");
    }
}

fn child(mode: &str, dir: &Path, arg: &str) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "concurrency_child", "--ignored", "--nocapture"])
        .args(["--test-threads", "1", "-q"])
        .env(MODE, mode)
        .env(DIR, dir)
        .env(ARG, arg)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// The lines a child printed that are not the test harness's own.
fn child_lines(child: Child) -> Vec<String> {
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "the child failed: {}", out.status);
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("running ") && !l.starts_with("test result"))
        .filter(|l| *l != ".")
        .map(str::to_owned)
        .collect()
}

/// Loads the folder until told to stop; checks every load and returns how many it made.
fn keep_loading(store: &Store, form: &Form, stop: &AtomicBool) -> usize {
    let mut loads = 0;
    let mut seen = 0;
    while !stop.load(Ordering::Relaxed) {
        let report = store.load(form).expect("load");
        assert!(
            report.problems.is_empty(),
            "a reader saw a broken file during the writes: {:#?}",
            report.problems
        );
        assert!(
            report.responses.len() >= seen,
            "a response disappeared: {} after {seen}",
            report.responses.len()
        );
        seen = report.responses.len();
        loads += 1;
        // A dashboard reloads now and then, not in a tight loop.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    loads
}

/// A folder in memory when the system has one: what is tested here is that writes and reads
/// interleave safely, which does not depend on the disk, while 4,000 fsyncs on a busy disk
/// would make the test take a minute. (`tests/crash.rs` writes to the real disk.)
fn fast_temp_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn two_processes_writing_a_thousand_interviews_each_lose_nothing() {
    let dir = fast_temp_dir();
    let store = Store::open(dir.path()).expect("open");
    let form = catalog::default_form().expect("bundled questionnaire");
    let first = child("write", dir.path(), "Анкетьор А");
    let second = child("write", dir.path(), "Анкетьор Б");
    let stop = AtomicBool::new(false);
    let (written, loads) = std::thread::scope(|s| {
        let reader = s.spawn(|| keep_loading(&store, &form, &stop));
        let mut written = child_lines(first);
        written.extend(child_lines(second));
        stop.store(true, Ordering::Relaxed);
        (written, reader.join().expect("reader"))
    });
    assert_eq!(written.len(), 2 * INTERVIEWS_PER_PROCESS);

    let report = store.load(&form).expect("load");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.responses.len(), 2 * INTERVIEWS_PER_PROCESS);
    let loaded: HashMap<Uuid, &Response> = report.responses.iter().map(|r| (r.id, r)).collect();
    for line in &written {
        let expected: Response = serde_json::from_str(line).expect("a response line");
        assert_eq!(
            loaded.get(&expected.id).copied(),
            Some(&expected),
            "the file differs from what its writer saved last"
        );
    }
    eprintln!(
        "concurrency: 2 processes, {} interviews, {} files checked, {loads} loads during the writes",
        written.len(),
        report.responses.len()
    );
}

#[test]
fn the_same_draft_is_never_open_in_two_processes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let id = Uuid::new_v4();
    let lock = store.lock_response(id).expect("lock");

    let lines = child_lines(child("lock", dir.path(), &id.to_string()));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("refused:")
            && lines[0].contains(&id.to_string())
            && lines[0].contains("open in another anketa window"),
        "the second process is told clearly: {lines:?}"
    );
    let other = Uuid::new_v4();
    let lines = child_lines(child("lock", dir.path(), &other.to_string()));
    assert_eq!(lines, ["got"], "other drafts stay free");

    drop(lock);
    let lines = child_lines(child("lock", dir.path(), &id.to_string()));
    assert_eq!(lines, ["got"], "free once released");
}

#[test]
fn a_draft_held_by_a_killed_process_is_free_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let id = Uuid::new_v4();
    let mut holder = child("hold", dir.path(), &id.to_string());
    let mut reader = BufReader::new(holder.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.starts_with("holding") {
        line.clear();
        assert!(
            reader.read_line(&mut line).expect("read") > 0,
            "the holder died"
        );
    }
    let err = store
        .lock_response(id)
        .expect_err("held by the other process");
    assert!(err.to_string().contains("open in another"), "{err}");
    holder.kill().expect("kill");
    holder.wait().expect("wait");
    store
        .lock_response(id)
        .expect("the OS released the dead process's lock");
}

#[test]
fn two_simulate_processes_on_one_folder_write_two_thousand_intact_files() {
    let dir = fast_temp_dir();
    let bin = assert_cmd::cargo::cargo_bin("anketa");
    let spawn = |seed: &str| {
        Command::new(&bin)
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "simulate",
                "--responses",
                "1000",
                "--append",
                "--seed",
                seed,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn anketa simulate")
    };
    let (first, second) = (spawn("11"), spawn("22"));
    for child in [first, second] {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let form = catalog::default_form().expect("bundled questionnaire");
    let report = Store::open(dir.path())
        .expect("open")
        .load(&form)
        .expect("load");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(
        report.responses.len(),
        2000,
        "two processes × 1,000 interviews"
    );
}
