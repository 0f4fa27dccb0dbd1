//! Tallies: one pass over the responses codes every answer into per-question counters, one set
//! per municipality; sets from different threads merge by addition.

use std::collections::HashMap;

use super::plan::{Coding, QuestionPlan};
use crate::questionnaire::{AnswerRef, Special};

/// The tally of one question in one group of responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct QuestionTally {
    pub n: u64,
    pub dont_know: u64,
    pub refused: u64,
    pub not_asked: u64,
    pub no_answer: u64,
    /// Asked, with a stored answer that breaks the question's rules (`store::admit`).
    pub invalid: u64,
    /// One counter per option or scale point.
    pub counts: Vec<u64>,
    /// Multiple questions: the total number of options chosen.
    pub chosen: u64,
    /// Plain numbers: value (as bits, so it can be a key) → count.
    pub values: HashMap<u64, u64>,
    /// Text, dates, municipality codes: normalised answer → count.
    pub texts: HashMap<String, u64>,
}

impl QuestionTally {
    /// An empty tally shaped for `plan`.
    pub fn new(plan: &QuestionPlan) -> Self {
        Self {
            counts: vec![0; plan.option_count()],
            ..Self::default()
        }
    }

    /// Responses in which the question was relevant.
    pub fn asked(&self) -> u64 {
        self.n + self.dont_know + self.refused + self.no_answer + self.invalid
    }

    /// Codes one response's answer. `answer` is ignored when the question was not `asked`.
    pub fn add(&mut self, plan: &QuestionPlan, asked: bool, answer: Option<AnswerRef<'_>>) {
        if !asked {
            self.not_asked += 1;
            return;
        }
        match answer {
            None => self.no_answer += 1,
            Some(AnswerRef::Special(Special::DontKnow)) => self.dont_know += 1,
            Some(AnswerRef::Special(Special::Refused)) => self.refused += 1,
            Some(AnswerRef::Special(Special::Invalid)) => self.invalid += 1,
            Some(answer) => {
                if self.add_substantive(&plan.coding, answer) {
                    self.n += 1;
                } else {
                    self.no_answer += 1;
                }
            }
        }
    }

    /// Counts a substantive answer; false when it is empty or does not fit the question.
    fn add_substantive(&mut self, coding: &Coding, answer: AnswerRef<'_>) -> bool {
        match (coding, answer) {
            (Coding::Single { codes, .. }, AnswerRef::Text(code)) => {
                match codes.iter().position(|c| c == code) {
                    Some(i) => {
                        self.counts[i] += 1;
                        true
                    }
                    None => false,
                }
            }
            (Coding::Multiple { codes }, AnswerRef::Codes(chosen)) => {
                let mut known = 0;
                for code in chosen.iter() {
                    if let Some(i) = codes.iter().position(|c| c == code) {
                        self.counts[i] += 1;
                        known += 1;
                    }
                }
                self.chosen += known;
                known > 0
            }
            (Coding::Scale { min, max }, AnswerRef::Number(x)) => {
                let point = x as i64;
                if x.fract() != 0.0 || point < *min || point > *max {
                    return false;
                }
                self.counts[(point - min) as usize] += 1;
                true
            }
            (Coding::Number, AnswerRef::Number(x)) if x.is_finite() => {
                *self.values.entry(x.to_bits()).or_insert(0) += 1;
                true
            }
            (Coding::Text, AnswerRef::Text(text)) => {
                let text = normalise(text);
                if text.is_empty() {
                    return false;
                }
                *self.texts.entry(text).or_insert(0) += 1;
                true
            }
            (Coding::Municipality, AnswerRef::Text(code)) if !code.is_empty() => {
                // Look up before inserting: the code is usually there and cloning it is not free.
                match self.texts.get_mut(code) {
                    Some(count) => *count += 1,
                    None => {
                        self.texts.insert(code.to_owned(), 1);
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// Counts the text typed for the "other" option, when the answer chose it.
    pub fn add_other(&mut self, plan: &QuestionPlan, answer: Option<AnswerRef<'_>>, text: &str) {
        let Some(other) = &plan.other_code else {
            return;
        };
        let chose = match answer {
            Some(AnswerRef::Text(code)) => code == other,
            Some(AnswerRef::Codes(codes)) => codes.contains(other),
            _ => false,
        };
        let text = normalise(text);
        if chose && !text.is_empty() {
            *self.texts.entry(text).or_insert(0) += 1;
        }
    }

    /// Adds another tally of the same question.
    pub fn merge(&mut self, other: &Self) {
        self.n += other.n;
        self.dont_know += other.dont_know;
        self.refused += other.refused;
        self.not_asked += other.not_asked;
        self.no_answer += other.no_answer;
        self.invalid += other.invalid;
        self.chosen += other.chosen;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (k, v) in &other.values {
            *self.values.entry(*k).or_insert(0) += v;
        }
        for (k, v) in &other.texts {
            *self.texts.entry(k.clone()).or_insert(0) += v;
        }
    }

    /// The numeric answers as a frequency table sorted by value.
    pub fn numeric_table(&self, plan: &QuestionPlan) -> Vec<(f64, u64)> {
        let mut table: Vec<(f64, u64)> = if plan.is_numeric() && !self.counts.is_empty() {
            (0..self.counts.len())
                .filter_map(|i| Some((plan.option_value(i)?, self.counts[i])))
                .filter(|&(_, c)| c > 0)
                .collect()
        } else {
            self.values
                .iter()
                .map(|(&bits, &c)| (f64::from_bits(bits), c))
                .collect()
        };
        table.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Likert lists may give two options the same value; merge them so ranks are right.
        table.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 += later.1;
                true
            } else {
                false
            }
        });
        table
    }
}

/// The form in which text answers are compared: trimmed, lower case, single spaces.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_case_and_spaces() {
        assert_eq!(normalise("  Няма   ВРЕМЕ \n"), "няма време");
        assert_eq!(normalise(" \t "), "");
    }
}
