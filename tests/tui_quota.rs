//! The interview's quota warnings on ratatui's TestBackend: a data folder whose targets are
//! already met warns when the interview starts and once the quota questions are answered; one
//! with room left does not.

use std::path::Path;

use anketa::paths::Paths;
use anketa::questionnaire::catalog::default_form;
use anketa::questionnaire::{Answer, QuestionType};
use anketa::store::{Response, Status, Store};
use anketa::tui::app::{App, Screen};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Plovdiv wants `plovdiv` interviews; the cell female × 30-44 (whole sample) wants one.
fn targets(plovdiv: u32) -> String {
    format!(
        r#"{{"questionnaire": "civic-participation-bg",
  "eligible": [{{"question": "consent", "codes": ["yes"]}}, {{"question": "age", "min": 18}}],
  "municipalities": {{"PDV22": {plovdiv}, "VAR06": 10}},
  "quota": {{
    "dimensions": [
      {{"id": "gender", "question": "gender", "bands": [
        {{"id": "female", "codes": ["female"]}}, {{"id": "male", "codes": ["male"]}}]}},
      {{"id": "age_band", "question": "age", "bands": [
        {{"id": "18-29", "min": 18, "max": 29}}, {{"id": "30-44", "min": 30, "max": 44}}]}}],
    "cells": [{{"bands": {{"gender": "female", "age_band": "30-44"}}, "target": 1}},
              {{"bands": {{"gender": "male", "age_band": "30-44"}}, "target": 5}}]}}}}"#
    )
}

/// A data folder with the targets and two complete interviews: a woman of 35 in Varna and a
/// man of 20 in Plovdiv.
fn data_folder(dir: &Path, plovdiv_target: u32) {
    let qdir = dir.join("questionnaires");
    std::fs::create_dir_all(&qdir).unwrap();
    std::fs::write(
        qdir.join("civic-participation-bg.targets.json"),
        targets(plovdiv_target),
    )
    .unwrap();
    let form = default_form().unwrap();
    let store = Store::open(dir).unwrap();
    for (municipality, gender, age) in [("VAR06", "female", 35.0), ("PDV22", "male", 20.0)] {
        let mut r = Response::new(&form, "Мария", municipality, "bg");
        r.answers
            .insert("consent".into(), Answer::Text("yes".into()));
        r.answers.insert("age".into(), Answer::Number(age));
        r.answers
            .insert("gender".into(), Answer::Text(gender.into()));
        r.status = Status::Complete;
        store.save(&r).unwrap();
    }
}

struct Driver {
    app: App,
    _dir: tempfile::TempDir,
}

impl Driver {
    fn new(plovdiv_target: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        data_folder(&data, plovdiv_target);
        let paths = Paths {
            data_dir: data,
            config_dir: dir.path().join("config"),
        };
        let mut app = App::new(&paths).unwrap();
        app.settle();
        Self { app, _dir: dir }
    }

    fn key(&mut self, code: KeyCode) -> &mut Self {
        self.app
            .handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.app.settle();
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    /// Home → new interview → name → Plovdiv → the first question.
    fn begin(&mut self) -> &mut Self {
        self.key(KeyCode::Enter)
            .text("Иван")
            .key(KeyCode::Enter)
            .text("plov")
            .key(KeyCode::Enter)
    }

    /// Past the introduction, consent given, then `age` and `gender` (1 = female).
    fn answer_quota_questions(&mut self, age: &str, gender: &str) -> &mut Self {
        self.key(KeyCode::Enter)
            .text("1")
            .text(age)
            .key(KeyCode::Enter)
            .text(gender)
    }

    /// Answers every question in a plain way until the review, then finishes.
    fn complete_interview(&mut self) -> &mut Self {
        for _ in 0..200 {
            let Screen::Interview(screen) = &self.app.screen else {
                panic!("not in an interview:\n{}", self.screen_text());
            };
            let Some((_, q)) = screen.interview.current() else {
                break;
            };
            match q.kind {
                QuestionType::Single | QuestionType::Multiple if q.id.starts_with("p_") => {
                    self.text("2")
                }
                QuestionType::Single => self.text("1"),
                QuestionType::Integer | QuestionType::Decimal => {
                    self.text("40").key(KeyCode::Enter)
                }
                QuestionType::Scale => self.text("7").key(KeyCode::Enter),
                QuestionType::Multiple => self.text("1").key(KeyCode::Enter),
                QuestionType::Municipality => self.text("sofia").key(KeyCode::Enter),
                QuestionType::Date => self.text("2026-11-28").key(KeyCode::Enter),
                QuestionType::Note | QuestionType::Text => self.key(KeyCode::Enter),
            };
        }
        // Finish even with optional texts left empty, then skip the observations.
        self.key(KeyCode::F(10))
            .key(KeyCode::Char('д'))
            .key(KeyCode::Esc)
    }

    fn render(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| self.app.draw(frame)).unwrap();
        terminal
    }

    fn screen_text(&self) -> String {
        self.render().backend().to_string()
    }

    fn warnings(&self) -> Vec<String> {
        match &self.app.screen {
            Screen::Interview(s) => s.quota.messages.clone(),
            _ => panic!("not in an interview:\n{}", self.screen_text()),
        }
    }
}

#[test]
fn a_municipality_at_its_target_warns_as_the_interview_starts() {
    let mut d = Driver::new(1);
    d.begin();
    assert_eq!(
        d.warnings(),
        ["! Целта за Пловдив е достигната (1/1) — решете дали да продължите"]
    );
    assert!(
        d.screen_text()
            .contains("Целта за Пловдив е достигната (1/1)")
    );
    // Not blocking: the interview goes on.
    d.answer_quota_questions("52", "2");
    assert_eq!(d.warnings().len(), 1);
    // In the language of the moment.
    d.key(KeyCode::F(2));
    assert!(
        d.screen_text()
            .contains("The target for Plovdiv is reached (1/1)"),
        "{}",
        d.screen_text()
    );
}

#[test]
fn a_full_cell_warns_once_gender_and_age_are_given() {
    let mut d = Driver::new(10);
    d.begin();
    assert_eq!(d.warnings(), Vec::<String>::new());
    d.answer_quota_questions("38", "1");
    let full = "Квотата „Жена, 30-44“ е запълнена (1/1)";
    assert!(d.screen_text().contains(full), "{}", d.screen_text());
    insta::assert_snapshot!("quota_cell_full_bg", d.render().backend());
    // Going back and changing the age moves the respondent out of the full cell.
    d.key(KeyCode::PageUp).key(KeyCode::PageUp);
    for _ in 0..3 {
        d.key(KeyCode::Backspace);
    }
    d.text("25").key(KeyCode::Enter);
    let Screen::Interview(screen) = &d.app.screen else {
        panic!("not in an interview");
    };
    let age = screen.interview.response().answers.get("age");
    assert_eq!(age, Some(&Answer::Number(25.0)), "{}", d.screen_text());
    assert_eq!(d.warnings(), Vec::<String>::new(), "{}", d.screen_text());
}

#[test]
fn with_room_left_there_is_no_warning() {
    let mut d = Driver::new(10);
    d.begin();
    assert_eq!(d.warnings(), Vec::<String>::new());
    d.answer_quota_questions("38", "2");
    assert_eq!(d.warnings(), Vec::<String>::new());
    assert!(!d.screen_text().contains("запълнена"));
}

#[test]
fn interviews_completed_here_count_towards_the_next_warning() {
    // Plovdiv has one of its two interviews; this session completes the second.
    let mut d = Driver::new(2);
    d.begin();
    assert_eq!(d.warnings(), Vec::<String>::new());
    d.complete_interview();
    assert!(
        matches!(d.app.screen, Screen::Home(_)),
        "{}",
        d.screen_text()
    );
    d.begin();
    assert_eq!(
        d.warnings(),
        ["! Целта за Пловдив е достигната (2/2) — решете дали да продължите"]
    );
}
