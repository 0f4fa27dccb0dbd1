//! Questions: the searchable list of questions, and the chosen one's distribution with
//! percentages, 95% intervals and bases (numeric questions: histogram and summary).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Sheet, format};
use crate::municipality::fold;
use crate::questionnaire::{Question, QuestionType};
use crate::stats::{SMALL_BASE, Summary};
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::{Derived, Histogram};
use crate::tui::dashboard::strings::Strings;
use crate::tui::dashboard::widgets::interval_bar::IntervalBar;
use crate::tui::dashboard::widgets::text::{pad, pad_left, truncate, width};

/// The answerable questions matching the search, in questionnaire order.
pub fn visible_questions(app: &App) -> Vec<&Question> {
    let query = fold(app.search.trim());
    app.form
        .questions()
        .iter()
        .filter(|q| q.kind.is_answerable())
        .filter(|q| {
            query.is_empty()
                || fold(&q.id).contains(&query)
                || fold(q.label.get(&app.lang)).contains(&query)
        })
        .collect()
}

/// The question under the cursor.
pub fn selected_question(app: &App) -> Option<&Question> {
    let list = visible_questions(app);
    let at = app.question.min(list.len().saturating_sub(1));
    list.get(at).copied()
}

/// The label of an option code of question `q`.
pub fn option_label(app: &App, q: &Question, code: &str) -> String {
    if q.kind == QuestionType::Municipality {
        return format::municipality_name(code, &app.lang);
    }
    app.form
        .choices(q)
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_owned(), |c| c.label.get(&app.lang).to_owned())
}

/// Draws the view.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, data: &Derived, s: &Strings) {
    let list_width = (area.width / 4).clamp(20, 44);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(area);
    draw_list(frame, left, app, s);
    let Some(q) = selected_question(app) else {
        return;
    };
    let Some(stats) = data.report.question(&q.id) else {
        return;
    };
    let inner = right.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(Span::styled(
            truncate(q.label.get(&app.lang), inner),
            app.theme.title(),
        )),
        Line::from(Span::styled(
            truncate(&format!("{} · {}", q.id, q.kind.as_str()), inner),
            app.theme.muted(),
        )),
        bases_line(&stats.overall, s, inner),
    ];
    if stats.overall.n < SMALL_BASE {
        lines.push(Line::from(Span::styled(
            truncate(s.small_base, inner),
            app.theme.warn(),
        )));
    }
    lines.push(Line::from(""));
    lines.extend(distribution(app, q, data, &stats.overall, s, inner));
    frame.render_widget(Paragraph::new(lines).block(Block::bordered()), right);
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App, s: &Strings) {
    let list = visible_questions(app);
    let height = area.height.saturating_sub(2) as usize;
    let at = app.question.min(list.len().saturating_sub(1));
    let skip = (at + 1).saturating_sub(height);
    let inner = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .map(|(i, q)| {
            let text = pad(&format!("{} {}", q.id, q.label.get(&app.lang)), inner);
            if i == at {
                Line::from(Span::styled(text, app.theme.selected()))
            } else {
                Line::from(text)
            }
        })
        .collect();
    let title = if app.typing || !app.search.is_empty() {
        format!("{} · {}: {}▏", s.questions, s.search, app.search)
    } else {
        format!("{} ({})", s.questions, list.len())
    };
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(truncate(&title, inner))),
        area,
    );
}

fn bases_line(summary: &Summary, s: &Strings, inner: usize) -> Line<'static> {
    Line::from(truncate(
        &format!(
            "{} n={} · {} {} · {} {} · {} {}",
            s.base,
            summary.n,
            s.dont_know,
            summary.dont_know,
            s.refused,
            summary.refused,
            s.not_asked,
            summary.not_asked
        ),
        inner,
    ))
}

fn distribution(
    app: &App,
    q: &Question,
    data: &Derived,
    summary: &Summary,
    s: &Strings,
    inner: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if summary.mean.is_some() {
        lines.push(Line::from(truncate(
            &format!(
                "{} {} ({}) · {} {} · {} {}",
                s.mean,
                format::figure(summary.mean),
                format::interval(summary.ci95_mean),
                s.median,
                format::figure(summary.median),
                s.sd,
                format::figure(summary.sd)
            ),
            inner,
        )));
        lines.push(Line::from(""));
    }
    if !summary.options.is_empty() {
        lines.extend(option_lines(app, q, summary, s, inner));
        if !summary.other_texts.is_empty() {
            let texts: Vec<String> = summary
                .other_texts
                .iter()
                .map(|t| format!("{} ({})", t.text, t.count))
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                truncate(&format!("{}: {}", s.other_texts, texts.join(", ")), inner),
                app.theme.muted(),
            )));
        }
    } else if let Some(h) = data.histograms.get(&q.id) {
        lines.push(Line::from(Span::styled(s.histogram, app.theme.title())));
        lines.extend(histogram_lines(h, app, inner));
    } else if !summary.top_answers.is_empty() {
        lines.push(Line::from(Span::styled(s.top_answers, app.theme.title())));
        for t in &summary.top_answers {
            lines.push(Line::from(truncate(
                &format!("{:>6}  {}", t.count, t.text),
                inner,
            )));
        }
    }
    lines
}

/// One row per option: label, share, interval and count, as shown and exported.
pub fn option_rows(app: &App, q: &Question, summary: &Summary) -> Vec<[String; 4]> {
    summary
        .options
        .iter()
        .map(|o| {
            [
                option_label(app, q, &o.code),
                format::figure(o.percent),
                format::interval(o.ci95),
                o.count.to_string(),
            ]
        })
        .collect()
}

fn option_lines(
    app: &App,
    q: &Question,
    summary: &Summary,
    s: &Strings,
    inner: usize,
) -> Vec<Line<'static>> {
    let rows = option_rows(app, q, summary);
    let longest = rows.iter().map(|r| width(&r[0])).max().unwrap_or(0);
    let label_w = longest.clamp(6, (inner / 3).max(6));
    let numbers = 6 + 13 + 6;
    let bar_w = inner.saturating_sub(label_w + numbers + 1);
    let mut lines = vec![Line::from(Span::styled(
        truncate(
            &format!(
                "{} {}{}{}{}",
                pad(s.option, label_w),
                " ".repeat(bar_w),
                pad_left(s.percent, 6),
                pad_left(s.interval, 13),
                pad_left(s.count, 6)
            ),
            inner,
        ),
        app.theme.muted(),
    ))];
    for (row, o) in rows.iter().zip(&summary.options) {
        let bar = IntervalBar {
            value: o.percent.unwrap_or(0.0),
            interval: o.ci95,
            max: 100.0,
        };
        let mut spans = vec![Span::raw(pad(&row[0], label_w)), Span::raw(" ")];
        spans.extend(bar.line(bar_w, app.theme).spans);
        spans.push(Span::raw(pad_left(&row[1], 6)));
        spans.push(Span::styled(pad_left(&row[2], 13), app.theme.muted()));
        spans.push(Span::raw(pad_left(&row[3], 6)));
        lines.push(Line::from(spans));
    }
    lines
}

fn histogram_lines(h: &Histogram, app: &App, inner: usize) -> Vec<Line<'static>> {
    let max = h.counts.iter().copied().max().unwrap_or(0).max(1);
    let label_w = 15;
    let bar_w = inner.saturating_sub(label_w + 9);
    h.counts
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let filled = (*count as f64 / max as f64 * bar_w as f64).round() as usize;
            Line::from(vec![
                Span::raw(pad_left(&bin_label(h, i), label_w - 1)),
                Span::raw(" "),
                Span::styled("█".repeat(filled), app.theme.bar()),
                Span::raw(" ".repeat(bar_w - filled.min(bar_w))),
                Span::raw(pad_left(&count.to_string(), 8)),
            ])
        })
        .collect()
}

/// The chosen question's options (or histogram) as on screen.
pub fn sheet(app: &App, data: &Derived) -> Sheet {
    let Some(q) = selected_question(app) else {
        return Sheet::default();
    };
    let mut sheet = Sheet {
        name: format!("question-{}", q.id),
        header: ["question", "option", "percent", "ci95", "count"]
            .map(str::to_owned)
            .to_vec(),
        rows: Vec::new(),
    };
    let Some(stats) = data.report.question(&q.id) else {
        return sheet;
    };
    for row in option_rows(app, q, &stats.overall) {
        let mut full = vec![q.id.clone()];
        full.extend(row);
        sheet.rows.push(full);
    }
    if let Some(h) = data.histograms.get(&q.id) {
        for (i, count) in h.counts.iter().enumerate() {
            sheet.rows.push(vec![
                q.id.clone(),
                bin_label(h, i),
                String::new(),
                String::new(),
                count.to_string(),
            ]);
        }
    }
    sheet
}

/// Bin `i` of `h` as `lo–hi`: whole-number bins end one below the next bin's start.
fn bin_label(h: &Histogram, i: usize) -> String {
    let lo = h.lower[i];
    let next = h.lower.get(i + 1).copied();
    let show = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    };
    let hi = match next {
        Some(n) if h.integer => n - 1.0,
        Some(n) => n,
        None => h.upper,
    };
    format!("{}–{}", show(lo), show(hi))
}
