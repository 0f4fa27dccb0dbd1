//! The dashboards' behaviour: the figures shown are the statistics module's, filters change
//! them, keys move between views, exports write what is shown, and the loader notices new
//! files.

mod dashboard_data;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anketa::questionnaire::{Form, catalog};
use anketa::stats;
use anketa::store::{Response, ResponseFilter, ResponseTable, Store};
use anketa::tui::dashboard::keymap::Action;
use anketa::tui::dashboard::loader::{Event, Loader, Source};
use anketa::tui::dashboard::theme::Theme;
use anketa::tui::dashboard::{App, Derived, Effect, View, export_screen, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn form() -> Arc<Form> {
    Arc::new(catalog::default_form().expect("bundled questionnaire"))
}

fn compute(form: &Form, responses: &[Response], filter: &ResponseFilter) -> Derived {
    Derived::compute(form, responses, filter, Arc::new(Vec::new()), None).expect("table")
}

fn app(form: &Arc<Form>, responses: &[Response], lang: &str) -> App {
    let mut app = App::new(form.clone(), lang, Theme::coloured());
    app.receive(compute(form, responses, &ResponseFilter::default()));
    app
}

fn screen(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| views::draw(f, app)).expect("draw");
    let buf = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect()
}

/// Applies an update the way the event loop does: a recompute runs synchronously here.
fn press(app: &mut App, action: Action, form: &Form, responses: &[Response]) -> Effect {
    let effect = app.update(action);
    if let Effect::Recompute(filter) = &effect {
        app.receive(compute(form, responses, filter));
    }
    effect
}

fn select_question(app: &mut App, id: &str) {
    let list = views::questions::visible_questions(app);
    app.question = list
        .iter()
        .position(|q| q.id == id)
        .expect("question listed");
}

/// Asserts that the Questions view shows, for every option of `id`, the label, the share and
/// the interval that `stats::compute` gives for `filter`.
fn assert_question_matches(
    app: &mut App,
    form: &Form,
    responses: &[Response],
    filter: &ResponseFilter,
    id: &str,
) {
    app.view = View::Questions;
    select_question(app, id);
    let table = ResponseTable::from_responses(form, responses).unwrap();
    let expected = stats::compute(form, &table, filter);
    let q = expected.question(id).expect("stats of the question");
    let lines = screen(app, 160, 48);
    let question = form.question(id).expect("question");
    assert!(q.overall.n > 0);
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("n={}", q.overall.n))),
        "base n={} not shown",
        q.overall.n
    );
    for o in &q.overall.options {
        let full = views::questions::option_label(app, question, &o.code);
        // Long labels are cut with `…` on screen; their beginning identifies the row.
        let label: String = full.chars().take(20).collect();
        let percent = format!("{:.1}", o.percent.expect("percent"));
        let [lo, hi] = o.ci95.expect("interval");
        let interval = format!("{lo:.1}–{hi:.1}");
        let row = lines
            .iter()
            .find(|l| l.contains(&label) && l.contains(&interval))
            .unwrap_or_else(|| panic!("no row for {label} {interval}:\n{}", lines.join("\n")));
        assert!(row.contains(&percent), "{row} lacks {percent}");
        assert!(
            row.trim_end()
                .trim_end_matches('│')
                .trim_end()
                .ends_with(&o.count.to_string()),
            "{row} lacks count {}",
            o.count
        );
    }
}

#[test]
fn the_questions_view_shows_the_statistics_modules_figures() {
    let form = form();
    let data = dashboard_data::responses(&form, 700, 3);
    let mut app = app(&form, &data, "en");
    for id in ["gender", "informed", "barriers", "trust_mayor", "eff_say"] {
        assert_question_matches(&mut app, &form, &data, &ResponseFilter::default(), id);
    }
}

#[test]
fn a_filter_changes_the_figures_shown_to_those_of_the_filtered_responses() {
    let form = form();
    let data = dashboard_data::responses(&form, 700, 5);
    let mut app = app(&form, &data, "en");
    let before = screen(&app, 160, 48).join("\n");
    // f, → (first oblast), Enter.
    press(&mut app, Action::OpenFilters, &form, &data);
    press(&mut app, Action::Right, &form, &data);
    let effect = press(&mut app, Action::Confirm, &form, &data);
    let Effect::Recompute(filter) = effect else {
        panic!("applying a filter recomputes, got {effect:?}");
    };
    assert!(filter.oblast.is_some());
    let header = screen(&app, 160, 48)[2].clone();
    assert!(header.contains("Oblast"), "{header}");
    let selected = data.iter().filter(|r| filter.matches(r)).count() as u64;
    let table = ResponseTable::from_responses(&form, &data).unwrap();
    let expected = stats::compute(&form, &table, &filter);
    assert_eq!(expected.responses, selected);
    assert!(screen(&app, 160, 48)[0].contains(&format!("{selected} responses")));
    assert_question_matches(&mut app, &form, &data, &filter, "informed");
    app.view = View::Fieldwork;
    assert_ne!(before, screen(&app, 160, 48).join("\n"));
    // x clears every filter and brings the overall figures back.
    let effect = press(&mut app, Action::ClearFilters, &form, &data);
    assert_eq!(effect, Effect::Recompute(ResponseFilter::default()));
    assert_question_matches(
        &mut app,
        &form,
        &data,
        &ResponseFilter::default(),
        "informed",
    );
}

#[test]
fn the_municipalities_table_shows_each_municipalitys_share_and_the_test() {
    let form = form();
    let data = dashboard_data::responses(&form, 700, 11);
    let mut app = app(&form, &data, "en");
    app.view = View::Municipalities;
    let table = ResponseTable::from_responses(&form, &data).unwrap();
    let report = stats::compute(&form, &table, &ResponseFilter::default());
    // The view opens on a question; its first option is the key figure.
    let subjects = anketa::tui::dashboard::app::subjects(&report);
    let anketa::tui::dashboard::app::Subject::Question(i) = subjects[app.municipalities.subject]
    else {
        panic!("the view opens on a question");
    };
    let q = &report.questions[i];
    let code = &q.overall.options[0].code;
    let lines = screen(&app, 160, 48);
    for m in &q.by_municipality {
        let name = anketa::municipality::bundled()
            .get(&m.municipality)
            .expect("known")
            .name("en");
        let o = m
            .summary
            .options
            .iter()
            .find(|o| &o.code == code)
            .expect("option");
        let row = lines
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(
            row.contains(&format!("{:.1}", o.percent.expect("percent"))),
            "{row}"
        );
        assert!(row.contains(&m.summary.n.to_string()), "{row}");
    }
    let text = lines.join("\n");
    match &q.chi_square {
        Some(c) => assert!(
            text.contains(&format!("χ²={:.1}, df={}", c.statistic, c.df)),
            "{text}"
        ),
        None => assert!(text.contains("no test of differences")),
    }
}

#[test]
fn tabs_numbers_help_language_and_back() {
    let form = form();
    let data = dashboard_data::responses(&form, 100, 1);
    let mut app = app(&form, &data, "bg");
    assert_eq!(app.view, View::Fieldwork);
    app.update(Action::NextView);
    assert_eq!(app.view, View::Questions);
    app.update(Action::PreviousView);
    app.update(Action::PreviousView);
    assert_eq!(app.view, *app.views().last().expect("views"));
    app.update(Action::GoToView(2));
    assert_eq!(app.view, View::Municipalities);
    app.update(Action::Help);
    assert!(app.help);
    assert_eq!(
        app.update(Action::Back),
        Effect::Redraw,
        "Esc closes help first"
    );
    assert!(!app.help);
    app.update(Action::ToggleLanguage);
    assert_eq!(app.lang, "en");
    assert!(screen(&app, 160, 48)[1].contains("Municipalities"));
    assert!(screen(&app, 80, 24)[1].contains("Munic."));
    assert_eq!(app.update(Action::Back), Effect::Quit);
}

#[test]
fn searching_the_questions_narrows_the_list_in_either_script() {
    let form = form();
    let data = dashboard_data::responses(&form, 50, 2);
    let mut app = app(&form, &data, "bg");
    app.update(Action::GoToView(1));
    app.update(Action::Search);
    for c in "trust".chars() {
        app.update(Action::Type(c));
    }
    let ids: Vec<String> = views::questions::visible_questions(&app)
        .iter()
        .map(|q| q.id.clone())
        .collect();
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id.starts_with("trust")),
        "{ids:?}"
    );
    // Typing `q` searches rather than going back.
    assert_eq!(app.update(Action::Type('q')), Effect::Redraw);
    app.update(Action::Back);
    assert!(app.search.is_empty() && !app.typing);
    assert!(views::questions::visible_questions(&app).len() > 30);
}

#[test]
fn export_writes_what_is_on_screen() {
    let form = form();
    let data = dashboard_data::responses(&form, 300, 9);
    let mut app = app(&form, &data, "en");
    let dir = tempfile::tempdir().expect("tempdir");
    app.update(Action::GoToView(1));
    select_question(&mut app, "informed");
    assert_eq!(app.update(Action::Export), Effect::Export);
    export_screen(&mut app, dir.path());
    let message = app.message.clone().expect("the path is shown");
    let path = message
        .strip_prefix("Exported to ")
        .expect("message names the file");
    let mut reader = csv::Reader::from_path(path).expect("csv written");
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid csv");
    let shown = screen(&app, 160, 48);
    assert_eq!(
        rows.len(),
        form.choices(form.question("informed").expect("q")).len()
    );
    for row in &rows {
        let label = &row[1];
        let line = shown
            .iter()
            .find(|l| l.contains(label))
            .expect("exported row is on screen");
        assert!(
            line.contains(&row[2]) && line.contains(&row[3]),
            "{line} vs {row:?}"
        );
    }
    assert!(shown.last().expect("footer").contains("Exported to"));
}

#[test]
fn the_loader_reads_the_folder_and_notices_new_files() {
    let form = form();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("store");
    let data = dashboard_data::responses(&form, 20, 4);
    let complete: Vec<&Response> = data
        .iter()
        .filter(|r| r.status == anketa::store::Status::Complete)
        .collect();
    for r in &complete[..10] {
        store.save(r).expect("save");
    }
    std::fs::write(
        store
            .responses_dir(form.id())
            .expect("dir")
            .join("broken.json"),
        b"{",
    )
    .expect("write");
    let loader = Loader::spawn(
        form.clone(),
        Source::Folder(store.responses_dir(form.id()).expect("dir")),
        ResponseFilter::default(),
        None,
    )
    .expect("spawn");
    let first = wait_for_figures(&loader);
    assert_eq!(first.report.responses, 10);
    assert_eq!(first.problems.len(), 1);
    store.save(complete[10]).expect("save");
    let second = wait_for_figures(&loader);
    assert_eq!(
        second.report.responses, 11,
        "a new file appears without a key press"
    );
}

fn wait_for_figures(loader: &Loader) -> Derived {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Event::Computed(d)) = loader.events.recv_timeout(Duration::from_millis(200)) {
            return *d;
        }
    }
    panic!("the loader reported no figures");
}

/// With the store's load cache, the figures come first (from the table), the quality flags after
/// every file is parsed; both agree with the statistics of the files, run after run.
#[test]
fn the_cached_loader_sends_figures_then_quality_and_notices_new_files() {
    let form = form();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("store");
    let data = dashboard_data::responses(&form, 60, 9);
    let (first_half, rest) = data.split_at(40);
    for r in first_half {
        store.save(r).expect("save");
    }
    let folder = store.responses_dir(form.id()).expect("dir");
    std::fs::write(folder.join("broken.json"), b"{").expect("write");
    let cache = store.cache_path(form.id()).expect("cache");
    for _ in 0..2 {
        let loader = Loader::spawn(
            form.clone(),
            Source::Cached {
                folder: folder.clone(),
                cache: cache.clone(),
            },
            ResponseFilter::default(),
            None,
        )
        .expect("spawn");
        let figures = wait_for_figures(&loader);
        // The store's tables are in response id order, which fixes the order of the sums.
        let mut in_order = first_half.to_vec();
        in_order.sort_by_key(|r| r.id);
        let table = ResponseTable::from_responses(&form, &in_order).unwrap();
        let mut expected = stats::compute(&form, &table, &ResponseFilter::default());
        expected.problems = 1;
        assert_eq!(figures.report, expected);
        assert_eq!(figures.problems.len(), 1);
        let quality = wait_for_quality(&loader);
        assert!(quality.is_ok(), "{quality:?}");
    }
    assert!(cache.exists(), "the figures came through the load cache");
    let loader = Loader::spawn(
        form.clone(),
        Source::Cached {
            folder: folder.clone(),
            cache,
        },
        ResponseFilter::default(),
        None,
    )
    .expect("spawn");
    let before = wait_for_figures(&loader).report.responses;
    let added = rest
        .iter()
        .find(|r| r.status == anketa::store::Status::Complete)
        .expect("a complete interview");
    store.save(added).expect("save");
    let after = wait_for_figures(&loader);
    assert_eq!(after.report.responses, before + 1, "a new file appears");
}

fn wait_for_quality(loader: &Loader) -> Arc<Result<anketa::quality::QualityReport, String>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Event::Quality(_, q)) = loader.events.recv_timeout(Duration::from_millis(200)) {
            return q;
        }
    }
    panic!("the loader reported no quality flags");
}
