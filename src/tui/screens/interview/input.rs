//! What is being typed or chosen for the question on screen, before it is confirmed, and the
//! keys that change it. Confirmed answers go to the [`Interview`]; this is only the form field.

use std::time::{Duration, Instant};

use crate::interview::{Interview, Invalid, Step, parse_input, selects_other, toggle_code};
use crate::questionnaire::{Answer, Choice, Label, QuestionType, Special};
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
    /// An answer held back by the question's soft checks until it is confirmed.
    pub warned: Option<Warned>,
    /// The first digit of a two-digit option number, and when it was typed.
    pending_digit: Option<(u8, Instant)>,
    /// The "other" text typed before Esc closed its field, offered again when it reopens.
    other_draft: Option<String>,
}

/// How long the second digit of an option number may follow the first.
pub const DIGIT_WINDOW: Duration = Duration::from_millis(1200);

/// Where a digit typed on a choice list leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DigitPick {
    /// This option, and no other option number starts with what was typed: choose it.
    Chosen(usize),
    /// This option, but a second digit may follow (1 on a list of 15 may become 12).
    Waiting(usize),
    None,
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
            Action::Digit(d) => match self.pick_by_digit(d, count, Instant::now()) {
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
            Action::Insert(c) => redraw_if(self.jump_to_letter(&offered, c)),
            Action::Confirm => self.submit_choice(interview, pos, QuestionType::Single),
            _ => {
                self.pending_digit = None;
                redraw_if(self.move_cursor(action, count))
            }
        }
    }

    /// The option a digit picks. Lists of up to ten options are numbered 1–9 and 0, one key
    /// each. Longer lists are numbered 1, 2, … 15: a digit that can begin a longer number (1 on
    /// a list of 15) highlights its option and waits [`DIGIT_WINDOW`] for a second digit.
    fn pick_by_digit(&mut self, d: u8, count: usize, now: Instant) -> DigitPick {
        if count <= 10 {
            self.pending_digit = None;
            return match digit_index(d) {
                Some(i) if i < count => DigitPick::Chosen(i),
                _ => DigitPick::None,
            };
        }
        let pending = self
            .pending_digit
            .take()
            .filter(|(_, at)| now.duration_since(*at) <= DIGIT_WINDOW);
        if let Some((first, _)) = pending {
            let number = usize::from(first) * 10 + usize::from(d);
            if (1..=count).contains(&number) {
                return DigitPick::Chosen(number - 1);
            }
        }
        let number = usize::from(d);
        if number == 0 || number > count {
            return DigitPick::None;
        }
        if number * 10 <= count {
            self.pending_digit = Some((d, now));
            DigitPick::Waiting(number - 1)
        } else {
            DigitPick::Chosen(number - 1)
        }
    }

    /// Highlights the next option (after the highlighted one, round the list) whose label, in
    /// any language, starts with `c`; false when none does.
    fn jump_to_letter(&mut self, offered: &[&Choice], c: char) -> bool {
        self.pending_digit = None;
        let wanted: String = c.to_lowercase().collect();
        let starts = |choice: &Choice| {
            choice
                .label
                .0
                .values()
                .any(|label| label.trim_start().to_lowercase().starts_with(&wanted))
        };
        let count = offered.len();
        let from = self.cursor.map_or(0, |i| i + 1);
        let found = (0..count)
            .map(|k| (from + k) % count)
            .find(|&i| starts(offered[i]));
        match found {
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
            Action::Digit(d) => match self.pick_by_digit(d, count, Instant::now()) {
                DigitPick::Chosen(i) => Some(i),
                // Only highlighted: Space ticks it, a second digit picks another.
                DigitPick::Waiting(i) => {
                    self.cursor = Some(i);
                    return Effect::Redraw;
                }
                DigitPick::None => None,
            },
            Action::Toggle => {
                self.pending_digit = None;
                self.cursor
            }
            Action::Insert(c) => {
                let offered = interview.offered_choices(pos);
                return redraw_if(self.jump_to_letter(&offered, c));
            }
            Action::Confirm => return self.submit_choice(interview, pos, QuestionType::Multiple),
            _ => {
                self.pending_digit = None;
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

    /// The bundled questionnaire, at question `id` (everything before it answered with the first
    /// option or 42, participation with "no").
    fn at(id: &str) -> (Interview, usize) {
        let form = Arc::new(catalog::default_form().unwrap());
        let mut interview = Interview::start(form, "Мария", "PDV22", "bg");
        while let Some((pos, q)) = interview.current() {
            if q.id == id {
                return (interview, pos);
            }
            let offered = interview.offered_choices(pos);
            let answer = match q.kind {
                // "No" to taking part, which leads to the barriers.
                QuestionType::Single if q.id.starts_with("p_") => {
                    Some(Answer::Text(offered[1].code.clone()))
                }
                QuestionType::Single => Some(Answer::Text(offered[0].code.clone())),
                QuestionType::Multiple => Some(Answer::Codes(vec![offered[0].code.clone()])),
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

    #[test]
    fn on_long_lists_two_digits_typed_quickly_choose_options_past_ten() {
        let (interview, pos) = at("barriers");
        let count = interview.offered_choices(pos).len();
        assert!(count > 10 && count < 20, "the test expects 11–19 options");
        let mut input = Input::for_step(&interview, "bg");
        let t0 = Instant::now();
        assert_eq!(input.pick_by_digit(1, count, t0), DigitPick::Waiting(0));
        assert_eq!(
            input.pick_by_digit(2, count, t0 + Duration::from_millis(300)),
            DigitPick::Chosen(11),
            "1 then 2 is option 12"
        );
        assert_eq!(input.pick_by_digit(1, count, t0), DigitPick::Waiting(0));
        assert_eq!(
            input.pick_by_digit(2, count, t0 + DIGIT_WINDOW * 2),
            DigitPick::Chosen(1),
            "too late: 2 is option 2"
        );
        assert_eq!(
            input.pick_by_digit(7, count, t0),
            DigitPick::Chosen(6),
            "no option 70"
        );
        assert_eq!(input.pick_by_digit(0, count, t0), DigitPick::None);
        assert_eq!(input.pick_by_digit(1, count, t0), DigitPick::Waiting(0));
        assert_eq!(
            input.pick_by_digit(9, count, t0),
            DigitPick::Chosen(8),
            "19 is past the end: the 9 counts alone"
        );

        // Through the keys: 1, 2 ticks the twelfth option, and Space ticks a waiting one.
        input.update(&interview, pos, Action::Digit(1));
        assert!(input.selected.is_empty(), "1 alone only highlights");
        input.update(&interview, pos, Action::Digit(2));
        let offered = interview.offered_choices(pos);
        assert_eq!(input.selected, [offered[11].code.clone()]);
        input.update(&interview, pos, Action::Digit(1));
        input.update(&interview, pos, Action::Toggle);
        assert_eq!(input.selected.len(), 2);
        assert!(input.selected.contains(&offered[0].code));
    }

    #[test]
    fn a_letter_highlights_the_next_option_starting_with_it() {
        let (interview, pos) = at("barriers");
        let offered = interview.offered_choices(pos);
        let mut input = Input::for_step(&interview, "bg");
        let first = offered[3].label.get("bg").chars().next().unwrap();
        let matching: Vec<usize> = (0..offered.len())
            .filter(|&i| offered[i].label.get("bg").starts_with(first))
            .collect();
        input.update(&interview, pos, Action::Insert(first));
        assert_eq!(input.cursor, Some(matching[0]));
        if matching.len() > 1 {
            input.update(&interview, pos, Action::Insert(first));
            assert_eq!(input.cursor, Some(matching[1]), "again: the next one");
        }
        assert!(input.selected.is_empty(), "a letter only highlights");
    }

    #[test]
    fn ticking_other_asks_for_its_text_at_once_and_esc_keeps_the_draft() {
        let (interview, pos) = at("barriers");
        let offered = interview.offered_choices(pos);
        let other = offered.iter().position(|c| c.other).unwrap();
        let mut input = Input::for_step(&interview, "bg");
        input.cursor = Some(other);
        input.update(&interview, pos, Action::Toggle);
        assert!(input.other.is_some(), "the field opens with the tick");
        input.update(&interview, pos, Action::Insert('а'));
        input.update(&interview, pos, Action::Back);
        assert!(input.other.is_none());
        assert_eq!(
            input.update(&interview, pos, Action::Confirm),
            Effect::Redraw,
            "Enter reopens the field"
        );
        assert_eq!(input.other.as_ref().unwrap().text(), "а", "with the draft");
    }
}
