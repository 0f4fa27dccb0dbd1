//! The interviewer's observations at the end of an interview: who else was present, the
//! respondent's cooperation, the language it was mostly conducted in, and a remark. Each is
//! optional; Enter stores them in the response, Esc leaves them out.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use crate::store::Observations;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::strings::Strings;
use crate::tui::widgets::EditLine;
use crate::tui::{theme, ui};

/// The codes stored for "others present", as `docs/data-format.md` lists them.
pub const OTHERS_PRESENT: [&str; 3] = ["none", "family", "others"];
/// The codes stored for the respondent's cooperation.
pub const COOPERATION: [&str; 3] = ["good", "fair", "poor"];

/// What the form asks the screen to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObserveOutcome {
    Stay(bool),
    /// Store these observations (possibly all empty) and leave.
    Done(Observations),
    /// Leave without recording observations.
    Skip,
}

/// The observations form: three choices and a remark.
#[derive(Debug, Clone)]
pub struct ObserveForm {
    /// The selected option of each choice row (`None`: not recorded).
    pub picks: [Option<usize>; 3],
    languages: Vec<String>,
    pub remark: EditLine,
    /// The row with the focus: 0–2 the choices, 3 the remark.
    pub row: usize,
}

impl ObserveForm {
    /// The form for an interview in `languages` (the questionnaire's, then "other"), with
    /// `current` (earlier observations, when an edit finishes again) filled in.
    pub fn new(languages: &[String], current: &Observations, asked_in: &str) -> Self {
        let mut langs: Vec<String> = languages.to_vec();
        langs.push("other".to_owned());
        let find = |list: &[&str], v: &Option<String>| {
            v.as_deref().and_then(|v| list.iter().position(|c| *c == v))
        };
        let lang_pick = current
            .language
            .as_deref()
            .or(Some(asked_in))
            .and_then(|l| langs.iter().position(|c| c == l));
        Self {
            picks: [
                find(&OTHERS_PRESENT, &current.others_present),
                find(&COOPERATION, &current.cooperation),
                lang_pick,
            ],
            languages: langs,
            remark: EditLine::new(&current.remark).with_max_chars(Some(10_000)),
            row: 0,
        }
    }

    /// The keyboard focus: the remark is a text field.
    pub fn mode(&self) -> Mode {
        if self.row == 3 {
            Mode::Text
        } else {
            Mode::Choice
        }
    }

    fn options(&self, row: usize) -> Vec<&str> {
        match row {
            0 => OTHERS_PRESENT.to_vec(),
            1 => COOPERATION.to_vec(),
            _ => self.languages.iter().map(String::as_str).collect(),
        }
    }

    /// Handles one action.
    pub fn update(&mut self, action: Action) -> ObserveOutcome {
        match action {
            Action::Back => return ObserveOutcome::Skip,
            Action::Confirm => return ObserveOutcome::Done(self.observations()),
            Action::Up | Action::Previous => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = (self.row + 1).min(3),
            Action::Left | Action::Right if self.row < 3 => {
                let n = self.options(self.row).len();
                // Cycle through "not recorded" and every option.
                let at = self.picks[self.row].map_or(0, |p| p + 1);
                let next = if action == Action::Right {
                    (at + 1) % (n + 1)
                } else {
                    (at + n) % (n + 1)
                };
                self.picks[self.row] = next.checked_sub(1);
            }
            Action::Digit(d) if self.row < 3 => {
                let d = usize::from(d);
                if (1..=self.options(self.row).len()).contains(&d) {
                    self.picks[self.row] = Some(d - 1);
                } else {
                    return ObserveOutcome::Stay(false);
                }
            }
            action if self.row == 3 => return ObserveOutcome::Stay(self.remark.apply(action)),
            _ => return ObserveOutcome::Stay(false),
        }
        ObserveOutcome::Stay(true)
    }

    /// The observations as filled in.
    pub fn observations(&self) -> Observations {
        let pick = |row: usize| {
            self.picks[row].and_then(|p| self.options(row).get(p).map(|c| (*c).to_owned()))
        };
        Observations {
            others_present: pick(0),
            cooperation: pick(1),
            language: pick(2),
            remark: self.remark.text().trim().to_owned(),
        }
    }

    /// Draws the form over the screen.
    pub fn draw(&self, frame: &mut Frame, s: &Strings) {
        let area = ui::centered(frame.area(), 74, 9);
        frame.render_widget(Clear, area);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme::heading())
            .title(Span::styled(
                format!(" {} ", s.observe_title),
                theme::heading(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows: [_; 6] = Layout::vertical([Constraint::Length(1); 6]).areas(inner);
        let labels = [s.observe_others, s.observe_cooperation, s.observe_language];
        for (row, label) in labels.iter().enumerate() {
            let options = self.options(row);
            let mut spans = vec![Span::styled(format!("{label:<22}"), theme::label())];
            for (i, code) in options.iter().enumerate() {
                let text = format!(" {} {} ", i + 1, observe_label(s, code));
                let style = if self.picks[row] == Some(i) {
                    theme::chosen()
                } else {
                    theme::dim()
                };
                spans.push(Span::styled(text, style));
            }
            let line = Line::from(spans);
            let line = if self.row == row {
                line.style(theme::highlight())
            } else {
                line
            };
            frame.render_widget(Paragraph::new(line), rows[row]);
        }
        let [label, field] =
            Layout::horizontal([Constraint::Length(22), Constraint::Min(1)]).areas(rows[3]);
        frame.render_widget(Span::styled(s.observe_remark, theme::label()), label);
        let cursor = self
            .remark
            .render(field, frame.buffer_mut(), theme::field());
        if self.row == 3 {
            frame.set_cursor_position(cursor);
        }
        frame.render_widget(Span::styled(s.observe_hint, theme::dim()), rows[5]);
    }
}

/// The label of an observation code in the interface language.
fn observe_label<'a>(s: &'a Strings, code: &'a str) -> &'a str {
    match code {
        "none" => s.obs_none,
        "family" => s.obs_family,
        "others" => s.obs_others,
        "good" => s.obs_good,
        "fair" => s.obs_fair,
        "poor" => s.obs_poor,
        "bg" => "БГ",
        "en" => "EN",
        "other" => s.obs_other_language,
        code => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_cycle_and_a_long_remark_is_kept_whole() {
        let langs = vec!["bg".to_owned(), "en".to_owned()];
        let mut form = ObserveForm::new(&langs, &Observations::default(), "en");
        assert_eq!(form.observations().language.as_deref(), Some("en"));
        form.update(Action::Right);
        form.update(Action::Right);
        form.update(Action::Down);
        form.update(Action::Digit(3));
        form.update(Action::Down);
        form.update(Action::Left);
        form.update(Action::Left);
        form.update(Action::Down);
        assert_eq!(form.mode(), Mode::Text);
        let remark: String = "ж".repeat(10_000);
        for c in remark.chars() {
            form.update(Action::Insert(c));
        }
        let ObserveOutcome::Done(obs) = form.update(Action::Confirm) else {
            panic!("Enter stores the observations");
        };
        assert_eq!(obs.others_present.as_deref(), Some("family"));
        assert_eq!(obs.cooperation.as_deref(), Some("poor"));
        assert_eq!(obs.language, None, "cycled back to not recorded");
        assert_eq!(obs.remark, remark);
        assert_eq!(form.update(Action::Back), ObserveOutcome::Skip);
    }
}
