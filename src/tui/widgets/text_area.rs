//! An [`EditLine`] shown wrapped over several rows, for texts that must be proofread whole: a
//! verbatim answer, an interviewer's remark. The text stays one paragraph (Enter confirms, a
//! pasted line break becomes a space); only the view wraps, at spaces where it can and inside a
//! word longer than the row. Rows are computed from the text on each draw, which costs
//! microseconds even for a remark of 10,000 characters, so nothing can go stale.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::EditLine;

/// The byte ranges of `text` shown on each row of a view `width` columns wide. Always at least
/// one row; a space that ends a row stays on it, so the rows join back into the text.
pub fn wrap_rows(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut used = 0;
    // Just after the last space on the row, and the row's width up to there.
    let mut brk: Option<(usize, usize)> = None;
    for (at, g) in text.grapheme_indices(true) {
        let w = g.width();
        if used + w > width && used > 0 {
            match brk {
                Some((end, end_used)) if end > start => {
                    rows.push(start..end);
                    start = end;
                    used -= end_used;
                }
                _ => {
                    rows.push(start..at);
                    start = at;
                    used = 0;
                }
            }
            brk = None;
        }
        used += w;
        if g.chars().all(char::is_whitespace) {
            brk = Some((at + g.len(), used));
        }
    }
    rows.push(start..text.len());
    rows
}

/// The row and column of the cursor at byte `cursor` among `rows`. A cursor just after a full
/// row goes to the start of a row of its own, so it is always inside the view.
fn cursor_place(text: &str, rows: &[Range<usize>], cursor: usize, width: usize) -> (usize, usize) {
    let row = rows
        .iter()
        .position(|r| cursor < r.end)
        .unwrap_or(rows.len().saturating_sub(1));
    let start = rows.get(row).map_or(0, |r| r.start).min(cursor);
    let col = text[start..cursor].width();
    if col >= width.max(1) {
        (row + 1, 0)
    } else {
        (row, col)
    }
}

/// Rows the line needs at `width`, the cursor's row included.
pub fn wrapped_height(line: &EditLine, width: usize) -> usize {
    let rows = wrap_rows(line.text(), width);
    let (cursor_row, _) = cursor_place(line.text(), &rows, line.cursor(), width);
    rows.len().max(cursor_row + 1)
}

/// Moves the cursor one row up or down in the view `width` wide, keeping its column as far as
/// the row allows; false at the first or last row.
pub fn move_vertically(line: &mut EditLine, width: usize, down: bool) -> bool {
    let text = line.text();
    let rows = wrap_rows(text, width);
    let (row, col) = cursor_place(text, &rows, line.cursor(), width);
    let target = if down {
        row + 1
    } else {
        match row.checked_sub(1) {
            Some(r) => r,
            None => return false,
        }
    };
    let Some(range) = rows.get(target) else {
        // Down on the last row goes to the end of the text, as in any editor.
        return down && line.end();
    };
    let mut at = range.start;
    let mut used = 0;
    let last = target + 1 == rows.len();
    for (i, g) in text[range.clone()].grapheme_indices(true) {
        let w = g.width();
        // Stop before the row's own end unless it is the last row: the end of one row is the
        // start of the next.
        if used + w > col || (!last && range.start + i + g.len() == range.end) {
            break;
        }
        used += w;
        at = range.start + i + g.len();
    }
    if last && used < col {
        at = range.end;
    }
    line.set_cursor(at);
    true
}

/// Draws `line` wrapped in `area`, scrolled so that the cursor's row is visible, and returns
/// where the terminal cursor belongs. A selected text is drawn reversed.
pub fn render_wrapped(line: &EditLine, area: Rect, buf: &mut Buffer, style: Style) -> Position {
    let width = usize::from(area.width);
    if width == 0 || area.height == 0 {
        return Position::new(area.x, area.y);
    }
    buf.set_style(area, style);
    let text = line.text();
    let rows = wrap_rows(text, width);
    let (cursor_row, cursor_col) = cursor_place(text, &rows, line.cursor(), width);
    let height = usize::from(area.height);
    let scroll = (cursor_row + 1).saturating_sub(height);
    let text_style = if line.is_selected() {
        style.add_modifier(Modifier::REVERSED)
    } else {
        style
    };
    for (i, range) in rows.iter().enumerate().skip(scroll).take(height) {
        let y = area.y + u16::try_from(i - scroll).unwrap_or(0);
        let mut x = area.x;
        for g in text[range.clone()].graphemes(true) {
            let w = g.width();
            if usize::from(x - area.x) + w > width {
                break;
            }
            buf.set_stringn(x, y, g, w.max(1), text_style);
            x += u16::try_from(w).unwrap_or(0);
        }
    }
    let y = area.y + u16::try_from(cursor_row - scroll).unwrap_or(0);
    let x = area.x + u16::try_from(cursor_col).unwrap_or(0);
    Position::new(
        x.min(area.right().saturating_sub(1)),
        y.min(area.bottom().saturating_sub(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, width: usize) -> Vec<&str> {
        wrap_rows(text, width)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_inside_long_words() {
        assert_eq!(shown("едно две три", 8), ["едно ", "две три"]);
        assert_eq!(shown("абвгдежзий", 4), ["абвг", "дежз", "ий"]);
        assert_eq!(shown("", 5), [""]);
        assert_eq!(
            shown("漢字漢字", 5),
            ["漢字", "漢字"],
            "wide characters are not split"
        );
        let text = "a bc def ghij klmno ".repeat(50);
        assert_eq!(
            shown(&text, 7).concat(),
            text,
            "the rows join back into the text"
        );
    }

    #[test]
    fn the_cursor_after_a_full_row_gets_a_row_of_its_own() {
        let line = EditLine::new("абвг");
        assert_eq!(wrapped_height(&line, 4), 2);
        let area = Rect::new(0, 0, 4, 3);
        let mut buf = Buffer::empty(area);
        assert_eq!(
            render_wrapped(&line, area, &mut buf, Style::default()),
            Position::new(0, 1)
        );
    }

    #[test]
    fn a_long_text_scrolls_to_the_cursor_and_up_down_move_by_row() {
        let text = "дума ".repeat(2_000); // 10,000 characters
        let mut line = EditLine::new(&text);
        let area = Rect::new(0, 0, 20, 5);
        let mut buf = Buffer::empty(area);
        let at = render_wrapped(&line, area, &mut buf, Style::default());
        assert_eq!(at.y, 4, "the cursor's row is the last one shown");
        assert!(move_vertically(&mut line, 20, false));
        assert!(line.cursor() < text.len());
        assert!(move_vertically(&mut line, 20, true));
        assert!(
            !move_vertically(&mut line, 20, true),
            "already on the last row"
        );
        line.home();
        assert!(!move_vertically(&mut line, 20, false));
        assert!(move_vertically(&mut line, 20, true));
        assert_eq!(
            line.cursor(),
            "дума ".repeat(4).len(),
            "the start of the second row"
        );
    }
}
