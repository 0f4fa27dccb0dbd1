//! Drawing the export screen and its texts in both languages. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use super::{ExportScreen, FIELDS, Field, Phase};
use crate::export::{Format, MissingStyle, ValueStyle, Written};
use crate::tui::strings::{KeyHelp, strings};
use crate::tui::{theme, ui};

impl ExportScreen {
    /// Draws the screen; reads state only.
    pub fn draw(&self, frame: &mut Frame) {
        self.draw_screen(frame);
        ui::make_inert(frame.buffer_mut());
    }

    fn draw_screen(&self, frame: &mut Frame) {
        let area = frame.area();
        if ui::too_small(area) {
            ui::draw_too_small(frame, strings(&self.lang));
            return;
        }
        let [title, body, status_area, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(4),
            Constraint::Length(2),
        ])
        .areas(area);
        let heading = format!(
            "{} — {}",
            self.tr("Експорт", "Export"),
            self.form.questionnaire().title.get(&self.lang)
        );
        let version = format!("{} {}", self.form.id(), self.form.version());
        ui::draw_title(frame, title, &heading, &version);
        let body = body.inner(Margin::new(1, 1));
        frame.render_widget(Paragraph::new(self.field_lines()), body);
        self.draw_status(frame, status_area);
        ui::draw_footer(frame, footer, self.keys());
    }

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
                    theme::highlight()
                } else {
                    Style::new()
                };
                Line::from(vec![
                    Span::styled(format!(" {:<20} ", self.label(*field)), theme::label()),
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
                vec![Line::styled(error.clone(), theme::error())]
            }
            Phase::Editing { error: None } => {
                let codebook = crate::export::codebook_path_for(std::path::Path::new(&self.path));
                vec![Line::from(format!(
                    "{} {}",
                    self.tr("Кодификаторът ще бъде записан в", "The codebook will be"),
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
                    .gauge_style(theme::progress())
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
            theme::ok(),
        )];
        if let Some((path, _)) = &written.codebook {
            lines.push(Line::from(format!(
                "{} {}",
                self.tr("Кодификатор:", "Codebook:"),
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
                theme::warning(),
            ));
        }
        lines
    }

    fn keys(&self) -> &'static [KeyHelp] {
        let bg = self.lang == "bg";
        match (&self.phase, bg) {
            (Phase::Editing { .. }, true) => &[
                ("↑↓", "поле"),
                ("←→/Интервал", "промяна"),
                ("Enter", "експорт"),
                ("Esc", "назад"),
            ],
            (Phase::Editing { .. }, false) => &[
                ("↑↓", "field"),
                ("←→/Space", "change"),
                ("Enter", "export"),
                ("Esc", "back"),
            ],
            (Phase::Running(r), true) if r.cancelling => &[("…", "прекъсване")],
            (Phase::Running(r), false) if r.cancelling => &[("…", "cancelling")],
            (Phase::Running(_), true) => {
                &[("…", "експорт, моля, изчакайте"), ("Esc", "прекъсване")]
            }
            (Phase::Running(_), false) => &[("…", "exporting, please wait"), ("Esc", "cancel")],
            (Phase::Finished { .. }, true) => &[("Enter Esc", "назад")],
            (Phase::Finished { .. }, false) => &[("Enter Esc", "back")],
        }
    }
}
