//! Indices: each index overall (mean, interval, reliability), and the chosen one by
//! municipality with intervals.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Sheet, format};
use crate::stats::IndexStats;
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::interval_bar::IntervalBar;
use crate::tui::dashboard::widgets::text::{pad, pad_left, truncate};

fn label<'a>(app: &'a App, index: &'a IndexStats) -> &'a str {
    app.form
        .indices()
        .iter()
        .find(|d| d.id == index.id)
        .map_or(index.id.as_str(), |d| d.label.get(&app.lang))
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let indices = &data.report.indices;
    if indices.is_empty() {
        frame.render_widget(Paragraph::new(s.indices_none), area);
        return;
    }
    let chosen = app.index.min(indices.len() - 1);
    let [top, bottom] = Layout::vertical([
        Constraint::Length(indices.len() as u16 + 3),
        Constraint::Min(3),
    ])
    .areas(area);
    let inner = top.width.saturating_sub(2) as usize;
    let name_w = (inner / 3).clamp(10, 36);
    let bar_w = inner.saturating_sub(name_w + 8 + 13 + 8 + 8 + 1);
    let mut lines = vec![Line::from(Span::styled(
        truncate(
            &format!(
                "{}{}{}{}{}",
                pad(s.index, name_w + 1 + bar_w),
                pad_left(s.mean, 8),
                pad_left(s.interval, 13),
                pad_left(s.count, 8),
                pad_left("α", 8)
            ),
            inner,
        ),
        app.theme.muted(),
    ))];
    for (i, index) in indices.iter().enumerate() {
        let o = &index.overall;
        let bar = IntervalBar {
            value: o.mean.unwrap_or(f64::NAN),
            interval: o.ci95,
            max: 100.0,
        };
        let style = if i == chosen {
            app.theme.selected()
        } else {
            Style::new()
        };
        let mut spans = vec![
            Span::styled(pad(label(app, index), name_w), style),
            Span::raw(" "),
        ];
        spans.extend(bar.line(bar_w, app.theme).spans);
        spans.push(Span::raw(pad_left(&format::figure(o.mean), 8)));
        spans.push(Span::styled(
            pad_left(&format::interval(o.ci95), 13),
            app.theme.muted(),
        ));
        spans.push(Span::raw(pad_left(&o.n.to_string(), 8)));
        spans.push(Span::raw(pad_left(
            &o.alpha.map_or("–".to_owned(), |a| format!("{a:.2}")),
            8,
        )));
        lines.push(Line::from(spans));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!("{} (0–100) · ←→", s.index))),
        top,
    );
    draw_by_municipality(frame, bottom, app, &indices[chosen], s);
}

/// One municipality's index: name, n, mean, interval, small base.
pub type IndexRow = (String, u64, Option<f64>, Option<[f64; 2]>, bool);

/// The chosen index's rows by municipality (name, n, mean, interval, small base), by name.
pub fn rows(app: &App, index: &IndexStats) -> Vec<IndexRow> {
    let mut rows: Vec<_> = index
        .by_municipality
        .iter()
        .map(|m| {
            (
                format::municipality_name(&m.municipality, &app.lang),
                m.summary.n,
                m.summary.mean,
                m.summary.ci95,
                m.small_base,
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

fn draw_by_municipality(frame: &mut Frame, area: Rect, app: &App, index: &IndexStats, s: &Strings) {
    let inner = area.width.saturating_sub(2) as usize;
    let name_w = (inner / 4).clamp(10, 24);
    let bar_w = inner.saturating_sub(name_w + 7 + 8 + 13 + 1);
    let rows = rows(app, index);
    let height = area.height.saturating_sub(2) as usize;
    let skip = app.scroll.min(rows.len().saturating_sub(height));
    let lines: Vec<Line> = rows
        .iter()
        .skip(skip)
        .take(height)
        .map(|(name, n, mean, ci, small)| {
            let bar = IntervalBar {
                value: mean.unwrap_or(f64::NAN),
                interval: *ci,
                max: 100.0,
            };
            let marker = if *small { "*" } else { " " };
            let mut spans = vec![
                Span::raw(pad(name, name_w)),
                Span::raw(format!("{}{marker}", pad_left(&n.to_string(), 6))),
            ];
            spans.push(Span::raw(pad_left(&format::figure(*mean), 8)));
            spans.push(Span::raw(pad_left(&format::interval(*ci), 13)));
            spans.push(Span::raw(" "));
            spans.extend(bar.line(bar_w, app.theme).spans);
            let line = Line::from(spans);
            if *small {
                line.style(app.theme.dim())
            } else {
                line
            }
        })
        .collect();
    let title = format!("{} — {}", label(app, index), s.municipality);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(&title, inner))),
        area,
    );
}

/// Every index by municipality, one row per index and municipality.
pub fn sheet(app: &App, data: &Derived) -> Sheet {
    let mut out = Sheet {
        name: "indices".to_owned(),
        header: ["index", "municipality", "n", "mean", "ci95", "small_base"]
            .map(str::to_owned)
            .to_vec(),
        rows: Vec::new(),
    };
    for index in &data.report.indices {
        let o = &index.overall;
        out.rows.push(vec![
            index.id.clone(),
            String::new(),
            o.n.to_string(),
            format::figure(o.mean),
            format::interval(o.ci95),
            String::new(),
        ]);
        for (name, n, mean, ci, small) in rows(app, index) {
            out.rows.push(vec![
                index.id.clone(),
                name,
                n.to_string(),
                format::figure(mean),
                format::interval(ci),
                small.to_string(),
            ]);
        }
    }
    out
}
