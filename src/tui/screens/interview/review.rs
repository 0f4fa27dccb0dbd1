//! The review: every relevant question with its answer; Enter on a row edits it, the last row
//! finishes the interview.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::InterviewScreen;
use super::remark::remark_preview;
use crate::interview::Interview;
use crate::municipality;
use crate::questionnaire::{Answer, Special};
use crate::tui::strings::strings;
use crate::tui::theme;
use crate::tui::ui::{truncate, wrap};
use unicode_width::UnicodeWidthStr;

/// An answer as a reader sees it: option labels, numbers, the municipality's name, "don't
/// know"… in `lang`.
pub fn answer_text(interview: &Interview, pos: usize, answer: &Answer, lang: &str) -> String {
    let s = strings(lang);
    let form = interview.form();
    let question = &form.questions()[pos];
    let choices = form.choices(question);
    let label = |code: &str| {
        choices
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_owned(), |c| c.label.get(lang).to_owned())
    };
    let other = interview.other_text(pos);
    let with_other = |code: &str| {
        let text = label(code);
        match other {
            Some(o) if choices.iter().any(|c| c.code == code && c.other) => format!("{text}: {o}"),
            _ => text,
        }
    };
    match answer {
        Answer::Special(Special::DontKnow) => s.dont_know.to_owned(),
        Answer::Special(Special::Refused) => s.refused.to_owned(),
        Answer::Special(Special::Invalid) => s.invalid_answer.to_owned(),
        Answer::Number(n) => n.to_string(),
        Answer::Codes(codes) => codes
            .iter()
            .map(|c| with_other(c))
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Text(text) => match question.kind {
            crate::questionnaire::QuestionType::Single => with_other(text),
            crate::questionnaire::QuestionType::Municipality => municipality::bundled()
                .get(text)
                .map_or_else(|| text.clone(), |m| m.name(lang).to_owned()),
            _ => text.clone(),
        },
    }
}

/// Draws the review list in `area`.
pub fn draw_review(
    frame: &mut Frame,
    screen: &InterviewScreen,
    codes: &[String],
    lang: &str,
    area: Rect,
) {
    let s = strings(lang);
    let interview = &screen.interview;
    let [list_area, message] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let label_w = usize::from(list_area.width).max(10);
    // Section titles head their questions; they are not selectable, so the cursor (which
    // counts questions and the finish row) is mapped to its row here.
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_row = 0;
    let mut section = None;
    for (i, pos) in interview.review_positions().into_iter().enumerate() {
        let title = interview.form().section_of(pos).title.get(lang);
        if section != Some(title) {
            section = Some(title);
            items.push(ListItem::new(Line::styled(
                format!(" {title}"),
                theme::heading(),
            )));
        }
        if i == screen.review_cursor {
            selected_row = items.len();
        }
        let code = codes.get(pos).map_or("", String::as_str);
        items.push(review_row(interview, pos, code, lang, label_w));
    }
    if screen.review_cursor >= items.len() || selected_row == 0 {
        selected_row = items.len();
    }
    let last_row = if screen.is_read_only() {
        s.edit_row
    } else {
        s.finish_row
    };
    items.push(ListItem::new(Line::styled(
        format!(" {last_row}"),
        theme::heading(),
    )));
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme::highlight()),
        list_area,
        &mut state,
    );
    if screen.missing > 0 {
        frame.render_widget(
            Span::styled(s.missing_required.fill(screen.missing), theme::error()),
            message,
        );
    }
}

/// One question and its answer (in red when a required one is missing), under its code. The
/// question's text is wrapped, never cut: many questions start alike ("In the last 12 months,
/// have you…") and differ only at the end. A remark follows on a row of its own.
fn review_row<'a>(
    interview: &Interview,
    pos: usize,
    code: &str,
    lang: &str,
    width: usize,
) -> ListItem<'a> {
    let s = strings(lang);
    let q = &interview.form().questions()[pos];
    // "  D12 " then the text; wrapped rows start under the text.
    let indent = 7;
    let mut lines = Vec::new();
    for (n, row) in wrap(q.label.get(lang), width.saturating_sub(indent + 1))
        .into_iter()
        .enumerate()
    {
        let head = if n == 0 {
            format!("  {code:<4} ")
        } else {
            " ".repeat(indent)
        };
        lines.push(Line::from(vec![
            Span::styled(head, theme::label()),
            Span::raw(row),
        ]));
    }
    let (answer, style) = match interview.answer(pos) {
        Some(a) => (answer_text(interview, pos, a, lang), theme::chosen()),
        None if q.required => (
            format!("{}{}", s.not_answered, s.required_mark),
            theme::error(),
        ),
        None => (s.not_answered.to_owned(), theme::dim()),
    };
    let answer = truncate(&answer, width.saturating_sub(indent + 3));
    lines.push(Line::styled(
        format!("{}→ {answer}", " ".repeat(indent)),
        style,
    ));
    if let Some(remark) = interview.remark(pos) {
        let room = width.saturating_sub(indent + s.remark_marker.width() + 1);
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(s.remark_marker, theme::warning()),
            Span::styled(remark_preview(remark, room), theme::hint()),
        ]));
    }
    ListItem::new(lines)
}
