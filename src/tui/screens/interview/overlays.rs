//! The boxes over the interview screen that have their own keys: the remark (F4) and the
//! question list (F3). Each takes every key while open; closing it hands the result to the
//! interview.

use super::InterviewScreen;
use super::jump::JumpEffect;
use super::remark::{RemarkEditor, RemarkEffect};
use crate::interview::Step;
use crate::tui::action::Action;

impl InterviewScreen {
    /// Opens the remark box on the question on screen, or on the review's highlighted row.
    pub(super) fn open_remark(&mut self) -> bool {
        let position = match self.interview.step() {
            Step::Question(pos) => Some(pos),
            Step::Review => self
                .interview
                .review_positions()
                .get(self.review_cursor)
                .copied(),
        };
        let Some(position) = position else {
            return false;
        };
        self.remark = Some(RemarkEditor::open(&self.interview, position));
        true
    }

    /// A key on the question list; Enter goes to the question (from the review, as an edit
    /// that comes back to it).
    pub(super) fn update_jump(&mut self, action: Action) -> bool {
        let Some(list) = &mut self.jump else {
            return false;
        };
        match list.update(action) {
            JumpEffect::Unchanged => false,
            JumpEffect::Redraw => true,
            JumpEffect::Close => {
                self.jump = None;
                true
            }
            JumpEffect::Go(position) => {
                self.jump = None;
                if self.interview.step() == Step::Review {
                    self.interview.edit_from_review(position);
                } else {
                    self.interview.jump_to(position);
                }
                true
            }
        }
    }

    pub(super) fn update_remark(&mut self, action: Action) -> bool {
        let Some(editor) = &mut self.remark else {
            return false;
        };
        match editor.update(action) {
            RemarkEffect::Unchanged => false,
            RemarkEffect::Redraw => true,
            RemarkEffect::Close(text) => {
                let position = editor.position;
                self.remark = None;
                self.interview.set_remark(position, &text);
                true
            }
        }
    }
}
