//! What is being typed or chosen for the question on screen, before it is confirmed, and the
//! keys that change it. Confirmed answers go to the [`Interview`]; this is only the form field.

use std::cell::Cell;
use std::time::Instant;

use super::choice_keys::{ChoiceKeys, DigitPick, next_with_letter};
use crate::interview::{Interview, Invalid, Step, parse_input, selects_other, toggle_code};
use crate::questionnaire::{Answer, Choice, Label, QuestionType, Special};
use crate::tui::action::Action;
use crate::tui::widgets::text_area::move_vertically;
use crate::tui::widgets::{EditLine, Picker};

/// The field of the question on screen.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// Highlighted option of a choice list (`None`: nothing highlighted yet).
    pub cursor: Option<usize>,
    /// Ticked codes of a multiple-choice question.
    pub selected: Vec<String>,
    /// Numbers, dates, texts and scale values.
    pub edit: EditLine,
    /// Open when an "other, please specify" option needs its text.
    pub other: Option<EditLine>,
    /// Municipality questions.
    pub picker: Picker,
    /// Why the last attempt to move on was refused.
    pub error: Option<Invalid>,
    /// A rule that stopped a tick (a limit reached); shown, but nothing is wrong.
    pub notice: Option<Invalid>,
    /// An answer held back by the question's soft checks until it is confirmed.
    pub warned: Option<Warned>,
    /// Digits and letters typed on a choice list.
    keys: ChoiceKeys,
    /// The "other" text typed before Esc closed its field, offered again when it reopens.
    other_draft: Option<String>,
    /// The width an open answer was last drawn at, for ↑/↓ by row.
    pub text_width: Cell<u16>,
}

/// An answer that fails some of its question's `warnings`: shown with their messages, and
/// submitted when the interviewer confirms it unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct Warned {
    pub answer: Answer,
    pub other: Option<String>,
    pub messages: Vec<Label>,
}

/// What the screen should do after a key on the field.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Nothing visible changed.
    None,
    /// The field changed; redraw.
    Redraw,
    /// Confirm this answer (with the "other" text).
    Submit(Option<Answer>, Option<String>),
}

impl Input {
    /// The field for the interview's current step, filled with the stored answer.
    pub fn for_step(interview: &Interview, lang: &str) -> Self {
        let Step::Question(pos) = interview.step() else {
            return Self::default();
        };
        let question = &interview.form().questions()[pos];
        let answer = interview.answer(pos).filter(|a| a.special().is_none());
        let offered = interview.offered_choices(pos);
        let mut input = Self::default();
        match (question.kind, answer) {
            (QuestionType::Single, Some(Answer::Text(code))) => {
                input.cursor = offered.iter().position(|c| &c.code == code);
            }
            (QuestionType::Multiple, Some(Answer::Codes(codes))) => {
                input.selected = codes.clone();
            }
            (QuestionType::Municipality, Some(Answer::Text(code))) => {
                input.picker = Picker::with_code(code, lang);
            }
            // Shown selected: typing replaces the stored answer, the arrows edit it.
            (_, Some(Answer::Number(n))) => input.edit = EditLine::selected(&n.to_string()),
            (_, Some(Answer::Text(text))) => input.edit = EditLine::selected(text),
            _ => {}
        }
        let max_length = question.max_length.map(|n| n as usize);
        input.edit = input.edit.with_max_chars(max_length);
        input
    }

    /// Whether a text field has the keyboard.
    pub fn is_typing(&self, kind: QuestionType) -> bool {
        self.other.is_some()
            || matches!(
                kind,
                QuestionType::Integer
                    | QuestionType::Decimal
                    | QuestionType::Date
                    | QuestionType::Text
                    | QuestionType::Scale
                    | QuestionType::Municipality
            )
    }

    /// Applies `action` to the field of the question at `pos`.
    pub fn update(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let question = &interview.form().questions()[pos];
        match action {
            Action::DontKnow => {
                return Effect::Submit(Some(Answer::Special(Special::DontKnow)), None);
            }
            Action::Refused => {
                return Effect::Submit(Some(Answer::Special(Special::Refused)), None);
            }
            _ => {}
        }
        if let Some(other) = &mut self.other {
            return match action {
                Action::Confirm => {
                    let text = other.text().to_owned();
                    Effect::Submit(
                        self.choice_answer(interview, pos, question.kind),
                        Some(text),
                    )
                }
                Action::Back => {
                    self.other_draft = self.other.take().map(|line| line.text().to_owned());
                    Effect::Redraw
                }
                _ => redraw_if(other.apply(action)),
            };
        }
        match question.kind {
            QuestionType::Note => match action {
                Action::Confirm => Effect::Submit(None, None),
                _ => Effect::None,
            },
            QuestionType::Single => self.update_single(interview, pos, action),
            QuestionType::Multiple => self.update_multiple(interview, pos, action),
            QuestionType::Scale => self.update_scale(interview, pos, action),
            QuestionType::Municipality => self.update_picker(action),
            QuestionType::Text => match action {
                Action::Confirm => self.submit_typed(interview, pos),
                Action::Up | Action::Down => {
                    let width = usize::from(self.text_width.get()).max(1);
                    redraw_if(move_vertically(
                        &mut self.edit,
                        width,
                        action == Action::Down,
                    ))
                }
                _ => redraw_if(self.edit.apply(action)),
            },
            QuestionType::Integer | QuestionType::Decimal | QuestionType::Date => match action {
                Action::Confirm => self.submit_typed(interview, pos),
                _ => redraw_if(self.edit.apply(action)),
            },
        }
    }

    fn choice_answer(
        &self,
        interview: &Interview,
        pos: usize,
        kind: QuestionType,
    ) -> Option<Answer> {
        let offered = interview.offered_choices(pos);
        match kind {
            QuestionType::Single => self
                .cursor
                .and_then(|i| offered.get(i))
                .map(|c| Answer::Text(c.code.clone())),
            _ if self.selected.is_empty() => None,
            _ => Some(Answer::Codes(self.selected.clone())),
        }
    }

    /// Opens the "please specify" field when the answer needs it, else submits.
    fn submit_choice(&mut self, interview: &Interview, pos: usize, kind: QuestionType) -> Effect {
        let answer = self.choice_answer(interview, pos, kind);
        let offered = interview.offered_choices(pos);
        if answer.as_ref().is_some_and(|a| selects_other(&offered, a)) {
            self.open_other(interview, pos);
            return Effect::Redraw;
        }
        Effect::Submit(answer, None)
    }

    /// Opens the "please specify" field: with the text typed before Esc closed it, else the
    /// stored text selected (typing replaces it).
    fn open_other(&mut self, interview: &Interview, pos: usize) {
        self.other = Some(match self.other_draft.take() {
            Some(draft) => EditLine::new(&draft),
            None => EditLine::selected(interview.other_text(pos).unwrap_or_default()),
        });
        self.error = None;
    }

    fn update_single(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let offered = interview.offered_choices(pos);
        let count = offered.len();
        match action {
            Action::Digit(d) => match self.keys.digit(d, count, Instant::now()) {
                DigitPick::Chosen(i) => {
                    self.cursor = Some(i);
                    self.submit_choice(interview, pos, QuestionType::Single)
                }
                DigitPick::Waiting(i) => {
                    self.cursor = Some(i);
                    Effect::Redraw
                }
                DigitPick::None => Effect::None,
            },
            Action::Insert(c) => redraw_if(self.highlight_letter(&offered, c)),
            Action::Confirm => self.submit_choice(interview, pos, QuestionType::Single),
            _ => {
                self.keys.forget();
                redraw_if(self.move_cursor(action, count))
            }
        }
    }

    /// Highlights the next option starting with `c`; false when none does or it already is.
    fn highlight_letter(&mut self, offered: &[&Choice], c: char) -> bool {
        self.keys.forget();
        match next_with_letter(offered, self.cursor, c) {
            Some(i) if self.cursor != Some(i) => {
                self.cursor = Some(i);
                true
            }
            _ => false,
        }
    }

    fn update_multiple(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let count = interview.offered_choices(pos).len();
        let index = match action {
            Action::Digit(d) => match self.keys.digit(d, count, Instant::now()) {
                DigitPick::Chosen(i) => Some(i),
                // Only highlighted: Space ticks it, a second digit picks another.
                DigitPick::Waiting(i) => {
                    self.cursor = Some(i);
                    return Effect::Redraw;
                }
                DigitPick::None => None,
            },
            Action::Toggle => {
                self.keys.forget();
                self.cursor
            }
            Action::Insert(c) => {
                let offered = interview.offered_choices(pos);
                return redraw_if(self.highlight_letter(&offered, c));
            }
            Action::Confirm => return self.submit_choice(interview, pos, QuestionType::Multiple),
            _ => {
                self.keys.forget();
                return redraw_if(self.move_cursor(action, count));
            }
        };
        let Some(i) = index else {
            return Effect::None;
        };
        self.cursor = Some(i);
        let question = &interview.form().questions()[pos];
        let offered = interview.offered_choices(pos);
        let Some(code) = offered.get(i).map(|c| c.code.clone()) else {
            return Effect::None;
        };
        self.notice = toggle_code(question, &offered, &mut self.selected, &code).err();
        self.error = None;
        // Ticking an "other, please specify" option asks for its text there and then.
        let is_other = offered.get(i).is_some_and(|c| c.other);
        if is_other && self.selected.contains(&code) {
            self.open_other(interview, pos);
        }
        Effect::Redraw
    }

    fn update_scale(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let question = &interview.form().questions()[pos];
        let (min, max) = (question.min.unwrap_or(0.0), question.max.unwrap_or(10.0));
        let current = self.edit.text().trim().parse::<f64>().ok();
        let next = match action {
            Action::Left | Action::Down => Some(current.map_or(min, |v| (v - 1.0).max(min))),
            Action::Right | Action::Up => Some(current.map_or(min, |v| (v + 1.0).min(max))),
            Action::Confirm => return self.submit_typed(interview, pos),
            _ => None,
        };
        match next {
            Some(v) => {
                // Selected, so that a digit typed after the arrows replaces the rating.
                self.edit.set(&v.to_string());
                self.edit.select_all();
                self.error = None;
                Effect::Redraw
            }
            None => redraw_if(self.edit.apply(action)),
        }
    }

    fn update_picker(&mut self, action: Action) -> Effect {
        match action {
            Action::Up => redraw_if(self.picker.up()),
            Action::Down => redraw_if(self.picker.down()),
            Action::Confirm if self.picker.query.text().trim().is_empty() => {
                Effect::Submit(None, None)
            }
            Action::Confirm => match self.picker.selected() {
                Some(m) => Effect::Submit(Some(Answer::Text(m.code.clone())), None),
                None => {
                    self.error = Some(Invalid::UnknownMunicipality);
                    Effect::Redraw
                }
            },
            _ => {
                let changed = self.picker.query.apply(action);
                if changed {
                    self.picker.refresh();
                }
                redraw_if(changed)
            }
        }
    }

    fn submit_typed(&mut self, interview: &Interview, pos: usize) -> Effect {
        let question = &interview.form().questions()[pos];
        match parse_input(question, self.edit.text()) {
            Ok(answer) => Effect::Submit(answer, None),
            Err(why) => {
                self.error = Some(why);
                Effect::Redraw
            }
        }
    }

    fn move_cursor(&mut self, action: Action, count: usize) -> bool {
        if count == 0 {
            return false;
        }
        let last = count - 1;
        let next = match (action, self.cursor) {
            (Action::Down, None) | (Action::Home, _) => 0,
            (Action::Down, Some(i)) => (i + 1).min(last),
            (Action::Up, None) => 0,
            (Action::Up, Some(i)) => i.saturating_sub(1),
            (Action::End, _) => last,
            (Action::PageDown, i) => (i.unwrap_or(0) + 5).min(last),
            _ => return false,
        };
        let moved = self.cursor != Some(next);
        self.cursor = Some(next);
        moved
    }
}

fn redraw_if(changed: bool) -> Effect {
    if changed {
        Effect::Redraw
    } else {
        Effect::None
    }
}

#[cfg(test)]
mod tests;
