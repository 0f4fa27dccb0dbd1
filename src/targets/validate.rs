//! Checking a targets file against its questionnaire.

use std::collections::BTreeSet;

use super::{Band, Dimension, Quota};
use crate::questionnaire::Form;

impl Quota {
    pub(super) fn problems(&self, form: &Form, out: &mut Vec<String>) {
        let mut dimension_ids = BTreeSet::new();
        for d in &self.dimensions {
            if !dimension_ids.insert(d.id.as_str()) {
                out.push(format!("quota: dimension `{}` appears twice", d.id));
            }
            if d.bands.is_empty() {
                out.push(format!("quota dimension `{}`: no bands", d.id));
            }
            if form.question(&d.question).is_none() {
                out.push(format!(
                    "quota dimension `{}`: no question `{}`",
                    d.id, d.question
                ));
                continue;
            }
            let mut band_ids = BTreeSet::new();
            for b in &d.bands {
                let place = format!("quota dimension `{}` band `{}`", d.id, b.id);
                if !band_ids.insert(b.id.as_str()) {
                    out.push(format!("{place}: appears twice"));
                }
                check_condition(form, &place, &d.question, &b.codes, b.min, b.max, out);
            }
            check_overlaps(d, out);
        }
        let mut seen = BTreeSet::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let place = format!("quota cells[{i}]");
            if cell.bands.len() != self.dimensions.len() {
                out.push(format!("{place}: must name a band of every dimension"));
            }
            for (dim, band) in &cell.bands {
                match self.dimensions.iter().find(|d| &d.id == dim) {
                    None => out.push(format!("{place}: unknown dimension `{dim}`")),
                    Some(d) if !d.bands.iter().any(|b| &b.id == band) => {
                        out.push(format!("{place}: dimension `{dim}` has no band `{band}`"));
                    }
                    Some(_) => {}
                }
            }
            if !seen.insert(cell.bands.clone()) {
                out.push(format!("{place}: the same cell appears twice"));
            }
        }
    }
}

/// Two bands of one dimension must not both hold for one answer.
fn check_overlaps(d: &Dimension, out: &mut Vec<String>) {
    for (i, a) in d.bands.iter().enumerate() {
        for b in &d.bands[i + 1..] {
            let shared_code = a.codes.iter().any(|c| b.codes.contains(c));
            let ranges = a.codes.is_empty() && b.codes.is_empty();
            let lo = |x: &Band| x.min.unwrap_or(f64::NEG_INFINITY);
            let hi = |x: &Band| x.max.unwrap_or(f64::INFINITY);
            if shared_code || (ranges && lo(a) <= hi(b) && lo(b) <= hi(a)) {
                out.push(format!(
                    "quota dimension `{}`: bands `{}` and `{}` overlap",
                    d.id, a.id, b.id
                ));
            }
        }
    }
}

pub(super) fn check_condition(
    form: &Form,
    place: &str,
    question: &str,
    codes: &[String],
    min: Option<f64>,
    max: Option<f64>,
    out: &mut Vec<String>,
) {
    let Some(q) = form.question(question) else {
        out.push(format!("{place}: no question `{question}`"));
        return;
    };
    if codes.is_empty() == (min.is_none() && max.is_none()) {
        out.push(format!("{place}: give either `codes` or `min`/`max`"));
        return;
    }
    if codes.is_empty() {
        if !q.kind.is_numeric() {
            out.push(format!("{place}: `{question}` is not numeric; use `codes`"));
        }
        return;
    }
    let choices = form.choices(q);
    for code in codes {
        if !choices.iter().any(|c| &c.code == code) {
            out.push(format!("{place}: `{question}` has no choice `{code}`"));
        }
    }
}
