//! The end of an interview, its edits, its language and its audit trail.

use super::*;
use crate::audit;
use crate::store::Status;

const FORM: &str = r#"{
  "id": "t", "version": "1", "languages": ["bg", "en"],
  "title": {"bg": "Т", "en": "T"},
  "complete_min_answered": 0.75,
  "partial_min_answered": 0.5,
  "choice_lists": {
    "yes_no": [
      {"code": "yes", "label": {"bg": "Да", "en": "Yes"}},
      {"code": "no", "label": {"bg": "Не", "en": "No"}}
    ]
  },
  "sections": [
    {"id": "s1", "title": {"bg": "Начало", "en": "Start"}, "questions": [
      {"id": "consent", "type": "single", "required": true, "choices": "yes_no",
       "allow_special": false, "label": {"bg": "Съгласие?", "en": "Consent?"},
       "end_if": [{"when": ". = 'no'", "outcome": "2.11"}]},
      {"id": "age", "type": "integer", "required": true, "relevant": "${consent} = 'yes'",
       "min": 15, "max": 110, "label": {"bg": "Възраст", "en": "Age"},
       "end_if": [{"when": ". < 18", "outcome": "4.70"}]},
      {"id": "a", "type": "integer", "label": {"bg": "А", "en": "A"}},
      {"id": "b", "type": "integer", "label": {"bg": "Б", "en": "B"}},
      {"id": "c", "type": "integer", "label": {"bg": "В", "en": "C"}},
      {"id": "d", "type": "single", "choices": "yes_no", "label": {"bg": "Г", "en": "D"}},
      {"id": "e", "type": "integer", "required": true, "relevant": "${d} = 'yes'",
       "label": {"bg": "Д", "en": "E"}}
    ]}
  ]
}"#;

fn form() -> Arc<Form> {
    Arc::new(crate::questionnaire::load_str(FORM, "test").unwrap())
}

fn num(n: f64) -> Option<Answer> {
    Some(Answer::Number(n))
}

fn text(s: &str) -> Option<Answer> {
    Some(Answer::Text(s.into()))
}

fn kinds(i: &Interview) -> Vec<EventKind> {
    i.trail().iter().map(|e| e.event).collect()
}

#[test]
fn the_language_stays_the_starting_one_and_each_answer_records_its_own() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("yes"), None).unwrap();
    i.set_language("en");
    i.submit(num(40.0), None).unwrap();
    assert_eq!(i.response().language, "bg", "the language it started in");
    let langs = audit::answer_languages(i.trail());
    assert_eq!(langs["consent"], "bg");
    assert_eq!(langs["age"], "en");
    let switch = i
        .trail()
        .iter()
        .find(|e| e.event == EventKind::Language)
        .unwrap();
    assert_eq!(
        (switch.language.as_deref(), switch.detail.as_str()),
        (Some("en"), "bg")
    );
}

#[test]
fn the_trail_records_visits_changes_and_pauses_and_timings_follow_it() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("yes"), None).unwrap();
    i.submit(num(40.0), None).unwrap();
    i.back();
    i.submit(num(41.0), None).unwrap();
    i.pause();
    assert_eq!(
        kinds(&i)[..4],
        [
            EventKind::Started,
            EventKind::Entered,
            EventKind::Answered,
            EventKind::Left
        ]
    );
    let change = i
        .trail()
        .iter()
        .rfind(|e| e.event == EventKind::Answered)
        .unwrap();
    assert_eq!(change.question.as_deref(), Some("age"));
    assert_eq!(change.old, Some(Answer::Number(40.0)));
    assert_eq!(change.new, Some(Answer::Number(41.0)));
    assert_eq!(kinds(&i).last(), Some(&EventKind::Paused));
    assert_eq!(audit::timings(i.trail()), i.response().timings_ms);

    // Resuming by someone else continues the same trail, naming them.
    let (response, trail) = (i.response().clone(), i.trail().to_vec());
    let resumed = Interview::open(form(), response, trail, "Иван", "en");
    let last = &resumed.trail()[resumed.trail().len() - 2];
    assert_eq!((last.event, last.by.as_str()), (EventKind::Resumed, "Иван"));
    assert_eq!(resumed.language(), "en");
    assert_eq!(resumed.response().interviewer, "Мария");
}

#[test]
fn a_refused_consent_or_an_age_under_18_ends_the_interview_with_its_outcome() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("no"), None).unwrap();
    assert_eq!(i.pending_end(), Some(Outcome::Refusal));
    assert_eq!(
        i.current().unwrap().1.id,
        "consent",
        "stays to be confirmed"
    );
    i.take_back_end();
    i.submit(text("yes"), None).unwrap();
    assert_eq!(i.pending_end(), None);
    i.submit(num(16.0), None).unwrap();
    assert_eq!(i.pending_end(), Some(Outcome::NotEligibleUnderAge));
    i.end(Outcome::NotEligibleUnderAge, "");
    let r = i.response();
    assert_eq!(r.status, Status::Complete, "a closed case");
    assert_eq!(r.outcome, Some(Outcome::NotEligibleUnderAge));
    assert!(r.completed_at.is_some());
    let ended = i.trail().last().unwrap();
    assert_eq!(ended.event, EventKind::Ended);
    assert_eq!(ended.outcome, Some(Outcome::NotEligibleUnderAge));
}

#[test]
fn the_interviewer_can_end_at_any_question_with_a_reason() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("yes"), None).unwrap();
    i.end(Outcome::BreakOff, "respondent had to leave");
    assert_eq!(i.response().status, Status::Complete);
    assert_eq!(i.response().outcome, Some(Outcome::BreakOff));
    assert_eq!(i.trail().last().unwrap().detail, "respondent had to leave");
    assert!(
        i.response().timings_ms.contains_key("age"),
        "time on screen kept"
    );
}

#[test]
fn a_break_off_with_half_the_questions_answered_is_a_partial_interview() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("yes"), None).unwrap();
    i.submit(num(40.0), None).unwrap();
    i.submit(num(1.0), None).unwrap();
    // consent, age and a answered of the six asked: one half, the threshold.
    assert_eq!(i.answered_share(), 0.5);
    assert_eq!(
        i.end(Outcome::BreakOff, "respondent had to leave"),
        Outcome::Partial
    );
    assert_eq!(i.response().outcome, Some(Outcome::Partial));
    assert_eq!(i.trail().last().unwrap().outcome, Some(Outcome::Partial));
    // A refusal stays a refusal whatever was answered.
    let mut j = Interview::start(form(), "Мария", "PDV22", "bg");
    j.submit(text("yes"), None).unwrap();
    j.submit(num(40.0), None).unwrap();
    j.submit(num(1.0), None).unwrap();
    assert_eq!(
        j.end(Outcome::Refusal, "changed their mind"),
        Outcome::Refusal
    );
}

#[test]
fn below_the_answered_share_a_finished_interview_is_partial() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    i.submit(text("yes"), None).unwrap();
    i.submit(num(40.0), None).unwrap();
    for _ in 0..4 {
        i.submit(None, None).unwrap();
    }
    assert_eq!(i.step(), Step::Review);
    // consent, age answered; a, b, c, d not: 2 of 6.
    assert_eq!(i.unanswered().len(), 4);
    assert_eq!(i.finish(), Ok(Outcome::Partial));
    assert_eq!(i.response().outcome, Some(Outcome::Partial));
}

#[test]
fn an_edit_keeps_the_first_completion_and_names_the_editor() {
    let mut i = Interview::start(form(), "Мария", "PDV22", "bg");
    for answer in [
        text("yes"),
        num(40.0),
        num(1.0),
        num(2.0),
        num(3.0),
        text("no"),
    ] {
        i.submit(answer, None).unwrap();
    }
    assert_eq!(i.finish(), Ok(Outcome::Complete));
    let first = i.response().completed_at;
    let (response, trail) = (i.response().clone(), i.trail().to_vec());

    let mut e = Interview::open(form(), response, trail, "Иван", "bg");
    e.begin_edit("Иван", "wrong age typed");
    assert_eq!(
        e.response().status,
        Status::Complete,
        "only looking changes nothing"
    );
    assert_eq!(e.response().revisions.len(), 1);
    assert_eq!(e.response().revisions[0].by, "Иван");
    assert_eq!(e.response().revisions[0].reason, "wrong age typed");
    let age = e.form().position("age").unwrap();
    e.edit_from_review(age);
    e.submit(num(41.0), None).unwrap();
    assert_eq!(e.response().status, Status::Complete);
    assert_eq!(e.response().completed_at, first);
    assert_eq!(e.trail().last().unwrap().by, "Иван");

    // "yes" to d makes the required e relevant and unanswered: a draft again.
    let d = e.form().position("d").unwrap();
    e.edit_from_review(d);
    e.submit(text("yes"), None).unwrap();
    assert_eq!(e.response().status, Status::Draft);
    assert_eq!(e.response().outcome, None);
    e.submit(num(5.0), None).unwrap();
    assert_eq!(e.response().status, Status::Complete);
    assert_eq!(e.finish(), Ok(Outcome::Complete));
    assert_eq!(e.response().completed_at, first, "finishing again keeps it");
    assert_eq!(e.response().interviewer, "Мария");
}
