//! The terminal interface under hostile conditions, on ratatui's TestBackend: tiny terminals,
//! resize storms, pasted text with control characters, 10,000-character answers, right-to-left
//! script and emoji, and thousands of random keys. Nothing may panic, a too-small terminal gets
//! a clear message, the layout is the same after a storm as before it, hostile text never
//! spills into the title or the footer, and whatever is saved loads.

use std::path::Path;

use anketa::paths::Paths;
use anketa::questionnaire::{Answer, load_str};
use anketa::store::Store;
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn paths(root: &Path) -> Paths {
    Paths {
        data_dir: root.join("data"),
        config_dir: root.join("config"),
    }
}

/// Draws the app on a terminal of this size and returns the screen as text (empty for a
/// terminal with no cells, which the test backend cannot print).
fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| app.draw(frame)).expect("draw");
    if width == 0 || height == 0 {
        return String::new();
    }
    terminal.backend().to_string()
}

fn send(app: &mut App, event: Event) {
    app.handle_event(&event);
    app.settle();
    // Dashboards and exports take over the terminal; here they are refused and we go home.
    if app.take_external().is_some() {
        app.back_home(None);
    }
}

fn key(app: &mut App, code: KeyCode) {
    send(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Every kind of awkward text: right-to-left, emoji with joiners and flags, combining marks,
/// full-width characters, zero-width spaces, Bidi controls, and ASCII control characters.
const HOSTILE: &str = "مرحبا بالعالم שלום 👩‍👩‍👧‍👦🇧🇬 е́ 漢字ｆｕｌｌ\u{200b}\u{202e}обратно\u{202c}\u{7}\u{1b}[31m\u{0}\u{7f}\t";

/// One text question and one number after it: the smallest interview with a text field.
const TEXT_FORM: &str = r#"{"id":"hostile","version":"1","languages":["bg","en"],
  "title":{"bg":"Т","en":"T"},
  "sections":[{"id":"s","title":{"bg":"С","en":"S"},"questions":[
    {"id":"story","type":"text","label":{"bg":"Разкажете","en":"Tell"}},
    {"id":"n","type":"integer","min":0,"max":9,"label":{"bg":"Число","en":"Number"}}]}]}"#;

/// An app at the first question of [`TEXT_FORM`], with a hostile interviewer name.
fn at_text_question(root: &Path) -> App {
    let form = load_str(TEXT_FORM, "hostile.json").expect("valid form");
    let mut app = App::for_interview(&paths(root), form).expect("app");
    app.settle();
    for _ in 0..40 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "Мария 👩‍🌾 مريم");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "plov");
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&app.screen, Screen::Interview(s) if s.interview.current().is_some_and(|(_, q)| q.id == "story")),
        "not at the text question:\n{}",
        render(&app, 80, 24)
    );
    app
}

#[test]
fn a_tiny_terminal_gets_a_clear_message_and_nothing_breaks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::new(&paths(dir.path())).expect("app");
    app.settle();
    let screen = render(&app, 20, 5);
    assert!(
        screen.contains("малък") || screen.contains("small"),
        "20×5 says the terminal is too small:\n{screen}"
    );
    for (w, h) in [
        (0, 0),
        (1, 1),
        (0, 24),
        (80, 0),
        (2, 1),
        (59, 15),
        (60, 16),
        (400, 3),
    ] {
        render(&app, w, h);
    }
    let mut app = at_text_question(dir.path());
    type_text(&mut app, HOSTILE);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (20, 5),
        (59, 16),
        (60, 16),
        (61, 17),
        (500, 200),
    ] {
        render(&app, w, h);
    }
}

#[test]
fn a_resize_storm_leaves_the_layout_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = at_text_question(dir.path());
    type_text(&mut app, "Нормален отговор");
    let before = render(&app, 80, 24);
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..500 {
        let (w, h) = (rng.u16(0..300), rng.u16(0..120));
        send(&mut app, Event::Resize(w, h));
        render(&app, w, h);
    }
    send(&mut app, Event::Resize(80, 24));
    assert_eq!(render(&app, 80, 24), before, "the storm changed the screen");
}

#[test]
fn hostile_text_never_spills_into_the_title_or_footer_and_is_saved_readably() {
    long_hostile_answer(2_500);
}

#[test]
fn a_ten_thousand_character_answer_never_spills_and_is_saved_readably() {
    long_hostile_answer(10_000);
}

fn long_hostile_answer(length: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = at_text_question(dir.path());
    let frame = |screen: &str| {
        let lines: Vec<String> = screen.lines().map(str::to_owned).collect();
        (lines[0].clone(), lines[lines.len() - 1].clone())
    };
    let (title, footer) = frame(&render(&app, 80, 24));
    // Characters of every awkward kind, typed and pasted.
    let long: String = HOSTILE.chars().cycle().take(length).collect();
    type_text(&mut app, &long);
    send(&mut app, Event::Paste(long.clone()));
    for (w, h) in [(80, 24), (60, 16), (200, 60)] {
        let screen = render(&app, w, h);
        let lines: Vec<&str> = screen.lines().collect();
        assert_eq!(lines.len(), usize::from(h), "one line per row");
        if (w, h) == (80, 24) {
            assert_eq!(frame(&screen), (title.clone(), footer.clone()), "{screen}");
        }
    }
    key(&mut app, KeyCode::Enter);
    let form = load_str(TEXT_FORM, "hostile.json").expect("valid form");
    let store = Store::open(&dir.path().join("data")).expect("open");
    let report = store.load(&form).expect("load");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.responses.len(), 1, "the interview was saved");
    if let Some(Answer::Text(saved)) = report.responses[0].answers.get("story") {
        assert!(!saved.is_empty());
    }
}

#[test]
fn thousands_of_random_keys_pastes_and_resizes_never_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = fastrand::Rng::with_seed(2026);
    let codes = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(1),
        KeyCode::F(2),
        KeyCode::F(8),
        KeyCode::F(9),
        KeyCode::F(10),
    ];
    let hostile: Vec<char> = HOSTILE.chars().collect();
    let mut app = App::new(&paths(dir.path())).expect("app");
    app.settle();
    let (mut w, mut h) = (80, 24);
    for step in 0..4000 {
        let event = match rng.u8(..20) {
            0 => {
                (w, h) = (rng.u16(0..200), rng.u16(0..70));
                Event::Resize(w, h)
            }
            1 => Event::Paste(HOSTILE.repeat(rng.usize(1..50))),
            2..=9 => Event::Key(KeyEvent::new(
                codes[rng.usize(..codes.len())],
                KeyModifiers::NONE,
            )),
            10..=13 => Event::Key(KeyEvent::new(
                KeyCode::Char(char::from(b'0' + rng.u8(..10))),
                KeyModifiers::NONE,
            )),
            // Letters, except the ones that leave (q) or open another program.
            14..=17 => Event::Key(KeyEvent::new(
                KeyCode::Char(hostile[rng.usize(..hostile.len())]),
                KeyModifiers::NONE,
            )),
            _ => Event::Key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)),
        };
        send(&mut app, event);
        if step % 7 == 0 {
            render(&app, w, h);
        }
        if app.should_quit() {
            app = App::new(&paths(dir.path())).expect("app");
            app.settle();
        }
    }
    app.shutdown();
    // Whatever the keys saved must load.
    let form = anketa::questionnaire::catalog::default_form().expect("bundled");
    let report = Store::open(&dir.path().join("data"))
        .expect("open")
        .load(&form)
        .expect("load");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
