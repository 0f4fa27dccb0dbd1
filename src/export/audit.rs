//! The audit trails of interviews as one long CSV: one event per row (`export --audit`).
//!
//! Supervisors open it in a spreadsheet or in R/pandas to see, per interview, the time spent on
//! each question, every change of an answer with its old and new value, language switches,
//! pauses, edits and the outcome. The text columns go through [`CsvOut`]'s formula guard like
//! every other file anketa writes.

use std::io::Write;

use uuid::Uuid;

use super::ExportError;
use crate::audit::AuditEvent;
use crate::csv_out::{CsvOut, Guard};
use crate::questionnaire::{Answer, Form, QuestionType};

/// The columns, in file order; `docs/export.md` describes each.
pub const COLUMNS: [&str; 11] = [
    "response_id",
    "at",
    "event",
    "by",
    "question",
    "old_value",
    "new_value",
    "language",
    "ms",
    "outcome",
    "detail",
];

/// What may be left out of the audit export, as in the data export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditOptions {
    /// Leave the `by` column empty.
    pub drop_interviewer: bool,
    /// Leave out open text answers, "other" texts, remarks and reasons typed by interviewers.
    pub drop_text: bool,
    /// Write text exactly as given (no formula guard).
    pub raw_text: bool,
}

/// Writes the header and one row per event of each `(interview, trail)`; returns the rows.
pub fn write_audit<'a, W: Write>(
    out: W,
    form: &Form,
    trails: impl IntoIterator<Item = (Uuid, &'a [AuditEvent])>,
    options: AuditOptions,
) -> Result<usize, ExportError> {
    let guard = if options.raw_text {
        Guard::Off
    } else {
        Guard::Formulas
    };
    let mut csv = CsvOut::with_guard(out, guard);
    csv.row(COLUMNS)?;
    let mut rows = 0;
    for (id, events) in trails {
        for event in events {
            write_event(&mut csv, form, id, event, options)?;
            rows += 1;
        }
    }
    csv.flush()?;
    Ok(rows)
}

fn write_event<W: Write>(
    csv: &mut CsvOut<W>,
    form: &Form,
    id: Uuid,
    e: &AuditEvent,
    options: AuditOptions,
) -> Result<(), ExportError> {
    let is_text_question = e
        .question
        .as_deref()
        .and_then(|q| form.question(q))
        .is_some_and(|q| q.kind == QuestionType::Text);
    let hide_values = options.drop_text && is_text_question;
    let value = |a: &Option<Answer>| match a {
        Some(_) if hide_values => String::new(),
        Some(a) => answer_cell(a),
        None => String::new(),
    };
    csv.cell(&id.to_string())?;
    csv.cell(&e.at.to_string())?;
    csv.cell(e.event.as_str())?;
    csv.text(if options.drop_interviewer { "" } else { &e.by })?;
    csv.text(e.question.as_deref().unwrap_or(""))?;
    csv.text(&value(&e.old))?;
    csv.text(&value(&e.new))?;
    csv.text(e.language.as_deref().unwrap_or(""))?;
    match e.ms {
        Some(ms) => csv.integer(i64::try_from(ms).unwrap_or(i64::MAX))?,
        None => csv.empty()?,
    }
    csv.cell(e.outcome.map_or("", |o| o.code()))?;
    csv.text(if options.drop_text { "" } else { &e.detail })?;
    csv.end_row()?;
    Ok(())
}

/// An answer in one cell: codes separated by spaces (as the long export writes them), numbers
/// as written, special answers by name.
fn answer_cell(answer: &Answer) -> String {
    match answer {
        Answer::Text(text) => text.clone(),
        Answer::Number(n) => n.to_string(),
        Answer::Codes(codes) => codes.join(" "),
        Answer::Special(s) => s.as_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::EventKind;
    use crate::questionnaire::catalog;

    #[test]
    fn one_row_per_event_with_values_and_guarded_text() {
        let form = catalog::default_form().unwrap();
        let id = Uuid::new_v4();
        let mut answered = AuditEvent::now(EventKind::Answered, "=Мария").on("age");
        answered.old = Some(Answer::Number(41.0));
        answered.new = Some(Answer::Number(42.0));
        answered.language = Some("en".into());
        let mut left = AuditEvent::now(EventKind::Left, "=Мария").on("age");
        left.ms = Some(1500);
        let events = vec![answered, left];
        let mut out = Vec::new();
        let rows = write_audit(
            &mut out,
            &form,
            [(id, events.as_slice())],
            AuditOptions::default(),
        )
        .unwrap();
        assert_eq!(rows, 2);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert!(
            lines[1].contains(",answered,'=Мария,age,41,42,en,,,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].ends_with(",left,'=Мария,age,,,,1500,,"),
            "{}",
            lines[2]
        );

        let mut out = Vec::new();
        let options = AuditOptions {
            drop_interviewer: true,
            ..AuditOptions::default()
        };
        write_audit(&mut out, &form, [(id, events.as_slice())], options).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains("Мария"));
    }
}
