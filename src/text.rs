//! Text that comes from files: how anketa compares it and which of its characters a terminal
//! would obey instead of showing.
//!
//! Names, labels and answers are typed on other laptops and read back here. They are compared
//! as a person would compare them (case and Unicode normal form do not matter, see
//! [`name_key`]), and shown as text, never as commands to the terminal (see
//! [`is_terminal_control`]).

use unicode_normalization::UnicodeNormalization;

/// The form in which two names are the same when a person would say so: Unicode full case
/// folding (so `БОРИСЛАВ` is `борислав`, and `STRASSE` is `straße`), canonical composition (an
/// `й` typed as `и` + combining breve is the precomposed `й`) and single spaces between words,
/// none at the ends.
///
/// Full case folding rather than `to_lowercase`: lowercasing depends on context (a Greek
/// final sigma) and leaves `ß`/`ẞ` and ligatures apart from their spelled-out forms, where the
/// Unicode standard's caseless match (chapter 3.13) does not. The steps follow its canonical
/// caseless match: decompose, fold, then compose again for a compact key.
pub fn name_key(name: &str) -> String {
    let decomposed: String = name.nfd().collect();
    let folded = caseless::default_case_fold_str(&decomposed);
    let composed: String = folded.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `a` and `b` name the same person or place (see [`name_key`]).
pub fn same_name(a: &str, b: &str) -> bool {
    // Most comparisons are of identical or ASCII names: no allocation for those.
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return a
            .split_ascii_whitespace()
            .map(str::to_ascii_lowercase)
            .eq(b.split_ascii_whitespace().map(str::to_ascii_lowercase));
    }
    name_key(a) == name_key(b)
}

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
    fn names_match_across_case_normal_form_and_spaces() {
        assert!(same_name("Борислав Илиев 203", "борислав илиев 203"));
        assert!(same_name("БОРИСЛАВ  ИЛИЕВ", " борислав илиев "));
        // `й` precomposed and as `и` + combining breve; `Ё` as `Е` + combining diaeresis.
        assert!(same_name("Йордан", "И\u{306}ордан"));
        assert!(same_name("ЁЖ", "е\u{308}ж"));
        assert!(same_name("Straße", "STRASSE"));
        assert!(same_name("ΣΊΣΥΦΟΣ", "σίσυφος"));
        assert!(same_name("Ana Ivanova", "ANA  ivanova"));
        assert!(!same_name("Ана", "Анна"));
        assert!(
            !same_name("Ivan", "Иван"),
            "no transliteration between scripts"
        );
        assert!(!same_name("ana", ""));
        assert_eq!(name_key("  Мария\tПЕТРОВА "), "мария петрова");
    }

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
