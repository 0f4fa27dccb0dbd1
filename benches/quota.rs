//! The quota warnings: what the interview's key handling pays when an answer changes (one
//! respondent's warnings, one completed interview counted), against 100,000 counted interviews.

use std::collections::BTreeMap;

use anketa::questionnaire::{Answer, Form, catalog::default_form};
use anketa::store::{Response, Status};
use anketa::targets::{self, QuotaTracker};

fn main() {
    divan::main();
}

fn respondent(form: &Form, rng: &mut fastrand::Rng) -> Response {
    let codes = ["SOF46", "PDV22", "VAR06", "BGS04"];
    let mut r = Response::new(form, "Мария", codes[rng.usize(..codes.len())], "bg");
    let gender = if rng.bool() { "female" } else { "male" };
    let answers: BTreeMap<String, Answer> = [
        ("consent", Answer::Text("yes".into())),
        ("age", Answer::Number(rng.i32(18..=85).into())),
        ("gender", Answer::Text(gender.into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    r.answers = answers;
    r.status = Status::Complete;
    r
}

fn tracker(n: usize) -> (Form, QuotaTracker, Response) {
    let form = default_form().expect("the bundled questionnaire is valid");
    let (targets, _) = targets::find(&form, None, None, std::path::Path::new("/nonexistent"))
        .ok()
        .flatten()
        .expect("the bundled targets are valid");
    let mut rng = fastrand::Rng::with_seed(5);
    let responses: Vec<Response> = (0..n).map(|_| respondent(&form, &mut rng)).collect();
    let tracker = QuotaTracker::new(targets, &form, &responses);
    let next = respondent(&form, &mut rng);
    (form, tracker, next)
}

/// Run on the interface's thread each time an answer changes.
#[divan::bench(args = [100_000], sample_count = 20)]
fn warnings_for_one_respondent(bencher: divan::Bencher, n: usize) {
    let (form, tracker, next) = tracker(n);
    bencher.bench(|| {
        tracker
            .warnings(&form, &next.municipality, &next.answers)
            .len()
    });
}

/// Run on the interface's thread when an interview is completed.
#[divan::bench(args = [100_000], sample_count = 20)]
fn record_one_completed(bencher: divan::Bencher, n: usize) {
    let (form, tracker, next) = tracker(n);
    bencher
        .with_inputs(|| tracker.clone())
        .bench_local_values(|mut t| {
            t.record_completed(&form, &next);
            t.progress().total_achieved
        });
}
