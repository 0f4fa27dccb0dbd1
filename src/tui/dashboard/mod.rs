//! Dashboards. A minimal screen that names what is coming and returns on `q` or Esc.

use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::Alignment;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::questionnaire::Form;
use crate::store::Store;

/// Opens the dashboards of `form`'s responses in `store`; returns when the user leaves.
pub fn run(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    store: &Store,
    lang: &str,
) -> anyhow::Result<()> {
    let _ = store;
    let (title, text) = if lang == "bg" {
        (
            "Табла с резултати",
            "Таблата още не са налични. q/Esc: назад",
        )
    } else {
        (
            "Dashboards",
            "Dashboards are not available yet. q/Esc: back",
        )
    };
    loop {
        terminal.draw(|frame| {
            let block = Block::bordered().title(format!(
                " {title} · {} ",
                form.questionnaire().title.get(lang)
            ));
            frame.render_widget(
                Paragraph::new(text)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true })
                    .block(block),
                frame.area(),
            );
        })?;
        if let Event::Key(key) = event::read()?
            && key.kind == KeyEventKind::Press
            && matches!(key.code, KeyCode::Char('q') | KeyCode::Esc)
        {
            return Ok(());
        }
    }
}
