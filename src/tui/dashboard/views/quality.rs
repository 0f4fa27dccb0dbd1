//! Quality: the data-quality flags of the selected responses (speeding, straight-lining,
//! don't know / refused shares, near-duplicates, interviewer effects, implausible times),
//! computed by [`crate::quality`] on the loader thread after the figures.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Sheet, format};
use crate::quality::{Check, Flag, QualityReport};
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::text::{pad, truncate};

/// The name of a check in the app's language.
pub fn check_name(check: Check, s: &Strings) -> &'static str {
    s.checks[check as usize]
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, _data: &Derived, s: &Strings) {
    let report = match app.quality.as_deref() {
        None => {
            frame.render_widget(Paragraph::new(s.computing), area);
            return;
        }
        Some(Err(why)) => {
            frame.render_widget(
                Paragraph::new(why.as_str())
                    .style(app.theme.warn())
                    .wrap(Wrap { trim: true }),
                area,
            );
            return;
        }
        Some(Ok(report)) => report,
    };
    let notes = report.notes.len().min(3) as u16;
    let [summary, list, notes_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(notes),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(summary_text(report, s)).wrap(Wrap { trim: true }),
        summary,
    );
    draw_flags(frame, list, app, report, s);
    let lines: Vec<Line> = report
        .notes
        .iter()
        .map(|n| Line::from(truncate(n, notes_area.width as usize)))
        .collect();
    frame.render_widget(Paragraph::new(lines).style(app.theme.muted()), notes_area);
}

fn summary_text(report: &QualityReport, s: &Strings) -> String {
    let mut counts: BTreeMap<Check, usize> = BTreeMap::new();
    for f in &report.flags {
        *counts.entry(f.check).or_default() += 1;
    }
    let checked = report.checked;
    let mut text = format!("{checked} {}", s.checked.form(checked));
    if counts.is_empty() {
        text.push_str(&format!(" · {}", s.quality_none));
    }
    for (check, n) in counts {
        text.push_str(&format!(" · {} {n}", check_name(check, s)));
    }
    text
}

fn draw_flags(frame: &mut Frame, area: Rect, app: &App, report: &QualityReport, s: &Strings) {
    let inner = area.width.saturating_sub(2) as usize;
    let (check_w, who_w, place_w, id_w) = if inner >= 120 {
        (26, 20, 16, 10)
    } else {
        (16, 14, 0, 9)
    };
    let reason_w = inner.saturating_sub(check_w + who_w + place_w + id_w);
    // Each column ends in a space so that a cut label never runs into the next one.
    let cell = |text: &str, w: usize| format!("{} ", pad(text, w - 1));
    let row = |check: &str, who: &str, place: &str, id: &str, reason: &str| {
        let mut text = format!("{}{}", cell(check, check_w), cell(who, who_w));
        if place_w > 0 {
            text.push_str(&cell(place, place_w));
        }
        text.push_str(&cell(id, id_w));
        text.push_str(&truncate(reason, reason_w));
        text
    };
    let height = area.height.saturating_sub(3) as usize;
    let skip = app.scroll.min(report.flags.len().saturating_sub(height));
    let mut lines = vec![Line::from(Span::styled(
        row(s.check, s.interviewer, s.municipality, "id", s.reason),
        app.theme.muted(),
    ))];
    lines.extend(report.flags.iter().skip(skip).take(height).map(|f| {
        Line::from(row(
            check_name(f.check, s),
            &f.interviewer,
            &format::municipality_name(&f.municipality, &app.lang),
            &short_id(f),
            f.reason_in(&app.lang),
        ))
    }));
    let title = format!("{} ({})", s.flags, report.flags.len());
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(&title, inner))),
        area,
    );
}

/// The first 8 characters of the response id: enough to find the file.
fn short_id(flag: &Flag) -> String {
    flag.response_id
        .map(|id| id.to_string().chars().take(8).collect())
        .unwrap_or_default()
}

/// Every flag with its full response id.
pub fn sheet(app: &App, _data: &Derived) -> Sheet {
    let mut sheet = Sheet {
        name: "quality".to_owned(),
        header: [
            "check",
            "response_id",
            "interviewer",
            "municipality",
            "reason",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: Vec::new(),
    };
    if let Some(Ok(report)) = app.quality.as_deref() {
        sheet.rows = report
            .flags
            .iter()
            .map(|f| {
                vec![
                    f.check.as_str().to_owned(),
                    f.response_id.map(|id| id.to_string()).unwrap_or_default(),
                    f.interviewer.clone(),
                    f.municipality.clone(),
                    f.reason_in(&app.lang).to_owned(),
                ]
            })
            .collect();
    }
    sheet
}
