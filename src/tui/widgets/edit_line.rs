//! A one-line text field with a cursor, correct for Cyrillic, combining marks and wide (CJK,
//! emoji) characters: the cursor moves by grapheme and the view scrolls by display width.
//!
//! A field opened on a value already given (an answer being corrected, a remembered name) shows
//! that value selected: the first character typed replaces it, as in any form on a desktop,
//! while the arrows, Home/End and Backspace drop the selection and edit the value in place.
//! Without it, typing `3` into a scale that held 7 recorded 73.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::tui::action::Action;

/// The text and the cursor of an edit line. The cursor is a byte offset into the text, always
/// on a grapheme boundary, so that typing at the end of a long answer (or a long paste) costs
/// the same as typing into an empty one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditLine {
    text: String,
    cursor: usize,
    max_chars: Option<usize>,
    /// The whole text is selected: the next character typed replaces it.
    selected: bool,
}

impl EditLine {
    /// An edit line holding `text`, with the cursor at its end.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            cursor: text.len(),
            ..Self::default()
        }
    }

    /// An edit line holding `text` selected (when there is any), so that typing replaces it
    /// and the arrows or Backspace edit it.
    pub fn selected(text: &str) -> Self {
        Self {
            selected: !text.is_empty(),
            ..Self::new(text)
        }
    }

    /// Selects the whole text (when there is any), cursor at the end.
    pub fn select_all(&mut self) {
        self.cursor = self.text.len();
        self.selected = !self.text.is_empty();
    }

    /// Whether the whole text is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Drops the selection; returns whether there was one.
    fn deselect(&mut self) -> bool {
        std::mem::take(&mut self.selected)
    }

    /// Refuses input beyond `max` characters (a question's `max_length`).
    pub fn with_max_chars(mut self, max: Option<usize>) -> Self {
        self.max_chars = max;
        self
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the text, cursor at the end, nothing selected.
    pub fn set(&mut self, text: &str) {
        self.text = text.to_owned();
        self.cursor = self.text.len();
        self.selected = false;
    }

    /// The grapheme just before the cursor, if any.
    fn grapheme_before(&self) -> Option<&str> {
        self.text[..self.cursor].graphemes(true).next_back()
    }

    /// The grapheme under the cursor, if any.
    fn grapheme_after(&self) -> Option<&str> {
        self.text[self.cursor..].graphemes(true).next()
    }

    /// Inserts `c` at the cursor, replacing the text when it is selected; false when the line
    /// is full or `c` is a control character.
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        if self.deselect() {
            self.text.clear();
            self.cursor = 0;
        }
        if self
            .max_chars
            .is_some_and(|max| self.text.chars().count() >= max)
        {
            return false;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        // A base character typed before a combining mark takes the mark into its grapheme:
        // keep the cursor on a grapheme boundary by stepping over the mark too.
        let mut boundary =
            unicode_segmentation::GraphemeCursor::new(self.cursor, self.text.len(), true);
        if !boundary.is_boundary(&self.text, 0).unwrap_or(true)
            && let Ok(Some(next)) = boundary.next_boundary(&self.text, 0)
        {
            self.cursor = next;
        }
        true
    }

    /// Deletes the grapheme before the cursor (a selection is dropped first: Backspace corrects
    /// the end of a value rather than erasing all of it).
    pub fn backspace(&mut self) -> bool {
        self.deselect();
        let Some(len) = self.grapheme_before().map(str::len) else {
            return false;
        };
        self.cursor -= len;
        self.text.replace_range(self.cursor..self.cursor + len, "");
        true
    }

    /// Deletes the grapheme under the cursor.
    pub fn delete(&mut self) -> bool {
        let was_selected = self.deselect();
        let Some(len) = self.grapheme_after().map(str::len) else {
            return was_selected;
        };
        self.text.replace_range(self.cursor..self.cursor + len, "");
        true
    }

    /// Moves the cursor one grapheme left; false at the start. (So do the moves below: each
    /// returns whether anything changed, which is whether to redraw.)
    pub fn left(&mut self) -> bool {
        let was_selected = self.deselect();
        let Some(len) = self.grapheme_before().map(str::len) else {
            return was_selected;
        };
        self.cursor -= len;
        true
    }

    /// Moves the cursor one grapheme right.
    pub fn right(&mut self) -> bool {
        let was_selected = self.deselect();
        let Some(len) = self.grapheme_after().map(str::len) else {
            return was_selected;
        };
        self.cursor += len;
        true
    }

    /// Moves the cursor to the start.
    pub fn home(&mut self) -> bool {
        let moved = self.deselect() | (self.cursor != 0);
        self.cursor = 0;
        moved
    }

    /// Moves the cursor to the end.
    pub fn end(&mut self) -> bool {
        let moved = self.deselect() | (self.cursor != self.text.len());
        self.cursor = self.text.len();
        moved
    }

    /// Empties the line (Ctrl+U).
    pub fn clear(&mut self) -> bool {
        self.deselect();
        let changed = !self.text.is_empty();
        self.text.clear();
        self.cursor = 0;
        changed
    }

    /// Applies an editing action (typing, deleting, moving the cursor); returns whether the
    /// line changed, that is whether to redraw. Other actions are ignored.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Insert(c) => self.insert(c),
            Action::Backspace => self.backspace(),
            Action::Delete => self.delete(),
            Action::ClearLine => self.clear(),
            Action::Left => self.left(),
            Action::Right => self.right(),
            Action::Home => self.home(),
            Action::End => self.end(),
            _ => false,
        }
    }

    /// The cursor, as a byte offset into the text (on a grapheme boundary).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Puts the cursor at byte `at`, which must be a grapheme boundary (as the wrapped view
    /// finds them); an offset that is not even a character boundary is refused.
    pub fn set_cursor(&mut self, at: usize) -> bool {
        if !self.text.is_char_boundary(at) {
            return false;
        }
        self.selected = false;
        self.cursor = at;
        true
    }

    /// Display columns from the start of the text to the cursor.
    pub fn cursor_column(&self) -> usize {
        self.text[..self.cursor].width()
    }

    /// Draws the line in `area` (first row only), scrolled so the cursor is visible, and
    /// returns where the terminal cursor belongs.
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style) -> Position {
        let width = usize::from(area.width);
        if width == 0 || area.height == 0 {
            return Position::new(area.x, area.y);
        }
        buf.set_style(Rect { height: 1, ..area }, style);
        // A selection is shown reversed, so the interviewer sees that typing replaces it.
        let text_style = if self.selected {
            style.add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            style
        };
        // Leave one column for the cursor after the last character.
        let cursor_col = self.cursor_column();
        let scroll = (cursor_col + 1).saturating_sub(width);
        let mut col = 0usize;
        let mut x = area.x;
        for g in self.text.graphemes(true) {
            let w = g.width();
            if col < scroll {
                col += w;
                continue;
            }
            if usize::from(x - area.x) + w > width {
                break;
            }
            buf.set_stringn(x, area.y, g, w.max(1), text_style);
            x += u16::try_from(w).unwrap_or(0);
            col += w;
        }
        let cx = area.x + u16::try_from(cursor_col - scroll).unwrap_or(0);
        Position::new(cx.min(area.right().saturating_sub(1)), area.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_grapheme_in_cyrillic() {
        let mut line = EditLine::new("Пловдив");
        assert_eq!(line.cursor_column(), 7);
        line.home();
        line.right();
        line.delete();
        line.delete();
        assert_eq!(line.text(), "Пвдив");
        line.insert('л');
        line.insert('о');
        assert_eq!(line.text(), "Пловдив");
        line.end();
        line.backspace();
        assert_eq!(line.text(), "Пловди");
        assert!(line.apply(Action::ClearLine));
        assert_eq!((line.text(), line.cursor_column()), ("", 0));
    }

    #[test]
    fn combining_marks_and_wide_characters() {
        let mut line = EditLine::new("");
        line.insert('и');
        line.insert('\u{300}'); // combining grave: "ѝ" as two code points
        assert_eq!(line.cursor_column(), 1);
        line.insert('漢');
        assert_eq!(
            line.cursor_column(),
            3,
            "a wide character takes two columns"
        );
        line.backspace();
        line.backspace();
        assert_eq!(line.text(), "", "one backspace removes the whole grapheme");
    }

    #[test]
    fn a_base_character_typed_before_a_combining_mark_keeps_the_cursor_on_a_boundary() {
        let mut line = EditLine::new("\u{300}");
        line.home();
        line.insert('и');
        assert_eq!(line.cursor_column(), 1);
        line.insert('я');
        assert_eq!(line.text(), "и\u{300}я");
        line.backspace();
        line.backspace();
        assert_eq!(line.text(), "");
    }

    #[test]
    fn a_long_line_is_edited_in_constant_time_per_key() {
        // 200,000 characters typed one by one: quadratic work would take minutes here.
        let mut line = EditLine::new("");
        for c in "абв gh 漢 ".chars().cycle().take(200_000) {
            line.insert(c);
        }
        assert_eq!(line.text().chars().count(), 200_000);
        assert!(line.backspace() && line.left() && line.right());
    }

    #[test]
    fn max_chars_is_enforced() {
        let mut line = EditLine::new("").with_max_chars(Some(2));
        assert!(line.insert('а'));
        assert!(line.insert('б'));
        assert!(!line.insert('в'));
        assert!(!line.insert('\n'), "control characters are refused");
        assert_eq!(line.text(), "аб");
    }

    #[test]
    fn a_selected_value_is_replaced_by_typing() {
        let mut line = EditLine::selected("7");
        assert!(line.is_selected());
        assert!(line.insert('3'));
        assert_eq!(line.text(), "3", "not 73");
        assert!(!line.is_selected());
        line.insert('0');
        assert_eq!(line.text(), "30", "only the first character replaces");
        assert!(!EditLine::selected("").is_selected());
    }

    #[test]
    fn arrows_and_backspace_edit_a_selected_value() {
        let mut line = EditLine::selected("42");
        assert!(line.backspace());
        assert_eq!(line.text(), "4");
        line.insert('3');
        assert_eq!(line.text(), "43");

        let mut line = EditLine::selected("1,5");
        assert!(line.right(), "dropping the selection is a change to redraw");
        assert_eq!(line.cursor_column(), 3);
        line.left();
        line.insert('2');
        assert_eq!(line.text(), "1,25");

        let mut line = EditLine::selected("Пловдив");
        line.home();
        line.insert('>');
        assert_eq!(line.text(), ">Пловдив");

        let mut line = EditLine::selected("abc").with_max_chars(Some(3));
        assert!(
            line.insert('x'),
            "a full line that is selected still takes a replacement"
        );
        assert_eq!(line.text(), "x");
        let mut line = EditLine::selected("abc");
        assert!(!line.insert('\u{7}'));
        assert_eq!(line.text(), "abc", "a control character replaces nothing");
        assert!(line.is_selected());
    }

    #[test]
    fn a_selection_is_drawn_reversed() {
        use ratatui::style::Modifier;
        let area = Rect::new(0, 0, 6, 1);
        let mut buf = Buffer::empty(area);
        EditLine::selected("12").render(area, &mut buf, Style::default());
        assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        let mut buf = Buffer::empty(area);
        EditLine::new("12").render(area, &mut buf, Style::default());
        assert!(!buf[(0, 0)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn renders_scrolled_to_the_cursor() {
        let line = EditLine::new("абвгдежз漢");
        let area = Rect::new(0, 0, 6, 1);
        let mut buf = Buffer::empty(area);
        let pos = line.render(area, &mut buf, Style::default());
        assert_eq!(pos, Position::new(5, 0));
        let shown: String = (0..6).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
        assert!(shown.starts_with("еж"), "{shown:?}");
        assert!(shown.contains('漢'), "{shown:?}");
    }
}
