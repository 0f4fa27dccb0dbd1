//! Loading responses: the store's loaders against their floors (reading the files, reading plus
//! parsing them, and for the cached table just looking at every file), and the generator's own
//! speed.
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
    // Files changed a moment ago are not trusted by the load cache (a coarse file clock could
    // hide a second change); a real data folder's files are older than that.
    std::thread::sleep(std::time::Duration::from_millis(4_500));
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

/// The floor of a cache kept consistent with the files: listing the folder and looking at every
/// file's size, times and inode, in parallel, without reading any.
#[divan::bench(sample_count = 10)]
fn stat_files(bencher: Bencher) {
    let s = sample();
    bencher.bench(|| {
        s.files
            .par_iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .count()
    });
}

/// `Store::load_table` with no cache: every file read, parsed and checked into a packed table
/// (skip logic evaluated once per response), then the cache written.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn table_cold(bencher: Bencher) {
    let s = sample();
    let cache = s.store.cache_path(s.form.id()).expect("cache path");
    bencher
        .with_inputs(|| {
            let _ = std::fs::remove_file(&cache);
        })
        .bench_values(|()| s.store.load_table(&s.form).expect("load").table.len());
}

/// `Store::load_table` when no file changed since the cache was written: what `anketa stats`
/// and `anketa export` do on a second run.
#[divan::bench(sample_count = 10)]
fn table_warm(bencher: Bencher) {
    let s = sample();
    s.store.load_table(&s.form).expect("load");
    bencher.bench(|| {
        let loaded = s.store.load_table(&s.form).expect("load");
        assert_eq!(
            loaded.from_cache,
            loaded.table.len(),
            "every row from the cache"
        );
        loaded.table.len()
    });
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
