//! The help overlay and the filter panel, drawn over the current view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::format;
use crate::store::Cases;
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::filter_panel::{FIELDS, Field, FilterPanel, Place, place_of};
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::text::{pad, truncate};

/// A box of at most `width` × `height` centred in `area`.
fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Every key and what it does.
pub fn help(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let rows = s.help.len() as u16 + 2;
    let rect = popup(area, 72, rows);
    let inner = rect.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = s
        .help
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(pad(key, 16), app.theme.title()),
                Span::raw(truncate(what, inner.saturating_sub(16))),
            ])
        })
        .collect();
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(s.help_title)),
        rect,
    );
}

/// The filter panel with the value of each field.
pub fn filter_panel(frame: &mut Frame, area: Rect, app: &App, panel: &FilterPanel, s: &Strings) {
    let rect = popup(area, 64, FIELDS.len() as u16 + 4);
    let inner = rect.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let (name, value) = field_text(*field, panel, app, s);
            let text = format!("{} {}", pad(name, 18), value);
            let style = if i == panel.field {
                app.theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(Span::styled(pad(&text, inner), style))
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        truncate(s.filter_help, inner),
        app.theme.muted(),
    )));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(s.filters)),
        rect,
    );
}

fn field_text(field: Field, panel: &FilterPanel, app: &App, s: &Strings) -> (&'static str, String) {
    let f = &panel.draft;
    let lang = &app.lang;
    let day =
        |d: Option<jiff::civil::Date>| d.map_or_else(|| s.any_day.to_owned(), |d| d.to_string());
    match field {
        Field::Place => {
            let value = match place_of(f) {
                Place::All => s.all.to_owned(),
                Place::Oblast(o) => format!("{} {}", s.oblast, format::oblast_by_code(&o, lang)),
                Place::Municipality(m) => format::municipality_name(&m, lang),
            };
            (s.municipality, format!("◂ {value} ▸"))
        }
        Field::Interviewer => (
            s.interviewer,
            format!("◂ {} ▸", f.interviewer.as_deref().unwrap_or(s.all)),
        ),
        Field::From => (s.from, format!("◂ {} ▸", day(f.from))),
        Field::To => (s.to, format!("◂ {} ▸", day(f.to))),
        Field::Drafts => (
            s.include_drafts,
            if f.include_drafts { s.yes } else { s.no }.to_owned(),
        ),
        Field::Cases => {
            let value = match f.cases {
                Cases::Interviews => s.interviews_and_partials,
                Cases::Completes => s.completes_only,
                Cases::All => s.every_outcome,
            };
            (s.cases, format!("◂ {value} ▸"))
        }
    }
}
