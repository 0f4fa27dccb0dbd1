//! One interview as it is stored: `DIR/responses/<questionnaire-id>/<uuid>.json`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
        }
    }

    /// Seconds from start to completion, when complete.
    pub fn duration_s(&self) -> Option<i64> {
        let done = self.completed_at?;
        Some(done.as_second() - self.started_at.as_second())
    }
}
