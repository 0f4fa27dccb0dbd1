//! The response store: one JSON file per interview under
//! `DIR/responses/<questionnaire-id>/<uuid>.json`.
//!
//! One file per interview keeps every write small and atomic, makes merging laptops a matter of
//! copying files, and lets anyone read the data without anketa. Loading never modifies a file:
//! whatever cannot be read is reported as a [`Problem`] and left exactly as it is.

pub mod admit;
pub mod atomic;
mod bulk;
mod cache;
mod current;
mod files;
pub mod filter;
pub mod inside;
mod load;
mod lock;
pub mod read;
pub mod response;
pub mod table;
mod table_load;
mod trail;

use std::path::{Path, PathBuf};

pub use admit::admit;
pub use bulk::{EncodedResponse, PendingBatch};
pub use filter::{Cases, ResponseFilter};
pub use load::{
    Admitted, LoadReport, MAX_RESPONSE_BYTES, Problem, check_response, load_file, load_folder,
    parse_and_check, parse_response, read_response_file, reason_for, skipped_files,
};
pub use lock::ResponseLock;
pub use response::{Observations, Response, Revision, Status};
pub use table::{ResponseTable, Row, TableFull};
pub use table_load::{TableLoad, load_table_folder};
pub use trail::{TrailNote, TrailRead};

use crate::questionnaire::{Answer, Form, Special};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot save {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the folder {path}: {source}")]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the responses in {path} hold more than 4 GiB of answer text, more than one analysis can keep"
    )]
    TableFull { path: PathBuf },
    #[error("interview {0} is open in another anketa window; finish or pause it there first")]
    Locked(uuid::Uuid),
    #[error("{} is no longer there: another window deleted or moved it; nothing was changed", path.display())]
    Missing { path: PathBuf },
    #[error("{0}")]
    Unreadable(Problem),
    #[error("{} is a completed interview, not a draft; completed interviews are kept", path.display())]
    NotADraft { path: PathBuf },
    #[error("refusing to use {0:?} in a file name: only letters, digits, `-` and `_` are allowed")]
    UnsafeId(String),
    #[error(transparent)]
    Link(#[from] inside::LinkInTheWay),
}

impl StoreError {
    /// `source` from opening or creating `path`: a link in the way as [`StoreError::Link`],
    /// anything else as [`StoreError::CreateDir`].
    fn folder(path: &Path, source: std::io::Error) -> Self {
        match inside::LinkInTheWay::from_io(source) {
            Ok(link) => Self::Link(link),
            Err(source) => Self::CreateDir {
                path: path.to_owned(),
                source,
            },
        }
    }

    /// `source` from writing the file `path`: a link in the way as [`StoreError::Link`],
    /// anything else as [`StoreError::Write`].
    fn write(path: &Path, source: std::io::Error) -> Self {
        match inside::LinkInTheWay::from_io(source) {
            Ok(link) => Self::Link(link),
            Err(source) => Self::Write {
                path: path.to_owned(),
                source,
            },
        }
    }
}

/// Whether `id` is safe as one path component: no separators, no `..`, not empty.
///
/// Ids come from files that may have travelled from another laptop; they are checked before
/// they are ever joined to a path.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The bytes of a response file: pretty JSON (readable and diffable by anyone) and a newline.
fn encode(response: &Response) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    encode_into(response, &mut bytes)?;
    Ok(bytes)
}

/// [`encode`] appending to `bytes`, a buffer the caller has sized (batches reserve a typical
/// response's size up front instead of growing the buffer several times).
fn encode_into(response: &Response, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *bytes, response)?;
    bytes.push(b'\n');
    Ok(())
}

/// A data folder.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens (creating with mode 0700 if needed) the data folder `root`.
    pub fn open(root: &Path) -> Result<Self, StoreError> {
        atomic::create_private_dir(root).map_err(|source| StoreError::CreateDir {
            path: root.to_owned(),
            source,
        })?;
        Ok(Self {
            root: root.to_owned(),
        })
    }

    /// The data folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder holding the responses to one questionnaire.
    pub fn responses_dir(&self, questionnaire: &str) -> Result<PathBuf, StoreError> {
        if !is_safe_id(questionnaire) {
            return Err(StoreError::UnsafeId(questionnaire.to_owned()));
        }
        Ok(self.root.join("responses").join(questionnaire))
    }

    /// The file of one response.
    pub fn response_path(&self, response: &Response) -> Result<PathBuf, StoreError> {
        Ok(self
            .responses_dir(&response.questionnaire)?
            .join(format!("{}.json", response.id)))
    }

    /// Saves `response` atomically and returns its path.
    ///
    /// Fails without touching the previous version of the file when the folder cannot be
    /// written, the disk is full, or an answer is a number that JSON cannot hold (NaN or
    /// infinity, which would otherwise be written as `null` and make the file unreadable).
    pub fn save(&self, response: &Response) -> Result<PathBuf, StoreError> {
        let path = self.response_path(response)?;
        if let Some((question, _)) = response
            .answers
            .iter()
            .find(|(_, a)| matches!(a, Answer::Number(n) if !n.is_finite()))
        {
            return Err(StoreError::Write {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("the answer to `{question}` is not a finite number"),
                ),
            });
        }
        // The invalid mark replaces, in memory only, a value that broke its question's rules
        // (`admit`); writing it would lose that value from the file.
        if let Some((question, _)) = response
            .answers
            .iter()
            .find(|(_, a)| matches!(a, Answer::Special(Special::Invalid)))
        {
            return Err(StoreError::Write {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the stored answer to `{question}` was invalid when loaded; answer it again before saving"
                    ),
                ),
            });
        }
        let bytes = encode(response).map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })?;
        let (folder, name) = self.folder_of(&path)?;
        folder
            .write_atomic(name, &bytes, true, true)
            .map_err(|source| StoreError::write(&path, source))?;
        Ok(path)
    }

    /// Removes temp files left in the responses folder by writes that a crash interrupted.
    ///
    /// Only files older than `min_age` go, so a write in progress in another process is never
    /// disturbed; returns how many were removed. Complete files are never touched.
    pub fn remove_stale_temp_files(
        &self,
        questionnaire: &str,
        min_age: std::time::Duration,
    ) -> Result<usize, StoreError> {
        let dir = self.responses_dir(questionnaire)?;
        let folder = match inside::Folder::open(&self.root, &dir, false) {
            Ok(Some(folder)) => folder,
            Ok(None) => return Ok(0),
            Err(source) => return Err(StoreError::folder(&dir, source)),
        };
        let entries = folder
            .entries()
            .map_err(|source| StoreError::ReadDir { path: dir, source })?;
        let mut removed = 0;
        for entry in entries {
            // Only regular files named as anketa names its temp files: a link of that name
            // is not anketa's to remove.
            if !entry.is_file || !atomic::is_temp_name(&entry.name.to_string_lossy()) {
                continue;
            }
            let old_enough = entry.modified.elapsed().is_ok_and(|age| age >= min_age);
            if old_enough && folder.remove(&entry.name).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Loads every response to `form`'s questionnaire, in parallel; see [`LoadReport`].
    pub fn load(&self, form: &Form) -> Result<LoadReport, StoreError> {
        self.load_with_progress(form, &|_, _| {})
    }

    /// Loads like [`Store::load`], calling `progress(files_read, files_total)` from the reading
    /// threads now and then (for a progress gauge); the last call has `files_read == total`.
    pub fn load_with_progress(
        &self,
        form: &Form,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<LoadReport, StoreError> {
        let dir = self.responses_dir_to_read(form.id())?;
        load::load_folder(&dir, form, progress)
    }

    /// The load cache of a questionnaire's responses (see [`cache`]).
    pub fn cache_path(&self, questionnaire: &str) -> Result<PathBuf, StoreError> {
        if !is_safe_id(questionnaire) {
            return Err(StoreError::UnsafeId(questionnaire.to_owned()));
        }
        Ok(self
            .root
            .join("cache")
            .join(format!("{questionnaire}.table")))
    }

    /// Loads every response to `form`'s questionnaire into a packed table, for analysis and
    /// export: the same responses and problems as [`Store::load`] (timings left out), in a
    /// seventh of the memory, and in a fraction of the time when most files have not changed
    /// since the last load (see [`cache`]; the cache lives in `DIR/cache/`).
    pub fn load_table(&self, form: &Form) -> Result<TableLoad, StoreError> {
        self.load_table_with_progress(form, &|_, _| {})
    }

    /// [`Store::load_table`], calling `progress(files_done, files_total)` now and then; the
    /// last call has `files_done == total`.
    pub fn load_table_with_progress(
        &self,
        form: &Form,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<TableLoad, StoreError> {
        let dir = self.responses_dir_to_read(form.id())?;
        let cache = self.cache_path(form.id())?;
        table_load::load_table_folder(&dir, Some(&cache), form, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Answer, Special, catalog};

    fn sample(form: &Form) -> Response {
        let mut r = Response::new(form, "Мария Петрова", "SOF46", "bg");
        r.answers
            .insert("consent".into(), Answer::Text("yes".into()));
        r.answers
            .insert("age".into(), Answer::Special(Special::Refused));
        r.timings_ms.insert("consent".into(), 1200);
        r
    }

    #[test]
    fn a_saved_response_loads_back_identical() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = sample(&form);
        let path = store.save(&response).unwrap();
        assert_eq!(
            path,
            store
                .responses_dir(form.id())
                .unwrap()
                .join(format!("{}.json", response.id))
        );
        let report = store.load(&form).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.responses, vec![response]);
    }

    #[test]
    fn corrupt_files_are_reported_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let good = sample(&form);
        store.save(&good).unwrap();
        let folder = store.responses_dir(form.id()).unwrap();
        let truncated = serde_json::to_vec(&sample(&form)).unwrap();
        let mut wrong_type = sample(&form);
        wrong_type
            .answers
            .insert("consent".into(), Answer::Number(3.0));
        let mut unknown_place = sample(&form);
        unknown_place.municipality = "XXX99".into();
        let mut old_version = sample(&form);
        old_version.questionnaire_version = "0.1-unknown".into();
        let cases: Vec<(String, Vec<u8>, &str)> = vec![
            (
                format!("{}.json", uuid::Uuid::new_v4()),
                Vec::new(),
                "empty",
            ),
            (
                format!("{}.json", uuid::Uuid::new_v4()),
                truncated[..40].to_vec(),
                "truncated",
            ),
            (
                format!("{}.json", uuid::Uuid::new_v4()),
                vec![0xff, 0xfe, b'{'],
                "UTF-8",
            ),
            (
                format!("{}.json", uuid::Uuid::new_v4()),
                b"[1, 2]".to_vec(),
                "not a response",
            ),
            (
                format!("{}.json", wrong_type.id),
                serde_json::to_vec(&wrong_type).unwrap(),
                "consent",
            ),
            (
                format!("{}.json", unknown_place.id),
                serde_json::to_vec(&unknown_place).unwrap(),
                "XXX99",
            ),
            (
                format!("{}.json", old_version.id),
                serde_json::to_vec(&old_version).unwrap(),
                "version",
            ),
            (
                format!("{}.json", uuid::Uuid::new_v4()),
                serde_json::to_vec(&good).unwrap(),
                "duplicate",
            ),
        ];
        for (name, bytes, _) in &cases {
            std::fs::write(folder.join(name), bytes).unwrap();
        }
        // A temp file from an interrupted write is not a response and not a problem.
        std::fs::write(folder.join(".x.json.abc.tmp"), b"{").unwrap();

        let report = store.load(&form).unwrap();
        // An answer of the wrong type loses only that answer, not the interview.
        let mut admitted = wrong_type.clone();
        admitted
            .answers
            .insert("consent".into(), Answer::Special(Special::Invalid));
        let mut counted = vec![good, admitted];
        counted.sort_by_key(|r| r.id);
        assert_eq!(report.responses, counted);
        let wrong = report.problems.iter().find(|p| p.part.is_some());
        assert!(wrong.is_some_and(|p| p.path.ends_with(format!("{}.json", wrong_type.id))));
        assert_eq!(report.problems.len(), cases.len(), "{:#?}", report.problems);
        for (name, bytes, why) in &cases {
            let problem = report
                .problems
                .iter()
                .find(|p| p.path.ends_with(name))
                .unwrap();
            assert!(
                problem.reason.contains(why),
                "{name}: {} lacks {why}",
                problem.reason
            );
            assert_eq!(
                &std::fs::read(folder.join(name)).unwrap(),
                bytes,
                "{name} was modified"
            );
        }
    }

    #[test]
    fn stale_temp_files_are_removed_and_responses_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let path = store.save(&sample(&form)).unwrap();
        let folder = store.responses_dir(form.id()).unwrap();
        std::fs::write(folder.join(".a.json.x1.tmp"), b"{").unwrap();
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(
            store.remove_stale_temp_files(form.id(), hour).unwrap(),
            0,
            "young files stay"
        );
        let zero = std::time::Duration::ZERO;
        assert_eq!(store.remove_stale_temp_files(form.id(), zero).unwrap(), 1);
        assert!(path.exists());
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    }

    #[test]
    fn a_non_finite_number_is_refused_and_the_saved_version_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let mut response = sample(&form);
        let path = store.save(&response).unwrap();
        let before = std::fs::read(&path).unwrap();
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            response.answers.insert("age".into(), Answer::Number(bad));
            let err = store.save(&response).unwrap_err().to_string();
            assert!(err.contains("`age` is not a finite number"), "{err}");
            assert_eq!(std::fs::read(&path).unwrap(), before);
        }
        let report = store.load(&form).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.responses.len(), 1);
    }

    #[test]
    fn an_invalid_mark_is_never_written_over_the_stored_value() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let mut response = sample(&form);
        response.answers.insert("age".into(), Answer::Number(-5.0));
        let path = store.save(&response).unwrap();
        let before = std::fs::read(&path).unwrap();
        let mut loaded = store.load(&form).unwrap();
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        let mut admitted = loaded.responses.pop().unwrap();
        assert_eq!(admitted.answers["age"], Answer::Special(Special::Invalid));
        let err = store.save(&admitted).unwrap_err().to_string();
        assert!(err.contains("`age` was invalid when loaded"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "-5 is still there");
        admitted.answers.insert("age".into(), Answer::Number(50.0));
        store.save(&admitted).unwrap();
        assert!(store.load(&form).unwrap().problems.is_empty());
    }

    #[test]
    fn loading_reports_progress_up_to_the_total() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        for _ in 0..3 {
            store.save(&sample(&form)).unwrap();
        }
        let calls = std::sync::Mutex::new(Vec::new());
        let report = store
            .load_with_progress(&form, &|done, total| {
                calls.lock().unwrap().push((done, total))
            })
            .unwrap();
        assert_eq!(report.responses.len(), 3);
        let calls = calls.into_inner().unwrap();
        assert_eq!(calls.first(), Some(&(0, 3)));
        assert_eq!(calls.last(), Some(&(3, 3)));
    }

    #[test]
    fn unsafe_ids_never_reach_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for bad in ["../etc", "a/b", "", "/abs", "a\\b", ".."] {
            assert!(store.responses_dir(bad).is_err(), "{bad:?} accepted");
        }
    }
}
