//! Turning tallies into the report's figures.

use super::accumulate::QuestionTally;
use super::estimate::{self, mean_sd, percent, quantile_sorted, t_interval, wilson};
use super::plan::{Coding, QuestionPlan};
use super::report::{ChiSquare, OptionStats, Summary, TextCount, TopBox};

/// How many text answers are listed.
pub const TOP_TEXTS: usize = 10;

/// The figures of one question from its tally.
pub(crate) fn summary(plan: &QuestionPlan, tally: &QuestionTally) -> Summary {
    let mut s = Summary {
        asked: tally.asked(),
        n: tally.n,
        dont_know: tally.dont_know,
        refused: tally.refused,
        not_asked: tally.not_asked,
        no_answer: tally.no_answer,
        invalid: tally.invalid,
        ..Summary::default()
    };
    if s.asked == 0 {
        s.reasons.insert(
            "n".to_owned(),
            "the question was not asked in any selected response".to_owned(),
        );
    } else if s.n == 0 {
        s.reasons.insert(
            "n".to_owned(),
            "no substantive answers (only don't know, refused or empty)".to_owned(),
        );
    }
    options(plan, tally, &mut s);
    if plan.is_numeric() {
        numeric(plan, tally, &mut s);
    }
    if matches!(plan.coding, Coding::Multiple { .. }) {
        s.mean_choices = (tally.n > 0).then(|| tally.chosen as f64 / tally.n as f64);
        note_missing(
            &mut s.reasons,
            "mean_choices",
            s.mean_choices.is_none(),
            tally.n,
        );
    }
    if matches!(plan.coding, Coding::Text) {
        s.non_empty = Some(tally.n);
        s.top_answers = top_texts(tally);
    } else if plan.other_code.is_some() {
        s.other_texts = top_texts(tally);
    }
    s
}

fn options(plan: &QuestionPlan, tally: &QuestionTally, s: &mut Summary) {
    let n = tally.n;
    s.options = match &plan.coding {
        Coding::Single { codes, .. } | Coding::Multiple { codes } => codes
            .iter()
            .zip(&tally.counts)
            .enumerate()
            .map(|(i, (code, &count))| option(code.clone(), plan.option_value(i), count, n))
            .collect(),
        Coding::Scale { .. } => tally
            .counts
            .iter()
            .enumerate()
            .map(|(i, &count)| {
                let value = plan.option_value(i);
                let code = value.map_or_else(String::new, |v| format!("{v}"));
                option(code, value, count, n)
            })
            .collect(),
        Coding::Municipality => {
            let mut codes: Vec<(&String, &u64)> = tally.texts.iter().collect();
            codes.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            codes
                .into_iter()
                .map(|(code, &count)| option(code.clone(), None, count, n))
                .collect()
        }
        Coding::Number | Coding::Text => Vec::new(),
    };
}

fn option(code: String, value: Option<f64>, count: u64, n: u64) -> OptionStats {
    OptionStats {
        code,
        value,
        count,
        percent: percent(count, n),
        ci95: wilson(count, n),
    }
}

fn numeric(plan: &QuestionPlan, tally: &QuestionTally, s: &mut Summary) {
    let table = tally.numeric_table(plan);
    let n: u64 = table.iter().map(|&(_, c)| c).sum();
    if let Some((mean, sd)) = mean_sd(&table) {
        s.mean = Some(mean);
        s.sd = sd;
        s.ci95_mean = sd.and_then(|sd| t_interval(mean, sd, n));
        s.median = quantile_sorted(&table, 0.5);
        s.q1 = quantile_sorted(&table, 0.25);
        s.q3 = quantile_sorted(&table, 0.75);
        s.min = table.first().map(|&(v, _)| v);
        s.max = table.last().map(|&(v, _)| v);
    }
    for figure in ["mean", "median", "q1", "q3", "min", "max"] {
        note_missing(&mut s.reasons, figure, s.mean.is_none(), n);
    }
    for figure in ["sd", "ci95_mean"] {
        let missing = if figure == "sd" {
            s.sd.is_none()
        } else {
            s.ci95_mean.is_none()
        };
        note_missing(&mut s.reasons, figure, missing, n);
    }
    if let Some(from) = plan.top_box_from() {
        let count = table
            .iter()
            .filter(|&&(v, _)| v >= from)
            .map(|&(_, c)| c)
            .sum();
        s.top2 = Some(TopBox {
            from,
            count,
            percent: percent(count, n),
            ci95: wilson(count, n),
        });
    }
}

/// Records why a figure that applies is missing: no answers, or (for spread) only one.
fn note_missing(
    reasons: &mut std::collections::BTreeMap<String, String>,
    figure: &str,
    missing: bool,
    n: u64,
) {
    if !missing {
        return;
    }
    let why = match n {
        0 => "no substantive answers",
        1 => "only one substantive answer: no estimate of spread",
        _ => "cannot be computed from these answers",
    };
    reasons.insert(figure.to_owned(), why.to_owned());
}

fn top_texts(tally: &QuestionTally) -> Vec<TextCount> {
    let mut texts: Vec<TextCount> = tally
        .texts
        .iter()
        .map(|(text, &count)| TextCount {
            text: text.clone(),
            count,
        })
        .collect();
    texts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    texts.truncate(TOP_TEXTS);
    texts
}

/// The cross-tab of a single or scale question with the municipality, or why there is none.
///
/// `columns` are the municipality codes in the order of `tallies`.
pub(crate) fn chi_square(
    plan: &QuestionPlan,
    columns: &[&str],
    tallies: &[&QuestionTally],
    option_codes: &[String],
) -> Result<ChiSquare, String> {
    if !matches!(plan.coding, Coding::Single { .. } | Coding::Scale { .. }) {
        return Err(format!(
            "cross-tabs with the municipality are computed for single and scale questions, not {}",
            plan.kind.as_str()
        ));
    }
    let kept_cols: Vec<usize> = (0..tallies.len()).filter(|&c| tallies[c].n > 0).collect();
    let kept_rows: Vec<usize> = (0..option_codes.len())
        .filter(|&r| kept_cols.iter().any(|&c| tallies[c].counts[r] > 0))
        .collect();
    let observed: Vec<Vec<u64>> = kept_rows
        .iter()
        .map(|&r| kept_cols.iter().map(|&c| tallies[c].counts[r]).collect())
        .collect();
    if kept_cols.len() < 2 {
        return Err(match kept_cols.len() {
            0 => "no substantive answers".to_owned(),
            _ => "only one municipality has answers: nothing to compare".to_owned(),
        });
    }
    let test = estimate::pearson(&observed)?;
    Ok(ChiSquare {
        statistic: test.statistic,
        df: test.df,
        p_value: test.p_value,
        cramers_v: test.cramers_v,
        low_expected_cells: test.low_expected_cells,
        rows: kept_rows.iter().map(|&r| option_codes[r].clone()).collect(),
        columns: kept_cols.iter().map(|&c| columns[c].to_owned()).collect(),
        observed,
    })
}
