//! Keys to actions, in one place; the help overlay lists the same keys from `strings`.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Everything a key can ask the dashboards to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextView,
    PreviousView,
    GoToView(usize),
    Up,
    Down,
    PageUp,
    PageDown,
    Left,
    Right,
    NextOption,
    Sort,
    ReverseSort,
    Search,
    OpenFilters,
    ClearFilters,
    Export,
    Reload,
    ToggleLanguage,
    Help,
    Back,
    Quit,
    Confirm,
    Delete,
    /// A character typed into a text field (search).
    Type(char),
}

/// Whether keys go to a text field (search) or are commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Commands,
    Typing,
}

/// The action of `key`, if it has one. Only presses count (Windows also reports releases).
pub fn action(key: KeyEvent, mode: Mode) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    let common = match key.code {
        KeyCode::Tab => Some(Action::NextView),
        KeyCode::BackTab => Some(Action::PreviousView),
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Left => Some(Action::Left),
        KeyCode::Right => Some(Action::Right),
        KeyCode::F(2) => Some(Action::ToggleLanguage),
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Enter => Some(Action::Confirm),
        KeyCode::Backspace | KeyCode::Delete => Some(Action::Delete),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    if mode == Mode::Typing {
        return Some(Action::Type(c));
    }
    Some(match c {
        '1'..='6' => Action::GoToView(c as usize - '1' as usize),
        'k' => Action::Up,
        'j' => Action::Down,
        'h' | '[' => Action::Left,
        'l' | ']' => Action::Right,
        'o' => Action::NextOption,
        's' => Action::Sort,
        'S' => Action::ReverseSort,
        '/' => Action::Search,
        'f' => Action::OpenFilters,
        'x' => Action::ClearFilters,
        'e' => Action::Export,
        'r' => Action::Reload,
        '?' => Action::Help,
        'q' => Action::Back,
        ' ' => Action::Confirm,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn letters_are_commands_except_while_typing() {
        assert_eq!(
            action(press(KeyCode::Char('q')), Mode::Commands),
            Some(Action::Back)
        );
        assert_eq!(
            action(press(KeyCode::Char('q')), Mode::Typing),
            Some(Action::Type('q'))
        );
        assert_eq!(
            action(press(KeyCode::Char('3')), Mode::Commands),
            Some(Action::GoToView(2))
        );
        assert_eq!(
            action(press(KeyCode::Esc), Mode::Typing),
            Some(Action::Back)
        );
    }

    #[test]
    fn ctrl_c_quits_in_every_mode_and_releases_are_ignored() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(ctrl_c, Mode::Typing), Some(Action::Quit));
        let mut release = press(KeyCode::Tab);
        release.kind = KeyEventKind::Release;
        assert_eq!(action(release, Mode::Commands), None);
    }
}
