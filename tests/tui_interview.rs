//! The interview screens on ratatui's TestBackend: whole interviews of the bundled
//! questionnaire driven by key events, the files they write, and snapshots of the main screens
//! at 80×24 in Bulgarian and English.

use std::path::{Path, PathBuf};

use anketa::paths::Paths;
use anketa::questionnaire::{Answer, QuestionType};
use anketa::store::{Response, Status};
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Driver {
    app: App,
    dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
}

impl Driver {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let config = dir.path().join("config");
        let app = settled(App::new(&paths(&data, &config)).unwrap());
        Self {
            app,
            dir,
            data,
            config,
        }
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        self.key_with(code, KeyModifiers::NONE)
    }

    fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) -> &mut Self {
        self.app
            .handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
        self.app.settle();
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    fn render(&self, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| self.app.draw(frame)).unwrap();
        terminal
    }

    fn screen_text(&self) -> String {
        self.render(80, 24).backend().to_string()
    }

    /// Home → new interview → name → municipality `plov` → the first question.
    fn begin(&mut self, name: &str) -> &mut Self {
        self.key(KeyCode::Enter);
        // Clear a remembered name first.
        for _ in 0..40 {
            self.key(KeyCode::Backspace);
        }
        self.text(name)
            .key(KeyCode::Enter)
            .text("plov")
            .key(KeyCode::Enter)
    }

    /// The id and type of the question on screen, or None on the review or elsewhere.
    fn current(&self) -> Option<(String, QuestionType)> {
        match &self.app.screen {
            Screen::Interview(s) => s.interview.current().map(|(_, q)| (q.id.clone(), q.kind)),
            _ => None,
        }
    }

    fn on_review(&self) -> bool {
        matches!(&self.app.screen, Screen::Interview(s) if s.interview.current().is_none())
    }

    /// Answers the question on screen the way an interviewer would, by its type.
    fn answer_current(&mut self) {
        let Some((id, kind)) = self.current() else {
            return;
        };
        match kind {
            QuestionType::Note => self.key(KeyCode::Enter),
            QuestionType::Single if id.starts_with("p_") => self.text("2"),
            QuestionType::Single => self.text("1"),
            // The first two options, by arrows and Space (digits wait for a second digit on
            // lists longer than ten).
            QuestionType::Multiple => self
                .key(KeyCode::Down)
                .text(" ")
                .key(KeyCode::Down)
                .text(" ")
                .key(KeyCode::Enter),
            QuestionType::Scale => self.text("7").key(KeyCode::Enter),
            QuestionType::Integer => self.text("42").key(KeyCode::Enter),
            QuestionType::Decimal => self.text("1,5").key(KeyCode::Enter),
            QuestionType::Date => self.text("2026-11-28").key(KeyCode::Enter),
            QuestionType::Municipality => self.text("sofia").key(KeyCode::Enter),
            QuestionType::Text => self.text("Повече прозрачност 🙂").key(KeyCode::Enter),
        };
    }

    /// Answers until the review, failing if a question does not move on.
    fn answer_until_review(&mut self) {
        for _ in 0..200 {
            if self.on_review() {
                return;
            }
            let before = self.current();
            self.answer_current();
            assert_ne!(
                self.current(),
                before,
                "stuck at {before:?}:\n{}",
                self.screen_text()
            );
        }
        panic!("never reached the review");
    }

    /// Moves the review's cursor to question `id` and opens it for editing.
    fn edit_from_review(&mut self, id: &str) -> &mut Self {
        let Screen::Interview(s) = &self.app.screen else {
            panic!("not in an interview");
        };
        let form = s.interview.form();
        let row = s
            .interview
            .review_positions()
            .iter()
            .position(|&p| form.questions()[p].id == id)
            .unwrap_or_else(|| panic!("{id} is not in the review"));
        self.key(KeyCode::Home);
        for _ in 0..row {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
        assert_eq!(self.current().unwrap().0, id, "{}", self.screen_text());
        self
    }

    fn files(&self) -> Vec<Response> {
        let dir = self.data.join("responses/civic-participation-bg");
        read_responses(&dir)
    }
}

/// The start of question `id`'s text in `lang`, read from the bundled questionnaire.
fn label(id: &str, lang: &str) -> String {
    let form = anketa::questionnaire::catalog::default_form().unwrap();
    let text = form.question(id).unwrap().label.get(lang).to_owned();
    text.chars().take(20).collect()
}

fn settled(mut app: App) -> App {
    app.settle();
    app
}

fn paths(data: &Path, config: &Path) -> Paths {
    Paths {
        data_dir: data.to_owned(),
        config_dir: config.to_owned(),
    }
}

fn read_responses(dir: &Path) -> Vec<Response> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap())
        .collect()
}

#[test]
fn a_whole_interview_by_keys_writes_a_complete_file() {
    let mut d = Driver::new();
    d.begin("Мария Иванова");
    assert_eq!(d.current().unwrap().0, "intro");
    d.answer_until_review();
    let text = d.screen_text();
    assert!(text.contains("Преглед на отговорите"), "{text}");
    d.key(KeyCode::F(10));
    assert!(d.screen_text().contains("Да завърша ли интервюто?"));
    d.key(KeyCode::Enter);
    assert!(
        matches!(d.app.screen, Screen::Home(_)),
        "{}",
        d.screen_text()
    );
    assert!(
        d.screen_text()
            .contains("Интервюто е завършено и записано.")
    );

    let files = d.files();
    assert_eq!(files.len(), 1);
    let r = &files[0];
    assert_eq!(r.status, Status::Complete);
    assert!(r.completed_at.is_some());
    assert_eq!(r.interviewer, "Мария Иванова");
    assert_eq!(r.municipality, "PDV22");
    assert_eq!(r.answers["consent"], Answer::Text("yes".into()));
    assert_eq!(r.answers["age"], Answer::Number(42.0));
    assert_eq!(r.answers["residence"], Answer::Text("SOF46".into()));
    assert_eq!(r.answers["p_contact"], Answer::Text("no".into()));
    assert_eq!(r.answers["trust_mayor"], Answer::Number(7.0));
    assert_eq!(
        r.answers["barriers"],
        Answer::Codes(vec!["no_time".into(), "dont_know_how".into()])
    );
    assert_eq!(r.answers["main_barrier"], Answer::Text("no_time".into()));
    assert_eq!(
        r.answers["comment"],
        Answer::Text("Повече прозрачност 🙂".into())
    );
    assert!(r.timings_ms.contains_key("consent") && r.timings_ms.contains_key("intro"));
    // The name is remembered for the next interview.
    let config = std::fs::read_to_string(d.config.join("config.json")).unwrap();
    assert!(config.contains("Мария Иванова"), "{config}");
    d.key(KeyCode::Enter);
    assert!(
        d.screen_text().contains("Мария Иванова"),
        "the name is offered again"
    );
}

#[test]
fn typing_over_an_answer_from_the_review_replaces_it() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_until_review();
    assert_eq!(d.files()[0].answers["trust_council"], Answer::Number(7.0));
    d.edit_from_review("trust_council")
        .key_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .text("1")
        .key(KeyCode::Enter);
    assert!(d.on_review(), "{}", d.screen_text());
    assert_eq!(d.files()[0].answers["trust_council"], Answer::Number(1.0));

    d.edit_from_review("trust_council")
        .text("0")
        .key(KeyCode::Enter);
    assert!(d.on_review(), "{}", d.screen_text());
    assert_eq!(
        d.files()[0].answers["trust_council"],
        Answer::Number(0.0),
        "0 typed over 1 is 0, not 10"
    );

    d.edit_from_review("trust_council")
        .text("3")
        .key(KeyCode::Enter);
    assert_eq!(d.files()[0].answers["trust_council"], Answer::Number(3.0));
}

#[test]
fn shift_tab_back_to_a_number_shows_it_selected_and_typing_replaces_it() {
    let mut d = Driver::new();
    d.begin("Мария");
    while d.current().is_some_and(|(id, _)| id != "gender") {
        d.answer_current();
    }
    d.key(KeyCode::BackTab);
    assert_eq!(d.current().unwrap().0, "age");
    let terminal = d.render(80, 24);
    let buffer = terminal.backend().buffer();
    let shown = (0..buffer.area.height).find_map(|y| {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        row.find("› 42").map(|_| y)
    });
    let y = shown.expect("the stored age is shown");
    let x = (0..buffer.area.width)
        .find(|&x| buffer[(x, y)].symbol() == "4")
        .unwrap();
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED),
        "the stored age is shown selected"
    );
    d.text("35").key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "gender", "{}", d.screen_text());
    assert_eq!(d.files()[0].answers["age"], Answer::Number(35.0));

    d.key(KeyCode::BackTab).key(KeyCode::Backspace).text("6");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.files()[0].answers["age"],
        Answer::Number(36.0),
        "Backspace edits"
    );
}

#[test]
fn a_remark_is_written_with_f4_saved_and_shown() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current(); // intro
    d.key(KeyCode::F(4)).text("колебае се");
    assert!(
        d.screen_text().contains("Бележка към A1"),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::Enter);
    assert_eq!(
        d.current().unwrap().0,
        "consent",
        "Enter closes the remark only"
    );
    assert_eq!(d.files()[0].remarks["consent"], "колебае се");
    assert!(
        d.screen_text().contains("✎ Бележка: колебае се"),
        "{}",
        d.screen_text()
    );

    // Ctrl+N opens it too, at its end; Esc keeps what was typed.
    d.key_with(KeyCode::Char('n'), KeyModifiers::CONTROL)
        .text(", пита за срока")
        .key(KeyCode::Esc);
    assert_eq!(
        d.current().unwrap().0,
        "consent",
        "Esc does not pause from the remark"
    );
    assert_eq!(d.files()[0].remarks["consent"], "колебае се, пита за срока");

    // A remark emptied with Ctrl+U is removed.
    d.key(KeyCode::F(4))
        .key_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .key(KeyCode::Enter);
    assert!(d.files()[0].remarks.is_empty());
}

#[test]
fn a_remark_of_ten_thousand_characters_is_kept_whole_and_drawn_at_any_size() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current();
    d.answer_current(); // consent
    let long: String = "Респондентът обяснява подробно "
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    d.key(KeyCode::F(4));
    d.app.handle_event(&Event::Paste(long.clone()));
    d.app.settle();
    for (w, h) in [(80, 24), (120, 40), (60, 20), (20, 8)] {
        let text = d.render(w, h).backend().to_string();
        if w >= 80 {
            assert!(
                text.contains("10000"),
                "the length is shown at {w}×{h}:\n{text}"
            );
        }
    }
    d.key(KeyCode::Up).key(KeyCode::Up).text("X");
    d.key(KeyCode::Enter);
    let saved = &d.files()[0].remarks["age"];
    assert_eq!(saved.chars().count(), 10_001, "nothing lost");
    assert!(saved.contains('X'));
    d.answer_until_review();
    let text = d.render(120, 40).backend().to_string();
    assert!(
        text.contains("✎ Бележка: Респондентът"),
        "the review shows it:\n{text}"
    );
}

#[test]
fn a_remark_from_the_review_goes_to_the_highlighted_question() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_until_review();
    d.key(KeyCode::Home).key(KeyCode::Down); // age
    d.key(KeyCode::F(4))
        .text("изглежда по-млад")
        .key(KeyCode::Enter);
    assert!(d.on_review());
    assert_eq!(d.files()[0].remarks["age"], "изглежда по-млад");
    let text = d.render(120, 40).backend().to_string();
    assert!(text.contains("✎ Бележка: изглежда по-млад"), "{text}");
}

#[test]
fn dont_know_and_refused_are_offered_only_where_accepted() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current(); // intro
    let consent = d.screen_text();
    assert!(
        !consent.contains("F8") && !consent.contains("F9"),
        "{consent}"
    );
    d.answer_current();
    let age = d.screen_text();
    assert!(age.contains("F8/^D") && age.contains("F9/^R"), "{age}");
    d.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(
        d.files()[0].answers["age"],
        Answer::Special(anketa::questionnaire::Special::DontKnow)
    );
}

#[test]
fn esc_on_a_question_opened_from_the_review_cancels_the_edit() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_until_review();
    d.edit_from_review("age").text("77");
    assert!(
        d.screen_text().contains("отказ от промяната"),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::Esc);
    assert!(
        d.on_review(),
        "back to the review, not paused:\n{}",
        d.screen_text()
    );
    assert_eq!(
        d.files()[0].answers["age"],
        Answer::Number(42.0),
        "the edit is dropped"
    );
    d.key(KeyCode::Esc);
    assert!(
        matches!(d.app.screen, Screen::Home(_)),
        "Esc on the review pauses"
    );
}

#[test]
fn the_question_list_jumps_during_the_interview_and_from_the_review() {
    let mut d = Driver::new();
    d.begin("Мария");
    for _ in 0..6 {
        d.answer_current();
    }
    let here = d.current().unwrap().0;
    d.key(KeyCode::F(3));
    let text = d.screen_text();
    assert!(text.contains("Въпроси") && text.contains("✓ A2"), "{text}");
    d.text("a2").key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "age", "{}", d.screen_text());
    d.key(KeyCode::Enter);
    assert_eq!(
        d.current().unwrap().0,
        "gender",
        "the interview goes on in order"
    );

    // A question that skip logic leaves out is shown, but not jumped to.
    d.key_with(KeyCode::Char('g'), KeyModifiers::CONTROL)
        .text("обяснихте")
        .key(KeyCode::Esc);
    assert_eq!(d.current().unwrap().0, "gender", "Esc closes the list only");
    d.key_with(KeyCode::Char('g'), KeyModifiers::CONTROL)
        .text("main_barrier");
    d.key(KeyCode::Enter);
    assert!(
        d.screen_text()
            .contains("не се задава според досегашните отговори"),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::Esc);
    assert_ne!(here, "");

    d.answer_until_review();
    d.text("/").text("d2").key(KeyCode::Enter);
    assert_eq!(
        d.current().unwrap().0,
        "p_consultation",
        "{}",
        d.screen_text()
    );
    d.text("1");
    while !d.on_review() {
        d.answer_current();
    }
    assert_eq!(
        d.files()[0].answers["p_consultation"],
        Answer::Text("yes".into())
    );
}

#[test]
fn validation_blocks_and_special_answers_move_on() {
    let mut d = Driver::new();
    d.begin("Петър");
    d.key(KeyCode::Enter); // intro
    d.key(KeyCode::Enter); // consent, nothing chosen
    assert!(
        d.screen_text().contains("задължителен"),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::F(8));
    assert!(
        d.screen_text().contains("не се приемат"),
        "consent takes no don't know"
    );
    d.text("1");
    let form = anketa::questionnaire::catalog::default_form().unwrap();
    let min = form.question("age").unwrap().min.unwrap();
    d.text(&(min - 1.0).to_string()).key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "age");
    assert!(
        d.screen_text().contains(&format!("Най-малко {min}.")),
        "{}",
        d.screen_text()
    );
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .text("abc")
        .key(KeyCode::Enter);
    assert!(d.screen_text().contains("Въведете число."));
    d.key(KeyCode::F(9));
    assert_eq!(d.current().unwrap().0, "gender", "refused moves on");
    let r = &d.files()[0];
    assert_eq!(
        r.answers["age"],
        Answer::Special(anketa::questionnaire::Special::Refused)
    );
    d.key(KeyCode::BackTab);
    assert_eq!(d.current().unwrap().0, "age");
    assert!(d.screen_text().contains("» Отказ"), "{}", d.screen_text());
}

#[test]
fn the_other_option_asks_for_its_text_and_max_choices_is_enforced() {
    let mut d = Driver::new();
    d.begin("Петър");
    while d.current().is_some_and(|(id, _)| id != "barriers") {
        d.answer_current();
    }
    let form = anketa::questionnaire::catalog::default_form().unwrap();
    let barriers = form.question("barriers").unwrap();
    let max = barriers.max_choices.unwrap() as usize;
    let other = form.choices(barriers).iter().position(|c| c.other).unwrap();
    assert!(other >= max, "the test ticks the first options, then other");
    for _ in 1..=max + 1 {
        d.key(KeyCode::Down).text(" ");
    }
    let limit = format!("Най-много {max} отговора.");
    assert!(d.screen_text().contains(&limit), "{}", d.screen_text());
    d.key(KeyCode::Up).text(" "); // untick the last one ticked
    d.key(KeyCode::Home);
    for _ in 0..other {
        d.key(KeyCode::Down);
    }
    d.key(KeyCode::Char(' ')); // "other"
    assert!(
        d.screen_text().contains("Уточнете „друго“"),
        "ticking other asks for its text at once:\n{}",
        d.screen_text()
    );
    d.text("няма транспорт").key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "main_barrier");
    let text = d.screen_text();
    assert!(
        text.contains("няма транспорт"),
        "the main barrier shows the other text:\n{text}"
    );
    let r = &d.files()[0];
    assert_eq!(r.other_text["barriers"], "няма транспорт");
}

#[test]
fn pause_resume_and_reopen_from_home() {
    let mut d = Driver::new();
    d.begin("Мария");
    for _ in 0..5 {
        d.answer_current();
    }
    let at = d.current().unwrap().0;
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen, Screen::Home(_)));
    assert!(
        d.screen_text().contains("Чернови — продължаване (1)"),
        "{}",
        d.screen_text()
    );
    assert_eq!(d.files()[0].status, Status::Draft);

    // A fresh start of the program finds the draft and resumes where it stopped.
    let mut d2 = Driver {
        app: settled(App::new(&paths(&d.data, &d.config)).unwrap()),
        ..Driver::new()
    };
    d2.data = d.data.clone();
    d2.text("2").key(KeyCode::Enter);
    assert_eq!(d2.current().unwrap().0, at);
    d2.answer_until_review();
    d2.key(KeyCode::F(10)).text("д");
    assert_eq!(d2.files()[0].status, Status::Complete);

    d2.text("3");
    assert!(d2.screen_text().contains("Мария"));
    d2.key(KeyCode::Enter);
    assert!(d2.screen_text().contains("Да отворя ли"));
    d2.key(KeyCode::Enter);
    assert!(d2.on_review(), "a reopened interview opens at the review");
    let r = &d2.files()[0];
    assert_eq!(r.status, Status::Draft);
    assert!(r.completed_at.is_none());
    drop(d);
}

#[test]
fn language_toggles_with_f2_everywhere() {
    let mut d = Driver::new();
    assert!(d.screen_text().contains("Ново интервю"));
    d.key(KeyCode::F(1)).key(KeyCode::F(2));
    assert!(
        d.screen_text().contains("Help — keys"),
        "F2 works over the help"
    );
    d.key(KeyCode::Esc);
    assert!(d.screen_text().contains("New interview"));
    d.begin("Maria");
    d.key(KeyCode::Enter);
    assert!(
        d.screen_text().contains(&label("consent", "en")),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::F(2));
    assert!(d.screen_text().contains(&label("consent", "bg")));
    d.text("1");
    assert_eq!(d.files()[0].language, "bg");
}

#[test]
fn a_failed_save_is_shown_at_once_and_another_folder_can_be_used() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current();
    // The responses folder disappears and a file takes its place: every save now fails.
    let responses = d.data.join("responses");
    std::fs::remove_dir_all(&responses).unwrap();
    std::fs::write(&responses, b"").unwrap();
    d.text("1");
    let text = d.screen_text();
    assert!(text.contains("НЕ Е ЗАПИСАНО"), "{text}");
    assert!(text.contains("✗ НЕЗАПИСАНО"), "{text}");
    assert_eq!(d.current().unwrap().0, "age", "the interview goes on");
    d.text("42").key(KeyCode::Enter);
    d.key(KeyCode::F(6));
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    let elsewhere = d.dir.path().join("usb");
    d.text(&elsewhere.to_string_lossy()).key(KeyCode::Enter);
    assert!(
        !d.screen_text().contains("НЕ Е ЗАПИСАНО"),
        "{}",
        d.screen_text()
    );
    let saved = read_responses(&elsewhere.join("responses/civic-participation-bg"));
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].answers["consent"], Answer::Text("yes".into()));
    assert_eq!(saved[0].answers["age"], Answer::Number(42.0));
}

#[test]
fn esc_with_unsaved_answers_asks_first() {
    let mut d = Driver::new();
    d.begin("Мария");
    let responses = d.data.join("responses");
    std::fs::remove_dir_all(&responses).unwrap();
    std::fs::write(&responses, b"").unwrap();
    d.answer_current();
    d.key(KeyCode::Esc);
    assert!(
        d.screen_text().contains("НЕ са записани"),
        "{}",
        d.screen_text()
    );
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen, Screen::Interview(_)), "no: stay");
    d.key(KeyCode::Esc).text("д");
    assert!(matches!(d.app.screen, Screen::Home(_)));
}

#[test]
fn ctrl_c_quits_from_dialogs_too() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_until_review();
    d.key(KeyCode::F(10));
    d.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(d.app.should_quit());
    assert_eq!(
        d.files()[0].status,
        Status::Draft,
        "quitting is not finishing"
    );

    // With the answers unsaved, the first Ctrl+C asks, the second leaves.
    let mut d = Driver::new();
    d.begin("Мария");
    let responses = d.data.join("responses");
    std::fs::remove_dir_all(&responses).unwrap();
    std::fs::write(&responses, b"").unwrap();
    d.answer_current();
    d.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!d.app.should_quit());
    assert!(d.screen_text().contains("НЕ са записани"));
    d.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(d.app.should_quit());
}

#[test]
fn too_small_terminals_get_a_message() {
    let d = Driver::new();
    let text = d.render(40, 10).backend().to_string();
    assert!(text.contains("твърде малък"), "{text}");
}

#[test]
fn ctrl_c_saves_the_draft_and_quits() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current();
    d.text("1");
    d.key(KeyCode::F(1));
    d.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(d.app.should_quit(), "even from under the help");
    let r = &d.files()[0];
    assert_eq!(r.answers["consent"], Answer::Text("yes".into()));
    assert!(
        r.timings_ms.contains_key("age"),
        "time on the last question is kept"
    );
}

mod snapshots {
    use super::*;

    fn snap(d: &Driver, name: &str) {
        snap_at(d, name, 80, 24);
    }

    /// The Bulgarian screen after `steps`, at 80×24 and 120×40.
    fn sizes(name: &str, steps: impl Fn(&mut Driver)) {
        let mut d = Driver::new();
        steps(&mut d);
        snap_at(&d, &format!("{name}_80x24"), 80, 24);
        snap_at(&d, &format!("{name}_120x40"), 120, 40);
    }

    fn snap_at(d: &Driver, name: &str, width: u16, height: u16) {
        // Temp folder names differ between runs; the save-failure message quotes one.
        let tmp = d.dir.path().to_string_lossy().into_owned();
        let screen: Vec<String> = d
            .render(width, height)
            .backend()
            .to_string()
            .lines()
            .map(|line| {
                if line.contains(&tmp) {
                    "\"[error quoting the temp folder]\"".to_owned()
                } else {
                    line.to_owned()
                }
            })
            .collect();
        let screen = screen.join("\n");
        insta::assert_snapshot!(name, screen);
    }

    fn both(name: &str, steps: impl Fn(&mut Driver)) {
        for lang in ["bg", "en"] {
            let mut d = Driver::new();
            if lang == "en" {
                d.key(KeyCode::F(2));
            }
            steps(&mut d);
            snap(&d, &format!("{name}_{lang}"));
        }
    }

    fn to_question(d: &mut Driver, id: &str) {
        d.begin("Мария");
        while d.current().is_some_and(|(q, _)| q != id) {
            d.answer_current();
        }
    }

    #[test]
    fn home() {
        both("home", |_| {});
    }

    #[test]
    fn help() {
        both("help", |d| {
            d.text("?");
        });
    }

    #[test]
    fn start_municipality() {
        both("start_municipality", |d| {
            d.key(KeyCode::Enter)
                .text("Мария")
                .key(KeyCode::Enter)
                .text("плов");
        });
    }

    #[test]
    fn single_choice() {
        both("single_choice", |d| to_question(d, "consent"));
    }

    #[test]
    fn integer_with_error() {
        both("integer_with_error", |d| {
            to_question(d, "age");
            d.text("12").key(KeyCode::Enter);
        });
    }

    #[test]
    fn multiple_choice() {
        both("multiple_choice", |d| {
            to_question(d, "info_sources");
            d.text("13");
        });
    }

    #[test]
    fn long_list() {
        both("long_list", |d| {
            to_question(d, "barriers");
            d.text("12");
        });
    }

    #[test]
    fn long_list_scrolled_at_two_sizes() {
        sizes("long_list_scrolled", |d| {
            to_question(d, "barriers");
            d.text("12");
        });
    }

    #[test]
    fn wrapped_text_at_two_sizes() {
        sizes("wrapped_text", |d| {
            to_question(d, "comment");
            d.text(
                "Искам общината да публикува проектите навреме, да отговаря на писмата \
                 и да провежда обсъжданията вечер, когато хората не са на работа. \
                 Също така кметът да идва в селата поне веднъж годишно.",
            );
        });
    }

    #[test]
    fn question_list_at_two_sizes() {
        sizes("question_list", |d| {
            to_question(d, "p_petition");
            d.key(KeyCode::F(3)).text("през последните");
        });
    }

    #[test]
    fn remark_editor_at_two_sizes() {
        sizes("remark_editor", |d| {
            to_question(d, "trust_council");
            d.key(KeyCode::F(4));
            let long = "Респондентката пита дали отговорите ще бъдат публикувани поименно. \
                        Обясних, че данните са анонимни. "
                .repeat(8);
            d.app.handle_event(&Event::Paste(long));
            d.app.settle();
        });
    }

    #[test]
    fn scale() {
        both("scale", |d| {
            to_question(d, "trust_mayor");
            d.key(KeyCode::Right).key(KeyCode::Right);
        });
    }

    #[test]
    fn text() {
        both("text", |d| {
            to_question(d, "comment");
            d.text("Кметът да отговаря на писмата 漢字");
        });
    }

    #[test]
    fn review() {
        both("review", |d| {
            d.begin("Мария");
            d.answer_until_review();
        });
    }

    #[test]
    fn finish_dialog() {
        both("finish_dialog", |d| {
            d.begin("Мария");
            d.answer_until_review();
            d.key(KeyCode::F(10));
        });
    }

    #[test]
    fn save_failed() {
        both("save_failed", |d| {
            d.begin("Мария");
            d.answer_current();
            let responses = d.data.join("responses");
            std::fs::remove_dir_all(&responses).unwrap();
            std::fs::write(&responses, b"").unwrap();
            d.text("1");
        });
    }
}

#[test]
fn a_draft_open_in_another_window_is_not_opened_twice() {
    let mut d = Driver::new();
    d.begin("Мария");
    d.answer_current();
    d.key(KeyCode::Esc);
    let draft = d.files().remove(0);
    let store = anketa::store::Store::open(&d.data).unwrap();
    let _held = store.lock_response(draft.id).unwrap();
    d.text("2").key(KeyCode::Enter);
    assert!(matches!(d.app.screen, Screen::Home(_)));
    assert!(
        d.screen_text().contains("отворено в друг прозорец"),
        "{}",
        d.screen_text()
    );
}

#[test]
fn the_interview_command_rejects_an_unknown_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("anketa")
        .unwrap()
        .args(["interview", "--questionnaire", "nope"])
        .env("ANKETA_DATA_DIR", dir.path())
        .env("ANKETA_CONFIG_DIR", dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("civic-participation-bg"));
}

#[test]
fn without_a_terminal_the_interview_command_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("anketa")
        .unwrap()
        .arg("interview")
        .env("ANKETA_DATA_DIR", dir.path())
        .env("ANKETA_CONFIG_DIR", dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("terminal"));
}

#[test]
fn a_corrupt_settings_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.json"), b"{oops").unwrap();
    let mut d = Driver {
        app: settled(App::new(&paths(&data, &config)).unwrap()),
        ..Driver::new()
    };
    d.data = data;
    assert!(
        d.screen_text().contains("config.json"),
        "{}",
        d.screen_text()
    );
    d.begin("Мария");
    assert_eq!(std::fs::read(config.join("config.json")).unwrap(), b"{oops");
}

#[test]
fn with_two_questionnaires_the_start_asks_which() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let local = data.join("questionnaires");
    std::fs::create_dir_all(&local).unwrap();
    let (_, bundled) = anketa::questionnaire::catalog::BUNDLED[0];
    let pilot = bundled.replacen("\"id\": \"civic-participation-bg\"", "\"id\": \"pilot\"", 1);
    assert_ne!(pilot, bundled, "the id was replaced");
    std::fs::write(local.join("pilot.json"), pilot).unwrap();
    let mut d = Driver {
        app: settled(App::new(&paths(&data, &config)).unwrap()),
        ..Driver::new()
    };
    d.data = data.clone();
    d.key(KeyCode::Enter);
    let text = d.screen_text();
    assert!(text.contains("Изберете въпросник"), "{text}");
    assert!(text.contains("pilot"), "{text}");
    d.text("2")
        .text("Мария")
        .key(KeyCode::Enter)
        .text("plov")
        .key(KeyCode::Enter);
    d.key(KeyCode::Enter).text("1");
    assert_eq!(read_responses(&data.join("responses/pilot")).len(), 1);
    assert!(
        d.files().is_empty(),
        "nothing under the bundled questionnaire"
    );
}

#[test]
fn every_screen_draws_at_any_size_without_panicking() {
    let sizes = [(60, 16), (61, 17), (80, 24), (200, 60), (20, 5), (1, 1)];
    let mut d = Driver::new();
    let draw_all = |d: &Driver| {
        for (w, h) in sizes {
            d.render(w, h);
        }
    };
    draw_all(&d);
    d.text("?");
    draw_all(&d);
    d.key(KeyCode::Esc);
    d.begin("Мария");
    for _ in 0..200 {
        draw_all(&d);
        if d.on_review() {
            break;
        }
        d.answer_current();
    }
    d.key(KeyCode::F(10));
    draw_all(&d);
}

#[test]
fn unusual_questionnaires_draw_too() {
    // A very wide scale, a long list without "other", an optional date and a decimal.
    let options: Vec<String> = (1..=25)
        .map(|i| format!(r#"{{"code": "c{i}", "label": {{"en": "Option {i}"}}}}"#))
        .collect();
    let text = format!(
        r#"{{"id": "odd", "version": "1", "languages": ["en"], "title": {{"en": "Odd"}},
        "choice_lists": {{"many": [{}]}},
        "sections": [{{"id": "s", "title": {{"en": "S"}}, "questions": [
          {{"id": "wide", "type": "scale", "min": 0, "max": 100,
            "min_label": {{"en": "none"}}, "max_label": {{"en": "all"}}, "label": {{"en": "Wide"}}}},
          {{"id": "many", "type": "single", "choices": "many", "label": {{"en": "Many"}}}},
          {{"id": "when", "type": "date", "label": {{"en": "When"}}}},
          {{"id": "share", "type": "decimal", "min": 0, "max": 1, "label": {{"en": "Share"}}}}
        ]}}]}}"#,
        options.join(",")
    );
    let form = anketa::questionnaire::load_str(&text, "odd").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let paths = paths(&dir.path().join("data"), &dir.path().join("config"));
    let mut d = Driver {
        app: settled(App::for_interview(&paths, form).unwrap()),
        ..Driver::new()
    };
    d.data = paths.data_dir.clone();
    d.text("Ann")
        .key(KeyCode::Enter)
        .text("plov")
        .key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "wide");
    d.key(KeyCode::Right).key(KeyCode::Right);
    assert!(d.screen_text().contains("› 1"), "{}", d.screen_text());
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .text("70")
        .key(KeyCode::Enter);
    d.render(80, 24);
    for _ in 0..30 {
        d.key(KeyCode::Down);
    }
    d.render(80, 24);
    d.key(KeyCode::Enter);
    assert_eq!(d.current().unwrap().0, "when");
    d.text("28.11.2026").key(KeyCode::Enter);
    assert!(
        d.screen_text().contains("YYYY-MM-DD"),
        "{}",
        d.screen_text()
    );
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL)
        .text("2026-11-28")
        .key(KeyCode::Enter);
    d.text("0,25").key(KeyCode::Enter);
    assert!(d.on_review(), "{}", d.screen_text());
    let r = read_responses(&d.data.join("responses/odd")).remove(0);
    assert_eq!(r.answers["wide"], Answer::Number(70.0));
    assert_eq!(r.answers["many"], Answer::Text("c25".into()));
    assert_eq!(r.answers["when"], Answer::Text("2026-11-28".into()));
    assert_eq!(r.answers["share"], Answer::Number(0.25));
}

#[test]
fn text_to_read_aloud_comes_before_the_question_in_its_colour_and_hints_stay_hints() {
    let text = r#"{"id": "pre", "version": "1", "languages": ["en"], "title": {"en": "Pre"},
        "sections": [{"id": "s", "title": {"en": "S"}, "questions": [
          {"id": "q", "type": "integer", "label": {"en": "How many times?"},
           "read_aloud": {"en": "Now some questions about meetings."},
           "hint": {"en": "Do not read out."}}
        ]}]}"#;
    let form = anketa::questionnaire::load_str(text, "pre").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let paths = paths(&dir.path().join("data"), &dir.path().join("config"));
    let mut d = Driver {
        app: settled(App::for_interview(&paths, form).unwrap()),
        ..Driver::new()
    };
    d.text("Ann")
        .key(KeyCode::Enter)
        .text("plov")
        .key(KeyCode::Enter);
    let terminal = d.render(80, 24);
    let buffer = terminal.backend().buffer();
    let find = |needle: &str| {
        (0..buffer.area.height)
            .find_map(|y| {
                let row: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_owned())
                    .collect();
                row.find(needle).map(|_| y)
            })
            .unwrap_or_else(|| panic!("{needle} not on screen"))
    };
    let (pre, label, hint) = (
        find("Now some questions"),
        find("How many times?"),
        find("Do not read out."),
    );
    assert!(pre < label && label < hint, "{pre} {label} {hint}");
    let style = |y: u16| buffer[(1, y)].style();
    assert_eq!(
        style(pre),
        style(label),
        "read aloud looks like the question"
    );
    assert_ne!(style(hint), style(label), "an instruction looks different");
}
