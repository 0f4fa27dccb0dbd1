//! The field's keys on the bundled questionnaire, without a terminal.

use std::sync::Arc;

use super::*;
use crate::questionnaire::catalog;

/// The bundled questionnaire, at question `id` (everything before it answered with the first
/// option or 42, participation with "no").
fn at(id: &str) -> (Interview, usize) {
    let form = Arc::new(catalog::default_form().unwrap());
    let mut interview = Interview::start(form, "Мария", "PDV22", "bg");
    while let Some((pos, q)) = interview.current() {
        if q.id == id {
            return (interview, pos);
        }
        let offered = interview.offered_choices(pos);
        let answer = match q.kind {
            // "No" to taking part, which leads to the barriers.
            QuestionType::Single if q.id.starts_with("p_") => {
                Some(Answer::Text(offered[1].code.clone()))
            }
            QuestionType::Single => Some(Answer::Text(offered[0].code.clone())),
            QuestionType::Multiple => Some(Answer::Codes(vec![offered[0].code.clone()])),
            QuestionType::Integer => Some(Answer::Number(42.0)),
            _ => None,
        };
        interview.submit(answer, None).unwrap();
    }
    panic!("no question {id}");
}

#[test]
fn digits_choose_and_zero_is_the_tenth() {
    let (interview, pos) = at("consent");
    let mut input = Input::for_step(&interview, "bg");
    assert_eq!(
        input.update(&interview, pos, Action::Digit(3)),
        Effect::None,
        "only two options"
    );
    assert_eq!(
        input.update(&interview, pos, Action::Digit(2)),
        Effect::Submit(Some(Answer::Text("no".into())), None)
    );
}

#[test]
fn arrows_then_enter_choose_and_enter_alone_leaves_it_empty() {
    let (interview, pos) = at("settlement");
    let mut input = Input::for_step(&interview, "bg");
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(None, None)
    );
    input.update(&interview, pos, Action::Down);
    input.update(&interview, pos, Action::Down);
    assert_eq!(input.cursor, Some(1));
    input.update(&interview, pos, Action::Up);
    input.update(&interview, pos, Action::Up);
    assert_eq!(input.cursor, Some(0), "stops at the top");
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Text("capital".into())), None)
    );
}

#[test]
fn the_scale_moves_within_its_range() {
    let (interview, pos) = at("trust_mayor");
    let mut input = Input::for_step(&interview, "bg");
    input.update(&interview, pos, Action::Left);
    assert_eq!(
        input.edit.text(),
        "0",
        "the first arrow starts at the minimum"
    );
    input.update(&interview, pos, Action::Left);
    assert_eq!(input.edit.text(), "0");
    for _ in 0..12 {
        input.update(&interview, pos, Action::Right);
    }
    assert_eq!(input.edit.text(), "10", "stops at the maximum");
    input.update(&interview, pos, Action::Backspace);
    input.update(&interview, pos, Action::Backspace);
    input.update(&interview, pos, Action::Insert('7'));
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Number(7.0)), None)
    );
}

#[test]
fn special_keys_submit_at_once() {
    let (interview, pos) = at("gender");
    let mut input = Input::for_step(&interview, "bg");
    assert_eq!(
        input.update(&interview, pos, Action::Refused),
        Effect::Submit(Some(Answer::Special(Special::Refused)), None)
    );
}

#[test]
fn a_stored_answer_fills_the_field() {
    let (mut interview, pos) = at("gender");
    interview
        .submit(Some(Answer::Text("male".into())), None)
        .unwrap();
    interview.back();
    let input = Input::for_step(&interview, "bg");
    assert_eq!(input.cursor, Some(1));
    let (mut interview, pos2) = at("residence");
    let _ = pos;
    interview
        .submit(Some(Answer::Text("SOF46".into())), None)
        .unwrap();
    interview.back();
    assert_eq!(interview.current().unwrap().0, pos2);
    let input = Input::for_step(&interview, "en");
    assert_eq!(input.picker.query.text(), "Stolichna");
}

/// Answers the question at `pos` with `answer`, then comes back to it.
fn answered(mut interview: Interview, pos: usize, answer: Answer) -> Interview {
    interview.submit(Some(answer), None).unwrap();
    interview.back();
    assert_eq!(interview.current().unwrap().0, pos);
    interview
}

#[test]
fn typing_over_a_stored_rating_replaces_it() {
    let (interview, pos) = at("trust_council");
    let interview = answered(interview, pos, Answer::Number(1.0));
    let mut input = Input::for_step(&interview, "bg");
    assert!(
        input.edit.is_selected(),
        "the stored rating is shown selected"
    );
    input.update(&interview, pos, Action::Insert('0'));
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Number(0.0)), None),
        "0 over 1 is 0, not 10"
    );

    let interview = answered(interview, pos, Answer::Number(7.0));
    let mut input = Input::for_step(&interview, "bg");
    input.update(&interview, pos, Action::Insert('3'));
    assert_eq!(input.edit.text(), "3", "3 over 7 is 3, not 73");
    input.update(&interview, pos, Action::Right);
    input.update(&interview, pos, Action::Insert('5'));
    assert_eq!(
        input.edit.text(),
        "5",
        "a digit after the arrows replaces too"
    );
}

#[test]
fn typing_over_a_stored_number_replaces_it_and_backspace_edits_it() {
    let (interview, pos) = at("age");
    let interview = answered(interview, pos, Answer::Number(42.0));
    let mut input = Input::for_step(&interview, "bg");
    input.update(&interview, pos, Action::Insert('3'));
    input.update(&interview, pos, Action::Insert('5'));
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Number(35.0)), None)
    );
    let mut input = Input::for_step(&interview, "bg");
    input.update(&interview, pos, Action::Backspace);
    input.update(&interview, pos, Action::Insert('7'));
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Number(47.0)), None)
    );
}

#[test]
fn typing_over_a_stored_municipality_starts_a_new_search() {
    let (interview, pos) = at("residence");
    let interview = answered(interview, pos, Answer::Text("SOF46".into()));
    let mut input = Input::for_step(&interview, "en");
    for c in "plov".chars() {
        input.update(&interview, pos, Action::Insert(c));
    }
    assert_eq!(input.picker.query.text(), "plov");
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Submit(Some(Answer::Text("PDV22".into())), None)
    );
}

#[test]
fn on_long_lists_two_digits_tick_an_option_past_ten() {
    let (interview, pos) = at("barriers");
    let mut input = Input::for_step(&interview, "bg");
    // Through the keys: 1, 2 ticks the twelfth option, and Space ticks a waiting one.
    input.update(&interview, pos, Action::Digit(1));
    assert!(input.selected.is_empty(), "1 alone only highlights");
    input.update(&interview, pos, Action::Digit(2));
    let offered = interview.offered_choices(pos);
    assert_eq!(input.selected, [offered[11].code.clone()]);
    input.update(&interview, pos, Action::Digit(1));
    input.update(&interview, pos, Action::Toggle);
    assert_eq!(input.selected.len(), 2);
    assert!(input.selected.contains(&offered[0].code));
}

#[test]
fn a_letter_highlights_the_next_option_starting_with_it() {
    let (interview, pos) = at("barriers");
    let offered = interview.offered_choices(pos);
    let mut input = Input::for_step(&interview, "bg");
    let first = offered[3].label.get("bg").chars().next().unwrap();
    let matching: Vec<usize> = (0..offered.len())
        .filter(|&i| offered[i].label.get("bg").starts_with(first))
        .collect();
    input.update(&interview, pos, Action::Insert(first));
    assert_eq!(input.cursor, Some(matching[0]));
    if matching.len() > 1 {
        input.update(&interview, pos, Action::Insert(first));
        assert_eq!(input.cursor, Some(matching[1]), "again: the next one");
    }
    assert!(input.selected.is_empty(), "a letter only highlights");
}

#[test]
fn ticking_other_asks_for_its_text_at_once_and_esc_keeps_the_draft() {
    let (interview, pos) = at("barriers");
    let offered = interview.offered_choices(pos);
    let other = offered.iter().position(|c| c.other).unwrap();
    let mut input = Input::for_step(&interview, "bg");
    input.cursor = Some(other);
    input.update(&interview, pos, Action::Toggle);
    assert!(input.other.is_some(), "the field opens with the tick");
    input.update(&interview, pos, Action::Insert('а'));
    input.update(&interview, pos, Action::Back);
    assert!(input.other.is_none());
    assert_eq!(
        input.update(&interview, pos, Action::Confirm),
        Effect::Redraw,
        "Enter reopens the field"
    );
    assert_eq!(input.other.as_ref().unwrap().text(), "а", "with the draft");
}
