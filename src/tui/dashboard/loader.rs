//! The background loader: reads the response files with progress, computes the figures,
//! recomputes them when the filter changes, and reloads when the folder changes.
//!
//! The terminal thread never reads a file or computes a statistic: it sends [`Request`]s and
//! receives [`Event`]s through channels, so the first frame appears at once and a key press
//! never waits for 100,000 files.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use super::data::{self, Derived};
use crate::quality::QualityReport;
use crate::questionnaire::Form;
use crate::store::{self, Problem, Response, ResponseFilter};
use crate::targets::Targets;

/// How often the responses folder is checked for new or changed files.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(2);

/// Files parsed between two progress reports.
const CHUNK: usize = 2_000;

/// What the terminal thread asks of the loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Read the files again now.
    Reload,
    /// Compute the figures for this filter.
    Compute(ResponseFilter),
}

/// What the loader reports.
#[derive(Debug)]
pub enum Event {
    Progress {
        done: usize,
        total: usize,
    },
    /// Files read; computing.
    Read,
    Computed(Box<Derived>),
    /// The data-quality flags for a filter, computed after the figures (they take longer).
    Quality(ResponseFilter, Arc<Result<QualityReport, String>>),
    Failed(String),
}

/// Where the responses come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A responses folder, watched for changes.
    Folder(PathBuf),
    /// Responses already in memory (a demo), not watched.
    Loaded(Arc<Vec<Response>>),
}

/// The loader thread's handle; dropping it stops the thread at its next wake-up.
#[derive(Debug)]
pub struct Loader {
    pub requests: Sender<Request>,
    pub events: Receiver<Event>,
}

impl Loader {
    /// Starts the thread; it loads at once with `filter`.
    pub fn spawn(
        form: Arc<Form>,
        source: Source,
        filter: ResponseFilter,
        targets: Option<Targets>,
    ) -> std::io::Result<Self> {
        let (requests, inbox) = mpsc::channel();
        let (outbox, events) = mpsc::channel();
        std::thread::Builder::new()
            .name("dashboard-loader".into())
            .spawn(move || {
                let mut worker = Worker {
                    form,
                    source,
                    filter,
                    targets,
                    responses: Arc::new(Vec::new()),
                    problems: Arc::new(Vec::new()),
                    stamp: None,
                    outbox,
                };
                worker.run(&inbox);
            })?;
        Ok(Self { requests, events })
    }
}

struct Worker {
    form: Arc<Form>,
    source: Source,
    filter: ResponseFilter,
    targets: Option<Targets>,
    responses: Arc<Vec<Response>>,
    problems: Arc<Vec<Problem>>,
    stamp: Option<FolderStamp>,
    outbox: Sender<Event>,
}

impl Worker {
    fn run(&mut self, inbox: &Receiver<Request>) {
        if !self.reload() {
            return;
        }
        loop {
            let request = match inbox.recv_timeout(WATCH_INTERVAL) {
                Ok(r) => r,
                Err(RecvTimeoutError::Timeout) => {
                    if self.folder_changed() && !self.reload() {
                        return;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            };
            // Only the latest filter matters when several arrive while computing.
            let mut latest = request;
            let mut reload = latest == Request::Reload;
            while let Ok(next) = inbox.try_recv() {
                reload |= next == Request::Reload;
                latest = next;
            }
            if let Request::Compute(filter) = latest {
                self.filter = filter;
            }
            let alive = if reload {
                self.reload()
            } else {
                self.compute()
            };
            if !alive {
                return;
            }
        }
    }

    /// Reads the source again and computes; `false` when the terminal side has gone.
    fn reload(&mut self) -> bool {
        match &self.source {
            Source::Loaded(responses) => self.responses = responses.clone(),
            Source::Folder(dir) => {
                let dir = dir.clone();
                self.stamp = FolderStamp::of(&dir);
                let outbox = self.outbox.clone();
                let progress = |done, total| {
                    let _ = outbox.send(Event::Progress { done, total });
                };
                match read_folder(&dir, &self.form, progress) {
                    Ok((responses, problems)) => {
                        self.responses = Arc::new(responses);
                        self.problems = Arc::new(problems);
                    }
                    Err(e) => return self.outbox.send(Event::Failed(e.to_string())).is_ok(),
                }
            }
        }
        self.outbox.send(Event::Read).is_ok() && self.compute()
    }

    fn compute(&mut self) -> bool {
        let derived = Derived::compute(
            &self.form,
            &self.responses,
            &self.filter,
            self.problems.clone(),
            self.targets.as_ref(),
        );
        if self
            .outbox
            .send(Event::Computed(Box::new(derived)))
            .is_err()
        {
            return false;
        }
        let flags = data::quality(&self.form, &self.responses, &self.filter);
        self.outbox
            .send(Event::Quality(self.filter.clone(), Arc::new(flags)))
            .is_ok()
    }

    fn folder_changed(&self) -> bool {
        match &self.source {
            Source::Folder(dir) => FolderStamp::of(dir) != self.stamp,
            Source::Loaded(_) => false,
        }
    }
}

/// The modification time and number of entries of a folder: an atomic rename of a new or
/// updated response changes at least one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderStamp {
    modified: Option<SystemTime>,
    entries: usize,
}

impl FolderStamp {
    fn of(dir: &Path) -> Option<Self> {
        let modified = std::fs::metadata(dir).ok()?.modified().ok();
        let entries = std::fs::read_dir(dir).ok()?.count();
        Some(Self { modified, entries })
    }
}

/// Reads every response file of `dir` in parallel, reporting progress after each chunk; the
/// same checks as [`store::Store::load`], file by file, with unreadable files as problems.
pub fn read_folder(
    dir: &Path,
    form: &Form,
    progress: impl Fn(usize, usize),
) -> Result<(Vec<Response>, Vec<Problem>), store::StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            progress(0, 0);
            return Ok((Vec::new(), Vec::new()));
        }
        Err(source) => {
            return Err(store::StoreError::ReadDir {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            name.ends_with(".json") && !store::atomic::is_temp_name(&name)
        })
        .collect();
    paths.sort();
    let total = paths.len();
    progress(0, total);
    let mut responses = Vec::with_capacity(total);
    let mut problems = Vec::new();
    for (i, chunk) in paths.chunks(CHUNK).enumerate() {
        let results: Vec<Result<Response, Problem>> =
            chunk.par_iter().map(|p| read_one(p, form)).collect();
        for result in results {
            match result {
                Ok(r) => responses.push(r),
                Err(p) => problems.push(p),
            }
        }
        progress((i * CHUNK + chunk.len()).min(total), total);
    }
    responses.sort_by_key(|r| r.id);
    Ok((responses, problems))
}

fn read_one(path: &Path, form: &Form) -> Result<Response, Problem> {
    let problem = |reason: String| Problem {
        path: path.to_owned(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| problem(format!("cannot read: {e}")))?;
    let response = store::parse_response(&bytes).map_err(problem)?;
    store::check_response(&response, path, form).map_err(problem)?;
    Ok(response)
}
