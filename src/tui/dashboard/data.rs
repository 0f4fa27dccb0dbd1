//! What the dashboards draw from, computed once per data or filter change and then cached:
//! the statistics report plus the fieldwork figures and histograms it does not carry.
//!
//! Everything here is pure (no terminal, no files) so the loader thread computes it and the
//! tests and benchmarks call [`Derived::compute`] directly.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use statrs::statistics::{Data, Median};

use crate::outcome::{Case, Outcome, RatesReport};
use crate::quality::{QualityReport, Thresholds, run_checks};
use crate::questionnaire::{AnswerRef, Form, QuestionType};
use crate::stats::{self, StatsReport};
use crate::store::filter::sofia;
use crate::store::{Cases, Problem, Response, ResponseFilter, ResponseTable, Status, TableFull};
use crate::targets::Targets;

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

/// Counts of the fieldwork, under the filter (drafts are always counted, separately).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fieldwork {
    /// Interviews the analyses take: complete and, unless filtered out, partial.
    pub complete: u64,
    /// Partial interviews (1.2) among them.
    pub partial: u64,
    pub drafts: u64,
    /// Completed interviews per calendar day (Sofia time), in date order.
    pub per_day: Vec<(Date, u64)>,
    /// Per municipality, by code.
    pub municipalities: Vec<MunicipalityProgress>,
    /// Per interviewer, by name.
    pub interviewers: Vec<InterviewerWork>,
    /// Quota cells of the targets file, in the file's order.
    pub cells: Vec<QuotaCell>,
    /// AAPOR response rates over every case in the filter's places, interviewers and days,
    /// whatever its outcome (the rates need the refusals and non-contacts the analyses leave
    /// out); open drafts are counted apart.
    pub rates: RatesReport,
}

/// One quota cell: its bands in words, in each language of the questionnaire, and its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaCell {
    /// Language → the cell in words ("Жена, 18-29").
    pub labels: Vec<(String, String)>,
    pub achieved: u64,
    pub target: u64,
}

impl QuotaCell {
    /// The cell in words in `lang`, else in the first language.
    pub fn label(&self, lang: &str) -> &str {
        self.labels
            .iter()
            .find(|(l, _)| l == lang)
            .or(self.labels.first())
            .map_or("", |(_, label)| label)
    }
}

/// Interviews done in one municipality, and its target when a targets file sets one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityProgress {
    pub code: String,
    pub complete: u64,
    pub drafts: u64,
    pub target: Option<u64>,
}

impl MunicipalityProgress {
    /// Interviews still missing to reach the target (0 without a target).
    pub fn shortfall(&self) -> u64 {
        self.target.map_or(0, |t| t.saturating_sub(self.complete))
    }
}

/// One interviewer's work.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewerWork {
    pub name: String,
    pub complete: u64,
    pub drafts: u64,
    /// Median minutes from start to completion of their complete interviews.
    pub median_minutes: Option<f64>,
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

/// The fieldwork counts: the filter applies, except that drafts are always counted apart and
/// the response rates count every outcome. With targets, each municipality's achieved count
/// is the targets' own (interviews that meet the eligibility conditions), as in
/// `anketa progress`.
pub fn fieldwork(
    form: &Form,
    responses: &ResponseTable,
    filter: &ResponseFilter,
    targets: Option<&Targets>,
) -> Fieldwork {
    let with_drafts = ResponseFilter {
        include_drafts: true,
        ..filter.clone()
    };
    let mut day_of = SofiaDays::default();
    let mut days: BTreeMap<Date, u64> = BTreeMap::new();
    let mut munis: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut people: BTreeMap<&str, (u64, u64, Vec<f64>)> = BTreeMap::new();
    let every_case = ResponseFilter {
        cases: Cases::All,
        ..with_drafts.clone()
    };
    let mut out =
        Fieldwork {
            rates: RatesReport::of(responses.rows().filter(|r| every_case.matches_row(r)).map(
                |r| Case {
                    municipality: r.municipality(),
                    interviewer: r.interviewer(),
                    outcome: r.final_outcome(),
                },
            )),
            ..Fieldwork::default()
        };
    for r in responses.rows().filter(|r| with_drafts.matches_row(r)) {
        let m = munis.entry(r.municipality()).or_default();
        let p = people.entry(r.interviewer()).or_default();
        if r.status() == Status::Complete {
            out.complete += 1;
            out.partial += u64::from(r.outcome() == Some(Outcome::Partial));
            m.0 += 1;
            p.0 += 1;
            if let Some(done) = r.completed_at() {
                *days.entry(day_of.day(done)).or_default() += 1;
            }
            if let Some(s) = r.duration_s().filter(|s| *s >= 0) {
                p.2.push(s as f64 / 60.0);
            }
        } else {
            out.drafts += 1;
            m.1 += 1;
            p.1 += 1;
        }
    }
    out.per_day = days.into_iter().collect();
    out.municipalities = match targets {
        Some(t) => targets_progress(form, responses, &with_drafts, t, &mut out.cells),
        None => munis
            .into_iter()
            .map(|(code, (complete, drafts))| MunicipalityProgress {
                code: code.to_owned(),
                complete,
                drafts,
                target: None,
            })
            .collect(),
    };
    out.interviewers = people
        .into_iter()
        .map(|(name, (complete, drafts, minutes))| InterviewerWork {
            name: name.to_owned(),
            complete,
            drafts,
            median_minutes: (!minutes.is_empty()).then(|| Data::new(minutes).median()),
        })
        .collect();
    out
}

/// Progress per municipality from the targets, over the responses the filter selects; a
/// municipality filter keeps only its own targets.
fn targets_progress(
    form: &Form,
    responses: &ResponseTable,
    filter: &ResponseFilter,
    targets: &Targets,
    cells: &mut Vec<QuotaCell>,
) -> Vec<MunicipalityProgress> {
    let selected = responses.rows().filter(|r| filter.matches_row(r));
    let list = crate::municipality::bundled();
    let in_place = |code: &str| {
        (filter.municipalities.is_empty() || filter.municipalities.iter().any(|c| c == code))
            && filter.oblast.as_ref().is_none_or(|o| {
                list.get(code)
                    .is_some_and(|m| m.oblast_code.eq_ignore_ascii_case(o))
            })
    };
    let progress = targets.progress_of_rows(form, selected);
    *cells = progress
        .cells
        .iter()
        .map(|c| QuotaCell {
            labels: form
                .languages()
                .iter()
                .map(|lang| (lang.clone(), targets.describe_cell(form, &c.bands, lang)))
                .collect(),
            achieved: u64::from(c.achieved),
            target: u64::from(c.target),
        })
        .collect();
    progress
        .municipalities
        .into_iter()
        .filter(|m| in_place(&m.code))
        .map(|m| MunicipalityProgress {
            code: m.code,
            complete: u64::from(m.achieved),
            drafts: u64::from(m.drafts),
            target: m.target.map(u64::from),
        })
        .collect()
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
    fn rates_count_every_outcome_in_the_filters_places_and_the_counts_only_interviews() {
        let form = crate::questionnaire::catalog::default_form().unwrap();
        let case = |municipality: &str, outcome: Option<Outcome>| {
            let mut r = Response::new(&form, "Ана", municipality, "bg");
            r.status = match outcome {
                Some(_) => Status::Complete,
                None => Status::Draft,
            };
            r.completed_at = outcome.map(|_| r.updated_at);
            r.outcome = outcome;
            r
        };
        let responses = [
            case("SOF46", Some(Outcome::Complete)),
            case("SOF46", Some(Outcome::Partial)),
            case("SOF46", Some(Outcome::Refusal)),
            case("SOF46", Some(Outcome::NonContact)),
            case("SOF46", None),
            case("PDV22", Some(Outcome::Refusal)),
        ];
        let table = ResponseTable::from_responses(&form, &responses).unwrap();
        let filter = ResponseFilter {
            municipalities: vec!["SOF46".into()],
            ..ResponseFilter::default()
        };
        let f = fieldwork(&form, &table, &filter, None);
        assert_eq!((f.complete, f.partial, f.drafts), (2, 1, 1));
        let total = &f.rates.total;
        assert_eq!(total.counts.closed(), 4, "PDV22 is filtered out");
        assert_eq!(total.counts.open, 1);
        // RR1 = 1 / (2 + 2) and COOP1 = 1 / (2 + 1).
        assert_eq!(total.rates.rr1, Some(0.25));
        assert_eq!(total.rates.coop1, Some(1.0 / 3.0));
        assert_eq!(
            f.rates.interviewer("Ана").map(|r| r.counts),
            Some(total.counts)
        );
    }

    #[test]
    fn a_single_value_makes_one_bin() {
        let mut h = Histogram::empty(5.0, 5.0, false);
        h.add(5.0);
        assert_eq!(h.counts, vec![1]);
    }
}
