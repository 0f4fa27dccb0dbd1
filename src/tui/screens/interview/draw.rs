//! Drawing the interview screen. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{LineGauge, List, ListItem, ListState, Paragraph};

use super::review::{answer_text, draw_review};
use super::{Dialog, InterviewScreen};
use crate::interview::Step;
use crate::municipality;
use crate::questionnaire::{Question, QuestionType};
use crate::tui::strings::{Strings, fill, invalid, strings};
use crate::tui::{theme, ui};

/// Draws the whole interview screen in `frame`.
pub fn draw(frame: &mut Frame, screen: &InterviewScreen, lang: &str) {
    let s = strings(lang);
    let banner_h = if screen.save.error.is_some() { 2 } else { 1 };
    let [title, status, gauge, banner, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(banner_h),
        Constraint::Min(4),
        Constraint::Length(2),
    ])
    .areas(frame.area());
    draw_top(frame, screen, s, lang, [title, status, gauge, banner]);
    let keys = match screen.interview.current() {
        Some((pos, q)) => {
            draw_question(frame, screen, pos, q, lang, body);
            footer_keys(q, screen, s)
        }
        None => {
            draw_review(frame, screen, lang, body);
            s.keys_review
        }
    };
    let keys = if screen.dialog.is_some() {
        s.keys_dialog
    } else {
        keys
    };
    ui::draw_footer(frame, footer, keys);
    if let Some(line) = &screen.elsewhere {
        draw_elsewhere(frame, line, s);
    }
    match screen.dialog {
        Some(Dialog::Finish) => ui::draw_dialog(frame, s.confirm_finish, s, false),
        Some(Dialog::LeaveUnsaved(_)) => ui::draw_dialog(frame, s.confirm_leave_unsaved, s, true),
        None => {}
    }
}

fn footer_keys(
    q: &Question,
    screen: &InterviewScreen,
    s: &'static Strings,
) -> &'static [(&'static str, &'static str)] {
    if screen.input.other.is_some() {
        return s.keys_text;
    }
    match q.kind {
        QuestionType::Note => s.keys_note,
        QuestionType::Single => s.keys_single,
        QuestionType::Multiple => s.keys_multiple,
        QuestionType::Scale => s.keys_scale,
        _ => s.keys_text,
    }
}

fn draw_top(frame: &mut Frame, screen: &InterviewScreen, s: &Strings, lang: &str, rows: [Rect; 4]) {
    let [title, status, gauge, banner] = rows;
    let form = screen.interview.form();
    let response = screen.interview.response();
    let place = municipality::bundled()
        .get(&response.municipality)
        .map_or(response.municipality.as_str(), |m| m.name(lang));
    let right = format!("{} · {place} · {}", response.interviewer, s.lang_badge);
    ui::draw_title(
        frame,
        title,
        &format!("anketa · {}", form.questionnaire().title.get(lang)),
        &right,
    );

    let section = match screen.interview.step() {
        Step::Question(pos) => form.section_of(pos).title.get(lang).to_owned(),
        Step::Review => s.review_title.to_owned(),
    };
    let (indicator, style) = if screen.save.error.is_some() {
        (s.not_saved, theme::error())
    } else if screen.save.is_saving() {
        (s.saving, theme::warning())
    } else {
        (s.saved, theme::ok())
    };
    let ind_w = u16::try_from(unicode_width::UnicodeWidthStr::width(indicator)).unwrap_or(12) + 1;
    let [sec, ind] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(ind_w)]).areas(status);
    frame.render_widget(Span::styled(format!(" {section}"), theme::heading()), sec);
    frame.render_widget(Span::styled(indicator, style), ind);

    let (answered, asked) = screen.interview.progress();
    let ratio = if asked == 0 {
        0.0
    } else {
        answered as f64 / asked as f64
    };
    frame.render_widget(
        LineGauge::default()
            .filled_style(theme::progress())
            .unfilled_style(theme::dim())
            .label(format!(" {answered}/{asked} "))
            .ratio(ratio.clamp(0.0, 1.0)),
        gauge,
    );
    if let Some(error) = &screen.save.error {
        let [what, why] = Layout::vertical([Constraint::Length(1); 2]).areas(banner);
        frame.render_widget(
            Paragraph::new(format!(" {}", s.not_saved_banner)).style(theme::error_banner()),
            what,
        );
        frame.render_widget(Span::styled(format!(" {error}"), theme::error()), why);
    }
}

fn draw_question(
    frame: &mut Frame,
    screen: &InterviewScreen,
    pos: usize,
    q: &Question,
    lang: &str,
    area: Rect,
) {
    let s = strings(lang);
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    // Wrapped here rather than by the paragraph, so the height below is exact.
    let mut lines: Vec<Line> = Vec::new();
    let rows = ui::wrap(q.label.get(lang), usize::from(inner.width));
    let last = rows.len().saturating_sub(1);
    for (i, row) in rows.into_iter().enumerate() {
        let mut spans = vec![Span::styled(row, theme::question())];
        if i == last && q.required {
            spans.push(Span::styled(s.required_mark, theme::error()));
        }
        lines.push(Line::from(spans));
    }
    if let Some(hint) = &q.hint {
        for row in ui::wrap(hint.get(lang), usize::from(inner.width)) {
            lines.push(Line::styled(row, theme::hint()));
        }
    }
    // A note is all text; a question keeps at least a few rows for its field.
    let keep = if q.kind == QuestionType::Note { 2 } else { 5 };
    let head_h = u16::try_from(lines.len())
        .unwrap_or(3)
        .min(inner.height.saturating_sub(keep));
    let head = Paragraph::new(Text::from(lines));
    let room = inner.height.saturating_sub(head_h + 2);
    let field_h = field_height(screen, pos, q, inner.width).min(room);
    let [head_area, _, field_area, message_area] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(1),
        Constraint::Length(field_h),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(head, head_area);
    let cursor = draw_field(frame, screen, pos, q, lang, field_area);
    if let Some(cursor) = cursor {
        frame.set_cursor_position(cursor);
    }
    draw_message(frame, screen, pos, lang, message_area);
}

/// The validation message, a limit notice, or the special answer already given.
fn draw_message(frame: &mut Frame, screen: &InterviewScreen, pos: usize, lang: &str, area: Rect) {
    let input = &screen.input;
    let line = if let Some(why) = &input.error {
        Line::styled(format!("✗ {}", invalid(lang, why)), theme::error())
    } else if let Some(why) = &input.notice {
        Line::styled(format!("! {}", invalid(lang, why)), theme::warning())
    } else if let Some(answer) = screen
        .interview
        .answer(pos)
        .filter(|a| a.special().is_some())
    {
        Line::styled(
            format!("» {}", answer_text(&screen.interview, pos, answer, lang)),
            theme::chosen(),
        )
    } else {
        return;
    };
    frame.render_widget(line, area);
}

/// Rows the field of question `q` needs, so the message sits right under it.
fn field_height(screen: &InterviewScreen, pos: usize, q: &Question, width: u16) -> u16 {
    let lang = screen.interview.response().language.as_str();
    let rows = match q.kind {
        QuestionType::Note => 0,
        QuestionType::Single | QuestionType::Multiple => {
            let text_w = usize::from(width).saturating_sub(7);
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
        _ => 2,
    };
    u16::try_from(rows).unwrap_or(u16::MAX)
}

fn draw_field(
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
        _ => {
            let mut hint = String::new();
            if q.kind == QuestionType::Date {
                hint = if lang == "bg" {
                    "ГГГГ-ММ-ДД".into()
                } else {
                    "YYYY-MM-DD".into()
                };
            }
            if let (Some(min), Some(max)) = (q.min, q.max) {
                hint = format!("{min} – {max}");
            }
            let row = Rect { height: 1, ..area };
            let width = if q.kind == QuestionType::Text {
                row.width
            } else {
                row.width.min(24)
            };
            let cursor = draw_prompt(frame, Rect { width, ..row }, "›", &input.edit);
            if !hint.is_empty() && area.height > 1 {
                frame.render_widget(
                    Span::styled(hint, theme::dim()),
                    Rect {
                        y: row.y + 1,
                        ..row
                    },
                );
            }
            Some(cursor)
        }
    }
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
            let key = match i {
                0..=8 => format!("{:>2}", i + 1),
                9 => " 0".to_owned(),
                _ => "  ".to_owned(),
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
            // Long options wrap under their own text rather than being cut.
            let indent = 7;
            let rows = ui::wrap(&label, usize::from(area.width).saturating_sub(indent));
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
    let mut state = ListState::default().with_selected(input.cursor);
    let list = List::new(items).highlight_style(theme::highlight());
    frame.render_stateful_widget(list, area, &mut state);
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
    let mut spans = Vec::new();
    for v in min..=max {
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
    let scale_w = u16::try_from((max - min + 1) * 4)
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

fn draw_elsewhere(frame: &mut Frame, line: &crate::tui::widgets::EditLine, s: &Strings) {
    let area = ui::centered(frame.area(), 70, 4);
    frame.render_widget(ratatui::widgets::Clear, area);
    let block = ratatui::widgets::Block::bordered().border_style(theme::error());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [label, row] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Span::styled(s.save_elsewhere_prompt, theme::label()), label);
    let cursor = line.render(row, frame.buffer_mut(), theme::field());
    frame.set_cursor_position(cursor);
}
