//! The cost of one key press on the interview screen: the update and one full frame at
//! 120×40, drawn to ratatui's TestBackend. Run with `cargo bench --bench tui_interview`.
//!
//! Confirming an answer also saves the draft (atomically, fsynced) on the saver thread; after the
//! divan table, `confirm_latency` prints the 50th and 99th percentile and the worst of 2,000
//! confirmations measured one by one, which is what the interviewer feels.

use anketa::paths::Paths;
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
    confirm_latency();
}

/// Confirms the answer to `single` 2,000 times (Enter saves and moves on, Shift+Tab comes back),
/// timing each key press with its redraw while the saver thread writes the draft, and prints the
/// percentiles.
fn confirm_latency() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_at(&dir, "education");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let back = Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    let mut confirms = Vec::with_capacity(2_000);
    for _ in 0..2_000 {
        let start = std::time::Instant::now();
        app.handle_event(&enter);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
        confirms.push(start.elapsed());
        app.handle_event(&back);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
        // Take in finished saves, as the event loop does between key presses.
        app.poll_background();
    }
    app.settle();
    confirms.sort();
    let at = |q: f64| confirms[((confirms.len() - 1) as f64 * q) as usize];
    println!(
        "confirm_latency (Enter with autosave + redraw, 2,000 presses): p50 {:?}, p99 {:?}, max {:?}",
        at(0.5),
        at(0.99),
        confirms[confirms.len() - 1]
    );
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
            // The first option by arrow and Space: on lists of more than ten a lone digit waits
            // for a second one.
            anketa::questionnaire::QuestionType::Multiple => {
                &[KeyCode::Down, KeyCode::Char(' '), KeyCode::Enter]
            }
            anketa::questionnaire::QuestionType::Scale => &[KeyCode::Char('5'), KeyCode::Enter],
            anketa::questionnaire::QuestionType::Single => &[KeyCode::Char('1')],
            _ => &[KeyCode::Enter],
        };
        let before = q.id.clone();
        for &k in keys {
            press(&mut app, k);
        }
        // A soft check (the capital chosen outside Sofia, say) holds the answer until Enter.
        if let Screen::Interview(screen) = &app.screen
            && screen
                .interview
                .current()
                .is_some_and(|(_, q)| q.id == before)
        {
            press(&mut app, KeyCode::Enter);
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

/// Confirming a single-choice answer (which queues an autosave) and coming back, with redraws.
#[divan::bench]
fn confirm_and_back(bencher: Bencher) {
    bench_keys(bencher, "education", [KeyCode::Enter, KeyCode::BackTab]);
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

/// Opening the question list (F3) on the bundled questionnaire and drawing it at 120×40, then
/// closing it: what the interviewer waits for after F3 (the close is included, so this is an
/// upper bound).
#[divan::bench]
fn question_list_open(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_at(&dir, "p_petition");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let open = Event::Key(KeyEvent::new(KeyCode::F(3), KeyModifiers::NONE));
    let close = Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    bencher.bench_local(|| {
        app.handle_event(&open);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
        app.handle_event(&close);
    });
}

/// Typing a search into the open question list, with a redraw per key.
#[divan::bench]
fn question_list_search(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app_at(&dir, "p_petition");
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::F(3),
        KeyModifiers::NONE,
    )));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let events = [KeyCode::Char('д'), KeyCode::Backspace]
        .map(|k| Event::Key(KeyEvent::new(k, KeyModifiers::NONE)));
    let mut n = 0usize;
    bencher.bench_local(|| {
        n += 1;
        app.handle_event(&events[n % 2]);
        terminal.draw(|frame| app.draw(frame)).expect("draw");
    });
}
