//! The small form that opens a completed interview for editing: who edits it (the remembered
//! interviewer, changeable) and why. Both are recorded in the interview's revisions and trail.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Clear};

use crate::tui::action::Action;
use crate::tui::strings::Strings;
use crate::tui::widgets::EditLine;
use crate::tui::{theme, ui};

/// Which field has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Name,
    Reason,
}

/// What the form asks the screen to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    /// Keep the form open (redraw when true).
    Stay(bool),
    /// Close the form without editing.
    Cancel,
    /// Edit, by this name, for this reason.
    Edit { by: String, reason: String },
}

/// The "edit a completed interview" form.
#[derive(Debug, Clone)]
pub struct EditForm {
    pub name: EditLine,
    pub reason: EditLine,
    pub focus: EditField,
    /// The field left empty when Enter was pressed.
    pub missing: Option<EditField>,
}

impl EditForm {
    /// The form with the name of the interviewer at the keyboard filled in.
    pub fn new(by: &str) -> Self {
        let focus = if by.trim().is_empty() {
            EditField::Name
        } else {
            EditField::Reason
        };
        Self {
            name: EditLine::new(by).with_max_chars(Some(80)),
            reason: EditLine::new("").with_max_chars(Some(500)),
            focus,
            missing: None,
        }
    }

    /// Handles one action.
    pub fn update(&mut self, action: Action) -> EditOutcome {
        match action {
            Action::Back => return EditOutcome::Cancel,
            Action::Up | Action::Previous => self.focus = EditField::Name,
            Action::Down => self.focus = EditField::Reason,
            Action::Confirm if self.focus == EditField::Name => self.focus = EditField::Reason,
            Action::Confirm => {
                let (by, reason) = (self.name.text().trim(), self.reason.text().trim());
                if by.is_empty() {
                    self.missing = Some(EditField::Name);
                    self.focus = EditField::Name;
                } else if reason.is_empty() {
                    self.missing = Some(EditField::Reason);
                } else {
                    return EditOutcome::Edit {
                        by: by.to_owned(),
                        reason: reason.to_owned(),
                    };
                }
            }
            action => {
                let line = match self.focus {
                    EditField::Name => &mut self.name,
                    EditField::Reason => &mut self.reason,
                };
                return EditOutcome::Stay(line.apply(action));
            }
        }
        EditOutcome::Stay(true)
    }

    /// Draws the form over the screen.
    pub fn draw(&self, frame: &mut Frame, s: &Strings) {
        let area = ui::centered(frame.area(), 70, 7);
        frame.render_widget(Clear, area);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme::heading())
            .title(Span::styled(
                format!(" {} ", s.edit_title),
                theme::heading(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [name_row, reason_row, _, message] =
            Layout::vertical([Constraint::Length(1); 4]).areas(inner);
        let label_w = 16;
        let mut cursor = None;
        for (row, label, line, field) in [
            (name_row, s.edit_by, &self.name, EditField::Name),
            (reason_row, s.edit_reason, &self.reason, EditField::Reason),
        ] {
            let [l, f] =
                Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).areas(row);
            frame.render_widget(Span::styled(label, theme::label()), l);
            let at = line.render(f, frame.buffer_mut(), theme::field());
            if field == self.focus {
                cursor = Some(at);
            }
        }
        let text = match self.missing {
            Some(EditField::Name) => Span::styled(s.edit_by_required, theme::error()),
            Some(EditField::Reason) => Span::styled(s.edit_reason_required, theme::error()),
            None => Span::styled(s.edit_hint, theme::dim()),
        };
        frame.render_widget(text, message);
        if let Some(cursor) = cursor {
            frame.set_cursor_position(cursor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_and_a_reason_are_both_needed() {
        let mut form = EditForm::new("Мария");
        assert_eq!(form.focus, EditField::Reason);
        assert_eq!(form.update(Action::Confirm), EditOutcome::Stay(true));
        assert_eq!(form.missing, Some(EditField::Reason));
        for c in "грешна възраст".chars() {
            form.update(Action::Insert(c));
        }
        form.update(Action::Up);
        form.update(Action::ClearLine);
        form.update(Action::Down);
        form.update(Action::Confirm);
        assert_eq!(form.missing, Some(EditField::Name));
        for c in "Иван".chars() {
            form.update(Action::Insert(c));
        }
        form.update(Action::Confirm);
        assert_eq!(
            form.update(Action::Confirm),
            EditOutcome::Edit {
                by: "Иван".into(),
                reason: "грешна възраст".into()
            }
        );
        assert_eq!(form.update(Action::Back), EditOutcome::Cancel);
    }
}
