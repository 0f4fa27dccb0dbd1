//! Starting an interview: the questionnaire (skipped when there is one), the interviewer's
//! name (remembered), and the municipality by type-ahead in either script.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::Transition;
use crate::questionnaire::Form;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::strings::strings;
use crate::tui::widgets::{EditLine, Picker};
use crate::tui::{theme, ui};

/// The step on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartStep {
    Questionnaire,
    Name,
    Municipality,
}

/// Why the start cannot go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    NameRequired,
    NoMatch,
}

/// The start screen.
#[derive(Debug)]
pub struct Start {
    forms: Vec<Arc<Form>>,
    pub step: StartStep,
    form_cursor: usize,
    pub name: EditLine,
    pub picker: Picker,
    pub error: Option<StartError>,
}

impl Start {
    /// The start screen for `forms`, the name field holding the remembered name.
    pub fn new(forms: Vec<Arc<Form>>, remembered_name: Option<&str>) -> Self {
        let step = if forms.len() > 1 {
            StartStep::Questionnaire
        } else {
            StartStep::Name
        };
        Self {
            forms,
            step,
            form_cursor: 0,
            name: EditLine::selected(remembered_name.unwrap_or_default()).with_max_chars(Some(80)),
            picker: Picker::default(),
            error: None,
        }
    }

    /// The keyboard focus: the list of questionnaires, or a text field.
    pub fn mode(&self) -> Mode {
        match self.step {
            StartStep::Questionnaire => Mode::Choice,
            _ => Mode::Text,
        }
    }

    /// Handles one action; returns whether to redraw and where to go.
    pub fn update(&mut self, action: Action) -> (bool, Option<Transition>) {
        match (self.step, action) {
            (_, Action::Quit) => (false, Some(Transition::Quit)),
            (StartStep::Questionnaire, Action::Back) => (false, Some(Transition::Home(None))),
            (StartStep::Name, Action::Back) if self.forms.len() <= 1 => {
                (false, Some(Transition::Home(None)))
            }
            (StartStep::Name, Action::Back) => self.go(StartStep::Questionnaire),
            (StartStep::Municipality, Action::Back) => self.go(StartStep::Name),
            (StartStep::Questionnaire, action) => (self.update_questionnaire(action), None),
            (StartStep::Name, Action::Confirm) => {
                if self.name.text().trim().is_empty() {
                    self.error = Some(StartError::NameRequired);
                    (true, None)
                } else {
                    self.go(StartStep::Municipality)
                }
            }
            (StartStep::Name, action) => (self.name.apply(action), None),
            (StartStep::Municipality, action) => self.update_municipality(action),
        }
    }

    fn go(&mut self, step: StartStep) -> (bool, Option<Transition>) {
        self.step = step;
        self.error = None;
        (true, None)
    }

    fn update_questionnaire(&mut self, action: Action) -> bool {
        let last = self.forms.len().saturating_sub(1);
        let before = self.form_cursor;
        match action {
            Action::Up => self.form_cursor = self.form_cursor.saturating_sub(1),
            Action::Down => self.form_cursor = (self.form_cursor + 1).min(last),
            Action::Digit(d) if (1..=9).contains(&d) && usize::from(d) - 1 <= last => {
                self.form_cursor = usize::from(d) - 1;
                self.go(StartStep::Name);
            }
            Action::Confirm => {
                self.go(StartStep::Name);
            }
            _ => return false,
        }
        before != self.form_cursor || self.step != StartStep::Questionnaire
    }

    fn update_municipality(&mut self, action: Action) -> (bool, Option<Transition>) {
        match action {
            Action::Up => (self.picker.up(), None),
            Action::Down => (self.picker.down(), None),
            Action::Confirm => match (self.picker.selected(), self.forms.get(self.form_cursor)) {
                (Some(m), Some(form)) if !self.picker.query.text().trim().is_empty() => (
                    false,
                    Some(Transition::Begin {
                        form: Arc::clone(form),
                        interviewer: self.name.text().trim().to_owned(),
                        municipality: m.code.clone(),
                    }),
                ),
                _ => {
                    self.error = Some(StartError::NoMatch);
                    (true, None)
                }
            },
            action => {
                let changed = self.picker.query.apply(action);
                if changed {
                    self.picker.refresh();
                    self.error = None;
                }
                (changed, None)
            }
        }
    }

    /// Draws the start screen.
    pub fn draw(&self, frame: &mut Frame, lang: &str) {
        let s = strings(lang);
        let [title, _, body, message, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(1),
            Constraint::Length(2),
        ])
        .areas(frame.area());
        ui::draw_title(
            frame,
            title,
            &format!("anketa · {}", s.start_title),
            s.lang_badge,
        );
        let body = Rect {
            x: body.x + 2,
            width: body.width.saturating_sub(4),
            ..body
        };
        if self.step == StartStep::Questionnaire {
            self.draw_questionnaires(frame, body, lang);
        } else {
            self.draw_fields(frame, body, lang);
        }
        let text = match self.error {
            Some(StartError::NameRequired) => s.name_required,
            Some(StartError::NoMatch) => s.no_match,
            None => "",
        };
        frame.render_widget(Span::styled(format!("  {text}"), theme::error()), message);
        ui::draw_footer(frame, footer, s.keys_start);
    }

    /// The interviewer's name and, on the second step, the municipality type-ahead.
    fn draw_fields(&self, frame: &mut Frame, body: Rect, lang: &str) {
        let s = strings(lang);
        let form_title = self.forms.get(self.form_cursor).map_or(String::new(), |f| {
            f.questionnaire().title.get(lang).to_owned()
        });
        let [head, name_row, name_hint, _, muni] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(2),
        ])
        .areas(body);
        frame.render_widget(Line::styled(form_title, theme::heading()), head);
        let w = 14;
        let [label, field] =
            Layout::horizontal([Constraint::Length(w), Constraint::Max(40)]).areas(name_row);
        frame.render_widget(Span::styled(s.interviewer_prompt, theme::label()), label);
        let name_cursor = self.name.render(field, frame.buffer_mut(), theme::field());
        let hint_row = Rect {
            x: field.x,
            ..name_hint
        };
        frame.render_widget(Span::styled(s.interviewer_hint, theme::dim()), hint_row);
        if self.step == StartStep::Name {
            frame.set_cursor_position(name_cursor);
            return;
        }
        let [hint, picker] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(muni);
        frame.render_widget(
            Span::styled(s.municipality_hint, theme::dim()),
            Rect { x: field.x, ..hint },
        );
        let prompt = format!("{:<w$}", s.municipality_prompt, w = usize::from(w) - 1);
        let cursor = self.picker.render(frame, picker, lang, &prompt);
        frame.set_cursor_position(cursor);
    }

    fn draw_questionnaires(&self, frame: &mut Frame, area: Rect, lang: &str) {
        let s = strings(lang);
        let [head, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        frame.render_widget(Span::styled(s.choose_questionnaire, theme::heading()), head);
        let items: Vec<ListItem> = self
            .forms
            .iter()
            .enumerate()
            .map(|(i, f)| {
                ListItem::new(format!(
                    "{}. {} ({} {})",
                    i + 1,
                    f.questionnaire().title.get(lang),
                    f.id(),
                    f.version()
                ))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.form_cursor));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme::highlight()),
            list,
            &mut state,
        );
    }
}
