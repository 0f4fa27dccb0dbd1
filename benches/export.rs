//! Exporting 100,000 interviews of the bundled questionnaire (generated here, in memory):
//! wide and long to a sink, and wide to a real file through the atomic writer.
//!
//! Run with `cargo bench --bench export`; the figures are recorded in docs/export.md.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use anketa::export::{self, ExportOptions, Format, ValueStyle, write_atomic_with};
use anketa::questionnaire::{Answer, Form, QuestionType, Special, catalog};
use anketa::store::{Response, Status};

const INTERVIEWS: usize = 100_000;

fn main() {
    // Only when measuring: not for `--list` or `cargo test --benches`.
    if std::env::args().any(|a| a == "--bench") {
        describe_output();
    }
    divan::main();
}

/// Prints the size of what is being measured, so the figures can be read per byte and per row.
fn describe_output() {
    let d = data();
    for format in [Format::Wide, Format::Long] {
        let mut out = Vec::new();
        let summary = export::write_data(
            &d.form,
            &d.responses,
            &options(format),
            &mut out,
            &mut |_| {},
        )
        .expect("export");
        eprintln!(
            "{format:?}: {} interviews, {} rows x {} columns, {:.1} MB",
            summary.responses,
            summary.rows,
            summary.columns,
            out.len() as f64 / 1e6
        );
    }
}

struct Data {
    form: Form,
    responses: Vec<Response>,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let form = catalog::default_form().expect("the bundled questionnaire loads");
        let responses = generate(&form, INTERVIEWS);
        Data { form, responses }
    })
}

/// Plausible answers to every question, driven by the questionnaire's own types and ranges.
fn generate(form: &Form, n: usize) -> Vec<Response> {
    let mut rng = fastrand::Rng::with_seed(2026);
    let places: Vec<&str> = anketa::municipality::bundled()
        .all()
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    (0..n)
        .map(|i| {
            let place = places[rng.usize(..places.len())];
            let mut r = Response::new(form, "Анкетьор", place, "bg");
            r.status = Status::Complete;
            r.completed_at = Some(r.started_at);
            let mut answers = BTreeMap::new();
            for q in form.questions() {
                if let Some(a) = answer(form, q, &mut rng, i) {
                    answers.insert(q.id.clone(), a);
                }
            }
            // Respondents who consent and are adults, as in most of the field data.
            answers.insert("consent".into(), Answer::Text("yes".into()));
            answers.insert("age".into(), Answer::Number(rng.i64(18..90) as f64));
            r.answers = answers;
            r
        })
        .collect()
}

fn answer(
    form: &Form,
    q: &anketa::questionnaire::Question,
    rng: &mut fastrand::Rng,
    i: usize,
) -> Option<Answer> {
    if rng.u8(..20) == 0 && q.allow_special {
        return Some(Answer::Special(Special::DontKnow));
    }
    let choices = form.choices(q);
    let low = q.min.unwrap_or(0.0) as i64;
    let high = q.max.unwrap_or(100.0) as i64;
    Some(match q.kind {
        QuestionType::Note => return None,
        QuestionType::Single => Answer::Text(choices[rng.usize(..choices.len())].code.clone()),
        QuestionType::Multiple => Answer::Codes(
            choices
                .iter()
                .filter(|c| !c.exclusive && rng.u8(..4) == 0)
                .take(q.max_choices.unwrap_or(99) as usize)
                .map(|c| c.code.clone())
                .collect(),
        ),
        QuestionType::Scale | QuestionType::Integer => Answer::Number(rng.i64(low..=high) as f64),
        QuestionType::Decimal => Answer::Number(rng.i64(low * 10..=high * 10) as f64 / 10.0),
        QuestionType::Text if i.is_multiple_of(5) => {
            Answer::Text(format!("Бележка {i}, с \"кавички\""))
        }
        QuestionType::Text => return None,
        QuestionType::Date => Answer::Text("2026-03-01".into()),
        QuestionType::Municipality => Answer::Text("SOF46".into()),
    })
}

fn options(format: Format) -> ExportOptions {
    ExportOptions {
        format,
        ..ExportOptions::default()
    }
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn wide_100k_to_sink() -> usize {
    let d = data();
    let summary = export::write_data(
        &d.form,
        &d.responses,
        &options(Format::Wide),
        std::io::sink(),
        &mut |_| {},
    )
    .expect("export");
    summary.rows
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn wide_labels_100k_to_sink() -> usize {
    let d = data();
    let opts = ExportOptions {
        values: ValueStyle::Labels,
        ..options(Format::Wide)
    };
    export::write_data(&d.form, &d.responses, &opts, std::io::sink(), &mut |_| {})
        .expect("export")
        .rows
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn long_100k_to_sink() -> usize {
    let d = data();
    export::write_data(
        &d.form,
        &d.responses,
        &options(Format::Long),
        std::io::sink(),
        &mut |_| {},
    )
    .expect("export")
    .rows
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn wide_100k_to_file(bencher: divan::Bencher) {
    let d = data();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("survey.csv");
    bencher.bench_local(|| {
        write_atomic_with(&path, true, |out| {
            export::write_data(
                &d.form,
                &d.responses,
                &options(Format::Wide),
                out,
                &mut |_| {},
            )
        })
        .expect("export")
    });
}

/// The routing alone (which questions each interview was asked), sequentially: the part of an
/// export that belongs to the questionnaire's expressions rather than to writing CSV.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn routing_only_100k() -> usize {
    let d = data();
    d.responses
        .iter()
        .map(|r| d.form.relevance(&r.answers).iter().filter(|a| **a).count())
        .sum()
}
