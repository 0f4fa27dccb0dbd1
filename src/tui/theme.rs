//! Colours and text styles, in one place so every screen looks the same. Only the 16 basic
//! colours are used: field laptops run every kind of terminal.

use ratatui::style::{Color, Modifier, Style};

/// The title bar.
pub fn title() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}

/// Section titles and headings.
pub fn heading() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// The question's own text.
pub fn question() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Hints and secondary information.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Hints under a question.
pub fn hint() -> Style {
    Style::new()
        .fg(Color::DarkGray)
        .add_modifier(Modifier::ITALIC)
}

/// A prompt before a field.
pub fn label() -> Style {
    Style::new().fg(Color::Cyan)
}

/// An edit line.
pub fn field() -> Style {
    Style::new().bg(Color::DarkGray).fg(Color::White)
}

/// The highlighted row of a list.
pub fn highlight() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// A chosen option.
pub fn chosen() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

/// Validation messages and failures.
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// The banner shown when answers could not be saved.
pub fn error_banner() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

/// Warnings that do not block (a limit reached).
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

/// Success (saved).
pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}

/// Keys in the footer.
pub fn key() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}

/// The progress bar's filled part.
pub fn progress() -> Style {
    Style::new().fg(Color::Green)
}
