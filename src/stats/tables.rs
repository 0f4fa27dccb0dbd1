//! The report as flat tables (header + rows of text), the shape of `anketa stats --csv DIR`.
//!
//! Each table has one row per figure group and a `municipality` column that is `all` for the
//! overall figures, so that a spreadsheet filter gives either view. Numbers are rounded for
//! printing (percentages to 0.1, means to 0.01, p-values to 0.0001); the JSON output keeps full
//! precision. An empty cell is a figure that could not be computed.

use super::report::{
    ChiSquare, IndexStats, IndexSummary, OptionStats, QuestionStats, StatsReport, Summary,
};
use crate::municipality;

/// The `municipality` value of overall rows.
pub const ALL: &str = "all";

/// One table of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// File stem, e.g. `questions` for `questions.csv`.
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// Every table of `report`: questions, options, chi_square, crosstabs, texts, indices.
pub fn tables(report: &StatsReport, lang: &str) -> Vec<Table> {
    vec![
        questions(report, lang),
        options(report, lang),
        tests(report),
        crosstabs(report),
        texts(report),
        indices(report, lang),
    ]
}

/// A number with `decimals` places, or an empty cell.
pub fn fmt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

fn name(code: &str, lang: &str) -> String {
    if code == ALL {
        return String::new();
    }
    municipality::bundled()
        .get(code)
        .map_or_else(String::new, |m| m.name(lang).to_owned())
}

/// (municipality code, summary, small_base) for the overall figures and each municipality.
fn groups(q: &QuestionStats) -> impl Iterator<Item = (&str, &Summary, Option<bool>)> {
    std::iter::once((ALL, &q.overall, None)).chain(
        q.by_municipality
            .iter()
            .map(|m| (m.municipality.as_str(), &m.summary, Some(m.small_base))),
    )
}

fn questions(report: &StatsReport, lang: &str) -> Table {
    let headers = vec![
        "question",
        "type",
        "municipality",
        "municipality_name",
        "asked",
        "n",
        "dont_know",
        "refused",
        "not_asked",
        "no_answer",
        "invalid",
        "small_base",
        "mean",
        "sd",
        "ci95_mean_low",
        "ci95_mean_high",
        "median",
        "q1",
        "q3",
        "min",
        "max",
        "top2_from",
        "top2_count",
        "top2_percent",
        "top2_ci95_low",
        "top2_ci95_high",
        "mean_choices",
        "non_empty",
    ];
    let mut rows = Vec::new();
    for q in &report.questions {
        for (code, s, small) in groups(q) {
            let top = s.top2.as_ref();
            let ci = s.ci95_mean.map(|c| c[0]);
            let ci_hi = s.ci95_mean.map(|c| c[1]);
            rows.push(vec![
                q.id.clone(),
                q.kind.as_str().to_owned(),
                code.to_owned(),
                name(code, lang),
                s.asked.to_string(),
                s.n.to_string(),
                s.dont_know.to_string(),
                s.refused.to_string(),
                s.not_asked.to_string(),
                s.no_answer.to_string(),
                s.invalid.to_string(),
                small.map_or_else(String::new, |b| b.to_string()),
                fmt(s.mean, 2),
                fmt(s.sd, 2),
                fmt(ci, 2),
                fmt(ci_hi, 2),
                fmt(s.median, 2),
                fmt(s.q1, 2),
                fmt(s.q3, 2),
                fmt(s.min, 2),
                fmt(s.max, 2),
                fmt(top.map(|t| t.from), 0),
                top.map_or_else(String::new, |t| t.count.to_string()),
                fmt(top.and_then(|t| t.percent), 1),
                fmt(top.and_then(|t| t.ci95).map(|c| c[0]), 1),
                fmt(top.and_then(|t| t.ci95).map(|c| c[1]), 1),
                fmt(s.mean_choices, 2),
                s.non_empty.map_or_else(String::new, |n| n.to_string()),
            ]);
        }
    }
    Table {
        name: "questions",
        headers,
        rows,
    }
}

fn option_row(q: &QuestionStats, code: &str, lang: &str, n: u64, o: &OptionStats) -> Vec<String> {
    vec![
        q.id.clone(),
        code.to_owned(),
        name(code, lang),
        o.code.clone(),
        o.count.to_string(),
        n.to_string(),
        fmt(o.percent, 1),
        fmt(o.ci95.map(|c| c[0]), 1),
        fmt(o.ci95.map(|c| c[1]), 1),
    ]
}

fn options(report: &StatsReport, lang: &str) -> Table {
    let headers = vec![
        "question",
        "municipality",
        "municipality_name",
        "option",
        "count",
        "n",
        "percent",
        "ci95_low",
        "ci95_high",
    ];
    let rows = report
        .questions
        .iter()
        .flat_map(|q| {
            groups(q).flat_map(move |(code, s, _)| {
                s.options
                    .iter()
                    .map(move |o| option_row(q, code, lang, s.n, o))
            })
        })
        .collect();
    Table {
        name: "options",
        headers,
        rows,
    }
}

fn tests(report: &StatsReport) -> Table {
    let headers = vec![
        "question",
        "statistic",
        "df",
        "p_value",
        "cramers_v",
        "low_expected_cells",
        "options",
        "municipalities",
        "reason",
    ];
    let rows = report
        .questions
        .iter()
        .map(|q| match &q.chi_square {
            Some(c) => vec![
                q.id.clone(),
                format!("{:.3}", c.statistic),
                c.df.to_string(),
                format!("{:.4}", c.p_value),
                format!("{:.3}", c.cramers_v),
                c.low_expected_cells.to_string(),
                c.rows.len().to_string(),
                c.columns.len().to_string(),
                String::new(),
            ],
            None => {
                let mut row = vec![q.id.clone()];
                row.extend(std::iter::repeat_n(String::new(), 7));
                row.push(q.chi_square_reason.clone().unwrap_or_default());
                row
            }
        })
        .collect();
    Table {
        name: "chi_square",
        headers,
        rows,
    }
}

fn crosstab_rows(id: &str, c: &ChiSquare) -> impl Iterator<Item = Vec<String>> {
    c.rows.iter().enumerate().flat_map(move |(r, option)| {
        c.columns.iter().enumerate().map(move |(col, muni)| {
            vec![
                id.to_owned(),
                option.clone(),
                muni.clone(),
                c.observed[r][col].to_string(),
                format!("{:.3}", c.statistic),
                c.df.to_string(),
                format!("{:.4}", c.p_value),
                format!("{:.3}", c.cramers_v),
                c.low_expected_cells.to_string(),
            ]
        })
    })
}

fn crosstabs(report: &StatsReport) -> Table {
    let headers = vec![
        "question",
        "option",
        "municipality",
        "observed",
        "chi_square",
        "df",
        "p_value",
        "cramers_v",
        "low_expected_cells",
    ];
    let rows = report
        .questions
        .iter()
        .filter_map(|q| q.chi_square.as_ref().map(|c| crosstab_rows(&q.id, c)))
        .flatten()
        .collect();
    Table {
        name: "crosstabs",
        headers,
        rows,
    }
}

fn texts(report: &StatsReport) -> Table {
    let headers = vec!["question", "kind", "rank", "text", "count"];
    let rows = report
        .questions
        .iter()
        .flat_map(|q| {
            let answers = q.overall.top_answers.iter().map(|t| ("answer", t));
            let others = q.overall.other_texts.iter().map(|t| ("other", t));
            answers.chain(others).enumerate().map(|(i, (kind, t))| {
                vec![
                    q.id.clone(),
                    kind.to_owned(),
                    (i + 1).to_string(),
                    t.text.clone(),
                    t.count.to_string(),
                ]
            })
        })
        .collect();
    Table {
        name: "texts",
        headers,
        rows,
    }
}

fn index_row(
    i: &IndexStats,
    code: &str,
    lang: &str,
    s: &IndexSummary,
    small: Option<bool>,
) -> Vec<String> {
    let any = s.share_any.as_ref();
    vec![
        i.id.clone(),
        code.to_owned(),
        name(code, lang),
        s.n.to_string(),
        small.map_or_else(String::new, |b| b.to_string()),
        fmt(s.mean, 1),
        fmt(s.sd, 1),
        fmt(s.ci95.map(|c| c[0]), 1),
        fmt(s.ci95.map(|c| c[1]), 1),
        fmt(s.mean_count, 2),
        fmt(any.and_then(|a| a.percent), 1),
        fmt(s.alpha, 3),
        s.alpha_n.to_string(),
    ]
}

fn indices(report: &StatsReport, lang: &str) -> Table {
    let headers = vec![
        "index",
        "municipality",
        "municipality_name",
        "n",
        "small_base",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "mean_count",
        "share_any_percent",
        "alpha",
        "alpha_n",
    ];
    let mut rows = Vec::new();
    for i in &report.indices {
        rows.push(index_row(i, ALL, lang, &i.overall, None));
        for m in &i.by_municipality {
            rows.push(index_row(
                i,
                &m.municipality,
                lang,
                &m.summary,
                Some(m.small_base),
            ));
        }
    }
    Table {
        name: "indices",
        headers,
        rows,
    }
}
