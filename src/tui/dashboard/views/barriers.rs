//! Barriers: a multiple question's options ranked by share, and a heat table of option ×
//! municipality so a coordinator sees which barrier dominates where.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::questions::option_label;
use super::{Sheet, format};
use crate::stats::{QuestionStats, SMALL_BASE};
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::heat_table::HeatTable;
use crate::tui::dashboard::widgets::interval_bar::IntervalBar;
use crate::tui::dashboard::widgets::text::{pad, pad_left, truncate, width};

/// One ranked option: code, label, percent and interval.
pub type Ranked = (String, String, Option<f64>, Option<[f64; 2]>);

/// The ranked options of the question: (code, label, percent, interval), largest share first.
pub fn ranked(app: &App, q: &QuestionStats) -> Vec<Ranked> {
    let Some(question) = app.form.question(&q.id) else {
        return Vec::new();
    };
    let mut rows: Vec<_> = q
        .overall
        .options
        .iter()
        .map(|o| {
            (
                o.code.clone(),
                option_label(app, question, &o.code),
                o.percent,
                o.ci95,
            )
        })
        .collect();
    rows.sort_by(|a, b| b.2.partial_cmp(&a.2).unwrap_or(std::cmp::Ordering::Equal));
    rows
}

/// Rows (municipalities by name) × columns (ranked options) of shares.
pub fn heat(
    app: &App,
    q: &QuestionStats,
    ranked: &[Ranked],
) -> (Vec<String>, Vec<Vec<Option<f64>>>, Vec<bool>) {
    let mut munis: Vec<_> = q
        .by_municipality
        .iter()
        .map(|m| (format::municipality_name(&m.municipality, &app.lang), m))
        .collect();
    munis.sort_by(|a, b| a.0.cmp(&b.0));
    let values = munis
        .iter()
        .map(|(_, m)| {
            ranked
                .iter()
                .map(|(code, ..)| {
                    m.summary
                        .options
                        .iter()
                        .find(|o| &o.code == code)
                        .and_then(|o| o.percent)
                })
                .collect()
        })
        .collect();
    let small = munis
        .iter()
        .map(|(_, m)| m.summary.n < SMALL_BASE)
        .collect();
    (
        munis.into_iter().map(|(name, _)| name).collect(),
        values,
        small,
    )
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let Some(q) = app
        .barrier_question
        .and_then(|i| data.report.questions.get(i))
    else {
        frame.render_widget(Paragraph::new(s.no_multiple), area);
        return;
    };
    let rank = ranked(app, q);
    let (list_area, heat_area) = if area.width >= 120 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(area);
        (a, b)
    } else {
        let list = (rank.len() as u16 + 3).min(area.height / 2);
        let [a, b] = Layout::vertical([Constraint::Length(list), Constraint::Min(3)]).areas(area);
        (a, b)
    };
    let label = app
        .form
        .question(&q.id)
        .map_or(q.id.as_str(), |x| x.label.get(&app.lang));
    let inner = list_area.width.saturating_sub(2) as usize;
    let label_w = rank
        .iter()
        .map(|r| width(&r.1))
        .max()
        .unwrap_or(0)
        .clamp(6, inner * 2 / 5);
    let bar_w = inner.saturating_sub(4 + label_w + 1 + 6 + 13);
    let mut lines = vec![Line::from(Span::styled(
        truncate(&format!("{} · n={}", s.ranked, q.overall.n), inner),
        app.theme.muted(),
    ))];
    for (i, (_, text, percent, ci)) in rank.iter().enumerate() {
        let bar = IntervalBar {
            value: percent.unwrap_or(0.0),
            interval: *ci,
            max: 100.0,
        };
        let mut spans = vec![
            Span::raw(format!("{:>2}. ", i + 1)),
            Span::raw(pad(text, label_w)),
            Span::raw(" "),
        ];
        spans.extend(bar.line(bar_w, app.theme).spans);
        spans.push(Span::raw(pad_left(&format::figure(*percent), 6)));
        spans.push(Span::styled(
            pad_left(&format::interval(*ci), 13),
            app.theme.muted(),
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(label, inner))),
        list_area,
    );
    let (names, values, small) = heat(app, q, &rank);
    let columns: Vec<String> = (1..=rank.len()).map(|i| i.to_string()).collect();
    let inner_width = heat_area.width.saturating_sub(2) as usize;
    let label_w = HeatTable::label_width(&names, inner_width);
    let shown = HeatTable::visible_columns(inner_width, label_w).min(columns.len());
    let mut title = format!("{} · {}", s.heat, s.keys_barriers);
    if shown < columns.len() {
        title = format!("{} (1–{shown} {} {})", title, s.of, columns.len());
    }
    let block = Block::bordered().title(truncate(&title, inner_width));
    let inner_heat = block.inner(heat_area);
    frame.render_widget(block, heat_area);
    let visible = inner_heat.height.saturating_sub(1) as usize;
    frame.render_widget(
        HeatTable {
            row_labels: &names,
            column_labels: &columns,
            values: &values,
            small: &small,
            first_row: app.scroll.min(names.len().saturating_sub(visible)),
            theme: app.theme,
        },
        inner_heat,
    );
}

/// The ranked list and the heat table as one sheet: a row per municipality, a column per
/// option (by label), with the overall share as the first row.
pub fn sheet(app: &App, data: &Derived) -> Sheet {
    let Some(q) = app
        .barrier_question
        .and_then(|i| data.report.questions.get(i))
    else {
        return Sheet::default();
    };
    let rank = ranked(app, q);
    let (names, values, _) = heat(app, q, &rank);
    let mut header = vec!["municipality".to_owned()];
    header.extend(rank.iter().map(|r| r.1.clone()));
    let mut rows = vec![{
        let mut r = vec![
            crate::tui::dashboard::strings::strings(&app.lang)
                .all
                .to_owned(),
        ];
        r.extend(rank.iter().map(|x| format::figure(x.2)));
        r
    }];
    for (name, row) in names.into_iter().zip(values) {
        let mut r = vec![name];
        r.extend(row.into_iter().map(format::figure));
        rows.push(r);
    }
    Sheet {
        name: format!("barriers-{}", q.id),
        header,
        rows,
    }
}
