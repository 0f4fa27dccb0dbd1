//! Drawing pieces shared by the screens: title bar, key footer, pop-ups, the too-small notice.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::strings::{KeyHelp, Strings, fill};
use super::theme;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 16;

/// Whether `area` is too small to draw the screens.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The message shown instead of a screen in a terminal that is too small.
pub fn draw_too_small(frame: &mut Frame, s: &Strings) {
    let area = frame.area();
    let text = fill(
        s.too_small,
        &[
            &area.width.to_string(),
            &area.height.to_string(),
            &MIN_WIDTH.to_string(),
            &MIN_HEIGHT.to_string(),
        ],
    );
    let y = area.height / 2;
    let rect = Rect::new(
        area.x,
        area.y + y.min(area.height.saturating_sub(1)),
        area.width,
        area.height - y,
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme::error())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// The title bar: `left` at the start, `right` at the end, cut to fit.
pub fn draw_title(frame: &mut Frame, area: Rect, left: &str, right: &str) {
    frame.render_widget(Block::new().style(theme::title()), area);
    let right_w = u16::try_from(right.width())
        .unwrap_or(0)
        .min(area.width / 2);
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w + 1)]).areas(area);
    frame.render_widget(Span::raw(format!(" {left}")), l);
    frame.render_widget(Line::from(right.to_owned()).alignment(Alignment::Right), r);
}

/// The footer: each key in a chip followed by what it does, wrapped over the area's rows.
/// Rows the footer needs to list `keys` in `width` columns (at least one).
pub fn footer_height(keys: &[KeyHelp], width: u16) -> u16 {
    let mut rows = 1u16;
    let mut used = 0usize;
    for (key, what) in keys {
        let w = key.width() + what.width() + 4;
        if used > 0 && used + w > usize::from(width) {
            rows += 1;
            used = 0;
        }
        used += w;
    }
    rows
}

pub fn draw_footer(frame: &mut Frame, area: Rect, keys: &[KeyHelp]) {
    let mut lines: Vec<Line> = vec![Line::default()];
    let mut used = 0usize;
    for (key, what) in keys {
        let w = key.width() + what.width() + 4;
        if used > 0 && used + w > usize::from(area.width) {
            lines.push(Line::default());
            used = 0;
        }
        if let Some(line) = lines.last_mut() {
            line.push_span(Span::styled(format!(" {key} "), theme::key()));
            line.push_span(Span::raw(format!(" {what} ")));
        }
        used += w;
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A rectangle of at most `width`×`height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A yes/no question in a pop-up.
pub fn draw_dialog(frame: &mut Frame, text: &str, s: &Strings, danger: bool) {
    let area = centered(frame.area(), 60, 7);
    frame.render_widget(Clear, area);
    let style = if danger {
        theme::error()
    } else {
        theme::heading()
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(style);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(text.to_owned()).wrap(Wrap { trim: true }),
        body,
    );
    frame.render_widget(
        Line::styled(s.yes_no.to_owned(), theme::dim()).alignment(Alignment::Center),
        keys,
    );
}

/// The help overlay listing every key.
pub fn draw_help(frame: &mut Frame, s: &Strings) {
    let height = u16::try_from(s.help.len()).unwrap_or(20) + 2;
    let area = centered(frame.area(), 76, height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(Line::styled(
            format!(" {} ", s.help_title),
            theme::heading(),
        ))
        .title_bottom(Line::from(" Esc ").alignment(Alignment::Right));
    let lines: Vec<Line> = s
        .help
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>12}  "), theme::label()),
                Span::raw(*what),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Whether a typed letter answers "yes" in a dialog (Latin or Cyrillic keyboard).
pub fn is_yes(c: char) -> bool {
    matches!(c, 'y' | 'Y' | 'д' | 'Д')
}

/// Whether a typed letter answers "no".
pub fn is_no(c: char) -> bool {
    matches!(c, 'n' | 'N' | 'н' | 'Н')
}

/// Splits `text` into rows of at most `width` columns at spaces (words longer than a row are
/// cut), as ratatui's word wrap lays it out. Always at least one row.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for paragraph in text.split('\n') {
        let mut row = String::new();
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let w = word.width();
            if used > 0 && used + 1 + w > width {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            if used > 0 {
                row.push(' ');
                used += 1;
            }
            for c in word.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if used + cw > width {
                    rows.push(std::mem::take(&mut row));
                    used = 0;
                }
                row.push(c);
                used += cw;
            }
        }
        rows.push(row);
    }
    rows
}

/// Removes from every cell of a finished frame the characters a terminal would obey instead of
/// show. ratatui already drops control characters from what widgets write; the bidirectional
/// overrides and isolates (`U+202E` in a name read from a file shows the rest of the line
/// backwards) it keeps. Done once per frame here, so that no widget can forget it.
pub fn make_inert(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(crate::text::is_terminal_control) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|&c| !crate::text::is_terminal_control(c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// Cuts `text` to `width` display columns, ending with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("едно две три", 8), ["едно две", "три"]);
        assert_eq!(wrap("абвгдежзий", 4), ["абвг", "дежз", "ий"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("a\nb", 5), ["a", "b"]);
    }
}
