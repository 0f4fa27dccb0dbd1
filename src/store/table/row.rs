//! One response of a [`ResponseTable`], read in place.

use jiff::Timestamp;
use uuid::Uuid;

use super::{Cell, Head, Instant, ResponseTable, words};
use crate::outcome::Outcome;
use crate::questionnaire::{AnswerRef, AnswerSource, CodeList, Form};
use crate::store::Status;
use crate::store::response::{effective_outcome, final_outcome};

/// One response of a [`ResponseTable`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'t> {
    pub(super) table: &'t ResponseTable,
    pub(super) index: usize,
}

impl<'t> Row<'t> {
    pub(super) fn head(&self) -> &'t Head {
        &self.table.heads[self.index]
    }

    fn name(&self, index: u32) -> &'t str {
        self.table
            .names
            .get(index as usize)
            .map_or("", String::as_str)
    }

    pub fn id(&self) -> Uuid {
        self.head().id
    }

    pub fn status(&self) -> Status {
        self.head().status
    }

    /// The outcome, as [`crate::store::Response::effective_outcome`]: complete means 1.1 in
    /// files without one, a draft has none.
    pub fn outcome(&self) -> Option<Outcome> {
        let head = self.head();
        effective_outcome(head.status, head.outcome)
    }

    /// The final disposition, as [`crate::store::Response::final_outcome`]: none for a draft.
    pub fn final_outcome(&self) -> Option<Outcome> {
        let head = self.head();
        final_outcome(head.status, head.outcome)
    }

    /// EKATTE code of the municipality where the interview took place.
    pub fn municipality(&self) -> &'t str {
        self.name(self.head().municipality)
    }

    pub fn interviewer(&self) -> &'t str {
        self.name(self.head().interviewer)
    }

    pub fn language(&self) -> &'t str {
        self.name(self.head().language)
    }

    pub fn questionnaire_version(&self) -> &'t str {
        self.name(self.head().version)
    }

    pub fn started_at(&self) -> Timestamp {
        self.head().started_at.get()
    }

    pub fn updated_at(&self) -> Timestamp {
        self.head().updated_at.get()
    }

    pub fn completed_at(&self) -> Option<Timestamp> {
        self.head().completed_at.map(Instant::get)
    }

    /// Seconds from start to completion, when complete; unknown when the completion time is
    /// before the start (as [`crate::store::Response::duration_s`]).
    pub fn duration_s(&self) -> Option<i64> {
        let head = self.head();
        let seconds = head.completed_at?.seconds - head.started_at.seconds;
        (seconds >= 0).then_some(seconds)
    }

    /// Whether loading this response reported a problem with one of its parts (an invalid
    /// answer, inconsistent times): such a row is never taken from the load cache, so its file
    /// is read and its problems reported in the same words on every load.
    pub fn has_invalid_part(&self) -> bool {
        let table = self.table;
        let width = table.width as usize;
        let head = self.head();
        let times_wrong = match (head.status, head.completed_at) {
            (Status::Complete, None) => true,
            (_, Some(done)) => done.get() < head.started_at.get(),
            _ => false,
        };
        times_wrong
            || table
                .cells
                .get(self.index * width..(self.index + 1) * width)
                .is_some_and(|cells| cells.iter().any(|c| matches!(c, Cell::Invalid)))
    }

    /// The answer stored for the question at `position`, if any.
    pub fn answer(&self, position: usize) -> Option<AnswerRef<'t>> {
        let table = self.table;
        let width = table.width as usize;
        if position >= width {
            return None;
        }
        Some(match table.cells.get(self.index * width + position)? {
            Cell::Absent => return None,
            Cell::Special(s) => AnswerRef::Special(*s),
            Cell::Invalid => AnswerRef::Special(crate::questionnaire::Special::Invalid),
            Cell::Number(n) => AnswerRef::Number(*n),
            Cell::Text(s) => AnswerRef::Text(s.of(&table.text)),
            Cell::Codes(s) => {
                AnswerRef::Codes(CodeList::packed(s.slice(&table.code_spans), &table.text))
            }
        })
    }

    /// Whether skip logic asked this response the question at `position` (a stored answer to a
    /// question not asked is kept but, as in the interview, does not count).
    pub fn asked(&self, position: usize) -> bool {
        let word = self.asked_words().get(position / 64).copied().unwrap_or(0);
        word & (1 << (position % 64)) != 0
    }

    pub(super) fn asked_words(&self) -> &'t [u64] {
        let n = words(self.table.width);
        self.table
            .asked
            .get(self.index * n..(self.index + 1) * n)
            .unwrap_or(&[])
    }

    /// The text typed for the "other" option of the question at `position`, if any.
    pub fn other_text(&self, position: usize) -> Option<&'t str> {
        let table = self.table;
        self.head()
            .others
            .slice(&table.others)
            .iter()
            .find(|o| o.position as usize == position)
            .map(|o| o.text.of(&table.text))
    }

    /// The interviewer's remarks: question position and text, in questionnaire order.
    pub fn remarks(&self) -> impl Iterator<Item = (usize, &'t str)> + use<'t> {
        let table = self.table;
        let mut remarks: Vec<(usize, &'t str)> = self
            .head()
            .remarks
            .slice(&table.remarks)
            .iter()
            .map(|o| (o.position as usize, o.text.of(&table.text)))
            .collect();
        remarks.sort_by_key(|&(position, _)| position);
        remarks.into_iter()
    }
}

impl AnswerSource for Row<'_> {
    fn answer_at<'s>(&'s self, _form: &Form, position: usize) -> Option<AnswerRef<'s>> {
        self.answer(position)
    }
}
