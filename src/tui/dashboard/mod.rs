//! The analyst dashboards: fieldwork, questions, municipalities, barriers, indices (and data
//! quality), over the statistics of the stored responses.
//!
//! The design follows the Elm architecture. [`App`] is the whole state; a key becomes an
//! [`Action`](keymap::Action) in [`keymap`]; [`App::update`] changes the state and returns an
//! [`Effect`]; [`views::draw`] only reads the state. Files are read and statistics computed on
//! a [`loader`] thread that reports through a channel, so the first frame is drawn before a
//! single file has been read, and the figures are computed once per data or filter change
//! ([`data::Derived`]) and then drawn from the cache on every key press.

pub mod app;
pub mod data;
pub mod export;
pub mod filter_panel;
pub mod keymap;
pub mod loader;
mod navigate;
pub mod strings;
pub mod theme;
pub mod views;
pub mod widgets;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{self, Event as TermEvent};

pub use app::{App, Effect, Load, View};
pub use data::Derived;

use crate::questionnaire::Form;
use crate::store::{Response, ResponseFilter, Store};
use crate::targets::Targets;
use loader::{Event, Loader, Request, Source};

/// How long the event loop waits for a key before looking for news from the loader.
const TICK: Duration = Duration::from_millis(50);

/// Opens the dashboards on the responses to `form` in `store`, in `lang` (`bg` or `en`), until
/// the user goes back. Fails only when the terminal fails; unreadable files are shown.
pub fn run(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    store: &Store,
    lang: &str,
) -> anyhow::Result<()> {
    run_filtered(terminal, form, store, lang, ResponseFilter::default())
}

/// [`run`] starting with `filter` already applied.
pub fn run_filtered(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    store: &Store,
    lang: &str,
    filter: ResponseFilter,
) -> anyhow::Result<()> {
    let folder = store.responses_dir_to_read(form.id())?;
    let cache = store.cache_path(form.id())?;
    let (targets, warning) = load_targets(form, store);
    let setup = Setup {
        warning,
        source: Source::Cached { folder, cache },
        export_dir: store.root().join("exports"),
        filter,
        targets,
    };
    event_loop(terminal, form, lang, setup)
}

/// Opens the dashboards on responses already in memory (a demo sample); exports go to
/// `export_dir`. The data are not watched for changes.
pub fn run_loaded(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    responses: Vec<Response>,
    export_dir: PathBuf,
    lang: &str,
) -> anyhow::Result<()> {
    let setup = Setup {
        source: Source::Loaded(Arc::new(responses)),
        export_dir,
        filter: ResponseFilter::default(),
        targets: None,
        warning: None,
    };
    event_loop(terminal, form, lang, setup)
}

/// The sample targets of `form` (see `docs/fieldwork.md` for where they are looked for), and a
/// warning for the footer when a targets file exists but cannot be used.
fn load_targets(form: &Form, store: &Store) -> (Option<Targets>, Option<String>) {
    match crate::targets::find(form, None, None, store.root()) {
        Ok(found) => (found.map(|(targets, _origin)| targets), None),
        Err(e) => (None, Some(e.to_string())),
    }
}

struct Setup {
    source: Source,
    export_dir: PathBuf,
    filter: ResponseFilter,
    targets: Option<Targets>,
    warning: Option<String>,
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    form: &Form,
    lang: &str,
    setup: Setup,
) -> anyhow::Result<()> {
    let form = Arc::new(form.clone());
    let mut app = App::new(form.clone(), lang, theme::Theme::from_env());
    app.filter = setup.filter.clone();
    app.message = setup.warning.clone();
    // The first frame goes out before the loader has read anything.
    terminal.draw(|f| views::draw(f, &app))?;
    let loader = Loader::spawn(form, setup.source, setup.filter, setup.targets)
        .context("cannot start the loader thread")?;
    loop {
        let mut redraw = false;
        while let Ok(news) = loader.events.try_recv() {
            redraw |= receive(&mut app, news);
        }
        if event::poll(TICK)? {
            match event::read()? {
                TermEvent::Key(key) => {
                    if let Some(action) = keymap::action(key, app.mode()) {
                        match app.update(action) {
                            Effect::Quit => return Ok(()),
                            Effect::Nothing => {}
                            Effect::Redraw => redraw = true,
                            Effect::Recompute(filter) => {
                                let _ = loader.requests.send(Request::Compute(filter));
                                redraw = true;
                            }
                            Effect::Reload => {
                                let _ = loader.requests.send(Request::Reload);
                                redraw = true;
                            }
                            Effect::Export => {
                                export_screen(&mut app, &setup.export_dir);
                                redraw = true;
                            }
                        }
                    }
                }
                TermEvent::Resize(..) => redraw = true,
                _ => {}
            }
        }
        if redraw {
            terminal.draw(|f| views::draw(f, &app))?;
        }
    }
}

/// Applies news from the loader; returns whether the screen changed.
pub fn receive(app: &mut App, news: Event) -> bool {
    match news {
        Event::Progress { done, total } => app.load = Load::Reading { done, total },
        Event::Read => app.load = Load::Computing,
        Event::Computed(derived) => app.receive(*derived),
        Event::Quality(filter, flags) => {
            if filter == app.filter {
                app.quality = Some(flags);
            }
        }
        Event::Failed(why) => {
            app.message = Some(format!(
                "{}: {why}",
                strings::strings(&app.lang).load_failed
            ));
            app.load = Load::Failed(why);
        }
    }
    true
}

/// Exports the current view and tells the user where it went (or why it failed).
pub fn export_screen(app: &mut App, folder: &std::path::Path) {
    let s = strings::strings(&app.lang);
    let Some(sheet) = views::sheet(app) else {
        return;
    };
    app.message = Some(match export::export(&sheet, folder) {
        Ok(path) => format!("{} {}", s.exported, path.display()),
        Err(e) => format!("{}: {e}", s.export_failed),
    });
}
