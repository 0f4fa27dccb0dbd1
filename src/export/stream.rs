//! Streaming rows out in order while formatting them on every core.
//!
//! Routing (which questions were asked) and formatting cost far more than writing bytes, so
//! interviews are taken in batches, each batch is split into pieces formatted in parallel into
//! their own buffers, and the buffers are written out in order. Memory holds one batch of
//! formatted rows at a time, whatever the number of interviews.

use std::collections::BTreeMap;
use std::io::Write;

use rayon::prelude::*;

use super::cell::CellWriter;
use super::{ExportError, ExportOptions};
use crate::questionnaire::{Answer, Form};
use crate::store::Response;

/// Interviews per batch; also how often progress is reported.
pub const BATCH: usize = 4096;

/// Interviews per piece formatted by one thread.
const PIECE: usize = 256;

/// What was streamed: interviews and rows.
pub(super) struct Streamed {
    pub responses: usize,
    pub rows: usize,
}

/// Writes every response with `write_one` (which returns the rows it wrote), in input order.
pub(super) fn stream<'r, W, I, F>(
    responses: I,
    out: &mut W,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize),
    write_one: F,
) -> Result<Streamed, ExportError>
where
    W: Write,
    I: IntoIterator<Item = &'r Response>,
    F: Fn(&mut CellWriter<&mut Vec<u8>>, &Response) -> csv::Result<usize> + Sync,
{
    let mut input = responses.into_iter();
    let mut batch: Vec<&Response> = Vec::with_capacity(BATCH);
    let mut done = Streamed {
        responses: 0,
        rows: 0,
    };
    loop {
        batch.clear();
        batch.extend(input.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        let pieces: Vec<Result<(Vec<u8>, usize), ExportError>> = batch
            .par_chunks(PIECE)
            .map(|piece| {
                let mut buf = Vec::with_capacity(piece.len() * 512);
                let mut cells = CellWriter::new(&mut buf, options);
                let mut rows = 0;
                for response in piece {
                    rows += write_one(&mut cells, response)?;
                }
                cells.finish()?;
                Ok((buf, rows))
            })
            .collect();
        for piece in pieces {
            let (bytes, rows) = piece?;
            out.write_all(&bytes)?;
            done.rows += rows;
        }
        done.responses += batch.len();
        progress(done.responses);
    }
    if done.responses == 0 {
        progress(0);
    }
    Ok(done)
}

/// Finds a response's answers by question position with one merged walk over two sorted lists,
/// instead of one map lookup per question.
pub(super) struct AnswerIndex {
    /// Question ids in the order of a `BTreeMap<String, _>`, with their positions.
    sorted: Vec<(String, usize)>,
    questions: usize,
}

impl AnswerIndex {
    pub(super) fn new(form: &Form) -> Self {
        let mut sorted: Vec<(String, usize)> = form
            .questions()
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        sorted.sort();
        Self {
            sorted,
            questions: form.questions().len(),
        }
    }

    /// The answer stored for each question, by position.
    pub(super) fn by_position<'a>(
        &self,
        answers: &'a BTreeMap<String, Answer>,
    ) -> Vec<Option<&'a Answer>> {
        let mut found = vec![None; self.questions];
        let mut ids = self.sorted.iter().peekable();
        for (id, answer) in answers {
            while ids.next_if(|(qid, _)| qid.as_str() < id.as_str()).is_some() {}
            if let Some((_, position)) = ids.next_if(|(qid, _)| qid == id) {
                found[*position] = Some(answer);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn the_merged_walk_finds_what_a_lookup_finds() {
        let form = catalog::default_form().unwrap();
        let index = AnswerIndex::new(&form);
        let mut answers = BTreeMap::new();
        for (i, q) in form
            .questions()
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
        {
            answers.insert(q.id.clone(), Answer::Number(i as f64));
        }
        answers.insert("aaa_not_a_question".into(), Answer::Number(-1.0));
        answers.insert("zzz_not_a_question".into(), Answer::Number(-1.0));
        let found = index.by_position(&answers);
        for (i, q) in form.questions().iter().enumerate() {
            assert_eq!(found[i], answers.get(&q.id), "{}", q.id);
        }
    }
}
