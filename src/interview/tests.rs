use super::*;
use crate::questionnaire::{Special, load_str};
use crate::store::Status;

const FORM: &str = r#"{
  "id": "t", "version": "1", "languages": ["bg", "en"],
  "title": {"bg": "Т", "en": "T"},
  "choice_lists": {
    "yes_no": [
      {"code": "yes", "label": {"bg": "Да", "en": "Yes"}},
      {"code": "no", "label": {"bg": "Не", "en": "No"}}
    ],
    "reasons": [
      {"code": "time", "label": {"bg": "Време", "en": "Time"}},
      {"code": "money", "label": {"bg": "Пари", "en": "Money"}},
      {"code": "health", "label": {"bg": "Здраве", "en": "Health"}},
      {"code": "other", "label": {"bg": "Друго", "en": "Other"}, "other": true},
      {"code": "none", "label": {"bg": "Нищо", "en": "None"}, "exclusive": true}
    ]
  },
  "sections": [
    {"id": "s1", "title": {"bg": "Начало", "en": "Start"}, "questions": [
      {"id": "intro", "type": "note", "label": {"bg": "Здравейте", "en": "Hello"}},
      {"id": "consent", "type": "single", "required": true, "choices": "yes_no",
       "allow_special": false, "label": {"bg": "Съгласие?", "en": "Consent?"}},
      {"id": "age", "type": "integer", "required": true, "relevant": "${consent} = 'yes'",
       "min": 15, "max": 110, "label": {"bg": "Възраст", "en": "Age"}}
    ]},
    {"id": "s2", "title": {"bg": "Пречки", "en": "Barriers"},
     "relevant": "${consent} = 'yes'", "questions": [
      {"id": "reasons", "type": "multiple", "choices": "reasons", "max_choices": 2,
       "label": {"bg": "Причини", "en": "Reasons"}},
      {"id": "main", "type": "single", "choices": "reasons", "choices_from": "reasons",
       "relevant": "count-selected(${reasons}) >= 2", "label": {"bg": "Главна", "en": "Main"}},
      {"id": "children", "type": "integer", "constraint": ". <= ${age} div 10",
       "constraint_message": {"bg": "Твърде много деца", "en": "Too many children"},
       "label": {"bg": "Деца", "en": "Children"}},
      {"id": "score", "type": "scale", "min": 0, "max": 10, "label": {"bg": "Оценка", "en": "Score"},
       "min_label": {"bg": "Ниска", "en": "Low"}, "max_label": {"bg": "Висока", "en": "High"}},
      {"id": "share", "type": "decimal", "label": {"bg": "Дял", "en": "Share"}},
      {"id": "comment", "type": "text", "max_length": 5, "label": {"bg": "Коментар", "en": "Comment"}},
      {"id": "visit", "type": "date", "label": {"bg": "Дата", "en": "Date"}}
    ]}
  ]
}"#;

fn form() -> Arc<Form> {
    Arc::new(load_str(FORM, "test").unwrap())
}

fn start() -> Interview {
    Interview::start(form(), "Мария", "PDV22", "bg")
}

fn at(interview: &Interview) -> &str {
    match interview.current() {
        Some((_, q)) => &q.id,
        None => "review",
    }
}

fn text(s: &str) -> Option<Answer> {
    Some(Answer::Text(s.to_owned()))
}

fn codes(list: &[&str]) -> Option<Answer> {
    Some(Answer::Codes(
        list.iter().map(|s| (*s).to_owned()).collect(),
    ))
}

fn num(n: f64) -> Option<Answer> {
    Some(Answer::Number(n))
}

/// Answers intro, consent=yes, age=40 and reasons=[time, money].
fn through_reasons() -> Interview {
    let mut i = start();
    i.submit(None, None).unwrap();
    i.submit(text("yes"), None).unwrap();
    i.submit(num(40.0), None).unwrap();
    i.submit(codes(&["time", "money"]), None).unwrap();
    i
}

#[test]
fn forward_follows_the_questionnaire_order() {
    let mut i = start();
    assert_eq!(at(&i), "intro");
    i.submit(None, None).unwrap();
    assert_eq!(at(&i), "consent");
    i.submit(text("yes"), None).unwrap();
    assert_eq!(at(&i), "age");
    i.submit(num(40.0), None).unwrap();
    assert_eq!(at(&i), "reasons");
    i.submit(codes(&["time", "money"]), None).unwrap();
    assert_eq!(at(&i), "main", "two reasons: the main one is asked");
    i.submit(text("money"), None).unwrap();
    for _ in 0..5 {
        i.submit(None, None).unwrap();
    }
    assert_eq!(at(&i), "review");
    assert_eq!(i.response().answers.len(), 4);
}

#[test]
fn skip_logic_jumps_over_questions_that_are_not_asked() {
    let mut i = start();
    i.submit(None, None).unwrap();
    i.submit(text("no"), None).unwrap();
    assert_eq!(
        at(&i),
        "review",
        "no consent: age and the whole section are skipped"
    );
    assert_eq!(i.progress(), (1, 1));

    let mut i = through_reasons();
    i.back();
    assert_eq!(at(&i), "reasons");
    i.submit(codes(&["time"]), None).unwrap();
    assert_eq!(at(&i), "children", "one reason: no main reason");
}

#[test]
fn back_skips_questions_that_are_not_asked() {
    let mut i = start();
    i.submit(None, None).unwrap();
    i.submit(text("yes"), None).unwrap();
    i.submit(num(40.0), None).unwrap();
    i.submit(codes(&["time"]), None).unwrap();
    assert_eq!(at(&i), "children");
    assert!(i.back());
    assert_eq!(at(&i), "reasons", "main was not asked, so back skips it");
    assert!(i.back());
    assert!(i.back());
    assert!(i.back());
    assert_eq!(at(&i), "intro");
    assert!(!i.back(), "nothing before the first question");
}

#[test]
fn changed_answers_make_later_answers_not_asked_but_keep_them() {
    let mut i = through_reasons();
    i.submit(text("money"), None).unwrap();
    i.submit(num(3.0), None).unwrap();
    // Back to consent, and say no.
    while at(&i) != "consent" {
        assert!(i.back());
    }
    i.submit(text("no"), None).unwrap();
    assert_eq!(at(&i), "review");
    let answers = &i.response().answers;
    assert_eq!(
        answers.get("age"),
        Some(&Answer::Number(40.0)),
        "kept in the file"
    );
    assert!(answers.contains_key("main") && answers.contains_key("children"));
    let age = i.form().position("age").unwrap();
    assert!(!i.is_relevant(age), "but not asked");
    assert_eq!(
        i.review_positions().len(),
        1,
        "the review lists consent only"
    );
    assert_eq!(i.progress(), (1, 1));
    // Saying yes again brings the answers back.
    i.back();
    i.submit(text("yes"), None).unwrap();
    assert_eq!(at(&i), "age");
    assert_eq!(i.answer(age), Some(&Answer::Number(40.0)));
}

#[test]
fn required_questions_block_until_answered() {
    let mut i = start();
    i.submit(None, None).unwrap();
    assert_eq!(i.submit(None, None), Err(Invalid::Required));
    assert_eq!(at(&i), "consent", "did not move");
    i.submit(text("yes"), None).unwrap();
    assert_eq!(i.submit(None, None), Err(Invalid::Required));
    assert!(!i.response().answers.contains_key("age"));
}

#[test]
fn ranges_and_types_block() {
    let mut i = start();
    i.submit(None, None).unwrap();
    assert_eq!(
        i.submit(text("maybe"), None),
        Err(Invalid::NotOffered("maybe".into()))
    );
    i.submit(text("yes"), None).unwrap();
    assert_eq!(i.submit(num(14.0), None), Err(Invalid::BelowMin(15.0)));
    assert_eq!(i.submit(num(111.0), None), Err(Invalid::AboveMax(110.0)));
    assert_eq!(i.submit(num(40.5), None), Err(Invalid::NotAWholeNumber));
    assert_eq!(at(&i), "age");
    i.submit(num(110.0), None).unwrap();
    assert_eq!(at(&i), "reasons");
}

#[test]
fn constraints_block_with_their_message() {
    let mut i = through_reasons();
    i.submit(text("time"), None).unwrap();
    assert_eq!(at(&i), "children");
    let err = i.submit(num(5.0), None).unwrap_err();
    match err {
        Invalid::Constraint(Some(label)) => assert_eq!(label.get("en"), "Too many children"),
        other => panic!("{other:?}"),
    }
    i.submit(num(4.0), None).unwrap();
    assert_eq!(at(&i), "score");
}

#[test]
fn multiple_choice_rules() {
    let f = form();
    let q = f.question("reasons").unwrap();
    let offered: Vec<&Choice> = f.choices(q).iter().collect();
    let mut sel = Vec::new();
    toggle_code(q, &offered, &mut sel, "money").unwrap();
    toggle_code(q, &offered, &mut sel, "time").unwrap();
    assert_eq!(sel, ["time", "money"], "kept in questionnaire order");
    assert_eq!(
        toggle_code(q, &offered, &mut sel, "health"),
        Err(Invalid::TooManyChoices(2))
    );
    assert_eq!(sel, ["time", "money"], "unchanged after a refusal");
    toggle_code(q, &offered, &mut sel, "none").unwrap();
    assert_eq!(sel, ["none"], "exclusive clears the others");
    toggle_code(q, &offered, &mut sel, "health").unwrap();
    assert_eq!(sel, ["health"], "another option clears the exclusive one");
    toggle_code(q, &offered, &mut sel, "health").unwrap();
    assert!(sel.is_empty(), "toggling twice removes");

    let mut i = through_reasons();
    i.back();
    assert_eq!(
        i.submit(codes(&["none", "time"]), None),
        Err(Invalid::ExclusiveCombined)
    );
    assert_eq!(
        i.submit(codes(&["time", "money", "health"]), None),
        Err(Invalid::TooManyChoices(2))
    );
}

#[test]
fn other_option_needs_its_text() {
    let mut i = through_reasons();
    i.back();
    assert_eq!(
        i.submit(codes(&["other"]), Some("  ".into())),
        Err(Invalid::OtherTextMissing)
    );
    i.submit(codes(&["time", "other"]), Some(" шум ".into()))
        .unwrap();
    assert_eq!(i.response().other_text.get("reasons").unwrap(), "шум");
    i.back();
    i.submit(codes(&["time", "money"]), Some("шум".into()))
        .unwrap();
    assert!(
        !i.response().other_text.contains_key("reasons"),
        "no other option, no other text"
    );
}

#[test]
fn choices_from_offers_only_earlier_picks() {
    let i = through_reasons();
    let main = i.form().position("main").unwrap();
    let offered: Vec<&str> = i
        .offered_choices(main)
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(offered, ["time", "money"]);
    let mut i = i;
    assert_eq!(
        i.submit(text("health"), None),
        Err(Invalid::NotOffered("health".into()))
    );
}

#[test]
fn special_answers() {
    let mut i = start();
    i.submit(None, None).unwrap();
    assert_eq!(
        i.submit(Some(Answer::Special(Special::DontKnow)), None),
        Err(Invalid::SpecialNotAllowed),
        "consent does not allow don't know"
    );
    i.submit(text("yes"), None).unwrap();
    i.submit(Some(Answer::Special(Special::Refused)), None)
        .unwrap();
    assert_eq!(at(&i), "reasons", "a refusal answers a required question");
    let age = i.form().position("age").unwrap();
    assert_eq!(i.answer(age), Some(&Answer::Special(Special::Refused)));
    assert_eq!(i.progress().0, 2);
    i.submit(Some(Answer::Special(Special::DontKnow)), None)
        .unwrap();
    assert_eq!(at(&i), "children", "don't know is not two reasons");
}

#[test]
fn typed_input_is_parsed() {
    let f = form();
    let q = |id| f.question(id).unwrap();
    assert_eq!(parse_input(q("age"), " 42 "), Ok(num(42.0)));
    assert_eq!(parse_input(q("age"), ""), Ok(None));
    assert_eq!(parse_input(q("age"), "4x"), Err(Invalid::NotANumber));
    assert_eq!(parse_input(q("age"), "4.5"), Err(Invalid::NotAWholeNumber));
    assert_eq!(parse_input(q("share"), "0,25"), Ok(num(0.25)));
    assert_eq!(parse_input(q("share"), "inf"), Err(Invalid::NotANumber));
    assert_eq!(parse_input(q("comment"), " здрасти "), Ok(text("здрасти")));
    let mut i = through_reasons();
    i.submit(text("time"), None).unwrap();
    for _ in 0..3 {
        i.submit(None, None).unwrap();
    }
    assert_eq!(at(&i), "comment");
    assert_eq!(i.submit(text("шестте"), None), Err(Invalid::TooLong(5)));
    i.submit(text("петте"), None).unwrap();
    assert_eq!(at(&i), "visit");
    assert_eq!(parse_input(q("visit"), "28.11.2026"), Err(Invalid::BadDate));
    assert_eq!(i.submit(text("2026-02-30"), None), Err(Invalid::BadDate));
    i.submit(text("2026-11-28"), None).unwrap();
    assert_eq!(at(&i), "review");
}

#[test]
fn review_edit_returns_to_the_review() {
    let mut i = through_reasons();
    i.submit(text("time"), None).unwrap();
    while at(&i) != "review" {
        i.submit(None, None).unwrap();
    }
    let reasons = i.form().position("reasons").unwrap();
    i.edit_from_review(reasons);
    assert_eq!(at(&i), "reasons");
    i.submit(codes(&["health", "money"]), None).unwrap();
    assert_eq!(
        at(&i),
        "main",
        "seen before, but `time` is no longer offered"
    );
    i.submit(text("money"), None).unwrap();
    assert_eq!(at(&i), "review", "everything else was seen");
    let children = i.form().position("children").unwrap();
    i.edit_from_review(children);
    i.submit(num(1.0), None).unwrap();
    assert_eq!(at(&i), "review");
}

#[test]
fn finishing_needs_every_required_answer() {
    let mut i = start();
    i.submit(None, None).unwrap();
    i.submit(text("yes"), None).unwrap();
    let age = i.form().position("age").unwrap();
    while at(&i) != "review" {
        // Skip forward over everything optional; age is required so answer it.
        if i.current().map(|(p, _)| p) == Some(age) {
            i.submit(num(30.0), None).unwrap();
        } else {
            i.submit(None, None).unwrap();
        }
    }
    i.response.answers.remove("age");
    assert_eq!(i.finish(), Err(vec![age]));
    assert_eq!(i.response().status, Status::Draft);
    i.response
        .answers
        .insert("age".into(), Answer::Number(30.0));
    assert_eq!(i.finish(), Ok(crate::outcome::Outcome::Complete));
    assert_eq!(i.response().status, Status::Complete);
    assert!(i.response().completed_at.is_some());
    assert_eq!(at(&i), "review");
}

#[test]
fn resume_opens_at_the_first_question_not_yet_seen() {
    let i = through_reasons();
    assert_eq!(at(&i), "main");
    let saved = i.response().clone();
    let json = serde_json::to_string(&saved).unwrap();
    let back: crate::store::Response = serde_json::from_str(&json).unwrap();
    let resumed = Interview::resume(form(), back);
    assert_eq!(at(&resumed), "main");
    assert_eq!(resumed.response().answers, saved.answers);
    assert_eq!(resumed.progress(), i.progress());
}

#[test]
fn timings_are_recorded_per_visit() {
    let mut i = start();
    i.submit(None, None).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(15));
    i.submit(text("yes"), None).unwrap();
    let t = &i.response().timings_ms;
    assert!(t.contains_key("intro"));
    assert!(t["consent"] >= 15, "{t:?}");
    i.back();
    std::thread::sleep(std::time::Duration::from_millis(15));
    i.pause();
    assert!(i.response().timings_ms["consent"] >= 30, "visits add up");
}

#[test]
fn generation_counts_changes() {
    let mut i = start();
    let g0 = i.generation();
    i.submit(None, None).unwrap();
    assert!(i.generation() > g0);
    let g1 = i.generation();
    let _ = i.submit(None, None);
    assert_eq!(i.generation(), g1, "a refused answer changes nothing");
}

#[test]
fn resume_opens_where_it_was_paused() {
    let mut i = start();
    i.submit(None, None).unwrap();
    i.submit(text("yes"), None).unwrap();
    // Paused on `age` without answering it.
    i.pause();
    let resumed = Interview::resume(form(), i.response().clone());
    assert_eq!(at(&resumed), "age");
    // Went back to consent and paused there: resume at the furthest point.
    let mut i = through_reasons();
    i.back();
    i.back();
    i.pause();
    let resumed = Interview::resume(form(), i.response().clone());
    assert_eq!(at(&resumed), "main");
}
