//! The Export screen: choose the format and options, run the export on a background thread
//! with a progress gauge, and see the paths written.
//!
//! State, keys and drawing are apart as in the rest of the interface: [`ExportScreen::on_key`]
//! and [`ExportScreen::poll`] change state and say whether to redraw, [`ExportScreen::draw`]
//! only reads it. The export itself is [`crate::export::job`], the same code as
//! `anketa export`, so the screen and the command line write identical files.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};

use crate::export::{ExportOptions, Format, JobEvent, MissingStyle, Target, ValueStyle, Written};
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
    events: Receiver<JobEvent>,
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
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Step::Leave;
        }
        match &self.phase {
            // The export finishes on its own; leaving would hide where the file went.
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
        let events = crate::export::job::spawn(
            self.store.clone(),
            self.form.clone(),
            filter,
            options,
            target,
        );
        self.phase = Phase::Running(Running {
            events,
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
            match running.events.try_recv() {
                Ok(JobEvent::Loaded { selected, problems }) => {
                    running.total = Some(selected);
                    running.skipped = problems.len();
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
                    self.phase = Phase::Editing { error: Some(error) };
                    return true;
                }
                Err(TryRecvError::Empty) => return changed,
                Err(TryRecvError::Disconnected) => {
                    let error = self.tr(
                        "Износът спря неочаквано.",
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

    /// Draws the screen; reads state only.
    pub fn draw(&self, frame: &mut Frame) {
        let title = format!(
            " {} — {} ",
            self.tr("Износ", "Export"),
            self.form.questionnaire().title.get(&self.lang)
        );
        let block = Block::bordered().title(title);
        let inner = block.inner(frame.area());
        frame.render_widget(block, frame.area());
        let [form_area, status_area, keys_area] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(4),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(self.field_lines()), form_area);
        self.draw_status(frame, status_area);
        frame.render_widget(
            Paragraph::new(self.keys()).style(Style::new().fg(Color::DarkGray)),
            keys_area,
        );
    }
}

impl ExportScreen {
    fn label(&self, field: Field) -> &'static str {
        match field {
            Field::Format => self.tr("Формат", "Format"),
            Field::Values => self.tr("Отговори като", "Answers as"),
            Field::Language => self.tr("Език на етикетите", "Label language"),
            Field::Missing => self.tr("Липсващи отговори", "Missing answers"),
            Field::Bom => self.tr("BOM за Excel", "BOM for Excel"),
            Field::Guard => self.tr("Защита от формули", "Formula guard"),
            Field::DropText => self.tr("Без свободен текст", "Drop open text"),
            Field::DropInterviewer => self.tr("Без анкетьор", "Drop interviewer"),
            Field::Drafts => self.tr("С незавършените", "Include drafts"),
            Field::Replace => self.tr("Замяна на файлове", "Replace files"),
            Field::Path => self.tr("Файл", "File"),
        }
    }

    fn yes_no(&self, on: bool) -> String {
        if on {
            self.tr("да", "yes")
        } else {
            self.tr("не", "no")
        }
        .to_owned()
    }

    fn value(&self, field: Field) -> String {
        let o = &self.options;
        match field {
            Field::Format => match o.format {
                Format::Wide => self.tr("широк (ред на интервю)", "wide (a row per interview)"),
                Format::Long => self.tr("дълъг (ред на отговор)", "long (a row per answer)"),
            }
            .to_owned(),
            Field::Values => match o.values {
                ValueStyle::Codes => self.tr("кодове", "codes"),
                ValueStyle::Labels => self.tr("етикети", "labels"),
            }
            .to_owned(),
            Field::Language => self
                .form
                .languages()
                .get(self.label_lang)
                .cloned()
                .unwrap_or_default(),
            Field::Missing => match o.missing {
                MissingStyle::Codes => self.tr("кодове -1 -2 -3 -9", "codes -1 -2 -3 -9"),
                MissingStyle::Empty => self.tr("празни клетки", "empty cells"),
            }
            .to_owned(),
            Field::Bom => self.yes_no(o.bom),
            Field::Guard => self.yes_no(!o.raw_text),
            Field::DropText => self.yes_no(o.drop_text),
            Field::DropInterviewer => self.yes_no(o.drop_interviewer),
            Field::Drafts => self.yes_no(self.include_drafts),
            Field::Replace => self.yes_no(self.replace),
            Field::Path => self.path.clone(),
        }
    }

    fn field_lines(&self) -> Vec<Line<'static>> {
        let editing = matches!(self.phase, Phase::Editing { .. });
        FIELDS
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let focused = editing && i == self.focus;
                let mut value = self.value(*field);
                if focused && *field == Field::Path {
                    value.push('▏');
                } else if focused {
                    value = format!("◂ {value} ▸");
                }
                let value_style = if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                Line::from(vec![
                    Span::styled(
                        format!(" {:<20} ", self.label(*field)),
                        Style::new().fg(Color::Cyan),
                    ),
                    Span::styled(value, value_style),
                ])
            })
            .collect()
    }

    fn draw_status(&self, frame: &mut Frame, area: Rect) {
        let area = Rect {
            x: area.x.saturating_add(1),
            width: area.width.saturating_sub(2),
            ..area
        };
        let lines: Vec<Line> = match &self.phase {
            Phase::Editing { error: Some(error) } => {
                vec![Line::styled(error.clone(), Style::new().fg(Color::Red))]
            }
            Phase::Editing { error: None } => {
                let codebook = crate::export::codebook_path_for(std::path::Path::new(&self.path));
                vec![Line::from(format!(
                    "{} {}",
                    self.tr("Кодовата книга ще е", "The codebook will be"),
                    codebook.display()
                ))]
            }
            Phase::Running(running) => {
                let total = running.total.unwrap_or(0);
                let ratio = if total == 0 {
                    0.0
                } else {
                    (running.done as f64 / total as f64).clamp(0.0, 1.0)
                };
                let label = match running.total {
                    None => self
                        .tr("Четене на анкетите…", "Reading the interviews…")
                        .to_owned(),
                    Some(t) => format!("{} / {t}", running.done),
                };
                let gauge = Gauge::default()
                    .gauge_style(Style::new().fg(Color::Cyan))
                    .ratio(ratio)
                    .label(label);
                frame.render_widget(
                    gauge,
                    Rect {
                        height: area.height.min(1),
                        ..area
                    },
                );
                return;
            }
            Phase::Finished { written, skipped } => self.finished_lines(written, *skipped),
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }

    fn finished_lines(&self, written: &Written, skipped: usize) -> Vec<Line<'static>> {
        let mut lines = vec![Line::styled(
            format!(
                "{} {} → {}",
                self.tr("Записани интервюта:", "Interviews written:"),
                written.summary.responses,
                written.data.display()
            ),
            Style::new().fg(Color::Green),
        )];
        if let Some((path, _)) = &written.codebook {
            lines.push(Line::from(format!(
                "{} {}",
                self.tr("Кодова книга:", "Codebook:"),
                path.display()
            )));
        }
        if skipped > 0 {
            lines.push(Line::styled(
                format!(
                    "{} {skipped}",
                    self.tr(
                        "Пропуснати нечетими файлове (вижте anketa export):",
                        "Unreadable files left out (see anketa export):"
                    )
                ),
                Style::new().fg(Color::Yellow),
            ));
        }
        lines
    }

    fn keys(&self) -> &'static str {
        match self.phase {
            Phase::Editing { .. } => self.tr(
                "↑↓ поле  ←→/интервал промяна  Enter износ  Esc назад",
                "↑↓ field  ←→/Space change  Enter export  Esc back",
            ),
            Phase::Running(_) => self.tr("Износ… моля, изчакайте", "Exporting… please wait"),
            Phase::Finished { .. } => self.tr("Enter/Esc назад", "Enter/Esc back"),
        }
    }
}
