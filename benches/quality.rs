//! The data-quality checks on large samples: every check, and near-duplicates alone, on
//! 10,000 and 100,000 synthetic complete interviews.

use anketa::quality::{Thresholds, run_checks};
use anketa::questionnaire::{Answer, Form, QuestionType, catalog::default_form};
use anketa::store::{Response, Status};
use jiff::{SignedDuration, Timestamp};

fn main() {
    divan::main();
}

fn interview(form: &Form, rng: &mut fastrand::Rng, i: usize) -> Response {
    let mut r = Response::new(form, &format!("interviewer-{}", i % 60), "SOF46", "bg");
    r.started_at = Timestamp::from_second(1_772_434_800 + (i as i64 % 30) * 900).unwrap();
    r.completed_at = Some(r.started_at + SignedDuration::from_mins(rng.i64(10..=25)));
    r.updated_at = r.started_at;
    r.status = Status::Complete;
    for q in form.questions() {
        let choices = form.choices(q);
        let answer = match q.kind {
            QuestionType::Single => Answer::Text(choices[rng.usize(..choices.len())].code.clone()),
            QuestionType::Multiple => {
                Answer::Codes(vec![choices[rng.usize(..choices.len())].code.clone()])
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
    r
}

fn sample(n: usize) -> (Form, Vec<Response>) {
    let form = default_form().expect("the bundled questionnaire is valid");
    let mut rng = fastrand::Rng::with_seed(11);
    let responses = (0..n).map(|i| interview(&form, &mut rng, i)).collect();
    (form, responses)
}

#[divan::bench(args = [10_000, 100_000], sample_count = 3)]
fn all_checks(bencher: divan::Bencher, n: usize) {
    let (form, responses) = sample(n);
    let thresholds = Thresholds::default();
    bencher.bench(|| run_checks(&form, &responses, &thresholds).map(|r| r.flags.len()));
}

/// Skip logic alone, which every check needs once per interview: the floor under `all_checks`.
#[divan::bench(args = [100_000], sample_count = 3)]
fn relevance_only(bencher: divan::Bencher, n: usize) {
    let (form, responses) = sample(n);
    bencher.bench(|| {
        responses
            .iter()
            .map(|r| form.relevance(&r.answers).len())
            .sum::<usize>()
    });
}
