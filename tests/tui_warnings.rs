//! Soft checks (`warnings`) on the interview screen, on ratatui's TestBackend: the bundled
//! questionnaire warns when "in Sofia (the capital)" meets a municipality other than Столична,
//! and the interviewer either corrects the answer or confirms it with a second Enter.

use anketa::paths::Paths;
use anketa::questionnaire::Answer;
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Driver {
    app: App,
    _dir: tempfile::TempDir,
}

impl Driver {
    /// Home → new interview → name → municipality → the first question.
    fn begin() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            data_dir: dir.path().join("data"),
            config_dir: dir.path().join("config"),
        };
        let mut app = App::new(&paths).unwrap();
        app.settle();
        let mut d = Self { app, _dir: dir };
        d.key(KeyCode::Enter).text("Мария").key(KeyCode::Enter);
        d.text("plov").key(KeyCode::Enter);
        d
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        self.app.handle_event(&event);
        self.app.settle();
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    fn screen_text(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| self.app.draw(frame)).unwrap();
        terminal.backend().to_string()
    }

    fn current(&self) -> String {
        match &self.app.screen {
            Screen::Interview(s) => s
                .interview
                .current()
                .map_or("review".into(), |(_, q)| q.id.clone()),
            _ => "elsewhere".into(),
        }
    }

    fn answer(&self, id: &str) -> Option<Answer> {
        let Screen::Interview(s) = &self.app.screen else {
            return None;
        };
        s.interview.response().answers.get(id).cloned()
    }

    /// intro, consent yes, age 40, gender, settlement `settlement`, education, activity,
    /// income: on to the municipality question.
    fn answer_up_to_residence(&mut self, settlement: &str) -> &mut Self {
        self.key(KeyCode::Enter)
            .text("1")
            .text("40")
            .key(KeyCode::Enter);
        self.text("1")
            .text(settlement)
            .text("1")
            .text("1")
            .text("1");
        assert_eq!(self.current(), "residence");
        self
    }
}

#[test]
fn an_unlikely_answer_is_shown_with_its_warning_and_kept_on_a_second_enter() {
    let mut d = Driver::begin();
    d.answer_up_to_residence("1")
        .text("plov")
        .key(KeyCode::Enter);
    assert_eq!(d.current(), "residence", "held back for confirmation");
    assert_eq!(d.answer("residence"), None);
    let shown = d.screen_text(80, 24);
    assert!(shown.contains("не е Столична"), "{shown}");
    assert!(shown.contains("за да го запазите така"), "{shown}");
    insta::assert_snapshot!("residence_warning_bg", shown);

    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "aware_channels");
    assert_eq!(d.answer("residence"), Some(Answer::Text("PDV22".into())));
}

#[test]
fn a_corrected_answer_needs_no_confirmation() {
    let mut d = Driver::begin();
    d.answer_up_to_residence("1")
        .text("plov")
        .key(KeyCode::Enter);
    assert_eq!(d.current(), "residence");
    // Changing the answer drops the warning; Столична is consistent with the capital.
    for _ in 0..10 {
        d.key(KeyCode::Backspace);
    }
    assert!(!d.screen_text(80, 24).contains("не е Столична"));
    d.text("sofia").key(KeyCode::Enter);
    assert_eq!(d.current(), "aware_channels");
    assert_eq!(d.answer("residence"), Some(Answer::Text("SOF46".into())));
}

#[test]
fn a_consistent_answer_moves_on_at_once_and_the_warning_wraps_at_60_columns() {
    let mut d = Driver::begin();
    d.answer_up_to_residence("4")
        .text("plov")
        .key(KeyCode::Enter);
    assert_eq!(
        d.current(),
        "aware_channels",
        "a village in Plovdiv is fine"
    );

    let mut d = Driver::begin();
    d.answer_up_to_residence("2")
        .text("aytos")
        .key(KeyCode::Enter);
    let shown = d.screen_text(60, 20);
    assert!(shown.contains("няма областен"), "{shown}");
    assert!(shown.contains("натиснете"), "{shown}");
}

#[test]
fn a_typed_number_is_held_the_same_way() {
    let mut d = Driver::begin();
    d.key(KeyCode::Enter)
        .text("1")
        .text("99")
        .key(KeyCode::Enter);
    assert_eq!(d.current(), "age", "an age over 95 asks for confirmation");
    assert!(d.screen_text(80, 24).contains("Възраст над 95 години"));
    // Typing drops the warning, and the changed answer is checked afresh.
    d.key(KeyCode::Backspace).text("8");
    assert!(!d.screen_text(80, 24).contains("Възраст над 95 години"));
    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "age", "98 is over 95 too");
    d.key(KeyCode::Enter);
    assert_eq!(d.current(), "gender");
    assert_eq!(d.answer("age"), Some(Answer::Number(98.0)));
}
