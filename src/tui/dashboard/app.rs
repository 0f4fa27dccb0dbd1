//! The dashboards' state. [`update`](App::update) turns an action into a change of state and
//! an [`Effect`] for the event loop (recompute, reload, export); drawing only reads the state.

use std::sync::Arc;

use super::data::Derived;
use super::filter_panel::FilterPanel;
use super::keymap::{Action, Mode};
use super::strings::other_language;
use super::theme::Theme;
use crate::quality::QualityReport;
use crate::questionnaire::{Form, QuestionType};
use crate::stats::StatsReport;
use crate::store::ResponseFilter;

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Fieldwork,
    Questions,
    Municipalities,
    Barriers,
    Indices,
    Quality,
}

/// Every view, in tab order.
pub const VIEWS: [View; 6] = [
    View::Fieldwork,
    View::Questions,
    View::Municipalities,
    View::Barriers,
    View::Indices,
    View::Quality,
];

/// How far loading has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// Files read so far, of how many.
    Reading {
        done: usize,
        total: usize,
    },
    /// Files read; statistics being computed.
    Computing,
    Ready,
    Failed(String),
}

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    Redraw,
    /// Compute the figures again with this filter (on the loader thread).
    Recompute(ResponseFilter),
    /// Read the files again.
    Reload,
    /// Write what is on screen to a CSV file.
    Export,
    Quit,
}

/// The column the Municipalities table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Oblast,
    Base,
    Figure,
}

/// The Municipalities view's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalitiesState {
    /// Index into [`subjects`].
    pub subject: usize,
    /// The option whose share is the key figure (choice questions).
    pub option: usize,
    pub sort: SortKey,
    pub descending: bool,
    pub row: usize,
}

/// What the Municipalities view can show: a question or an index of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Question(usize),
    Index(usize),
}

/// The questions and indices that have a figure per municipality.
pub fn subjects(report: &StatsReport) -> Vec<Subject> {
    let questions = report.questions.iter().enumerate().filter(|(_, q)| {
        matches!(
            q.kind,
            QuestionType::Single
                | QuestionType::Multiple
                | QuestionType::Scale
                | QuestionType::Integer
                | QuestionType::Decimal
        )
    });
    questions
        .map(|(i, _)| Subject::Question(i))
        .chain((0..report.indices.len()).map(Subject::Index))
        .collect()
}

/// The whole state of the dashboards.
#[derive(Debug, Clone)]
pub struct App {
    pub form: Arc<Form>,
    pub lang: String,
    pub theme: Theme,
    pub view: View,
    /// The filter of the figures on screen (or being computed).
    pub filter: ResponseFilter,
    pub panel: Option<FilterPanel>,
    pub help: bool,
    pub load: Load,
    pub data: Option<Arc<Derived>>,
    /// A one-line message for the footer (export path, errors).
    pub message: Option<String>,
    /// Selected question in the Questions list (index into the filtered list).
    pub question: usize,
    /// The search text of the Questions list, and whether it is being typed.
    pub search: String,
    pub typing: bool,
    pub municipalities: MunicipalitiesState,
    /// The multiple question shown in the Barriers view (index into the report's questions).
    pub barrier_question: Option<usize>,
    /// First municipality column of the heat table.
    pub heat_column: usize,
    pub index: usize,
    /// Scroll position of the Fieldwork and Quality lists.
    pub scroll: usize,
    /// The data-quality flags of the current filter, once computed.
    pub quality: Option<Arc<Result<QualityReport, String>>>,
}

impl App {
    /// A fresh state, before any data has arrived.
    pub fn new(form: Arc<Form>, lang: &str, theme: Theme) -> Self {
        let lang = if form.languages().iter().any(|l| l == lang) {
            lang.to_owned()
        } else {
            form.default_language().to_owned()
        };
        Self {
            form,
            lang,
            theme,
            view: View::Fieldwork,
            filter: ResponseFilter::default(),
            panel: None,
            help: false,
            load: Load::Reading { done: 0, total: 0 },
            data: None,
            message: None,
            question: 0,
            search: String::new(),
            typing: false,
            municipalities: MunicipalitiesState {
                subject: 0,
                option: 0,
                sort: SortKey::Name,
                descending: false,
                row: 0,
            },
            barrier_question: None,
            heat_column: 0,
            index: 0,
            scroll: 0,
            quality: None,
        }
    }

    /// The views offered as tabs.
    pub fn views(&self) -> &'static [View] {
        &VIEWS
    }

    /// Whether keys go to a text field.
    pub fn mode(&self) -> Mode {
        if self.typing {
            Mode::Typing
        } else {
            Mode::Commands
        }
    }

    /// Takes figures computed by the loader; they are shown only if they belong to the
    /// current filter (a newer filter may have been chosen meanwhile).
    pub fn receive(&mut self, derived: Derived) {
        if derived.filter != self.filter {
            return;
        }
        if self.data.is_none() {
            self.municipalities.subject = default_subject(&derived.report);
        }
        if self.barrier_question.is_none() {
            self.barrier_question = default_barrier_question(&derived.report);
        }
        self.data = Some(Arc::new(derived));
        self.load = Load::Ready;
    }

    /// Changes the state for `action`.
    pub fn update(&mut self, action: Action) -> Effect {
        if action == Action::Quit {
            return Effect::Quit;
        }
        if self.help {
            self.help = false;
            return Effect::Redraw;
        }
        if self.panel.is_some() {
            return self.update_panel(action);
        }
        if self.typing {
            return self.update_search(action);
        }
        self.message = None;
        match action {
            Action::NextView => self.switch_view(1),
            Action::PreviousView => self.switch_view(-1),
            Action::GoToView(i) => {
                if let Some(&v) = self.views().get(i) {
                    self.view = v;
                    self.scroll = 0;
                }
            }
            Action::Help => self.help = true,
            Action::ToggleLanguage => self.lang = other_language(&self.lang).to_owned(),
            Action::OpenFilters => self.panel = Some(FilterPanel::new(&self.filter)),
            Action::ClearFilters => return self.apply_filter(ResponseFilter::default()),
            Action::Export => return Effect::Export,
            Action::Reload => {
                self.load = Load::Reading { done: 0, total: 0 };
                return Effect::Reload;
            }
            Action::Back => return Effect::Quit,
            Action::Search if self.view == View::Questions => {
                self.typing = true;
            }
            other => super::navigate::navigate(self, other),
        }
        Effect::Redraw
    }

    fn switch_view(&mut self, delta: isize) {
        let views = self.views();
        let at = views.iter().position(|v| *v == self.view).unwrap_or(0) as isize;
        self.view = views[(at + delta).rem_euclid(views.len() as isize) as usize];
        self.scroll = 0;
    }

    fn update_search(&mut self, action: Action) -> Effect {
        match action {
            Action::Type(c) => self.search.push(c),
            Action::Delete => {
                self.search.pop();
            }
            Action::Back => {
                self.search.clear();
                self.typing = false;
            }
            Action::Confirm => self.typing = false,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                super::navigate::navigate(self, action)
            }
            _ => return Effect::Nothing,
        }
        if matches!(action, Action::Type(_) | Action::Delete | Action::Back) {
            self.question = 0;
        }
        Effect::Redraw
    }

    fn update_panel(&mut self, action: Action) -> Effect {
        let choices = self
            .data
            .as_ref()
            .map(|d| d.choices.clone())
            .unwrap_or_default();
        let Some(panel) = self.panel.as_mut() else {
            return Effect::Nothing;
        };
        match action {
            Action::Up => panel.move_field(-1),
            Action::Down => panel.move_field(1),
            Action::Left => panel.step(-1, &choices),
            Action::Right | Action::Type(' ') => panel.step(1, &choices),
            Action::Delete => panel.clear_field(),
            Action::ClearFilters => panel.draft = ResponseFilter::default(),
            Action::Back | Action::OpenFilters => self.panel = None,
            Action::Confirm => {
                let draft = panel.draft.clone();
                self.panel = None;
                return self.apply_filter(draft);
            }
            Action::ToggleLanguage => self.lang = other_language(&self.lang).to_owned(),
            _ => return Effect::Nothing,
        }
        Effect::Redraw
    }

    /// Sets the filter; the figures are recomputed unless it did not change.
    pub fn apply_filter(&mut self, filter: ResponseFilter) -> Effect {
        if filter == self.filter {
            return Effect::Redraw;
        }
        self.filter = filter.clone();
        self.quality = None;
        if self.data.is_some() {
            self.load = Load::Computing;
        }
        Effect::Recompute(filter)
    }
}

/// The subject the Municipalities view starts on: the first question whose answers differ
/// significantly between municipalities (the interesting ones), else the first.
pub fn default_subject(report: &StatsReport) -> usize {
    subjects(report)
        .iter()
        .position(|s| match s {
            Subject::Question(i) => report.questions[*i]
                .chi_square
                .as_ref()
                .is_some_and(|c| c.p_value < 0.05),
            Subject::Index(_) => false,
        })
        .unwrap_or(0)
}

/// The multiple question the Barriers view starts on: one whose id or choice list names
/// barriers, else the multiple question with the most options.
pub fn default_barrier_question(report: &StatsReport) -> Option<usize> {
    let multiple = || {
        report
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind == QuestionType::Multiple)
    };
    multiple()
        .find(|(_, q)| q.id.contains("barrier"))
        .or_else(|| multiple().max_by_key(|(_, q)| q.overall.options.len()))
        .map(|(i, _)| i)
}
