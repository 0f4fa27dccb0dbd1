//! Quality: the data-quality flags of the selected responses (speeding, straight-lining,
//! don't know / refused shares, near-duplicates, interviewer effects, implausible times).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::Sheet;
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::strings::Strings;

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, _app: &App, _data: &Derived, s: &Strings) {
    frame.render_widget(Paragraph::new(s.quality_unavailable), area);
}

/// The flags as on screen.
pub fn sheet(_app: &App, _data: &Derived) -> Sheet {
    Sheet {
        name: "quality".to_owned(),
        ..Sheet::default()
    }
}
