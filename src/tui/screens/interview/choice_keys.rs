//! Choosing from a list by typing: option numbers and first letters.
//!
//! Lists of up to ten options are numbered 1–9 and 0, one key each, and a digit chooses at
//! once. Longer lists (fifteen barriers) are numbered 1, 2, … 15: a digit that can begin a
//! longer number (1 on a list of 15) highlights its option and waits [`DIGIT_WINDOW`] for a
//! second digit; one that cannot (7) chooses at once. There is no timer: a second digit typed
//! later simply starts again, so nothing happens behind the interviewer's back.

use std::time::{Duration, Instant};

use crate::questionnaire::Choice;

/// How long the second digit of an option number may follow the first.
pub const DIGIT_WINDOW: Duration = Duration::from_millis(1200);

/// Where a digit typed on a choice list leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitPick {
    /// This option, and no other option number starts with what was typed: choose it.
    Chosen(usize),
    /// This option, but a second digit may follow (1 on a list of 15 may become 12).
    Waiting(usize),
    None,
}

/// The first digit of a two-digit option number, and when it was typed.
#[derive(Debug, Clone, Default)]
pub struct ChoiceKeys {
    pending: Option<(u8, Instant)>,
}

impl ChoiceKeys {
    /// The option digit `d`, typed at `now`, picks on a list of `count` options.
    pub fn digit(&mut self, d: u8, count: usize, now: Instant) -> DigitPick {
        if count <= 10 {
            self.pending = None;
            let index = match d {
                0 => 9,
                d => usize::from(d) - 1,
            };
            return if index < count {
                DigitPick::Chosen(index)
            } else {
                DigitPick::None
            };
        }
        let pending = self
            .pending
            .take()
            .filter(|(_, at)| now.duration_since(*at) <= DIGIT_WINDOW);
        if let Some((first, _)) = pending {
            let number = usize::from(first) * 10 + usize::from(d);
            if (1..=count).contains(&number) {
                return DigitPick::Chosen(number - 1);
            }
        }
        let number = usize::from(d);
        if number == 0 || number > count {
            return DigitPick::None;
        }
        if number * 10 <= count {
            self.pending = Some((d, now));
            DigitPick::Waiting(number - 1)
        } else {
            DigitPick::Chosen(number - 1)
        }
    }

    /// Drops a first digit: any other key ends the number.
    pub fn forget(&mut self) {
        self.pending = None;
    }
}

/// The next option after `cursor` (round the list) whose label, in any language, starts with
/// `c`, ignoring case.
pub fn next_with_letter(offered: &[&Choice], cursor: Option<usize>, c: char) -> Option<usize> {
    let wanted: String = c.to_lowercase().collect();
    let starts = |choice: &Choice| {
        choice
            .label
            .0
            .values()
            .any(|label| label.trim_start().to_lowercase().starts_with(&wanted))
    };
    let count = offered.len();
    let from = cursor.map_or(0, |i| i + 1);
    (0..count)
        .map(|k| (from + k) % count)
        .find(|&i| starts(offered[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_take_one_digit_and_zero_is_the_tenth() {
        let mut keys = ChoiceKeys::default();
        let now = Instant::now();
        assert_eq!(keys.digit(1, 2, now), DigitPick::Chosen(0));
        assert_eq!(keys.digit(3, 2, now), DigitPick::None);
        assert_eq!(keys.digit(0, 10, now), DigitPick::Chosen(9));
        assert_eq!(keys.digit(0, 9, now), DigitPick::None);
    }

    #[test]
    fn long_lists_take_two_digits_typed_quickly() {
        let mut keys = ChoiceKeys::default();
        let t0 = Instant::now();
        assert_eq!(keys.digit(1, 15, t0), DigitPick::Waiting(0));
        assert_eq!(
            keys.digit(2, 15, t0 + Duration::from_millis(300)),
            DigitPick::Chosen(11),
            "1 then 2 is option 12"
        );
        assert_eq!(keys.digit(1, 15, t0), DigitPick::Waiting(0));
        assert_eq!(
            keys.digit(2, 15, t0 + DIGIT_WINDOW * 2),
            DigitPick::Chosen(1),
            "too late: 2 is option 2"
        );
        assert_eq!(keys.digit(7, 15, t0), DigitPick::Chosen(6), "no option 70");
        assert_eq!(keys.digit(0, 15, t0), DigitPick::None);
        assert_eq!(keys.digit(1, 15, t0), DigitPick::Waiting(0));
        assert_eq!(
            keys.digit(9, 15, t0),
            DigitPick::Chosen(8),
            "19 is past the end: the 9 counts alone"
        );
        assert_eq!(keys.digit(2, 25, t0), DigitPick::Waiting(1));
        keys.forget();
        assert_eq!(
            keys.digit(5, 25, t0),
            DigitPick::Chosen(4),
            "forgotten: 5 alone"
        );
    }
}
