//! How each question's answers are coded, decided once per questionnaire rather than once per
//! answer.

use crate::questionnaire::{Form, Question, QuestionType};

/// How one answerable question is tallied.
#[derive(Debug, Clone)]
pub(crate) struct QuestionPlan {
    /// Position in [`Form::questions`] (index into the relevance vector).
    pub position: usize,
    pub id: String,
    pub kind: QuestionType,
    pub coding: Coding,
    /// The code of the "other, please specify" option, if the question has one.
    pub other_code: Option<String>,
}

/// The tally that fits a question type.
#[derive(Debug, Clone)]
pub(crate) enum Coding {
    /// A single question: one count per option; `values` when every option has a numeric value.
    Single {
        codes: Vec<String>,
        values: Option<Vec<f64>>,
    },
    /// A multiple question: one count per option.
    Multiple { codes: Vec<String> },
    /// A scale: one count per integer point from `min` to `max`.
    Scale { min: i64, max: i64 },
    /// Integers and decimals without a bounded set of points: a frequency table of values.
    Number,
    /// Free text and dates: normalised answers counted.
    Text,
    /// A municipality code: codes counted.
    Municipality,
}

/// Scales wider than this are tallied as plain numbers (no per-point options).
const MAX_SCALE_POINTS: i64 = 101;

impl QuestionPlan {
    /// The plan of every answerable question of `form`, in order.
    pub fn for_form(form: &Form) -> Vec<Self> {
        form.questions()
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind.is_answerable())
            .map(|(position, q)| Self {
                position,
                id: q.id.clone(),
                kind: q.kind,
                coding: coding(form, q),
                other_code: form
                    .choices(q)
                    .iter()
                    .find(|c| c.other)
                    .map(|c| c.code.clone()),
            })
            .collect()
    }

    /// Number of option counters this question needs.
    pub fn option_count(&self) -> usize {
        match &self.coding {
            Coding::Single { codes, .. } | Coding::Multiple { codes } => codes.len(),
            Coding::Scale { min, max } => (max - min + 1) as usize,
            Coding::Number | Coding::Text | Coding::Municipality => 0,
        }
    }

    /// The value of option `i`, when options are ordered numbers (Likert items, scale points).
    pub fn option_value(&self, i: usize) -> Option<f64> {
        match &self.coding {
            Coding::Single {
                values: Some(v), ..
            } => v.get(i).copied(),
            Coding::Scale { min, .. } => Some((*min + i as i64) as f64),
            _ => None,
        }
    }

    /// Whether the question has a mean (numbers, scales, Likert items).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.coding,
            Coding::Scale { .. }
                | Coding::Number
                | Coding::Single {
                    values: Some(_),
                    ..
                }
        )
    }

    /// The lowest value of the top box, for Likert items with at least four points and for
    /// scales: the top two points, or the top five on scales of eleven or more points (6–10 on
    /// 0–10, the convention for satisfaction and trust scales).
    pub fn top_box_from(&self) -> Option<f64> {
        match &self.coding {
            Coding::Single {
                values: Some(values),
                ..
            } if values.len() >= 4 => {
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                sorted.dedup();
                sorted.len().checked_sub(2).map(|i| sorted[i])
            }
            Coding::Scale { min, max } if max - min >= 10 => Some((max - 4) as f64),
            Coding::Scale { min, max } if max - min >= 3 => Some((max - 1) as f64),
            _ => None,
        }
    }

    /// The range of possible values, used to rescale an index item to 0–1.
    pub fn range(&self, question: &Question) -> Option<(f64, f64)> {
        match &self.coding {
            Coding::Single {
                values: Some(values),
                ..
            } => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                Some((lo, hi))
            }
            Coding::Scale { min, max } => Some((*min as f64, *max as f64)),
            Coding::Number => question.min.zip(question.max),
            _ => None,
        }
        .filter(|(lo, hi)| hi > lo)
    }
}

fn coding(form: &Form, q: &Question) -> Coding {
    let codes = || form.choices(q).iter().map(|c| c.code.clone()).collect();
    match q.kind {
        QuestionType::Single => {
            let choices = form.choices(q);
            let values = choices.iter().map(|c| c.value).collect::<Option<Vec<_>>>();
            Coding::Single {
                codes: codes(),
                values: values.filter(|v| !v.is_empty()),
            }
        }
        QuestionType::Multiple => Coding::Multiple { codes: codes() },
        QuestionType::Scale => match (q.min, q.max) {
            (Some(lo), Some(hi))
                if lo.fract() == 0.0 && hi.fract() == 0.0 && hi >= lo && hi - lo < 1e6 =>
            {
                let (lo, hi) = (lo as i64, hi as i64);
                if hi - lo < MAX_SCALE_POINTS {
                    Coding::Scale { min: lo, max: hi }
                } else {
                    Coding::Number
                }
            }
            _ => Coding::Number,
        },
        QuestionType::Integer | QuestionType::Decimal => Coding::Number,
        QuestionType::Municipality => Coding::Municipality,
        QuestionType::Text | QuestionType::Date | QuestionType::Note => Coding::Text,
    }
}
