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
//! The same visits, every change of an answer (old and new value, and the language it was given
//! in), language switches, pauses, edits and the end are recorded in the interview's audit trail
//! ([`crate::audit`]), which is saved with the response. How an interview ends (finished,
//! screened out by an answer, ended by the interviewer with a reason, edited after completion)
//! lives in `lifecycle`.

mod check;
mod lifecycle;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lifecycle;

use std::sync::Arc;
use std::time::Instant;

pub use check::{Invalid, check_shape, parse_input, selects_other, toggle_code};

use crate::audit::{AuditEvent, EventKind};
use crate::outcome::Outcome;
use crate::questionnaire::{Answer, Choice, Form, Question};
use crate::store::Response;

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
    /// The audit trail, from the file and this session's events.
    trail: Vec<AuditEvent>,
    /// Who is at the keyboard: named in every event (the response keeps its first interviewer).
    by: String,
    /// The language the questions are being asked in now.
    language: String,
    /// The outcome an answer just ended the interview with, until confirmed or taken back.
    pending_end: Option<Outcome>,
    /// Set while a completed interview is edited: its status follows its answers.
    editing: bool,
}

impl Interview {
    /// Starts a new interview (a fresh draft) at the first question.
    pub fn start(form: Arc<Form>, interviewer: &str, municipality: &str, language: &str) -> Self {
        let response = Response::new(&form, interviewer, municipality, language);
        let mut interview = Self::resume(form, response);
        let mut started = AuditEvent::now(EventKind::Started, interviewer);
        started.language = Some(language.to_owned());
        interview.trail.push(started);
        interview.log_entered();
        interview
    }

    /// Opens a stored response to go on with it: `trail` is its audit trail as read from disk,
    /// `by` the interviewer at the keyboard now, `language` the language it continues in.
    /// Records a `resumed` event with that language (`detail`: the language before).
    pub fn open(
        form: Arc<Form>,
        response: Response,
        trail: Vec<AuditEvent>,
        by: &str,
        language: &str,
    ) -> Self {
        let mut interview = Self::resume(form, response);
        interview.trail = trail;
        interview.by = by.to_owned();
        interview.language = last_language(&interview.trail)
            .unwrap_or(&interview.response.language)
            .to_owned();
        let mut resumed = AuditEvent::now(EventKind::Resumed, by);
        resumed.language = Some(language.to_owned());
        resumed.detail = interview.language.clone();
        interview.trail.push(resumed);
        interview.language = language.to_owned();
        interview.log_entered();
        interview
    }

    /// Opens a stored response where it was left: at the furthest question reached (the one
    /// on screen when it was paused, or the next one when that was answered), or earlier at a
    /// stored answer that is no longer valid; at the review when everything has been seen.
    pub fn resume(form: Arc<Form>, response: Response) -> Self {
        let relevant = form.relevance(&response.answers);
        let by = response.interviewer.clone();
        let language = response.language.clone();
        let mut interview = Self {
            form,
            response,
            relevant,
            step: Step::Review,
            from_review: false,
            visit_started: Instant::now(),
            generation: 0,
            trail: Vec::new(),
            by,
            language,
            pending_end: None,
            editing: false,
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

    /// The audit trail as it stands, saved with the response.
    pub fn trail(&self) -> &[AuditEvent] {
        &self.trail
    }

    /// Who is at the keyboard.
    pub fn by(&self) -> &str {
        &self.by
    }

    /// The language the questions are asked in now.
    pub fn language(&self) -> &str {
        &self.language
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
        let old = self.response.answers.get(&id).cloned();
        let old_other = self.response.other_text.get(&id).cloned();
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
                self.response.answers.insert(id.clone(), answer);
            }
        }
        self.log_answer(&id, old, old_other);
        self.changed();
        if let Some(outcome) = self.ending_at(position) {
            // Stay on the question: the screen thanks the respondent and confirms the end,
            // or the interviewer takes the answer back.
            self.pending_end = Some(outcome);
            return Ok(());
        }
        let next = if self.from_review {
            self.next_unvisited_after(Some(position))
        } else {
            self.next_relevant_after(Some(position))
        };
        self.move_to(next.map_or(Step::Review, Step::Question));
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
        self.move_to(Step::Question(prev));
        true
    }

    /// Opens the question at `position` from the review; after it is answered the interview
    /// returns to the review (through any newly relevant question not yet seen).
    pub fn edit_from_review(&mut self, position: usize) {
        if self.is_relevant(position) {
            self.from_review = true;
            self.move_to(Step::Question(position));
        }
    }

    /// Goes to the question at `position` from the question list, keeping every answer; the
    /// interview goes on from there in questionnaire order. Refused (false) for a question that
    /// skip logic leaves out.
    pub fn jump_to(&mut self, position: usize) -> bool {
        if position >= self.form.questions().len() || !self.is_relevant(position) {
            return false;
        }
        // Through move_to, so the trail records the question left and the one entered.
        self.move_to(Step::Question(position));
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
            self.response.remarks.insert(id.clone(), remark.to_owned());
            true
        };
        if changed {
            let event = AuditEvent::now(EventKind::Remark, &self.by)
                .on(&id)
                .detail(remark);
            self.trail.push(event);
            self.changed();
        }
    }

    fn changed(&mut self) {
        self.relevant = self.form.relevance(&self.response.answers);
        self.response.updated_at = jiff::Timestamp::now();
        self.generation += 1;
        if self.editing {
            self.follow_answers();
        }
    }

    /// Counts a change that only the trail holds (a language switch, an observation).
    fn touched(&mut self) {
        self.generation += 1;
    }

    /// Leaves the question on screen (recording its time) and shows `step`.
    fn move_to(&mut self, step: Step) {
        self.flush_timing();
        self.step = step;
        self.log_entered();
    }

    /// Adds the time on the question on screen to `timings_ms` and records it leaving.
    fn flush_timing(&mut self) {
        let now = Instant::now();
        if let Some((_, q)) = self.current() {
            let ms = now.duration_since(self.visit_started).as_millis();
            let ms = u64::try_from(ms).unwrap_or(u64::MAX);
            let id = q.id.clone();
            let total = self.response.timings_ms.entry(id.clone()).or_insert(0);
            *total = total.saturating_add(ms);
            let mut left = AuditEvent::now(EventKind::Left, &self.by).on(&id);
            left.ms = Some(ms);
            self.trail.push(left);
        }
        self.visit_started = now;
    }

    /// Records the question on screen (if any) as entered.
    fn log_entered(&mut self) {
        if let Some((_, q)) = self.current() {
            let event = AuditEvent::now(EventKind::Entered, &self.by).on(&q.id);
            self.trail.push(event);
        }
    }

    /// Records a change of the answer to `id` (nothing when it did not change).
    fn log_answer(&mut self, id: &str, old: Option<Answer>, old_other: Option<String>) {
        let new = self.response.answers.get(id).cloned();
        let new_other = self.response.other_text.get(id).cloned();
        if old == new && old_other == new_other {
            return;
        }
        let mut event = AuditEvent::now(EventKind::Answered, &self.by).on(id);
        event.old = old;
        event.new = new;
        event.language = Some(self.language.clone());
        event.detail = new_other.unwrap_or_default();
        self.trail.push(event);
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

/// The language of the last `started`, `resumed` or `language` event.
fn last_language(trail: &[AuditEvent]) -> Option<&str> {
    trail
        .iter()
        .rev()
        .filter(|e| {
            matches!(
                e.event,
                EventKind::Started | EventKind::Resumed | EventKind::Language
            )
        })
        .find_map(|e| e.language.as_deref())
}
