//! Export from the home screen. A minimal screen pointing to the command line, returning on
//! `q` or Esc.

use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::Alignment;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::questionnaire::Form;
use crate::store::Store;

/// Opens the export screen for `form`'s responses in `store`; returns when the user leaves.
pub fn run(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    store: &Store,
    lang: &str,
) -> anyhow::Result<()> {
    let folder = store.root().display().to_string();
    let text = if lang == "bg" {
        format!("Експортът от този екран още не е наличен.\nДанни: {folder}\nq/Esc: назад")
    } else {
        format!("Export from this screen is not available yet.\nData: {folder}\nq/Esc: back")
    };
    loop {
        terminal.draw(|frame| {
            let block =
                Block::bordered().title(format!(" {} ", form.questionnaire().title.get(lang)));
            frame.render_widget(
                Paragraph::new(text.as_str())
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
