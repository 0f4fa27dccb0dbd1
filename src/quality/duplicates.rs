//! Near-duplicate interviews: the same answers to nearly every question.
//!
//! Comparing every pair is quadratic (5·10⁹ pairs for 100,000 interviews), so candidates are
//! found first by bucketing. The compared questions are dealt into `b` groups, and two
//! interviews become candidates when all their answers in some group are equal (same hash).
//! With `b` one more than the number of differences the threshold allows, two interviews over
//! the threshold always agree on at least one whole group (pigeonhole), so no such pair with
//! the same questions answered is missed. Questions are dealt round-robin so that every group
//! mixes low- and high-variety questions and buckets stay small.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::{Check, Prepared, QualityReport, Thresholds};
use crate::questionnaire::{Answer, Form, QuestionType};

/// A token per compared question: the hash of the answer, or `None` when not answered.
fn tokens(p: &Prepared<'_>, compared: &[usize]) -> Vec<Option<u64>> {
    compared
        .iter()
        .map(|&pos| p.asked[pos].map(answer_hash))
        .collect()
}

fn answer_hash(answer: &Answer) -> u64 {
    let mut h = DefaultHasher::new();
    match answer {
        Answer::Text(s) => (0u8, s).hash(&mut h),
        Answer::Number(n) => (1u8, n.to_bits()).hash(&mut h),
        Answer::Codes(c) => (2u8, c).hash(&mut h),
        Answer::Special(s) => (3u8, s).hash(&mut h),
    }
    h.finish()
}

/// (identical answers, questions both answered).
fn agreement(a: &[Option<u64>], b: &[Option<u64>]) -> (usize, usize) {
    a.iter()
        .zip(b)
        .fold((0, 0), |(same, common), pair| match pair {
            (Some(x), Some(y)) => (same + usize::from(x == y), common + 1),
            _ => (same, common),
        })
}

pub(super) fn near_duplicates(
    form: &Form,
    items: &[Prepared<'_>],
    t: &Thresholds,
    report: &mut QualityReport,
) {
    // Free text rarely repeats and notes hold nothing: compare every other question.
    let compared: Vec<usize> = form
        .questions()
        .iter()
        .enumerate()
        .filter(|(_, q)| !matches!(q.kind, QuestionType::Note | QuestionType::Text))
        .map(|(pos, _)| pos)
        .collect();
    if compared.is_empty() || items.len() < 2 {
        return;
    }
    let all: Vec<Vec<Option<u64>>> = items.par_iter().map(|p| tokens(p, &compared)).collect();
    let allowed_differences = ((1.0 - t.duplicate_share) * compared.len() as f64).floor() as usize;
    let groups = (allowed_differences + 1).min(compared.len());
    let mut candidates: HashSet<(u32, u32)> = HashSet::new();
    for g in 0..groups {
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, toks) in all.iter().enumerate() {
            // Too few answers to be compared (a screened-out interview): not a candidate.
            if toks.iter().flatten().count() < t.duplicate_min_common {
                continue;
            }
            let mut h = DefaultHasher::new();
            toks.iter()
                .skip(g)
                .step_by(groups)
                .for_each(|t| t.hash(&mut h));
            buckets.entry(h.finish()).or_default().push(i as u32);
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    candidates.insert((a, b));
                }
            }
        }
    }
    let mut pairs: Vec<(u32, u32)> = candidates.into_iter().collect();
    pairs.sort_unstable();
    let found: Vec<(u32, u32, usize, usize)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (same, common) = agreement(&all[a as usize], &all[b as usize]);
            let close = common >= t.duplicate_min_common
                && same as f64 >= t.duplicate_share * common as f64;
            close.then_some((a, b, same, common))
        })
        .collect();
    for (a, b, same, common) in found {
        let (first, second) = order_by_start(&items[a as usize], &items[b as usize]);
        let reason = format!(
            "{same} of {common} answers identical ({:.0}%) to interview {} by {} in {}",
            same as f64 * 100.0 / common as f64,
            first.response.id,
            first.response.interviewer,
            first.response.municipality
        );
        report.flags.push(second.flag(Check::NearDuplicate, reason));
    }
}

/// The pair with the earlier-started interview first: the later one is flagged as the copy.
fn order_by_start<'a, 'b>(
    a: &'a Prepared<'b>,
    b: &'a Prepared<'b>,
) -> (&'a Prepared<'b>, &'a Prepared<'b>) {
    if (b.response.started_at, b.response.id) < (a.response.started_at, a.response.id) {
        (b, a)
    } else {
        (a, b)
    }
}
