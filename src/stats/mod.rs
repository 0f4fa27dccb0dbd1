//! Statistics: frequencies, numeric summaries, cross-tabs with the municipality and indices,
//! over a selection of stored responses. Pure: no terminal, no files.
//!
//! [`compute`] makes one parallel pass over a [`ResponseTable`], whose rows already know which
//! questions skip logic asked them, and codes every answer into the counters of its question in
//! the response's municipality. Counters from the
//! worker threads merge by addition; the overall figures are the sum of the municipalities'.
//! Only then are the counters turned into figures ([`report`]), so the cost after the pass is
//! proportional to the number of questions × municipalities, not responses. The whole report
//! for 100,000 responses takes a fraction of a second, so the dashboards call [`compute`] again
//! when a filter changes, and never per frame.
//!
//! Bases are explicit: a question that skip logic did not ask is `not_asked` (an answer stored
//! for it is ignored, as in the interview); among those asked, don't know, refused and empty
//! answers are counted beside `n`, the substantive answers that every percentage and mean uses.

mod accumulate;
pub mod estimate;
mod index;
mod plan;
pub mod report;
mod summarise;
pub mod tables;

use std::collections::HashMap;

use rayon::prelude::*;

pub use accumulate::normalise;
pub use report::{
    ChiSquare, IndexMunicipality, IndexStats, IndexSummary, MunicipalityCount, MunicipalitySummary,
    OptionStats, QuestionStats, SMALL_BASE, StatsReport, Summary, TextCount, TopBox,
};

use accumulate::QuestionTally;
use index::{IndexPlan, IndexTally};
use plan::QuestionPlan;

use crate::questionnaire::{AnswerRef, Form};
use crate::store::{ResponseFilter, ResponseTable};

/// Computes every figure of the report for the responses that `filter` selects.
///
/// `responses` are a table of `form`'s responses. Never fails and never panics:
/// what cannot be computed is `None` with a reason. `problems` is left at 0 for the caller to
/// fill in from the store's load report.
pub fn compute(form: &Form, responses: &ResponseTable, filter: &ResponseFilter) -> StatsReport {
    let plans = QuestionPlan::for_form(form);
    let index_plans = IndexPlan::for_form(form, &plans);
    let groups = tally(&plans, &index_plans, responses, filter);
    build_report(form, filter, &plans, &index_plans, groups)
}

/// The counters of one municipality.
#[derive(Debug, Clone)]
struct Group {
    responses: u64,
    questions: Vec<QuestionTally>,
    indices: Vec<IndexTally>,
}

impl Group {
    fn new(plans: &[QuestionPlan], index_plans: &[IndexPlan]) -> Self {
        Self {
            responses: 0,
            questions: plans.iter().map(QuestionTally::new).collect(),
            indices: index_plans.iter().map(IndexTally::new).collect(),
        }
    }

    fn merge(&mut self, other: &Self) {
        self.responses += other.responses;
        for (a, b) in self.questions.iter_mut().zip(&other.questions) {
            a.merge(b);
        }
        for (a, b) in self.indices.iter_mut().zip(&other.indices) {
            a.merge(b);
        }
    }
}

/// The single pass: municipality code → counters.
fn tally<'r>(
    plans: &[QuestionPlan],
    index_plans: &[IndexPlan],
    responses: &'r ResponseTable,
    filter: &ResponseFilter,
) -> HashMap<&'r str, Group> {
    // The pass is cut into fixed pieces whose tallies are merged in piece order, not in whatever
    // order the threads finish: floating-point sums (the indices) then come out the same to the
    // last digit on every run and any number of cores. Pieces are formed a wave at a time, so
    // memory holds a wave's tallies, not every piece's.
    const PIECE: usize = 4096;
    const WAVE: usize = 8;
    let pieces: Vec<std::ops::Range<usize>> = (0..responses.len())
        .step_by(PIECE)
        .map(|start| start..(start + PIECE).min(responses.len()))
        .collect();
    let mut groups: HashMap<&'r str, Group> = HashMap::new();
    for wave in pieces.chunks(WAVE) {
        let tallies: Vec<HashMap<&'r str, Group>> = wave
            .par_iter()
            .map(|range| tally_piece(plans, index_plans, responses, filter, range.clone()))
            .collect();
        for piece in tallies {
            for (code, group) in piece {
                match groups.get_mut(code) {
                    Some(existing) => existing.merge(&group),
                    None => {
                        groups.insert(code, group);
                    }
                }
            }
        }
    }
    groups
}

/// The counters of the responses at `range` that `filter` selects, by municipality.
fn tally_piece<'r>(
    plans: &[QuestionPlan],
    index_plans: &[IndexPlan],
    responses: &'r ResponseTable,
    filter: &ResponseFilter,
    range: std::ops::Range<usize>,
) -> HashMap<&'r str, Group> {
    let mut groups: HashMap<&'r str, Group> = HashMap::new();
    let mut scratch = Scratch::default();
    for r in range.map(|i| responses.row(i)) {
        if !filter.matches_row(&r) {
            continue;
        }
        let group = groups
            .entry(r.municipality())
            .or_insert_with(|| Group::new(plans, index_plans));
        group.responses += 1;
        scratch.asked_answers.clear();
        for (plan, t) in plans.iter().zip(group.questions.iter_mut()) {
            let answer = r.answer(plan.position);
            let asked = r.asked(plan.position);
            t.add(plan, asked, answer);
            if asked
                && plan.other_code.is_some()
                && let Some(text) = r.other_text(plan.position)
            {
                t.add_other(plan, answer, text);
            }
            scratch.asked_answers.push(answer.filter(|_| asked));
        }
        for (plan, t) in index_plans.iter().zip(group.indices.iter_mut()) {
            t.add(plan, &scratch.asked_answers, &mut scratch.scores);
        }
    }
    groups
}

/// Buffers reused from one response to the next.
#[derive(Default)]
struct Scratch<'r> {
    /// Per question plan: the answer if the question was asked.
    asked_answers: Vec<Option<AnswerRef<'r>>>,
    /// Item scores of one index.
    scores: Vec<Option<f64>>,
}

fn build_report(
    form: &Form,
    filter: &ResponseFilter,
    plans: &[QuestionPlan],
    index_plans: &[IndexPlan],
    groups: HashMap<&str, Group>,
) -> StatsReport {
    let mut groups: Vec<(&str, Group)> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(b.0));
    let mut overall = Group::new(plans, index_plans);
    for (_, g) in &groups {
        overall.merge(g);
    }
    let codes: Vec<&str> = groups.iter().map(|(c, _)| *c).collect();
    let questions = plans
        .par_iter()
        .enumerate()
        .map(|(q, plan)| {
            let tallies: Vec<&QuestionTally> =
                groups.iter().map(|(_, g)| &g.questions[q]).collect();
            question_stats(plan, &overall.questions[q], &codes, &tallies)
        })
        .collect();
    let indices = index_plans
        .iter()
        .enumerate()
        .map(|(i, plan)| IndexStats {
            id: plan.def.id.clone(),
            method: plan.def.method,
            items: plan.def.items.clone(),
            overall: index::summary(plan, &overall.indices[i]),
            by_municipality: groups
                .iter()
                .map(|(code, g)| {
                    let summary = index::summary(plan, &g.indices[i]);
                    IndexMunicipality {
                        municipality: (*code).to_owned(),
                        small_base: summary.n < SMALL_BASE,
                        summary,
                    }
                })
                .collect(),
        })
        .collect();
    StatsReport {
        questionnaire: form.id().to_owned(),
        version: form.version().to_owned(),
        filter: filter.describe(),
        responses: overall.responses,
        problems: 0,
        invalid_parts: 0,
        municipalities: groups
            .iter()
            .map(|(code, g)| MunicipalityCount {
                municipality: (*code).to_owned(),
                responses: g.responses,
            })
            .collect(),
        questions,
        indices,
    }
}

fn question_stats(
    plan: &QuestionPlan,
    overall: &QuestionTally,
    codes: &[&str],
    tallies: &[&QuestionTally],
) -> QuestionStats {
    let summary = summarise::summary(plan, overall);
    let option_codes: Vec<String> = summary.options.iter().map(|o| o.code.clone()).collect();
    let by_municipality = codes
        .iter()
        .zip(tallies)
        .map(|(code, t)| {
            let s = summarise::summary(plan, t);
            MunicipalitySummary {
                municipality: (*code).to_owned(),
                small_base: s.n < SMALL_BASE,
                summary: s,
            }
        })
        .collect();
    let (chi_square, chi_square_reason) =
        match summarise::chi_square(plan, codes, tallies, &option_codes) {
            Ok(c) => (Some(c), None),
            Err(why) => (None, Some(why)),
        };
    QuestionStats {
        id: plan.id.clone(),
        kind: plan.kind,
        overall: summary,
        by_municipality,
        chi_square,
        chi_square_reason,
    }
}
