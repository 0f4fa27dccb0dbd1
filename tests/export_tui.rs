//! The Export screen on ratatui's TestBackend: the form in both languages, changing options,
//! a real export run to the end on a background thread, and a refused overwrite.

mod export_support;

use std::path::Path;
use std::time::{Duration, Instant};

use anketa::store::Store;
use anketa::tui::export_screen::{ExportScreen, Step};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use export_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn screen(data: &Path, lang: &str, path: &Path) -> ExportScreen {
    let store = Store::open(data).unwrap();
    ExportScreen::new(&form(), &store, lang, path.to_owned())
}

fn render(screen: &ExportScreen) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    terminal.draw(|f| screen.draw(f)).unwrap();
    terminal
}

fn text(screen: &ExportScreen) -> String {
    render(screen).backend().to_string()
}

/// Polls until the export ends (or ten seconds pass).
fn finish(screen: &mut ExportScreen) {
    let start = Instant::now();
    while screen.is_running() {
        screen.poll();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "export did not end"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_form_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["bg", "en"] {
        let s = screen(&dir.path().join("data"), lang, Path::new("survey.csv"));
        insta::assert_snapshot!(format!("form_{lang}"), render(&s).backend());
    }
}

#[test]
fn keys_change_the_options() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = screen(&dir.path().join("data"), "en", Path::new("survey.csv"));
    assert_eq!(s.on_key(key(KeyCode::Right)), Step::Redraw);
    s.on_key(key(KeyCode::Down));
    s.on_key(key(KeyCode::Char(' ')));
    s.on_key(key(KeyCode::Down));
    s.on_key(key(KeyCode::Right));
    for _ in 0..3 {
        s.on_key(key(KeyCode::Down));
    }
    s.on_key(key(KeyCode::Right));
    insta::assert_snapshot!("changed_en", render(&s).backend());
    // The file name is typed on its own line; `q` there is a letter, not "quit".
    for _ in 0..10 {
        s.on_key(key(KeyCode::Down));
    }
    for _ in 0.."survey.csv".len() {
        s.on_key(key(KeyCode::Backspace));
    }
    for c in "q.csv".chars() {
        assert_eq!(s.on_key(key(KeyCode::Char(c))), Step::Redraw);
    }
    assert!(text(&s).contains("q.csv▏"));
    assert_eq!(s.on_key(key(KeyCode::Esc)), Step::Leave);
}

#[test]
fn an_export_runs_to_the_end_and_shows_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let form = form();
    let responses = dataset(&form, 20);
    save_all(&data, &responses);
    let out = dir.path().join("tui.csv");
    let mut s = screen(&data, "bg", &out);
    s.on_key(key(KeyCode::Enter));
    assert!(s.is_running());
    assert!(text(&s).contains("моля, изчакайте"));
    finish(&mut s);
    let complete = responses
        .iter()
        .filter(|r| r.status == anketa::store::Status::Complete)
        .count();
    let shown = text(&s);
    assert!(
        shown.contains(&format!("Записани интервюта: {complete}")),
        "{shown}"
    );
    assert!(shown.contains("Кодификатор:"), "{shown}");
    let (header, rows) = read_csv(&out);
    assert_eq!(header, expected_header(&form, Style::default()));
    assert_eq!(rows.len(), complete);
    assert!(dir.path().join("tui.codebook.csv").is_file());
    assert_eq!(s.on_key(key(KeyCode::Enter)), Step::Leave);
}

#[test]
fn an_existing_file_is_kept_and_the_reason_shown() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    save_all(&data, &dataset(&form(), 3));
    let out = dir.path().join("kept.csv");
    std::fs::write(&out, "precious").unwrap();
    let mut s = screen(&data, "en", &out);
    s.on_key(key(KeyCode::Enter));
    finish(&mut s);
    assert!(text(&s).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    // Allow replacing (the tenth line) and run again.
    for _ in 0..9 {
        s.on_key(key(KeyCode::Down));
    }
    s.on_key(key(KeyCode::Right));
    s.on_key(key(KeyCode::Enter));
    finish(&mut s);
    assert!(text(&s).contains("Interviews written:"));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("response_id,")
    );
}

#[test]
fn a_tiny_terminal_does_not_break_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    save_all(&data, &dataset(&form(), 2));
    let mut s = screen(&data, "bg", &dir.path().join("tiny.csv"));
    for (w, h) in [(20, 5), (1, 1), (0, 0), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| s.draw(f)).unwrap();
        s.on_key(key(KeyCode::Enter));
        terminal.draw(|f| s.draw(f)).unwrap();
        finish(&mut s);
        terminal.draw(|f| s.draw(f)).unwrap();
    }
}

#[test]
fn esc_cancels_a_running_export_and_nothing_half_written_remains() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    save_all(&data, &dataset(&form(), 30));
    let out = dir.path().join("cancel.csv");
    let mut s = screen(&data, "en", &out);
    s.on_key(key(KeyCode::Enter));
    assert_eq!(s.on_key(key(KeyCode::Esc)), Step::Redraw);
    assert!(text(&s).contains("cancelling"));
    finish(&mut s);
    // Either the export was stopped (and says so) or it had already finished; a data file that
    // exists is always whole.
    let shown = text(&s);
    assert!(
        shown.contains("cancelled") || shown.contains("Interviews written:"),
        "{shown}"
    );
    if out.exists() {
        let (header, rows) = read_csv(&out);
        assert_eq!(header, expected_header(&form(), Style::default()));
        assert!(!rows.is_empty());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
