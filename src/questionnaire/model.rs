//! The questionnaire as it is written in JSON.
//!
//! The types mirror XLSForm's concepts (survey, choices, settings sheets) so that people who
//! know ODK or KoboToolbox recognise them; `docs/questionnaire-format.md` is the reference.
//! Unknown fields are rejected so that a typo (`requried`) is an error, not a silent default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A text in every language of the questionnaire: language code → text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Label(pub BTreeMap<String, String>);

impl Label {
    /// The text in `lang`, falling back to any language present so a screen is never blank.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }
}

/// A whole questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub id: String,
    pub version: String,
    /// Older versions whose responses this version still reads (question ids kept compatible).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_versions: Vec<String>,
    /// Languages of every label; the first is the default.
    pub languages: Vec<String>,
    pub title: Label,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    #[serde(default)]
    pub choice_lists: BTreeMap<String, Vec<Choice>>,
    pub sections: Vec<Section>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indices: Vec<IndexDef>,
    /// The share (0–1] of the questions asked that must have a substantive answer for a
    /// finished interview to count as complete (AAPOR 1.1); below it, it is partial (1.2).
    /// Without it every finished interview is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_min_answered: Option<f64>,
    /// The share (0–1] of the questions asked that makes a break-off a partial interview
    /// (AAPOR 1.2) instead of a break-off (2.12): enough was answered to be analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_min_answered: Option<f64>,
}

/// Ends the interview when the answer to its question meets `when` (an expression where `.`
/// is the answer, as in a constraint): a refused consent, a respondent under age.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndRule {
    pub when: String,
    /// The final disposition recorded (a non-interview code: 2.x, 3.x or 4.x).
    pub outcome: crate::outcome::Outcome,
}

/// One option of a choice list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable code stored in responses and exports.
    pub code: String,
    pub label: Label,
    /// Numeric value for ordered lists (Likert items), used for means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Choosing it clears every other option of a multiple question ("none of these").
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive: bool,
    /// An "other, please specify" option: the interview asks for a text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub other: bool,
}

/// A titled group of questions, skipped as a whole when `relevant` is false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: Label,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    pub questions: Vec<Question>,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Single,
    Multiple,
    Scale,
    Integer,
    Decimal,
    Text,
    Date,
    Municipality,
    Note,
}

impl QuestionType {
    /// The name used in the JSON format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::Scale => "scale",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Text => "text",
            Self::Date => "date",
            Self::Municipality => "municipality",
            Self::Note => "note",
        }
    }

    /// Whether the question takes an answer (everything but `note`).
    pub fn is_answerable(self) -> bool {
        self != Self::Note
    }

    /// Whether answers are numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Scale | Self::Integer | Self::Decimal)
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub label: Label,
    /// Text the interviewer reads out before the question (a preamble: "Now I will read some
    /// statements…"); shown as part of the question, above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_aloud: Option<Label>,
    /// Instructions for the interviewer, not read out (XLSForm's `guidance_hint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Label>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Skip logic: the question is asked only when this expression is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    /// Checked on a non-empty answer; `.` is the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint_message: Option<Label>,
    /// Soft checks: an answer that fails one is shown with its message and kept only once the
    /// interviewer confirms it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Name of the choice list (single and multiple).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<String>,
    /// Offer only the codes chosen in this earlier multiple question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_choices: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_label: Option<Label>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_label: Option<Label>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Whether "don't know" and "refused" are offered.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub allow_special: bool,
    /// The instrument and item this question comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Answers that end the interview, with the outcome they record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub end_if: Vec<EndRule>,
}

/// A soft constraint: a consistency check that the interviewer may override.
///
/// Like `constraint`, it is checked only on a non-empty answer that is not "don't know" or
/// "refused", `.` is that answer, and it should hold. When it does not, `message` is shown
/// and the interviewer either corrects the answer or confirms it as it is: the answer can be
/// true (a respondent in Столична may well live in a village), only unlikely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub constraint: String,
    pub message: Label,
}

/// How an index combines its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    /// Number of items answered with one of `count_codes`, rescaled as count / items × 100.
    Count,
    /// Mean of the items, each rescaled to 0–100 from its own range first.
    Mean,
}

/// A composite index computed by the statistics (participation, trust, efficacy…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexDef {
    pub id: String,
    pub label: Label,
    pub method: IndexMethod,
    pub items: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub count_codes: Vec<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}
