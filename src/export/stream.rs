//! Streaming rows out in order while formatting them on every core.
//!
//! Formatting numbers, timestamps and quoted text costs far more than writing bytes, so
//! interviews are taken in batches, each batch is split into pieces formatted in parallel into
//! their own buffers, and the buffers are written out in order. Memory holds one batch of
//! formatted rows at a time, whatever the number of interviews.

use std::io::Write;

use rayon::prelude::*;

use super::cell::CellWriter;
use super::{ExportError, ExportOptions};
use crate::store::Row;

/// Interviews per batch; also how often progress is reported.
pub const BATCH: usize = 4096;

/// Interviews per piece formatted by one thread.
const PIECE: usize = 256;

/// What was streamed: interviews and rows.
pub(super) struct Streamed {
    pub responses: usize,
    pub rows: usize,
}

/// Writes every interview with `write_one` (which returns the rows it wrote), in input order.
pub(super) fn stream<'t, W, I, F>(
    rows: I,
    out: &mut W,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize),
    write_one: F,
) -> Result<Streamed, ExportError>
where
    W: Write,
    I: IntoIterator<Item = Row<'t>>,
    F: Fn(&mut CellWriter<&mut Vec<u8>>, Row<'t>) -> csv::Result<usize> + Sync,
{
    let mut input = rows.into_iter();
    let mut batch: Vec<Row<'t>> = Vec::with_capacity(BATCH);
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
                for row in piece {
                    rows += write_one(&mut cells, *row)?;
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
