//! The fieldwork figures: interviews and drafts per day, municipality and interviewer,
//! progress against the targets, and the response rates over every outcome.

use std::collections::BTreeMap;

use jiff::civil::Date;
use statrs::statistics::{Data, Median};

use super::SofiaDays;
use crate::outcome::{Case, Outcome, RatesReport};
use crate::questionnaire::Form;
use crate::store::{Cases, ResponseFilter, ResponseTable, Status};
use crate::targets::Targets;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Response;

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
}
