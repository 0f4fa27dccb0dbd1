//! The one place where keys become [`Action`]s. Only key presses count (not repeats from
//! Windows' release events), and what a character means depends on whether a text field has
//! the focus.
//!
//! Every function key has a Ctrl (or Alt) letter beside it, because many laptops need Fn for
//! the F-keys: Ctrl+L language, Ctrl+D don't know, Ctrl+R refused, Ctrl+F finish, Ctrl+N
//! remark, Ctrl+G the question list, Ctrl+S another folder, Alt+H help. The same letters work
//! with Alt, and with the Bulgarian phonetic layout's letters on the same keys (л, д, р, ф, н,
//! г, с, х), since a terminal in that layout may pass the Cyrillic letter on.

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
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let action = match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('u') if ctrl => Action::ClearLine,
        KeyCode::Char(c) if ctrl || alt => return shortcut(c),
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::ToggleLanguage,
        KeyCode::F(3) => Action::Jump,
        KeyCode::F(4) => Action::Remark,
        KeyCode::F(6) => Action::SaveElsewhere,
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

/// The action of a letter with Ctrl or Alt: the stand-ins for the function keys.
fn shortcut(c: char) -> Option<Action> {
    let action = match c.to_lowercase().next()? {
        'l' | 'л' => Action::ToggleLanguage,
        'd' | 'д' => Action::DontKnow,
        'r' | 'р' => Action::Refused,
        'f' | 'ф' => Action::Finish,
        'n' | 'н' => Action::Remark,
        'g' | 'г' => Action::Jump,
        's' | 'с' => Action::SaveElsewhere,
        // Help: F1, or `?` outside text fields; Alt+H inside them (Ctrl+H is Backspace in
        // many terminals, so only Alt is promised).
        'h' | 'х' => Action::Help,
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
        (Mode::Choice, '/') => Action::Jump,
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

    #[test]
    fn every_function_key_has_a_letter_beside_it() {
        let with = |c: char, m: KeyModifiers| {
            action_for_key(KeyEvent::new(KeyCode::Char(c), m), Mode::Text)
        };
        let pairs = [
            (2, 'l', Action::ToggleLanguage),
            (3, 'g', Action::Jump),
            (4, 'n', Action::Remark),
            (6, 's', Action::SaveElsewhere),
            (8, 'd', Action::DontKnow),
            (9, 'r', Action::Refused),
            (10, 'f', Action::Finish),
        ];
        for (f, letter, action) in pairs {
            assert_eq!(
                action_for_key(press(KeyCode::F(f)), Mode::Text),
                Some(action)
            );
            assert_eq!(
                with(letter, KeyModifiers::CONTROL),
                Some(action),
                "Ctrl+{letter}"
            );
            assert_eq!(
                with(letter, KeyModifiers::ALT),
                Some(action),
                "Alt+{letter}"
            );
        }
        assert_eq!(
            with('Д', KeyModifiers::ALT),
            Some(Action::DontKnow),
            "Bulgarian layout"
        );
        assert_eq!(with('р', KeyModifiers::CONTROL), Some(Action::Refused));
        assert_eq!(with('x', KeyModifiers::CONTROL), None);
        assert_eq!(with('h', KeyModifiers::ALT), Some(Action::Help));
        assert_eq!(
            action_for_key(press(KeyCode::Char('/')), Mode::Choice),
            Some(Action::Jump)
        );
        assert_eq!(
            action_for_key(press(KeyCode::Char('/')), Mode::Text),
            Some(Action::Insert('/'))
        );
    }
}
