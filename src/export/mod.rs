//! CSV exports for the report: wide (one row per interview), long (one row per answer) and the
//! codebook that says what every column and code means.
//!
//! The core is pure: it takes a [`Form`], the rows of a
//! [`ResponseTable`](crate::store::ResponseTable) and [`ExportOptions`], and writes to any
//! [`std::io::Write`]. Files are written by [`file::write_atomic_with`], which streams through
//! a buffer into a temp file and renames it, so an interrupted export leaves no half file.
//!
//! Design choices, each for a tool that reads the file:
//! - Missing answers are numeric reserved codes, the same in every column ([`Missing`]), so SPSS,
//!   Stata and R can declare them once; `--missing empty` leaves them blank instead.
//! - Whether a question was asked comes from [`Form::relevance`], the routing the interview
//!   itself uses, worked out once per interview when it enters the table
//!   ([`crate::store::Row::asked`]); an answer stored for a question that was later routed
//!   away is "not asked".
//! - Text cells that a spreadsheet would run as a formula get a `'` prefix ([`neutralise`],
//!   OWASP's CSV-injection advice); numbers, including negative codes, are never touched.
//! - Rows are streamed: memory holds the loaded table (see [`crate::store::Store::load_table`])
//!   and one batch of formatted rows, never the whole file; the batch is formatted on every
//!   core and written in order. A row's answers are read by question position, so formatting
//!   an interview compares no question ids.
//! - The codebook (see the `codebook` module) describes exactly the wide file's columns,
//!   because both walk the same [`WidePlan`].

mod cell;
mod codebook;
mod columns;
pub mod file;
pub mod job;
mod long;
mod stream;
mod wide;

use std::io::Write;

pub use cell::{Missing, neutralise};
pub use columns::{Paradata, WidePlan};
pub use file::{codebook_path_for, write_atomic_with};
pub use job::{Job, JobEvent, Target, Written, export_files};

use crate::questionnaire::Form;
use crate::store::Row;

/// Wide (one row per interview) or long (one row per answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Wide,
    Long,
}

/// Whether single-choice answers are written as codes or as labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ValueStyle {
    #[default]
    Codes,
    Labels,
}

/// How missing answers are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingStyle {
    /// The reserved codes -1, -2, -3, -9.
    #[default]
    Codes,
    /// Empty cells.
    Empty,
}

/// Everything that shapes an export. The default is a wide export with codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    pub values: ValueStyle,
    /// Language of labels and names; `None` means the questionnaire's default language.
    pub lang: Option<String>,
    pub missing: MissingStyle,
    /// Start the file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Write text cells exactly as typed, without the formula-injection guard.
    pub raw_text: bool,
    /// Leave out open text answers and "other, please specify" texts (personal data).
    pub drop_text: bool,
    /// Leave out the interviewer's name.
    pub drop_interviewer: bool,
}

impl ExportOptions {
    /// The language labels are written in, checked against the questionnaire's languages.
    pub fn language<'a>(&'a self, form: &'a Form) -> Result<&'a str, ExportError> {
        match &self.lang {
            None => Ok(form.default_language()),
            Some(lang) if form.languages().iter().any(|l| l == lang) => Ok(lang),
            Some(lang) => Err(ExportError::UnknownLanguage {
                lang: lang.clone(),
                available: form.languages().join(", "),
            }),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the questionnaire has no language `{lang}` (it has {available})")]
    UnknownLanguage { lang: String, available: String },
    #[error(
        "two columns would both be named `{0}`: a question id clashes with a `question__code` column"
    )]
    DuplicateColumn(String),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(
        "the codebook and the data would be the same file, {0}; give the codebook another name \
         (--codebook FILE)"
    )]
    SameFile(std::path::PathBuf),
    #[error("cannot read the responses: {0}")]
    Load(String),
    #[error("{path} already exists; choose another name or allow replacing it (--force)")]
    Exists { path: std::path::PathBuf },
    #[error("cannot write {path}: {source}")]
    File {
        path: std::path::PathBuf,
        source: Box<ExportError>,
    },
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Interviews exported.
    pub responses: usize,
    /// Data rows written (interviews for wide, answers for long).
    pub rows: usize,
    /// Columns per row.
    pub columns: usize,
}

/// How often the progress callback is called, in interviews.
pub const PROGRESS_EVERY: usize = stream::BATCH;

/// Writes the data file of `rows` (interviews of a [`crate::store::ResponseTable`] built for
/// `form`, already filtered) to `out`, in the order given.
///
/// `progress` receives the number of interviews written so far, every [`PROGRESS_EVERY`]
/// interviews and after the last one. Fails on an unknown language, clashing column names or a
/// write error; the interviews themselves never make it fail (an answer of an unexpected shape
/// is written as it is rather than dropped).
pub fn write_data<'t, W, I>(
    form: &Form,
    rows: I,
    options: &ExportOptions,
    out: W,
    progress: &mut dyn FnMut(usize),
) -> Result<ExportSummary, ExportError>
where
    W: Write,
    I: IntoIterator<Item = Row<'t>>,
{
    let plan = WidePlan::new(form, options)?;
    let lang = options.language(form)?;
    let mut out = out;
    if options.bom {
        out.write_all(cell::BOM)?;
    }
    let headers = match options.format {
        Format::Wide => plan.headers(form),
        Format::Long => long::HEADER.map(str::to_owned).to_vec(),
    };
    let mut head = cell::CellWriter::new(&mut out, options);
    for name in &headers {
        head.text(name)?;
    }
    head.end_row()?;
    head.finish()?;
    let ctx = wide::RowContext {
        form,
        lang,
        values: options.values,
    };
    let done = match options.format {
        Format::Wide => stream::stream(rows, &mut out, options, progress, |cells, row| {
            wide::write_row(cells, &ctx, &plan, row).map(|()| 1)
        }),
        Format::Long => stream::stream(rows, &mut out, options, progress, |cells, row| {
            long::write_rows(cells, &ctx, &plan, row)
        }),
    }?;
    out.flush()?;
    Ok(ExportSummary {
        responses: done.responses,
        rows: done.rows,
        columns: headers.len(),
    })
}

/// Writes the codebook for an export made with `options` to `out`.
pub fn write_codebook<W: Write>(
    form: &Form,
    options: &ExportOptions,
    out: W,
) -> Result<usize, ExportError> {
    let plan = WidePlan::new(form, options)?;
    let mut out = out;
    if options.bom {
        out.write_all(cell::BOM)?;
    }
    codebook::write(
        form,
        &plan,
        cell::CellWriter::new(out, options),
        options.missing,
    )
}

#[cfg(test)]
mod tests;
