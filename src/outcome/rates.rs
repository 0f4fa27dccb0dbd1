//! AAPOR response, cooperation, refusal and contact rates from the cases' final outcomes.
//!
//! The formulas are those of the AAPOR Standard Definitions (10th edition, 2023), with
//! I complete interviews, P partials, R refusals and break-offs, NC non-contacts, O other
//! eligible non-interviews, U = UH + UO cases of unknown eligibility and NE not eligible:
//!
//! ```text
//! RR1   = I / ((I+P) + (R+NC+O) + U)
//! RR2   = (I+P) / ((I+P) + (R+NC+O) + U)
//! RR3   = I / ((I+P) + (R+NC+O) + e·U)
//! COOP1 = I / ((I+P) + R + O)
//! REF1  = R / ((I+P) + (R+NC+O) + U)
//! CON1  = ((I+P) + R + O) / ((I+P) + R + O + NC + U)
//! e     = (I+P+R+NC+O) / (I+P+R+NC+O + NE)
//! ```
//!
//! RR2 is given beside the five rates fieldwork reports usually quote because anketa analyses
//! partial interviews with the completes (see [`crate::store::Cases`]).
//!
//! `e`, the share of eligible cases among those whose eligibility is known, is estimated once
//! from every case counted and applied to every row (municipality, interviewer), so that rows
//! are comparable and a row with few cases of known eligibility still gets an RR3.
//!
//! Open drafts are not final dispositions: they are counted apart (`open`) and enter no rate
//! until the interviewer closes them with an outcome. A rate whose denominator is zero is
//! undefined (`None`), never 0 or 100 %.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Outcome, OutcomeGroup};

/// Cases counted by AAPOR group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Dispositions {
    /// I: complete interviews (1.1).
    pub complete: u64,
    /// P: partial interviews (1.2).
    pub partial: u64,
    /// R: refusals and break-offs (2.1x).
    pub refusal: u64,
    /// NC: non-contacts (2.2x).
    pub non_contact: u64,
    /// O: other eligible non-interviews (2.3x).
    pub other: u64,
    /// UH + UO: unknown eligibility (3.x).
    pub unknown: u64,
    /// NE: not eligible (4.x).
    pub not_eligible: u64,
    /// Drafts still open: no final outcome yet, in no rate.
    pub open: u64,
}

/// The rates of one set of cases; `None` where the denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    pub rr1: Option<f64>,
    pub rr2: Option<f64>,
    pub rr3: Option<f64>,
    pub coop1: Option<f64>,
    pub ref1: Option<f64>,
    pub con1: Option<f64>,
}

impl Dispositions {
    /// Counts one case: `Some(outcome)` for a closed case, `None` for an open draft.
    pub fn add(&mut self, outcome: Option<Outcome>) {
        let Some(outcome) = outcome else {
            self.open += 1;
            return;
        };
        let slot = match outcome.group() {
            OutcomeGroup::Complete => &mut self.complete,
            OutcomeGroup::Partial => &mut self.partial,
            OutcomeGroup::Refusal => &mut self.refusal,
            OutcomeGroup::NonContact => &mut self.non_contact,
            OutcomeGroup::Other => &mut self.other,
            OutcomeGroup::Unknown => &mut self.unknown,
            OutcomeGroup::NotEligible => &mut self.not_eligible,
        };
        *slot += 1;
    }

    /// Closed cases: every case but the open drafts.
    pub fn closed(&self) -> u64 {
        self.interviews() + self.non_interviews() + self.unknown + self.not_eligible
    }

    /// I + P.
    pub fn interviews(&self) -> u64 {
        self.complete + self.partial
    }

    /// R + NC + O: eligible cases without an interview.
    pub fn non_interviews(&self) -> u64 {
        self.refusal + self.non_contact + self.other
    }

    /// `e`: the share of eligible cases among the cases of known eligibility; `None` when no
    /// case's eligibility is known.
    pub fn eligibility_share(&self) -> Option<f64> {
        let eligible = self.interviews() + self.non_interviews();
        ratio(eligible as f64, (eligible + self.not_eligible) as f64)
    }

    /// The rates, with `e` the share of eligible cases among the unknown ones (for RR3).
    /// Without an estimate of `e`, RR3 is defined only when no case is of unknown eligibility.
    pub fn rates(&self, e: Option<f64>) -> Rates {
        let i = self.complete as f64;
        let interviews = self.interviews() as f64;
        let (r, nc, o, u) = (
            self.refusal as f64,
            self.non_contact as f64,
            self.other as f64,
            self.unknown as f64,
        );
        let all_known = interviews + r + nc + o;
        let unknown_eligible = match (e, self.unknown) {
            (_, 0) => Some(0.0),
            (Some(e), _) => Some(e * u),
            (None, _) => None,
        };
        Rates {
            rr1: ratio(i, all_known + u),
            rr2: ratio(interviews, all_known + u),
            rr3: unknown_eligible.and_then(|eu| ratio(i, all_known + eu)),
            coop1: ratio(i, interviews + r + o),
            ref1: ratio(r, all_known + u),
            con1: ratio(interviews + r + o, interviews + r + o + nc + u),
        }
    }
}

/// The row with `key` among rows sorted by key.
fn find<'r>(rows: &'r [RatesRow], key: &str) -> Option<&'r RatesRow> {
    let i = rows.binary_search_by(|r| r.key.as_str().cmp(key)).ok()?;
    rows.get(i)
}

/// `numerator / denominator`, undefined for a zero denominator.
fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

/// One case as the rates see it.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub municipality: &'a str,
    pub interviewer: &'a str,
    /// The final outcome; `None` for a draft still open.
    pub outcome: Option<Outcome>,
}

/// One row of a [`RatesReport`]: the counts and the rates of one group of cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RatesRow {
    /// A municipality code or an interviewer's name; `"total"` for the whole.
    pub key: String,
    #[serde(flatten)]
    pub counts: Dispositions,
    #[serde(flatten)]
    pub rates: Rates,
}

/// Response rates overall, per municipality and per interviewer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RatesReport {
    /// The `e` every row's RR3 uses, estimated from all the cases; `None` when no case's
    /// eligibility is known.
    pub e: Option<f64>,
    pub total: RatesRow,
    /// By municipality code.
    pub municipalities: Vec<RatesRow>,
    /// By interviewer name.
    pub interviewers: Vec<RatesRow>,
}

impl RatesReport {
    /// Counts `cases` and computes every row's rates.
    pub fn of<'a>(cases: impl IntoIterator<Item = Case<'a>>) -> Self {
        let mut total = Dispositions::default();
        let mut municipalities: BTreeMap<&str, Dispositions> = BTreeMap::new();
        let mut interviewers: BTreeMap<&str, Dispositions> = BTreeMap::new();
        for case in cases {
            total.add(case.outcome);
            municipalities
                .entry(case.municipality)
                .or_default()
                .add(case.outcome);
            interviewers
                .entry(case.interviewer)
                .or_default()
                .add(case.outcome);
        }
        let e = total.eligibility_share();
        let row = |key: &str, counts: Dispositions| RatesRow {
            key: key.to_owned(),
            counts,
            rates: counts.rates(e),
        };
        Self {
            e,
            total: row("total", total),
            municipalities: municipalities.into_iter().map(|(k, c)| row(k, c)).collect(),
            interviewers: interviewers.into_iter().map(|(k, c)| row(k, c)).collect(),
        }
    }

    /// The row of municipality `code`, if it has any case.
    pub fn municipality(&self, code: &str) -> Option<&RatesRow> {
        find(&self.municipalities, code)
    }

    /// The row of interviewer `name`, if they have any case.
    pub fn interviewer(&self, name: &str) -> Option<&RatesRow> {
        find(&self.interviewers, name)
    }
}

#[cfg(test)]
mod tests;
