//! Drawing the field of each kind of question: choice lists, the scale, edit lines and the
//! municipality type-ahead.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    List, ListItem, ListState, Scrollbar, ScrollbarOrientation, ScrollbarState,
};

use super::InterviewScreen;
use crate::questionnaire::{Question, QuestionType};
use crate::tui::strings::{fill, strings};
use crate::tui::widgets::text_area::{render_wrapped, wrapped_height};
use crate::tui::{theme, ui};

/// Rows the field of question `q` needs, so the message sits right under it.
pub(super) fn field_height(screen: &InterviewScreen, pos: usize, q: &Question, width: u16) -> u16 {
    let lang = screen.interview.response().language.as_str();
    let rows = match q.kind {
        QuestionType::Note => 0,
        QuestionType::Single | QuestionType::Multiple => {
            let text_w = usize::from(width).saturating_sub(8);
            let list: usize = screen
                .interview
                .offered_choices(pos)
                .iter()
                .map(|c| ui::wrap(c.label.get(lang), text_w).len())
                .sum();
            let extra = if screen.input.other.is_some() || q.kind == QuestionType::Multiple {
                2
            } else {
                0
            };
            list + extra
        }
        QuestionType::Scale => 4,
        QuestionType::Municipality => usize::from(u16::MAX),
        // An open answer grows with its text, so a verbatim answer can be read back whole.
        QuestionType::Text => {
            let text_w = usize::from(width).saturating_sub(2);
            wrapped_height(&screen.input.edit, text_w) + 1
        }
        _ => 2,
    };
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Draws the field of question `q` (at `pos`) in `area`; returns where the cursor belongs
/// when a text field has the focus.
pub(super) fn draw_field(
    frame: &mut Frame,
    screen: &InterviewScreen,
    pos: usize,
    q: &Question,
    lang: &str,
    area: Rect,
) -> Option<Position> {
    let s = strings(lang);
    let input = &screen.input;
    match q.kind {
        QuestionType::Note => None,
        QuestionType::Single | QuestionType::Multiple => {
            let list_area = if input.other.is_some() || q.kind == QuestionType::Multiple {
                Rect {
                    height: area.height.saturating_sub(2),
                    ..area
                }
            } else {
                area
            };
            draw_choices(frame, screen, pos, q, lang, list_area);
            let below = Rect {
                y: list_area.bottom() + 1,
                height: 1,
                ..area
            };
            if let Some(other) = &input.other {
                return Some(draw_prompt(frame, below, s.other_prompt, other));
            }
            if q.kind == QuestionType::Multiple && below.y < area.bottom() {
                let mut count = input.selected.len().to_string();
                if let Some(max) = q.max_choices {
                    count = format!("{count}/{max}");
                }
                frame.render_widget(
                    Span::styled(fill(s.chosen_count, &[&count]), theme::dim()),
                    below,
                );
            }
            None
        }
        QuestionType::Scale => Some(draw_scale(frame, screen, q, lang, area)),
        QuestionType::Municipality => Some(input.picker.render(frame, area, lang, "›")),
        _ => Some(draw_typed(frame, screen, q, lang, area)),
    }
}

/// An edit line for numbers, dates and texts, with the allowed range, the date format or the
/// characters left underneath.
fn draw_typed(
    frame: &mut Frame,
    screen: &InterviewScreen,
    q: &Question,
    lang: &str,
    area: Rect,
) -> Position {
    let s = strings(lang);
    let edit = &screen.input.edit;
    let hint = match (q.kind, q.min, q.max, q.max_length) {
        (QuestionType::Date, ..) => s.date_format.to_owned(),
        (_, Some(min), Some(max), _) => format!("{min} – {max}"),
        (QuestionType::Text, _, _, Some(max)) => format!("{}/{max}", edit.text().chars().count()),
        _ => String::new(),
    };
    if q.kind == QuestionType::Text {
        return draw_open_text(frame, screen, hint, area);
    }
    let row = Rect { height: 1, ..area };
    let cursor = draw_prompt(
        frame,
        Rect {
            width: row.width.min(24),
            ..row
        },
        "›",
        edit,
    );
    if !hint.is_empty() && area.height > 1 {
        let below = Rect {
            y: row.y + 1,
            ..row
        };
        frame.render_widget(Span::styled(hint, theme::dim()), below);
    }
    cursor
}

/// An open answer, wrapped over as many rows as it needs (and the screen has), scrolled to the
/// cursor, with the characters used under it.
fn draw_open_text(
    frame: &mut Frame,
    screen: &InterviewScreen,
    hint: String,
    area: Rect,
) -> Position {
    let text_h = if hint.is_empty() || area.height < 2 {
        area.height
    } else {
        area.height - 1
    };
    let [prompt, field] =
        Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(Rect {
            height: text_h,
            ..area
        });
    frame.render_widget(Span::styled("›", theme::label()), prompt);
    screen.input.text_width.set(field.width);
    let cursor = render_wrapped(
        &screen.input.edit,
        field,
        frame.buffer_mut(),
        theme::field(),
    );
    if text_h < area.height {
        let below = Rect {
            y: area.y + text_h,
            height: 1,
            ..area
        };
        frame.render_widget(Span::styled(hint, theme::dim()), below);
    }
    cursor
}

fn draw_prompt(
    frame: &mut Frame,
    row: Rect,
    prompt: &str,
    line: &crate::tui::widgets::EditLine,
) -> Position {
    let w = u16::try_from(unicode_width::UnicodeWidthStr::width(prompt)).unwrap_or(1) + 1;
    let [p, field] =
        Layout::horizontal([Constraint::Length(w.min(row.width / 2)), Constraint::Min(1)])
            .areas(row);
    frame.render_widget(Span::styled(prompt.to_owned(), theme::label()), p);
    line.render(field, frame.buffer_mut(), theme::field())
}

fn draw_choices(
    frame: &mut Frame,
    screen: &InterviewScreen,
    pos: usize,
    q: &Question,
    lang: &str,
    area: Rect,
) {
    let interview = &screen.interview;
    let input = &screen.input;
    let stored = interview.answer(pos);
    let offered = interview.offered_choices(pos);
    // With `choices_from`, an "other" option shows what was specified in the earlier question.
    let source_other = q
        .choices_from
        .as_deref()
        .and_then(|id| interview.response().other_text.get(id));
    let items: Vec<ListItem> = offered
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            // Up to ten options: keys 1–9 and 0. Longer lists: their numbers, typed as one or
            // two digits.
            let key = match i {
                9 if offered.len() == 10 => " 0".to_owned(),
                _ => format!("{:>2}", i + 1),
            };
            let ticked = match q.kind {
                QuestionType::Multiple => input.selected.contains(&choice.code),
                _ => matches!(stored, Some(crate::questionnaire::Answer::Text(c)) if *c == choice.code),
            };
            let mark = match (q.kind, ticked) {
                (QuestionType::Multiple, true) => "[x]",
                (QuestionType::Multiple, false) => "[ ]",
                (_, true) => "(•)",
                (_, false) => "( )",
            };
            let mut label = choice.label.get(lang).to_owned();
            if choice.other && let Some(text) = source_other {
                label = format!("{label}: {text}");
            }
            let style = if ticked { theme::chosen() } else { ratatui::style::Style::default() };
            // Long options wrap under their own text rather than being cut (one column is
            // kept for the scrollbar).
            let indent = 7;
            let rows = ui::wrap(&label, usize::from(area.width).saturating_sub(indent + 1));
            let mut lines = Vec::with_capacity(rows.len());
            for (n, row) in rows.into_iter().enumerate() {
                lines.push(if n == 0 {
                    Line::from(vec![
                        Span::styled(format!("{key} "), theme::label()),
                        Span::styled(format!("{mark} {row}"), style),
                    ])
                } else {
                    Line::styled(format!("{}{row}", " ".repeat(indent)), style)
                });
            }
            ListItem::new(lines)
        })
        .collect();
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    let rows: usize = heights.iter().sum();
    let overflows = rows > usize::from(area.height);
    // A long list keeps its last row to say how many options are out of sight, and where the
    // highlighted one is: at 80×24 the fifteen barriers do not fit.
    let list_area = if overflows && area.height > 2 {
        Rect {
            height: area.height - 1,
            ..area
        }
    } else {
        area
    };
    let mut state = ListState::default().with_selected(input.cursor);
    let list = List::new(items).highlight_style(theme::highlight());
    frame.render_stateful_widget(list, list_area, &mut state);
    if !overflows {
        return;
    }
    let first = state.offset();
    let mut shown = 0;
    let mut used = 0;
    for h in &heights[first.min(heights.len())..] {
        if used + h > usize::from(list_area.height) {
            break;
        }
        used += h;
        shown += 1;
    }
    let below = heights.len().saturating_sub(first + shown);
    let mut bar = ScrollbarState::new(rows.saturating_sub(usize::from(list_area.height)))
        .position(heights[..first.min(heights.len())].iter().sum());
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(Some("▲"))
            .end_symbol(Some("▼")),
        list_area,
        &mut bar,
    );
    if list_area.height < area.height {
        let s = strings(lang);
        let at = input.cursor.map_or_else(
            || format!("–/{}", heights.len()),
            |i| format!("{}/{}", i + 1, heights.len()),
        );
        let text = fill(
            s.options_hidden,
            &[&first.to_string(), &below.to_string(), &at],
        );
        let row = Rect {
            y: list_area.bottom(),
            height: 1,
            ..area
        };
        frame.render_widget(Span::styled(text, theme::warning()), row);
    }
}

fn draw_scale(
    frame: &mut Frame,
    screen: &InterviewScreen,
    q: &Question,
    lang: &str,
    area: Rect,
) -> Position {
    let (min, max) = (q.min.unwrap_or(0.0) as i64, q.max.unwrap_or(10.0) as i64);
    let value = screen.input.edit.text().trim().parse::<f64>().ok();
    // A row of every point fits for the usual 0–10 or 1–7; wider scales are typed only, their
    // range shown as the end labels below.
    let span = max.saturating_sub(min);
    let shown = if span <= 20 { span + 1 } else { 0 };
    let mut spans = Vec::new();
    for v in (min..=max).take(usize::try_from(shown).unwrap_or(0)) {
        let style = if value == Some(v as f64) {
            theme::highlight()
        } else {
            theme::label()
        };
        spans.push(Span::styled(format!(" {v:>2} "), style));
    }
    let [row, labels, labels2, field] = Layout::vertical([Constraint::Length(1); 4]).areas(area);
    frame.render_widget(Line::from(spans), row);
    let low = q.min_label.as_ref().map_or("", |l| l.get(lang));
    let high = q.max_label.as_ref().map_or("", |l| l.get(lang));
    let scale_w = u16::try_from((span.saturating_add(1)).clamp(1, 21) * 4)
        .unwrap_or(44)
        .min(labels.width);
    let labels = Rect {
        width: scale_w,
        ..labels
    };
    let labels2 = Rect {
        width: scale_w,
        ..labels2
    };
    frame.render_widget(Span::styled(format!("{min} = {low}"), theme::dim()), labels);
    frame.render_widget(
        Line::styled(format!("{max} = {high}"), theme::dim())
            .alignment(ratatui::layout::Alignment::Right),
        labels2,
    );
    draw_prompt(
        frame,
        Rect {
            width: field.width.min(12),
            ..field
        },
        "›",
        &screen.input.edit,
    )
}
