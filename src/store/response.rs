//! One interview as it is stored: `DIR/responses/<questionnaire-id>/<uuid>.json`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::outcome::Outcome;
use crate::questionnaire::Answer;

/// Whether the interview was finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Complete,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Complete => "complete",
        }
    }
}

/// One interview. `docs/data-format.md` describes every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub id: Uuid,
    pub questionnaire: String,
    pub questionnaire_version: String,
    pub status: Status,
    pub interviewer: String,
    /// EKATTE code of the municipality where the interview took place.
    pub municipality: String,
    /// The language the interview was conducted in.
    pub language: String,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
    /// Question id → answer. Answers to questions that later became not relevant are kept.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Question id → the text typed for an "other, please specify" option.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_text: BTreeMap<String, String>,
    /// Question id → milliseconds spent on the question (summed over visits).
    #[serde(default)]
    pub timings_ms: BTreeMap<String, u64>,
    /// The final disposition (AAPOR code). `None` in files written before outcomes were
    /// recorded, and while a draft is in progress; see [`Response::effective_outcome`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Every edit of the interview after it was first completed: who, when and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
    /// Question id → the interviewer's remark on that question.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub remarks: BTreeMap<String, String>,
    /// What the interviewer observed about the interview as a whole, recorded at the end.
    #[serde(default, skip_serializing_if = "Observations::is_empty")]
    pub observations: Observations,
}

/// One edit of a completed interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// The interviewer (or supervisor) who made the edit.
    pub by: String,
    /// When the edit was opened.
    pub at: Timestamp,
    /// Why, in the editor's words.
    #[serde(default)]
    pub reason: String,
}

/// The interviewer's observations at the end of an interview. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observations {
    /// Who else was present: `"none"`, `"family"`, `"others"`, or free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others_present: Option<String>,
    /// The respondent's cooperation: `"good"`, `"fair"`, `"poor"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooperation: Option<String>,
    /// The language the interview was mostly conducted in (`"bg"`, `"en"`, or another code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A remark on the interview as a whole.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remark: String,
}

impl Observations {
    /// Whether nothing was observed (then the field is left out of the file).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl Response {
    /// A new draft, started now.
    pub fn new(
        questionnaire: &crate::questionnaire::Form,
        interviewer: &str,
        municipality: &str,
        language: &str,
    ) -> Self {
        let now = Timestamp::now();
        Self {
            id: Uuid::new_v4(),
            questionnaire: questionnaire.id().to_owned(),
            questionnaire_version: questionnaire.version().to_owned(),
            status: Status::Draft,
            interviewer: interviewer.to_owned(),
            municipality: municipality.to_owned(),
            language: language.to_owned(),
            started_at: now,
            updated_at: now,
            completed_at: None,
            answers: BTreeMap::new(),
            other_text: BTreeMap::new(),
            timings_ms: BTreeMap::new(),
            outcome: None,
            revisions: Vec::new(),
            remarks: BTreeMap::new(),
            observations: Observations::default(),
        }
    }

    /// The outcome, reading files without one as they were meant: complete means 1.1,
    /// a draft has no outcome yet.
    pub fn effective_outcome(&self) -> Option<Outcome> {
        effective_outcome(self.status, self.outcome)
    }

    /// The final disposition of the case for the response rates: `None` while it is a draft
    /// (an open case), else [`Response::effective_outcome`].
    pub fn final_outcome(&self) -> Option<Outcome> {
        final_outcome(self.status, self.outcome)
    }

    /// Seconds from start to completion, when complete; unknown when the completion time is
    /// before the start (a clock set wrong, or a file edited by hand).
    pub fn duration_s(&self) -> Option<i64> {
        let done = self.completed_at?;
        let seconds = done.as_second() - self.started_at.as_second();
        (seconds >= 0).then_some(seconds)
    }
}

/// The outcome of a response with `status` and the `recorded` outcome, reading files without
/// one as they were meant: complete means 1.1, a draft has none yet.
pub(crate) fn effective_outcome(status: Status, recorded: Option<Outcome>) -> Option<Outcome> {
    recorded.or(match status {
        Status::Complete => Some(Outcome::Complete),
        Status::Draft => None,
    })
}

/// The final disposition of a case: none while it is a draft, whatever it records.
pub(crate) fn final_outcome(status: Status, recorded: Option<Outcome>) -> Option<Outcome> {
    match status {
        Status::Draft => None,
        Status::Complete => effective_outcome(status, recorded),
    }
}
