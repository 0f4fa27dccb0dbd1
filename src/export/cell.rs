//! Cells: the reserved missing codes, and a writer that applies them while streaming fields
//! through the formula-guarded [`CsvOut`] without allocating per cell.

use std::fmt::Write as _;
use std::io::Write;

use super::{ExportError, ExportOptions, MissingStyle};
pub use crate::csv_out::neutralise;
use crate::csv_out::{CsvOut, Guard};
use crate::questionnaire::{AnswerRef, Special};

/// The UTF-8 byte-order mark Excel looks for to read a CSV file as UTF-8.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a cell holds no answer. The codes are the same in every column and every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    /// The respondent said "don't know".
    DontKnow,
    /// The respondent refused to answer.
    Refused,
    /// The routing skipped the question for this respondent.
    NotAsked,
    /// The stored answer breaks the question's rules (out of range, wrong type, too long, too
    /// many options, constraint false); the file keeps the value and the load names it.
    Invalid,
    /// The question was asked but no answer was recorded.
    NoAnswer,
}

impl Missing {
    /// Every missing code, in code order.
    pub const ALL: [Missing; 5] = [
        Missing::DontKnow,
        Missing::Refused,
        Missing::NotAsked,
        Missing::Invalid,
        Missing::NoAnswer,
    ];

    /// The reserved numeric code.
    pub fn code(self) -> i64 {
        match self {
            Self::DontKnow => -1,
            Self::Refused => -2,
            Self::NotAsked => -3,
            Self::Invalid => -8,
            Self::NoAnswer => -9,
        }
    }

    /// A short machine name, used in the codebook.
    pub fn name(self) -> &'static str {
        match self {
            Self::DontKnow => "dont_know",
            Self::Refused => "refused",
            Self::NotAsked => "not_asked",
            Self::Invalid => "invalid",
            Self::NoAnswer => "no_answer",
        }
    }
}

/// The answer held for one question of one response, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Slot<'a> {
    Given(AnswerRef<'a>),
    Missing(Missing),
}

/// What to write for a question whose stored answer is `stored`, given whether it was asked.
pub(super) fn slot(stored: Option<AnswerRef<'_>>, asked: bool) -> Slot<'_> {
    if !asked {
        return Slot::Missing(Missing::NotAsked);
    }
    match stored {
        None => Slot::Missing(Missing::NoAnswer),
        Some(AnswerRef::Special(Special::DontKnow)) => Slot::Missing(Missing::DontKnow),
        Some(AnswerRef::Special(Special::Refused)) => Slot::Missing(Missing::Refused),
        Some(AnswerRef::Special(Special::Invalid)) => Slot::Missing(Missing::Invalid),
        Some(answer) if answer.is_empty() => Slot::Missing(Missing::NoAnswer),
        Some(answer) => Slot::Given(answer),
    }
}

/// Streams cells to a guarded CSV writer, applying the missing style.
pub(super) struct CellWriter<W: Write> {
    csv: CsvOut<W>,
    scratch: String,
    missing: MissingStyle,
}

impl<W: Write> CellWriter<W> {
    pub(super) fn new(out: W, options: &ExportOptions) -> Self {
        let guard = if options.raw_text {
            Guard::Off
        } else {
            Guard::Formulas
        };
        Self {
            csv: CsvOut::with_guard(out, guard),
            scratch: String::with_capacity(32),
            missing: options.missing,
        }
    }

    /// A text cell (answers, labels, names, headers, ids): guarded against formula injection.
    pub(super) fn text(&mut self, text: &str) -> csv::Result<()> {
        self.csv.text(text)
    }

    /// A number with `.` as the decimal separator; whole numbers without a fraction.
    pub(super) fn number(&mut self, n: f64) -> csv::Result<()> {
        self.csv.number(n)
    }

    pub(super) fn integer(&mut self, n: i64) -> csv::Result<()> {
        self.csv.integer(n)
    }

    /// A timestamp as ISO 8601 in UTC to the second, e.g. `2026-03-01T10:15:00Z`.
    ///
    /// Formatted from the civil fields rather than with `strftime`, which parses its format
    /// string on every call: two timestamps per row add up over 100,000 rows.
    pub(super) fn timestamp(&mut self, at: jiff::Timestamp) -> csv::Result<()> {
        let t = jiff::tz::Offset::UTC.to_datetime(at);
        self.scratch.clear();
        let _ = write!(
            self.scratch,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        self.csv.text(&self.scratch)
    }

    /// A missing answer: its reserved code, or an empty cell with `--missing empty`.
    pub(super) fn missing(&mut self, why: Missing) -> csv::Result<()> {
        match self.missing {
            MissingStyle::Codes => self.integer(why.code()),
            MissingStyle::Empty => self.csv.empty(),
        }
    }

    pub(super) fn empty(&mut self) -> csv::Result<()> {
        self.csv.empty()
    }

    /// Ends the current row.
    pub(super) fn end_row(&mut self) -> csv::Result<()> {
        self.csv.end_row()
    }

    /// Flushes everything written to the underlying writer.
    pub(super) fn finish(mut self) -> Result<(), ExportError> {
        self.csv.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(options: &ExportOptions, f: impl FnOnce(&mut CellWriter<&mut Vec<u8>>)) -> String {
        let mut out = Vec::new();
        let mut cells = CellWriter::new(&mut out, options);
        f(&mut cells);
        cells.end_row().unwrap();
        cells.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_and_codes_are_never_prefixed() {
        let line = written(&ExportOptions::default(), |c| {
            c.number(-5.0).unwrap();
            c.number(2.5).unwrap();
            c.missing(Missing::NotAsked).unwrap();
            c.text("-5").unwrap();
            c.number(f64::NAN).unwrap();
        });
        assert_eq!(line, "-5,2.5,-3,'-5,\n");
    }

    #[test]
    fn raw_text_and_empty_missing_are_honoured() {
        let options = ExportOptions {
            raw_text: true,
            missing: MissingStyle::Empty,
            ..ExportOptions::default()
        };
        let line = written(&options, |c| {
            c.text("=cmd").unwrap();
            c.missing(Missing::DontKnow).unwrap();
            c.text("a,\"b\"\nc").unwrap();
        });
        assert_eq!(line, "=cmd,,\"a,\"\"b\"\"\nc\"\n");
    }

    #[test]
    fn timestamps_are_utc_to_the_second() {
        let at: jiff::Timestamp = "2026-03-01T10:15:07.9+02:00".parse().unwrap();
        let line = written(&ExportOptions::default(), |c| c.timestamp(at).unwrap());
        assert_eq!(line, "2026-03-01T08:15:07Z\n");
        assert_eq!(
            at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            line.trim_end(),
            "the same as strftime"
        );
    }

    #[test]
    fn missing_codes_are_distinct_and_negative() {
        let codes: Vec<i64> = Missing::ALL.iter().map(|m| m.code()).collect();
        assert_eq!(codes, [-1, -2, -3, -8, -9]);
    }
}
