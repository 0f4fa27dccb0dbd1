//! Names and phrases for synthetic interviews: Bulgarian first names and surnames (the surname
//! agrees with the first name's gender, as in Мария Петрова / Иван Петров) and short comments.

use fastrand::Rng;

const WOMEN: &[&str] = &[
    "Мария",
    "Иванка",
    "Елена",
    "Йорданка",
    "Пенка",
    "Даниела",
    "Николина",
    "Цветелина",
    "Гергана",
    "Радостина",
    "Десислава",
    "Силвия",
    "Милена",
    "Теодора",
    "Весела",
    "Красимира",
    "Снежана",
    "Албена",
    "Надежда",
    "Веселина",
];

const MEN: &[&str] = &[
    "Георги",
    "Иван",
    "Димитър",
    "Николай",
    "Петър",
    "Христо",
    "Стоян",
    "Тодор",
    "Васил",
    "Атанас",
    "Красимир",
    "Стефан",
    "Калоян",
    "Емил",
    "Пламен",
    "Светослав",
    "Любомир",
    "Мартин",
    "Борислав",
    "Ангел",
];

/// Surname stems; men take the stem, women add `а` (Петров / Петрова).
const SURNAMES: &[&str] = &[
    "Петров",
    "Иванов",
    "Георгиев",
    "Димитров",
    "Николов",
    "Стоянов",
    "Христов",
    "Тодоров",
    "Атанасов",
    "Илиев",
    "Василев",
    "Ангелов",
    "Маринов",
    "Стефанов",
    "Колев",
    "Йорданов",
    "Попов",
    "Михайлов",
    "Костов",
    "Русев",
    "Павлов",
    "Кирилов",
    "Янков",
    "Божилов",
];

/// A full name, e.g. "Десислава Колева".
pub(super) fn person(rng: &mut Rng) -> String {
    let surname = SURNAMES[rng.usize(..SURNAMES.len())];
    if rng.bool() {
        format!("{} {surname}а", WOMEN[rng.usize(..WOMEN.len())])
    } else {
        format!("{} {surname}", MEN[rng.usize(..MEN.len())])
    }
}

const COMMENTS_BG: &[&str] = &[
    "Общината трябва да информира хората по-рано.",
    "Никой не ни пита за нищо.",
    "Обществените обсъждания са в работно време и не мога да отида.",
    "Добре е, че има такова проучване.",
    "Искам повече неща да се решават онлайн.",
    "В селата нищо не се чува за тези възможности.",
    "Кметът е достъпен, но администрацията е бавна.",
    "Младите хора заминават и няма кой да участва.",
    "Трябва повече прозрачност за бюджета.",
    "Нямам какво да добавя.",
];

const COMMENTS_EN: &[&str] = &[
    "The municipality should tell people earlier.",
    "Nobody asks us anything.",
    "Public hearings are during working hours, so I cannot go.",
    "Good that someone asks.",
    "I would like more to be decided online.",
    "In the villages we hear nothing about these opportunities.",
];

const OTHER_BG: &[&str] = &[
    "Грижа за болен член на семейството",
    "Работя в чужбина през част от годината",
    "Не говоря добре български",
    "Лоши минали преживявания",
];

const OTHER_EN: &[&str] = &[
    "Caring for a sick relative",
    "I work abroad part of the year",
    "Bad experiences in the past",
];

/// An open-ended comment in `lang` (Bulgarian unless `lang` is `en`), at most `max_chars` long.
pub(super) fn comment(rng: &mut Rng, lang: &str, max_chars: Option<u32>) -> String {
    let list = if lang == "en" {
        COMMENTS_EN
    } else {
        COMMENTS_BG
    };
    truncate(list[rng.usize(..list.len())], max_chars)
}

/// The text typed for an "other, please specify" option.
pub(super) fn other_text(rng: &mut Rng, lang: &str) -> String {
    let list = if lang == "en" { OTHER_EN } else { OTHER_BG };
    list[rng.usize(..list.len())].to_owned()
}

fn truncate(text: &str, max_chars: Option<u32>) -> String {
    match max_chars {
        Some(n) => text.chars().take(n as usize).collect(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_agree_with_gender_and_comments_respect_max_length() {
        let mut rng = Rng::with_seed(3);
        for _ in 0..200 {
            let name = person(&mut rng);
            let (first, last) = name.split_once(' ').unwrap();
            assert_eq!(WOMEN.contains(&first), last.ends_with('а'), "{name}");
        }
        assert_eq!(comment(&mut rng, "bg", Some(5)).chars().count(), 5);
    }
}
