//! Fitting text into cells by display width, so Cyrillic, CJK and combining marks line up.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The number of terminal columns `text` takes.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `max` columns, ending in `…` when something was cut. Cuts only
/// between grapheme clusters, so an accent is never separated from its letter.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `text` truncated and padded with spaces to exactly `columns` columns (left aligned).
pub fn pad(text: &str, columns: usize) -> String {
    let mut s = truncate(text, columns);
    let w = width(&s);
    s.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    s
}

/// `text` truncated and padded on the left to exactly `columns` columns (right aligned).
pub fn pad_left(text: &str, columns: usize) -> String {
    let s = truncate(text, columns);
    let w = width(&s);
    let mut out: String = std::iter::repeat_n(' ', columns.saturating_sub(w)).collect();
    out.push_str(&s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_measured_in_columns_not_bytes() {
        assert_eq!(width("Столична"), 8);
        assert_eq!(pad("Столична", 10), "Столична  ");
        assert_eq!(width(&pad("Столична", 10)), 10);
        assert_eq!(pad_left("Ямбол", 7), "  Ямбол");
    }

    #[test]
    fn long_labels_end_in_an_ellipsis_within_the_width() {
        let label = "Доколко сте съгласни, че местната власт се интересува от мнението Ви?";
        for max in [1, 5, 20, 40] {
            let cut = truncate(label, max);
            assert!(width(&cut) <= max, "{cut:?} wider than {max}");
            assert!(cut.ends_with('…'));
        }
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("anything", 0), "");
    }

    #[test]
    fn wide_characters_and_combining_marks_are_not_split() {
        // Each ideograph takes two columns; a cut never leaves half of one.
        assert_eq!(truncate("日本語テキスト", 6), "日本…");
        // "й" written as и + combining breve stays whole.
        let cut = truncate("и\u{306}и\u{306}и\u{306}и\u{306}", 3);
        assert_eq!(cut, "и\u{306}и\u{306}…");
    }
}
