//! The interviewer's remark on one question (F4 or Ctrl+N): a wrapped text box over the
//! screen. The remark is kept whichever way the box is closed — Enter or Esc — because a remark
//! is written while the respondent talks and must never be thrown away by a slip of the finger;
//! Ctrl+U empties it, and an empty remark is removed.
//!
//! Unlike an answer, an existing remark opens with the cursor at its end, not selected: one is
//! added to, and a selection would let the first key erase a long note.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use crate::interview::Interview;
use crate::tui::action::Action;
use crate::tui::strings::{Strings, fill};
use crate::tui::widgets::EditLine;
use crate::tui::widgets::text_area::{move_vertically, render_wrapped};
use crate::tui::{theme, ui};

/// The open remark box.
#[derive(Debug, Clone)]
pub struct RemarkEditor {
    /// The question the remark belongs to.
    pub position: usize,
    pub text: EditLine,
    /// The text's width at the last draw, for ↑/↓ by row (the view decides where rows break).
    width: Cell<u16>,
}

/// What a key did to the remark box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemarkEffect {
    Unchanged,
    Redraw,
    /// Close the box, keeping this text as the remark.
    Close(String),
}

impl RemarkEditor {
    /// The box for the question at `position`, holding its remark so far.
    pub fn open(interview: &Interview, position: usize) -> Self {
        Self {
            position,
            text: EditLine::new(interview.remark(position).unwrap_or_default()),
            width: Cell::new(60),
        }
    }

    /// Applies one key.
    pub fn update(&mut self, action: Action) -> RemarkEffect {
        let width = usize::from(self.width.get());
        let changed = match action {
            Action::Confirm | Action::Back | Action::Remark => {
                return RemarkEffect::Close(self.text.text().to_owned());
            }
            Action::Up => move_vertically(&mut self.text, width, false),
            Action::Down => move_vertically(&mut self.text, width, true),
            action => self.text.apply(action),
        };
        if changed {
            RemarkEffect::Redraw
        } else {
            RemarkEffect::Unchanged
        }
    }

    /// Draws the box over the screen: which question, the text wrapped and scrolled to the
    /// cursor, the keys and the length.
    pub fn draw(
        &self,
        frame: &mut Frame,
        interview: &Interview,
        code: &str,
        lang: &str,
        s: &Strings,
    ) {
        let screen = frame.area();
        let width = screen.width.saturating_sub(4).min(78);
        let height = screen.height.saturating_sub(4).min(16);
        let area = ui::centered(screen, width, height);
        frame.render_widget(Clear, area);
        let question = &interview.form().questions()[self.position];
        let name = if code.is_empty() {
            question.id.as_str()
        } else {
            code
        };
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme::warning())
            .title(Line::styled(
                format!(" {} ", fill(s.remark_title, &[name])),
                theme::heading(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [label, _, text_area, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(
                question.label.get(lang).to_owned(),
                theme::dim(),
            )),
            label,
        );
        self.width.set(text_area.width);
        let cursor = render_wrapped(&self.text, text_area, frame.buffer_mut(), theme::field());
        frame.set_cursor_position(cursor);
        let count = self.text.text().chars().count();
        frame.render_widget(
            Line::from(vec![
                Span::styled(s.remark_keys, theme::dim()),
                Span::styled(s.remark_length.fill(count), theme::dim()),
            ]),
            keys,
        );
    }
}

/// A remark cut to one row of `width` columns, for markers on the question and in the review.
pub fn remark_preview(remark: &str, width: usize) -> String {
    let one_line: String = remark.split_whitespace().collect::<Vec<_>>().join(" ");
    ui::truncate(&one_line, width)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn enter_and_esc_both_keep_the_remark() {
        let form = Arc::new(catalog::default_form().unwrap());
        let mut interview = Interview::start(form, "Мария", "PDV22", "bg");
        interview.set_remark(1, "казва, че не е сигурна");
        let mut editor = RemarkEditor::open(&interview, 1);
        assert!(
            !editor.text.is_selected(),
            "a remark is added to, not replaced"
        );
        editor.update(Action::Insert('!'));
        assert_eq!(
            editor.update(Action::Back),
            RemarkEffect::Close("казва, че не е сигурна!".into())
        );
        assert_eq!(editor.update(Action::ClearLine), RemarkEffect::Redraw);
        assert_eq!(
            editor.update(Action::Confirm),
            RemarkEffect::Close(String::new())
        );
    }

    #[test]
    fn a_preview_is_one_row() {
        assert_eq!(remark_preview("две\nреда", 20), "две реда");
        assert_eq!(remark_preview(&"а".repeat(50), 10).chars().count(), 10);
    }
}
