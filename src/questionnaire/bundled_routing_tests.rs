//! The bundled questionnaire's routing after the participation items D1–D7, walked with every
//! kind of answer. "Don't know" and "refused" say nothing about whether the respondent took
//! part, so neither may send them to the barriers ("why did you not take part") or to the
//! feedback question ("when you took part").

use std::collections::BTreeMap;

use crate::questionnaire::{Answer, Form, Special, catalog};

/// D1–D7, the items of the participation index.
pub(super) const PARTICIPATION: [&str; 7] = [
    "p_contact",
    "p_consultation",
    "p_council",
    "p_petition",
    "p_budget",
    "p_referendum",
    "p_demonstration",
];

const SPECIALS: [Special; 2] = [Special::DontKnow, Special::Refused];

fn code(code: &str) -> Answer {
    Answer::Text(code.into())
}

/// A consenting adult whose answers to D1–D7 are `d_items`, in order.
fn respondent(d_items: &[Answer; 7]) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::from([
        ("consent".to_owned(), code("yes")),
        ("age".to_owned(), Answer::Number(44.0)),
    ]);
    for (id, answer) in PARTICIPATION.iter().zip(d_items) {
        answers.insert((*id).to_owned(), answer.clone());
    }
    answers
}

/// The follow-ups asked after D1–D7: which of `barriers` and `feedback` are relevant.
fn follow_ups(form: &Form, answers: &BTreeMap<String, Answer>) -> Vec<&'static str> {
    let relevant = form.relevance(answers);
    ["barriers", "feedback"]
        .into_iter()
        .filter(|id| form.position(id).is_some_and(|p| relevant[p]))
        .collect()
}

#[test]
fn only_no_to_every_item_asks_for_the_barriers() {
    let form = catalog::default_form().unwrap();
    let all_no = std::array::from_fn(|_| code("no"));
    assert_eq!(follow_ups(&form, &respondent(&all_no)), ["barriers"]);
    for special in SPECIALS {
        let all_special = std::array::from_fn(|_| Answer::Special(special));
        let asked = follow_ups(&form, &respondent(&all_special));
        assert!(asked.is_empty(), "{special:?} to D1–D7 asked {asked:?}");
    }
}

#[test]
fn each_special_answer_on_each_item_is_not_a_no() {
    let form = catalog::default_form().unwrap();
    for special in SPECIALS {
        for (item, id) in PARTICIPATION.iter().enumerate() {
            // Six times "no" and one special: whether they took part is unknown.
            let mut d_items: [Answer; 7] = std::array::from_fn(|_| code("no"));
            d_items[item] = Answer::Special(special);
            let asked = follow_ups(&form, &respondent(&d_items));
            assert!(
                asked.is_empty(),
                "{special:?} to {id}, no to the rest: {asked:?}"
            );

            // One special beside a "yes": they took part, so feedback and no barriers.
            let other = (item + 1) % PARTICIPATION.len();
            d_items[other] = code("yes");
            let asked = follow_ups(&form, &respondent(&d_items));
            assert_eq!(asked, ["feedback"], "{special:?} to {id}, yes to another");
        }
    }
}

#[test]
fn an_unanswered_item_is_not_a_no_either() {
    let form = catalog::default_form().unwrap();
    let mut answers = respondent(&std::array::from_fn(|_| code("no")));
    answers.remove("p_budget");
    assert!(follow_ups(&form, &answers).is_empty());
}

#[test]
fn a_special_age_continues_the_interview_on_purpose() {
    // The sections after screening ask `not(${age} < 18)`: a refused or unknown age is not
    // evidence of a minor, so the interview goes on (and the age stays −1/−2 in exports).
    let form = catalog::default_form().unwrap();
    for special in SPECIALS {
        let mut answers = respondent(&std::array::from_fn(|_| code("no")));
        answers.insert("age".into(), Answer::Special(special));
        assert_eq!(follow_ups(&form, &answers), ["barriers"], "{special:?}");
    }
}

#[test]
fn the_district_mayor_is_asked_only_where_there_are_districts() {
    let form = catalog::default_form().unwrap();
    let position = form.position("trust_district_mayor").unwrap();
    let mut answers = respondent(&std::array::from_fn(|_| code("no")));
    for (residence, asked) in [
        (code("SOF46"), true),
        (code("PDV22"), true),
        (code("VAR06"), true),
        (code("BGS04"), false),
        (code("SFO45"), false),
        (Answer::Special(Special::Refused), false),
    ] {
        answers.insert("residence".into(), residence.clone());
        assert_eq!(form.relevance(&answers)[position], asked, "{residence:?}");
    }
    answers.remove("residence");
    assert!(!form.relevance(&answers)[position]);
}

#[test]
fn the_settlement_type_and_the_municipality_are_checked_against_each_other() {
    let form = catalog::default_form().unwrap();
    let position = form.position("residence").unwrap();
    let warned = |settlement: &str, residence: &str| {
        let mut answers = respondent(&std::array::from_fn(|_| code("no")));
        answers.insert("settlement".into(), code(settlement));
        let relevant = form.relevance(&answers);
        let failed = form.failed_warnings(position, &code(residence), &answers, &relevant);
        failed.len()
    };
    // Sofia the capital is in Столична only; Столична also has towns and villages.
    assert_eq!(warned("capital", "PDV22"), 1);
    assert_eq!(warned("capital", "SOF46"), 0);
    assert_eq!(warned("village", "SOF46"), 0);
    // An oblast centre is the seat of one of 26 municipalities (Sofia is the capital).
    assert_eq!(warned("oblast_centre", "SFO45"), 1);
    assert_eq!(warned("oblast_centre", "SOF46"), 1);
    assert_eq!(warned("oblast_centre", "PDV22"), 0);
    assert_eq!(warned("oblast_centre", "VTR04"), 0);
    assert_eq!(warned("town", "SFO45"), 0);
}

#[test]
fn the_bundled_text_uses_the_agreed_terms() {
    for (id, text) in catalog::BUNDLED {
        let text = text.to_lowercase();
        for calque in ["интервюер", "кодова книга", "кодовата книга"]
        {
            assert!(!text.contains(calque), "{id}: {calque}");
        }
    }
}
