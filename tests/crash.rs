//! Crash safety: an interview process killed with SIGKILL at any moment loses nothing whose
//! save had returned, and never leaves a file that does not load.
//!
//! The test binary re-executes itself as the interview process (`interview_child`, selected by
//! `--exact` and switched on by an environment variable). The child resumes the newest draft if
//! there is one, otherwise starts a new interview, answers the bundled questionnaire question by
//! question (following the skip logic), saves after every answer with `Store::save`, and prints
//! one line to stdout after each save has returned. The parent kills it with SIGKILL at a random
//! moment — sometimes during start-up, usually in the middle of a run of saves — and then checks:
//!
//! * `Store::load` reports no problem: no half-written or empty response file exists;
//! * every `<uuid>.json` file in the folder is one loaded response, and the temp files that
//!   interrupted writes leave behind are never read as responses;
//! * every answer the child reported as saved is in the file with the same value, and every
//!   interview reported complete is complete;
//! * the killed child's draft lock is free again (the OS releases it with the process).
//!
//! `ANKETA_CRASH_KILLS` sets the number of kills of the long run (`crash_soak`, ignored by
//! default; `scripts/crash-soak.sh` runs it).
#![cfg(unix)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anketa::municipality;
use anketa::questionnaire::{Answer, Form, QuestionType, Special, catalog};
use anketa::store::{Response, Status, Store};
use uuid::Uuid;

const CHILD_DIR: &str = "ANKETA_CRASH_CHILD_DIR";
const CHILD_SEED: &str = "ANKETA_CRASH_CHILD_SEED";
/// Kills per data folder before a fresh one is used, so each check reads a bounded folder.
const KILLS_PER_FOLDER: usize = 25;

/// The interview process. Does nothing unless started by [`run_kills`].
#[test]
#[ignore = "the child process of the crash tests; runs only when they start it"]
fn interview_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let seed = std::env::var(CHILD_SEED)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    child_main(Path::new(&dir), seed);
}

#[test]
fn two_hundred_kills_lose_no_saved_answer() {
    let figures = run_kills(200, 0x5eed);
    eprintln!("{figures}");
    assert!(
        figures.saves_reported > 200,
        "the children hardly saved: {figures}"
    );
    assert!(
        figures.temp_files_ignored > 0,
        "no kill interrupted a write, so the test proved little: {figures}"
    );
}

#[test]
#[ignore = "long run: scripts/crash-soak.sh"]
fn crash_soak() {
    let kills = std::env::var("ANKETA_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let seed = std::env::var("ANKETA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    // Printed first, so a failure can be replayed with ANKETA_CRASH_SEED.
    println!("crash: soak of {kills} kills with seed {seed}");
    let figures = run_kills(kills, seed);
    println!("{figures}");
}

// ---------------------------------------------------------------------------------------------
// The child: a scripted interview through the library.

fn child_main(dir: &Path, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let store = Store::open(dir).expect("open the store");
    let form = catalog::default_form().expect("bundled questionnaire");
    // As the application does on start: clear temp files of writes a crash interrupted. Only
    // one child runs at a time, so no age margin is needed.
    let removed = store
        .remove_stale_temp_files(form.id(), Duration::ZERO)
        .expect("clean temp files");
    let mut out = std::io::stdout();
    report(&mut out, &format!("cleaned {removed}"));
    let mut response = newest_draft(&store, &form)
        .unwrap_or_else(|| Response::new(&form, "Мария Петрова", "SOF46", "bg"));
    // Bounded, so a child whose parent died does not run forever.
    for _ in 0..50 {
        let _lock = store.lock_response(response.id).expect("the draft is free");
        if response.answers.is_empty() {
            response.municipality = random_municipality(&mut rng);
            store.save(&response).expect("save");
            report(&mut out, &format!("start {}", response.id));
        }
        while let Some(position) = next_unanswered(&form, &response) {
            let question = &form.questions()[position];
            let answer = scripted_answer(&form, position, &response, &mut rng);
            response.answers.insert(question.id.clone(), answer.clone());
            response
                .timings_ms
                .insert(question.id.clone(), rng.u64(500..30_000));
            response.updated_at = jiff::Timestamp::now();
            store.save(&response).expect("save");
            let json = serde_json::to_string(&answer).expect("answer to JSON");
            report(
                &mut out,
                &format!("saved {} {} {json}", response.id, question.id),
            );
        }
        response.status = Status::Complete;
        response.completed_at = Some(jiff::Timestamp::now());
        store.save(&response).expect("save");
        report(&mut out, &format!("complete {}", response.id));
        response = Response::new(&form, "Мария Петрова", "SOF46", "bg");
    }
}

/// Prints one line and flushes it, so the parent sees it only after the save returned.
fn report(out: &mut std::io::Stdout, line: &str) {
    let mut lock = out.lock();
    if writeln!(lock, "{line}")
        .and_then(|()| lock.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

fn newest_draft(store: &Store, form: &Form) -> Option<Response> {
    let report = store.load(form).expect("load");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    report
        .responses
        .into_iter()
        .filter(|r| r.status == Status::Draft)
        .max_by_key(|r| r.updated_at)
}

/// The first question that is asked (given the answers so far) and not yet answered.
fn next_unanswered(form: &Form, response: &Response) -> Option<usize> {
    let relevant = form.relevance(&response.answers);
    form.questions().iter().enumerate().position(|(i, q)| {
        relevant[i] && q.kind.is_answerable() && !response.answers.contains_key(&q.id)
    })
}

fn random_municipality(rng: &mut fastrand::Rng) -> String {
    let all = municipality::bundled().all();
    all[rng.usize(..all.len())].code.clone()
}

/// An answer of the right type for the question at `position`, driven by the form alone.
fn scripted_answer(
    form: &Form,
    position: usize,
    response: &Response,
    rng: &mut fastrand::Rng,
) -> Answer {
    let q = &form.questions()[position];
    if q.allow_special && rng.u8(..10) == 0 {
        return Answer::Special(if rng.bool() {
            Special::DontKnow
        } else {
            Special::Refused
        });
    }
    let codes: Vec<String> = match &q.choices_from {
        Some(from) => match response.answers.get(from) {
            Some(Answer::Codes(chosen)) if !chosen.is_empty() => chosen.clone(),
            _ => form.choices(q).iter().map(|c| c.code.clone()).collect(),
        },
        None => form.choices(q).iter().map(|c| c.code.clone()).collect(),
    };
    match q.kind {
        QuestionType::Single if !codes.is_empty() => {
            // Favour the first option so consent is usually given and interviews run long.
            let i = if rng.u8(..3) == 0 {
                rng.usize(..codes.len())
            } else {
                0
            };
            Answer::Text(codes[i].clone())
        }
        QuestionType::Multiple if !codes.is_empty() => {
            let max = q.max_choices.map_or(codes.len(), |m| m as usize).max(1);
            let mut picked = codes;
            rng.shuffle(&mut picked);
            picked.truncate(rng.usize(1..=max.min(picked.len())));
            Answer::Codes(picked)
        }
        QuestionType::Scale | QuestionType::Integer => {
            let lo = q.min.unwrap_or(0.0) as i64;
            let hi = q.max.unwrap_or(100.0) as i64;
            Answer::Number(rng.i64(lo..=hi.max(lo)) as f64)
        }
        QuestionType::Decimal => Answer::Number(f64::from(rng.u16(..10_000)) / 100.0),
        QuestionType::Date => {
            Answer::Text(format!("2025-{:02}-{:02}", rng.u8(1..13), rng.u8(1..29)))
        }
        QuestionType::Municipality => Answer::Text(random_municipality(rng)),
        // At most `max_length` characters, as the interview's edit line allows.
        _ => {
            let text = awkward_text(rng);
            let max = q.max_length.map_or(usize::MAX, |m| m as usize);
            Answer::Text(text.chars().take(max).collect())
        }
    }
}

/// Text that exercises JSON escaping and file sizes: Cyrillic, quotes, backslashes, control
/// characters, emoji, right-to-left script, and now and then a very long answer.
fn awkward_text(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "Повече информация, моля.",
        " \"кавички\" ",
        "\\n не е нов ред",
        "\n",
        "\t",
        "\u{1}\u{1f}",
        "👩‍👩‍👧 🇧🇬",
        "مرحبا",
        "Ünïcödé",
    ];
    let repeat = if rng.u8(..8) == 0 { 400 } else { 3 };
    (0..repeat)
        .map(|_| PIECES[rng.usize(..PIECES.len())])
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The parent: kill, then check.

/// What a run of kills proved, for `docs/reliability.md`.
#[derive(Debug, Default)]
struct Figures {
    kills: usize,
    seed: u64,
    files_checked: usize,
    temp_files_ignored: usize,
    temp_files_removed: usize,
    saves_reported: usize,
    answer_checks: usize,
    elapsed: Duration,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "crash: {} kills survived (seed {}), {} saves reported before a kill, {} response \
             files checked, {} temp files left by kills ignored, {} of them removed on restart, \
             {} checks of a saved answer, {:.1?}",
            self.kills,
            self.seed,
            self.saves_reported,
            self.files_checked,
            self.temp_files_ignored,
            self.temp_files_removed,
            self.answer_checks,
            self.elapsed
        )
    }
}

/// What the children reported as saved, per response.
#[derive(Debug, Default)]
struct Expected {
    answers: HashMap<Uuid, BTreeMap<String, Answer>>,
    complete: HashSet<Uuid>,
    last: Option<Uuid>,
}

impl Expected {
    fn record(&mut self, line: &str) {
        let mut parts = line.splitn(4, ' ');
        let (kind, id) = (parts.next(), parts.next().and_then(|s| s.parse().ok()));
        let Some(id) = id else { return };
        self.last = Some(id);
        match kind {
            Some("start") => {
                self.answers.entry(id).or_default();
            }
            Some("saved") => {
                let question = parts.next().expect("question id").to_owned();
                let answer = serde_json::from_str(parts.next().expect("answer")).expect("answer");
                self.answers.entry(id).or_default().insert(question, answer);
            }
            Some("complete") => {
                self.complete.insert(id);
            }
            _ => {}
        }
    }
}

fn is_save_line(line: &str) -> bool {
    ["start ", "saved ", "complete "]
        .iter()
        .any(|prefix| line.starts_with(prefix))
}

fn run_kills(kills: usize, seed: u64) -> Figures {
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let form = catalog::default_form().expect("bundled questionnaire");
    let mut figures = Figures {
        seed,
        ..Figures::default()
    };
    let mut folder = tempfile::tempdir().expect("temp dir");
    let mut expected = Expected::default();
    let mut left_behind = Vec::new();
    for kill in 0..kills {
        if kill > 0 && kill % KILLS_PER_FOLDER == 0 {
            folder = tempfile::tempdir().expect("temp dir");
            expected = Expected::default();
            left_behind.clear();
        }
        let lines = kill_one_child(folder.path(), rng.u64(..), &mut rng);
        for line in &lines {
            expected.record(line);
        }
        figures.saves_reported += lines.iter().filter(|l| is_save_line(l)).count();
        let cleaned = lines.iter().find_map(|l| l.strip_prefix("cleaned "));
        if let Some(n) = cleaned {
            // The child cleared what the previous kill left before it wrote anything.
            assert_eq!(
                n,
                left_behind.len().to_string(),
                "stale temp files not all removed"
            );
            for name in &left_behind {
                assert!(
                    !folder.path().join(name).exists(),
                    "{name} survived the clean-up"
                );
            }
            figures.temp_files_removed += left_behind.len();
        }
        left_behind = check_after_kill(folder.path(), &form, &expected, &mut figures);
        figures.kills += 1;
    }
    figures.elapsed = started.elapsed();
    figures
}

fn spawn_child(dir: &Path, seed: u64) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "interview_child", "--ignored", "--nocapture"])
        .args(["--test-threads", "1", "-q"])
        .env(CHILD_DIR, dir)
        .env(CHILD_SEED, seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the interview process")
}

/// Starts a child, kills it at a random moment, and returns every line it printed.
fn kill_one_child(dir: &Path, child_seed: u64, rng: &mut fastrand::Rng) -> Vec<String> {
    let mut child = spawn_child(dir, child_seed);
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    if rng.u8(..5) == 0 {
        // A kill at any moment since the start: during start-up, the clean-up or a save.
        std::thread::sleep(Duration::from_micros(rng.u64(..15_000)));
    } else {
        // A kill in the middle of a run of saves, at a random point within a save.
        let wanted = rng.usize(1..10);
        let mut line = String::new();
        while lines.len() < wanted {
            line.clear();
            if reader.read_line(&mut line).expect("read") == 0 {
                break;
            }
            lines.push(line.trim_end().to_owned());
        }
        std::thread::sleep(Duration::from_micros(rng.u64(..3_000)));
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).expect("read the rest");
    // Only whole lines count: a line cut by the kill says nothing about a save.
    let complete_lines = rest.rsplit_once('\n').map_or("", |(whole, _)| whole);
    lines.extend(complete_lines.lines().map(str::to_owned));
    if status.success() || status.code().is_some() {
        // The child ended on its own before the kill: only acceptable if it ran to its bound.
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        assert!(status.success(), "the child failed: {status}\n{err}");
    }
    lines
}

/// Checks the folder after a kill; returns the names of the temp files the kill left.
fn check_after_kill(
    dir: &Path,
    form: &Form,
    expected: &Expected,
    figures: &mut Figures,
) -> Vec<String> {
    let store = Store::open(dir).expect("open");
    let report = store.load(form).expect("load");
    assert!(
        report.problems.is_empty(),
        "after kill {}: {:#?}",
        figures.kills,
        report.problems
    );
    let folder = store.responses_dir(form.id()).expect("folder");
    let mut response_files = HashSet::new();
    let mut temp_files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for entry in entries {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                figures.temp_files_ignored += 1;
                temp_files.push(format!("responses/{}/{name}", form.id()));
                continue;
            }
            let id = name
                .strip_suffix(".json")
                .and_then(|stem| stem.parse::<Uuid>().ok())
                .unwrap_or_else(|| panic!("unexpected file {name} in {}", folder.display()));
            response_files.insert(id);
            check_private(&folder.join(&name));
        }
    }
    let loaded: HashMap<Uuid, &Response> = report.responses.iter().map(|r| (r.id, r)).collect();
    assert_eq!(
        loaded.keys().copied().collect::<HashSet<_>>(),
        response_files,
        "the loaded responses are exactly the response files"
    );
    figures.files_checked += response_files.len();
    for (id, answers) in &expected.answers {
        let response = loaded
            .get(id)
            .unwrap_or_else(|| panic!("response {id} reported saved is missing"));
        for (question, answer) in answers {
            assert_eq!(
                response.answers.get(question),
                Some(answer),
                "{id}: the saved answer to {question} was lost"
            );
            figures.answer_checks += 1;
        }
        if expected.complete.contains(id) {
            assert_eq!(
                response.status,
                Status::Complete,
                "{id} lost its completion"
            );
        }
    }
    if let Some(last) = expected.last {
        store
            .lock_response(last)
            .expect("a killed process leaves no draft locked");
    }
    temp_files
}

fn check_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{} is not private", path.display());
}
