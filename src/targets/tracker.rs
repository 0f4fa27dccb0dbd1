//! Quota warnings for the interview: which targets a new respondent would go beyond.
//!
//! A [`QuotaTracker`] is built once from every stored response (slow with many files, so the
//! interface builds it on a thread) and then kept up to date in memory as interviews are
//! completed, so the warnings for a respondent cost no disk access.

use std::collections::{BTreeMap, HashSet};

use uuid::Uuid;

use super::{CellProgress, Progress, Targets, cell_of};
use crate::questionnaire::{Answer, Form};
use crate::store::{Response, Status};

/// A target the respondent on screen would go beyond. The interview goes on; the interviewer
/// decides.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaWarning {
    /// The municipality already has its target of complete interviews.
    MunicipalityReached {
        code: String,
        achieved: u32,
        target: u32,
    },
    /// The respondent's quota cell (e.g. female × 30-44) is already full.
    CellFull {
        /// Dimension id → band id.
        bands: BTreeMap<String, String>,
        achieved: u32,
        target: u32,
    },
}

/// Progress against one questionnaire's targets, counted once and then updated in memory.
#[derive(Debug, Clone)]
pub struct QuotaTracker {
    targets: Targets,
    progress: Progress,
    /// The complete interviews already counted, so one completed again is not counted twice.
    counted: HashSet<Uuid>,
}

impl QuotaTracker {
    /// Counts `responses` (all of `form`'s stored responses) against `targets`.
    pub fn new(targets: Targets, form: &Form, responses: &[Response]) -> Self {
        let progress = targets.progress(form, responses);
        let counted = responses
            .iter()
            .filter(|r| r.status == Status::Complete)
            .map(|r| r.id)
            .collect();
        Self {
            targets,
            progress,
            counted,
        }
    }

    /// The counts as they stand.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Adds an interview completed since the counts were made; drafts and interviews already
    /// counted are ignored.
    pub fn record_completed(&mut self, form: &Form, response: &Response) {
        if response.status != Status::Complete || !self.counted.insert(response.id) {
            return;
        }
        let delta = self.targets.progress(form, std::slice::from_ref(response));
        self.progress.total_achieved += delta.total_achieved;
        self.progress.ineligible += delta.ineligible;
        self.progress.non_interviews += delta.non_interviews;
        self.progress.not_in_cell += delta.not_in_cell;
        for row in delta.municipalities.into_iter().filter(|m| m.achieved > 0) {
            match self
                .progress
                .municipalities
                .iter_mut()
                .find(|m| m.code == row.code)
            {
                Some(m) => {
                    m.achieved += row.achieved;
                    m.percent = m
                        .target
                        .filter(|t| *t > 0)
                        .map(|t| f64::from(m.achieved) * 100.0 / f64::from(t));
                }
                None => self.progress.municipalities.push(row),
            }
        }
        for (cell, added) in self.progress.cells.iter_mut().zip(&delta.cells) {
            cell.achieved += added.achieved;
            cell.remaining = cell.target.saturating_sub(cell.achieved);
            cell.full = cell.achieved >= cell.target;
        }
    }

    /// Whether the interview `id` is already among the counts (a complete interview reopened
    /// for correction), so it would not add to them.
    pub fn is_counted(&self, id: Uuid) -> bool {
        self.counted.contains(&id)
    }

    /// The warnings for a respondent in `municipality` with `answers` so far: the
    /// municipality's target reached, then the respondent's cell full (known once every quota
    /// question is answered). Ineligible respondents (no consent, under age) get none.
    pub fn warnings(
        &self,
        form: &Form,
        municipality: &str,
        answers: &BTreeMap<String, Answer>,
    ) -> Vec<QuotaWarning> {
        let mut out = Vec::new();
        if !self.may_be_eligible(answers) {
            return out;
        }
        let row = self
            .progress
            .municipalities
            .iter()
            .find(|m| m.code == municipality);
        if let Some((target, achieved)) = row.and_then(|m| m.target.map(|t| (t, m.achieved)))
            && achieved >= target
        {
            out.push(QuotaWarning::MunicipalityReached {
                code: municipality.to_owned(),
                achieved,
                target,
            });
        }
        if let Some(cell) = cell_of(&self.targets, form, &self.progress, answers)
            && cell.full
        {
            out.push(cell_warning(cell));
        }
        out
    }

    /// False once an answer given rules the respondent out of the counts (an unanswered
    /// condition still may hold).
    fn may_be_eligible(&self, answers: &BTreeMap<String, Answer>) -> bool {
        self.targets.eligible.iter().all(|c| {
            let answer = answers.get(&c.question).map(Answer::view);
            answer.is_none() || c.holds(answer)
        })
    }

    /// The targets being tracked.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }
}

fn cell_warning(cell: &CellProgress) -> QuotaWarning {
    QuotaWarning::CellFull {
        bands: cell.bands.clone(),
        achieved: cell.achieved,
        target: cell.target,
    }
}

#[cfg(test)]
#[path = "tracker_tests.rs"]
mod tests;
