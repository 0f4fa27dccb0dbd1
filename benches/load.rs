//! Loading responses: the store's loader against its floor (just reading the files, and reading
//! plus parsing them), and the generator's own speed.
//!
//! Run with `cargo bench --bench load`; `ANKETA_BENCH_RESPONSES` sets the sample size
//! (default 10,000), generated once into a temporary folder. `ANKETA_BENCH_DATA=DIR` measures
//! an existing data folder instead (e.g. one written by `anketa simulate`).

use std::path::PathBuf;
use std::sync::OnceLock;

use anketa::questionnaire::{Form, catalog};
use anketa::simulate::{Options, Simulation, SiteChoice};
use anketa::store::{Response, Store};
use divan::Bencher;
use rayon::prelude::*;

fn main() {
    divan::main();
}

struct Sample {
    _dir: Option<tempfile::TempDir>,
    store: Store,
    form: Form,
    files: Vec<PathBuf>,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let form = catalog::default_form().expect("bundled questionnaire");
        let (dir, store) = match std::env::var_os("ANKETA_BENCH_DATA") {
            Some(existing) => (None, Store::open(existing.as_ref()).expect("store")),
            None => {
                let dir = generated(&form);
                let store = Store::open(dir.path()).expect("store");
                (Some(dir), store)
            }
        };
        let files = std::fs::read_dir(store.responses_dir(form.id()).expect("dir"))
            .expect("listing")
            .map(|e| e.expect("entry").path())
            .collect();
        Sample {
            _dir: dir,
            store,
            form,
            files,
        }
    })
}

/// A freshly generated sample in a temporary folder.
fn generated(form: &Form) -> tempfile::TempDir {
    let responses = std::env::var("ANKETA_BENCH_RESPONSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(dir.path()).expect("store");
    let options = Options {
        responses,
        sites: SiteChoice::Random(40),
        ..Options::default()
    };
    Simulation::new(form, &options)
        .expect("simulation")
        .write(&store, |_| {})
        .expect("sample written");
    dir
}

/// The floor of any loader: every file read into memory, in parallel.
#[divan::bench(sample_count = 10)]
fn read_files(bencher: Bencher) {
    let s = sample();
    bencher.bench(|| {
        s.files
            .par_iter()
            .map(|p| std::fs::read(p).map(|b| b.len()).unwrap_or(0))
            .sum::<usize>()
    });
}

/// Reading and parsing into `Response`, with no checks: the floor for this file format.
#[divan::bench(sample_count = 10)]
fn read_and_parse(bencher: Bencher) {
    let s = sample();
    bencher.bench(|| {
        s.files
            .par_iter()
            .filter_map(|p| {
                let bytes = std::fs::read(p).ok()?;
                serde_json::from_slice::<Response>(&bytes).ok()
            })
            .collect::<Vec<_>>()
    });
}

/// Parsing alone, from bytes already in memory (read once, outside the timing).
#[divan::bench(sample_count = 10)]
fn parse_in_memory(bencher: Bencher) {
    let s = sample();
    let bytes: Vec<Vec<u8>> = s
        .files
        .par_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    bencher.bench(|| {
        bytes
            .par_iter()
            .filter_map(|b| serde_json::from_slice::<Response>(b).ok())
            .collect::<Vec<_>>()
    });
}

/// The store's loader: listing, reading, parsing, checking every answer, sorting.
#[divan::bench(sample_count = 10)]
fn store_load(bencher: Bencher) {
    let s = sample();
    bencher.bench(|| s.store.load(&s.form).expect("load").responses.len());
}

/// The loader keeping only a compact row per response (municipality and the position and
/// code index of each single-choice answer), as a statistics pass can: same work, far less memory.
#[divan::bench(sample_count = 10)]
fn store_load_mapped(bencher: Bencher) {
    let s = sample();
    bencher.bench(|| {
        s.store
            .load_mapped(&s.form, |r| compact_row(&s.form, &r))
            .expect("load")
            .items
            .len()
    });
}

fn compact_row(form: &Form, response: &Response) -> (u16, Vec<(u16, u16)>) {
    let municipality = anketa::municipality::bundled()
        .all()
        .iter()
        .position(|m| m.code == response.municipality)
        .unwrap_or(0) as u16;
    let answers = response
        .answers
        .iter()
        .filter_map(|(id, answer)| {
            let position = form.position(id)?;
            let anketa::questionnaire::Answer::Text(code) = answer else {
                return None;
            };
            let question = &form.questions()[position];
            let choice = form
                .choices(question)
                .iter()
                .position(|c| &c.code == code)?;
            Some((position as u16, choice as u16))
        })
        .collect();
    (municipality, answers)
}

/// Generating 1,000 interviews in memory (no writing), on every core.
#[divan::bench(sample_count = 10)]
fn generate_1000(bencher: Bencher) {
    let form = catalog::default_form().expect("bundled questionnaire");
    let simulation = Simulation::new(
        &form,
        &Options {
            responses: 1_000,
            ..Options::default()
        },
    )
    .expect("simulation");
    bencher.bench(|| {
        (0..1_000)
            .into_par_iter()
            .map(|i| simulation.response(i))
            .collect::<Vec<_>>()
    });
}
