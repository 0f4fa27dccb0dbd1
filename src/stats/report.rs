//! The report types: what [`compute`](super::compute) returns, what `anketa stats --json` prints
//! and what the dashboards draw.
//!
//! Every figure that cannot be computed (no answers, fewer than two answers, zero variance, a
//! single municipality…) is `None` (`null` in JSON), never NaN, and the `reasons` map beside it
//! says why. A figure that does not apply to a question type (a mean of a nominal question) is
//! `None` without a reason. Percentages and intervals are on the 0–100 scale and not rounded:
//! rounding is the printer's job. `docs/stats-format.md` documents the JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::questionnaire::{IndexMethod, QuestionType};

/// Municipalities with fewer substantive answers than this are flagged `small_base`.
pub const SMALL_BASE: u64 = 30;

/// The statistics of one selection of responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsReport {
    /// The questionnaire id.
    pub questionnaire: String,
    /// The questionnaire version the figures were computed with.
    pub version: String,
    /// The filter in words (empty when every complete interview is included).
    pub filter: String,
    /// Number of responses selected by the filter.
    pub responses: u64,
    /// Number of files that could not be read. [`compute`](super::compute) sets 0: it sees only
    /// responses; whoever loaded them fills this in from the store's problem list.
    pub problems: u64,
    /// Number of invalid parts of counted responses (answers that break their question's
    /// rules, inconsistent times), each reported with its file; filled in like `problems`.
    #[serde(default)]
    pub invalid_parts: u64,
    /// The municipalities with at least one selected response, by code, with their counts.
    pub municipalities: Vec<MunicipalityCount>,
    /// One entry per answerable question, in questionnaire order.
    pub questions: Vec<QuestionStats>,
    /// One entry per index declared by the questionnaire, in declaration order.
    pub indices: Vec<IndexStats>,
}

/// How many selected responses come from one municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityCount {
    pub municipality: String,
    pub responses: u64,
}

/// The figures of one question: overall, per municipality, and its cross-tab with municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionStats {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The figures over every selected response.
    #[serde(flatten)]
    pub overall: Summary,
    /// The same figures for each municipality with at least one selected response, by code.
    pub by_municipality: Vec<MunicipalitySummary>,
    /// Pearson's chi-square test of the answer against the municipality (single and scale
    /// questions only); `None` when it cannot be computed, with `chi_square_reason`.
    pub chi_square: Option<ChiSquare>,
    /// Why `chi_square` is `None`.
    pub chi_square_reason: Option<String>,
}

/// The figures of one question over one group of responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Responses in which the question was relevant
    /// (`n + dont_know + refused + no_answer + invalid`).
    pub asked: u64,
    /// Substantive answers: the base of every percentage and mean.
    pub n: u64,
    pub dont_know: u64,
    pub refused: u64,
    /// Responses in which skip logic did not ask the question (stored answers there are ignored).
    pub not_asked: u64,
    /// Asked but left empty (an optional text), or holding an answer that does not fit.
    pub no_answer: u64,
    /// Asked, with a stored answer that breaks the question's rules (a value out of range, of
    /// the wrong type, too long, …): exported as −8 and, like the other missing codes, outside
    /// the base `n`. Each is also reported as a problem naming the file and the question.
    #[serde(default)]
    pub invalid: u64,
    /// Every option in questionnaire order, zeros included (single, multiple, scale points,
    /// municipality codes that occur). For `multiple`, percentages are shares of respondents
    /// and may add up to more than 100.
    pub options: Vec<OptionStats>,
    /// Mean number of options chosen (multiple questions).
    pub mean_choices: Option<f64>,
    /// Mean of the numeric answers (integer, decimal, scale, single with valued choices).
    pub mean: Option<f64>,
    /// Standard deviation with n − 1 in the denominator.
    pub sd: Option<f64>,
    /// 95% Student-t interval of the mean.
    pub ci95_mean: Option<[f64; 2]>,
    /// Median and quartiles by linear interpolation (R type 7, numpy's default).
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Share in the top two points (Likert items) or 6–10 (0–10 scales).
    pub top2: Option<TopBox>,
    /// Number of non-empty answers (text and date questions).
    pub non_empty: Option<u64>,
    /// The most frequent normalised answers (text and date questions), most frequent first.
    pub top_answers: Vec<TextCount>,
    /// The most frequent normalised texts typed for an "other, please specify" option (single
    /// and multiple questions that have one), most frequent first.
    #[serde(default)]
    pub other_texts: Vec<TextCount>,
    /// Figure name → why it is `None` although it applies to this question.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<String, String>,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionStats {
    pub code: String,
    /// The option's numeric value, when the choice list declares one.
    pub value: Option<f64>,
    pub count: u64,
    /// Percentage of `n`; `None` when `n` is 0.
    pub percent: Option<f64>,
    /// 95% Wilson score interval of the percentage.
    pub ci95: Option<[f64; 2]>,
}

/// The top-box share of an ordered question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopBox {
    /// The lowest value counted in the box (4 on a 1–5 item, 6 on a 0–10 scale).
    pub from: f64,
    pub count: u64,
    pub percent: Option<f64>,
    pub ci95: Option<[f64; 2]>,
}

/// A normalised text answer and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextCount {
    pub text: String,
    pub count: u64,
}

/// The figures of one question in one municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalitySummary {
    pub municipality: String,
    #[serde(flatten)]
    pub summary: Summary,
    /// `n` is below [`SMALL_BASE`]: read percentages with care.
    pub small_base: bool,
}

/// Pearson's chi-square test of independence between a question and the municipality.
///
/// Rows (options) and columns (municipalities) whose total is zero are dropped before the test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: u64,
    pub p_value: f64,
    pub cramers_v: f64,
    /// Number of cells whose expected count is below 5 (the test is unreliable when many are).
    pub low_expected_cells: u64,
    /// The option codes of the rows kept.
    pub rows: Vec<String>,
    /// The municipality codes of the columns kept.
    pub columns: Vec<String>,
    /// Observed counts, `observed[row][column]`.
    pub observed: Vec<Vec<u64>>,
}

/// A composite index, rescaled to 0–100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexStats {
    pub id: String,
    pub method: IndexMethod,
    pub items: Vec<String>,
    /// The figures over every selected response.
    #[serde(flatten)]
    pub overall: IndexSummary,
    pub by_municipality: Vec<IndexMunicipality>,
}

/// The figures of one index over one group of responses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexSummary {
    /// Respondents with a score (substantive answers to at least half of the items).
    pub n: u64,
    /// Mean score, 0–100.
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// 95% Student-t interval of the mean score.
    pub ci95: Option<[f64; 2]>,
    /// Count indices: the mean number of items answered with a counted code.
    pub mean_count: Option<f64>,
    /// Count indices: the share of respondents with at least one counted answer.
    pub share_any: Option<TopBox>,
    /// Cronbach's alpha over the respondents who answered every item.
    pub alpha: Option<f64>,
    /// Number of respondents behind `alpha`.
    pub alpha_n: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<String, String>,
}

/// The figures of one index in one municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMunicipality {
    pub municipality: String,
    #[serde(flatten)]
    pub summary: IndexSummary,
    pub small_base: bool,
}

impl StatsReport {
    /// The figures of question `id`, if it is answerable.
    pub fn question(&self, id: &str) -> Option<&QuestionStats> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The figures of index `id`.
    pub fn index(&self, id: &str) -> Option<&IndexStats> {
        self.indices.iter().find(|i| i.id == id)
    }
}

impl QuestionStats {
    /// The figures of this question in municipality `code`, if it has responses.
    pub fn municipality(&self, code: &str) -> Option<&MunicipalitySummary> {
        self.by_municipality.iter().find(|m| m.municipality == code)
    }
}
