//! Municipality type-ahead: an edit line for the query and the matching municipalities, in
//! either script. Results are computed when the query changes, never while drawing.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::{Frame, style::Style};

use super::edit_line::EditLine;
use crate::municipality::{self, Municipality};
use crate::tui::theme;

/// The query, its matches and the highlighted match.
#[derive(Debug, Clone)]
pub struct Picker {
    pub query: EditLine,
    matches: Vec<&'static Municipality>,
    selected: usize,
}

impl Default for Picker {
    fn default() -> Self {
        Self::new("")
    }
}

impl Picker {
    /// A picker with `query` typed, or showing the municipality `code` when it is known.
    pub fn new(query: &str) -> Self {
        let mut picker = Self {
            query: EditLine::new(query),
            matches: Vec::new(),
            selected: 0,
        };
        picker.refresh();
        picker
    }

    /// A picker opened on a known municipality (its name in `lang` as the query).
    pub fn with_code(code: &str, lang: &str) -> Self {
        match municipality::bundled().get(code) {
            Some(m) => {
                let mut picker = Self::new(m.name(lang));
                // Typing a new name replaces the one shown.
                picker.query.select_all();
                picker.selected = picker
                    .matches
                    .iter()
                    .position(|x| x.code == m.code)
                    .unwrap_or(0);
                picker
            }
            None => Self::new(""),
        }
    }

    /// Recomputes the matches after the query changed.
    pub fn refresh(&mut self) {
        self.matches = municipality::bundled().search(self.query.text());
        self.selected = 0;
    }

    /// The highlighted municipality.
    pub fn selected(&self) -> Option<&'static Municipality> {
        self.matches.get(self.selected).copied()
    }

    /// How many municipalities match the query.
    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    /// Highlights the match above; false at the top.
    pub fn up(&mut self) -> bool {
        let moved = self.selected > 0;
        self.selected = self.selected.saturating_sub(1);
        moved
    }

    /// Highlights the match below; false at the bottom.
    pub fn down(&mut self) -> bool {
        let moved = self.selected + 1 < self.matches.len();
        if moved {
            self.selected += 1;
        }
        moved
    }

    /// Draws the query line and as many matches as fit; returns the cursor position.
    pub fn render(&self, frame: &mut Frame, area: Rect, lang: &str, prompt: &str) -> Position {
        let [query_row, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let prompt_width = u16::try_from(unicode_width::UnicodeWidthStr::width(prompt))
            .unwrap_or(0)
            .min(query_row.width / 2);
        let [label, field] =
            Layout::horizontal([Constraint::Length(prompt_width + 1), Constraint::Min(1)])
                .areas(query_row);
        frame.render_widget(Span::styled(prompt, theme::label()), label);
        let cursor = self.query.render(field, frame.buffer_mut(), theme::field());
        let items: Vec<ListItem> = self
            .matches
            .iter()
            .map(|m| {
                ListItem::new(Line::from(vec![
                    Span::raw(m.name(lang).to_owned()),
                    Span::styled(format!("  ({})", m.oblast(lang)), theme::dim()),
                ]))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.selected));
        let list = List::new(items)
            .highlight_style(theme::highlight())
            .highlight_symbol("▶ ")
            .style(Style::default());
        frame.render_stateful_widget(list, list_area, &mut state);
        cursor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_in_both_scripts_and_moves() {
        let mut picker = Picker::new("");
        for c in "plov".chars() {
            picker.query.insert(c);
        }
        picker.refresh();
        assert_eq!(picker.selected().unwrap().code, "PDV22");
        let p = Picker::with_code("SOF46", "bg");
        assert_eq!(p.query.text(), "Столична");
        assert_eq!(p.selected().unwrap().code, "SOF46");
        let mut p = Picker::new("сли");
        assert!(p.match_count() >= 2);
        assert!(p.down());
        assert!(p.up());
        assert!(!p.up());
    }
}
