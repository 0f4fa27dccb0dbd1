//! End to end in a real terminal: the `anketa` binary runs in tmux, an interview is answered
//! with send-keys, the process is killed with SIGKILL in the middle, anketa is started again,
//! the draft is resumed from the home screen and finished. Every answer given before the kill
//! must be in the final file.
//!
//! Skipped, with a notice, where tmux is not installed (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anketa::questionnaire::Answer;
use anketa::store::{Response, Status};

/// A private tmux server (its own socket), so no other tmux session is touched.
struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn new(tag: &str) -> Self {
        Self {
            socket: format!("anketa-e2e-{}-{tag}", std::process::id()),
            session: "anketa".to_owned(),
        }
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn start(&self, data: &Path, config: &Path) {
        let command = format!(
            "exec env ANKETA_DATA_DIR='{}' ANKETA_CONFIG_DIR='{}' TERM=xterm-256color '{}'",
            data.display(),
            config.display(),
            env!("CARGO_BIN_EXE_anketa")
        );
        let out = self.cmd(&[
            "new-session",
            "-d",
            "-s",
            &self.session,
            "-x",
            "100",
            "-y",
            "30",
            &command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }

    fn literal(&self, text: &str) {
        self.cmd(&["send-keys", "-t", &self.session, "-l", text]);
    }

    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {needle:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows one of `needles`; returns the screen.
    fn wait_for_any(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.screen();
            if needles.iter().any(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for one of {needles:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen differs from `before`.
    fn wait_change(&self, before: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.screen();
            if screen != before {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "the screen did not change:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn pid(&self) -> String {
        let out = self.cmd(&["display-message", "-p", "-t", &self.session, "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn is_running(&self) -> bool {
        self.cmd(&["has-session", "-t", &self.session])
            .status
            .success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The start of question `id`'s Bulgarian text, as the screen shows it (read from the bundled
/// questionnaire, so rewording a question does not break this test).
fn label(id: &str) -> String {
    let form = anketa::questionnaire::catalog::default_form().unwrap();
    let text = form.question(id).unwrap().label.get("bg").to_owned();
    text.chars().take(20).collect()
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn responses(data: &Path) -> Vec<Response> {
    let dir = data.join("responses/civic-participation-bg");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect()
}

/// Waits until the draft on disk holds an answer to `id`.
fn wait_saved(data: &Path, id: &str) -> Response {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(r) = responses(data)
            .into_iter()
            .find(|r| r.answers.contains_key(id))
        {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "the answer to {id} never reached the disk"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// One question: press `keys`, wait for the next screen.
fn answer(t: &Tmux, keys: &[&str]) {
    let before = t.screen();
    for k in keys {
        t.keys(&[k]);
    }
    t.wait_change(&before);
}

#[test]
fn killed_mid_interview_resumes_and_finishes_with_every_answer() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the end-to-end interview test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let config: PathBuf = dir.path().join("config");

    let t = Tmux::new("first");
    t.start(&data, &config);
    t.wait_for("Ново интервю");
    t.keys(&["Enter"]);
    t.wait_for("Анкетьор:");
    t.literal("Тест Тестов");
    t.keys(&["Enter"]);
    t.wait_for("Община:");
    t.literal("plov");
    t.wait_for("Асеновград");
    t.keys(&["Enter"]);
    t.wait_for(&label("intro"));
    answer(&t, &["Enter"]); // intro
    t.wait_for(&label("consent"));
    answer(&t, &["1"]); // consent: yes
    t.wait_for(&label("age"));
    t.literal("42");
    answer(&t, &["Enter"]);
    t.wait_for(&label("gender"));
    // Settlement "in Sofia (the capital)" agrees with Столична below, so no warning stops it.
    for key in ["1", "1", "3", "1", "2"] {
        answer(&t, &[key]); // gender … income_feeling
    }
    t.wait_for(&label("residence"));
    t.literal("sofia");
    t.wait_for("Столична");
    answer(&t, &["Enter"]);
    t.wait_for("[ ]");
    answer(&t, &["1", "3", "Enter"]); // aware_channels
    let before_kill = wait_saved(&data, "aware_channels");

    let pid = t.pid();
    let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.is_running() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(t);

    let t = Tmux::new("second");
    t.start(&data, &config);
    t.wait_for("Чернови — продължаване (1)");
    t.keys(&["2"]);
    t.wait_for("Тест Тестов");
    t.keys(&["Enter"]);
    t.wait_for(&label("informed"));
    finish_interview(&t);
    t.wait_for("Интервюто е завършено и записано.");
    t.keys(&["q"]);

    let files = responses(&data);
    assert_eq!(files.len(), 1, "one interview, one file");
    let done = &files[0];
    assert_eq!(done.id, before_kill.id);
    assert_eq!(done.status, Status::Complete);
    assert!(done.completed_at.is_some());
    for (id, given) in &before_kill.answers {
        assert_eq!(done.answers.get(id), Some(given), "answer to {id} kept");
    }
    let text = |s: &str| Answer::Text(s.to_owned());
    assert_eq!(done.answers["consent"], text("yes"));
    assert_eq!(done.answers["age"], Answer::Number(42.0));
    assert_eq!(done.answers["gender"], text("female"));
    assert_eq!(done.answers["residence"], text("SOF46"));
    assert_eq!(
        done.answers["aware_channels"],
        Answer::Codes(vec!["consultation".into(), "council_session".into()])
    );
    assert!(
        done.answers.len() > before_kill.answers.len(),
        "the rest was answered after the restart"
    );
}

/// The start of question `id`'s text in `lang`.
fn label_in(id: &str, lang: &str) -> String {
    let form = anketa::questionnaire::catalog::default_form().unwrap();
    let text = form.question(id).unwrap().label.get(lang).to_owned();
    text.chars().take(20).collect()
}

/// Home → new interview (the remembered name) → Plovdiv → intro, consent yes, age 42.
fn begin_interview(t: &Tmux, name: Option<&str>) {
    t.keys(&["Enter"]);
    t.wait_for("Анкетьор:");
    if let Some(name) = name {
        t.literal(name);
    }
    t.keys(&["Enter"]);
    t.wait_for("Община:");
    t.literal("plov");
    t.wait_for("Асеновград");
    t.keys(&["Enter"]);
    t.wait_for(&label("intro"));
    answer(t, &["Enter"]);
    t.wait_for(&label("consent"));
    answer(t, &["1"]);
    t.wait_for(&label("age"));
    t.literal("42");
    answer(t, &["Enter"]);
}

/// A break-off after a language switch and a remark, then a full interview edited after its
/// completion: the files, the audit trails and `export --audit` say what happened, and who.
#[test]
fn break_off_language_switch_remark_and_edit_are_recorded() {
    if !tmux_available() {
        eprintln!("notice: tmux is not installed; skipping the end-to-end lifecycle test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("data");
    let config: PathBuf = dir.path().join("config");
    let t = Tmux::new("lifecycle");
    t.start(&data, &config);
    t.wait_for("Ново интервю");

    // 1. Bulgarian up to the age, English from the gender on, a remark, then a break-off.
    begin_interview(&t, Some("Тест Тестов"));
    t.wait_for(&label("gender"));
    t.keys(&["F2"]);
    t.wait_for(&label_in("gender", "en"));
    answer(&t, &["1"]);
    t.keys(&["F4"]);
    t.wait_for("Remark on");
    t.literal("шумно, съседите слушат");
    answer(&t, &["Enter"]);
    t.keys(&["F7"]);
    t.wait_for("End the interview");
    t.keys(&["Down"]);
    t.keys(&["Enter"]);
    t.wait_for("Interviewer's observations");
    t.keys(&["Escape"]);
    t.wait_for("Случаят е приключен: 2.12");

    // 2. A full interview in Bulgarian (the next one starts in the default language).
    begin_interview(&t, None);
    finish_interview(&t);
    t.wait_for("Интервюто е завършено и записано.");
    let full = responses(&data)
        .into_iter()
        .find(|r| r.outcome == Some(anketa::outcome::Outcome::Complete))
        .expect("the full interview is on disk");

    // 3. View it, then edit the age with a reason.
    t.keys(&["3"]);
    t.wait_for("Завършени — преглед и редакция (2)");
    t.keys(&["Enter"]);
    t.wait_for("само за преглед");
    t.keys(&["р"]);
    t.wait_for("Редакция на завършено интервю");
    t.literal("грешна възраст");
    t.keys(&["Enter"]);
    t.wait_for("Преглед на отговорите");
    t.keys(&["Down"]);
    answer(&t, &["Enter"]);
    t.wait_for(&label("age"));
    t.keys(&["BSpace", "BSpace", "BSpace"]);
    t.literal("43");
    answer(&t, &["Enter"]);
    t.wait_for("Преглед на отговорите");
    t.keys(&["Escape"]);
    t.wait_for("Интервюто е завършено и записано.");
    t.keys(&["q"]);

    let files = responses(&data);
    assert_eq!(files.len(), 2);
    let broken = files
        .iter()
        .find(|r| r.outcome == Some(anketa::outcome::Outcome::BreakOff))
        .expect("the break-off");
    assert_eq!(broken.status, Status::Complete, "a closed case");
    assert_eq!(broken.language, "bg", "the language it started in");
    assert_eq!(broken.answers["gender"], Answer::Text("female".into()));
    assert_eq!(broken.remarks.len(), 1, "{:?}", broken.remarks);
    assert!(
        broken
            .remarks
            .values()
            .any(|r| r == "шумно, съседите слушат")
    );
    let edited = files.iter().find(|r| r.id == full.id).unwrap();
    assert_eq!(edited.status, Status::Complete);
    assert_eq!(
        edited.completed_at, full.completed_at,
        "the first completion kept"
    );
    assert_eq!(edited.answers["age"], Answer::Number(43.0));
    assert_eq!(edited.revisions.len(), 1);
    assert_eq!(edited.revisions[0].by, "Тест Тестов");
    assert_eq!(edited.revisions[0].reason, "грешна възраст");

    let trail = |id: uuid::Uuid| {
        let path = data.join(format!("audit/civic-participation-bg/{id}.jsonl"));
        anketa::audit::parse(&std::fs::read(path).unwrap()).unwrap()
    };
    let broken_trail = trail(broken.id);
    let langs = anketa::audit::answer_languages(&broken_trail);
    assert_eq!(
        (langs["age"].as_str(), langs["gender"].as_str()),
        ("bg", "en")
    );
    use anketa::audit::EventKind;
    assert!(broken_trail.iter().any(|e| e.event == EventKind::Language));
    assert!(broken_trail.iter().any(|e| e.event == EventKind::Remark));
    let edited_trail = trail(edited.id);
    let change = edited_trail
        .iter()
        .rfind(|e| e.event == EventKind::Answered && e.question.as_deref() == Some("age"))
        .unwrap();
    assert_eq!(change.old, Some(Answer::Number(42.0)));
    assert_eq!(change.new, Some(Answer::Number(43.0)));
    assert!(edited_trail.iter().any(|e| e.event == EventKind::Edited));

    let out = dir.path().join("audit.csv");
    let export = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(&data)
        .args(["export", "--audit", "--cases", "all", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(export.status.success(), "{:?}", export);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + broken_trail.len() + edited_trail.len(),
        "one row per event"
    );
    assert!(csv.contains(",ended,") && csv.contains(",edited,") && csv.contains(",2.12,"));
}

/// Answers whatever comes, recognising the question type by its footer, then finishes.
fn finish_interview(t: &Tmux) {
    for _ in 0..100 {
        let screen = t.screen();
        if screen.contains("F10/^F  завършване") {
            t.keys(&["F10"]);
            let asked = t.wait_for_any(&["Да завърша ли", "Въпроси без отговор"]);
            // Finish even with optional questions left unanswered.
            t.keys(&[if asked.contains("без отговор") {
                "д"
            } else {
                "Enter"
            }]);
            t.wait_for("Наблюдения на анкетьора");
            t.keys(&["Enter"]);
            return;
        }
        if screen.contains("отбелязване") {
            answer(t, &["1", "Enter"]);
        } else if screen.contains("оценка") {
            answer(t, &["5", "Enter"]);
        } else if screen.contains("1-9  избор") {
            answer(t, &["1"]);
        } else {
            answer(t, &["Enter"]); // a note, or an optional text left empty
        }
    }
    panic!("never reached the review:\n{}", t.screen());
}
