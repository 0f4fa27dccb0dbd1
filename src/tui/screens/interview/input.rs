//! What is being typed or chosen for the question on screen, before it is confirmed, and the
//! keys that change it. Confirmed answers go to the [`Interview`]; this is only the form field.

use crate::interview::{Interview, Invalid, Step, parse_input, selects_other, toggle_code};
use crate::questionnaire::{Answer, QuestionType, Special};
use crate::tui::action::Action;
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
                    self.other = None;
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
            QuestionType::Integer
            | QuestionType::Decimal
            | QuestionType::Date
            | QuestionType::Text => match action {
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
            let stored = interview.other_text(pos).unwrap_or_default();
            self.other = Some(EditLine::selected(stored));
            self.error = None;
            return Effect::Redraw;
        }
        Effect::Submit(answer, None)
    }

    fn update_single(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let count = interview.offered_choices(pos).len();
        match action {
            Action::Digit(d) => match digit_index(d) {
                Some(i) if i < count => {
                    self.cursor = Some(i);
                    self.submit_choice(interview, pos, QuestionType::Single)
                }
                _ => Effect::None,
            },
            Action::Confirm => self.submit_choice(interview, pos, QuestionType::Single),
            _ => redraw_if(self.move_cursor(action, count)),
        }
    }

    fn update_multiple(&mut self, interview: &Interview, pos: usize, action: Action) -> Effect {
        let count = interview.offered_choices(pos).len();
        let index = match action {
            Action::Digit(d) => digit_index(d).filter(|&i| i < count),
            Action::Toggle => self.cursor,
            Action::Confirm => return self.submit_choice(interview, pos, QuestionType::Multiple),
            _ => return redraw_if(self.move_cursor(action, count)),
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

/// Options are numbered 1–9 and 0 for the tenth.
fn digit_index(d: u8) -> Option<usize> {
    match d {
        0 => Some(9),
        1..=9 => Some(usize::from(d) - 1),
        _ => None,
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
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::questionnaire::catalog;

    /// The bundled questionnaire, at question `id` (everything before it answered "1"/42).
    fn at(id: &str) -> (Interview, usize) {
        let form = Arc::new(catalog::default_form().unwrap());
        let mut interview = Interview::start(form, "Мария", "PDV22", "bg");
        while let Some((pos, q)) = interview.current() {
            if q.id == id {
                return (interview, pos);
            }
            let offered = interview.offered_choices(pos);
            let answer = match q.kind {
                QuestionType::Single => Some(Answer::Text(offered[0].code.clone())),
                QuestionType::Integer => Some(Answer::Number(42.0)),
                _ => None,
            };
            interview.submit(answer, None).unwrap();
        }
        panic!("no question {id}");
    }

    #[test]
    fn digits_choose_and_zero_is_the_tenth() {
        let (interview, pos) = at("consent");
        let mut input = Input::for_step(&interview, "bg");
        assert_eq!(
            input.update(&interview, pos, Action::Digit(3)),
            Effect::None,
            "only two options"
        );
        assert_eq!(
            input.update(&interview, pos, Action::Digit(2)),
            Effect::Submit(Some(Answer::Text("no".into())), None)
        );
        assert_eq!(digit_index(0), Some(9));
        assert_eq!(digit_index(1), Some(0));
    }

    #[test]
    fn arrows_then_enter_choose_and_enter_alone_leaves_it_empty() {
        let (interview, pos) = at("settlement");
        let mut input = Input::for_step(&interview, "bg");
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(None, None)
        );
        input.update(&interview, pos, Action::Down);
        input.update(&interview, pos, Action::Down);
        assert_eq!(input.cursor, Some(1));
        input.update(&interview, pos, Action::Up);
        input.update(&interview, pos, Action::Up);
        assert_eq!(input.cursor, Some(0), "stops at the top");
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Text("capital".into())), None)
        );
    }

    #[test]
    fn the_scale_moves_within_its_range() {
        let (interview, pos) = at("trust_mayor");
        let mut input = Input::for_step(&interview, "bg");
        input.update(&interview, pos, Action::Left);
        assert_eq!(
            input.edit.text(),
            "0",
            "the first arrow starts at the minimum"
        );
        input.update(&interview, pos, Action::Left);
        assert_eq!(input.edit.text(), "0");
        for _ in 0..12 {
            input.update(&interview, pos, Action::Right);
        }
        assert_eq!(input.edit.text(), "10", "stops at the maximum");
        input.update(&interview, pos, Action::Backspace);
        input.update(&interview, pos, Action::Backspace);
        input.update(&interview, pos, Action::Insert('7'));
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Number(7.0)), None)
        );
    }

    #[test]
    fn special_keys_submit_at_once() {
        let (interview, pos) = at("gender");
        let mut input = Input::for_step(&interview, "bg");
        assert_eq!(
            input.update(&interview, pos, Action::Refused),
            Effect::Submit(Some(Answer::Special(Special::Refused)), None)
        );
    }

    #[test]
    fn a_stored_answer_fills_the_field() {
        let (mut interview, pos) = at("gender");
        interview
            .submit(Some(Answer::Text("male".into())), None)
            .unwrap();
        interview.back();
        let input = Input::for_step(&interview, "bg");
        assert_eq!(input.cursor, Some(1));
        let (mut interview, pos2) = at("residence");
        let _ = pos;
        interview
            .submit(Some(Answer::Text("SOF46".into())), None)
            .unwrap();
        interview.back();
        assert_eq!(interview.current().unwrap().0, pos2);
        let input = Input::for_step(&interview, "en");
        assert_eq!(input.picker.query.text(), "Stolichna");
    }

    /// Answers the question at `pos` with `answer`, then comes back to it.
    fn answered(mut interview: Interview, pos: usize, answer: Answer) -> Interview {
        interview.submit(Some(answer), None).unwrap();
        interview.back();
        assert_eq!(interview.current().unwrap().0, pos);
        interview
    }

    #[test]
    fn typing_over_a_stored_rating_replaces_it() {
        let (interview, pos) = at("trust_council");
        let interview = answered(interview, pos, Answer::Number(1.0));
        let mut input = Input::for_step(&interview, "bg");
        assert!(
            input.edit.is_selected(),
            "the stored rating is shown selected"
        );
        input.update(&interview, pos, Action::Insert('0'));
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Number(0.0)), None),
            "0 over 1 is 0, not 10"
        );

        let interview = answered(interview, pos, Answer::Number(7.0));
        let mut input = Input::for_step(&interview, "bg");
        input.update(&interview, pos, Action::Insert('3'));
        assert_eq!(input.edit.text(), "3", "3 over 7 is 3, not 73");
        input.update(&interview, pos, Action::Right);
        input.update(&interview, pos, Action::Insert('5'));
        assert_eq!(
            input.edit.text(),
            "5",
            "a digit after the arrows replaces too"
        );
    }

    #[test]
    fn typing_over_a_stored_number_replaces_it_and_backspace_edits_it() {
        let (interview, pos) = at("age");
        let interview = answered(interview, pos, Answer::Number(42.0));
        let mut input = Input::for_step(&interview, "bg");
        input.update(&interview, pos, Action::Insert('3'));
        input.update(&interview, pos, Action::Insert('5'));
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Number(35.0)), None)
        );
        let mut input = Input::for_step(&interview, "bg");
        input.update(&interview, pos, Action::Backspace);
        input.update(&interview, pos, Action::Insert('7'));
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Number(47.0)), None)
        );
    }

    #[test]
    fn typing_over_a_stored_municipality_starts_a_new_search() {
        let (interview, pos) = at("residence");
        let interview = answered(interview, pos, Answer::Text("SOF46".into()));
        let mut input = Input::for_step(&interview, "en");
        for c in "plov".chars() {
            input.update(&interview, pos, Action::Insert(c));
        }
        assert_eq!(input.picker.query.text(), "plov");
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Submit(Some(Answer::Text("PDV22".into())), None)
        );
    }
}
