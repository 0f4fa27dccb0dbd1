//! Fieldwork: complete and draft interviews, the AAPOR response rates, interviews per day,
//! progress per municipality against its target (sorted by shortfall), work per interviewer,
//! and problem files. Wide screens add each municipality's RR1 and each interviewer's RR1 and
//! COOP1; the view's sheet export has every rate of every row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline};

mod sheet;

pub use sheet::sheet;

use super::format;
use crate::outcome::Rates;
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::{Derived, MunicipalityProgress, QuotaCell};
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::text::{pad, pad_left, truncate};

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let problems = data.problems.len().min(5) as u16;
    let problem_height = if problems == 0 { 0 } else { problems + 2 };
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Min(3),
        Constraint::Length(problem_height),
    ])
    .areas(area);
    draw_totals(frame, top, app, data, s);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(middle);
    draw_progress(frame, left, app, data, s);
    let cells = &data.fieldwork.cells;
    if cells.is_empty() {
        draw_interviewers(frame, right, app, data, s);
    } else {
        let people = data.fieldwork.interviewers.len() as u16 + 3;
        let [top, bottom] = Layout::vertical([
            Constraint::Length(people.min(right.height / 2)),
            Constraint::Min(3),
        ])
        .areas(right);
        draw_interviewers(frame, top, app, data, s);
        draw_cells(frame, bottom, app, cells, s);
    }
    if problem_height > 0 {
        draw_problems(frame, bottom, app, data, s);
    }
}

fn draw_totals(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let f = &data.fieldwork;
    let [counts, rates, chart] = Layout::horizontal([
        Constraint::Length(24),
        Constraint::Length(RATES_WIDTH),
        Constraint::Min(10),
    ])
    .areas(area);
    draw_rates(frame, rates, data, s);
    let mut lines = vec![
        Line::from(format!(
            "{:>7} {}",
            f.complete,
            s.complete_count.form(f.complete as usize)
        )),
        Line::from(Span::styled(
            format!("{:>7} ↳ {}", f.partial, s.partial.form(f.partial as usize)),
            app.theme.muted(),
        )),
        Line::from(Span::styled(
            format!("{:>7} {}", f.drafts, s.drafts_count.form(f.drafts as usize)),
            app.theme.accent(),
        )),
    ];
    if !data.problems.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "{:>7} {}",
                data.problems.len(),
                s.problems.form(data.problems.len())
            ),
            app.theme.warn(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(Block::bordered()), counts);
    let counts: Vec<u64> = f.per_day.iter().map(|(_, n)| *n).collect();
    let title = match (f.per_day.first(), f.per_day.last()) {
        (Some((a, _)), Some((b, _))) => format!(
            "{} {a} – {b}, max {}",
            s.per_day,
            counts.iter().max().copied().unwrap_or(0)
        ),
        _ => s.per_day.to_owned(),
    };
    let inner = chart.width.saturating_sub(2) as usize;
    if f.per_day.is_empty() {
        // Nothing done yet: say so, and how data arrive, where the chart would be.
        let text = format!("{} {}", s.no_data, s.no_data_hint);
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(Block::bordered().title(truncate(&title, inner))),
            chart,
        );
        return;
    }
    // The most recent days when there are more days than columns.
    let shown = &counts[counts.len().saturating_sub(inner)..];
    frame.render_widget(
        Sparkline::default()
            .block(Block::bordered().title(truncate(&title, inner)))
            .data(shown)
            .style(app.theme.bar()),
        chart,
    );
}

/// Width of the box of overall rates: `RR1 100.0  RR3 100.0  COOP1 100.0` and its borders.
const RATES_WIDTH: u16 = 36;

/// The overall rates, with the partial interviews and the cases closed without an interview
/// they come from.
fn draw_rates(frame: &mut Frame, area: Rect, data: &Derived, s: &Strings) {
    let report = &data.fieldwork.rates;
    let Rates {
        rr1,
        rr3,
        coop1,
        ref1,
        con1,
        ..
    } = report.total.rates;
    let counts = &report.total.counts;
    let e = report
        .e
        .map_or_else(|| "—".to_owned(), |e| format!("{e:.2}"));
    let lines = vec![
        Line::from(format!(
            "RR1 {}  RR3 {}  COOP1 {}",
            percent(rr1),
            percent(rr3),
            percent(coop1)
        )),
        Line::from(format!(
            "REF1 {}  CON1 {}  e {e}",
            percent(ref1),
            percent(con1)
        )),
        Line::from({
            let closed = counts.non_interviews() + counts.unknown + counts.not_eligible;
            format!("{closed} {}", s.no_interview.form(closed as usize))
        }),
    ];
    let inner = area.width.saturating_sub(2) as usize;
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(s.rates, inner))),
        area,
    );
}

/// A rate in percent with one decimal, `—` when it is undefined (no case to divide by).
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}", r * 100.0))
}

/// Municipalities with the largest shortfall first; without targets, the fewest interviews
/// first (where fieldwork lags).
pub fn sorted_progress(data: &Derived) -> Vec<&MunicipalityProgress> {
    let mut rows: Vec<&MunicipalityProgress> = data.fieldwork.municipalities.iter().collect();
    rows.sort_by(|a, b| {
        b.shortfall()
            .cmp(&a.shortfall())
            .then(a.complete.cmp(&b.complete))
            .then(a.code.cmp(&b.code))
    });
    rows
}

fn draw_progress(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let rows = sorted_progress(data);
    let has_targets = rows.iter().any(|r| r.target.is_some());
    let title = if has_targets {
        s.progress.to_owned()
    } else {
        format!("{} ({})", s.progress, s.no_targets)
    };
    let inner = area.width.saturating_sub(2) as usize;
    let name_w = (inner / 3).clamp(6, 22);
    let number_w = 11;
    // Wide enough: each municipality's RR1 after its numbers.
    let rate_w = if inner >= 70 { 7 } else { 0 };
    let title = if rate_w > 0 {
        format!("{title} · RR1, %")
    } else {
        title
    };
    let bar_w = inner.saturating_sub(name_w + number_w + 2 + rate_w);
    let max = rows.iter().map(|r| r.complete).max().unwrap_or(0).max(1);
    let height = area.height.saturating_sub(2) as usize;
    let skip = app.scroll.min(rows.len().saturating_sub(height));
    let lines: Vec<Line> = rows
        .iter()
        .skip(skip)
        .take(height)
        .map(|r| {
            let (scale, numbers) = match r.target {
                Some(t) => (t.max(1), format!("{}/{}", r.complete, t)),
                None => (max, r.complete.to_string()),
            };
            let filled =
                ((r.complete.min(scale) as f64 / scale as f64) * bar_w as f64).round() as usize;
            let style = if r.target.is_some_and(|t| r.complete >= t) {
                app.theme.good()
            } else {
                app.theme.bar()
            };
            let mut spans = vec![
                Span::raw(pad(&format::municipality_name(&r.code, &app.lang), name_w)),
                Span::raw(" "),
                Span::styled("█".repeat(filled), style),
                Span::styled("░".repeat(bar_w - filled.min(bar_w)), app.theme.muted()),
                Span::raw(" "),
                Span::raw(pad_left(&numbers, number_w)),
            ];
            if rate_w > 0 {
                let rr1 = data
                    .fieldwork
                    .rates
                    .municipality(&r.code)
                    .map(|m| m.rates.rr1);
                spans.push(Span::raw(pad_left(&percent(rr1.flatten()), rate_w)));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(&title, inner))),
        area,
    );
}

fn draw_interviewers(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let inner = area.width.saturating_sub(2) as usize;
    // Numbers keep their columns; the name takes what is left.
    let (c, d, m) = if inner >= 56 { (10, 9, 12) } else { (7, 6, 7) };
    // Wide enough: each interviewer's RR1 and COOP1 too.
    let r = if inner >= 60 { 7 } else { 0 };
    let name_w = inner.saturating_sub(c + d + m + 2 * r).max(6);
    let line = |name: &str, complete: &str, drafts: &str, median: &str, rates: [&str; 2]| {
        // A space before each number column keeps truncated headers apart.
        let mut text = format!(
            "{} {} {} {}",
            pad(name, name_w),
            pad_left(complete, c - 1),
            pad_left(drafts, d - 1),
            pad_left(median, m - 1)
        );
        if r > 0 {
            for rate in rates {
                text.push(' ');
                text.push_str(&pad_left(rate, r - 1));
            }
        }
        text
    };
    let header = line(
        s.interviewer,
        s.complete,
        s.drafts,
        s.median_duration,
        ["RR1", "COOP1"],
    );
    let mut lines = vec![Line::from(Span::styled(header, app.theme.muted()))];
    let height = area.height.saturating_sub(3) as usize;
    let rates = &data.fieldwork.rates;
    lines.extend(data.fieldwork.interviewers.iter().take(height).map(|w| {
        let own = rates.interviewer(&w.name).map(|row| row.rates);
        let rr1 = percent(own.and_then(|r| r.rr1));
        let coop1 = percent(own.and_then(|r| r.coop1));
        Line::from(line(
            &w.name,
            &w.complete.to_string(),
            &w.drafts.to_string(),
            &format::figure(w.median_minutes),
            [&rr1, &coop1],
        ))
    }));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(s.interviews)),
        area,
    );
}

/// Quota cells as `achieved/target`, full cells marked with ✓.
fn draw_cells(frame: &mut Frame, area: Rect, app: &App, cells: &[QuotaCell], s: &Strings) {
    let inner = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = cells
        .iter()
        .map(|cell| {
            let (label, achieved, target) = (cell.label(&app.lang), cell.achieved, cell.target);
            let full = achieved >= target;
            let numbers = format!("{achieved}/{target}{}", if full { " ✓" } else { "  " });
            let text = format!(
                "{} {}",
                pad(label, inner.saturating_sub(12)),
                pad_left(&numbers, 11)
            );
            let style = if full {
                app.theme.good()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(s.quota_cells)),
        area,
    );
}

fn draw_problems(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let inner = area.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = data
        .problems
        .iter()
        .take(area.height.saturating_sub(2) as usize)
        .map(|p| Line::from(truncate(&p.to_string(), inner)))
        .collect();
    let hidden = data.problems.len().saturating_sub(lines.len());
    if hidden > 0
        && let Some(last) = lines.last_mut()
    {
        *last = Line::from(format!("… {}", s.more.fill(hidden)));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .style(app.theme.warn())
            .block(Block::bordered().title(truncate(s.problem_files, inner))),
        area,
    );
}
