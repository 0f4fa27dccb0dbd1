//! One admission rule for every command that reads the data folder.
//!
//! - A link named like a response is reported and never followed; a pipe, folder or device is
//!   refused without being opened; a file is never read past its size limit.
//! - An answer that breaks its question's rules, a complete interview without `completed_at`
//!   and one completed before it started are counted, with the part reported by file.
//! - Paths typed on the command line (`validate`, `stats -q`, `progress --targets`, `merge`)
//!   are refused when they are pipes, instead of waiting forever.
//!
//! The property test at the end builds a data folder of good and broken files of every kind
//! and runs every command that reads it, plus the library loaders behind the dashboards: all
//! must agree on which responses count and which files are problems.

#![cfg(unix)]

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use anketa::questionnaire::{Answer, Form, catalog};
use anketa::simulate::{Options, Simulation};
use anketa::store::{Response, Status, Store, load_folder};
use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Long enough for a loaded machine, short enough that a hang fails the test instead of CI.
const NO_HANG: Duration = Duration::from_secs(60);

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").expect("binary");
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data)
        .timeout(NO_HANG);
    cmd
}

fn form() -> Form {
    catalog::default_form().expect("bundled questionnaire")
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(made.success());
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Paths given on the command line.

#[test]
fn a_named_pipe_given_as_a_path_is_refused_without_waiting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let pipe = dir.path().join("p.json");
    mkfifo(&pipe);
    let pipe_arg = pipe.display().to_string();
    let commands: [&[&str]; 5] = [
        &["validate", &pipe_arg],
        &["stats", "-q", &pipe_arg],
        &["progress", "--targets", &pipe_arg],
        &["merge", &pipe_arg],
        &["merge", "--dry-run", &pipe_arg],
    ];
    for args in commands {
        let out = run(anketa(&data).args(args));
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            out.code.is_some(),
            "`anketa {args:?}` did not finish: {all}"
        );
        assert_ne!(out.code, Some(0), "`anketa {args:?}` accepted a pipe");
        assert!(
            all.contains(&pipe_arg) && all.contains("not a regular file"),
            "`anketa {args:?}` does not name the pipe and what is wrong: {all}"
        );
    }
}

#[test]
fn merge_refuses_a_sparse_giant_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let source = dir.path().join("laptop");
    std::fs::create_dir(&source).expect("mkdir");
    let giant = source.join(format!("{}.json", uuid::Uuid::new_v4()));
    std::fs::File::create(&giant)
        .expect("create")
        .set_len(1 << 30)
        .expect("1 GiB on paper, nothing on disk");
    for dry in [true, false] {
        let mut cmd = anketa(&data);
        cmd.arg("merge");
        if dry {
            cmd.arg("--dry-run");
        }
        let out = run(cmd.arg(&source));
        assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
        let line = out.stdout.lines().find(|l| l.contains("problem"));
        assert!(
            line.is_some_and(
                |l| l.contains(&*giant.display().to_string()) && l.contains("too large")
            ),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn merge_reports_a_local_response_that_is_a_link_and_never_follows_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let form = form();
    let local = Store::open(&dir.path().join("data")).expect("open");
    let laptop = Store::open(&dir.path().join("laptop")).expect("open");
    let mut r = Response::new(&form, "Ана", "SOF46", "bg");
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    let incoming = laptop.save(&r).expect("save");
    // Locally, the same interview's file is a link to a copy elsewhere.
    let elsewhere = dir.path().join("elsewhere.json");
    std::fs::copy(&incoming, &elsewhere).expect("copy");
    let link = local.response_path(&r).expect("path");
    std::fs::create_dir_all(link.parent().expect("folder")).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
    let out = run(anketa(local.root()).arg("merge").arg(laptop.root()));
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    let line = out.stdout.lines().find(|l| l.starts_with("problem"));
    assert!(
        line.is_some_and(
            |l| l.contains("symbolic link") && l.contains(&*link.display().to_string())
        ),
        "{}",
        out.stdout
    );
    assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
    assert_eq!(
        std::fs::read(&elsewhere).expect("read"),
        std::fs::read(&incoming).expect("read")
    );
}

// ---------------------------------------------------------------------------------------------
// Out-of-range answers in the output.

#[test]
fn out_of_range_answers_are_invalid_in_stats_and_minus_eight_in_exports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let form = form();
    let store = Store::open(&data).expect("open");
    let options = Options {
        responses: 40,
        ..Options::default()
    };
    let simulation = Simulation::new(&form, &options).expect("simulation");
    let mut responses: Vec<Response> = (0..40).map(|i| simulation.response(i)).collect();
    let asked = |r: &Response, q: &str| {
        let position = form.position(q).expect("question");
        r.status == Status::Complete
            && form.relevance(&r.answers)[position]
            && matches!(r.answers.get(q), Some(Answer::Number(_)))
    };
    let trust = responses
        .iter()
        .position(|r| asked(r, "trust_mayor"))
        .expect("a complete interview asked trust_mayor");
    responses[trust]
        .answers
        .insert("trust_mayor".into(), Answer::Number(11.0));
    let old = responses
        .iter()
        .position(|r| asked(r, "age"))
        .expect("a complete interview asked age");
    responses[old]
        .answers
        .insert("age".into(), Answer::Number(1e300));
    for r in &responses {
        store.save(r).expect("save");
    }
    let path = store.response_path(&responses[old]).expect("path");

    let stats = run(anketa(&data).args(["stats", "--json"]));
    let doc: Value = serde_json::from_str(&stats.stdout).expect("stats JSON");
    let question = |id: &str| {
        doc["questions"]
            .as_array()
            .and_then(|qs| qs.iter().find(|q| q["id"] == id))
            .cloned()
            .expect("question")
    };
    assert_eq!(question("trust_mayor")["invalid"], 1);
    let age = question("age");
    assert_eq!(age["invalid"], 1);
    let mean = age["mean"].as_f64().expect("a mean");
    assert!(
        (15.0..=110.0).contains(&mean),
        "the mean ignores 1e300: {mean}"
    );
    assert!(age["sd"].as_f64().is_some_and(f64::is_finite));
    assert_eq!(doc["invalid_parts"], 2);

    let csv = dir.path().join("out.csv");
    let export = run(anketa(&data).args(["export", "-o"]).arg(&csv));
    assert_eq!(export.code, Some(0), "{}", export.stderr);
    let mut reader = csv::Reader::from_path(&csv).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (id, trust_col, age_col) = (column("response_id"), column("trust_mayor"), column("age"));
    let mut seen = 0;
    for record in reader.records() {
        let record = record.expect("record");
        if record[id] == responses[trust].id.to_string() {
            assert_eq!(&record[trust_col], "-8");
            seen += 1;
        }
        if record[id] == responses[old].id.to_string() {
            assert_eq!(&record[age_col], "-8");
            seen += 1;
        }
    }
    assert_eq!(seen, 2, "both interviews are exported");
    // The files keep the values they had.
    let stored: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
    assert_eq!(stored["answers"]["age"], json!(1e300));
}

// ---------------------------------------------------------------------------------------------
// `pack` and a file it cannot read.

/// Runs `pack` as the unprivileged user `nobody` on a data folder in which one response has
/// mode 000. Tests run as root here, and root reads any file; `setpriv` drops to `nobody`.
/// Returns `None` when that is not possible on this machine (not root, or no `setpriv`).
fn pack_as_nobody(data: &Path, out: &Path) -> Option<Run> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let setpriv = Path::new("/usr/bin/setpriv");
    if !root || !setpriv.exists() {
        return None;
    }
    let binary = assert_cmd::cargo::cargo_bin("anketa");
    let mut cmd = Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(binary)
        .arg("--data-dir")
        .arg(data)
        .args(["pack", "--out"])
        .arg(out)
        .env_remove("ANKETA_DATA_DIR")
        .env("HOME", data)
        .timeout(NO_HANG);
    Some(run(&mut cmd))
}

fn chown_tree(path: &Path, uid: u32) {
    let status = std::process::Command::new("chown")
        .arg("-R")
        .arg(format!("{uid}:{uid}"))
        .arg(path)
        .status()
        .expect("chown");
    assert!(status.success());
}

#[test]
fn pack_reports_an_unreadable_file_and_packs_the_rest() {
    let dir = tempfile::Builder::new()
        .prefix("anketa-pack-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    // `nobody` must be able to reach the folder.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let data = dir.path().join("data");
    let store = Store::open(&data).expect("open");
    let form = form();
    let mut paths = Vec::new();
    for _ in 0..3 {
        let mut r = Response::new(&form, "Ана", "SOF46", "bg");
        r.answers
            .insert("consent".into(), Answer::Text("yes".into()));
        paths.push(store.save(&r).expect("save"));
    }
    let locked = &paths[1];
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    chown_tree(dir.path(), 65534);
    std::fs::set_permissions(locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod 000");
    let out = out_dir.join("laptop.tar");
    let Some(result) = pack_as_nobody(&data, &out) else {
        eprintln!("skipped: needs root and setpriv to run pack as an unprivileged user");
        return;
    };
    assert_eq!(
        result.code,
        Some(1),
        "the documented status for some problems: {}{}",
        result.stdout,
        result.stderr
    );
    let line = result.stderr.lines().find(|l| l.starts_with("left out"));
    assert!(
        line.is_some_and(|l| l.contains(&*locked.display().to_string())
            && l.contains("cannot read")
            && l.contains("ermission denied")),
        "{}",
        result.stderr
    );
    assert!(
        result.stdout.contains("packed 2 interview(s)"),
        "{}",
        result.stdout
    );
    assert!(
        out.exists(),
        "the archive is written with the readable files"
    );
}

// ---------------------------------------------------------------------------------------------
// Every command on one generated folder.

/// The kinds of file a data folder can hold besides good responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Good,
    Link,
    DanglingLink,
    Fifo,
    Folder,
    Oversized,
    Truncated,
    UnknownField,
    OtherQuestionnaire,
    BadId,
    AboveMax,
    BelowMin,
    WrongType,
    TooLong,
    CompleteWithoutEnd,
    EndBeforeStart,
    Draft,
}

const KINDS: [Kind; 17] = [
    Kind::Good,
    Kind::Link,
    Kind::DanglingLink,
    Kind::Fifo,
    Kind::Folder,
    Kind::Oversized,
    Kind::Truncated,
    Kind::UnknownField,
    Kind::OtherQuestionnaire,
    Kind::BadId,
    Kind::AboveMax,
    Kind::BelowMin,
    Kind::WrongType,
    Kind::TooLong,
    Kind::CompleteWithoutEnd,
    Kind::EndBeforeStart,
    Kind::Draft,
];

impl Kind {
    /// Whether the response counts (possibly with an invalid part).
    fn counts(self) -> bool {
        matches!(
            self,
            Kind::Good
                | Kind::AboveMax
                | Kind::BelowMin
                | Kind::WrongType
                | Kind::TooLong
                | Kind::CompleteWithoutEnd
                | Kind::EndBeforeStart
                | Kind::Draft
        )
    }

    /// Whether a counted response has one invalid part.
    fn has_invalid_part(self) -> bool {
        self.counts() && !matches!(self, Kind::Good | Kind::Draft)
    }
}

/// What the folder should look like to every command.
#[derive(Debug, Default)]
struct Expected {
    /// File names of counted responses, and how many of them are complete.
    counted: BTreeSet<String>,
    complete: usize,
    /// File names of files left out.
    skipped: BTreeSet<String>,
    /// File names of counted responses with an invalid part.
    invalid: BTreeSet<String>,
}

/// Writes one file of `kind` made from the simulated `response` into `folder`.
fn write_kind(folder: &Path, outside: &Path, kind: Kind, mut response: Response) -> String {
    let name = format!("{}.json", response.id);
    let path = folder.join(&name);
    response.status = Status::Complete;
    if response.completed_at.is_none() {
        response.completed_at = Some(response.updated_at);
    }
    let mut value = serde_json::to_value(&response).expect("to JSON");
    // A plain complete interview: the simulation's own outcome codes are not what this is about.
    if let Some(object) = value.as_object_mut() {
        object.remove("outcome");
    }
    match kind {
        Kind::Link | Kind::DanglingLink => {
            let target = outside.join(&name);
            if kind == Kind::Link {
                std::fs::write(&target, serde_json::to_vec(&value).expect("JSON")).expect("write");
            }
            std::os::unix::fs::symlink(&target, &path).expect("symlink");
            return name;
        }
        Kind::Fifo => {
            mkfifo(&path);
            return name;
        }
        Kind::Folder => {
            std::fs::create_dir(&path).expect("mkdir");
            return name;
        }
        Kind::Oversized => {
            let file = std::fs::File::create(&path).expect("create");
            file.set_len(anketa::store::MAX_RESPONSE_BYTES + 1)
                .expect("sparse");
            return name;
        }
        Kind::Truncated => {
            let bytes = serde_json::to_vec_pretty(&value).expect("JSON");
            std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
            return name;
        }
        Kind::UnknownField => value["colour"] = json!("red"),
        Kind::OtherQuestionnaire => value["questionnaire"] = json!("another-survey"),
        Kind::BadId => value["id"] = json!(uuid::Uuid::new_v4().to_string()),
        Kind::AboveMax => value["answers"]["trust_mayor"] = json!(11),
        Kind::BelowMin => value["answers"]["age"] = json!(-5),
        Kind::WrongType => value["answers"]["age"] = json!("forty"),
        Kind::TooLong => value["answers"]["comment"] = json!("ж".repeat(1001)),
        Kind::CompleteWithoutEnd => value["completed_at"] = json!(null),
        Kind::EndBeforeStart => value["completed_at"] = json!("2001-01-01T00:00:00Z"),
        Kind::Draft => {
            value["status"] = json!("draft");
            value["completed_at"] = json!(null);
        }
        Kind::Good => {}
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&value).expect("JSON")).expect("write");
    name
}

/// A data folder with one file of each kind in `kinds`, from simulated interviews.
fn build(data: &Path, outside: &Path, kinds: &[Kind], seed: u64) -> Expected {
    let form = form();
    let store = Store::open(data).expect("open");
    let folder = store.responses_dir(form.id()).expect("folder");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let options = Options {
        responses: kinds.len(),
        seed,
        ..Options::default()
    };
    let simulation = Simulation::new(&form, &options).expect("simulation");
    let mut expected = Expected::default();
    for (i, kind) in kinds.iter().enumerate() {
        let name = write_kind(&folder, outside, *kind, simulation.response(i));
        if kind.counts() {
            expected.counted.insert(name.clone());
            if *kind != Kind::Draft {
                expected.complete += 1;
            }
        } else {
            expected.skipped.insert(name.clone());
        }
        if kind.has_invalid_part() {
            expected.invalid.insert(name);
        }
    }
    expected
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// File names on lines starting with `prefix` (`skipped /x/y.json: reason`).
fn named(text: &str, prefix: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .filter_map(|rest| rest.trim_start().split(": ").next())
        .map(|path| file_name(Path::new(path)))
        .collect()
}

/// The library's loaders, as `stats`, `export` and the dashboards use them.
fn check_library(data: &Path, expected: &Expected) -> Result<(), TestCaseError> {
    let form = form();
    let store = Store::open(data).expect("open");
    let loaded = store.load(&form).expect("load");
    let ids: BTreeSet<String> = loaded
        .responses
        .iter()
        .map(|r| format!("{}.json", r.id))
        .collect();
    prop_assert_eq!(&ids, &expected.counted);
    let skipped: BTreeSet<String> = loaded
        .problems
        .iter()
        .filter(|p| p.part.is_none())
        .map(|p| file_name(&p.path))
        .collect();
    prop_assert_eq!(&skipped, &expected.skipped);
    let invalid: BTreeSet<String> = loaded
        .problems
        .iter()
        .filter(|p| p.part.is_some())
        .map(|p| file_name(&p.path))
        .collect();
    prop_assert_eq!(&invalid, &expected.invalid);
    // The dashboards' loader and the table, without and with the cache, say the same.
    let folder = store.responses_dir(form.id()).expect("folder");
    let dashboard = load_folder(&folder, &form, &|_, _| {}).expect("load");
    prop_assert_eq!(&dashboard.problems, &loaded.problems);
    for _ in 0..2 {
        let table = store.load_table(&form).expect("table");
        prop_assert_eq!(&table.problems, &loaded.problems);
        let ids: BTreeSet<String> = table
            .table
            .rows()
            .map(|r| format!("{}.json", r.id()))
            .collect();
        prop_assert_eq!(&ids, &expected.counted);
    }
    Ok(())
}

fn check_commands(data: &Path, out: &Path, expected: &Expected) -> Result<(), TestCaseError> {
    // stats --json: the counts.
    let stats = run(anketa(data).args(["stats", "--json"]));
    let doc: Value = serde_json::from_str(&stats.stdout).expect("stats JSON");
    prop_assert_eq!(doc["responses"].as_u64(), Some(expected.complete as u64));
    prop_assert_eq!(
        doc["problems"].as_u64(),
        Some(expected.skipped.len() as u64)
    );
    prop_assert_eq!(
        doc["invalid_parts"].as_u64(),
        Some(expected.invalid.len() as u64)
    );
    prop_assert_eq!(&named(&stats.stderr, "skipped"), &expected.skipped);
    prop_assert_eq!(&named(&stats.stderr, "invalid"), &expected.invalid);

    // export, check, progress: the same lines.
    let csv = out.join("export.csv");
    let export = run(anketa(data).args(["export", "--force", "-o"]).arg(&csv));
    prop_assert!(
        export
            .stdout
            .contains(&format!("wrote {} interview(s)", expected.complete)),
        "{}",
        export.stdout
    );
    for (name, args) in [
        ("export", None),
        ("check", Some(&["check", "--json"][..])),
        ("progress", Some(&["progress", "--json"][..])),
    ] {
        let stderr = match args {
            None => export.stderr.clone(),
            Some(args) => run(anketa(data).args(args)).stderr,
        };
        prop_assert_eq!(&named(&stderr, "skipped"), &expected.skipped, "{}", name);
        prop_assert_eq!(&named(&stderr, "invalid"), &expected.invalid, "{}", name);
    }

    // pack: every counted response, drafts included, and the same problems.
    let tar = out.join("laptop.tar");
    let pack = run(anketa(data).args(["pack", "--force", "--out"]).arg(&tar));
    prop_assert!(
        pack.stdout
            .contains(&format!("packed {} interview(s)", expected.counted.len())),
        "{}",
        pack.stdout
    );
    prop_assert_eq!(&named(&pack.stderr, "left out"), &expected.skipped);
    prop_assert_eq!(&named(&pack.stderr, "invalid"), &expected.invalid);
    let problems = !expected.skipped.is_empty() || !expected.invalid.is_empty();
    prop_assert_eq!(pack.code, Some(if problems { 1 } else { 0 }));

    // merge --dry-run of the folder and of the archive into an empty data folder.
    let empty = out.join("empty");
    for source in [data.to_owned(), tar] {
        let merge = run(anketa(&empty)
            .args(["merge", "--dry-run", "--json"])
            .arg(&source));
        let doc: Value = serde_json::from_str(&merge.stdout).expect("merge JSON");
        let items = doc["report"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let with = |outcome: &str| -> BTreeSet<String> {
            items
                .iter()
                .filter(|i| i["outcome"] == outcome)
                .filter_map(|i| i["origin"].as_str())
                .map(|o| file_name(Path::new(o.rsplit('!').next().unwrap_or(o))))
                .collect()
        };
        prop_assert_eq!(&with("new"), &expected.counted, "{}", source.display());
        // The archive holds only what pack packed: its problems are the invalid parts alone.
        if source == data {
            prop_assert_eq!(&with("problem"), &expected.skipped);
        }
        let invalid: BTreeSet<String> = items
            .iter()
            .filter(|i| i["invalid"].as_array().is_some_and(|a| !a.is_empty()))
            .filter_map(|i| i["origin"].as_str())
            .map(|o| file_name(Path::new(o.rsplit('!').next().unwrap_or(o))))
            .collect();
        prop_assert_eq!(&invalid, &expected.invalid, "{}", source.display());
    }
    Ok(())
}

proptest! {
    // Each case runs nine commands; a few cases cover every kind several times over.
    #![proptest_config(ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_command_agrees_on_which_responses_count_and_which_files_are_problems(
        picks in proptest::collection::vec(0..KINDS.len(), 8..20),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let outside = dir.path().join("outside");
        let out = dir.path().join("out");
        std::fs::create_dir(&outside).expect("mkdir");
        std::fs::create_dir(&out).expect("mkdir");
        // Every kind at least once, then the random picks.
        let kinds: Vec<Kind> = KINDS.iter().copied().chain(picks.iter().map(|&i| KINDS[i])).collect();
        let expected = build(&data, &outside, &kinds, seed);
        check_library(&data, &expected)?;
        check_commands(&data, &out, &expected)?;
    }
}
