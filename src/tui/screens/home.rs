//! The home screen: new interview, drafts to resume, completed interviews to reopen,
//! dashboards, export, quit.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::{Notice, Transition};
use crate::interview::Interview;
use crate::municipality;
use crate::questionnaire::Form;
use crate::store::{Response, Status, Store, filter::sofia};
use crate::tui::action::Action;
use crate::tui::strings::{Strings, fill, strings};
use crate::tui::{theme, ui};

/// The entries of the main menu, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    New,
    Drafts,
    Completed,
    Dashboards,
    Export,
    Quit,
}

const MENU: [MenuItem; 6] = [
    MenuItem::New,
    MenuItem::Drafts,
    MenuItem::Completed,
    MenuItem::Dashboards,
    MenuItem::Export,
    MenuItem::Quit,
];

/// What the home screen shows: the menu, or one of its two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Menu,
    Drafts,
    Completed,
}

/// One stored interview in a list.
#[derive(Debug, Clone)]
pub struct Summary {
    pub response: Response,
    pub form: Arc<Form>,
    pub answered: usize,
    pub asked: usize,
}

/// The home screen.
#[derive(Debug)]
pub struct Home {
    forms: Vec<Arc<Form>>,
    pub menu: usize,
    pub view: View,
    pub cursor: usize,
    pub drafts: Vec<Summary>,
    pub completed: Vec<Summary>,
    /// Files that could not be read.
    pub problems: usize,
    pub notice: Option<Notice>,
    /// Set while asking whether to delete the highlighted draft.
    pub confirm_delete: bool,
    /// The interviewer named in deletions (the remembered name).
    by: String,
    /// True until the lists have been read.
    pub loading: bool,
}

/// The drafts and completed interviews of every questionnaire, newest first.
#[derive(Debug, Default)]
pub struct HomeData {
    pub drafts: Vec<Summary>,
    pub completed: Vec<Summary>,
    /// Files that could not be read (left untouched).
    pub problems: usize,
    /// Why a folder could not be read at all.
    pub error: Option<String>,
}

/// Reads the lists of the home screen from `store`. Slow with many files: the app runs it on
/// a thread.
pub fn load(forms: &[Arc<Form>], store: &Store) -> HomeData {
    let mut data = HomeData::default();
    for form in forms {
        let report = match store.load(form) {
            Ok(report) => report,
            Err(e) => {
                data.error = Some(e.to_string());
                continue;
            }
        };
        data.problems += crate::store::skipped_files(&report.problems);
        for response in report.responses {
            let interview = Interview::resume(Arc::clone(form), response);
            let (answered, asked) = interview.progress();
            let summary = Summary {
                response: interview.into_response(),
                form: Arc::clone(form),
                answered,
                asked,
            };
            match summary.response.status {
                Status::Draft => data.drafts.push(summary),
                Status::Complete => data.completed.push(summary),
            }
        }
    }
    data.drafts
        .sort_by_key(|x| std::cmp::Reverse(x.response.updated_at));
    data.completed
        .sort_by_key(|x| std::cmp::Reverse(x.response.updated_at));
    data
}

impl Home {
    /// The home screen; its lists arrive later through [`Home::loaded`] (see [`load`]).
    pub fn new(forms: Vec<Arc<Form>>, notice: Option<Notice>) -> Self {
        Self::for_interviewer(forms, notice, "")
    }

    /// The home screen of interviewer `by` (named in the trail of a draft they delete).
    pub fn for_interviewer(forms: Vec<Arc<Form>>, notice: Option<Notice>, by: &str) -> Self {
        Self {
            forms,
            menu: 0,
            view: View::Menu,
            cursor: 0,
            drafts: Vec::new(),
            completed: Vec::new(),
            problems: 0,
            notice,
            confirm_delete: false,
            by: by.to_owned(),
            loading: true,
        }
    }

    /// Takes in the lists read in the background.
    pub fn loaded(&mut self, data: HomeData) {
        self.drafts = data.drafts;
        self.completed = data.completed;
        self.problems = data.problems;
        if let Some(error) = data.error {
            self.notice = Some(Notice::Error(error));
        }
        self.loading = false;
        self.cursor = self.cursor.min(self.list().len().saturating_sub(1));
    }

    fn list(&self) -> &[Summary] {
        match self.view {
            View::Drafts => &self.drafts,
            View::Completed => &self.completed,
            View::Menu => &[],
        }
    }

    /// Handles one action; returns whether to redraw and where to go.
    pub fn update(&mut self, action: Action) -> (bool, Option<Transition>) {
        if self.confirm_delete {
            return self.update_confirm(action);
        }
        match self.view {
            View::Menu => self.update_menu(action),
            View::Drafts | View::Completed => self.update_list(action),
        }
    }

    fn update_menu(&mut self, action: Action) -> (bool, Option<Transition>) {
        let last = MENU.len() - 1;
        match action {
            Action::Up => self.menu = self.menu.saturating_sub(1),
            Action::Down => self.menu = (self.menu + 1).min(last),
            Action::Home => self.menu = 0,
            Action::End => self.menu = last,
            Action::Digit(d) if (1..=MENU.len()).contains(&usize::from(d)) => {
                self.menu = usize::from(d) - 1;
                return self.open(MENU[self.menu]);
            }
            Action::Confirm => return self.open(MENU[self.menu]),
            Action::Quit | Action::Insert('q') => return (false, Some(Transition::Quit)),
            _ => return (false, None),
        }
        (true, None)
    }

    fn open(&mut self, item: MenuItem) -> (bool, Option<Transition>) {
        self.notice = None;
        let form = self.forms.first().cloned();
        let go = match (item, form) {
            (MenuItem::New, _) => Transition::NewInterview,
            (MenuItem::Drafts, _) => {
                self.view = View::Drafts;
                self.cursor = 0;
                return (true, None);
            }
            (MenuItem::Completed, _) => {
                self.view = View::Completed;
                self.cursor = 0;
                return (true, None);
            }
            (MenuItem::Dashboards, Some(form)) => Transition::Dashboard(form),
            (MenuItem::Export, Some(form)) => Transition::Export(form),
            (MenuItem::Quit, _) => Transition::Quit,
            (_, None) => return (true, None),
        };
        (true, Some(go))
    }

    fn update_list(&mut self, action: Action) -> (bool, Option<Transition>) {
        let last = self.list().len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::PageDown => self.cursor = (self.cursor + 10).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::Back | Action::Insert('q') => self.view = View::Menu,
            Action::Quit => return (false, Some(Transition::Quit)),
            Action::Delete | Action::Insert('d' | 'D' | 'и' | 'И')
                if self.view == View::Drafts && !self.drafts.is_empty() =>
            {
                self.confirm_delete = true;
            }
            // The list holds copies read when it was drawn: only the id goes on, and the
            // interview is read again from its file (under its lock, to change it).
            Action::Confirm => {
                let target = self.list().get(self.cursor).map(|s| {
                    let (id, form) = (s.response.id, Arc::clone(&s.form));
                    match self.view {
                        View::Completed => Transition::View(id, form),
                        _ => Transition::Resume(id, form),
                    }
                });
                return (false, target);
            }
            _ => return (false, None),
        }
        (true, None)
    }

    fn update_confirm(&mut self, action: Action) -> (bool, Option<Transition>) {
        let yes = match action {
            Action::Quit => return (false, Some(Transition::Quit)),
            Action::Confirm => true,
            Action::Insert(c) if ui::is_yes(c) => true,
            Action::Back => false,
            Action::Insert(c) if ui::is_no(c) => false,
            _ => return (false, None),
        };
        self.confirm_delete = false;
        match self.drafts.get(self.cursor).filter(|_| yes) {
            Some(s) => (
                true,
                Some(Transition::Delete {
                    id: s.response.id,
                    form: Arc::clone(&s.form),
                    by: self.by.clone(),
                }),
            ),
            None => (true, None),
        }
    }

    /// Draws the home screen.
    pub fn draw(&self, frame: &mut Frame, lang: &str) {
        let s = strings(lang);
        let [title, _, body, notice, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(2),
            Constraint::Length(2),
        ])
        .areas(frame.area());
        let heading = self.forms.first().map_or(String::new(), |f| {
            f.questionnaire().title.get(lang).to_owned()
        });
        ui::draw_title(frame, title, &format!("anketa · {heading}"), s.lang_badge);
        let body = Rect {
            x: body.x + 2,
            width: body.width.saturating_sub(4),
            ..body
        };
        match self.view {
            View::Menu => self.draw_menu(frame, body, s),
            View::Drafts | View::Completed => self.draw_list(frame, body, lang),
        }
        self.draw_notice(frame, notice, s);
        let keys = match self.view {
            View::Menu => s.keys_home,
            View::Drafts => s.keys_drafts,
            View::Completed => s.keys_list,
        };
        ui::draw_footer(frame, footer, keys);
        if self.confirm_delete {
            ui::draw_dialog(frame, s.confirm_delete, s, true);
        }
    }

    fn draw_menu(&self, frame: &mut Frame, area: Rect, s: &Strings) {
        let items: Vec<ListItem> = MENU
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let text = match item {
                    MenuItem::New => s.new_interview.to_owned(),
                    MenuItem::Drafts => fill(s.drafts, &[&self.count(self.drafts.len())]),
                    MenuItem::Completed => fill(s.completed, &[&self.count(self.completed.len())]),
                    MenuItem::Dashboards => s.dashboards.to_owned(),
                    MenuItem::Export => s.export.to_owned(),
                    MenuItem::Quit => s.quit.to_owned(),
                };
                ListItem::new(Line::from(vec![
                    Span::styled(format!(" {} ", i + 1), theme::label()),
                    Span::raw(text),
                ]))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.menu));
        frame.render_stateful_widget(
            List::new(items)
                .highlight_style(theme::highlight())
                .highlight_symbol("▶ "),
            area,
            &mut state,
        );
    }

    /// A list's size, or an ellipsis while it is being read.
    fn count(&self, n: usize) -> String {
        if self.loading {
            "…".to_owned()
        } else {
            n.to_string()
        }
    }

    fn draw_list(&self, frame: &mut Frame, area: Rect, lang: &str) {
        let s = strings(lang);
        let (heading, empty) = match self.view {
            View::Drafts => (
                fill(s.drafts, &[&self.drafts.len().to_string()]),
                s.no_drafts,
            ),
            _ => (
                fill(s.completed, &[&self.completed.len().to_string()]),
                s.no_completed,
            ),
        };
        let [head, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        frame.render_widget(Span::styled(heading, theme::heading()), head);
        if self.list().is_empty() {
            frame.render_widget(Span::styled(empty, theme::dim()), list);
            return;
        }
        let items: Vec<ListItem> = self
            .list()
            .iter()
            .map(|x| summary_line(x, lang, s))
            .collect();
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(
            List::new(items)
                .highlight_style(theme::highlight())
                .highlight_symbol("▶ "),
            list,
            &mut state,
        );
    }

    fn draw_notice(&self, frame: &mut Frame, area: Rect, s: &Strings) {
        let (text, style) = match &self.notice {
            Some(Notice::Paused) => (s.paused_msg.to_owned(), theme::ok()),
            Some(Notice::Completed) => (s.completed_msg.to_owned(), theme::ok()),
            Some(Notice::Ended(outcome)) => (
                fill(s.ended_msg, &[outcome.code(), outcome.label(s.lang)]),
                theme::ok(),
            ),
            Some(Notice::Deleted(path)) => (
                fill(s.deleted_msg, &[&path.display().to_string()]),
                theme::ok(),
            ),
            Some(Notice::Locked) => (s.locked.to_owned(), theme::error()),
            Some(Notice::Error(e)) => (e.clone(), theme::error()),
            None if self.problems > 0 => (s.unreadable_files.fill(self.problems), theme::warning()),
            None => return,
        };
        frame.render_widget(
            Paragraph::new(format!("  {text}"))
                .style(style)
                .wrap(Wrap { trim: false }),
            area,
        );
    }
}

fn summary_line<'a>(summary: &Summary, lang: &str, s: &Strings) -> ListItem<'a> {
    let r = &summary.response;
    let when = r
        .updated_at
        .to_zoned(sofia())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let place = municipality::bundled()
        .get(&r.municipality)
        .map_or(r.municipality.clone(), |m| m.name(lang).to_owned());
    let count = fill(
        s.answers_count.form(summary.asked),
        &[&summary.answered.to_string(), &summary.asked.to_string()],
    );
    ListItem::new(Line::from(vec![
        Span::styled(format!("{when}  "), theme::dim()),
        Span::raw(format!("{}  ·  {place}  ", r.interviewer)),
        Span::styled(count, theme::label()),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn lists_arrive_after_loading_sorted_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = Arc::new(catalog::default_form().unwrap());
        let old = Response::new(&form, "Мария", "PDV22", "bg");
        let mut new = Response::new(&form, "Петър", "SOF46", "bg");
        new.updated_at = old.updated_at + jiff::SignedDuration::from_secs(60);
        let mut done = Response::new(&form, "Иван", "VAR06", "en");
        done.status = Status::Complete;
        for r in [&old, &new, &done] {
            store.save(r).unwrap();
        }
        let mut home = Home::new(vec![Arc::clone(&form)], None);
        assert!(home.loading);
        assert_eq!(home.count(0), "…");
        home.loaded(load(&[form], &store));
        assert!(!home.loading);
        let drafts: Vec<&str> = home
            .drafts
            .iter()
            .map(|s| s.response.interviewer.as_str())
            .collect();
        assert_eq!(drafts, ["Петър", "Мария"]);
        assert_eq!(home.completed.len(), 1);
        assert_eq!(home.count(2), "2");
    }
}
