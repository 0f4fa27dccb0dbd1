//! The interview screen: one question at a time, then the review. It holds an
//! [`Interview`] (the rules) and the field being filled in, sends every confirmed answer to the
//! background saver, and shows whether the answers are on disk.

mod choice_keys;
mod draw;
mod fields;
pub mod input;
pub mod jump;
mod overlays;
mod remark;
mod review;

use std::path::PathBuf;

use crate::interview::{Interview, Step};
use crate::store::{ResponseLock, Store};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::quota::QuotaView;
use crate::tui::saver::{Saved, Saver};
use crate::tui::ui;
use crate::tui::widgets::EditLine;

use crate::questionnaire::Answer;
pub use draw::draw;
use input::{Effect, Input, Warned};
use jump::JumpList;
pub use remark::RemarkEditor;
pub use review::answer_text;

use super::{Notice, Transition};

/// Where to go once the last save is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Back to the home screen, the draft kept.
    Pause,
    /// Back to the home screen, the interview complete.
    Completed,
    /// Out of anketa.
    Quit,
}

/// A yes/no question on top of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Finish,
    LeaveUnsaved(Leave),
}

/// What is known about saving this interview.
#[derive(Debug, Clone, Default)]
pub struct SaveState {
    /// Numbers the saves sent; the last one sent and the last one written.
    sent: u64,
    written: u64,
    /// The interview's generation at the last save sent.
    generation: u64,
    pub error: Option<String>,
    pub saved_to: Option<PathBuf>,
}

impl SaveState {
    /// Whether the newest answers are not known to be on disk.
    pub fn is_unsaved(&self) -> bool {
        self.error.is_some() || self.written < self.sent
    }

    /// Whether a save is under way and none has failed.
    pub fn is_saving(&self) -> bool {
        self.error.is_none() && self.written < self.sent
    }
}

/// The interview screen.
#[derive(Debug)]
pub struct InterviewScreen {
    pub interview: Interview,
    store: Store,
    _lock: Option<ResponseLock>,
    pub input: Input,
    input_step: Step,
    pub review_cursor: usize,
    pub dialog: Option<Dialog>,
    pub save: SaveState,
    /// The "save to another folder" field, open after F6.
    pub elsewhere: Option<EditLine>,
    /// The folder chosen with F6, once answers go there instead of the data folder.
    pub moved_to: Option<PathBuf>,
    leaving: Option<Leave>,
    /// Required questions still unanswered when finishing was refused.
    pub missing: usize,
    /// Targets this respondent would go beyond, kept up to date by the app.
    pub quota: QuotaView,
    /// The remark box, open after F4.
    pub remark: Option<RemarkEditor>,
    /// The question list, open after F3.
    pub jump: Option<JumpList>,
}

impl InterviewScreen {
    /// Opens `interview`, saving into `store`; `lock` is held while the screen is open.
    pub fn new(interview: Interview, store: Store, lock: Option<ResponseLock>, lang: &str) -> Self {
        let input = Input::for_step(&interview, lang);
        let input_step = interview.step();
        Self {
            interview,
            store,
            _lock: lock,
            input,
            input_step,
            review_cursor: 0,
            dialog: None,
            save: SaveState::default(),
            elsewhere: None,
            moved_to: None,
            leaving: None,
            missing: 0,
            quota: QuotaView::default(),
            remark: None,
            jump: None,
        }
    }

    /// The keyboard focus, for the keymap.
    pub fn mode(&self) -> Mode {
        if self.elsewhere.is_some() || self.remark.is_some() || self.jump.is_some() {
            return Mode::Text;
        }
        if self.dialog.is_some() {
            return Mode::Choice;
        }
        match self.interview.current() {
            Some((_, q)) if self.input.is_typing(q.kind) => Mode::Text,
            _ => Mode::Choice,
        }
    }

    /// Sends the response to the saver now.
    pub fn save_now(&mut self, saver: &mut Saver) {
        self.save.sent += 1;
        self.save.generation = self.interview.generation();
        saver.save(&self.store, self.interview.response(), self.save.sent);
    }

    /// Sends a save when the response changed since the last one.
    fn save_if_changed(&mut self, saver: &mut Saver) {
        if self.interview.generation() != self.save.generation {
            self.save_now(saver);
        }
    }

    /// Takes in a save result; returns where to go when a pending departure can now happen.
    pub fn on_saved(&mut self, saved: &Saved) -> Option<Transition> {
        if saved.id != self.interview.response().id {
            return None;
        }
        match &saved.result {
            Ok(path) => {
                self.save.written = self.save.written.max(saved.generation);
                if saved.generation >= self.save.sent {
                    self.save.error = None;
                }
                self.save.saved_to = path.parent().map(PathBuf::from);
            }
            Err(message) if saved.generation >= self.save.written => {
                self.save.error = Some(message.clone());
            }
            Err(_) => {}
        }
        let leave = self.leaving?;
        if self.save.error.is_some() {
            // Stay, with the red banner, and offer another folder.
            self.leaving = None;
            return None;
        }
        if self.save.written >= self.save.sent {
            return Some(self.departure(leave));
        }
        None
    }

    fn departure(&self, leave: Leave) -> Transition {
        match leave {
            Leave::Pause => Transition::Home(Some(Notice::Paused)),
            Leave::Completed => Transition::Home(Some(Notice::Completed)),
            Leave::Quit => Transition::Quit,
        }
    }

    /// Records the time on screen, saves, and leaves once the save is confirmed.
    fn leave(&mut self, leave: Leave, saver: &mut Saver) -> Option<Transition> {
        if self.save.error.is_some() {
            self.dialog = Some(Dialog::LeaveUnsaved(leave));
            return None;
        }
        self.interview.pause();
        self.leaving = Some(leave);
        self.save_now(saver);
        None
    }

    /// Whether the screen waits for its last save before leaving.
    pub fn is_leaving(&self) -> bool {
        self.leaving.is_some()
    }

    /// Switches the display language (answers are unaffected) and records it in the response.
    pub fn set_language(&mut self, lang: &str, saver: &mut Saver) {
        self.interview.set_language(lang);
        self.save_if_changed(saver);
    }

    /// Handles one action; returns whether to redraw and where to go next.
    pub fn update(
        &mut self,
        action: Action,
        saver: &mut Saver,
        lang: &str,
    ) -> (bool, Option<Transition>) {
        if self.leaving.is_some() {
            return (false, None);
        }
        if action == Action::Quit {
            // Ctrl+C always quits: through the usual save, or at once when asked twice with
            // the answers unsaved.
            if matches!(self.dialog, Some(Dialog::LeaveUnsaved(_))) {
                return (true, Some(Transition::Quit));
            }
            self.dialog = None;
            self.elsewhere = None;
            self.jump = None;
            // A remark being written goes into the last save.
            if let Some(editor) = self.remark.take() {
                self.interview
                    .set_remark(editor.position, editor.text.text());
            }
            return (true, self.leave(Leave::Quit, saver));
        }
        if let Some(dialog) = self.dialog {
            return self.update_dialog(dialog, action, saver);
        }
        if self.elsewhere.is_some() {
            return (self.update_elsewhere(action, saver), None);
        }
        if self.remark.is_some() {
            let redraw = self.update_remark(action);
            self.save_if_changed(saver);
            return (redraw, None);
        }
        if self.jump.is_some() {
            let redraw = self.update_jump(action);
            self.sync_input(lang);
            return (redraw, None);
        }
        let result = match action {
            Action::Remark => (self.open_remark(), None),
            Action::Jump => {
                self.jump = Some(JumpList::open(&self.interview, lang));
                (true, None)
            }
            Action::SaveElsewhere if self.save.error.is_some() => {
                self.open_elsewhere();
                (true, None)
            }
            // Esc on a question opened from the review cancels the edit; elsewhere it pauses.
            Action::Back
                if self.input.other.is_none() && self.interview.is_editing_from_review() =>
            {
                self.interview.cancel_edit();
                (true, None)
            }
            Action::Back if self.input.other.is_none() => (true, self.leave(Leave::Pause, saver)),
            Action::Previous | Action::PageUp if self.interview.step() != Step::Review => {
                (self.interview.back(), None)
            }
            Action::Previous => (self.interview.back(), None),
            _ => match self.interview.step() {
                Step::Review => (self.update_review(action), None),
                Step::Question(pos) => (self.update_question(pos, action), None),
            },
        };
        self.save_if_changed(saver);
        self.sync_input(lang);
        result
    }

    fn update_question(&mut self, pos: usize, action: Action) -> bool {
        match self.input.update(&self.interview, pos, action) {
            Effect::None => false,
            Effect::Redraw => {
                self.input.warned = None;
                true
            }
            Effect::Submit(answer, other) => {
                if self.holds_for_confirmation(pos, answer.as_ref(), other.as_ref()) {
                    return true;
                }
                if let Err(why) = self.interview.submit(answer, other) {
                    self.input.error = Some(why);
                }
                true
            }
        }
    }

    /// Whether to hold `answer` back because it fails a soft check (`warnings`) and was not
    /// confirmed yet: the first Enter shows the messages, a second Enter on the same answer
    /// keeps it. An answer that is invalid anyway goes on to be refused with its error.
    fn holds_for_confirmation(
        &mut self,
        pos: usize,
        answer: Option<&Answer>,
        other: Option<&String>,
    ) -> bool {
        let Some(answer) = answer else {
            return false;
        };
        let confirmed = self
            .input
            .warned
            .take()
            .is_some_and(|w| w.answer == *answer && w.other.as_ref() == other);
        let other_text = other.map(String::as_str);
        if confirmed || self.interview.check(pos, answer, other_text).is_err() {
            return false;
        }
        let messages: Vec<_> = self
            .interview
            .warnings(pos, answer)
            .into_iter()
            .cloned()
            .collect();
        if messages.is_empty() {
            return false;
        }
        self.input.error = None;
        self.input.warned = Some(Warned {
            answer: answer.clone(),
            other: other.cloned(),
            messages,
        });
        true
    }

    fn update_review(&mut self, action: Action) -> bool {
        let rows = self.interview.review_positions();
        let last = rows.len(); // the row after the questions is "finish"
        let before = self.review_cursor;
        match action {
            Action::Up => self.review_cursor = self.review_cursor.saturating_sub(1),
            Action::Down => self.review_cursor = (self.review_cursor + 1).min(last),
            Action::PageUp => self.review_cursor = self.review_cursor.saturating_sub(10),
            Action::PageDown => self.review_cursor = (self.review_cursor + 10).min(last),
            Action::Home => self.review_cursor = 0,
            Action::End => self.review_cursor = last,
            Action::Finish => self.dialog = Some(Dialog::Finish),
            Action::Confirm => match rows.get(self.review_cursor) {
                Some(&pos) => self.interview.edit_from_review(pos),
                None => self.dialog = Some(Dialog::Finish),
            },
            _ => return false,
        }
        before != self.review_cursor
            || self.dialog.is_some()
            || self.interview.step() != Step::Review
    }

    fn update_dialog(
        &mut self,
        dialog: Dialog,
        action: Action,
        saver: &mut Saver,
    ) -> (bool, Option<Transition>) {
        let yes = match action {
            Action::Confirm => true,
            Action::Insert(c) if ui::is_yes(c) => true,
            Action::Back => false,
            Action::Insert(c) if ui::is_no(c) => false,
            Action::SaveElsewhere => {
                self.dialog = None;
                self.open_elsewhere();
                return (true, None);
            }
            _ => return (false, None),
        };
        self.dialog = None;
        if !yes {
            return (true, None);
        }
        match dialog {
            Dialog::Finish => match self.interview.finish() {
                Ok(()) => {
                    self.missing = 0;
                    self.leaving = Some(Leave::Completed);
                    self.save_now(saver);
                }
                Err(missing) => {
                    self.missing = missing.len();
                    let rows = self.interview.review_positions();
                    self.review_cursor = rows.iter().position(|p| missing.contains(p)).unwrap_or(0);
                }
            },
            Dialog::LeaveUnsaved(leave) => return (true, Some(self.departure(leave))),
        }
        (true, None)
    }

    /// Opens the "save to another folder" field with a suggestion next to the home folder.
    fn open_elsewhere(&mut self) {
        let suggestion = std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join("anketa-backup"))
            .unwrap_or_default();
        self.elsewhere = Some(EditLine::selected(&suggestion.to_string_lossy()));
    }

    fn update_elsewhere(&mut self, action: Action, saver: &mut Saver) -> bool {
        let Some(line) = &mut self.elsewhere else {
            return false;
        };
        match action {
            Action::Back => self.elsewhere = None,
            Action::Confirm => {
                let dir = PathBuf::from(line.text().trim());
                match Store::open(&dir) {
                    Ok(store) => {
                        self.store = store;
                        self.moved_to = Some(dir);
                        self.elsewhere = None;
                        self.save_now(saver);
                    }
                    Err(e) => self.save.error = Some(e.to_string()),
                }
            }
            action => return line.apply(action),
        }
        true
    }

    /// Rebuilds the field when the interview moved to another question.
    fn sync_input(&mut self, lang: &str) {
        let step = self.interview.step();
        if step != self.input_step {
            self.input = Input::for_step(&self.interview, lang);
            self.input_step = step;
            if step == Step::Review {
                self.review_cursor = self
                    .review_cursor
                    .min(self.interview.review_positions().len());
            }
        }
    }

    /// The data folder the answers go to (another one after F6).
    pub fn store(&self) -> &Store {
        &self.store
    }
}
