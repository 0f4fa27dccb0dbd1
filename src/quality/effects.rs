//! Interviewer effects: an interviewer whose answer distribution differs sharply from the rest.
//!
//! For every interviewer with enough interviews and every key single-choice question, a 2 × k
//! table (this interviewer vs all others, by answer code; don't know and refused together as
//! one column) is tested with Pearson's chi-square. With many interviewers and questions some
//! tests are "significant" by chance, so p-values are Bonferroni-adjusted over all tests run,
//! and the report notes how many tests that was.

use std::collections::{BTreeMap, HashMap};

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

/// Interviewer → (interviews, one table of answer counts per key question). A table's columns
/// are the question's choices in order, then one for don't know and refused together.
fn count_tables<'a>(
    form: &Form,
    questions: &[usize],
    items: &[Prepared<'a>],
) -> BTreeMap<&'a str, (usize, Vec<Vec<u64>>)> {
    // Code → column, looked up once per question rather than once per answer.
    let columns: Vec<HashMap<&str, usize>> = questions
        .iter()
        .map(|&pos| {
            let choices = form.choices(&form.questions()[pos]);
            choices
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.as_str(), i))
                .collect()
        })
        .collect();
    let empty: Vec<Vec<u64>> = columns.iter().map(|c| vec![0; c.len() + 1]).collect();
    let mut tables: BTreeMap<&'a str, (usize, Vec<Vec<u64>>)> = BTreeMap::new();
    for p in items {
        let entry = tables
            .entry(p.response.interviewer.as_str())
            .or_insert_with(|| (0, empty.clone()));
        entry.0 += 1;
        for (q, &pos) in questions.iter().enumerate() {
            let col = match p.asked[pos] {
                Some(Answer::Text(code)) => columns[q].get(code.as_str()).copied(),
                Some(Answer::Special(_)) => Some(columns[q].len()),
                _ => None,
            };
            if let Some(col) = col {
                entry.1[q][col] += 1;
            }
        }
    }
    tables
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

/// One interviewer × question test.
struct TestResult<'a> {
    who: &'a str,
    /// Index into the key questions.
    q: usize,
    stat: f64,
    df: f64,
    min_expected: f64,
    own: Vec<u64>,
    rest: Vec<u64>,
}

/// Tests every interviewer with enough interviews (and enough by the others) on every key
/// question.
fn run_tests<'a>(
    form: &Form,
    questions: &[usize],
    items: &[Prepared<'a>],
    t: &Thresholds,
) -> Vec<TestResult<'a>> {
    let tables = count_tables(form, questions, items);
    let totals: Vec<Vec<u64>> = (0..questions.len())
        .map(|q| {
            let width = tables.values().next().map_or(0, |(_, t)| t[q].len());
            (0..width)
                .map(|c| tables.values().map(|(_, t)| t[q][c]).sum())
                .collect()
        })
        .collect();
    let mut results = Vec::new();
    for (who, (interviews, own_tables)) in tables {
        let rest_size = items.len() - interviews;
        if interviews < t.effect_min_interviews || rest_size < t.effect_min_interviews {
            continue;
        }
        for (q, own) in own_tables.into_iter().enumerate() {
            let rest: Vec<u64> = totals[q].iter().zip(&own).map(|(a, b)| a - b).collect();
            if let Some((stat, df, min_expected)) = chi_square_2xk(&own, &rest) {
                results.push(TestResult {
                    who,
                    q,
                    stat,
                    df,
                    min_expected,
                    own,
                    rest,
                });
            }
        }
    }
    results
}

pub(super) fn interviewer_effects(
    form: &Form,
    items: &[Prepared<'_>],
    t: &Thresholds,
    report: &mut QualityReport,
) {
    let questions = key_questions(form, t);
    let results = run_tests(form, &questions, items, t);
    let tests = results.len();
    if tests == 0 {
        report.notes.push(format!(
            "interviewer effects: not tested (needs interviewers with at least {} interviews and as many by the others)",
            t.effect_min_interviews
        ));
        return;
    }
    let mut small = 0;
    for TestResult {
        who,
        q,
        stat,
        df,
        min_expected,
        own,
        rest,
    } in results
    {
        let p = ChiSquared::new(df).map_or(1.0, |d| d.sf(stat));
        let adjusted = (p * tests as f64).min(1.0);
        small += usize::from(min_expected < 5.0);
        if adjusted < t.effect_alpha {
            let pos = questions[q];
            let id = &form.questions()[pos].id;
            let (code, own_pct, rest_pct) = biggest_difference(form, pos, &own, &rest);
            let test = format!("{id}: χ²={stat:.1}, df={df}, p={p:.2e}");
            report.flags.push(Flag {
                check: Check::InterviewerEffect,
                response_id: None,
                interviewer: who.to_owned(),
                municipality: String::new(),
                reason: format!(
                    "{test}, Bonferroni p={adjusted:.2e}; {} {own_pct:.0}% vs {rest_pct:.0}% for the others",
                    code.as_deref().unwrap_or("don't know/refused")
                ),
                reason_bg: format!(
                    "{test}, p по Бонферони={adjusted:.2e}; {} {own_pct:.0}% срещу {rest_pct:.0}% при останалите",
                    code.as_deref().unwrap_or("„не знам“/отказ")
                ),
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
/// The answer whose share differs most between an interviewer (`own`) and the others (`rest`):
/// its code in backquotes (`None` for don't know/refused), and the two percentages.
fn biggest_difference(
    form: &Form,
    pos: usize,
    own: &[u64],
    rest: &[u64],
) -> (Option<String>, f64, f64) {
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
    let code = choices.get(i).map(|c| format!("`{}`", c.code));
    (
        code,
        own[i] as f64 * 100.0 / n1,
        rest[i] as f64 * 100.0 / n2,
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
