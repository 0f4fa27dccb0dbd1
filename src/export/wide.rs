//! The wide layout: one row per interview, paradata first, then the questions in order.

use std::io::Write;

use super::ValueStyle;
use super::cell::{CellWriter, Missing, Slot, slot};
use super::columns::{Paradata, QuestionColumns, Shape, WidePlan};
use crate::municipality;
use crate::questionnaire::{AnswerRef, CodeList, Form, Question, QuestionType};
use crate::store::Row;

/// What every row needs besides the response itself.
pub(super) struct RowContext<'a> {
    pub form: &'a Form,
    pub lang: &'a str,
    pub values: ValueStyle,
}

/// Writes the one row of an interview.
pub(super) fn write_row<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    plan: &WidePlan,
    row: Row<'_>,
) -> csv::Result<()> {
    write_paradata(cells, &plan.paradata, ctx.form, row, ctx.lang)?;
    for columns in &plan.questions {
        let question = &ctx.form.questions()[columns.position];
        let found = slot(row.answer(columns.position), row.asked(columns.position));
        write_question(cells, ctx, columns, question, found, row)?;
    }
    cells.end_row()
}

fn write_paradata<W: Write>(
    cells: &mut CellWriter<W>,
    columns: &[Paradata],
    form: &Form,
    row: Row<'_>,
    lang: &str,
) -> csv::Result<()> {
    let place = municipality::bundled().get(row.municipality());
    for column in columns {
        match column {
            Paradata::ResponseId => {
                let mut buf = uuid::Uuid::encode_buffer();
                cells.text(row.id().hyphenated().encode_lower(&mut buf))?;
            }
            Paradata::QuestionnaireVersion => cells.text(row.questionnaire_version())?,
            Paradata::Status => cells.text(row.status().as_str())?,
            Paradata::Outcome => match row.outcome() {
                Some(outcome) => cells.text(outcome.code())?,
                None => cells.empty()?,
            },
            Paradata::Municipality => cells.text(row.municipality())?,
            Paradata::MunicipalityName => cells.text(place.map_or("", |m| m.name(lang)))?,
            Paradata::Oblast => cells.text(place.map_or("", |m| m.oblast(lang)))?,
            Paradata::Interviewer => cells.text(row.interviewer())?,
            Paradata::Language => cells.text(row.language())?,
            Paradata::StartedAt => cells.timestamp(row.started_at())?,
            Paradata::CompletedAt => match row.completed_at() {
                Some(at) => cells.timestamp(at)?,
                None => cells.empty()?,
            },
            Paradata::DurationS => match row.duration_s() {
                Some(seconds) => cells.integer(seconds)?,
                None => cells.empty()?,
            },
            Paradata::Remarks => cells.text(&remarks_cell(form, row))?,
        }
    }
    Ok(())
}

/// Every remark of the interview in one cell, `question: remark`, in questionnaire order.
pub(super) fn remarks_cell(form: &Form, row: Row<'_>) -> String {
    let mut out = String::new();
    for (position, remark) in row.remarks() {
        if !out.is_empty() {
            out.push_str(" | ");
        }
        let id = form.questions().get(position).map_or("", |q| q.id.as_str());
        out.push_str(id);
        out.push_str(": ");
        out.push_str(remark);
    }
    out
}

fn write_question<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    columns: &QuestionColumns,
    question: &Question,
    found: Slot,
    row: Row<'_>,
) -> csv::Result<()> {
    match columns.shape {
        Shape::Value | Shape::Single { .. } => match found {
            Slot::Missing(why) => cells.missing(why)?,
            Slot::Given(answer) => write_value(cells, ctx, question, answer)?,
        },
        Shape::Multiple { .. } => write_options(cells, ctx, question, found, row)?,
    }
    let (Shape::Single { other: true } | Shape::Multiple { other: true }) = columns.shape else {
        return Ok(());
    };
    match found {
        Slot::Missing(why) => cells.missing(why),
        Slot::Given(answer) if chose_other(ctx.form, question, answer) => {
            cells.text(row.other_text(columns.position).unwrap_or(""))
        }
        Slot::Given(_) => cells.empty(),
    }
}

/// Writes one answer in the single column of a non-multiple question.
fn write_value<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    question: &Question,
    answer: AnswerRef<'_>,
) -> csv::Result<()> {
    match answer {
        AnswerRef::Number(n) => cells.number(n),
        AnswerRef::Text(text) => cells.text(display_text(ctx, question, text)),
        // Not a shape this question takes; written rather than lost.
        AnswerRef::Codes(codes) => cells.text(&codes.iter().collect::<Vec<_>>().join(" ")),
        AnswerRef::Special(_) => cells.missing(Missing::NoAnswer),
    }
}

/// The text written for a text-valued answer: a choice label or municipality name with
/// `--values labels`, otherwise the stored text.
pub(super) fn display_text<'a>(ctx: &'a RowContext, question: &Question, text: &'a str) -> &'a str {
    if ctx.values == ValueStyle::Codes {
        return text;
    }
    match question.kind {
        QuestionType::Single | QuestionType::Multiple => ctx
            .form
            .choices(question)
            .iter()
            .find(|c| c.code == text)
            .map_or(text, |c| c.label.get(ctx.lang)),
        QuestionType::Municipality => municipality::bundled()
            .get(text)
            .map_or(text, |m| m.name(ctx.lang)),
        _ => text,
    }
}

/// Writes the 0/1 option columns of a multiple question.
fn write_options<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    question: &Question,
    found: Slot,
    row: Row<'_>,
) -> csv::Result<()> {
    let answer = match found {
        Slot::Missing(why) => {
            for _ in ctx.form.choices(question) {
                cells.missing(why)?;
            }
            return Ok(());
        }
        Slot::Given(answer) => answer,
    };
    let offered = offered_codes(ctx.form, question, row);
    for choice in ctx.form.choices(question) {
        if picks(answer, &choice.code) {
            cells.integer(1)?;
        } else if offered.is_none_or(|codes| codes.contains(&choice.code)) {
            cells.integer(0)?;
        } else {
            cells.missing(Missing::NotAsked)?;
        }
    }
    Ok(())
}

/// Whether `answer` chooses the option `code` (a multiple question's codes, or a single code
/// stored as text).
fn picks(answer: AnswerRef<'_>, code: &str) -> bool {
    match answer {
        AnswerRef::Codes(codes) => codes.contains(code),
        AnswerRef::Text(text) => text == code,
        AnswerRef::Number(_) | AnswerRef::Special(_) => false,
    }
}

/// For a question whose options come from an earlier multiple question (`choices_from`), the
/// codes actually shown; `None` when every option was shown.
fn offered_codes<'t>(form: &Form, question: &Question, row: Row<'t>) -> Option<CodeList<'t>> {
    let source = question.choices_from.as_deref()?;
    let position = form.position(source)?;
    if !row.asked(position) {
        return None;
    }
    match row.answer(position) {
        Some(AnswerRef::Codes(codes)) => Some(codes),
        _ => None,
    }
}

/// Whether `answer` picks one of the question's "other, please specify" options.
pub(super) fn chose_other(form: &Form, question: &Question, answer: AnswerRef<'_>) -> bool {
    let is_other = |code: &str| {
        form.choices(question)
            .iter()
            .any(|c| c.other && c.code == code)
    };
    match answer {
        AnswerRef::Text(code) => is_other(code),
        AnswerRef::Codes(codes) => codes.iter().any(is_other),
        _ => false,
    }
}
