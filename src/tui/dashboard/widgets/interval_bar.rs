//! A horizontal bar for an estimate with its 95% interval marked on it.
//!
//! `████▓░    ` reads: the solid part runs up to the lower end of the interval, `▓` from
//! there to the estimate and `░` from the estimate to the upper end. The glyphs carry the
//! meaning, so the bar reads the same without colour.

use ratatui::text::{Line, Span};

use crate::tui::dashboard::theme::Theme;

/// An estimate on a scale from 0 to `max`, with an optional interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalBar {
    pub value: f64,
    pub interval: Option<[f64; 2]>,
    pub max: f64,
}

impl IntervalBar {
    /// The glyphs of the bar in `width` columns.
    pub fn glyphs(&self, width: usize) -> String {
        if width == 0
            || self.max.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
            || !self.value.is_finite()
        {
            return " ".repeat(width);
        }
        let [lo, hi] = self.interval.unwrap_or([self.value, self.value]);
        let step = self.max / width as f64;
        (0..width)
            .map(|i| {
                let mid = (i as f64 + 0.5) * step;
                if mid < lo.min(self.value) {
                    '█'
                } else if mid < self.value {
                    '▓'
                } else if mid <= hi {
                    '░'
                } else {
                    ' '
                }
            })
            .collect()
    }

    /// The bar as a styled line for a table cell or a paragraph.
    pub fn line(&self, width: usize, theme: Theme) -> Line<'static> {
        let glyphs = self.glyphs(width);
        let solid: String = glyphs.chars().filter(|&c| c == '█' || c == '▓').collect();
        let rest: String = glyphs.chars().filter(|&c| c != '█' && c != '▓').collect();
        Line::from(vec![
            Span::styled(solid, theme.bar()),
            Span::styled(rest, theme.accent()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(value: f64, lo: f64, hi: f64) -> IntervalBar {
        IntervalBar {
            value,
            interval: Some([lo, hi]),
            max: 100.0,
        }
    }

    #[test]
    fn the_interval_is_marked_around_the_estimate() {
        assert_eq!(bar(50.0, 40.0, 60.0).glyphs(10), "████▓░    ");
        // An estimate of 0 still shows how far its interval reaches.
        assert_eq!(bar(0.0, 0.0, 5.0).glyphs(10), "░         ");
        assert_eq!(bar(100.0, 96.0, 100.0).glyphs(10), "██████████");
        assert_eq!(bar(100.0, 80.0, 100.0).glyphs(10), "████████▓▓");
        assert_eq!(bar(30.0, 10.0, 55.0).glyphs(10), "█▓▓░░░    ");
    }

    #[test]
    fn degenerate_input_gives_blank_bars_of_the_right_width() {
        let nan = IntervalBar {
            value: f64::NAN,
            interval: None,
            max: 100.0,
        };
        assert_eq!(nan.glyphs(6), "      ");
        let zero_scale = IntervalBar {
            value: 3.0,
            interval: None,
            max: 0.0,
        };
        assert_eq!(zero_scale.glyphs(4), "    ");
        assert_eq!(bar(50.0, 40.0, 60.0).glyphs(0), "");
    }

    #[test]
    fn the_styled_line_keeps_every_column() {
        let line = bar(50.0, 40.0, 60.0).line(20, Theme::coloured());
        assert_eq!(line.width(), 20);
    }
}
