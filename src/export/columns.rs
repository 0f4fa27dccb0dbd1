//! The columns of a wide export, decided once from the questionnaire and the options.
//!
//! The data writer and the codebook both walk this plan, so the codebook describes exactly the
//! columns the data file has, in the same order.

use std::collections::HashSet;

use super::{ExportError, ExportOptions};
use crate::questionnaire::{Form, Question, QuestionType};

/// Facts about an interview written before its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paradata {
    ResponseId,
    QuestionnaireVersion,
    Status,
    Outcome,
    Municipality,
    MunicipalityName,
    Oblast,
    Interviewer,
    Language,
    StartedAt,
    CompletedAt,
    DurationS,
    Remarks,
}

impl Paradata {
    /// Every paradata column, in file order.
    pub const ALL: [Paradata; 13] = [
        Self::ResponseId,
        Self::QuestionnaireVersion,
        Self::Status,
        Self::Outcome,
        Self::Municipality,
        Self::MunicipalityName,
        Self::Oblast,
        Self::Interviewer,
        Self::Language,
        Self::StartedAt,
        Self::CompletedAt,
        Self::DurationS,
        Self::Remarks,
    ];

    /// The column name.
    pub fn name(self) -> &'static str {
        match self {
            Self::ResponseId => "response_id",
            Self::QuestionnaireVersion => "questionnaire_version",
            Self::Status => "status",
            Self::Outcome => "outcome",
            Self::Municipality => "municipality",
            Self::MunicipalityName => "municipality_name",
            Self::Oblast => "oblast",
            Self::Interviewer => "interviewer",
            Self::Language => "language",
            Self::StartedAt => "started_at",
            Self::CompletedAt => "completed_at",
            Self::DurationS => "duration_s",
            Self::Remarks => "remarks",
        }
    }

    /// What the column holds, for the codebook: (Bulgarian, English).
    pub fn description(self) -> (&'static str, &'static str) {
        match self {
            Self::ResponseId => ("Идентификатор на интервюто (UUID)", "Interview id (UUID)"),
            Self::QuestionnaireVersion => (
                "Версия на въпросника, с която е проведено интервюто",
                "Questionnaire version the interview was conducted with",
            ),
            Self::Status => (
                "Състояние: complete (завършено) или draft (незавършено)",
                "Status: complete or draft (unfinished)",
            ),
            Self::Outcome => (
                "Краен резултат по кодовете на AAPOR (1.1 завършено, 1.2 частично; празно при \
                 незавършено)",
                "Final outcome, AAPOR code (1.1 complete, 1.2 partial; empty for drafts)",
            ),
            Self::Municipality => (
                "Код по ЕКАТТЕ на общината на интервюто",
                "EKATTE code of the municipality of the interview",
            ),
            Self::MunicipalityName => ("Име на общината", "Name of the municipality"),
            Self::Oblast => ("Име на областта", "Name of the oblast (province)"),
            Self::Interviewer => ("Анкетьор", "Interviewer"),
            Self::Language => (
                "Език, на който е проведено интервюто",
                "Language of the interview",
            ),
            Self::StartedAt => (
                "Начало на интервюто, UTC, ISO 8601",
                "Start of the interview, UTC, ISO 8601",
            ),
            Self::CompletedAt => (
                "Край на интервюто, UTC, ISO 8601 (празно при незавършено)",
                "End of the interview, UTC, ISO 8601 (empty for drafts)",
            ),
            Self::DurationS => (
                "Продължителност в секунди (празно при незавършено)",
                "Duration in seconds (empty for drafts)",
            ),
            Self::Remarks => (
                "Бележки на анкетьора по въпроси: „въпрос: бележка“, разделени с „ | “ (поотделно в дългия формат)",
                "Interviewer's remarks on questions: “question: remark”, separated by “ | ” (one row each in the long format)",
            ),
        }
    }
}

/// How a question is spread over columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One column with the answer (single, scale, numbers, text, date, municipality).
    Value,
    /// A single choice: one column with the code, plus `<q>__other_text` when `other`.
    Single { other: bool },
    /// One 0/1 column per option, plus `<q>__other_text` when `other`.
    Multiple { other: bool },
}

/// The columns a question occupies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionColumns {
    /// Position in [`Form::questions`].
    pub position: usize,
    pub shape: Shape,
}

/// The wide layout: paradata columns, then each exported question's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidePlan {
    pub paradata: Vec<Paradata>,
    pub questions: Vec<QuestionColumns>,
}

impl WidePlan {
    /// Lays out the columns; fails when two column names would clash.
    pub fn new(form: &Form, options: &ExportOptions) -> Result<Self, ExportError> {
        let paradata = Paradata::ALL
            .into_iter()
            .filter(|p| !(options.drop_interviewer && *p == Paradata::Interviewer))
            // Remarks are free text, which may name people, like open answers.
            .filter(|p| !(options.drop_text && *p == Paradata::Remarks))
            .collect();
        let mut questions = Vec::new();
        for (position, question) in form.questions().iter().enumerate() {
            if !question.kind.is_answerable()
                || (options.drop_text && question.kind == QuestionType::Text)
            {
                continue;
            }
            let other = !options.drop_text && form.choices(question).iter().any(|c| c.other);
            let shape = match question.kind {
                QuestionType::Single => Shape::Single { other },
                QuestionType::Multiple => Shape::Multiple { other },
                _ => Shape::Value,
            };
            questions.push(QuestionColumns { position, shape });
        }
        let plan = Self {
            paradata,
            questions,
        };
        let mut seen = HashSet::new();
        for name in plan.headers(form) {
            if !seen.insert(name.clone()) {
                return Err(ExportError::DuplicateColumn(name));
            }
        }
        Ok(plan)
    }

    /// The column names, in file order.
    pub fn headers(&self, form: &Form) -> Vec<String> {
        let mut names: Vec<String> = self.paradata.iter().map(|p| p.name().to_owned()).collect();
        for columns in &self.questions {
            let question = &form.questions()[columns.position];
            match columns.shape {
                Shape::Value => names.push(question.id.clone()),
                Shape::Single { other } => {
                    names.push(question.id.clone());
                    if other {
                        names.push(other_text_column(question));
                    }
                }
                Shape::Multiple { other } => {
                    for choice in form.choices(question) {
                        names.push(option_column(question, &choice.code));
                    }
                    if other {
                        names.push(other_text_column(question));
                    }
                }
            }
        }
        names
    }
}

/// The name of the 0/1 column of one option of a multiple question.
pub fn option_column(question: &Question, code: &str) -> String {
    format!("{}__{code}", question.id)
}

/// The name of the column holding the "other, please specify" text.
pub fn other_text_column(question: &Question) -> String {
    format!("{}__other_text", question.id)
}
