//! Moving selections within a view: rows, questions, options, sort order.

use super::app::{App, SortKey, View, subjects};
use super::keymap::Action;
use crate::questionnaire::QuestionType;

/// Rows moved by PageUp / PageDown.
const PAGE: usize = 10;

/// Applies a movement action to the current view.
pub fn navigate(app: &mut App, action: Action) {
    let delta: isize = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(PAGE as isize),
        Action::PageDown => PAGE as isize,
        _ => 0,
    };
    match app.view {
        View::Questions => {
            let n = super::views::questions::visible_questions(app).len();
            app.question = step(app.question, delta, n);
        }
        View::Municipalities => municipalities(app, action, delta),
        View::Barriers => match action {
            Action::Left | Action::Right => next_multiple(app, action == Action::Right),
            _ => app.scroll = step(app.scroll, delta, rows(app)),
        },
        View::Indices => match action {
            Action::Left | Action::Right => {
                let n = app.data.as_ref().map_or(0, |d| d.report.indices.len());
                app.index = wrap(app.index, if action == Action::Right { 1 } else { -1 }, n);
                app.scroll = 0;
            }
            _ => app.scroll = step(app.scroll, delta, rows(app)),
        },
        View::Fieldwork => {
            let n = app
                .data
                .as_ref()
                .map_or(0, |d| d.fieldwork.municipalities.len());
            app.scroll = step(app.scroll, delta, n);
        }
        View::Quality => {
            let n = match app.quality.as_deref() {
                Some(Ok(report)) => report.flags.len(),
                _ => 0,
            };
            app.scroll = step(app.scroll, delta, n);
        }
    }
}

fn municipalities(app: &mut App, action: Action, delta: isize) {
    let Some(data) = app.data.clone() else {
        return;
    };
    let state = &mut app.municipalities;
    match action {
        Action::Left | Action::Right => {
            let n = subjects(&data.report).len();
            state.subject = wrap(
                state.subject,
                if action == Action::Right { 1 } else { -1 },
                n,
            );
            state.option = 0;
            state.row = 0;
        }
        Action::NextOption => {
            let options = super::views::municipalities::option_count(app);
            app.municipalities.option = wrap(app.municipalities.option, 1, options);
        }
        Action::Sort => {
            state.sort = match state.sort {
                SortKey::Name => SortKey::Oblast,
                SortKey::Oblast => SortKey::Base,
                SortKey::Base => SortKey::Figure,
                SortKey::Figure => SortKey::Name,
            };
            // Figures and bases read best largest first; names alphabetically.
            state.descending = matches!(state.sort, SortKey::Base | SortKey::Figure);
        }
        Action::ReverseSort => state.descending = !state.descending,
        _ => {
            let n = data.report.municipalities.len();
            state.row = step(state.row, delta, n);
        }
    }
}

fn next_multiple(app: &mut App, forward: bool) {
    let Some(data) = &app.data else {
        return;
    };
    let multiple: Vec<usize> = data
        .report
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.kind == QuestionType::Multiple)
        .map(|(i, _)| i)
        .collect();
    let at = multiple
        .iter()
        .position(|&i| Some(i) == app.barrier_question)
        .unwrap_or(0);
    let next = wrap(at, if forward { 1 } else { -1 }, multiple.len());
    app.barrier_question = multiple.get(next).copied();
    app.scroll = 0;
}

fn rows(app: &App) -> usize {
    app.data
        .as_ref()
        .map_or(0, |d| d.report.municipalities.len())
}

/// `at` moved by `delta`, kept within `0..n`.
fn step(at: usize, delta: isize, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let last = n - 1;
    if delta < 0 {
        at.saturating_sub(delta.unsigned_abs()).min(last)
    } else {
        at.saturating_add(delta.unsigned_abs()).min(last)
    }
}

/// `at` moved by `delta`, wrapping around `0..n`.
fn wrap(at: usize, delta: isize, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    (at as isize + delta).rem_euclid(n as isize) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_within_the_list_and_wraps_go_around() {
        assert_eq!(step(0, -1, 5), 0);
        assert_eq!(step(3, 10, 5), 4);
        assert_eq!(step(7, -1, 5), 4);
        assert_eq!(step(2, 1, 0), 0);
        assert_eq!(step(usize::MAX - 1, 10, usize::MAX), usize::MAX - 1);
        assert_eq!(wrap(0, -1, 3), 2);
        assert_eq!(wrap(2, 1, 3), 0);
        assert_eq!(wrap(5, 1, 0), 0);
    }
}
