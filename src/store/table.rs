//! A compact, read-only table of responses to one questionnaire, for analysis and export.
//!
//! A parsed [`Response`] keeps every answer in its own map entry under its own copy of the
//! question id: about 7 KB per interview, 700 MB for a national study of 100,000. The table
//! keeps one fixed-size cell per question per response and all text in one arena, about a
//! seventh of that; a row's answer is found by question position without comparing a string,
//! and the whole table is a few flat arrays that the load cache ([`super::cache`]) writes and
//! reads in one piece.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Response, Status};
use crate::outcome::Outcome;
use crate::questionnaire::{AnswerRef, Form, Span, Special};

mod row;
pub use row::Row;

/// Why a response could not be added.
#[derive(Debug, thiserror::Error)]
#[error("the answers hold more than 4 GiB of text, more than one table can keep")]
pub struct TableFull;

/// One stored answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Cell {
    Absent,
    Special(Special),
    Number(f64),
    Text(Span),
    /// A span of [`ResponseTable::code_spans`].
    Codes(Span),
    /// [`Special::Invalid`]: a cell of its own, because the mark never appears in a file and so
    /// has no encoding of its own as a [`Special`] (the load cache stores cells).
    Invalid,
}

/// A timestamp as plain numbers, so the table needs no text to store one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Instant {
    seconds: i64,
    nanos: i32,
}

impl Instant {
    fn of(at: Timestamp) -> Self {
        Self {
            seconds: at.as_second(),
            nanos: at.subsec_nanosecond(),
        }
    }

    fn get(self) -> Timestamp {
        Timestamp::new(self.seconds, self.nanos).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Everything about a response but its answers; names are indices of [`ResponseTable::names`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    id: Uuid,
    status: Status,
    /// As recorded in the file (`None` in older files); see [`Row::outcome`].
    outcome: Option<Outcome>,
    municipality: u32,
    interviewer: u32,
    language: u32,
    version: u32,
    started_at: Instant,
    updated_at: Instant,
    completed_at: Option<Instant>,
    /// A span of [`ResponseTable::others`].
    others: Span,
    /// A span of [`ResponseTable::remarks`].
    remarks: Span,
}

/// A text attached to one question: what was typed for an "other, please specify" option, or
/// the interviewer's remark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Other {
    position: u32,
    text: Span,
}

/// Responses to one questionnaire, packed. Build it with [`ResponseTable::from_responses`] or
/// [`super::Store::load_table`]; read it through [`Row`]s.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseTable {
    /// Cells per row: the number of questions (notes included) of the questionnaire.
    width: u32,
    heads: Vec<Head>,
    /// `width` cells per row, row after row.
    cells: Vec<Cell>,
    /// Which questions each row was asked (skip logic evaluated once, when the row was added):
    /// [`words`] bits per row, bit `p` for the question at position `p`.
    asked: Vec<u64>,
    code_spans: Vec<Span>,
    others: Vec<Other>,
    /// The interviewers' remarks, question by question.
    remarks: Vec<Other>,
    text: String,
    /// Interviewers, languages, municipality codes and versions, each once.
    names: Vec<String>,
    #[serde(skip)]
    name_index: HashMap<String, u32>,
}

impl ResponseTable {
    /// An empty table for `form`'s responses.
    pub fn new(form: &Form) -> Self {
        Self {
            width: form.questions().len() as u32,
            ..Self::default()
        }
    }

    /// The responses to `form`'s questionnaire among `responses`, in the order given; responses
    /// to another questionnaire are left out.
    pub fn from_responses<'r>(
        form: &Form,
        responses: impl IntoIterator<Item = &'r Response>,
    ) -> Result<Self, TableFull> {
        let mut table = Self::new(form);
        for response in responses {
            if response.questionnaire == form.id() {
                table.push(form, response)?;
            }
        }
        Ok(table)
    }

    /// [`ResponseTable::from_responses`] for a slice, built in pieces on every core and
    /// joined in order.
    pub fn from_slice(form: &Form, responses: &[Response]) -> Result<Self, TableFull> {
        use rayon::prelude::*;
        let pieces = responses
            .par_chunks(2048)
            .map(|piece| Self::from_responses(form, piece))
            .collect::<Result<Vec<_>, _>>()?;
        let mut table = Self::new(form);
        for piece in &pieces {
            table.append(piece)?;
        }
        Ok(table)
    }

    /// Number of responses.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The response at `index` (`index < len()`).
    pub fn row(&self, index: usize) -> Row<'_> {
        Row { table: self, index }
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + Clone {
        (0..self.len()).map(|index| self.row(index))
    }

    /// Adds `response`; answers to ids that are not questions of `form` are left out (the store
    /// refuses such files, so only hand-made responses have them).
    ///
    /// Skip logic is evaluated here, once: which questions the response was asked is stored
    /// with it (and in the load cache), so no analysis evaluates it again.
    pub fn push(&mut self, form: &Form, response: &Response) -> Result<(), TableFull> {
        let asked = form.relevance(&response.answers);
        let mut bits = vec![0u64; words(self.width)];
        for (position, _) in asked.iter().enumerate().filter(|(_, a)| **a) {
            bits[position / 64] |= 1 << (position % 64);
        }
        let mut cells = vec![Cell::Absent; self.width as usize];
        for (id, answer) in &response.answers {
            if let Some(cell) = form.position(id).and_then(|p| cells.get_mut(p)) {
                *cell = self.pack(answer.view())?;
            }
        }
        let others_start = self.others.len();
        for (id, text) in &response.other_text {
            if let Some(position) = form.position(id) {
                let text = self.add_text(text)?;
                let position = position as u32;
                self.others.push(Other { position, text });
            }
        }
        let remarks_start = self.remarks.len();
        for (id, text) in &response.remarks {
            if let Some(position) = form.position(id) {
                let text = self.add_text(text)?;
                let position = position as u32;
                self.remarks.push(Other { position, text });
            }
        }
        let head = Head {
            id: response.id,
            status: response.status,
            outcome: response.outcome,
            municipality: self.name(&response.municipality)?,
            interviewer: self.name(&response.interviewer)?,
            language: self.name(&response.language)?,
            version: self.name(&response.questionnaire_version)?,
            started_at: Instant::of(response.started_at),
            updated_at: Instant::of(response.updated_at),
            completed_at: response.completed_at.map(Instant::of),
            others: span(others_start, self.others.len())?,
            remarks: span(remarks_start, self.remarks.len())?,
        };
        self.heads.push(head);
        self.cells.extend(cells);
        self.asked.extend(bits);
        Ok(())
    }

    /// Adds a copy of `row`, which may belong to another table of the same questionnaire.
    pub fn push_row(&mut self, row: Row<'_>) -> Result<(), TableFull> {
        let from = row.table;
        let mut cells = Vec::with_capacity(self.width as usize);
        for position in 0..self.width as usize {
            cells.push(match row.answer(position) {
                Some(answer) => self.pack(answer)?,
                None => Cell::Absent,
            });
        }
        let others_start = self.others.len();
        for other in row.head().others.slice(&from.others) {
            let text = self.add_text(other.text.of(&from.text))?;
            let position = other.position;
            self.others.push(Other { position, text });
        }
        let remarks_start = self.remarks.len();
        for remark in row.head().remarks.slice(&from.remarks) {
            let text = self.add_text(remark.text.of(&from.text))?;
            let position = remark.position;
            self.remarks.push(Other { position, text });
        }
        let head = row.head();
        let head = Head {
            municipality: self.name(row.municipality())?,
            interviewer: self.name(row.interviewer())?,
            language: self.name(row.language())?,
            version: self.name(row.questionnaire_version())?,
            others: span(others_start, self.others.len())?,
            remarks: span(remarks_start, self.remarks.len())?,
            ..head.clone()
        };
        self.heads.push(head);
        self.cells.extend(cells);
        self.asked.extend_from_slice(row.asked_words());
        Ok(())
    }

    /// Adds every row of `other`, a table of the same questionnaire, after this table's rows,
    /// copying its arrays in bulk (several times faster than [`ResponseTable::push_row`] for
    /// each row).
    pub fn append(&mut self, other: &ResponseTable) -> Result<(), TableFull> {
        if other.width != self.width {
            return other.rows().try_for_each(|row| self.push_row(row));
        }
        let text_base = base(self.text.len(), other.text.len())?;
        let codes_base = base(self.code_spans.len(), other.code_spans.len())?;
        let others_base = base(self.others.len(), other.others.len())?;
        let remarks_base = base(self.remarks.len(), other.remarks.len())?;
        let names = other
            .names
            .iter()
            .map(|n| self.name(n))
            .collect::<Result<Vec<u32>, _>>()?;
        let name = |i: u32| names.get(i as usize).copied().unwrap_or(u32::MAX);
        let shift = |s: Span, by: u32| Span {
            start: s.start + by,
            len: s.len,
        };
        self.text.push_str(&other.text);
        let code_spans = other.code_spans.iter().map(|&s| shift(s, text_base));
        self.code_spans.extend(code_spans);
        self.others.extend(other.others.iter().map(|o| Other {
            position: o.position,
            text: shift(o.text, text_base),
        }));
        self.remarks.extend(other.remarks.iter().map(|o| Other {
            position: o.position,
            text: shift(o.text, text_base),
        }));
        self.cells
            .extend(other.cells.iter().map(|cell| match *cell {
                Cell::Text(s) => Cell::Text(shift(s, text_base)),
                Cell::Codes(s) => Cell::Codes(shift(s, codes_base)),
                cell => cell,
            }));
        self.heads.extend(other.heads.iter().map(|h| Head {
            municipality: name(h.municipality),
            interviewer: name(h.interviewer),
            language: name(h.language),
            version: name(h.version),
            others: shift(h.others, others_base),
            remarks: shift(h.remarks, remarks_base),
            ..h.clone()
        }));
        self.asked.extend_from_slice(&other.asked);
        Ok(())
    }

    /// Whether the rows are in strictly increasing response id order.
    pub fn is_sorted_by_id(&self) -> bool {
        self.heads.windows(2).all(|w| w[0].id < w[1].id)
    }

    /// The row of response `id`, in a table whose rows are in id order (as every table the
    /// store loads); `None` when it is not there.
    pub fn find(&self, id: Uuid) -> Option<usize> {
        self.heads.binary_search_by_key(&id, |h| h.id).ok()
    }

    /// Checks a table read back from disk against `form` and its own arrays, so that every
    /// index and span its rows use is in bounds; names what is wrong otherwise.
    pub fn check(&mut self, form: &Form) -> Result<(), String> {
        if self.width as usize != form.questions().len() {
            return Err("made for another number of questions".to_owned());
        }
        if self.cells.len() != self.heads.len() * self.width as usize
            || self.asked.len() != self.heads.len() * words(self.width)
        {
            return Err("the cells do not fill the rows".to_owned());
        }
        let text_ok = |s: &Span| s.fits(&self.text);
        let cell_ok = |c: &Cell| match c {
            Cell::Text(s) => text_ok(s),
            Cell::Codes(s) => s.slice_checked(&self.code_spans).is_some(),
            _ => true,
        };
        let names = self.names.len() as u32;
        let head_ok = |h: &Head| {
            [h.municipality, h.interviewer, h.language, h.version]
                .iter()
                .all(|&n| n < names)
                && h.others.slice_checked(&self.others).is_some()
                && h.remarks.slice_checked(&self.remarks).is_some()
        };
        let other_ok = |o: &Other| o.position < self.width && text_ok(&o.text);
        if !(self.code_spans.iter().all(text_ok)
            && self.cells.iter().all(cell_ok)
            && self.heads.iter().all(head_ok)
            && self.others.iter().all(other_ok)
            && self.remarks.iter().all(other_ok))
        {
            return Err("an index points outside the table".to_owned());
        }
        self.name_index = (0..names)
            .map(|i| (self.names[i as usize].clone(), i))
            .collect();
        Ok(())
    }

    fn pack(&mut self, answer: AnswerRef<'_>) -> Result<Cell, TableFull> {
        Ok(match answer {
            AnswerRef::Special(Special::Invalid) => Cell::Invalid,
            AnswerRef::Special(s) => Cell::Special(s),
            AnswerRef::Number(n) => Cell::Number(n),
            AnswerRef::Text(t) => Cell::Text(self.add_text(t)?),
            AnswerRef::Codes(codes) => {
                let start = self.code_spans.len();
                for code in codes.iter() {
                    let code = self.add_text(code)?;
                    self.code_spans.push(code);
                }
                Cell::Codes(span(start, self.code_spans.len())?)
            }
        })
    }

    fn add_text(&mut self, text: &str) -> Result<Span, TableFull> {
        let start = self.text.len();
        self.text.push_str(text);
        span(start, self.text.len())
    }

    fn name(&mut self, name: &str) -> Result<u32, TableFull> {
        if let Some(&i) = self.name_index.get(name) {
            return Ok(i);
        }
        let i = u32::try_from(self.names.len()).map_err(|_| TableFull)?;
        self.names.push(name.to_owned());
        self.name_index.insert(name.to_owned(), i);
        Ok(i)
    }
}

/// `len` as the base offset of `more` items appended to it, if the sum still fits a span.
fn base(len: usize, more: usize) -> Result<u32, TableFull> {
    let end = len.checked_add(more).ok_or(TableFull)?;
    u32::try_from(end).map_err(|_| TableFull)?;
    u32::try_from(len).map_err(|_| TableFull)
}

/// Words of "asked" bits per row.
fn words(width: u32) -> usize {
    (width as usize).div_ceil(64)
}

fn span(start: usize, end: usize) -> Result<Span, TableFull> {
    Ok(Span {
        start: u32::try_from(start).map_err(|_| TableFull)?,
        len: u32::try_from(end - start).map_err(|_| TableFull)?,
    })
}

impl Span {
    /// The items of `items` this span covers, if it lies within it.
    fn slice_checked<T>(self, items: &[T]) -> Option<&[T]> {
        let start = self.start as usize;
        items.get(start..start + self.len as usize)
    }

    /// The items of `items` this span covers (none when out of bounds).
    fn slice<T>(self, items: &[T]) -> &[T] {
        self.slice_checked(items).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests;
