//! The long (tidy) layout: `response_id, municipality, question, option, value`.
//!
//! Every exported question of every interview gives at least one row, so the long file carries
//! the same information as the wide one: an answer is one row (`option` empty), a multiple
//! choice one row per chosen option (`value` 1, or the option's label with `--values labels`)
//! plus an `other_text` row, and a missing answer one row holding its reserved code.

use std::io::Write;

use super::cell::{CellWriter, Slot, slot};
use super::columns::{Shape, WidePlan};
use super::stream::{AnswerIndex, stream};
use super::wide::{RowContext, chose_other, display_text};
use super::{ExportError, ExportOptions, ExportSummary, ValueStyle};
use crate::questionnaire::{Answer, Question};
use crate::store::Response;

/// The header of a long export.
pub const HEADER: [&str; 5] = ["response_id", "municipality", "question", "option", "value"];

/// The `option` of the row holding an "other, please specify" text.
pub const OTHER_TEXT_OPTION: &str = "other_text";

pub(super) fn write<'r, W, I>(
    form: &crate::questionnaire::Form,
    plan: &WidePlan,
    lang: &str,
    responses: I,
    options: &ExportOptions,
    out: &mut W,
    progress: &mut dyn FnMut(usize),
) -> Result<ExportSummary, ExportError>
where
    W: Write,
    I: IntoIterator<Item = &'r Response>,
{
    let mut head = CellWriter::new(&mut *out, options);
    for name in HEADER {
        head.plain(name)?;
    }
    head.end_row()?;
    head.finish()?;
    let ctx = RowContext {
        form,
        lang,
        values: options.values,
    };
    let index = AnswerIndex::new(form);
    let done = stream(responses, out, options, progress, |cells, response| {
        write_rows(cells, &ctx, plan, &index, response)
    })?;
    Ok(ExportSummary {
        responses: done.responses,
        rows: done.rows,
        columns: HEADER.len(),
    })
}

/// Writes every row of one interview; returns how many.
fn write_rows<W: Write>(
    cells: &mut CellWriter<W>,
    ctx: &RowContext,
    plan: &WidePlan,
    index: &AnswerIndex,
    response: &Response,
) -> csv::Result<usize> {
    let asked = ctx.form.relevance(&response.answers);
    let stored = index.by_position(&response.answers);
    let mut buf = uuid::Uuid::encode_buffer();
    let mut row = Row {
        cells,
        id: response.id.hyphenated().encode_lower(&mut buf),
        municipality: &response.municipality,
        rows: 0,
    };
    for columns in &plan.questions {
        let question = &ctx.form.questions()[columns.position];
        let is_asked = asked.get(columns.position).copied().unwrap_or(false);
        let found = slot(stored[columns.position], is_asked);
        let other = matches!(
            columns.shape,
            Shape::Single { other: true } | Shape::Multiple { other: true }
        );
        write_question(&mut row, ctx, question, found, response, other)?;
    }
    Ok(row.rows)
}

/// Writes rows for one interview, which share their first two cells.
struct Row<'a, W: Write> {
    cells: &'a mut CellWriter<W>,
    id: &'a str,
    municipality: &'a str,
    rows: usize,
}

impl<W: Write> Row<'_, W> {
    fn start(&mut self, question: &Question, option: &str) -> csv::Result<&mut CellWriter<W>> {
        self.rows += 1;
        self.cells.plain(self.id)?;
        self.cells.text(self.municipality)?;
        self.cells.plain(&question.id)?;
        self.cells.text(option)?;
        Ok(self.cells)
    }
}

fn write_question<W: Write>(
    row: &mut Row<W>,
    ctx: &RowContext,
    question: &Question,
    found: Slot,
    response: &Response,
    other: bool,
) -> csv::Result<()> {
    let answer = match found {
        Slot::Missing(why) => {
            row.start(question, "")?.missing(why)?;
            return row.cells.end_row();
        }
        Slot::Given(answer) => answer,
    };
    match answer {
        Answer::Codes(codes) => write_chosen(row, ctx, question, codes)?,
        Answer::Number(n) => {
            row.start(question, "")?.number(*n)?;
            row.cells.end_row()?;
        }
        Answer::Text(text) => {
            let shown = display_text(ctx, question, text);
            row.start(question, "")?.text(shown)?;
            row.cells.end_row()?;
        }
        Answer::Special(_) => {}
    }
    if other
        && chose_other(ctx.form, question, answer)
        && let Some(text) = response.other_text.get(&question.id)
        && !text.is_empty()
    {
        row.start(question, OTHER_TEXT_OPTION)?.text(text)?;
        row.cells.end_row()?;
    }
    Ok(())
}

/// One row per chosen option, in questionnaire order (codes the questionnaire does not know
/// come last, so nothing stored is lost).
fn write_chosen<W: Write>(
    row: &mut Row<W>,
    ctx: &RowContext,
    question: &Question,
    codes: &[String],
) -> csv::Result<()> {
    let choices = ctx.form.choices(question);
    let known = choices.iter().filter(|c| codes.contains(&c.code));
    let unknown = codes
        .iter()
        .filter(|code| !choices.iter().any(|c| &c.code == *code));
    let in_order = known
        .map(|c| c.code.as_str())
        .chain(unknown.map(String::as_str));
    for code in in_order {
        let cells = row.start(question, code)?;
        match ctx.values {
            ValueStyle::Codes => cells.plain("1")?,
            ValueStyle::Labels => cells.text(display_text(ctx, question, code))?,
        }
        row.cells.end_row()?;
    }
    Ok(())
}
