//! The interview screen: one question at a time, then the review. It holds an
//! [`Interview`] (the rules) and the field being filled in, sends every confirmed answer to the
//! background saver, and shows whether the answers are on disk.
//!
//! A completed interview opens read-only (nothing is written); `e` asks who edits it and why,
//! and the app opens it again, read from its file under its lock, for editing.

mod choice_keys;
mod dialogs;
mod draw;
pub mod edit;
mod fields;
pub mod input;
pub mod jump;
pub mod observe;
mod overlays;
mod remark;
mod review;

use std::path::PathBuf;

use crate::interview::{Interview, Step};
use crate::outcome::Outcome;
use crate::store::{ResponseLock, Status, Store, TrailNote};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::quota::QuotaView;
use crate::tui::saver::{Saved, Saver};
use crate::tui::widgets::EditLine;

use crate::questionnaire::Answer;
pub use draw::draw;
use edit::{EditForm, EditOutcome};
use input::{Effect, Input, Warned};
use jump::JumpList;
use observe::{ObserveForm, ObserveOutcome};
pub use remark::RemarkEditor;
pub use review::answer_text;

use super::{Notice, Transition};

/// Where to go once the last save is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Back to the home screen, the draft kept (or an edited interview saved).
    Pause,
    /// Back to the home screen, the case closed with this outcome.
    Closed(Outcome),
    /// Out of anketa.
    Quit,
}

/// A question on top of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// Finish? With the number of relevant questions still unanswered.
    Finish {
        unanswered: usize,
    },
    /// An answer ends the interview (consent refused, under age): thank and close.
    ThankYou(Outcome),
    /// End the interview now: the reason list, with the highlighted row.
    End {
        cursor: usize,
    },
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
    /// The file disappeared while the interview was open and was written again.
    pub recreated: bool,
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
    /// A completed interview shown without being opened: nothing is saved.
    read_only: bool,
    /// The interviewer at the keyboard, offered as the editor of a completed interview.
    viewer: String,
    /// Set when the interview's audit trail was found missing or damaged on opening.
    pub trail_note: Option<TrailNote>,
    /// The "who edits and why" form, open after `e` on a completed interview.
    pub edit: Option<EditForm>,
    /// The end-of-interview observations form, open once the interview is closed.
    pub observe: Option<ObserveForm>,
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
            read_only: false,
            viewer: String::new(),
            trail_note: None,
            edit: None,
            observe: None,
            remark: None,
            jump: None,
        }
    }

    /// Shows a completed interview without opening it: the review, read-only, never saved.
    /// `viewer` is offered as the editor's name if it is edited.
    pub fn read_only(interview: Interview, store: Store, lang: &str, viewer: &str) -> Self {
        let mut screen = Self::new(interview.at_review(), store, None, lang);
        screen.read_only = true;
        screen.viewer = viewer.to_owned();
        screen
    }

    /// Whether this is a read-only view of a completed interview.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The keyboard focus, for the keymap.
    pub fn mode(&self) -> Mode {
        if self.elsewhere.is_some()
            || self.edit.is_some()
            || self.remark.is_some()
            || self.jump.is_some()
        {
            return Mode::Text;
        }
        if let Some(form) = &self.observe {
            return form.mode();
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
        if self.read_only {
            return;
        }
        self.save.sent += 1;
        self.save.generation = self.interview.generation();
        let interview = &self.interview;
        saver.save(
            &self.store,
            interview.response(),
            interview.trail(),
            self.save.sent,
            self.save.written > 0,
        );
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
        if saved.recreated {
            self.save.recreated = true;
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
        let response = self.interview.response();
        match leave {
            Leave::Pause if response.status == Status::Complete => {
                Transition::Home(Some(closed_notice(response.effective_outcome())))
            }
            Leave::Pause => Transition::Home(Some(Notice::Paused)),
            Leave::Closed(outcome) => Transition::Home(Some(closed_notice(Some(outcome)))),
            Leave::Quit => Transition::Quit,
        }
    }

    /// Records the time on screen, saves, and leaves once the save is confirmed.
    fn leave(&mut self, leave: Leave, saver: &mut Saver) -> Option<Transition> {
        if self.save.error.is_some() {
            self.dialog = Some(Dialog::LeaveUnsaved(leave));
            return None;
        }
        match leave {
            Leave::Closed(_) => self.interview.flush(),
            _ if self.interview.response().status == Status::Complete => self.interview.flush(),
            _ => self.interview.pause(),
        }
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
        if self.read_only {
            return self.update_read_only(action);
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
            let result = self.update_dialog(dialog, action, saver);
            self.sync_input(lang);
            return result;
        }
        if self.elsewhere.is_some() {
            return (self.update_elsewhere(action, saver), None);
        }
        if self.observe.is_some() {
            return self.update_observe(action, saver);
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
            Action::EndInterview => {
                self.dialog = Some(Dialog::End { cursor: 0 });
                (true, None)
            }
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
                if let Some(outcome) = self.interview.pending_end() {
                    self.dialog = Some(Dialog::ThankYou(outcome));
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
            Action::Finish => self.ask_finish(),
            Action::Confirm => match rows.get(self.review_cursor) {
                Some(&pos) => self.interview.edit_from_review(pos),
                None => self.ask_finish(),
            },
            _ => return false,
        }
        before != self.review_cursor
            || self.dialog.is_some()
            || self.interview.step() != Step::Review
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

/// The home screen's message for a case closed with `outcome`.
fn closed_notice(outcome: Option<Outcome>) -> Notice {
    match outcome {
        None | Some(Outcome::Complete) => Notice::Completed,
        Some(outcome) => Notice::Ended(outcome),
    }
}

/// The banner's words for an audit trail found missing or damaged.
fn trail_note_text(note: &TrailNote, s: &crate::tui::strings::Strings) -> String {
    match note {
        TrailNote::Missing { .. } => s.trail_missing.to_owned(),
        TrailNote::Damaged { kept_as, .. } => {
            crate::tui::strings::fill(s.trail_damaged, &[&kept_as.display().to_string()])
        }
    }
}
