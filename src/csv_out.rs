//! The one way anketa writes CSV: a writer whose every text field passes the formula guard.
//!
//! A CSV file made by anketa is opened in a spreadsheet by people who did not make it, and many
//! of its cells come from files written on other laptops (interviewer names, free-text answers,
//! municipality names). A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run
//! as a formula by Excel and LibreOffice (OWASP, "CSV Injection"), so `=HYPERLINK(...)` in an
//! interviewer's name would become a live link in the coordinator's spreadsheet.
//!
//! [`CsvOut`] is the only type in anketa that holds a `csv::Writer` (the crate's writer is a
//! disallowed type everywhere else, see `clippy.toml`), and it has no method that writes text
//! unguarded: text goes through [`CsvOut::text`], numbers anketa formats itself through
//! [`CsvOut::number`] and [`CsvOut::integer`], and a table of strings whose cells may be figures
//! through [`CsvOut::cell`], which lets a plain decimal number such as `-0.25` through as a number
//! and guards everything else. The single way out of the guard is [`Guard::Off`], which exists for
//! `export --raw-text`, where a user asks for the text exactly as stored.

// The one module allowed to name the csv crate's writer: everything else goes through `CsvOut`.
#![allow(clippy::disallowed_types)]

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

/// Whether a spreadsheet would treat a cell starting like `text` as a formula.
///
/// OWASP's list: `=`, `+`, `-`, `@`, a tab and a carriage return.
pub fn is_formula_like(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `text` made safe to open in a spreadsheet: formula-like text gets a leading `'`.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` is a plain decimal number (`-12`, `0.25`, `-1.5e-3`), which a spreadsheet
/// reads as that number and never as a formula. Anything else (`+1+1`, `-1=x`, `-inf`) is not.
pub fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Whether text fields are guarded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Guard {
    /// Formula-like text gets a leading `'` (the default, and the only choice but one).
    #[default]
    Formulas,
    /// Text is written exactly as given: only for `export --raw-text`, where the user asks for it.
    Off,
}

/// A CSV writer that guards every text field (see the module documentation).
///
/// Quotes only where needed, `\n` line ends (which every reader accepts), and every row must
/// have as many fields as the first.
pub struct CsvOut<W: Write> {
    csv: csv::Writer<W>,
    guard: Guard,
    scratch: String,
}

impl<W: Write> CsvOut<W> {
    /// A guarded writer to `out`.
    pub fn new(out: W) -> Self {
        Self::with_guard(out, Guard::Formulas)
    }

    /// A writer to `out` with the given guard.
    pub fn with_guard(out: W, guard: Guard) -> Self {
        Self {
            csv: csv::WriterBuilder::new()
                .flexible(false)
                .buffer_capacity(64 * 1024)
                .from_writer(out),
            guard,
            scratch: String::with_capacity(64),
        }
    }

    /// A text field (a name, an answer, a label, a header): guarded against formula injection.
    pub fn text(&mut self, text: &str) -> csv::Result<()> {
        if self.guard == Guard::Formulas && is_formula_like(text) {
            self.scratch.clear();
            self.scratch.push('\'');
            self.scratch.push_str(text);
            self.csv.write_field(self.scratch.as_bytes())
        } else {
            self.csv.write_field(text)
        }
    }

    /// A field of a table of strings that may hold a figure: a plain decimal number is written as
    /// is (a spreadsheet reads `-0.25` as a number), anything else as guarded [`CsvOut::text`].
    pub fn cell(&mut self, text: &str) -> csv::Result<()> {
        if is_plain_number(text) {
            self.csv.write_field(text)
        } else {
            self.text(text)
        }
    }

    /// A number with `.` as the decimal separator; whole numbers without a fraction, and an empty
    /// field for a number that is not finite.
    pub fn number(&mut self, n: f64) -> csv::Result<()> {
        self.scratch.clear();
        if !n.is_finite() {
            return self.csv.write_field("");
        }
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            let _ = write!(self.scratch, "{}", n as i64);
        } else {
            let _ = write!(self.scratch, "{n}");
        }
        self.csv.write_field(self.scratch.as_bytes())
    }

    /// A whole number.
    pub fn integer(&mut self, n: i64) -> csv::Result<()> {
        self.scratch.clear();
        let _ = write!(self.scratch, "{n}");
        self.csv.write_field(self.scratch.as_bytes())
    }

    /// An empty field.
    pub fn empty(&mut self) -> csv::Result<()> {
        self.csv.write_field("")
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> csv::Result<()> {
        self.csv.write_record(None::<&[u8]>)
    }

    /// A whole row of a table of strings, each field written by [`CsvOut::cell`].
    pub fn row<I, S>(&mut self, fields: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for field in fields {
            self.cell(field.as_ref())?;
        }
        self.end_row()
    }

    /// Flushes everything written so far to the underlying writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// A table of strings (header first) as guarded CSV bytes.
pub fn table_bytes<H, R, S>(header: &[H], rows: &[R]) -> csv::Result<Vec<u8>>
where
    H: AsRef<str>,
    R: AsRef<[S]>,
    S: AsRef<str>,
{
    let mut out = CsvOut::new(Vec::new());
    out.row(header)?;
    for row in rows {
        out.row(row.as_ref())?;
    }
    Ok(out.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut CsvOut<&mut Vec<u8>>)) -> String {
        let mut bytes = Vec::new();
        let mut out = CsvOut::new(&mut bytes);
        f(&mut out);
        out.end_row().unwrap();
        out.flush().unwrap();
        drop(out);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_owasp_characters_are_guarded_and_nothing_else() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["", "abc", " =1", "'=1", "1-2", "Да, = не", "\nx"] {
            assert_eq!(neutralise(fine), fine, "{fine:?}");
        }
    }

    #[test]
    fn plain_numbers_are_told_from_formulas() {
        for number in ["0", "-12", "0.25", "-.5", "5.", "-1.5e-3", "2E10", "42.3"] {
            assert!(is_plain_number(number), "{number:?}");
        }
        for not in [
            "", "-", ".", "+1", "+1+1", "-1=x", "-1+1", "-inf", "NaN", "1e", "1e+", "--1", "1.2.3",
            "-2 ", " 1", "=1", "1,5",
        ] {
            assert!(!is_plain_number(not), "{not:?}");
        }
    }

    #[test]
    fn text_is_guarded_and_figures_in_string_tables_are_not() {
        let line = written(|out| {
            out.text("=HYPERLINK(\"http://evil\",\"x\")").unwrap();
            out.cell("@SUM(A1)").unwrap();
            out.cell("+1+1").unwrap();
            out.cell("\t=1+1").unwrap();
            out.cell("\rx").unwrap();
            out.cell("-0.25").unwrap();
            out.text("-5").unwrap();
            out.integer(-3).unwrap();
            out.number(-2.5).unwrap();
            out.number(f64::NAN).unwrap();
        });
        assert_eq!(
            line,
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",'@SUM(A1),'+1+1,'\t=1+1,\"'\rx\",\
             -0.25,'-5,-3,-2.5,\n"
        );
    }

    #[test]
    fn the_guard_is_off_only_when_asked() {
        let mut bytes = Vec::new();
        let mut out = CsvOut::with_guard(&mut bytes, Guard::Off);
        out.text("=cmd").unwrap();
        out.end_row().unwrap();
        out.into_inner().unwrap();
        assert_eq!(bytes, b"=cmd\n");
    }

    #[test]
    fn a_table_is_written_header_first_and_read_back() {
        let bytes = table_bytes(
            &["option", "percent"],
            &[["Да, \"често\"", "42.3"], ["=1+1", "-1"]],
        )
        .unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "Да, \"често\"");
        assert_eq!(&rows[1][0], "'=1+1");
        assert_eq!(&rows[1][1], "-1");
    }
}
