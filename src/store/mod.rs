//! The response store: one JSON file per interview under
//! `DIR/responses/<questionnaire-id>/<uuid>.json`.
//!
//! One file per interview keeps every write small and atomic, makes merging laptops a matter of
//! copying files, and lets anyone read the data without anketa. Loading never modifies a file:
//! whatever cannot be read is reported as a [`Problem`] and left exactly as it is.

pub mod atomic;
mod bulk;
pub mod filter;
mod load;
pub mod response;

use std::path::{Path, PathBuf};

pub use filter::ResponseFilter;
pub use load::{LoadReport, Problem, check_response, parse_response};
pub use response::{Response, Status};

use crate::questionnaire::Form;

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
    #[error("cannot read the folder {path}: {source}")]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to use {0:?} in a file name: only letters, digits, `-` and `_` are allowed")]
    UnsafeId(String),
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
    let mut bytes = serde_json::to_vec_pretty(response)?;
    bytes.push(b'\n');
    Ok(bytes)
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
    pub fn save(&self, response: &Response) -> Result<PathBuf, StoreError> {
        let path = self.response_path(response)?;
        let dir = self.responses_dir(&response.questionnaire)?;
        atomic::create_private_dir(&dir).map_err(|source| StoreError::CreateDir {
            path: dir.clone(),
            source,
        })?;
        let bytes = encode(response).map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })?;
        atomic::write_atomic(&path, &bytes, true).map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// Loads every response to `form`'s questionnaire, in parallel; see [`LoadReport`].
    pub fn load(&self, form: &Form) -> Result<LoadReport, StoreError> {
        let dir = self.responses_dir(form.id())?;
        load::load_dir(&dir, form)
    }
}
