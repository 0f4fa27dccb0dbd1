//! A whole export to files — data and codebook — and the same run on a background thread
//! reporting progress through a channel, for a screen that must keep drawing meanwhile.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use super::file::{commit, stage_with};
use super::{
    ExportError, ExportOptions, ExportSummary, codebook_path_for, write_codebook_for, write_data,
};
use crate::questionnaire::Form;
use crate::store::{Problem, ResponseFilter, Row, Store};

/// Where an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub data: PathBuf,
    /// `None` writes no codebook.
    pub codebook: Option<PathBuf>,
    /// Replace existing files.
    pub replace: bool,
}

impl Target {
    /// The data file with its codebook in the default place next to it.
    pub fn with_default_codebook(data: PathBuf, replace: bool) -> Self {
        let codebook = Some(codebook_path_for(&data));
        Self {
            data,
            codebook,
            replace,
        }
    }

    /// Fails when a file would be overwritten without `replace`, or the two paths are one.
    ///
    /// Checked before loading and writing anything, so a refusal costs nothing.
    pub fn check(&self) -> Result<(), ExportError> {
        if let Some(codebook) = &self.codebook
            && crate::paths::same_file(&self.data, codebook)
        {
            return Err(ExportError::SameFile(self.data.clone()));
        }
        for path in std::iter::once(&self.data).chain(&self.codebook) {
            if !self.replace && path.exists() {
                return Err(ExportError::Exists { path: path.clone() });
            }
        }
        Ok(())
    }
}

/// What an export to files wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub summary: ExportSummary,
    pub data: PathBuf,
    /// The codebook's path and number of variables.
    pub codebook: Option<(PathBuf, usize)>,
}

/// Writes the data file of `rows` (see [`write_data`]) and its codebook as a pair: both are
/// written whole to temp files beside their targets before either is renamed into place, so a
/// failure or a cancel while writing leaves both files as they were. The codebook records the
/// data file's SHA-256 (see [`super::file`]), which shows the rare pair split by a crash
/// between the two renames.
///
/// Fails, writing nothing, when a file exists and may not be replaced or both paths are one
/// ([`Target::check`]); otherwise as [`write_data`] and [`super::write_atomic_with`] do.
pub fn export_files<'t>(
    form: &Form,
    rows: impl IntoIterator<Item = Row<'t>>,
    options: &ExportOptions,
    target: &Target,
    progress: &mut dyn FnMut(usize),
) -> Result<Written, ExportError> {
    target.check()?;
    write_files(
        form,
        rows,
        options,
        target,
        progress,
        &AtomicBool::new(false),
    )
}

/// [`export_files`] after the checks, stopping at the next write once `cancel` is set.
fn write_files<'t>(
    form: &Form,
    rows: impl IntoIterator<Item = Row<'t>>,
    options: &ExportOptions,
    target: &Target,
    progress: &mut dyn FnMut(usize),
    cancel: &AtomicBool,
) -> Result<Written, ExportError> {
    options.language(form)?;
    let (data, summary, data_sha256) = stage_with(&target.data, target.replace, |out| {
        let out = Cancellable { inner: out, cancel };
        write_data(form, rows, options, out, progress)
    })?;
    let codebook = match &target.codebook {
        Some(path) => {
            let (staged, variables, _) = stage_with(path, target.replace, |out| {
                let out = Cancellable { inner: out, cancel };
                write_codebook_for(form, options, &data_sha256, out)
            })?;
            Some((staged, path.clone(), variables))
        }
        None => None,
    };
    // Both are whole on disk; only the renames are left, the data first.
    commit(data)?;
    let codebook = match codebook {
        Some((staged, path, variables)) => {
            commit(staged)?;
            Some((path, variables))
        }
        None => None,
    };
    Ok(Written {
        summary,
        data: target.data.clone(),
        codebook,
    })
}

/// What a background export reports, in this order: `Loaded`, `Progress`…, `Finished`.
#[derive(Debug)]
pub enum JobEvent {
    /// The responses were read: how many the filter selected, and the files that were skipped.
    Loaded {
        selected: usize,
        problems: Vec<Problem>,
    },
    /// Interviews written so far, of `total`.
    Progress { done: usize, total: usize },
    /// The end: what was written, or why nothing was.
    Finished(Result<Written, String>),
}

/// A running background export.
pub struct Job {
    /// The job's news, ending with [`JobEvent::Finished`].
    pub events: Receiver<JobEvent>,
    cancel: Arc<AtomicBool>,
}

impl Job {
    /// Asks the export to stop. It stops at its next write, deletes its temp files and finishes
    /// with an error; the data file and codebook are left as they were (both are renamed into
    /// place only once both are written).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The message of an export stopped by [`Job::cancel`].
pub const CANCELLED: &str = "the export was cancelled";

/// Loads the responses of `form` from `store` (through its table cache, as `anketa export`
/// does), filters them and exports them to `target`, on a new thread. The job's events report
/// progress; it can be cancelled.
pub fn spawn(
    store: Store,
    form: Form,
    filter: ResponseFilter,
    options: ExportOptions,
    target: Target,
) -> Job {
    let (tx, rx) = channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    std::thread::spawn(move || {
        let result = run(&store, &form, &filter, &options, &target, &tx, &flag);
        // The receiver may be gone (screen closed); nothing is left to tell then.
        let _ = tx.send(JobEvent::Finished(result.map_err(|e| e.to_string())));
    });
    Job { events: rx, cancel }
}

/// A writer that fails once its flag is set, so a cancelled export unwinds like a failed one.
struct Cancellable<'a, W> {
    inner: W,
    cancel: &'a AtomicBool,
}

impl<W: Write> Write for Cancellable<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CANCELLED));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn run(
    store: &Store,
    form: &Form,
    filter: &ResponseFilter,
    options: &ExportOptions,
    target: &Target,
    tx: &Sender<JobEvent>,
    cancel: &AtomicBool,
) -> Result<Written, ExportError> {
    target.check()?;
    let loaded = store
        .load_table(form)
        .map_err(|e| ExportError::Load(e.to_string()))?;
    let selected: Vec<Row> = loaded
        .table
        .rows()
        .filter(|row| filter.matches_row(row))
        .collect();
    let total = selected.len();
    let _ = tx.send(JobEvent::Loaded {
        selected: total,
        problems: loaded.problems,
    });
    let mut progress = |done| {
        let _ = tx.send(JobEvent::Progress { done, total });
    };
    write_files(form, selected, options, target, &mut progress, cancel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::write_atomic_with;
    use crate::questionnaire::{Answer, catalog};
    use crate::store::{Response, ResponseTable, Status};

    fn complete(form: &Form, n: usize) -> ResponseTable {
        let list: Vec<Response> = (0..n)
            .map(|_| {
                let mut r = Response::new(form, "Анна", "SOF46", "bg");
                r.status = Status::Complete;
                r
            })
            .collect();
        ResponseTable::from_responses(form, &list).unwrap()
    }

    #[test]
    fn a_codebook_that_cannot_be_written_leaves_the_old_data_file() {
        let dir = tempfile::tempdir().unwrap();
        let form = catalog::default_form().unwrap();
        let table = complete(&form, 3);
        let data = dir.path().join("survey.csv");
        std::fs::write(&data, b"last week's export").unwrap();
        let target = Target {
            data: data.clone(),
            // A folder that does not exist: the codebook's temp file cannot be created.
            codebook: Some(dir.path().join("missing").join("survey.codebook.csv")),
            replace: true,
        };
        let options = ExportOptions::default();
        assert!(export_files(&form, table.rows(), &options, &target, &mut |_| {}).is_err());
        assert_eq!(std::fs::read(&data).unwrap(), b"last week's export");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file"
        );
    }

    #[test]
    fn the_codebook_records_the_sha256_of_its_data_file() {
        let dir = tempfile::tempdir().unwrap();
        let form = catalog::default_form().unwrap();
        let table = complete(&form, 4);
        let data = dir.path().join("survey.csv");
        let target = Target::with_default_codebook(data.clone(), false);
        let options = ExportOptions::default();
        export_files(&form, table.rows(), &options, &target, &mut |_| {}).unwrap();
        use sha2::Digest;
        let expected: String = sha2::Sha256::digest(std::fs::read(&data).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let codebook = target.codebook.unwrap();
        let mut reader = csv::Reader::from_path(&codebook).unwrap();
        let column = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "data_sha256")
            .unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r[column] == expected), "{expected}");
    }

    #[test]
    fn a_background_export_reports_and_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let form = catalog::default_form().unwrap();
        for i in 0..5 {
            let mut r = Response::new(&form, "Анна", "SOF46", "bg");
            if i < 3 {
                r.status = Status::Complete;
                r.completed_at = Some(r.updated_at);
            }
            r.answers
                .insert("consent".into(), Answer::Text("yes".into()));
            store.save(&r).unwrap();
        }
        let out = dir.path().join("survey.csv");
        let target = Target::with_default_codebook(out.clone(), false);
        let job = spawn(
            store.clone(),
            form.clone(),
            ResponseFilter::default(),
            ExportOptions::default(),
            target.clone(),
        );
        let events: Vec<JobEvent> = job.events.iter().collect();
        assert!(
            matches!(events[0], JobEvent::Loaded { selected: 3, ref problems } if problems.is_empty())
        );
        assert!(matches!(
            events[1],
            JobEvent::Progress { done: 3, total: 3 }
        ));
        let JobEvent::Finished(Ok(written)) = &events[2] else {
            panic!("{events:?}")
        };
        assert_eq!(written.summary.rows, 3);
        assert!(out.is_file() && dir.path().join("survey.codebook.csv").is_file());
        // A second run refuses to overwrite, before loading anything.
        let job = spawn(
            store,
            form,
            ResponseFilter::default(),
            ExportOptions::default(),
            target,
        );
        let events: Vec<JobEvent> = job.events.iter().collect();
        assert!(
            matches!(&events[..], [JobEvent::Finished(Err(e))] if e.contains("already exists"))
        );
    }

    #[test]
    fn a_cancelled_export_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let form = catalog::default_form().unwrap();
        let table = complete(&form, 3);
        let path = dir.path().join("x.csv");
        let cancel = AtomicBool::new(true);
        let err = write_atomic_with(&path, false, |out| {
            let out = Cancellable {
                inner: out,
                cancel: &cancel,
            };
            write_data(
                &form,
                table.rows(),
                &ExportOptions::default(),
                out,
                &mut |_| {},
            )
        })
        .unwrap_err();
        assert!(err.to_string().contains(CANCELLED), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
