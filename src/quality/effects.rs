//! Interviewer effects: an interviewer whose answer distribution differs sharply from the rest.
//!
//! For every interviewer with enough interviews and every key single-choice question, a 2 × k
//! table (this interviewer vs all others, by answer code; don't know and refused together as
//! one column) is tested with Pearson's chi-square. With many interviewers and questions some
//! tests are "significant" by chance, so p-values are Bonferroni-adjusted over all tests run,
//! and the report notes how many tests that was.

use std::collections::BTreeMap;

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::{Check, Flag, Prepared, QualityReport, Thresholds};
use crate::questionnaire::{Answer, Form, QuestionType};

/// Pearson's chi-square on a 2 × k table; returns (statistic, df, smallest expected count).
/// Columns with no observations are dropped. `None` when fewer than two columns remain.
pub fn chi_square_2xk(group: &[u64], rest: &[u64]) -> Option<(f64, f64, f64)> {
    let cols: Vec<(f64, f64)> = group
        .iter()
        .zip(rest)
        .filter(|(a, b)| **a + **b > 0)
        .map(|(a, b)| (*a as f64, *b as f64))
        .collect();
    let (n1, n2): (f64, f64) = cols.iter().fold((0.0, 0.0), |(x, y), c| (x + c.0, y + c.1));
    let n = n1 + n2;
    if cols.len() < 2 || n1 == 0.0 || n2 == 0.0 {
        return None;
    }
    let mut stat = 0.0;
    let mut min_expected = f64::INFINITY;
    for (a, b) in &cols {
        let col = a + b;
        for (observed, row) in [(a, n1), (b, n2)] {
            let expected = row * col / n;
            min_expected = min_expected.min(expected);
            stat += (observed - expected).powi(2) / expected;
        }
    }
    Some((stat, (cols.len() - 1) as f64, min_expected))
}

/// The column of an answer: its choice index, or the last column for a special answer.
fn column(form: &Form, pos: usize, answer: &Answer) -> Option<usize> {
    let choices = form.choices(&form.questions()[pos]);
    match answer {
        Answer::Text(code) => choices.iter().position(|c| &c.code == code),
        Answer::Special(_) => Some(choices.len()),
        _ => None,
    }
}

fn key_questions(form: &Form, t: &Thresholds) -> Vec<usize> {
    if t.effect_questions.is_empty() {
        (0..form.questions().len())
            .filter(|&p| form.questions()[p].kind == QuestionType::Single)
            .collect()
    } else {
        t.effect_questions
            .iter()
            .filter_map(|id| form.position(id))
            .collect()
    }
}

pub(super) fn interviewer_effects(
    form: &Form,
    items: &[Prepared<'_>],
    t: &Thresholds,
    report: &mut QualityReport,
) {
    let questions = key_questions(form, t);
    let mut by_interviewer: BTreeMap<&str, Vec<&Prepared<'_>>> = BTreeMap::new();
    for p in items {
        by_interviewer
            .entry(&p.response.interviewer)
            .or_default()
            .push(p);
    }
    // Per question: the total table, from which "the rest" is this minus the interviewer's.
    let tables = |members: &[&Prepared<'_>]| -> Vec<Vec<u64>> {
        questions
            .iter()
            .map(|&pos| {
                let mut counts = vec![0u64; form.choices(&form.questions()[pos]).len() + 1];
                for p in members {
                    if let Some(col) = p.asked[pos].and_then(|a| column(form, pos, a)) {
                        counts[col] += 1;
                    }
                }
                counts
            })
            .collect()
    };
    let everyone: Vec<&Prepared<'_>> = items.iter().collect();
    let totals = tables(&everyone);
    let mut results = Vec::new();
    for (who, members) in &by_interviewer {
        let rest_size = items.len() - members.len();
        if members.len() < t.effect_min_interviews || rest_size < t.effect_min_interviews {
            continue;
        }
        for (q, own) in tables(members).into_iter().enumerate() {
            let rest: Vec<u64> = totals[q].iter().zip(&own).map(|(a, b)| a - b).collect();
            if let Some((stat, df, min_e)) = chi_square_2xk(&own, &rest) {
                results.push((*who, q, stat, df, min_e, own, rest));
            }
        }
    }
    let tests = results.len();
    if tests == 0 {
        report.notes.push(format!(
            "interviewer effects: not tested (needs interviewers with at least {} interviews and as many by the others)",
            t.effect_min_interviews
        ));
        return;
    }
    let mut small = 0;
    for (who, q, stat, df, min_e, own, rest) in results {
        let p = ChiSquared::new(df).map_or(1.0, |d| d.sf(stat));
        let adjusted = (p * tests as f64).min(1.0);
        small += usize::from(min_e < 5.0);
        if adjusted < t.effect_alpha {
            let pos = questions[q];
            let reason = format!(
                "{}: χ²={stat:.1}, df={df}, p={p:.2e}, Bonferroni p={adjusted:.2e}; {}",
                form.questions()[pos].id,
                biggest_difference(form, pos, &own, &rest)
            );
            report.flags.push(Flag {
                check: Check::InterviewerEffect,
                response_id: None,
                interviewer: who.to_owned(),
                municipality: String::new(),
                reason,
            });
        }
    }
    report.notes.push(format!(
        "interviewer effects: {tests} chi-square tests (interviewers × questions); p-values are \
         Bonferroni-adjusted so that the chance of any false flag is at most {}; {small} tests had \
         expected counts under 5, where the chi-square approximation is rough. Interviewers also \
         differ because they work in different places: compare within a municipality before acting.",
        t.effect_alpha
    ));
}

/// "code: 62% vs 20% for the others" for the answer whose share differs most.
fn biggest_difference(form: &Form, pos: usize, own: &[u64], rest: &[u64]) -> String {
    let (n1, n2) = (
        own.iter().sum::<u64>() as f64,
        rest.iter().sum::<u64>() as f64,
    );
    let choices = form.choices(&form.questions()[pos]);
    let mut best = (0.0, 0);
    for i in 0..own.len() {
        let diff = (own[i] as f64 / n1 - rest[i] as f64 / n2).abs();
        if diff > best.0 {
            best = (diff, i);
        }
    }
    let i = best.1;
    let code = choices
        .get(i)
        .map_or("don't know/refused", |c| c.code.as_str());
    format!(
        "`{code}` {:.0}% vs {:.0}% for the others",
        own[i] as f64 * 100.0 / n1,
        rest[i] as f64 * 100.0 / n2
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from scipy 1.x:
    //   from scipy.stats import chi2_contingency
    //   r = chi2_contingency([[10,20,30],[25,25,10]], correction=False)
    //   r.statistic == 16.984126984126984, r.pvalue == 0.00020508962237123583, r.dof == 2,
    //   r.expected_freq.min() == 17.5
    //   chi2_contingency([[5,15],[30,50]], correction=False) -> 1.0989010989010988,
    //   p 0.29450739368010725, dof 1, min expected 7.0
    #[test]
    fn chi_square_matches_scipy() {
        let (stat, df, min_e) = chi_square_2xk(&[10, 20, 30], &[25, 25, 10]).unwrap();
        assert!((stat - 16.984126984126984).abs() < 1e-9);
        assert_eq!(df, 2.0);
        assert!((min_e - 17.5).abs() < 1e-12);
        let p = ChiSquared::new(df).unwrap().sf(stat);
        assert!((p - 0.00020508962237123583).abs() < 1e-12);
        // An empty column is dropped, as scipy requires before testing.
        let (stat, df, min_e) = chi_square_2xk(&[5, 0, 15], &[30, 0, 50]).unwrap();
        assert!((stat - 1.0989010989010988).abs() < 1e-9);
        assert_eq!(df, 1.0);
        assert!((min_e - 7.0).abs() < 1e-12);
        let p = ChiSquared::new(df).unwrap().sf(stat);
        assert!((p - 0.29450739368010725).abs() < 1e-9);
    }

    #[test]
    fn degenerate_tables_are_not_tested() {
        assert!(chi_square_2xk(&[5, 0], &[9, 0]).is_none());
        assert!(chi_square_2xk(&[0, 0], &[9, 3]).is_none());
    }
}
