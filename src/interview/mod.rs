//! The interview as a state machine: which question is on screen, where Enter and "back" lead,
//! which answers are accepted. Pure: no terminal and no files, so every rule is tested here
//! without a screen, and the terminal layer only draws this state and feeds it actions.
//!
//! Skip logic is the questionnaire's own ([`Form::relevance`]), recomputed after every answer.
//! An answer to a question that stops being relevant is kept in the response (nothing typed is
//! destroyed) but is "not asked": it is skipped by navigation, left out of progress and review,
//! and ignored by statistics. Answering the earlier question back restores it.
//!
//! Every visit to a question adds the time spent on it to `timings_ms`, so repeated visits sum.

mod check;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Instant;

pub use check::{Invalid, check_shape, parse_input, selects_other, toggle_code};

use crate::questionnaire::{Answer, Choice, Form, Question};
use crate::store::{Response, Status};

/// Where the interview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The question at this position of [`Form::questions`] is on screen.
    Question(usize),
    /// Every relevant question has been through; the list of answers is on screen.
    Review,
}

/// One interview in progress: a [`Response`] and the position in its questionnaire.
#[derive(Debug, Clone)]
pub struct Interview {
    form: Arc<Form>,
    response: Response,
    relevant: Vec<bool>,
    step: Step,
    /// Set when a question was opened from the review: after it, return there.
    from_review: bool,
    visit_started: Instant,
    generation: u64,
}

impl Interview {
    /// Starts a new interview (a fresh draft) at the first question.
    pub fn start(form: Arc<Form>, interviewer: &str, municipality: &str, language: &str) -> Self {
        let response = Response::new(&form, interviewer, municipality, language);
        Self::resume(form, response)
    }

    /// Opens a stored response where it was left: at the furthest question reached (the one
    /// on screen when it was paused, or the next one when that was answered), or earlier at a
    /// stored answer that is no longer valid; at the review when everything has been seen.
    pub fn resume(form: Arc<Form>, response: Response) -> Self {
        let relevant = form.relevance(&response.answers);
        let mut interview = Self {
            form,
            response,
            relevant,
            step: Step::Review,
            from_review: false,
            visit_started: Instant::now(),
            generation: 0,
        };
        interview.step = interview
            .resume_position()
            .map_or(Step::Review, Step::Question);
        interview
    }

    /// The questionnaire being asked.
    pub fn form(&self) -> &Form {
        &self.form
    }

    /// The shared questionnaire, for handing to another screen.
    pub fn form_arc(&self) -> &Arc<Form> {
        &self.form
    }

    /// The response as it stands, ready to be saved.
    pub fn response(&self) -> &Response {
        &self.response
    }

    /// Gives back the response (for lists that keep only the data).
    pub fn into_response(self) -> Response {
        self.response
    }

    /// The question on screen, or the review.
    pub fn step(&self) -> Step {
        self.step
    }

    /// Counts changes to the response; a saver compares it to know what is on disk.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether the question at `position` is asked, given the answers so far.
    pub fn is_relevant(&self, position: usize) -> bool {
        self.relevant.get(position).copied().unwrap_or(false)
    }

    /// The question on screen and its position, unless the review is.
    pub fn current(&self) -> Option<(usize, &Question)> {
        match self.step {
            Step::Question(pos) => self.form.questions().get(pos).map(|q| (pos, q)),
            Step::Review => None,
        }
    }

    /// The stored answer of the question at `position` (also when it is not asked any more).
    pub fn answer(&self, position: usize) -> Option<&Answer> {
        let q = self.form.questions().get(position)?;
        self.response.answers.get(&q.id)
    }

    /// The "other, please specify" text stored for the question at `position`.
    pub fn other_text(&self, position: usize) -> Option<&str> {
        let q = self.form.questions().get(position)?;
        self.response.other_text.get(&q.id).map(String::as_str)
    }

    /// The options offered by the question at `position`: its choice list, narrowed by
    /// `choices_from` to the codes chosen in the earlier question (none when that one was not
    /// asked or not answered with codes).
    pub fn offered_choices(&self, position: usize) -> Vec<&Choice> {
        let Some(question) = self.form.questions().get(position) else {
            return Vec::new();
        };
        let all = self.form.choices(question);
        let Some(source) = &question.choices_from else {
            return all.iter().collect();
        };
        let chosen = match self.form.position(source) {
            Some(p) if self.is_relevant(p) => match self.response.answers.get(source) {
                Some(Answer::Codes(codes)) => codes.as_slice(),
                _ => &[],
            },
            _ => &[],
        };
        all.iter().filter(|c| chosen.contains(&c.code)).collect()
    }

    /// Checks `answer` for the question at `position` with everything the screen knows:
    /// type, ranges, choice rules, the `constraint` over the other answers, and the text of an
    /// "other" option.
    pub fn check(
        &self,
        position: usize,
        answer: &Answer,
        other_text: Option<&str>,
    ) -> Result<(), Invalid> {
        let Some(question) = self.form.questions().get(position) else {
            return Ok(());
        };
        let offered = self.offered_choices(position);
        check_shape(&self.form, question, &offered, answer)?;
        if !self
            .form
            .constraint_holds(position, answer, &self.response.answers, &self.relevant)
        {
            return Err(Invalid::Constraint(question.constraint_message.clone()));
        }
        if selects_other(&offered, answer) && other_text.is_none_or(|t| t.trim().is_empty()) {
            return Err(Invalid::OtherTextMissing);
        }
        Ok(())
    }

    /// Confirms the answer to the question on screen (`None`: leave it unanswered) and moves
    /// on to the next relevant question, or to the review.
    ///
    /// Refused, with nothing changed, when the answer is invalid or a required question is left
    /// empty. Does nothing on the review.
    pub fn submit(
        &mut self,
        answer: Option<Answer>,
        other_text: Option<String>,
    ) -> Result<(), Invalid> {
        let Some((position, question)) = self.current() else {
            return Ok(());
        };
        let id = question.id.clone();
        match answer {
            None if question.required && question.kind.is_answerable() => {
                return Err(Invalid::Required);
            }
            None => {
                self.response.answers.remove(&id);
                self.response.other_text.remove(&id);
            }
            Some(answer) => {
                self.check(position, &answer, other_text.as_deref())?;
                let keeps_other = selects_other(&self.offered_choices(position), &answer);
                match other_text {
                    Some(text) if keeps_other => {
                        self.response
                            .other_text
                            .insert(id.clone(), text.trim().to_owned());
                    }
                    _ => {
                        self.response.other_text.remove(&id);
                    }
                }
                self.response.answers.insert(id, answer);
            }
        }
        self.changed();
        self.flush_timing();
        let next = if self.from_review {
            self.next_unvisited_after(Some(position))
        } else {
            self.next_relevant_after(Some(position))
        };
        self.step = next.map_or(Step::Review, Step::Question);
        if self.step == Step::Review {
            self.from_review = false;
        }
        Ok(())
    }

    /// Goes to the previous relevant question; false when already at the first.
    pub fn back(&mut self) -> bool {
        let before = match self.step {
            Step::Question(pos) => pos,
            Step::Review => self.form.questions().len(),
        };
        let Some(prev) = (0..before).rev().find(|&p| self.is_relevant(p)) else {
            return false;
        };
        self.flush_timing();
        self.step = Step::Question(prev);
        true
    }

    /// Opens the question at `position` from the review; after it is answered the interview
    /// returns to the review (through any newly relevant question not yet seen).
    pub fn edit_from_review(&mut self, position: usize) {
        if self.is_relevant(position) {
            self.flush_timing();
            self.from_review = true;
            self.step = Step::Question(position);
        }
    }

    /// Goes to the question at `position` from the question list, keeping every answer; the
    /// interview goes on from there in questionnaire order. Refused (false) for a question that
    /// skip logic leaves out.
    pub fn jump_to(&mut self, position: usize) -> bool {
        if position >= self.form.questions().len() || !self.is_relevant(position) {
            return false;
        }
        self.flush_timing();
        self.step = Step::Question(position);
        true
    }

    /// Whether the question on screen was opened from the review (Esc then goes back to it).
    pub fn is_editing_from_review(&self) -> bool {
        self.from_review && self.step != Step::Review
    }

    /// Leaves a question opened from the review without changing its answer, back to the
    /// review. Answers already confirmed on the way stay.
    pub fn cancel_edit(&mut self) {
        if self.is_editing_from_review() {
            self.flush_timing();
            self.from_review = false;
            self.step = Step::Review;
        }
    }

    /// The positions shown in the review: relevant questions that take an answer.
    pub fn review_positions(&self) -> Vec<usize> {
        self.form
            .questions()
            .iter()
            .enumerate()
            .filter(|(p, q)| q.kind.is_answerable() && self.is_relevant(*p))
            .map(|(p, _)| p)
            .collect()
    }

    /// (answered, asked): relevant questions with an answer, and all relevant questions that
    /// take one.
    pub fn progress(&self) -> (usize, usize) {
        let asked = self.review_positions();
        let answered = asked.iter().filter(|&&p| self.answer(p).is_some()).count();
        (answered, asked.len())
    }

    /// Relevant required questions without an answer.
    pub fn missing_required(&self) -> Vec<usize> {
        self.review_positions()
            .into_iter()
            .filter(|&p| self.form.questions()[p].required && self.answer(p).is_none())
            .collect()
    }

    /// Marks the interview complete, now. Refused with the unanswered required questions.
    pub fn finish(&mut self) -> Result<(), Vec<usize>> {
        let missing = self.missing_required();
        if !missing.is_empty() {
            return Err(missing);
        }
        self.flush_timing();
        let now = jiff::Timestamp::now();
        self.response.status = Status::Complete;
        self.response.completed_at = Some(now);
        self.response.updated_at = now;
        self.generation += 1;
        self.step = Step::Review;
        Ok(())
    }

    /// Takes a completed interview back to a draft, at the review, until it is finished again.
    pub fn reopen(&mut self) {
        self.response.status = Status::Draft;
        self.response.completed_at = None;
        self.changed();
        self.from_review = false;
        self.step = Step::Review;
    }

    /// Records the time spent on the question on screen; call before pausing or saving.
    pub fn pause(&mut self) {
        self.flush_timing();
    }

    /// Records the language the interview continues in.
    pub fn set_language(&mut self, language: &str) {
        if self.response.language != language {
            self.response.language = language.to_owned();
            self.changed();
        }
    }

    /// The interviewer's remark on the question at `position`, if there is one.
    pub fn remark(&self, position: usize) -> Option<&str> {
        let question = self.form.questions().get(position)?;
        self.response.remarks.get(&question.id).map(String::as_str)
    }

    /// Records the interviewer's remark on the question at `position`, replacing any earlier
    /// one; a remark of only spaces removes it. Any question can carry one, answered or not.
    pub fn set_remark(&mut self, position: usize, remark: &str) {
        let Some(question) = self.form.questions().get(position) else {
            return;
        };
        let id = question.id.clone();
        let remark = remark.trim();
        let changed = if remark.is_empty() {
            self.response.remarks.remove(&id).is_some()
        } else if self.response.remarks.get(&id).map(String::as_str) == Some(remark) {
            false
        } else {
            self.response.remarks.insert(id, remark.to_owned());
            true
        };
        if changed {
            self.changed();
        }
    }

    fn changed(&mut self) {
        self.relevant = self.form.relevance(&self.response.answers);
        self.response.updated_at = jiff::Timestamp::now();
        self.generation += 1;
    }

    fn flush_timing(&mut self) {
        let now = Instant::now();
        if let Some((_, q)) = self.current() {
            let ms = now.duration_since(self.visit_started).as_millis();
            let id = q.id.clone();
            let total = self.response.timings_ms.entry(id).or_insert(0);
            *total = total.saturating_add(u64::try_from(ms).unwrap_or(u64::MAX));
        }
        self.visit_started = now;
    }

    fn next_relevant_after(&self, position: Option<usize>) -> Option<usize> {
        let start = position.map_or(0, |p| p + 1);
        (start..self.form.questions().len()).find(|&p| self.is_relevant(p))
    }

    /// Where a stored response continues; `None` is the review.
    fn resume_position(&self) -> Option<usize> {
        let questions = self.form.questions();
        let seen = |p: usize| {
            let id = &questions[p].id;
            self.response.answers.contains_key(id) || self.response.timings_ms.contains_key(id)
        };
        let furthest = (0..questions.len())
            .rev()
            .find(|&p| self.is_relevant(p) && seen(p));
        let target = match furthest {
            None => self.next_relevant_after(None),
            Some(p) if questions[p].kind.is_answerable() && self.answer(p).is_none() => Some(p),
            Some(p) => self.next_relevant_after(Some(p)),
        };
        let invalid = (0..questions.len()).find(|&p| {
            self.is_relevant(p)
                && self
                    .answer(p)
                    .is_some_and(|a| self.check(p, a, self.other_text(p)).is_err())
        });
        match (target, invalid) {
            (Some(t), Some(i)) => Some(t.min(i)),
            (t, i) => t.or(i),
        }
    }

    /// The next relevant question never visited, or whose stored answer is no longer valid
    /// (an earlier change narrowed its options or its constraint).
    fn next_unvisited_after(&self, position: Option<usize>) -> Option<usize> {
        let start = position.map_or(0, |p| p + 1);
        (start..self.form.questions().len()).find(|&p| {
            if !self.is_relevant(p) {
                return false;
            }
            let id = &self.form.questions()[p].id;
            match self.response.answers.get(id) {
                Some(answer) => self.check(p, answer, self.other_text(p)).is_err(),
                None => !self.response.timings_ms.contains_key(id),
            }
        })
    }
}
