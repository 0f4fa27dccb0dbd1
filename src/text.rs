//! Text that comes from files: how anketa compares it and which of its characters a terminal
//! would obey instead of showing.
//!
//! Names, labels and answers are typed on other laptops and read back here. They are compared
//! as a person would compare them (case and Unicode normal form do not matter, see
//! [`name_key`]), and shown as text, never as commands to the terminal (see
//! [`is_terminal_control`]).

/// Whether a terminal would act on `c` instead of printing it: control characters (C0 except
/// newline and tab, DEL, C1 — `U+009B` is a CSI in some terminals) and the bidirectional marks,
/// embeddings, overrides and isolates that reorder the text shown around them.
pub fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || reorders(c)
}

/// The bidirectional formatting characters (`U+200E`, `U+200F`, `U+202A`–`U+202E`,
/// `U+2066`–`U+2069`): a `U+202E` in a name shows everything after it backwards.
pub fn reorders(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_told_from_text() {
        for c in [
            '\r', '\x1b', '\x07', '\0', '\x7f', '\u{9b}', '\u{202e}', '\u{2066}',
        ] {
            assert!(is_terminal_control(c), "{c:?}");
        }
        for c in ['\n', '\t', 'a', 'я', ' ', '\u{200b}', '👩'] {
            assert!(!is_terminal_control(c), "{c:?}");
        }
    }
}
