//! The question list (F3, Ctrl+G or `/`): every question with its code, whether it is answered,
//! and incremental search, to jump to any question during the interview or from the review.
//!
//! Search folds case and script (`doverie`, `ДОВЕРИЕ` and `доверие` meet), as the municipality
//! search does, and looks at the code, the question in every language and the answer. Questions
//! that skip logic leaves out stay in the list, marked and dimmed, so the interviewer sees why
//! a question is missing; Enter on one explains instead of jumping.
//!
//! Many questions start alike ("През последните 12 месеца…"): a row drops the words it shares
//! with its neighbours and shows "…" and the part that tells it apart.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState};
use unicode_width::UnicodeWidthStr;

use super::review::answer_text;
use crate::interview::Interview;
use crate::municipality::fold;
use crate::questionnaire::codes::question_codes;
use crate::tui::action::Action;
use crate::tui::strings::{Strings, fill};
use crate::tui::widgets::EditLine;
use crate::tui::{theme, ui};

/// One question in the list, worked out when the list opens.
#[derive(Debug, Clone)]
pub struct Entry {
    pub position: usize,
    pub code: String,
    /// The question without the words it shares with its neighbours.
    pub text: String,
    pub answer: Option<String>,
    /// Whether skip logic asks it, given the answers so far.
    pub relevant: bool,
    /// Code, id, question in every language and answer, folded, for the search.
    key: String,
}

/// The open question list.
#[derive(Debug, Clone)]
pub struct JumpList {
    pub query: EditLine,
    entries: Vec<Entry>,
    /// Indices into `entries` that match the query.
    matches: Vec<usize>,
    /// Index into `matches`.
    pub cursor: usize,
    /// The question on screen when the list opened.
    current: Option<usize>,
    /// Set when Enter was pressed on a question skip logic leaves out.
    pub not_asked: bool,
}

/// What a key did to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JumpEffect {
    Unchanged,
    Redraw,
    Close,
    /// Go to the question at this position.
    Go(usize),
}

impl JumpList {
    /// The list for `interview` in `lang`, the question on screen highlighted.
    pub fn open(interview: &Interview, lang: &str) -> Self {
        let form = interview.form();
        let codes = question_codes(form.questionnaire());
        let questions = form.questions();
        let positions: Vec<usize> = (0..questions.len())
            .filter(|&p| questions[p].kind.is_answerable())
            .collect();
        let labels: Vec<&str> = positions
            .iter()
            .map(|&p| questions[p].label.get(lang))
            .collect();
        let entries: Vec<Entry> = positions
            .iter()
            .enumerate()
            .map(|(i, &position)| {
                let question = &questions[position];
                let answer = interview
                    .answer(position)
                    .map(|a| answer_text(interview, position, a, lang));
                let code = codes.get(position).cloned().unwrap_or_default();
                let mut key = fold(&code);
                key.push(' ');
                key.push_str(&question.id);
                for label in question.label.0.values() {
                    key.push(' ');
                    key.push_str(&fold(label));
                }
                if let Some(answer) = &answer {
                    key.push(' ');
                    key.push_str(&fold(answer));
                }
                Entry {
                    position,
                    code,
                    text: distinct_part(&labels, i),
                    answer,
                    relevant: interview.is_relevant(position),
                    key,
                }
            })
            .collect();
        let current = interview.current().map(|(p, _)| p);
        let cursor = current
            .and_then(|c| entries.iter().position(|e| e.position == c))
            .unwrap_or(0);
        Self {
            query: EditLine::new(""),
            matches: (0..entries.len()).collect(),
            entries,
            cursor,
            current,
            not_asked: false,
        }
    }

    /// The questions that match the query, in questionnaire order.
    pub fn matches(&self) -> impl Iterator<Item = &Entry> {
        self.matches.iter().filter_map(|&i| self.entries.get(i))
    }

    /// The highlighted question.
    pub fn selected(&self) -> Option<&Entry> {
        self.matches
            .get(self.cursor)
            .and_then(|&i| self.entries.get(i))
    }

    /// Applies one key.
    pub fn update(&mut self, action: Action) -> JumpEffect {
        let last = self.matches.len().saturating_sub(1);
        let before = self.cursor;
        self.not_asked = false;
        match action {
            Action::Back | Action::Jump => return JumpEffect::Close,
            Action::Confirm => {
                return match self.selected() {
                    Some(entry) if entry.relevant => JumpEffect::Go(entry.position),
                    Some(_) => {
                        self.not_asked = true;
                        JumpEffect::Redraw
                    }
                    None => JumpEffect::Unchanged,
                };
            }
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::PageDown => self.cursor = (self.cursor + 10).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            action => {
                if !self.query.apply(action) {
                    return JumpEffect::Unchanged;
                }
                self.refilter();
                return JumpEffect::Redraw;
            }
        }
        if before == self.cursor {
            JumpEffect::Unchanged
        } else {
            JumpEffect::Redraw
        }
    }

    /// Keeps the questions whose code, text or answer contain every word of the query, and
    /// highlights the first one that can be jumped to.
    fn refilter(&mut self) {
        let words: Vec<String> = self.query.text().split_whitespace().map(fold).collect();
        self.matches = (0..self.entries.len())
            .filter(|&i| {
                words
                    .iter()
                    .all(|w| self.entries[i].key.contains(w.as_str()))
            })
            .collect();
        self.cursor = self
            .matches
            .iter()
            .position(|&i| self.entries[i].relevant)
            .unwrap_or(0);
    }

    /// Draws the list over the screen.
    pub fn draw(&self, frame: &mut Frame, s: &Strings) {
        let screen = frame.area();
        let area = Rect {
            x: screen.x + 1,
            y: screen.y + 1,
            width: screen.width.saturating_sub(2),
            height: screen.height.saturating_sub(2),
        };
        frame.render_widget(Clear, area);
        let count = fill(
            s.jump_count,
            &[
                &self.matches.len().to_string(),
                &self.entries.len().to_string(),
            ],
        );
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(Line::styled(
                format!(" {} ", s.jump_title),
                theme::heading(),
            ))
            .title(Line::styled(format!(" {count} "), theme::dim()).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [search, list_area, message, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let prompt_w = u16::try_from(s.jump_search.width()).unwrap_or(8) + 1;
        let [prompt, field] =
            Layout::horizontal([Constraint::Length(prompt_w), Constraint::Min(1)]).areas(search);
        frame.render_widget(Span::styled(s.jump_search, theme::label()), prompt);
        let cursor = self.query.render(field, frame.buffer_mut(), theme::field());
        frame.set_cursor_position(cursor);
        let width = usize::from(list_area.width);
        let items: Vec<ListItem> = self.matches().map(|e| self.row(e, s, width)).collect();
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme::highlight()),
            list_area,
            &mut state,
        );
        let note = if self.not_asked {
            Span::styled(s.jump_not_asked, theme::warning())
        } else if self.matches.is_empty() {
            Span::styled(s.jump_none, theme::warning())
        } else {
            Span::raw("")
        };
        frame.render_widget(note, message);
        frame.render_widget(Span::styled(s.jump_keys, theme::dim()), keys);
    }

    /// One row: mark, code, the distinguishing text and the answer.
    fn row<'a>(&self, e: &Entry, s: &Strings, width: usize) -> ListItem<'a> {
        let mark = if Some(e.position) == self.current {
            "▶"
        } else if !e.relevant {
            "–"
        } else if e.answer.is_some() {
            "✓"
        } else {
            "·"
        };
        let head = format!(" {mark} {:<4} ", e.code);
        let tail = match (&e.answer, e.relevant) {
            (_, false) => format!("  {}", s.jump_skipped),
            (Some(answer), true) => format!("  → {}", ui::truncate(answer, 24)),
            (None, true) => String::new(),
        };
        let room = width.saturating_sub(head.width() + tail.width());
        let text = ui::truncate(&e.text, room);
        let pad = " ".repeat(room.saturating_sub(text.width()));
        let style = if e.relevant {
            ratatui::style::Style::default()
        } else {
            theme::dim()
        };
        let tail_style = if e.relevant {
            theme::chosen()
        } else {
            theme::dim()
        };
        ListItem::new(Line::from(vec![
            Span::styled(head, theme::label()),
            Span::styled(format!("{text}{pad}"), style),
            Span::styled(tail, tail_style),
        ]))
    }
}

/// The label at `i` without the words (three or more) it shares at the start with the label
/// before or after it, replaced by "…".
pub fn distinct_part(labels: &[&str], i: usize) -> String {
    let Some(label) = labels.get(i) else {
        return String::new();
    };
    let shared = |other: Option<&&str>| {
        other.map_or(0, |o| {
            label
                .split_whitespace()
                .zip(o.split_whitespace())
                .take_while(|(a, b)| a == b)
                .count()
        })
    };
    let before = i.checked_sub(1).and_then(|j| labels.get(j));
    let common = shared(before).max(shared(labels.get(i + 1)));
    let words: Vec<&str> = label.split_whitespace().collect();
    // Keep at least two words, and drop only a real shared opening.
    if common < 3 || common + 2 > words.len() {
        return (*label).to_owned();
    }
    format!("…{}", words[common..].join(" "))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::questionnaire::catalog;

    fn interview() -> Interview {
        let form = Arc::new(catalog::default_form().unwrap());
        Interview::start(form, "Мария", "PDV22", "bg")
    }

    fn type_text(list: &mut JumpList, text: &str) {
        for c in text.chars() {
            list.update(Action::Insert(c));
        }
    }

    #[test]
    fn similar_questions_show_what_tells_them_apart() {
        let labels = [
            "През последните 12 месеца обръщали ли сте се към кмета?",
            "През последните 12 месеца подписвали ли сте петиция?",
            "Членувате ли в партия?",
        ];
        assert_eq!(distinct_part(&labels, 0), "…обръщали ли сте се към кмета?");
        assert_eq!(distinct_part(&labels, 1), "…подписвали ли сте петиция?");
        assert_eq!(distinct_part(&labels, 2), labels[2]);
    }

    #[test]
    fn search_folds_case_and_script_and_finds_codes() {
        let interview = interview();
        let mut list = JumpList::open(&interview, "bg");
        let all = list.matches().count();
        type_text(&mut list, "ПЕТИЦИЯ");
        let petition: Vec<String> = list.matches().map(|e| e.code.clone()).collect();
        assert!(!petition.is_empty() && petition.len() < all, "{petition:?}");
        list.update(Action::ClearLine);
        type_text(&mut list, "petitsi");
        let latin: Vec<String> = list.matches().map(|e| e.code.clone()).collect();
        assert_eq!(latin, petition, "Latin finds the Cyrillic text");
        list.update(Action::ClearLine);
        type_text(&mut list, "d2");
        assert_eq!(list.selected().unwrap().code, "D2");
        list.update(Action::ClearLine);
        type_text(&mut list, "zzzz");
        assert_eq!(list.matches().count(), 0);
        assert_eq!(list.update(Action::Confirm), JumpEffect::Unchanged);
    }

    #[test]
    fn questions_skip_logic_leaves_out_are_marked_not_jumped_to() {
        let interview = interview();
        let mut list = JumpList::open(&interview, "bg");
        // Before consent, everything after it is not asked.
        type_text(&mut list, "b1");
        let entry = list.selected().unwrap().clone();
        assert!(!entry.relevant);
        assert_eq!(list.update(Action::Confirm), JumpEffect::Redraw);
        assert!(list.not_asked);
        list.update(Action::ClearLine);
        type_text(&mut list, "a1");
        let consent = list.selected().unwrap().position;
        assert_eq!(list.update(Action::Confirm), JumpEffect::Go(consent));
    }
}
