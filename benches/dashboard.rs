//! The dashboards' speed: drawing each view at 160×48 from cached statistics, a key press
//! with its redraw, the first frame with 100,000 responses behind it, and the time to the
//! full statistics (in memory, and from 100,000 files on disk).
//!
//! `cargo bench --bench dashboard`.

#[path = "../tests/dashboard_data/mod.rs"]
mod dashboard_data;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anketa::questionnaire::{Form, catalog};
use anketa::store::{Response, ResponseFilter, ResponseTable};
use anketa::tui::dashboard::keymap::Action;
use anketa::tui::dashboard::loader::{Event, Loader, Source, read_folder};
use anketa::tui::dashboard::theme::Theme;
use anketa::tui::dashboard::{App, Derived, View, views};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const N: usize = 100_000;

fn main() {
    divan::main();
}

static FORM: LazyLock<Arc<Form>> =
    LazyLock::new(|| Arc::new(catalog::default_form().expect("bundled questionnaire")));

static RESPONSES: LazyLock<Arc<Vec<Response>>> =
    LazyLock::new(|| Arc::new(dashboard_data::responses(&FORM, N, 42)));

static DERIVED: LazyLock<Derived> = LazyLock::new(|| {
    Derived::compute(
        &FORM,
        &RESPONSES,
        &ResponseFilter::default(),
        Arc::new(Vec::new()),
        None,
    )
    .expect("a table of 100,000 responses")
});

fn ready_app(view: View) -> App {
    let mut app = App::new(FORM.clone(), "bg", Theme::coloured());
    app.receive(DERIVED.clone());
    app.view = view;
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(160, 48)).expect("test terminal")
}

const VIEWS: [View; 5] = [
    View::Fieldwork,
    View::Questions,
    View::Municipalities,
    View::Barriers,
    View::Indices,
];

/// One frame of a view from the cached figures of 100,000 responses.
#[divan::bench(args = VIEWS)]
fn render_view_160x48(bencher: Bencher, view: View) {
    let app = ready_app(view);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        terminal.draw(|f| views::draw(f, &app)).expect("draw");
    });
}

/// A key press (move down, next subject) and the redraw it causes.
#[divan::bench(args = VIEWS)]
fn key_press_and_redraw(bencher: Bencher, view: View) {
    let mut app = ready_app(view);
    let mut terminal = terminal();
    let mut forward = true;
    bencher.bench_local(|| {
        let action = if forward { Action::Down } else { Action::Up };
        forward = !forward;
        app.update(action);
        app.update(Action::Right);
        terminal.draw(|f| views::draw(f, &app)).expect("draw");
    });
}

/// What `run` does before its first frame: the state, the frame, the loader thread started.
/// Nothing waits for the 100,000 responses.
#[divan::bench(sample_count = 20)]
fn first_frame_100k(bencher: Bencher) {
    let responses = RESPONSES.clone();
    bencher.bench_local(|| {
        let app = App::new(FORM.clone(), "bg", Theme::coloured());
        let mut terminal = terminal();
        terminal.draw(|f| views::draw(f, &app)).expect("draw");
        let loader = Loader::spawn(
            FORM.clone(),
            Source::Loaded(responses.clone()),
            ResponseFilter::default(),
            None,
        )
        .expect("spawn");
        divan::black_box(loader);
    });
}

/// Every figure of the dashboards for 100,000 responses in memory (a filter change).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_statistics_100k(bencher: Bencher) {
    bencher.bench_local(|| {
        Derived::compute(
            &FORM,
            &RESPONSES,
            &ResponseFilter::default(),
            Arc::new(Vec::new()),
            None,
        )
        .expect("a table of 100,000 responses")
    });
}

/// The statistics module alone on the same responses, to show what the dashboards add.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn stats_compute_only_100k(bencher: Bencher) {
    let table = ResponseTable::from_responses(&FORM, RESPONSES.iter()).expect("table");
    bencher.bench_local(|| anketa::stats::compute(&FORM, &table, &ResponseFilter::default()));
}

/// From starting the loader on 100,000 files to the figures on screen: read, parse, check,
/// compute.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn files_to_figures_100k(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("responses");
    std::fs::create_dir_all(&folder).expect("folder");
    for r in RESPONSES.iter() {
        let bytes = serde_json::to_vec_pretty(r).expect("json");
        std::fs::write(folder.join(format!("{}.json", r.id)), bytes).expect("write");
    }
    bencher.bench_local(|| {
        let loader = Loader::spawn(
            FORM.clone(),
            Source::Folder(folder.clone()),
            ResponseFilter::default(),
            None,
        )
        .expect("spawn");
        loop {
            match loader.events.recv_timeout(Duration::from_secs(120)) {
                Ok(Event::Computed(d)) => break divan::black_box(d),
                Ok(_) => {}
                Err(e) => panic!("no figures: {e}"),
            }
        }
    });
    // The floor: reading and parsing alone.
    let (read, _) = read_folder(&folder, &FORM, |_, _| {}).expect("read");
    assert_eq!(read.len(), N);
}
