//! Near-duplicate interviews: the same answers to nearly every question.
//!
//! Comparing every pair is quadratic (5·10⁹ pairs for 100,000 interviews), so candidates are
//! found first by bucketing. The compared questions are dealt into `b` groups, and two
//! interviews become candidates when all their answers in some group are equal (same hash).
//! With `b` one more than the number of differences the threshold allows, two interviews over
//! the threshold always agree on at least one whole group (pigeonhole), so no such pair with
//! the same questions answered is missed. Questions are dealt so that every group has about the
//! same entropy (measured on the data), which keeps buckets small; buckets are found by sorting
//! hashes, and each bucket's pairs are compared at once, in parallel, without storing them.

use std::collections::BTreeSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::{Check, Prepared, QualityReport, Thresholds};
use crate::i18n::{Plural, bg};
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
    let groups = balanced_groups(&all, (allowed_differences + 1).min(compared.len()));
    // Too few answers to be compared (a screened-out interview): never a candidate.
    let comparable: Vec<u32> = (0..all.len())
        .filter(|&i| all[i].iter().flatten().count() >= t.duplicate_min_common)
        .map(|i| i as u32)
        .collect();
    let mut found: BTreeSet<(u32, u32, usize, usize)> = BTreeSet::new();
    for group in &groups {
        found.extend(close_pairs_in_buckets(&all, &comparable, group, t));
    }
    for (a, b, same, common) in found {
        let (first, second) = order_by_start(&items[a as usize], &items[b as usize]);
        let percent = same as f64 * 100.0 / common as f64;
        let (id, who, place) = (
            first.response.id,
            &first.response.interviewer,
            &first.response.municipality,
        );
        let reason = format!(
            "{same} of {common} answers identical ({percent:.0}%) to interview {id} by {who} in {place}"
        );
        let (answers, agree) = (bg::ANSWERS.fill(common), SAME.form(same));
        let reason_bg = format!(
            "{same} от {answers} {agree} ({percent:.0}%) с интервю {id} на {who} в {place}"
        );
        report
            .flags
            .push(second.flag(Check::NearDuplicate, reason, reason_bg));
    }
}

/// "1 от 30 отговора съвпада", "2 от 30 отговора съвпадат".
const SAME: Plural = Plural::new("съвпада", "съвпадат");

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

/// Deals question indices into `n` groups of about equal entropy (greedy, highest entropy
/// first), so that no group is made only of questions nearly everyone answers alike; such a
/// group would put most interviews in one bucket and make the search quadratic.
fn balanced_groups(all: &[Vec<Option<u64>>], n: usize) -> Vec<Vec<usize>> {
    let width = all.first().map_or(0, Vec::len);
    let mut entropy: Vec<(f64, usize)> = (0..width)
        .into_par_iter()
        .map(|q| {
            let mut counts: std::collections::HashMap<Option<u64>, usize> = Default::default();
            for row in all {
                *counts.entry(row[q]).or_default() += 1;
            }
            let total = all.len() as f64;
            let h: f64 = counts
                .values()
                .map(|&c| {
                    let p = c as f64 / total;
                    -p * p.log2()
                })
                .sum();
            (h, q)
        })
        .collect();
    entropy.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut groups: Vec<(f64, Vec<usize>)> = vec![(0.0, Vec::new()); n.max(1)];
    for (h, q) in entropy {
        // An empty group would match every pair: fill each group first, then the lightest.
        let lightest = groups
            .iter_mut()
            .min_by(|a, b| {
                (!a.1.is_empty())
                    .cmp(&!b.1.is_empty())
                    .then(a.0.total_cmp(&b.0))
            })
            .map(|g| {
                g.0 += h;
                &mut g.1
            });
        if let Some(members) = lightest {
            members.push(q);
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Interviews with equal answers on every question of `group` are compared pairwise; returns
/// the pairs over the threshold as (a, b, identical, both answered) with a < b.
fn close_pairs_in_buckets(
    all: &[Vec<Option<u64>>],
    comparable: &[u32],
    group: &[usize],
    t: &Thresholds,
) -> Vec<(u32, u32, usize, usize)> {
    let mut keyed: Vec<(u64, u32)> = comparable
        .par_iter()
        .map(|&i| {
            let mut h = DefaultHasher::new();
            group.iter().for_each(|&q| all[i as usize][q].hash(&mut h));
            (h.finish(), i)
        })
        .collect();
    keyed.par_sort_unstable();
    let buckets: Vec<&[(u64, u32)]> = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .collect();
    buckets
        .par_iter()
        .flat_map_iter(|run| {
            let mut close = Vec::new();
            for (k, &(_, a)) in run.iter().enumerate() {
                for &(_, b) in &run[k + 1..] {
                    let (same, common) = agreement(&all[a as usize], &all[b as usize]);
                    if common >= t.duplicate_min_common
                        && same as f64 >= t.duplicate_share * common as f64
                    {
                        close.push((a.min(b), a.max(b), same, common));
                    }
                }
            }
            close
        })
        .collect()
}
