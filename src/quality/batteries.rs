//! Straight-lining: the same answer to every item of a battery of same-scale questions.
//!
//! Batteries are found in the questionnaire, not listed by hand: within one section, scale
//! questions with the same `min` and `max` form a battery, and single-choice questions whose
//! choice lists carry the same set of numeric values (Likert items, even if their labels
//! differ) form another. Short scales (fewer than `battery_min_points` points, such as
//! yes/no or member/not member) are left out: giving the same answer to them is common and
//! honest.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Check, Prepared, QualityReport, Thresholds};
use crate::i18n::bg;
use crate::questionnaire::{Answer, Form, QuestionType};

/// A battery of same-scale questions in one section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Battery {
    pub section: String,
    /// Question ids, in questionnaire order.
    pub questions: Vec<String>,
    /// Positions in [`Form::questions`].
    #[serde(skip)]
    pub positions: Vec<usize>,
    /// "scale 0–10" or "values 1–5".
    pub scale: String,
}

/// The batteries of `form` with at least `min_items` items on scales of at least `min_points`.
pub fn batteries(form: &Form, min_items: usize, min_points: usize) -> Vec<Battery> {
    // Key: section id, then a description of the scale that only same-scale items share.
    let mut groups: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut section_ids = Vec::new();
    for pos in 0..form.questions().len() {
        let section = form.section_of(pos).id.clone();
        let s = match section_ids.iter().position(|s| *s == section) {
            Some(s) => s,
            None => {
                section_ids.push(section);
                section_ids.len() - 1
            }
        };
        if let Some(scale) = scale_of(form, pos, min_points) {
            groups.entry((s, scale)).or_default().push(pos);
        }
    }
    groups
        .into_iter()
        .filter(|(_, positions)| positions.len() >= min_items.max(2))
        .map(|((s, scale), positions)| Battery {
            section: section_ids[s].clone(),
            questions: positions
                .iter()
                .map(|&p| form.questions()[p].id.clone())
                .collect(),
            positions,
            scale,
        })
        .collect()
}

/// The scale of the question at `pos` as a grouping key, or `None` if it is not a
/// battery item.
fn scale_of(form: &Form, pos: usize, min_points: usize) -> Option<String> {
    let q = &form.questions()[pos];
    match q.kind {
        QuestionType::Scale => {
            let (min, max) = (q.min?, q.max?);
            ((max - min + 1.0) >= min_points as f64).then(|| format!("scale {min}–{max}"))
        }
        QuestionType::Single => {
            let choices = form.choices(q);
            let mut values = choices
                .iter()
                .map(|c| c.value)
                .collect::<Option<Vec<f64>>>()?;
            values.sort_by(f64::total_cmp);
            values.dedup();
            if values.len() < min_points || q.choices_from.is_some() {
                return None;
            }
            let list: Vec<String> = values.iter().map(f64::to_string).collect();
            Some(format!("values {}", list.join(",")))
        }
        _ => None,
    }
}

/// The numeric value of a substantive answer to a battery item.
fn item_value(form: &Form, pos: usize, answer: &Answer) -> Option<f64> {
    match answer {
        Answer::Number(n) => Some(*n),
        Answer::Text(code) => {
            let q = &form.questions()[pos];
            form.choices(q)
                .iter()
                .find(|c| &c.code == code)
                .and_then(|c| c.value)
        }
        Answer::Codes(_) | Answer::Special(_) => None,
    }
}

pub(super) fn straight_lining(
    form: &Form,
    items: &[Prepared<'_>],
    t: &Thresholds,
    report: &mut QualityReport,
) {
    let found = batteries(form, t.battery_min_items, t.battery_min_points);
    if found.is_empty() {
        report
            .notes
            .push("straight-lining: the questionnaire has no battery of same-scale items".into());
    }
    for p in items {
        for battery in &found {
            let values: Vec<f64> = battery
                .positions
                .iter()
                .filter_map(|&pos| p.asked[pos].and_then(|a| item_value(form, pos, a)))
                .collect();
            let Some(first) = values.first() else {
                continue;
            };
            if values.len() >= t.battery_min_items && values.iter().all(|v| v == first) {
                let (n, items) = (values.len(), battery.questions.join(", "));
                let section = &battery.section;
                let reason = format!(
                    "the same answer ({first}) to all {n} answered items of the {section} battery ({items})"
                );
                // The section's Bulgarian title where the questionnaire gives one.
                let title = form
                    .questionnaire()
                    .sections
                    .iter()
                    .find(|s| s.id == *section)
                    .map_or(section.as_str(), |s| s.title.get("bg"));
                let questions = bg::ANSWERED_QUESTIONS.fill(n);
                let reason_bg = format!(
                    "един и същ отговор ({first}) на всичките {questions} от блока „{title}“ ({items})"
                );
                report
                    .flags
                    .push(p.flag(Check::StraightLining, reason, reason_bg));
            }
        }
    }
}
