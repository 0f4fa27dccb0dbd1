//! Exporting 100,000 interviews of the bundled questionnaire (simulated here and packed in a
//! response table, as `anketa export` loads them): wide and long to a sink, and wide to a real
//! file through the atomic writer.
//!
//! Run with `cargo bench --bench export`; the figures are recorded in docs/export.md.

use std::sync::OnceLock;

use rayon::prelude::*;

use anketa::export::{self, ExportOptions, Format, ValueStyle, write_atomic_with};
use anketa::questionnaire::{Form, catalog};
use anketa::simulate::{Options, Simulation};
use anketa::store::{Response, ResponseTable};

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
            d.table.rows(),
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
    table: ResponseTable,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let form = catalog::default_form().expect("the bundled questionnaire loads");
        let responses = generate(&form, INTERVIEWS);
        let table = ResponseTable::from_responses(&form, &responses).expect("the table holds them");
        Data { form, table }
    })
}

/// The project's own generator: realistic interviews that follow the skip logic.
fn generate(form: &Form, n: usize) -> Vec<Response> {
    let options = Options {
        responses: n,
        ..Options::default()
    };
    let simulation = Simulation::new(form, &options).expect("the simulation is set up");
    (0..n)
        .into_par_iter()
        .map(|i| simulation.response(i))
        .collect()
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
        d.table.rows(),
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
    export::write_data(&d.form, d.table.rows(), &opts, std::io::sink(), &mut |_| {})
        .expect("export")
        .rows
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn long_100k_to_sink() -> usize {
    let d = data();
    export::write_data(
        &d.form,
        d.table.rows(),
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
                d.table.rows(),
                &options(Format::Wide),
                out,
                &mut |_| {},
            )
        })
        .expect("export")
    });
}

/// The routing alone (which questions each interview was asked), sequentially: the table works
/// it out once per interview as it is built, so an export only reads the result; this is what
/// that costs at load.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn routing_only_100k() -> usize {
    let d = data();
    d.table
        .rows()
        .map(|row| d.form.relevance(&row).iter().filter(|a| **a).count())
        .sum()
}
