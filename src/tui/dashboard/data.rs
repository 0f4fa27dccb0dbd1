//! What the dashboards draw from, computed once per data or filter change and then cached:
//! the statistics report plus the fieldwork figures and histograms it does not carry.
//!
//! Everything here is pure (no terminal, no files) so the loader thread computes it and the
//! tests and benchmarks call [`Derived::compute`] directly.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::quality::{QualityReport, Thresholds, run_checks};
use crate::questionnaire::{AnswerRef, Form, QuestionType};
use crate::stats::{self, StatsReport};
use crate::store::filter::sofia;
use crate::store::{Problem, Response, ResponseFilter, ResponseTable, TableFull};
use crate::targets::Targets;

mod fieldwork;

pub use fieldwork::{Fieldwork, InterviewerWork, MunicipalityProgress, QuotaCell, fieldwork};

/// Everything the views draw, for one filter.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The filter these figures were computed with.
    pub filter: ResponseFilter,
    pub report: StatsReport,
    pub fieldwork: Fieldwork,
    /// Question id → histogram, for integer and decimal questions.
    pub histograms: BTreeMap<String, Histogram>,
    /// Files the store could not read.
    pub problems: Arc<Vec<Problem>>,
    /// The values the filter panel offers, from every loaded response (not only filtered ones).
    pub choices: Arc<FilterChoices>,
}

/// The values present in the data, offered by the filter panel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterChoices {
    pub municipalities: Vec<String>,
    pub oblasts: Vec<String>,
    pub interviewers: Vec<String>,
    pub days: Vec<Date>,
}

/// Equal-width bins over the answers of a numeric question.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Lower bound of each bin; the last bin includes `upper`.
    pub lower: Vec<f64>,
    pub upper: f64,
    pub counts: Vec<u64>,
    /// Whether the bins hold whole numbers (labels then read 18–24, 25–31…).
    pub integer: bool,
}

/// At most this many histogram bins, so that the chart stays legible at 80 columns.
const MAX_BINS: usize = 12;

impl Derived {
    /// Computes every figure for `filter`. Costs one pass of the statistics over `responses`
    /// plus a cheaper one for the fieldwork counts.
    ///
    /// Builds the statistics' table of `responses` first; [`Derived::compute_with`] reuses one.
    pub fn compute(
        form: &Form,
        responses: &[Response],
        filter: &ResponseFilter,
        problems: Arc<Vec<Problem>>,
        targets: Option<&Targets>,
    ) -> Result<Self, TableFull> {
        let table = ResponseTable::from_slice(form, responses)?;
        Ok(Self::compute_with(form, &table, filter, problems, targets))
    }

    /// [`Derived::compute`] from a table of the responses: every figure but the quality flags
    /// (see [`quality`]) comes from it.
    pub fn compute_with(
        form: &Form,
        table: &ResponseTable,
        filter: &ResponseFilter,
        problems: Arc<Vec<Problem>>,
        targets: Option<&Targets>,
    ) -> Self {
        let mut report = stats::compute(form, table, filter);
        report.problems = problems.len() as u64;
        let histograms = histograms(form, table, filter, &report);
        Self {
            filter: filter.clone(),
            fieldwork: fieldwork(form, table, filter, targets),
            histograms,
            report,
            problems,
            choices: Arc::new(FilterChoices::of(table)),
        }
    }
}

impl FilterChoices {
    /// The distinct municipalities, oblasts, interviewers and days in `responses`.
    pub fn of(responses: &ResponseTable) -> Self {
        let mut municipalities = std::collections::BTreeSet::new();
        let mut interviewers = std::collections::BTreeSet::new();
        let mut days = std::collections::BTreeSet::new();
        let mut day_of = SofiaDays::default();
        for r in responses.rows() {
            municipalities.insert(r.municipality());
            interviewers.insert(r.interviewer());
            days.insert(day_of.day(r.completed_at().unwrap_or_else(|| r.updated_at())));
        }
        let list = crate::municipality::bundled();
        let oblasts: std::collections::BTreeSet<&str> = municipalities
            .iter()
            .filter_map(|c| list.get(c).map(|m| m.oblast_code.as_str()))
            .collect();
        Self {
            municipalities: municipalities.into_iter().map(str::to_owned).collect(),
            oblasts: oblasts.into_iter().map(str::to_owned).collect(),
            interviewers: interviewers.into_iter().map(str::to_owned).collect(),
            days: days.into_iter().collect(),
        }
    }
}

/// Calendar days in Bulgaria, remembered by the hour: Sofia's offset is a whole number of
/// hours, so every instant of one UTC hour falls on the same local day, and 100,000 interviews
/// need a time-zone lookup per distinct hour instead of one each.
#[derive(Default)]
struct SofiaDays {
    by_hour: HashMap<i64, Date>,
}

impl SofiaDays {
    fn day(&mut self, at: jiff::Timestamp) -> Date {
        *self
            .by_hour
            .entry(at.as_second().div_euclid(3600))
            .or_insert_with(|| at.to_zoned(sofia()).date())
    }
}

/// The data-quality flags of the responses `filter` selects (drafts are never checked), with
/// the default thresholds; an error says why the checks could not run.
pub fn quality(
    form: &Form,
    responses: &[Response],
    filter: &ResponseFilter,
) -> Result<QualityReport, String> {
    let selected: Vec<&Response> = responses.iter().filter(|r| filter.matches(r)).collect();
    run_checks(form, &selected, &Thresholds::default()).map_err(|e| e.to_string())
}

/// Histograms of the integer and decimal questions, over the answers the statistics count
/// (relevant questions, substantive numbers), binned between the report's min and max.
fn histograms(
    form: &Form,
    responses: &ResponseTable,
    filter: &ResponseFilter,
    report: &StatsReport,
) -> BTreeMap<String, Histogram> {
    let targets: Vec<HistogramTarget> = report
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionType::Integer | QuestionType::Decimal))
        .filter_map(|q| {
            let (min, max) = (q.overall.min?, q.overall.max?);
            let position = form.position(&q.id)?;
            Some((
                position,
                q.id.as_str(),
                min,
                max,
                q.kind == QuestionType::Integer,
            ))
        })
        .collect();
    if targets.is_empty() {
        return BTreeMap::new();
    }
    let filled = fill(responses, filter, &targets);
    targets
        .iter()
        .zip(filled)
        .map(|(t, h)| (t.1.to_owned(), h))
        .collect()
}

/// A question to draw a histogram of: position, id, min, max, whether integer.
type HistogramTarget<'a> = (usize, &'a str, f64, f64, bool);

/// Counts the numeric answers of the questions `targets` that were asked (skip logic, as in the
/// statistics) in the responses `filter` selects.
fn fill(
    responses: &ResponseTable,
    filter: &ResponseFilter,
    targets: &[HistogramTarget],
) -> Vec<Histogram> {
    let empty = || -> Vec<Histogram> {
        targets
            .iter()
            .map(|&(_, _, min, max, integer)| Histogram::empty(min, max, integer))
            .collect()
    };
    (0..responses.len())
        .into_par_iter()
        .map(|i| responses.row(i))
        .filter(|r| filter.matches_row(r))
        .fold(empty, |mut hs, r| {
            for (h, &(position, ..)) in hs.iter_mut().zip(targets) {
                if let (true, Some(AnswerRef::Number(x))) = (r.asked(position), r.answer(position))
                {
                    h.add(x);
                }
            }
            hs
        })
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                for (c, d) in x.counts.iter_mut().zip(y.counts) {
                    *c += d;
                }
            }
            a
        })
}

impl Histogram {
    fn empty(min: f64, max: f64, integer: bool) -> Self {
        let range = (max - min).max(0.0);
        let mut width = range / MAX_BINS as f64;
        if integer {
            width = width.ceil().max(1.0);
        }
        if width <= 0.0 {
            width = 1.0;
        }
        let bins = ((range / width).floor() as usize + 1).min(MAX_BINS + 1);
        Self {
            lower: (0..bins).map(|i| min + i as f64 * width).collect(),
            upper: max,
            counts: vec![0; bins],
            integer,
        }
    }

    fn add(&mut self, x: f64) {
        if !x.is_finite() || self.lower.is_empty() || x < self.lower[0] || x > self.upper {
            return;
        }
        let bin = self.lower.partition_point(|&l| l <= x).saturating_sub(1);
        if let Some(c) = self.counts.get_mut(bin) {
            *c += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Answer;
    use crate::store::Status;

    #[test]
    fn days_remembered_by_the_hour_are_the_days_of_every_instant() {
        let mut days = SofiaDays::default();
        // Every 7 minutes through 2026, across both daylight-saving changes.
        let start = jiff::Timestamp::from_second(1_767_225_600).unwrap();
        for step in 0..(366 * 24 * 60 / 7) {
            let at = start + jiff::SignedDuration::from_mins(7 * step);
            assert_eq!(days.day(at), at.to_zoned(sofia()).date(), "{at}");
        }
    }

    #[test]
    fn integer_bins_cover_every_value_once() {
        let mut h = Histogram::empty(18.0, 90.0, true);
        for x in 18..=90 {
            h.add(f64::from(x));
        }
        h.add(17.0);
        h.add(f64::NAN);
        assert_eq!(h.counts.iter().sum::<u64>(), 73);
        assert!(h.counts.len() <= MAX_BINS + 1);
        assert_eq!(h.lower[0], 18.0);
    }

    #[test]
    fn answers_to_questions_not_asked_stay_out_of_the_histogram() {
        let form = crate::questionnaire::catalog::default_form().unwrap();
        let mut asked = Response::new(&form, "Ана", "SOF46", "bg");
        asked
            .answers
            .insert("consent".into(), Answer::Text("yes".into()));
        asked.answers.insert("age".into(), Answer::Number(30.0));
        asked.status = Status::Complete;
        asked.completed_at = Some(asked.updated_at);
        // Consent withdrawn after the age was entered: the age is kept but not asked.
        let mut stale = asked.clone();
        stale.id = uuid::Uuid::new_v4();
        stale
            .answers
            .insert("consent".into(), Answer::Text("no".into()));
        stale.answers.insert("age".into(), Answer::Number(30.0));
        let responses = vec![asked, stale];
        let filter = ResponseFilter::default();
        let table = ResponseTable::from_responses(&form, &responses).unwrap();
        let report = stats::compute(&form, &table, &filter);
        assert_eq!(report.question("age").unwrap().overall.n, 1);
        let h = &histograms(&form, &table, &filter, &report)["age"];
        assert_eq!(h.counts.iter().sum::<u64>(), 1);
    }

    #[test]
    fn a_single_value_makes_one_bin() {
        let mut h = Histogram::empty(5.0, 5.0, false);
        h.add(5.0);
        assert_eq!(h.counts, vec![1]);
    }
}
