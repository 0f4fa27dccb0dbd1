//! Colours of the dashboards: the Okabe–Ito palette (safe for the common colour-vision
//! deficiencies) for series and accents, a viridis-like ramp for the heat table, and plain
//! text when `NO_COLOR` is set.
//!
//! Meaning is never carried by colour alone: bars use glyphs, dimmed rows carry a marker and
//! heat cells print their percentage, so the screen reads the same without colour.

use ratatui::style::{Color, Modifier, Style};

/// The styles the views draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are used at all (`false` under `NO_COLOR`).
    pub colour: bool,
}

/// Okabe–Ito blue.
const BLUE: Color = Color::Rgb(0, 114, 178);
/// Okabe–Ito orange.
const ORANGE: Color = Color::Rgb(230, 159, 0);
/// Okabe–Ito sky blue.
const SKY: Color = Color::Rgb(86, 180, 233);
/// Okabe–Ito vermillion.
const VERMILLION: Color = Color::Rgb(213, 94, 0);
/// Okabe–Ito bluish green.
const GREEN: Color = Color::Rgb(0, 158, 115);

/// Five steps of viridis, from low to high share.
const VIRIDIS: [Color; 5] = [
    Color::Rgb(68, 1, 84),
    Color::Rgb(59, 82, 139),
    Color::Rgb(33, 145, 140),
    Color::Rgb(94, 201, 98),
    Color::Rgb(253, 231, 37),
];

impl Theme {
    /// The theme for this process: without colour when `NO_COLOR` is set to anything non-empty
    /// (<https://no-color.org>).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { colour: !no_color }
    }

    /// A theme with colours, whatever the environment says (tests, benchmarks).
    pub fn coloured() -> Self {
        Self { colour: true }
    }

    fn fg(self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    /// Titles and the selected tab.
    pub fn title(self) -> Style {
        self.fg(SKY).add_modifier(Modifier::BOLD)
    }

    /// The selected row of a list or table.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The bars of estimates.
    pub fn bar(self) -> Style {
        self.fg(BLUE)
    }

    /// The second series (drafts, interval ends).
    pub fn accent(self) -> Style {
        self.fg(ORANGE)
    }

    /// Good news (a target reached).
    pub fn good(self) -> Style {
        self.fg(GREEN)
    }

    /// Warnings: small bases, problem files, errors.
    pub fn warn(self) -> Style {
        self.fg(VERMILLION).add_modifier(Modifier::BOLD)
    }

    /// Figures resting on fewer than 30 answers.
    pub fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// Secondary text: hints, keys in the footer.
    pub fn muted(self) -> Style {
        if self.colour {
            Style::new().fg(Color::Gray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// A heat-table cell for a share of `percent` (0–100): background from the viridis ramp,
    /// text dark on light steps and light on dark ones so it stays readable.
    pub fn heat(self, percent: f64) -> Style {
        if !self.colour {
            return if percent >= 50.0 {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
        }
        let step = heat_step(percent);
        let text = if step >= 3 {
            Color::Black
        } else {
            Color::White
        };
        Style::new().bg(VIRIDIS[step]).fg(text)
    }
}

/// Which of the five ramp steps a share falls in; shares above 60% all take the top step so
/// the differences that matter (a few points to a half) stay visible.
pub fn heat_step(percent: f64) -> usize {
    let p = if percent.is_finite() { percent } else { 0.0 };
    match p {
        p if p < 10.0 => 0,
        p if p < 20.0 => 1,
        p if p < 35.0 => 2,
        p if p < 50.0 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_steps_rise_with_the_share_and_survive_nan() {
        let steps: Vec<usize> = [0.0, 12.0, 25.0, 40.0, 90.0, f64::NAN]
            .iter()
            .map(|&p| heat_step(p))
            .collect();
        assert_eq!(steps, vec![0, 1, 2, 3, 4, 0]);
    }

    #[test]
    fn without_colour_no_style_sets_a_colour() {
        let plain = Theme { colour: false };
        for style in [plain.title(), plain.bar(), plain.warn(), plain.heat(70.0)] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(Theme::coloured().heat(70.0).bg.is_some());
    }
}
