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

use super::data::{self, Derived};
use crate::quality::QualityReport;
use crate::questionnaire::Form;
use crate::store::{self, Problem, Response, ResponseFilter, ResponseTable};
use crate::targets::Targets;

/// How often the responses folder is checked for new or changed files.
pub const WATCH_INTERVAL: Duration = Duration::from_secs(2);

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
    /// A responses folder with the store's load cache, watched for changes: the figures come
    /// from the cache's table at once, the quality flags once every file has been parsed.
    Cached { folder: PathBuf, cache: PathBuf },
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
                    table: ResponseTable::default(),
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
    /// The same responses packed for the statistics, built once per reload.
    table: ResponseTable,
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
        let outbox = self.outbox.clone();
        let progress = move |done, total| {
            let _ = outbox.send(Event::Progress { done, total });
        };
        let table = match &self.source {
            Source::Loaded(responses) => {
                self.responses = responses.clone();
                ResponseTable::from_slice(&self.form, &self.responses)
            }
            Source::Folder(dir) => {
                let dir = dir.clone();
                self.stamp = FolderStamp::of(&dir);
                match read_folder(&dir, &self.form, progress) {
                    Ok((responses, problems)) => {
                        self.responses = Arc::new(responses);
                        self.problems = Arc::new(problems);
                    }
                    Err(e) => return self.fail(&e),
                }
                ResponseTable::from_slice(&self.form, &self.responses)
            }
            Source::Cached { folder, cache } => {
                let (folder, cache) = (folder.clone(), cache.clone());
                return self.reload_cached(&folder, &cache, &progress);
            }
        };
        match table {
            Ok(table) => self.table = table,
            Err(e) => return self.fail(&e),
        }
        self.outbox.send(Event::Read).is_ok() && self.compute()
    }

    /// Figures first, from the cached table (a fraction of a second at 100,000 responses), then
    /// the responses themselves for the quality flags, which need every answer's timing.
    fn reload_cached(
        &mut self,
        folder: &Path,
        cache: &Path,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> bool {
        self.stamp = FolderStamp::of(folder);
        match store::load_table_folder(folder, Some(cache), &self.form, progress) {
            Ok(loaded) => {
                self.table = loaded.table;
                self.problems = Arc::new(loaded.problems);
            }
            Err(e) => return self.fail(&e),
        }
        if !(self.outbox.send(Event::Read).is_ok() && self.send_figures()) {
            return false;
        }
        // No progress news now: the figures are on screen and must stay there.
        match read_folder(folder, &self.form, |_, _| {}) {
            Ok((responses, _)) => self.responses = Arc::new(responses),
            Err(e) => return self.fail(&e),
        }
        self.send_quality()
    }

    fn fail(&self, error: &dyn std::fmt::Display) -> bool {
        self.outbox.send(Event::Failed(error.to_string())).is_ok()
    }

    fn compute(&mut self) -> bool {
        self.send_figures() && self.send_quality()
    }

    fn send_figures(&self) -> bool {
        let derived = Derived::compute_with(
            &self.form,
            &self.table,
            &self.filter,
            self.problems.clone(),
            self.targets.as_ref(),
        );
        self.outbox.send(Event::Computed(Box::new(derived))).is_ok()
    }

    fn send_quality(&self) -> bool {
        let flags = data::quality(&self.form, &self.responses, &self.filter);
        self.outbox
            .send(Event::Quality(self.filter.clone(), Arc::new(flags)))
            .is_ok()
    }

    fn folder_changed(&self) -> bool {
        match &self.source {
            Source::Folder(dir) | Source::Cached { folder: dir, .. } => {
                FolderStamp::of(dir) != self.stamp
            }
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

/// Reads every response file of `dir` with the store's own loader (the same checks and
/// refusals as [`store::Store::load`]), reporting progress as files are read.
pub fn read_folder(
    dir: &Path,
    form: &Form,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<(Vec<Response>, Vec<Problem>), store::StoreError> {
    let report = store::load_folder(dir, form, &progress)?;
    Ok((report.responses, report.problems))
}
