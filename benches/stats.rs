//! The statistics of 100,000 interviews to the bundled questionnaire, over all municipalities:
//! the whole report (every question, every municipality, cross-tabs and indices), as the
//! dashboards recompute it when a filter changes. The interviews are generated once, outside the
//! timed region: loading files is measured elsewhere.
//!
//! `cargo bench --bench stats`

#[path = "../tests/fixtures/stats/generate.rs"]
mod generate;

use std::sync::LazyLock;

use anketa::questionnaire::{Form, catalog};
use anketa::stats::compute;
use anketa::store::{ResponseFilter, ResponseTable};

static FORM: LazyLock<Form> =
    LazyLock::new(|| catalog::default_form().expect("bundled questionnaire"));

static RESPONSES: LazyLock<ResponseTable> = LazyLock::new(|| {
    let responses = generate::responses(&FORM, 100_000, 2026, &[]);
    ResponseTable::from_responses(&FORM, &responses).expect("a table of 100,000 interviews")
});

fn main() {
    divan::main();
    cpu_time_per_report();
}

/// Prints the processor time (all threads) of one whole report. The benchmark machine may be
/// shared, which stretches wall-clock samples; processor time is what the computation costs.
fn cpu_time_per_report() {
    let Some(before) = process_cpu_seconds() else {
        return;
    };
    let runs = 5;
    let filter = ResponseFilter::default();
    for _ in 0..runs {
        divan::black_box(compute(&FORM, &RESPONSES, &filter));
    }
    if let Some(after) = process_cpu_seconds() {
        println!(
            "report_100k processor time: {:.0} ms per report (all threads, mean of {runs})",
            (after - before) / f64::from(runs) * 1000.0
        );
    }
}

/// User + system time of this process from /proc (Linux), in seconds.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // /proc reports in USER_HZ, which is 100 on Linux.
    Some((utime + stime) / 100.0)
}

/// Every figure for 100,000 interviews.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn report_100k(bencher: divan::Bencher) {
    let responses = &*RESPONSES;
    let filter = ResponseFilter::default();
    bencher.bench(|| compute(&FORM, divan::black_box(responses), &filter));
}

/// The same 100,000 interviews filtered to one oblast (the common dashboard filter).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn report_100k_one_oblast(bencher: divan::Bencher) {
    let responses = &*RESPONSES;
    let filter = ResponseFilter {
        oblast: Some("PDV".to_owned()),
        ..ResponseFilter::default()
    };
    bencher.bench(|| compute(&FORM, divan::black_box(responses), &filter));
}

/// Skip logic alone for 100,000 interviews: what building a table costs beyond copying, and what
/// the table then spares every analysis.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn relevance_100k(bencher: divan::Bencher) {
    let responses = &*RESPONSES;
    bencher.bench(|| {
        responses
            .rows()
            .map(|r| FORM.relevance(&r).len())
            .sum::<usize>()
    });
}
