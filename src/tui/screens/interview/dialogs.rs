//! The questions the interview screen asks on top of itself, and the end of an interview:
//! finishing (with the unanswered questions counted), the thank-you after an answer that ends
//! the interview, ending it with a reason, the observations form, and the read-only view of a
//! completed interview with its "edit" form.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::{Dialog, EditForm, EditOutcome, InterviewScreen, Leave, ObserveForm, ObserveOutcome};
use crate::outcome::Outcome;
use crate::tui::action::Action;
use crate::tui::saver::Saver;
use crate::tui::screens::Transition;
use crate::tui::strings::{Strings, fill};
use crate::tui::{theme, ui};

/// The reasons offered to end an interview early: every non-interview outcome, in code order.
pub fn end_reasons() -> Vec<Outcome> {
    Outcome::ALL
        .into_iter()
        .filter(|o| !o.is_interview())
        .collect()
}

impl InterviewScreen {
    /// Opens the finish question, counting the questions still unanswered.
    pub(super) fn ask_finish(&mut self) {
        let unanswered = self.interview.unanswered().len();
        self.dialog = Some(Dialog::Finish { unanswered });
    }

    pub(super) fn update_dialog(
        &mut self,
        dialog: Dialog,
        action: Action,
        saver: &mut Saver,
    ) -> (bool, Option<Transition>) {
        if let Dialog::End { cursor } = dialog {
            return (self.update_end(cursor, action, saver), None);
        }
        let (yes, go_to_first) = match action {
            Action::Confirm if matches!(dialog, Dialog::Finish { unanswered } if unanswered > 0) => {
                (false, true)
            }
            Action::Confirm => (true, false),
            Action::Insert(c) if ui::is_yes(c) => (true, false),
            Action::Back => (false, false),
            Action::Insert(c) if ui::is_no(c) => (false, false),
            Action::SaveElsewhere => {
                self.dialog = None;
                self.open_elsewhere();
                return (true, None);
            }
            _ => return (false, None),
        };
        self.dialog = None;
        match dialog {
            Dialog::Finish { .. } if go_to_first => {
                if let Some(&first) = self.interview.unanswered().first() {
                    self.interview.edit_from_review(first);
                }
            }
            Dialog::Finish { .. } if yes => self.finish(saver),
            Dialog::ThankYou(outcome) if yes => self.close(outcome, saver),
            Dialog::ThankYou(_) => self.interview.take_back_end(),
            Dialog::LeaveUnsaved(leave) if yes => return (true, Some(self.departure(leave))),
            _ => {}
        }
        (true, None)
    }

    fn finish(&mut self, saver: &mut Saver) {
        match self.interview.finish() {
            Ok(_) => {
                self.missing = 0;
                self.save_now(saver);
                self.open_observations();
            }
            Err(missing) => {
                self.missing = missing.len();
                let rows = self.interview.review_positions();
                self.review_cursor = rows.iter().position(|p| missing.contains(p)).unwrap_or(0);
            }
        }
    }

    /// Ends the interview with `outcome` (a reason or an answer that ends it), then asks for
    /// the observations.
    fn close(&mut self, outcome: Outcome, saver: &mut Saver) {
        let reason = outcome.label("en");
        self.interview.end(outcome, reason);
        self.save_now(saver);
        self.open_observations();
    }

    fn open_observations(&mut self) {
        let interview = &self.interview;
        self.observe = Some(ObserveForm::new(
            interview.form().languages(),
            &interview.response().observations,
            interview.language(),
        ));
    }

    fn update_end(&mut self, cursor: usize, action: Action, saver: &mut Saver) -> bool {
        let reasons = end_reasons();
        let last = reasons.len() - 1;
        let cursor = match action {
            Action::Up => cursor.saturating_sub(1),
            Action::Down => (cursor + 1).min(last),
            Action::Home => 0,
            Action::End => last,
            Action::Digit(d) if (1..=reasons.len()).contains(&usize::from(d)) => usize::from(d) - 1,
            Action::Back => {
                self.dialog = None;
                return true;
            }
            Action::Confirm => {
                self.dialog = None;
                self.close(reasons[cursor.min(last)], saver);
                return true;
            }
            _ => return false,
        };
        self.dialog = Some(Dialog::End { cursor });
        true
    }

    pub(super) fn update_observe(
        &mut self,
        action: Action,
        saver: &mut Saver,
    ) -> (bool, Option<Transition>) {
        let Some(form) = &mut self.observe else {
            return (false, None);
        };
        let outcome = self
            .interview
            .response()
            .effective_outcome()
            .unwrap_or(Outcome::Complete);
        match form.update(action) {
            ObserveOutcome::Stay(redraw) => (redraw, None),
            ObserveOutcome::Done(observations) => {
                self.observe = None;
                self.interview.observe(observations);
                (true, self.leave(Leave::Closed(outcome), saver))
            }
            ObserveOutcome::Skip => {
                self.observe = None;
                (true, self.leave(Leave::Closed(outcome), saver))
            }
        }
    }

    /// A completed interview shown read-only: move in the review, `e` to edit, Esc home.
    pub(super) fn update_read_only(&mut self, action: Action) -> (bool, Option<Transition>) {
        if let Some(form) = &mut self.edit {
            return match form.update(action) {
                EditOutcome::Stay(redraw) => (redraw, None),
                EditOutcome::Cancel => {
                    self.edit = None;
                    (true, None)
                }
                EditOutcome::Edit { by, reason } => {
                    self.edit = None;
                    let response = self.interview.response();
                    let go = Transition::Edit {
                        id: response.id,
                        form: std::sync::Arc::clone(self.interview.form_arc()),
                        by,
                        reason,
                    };
                    (true, Some(go))
                }
            };
        }
        let last = self.interview.review_positions().len();
        match action {
            Action::Quit => return (false, Some(Transition::Quit)),
            Action::Back | Action::Insert('q') => return (false, Some(Transition::Home(None))),
            Action::Insert('e' | 'E' | 'р' | 'Р') => {
                self.edit = Some(EditForm::new(&self.viewer))
            }
            Action::Confirm if self.review_cursor >= last => {
                self.edit = Some(EditForm::new(&self.viewer));
            }
            Action::Up => self.review_cursor = self.review_cursor.saturating_sub(1),
            Action::Down => self.review_cursor = (self.review_cursor + 1).min(last),
            Action::PageUp => self.review_cursor = self.review_cursor.saturating_sub(10),
            Action::PageDown => self.review_cursor = (self.review_cursor + 10).min(last),
            Action::Home => self.review_cursor = 0,
            Action::End => self.review_cursor = last,
            _ => return (false, None),
        }
        (true, None)
    }
}

/// Draws the dialog or form open on the interview screen, if any.
pub fn draw_overlays(frame: &mut Frame, screen: &InterviewScreen, s: &Strings, lang: &str) {
    if let Some(form) = &screen.edit {
        form.draw(frame, s);
    }
    if let Some(form) = &screen.observe {
        form.draw(frame, s);
    }
    let Some(dialog) = screen.dialog else {
        return;
    };
    match dialog {
        Dialog::Finish { unanswered: 0 } => {
            let text = match screen.interview.finish_outcome() {
                Outcome::Partial => fill(
                    s.confirm_finish_partial,
                    &[&percent(screen.interview.answered_share())],
                ),
                _ => s.confirm_finish.to_owned(),
            };
            ui::draw_dialog(frame, &text, s, false);
        }
        Dialog::Finish { unanswered } => {
            let text = fill(s.confirm_finish_unanswered, &[&unanswered.to_string()]);
            draw_message(frame, &text, s.finish_unanswered_keys);
        }
        Dialog::ThankYou(outcome) => {
            let text = fill(s.thank_you, &[outcome.label(lang)]);
            draw_message(frame, &text, s.thank_you_keys);
        }
        Dialog::End { cursor } => draw_end(frame, cursor, s, lang),
        Dialog::LeaveUnsaved(_) => ui::draw_dialog(frame, s.confirm_leave_unsaved, s, true),
    }
}

/// The footer of the screen while an overlay is open, if one is.
pub fn overlay_keys(
    screen: &InterviewScreen,
    s: &'static Strings,
) -> Option<&'static [(&'static str, &'static str)]> {
    if screen.edit.is_some() {
        return Some(s.keys_edit_form);
    }
    if screen.observe.is_some() {
        return Some(s.keys_observe);
    }
    match screen.dialog? {
        Dialog::Finish { unanswered } if unanswered > 0 => Some(s.keys_finish_unanswered),
        Dialog::End { .. } => Some(s.keys_end),
        Dialog::ThankYou(_) => Some(s.keys_thank_you),
        _ => Some(s.keys_dialog),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn draw_message(frame: &mut Frame, text: &str, keys: &str) {
    let area = ui::centered(frame.area(), 64, 8);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::heading());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = vec![
        Line::styled(text.to_owned(), theme::question()),
        Line::raw(""),
        Line::styled(keys.to_owned(), theme::dim()),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

fn draw_end(frame: &mut Frame, cursor: usize, s: &Strings, lang: &str) {
    let reasons = end_reasons();
    let height = u16::try_from(reasons.len()).unwrap_or(9) + 2;
    let area = ui::centered(frame.area(), 64, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::heading())
        .title(Span::styled(format!(" {} ", s.end_title), theme::heading()));
    let items: Vec<ListItem> = reasons
        .iter()
        .enumerate()
        .map(|(i, o)| ListItem::new(format!("{} {} ({})", i + 1, o.label(lang), o.code())))
        .collect();
    let mut state = ListState::default().with_selected(Some(cursor));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(theme::highlight()),
        area,
        &mut state,
    );
}
