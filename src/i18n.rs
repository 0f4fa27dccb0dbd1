//! Counts in words: the singular or plural form of a message, in Bulgarian and English.
//!
//! Both languages use one form for exactly one and another for every other number (0, 2, 5,
//! 21, 1000): "1 файл", "0 файла", "21 файла"; "1 file", "21 files". Which word the second
//! form uses is the language's business, not a rule this module could apply: a Bulgarian
//! masculine noun that is not a person takes its count form after a number ("2 файла",
//! "5 отговора", never "файлове", "отговори"), a person takes the plural ("5 анкетьори"), and
//! feminine and neuter nouns take the plural ("3 анкети", "5 интервюта"). So each message
//! carries both forms whole, as gettext's `ngettext` does, and verbs and adjectives agree too:
//! "1 файл не може да бъде прочетен", "3 файла не могат да бъдат прочетени".
//!
//! The core (quality flags' Bulgarian reasons) and the screens use the same [`Plural`], so a
//! count reads the same everywhere.

/// A message in its two forms, each with `{}` where the count goes (or none, when the count
/// is printed elsewhere and only the word must agree with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    /// For exactly 1.
    pub one: &'static str,
    /// For every other count, 0 included.
    pub other: &'static str,
}

impl Plural {
    pub const fn new(one: &'static str, other: &'static str) -> Self {
        Self { one, other }
    }

    /// The form that agrees with `n`.
    pub fn form(&self, n: usize) -> &'static str {
        if n == 1 { self.one } else { self.other }
    }

    /// The form that agrees with `n`, its first `{}` replaced by `n`.
    pub fn fill(&self, n: usize) -> String {
        self.form(n).replacen("{}", &n.to_string(), 1)
    }
}

/// Bulgarian phrases that several places print after a number.
pub mod bg {
    use super::Plural;

    pub const ANSWERS: Plural = Plural::new("{} отговор", "{} отговора");
    pub const ANSWERED_QUESTIONS: Plural =
        Plural::new("{} отговорен въпрос", "{} отговорени въпроса");
    pub const INTERVIEWS: Plural = Plural::new("{} интервю", "{} интервюта");
    pub const CHARACTERS: Plural = Plural::new("{} знак", "{} знака");
    pub const FILES: Plural = Plural::new("{} файл", "{} файла");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_is_not() {
        let cases = [
            (0, "0 файла"),
            (1, "1 файл"),
            (2, "2 файла"),
            (5, "5 файла"),
            (11, "11 файла"),
            (21, "21 файла"),
            (101, "101 файла"),
        ];
        for (n, expected) in cases {
            assert_eq!(bg::FILES.fill(n), expected);
        }
    }

    #[test]
    fn bulgarian_nouns_take_their_count_form_or_plural() {
        // Masculine, not a person: the count form after a number.
        assert_eq!(bg::ANSWERS.fill(1), "1 отговор");
        assert_eq!(bg::ANSWERS.fill(3), "3 отговора");
        assert_eq!(bg::ANSWERED_QUESTIONS.fill(1), "1 отговорен въпрос");
        assert_eq!(bg::ANSWERED_QUESTIONS.fill(38), "38 отговорени въпроса");
        assert_eq!(bg::CHARACTERS.fill(1000), "1000 знака");
        // Neuter: the plural.
        assert_eq!(bg::INTERVIEWS.fill(1), "1 интервю");
        assert_eq!(bg::INTERVIEWS.fill(5), "5 интервюта");
    }

    #[test]
    fn whole_sentences_agree_and_a_form_without_a_slot_is_only_the_word() {
        let unreadable = Plural::new(
            "{} файл не може да бъде прочетен",
            "{} файла не могат да бъдат прочетени",
        );
        assert_eq!(unreadable.fill(1), "1 файл не може да бъде прочетен");
        assert_eq!(unreadable.fill(4), "4 файла не могат да бъдат прочетени");
        let word = Plural::new("чернова", "чернови");
        assert_eq!((word.form(1), word.form(0)), ("чернова", "чернови"));
        assert_eq!(word.fill(2), "чернови");
        let english = Plural::new("{} file", "{} files");
        assert_eq!(
            (english.fill(1), english.fill(0)),
            ("1 file".into(), "0 files".into())
        );
    }
}
