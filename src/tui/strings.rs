//! Every text the screens show, in Bulgarian and English, in one place. Questionnaire texts
//! come from the questionnaire itself; these are the program's own words.

use crate::i18n::{Plural, bg as bg_counts};
use crate::interview::Invalid;

/// A key and what it does, for footers and the help overlay.
pub type KeyHelp = (&'static str, &'static str);

/// The program's texts in one language. Templates mark their arguments with `{}`.
#[derive(Debug)]
pub struct Strings {
    pub lang: &'static str,
    pub lang_badge: &'static str,
    // home
    pub new_interview: &'static str,
    pub drafts: &'static str,
    pub completed: &'static str,
    pub dashboards: &'static str,
    pub export: &'static str,
    pub quit: &'static str,
    pub no_drafts: &'static str,
    pub loading: &'static str,
    pub no_completed: &'static str,
    /// The number of unreadable files.
    pub unreadable_files: Plural,
    /// Answered and asked; the noun agrees with the second number.
    pub answers_count: Plural,
    pub locked: &'static str,
    // start
    pub start_title: &'static str,
    pub choose_questionnaire: &'static str,
    pub interviewer_prompt: &'static str,
    pub interviewer_hint: &'static str,
    pub municipality_prompt: &'static str,
    pub municipality_hint: &'static str,
    pub name_required: &'static str,
    pub no_match: &'static str,
    pub team_hint: &'static str,
    pub team_unusable: &'static str,
    // interview
    pub interviewer: &'static str,
    pub saved: &'static str,
    pub saving: &'static str,
    pub not_saved: &'static str,
    pub not_saved_banner: &'static str,
    pub save_elsewhere_prompt: &'static str,
    pub saved_elsewhere: &'static str,
    /// A municipality at its target: name, achieved, target.
    pub quota_municipality_reached: &'static str,
    /// A full quota cell: its bands in words, achieved, target.
    pub quota_cell_full: &'static str,
    pub dont_know: &'static str,
    pub refused: &'static str,
    /// A stored answer that broke its question's rules when the file was loaded.
    pub invalid_answer: &'static str,
    pub not_answered: &'static str,
    pub date_format: &'static str,
    pub other_prompt: &'static str,
    pub required_mark: &'static str,
    pub chosen_count: &'static str,
    /// Options above and below the visible part of a long list, and the highlighted one (7/15).
    pub options_hidden: &'static str,
    pub review_title: &'static str,
    pub finish_row: &'static str,
    pub confirm_finish: &'static str,
    pub confirm_reopen: &'static str,
    pub confirm_leave_unsaved: &'static str,
    pub yes_no: &'static str,
    pub missing_required: Plural,
    /// After the messages of failed soft checks.
    pub warning_confirm: &'static str,
    pub completed_msg: &'static str,
    pub paused_msg: &'static str,
    pub too_small: &'static str,
    // interview lifecycle
    pub ended_msg: &'static str,
    pub deleted_msg: &'static str,
    pub confirm_delete: &'static str,
    pub confirm_finish_unanswered: &'static str,
    pub finish_unanswered_keys: &'static str,
    pub confirm_finish_partial: &'static str,
    pub thank_you: &'static str,
    pub thank_you_keys: &'static str,
    pub end_title: &'static str,
    pub observe_title: &'static str,
    pub observe_others: &'static str,
    pub observe_cooperation: &'static str,
    pub observe_language: &'static str,
    pub observe_remark: &'static str,
    pub observe_hint: &'static str,
    pub obs_none: &'static str,
    pub obs_family: &'static str,
    pub obs_others: &'static str,
    pub obs_good: &'static str,
    pub obs_fair: &'static str,
    pub obs_poor: &'static str,
    pub obs_other_language: &'static str,
    pub edit_title: &'static str,
    pub edit_by: &'static str,
    pub edit_reason: &'static str,
    pub edit_by_required: &'static str,
    pub edit_reason_required: &'static str,
    pub edit_hint: &'static str,
    pub edit_row: &'static str,
    pub read_only_banner: &'static str,
    pub file_recreated: &'static str,
    pub trail_missing: &'static str,
    pub trail_damaged: &'static str,
    pub keys_drafts: &'static [KeyHelp],
    pub keys_view: &'static [KeyHelp],
    pub keys_edit_form: &'static [KeyHelp],
    pub keys_observe: &'static [KeyHelp],
    pub keys_finish_unanswered: &'static [KeyHelp],
    pub keys_end: &'static [KeyHelp],
    pub keys_thank_you: &'static [KeyHelp],
    /// The remark box's title: the question's code.
    pub remark_title: &'static str,
    pub remark_keys: &'static str,
    /// The remark's length in characters.
    /// The remark's length in characters.
    pub remark_length: Plural,
    /// Before a remark's first words, on the question and in the review.
    pub remark_marker: &'static str,
    pub jump_title: &'static str,
    /// Questions matching the search, of all.
    pub jump_count: &'static str,
    pub jump_search: &'static str,
    pub jump_keys: &'static str,
    pub jump_none: &'static str,
    /// Enter on a question that skip logic leaves out.
    pub jump_not_asked: &'static str,
    /// After a question that skip logic leaves out.
    pub jump_skipped: &'static str,
    // keys
    pub keys_home: &'static [KeyHelp],
    pub keys_list: &'static [KeyHelp],
    pub keys_start: &'static [KeyHelp],
    pub keys_single: &'static [KeyHelp],
    pub keys_multiple: &'static [KeyHelp],
    pub keys_scale: &'static [KeyHelp],
    pub keys_text: &'static [KeyHelp],
    pub keys_note: &'static [KeyHelp],
    /// Don't know and refused, shown only on questions that accept them.
    pub keys_special: &'static [KeyHelp],
    /// Remark, question list and language, on every question.
    pub keys_question: &'static [KeyHelp],
    pub keys_pause: KeyHelp,
    /// Esc on a question opened from the review.
    pub keys_cancel_edit: KeyHelp,
    pub keys_help_choice: KeyHelp,
    pub keys_help_text: KeyHelp,
    pub keys_review: &'static [KeyHelp],
    pub keys_dialog: &'static [KeyHelp],
    pub help_title: &'static str,
    pub help: &'static [KeyHelp],
}

/// The texts for `lang` (`bg`, or English for anything else).
pub fn strings(lang: &str) -> &'static Strings {
    if lang == "bg" { &BG } else { &EN }
}

/// Fills the `{}` of `template` with `args`, in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    for arg in args {
        match rest.find("{}") {
            Some(i) => {
                out.push_str(&rest[..i]);
                out.push_str(arg);
                rest = &rest[i + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// Why an answer is refused, in `lang`; a constraint's own message when it has one.
pub fn invalid(lang: &str, why: &Invalid) -> String {
    let bg = lang == "bg";
    let num = |n: f64| n.to_string();
    match why {
        Invalid::Required => pick(
            bg,
            "Въпросът е задължителен: въведете отговор (или F8/F9).",
            "This question is required: give an answer (or F8/F9).",
        ),
        Invalid::NotANumber => pick(bg, "Въведете число.", "Type a number."),
        Invalid::NotAWholeNumber => pick(bg, "Въведете цяло число.", "Type a whole number."),
        Invalid::BelowMin(min) => fill(
            if bg {
                "Най-малко {}."
            } else {
                "At least {}."
            },
            &[&num(*min)],
        ),
        Invalid::AboveMax(max) => fill(
            if bg {
                "Най-много {}."
            } else {
                "At most {}."
            },
            &[&num(*max)],
        ),
        Invalid::BadDate => pick(
            bg,
            "Въведете дата във вида ГГГГ-ММ-ДД.",
            "Type a date as YYYY-MM-DD.",
        ),
        Invalid::TooLong(n) => {
            let count = *n as usize;
            if bg {
                format!("Най-много {}.", bg_counts::CHARACTERS.fill(count))
            } else {
                Plural::new("At most {} character.", "At most {} characters.").fill(count)
            }
        }
        Invalid::TooManyChoices(n) => {
            let count = *n as usize;
            if bg {
                format!("Най-много {}.", bg_counts::ANSWERS.fill(count))
            } else {
                Plural::new("At most {} answer.", "At most {} answers.").fill(count)
            }
        }
        Invalid::ExclusiveCombined => pick(
            bg,
            "Този отговор не се съчетава с други.",
            "This answer cannot be combined with others.",
        ),
        Invalid::NotOffered(code) => fill(
            if bg {
                "„{}“ не е сред възможните отговори."
            } else {
                "“{}” is not one of the options."
            },
            &[code],
        ),
        Invalid::OtherTextMissing => pick(bg, "Уточнете „друго“.", "Please specify “other”."),
        Invalid::SpecialNotAllowed => pick(
            bg,
            "Този въпрос изисква отговор: „не знае“ и „отказ“ не се приемат.",
            "This question needs an answer: don't know and refused are not accepted.",
        ),
        Invalid::Constraint(Some(message)) => message.get(lang).to_owned(),
        Invalid::Constraint(None) => pick(
            bg,
            "Отговорът не отговаря на условието на въпроса.",
            "The answer does not meet the question's condition.",
        ),
        Invalid::UnknownMunicipality => pick(
            bg,
            "Изберете община от списъка.",
            "Choose a municipality from the list.",
        ),
    }
}

fn pick(bg: bool, bg_text: &str, en_text: &str) -> String {
    if bg { bg_text } else { en_text }.to_owned()
}

mod bg;
mod en;

use bg::BG;
use en::EN;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        let bg = strings("bg");
        assert_eq!(
            bg.unreadable_files.fill(1),
            "1 файл не може да бъде прочетен и е оставен непроменен (вижте `anketa validate`)."
        );
        assert!(bg.unreadable_files.fill(3).starts_with("3 файла не могат"));
        assert_eq!(
            bg.missing_required.fill(1),
            "Липсва 1 задължителен отговор."
        );
        assert_eq!(
            bg.missing_required.fill(2),
            "Липсват 2 задължителни отговора."
        );
        assert_eq!(fill(bg.answers_count.form(1), &["0", "1"]), "0/1 отговор");
        assert_eq!(
            fill(bg.answers_count.form(38), &["1", "38"]),
            "1/38 отговора"
        );
        assert_eq!(
            invalid("bg", &Invalid::TooManyChoices(1)),
            "Най-много 1 отговор."
        );
        assert_eq!(
            invalid("bg", &Invalid::TooManyChoices(3)),
            "Най-много 3 отговора."
        );
        assert_eq!(invalid("bg", &Invalid::TooLong(1)), "Най-много 1 знак.");
        assert_eq!(invalid("en", &Invalid::TooLong(1)), "At most 1 character.");
        assert_eq!(
            strings("en").unreadable_files.fill(1).split(' ').nth(1),
            Some("file")
        );
    }

    /// The project's terms: "анкетьор" (never the calque "интервюер"), "кодификатор" (not
    /// "кодова книга"). Debug output holds every text of a table.
    #[test]
    fn bulgarian_texts_use_the_agreed_terms() {
        let dashboards = crate::tui::dashboard::strings::strings("bg");
        for texts in [format!("{BG:?}"), format!("{dashboards:?}")] {
            let texts = texts.to_lowercase();
            for calque in ["интервюер", "кодова книга", "кодовата книга"]
            {
                assert!(!texts.contains(calque), "{calque}");
            }
            assert!(texts.contains("анкетьор"));
        }
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(fill("{}/{} answers", &["3", "40"]), "3/40 answers");
        assert_eq!(fill("no args", &["x"]), "no args");
    }

    #[test]
    fn help_lines_fit_the_overlay() {
        use unicode_width::UnicodeWidthStr;
        for s in [&BG, &EN] {
            for (key, what) in s.help {
                // The overlay is 76 wide: two borders and a 14-column key column.
                assert!(what.width() <= 60, "{}: {what}", s.lang);
                assert!(key.width() <= 12, "{key}");
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        assert_eq!(BG.help.len(), EN.help.len());
        assert_eq!(BG.keys_single.len(), EN.keys_single.len());
        assert_eq!(strings("bg").lang, "bg");
        assert_eq!(strings("xx").lang, "en");
    }
}
