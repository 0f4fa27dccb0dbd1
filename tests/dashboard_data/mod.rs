//! A deterministic generated data set for the dashboard tests and benchmark: responses to
//! the bundled questionnaire in a few municipalities (one with a small base), with answer
//! distributions that differ by municipality, some don't know / refused, a few drafts, and
//! skip logic obeyed (answers to questions that are not relevant are removed).

#![allow(dead_code)]

use std::collections::BTreeMap;

use anketa::questionnaire::{Answer, Form, QuestionType, Special};
use anketa::store::{Response, Status};

/// Municipalities of the sample with their share of interviews; the last has a small base.
pub const MUNICIPALITIES: [(&str, u32); 6] = [
    ("SOF46", 30),
    ("PDV22", 22),
    ("VAR06", 20),
    ("BGS04", 15),
    ("PVN10", 11),
    ("SFO45", 2),
];

const INTERVIEWERS: [&str; 4] = [
    "Мария Петрова",
    "Ivan Georgiev",
    "Елена Димитрова",
    "Петър Стоянов",
];

/// `n` responses, the same for the same `seed`.
pub fn responses(form: &Form, n: usize, seed: u64) -> Vec<Response> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let total: u32 = MUNICIPALITIES.iter().map(|m| m.1).sum();
    let start = jiff::Timestamp::from_second(1_772_344_800).unwrap_or(jiff::Timestamp::UNIX_EPOCH); // 2026-03-01
    (0..n)
        .map(|i| {
            let mut pick = rng.u32(0..total);
            let mut m = 0;
            while pick >= MUNICIPALITIES[m].1 {
                pick -= MUNICIPALITIES[m].1;
                m += 1;
            }
            let began = start
                .checked_add(jiff::SignedDuration::from_secs(
                    (i as i64 * 37 * 60) % (30 * 86_400),
                ))
                .unwrap_or(start);
            one(form, &mut rng, m, began)
        })
        .collect()
}

fn one(form: &Form, rng: &mut fastrand::Rng, m: usize, began: jiff::Timestamp) -> Response {
    let (code, _) = MUNICIPALITIES[m];
    let draft = rng.u32(0..40) == 0;
    let minutes = 12 + rng.i64(0..30);
    let done = began
        .checked_add(jiff::SignedDuration::from_mins(minutes))
        .unwrap_or(began);
    let mut answers = BTreeMap::new();
    for q in form.questions() {
        if let Some(a) = answer(form, q, rng, m, &answers) {
            answers.insert(q.id.clone(), a);
        }
    }
    // Two passes: removing an answer can make a later question not relevant.
    for _ in 0..2 {
        let relevant = form.relevance(&answers);
        for (q, keep) in form.questions().iter().zip(relevant) {
            if !keep {
                answers.remove(&q.id);
            }
        }
    }
    Response {
        id: uuid::Uuid::from_u128(rng.u128(..)),
        questionnaire: form.id().to_owned(),
        questionnaire_version: form.version().to_owned(),
        status: if draft {
            Status::Draft
        } else {
            Status::Complete
        },
        interviewer: INTERVIEWERS[(m + rng.usize(0..2)) % INTERVIEWERS.len()].to_owned(),
        municipality: code.to_owned(),
        language: "bg".to_owned(),
        started_at: began,
        updated_at: done,
        completed_at: (!draft).then_some(done),
        answers,
        other_text: BTreeMap::new(),
        timings_ms: BTreeMap::new(),
        outcome: None,
        revisions: Vec::new(),
        remarks: BTreeMap::new(),
        observations: Default::default(),
    }
}

/// An index in `0..n` skewed towards low or high values depending on the municipality, so
/// that distributions differ between municipalities.
fn skewed(rng: &mut fastrand::Rng, n: usize, m: usize) -> usize {
    let power = 0.5 + m as f64 * 0.35;
    ((rng.f64().powf(power)) * n as f64).min(n as f64 - 1.0) as usize
}

fn answer(
    form: &Form,
    q: &anketa::questionnaire::Question,
    rng: &mut fastrand::Rng,
    m: usize,
    so_far: &BTreeMap<String, Answer>,
) -> Option<Answer> {
    if q.allow_special && q.kind != QuestionType::Note && rng.u32(0..50) == 0 {
        return Some(Answer::Special(if rng.bool() {
            Special::DontKnow
        } else {
            Special::Refused
        }));
    }
    let codes: Vec<String> = form
        .choices(q)
        .iter()
        .filter(|c| !c.exclusive && !c.other)
        .map(|c| c.code.clone())
        .collect();
    Some(match q.kind {
        QuestionType::Note | QuestionType::Date => return None,
        QuestionType::Single => {
            let offered: Vec<String> = match q.choices_from.as_deref().and_then(|f| so_far.get(f)) {
                Some(Answer::Codes(chosen)) => chosen.clone(),
                Some(_) => return None,
                None if q.choices_from.is_some() => return None,
                None => codes,
            };
            if offered.is_empty() {
                return None;
            }
            // Consent is nearly always given so that the sample is usable.
            let at = if q.id == "consent" {
                usize::from(rng.u32(0..30) == 0)
            } else {
                skewed(rng, offered.len(), m)
            };
            Answer::Text(offered[at].clone())
        }
        QuestionType::Multiple => {
            let max = q.max_choices.unwrap_or(3).min(codes.len() as u32).max(1) as usize;
            let k = 1 + rng.usize(0..max);
            let mut chosen: Vec<String> = Vec::new();
            while chosen.len() < k {
                let c = codes[skewed(rng, codes.len(), m)].clone();
                if !chosen.contains(&c) {
                    chosen.push(c);
                }
            }
            Answer::Codes(chosen)
        }
        QuestionType::Scale | QuestionType::Integer | QuestionType::Decimal => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(10.0).min(lo + 75.0);
            let span = (hi - lo) as usize + 1;
            Answer::Number(lo + skewed(rng, span, m) as f64 + if q.id == "age" { 3.0 } else { 0.0 })
        }
        QuestionType::Municipality => Answer::Text(MUNICIPALITIES[m].0.to_owned()),
        QuestionType::Text => {
            if rng.u32(0..4) != 0 {
                return None;
            }
            Answer::Text(
                [
                    "Повече прозрачност",
                    "more information",
                    "Нищо",
                    "по-добър транспорт",
                ][rng.usize(0..4)]
                .to_owned(),
            )
        }
    })
}
