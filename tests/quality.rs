//! Every data-quality check on data built to trigger it, and on clean data that must not.

use anketa::quality::{Check, QualityReport, Thresholds, batteries, run_checks};
use anketa::questionnaire::{Answer, Form, QuestionType, Special, catalog::default_form};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};
use predicates::prelude::*;

/// A complete interview with varied answers to every question, done in daytime in Sofia.
fn clean(form: &Form, rng: &mut fastrand::Rng, i: usize, interviewer: &str) -> Response {
    let mut r = Response::new(form, interviewer, "SOF46", "bg");
    // 2026-03-02 09:00 Sofia (07:00 UTC), interviews spread over the day and over days.
    let start = 1_772_434_800 + (i as i64 % 20) * 20 * 60 + (i as i64 / 20) * 86_400;
    r.started_at = Timestamp::from_second(start).unwrap();
    let minutes = rng.i64(12..=20);
    r.completed_at = Some(r.started_at + SignedDuration::from_mins(minutes));
    r.updated_at = r.completed_at.unwrap();
    r.status = Status::Complete;
    for q in form.questions() {
        let choices = form.choices(q);
        let answer = match q.kind {
            QuestionType::Single => Answer::Text(choices[rng.usize(..choices.len())].code.clone()),
            QuestionType::Multiple => {
                let plain: Vec<_> = choices
                    .iter()
                    .filter(|c| !c.exclusive && !c.other)
                    .collect();
                let mut codes = Vec::new();
                for _ in 0..rng.usize(1..=3) {
                    let code = plain[rng.usize(..plain.len())].code.clone();
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                Answer::Codes(codes)
            }
            QuestionType::Scale => Answer::Number(rng.i32(0..=10).into()),
            QuestionType::Integer => Answer::Number(rng.i32(18..=85).into()),
            QuestionType::Municipality => Answer::Text("SOF46".into()),
            _ => continue,
        };
        r.answers.insert(q.id.clone(), answer);
    }
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    // Random answers to a 4-item, 5-point battery are all equal for 1 in 125 respondents;
    // clean data must not contain that by chance.
    r.answers.insert("eff_say".into(), Answer::Text("2".into()));
    r.answers
        .insert("eff_ability".into(), Answer::Text("4".into()));
    r
}

/// 150 clean interviews by five interviewers.
fn sample() -> (Form, Vec<Response>) {
    let form = default_form().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let names = ["ana", "boris", "vera", "georgi", "daria"];
    let responses = (0..150)
        .map(|i| clean(&form, &mut rng, i, names[i % names.len()]))
        .collect();
    (form, responses)
}

fn flags_of(report: &QualityReport, check: Check) -> Vec<&anketa::quality::Flag> {
    report.flags.iter().filter(|f| f.check == check).collect()
}

/// Runs the checks; every flag any test raises must also say why in Bulgarian.
fn check(form: &Form, responses: &[Response]) -> QualityReport {
    let report = run_checks(form, responses, &Thresholds::default()).unwrap();
    for flag in &report.flags {
        let cyrillic = flag.reason_bg.chars().any(|c| ('а'..='я').contains(&c));
        assert!(cyrillic, "no Bulgarian reason: {flag:?}");
        assert_eq!(flag.reason_in("bg"), flag.reason_bg);
        assert_eq!(flag.reason_in("en"), flag.reason);
    }
    report
}

#[test]
fn clean_data_raises_no_flag() {
    let (form, responses) = sample();
    let report = check(&form, &responses);
    assert_eq!(report.checked, 150);
    assert!(report.flags.is_empty(), "{:#?}", report.flags);
    assert!(report.notes.iter().any(|n| n.contains("Bonferroni")));
}

#[test]
fn speeding_against_the_median() {
    let (form, mut responses) = sample();
    let fast = &mut responses[3];
    fast.completed_at = Some(fast.started_at + SignedDuration::from_mins(4));
    let fast_id = fast.id;
    // Half the median (about 16 min) is slow enough not to be flagged.
    let brisk = &mut responses[4];
    brisk.completed_at = Some(brisk.started_at + SignedDuration::from_mins(8));
    // A refusal is over in a minute for an honest reason.
    let refusal = &mut responses[5];
    refusal.answers.clear();
    refusal
        .answers
        .insert("consent".into(), Answer::Text("no".into()));
    refusal.completed_at = Some(refusal.started_at + SignedDuration::from_mins(1));
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::Speeding);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0].response_id, Some(fast_id));
    assert!(flags[0].reason.contains("4:00 min"), "{}", flags[0].reason);
}

#[test]
fn speeding_under_the_per_question_minimum_in_a_small_sample() {
    let (form, responses) = sample();
    let mut few: Vec<Response> = responses.into_iter().take(4).collect();
    few[0].completed_at = Some(few[0].started_at + SignedDuration::from_secs(50));
    let report = check(&form, &few);
    let flags = flags_of(&report, Check::Speeding);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0].response_id, Some(few[0].id));
    assert!(flags[0].reason.contains("s each"), "{}", flags[0].reason);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("only the per-question minimum"))
    );
}

#[test]
fn batteries_come_from_the_questionnaire() {
    let form = default_form().unwrap();
    let found = batteries(&form, 3, 4);
    let ids: Vec<Vec<String>> = found.iter().map(|b| b.questions.clone()).collect();
    assert_eq!(
        ids,
        vec![
            vec![
                "trust_mayor",
                "trust_district_mayor",
                "trust_council",
                "trust_admin",
                "trust_ngo",
                "trust_parliament",
                "trust_people"
            ],
            vec!["eff_say", "eff_ability", "eff_understand", "eff_care"],
        ],
        "yes/no and three-point items are not batteries"
    );
}

#[test]
fn straight_lining_on_trust_and_likert_items() {
    let (form, mut responses) = sample();
    // The district mayor counts where it is asked (Sofia, Plovdiv, Varna) and not elsewhere.
    for q in [
        "trust_mayor",
        "trust_district_mayor",
        "trust_council",
        "trust_admin",
        "trust_ngo",
        "trust_parliament",
        "trust_people",
    ] {
        responses[10].answers.insert(q.into(), Answer::Number(5.0));
    }
    for q in ["eff_say", "eff_ability", "eff_understand", "eff_care"] {
        responses[11]
            .answers
            .insert(q.into(), Answer::Text("3".into()));
    }
    // Five equal trust items and one "don't know" is still straight-lining on what was answered.
    for q in [
        "trust_mayor",
        "trust_council",
        "trust_admin",
        "trust_ngo",
        "trust_parliament",
    ] {
        responses[12].answers.insert(q.into(), Answer::Number(0.0));
    }
    responses[12]
        .answers
        .insert("trust_people".into(), Answer::Special(Special::DontKnow));
    // Equal except one item: not flagged.
    for q in [
        "trust_mayor",
        "trust_council",
        "trust_admin",
        "trust_ngo",
        "trust_parliament",
    ] {
        responses[13].answers.insert(q.into(), Answer::Number(7.0));
    }
    responses[13]
        .answers
        .insert("trust_people".into(), Answer::Number(6.0));
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::StraightLining);
    let ids: Vec<_> = flags.iter().map(|f| f.response_id.unwrap()).collect();
    assert_eq!(ids.len(), 3, "{flags:#?}");
    for i in [10, 11, 12] {
        assert!(ids.contains(&responses[i].id));
    }
    let likert = flags
        .iter()
        .find(|f| f.response_id == Some(responses[11].id))
        .unwrap();
    assert!(likert.reason.contains("efficacy"), "{}", likert.reason);
}

#[test]
fn dont_know_share_per_interview_and_per_interviewer() {
    let (form, mut responses) = sample();
    // One interview with most answers "don't know".
    let ids: Vec<String> = responses[0]
        .answers
        .keys()
        .skip(10)
        .take(25)
        .cloned()
        .collect();
    for id in ids {
        responses[0]
            .answers
            .insert(id, Answer::Special(Special::Refused));
    }
    // Vera's interviews each have about a fifth of their answers "don't know": under the
    // per-interview threshold, over the per-interviewer one.
    for r in responses.iter_mut().filter(|r| r.interviewer == "vera") {
        for q in [
            "informed",
            "trust_mayor",
            "trust_council",
            "eff_care",
            "reach_channel",
            "involvement_ladder",
            "trust_admin",
            "trust_ngo",
        ] {
            r.answers
                .insert(q.into(), Answer::Special(Special::DontKnow));
        }
    }
    let report = check(&form, &responses);
    let per_interview = flags_of(&report, Check::DontKnowShare);
    assert_eq!(per_interview.len(), 1, "{per_interview:#?}");
    assert_eq!(per_interview[0].response_id, Some(responses[0].id));
    let per_interviewer = flags_of(&report, Check::InterviewerDontKnowShare);
    assert_eq!(per_interviewer.len(), 1, "{per_interviewer:#?}");
    assert_eq!(per_interviewer[0].interviewer, "vera");
    assert_eq!(per_interviewer[0].response_id, None);
}

#[test]
fn near_duplicates_are_found_and_distinct_interviews_are_not() {
    let (form, mut responses) = sample();
    let mut copy = responses[20].clone();
    copy.id = uuid::Uuid::new_v4();
    copy.interviewer = "boris".into();
    copy.started_at += SignedDuration::from_hours(3);
    copy.completed_at = Some(copy.started_at + SignedDuration::from_mins(15));
    copy.answers.insert("trust_ngo".into(), Answer::Number(9.0));
    copy.answers.insert("age".into(), Answer::Number(33.0));
    let copy_id = copy.id;
    responses.push(copy);
    // A respondent agreeing on most but not nearly all answers is not a duplicate.
    let mut cousin = responses[30].clone();
    cousin.id = uuid::Uuid::new_v4();
    for q in [
        "gender",
        "education",
        "informed",
        "trust_mayor",
        "trust_council",
        "eff_care",
        "reach_channel",
        "age",
    ] {
        let other = &responses[31].answers[q];
        if cousin.answers[q] == *other {
            cousin
                .answers
                .insert(q.into(), Answer::Special(Special::DontKnow));
        } else {
            cousin.answers.insert(q.into(), other.clone());
        }
    }
    responses.push(cousin);
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::NearDuplicate);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0].response_id, Some(copy_id));
    assert_eq!(flags[0].interviewer, "boris");
    assert!(flags[0].reason.contains(&responses[20].id.to_string()));
}

#[test]
fn an_interviewer_whose_answers_differ_sharply_is_flagged() {
    let (form, mut responses) = sample();
    for r in responses.iter_mut().filter(|r| r.interviewer == "georgi") {
        r.answers
            .insert("informed".into(), Answer::Text("very_well".into()));
    }
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::InterviewerEffect);
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0].interviewer, "georgi");
    assert!(
        flags[0].reason.starts_with("informed:"),
        "{}",
        flags[0].reason
    );
    assert!(
        flags[0].reason.contains("`very_well` 100%"),
        "{}",
        flags[0].reason
    );
    // Too few interviews to be tested: no flag, and a note says why.
    let strict = Thresholds {
        effect_min_interviews: 40,
        ..Thresholds::default()
    };
    let report = run_checks(&form, &responses, &strict).unwrap();
    assert!(flags_of(&report, Check::InterviewerEffect).is_empty());
    assert!(report.notes.iter().any(|n| n.contains("not tested")));
}

#[test]
fn key_questions_must_be_single_choice() {
    let form = default_form().unwrap();
    let t = Thresholds {
        effect_questions: vec!["trust_mayor".into()],
        ..Thresholds::default()
    };
    let err = run_checks::<Response>(&form, &[], &t).unwrap_err();
    assert!(err.to_string().contains("trust_mayor"), "{err}");
}

#[test]
fn night_completions_and_reversed_times() {
    let (form, mut responses) = sample();
    // 23:30 Sofia = 21:30 UTC in March; 06:59 = 04:59 UTC; 07:00 Sofia is fine.
    let set = |r: &mut Response, done: &str| {
        let done: Timestamp = done.parse().unwrap();
        r.started_at = done - SignedDuration::from_mins(15);
        r.completed_at = Some(done);
    };
    set(&mut responses[1], "2026-03-03T21:30:00Z");
    set(&mut responses[2], "2026-03-04T04:59:00Z");
    set(&mut responses[3], "2026-03-04T05:00:00Z");
    responses[4].completed_at = Some(responses[4].started_at - SignedDuration::from_mins(5));
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::ImplausibleTime);
    let ids: Vec<_> = flags.iter().map(|f| f.response_id.unwrap()).collect();
    assert_eq!(ids.len(), 3, "{flags:#?}");
    for i in [1, 2, 4] {
        assert!(ids.contains(&responses[i].id));
    }
    let night = flags
        .iter()
        .find(|f| f.response_id == Some(responses[1].id))
        .unwrap();
    assert!(
        night.reason.contains("2026-03-03 23:30"),
        "{}",
        night.reason
    );
    let reversed = flags
        .iter()
        .find(|f| f.response_id == Some(responses[4].id))
        .unwrap();
    assert!(
        reversed.reason.contains("before it started"),
        "{}",
        reversed.reason
    );
}

#[test]
fn check_command_prints_json_and_writes_csv() {
    let (form, mut responses) = sample();
    responses[5].completed_at = Some(responses[5].started_at + SignedDuration::from_mins(3));
    let mut draft = responses[6].clone();
    draft.id = uuid::Uuid::new_v4();
    draft.status = Status::Draft;
    draft.completed_at = None;
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    for r in responses.iter().chain([&draft]) {
        store.save(r).unwrap();
    }
    let _ = form;
    let csv = data.path().join("flags.csv");
    let run = || {
        let mut cmd = Command::cargo_bin("anketa").unwrap();
        cmd.env_remove("ANKETA_DATA_DIR")
            .arg("--data-dir")
            .arg(data.path());
        cmd
    };
    let out = run()
        .args(["check", "--json", "--csv"])
        .arg(&csv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["checked"], 150, "drafts are not checked");
    let flags = json["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:#?}");
    assert_eq!(flags[0]["check"], "speeding");
    assert_eq!(flags[0]["response_id"], responses[5].id.to_string());
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("check,response_id,interviewer,municipality,reason")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(&format!("speeding,{},", responses[5].id))
    );
    // The CSV is not replaced without --force; thresholds are options.
    run().args(["check", "--csv"]).arg(&csv).assert().failure();
    run()
        .args(["check", "--speeding-ratio", "0.1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0 flag(s) in 150 complete interview(s)",
        ));
    run()
        .args(["check", "--dk-share", "1.5"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("out of range"));
}

#[test]
fn every_planted_copy_is_found_among_many_interviews() {
    let form = default_form().unwrap();
    let mut rng = fastrand::Rng::with_seed(99);
    let names = ["ana", "boris", "vera", "georgi", "daria"];
    let mut responses: Vec<Response> = (0..600)
        .map(|i| clean(&form, &mut rng, i, names[i % names.len()]))
        .collect();
    // Questions every consenting adult is asked, whatever the skip logic.
    let always = [
        "gender",
        "education",
        "informed",
        "trust_mayor",
        "trust_admin",
        "eff_care",
        "reach_channel",
        "involvement_ladder",
    ];
    let mut planted = Vec::new();
    for k in 0..20 {
        let original = &responses[k * 29];
        let mut copy = original.clone();
        copy.id = uuid::Uuid::new_v4();
        copy.started_at += SignedDuration::from_hours(1);
        copy.completed_at = Some(copy.started_at + SignedDuration::from_mins(14));
        for _ in 0..3 {
            let q = always[rng.usize(..always.len())];
            copy.answers
                .insert(q.into(), Answer::Special(Special::DontKnow));
        }
        planted.push((copy.id, original.id));
        responses.push(copy);
    }
    let report = check(&form, &responses);
    let flags = flags_of(&report, Check::NearDuplicate);
    assert_eq!(flags.len(), planted.len(), "{flags:#?}");
    for (copy, original) in planted {
        let flag = flags.iter().find(|f| f.response_id == Some(copy)).unwrap();
        assert!(
            flag.reason.contains(&original.to_string()),
            "{}",
            flag.reason
        );
    }
}

#[test]
fn check_command_text() {
    let (_, mut responses) = sample();
    for (i, r) in responses.iter_mut().enumerate() {
        r.id = uuid::Uuid::from_u128(i as u128 + 1);
    }
    responses[7].completed_at = Some(responses[7].started_at + SignedDuration::from_mins(3));
    let late: Timestamp = "2026-03-05T21:10:00Z".parse().unwrap();
    responses[8].started_at = late - SignedDuration::from_mins(15);
    responses[8].completed_at = Some(late);
    for q in ["eff_say", "eff_ability", "eff_understand", "eff_care"] {
        responses[9]
            .answers
            .insert(q.into(), Answer::Text("5".into()));
    }
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    for r in &responses {
        store.save(r).unwrap();
    }
    let out = Command::cargo_bin("anketa")
        .unwrap()
        .env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data.path())
        .arg("check")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8_lossy(&out));
}
