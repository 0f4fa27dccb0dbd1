//! Drawing: the frame (header, tabs, filters, footer), the body of each view and the
//! overlays. Draw functions only read the [`App`]; every figure comes from the cached
//! [`Derived`](super::data::Derived).

pub mod barriers;
pub mod fieldwork;
pub mod format;
pub mod indices;
pub mod municipalities;
mod overlays;
pub mod quality;
pub mod questions;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Tabs, Wrap};

use super::app::{App, Load, View};
use super::data::Derived;
use super::strings::{Strings, strings};
use super::widgets::text::{truncate, width};
use crate::store::Cases;

/// A table as the export writes it: what a view shows, as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// A short name for the file (`municipalities`, `questions-trust_mayor`…).
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    draw_views(frame, app);
    crate::tui::ui::make_inert(frame.buffer_mut());
}

fn draw_views(frame: &mut Frame, app: &App) {
    let s = strings(&app.lang);
    let [header, tabs, filters, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, app, s);
    draw_tabs(frame, tabs, app, s);
    let filter_line = format!("{}: {}", s.filters, describe_filter(app, s));
    frame.render_widget(
        Paragraph::new(truncate(&filter_line, filters.width as usize)).style(app.theme.accent()),
        filters,
    );
    draw_body(frame, body, app, s);
    draw_footer(frame, footer, app, s);
    if let Some(panel) = &app.panel {
        overlays::filter_panel(frame, body, app, panel, s);
    }
    if app.help {
        overlays::help(frame, frame.area(), app, s);
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let mut text = s.title.to_owned();
    if let Some(d) = &app.data {
        let responses = d.report.responses;
        let word = s.responses.form(responses as usize);
        text.push_str(&format!(" │ {responses} {word}"));
        if !d.problems.is_empty() {
            let problems = d.problems.len();
            text.push_str(&format!(" · {problems} {}", s.problems.form(problems)));
        }
    }
    match &app.load {
        Load::Reading { done, total } if app.data.is_some() => {
            text.push_str(&format!("  │ {}… {done}/{total}", s.loading));
        }
        Load::Computing if app.data.is_some() => text.push_str(&format!("  │ {}", s.computing)),
        _ => {}
    }
    text.push_str(&format!(
        " │ {}",
        app.form.questionnaire().title.get(&app.lang)
    ));
    let line = Line::from(Span::styled(
        truncate(&text, area.width as usize),
        app.theme.title(),
    ));
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let titles_from = |names: &[&str; 6]| -> Vec<String> {
        app.views()
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{} {}", i + 1, names[*v as usize]))
            .collect()
    };
    let mut titles = titles_from(&s.tabs);
    // Each tab takes its title, a space either side and a divider.
    let needed: usize = titles.iter().map(|t| width(t) + 3).sum();
    if needed > area.width as usize {
        titles = titles_from(&s.tabs_short);
    }
    let selected = app.views().iter().position(|v| *v == app.view);
    let tabs = Tabs::new(titles)
        .select(selected)
        .highlight_style(app.theme.selected())
        .divider("│");
    frame.render_widget(tabs, area);
}

/// The active filters in words, in the app's language.
pub fn describe_filter(app: &App, s: &Strings) -> String {
    let f = &app.filter;
    let mut parts = Vec::new();
    for code in &f.municipalities {
        parts.push(format!(
            "{} {}",
            s.municipality,
            format::municipality_name(code, &app.lang)
        ));
    }
    if let Some(o) = &f.oblast {
        parts.push(format!(
            "{} {}",
            s.oblast,
            format::oblast_by_code(o, &app.lang)
        ));
    }
    if let Some(i) = &f.interviewer {
        parts.push(format!("{} {i}", s.interviewer));
    }
    if let Some(d) = f.from {
        parts.push(format!("{} {d}", s.from));
    }
    if let Some(d) = f.to {
        parts.push(format!("{} {d}", s.to));
    }
    match f.cases {
        Cases::Interviews => {}
        Cases::Completes => parts.push(s.completes_only.to_owned()),
        Cases::All => parts.push(s.every_outcome.to_owned()),
    }
    if f.include_drafts {
        parts.push(s.include_drafts.to_owned());
    }
    if parts.is_empty() {
        s.no_filter.to_owned()
    } else {
        parts.join(" · ")
    }
}

fn draw_body(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let Some(data) = &app.data else {
        draw_loading(frame, area, app, s);
        return;
    };
    let nothing = data.report.responses == 0;
    match app.view {
        View::Fieldwork => fieldwork::draw(frame, area, app, data, s),
        _ if nothing => draw_no_data(frame, area, app, data, s),
        View::Questions => questions::draw(frame, area, app, data, s),
        View::Municipalities => municipalities::draw(frame, area, app, data, s),
        View::Barriers => barriers::draw(frame, area, app, data, s),
        View::Indices => indices::draw(frame, area, app, data, s),
        View::Quality => quality::draw(frame, area, app, data, s),
    }
}

fn draw_loading(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let [_, label, gauge, _] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let (text, ratio) = match &app.load {
        Load::Reading { done, total } => (
            format!("{}… {done}/{total}", s.loading),
            if *total == 0 {
                0.0
            } else {
                *done as f64 / *total as f64
            },
        ),
        Load::Failed(why) => (format!("{}: {why}", s.load_failed), 0.0),
        _ => (s.computing.to_owned(), 1.0),
    };
    let style = if matches!(app.load, Load::Failed(_)) {
        app.theme.warn()
    } else {
        Style::new()
    };
    frame.render_widget(
        Paragraph::new(text)
            .style(style)
            .wrap(Wrap { trim: true })
            .centered(),
        label,
    );
    let gauge_area = centre(gauge, gauge.width.min(60));
    frame.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .gauge_style(app.theme.bar()),
        gauge_area,
    );
}

/// The message of a view with nothing to show: no responses at all, or none that match.
pub fn draw_no_data(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let mut lines = vec![Line::from(Span::styled(s.no_data, app.theme.title()))];
    lines.push(Line::from(""));
    if app.filter.is_active() && !data.choices.municipalities.is_empty() {
        lines.push(Line::from(format!(
            "{}: {}  (x)",
            s.filters,
            describe_filter(app, s)
        )));
    } else {
        lines.push(Line::from(s.no_data_hint));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let (text, style) = match &app.message {
        Some(m) => (m.as_str(), app.theme.warn()),
        None => (s.footer, app.theme.muted()),
    };
    frame.render_widget(
        Paragraph::new(truncate(text, area.width as usize)).style(style),
        area,
    );
}

/// A rectangle of `width` columns centred horizontally in `area`.
pub fn centre(area: Rect, width: u16) -> Rect {
    let width = width.min(area.width);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

/// The sheet of the current view, for the export.
pub fn sheet(app: &App) -> Option<Sheet> {
    let data = app.data.as_ref()?;
    Some(match app.view {
        View::Fieldwork => fieldwork::sheet(app, data),
        View::Questions => questions::sheet(app, data),
        View::Municipalities => municipalities::sheet(app, data),
        View::Barriers => barriers::sheet(app, data),
        View::Indices => indices::sheet(app, data),
        View::Quality => quality::sheet(app, data),
    })
}
