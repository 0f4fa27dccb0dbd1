//! Every text the screens show, in Bulgarian and English, in one place. Questionnaire texts
//! come from the questionnaire itself; these are the program's own words.

use crate::interview::Invalid;

/// A key and what it does, for footers and the help overlay.
pub type KeyHelp = (&'static str, &'static str);

/// The program's texts in one language. Templates mark their arguments with `{}`.
#[derive(Debug)]
pub struct Strings {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub lang_badge: &'static str,
    // home
    pub new_interview: &'static str,
    pub drafts: &'static str,
    pub completed: &'static str,
    pub dashboards: &'static str,
    pub export: &'static str,
    pub quit: &'static str,
    pub no_drafts: &'static str,
    pub no_completed: &'static str,
    pub unreadable_files: &'static str,
    pub answers_count: &'static str,
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
    // interview
    pub interviewer: &'static str,
    pub saved: &'static str,
    pub saving: &'static str,
    pub not_saved: &'static str,
    pub not_saved_banner: &'static str,
    pub save_elsewhere_prompt: &'static str,
    pub saved_elsewhere: &'static str,
    pub dont_know: &'static str,
    pub refused: &'static str,
    pub not_answered: &'static str,
    pub other_prompt: &'static str,
    pub required_mark: &'static str,
    pub chosen_count: &'static str,
    pub review_title: &'static str,
    pub finish_row: &'static str,
    pub confirm_finish: &'static str,
    pub confirm_reopen: &'static str,
    pub confirm_leave_unsaved: &'static str,
    pub yes_no: &'static str,
    pub missing_required: &'static str,
    pub completed_msg: &'static str,
    pub paused_msg: &'static str,
    pub too_small: &'static str,
    pub placeholder_screen: &'static str,
    // keys
    pub keys_home: &'static [KeyHelp],
    pub keys_list: &'static [KeyHelp],
    pub keys_start: &'static [KeyHelp],
    pub keys_single: &'static [KeyHelp],
    pub keys_multiple: &'static [KeyHelp],
    pub keys_scale: &'static [KeyHelp],
    pub keys_text: &'static [KeyHelp],
    pub keys_note: &'static [KeyHelp],
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
        Invalid::TooLong(n) => fill(
            if bg {
                "Най-много {} знака."
            } else {
                "At most {} characters."
            },
            &[&n.to_string()],
        ),
        Invalid::TooManyChoices(n) => fill(
            if bg {
                "Най-много {} отговора."
            } else {
                "At most {} answers."
            },
            &[&n.to_string()],
        ),
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

static BG: Strings = Strings {
    lang: "bg",
    other_lang: "English",
    lang_badge: "БГ",
    new_interview: "Ново интервю",
    drafts: "Чернови — продължаване ({})",
    completed: "Завършени — отваряне отново ({})",
    dashboards: "Табла с резултати",
    export: "Експорт (CSV и кодова книга)",
    quit: "Изход",
    no_drafts: "Няма незавършени интервюта.",
    no_completed: "Няма завършени интервюта.",
    unreadable_files: "{} файла не могат да бъдат прочетени и са оставени непроменени (вижте `anketa validate`).",
    answers_count: "{}/{} отговора",
    locked: "Интервюто е отворено в друг прозорец на anketa.",
    start_title: "Ново интервю",
    choose_questionnaire: "Изберете въпросник:",
    interviewer_prompt: "Интервюер:",
    interviewer_hint: "Името се запомня за следващия път.",
    municipality_prompt: "Община:",
    municipality_hint: "Пишете на кирилица или латиница: „плов“ или „plov“.",
    name_required: "Въведете името на интервюера.",
    no_match: "Няма такава община.",
    interviewer: "Интервюер",
    saved: "✓ записано",
    saving: "… записване",
    not_saved: "✗ НЕЗАПИСАНО",
    not_saved_banner: "НЕ Е ЗАПИСАНО — отговорите са в паметта. F6: запис в друга папка",
    save_elsewhere_prompt: "Папка за запис:",
    saved_elsewhere: "Записано в {}",
    dont_know: "Не знае",
    refused: "Отказ",
    not_answered: "—",
    other_prompt: "Уточнете „друго“:",
    required_mark: " *",
    chosen_count: "Избрани: {}",
    review_title: "Преглед на отговорите",
    finish_row: "✔ Завършване на интервюто",
    confirm_finish: "Да завърша ли интервюто? След това то се отбелязва като завършено.",
    confirm_reopen: "Да отворя ли завършеното интервю? То става чернова, докато не бъде завършено отново.",
    confirm_leave_unsaved: "Последните отговори НЕ са записани. Излизане въпреки това? (F6: запис в друга папка)",
    yes_no: "Enter/д — да · Esc/н — не",
    missing_required: "Липсват задължителни отговори: {}",
    completed_msg: "Интервюто е завършено и записано.",
    paused_msg: "Черновата е записана; продължава се от „Чернови“.",
    too_small: "Прозорецът е твърде малък ({}×{}). Нужни са поне {}×{}.",
    placeholder_screen: "Този екран още не е наличен. Esc: назад",
    keys_home: &[
        ("↑↓", "избор"),
        ("Enter", "отваряне"),
        ("F2", "English"),
        ("?", "помощ"),
        ("q", "изход"),
    ],
    keys_list: &[
        ("↑↓", "избор"),
        ("Enter", "отваряне"),
        ("Esc", "назад"),
        ("F2", "English"),
    ],
    keys_start: &[
        ("Enter", "напред"),
        ("↑↓", "избор"),
        ("Esc", "назад"),
        ("F2", "English"),
    ],
    keys_single: &[
        ("1-9", "избор"),
        ("↑↓ Enter", "избор"),
        ("⇧Tab", "назад"),
        ("F8", "не знае"),
        ("F9", "отказ"),
        ("Esc", "пауза"),
        ("?", "помощ"),
    ],
    keys_multiple: &[
        ("1-9 Space", "отбелязване"),
        ("Enter", "напред"),
        ("⇧Tab", "назад"),
        ("F8/F9", "не знае/отказ"),
        ("Esc", "пауза"),
        ("?", "помощ"),
    ],
    keys_scale: &[
        ("0-9 ←→", "оценка"),
        ("Enter", "напред"),
        ("⇧Tab", "назад"),
        ("F8/F9", "не знае/отказ"),
        ("Esc", "пауза"),
        ("F1", "помощ"),
    ],
    keys_text: &[
        ("Enter", "напред"),
        ("⇧Tab", "назад"),
        ("F8/F9", "не знае/отказ"),
        ("F2", "English"),
        ("Esc", "пауза"),
        ("F1", "помощ"),
    ],
    keys_note: &[
        ("Enter", "напред"),
        ("⇧Tab", "назад"),
        ("F2", "English"),
        ("Esc", "пауза"),
        ("?", "помощ"),
    ],
    keys_review: &[
        ("↑↓", "избор"),
        ("Enter", "промяна"),
        ("F10", "завършване"),
        ("⇧Tab", "назад"),
        ("Esc", "пауза"),
    ],
    keys_dialog: &[("Enter/д", "да"), ("Esc/н", "не")],
    help_title: "Помощ — клавиши",
    help: &[
        (
            "1–9, 0",
            "избор на отговор (0 = десети); при няколко отговора — отбелязване",
        ),
        ("↑ ↓, Enter", "придвижване в списъка и потвърждаване"),
        ("Space", "отбелязване при няколко отговора"),
        ("← →", "по-ниска / по-висока оценка; курсор в текстово поле"),
        ("Home End", "начало / край на текстовото поле"),
        ("Enter", "следващ въпрос (отговорът се записва веднага)"),
        ("⇧Tab, PgUp", "предишен въпрос"),
        ("F8 / F9", "„не знае“ / „отказ“"),
        ("F2", "смяна на езика (БГ ↔ EN)"),
        ("F6", "запис в друга папка, ако записът е неуспешен"),
        ("F10", "завършване от прегледа"),
        ("Esc", "пауза: черновата се пази в „Чернови“"),
        ("F1, ?", "тази помощ"),
        ("Ctrl+C", "изход (черновата се записва)"),
    ],
};

static EN: Strings = Strings {
    lang: "en",
    other_lang: "Български",
    lang_badge: "EN",
    new_interview: "New interview",
    drafts: "Drafts — resume ({})",
    completed: "Completed — reopen ({})",
    dashboards: "Dashboards",
    export: "Export (CSV and codebook)",
    quit: "Quit",
    no_drafts: "No unfinished interviews.",
    no_completed: "No completed interviews.",
    unreadable_files: "{} file(s) cannot be read and were left untouched (see `anketa validate`).",
    answers_count: "{}/{} answers",
    locked: "This interview is open in another anketa window.",
    start_title: "New interview",
    choose_questionnaire: "Choose the questionnaire:",
    interviewer_prompt: "Interviewer:",
    interviewer_hint: "The name is remembered for next time.",
    municipality_prompt: "Municipality:",
    municipality_hint: "Type in Cyrillic or Latin: “plov” or “плов”.",
    name_required: "Type the interviewer's name.",
    no_match: "No such municipality.",
    interviewer: "Interviewer",
    saved: "✓ saved",
    saving: "… saving",
    not_saved: "✗ NOT SAVED",
    not_saved_banner: "NOT SAVED — the answers are kept in memory. F6: save to another folder",
    save_elsewhere_prompt: "Folder to save to:",
    saved_elsewhere: "Saved to {}",
    dont_know: "Don't know",
    refused: "Refused",
    not_answered: "—",
    other_prompt: "Please specify “other”:",
    required_mark: " *",
    chosen_count: "Chosen: {}",
    review_title: "Review of the answers",
    finish_row: "✔ Finish the interview",
    confirm_finish: "Finish the interview? It will be marked as complete.",
    confirm_reopen: "Reopen the completed interview? It becomes a draft until it is finished again.",
    confirm_leave_unsaved: "The latest answers are NOT saved. Leave anyway? (F6: save to another folder)",
    yes_no: "Enter/y — yes · Esc/n — no",
    missing_required: "Required answers missing: {}",
    completed_msg: "The interview is complete and saved.",
    paused_msg: "The draft is saved; resume it from “Drafts”.",
    too_small: "The terminal is too small ({}×{}). It needs at least {}×{}.",
    placeholder_screen: "This screen is not available yet. Esc: back",
    keys_home: &[
        ("↑↓", "select"),
        ("Enter", "open"),
        ("F2", "Български"),
        ("?", "help"),
        ("q", "quit"),
    ],
    keys_list: &[
        ("↑↓", "select"),
        ("Enter", "open"),
        ("Esc", "back"),
        ("F2", "Български"),
    ],
    keys_start: &[
        ("Enter", "next"),
        ("↑↓", "select"),
        ("Esc", "back"),
        ("F2", "Български"),
    ],
    keys_single: &[
        ("1-9", "choose"),
        ("↑↓ Enter", "choose"),
        ("⇧Tab", "back"),
        ("F8", "don't know"),
        ("F9", "refused"),
        ("Esc", "pause"),
        ("?", "help"),
    ],
    keys_multiple: &[
        ("1-9 Space", "tick"),
        ("Enter", "next"),
        ("⇧Tab", "back"),
        ("F8/F9", "don't know/refused"),
        ("Esc", "pause"),
        ("?", "help"),
    ],
    keys_scale: &[
        ("0-9 ←→", "rate"),
        ("Enter", "next"),
        ("⇧Tab", "back"),
        ("F8/F9", "don't know/refused"),
        ("Esc", "pause"),
        ("F1", "help"),
    ],
    keys_text: &[
        ("Enter", "next"),
        ("⇧Tab", "back"),
        ("F8/F9", "don't know/refused"),
        ("F2", "Български"),
        ("Esc", "pause"),
        ("F1", "help"),
    ],
    keys_note: &[
        ("Enter", "next"),
        ("⇧Tab", "back"),
        ("F2", "Български"),
        ("Esc", "pause"),
        ("?", "help"),
    ],
    keys_review: &[
        ("↑↓", "select"),
        ("Enter", "edit"),
        ("F10", "finish"),
        ("⇧Tab", "back"),
        ("Esc", "pause"),
    ],
    keys_dialog: &[("Enter/y", "yes"), ("Esc/n", "no")],
    help_title: "Help — keys",
    help: &[
        (
            "1–9, 0",
            "choose an answer (0 = tenth); with several answers, tick it",
        ),
        ("↑ ↓, Enter", "move in the list and confirm"),
        ("Space", "tick with several answers"),
        ("← →", "lower / higher rating; cursor in a text field"),
        ("Home End", "start / end of a text field"),
        ("Enter", "next question (the answer is saved at once)"),
        ("⇧Tab, PgUp", "previous question"),
        ("F8 / F9", "don't know / refused"),
        ("F2", "switch language (БГ ↔ EN)"),
        ("F6", "save to another folder when saving failed"),
        ("F10", "finish, from the review"),
        ("Esc", "pause: the draft is kept under “Drafts”"),
        ("F1, ?", "this help"),
        ("Ctrl+C", "quit (the draft is saved)"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(fill("{}/{} answers", &["3", "40"]), "3/40 answers");
        assert_eq!(fill("no args", &["x"]), "no args");
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        assert_eq!(BG.help.len(), EN.help.len());
        assert_eq!(BG.keys_single.len(), EN.keys_single.len());
        assert_eq!(strings("bg").lang, "bg");
        assert_eq!(strings("xx").lang, "en");
    }
}
