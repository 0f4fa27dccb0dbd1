//! Corrupt and hostile files: every broken response file is reported with its path and the
//! reason, skipped, and left byte for byte as it was; every broken questionnaire is rejected
//! with an error naming the place; nothing panics on any input.
//!
//! The property tests at the end feed arbitrary bytes and mutated valid files to the
//! questionnaire loader and the response loader (`fuzz/` does the same for longer).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anketa::questionnaire::{Answer, Form, catalog, load_str};
use anketa::store::{Response, Status, Store, check_response, is_safe_id, parse_response};
use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use proptest::prelude::*;
use serde_json::{Value, json};

const BUNDLED: &str = "questionnaires/civic-participation-bg.json";

fn form() -> Form {
    catalog::default_form().expect("bundled questionnaire")
}

fn good_response(form: &Form) -> Response {
    let mut r = Response::new(form, "Иван Иванов", "PDV22", "bg");
    r.status = Status::Complete;
    r.completed_at = Some(r.started_at);
    let answers: [(&str, Answer); 5] = [
        ("consent", Answer::Text("yes".into())),
        ("age", Answer::Number(47.0)),
        ("barriers", Answer::Codes(vec!["other".into()])),
        ("trust_mayor", Answer::Number(6.0)),
        ("comment", Answer::Text("Повече информация, моля.".into())),
    ];
    r.answers = answers
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    r.other_text
        .insert("barriers".into(), "Работя на смени".into());
    r
}

/// A response as a JSON value, with `edit` applied, written under its own id.
fn edited(form: &Form, edit: impl FnOnce(&mut Value)) -> (String, Vec<u8>) {
    let response = good_response(form);
    let mut value = serde_json::to_value(&response).expect("to JSON");
    edit(&mut value);
    let id = value["id"]
        .as_str()
        .map_or_else(|| response.id.to_string(), |s| s.replace(['/', '.'], "_"));
    (
        format!("{id}.json"),
        serde_json::to_vec_pretty(&value).expect("JSON"),
    )
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    /// A word the reason must contain.
    why: &'static str,
    /// Whether the response is counted all the same, with the invalid part reported
    /// (an answer that breaks its question's rules, inconsistent times).
    counted: bool,
}

fn case(name: impl Into<String>, bytes: impl Into<Vec<u8>>, why: &'static str) -> Case {
    Case {
        name: name.into(),
        bytes: bytes.into(),
        why,
        counted: false,
    }
}

fn fresh_name() -> String {
    format!("{}.json", uuid::Uuid::new_v4())
}

/// Every kind of broken response file, each with the word its reason must contain.
fn broken_files(form: &Form) -> Vec<Case> {
    let valid = serde_json::to_vec_pretty(&good_response(form)).expect("JSON");
    let cp1251 = {
        // "Иван" in Windows-1251, as an old editor would save it.
        let mut b = b"{\"interviewer\": \"".to_vec();
        b.extend([0xc8, 0xe2, 0xe0, 0xed]);
        b.extend(b"\"}");
        b
    };
    let mut cases = vec![
        case(fresh_name(), b"".to_vec(), "empty"),
        case(fresh_name(), b"   \n".to_vec(), "truncated"),
        case(fresh_name(), valid[..valid.len() / 4].to_vec(), "truncated"),
        case(fresh_name(), valid[..valid.len() - 3].to_vec(), "truncated"),
        case(fresh_name(), cp1251, "UTF-8"),
        case(fresh_name(), b"\xff\xfe{\x00}\x00".to_vec(), "UTF-8"),
        case(
            fresh_name(),
            b"id,questionnaire\n1,2\n".to_vec(),
            "not valid JSON",
        ),
        case(
            fresh_name(),
            [valid.as_slice(), b"}"].concat(),
            "not valid JSON",
        ),
        case(fresh_name(), b"{\"id\": \0}".to_vec(), "not valid JSON"),
        case(fresh_name(), b"[1, 2]".to_vec(), "not a response"),
        case(fresh_name(), b"null".to_vec(), "not a response"),
        case(fresh_name(), b"{}".to_vec(), "not a response"),
        case(fresh_name(), "[".repeat(100_000), "not"),
        case(
            fresh_name(),
            serde_json::to_vec(&good_response(form)).expect("JSON"),
            "duplicate",
        ),
    ];
    let shape: [Mutation; 9] = [
        (|v| v["colour"] = json!("red"), "unknown field `colour`"),
        (
            |v| drop(v.as_object_mut().map(|o| o.remove("status"))),
            "status",
        ),
        (|v| v["status"] = json!("done"), "done"),
        (|v| v["started_at"] = json!("yesterday"), "not a response"),
        (|v| v["answers"] = json!([1, 2]), "not a response"),
        (|v| v["answers"]["age"] = json!(null), "not a response"),
        (|v| v["answers"]["age"] = json!(true), "not a response"),
        (
            |v| v["answers"]["age"] = json!({"special": "maybe"}),
            "maybe",
        ),
        (|v| v["timings_ms"]["age"] = json!(-5), "not a response"),
    ];
    for (edit, why) in shape {
        let (name, bytes) = edited(form, edit);
        cases.push(case(name, bytes, why));
    }
    let content: [Mutation; 5] = [
        (
            |v| v["questionnaire"] = json!("other-survey"),
            "other-survey",
        ),
        (
            |v| v["questionnaire"] = json!("../../../etc"),
            "../../../etc",
        ),
        (
            |v| v["questionnaire_version"] = json!("0.0-never"),
            "version",
        ),
        (|v| v["municipality"] = json!("XXX99"), "XXX99"),
        (
            |v| v["answers"]["no_such_question"] = json!(1),
            "not a question",
        ),
    ];
    for (edit, why) in content {
        let (name, bytes) = edited(form, edit);
        cases.push(case(name, bytes, why));
    }
    for (edit, why) in invalid_parts() {
        let (name, bytes) = edited(form, edit);
        cases.push(Case {
            counted: true,
            ..case(name, bytes, why)
        });
    }
    // An id that is not a UUID never becomes a path: the file is reported, nothing else.
    let (_, bytes) = edited(form, |v| v["id"] = json!("../../outside"));
    cases.push(case(fresh_name(), bytes, "not a response"));
    // A copy whose name does not match its id (renamed by hand, or copied twice).
    let (_, bytes) = edited(form, |_| {});
    cases.push(case(fresh_name(), bytes, "does not match"));
    cases
}

/// Answers that break their question's rules and inconsistent times: each is reported by file
/// and part, and the response counts with that answer invalid (code -8).
fn invalid_parts() -> Vec<Mutation> {
    vec![
        (|v| v["answers"]["consent"] = json!(3), "consent"),
        (|v| v["answers"]["consent"] = json!("maybe"), "maybe"),
        (|v| v["answers"]["age"] = json!("forty"), "age"),
        (|v| v["answers"]["age"] = json!(30.5), "age"),
        (|v| v["answers"]["barriers"] = json!("no_time"), "barriers"),
        (
            |v| v["answers"]["barriers"] = json!(["other", "other"]),
            "twice",
        ),
        (
            |v| v["answers"]["residence"] = json!("../SOF46"),
            "municipality",
        ),
        (|v| v["answers"]["intro"] = json!("hello"), "note"),
        (
            |v| v["answers"]["trust_mayor"] = json!(11),
            "above its maximum 10",
        ),
        (
            |v| v["answers"]["trust_mayor"] = json!(-1),
            "below its minimum 0",
        ),
        (
            |v| v["answers"]["age"] = json!(1e300),
            "above its maximum 110",
        ),
        (|v| v["answers"]["age"] = json!(-5), "below its minimum 15"),
        (
            |v| v["answers"]["comment"] = json!("д".repeat(1001)),
            "max_length 1000",
        ),
        (
            |v| {
                v["answers"]["future_channels"] = json!([
                    "contact",
                    "consultation",
                    "council",
                    "petition",
                    "budget",
                    "referendum"
                ])
            },
            "max_choices 5",
        ),
        (
            |v| v["completed_at"] = json!(null),
            "without `completed_at`",
        ),
        (
            |v| v["completed_at"] = json!("2001-01-01T00:00:00Z"),
            "before `started_at`",
        ),
    ]
}

/// Every file under `root` with its bytes and modification time.
///
/// `DIR/cache/` is left out: it holds anketa's own load cache, derived from the files and
/// rewritten whenever they change.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if path == root.join("cache") {
                continue;
            } else if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).expect("read");
                files.insert(path, (bytes, meta.modified().expect("mtime")));
            }
        }
    }
    files
}

/// Writes the broken files beside two good responses; returns the store and the good ones.
fn folder_with_broken_files(dir: &Path, form: &Form, cases: &[Case]) -> (Store, Vec<Response>) {
    let store = Store::open(dir).expect("open");
    let mut good = vec![good_response(form), good_response(form)];
    good.sort_by_key(|r| r.id);
    for r in &good {
        store.save(r).expect("save");
    }
    let folder = store.responses_dir(form.id()).expect("folder");
    for c in cases {
        std::fs::write(folder.join(&c.name), &c.bytes).expect("write");
    }
    // Things that are not response files at all: unreadable as files, or not `.json`.
    std::fs::create_dir(folder.join("a-folder.json")).expect("mkdir");
    std::fs::write(folder.join("notes.txt"), "not a response").expect("write");
    std::fs::write(folder.join(".x.json.k2j3.tmp"), "{").expect("write");
    (store, good)
}

#[test]
fn every_broken_response_file_is_reported_with_path_and_reason_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let form = form();
    let cases = broken_files(&form);
    let (store, good) = folder_with_broken_files(dir.path(), &form, &cases);
    let before = snapshot(dir.path());

    let report = store.load(&form).expect("load");

    let mut counted: Vec<String> = good.iter().map(|r| format!("{}.json", r.id)).collect();
    counted.extend(cases.iter().filter(|c| c.counted).map(|c| c.name.clone()));
    counted.sort();
    let read: Vec<String> = report
        .responses
        .iter()
        .map(|r| format!("{}.json", r.id))
        .collect();
    assert_eq!(
        read, counted,
        "exactly the good responses and those with an invalid part are read"
    );
    assert!(good.iter().all(|g| report.responses.contains(g)));
    for c in &cases {
        let found: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.path.file_name().is_some_and(|n| *n == *c.name))
            .collect();
        assert_eq!(found.len(), 1, "{}: reported {} times", c.name, found.len());
        assert_eq!(found[0].part.is_some(), c.counted, "{}", found[0]);
        let shown = found[0].to_string();
        assert!(shown.contains(&c.name), "the path is named: {shown}");
        assert!(
            found[0].reason.contains(c.why),
            "{}: {:?} does not say {:?}",
            c.name,
            found[0].reason,
            c.why
        );
    }
    let folder_problem = report
        .problems
        .iter()
        .find(|p| p.path.ends_with("a-folder.json"))
        .expect("a folder named .json is reported");
    assert!(
        folder_problem.reason.contains("not a regular file"),
        "{folder_problem}"
    );
    assert_eq!(
        report.problems.len(),
        cases.len() + 1,
        "{:#?}",
        report.problems
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "loading changed or created a file"
    );
}

#[test]
fn loading_twice_reports_the_same_problems_in_the_same_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let form = form();
    let cases = broken_files(&form);
    let (store, _) = folder_with_broken_files(dir.path(), &form, &cases);
    let first = store.load(&form).expect("load").problems;
    let second = store.load(&form).expect("load").problems;
    assert_eq!(first, second);
}

#[test]
fn saving_never_touches_broken_files_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let form = form();
    let cases = broken_files(&form);
    let (store, _) = folder_with_broken_files(dir.path(), &form, &cases);
    let folder = store.responses_dir(form.id()).expect("folder");
    let before: Vec<_> = snapshot(&folder)
        .into_iter()
        .filter(|(p, _)| cases.iter().any(|c| p.ends_with(&c.name)))
        .collect();
    for _ in 0..20 {
        store.save(&good_response(&form)).expect("save");
    }
    let after = snapshot(&folder);
    for (path, content) in before {
        assert_eq!(
            after.get(&path),
            Some(&content),
            "{} changed",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The same folder through every command that loads responses.

/// Commands that read the responses folder, with the arguments each needs; `{out}` is a folder
/// outside the data folder, `{data}` the data folder itself. Every one admits files as the
/// store does, so every one names every broken file. A command that does not exist in this
/// build is skipped.
const LOADING_COMMANDS: &[(&str, &[&str])] = &[
    ("stats", &[]),
    ("stats", &["--json"]),
    ("export", &["-o", "{out}/export.csv"]),
    ("check", &[]),
    ("progress", &[]),
    ("merge", &["--dry-run", "{data}"]),
    ("pack", &["--out", "{out}/laptop.tar"]),
];

fn command_exists(name: &str) -> bool {
    anketa()
        .args([name, "--help"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_command_that_loads_responses_reports_broken_files_and_leaves_them_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let form = form();
    let cases = broken_files(&form);
    folder_with_broken_files(dir.path(), &form, &cases);
    let before = snapshot(dir.path());
    let mut covered = Vec::new();
    let mut truncated = Vec::new();
    for (name, args) in LOADING_COMMANDS {
        if !command_exists(name) {
            continue;
        }
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("{out}", &out_dir.path().display().to_string())
                    .replace("{data}", &dir.path().display().to_string())
            })
            .collect();
        let output = anketa()
            .arg("--data-dir")
            .arg(dir.path())
            .arg(name)
            .args(&args)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let all = format!("{stdout}\n{stderr}");
        assert!(
            output.status.code().is_some_and(|c| c != 101) && !stderr.contains("panicked"),
            "`anketa {name}` crashed: {stderr}"
        );
        let mut unnamed = 0;
        for c in &cases {
            let Some(line) = all.lines().find(|l| l.contains(&c.name)) else {
                unnamed += 1;
                continue;
            };
            assert!(
                line.contains(c.why),
                "`anketa {name}` gives no reason for {}: {line}",
                c.name
            );
        }
        // A long list may be cut, but only with an exact count of the files not shown
        // (the folder named like a response may or may not be among them).
        // `stats` and `export` are what an analyst runs; they name every file.
        assert!(
            unnamed == 0 || !matches!(*name, "stats" | "export"),
            "`anketa {name}` left {unnamed} broken files unnamed:\n{all}"
        );
        if unnamed > 0 {
            let said = [unnamed, unnamed + 1]
                .iter()
                .any(|n| all.contains(&format!("{n} more")));
            assert!(
                said,
                "`anketa {name} {args:?}` names neither every broken file nor how many it left out:\n{all}"
            );
            truncated.push((*name).to_owned());
        }
        assert_eq!(
            snapshot(dir.path()),
            before,
            "`anketa {name}` changed a file"
        );
        covered.push(format!("{name} {}", args.join(" ")));
    }
    eprintln!("commands checked: {covered:?}; lists cut with a count: {truncated:?}");
}

// ---------------------------------------------------------------------------------------------
// Hostile ids in files from elsewhere.

#[test]
fn hostile_ids_are_refused_before_they_reach_a_path() {
    let hostile = [
        "",
        ".",
        "..",
        "../x",
        "a/b",
        "/etc",
        "a\\b",
        "C:x",
        "a\0b",
        "a b",
        "~",
        "x\n",
        "a∕b", // U+2215 DIVISION SLASH, which some systems render as a separator
        &"a".repeat(129),
    ];
    for id in hostile {
        assert!(!is_safe_id(id), "{id:?} accepted");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let store = Store::open(&data).expect("open");
    let form = form();
    for id in ["../../escaped", "/tmp/escaped", "..", "a/../../b"] {
        let mut r = good_response(&form);
        r.questionnaire = id.to_owned();
        let err = store
            .save(&r)
            .expect_err("a hostile questionnaire id is refused");
        assert!(err.to_string().contains("refusing"), "{err}");
        assert!(store.responses_dir(id).is_err());
        assert!(
            store
                .remove_stale_temp_files(id, Default::default())
                .is_err()
        );
    }
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        outside,
        ["data"],
        "nothing was written outside the data folder"
    );
    assert_eq!(snapshot(&data).len(), 0, "nothing was written at all");
}

#[test]
fn a_questionnaire_with_a_hostile_id_is_rejected() {
    let mut q: Value =
        serde_json::from_str(&std::fs::read_to_string(BUNDLED).expect("read")).expect("JSON");
    for id in ["../../etc", "a/b", ".."] {
        q["id"] = json!(id);
        let err = load_str(&q.to_string(), "q.json").expect_err("hostile id accepted");
        assert!(err.to_string().contains("must be letters"), "{err}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let err = catalog::resolve(Some("../../etc/passwd"), dir.path()).expect_err("resolved");
    assert!(!err.to_string().is_empty());
}

/// A tar entry with a raw name, written as it is: the `tar` crate's own path setters refuse
/// `..` and absolute names, which is exactly what a hostile archive contains.
fn raw_entry(builder: &mut tar::Builder<Vec<u8>>, name: &str, kind: tar::EntryType, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    let gnu = header.as_gnu_mut().expect("gnu header");
    gnu.name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_entry_type(kind);
    header.set_mode(0o600);
    header.set_size(data.len() as u64);
    if kind == tar::EntryType::Symlink {
        header.set_link_name("/etc/passwd").expect("link name");
    }
    header.set_cksum();
    builder.append(&header, data).expect("append");
}

#[test]
fn merging_a_hostile_archive_writes_nothing_outside_the_responses_folder() {
    if !command_exists("merge") {
        return;
    }
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    let form = form();
    let folder = format!("responses/{}", form.id());
    let mut builder = tar::Builder::new(Vec::new());
    let mut good = Vec::new();
    let file = tar::EntryType::Regular;
    for name in [
        "{folder}/{id}.json",
        "../../{id}.json",
        "/tmp/anketa-escape-{id}.json",
        "{folder}/../../../../{id}.json",
    ] {
        let r = good_response(&form);
        let name = name
            .replace("{folder}", &folder)
            .replace("{id}", &r.id.to_string());
        raw_entry(
            &mut builder,
            &name,
            file,
            &serde_json::to_vec(&r).expect("JSON"),
        );
        good.push(r);
    }
    let mut evil = good_response(&form);
    evil.questionnaire = "../../../evil".into();
    let name = format!("{folder}/{}.json", evil.id);
    raw_entry(
        &mut builder,
        &name,
        file,
        &serde_json::to_vec(&evil).expect("JSON"),
    );
    let link = format!("{folder}/{}.json", uuid::Uuid::new_v4());
    raw_entry(&mut builder, &link, tar::EntryType::Symlink, b"");
    let archive = root.path().join("from-another-laptop.tar");
    std::fs::write(&archive, builder.into_inner().expect("tar")).expect("write");

    let output = anketa()
        .arg("--data-dir")
        .arg(&data)
        .arg("merge")
        .arg(&archive)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code().is_some_and(|c| c != 101) && !stderr.contains("panicked"),
        "merge crashed: {stderr}"
    );
    let outside: Vec<_> = std::fs::read_dir(root.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data" && !n.ends_with(".tar"))
        .collect();
    assert!(
        outside.is_empty(),
        "merge wrote outside the data folder: {outside:?}"
    );
    for r in &good {
        let escaped = format!("/tmp/anketa-escape-{}.json", r.id);
        assert!(!Path::new(&escaped).exists(), "merge wrote {escaped}");
    }
    if data.exists() {
        for path in snapshot(&data).keys() {
            let relative = path.strip_prefix(&data).expect("inside");
            let text = relative.to_string_lossy();
            assert!(
                !text.contains("evil"),
                "a hostile questionnaire id became a path: {text}"
            );
            assert!(
                relative.starts_with("responses") || relative.starts_with("locks"),
                "unexpected file {text}"
            );
        }
        let report = Store::open(&data).expect("open").load(&form).expect("load");
        assert!(
            report.problems.is_empty(),
            "merge wrote a broken file: {:?}",
            report.problems
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Questionnaire files of every kind of wrongness, through `anketa validate`.

fn anketa() -> Command {
    let mut cmd = Command::cargo_bin("anketa").expect("binary");
    cmd.env_remove("ANKETA_DATA_DIR");
    cmd
}

fn bundled_value() -> Value {
    serde_json::from_str(&std::fs::read_to_string(BUNDLED).expect("read")).expect("JSON")
}

fn question<'a>(q: &'a mut Value, id: &str) -> &'a mut Value {
    q["sections"]
        .as_array_mut()
        .expect("sections")
        .iter_mut()
        .flat_map(|s| s["questions"].as_array_mut().expect("questions").iter_mut())
        .find(|x| x["id"] == id)
        .expect("question")
}

type Mutation = (fn(&mut Value), &'static str);

/// One wrongness per case, with the text (place and problem) the error must contain.
fn questionnaire_mutations() -> Vec<Mutation> {
    vec![
        (
            |q| q["id"] = json!("bad id!"),
            "id \"bad id!\" must be letters",
        ),
        (|q| q["version"] = json!(" "), "version is empty"),
        (|q| q["languages"] = json!([]), "languages is empty"),
        (
            |q| q["languages"] = json!(["bg", "en", "bg"]),
            "language `bg` is listed twice",
        ),
        (|q| q["sections"] = json!([]), "there are no sections"),
        (
            |q| q["title"] = json!({"bg": "Анкета"}),
            "title has no `en` text",
        ),
        (
            |q| q["title"]["de"] = json!("Umfrage"),
            "title has text in `de`",
        ),
        (
            |q| q["sections"][1]["id"] = q["sections"][0]["id"].clone(),
            "section `screening`: section id is used twice",
        ),
        (
            |q| q["choice_lists"]["yes_no"] = json!([]),
            "choice list `yes_no`: has no choices",
        ),
        (
            |q| q["choice_lists"]["yes_no"][0]["code"] = json!("Yes!"),
            "choice list `yes_no`: code \"Yes!\" must be",
        ),
        (
            |q| q["choice_lists"]["yes_no"][1]["code"] = json!("yes"),
            "choice list `yes_no`: code `yes` is used twice",
        ),
        (
            |q| question(q, "age")["id"] = json!("Age"),
            "question `Age`: id must start",
        ),
        (
            |q| question(q, "gender")["id"] = json!("age"),
            "question `age`: id is used twice",
        ),
        (
            |q| question(q, "consent")["choices"] = json!("nope"),
            "question `consent`: choice list `nope` does not exist",
        ),
        (
            |q| {
                drop(
                    question(q, "consent")
                        .as_object_mut()
                        .map(|o| o.remove("choices")),
                )
            },
            "question `consent`: a single question needs `choices`",
        ),
        (
            |q| question(q, "age")["choices"] = json!("yes_no"),
            "question `age`: `choices` is only for single and multiple",
        ),
        (
            |q| question(q, "main_barrier")["choices_from"] = json!("gender"),
            "question `main_barrier`: choices_from `gender` must be a multiple",
        ),
        (
            |q| question(q, "main_barrier")["choices_from"] = json!("comment"),
            "question `main_barrier`: choices_from `comment` is not an earlier question",
        ),
        (
            |q| question(q, "barriers")["max_choices"] = json!(0),
            "question `barriers`: max_choices must be at least 1",
        ),
        (
            |q| question(q, "barriers")["max_choices"] = json!(999),
            "question `barriers`: max_choices 999 is more than",
        ),
        (
            |q| question(q, "consent")["max_choices"] = json!(2),
            "question `consent`: max_choices is only for multiple",
        ),
        (
            |q| question(q, "age")["min"] = json!(200),
            "question `age`: min 200 is greater than max",
        ),
        (
            |q| question(q, "age")["max"] = json!(99.5),
            "question `age`: bound 99.5 must be a whole",
        ),
        (
            |q| question(q, "gender")["min"] = json!(1),
            "question `gender`: min/max are only for",
        ),
        (
            |q| question(q, "trust_mayor")["max"] = json!(1000),
            "question `trust_mayor`: a scale has at most",
        ),
        (
            |q| {
                drop(
                    question(q, "trust_mayor")
                        .as_object_mut()
                        .map(|o| o.remove("min_label")),
                )
            },
            "question `trust_mayor`: a scale needs min_label",
        ),
        (
            |q| question(q, "age")["max_length"] = json!(3),
            "question `age`: max_length is only for text",
        ),
        (
            |q| question(q, "intro")["required"] = json!(true),
            "question `intro`: a note takes no answer",
        ),
        (
            |q| question(q, "gender")["constraint_message"] = json!({"bg": "а", "en": "a"}),
            "question `gender`: constraint_message without a constraint",
        ),
        (
            |q| question(q, "gender")["relevant"] = json!("${consent} = "),
            "question `gender`: relevant \"${consent} = \"",
        ),
        (
            |q| question(q, "gender")["relevant"] = json!("${nobody} = 1"),
            "question `gender`: relevant refers to `${nobody}`, which does not exist",
        ),
        (
            |q| question(q, "gender")["relevant"] = json!(". > 1"),
            "question `gender`: relevant uses `.`",
        ),
        (
            |q| question(q, "age")["constraint"] = json!("frobnicate(.)"),
            "question `age`: constraint \"frobnicate(.)\"",
        ),
        (
            |q| {
                question(q, "age")["warnings"] =
                    json!([{"constraint": ". < ", "message": {"bg": "а", "en": "a"}}])
            },
            "question `age`: warnings[0].constraint \". < \"",
        ),
        (
            |q| {
                question(q, "age")["warnings"] =
                    json!([{"constraint": ". < ${comment}", "message": {"bg": "а", "en": "a"}}])
            },
            "question `age`: warnings[0].constraint refers to `${comment}`, which is not before it",
        ),
        (
            |q| {
                question(q, "age")["warnings"] =
                    json!([{"constraint": ". < 90", "message": {"bg": "а"}}])
            },
            "question `age`: warnings[0].message has no `en` text",
        ),
        (
            |q| {
                question(q, "age")["warnings"] =
                    json!([{"constraint": ". < 90", "messgae": {"bg": "а", "en": "a"}}])
            },
            "unknown field `messgae`",
        ),
        (
            |q| {
                question(q, "intro")["warnings"] =
                    json!([{"constraint": "1 = 1", "message": {"bg": "а", "en": "a"}}])
            },
            "question `intro`: a note takes no answer, so it cannot be required, constrained or have warnings",
        ),
        (
            |q| q["sections"][1]["relevant"] = json!("${comment} = 'x'"),
            "section `demographics`: relevant refers to `${comment}`, which is not before it",
        ),
        (
            |q| q["indices"][0]["items"] = json!(["no_such"]),
            "index `participation`: item `no_such` is not a question",
        ),
        (
            |q| q["indices"][0]["items"] = json!([]),
            "index `participation`: has no items",
        ),
        (
            |q| q["indices"][0]["count_codes"] = json!([]),
            "index `participation`: a count index needs count_codes",
        ),
        (
            |q| q["indices"][1]["items"] = json!(["comment"]),
            "index `local_trust`: item `comment` has no numeric value",
        ),
        (
            |q| q["indices"][1]["id"] = q["indices"][0]["id"].clone(),
            "index `participation`: index id is used twice",
        ),
        (
            |q| question(q, "age")["type"] = json!("number"),
            "unknown variant `number`",
        ),
        (
            |q| question(q, "age")["requried"] = json!(true),
            "unknown field `requried`",
        ),
        (
            |q| question(q, "age")["min"] = json!("zero"),
            "invalid type: string \"zero\"",
        ),
    ]
}

#[test]
fn every_kind_of_wrong_questionnaire_is_named_by_validate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mutations = questionnaire_mutations();
    let mut paths = Vec::new();
    for (i, (mutate, _)) in mutations.iter().enumerate() {
        let mut q = bundled_value();
        mutate(&mut q);
        let path = dir.path().join(format!("wrong-{i:02}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&q).expect("JSON")).expect("write");
        paths.push(path);
    }
    // One run over every file: each is reported on its own, none stops the others.
    let out = anketa().arg("validate").args(&paths).assert().code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for (i, (_, expected)) in mutations.iter().enumerate() {
        let name = format!("wrong-{i:02}.json");
        let block = file_block(&stdout, &name);
        assert!(
            block.contains(expected),
            "{name}: missing {expected:?} in:\n{block}"
        );
    }
}

/// The part of `validate`'s output about one file: from its name to the next file's name.
fn file_block<'a>(stdout: &'a str, name: &str) -> &'a str {
    let Some(start) = stdout.find(name) else {
        panic!("{name} not mentioned in:\n{stdout}");
    };
    let rest = &stdout[start..];
    let end = rest[name.len()..]
        .find("wrong-")
        .map_or(rest.len(), |i| i + name.len());
    &rest[..end]
}

#[test]
fn syntax_errors_in_questionnaires_name_line_and_column() {
    let text = std::fs::read_to_string(BUNDLED).expect("read");
    // Cut in the middle, on a character boundary whatever the questionnaire's text.
    let half = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let cases = [
        (text[..half].to_owned(), "EOF"),
        (
            text.replacen("\"sections\"", "\"sections\" :: ", 1),
            "expected value",
        ),
        (text.replacen('{', "{,", 1), "key must be a string"),
    ];
    for (broken, why) in cases {
        let err = load_str(&broken, "q.json")
            .expect_err("accepted")
            .to_string();
        assert!(err.starts_with("q.json:"), "no place: {err}");
        let mut parts = err.splitn(4, ':');
        let (_, line, column) = (parts.next(), parts.next(), parts.next());
        assert!(
            line.is_some_and(|l| l.parse::<usize>().is_ok()),
            "no line: {err}"
        );
        assert!(
            column.is_some_and(|c| c.parse::<usize>().is_ok()),
            "no column: {err}"
        );
        assert!(err.contains(why), "{err} lacks {why}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let latin1 = dir.path().join("latin1.json");
    std::fs::write(&latin1, b"{\"id\": \"caf\xe9\"}").expect("write");
    anketa()
        .arg("validate")
        .arg(&latin1)
        .assert()
        .code(1)
        .stdout(
            predicates::str::contains("latin1.json:1:").and(predicates::str::contains("UTF-8")),
        );
}

// ---------------------------------------------------------------------------------------------
// Properties: no input makes the loaders panic.

/// A valid response file, compact or pretty.
fn valid_response_bytes(pretty: bool) -> Vec<u8> {
    let form = form();
    let r = good_response(&form);
    if pretty {
        serde_json::to_vec_pretty(&r).expect("JSON")
    } else {
        serde_json::to_vec(&r).expect("JSON")
    }
}

/// Loads a response the way `Store::load` does, returning whether it was accepted.
fn load_like_the_store(bytes: &[u8], form: &Form) -> bool {
    match parse_response(bytes) {
        Ok(mut r) => {
            let name = format!("{}.json", r.id);
            let _ = form.relevance(&r.answers);
            let accepted = check_response(&r, Path::new(&name), form).is_ok();
            if accepted {
                // Admission marks the invalid answers; routing then runs on the marks too.
                let _ = anketa::store::admit(&mut r, Path::new(&name), form);
                let _ = form.relevance(&r.answers);
            }
            accepted
        }
        Err(reason) => {
            assert!(!reason.is_empty());
            false
        }
    }
}

/// Byte-level damage: overwrite, delete, insert, truncate.
fn damage(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => bytes[at] = byte,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, byte),
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// A random JSON value, to put anywhere inside a valid file.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("yes")),
        Just(json!({"special": "refused"})),
        Just(json!("SOF46")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `n`-th node (in a depth-first walk) of `value` with `with`.
fn replace_node(value: &mut Value, n: &mut usize, with: &Value) -> bool {
    if *n == 0 {
        *value = with.clone();
        return true;
    }
    *n -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| replace_node(v, n, with)),
        Value::Object(map) => map.values_mut().any(|v| replace_node(v, n, with)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_response_loader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        load_like_the_store(&bytes, &form());
    }

    #[test]
    fn the_response_loader_never_panics_on_damaged_files(
        pretty in any::<bool>(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8),
    ) {
        load_like_the_store(&damage(valid_response_bytes(pretty), &edits), &form());
    }

    #[test]
    fn the_response_loader_never_panics_on_wrong_values_anywhere(
        node in any::<usize>(),
        with in any_json(),
    ) {
        let mut value: Value = serde_json::from_slice(&valid_response_bytes(false)).expect("JSON");
        let mut n = node % 40;
        replace_node(&mut value, &mut n, &with);
        load_like_the_store(&serde_json::to_vec(&value).expect("JSON"), &form());
    }

    #[test]
    fn the_questionnaire_loader_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        let _ = load_str(&text, "q.json");
    }

    #[test]
    fn the_questionnaire_loader_never_panics_on_damaged_files(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        let bytes = damage(std::fs::read(BUNDLED).expect("read"), &edits);
        if let Ok(text) = std::str::from_utf8(&bytes)
            && let Ok(form) = load_str(text, "q.json")
        {
            let _ = form.relevance(&BTreeMap::new());
        }
    }

    #[test]
    fn the_questionnaire_loader_never_panics_on_wrong_values_anywhere(
        node in any::<usize>(),
        with in any_json(),
        expression in "[$]\\{[a-z_]{1,10}\\} ?(=|!=|<|>|and|or|\\+|div|mod) ?('[a-z]{0,3}'|[0-9]{1,3}|\\.|[$]\\{[a-z_]{1,8}\\})",
    ) {
        let mut q = bundled_value();
        let mut n = node % 3000;
        replace_node(&mut q, &mut n, &with);
        // And an arbitrary skip rule on an arbitrary question.
        if let Some(questions) = q
            .pointer_mut(&format!("/sections/{}/questions", node % 10))
            .and_then(Value::as_array_mut)
            && !questions.is_empty()
        {
            let i = node % questions.len();
            // The random replacement may have made the question itself an array or a number.
            if let Some(question) = questions[i].as_object_mut() {
                question.insert("relevant".to_owned(), json!(expression));
            }
        }
        if let Ok(form) = load_str(&q.to_string(), "q.json") {
            let _ = form.relevance(&BTreeMap::new());
        }
    }
}
