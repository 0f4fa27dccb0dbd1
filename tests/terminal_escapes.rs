//! Text from files is shown on a terminal, never obeyed: control characters in municipalities,
//! interviewer names, labels and choices are escaped by the command line and dropped by the
//! terminal interface, so a file cannot move the cursor, erase a line or retitle the window.

use std::path::Path;

use anketa::paths::Paths;
use anketa::questionnaire::{Answer, Form, catalog::default_form, load_path, load_str};
use anketa::store::{Response, Status, Store};
use anketa::tui::app::App;
use assert_cmd::Command;
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Erases the line, sets the window title, rings the bell, reverses the text.
const HOSTILE: &str = "\r\x1b[2K\x1b]0;pwned\x07\u{202e}\u{9b}31m";

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// Fails when `bytes` hold a character a terminal would act on (anything but printing text,
/// newlines and tabs).
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
        })
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}

/// Writes `response` as its JSON file, bypassing the store's checks as a hostile laptop would.
fn write_raw(data: &Path, response: &Response) {
    let dir = data.join("responses").join(&response.questionnaire);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{}.json", response.id)),
        serde_json::to_vec(response).unwrap(),
    )
    .unwrap();
}

fn complete(form: &Form, interviewer: &str, municipality: &str) -> Response {
    let mut r = Response::new(form, interviewer, municipality, "en");
    r.answers
        .insert("took_part".into(), Answer::Text("no".into()));
    r.answers.insert("age".into(), Answer::Number(40.0));
    r.status = Status::Complete;
    r.completed_at = Some(r.started_at + SignedDuration::from_secs(2));
    r.updated_at = r.completed_at.unwrap();
    r
}

#[test]
fn a_hostile_municipality_cannot_erase_the_skipped_line() {
    let data = tempfile::tempdir().unwrap();
    let form = default_form().unwrap();
    let mut r = Response::new(&form, "ana", HOSTILE, "bg");
    r.status = Status::Complete;
    r.completed_at = Some(r.updated_at);
    write_raw(data.path(), &r);
    for args in [&["stats"][..], &["stats", "--by-municipality"], &["check"]] {
        let out = anketa(data.path()).args(args).output().unwrap();
        assert_inert(&format!("{args:?} stdout"), &out.stdout);
        assert_inert(&format!("{args:?} stderr"), &out.stderr);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("skipped") {
            assert!(stderr.contains("\\r\\u{1b}[2K"), "{args:?}: {stderr}");
        }
    }
    // The export's line about skipped files, and merge's report of the same file.
    let out = tempfile::tempdir().unwrap();
    let export = anketa(data.path())
        .arg("export")
        .arg("--out")
        .arg(out.path().join("x.csv"))
        .output()
        .unwrap();
    assert_inert("export stderr", &export.stderr);
    let dest = tempfile::tempdir().unwrap();
    let merged = anketa(dest.path())
        .arg("merge")
        .arg(data.path())
        .output()
        .unwrap();
    assert_inert("merge stdout", &merged.stdout);
}

#[test]
fn hostile_interviewer_names_are_escaped_in_check_and_pack() {
    let data = tempfile::tempdir().unwrap();
    let questionnaire = Path::new("tests/fixtures/stats/mini.json");
    let form = load_path(questionnaire).unwrap();
    let store = Store::open(data.path()).unwrap();
    for _ in 0..3 {
        store
            .save(&complete(
                &form,
                &format!("Ана{HOSTILE}\nfake line"),
                "SOF46",
            ))
            .unwrap();
    }
    let out = anketa(data.path())
        .args(["check", "--questionnaire"])
        .arg(questionnaire)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_inert("check", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Ана\\r\\u{1b}[2K"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("fake line")),
        "a newline in a name cannot start a line of its own:\n{text}"
    );
}

#[test]
fn hostile_labels_and_choices_never_reach_the_terminal() {
    let root = tempfile::tempdir().unwrap();
    let label = |text: &str| serde_json::json!({ "en": format!("{text}{HOSTILE}") });
    let form_json = serde_json::json!({
        "id": "hostile", "version": "1", "languages": ["en"], "title": label("T"),
        "choice_lists": {"c": [{"code": "a", "label": label("Choice")},
                               {"code": "b", "label": label("Other")}]},
        "sections": [{"id": "s", "title": label("S"), "questions": [
            {"id": "q", "type": "single", "label": label("Label"), "choices": "c"}]}]
    })
    .to_string();
    let form = load_str(&form_json, "hostile.json").expect("valid form");
    let paths = Paths {
        data_dir: root.path().join("data"),
        config_dir: root.path().join("config"),
    };
    let mut app = App::for_interview(&paths, form).unwrap();
    app.settle();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    // The setup screen, then every screen reachable with Enter (interviewer, municipality…).
    for _ in 0..6 {
        terminal.draw(|frame| app.draw(frame)).unwrap();
        for cell in terminal.backend().buffer().content() {
            assert_inert("a cell", cell.symbol().as_bytes());
        }
        let enter = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
        app.handle_event(&crossterm::event::Event::Key(enter));
        app.settle();
    }
}
