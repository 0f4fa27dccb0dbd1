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

/// Answers whatever comes, recognising the question type by its footer, then finishes.
fn finish_interview(t: &Tmux) {
    for _ in 0..100 {
        let screen = t.screen();
        if screen.contains("F10/^F  завършване") {
            t.keys(&["F10"]);
            t.wait_for("Да завърша ли");
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
