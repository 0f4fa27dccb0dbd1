//! The cost of one key press on the interview screen: the update and one full frame at
//! 120×40, drawn to ratatui's TestBackend. Run with `cargo bench --bench tui_interview`.

use anketa::paths::Paths;
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    app.settle();
}

/// An app on the question `id` of the bundled questionnaire, every earlier one answered.
fn app_at(dir: &tempfile::TempDir, id: &str) -> App {
    let paths = Paths {
        data_dir: dir.path().join("data"),
        config_dir: dir.path().join("config"),
    };
    let mut app = App::new(&paths).expect("app");
    press(&mut app, KeyCode::Enter);
    for c in "Мария".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    for c in "plov".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    for _ in 0..100 {
        let Screen::Interview(screen) = &app.screen else {
            panic!("not interviewing")
        };
        let Some((_, q)) = screen.interview.current() else {
            panic!("{id} never came")
        };
        if q.id == id {
            return app;
        }
        let keys: &[KeyCode] = match q.kind {
            anketa::questionnaire::QuestionType::Integer => {
                &[KeyCode::Char('4'), KeyCode::Char('2'), KeyCode::Enter]
            }
            anketa::questionnaire::QuestionType::Municipality => {
                &[KeyCode::Char('s'), KeyCode::Enter]
            }
            anketa::questionnaire::QuestionType::Multiple => &[KeyCode::Char('1'), KeyCode::Enter],
            anketa::questionnaire::QuestionType::Scale => &[KeyCode::Char('5'), KeyCode::Enter],
            anketa::questionnaire::QuestionType::Single => &[KeyCode::Char('1')],
            _ => &[KeyCode::Enter],
        };
        for &k in keys {
            press(&mut app, k);
        }
    }
    panic!("{id} never came");
}

fn bench_keys(bencher: Bencher, id: &str, keys: [KeyCode; 2]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_at(&dir, id);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let events = keys.map(|k| Event::Key(KeyEvent::new(k, KeyModifiers::NONE)));
    let mut n = 0usize;
    bencher.bench_local(|| {
        n += 1;
        app.handle_event(&events[n % 2]);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
    });
}

/// Ticking an option of a multiple-choice question (7 options) and redrawing.
#[divan::bench]
fn multiple_choice_tick(bencher: Bencher) {
    bench_keys(
        bencher,
        "info_sources",
        [KeyCode::Char('1'), KeyCode::Char('1')],
    );
}

/// Moving the highlight in a single-choice list and redrawing.
#[divan::bench]
fn single_choice_move(bencher: Bencher) {
    bench_keys(bencher, "education", [KeyCode::Down, KeyCode::Up]);
}

/// Typing into the municipality type-ahead (search over 265 names) and redrawing.
#[divan::bench]
fn municipality_type_ahead(bencher: Bencher) {
    bench_keys(
        bencher,
        "residence",
        [KeyCode::Char('п'), KeyCode::Backspace],
    );
}

/// Typing Cyrillic into a text field and redrawing.
#[divan::bench]
fn text_typing(bencher: Bencher) {
    bench_keys(bencher, "comment", [KeyCode::Char('ж'), KeyCode::Backspace]);
}
