//! Saving many responses at once (sample generation, imports) without one fsync per file.
//!
//! The guarantee is the same as [`super::atomic::write_atomic`]'s: a response file appears under
//! its final name only once its whole content is durable, and a crash at any moment leaves only
//! complete files plus hidden `.tmp` leftovers that the loader skips. The order is what makes the
//! batch fast: write every temp file, flush them all with one `syncfs` (Linux; elsewhere one
//! fsync per file), then rename them into place and make the renames durable with one fsync of
//! the folder. On the reference machine a per-file fsync costs about 0.2–0.6 ms, which alone
//! would put 100,000 responses over 20 s.
//!
//! The file work is done by one thread, in order. Creating and renaming files in one folder
//! takes the folder's lock, so parallel threads only queue for it — and on Linux they spin
//! while they wait, burning the CPU that the caller (the simulator) needs to generate the next
//! batch. Temp names are unique without a random retry loop: the process id and a counter.
//! Encoding ([`Store::encode_response`]) is kept apart so that it can run on the threads that
//! produce the responses, and the flush runs on its own thread ([`Store::stage_batch`]) so
//! that the next batch's temp files can be written while the disk catches up.
//!
//! Every folder is opened once per batch without following links ([`super::inside`]), and the
//! temp files are created, renamed and removed relative to its handle.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::inside::Folder;
use super::{Response, Store, StoreError};

/// Numbers this process's batch temp files; with the process id it makes a temp name unique.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Bytes reserved for encoding one response: a full interview of the bundled questionnaire
/// takes 2.5–3 kB, so the buffer is rarely regrown.
const ENCODE_CAPACITY: usize = 4 * 1024;

/// One response encoded for [`Store::write_batch`], with the path it is saved to.
///
/// Encoding is the CPU half of a batch save; it can run on other threads (in parallel, while
/// an earlier batch is being written) than the file work, which one thread does best.
#[derive(Debug)]
pub struct EncodedResponse {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Store {
    /// Saves every response of `responses` (replacing files with the same id) and returns the
    /// number of bytes written.
    ///
    /// Files appear atomically and are durable when this returns, as with [`Store::save`]. On
    /// error nothing of the failed step is left visible: temp files are removed, and files
    /// already renamed into place are complete.
    pub fn save_batch(&self, responses: &[Response]) -> Result<u64, StoreError> {
        let batch = responses
            .par_iter()
            .map(|response| self.encode_response(response))
            .collect::<Result<Vec<_>, _>>()?;
        self.write_batch(batch)
    }

    /// Encodes `response` for [`Store::write_batch`], as [`Store::save`] would write it. Fails
    /// only on a questionnaire id that is unsafe in a path or an unencodable response.
    pub fn encode_response(&self, response: &Response) -> Result<EncodedResponse, StoreError> {
        let path = self.response_path(response)?;
        let mut bytes = Vec::with_capacity(ENCODE_CAPACITY);
        match super::encode_into(response, &mut bytes) {
            Ok(()) => Ok(EncodedResponse { path, bytes }),
            Err(source) => Err(StoreError::Write { path, source }),
        }
    }

    /// Writes encoded responses, with the guarantees of [`Store::save_batch`], and returns the
    /// number of bytes written. Fails when a folder or file cannot be created, written, flushed
    /// or renamed; see [`Store::save_batch`] for what is left then.
    pub fn write_batch(&self, batch: Vec<EncodedResponse>) -> Result<u64, StoreError> {
        self.stage_batch(batch)?.publish()
    }

    /// The first half of [`Store::write_batch`]: writes the temp files of `batch` and starts
    /// making them durable on another thread, so that the caller can stage the next batch
    /// while the disk catches up. Nothing is visible under a final name until
    /// [`PendingBatch::publish`]. Fails when a folder or temp file cannot be created or
    /// written; the temp files already written are removed.
    pub fn stage_batch(&self, batch: Vec<EncodedResponse>) -> Result<PendingBatch, StoreError> {
        let mut folders: Vec<Arc<Folder>> = Vec::new();
        let mut staged = Staged::default();
        for EncodedResponse { path, bytes } in batch {
            let dir = parent(&path);
            let folder = match folders.iter().find(|f| f.path() == dir) {
                Some(folder) => Arc::clone(folder),
                None => {
                    let folder = Arc::new(self.folder(dir)?);
                    folders.push(Arc::clone(&folder));
                    folder
                }
            };
            staged.write(folder, path, &bytes)?;
        }
        // Started only now: everything the flush must cover has been written.
        #[cfg(target_os = "linux")]
        let to_flush = folders.clone();
        #[cfg(not(target_os = "linux"))]
        let to_flush: Vec<(PathBuf, PathBuf)> = staged
            .files
            .iter()
            .map(|f| (f.folder.join(&f.temp), f.path.clone()))
            .collect();
        let flush = std::thread::Builder::new()
            .name("anketa-flush".to_owned())
            .spawn(move || flush(&to_flush))
            .map_err(|source| StoreError::Write {
                path: folders
                    .first()
                    .map(|f| f.path().to_owned())
                    .unwrap_or_default(),
                source,
            })?;
        Ok(PendingBatch {
            staged,
            folders,
            flush,
        })
    }
}

/// A batch whose temp files are written and are being flushed to disk in the background (see
/// [`Store::stage_batch`]). Dropping it without publishing removes its temp files.
#[must_use = "a staged batch is only saved once published"]
#[derive(Debug)]
pub struct PendingBatch {
    staged: Staged,
    folders: Vec<Arc<Folder>>,
    flush: std::thread::JoinHandle<Result<(), StoreError>>,
}

impl PendingBatch {
    /// Waits until the temp files are durable, renames them into place in order and makes the
    /// renames durable; returns the number of bytes written. Fails when the flush, a rename or
    /// the folder's fsync fails: the files renamed by then are complete, the rest are removed.
    pub fn publish(self) -> Result<u64, StoreError> {
        let PendingBatch {
            mut staged,
            folders,
            flush,
        } = self;
        match flush.join() {
            Ok(flushed) => flushed?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        staged.publish()?;
        for folder in &folders {
            folder.sync().map_err(|source| StoreError::Write {
                path: folder.path().to_owned(),
                source,
            })?;
        }
        Ok(staged.bytes)
    }
}

/// The folder of `path` (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A temp file written and not yet renamed into place.
#[derive(Debug)]
struct StagedFile {
    folder: Arc<Folder>,
    temp: OsString,
    path: PathBuf,
}

impl StagedFile {
    fn name(&self) -> &OsStr {
        self.path.file_name().unwrap_or_default()
    }
}

/// Temp files written and not yet renamed into place. Dropping it removes the temp files still
/// waiting, so a failed batch leaves none behind.
#[derive(Debug, Default)]
struct Staged {
    files: Vec<StagedFile>,
    /// How many of `files` have been renamed into place.
    published: usize,
    bytes: u64,
}

impl Staged {
    /// Writes `bytes` to a new hidden temp file in `folder` for `path`, without syncing.
    fn write(
        &mut self,
        folder: Arc<Folder>,
        path: PathBuf,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let name = path.file_name().unwrap_or_default().to_owned();
        let (temp, mut file) = match create_temp(&folder, &name) {
            Ok(created) => created,
            Err(source) => return Err(StoreError::Write { path, source }),
        };
        // Recorded before writing, so that a failed write is removed too.
        self.files.push(StagedFile { folder, temp, path });
        if let Err(source) = file.write_all(bytes) {
            let path = self
                .files
                .last()
                .map(|f| f.path.clone())
                .unwrap_or_default();
            return Err(StoreError::Write { path, source });
        }
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    /// Renames every temp file into place, in order.
    fn publish(&mut self) -> Result<(), StoreError> {
        while let Some(file) = self.files.get(self.published) {
            file.folder
                .rename(&file.temp, file.name(), true)
                .map_err(|source| StoreError::Write {
                    path: file.path.clone(),
                    source,
                })?;
            self.published += 1;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for file in self.files.iter().skip(self.published) {
            // Best effort: a temp file that cannot be removed is hidden and skipped by the
            // loader, and `Store::remove_stale_temp_files` clears it later.
            let _ = file.folder.remove(&file.temp);
        }
    }
}

/// Creates `.<name>.<pid>-<n>.tmp` in `folder`, with mode 0600 from creation (the data is
/// never readable by others), failing rather than opening a file that exists or following a
/// link.
fn create_temp(folder: &Folder, name: &OsStr) -> std::io::Result<(OsString, File)> {
    let name = name.to_string_lossy();
    let pid = std::process::id();
    // A name can only be taken by a leftover of a crashed process that had the same id; the
    // next number is then free. The bound keeps a strange folder from looping forever.
    let mut attempts = 0;
    loop {
        let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
        let temp = OsString::from(format!(".{name}.{pid:x}-{n:x}.tmp"));
        match folder.create_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 1_000 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Makes the content of every staged file durable: one `syncfs` per folder's file system.
#[cfg(target_os = "linux")]
fn flush(folders: &[Arc<Folder>]) -> Result<(), StoreError> {
    for folder in folders {
        folder
            .sync_file_system()
            .map_err(|source| StoreError::Write {
                path: folder.path().to_owned(),
                source,
            })?;
    }
    Ok(())
}

/// Makes the content of every staged file, given as (temp path, final path), durable.
#[cfg(not(target_os = "linux"))]
fn flush(staged: &[(PathBuf, PathBuf)]) -> Result<(), StoreError> {
    // Waiting on the disk, not on the folder's lock: these overlap well.
    staged.par_iter().try_for_each(|(temp, path)| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(temp)
            .and_then(|f| f.sync_all())
            .map_err(|source| StoreError::Write {
                path: path.clone(),
                source,
            })
    })
}

#[cfg(test)]
mod tests;
