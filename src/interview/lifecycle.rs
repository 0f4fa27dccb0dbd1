//! How an interview ends and is edited afterwards: finishing (complete or partial by the
//! questionnaire's threshold), an answer that ends it (a refused consent, a respondent under
//! age), the interviewer ending it with a reason, pauses, language switches, the observations
//! at the end, and editing a completed interview without rewriting its history.

use super::{AuditEvent, EventKind, Interview, Step};
use crate::outcome::Outcome;
use crate::questionnaire::Answer;
use crate::store::{Observations, Revision, Status};

impl Interview {
    /// Relevant questions that take an answer and have none, required or not.
    pub fn unanswered(&self) -> Vec<usize> {
        self.review_positions()
            .into_iter()
            .filter(|&p| self.answer(p).is_none())
            .collect()
    }

    /// The share of the questions asked that have a substantive answer: "don't know" and
    /// "refused" are item non-response, as in AAPOR's partial/complete threshold.
    pub fn answered_share(&self) -> f64 {
        let asked = self.review_positions();
        if asked.is_empty() {
            return 0.0;
        }
        let answered = asked
            .iter()
            .filter(|&&p| self.answer(p).is_some_and(|a| a.special().is_none()))
            .count();
        answered as f64 / asked.len() as f64
    }

    /// The outcome finishing now would record: partial (1.2) below the questionnaire's
    /// `complete_min_answered`, else complete (1.1).
    pub fn finish_outcome(&self) -> Outcome {
        match self.form.complete_min_answered() {
            Some(min) if self.answered_share() < min => Outcome::Partial,
            _ => Outcome::Complete,
        }
    }

    /// Marks the interview finished, now, with [`Interview::finish_outcome`]. Refused with the
    /// unanswered required questions. A first completion sets `completed_at`; finishing an
    /// edit keeps it, so the duration stays the interview's own.
    pub fn finish(&mut self) -> Result<Outcome, Vec<usize>> {
        let missing = self.missing_required();
        if !missing.is_empty() {
            return Err(missing);
        }
        let outcome = self.finish_outcome();
        self.close(EventKind::Finished, outcome, "");
        Ok(outcome)
    }

    /// Ends the interview before the end of the questionnaire with `outcome` (a refusal, a
    /// break-off, a non-contact…), for the interviewer's `reason`. The case is closed:
    /// `status` complete, with its outcome; the answers given so far are kept. A break-off
    /// with at least the questionnaire's `partial_min_answered` share answered is recorded as
    /// the partial interview (1.2) it is in AAPOR's terms, and returned as such.
    pub fn end(&mut self, outcome: Outcome, reason: &str) -> Outcome {
        let outcome = match (outcome, self.form.partial_min_answered()) {
            (Outcome::BreakOff, Some(min)) if self.answered_share() >= min => Outcome::Partial,
            _ => outcome,
        };
        self.pending_end = None;
        self.close(EventKind::Ended, outcome, reason);
        outcome
    }

    fn close(&mut self, kind: EventKind, outcome: Outcome, reason: &str) {
        self.flush_timing();
        let now = jiff::Timestamp::now();
        self.response.status = Status::Complete;
        self.response.completed_at.get_or_insert(now);
        self.response.updated_at = now;
        self.response.outcome = Some(outcome);
        let mut event = AuditEvent::now(kind, &self.by).detail(reason);
        event.outcome = Some(outcome);
        self.trail.push(event);
        self.editing = false;
        self.generation += 1;
        self.step = Step::Review;
    }

    /// The outcome an answer just ended the interview with, waiting for the screen to
    /// confirm it ([`Interview::end`]) or take the answer back ([`Interview::take_back_end`]).
    pub fn pending_end(&self) -> Option<Outcome> {
        self.pending_end
    }

    /// Stays on the question whose answer would have ended the interview, to correct it.
    pub fn take_back_end(&mut self) {
        self.pending_end = None;
    }

    /// The outcome the stored answer at `position` ends the interview with, if any.
    pub(super) fn ending_at(&self, position: usize) -> Option<Outcome> {
        let id = &self.form.questions().get(position)?.id;
        let answer: &Answer = self.response.answers.get(id)?;
        self.form
            .ending(position, answer, &self.response.answers, &self.relevant)
    }

    /// Opens a completed interview for editing by `by`, for `reason`: records a revision and
    /// an `edited` event. The interview stays complete (its first `completed_at` kept) while
    /// every required question is answered; an edit that leaves one unanswered makes it a
    /// draft again until it is finished.
    pub fn begin_edit(&mut self, by: &str, reason: &str) {
        let now = jiff::Timestamp::now();
        self.by = by.to_owned();
        self.response.revisions.push(Revision {
            by: by.to_owned(),
            at: now,
            reason: reason.to_owned(),
        });
        let mut event = AuditEvent::now(EventKind::Edited, by).detail(reason);
        event.language = Some(self.language.clone());
        self.trail.push(event);
        self.editing = true;
        self.from_review = false;
        self.step = Step::Review;
        self.changed();
    }

    /// The same interview showing its review (for a read-only view of a completed one).
    pub fn at_review(mut self) -> Self {
        self.step = Step::Review;
        self
    }

    /// Whether a completed interview is being edited.
    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// Keeps an edited interview's status and outcome true to its answers.
    pub(super) fn follow_answers(&mut self) {
        let ends = self.response.outcome.is_some_and(|o| !o.is_interview());
        if ends {
            // A closed non-interview stays as the interviewer ended it.
            return;
        }
        if self.missing_required().is_empty() {
            self.response.status = Status::Complete;
            self.response.outcome = Some(self.finish_outcome());
        } else {
            self.response.status = Status::Draft;
            self.response.outcome = None;
        }
    }

    /// Records the time on screen and a pause; call before leaving the screen.
    pub fn pause(&mut self) {
        self.flush_timing();
        let kind = EventKind::Paused;
        self.trail.push(AuditEvent::now(kind, &self.by));
        self.generation += 1;
    }

    /// Records the time on screen without a pause (a save on the way out of a closed case).
    pub fn flush(&mut self) {
        self.flush_timing();
    }

    /// Records that the questions are asked in `language` from now on. The response's
    /// `language` stays the one the interview started in; each answer's language is in the
    /// trail.
    pub fn set_language(&mut self, language: &str) {
        if self.language != language {
            let mut event = AuditEvent::now(EventKind::Language, &self.by).detail(&self.language);
            event.language = Some(language.to_owned());
            self.trail.push(event);
            self.language = language.to_owned();
            self.touched();
        }
    }

    /// Stores the interviewer's observations at the end of the interview.
    pub fn observe(&mut self, observations: Observations) {
        if self.response.observations == observations {
            return;
        }
        let summary = [
            observations.others_present.as_deref(),
            observations.cooperation.as_deref(),
            observations.language.as_deref(),
        ]
        .map(|v| v.unwrap_or("-"))
        .join(" / ");
        let detail = if observations.remark.is_empty() {
            summary
        } else {
            format!("{summary} / {}", observations.remark)
        };
        self.trail
            .push(AuditEvent::now(EventKind::Observed, &self.by).detail(detail));
        self.response.observations = observations;
        self.response.updated_at = jiff::Timestamp::now();
        self.touched();
    }
}
