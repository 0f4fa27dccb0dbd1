//! The long (tidy) layout: `response_id, municipality, question, option, value`.
//!
//! Every exported question of every interview gives at least one row, so the long file carries
//! the same information as the wide one: an answer is one row (`option` empty), a multiple
//! choice one row per chosen option (`value` 1, or the option's label with `--values labels`)
//! plus an `other_text` row, and a missing answer one row holding its reserved code. An
//! interviewer's remark on a question is a row of its own (`option` `remark`), after the
//! answers.

use std::io::Write;

use super::ValueStyle;
use super::cell::{CellWriter, Slot, slot};
use super::columns::{Paradata, Shape, WidePlan};
use super::wide::{RowContext, chose_other, display_text};
use crate::questionnaire::{AnswerRef, CodeList, Question};
use crate::store::Row;

/// The header of a long export.
pub const HEADER: [&str; 5] = ["response_id", "municipality", "question", "option", "value"];

/// The `option` of the row holding an "other, please specify" text.
pub const OTHER_TEXT_OPTION: &str = "other_text";

/// The `option` of a row holding the interviewer's remark on the question.
pub const REMARK_OPTION: &str = "remark";

/// Writes every row of one interview; returns how many.
pub(super) fn write_rows<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    plan: &WidePlan,
    row: Row<'_>,
) -> csv::Result<usize> {
    let mut buf = uuid::Uuid::encode_buffer();
    let mut lines = Lines {
        cells,
        id: row.id().hyphenated().encode_lower(&mut buf),
        municipality: row.municipality(),
        rows: 0,
    };
    for columns in &plan.questions {
        let question = &ctx.form.questions()[columns.position];
        let found = slot(row.answer(columns.position), row.asked(columns.position));
        let other_text = match columns.shape {
            Shape::Single { other: true } | Shape::Multiple { other: true } => {
                row.other_text(columns.position)
            }
            _ => None,
        };
        write_question(&mut lines, ctx, question, found, other_text)?;
    }
    let remarks = plan.paradata.contains(&Paradata::Remarks);
    for (position, remark) in row.remarks().filter(|_| remarks) {
        if let Some(question) = ctx.form.questions().get(position) {
            lines.start(question, REMARK_OPTION)?.text(remark)?;
            lines.cells.end_row()?;
        }
    }
    Ok(lines.rows)
}

/// Writes the rows of one interview, which share their first two cells.
struct Lines<'a, W: Write> {
    cells: &'a mut CellWriter<W>,
    id: &'a str,
    municipality: &'a str,
    rows: usize,
}

impl<W: Write> Lines<'_, W> {
    fn start(&mut self, question: &Question, option: &str) -> csv::Result<&mut CellWriter<W>> {
        self.rows += 1;
        self.cells.text(self.id)?;
        self.cells.text(self.municipality)?;
        self.cells.text(&question.id)?;
        self.cells.text(option)?;
        Ok(self.cells)
    }
}

/// Writes the rows of one question; `other_text` is the "other, please specify" text when the
/// question has such an option and one was typed.
fn write_question<W: Write>(
    lines: &mut Lines<W>,
    ctx: &RowContext,
    question: &Question,
    found: Slot,
    other_text: Option<&str>,
) -> csv::Result<()> {
    let answer = match found {
        Slot::Missing(why) => {
            lines.start(question, "")?.missing(why)?;
            return lines.cells.end_row();
        }
        Slot::Given(answer) => answer,
    };
    match answer {
        AnswerRef::Codes(codes) => write_chosen(lines, ctx, question, codes)?,
        AnswerRef::Number(n) => {
            lines.start(question, "")?.number(n)?;
            lines.cells.end_row()?;
        }
        AnswerRef::Text(text) => {
            let shown = display_text(ctx, question, text);
            lines.start(question, "")?.text(shown)?;
            lines.cells.end_row()?;
        }
        AnswerRef::Special(_) => {}
    }
    if let Some(text) = other_text
        && !text.is_empty()
        && chose_other(ctx.form, question, answer)
    {
        lines.start(question, OTHER_TEXT_OPTION)?.text(text)?;
        lines.cells.end_row()?;
    }
    Ok(())
}

/// One row per chosen option, in questionnaire order (codes the questionnaire does not know
/// come last, so nothing stored is lost).
fn write_chosen<W: Write>(
    lines: &mut Lines<W>,
    ctx: &RowContext,
    question: &Question,
    codes: CodeList<'_>,
) -> csv::Result<()> {
    let choices = ctx.form.choices(question);
    let known = choices.iter().filter(|c| codes.contains(&c.code));
    let unknown = codes
        .iter()
        .filter(|code| !choices.iter().any(|c| c.code == *code));
    let in_order = known.map(|c| c.code.as_str()).chain(unknown);
    for code in in_order {
        let cells = lines.start(question, code)?;
        match ctx.values {
            ValueStyle::Codes => cells.integer(1)?,
            ValueStyle::Labels => cells.text(display_text(ctx, question, code))?,
        }
        lines.cells.end_row()?;
    }
    Ok(())
}
