//! The application: which screen is open, the language, the saver, and the moves between
//! screens. `update` changes state and says whether to redraw; `draw` only reads.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::Context;
use crossterm::event::Event;
use ratatui::Frame;

pub use super::forms::available_forms;

use super::action::Action;
use super::keymap::{self, Mode};
use super::quota::Quotas;
use super::saver::Saver;
use super::screens::home::{self, Home, HomeData};
use super::screens::interview::{self as interview_screen, InterviewScreen};
use super::screens::start::Start;
use super::screens::{Notice, Transition};
use super::strings::strings;
use super::ui;
use crate::config::Config;
use crate::interview::Interview;
use crate::paths::Paths;
use crate::questionnaire::Form;
use crate::store::{Response, Store, StoreError};

/// The languages the screens switch between with F2.
pub const LANGUAGES: [&str; 2] = ["bg", "en"];

/// The open screen.
#[derive(Debug)]
pub enum Screen {
    Home(Home),
    Start(Start),
    Interview(Box<InterviewScreen>),
}

/// A screen that needs the terminal itself (built elsewhere), opened by the event loop.
#[derive(Debug, Clone)]
pub enum External {
    Dashboard(Arc<Form>),
    Export(Arc<Form>),
}

/// The whole state of the interface.
#[derive(Debug)]
pub struct App {
    paths: Paths,
    pub store: Store,
    pub lang: String,
    config: Config,
    /// False when the settings file could not be read: it is then never overwritten.
    config_writable: bool,
    forms: Vec<Arc<Form>>,
    pub screen: Screen,
    pub help: bool,
    pub saver: Saver,
    /// The home screen's lists, being read on a thread.
    home_loader: Option<Receiver<HomeData>>,
    /// Progress against the targets, for the interview's quota warnings.
    quotas: Quotas,
    external: Option<External>,
    quit: bool,
}

impl App {
    /// The app on its home screen, with every questionnaire available.
    pub fn new(paths: &Paths) -> anyhow::Result<Self> {
        let (forms, problems) = available_forms(&paths.data_dir);
        let mut app = Self::with_forms(paths, forms)?;
        if let Some(problem) = problems.into_iter().next() {
            app.apply(Transition::Home(Some(Notice::Error(problem))));
        }
        Ok(app)
    }

    /// The app opened on the start of a new interview of `form`.
    pub fn for_interview(paths: &Paths, form: Form) -> anyhow::Result<Self> {
        let mut app = Self::with_forms(paths, vec![Arc::new(form)])?;
        app.apply(Transition::NewInterview);
        Ok(app)
    }

    fn with_forms(paths: &Paths, forms: Vec<Arc<Form>>) -> anyhow::Result<Self> {
        let store = Store::open(&paths.data_dir).context("cannot open the data folder")?;
        let (config, config_problem) = match Config::load(&paths.config_dir) {
            Ok(config) => (config, None),
            Err(e) => (Config::default(), Some(Notice::Error(e.to_string()))),
        };
        let lang = forms
            .first()
            .map(|f| f.default_language())
            .filter(|l| LANGUAGES.contains(l))
            .unwrap_or(LANGUAGES[0])
            .to_owned();
        let config_writable = config_problem.is_none();
        let home = Home::new(forms.clone(), config_problem);
        let mut app = Self {
            paths: paths.clone(),
            store,
            lang,
            config,
            config_writable,
            forms,
            screen: Screen::Home(home),
            help: false,
            saver: Saver::new(),
            home_loader: None,
            quotas: Quotas::default(),
            external: None,
            quit: false,
        };
        app.load_home();
        Ok(app)
    }

    /// Reads the home screen's lists on a thread; [`App::poll_background`] takes them in.
    fn load_home(&mut self) {
        let (tx, rx) = mpsc::channel();
        let forms = self.forms.clone();
        let store = self.store.clone();
        std::thread::spawn(move || {
            let _ = tx.send(home::load(&forms, &store));
        });
        self.home_loader = Some(rx);
    }

    /// Whether background work is under way whose result the screen waits for.
    pub fn is_busy(&self) -> bool {
        self.saver.pending() > 0 || self.home_loader.is_some() || self.quotas.is_loading()
    }

    fn take_home_data(&mut self, wait: Option<Duration>) -> bool {
        let Some(rx) = &self.home_loader else {
            return false;
        };
        let data = match wait {
            Some(timeout) => rx.recv_timeout(timeout).ok(),
            None => rx.try_recv().ok(),
        };
        let Some(data) = data else {
            return false;
        };
        self.home_loader = None;
        if let Screen::Home(home) = &mut self.screen {
            home.loaded(data);
        }
        true
    }

    /// Whether the app is done.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The keyboard focus of the open screen.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Choice;
        }
        match &self.screen {
            Screen::Home(_) => Mode::Choice,
            Screen::Start(start) => start.mode(),
            Screen::Interview(screen) => screen.mode(),
        }
    }

    /// Handles a terminal event; returns whether to redraw.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        if let Event::Paste(text) = event {
            let actions = keymap::actions_for_paste(text, self.mode());
            return actions
                .into_iter()
                .fold(false, |redraw, a| self.update(a) | redraw);
        }
        match keymap::action_for_event(event, self.mode()) {
            Some(action) => self.update(action),
            None => false,
        }
    }

    /// Applies one action; returns whether to redraw.
    pub fn update(&mut self, action: Action) -> bool {
        let redraw = self.dispatch(action);
        self.refresh_quota(false);
        redraw
    }

    /// Brings the open interview's quota warnings up to date (cheap when nothing changed).
    fn refresh_quota(&mut self, counts_changed: bool) {
        if let Screen::Interview(screen) = &mut self.screen {
            self.quotas.refresh(screen, &self.lang, counts_changed);
        }
    }

    fn dispatch(&mut self, action: Action) -> bool {
        // Ctrl+C quits from under the help too.
        if self.help && action == Action::Quit {
            self.help = false;
        }
        if self.help {
            if action == Action::ToggleLanguage {
                self.toggle_language();
                return true;
            }
            if matches!(
                action,
                Action::Back | Action::Help | Action::Confirm | Action::Insert('q')
            ) {
                self.help = false;
                return true;
            }
            return action == Action::Resize;
        }
        match action {
            Action::Resize => return true,
            Action::Help => {
                self.help = true;
                return true;
            }
            Action::ToggleLanguage => {
                self.toggle_language();
                return true;
            }
            _ => {}
        }
        let lang = self.lang.clone();
        let (redraw, transition) = match &mut self.screen {
            Screen::Home(home) => home.update(action),
            Screen::Start(start) => start.update(action),
            Screen::Interview(screen) => screen.update(action, &mut self.saver, &lang),
        };
        match transition {
            Some(t) => {
                self.apply(t);
                true
            }
            None => redraw,
        }
    }

    fn toggle_language(&mut self) {
        let next = if self.lang == LANGUAGES[0] {
            LANGUAGES[1]
        } else {
            LANGUAGES[0]
        };
        self.lang = next.to_owned();
        if let Screen::Interview(screen) = &mut self.screen {
            screen.set_language(next, &mut self.saver);
        }
    }

    /// Takes in finished saves and loaded lists; returns whether to redraw.
    pub fn poll_background(&mut self) -> bool {
        let results = self.saver.results();
        let saved = self.route_saves(results);
        let counted = self.quotas.poll(None);
        self.refresh_quota(counted);
        self.take_home_data(None) || saved || counted
    }

    /// Waits until every queued save has reported and the home lists are read (tests and
    /// shutdown).
    pub fn settle(&mut self) {
        let results = self.saver.wait(Duration::from_secs(10));
        self.route_saves(results);
        self.take_home_data(Some(Duration::from_secs(30)));
        let counted = self.quotas.poll(Some(Duration::from_secs(30)));
        self.refresh_quota(counted);
    }

    fn route_saves(&mut self, results: Vec<super::saver::Saved>) -> bool {
        let mut redraw = false;
        for saved in results {
            redraw = true;
            let transition = match &mut self.screen {
                Screen::Interview(screen) => screen.on_saved(&saved),
                _ => match saved.result {
                    Err(e) => Some(Transition::Home(Some(Notice::Error(e)))),
                    Ok(_) => None,
                },
            };
            if let Some(t) = transition {
                self.apply(t);
            }
        }
        redraw
    }

    /// The screen that needs the terminal, if one was asked for.
    pub fn take_external(&mut self) -> Option<External> {
        self.external.take()
    }

    /// Back to the home screen after an external screen, reloading the lists.
    pub fn back_home(&mut self, notice: Option<Notice>) {
        self.apply(Transition::Home(notice));
    }

    /// Carries out a move between screens.
    pub fn apply(&mut self, transition: Transition) {
        if let (Transition::Home(Some(Notice::Completed)), Screen::Interview(screen)) =
            (&transition, &self.screen)
        {
            self.quotas.record_completed(screen.interview.response());
        }
        match transition {
            Transition::Home(notice) => {
                self.screen = Screen::Home(Home::new(self.forms.clone(), notice));
                self.load_home();
            }
            Transition::NewInterview => {
                let data_dir = self.paths.data_dir.clone();
                self.quotas.start(&self.forms, &self.store, data_dir);
                let start = Start::new(self.forms.clone(), self.config.interviewer.as_deref());
                self.screen = Screen::Start(start);
            }
            Transition::Begin {
                form,
                interviewer,
                municipality,
            } => {
                self.remember_interviewer(&interviewer);
                let interview = Interview::start(form, &interviewer, &municipality, &self.lang);
                self.open_interview(interview, false);
            }
            Transition::Resume(response, form) => self.open(*response, form, false),
            Transition::Reopen(response, form) => self.open(*response, form, true),
            Transition::Dashboard(form) => self.external = Some(External::Dashboard(form)),
            Transition::Export(form) => self.external = Some(External::Export(form)),
            Transition::Quit => self.quit = true,
        }
    }

    fn open(&mut self, response: Response, form: Arc<Form>, reopen: bool) {
        let mut interview = Interview::resume(form, response);
        if reopen {
            interview.reopen();
        }
        interview.set_language(&self.lang);
        self.open_interview(interview, true);
    }

    fn open_interview(&mut self, interview: Interview, existing: bool) {
        let lock = match self.store.lock_response(interview.response().id) {
            Ok(lock) => Some(lock),
            Err(StoreError::Locked(_)) if existing => {
                self.apply(Transition::Home(Some(Notice::Locked)));
                return;
            }
            // Without a lock file the interview still works; only the guard is missing.
            Err(_) => None,
        };
        let mut screen = InterviewScreen::new(interview, self.store.clone(), lock, &self.lang);
        screen.save_now(&mut self.saver);
        self.screen = Screen::Interview(Box::new(screen));
        self.refresh_quota(false);
    }

    fn remember_interviewer(&mut self, name: &str) {
        if self.config.interviewer.as_deref() != Some(name) {
            self.config.interviewer = Some(name.to_owned());
            // Failing to remember a name must not stop an interview.
            if self.config_writable {
                let _ = self.config.save(&self.paths.config_dir);
            }
        }
    }

    /// Saves the open draft and waits for every save. Called once on the way out.
    pub fn shutdown(&mut self) {
        if let Screen::Interview(screen) = &mut self.screen
            && !screen.is_leaving()
        {
            screen.interview.pause();
            screen.save_now(&mut self.saver);
        }
        self.settle();
    }

    /// Draws the open screen, the help on top when open.
    pub fn draw(&self, frame: &mut Frame) {
        self.draw_screen(frame);
        ui::make_inert(frame.buffer_mut());
    }

    fn draw_screen(&self, frame: &mut Frame) {
        let s = strings(&self.lang);
        if ui::too_small(frame.area()) {
            ui::draw_too_small(frame, s);
            return;
        }
        match &self.screen {
            Screen::Home(home) => home.draw(frame, &self.lang),
            Screen::Start(start) => start.draw(frame, &self.lang),
            Screen::Interview(screen) => interview_screen::draw(frame, screen, &self.lang),
        }
        if self.help {
            ui::draw_help(frame, s);
        }
    }
}
