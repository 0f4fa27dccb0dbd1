//! A heat table: rows × columns of shares, each cell coloured by its share and printing it.
//!
//! Rows are groups (municipalities, scrolled vertically), columns are options, numbered so
//! that long option labels can be listed beside the table instead of squeezed into headers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::text::{pad, pad_left};
use crate::tui::dashboard::theme::Theme;

/// Rows (municipalities) × columns (options) of percentages; `None` is an empty base.
#[derive(Debug, Clone)]
pub struct HeatTable<'a> {
    pub row_labels: &'a [String],
    pub column_labels: &'a [String],
    /// `values[row][column]`, percent 0–100.
    pub values: &'a [Vec<Option<f64>>],
    /// Rows whose base is small: drawn dimmed.
    pub small: &'a [bool],
    /// The first row shown (vertical scrolling).
    pub first_row: usize,
    pub theme: Theme,
}

/// Width of one value column.
pub const CELL: usize = 6;

impl HeatTable<'_> {
    /// How many columns fit in `width` next to a label column of `label` columns.
    pub fn visible_columns(width: usize, label: usize) -> usize {
        width.saturating_sub(label + 1) / CELL
    }

    /// The width of the label column: the longest label, within 8 and a third of `width`.
    pub fn label_width(labels: &[String], width: usize) -> usize {
        let longest = labels
            .iter()
            .map(|l| super::text::width(l))
            .max()
            .unwrap_or(0);
        longest.clamp(8, (width / 3).max(8))
    }
}

impl Widget for HeatTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let label =
            Self::label_width(self.row_labels, area.width as usize).min(area.width as usize);
        let shown = Self::visible_columns(area.width as usize, label);
        let columns = 0..shown.min(self.column_labels.len());
        let mut y = area.y;
        let mut x = area.x + label as u16 + 1;
        for c in columns.clone() {
            buf.set_string(
                x,
                y,
                pad_left(&self.column_labels[c], CELL - 1),
                self.theme.title(),
            );
            x += CELL as u16;
        }
        y += 1;
        for (r, row_label) in self.row_labels.iter().enumerate().skip(self.first_row) {
            if y >= area.bottom() {
                break;
            }
            let small = self.small.get(r).copied().unwrap_or(false);
            let label_style = if small {
                self.theme.dim()
            } else {
                Style::new()
            };
            buf.set_string(area.x, y, pad(row_label, label), label_style);
            let mut x = area.x + label as u16 + 1;
            for c in columns.clone() {
                let value = self
                    .values
                    .get(r)
                    .and_then(|row| row.get(c))
                    .copied()
                    .flatten();
                let (text, mut style) = match value {
                    Some(p) => (format!("{p:.0}"), self.theme.heat(p)),
                    None => ("·".to_owned(), Style::new()),
                };
                if small {
                    style = style.patch(self.theme.dim());
                }
                buf.set_string(x, y, pad_left(&text, CELL - 1), style);
                x += CELL as u16;
            }
            y += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_print_their_share_and_take_the_ramp_colour() {
        let rows = vec!["Столична".to_owned(), "Plovdiv".to_owned()];
        let cols = vec!["1".to_owned(), "2".to_owned()];
        let values = vec![vec![Some(62.0), Some(5.0)], vec![None, Some(30.4)]];
        let table = HeatTable {
            row_labels: &rows,
            column_labels: &cols,
            values: &values,
            small: &[false, true],
            first_row: 0,
            theme: Theme::coloured(),
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 3));
        table.render(buf.area, &mut buf);
        let text: Vec<String> = (0..3)
            .map(|y| (0..30).map(|x| buf[(x, y)].symbol().to_owned()).collect())
            .collect();
        assert_eq!(text[0], "             1     2          ");
        assert_eq!(text[1], "Столична    62     5          ");
        assert_eq!(text[2], "Plovdiv      ·    30          ");
        assert_eq!(buf[(11, 1)].bg, Theme::coloured().heat(62.0).bg.unwrap());
        assert!(
            buf[(19, 2)]
                .modifier
                .contains(ratatui::style::Modifier::DIM)
        );
    }
}
