//! Drawing the interview screen. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{LineGauge, Paragraph};

use unicode_width::UnicodeWidthStr;

use super::fields::{draw_field, field_height};
use super::remark::remark_preview;
use super::review::{answer_text, draw_review};
use super::{Dialog, InterviewScreen};
use crate::interview::Step;
use crate::municipality;
use crate::questionnaire::codes::question_codes;
use crate::questionnaire::{Question, QuestionType};
use crate::tui::strings::{KeyHelp, Strings, fill, invalid, strings};
use crate::tui::{theme, ui};

/// Draws the whole interview screen in `frame`.
pub fn draw(frame: &mut Frame, screen: &InterviewScreen, lang: &str) {
    let s = strings(lang);
    let banner_h = if screen.save.error.is_some() {
        2
    } else {
        notices(screen, s).len().max(1)
    };
    let banner_h = u16::try_from(banner_h).unwrap_or(1);
    let keys = match screen.interview.current() {
        _ if screen.dialog.is_some() => s.keys_dialog.to_vec(),
        Some((_, q)) => footer_keys(q, screen, s),
        None => s.keys_review.to_vec(),
    };
    // Two rows usually; a third rather than a key left out, at most a quarter of the screen.
    let footer_h =
        ui::footer_height(&keys, frame.area().width).clamp(2, (frame.area().height / 4).max(2));
    let [title, status, gauge, banner, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(banner_h),
        Constraint::Min(4),
        Constraint::Length(footer_h),
    ])
    .areas(frame.area());
    draw_top(frame, screen, s, lang, [title, status, gauge, banner]);
    let codes = question_codes(screen.interview.form().questionnaire());
    match screen.interview.current() {
        Some((pos, q)) => draw_question(frame, screen, pos, q, lang, body),
        None => draw_review(frame, screen, &codes, lang, body),
    }
    ui::draw_footer(frame, footer, &keys);
    if let Some(line) = &screen.elsewhere {
        draw_elsewhere(frame, line, s);
    }
    if let Some(list) = &screen.jump {
        list.draw(frame, s);
    }
    if let Some(editor) = &screen.remark {
        let code = codes.get(editor.position).map_or("", String::as_str);
        editor.draw(frame, &screen.interview, code, lang, s);
    }
    match screen.dialog {
        Some(Dialog::Finish) => ui::draw_dialog(frame, s.confirm_finish, s, false),
        Some(Dialog::LeaveUnsaved(_)) => ui::draw_dialog(frame, s.confirm_leave_unsaved, s, true),
        None => {}
    }
}

/// The keys of the question on screen: its own, don't know/refused only where the question
/// accepts them, then remark, question list, language, Esc and help.
fn footer_keys(q: &Question, screen: &InterviewScreen, s: &'static Strings) -> Vec<KeyHelp> {
    let typing = screen.input.other.is_some() || screen.input.is_typing(q.kind);
    let own = match q.kind {
        _ if screen.input.other.is_some() => s.keys_text,
        QuestionType::Note => s.keys_note,
        QuestionType::Single => s.keys_single,
        QuestionType::Multiple => s.keys_multiple,
        QuestionType::Scale => s.keys_scale,
        _ => s.keys_text,
    };
    let mut keys = own.to_vec();
    if q.allow_special && q.kind.is_answerable() {
        keys.extend_from_slice(s.keys_special);
    }
    keys.extend_from_slice(s.keys_question);
    keys.push(if screen.interview.is_editing_from_review() {
        s.keys_cancel_edit
    } else {
        s.keys_pause
    });
    keys.push(if typing {
        s.keys_help_text
    } else {
        s.keys_help_choice
    });
    keys
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
    } else {
        let lines: Vec<Line> = notices(screen, s)
            .into_iter()
            .map(|text| Line::styled(format!(" {text}"), theme::warning()))
            .collect();
        frame.render_widget(Paragraph::new(lines), banner);
    }
}

/// The banner's warnings when the answers are saved: quota targets this respondent would go
/// beyond, and the other folder the answers go to.
fn notices(screen: &InterviewScreen, s: &Strings) -> Vec<String> {
    let mut out = screen.quota.messages.clone();
    if let Some(dir) = &screen.moved_to {
        out.push(fill(s.saved_elsewhere, &[&dir.display().to_string()]));
    }
    out
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
    // Text to read out comes first and looks like the question: the interviewer reads both.
    if let Some(preamble) = &q.read_aloud {
        for row in ui::wrap(preamble.get(lang), usize::from(inner.width)) {
            lines.push(Line::styled(row, theme::question()));
        }
    }
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
    if let Some(remark) = screen.interview.remark(pos) {
        let room = usize::from(inner.width).saturating_sub(s.remark_marker.width());
        lines.push(Line::from(vec![
            Span::styled(s.remark_marker, theme::warning()),
            Span::styled(remark_preview(remark, room), theme::hint()),
        ]));
    }
    // A note is all text; a question keeps at least a few rows for its field.
    let keep = if q.kind == QuestionType::Note { 2 } else { 5 };
    let head_h = u16::try_from(lines.len())
        .unwrap_or(3)
        .min(inner.height.saturating_sub(keep));
    let head = Paragraph::new(Text::from(lines));
    let warning = warning_lines(screen, lang, inner.width);
    let message_h = u16::try_from(warning.len()).unwrap_or(1).max(1);
    let room = inner.height.saturating_sub(head_h + 1 + message_h);
    let field_h = field_height(screen, pos, q, inner.width).min(room);
    let [head_area, _, field_area, message_area] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(1),
        Constraint::Length(field_h),
        Constraint::Length(message_h),
    ])
    .areas(inner);
    frame.render_widget(head, head_area);
    let cursor = draw_field(frame, screen, pos, q, lang, field_area);
    if let Some(cursor) = cursor {
        frame.set_cursor_position(cursor);
    }
    if warning.is_empty() {
        draw_message(frame, screen, pos, lang, message_area);
    } else {
        frame.render_widget(Paragraph::new(Text::from(warning)), message_area);
    }
}

/// The messages of the soft checks the answer fails, and how to confirm it, wrapped to `width`.
fn warning_lines(screen: &InterviewScreen, lang: &str, width: u16) -> Vec<Line<'static>> {
    let Some(warned) = &screen.input.warned else {
        return Vec::new();
    };
    let mut text: Vec<&str> = warned.messages.iter().map(|m| m.get(lang)).collect();
    text.push(strings(lang).warning_confirm);
    let rows = ui::wrap(&format!("! {}", text.join(" ")), usize::from(width));
    rows.into_iter()
        .map(|row| Line::styled(row, theme::warning()))
        .collect()
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
