//! The terminal interface. Only this module knows ratatui and crossterm.
//!
//! The Elm architecture, as in ratatui's examples: [`keymap`] turns key presses into
//! [`action::Action`]s, [`app::App::update`] changes state and says whether to redraw, drawing
//! only reads state. The loop blocks on the next key; while a save or the reading of the home
//! screen's lists is under way it also wakes every 50 ms to show the result. Both run on
//! threads ([`saver`], [`screens::home::load`]), so the screen never waits for the disk. The terminal is restored on every exit, a panic included (ratatui's
//! `init` installs a panic hook that restores it before the message is printed).

pub mod action;
pub mod app;
pub mod dashboard;
pub mod export_screen;
pub mod forms;
pub mod keymap;
pub mod quota;
pub mod saver;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::time::Duration;

use anyhow::Context;
use crossterm::event;

use crate::paths::Paths;
use crate::questionnaire::Form;
use app::{App, External};
use screens::Notice;

/// Opens the home screen.
pub fn run_home(paths: &Paths) -> anyhow::Result<()> {
    run(App::new(paths)?)
}

/// Opens the start of a new interview of `form`; the home screen follows.
pub fn run_interview(paths: &Paths, form: Form) -> anyhow::Result<()> {
    run(App::for_interview(paths, form)?)
}

fn run(mut app: App) -> anyhow::Result<()> {
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // Raw mode may be on even though the alternate screen failed.
            ratatui::restore();
            return Err(e)
                .context("cannot open the terminal (anketa needs an interactive terminal)");
        }
    };
    // Bracketed paste delivers a paste as one event, so its line breaks are not Enter presses.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app);
    app.shutdown();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let mut redraw = true;
    while !app.should_quit() {
        if redraw {
            terminal.draw(|frame| app.draw(frame))?;
            redraw = false;
        }
        let ready = if app.is_busy() {
            event::poll(Duration::from_millis(50))?
        } else {
            true
        };
        if ready {
            redraw |= app.handle_event(&event::read()?);
        }
        redraw |= app.poll_background();
        if let Some(external) = app.take_external() {
            let lang = app.lang.clone();
            let outcome = match &external {
                External::Dashboard(form) => dashboard::run(terminal, form, &app.store, &lang),
                External::Export(form) => export_screen::run(terminal, form, &app.store, &lang),
            };
            app.back_home(outcome.err().map(|e| Notice::Error(format!("{e:#}"))));
            terminal.clear()?;
            redraw = true;
        }
    }
    Ok(())
}
