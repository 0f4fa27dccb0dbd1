//! The Export screen: choose the format and options, run the export on a background thread
//! with a progress gauge, and see the paths written.
//!
//! State, keys and drawing are apart as in the rest of the interface: [`ExportScreen::on_key`]
//! and [`ExportScreen::poll`] change state and say whether to redraw, [`ExportScreen::draw`]
//! only reads it. The export itself is [`crate::export::job`], the same code as
//! `anketa export`, so the screen and the command line write identical files.

mod draw;

use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::export::job::CANCELLED;
use crate::export::{
    ExportOptions, Format, Job, JobEvent, MissingStyle, Target, ValueStyle, Written,
};
use crate::questionnaire::Form;
use crate::store::{ResponseFilter, Store};

/// Opens the export screen for `form`'s responses in `store`; returns when the user leaves.
pub fn run(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    store: &Store,
    lang: &str,
) -> anyhow::Result<()> {
    let mut screen = ExportScreen::new(form, store, lang, default_path(form));
    let mut redraw = true;
    loop {
        if redraw {
            terminal.draw(|frame| screen.draw(frame))?;
        }
        // Block on the next key, except while an export runs and its progress must show.
        let ready = !screen.is_running() || event::poll(Duration::from_millis(50))?;
        redraw = false;
        if ready && let Event::Key(key) = event::read()? {
            match screen.on_key(key) {
                Step::Leave => return Ok(()),
                Step::Redraw => redraw = true,
                Step::Stay => {}
            }
        }
        redraw |= screen.poll();
    }
}

/// `<questionnaire>-<date>.csv` in the current folder.
pub fn default_path(form: &Form) -> PathBuf {
    let day = jiff::Zoned::now().date();
    PathBuf::from(format!("{}-{day}.csv", form.id()))
}

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    Redraw,
    Leave,
}

/// The settings, one per line of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Format,
    Values,
    Language,
    Missing,
    Bom,
    Guard,
    DropText,
    DropInterviewer,
    Drafts,
    Replace,
    Path,
}

const FIELDS: [Field; 11] = [
    Field::Format,
    Field::Values,
    Field::Language,
    Field::Missing,
    Field::Bom,
    Field::Guard,
    Field::DropText,
    Field::DropInterviewer,
    Field::Drafts,
    Field::Replace,
    Field::Path,
];

enum Phase {
    Editing { error: Option<String> },
    Running(Running),
    Finished { written: Written, skipped: usize },
}

struct Running {
    job: Job,
    cancelling: bool,
    done: usize,
    total: Option<usize>,
    skipped: usize,
}

/// The screen's state.
pub struct ExportScreen {
    form: Form,
    store: Store,
    lang: String,
    options: ExportOptions,
    label_lang: usize,
    include_drafts: bool,
    replace: bool,
    path: String,
    focus: usize,
    phase: Phase,
}

impl ExportScreen {
    /// A screen for `form`'s responses in `store`, speaking `lang`, proposing `path`.
    pub fn new(form: &Form, store: &Store, lang: &str, path: PathBuf) -> Self {
        Self {
            form: form.clone(),
            store: store.clone(),
            lang: lang.to_owned(),
            options: ExportOptions::default(),
            label_lang: 0,
            include_drafts: false,
            replace: false,
            path: path.display().to_string(),
            focus: 0,
            phase: Phase::Editing { error: None },
        }
    }

    /// Whether an export is under way (the loop then wakes to show progress).
    pub fn is_running(&self) -> bool {
        matches!(self.phase, Phase::Running(_))
    }

    fn tr(&self, bg: &'static str, en: &'static str) -> &'static str {
        if self.lang == "bg" { bg } else { en }
    }

    /// Handles a key press; Ctrl+C always leaves.
    pub fn on_key(&mut self, key: KeyEvent) -> Step {
        if key.kind != KeyEventKind::Press {
            return Step::Stay;
        }
        let ctrl_c =
            key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        if let Phase::Running(running) = &mut self.phase {
            // Esc cancels (the export removes its temp file); Ctrl+C cancels and leaves.
            if ctrl_c || key.code == KeyCode::Esc {
                running.job.cancel();
                running.cancelling = true;
                return if ctrl_c { Step::Leave } else { Step::Redraw };
            }
            return Step::Stay;
        }
        if ctrl_c {
            return Step::Leave;
        }
        match &self.phase {
            Phase::Running(_) => Step::Stay,
            Phase::Finished { .. } => match key.code {
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q') => Step::Leave,
                _ => Step::Stay,
            },
            Phase::Editing { .. } => self.on_edit_key(key.code),
        }
    }

    fn on_edit_key(&mut self, code: KeyCode) -> Step {
        let field = FIELDS[self.focus];
        match code {
            KeyCode::Esc => return Step::Leave,
            KeyCode::Up | KeyCode::BackTab => self.focus = self.focus.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => self.focus = (self.focus + 1).min(FIELDS.len() - 1),
            KeyCode::Enter => self.start(),
            KeyCode::Backspace if field == Field::Path => {
                self.path.pop();
            }
            KeyCode::Char(c) if field == Field::Path => {
                if !c.is_control() {
                    self.path.push(c);
                }
            }
            KeyCode::Char('q') => return Step::Leave,
            KeyCode::Char('k') => self.focus = self.focus.saturating_sub(1),
            KeyCode::Char('j') => self.focus = (self.focus + 1).min(FIELDS.len() - 1),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') => self.toggle(field),
            _ => return Step::Stay,
        }
        if let Phase::Editing { error } = &mut self.phase {
            *error = None;
        }
        Step::Redraw
    }

    fn toggle(&mut self, field: Field) {
        let o = &mut self.options;
        match field {
            Field::Format => {
                o.format = match o.format {
                    Format::Wide => Format::Long,
                    Format::Long => Format::Wide,
                }
            }
            Field::Values => {
                o.values = match o.values {
                    ValueStyle::Codes => ValueStyle::Labels,
                    ValueStyle::Labels => ValueStyle::Codes,
                }
            }
            Field::Language => {
                self.label_lang = (self.label_lang + 1) % self.form.languages().len().max(1)
            }
            Field::Missing => {
                o.missing = match o.missing {
                    MissingStyle::Codes => MissingStyle::Empty,
                    MissingStyle::Empty => MissingStyle::Codes,
                }
            }
            Field::Bom => o.bom = !o.bom,
            Field::Guard => o.raw_text = !o.raw_text,
            Field::DropText => o.drop_text = !o.drop_text,
            Field::DropInterviewer => o.drop_interviewer = !o.drop_interviewer,
            Field::Drafts => self.include_drafts = !self.include_drafts,
            Field::Replace => self.replace = !self.replace,
            Field::Path => {}
        }
    }

    fn start(&mut self) {
        if self.path.trim().is_empty() {
            let error = self.tr("Въведете име на файла.", "Enter a file name.");
            self.phase = Phase::Editing {
                error: Some(error.to_owned()),
            };
            return;
        }
        let mut options = self.options.clone();
        options.lang = self.form.languages().get(self.label_lang).cloned();
        let filter = ResponseFilter {
            include_drafts: self.include_drafts,
            ..ResponseFilter::default()
        };
        let target = Target::with_default_codebook(PathBuf::from(self.path.trim()), self.replace);
        let job = crate::export::job::spawn(
            self.store.clone(),
            self.form.clone(),
            filter,
            options,
            target,
        );
        self.phase = Phase::Running(Running {
            job,
            cancelling: false,
            done: 0,
            total: None,
            skipped: 0,
        });
    }

    /// Takes the export's news; true when something changed on screen.
    pub fn poll(&mut self) -> bool {
        let Phase::Running(running) = &mut self.phase else {
            return false;
        };
        let mut changed = false;
        loop {
            match running.job.events.try_recv() {
                Ok(JobEvent::Loaded { selected, problems }) => {
                    running.total = Some(selected);
                    running.skipped = crate::store::skipped_files(&problems);
                }
                Ok(JobEvent::Progress { done, total }) => {
                    running.done = done;
                    running.total = Some(total);
                }
                Ok(JobEvent::Finished(Ok(written))) => {
                    let skipped = running.skipped;
                    self.phase = Phase::Finished { written, skipped };
                    return true;
                }
                Ok(JobEvent::Finished(Err(error))) => {
                    let error = if error.contains(CANCELLED) {
                        self.tr(
                            "Експортът е прекъснат; не е записан непълен файл.",
                            "The export was cancelled; no partial file was written.",
                        )
                        .to_owned()
                    } else {
                        error
                    };
                    self.phase = Phase::Editing { error: Some(error) };
                    return true;
                }
                Err(TryRecvError::Empty) => return changed,
                Err(TryRecvError::Disconnected) => {
                    let error = self.tr(
                        "Експортът спря неочаквано.",
                        "The export stopped unexpectedly.",
                    );
                    self.phase = Phase::Editing {
                        error: Some(error.to_owned()),
                    };
                    return true;
                }
            }
            changed = true;
        }
    }
}
