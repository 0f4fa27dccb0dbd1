//! Snapshots of every dashboard view on ratatui's TestBackend: a fixed generated data set at
//! 80×24 and 160×48 in Bulgarian and English, with no data, while loading, and overlays.

mod dashboard_data;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use anketa::questionnaire::{Form, catalog};
use anketa::store::{Problem, Response, ResponseFilter};
use anketa::targets::Targets;
use anketa::tui::dashboard::data::quality;
use anketa::tui::dashboard::keymap::Action;
use anketa::tui::dashboard::theme::Theme;
use anketa::tui::dashboard::{App, Derived, View, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn form() -> Arc<Form> {
    static FORM: OnceLock<Arc<Form>> = OnceLock::new();
    FORM.get_or_init(|| Arc::new(catalog::default_form().expect("bundled questionnaire")))
        .clone()
}

fn sample() -> &'static [Response] {
    static DATA: OnceLock<Vec<Response>> = OnceLock::new();
    DATA.get_or_init(|| dashboard_data::responses(&form(), 900, 7))
}

fn problems() -> Arc<Vec<Problem>> {
    Arc::new(vec![Problem {
        path: PathBuf::from("responses/civic-participation-bg/0b1e-truncated.json"),
        reason: "not valid JSON: EOF while parsing an object at line 12 column 3".to_owned(),
        part: None,
    }])
}

/// The bundled example targets (found when the data folder has none of its own).
fn targets() -> Option<Targets> {
    anketa::targets::find(&form(), None, None, std::path::Path::new("/nonexistent"))
        .expect("bundled targets are valid")
        .map(|(t, _)| t)
}

fn app_with(responses: &[Response], lang: &str, problems: Arc<Vec<Problem>>) -> App {
    let mut app = App::new(form(), lang, Theme::coloured());
    let filter = ResponseFilter::default();
    let targets = targets();
    app.receive(
        Derived::compute(&form(), responses, &filter, problems, targets.as_ref())
            .expect("a table of the sample"),
    );
    app.quality = Some(Arc::new(quality(&form(), responses, &filter)));
    app
}

fn render(app: &App, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|f| views::draw(f, app))
        .expect("drawing never fails");
    terminal.backend().clone()
}

fn name(view: View) -> &'static str {
    match view {
        View::Fieldwork => "fieldwork",
        View::Questions => "questions",
        View::Municipalities => "municipalities",
        View::Barriers => "barriers",
        View::Indices => "indices",
        View::Quality => "quality",
    }
}

#[test]
fn every_view_in_both_languages_at_both_sizes() {
    for lang in ["bg", "en"] {
        let mut app = app_with(sample(), lang, problems());
        for &view in app.views() {
            app.view = view;
            // Show a question with a distribution that differs between municipalities.
            if view == View::Questions {
                app.question = 10;
            }
            for (w, h) in [(80, 24), (160, 48)] {
                let snapshot = format!("dashboard_{}_{lang}_{w}x{h}", name(view));
                insta::assert_snapshot!(snapshot, render(&app, w, h));
            }
        }
    }
}

#[test]
fn every_view_without_data() {
    for lang in ["bg", "en"] {
        let mut app = app_with(&[], lang, Arc::new(Vec::new()));
        for &view in app.views() {
            app.view = view;
            let snapshot = format!("dashboard_nodata_{}_{lang}", name(view));
            insta::assert_snapshot!(snapshot, render(&app, 80, 24));
        }
    }
}

#[test]
fn the_first_frame_shows_progress_before_any_data() {
    let mut app = App::new(form(), "en", Theme::coloured());
    app.load = anketa::tui::dashboard::Load::Reading {
        done: 40_000,
        total: 100_000,
    };
    insta::assert_snapshot!("dashboard_loading_en", render(&app, 80, 24));
}

#[test]
fn help_lists_every_key_and_the_filter_panel_shows_the_fields() {
    let mut app = app_with(sample(), "en", problems());
    app.update(Action::Help);
    insta::assert_snapshot!("dashboard_help_en", render(&app, 80, 24));
    app.update(Action::Back);
    app.update(Action::OpenFilters);
    app.update(Action::Right);
    app.update(Action::Down);
    app.update(Action::Right);
    insta::assert_snapshot!("dashboard_filters_panel_en", render(&app, 80, 24));
    let mut bg = app_with(sample(), "bg", problems());
    bg.update(Action::Help);
    insta::assert_snapshot!("dashboard_help_bg", render(&bg, 80, 24));
}

#[test]
fn one_municipality_has_no_test_of_differences() {
    let only: Vec<Response> = sample()
        .iter()
        .filter(|r| r.municipality == "PDV22")
        .cloned()
        .collect();
    let mut app = app_with(&only, "en", Arc::new(Vec::new()));
    app.view = View::Municipalities;
    let screen = render(&app, 80, 24);
    insta::assert_snapshot!("dashboard_one_municipality_en", screen);
}

#[test]
fn a_sorted_municipality_table_with_another_key_figure() {
    let mut app = app_with(sample(), "bg", problems());
    app.view = View::Municipalities;
    app.update(Action::Right);
    app.update(Action::NextOption);
    app.update(Action::Sort);
    app.update(Action::Sort);
    app.update(Action::Sort);
    insta::assert_snapshot!("dashboard_municipalities_sorted_bg", render(&app, 160, 48));
}

#[test]
fn without_colour_no_cell_carries_a_colour() {
    let mut app = app_with(sample(), "en", problems());
    app.theme = Theme { colour: false };
    for &view in app.views() {
        app.view = view;
        let backend = render(&app, 160, 48);
        let buffer = backend.buffer();
        for cell in buffer.content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "{view:?}: {cell:?}");
            assert_eq!(cell.bg, ratatui::style::Color::Reset, "{view:?}: {cell:?}");
        }
    }
}

#[test]
fn numeric_and_scale_questions_show_their_summary() {
    for id in ["age", "trust_mayor"] {
        let mut app = app_with(sample(), "en", problems());
        app.view = View::Questions;
        let list = views::questions::visible_questions(&app);
        app.question = list.iter().position(|q| q.id == id).expect("listed");
        insta::assert_snapshot!(
            format!("dashboard_questions_{id}_en_80x24"),
            render(&app, 80, 24)
        );
    }
}

/// The sample with, beside its interviews, 300 cases closed without one: refusals,
/// non-contacts, a break-off or two, cases not eligible, by the same interviewers in the same
/// municipalities (interviewer Петър Стоянов meets most refusals).
fn sample_with_nonresponse() -> Vec<Response> {
    use anketa::outcome::Outcome::*;
    let outcomes = [
        Refusal,
        NonContact,
        Refusal,
        NotEligibleNotResident,
        NonContact,
        Refusal,
        UnknownEligibility,
        BreakOff,
        Unable,
        NotEligibleUnderAge,
    ];
    let mut responses = sample().to_vec();
    for (i, base) in sample().iter().take(300).enumerate() {
        let mut case = base.clone();
        case.id = uuid::Uuid::from_u128(0x5eed_0000 + i as u128);
        case.answers.clear();
        case.other_text.clear();
        case.timings_ms.clear();
        case.status = anketa::store::Status::Complete;
        case.completed_at = Some(case.updated_at);
        case.outcome = Some(if case.interviewer == "Петър Стоянов" {
            Refusal
        } else {
            outcomes[i % outcomes.len()]
        });
        responses.push(case);
    }
    if let Some(partial) = responses.iter_mut().find(|r| r.completed_at.is_some()) {
        partial.outcome = Some(Partial);
    }
    responses
}

#[test]
fn fieldwork_shows_the_response_rates() {
    let responses = sample_with_nonresponse();
    for (lang, w, h) in [("en", 160, 48), ("bg", 80, 24)] {
        let mut app = app_with(&responses, lang, Arc::new(Vec::new()));
        app.view = View::Fieldwork;
        let snapshot = format!("dashboard_fieldwork_rates_{lang}_{w}x{h}");
        insta::assert_snapshot!(snapshot, render(&app, w, h));
    }
}
