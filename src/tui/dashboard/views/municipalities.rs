//! Municipalities: the chosen question's key figure (or an index) in each municipality, as a
//! sortable table with intervals drawn as bars, and the chi-square test in plain words.

use std::cmp::Ordering;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::questions::option_label;
use super::{Sheet, format};
use crate::questionnaire::QuestionType;
use crate::stats::{QuestionStats, SMALL_BASE};
use crate::tui::dashboard::app::{App, SortKey, Subject, subjects};
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::interval_bar::IntervalBar;
use crate::tui::dashboard::widgets::text::{pad_left, truncate};

/// One municipality's key figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    pub code: String,
    pub name: String,
    pub oblast: String,
    pub n: u64,
    pub value: Option<f64>,
    pub ci: Option<[f64; 2]>,
    pub small: bool,
}

/// What the table shows: a title for the figure, the top of its scale, and the rows in the
/// chosen order.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub title: String,
    pub max: f64,
    pub rows: Vec<FigureRow>,
    /// The chi-square test of the question, when the subject is a question.
    pub question: Option<usize>,
}

/// The number of options the key figure can cycle through (0 for means and indices).
pub fn option_count(app: &App) -> usize {
    let Some(data) = &app.data else { return 0 };
    match current_subject(app, data) {
        Some(Subject::Question(i)) => {
            let q = &data.report.questions[i];
            if uses_share(q) {
                q.overall.options.len()
            } else {
                0
            }
        }
        _ => 0,
    }
}

fn current_subject(app: &App, data: &Derived) -> Option<Subject> {
    let all = subjects(&data.report);
    all.get(app.municipalities.subject.min(all.len().saturating_sub(1)))
        .copied()
}

/// Whether a question's key figure is the share of one option (else the mean).
fn uses_share(q: &QuestionStats) -> bool {
    matches!(q.kind, QuestionType::Single | QuestionType::Multiple) && !q.overall.options.is_empty()
}

/// The figures of the current subject, sorted as chosen.
pub fn figures(app: &App, data: &Derived) -> Option<Figures> {
    let mut figures = match current_subject(app, data)? {
        Subject::Question(i) => question_figures(app, data, i)?,
        Subject::Index(i) => {
            let index = &data.report.indices[i];
            let def = app.form.indices().iter().find(|d| d.id == index.id)?;
            Figures {
                title: format!("{} (0–100)", def.label.get(&app.lang)),
                max: 100.0,
                rows: index
                    .by_municipality
                    .iter()
                    .map(|m| {
                        figure_row(
                            app,
                            &m.municipality,
                            m.summary.n,
                            m.summary.mean,
                            m.summary.ci95,
                        )
                    })
                    .collect(),
                question: None,
            }
        }
    };
    sort(
        &mut figures.rows,
        app.municipalities.sort,
        app.municipalities.descending,
    );
    Some(figures)
}

fn figure_row(
    app: &App,
    code: &str,
    n: u64,
    value: Option<f64>,
    ci: Option<[f64; 2]>,
) -> FigureRow {
    FigureRow {
        code: code.to_owned(),
        name: format::municipality_name(code, &app.lang),
        oblast: format::oblast_name(code, &app.lang),
        n,
        value,
        ci,
        small: n < SMALL_BASE,
    }
}

/// A question's key figure: the share of the chosen option, or the mean.
fn question_figures(app: &App, data: &Derived, i: usize) -> Option<Figures> {
    let qs = &data.report.questions[i];
    let q = app.form.question(&qs.id)?;
    let label = q.label.get(&app.lang);
    if uses_share(qs) {
        let at = app.municipalities.option.min(qs.overall.options.len() - 1);
        let code = &qs.overall.options[at].code;
        let rows = qs.by_municipality.iter().map(|m| {
            let o = m.summary.options.iter().find(|o| &o.code == code);
            let (value, ci) = (o.and_then(|o| o.percent), o.and_then(|o| o.ci95));
            figure_row(app, &m.municipality, m.summary.n, value, ci)
        });
        return Some(Figures {
            title: format!("{label} — % «{}»", option_label(app, q, code)),
            max: 100.0,
            rows: rows.collect(),
            question: Some(i),
        });
    }
    let rows: Vec<FigureRow> = qs
        .by_municipality
        .iter()
        .map(|m| {
            figure_row(
                app,
                &m.municipality,
                m.summary.n,
                m.summary.mean,
                m.summary.ci95_mean,
            )
        })
        .collect();
    // The bar's scale: the question's maximum, stretched if an interval reaches beyond it.
    let top = q.max.or(qs.overall.max).unwrap_or(1.0);
    let top = rows
        .iter()
        .filter_map(|r| r.ci.map(|c| c[1]))
        .fold(top, f64::max);
    Some(Figures {
        title: format!("{label} — {}", strings_mean(&app.lang)),
        max: top,
        rows,
        question: Some(i),
    })
}

fn strings_mean(lang: &str) -> &'static str {
    crate::tui::dashboard::strings::strings(lang).mean
}

fn sort(rows: &mut [FigureRow], key: SortKey, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match key {
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Oblast => a.oblast.cmp(&b.oblast).then(a.name.cmp(&b.name)),
            SortKey::Base => a.n.cmp(&b.n),
            SortKey::Figure => a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal),
        };
        if descending { order.reverse() } else { order }
    });
}

/// The chi-square result in plain words, or why there is none.
pub fn chi_square_sentence(q: &QuestionStats, s: &Strings) -> String {
    match &q.chi_square {
        Some(c) => {
            let verdict = if c.p_value < 0.05 {
                s.significant
            } else {
                s.not_significant
            };
            let mut text = format!(
                "{verdict}: χ²={:.1}, df={}, {}, V={:.2}",
                c.statistic,
                c.df,
                format::p_value(c.p_value),
                c.cramers_v
            );
            if c.low_expected_cells > 0 {
                let cells = c.low_expected_cells;
                let word = s.low_expected.form(cells as usize);
                text.push_str(&format!(" ({cells} {word})"));
            }
            text
        }
        None => format!(
            "{}{}",
            s.no_chi_square,
            q.chi_square_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    }
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let Some(fig) = figures(app, data) else {
        return;
    };
    let [title, table, chi, legend] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let sort_name = s.sort_keys[app.municipalities.sort as usize];
    let arrow = if app.municipalities.descending {
        "↓"
    } else {
        "↑"
    };
    let heading = format!(
        "{}   [{} {sort_name}{arrow}]  {}",
        fig.title, s.sorted_by, s.keys_municipalities
    );
    frame.render_widget(
        Paragraph::new(truncate(&heading, title.width as usize)).style(app.theme.title()),
        title,
    );
    draw_table(frame, table, app, &fig, s);
    if let Some(i) = fig.question {
        let sentence = chi_square_sentence(&data.report.questions[i], s);
        frame.render_widget(
            Paragraph::new(sentence).wrap(ratatui::widgets::Wrap { trim: true }),
            chi,
        );
    }
    if fig.rows.iter().any(|r| r.small) {
        frame.render_widget(
            Paragraph::new(truncate(
                &format!("* {}", s.small_base),
                legend.width as usize,
            ))
            .style(app.theme.dim()),
            legend,
        );
    }
}

fn draw_table(frame: &mut Frame, area: Rect, app: &App, fig: &Figures, s: &Strings) {
    let wide = area.width >= 100;
    let name_w: u16 = if wide { 22 } else { 16 };
    let oblast_w: u16 = if wide { 18 } else { 0 };
    let fixed = name_w + oblast_w + 7 + 9 + 12 + 5;
    let bar_w = area.width.saturating_sub(fixed) as usize;
    let mut header = vec![s.municipality.to_owned()];
    if wide {
        header.push(s.oblast.to_owned());
    }
    header.extend([
        pad_left(s.count, 6),
        pad_left(s.figure, 8),
        s.interval.to_owned(),
        String::new(),
    ]);
    let height = area.height.saturating_sub(1) as usize;
    let at = app.municipalities.row.min(fig.rows.len().saturating_sub(1));
    let skip = (at + 1).saturating_sub(height);
    let rows = fig.rows.iter().enumerate().skip(skip).map(|(i, r)| {
        let mut cells: Vec<Line> = vec![Line::from(truncate(&r.name, name_w as usize))];
        if wide {
            cells.push(Line::from(truncate(&r.oblast, oblast_w as usize)));
        }
        let marker = if r.small { "*" } else { " " };
        cells.push(Line::from(format!(
            "{}{marker}",
            pad_left(&r.n.to_string(), 5)
        )));
        cells.push(Line::from(pad_left(&format::figure(r.value), 8)));
        cells.push(Line::from(format::interval(r.ci)));
        let bar = IntervalBar {
            value: r.value.unwrap_or(f64::NAN),
            interval: r.ci,
            max: fig.max,
        };
        cells.push(bar.line(bar_w, app.theme));
        let mut style = if r.small {
            app.theme.dim()
        } else {
            Style::new()
        };
        if i == at {
            style = style.patch(app.theme.selected());
        }
        Row::new(cells).style(style)
    });
    let mut widths = vec![Constraint::Length(name_w)];
    if wide {
        widths.push(Constraint::Length(oblast_w));
    }
    widths.extend([
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Min(0),
    ]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(app.theme.muted()))
        .block(Block::new());
    frame.render_widget(table, area);
    let _ = Span::raw("");
}

/// The table as on screen, with the test result as a last row.
pub fn sheet(app: &App, data: &Derived) -> Sheet {
    let s = crate::tui::dashboard::strings::strings(&app.lang);
    let Some(fig) = figures(app, data) else {
        return Sheet::default();
    };
    let mut rows: Vec<Vec<String>> = fig
        .rows
        .iter()
        .map(|r| {
            let [lo, hi] = r.ci.map_or([String::new(), String::new()], |[a, b]| {
                [format!("{a:.1}"), format!("{b:.1}")]
            });
            vec![
                r.code.clone(),
                r.name.clone(),
                r.oblast.clone(),
                r.n.to_string(),
                format::figure(r.value),
                lo,
                hi,
                r.small.to_string(),
            ]
        })
        .collect();
    if let Some(i) = fig.question {
        let mut last = vec![String::new(); 8];
        last[1] = chi_square_sentence(&data.report.questions[i], s);
        rows.push(last);
    }
    Sheet {
        name: "municipalities".to_owned(),
        header: [
            "code",
            "municipality",
            "oblast",
            "n",
            &fig.title,
            "ci95_low",
            "ci95_high",
            "small_base",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }
}
