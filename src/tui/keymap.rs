//! The one place where keys become [`Action`]s. Only key presses count (not repeats from
//! Windows' release events), and what a character means depends on whether a text field has
//! the focus.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// What has the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Lists and menus: digits choose, Space ticks, `j`/`k` move, `?` is help.
    Choice,
    /// A text field: every printable character is text.
    Text,
}

/// The action for a terminal event, if it has one.
pub fn action_for_event(event: &Event, mode: Mode) -> Option<Action> {
    match event {
        Event::Key(key) => action_for_key(*key, mode),
        Event::Resize(..) => Some(Action::Resize),
        _ => None,
    }
}

/// The actions for text pasted into the terminal (bracketed paste).
///
/// Pasted text is typed into a text field as it is, except that line breaks, tabs and other
/// control characters become spaces: a multi-line paste must not confirm the answer and spill
/// into the following questions. Outside a text field a paste does nothing, so pasted digits
/// never choose options.
pub fn actions_for_paste(text: &str, mode: Mode) -> Vec<Action> {
    if mode != Mode::Text {
        return Vec::new();
    }
    text.chars()
        .map(|c| Action::Insert(if c.is_control() { ' ' } else { c }))
        .collect()
}

/// The action for a key event in `mode`.
pub fn action_for_key(key: KeyEvent, mode: Mode) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let action = match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('u') if ctrl => Action::ClearLine,
        KeyCode::Char('e') if ctrl => Action::EndInterview,
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::ToggleLanguage,
        KeyCode::F(6) => Action::SaveElsewhere,
        KeyCode::F(7) => Action::EndInterview,
        KeyCode::F(8) => Action::DontKnow,
        KeyCode::F(9) => Action::Refused,
        KeyCode::F(10) => Action::Finish,
        KeyCode::Esc => Action::Back,
        KeyCode::Enter => Action::Confirm,
        KeyCode::BackTab => Action::Previous,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => Action::Previous,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Char(c) => return Some(char_action(c, mode)),
        _ => return None,
    };
    Some(action)
}

fn char_action(c: char, mode: Mode) -> Action {
    match (mode, c) {
        (Mode::Text, c) => Action::Insert(c),
        (Mode::Choice, '0'..='9') => Action::Digit(c as u8 - b'0'),
        (Mode::Choice, ' ') => Action::Toggle,
        (Mode::Choice, '?') => Action::Help,
        (Mode::Choice, 'j') => Action::Down,
        (Mode::Choice, 'k') => Action::Up,
        (Mode::Choice, c) => Action::Insert(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn pastes_are_typed_on_one_line_and_only_into_text_fields() {
        let typed = actions_for_paste("a\nб\t1\u{7}", Mode::Text);
        let expected: Vec<Action> = "a б 1 ".chars().map(Action::Insert).collect();
        assert_eq!(typed, expected);
        assert!(actions_for_paste("123", Mode::Choice).is_empty());
    }

    #[test]
    fn characters_depend_on_the_focus() {
        let seven = press(KeyCode::Char('7'));
        assert_eq!(action_for_key(seven, Mode::Choice), Some(Action::Digit(7)));
        assert_eq!(action_for_key(seven, Mode::Text), Some(Action::Insert('7')));
        let q = press(KeyCode::Char('?'));
        assert_eq!(action_for_key(q, Mode::Choice), Some(Action::Help));
        assert_eq!(action_for_key(q, Mode::Text), Some(Action::Insert('?')));
        let ya = press(KeyCode::Char('я'));
        assert_eq!(action_for_key(ya, Mode::Text), Some(Action::Insert('я')));
    }

    #[test]
    fn only_presses_count_and_ctrl_c_always_quits() {
        let mut release = press(KeyCode::Enter);
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for_key(release, Mode::Text), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for_key(ctrl_c, Mode::Text), Some(Action::Quit));
        assert_eq!(
            action_for_key(press(KeyCode::BackTab), Mode::Choice),
            Some(Action::Previous)
        );
        assert_eq!(
            action_for_key(press(KeyCode::F(8)), Mode::Text),
            Some(Action::DontKnow)
        );
    }
}
