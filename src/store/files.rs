//! The store's own folders and files, reached without following links (see [`super::inside`]).

use std::ffi::OsStr;
use std::path::Path;

use super::inside::{self, LinkInTheWay};
use super::{Store, StoreError};

impl Store {
    /// Opens the folder `dir` inside the data folder, creating it (and the folders above it)
    /// when missing, without following a link below the data folder (see [`inside`]).
    pub(super) fn folder(&self, dir: &Path) -> Result<inside::Folder, StoreError> {
        match inside::Folder::open(&self.root, dir, true) {
            Ok(Some(folder)) => Ok(folder),
            Ok(None) => Err(StoreError::folder(dir, std::io::ErrorKind::NotFound.into())),
            Err(source) => Err(StoreError::folder(dir, source)),
        }
    }

    /// [`Store::folder`] of the file `path`, and the file's name in it.
    pub(super) fn folder_of<'p>(
        &self,
        path: &'p Path,
    ) -> Result<(inside::Folder, &'p OsStr), StoreError> {
        let name = path.file_name().unwrap_or_default();
        let dir = path.parent().unwrap_or(&self.root);
        Ok((self.folder(dir)?, name))
    }

    /// Writes `bytes` to the file `path` inside the data folder atomically and durably,
    /// replacing it, creating its folders when missing, and never through a link.
    pub fn write_inside(&self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        let (folder, name) = self.folder_of(path)?;
        folder
            .write_atomic(name, bytes, true, true)
            .map_err(|source| StoreError::write(path, source))
    }

    /// Reads the file `path` inside the data folder, refusing it once it holds more than
    /// `limit` bytes (counted while reading); `Ok(None)` when it (or its folder) is missing. A
    /// link on the way or in its place is never followed: [`StoreError::Link`].
    pub fn read_inside(&self, path: &Path, limit: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let read_err = |source: std::io::Error| match LinkInTheWay::from_io(source) {
            Ok(link) => StoreError::Link(link),
            Err(source) => StoreError::Read {
                path: path.to_owned(),
                source,
            },
        };
        let name = path.file_name().unwrap_or_default();
        let dir = path.parent().unwrap_or(&self.root);
        let Some(folder) = inside::Folder::open(&self.root, dir, false).map_err(read_err)? else {
            return Ok(None);
        };
        let Some(mut file) = folder.open_regular(name).map_err(read_err)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, limit + 1), &mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > limit {
            return Err(read_err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!("too large: over {limit} bytes"),
            )));
        }
        Ok(Some(bytes))
    }

    /// The folder of `questionnaire`'s responses, to be read: [`StoreError::Link`] when it or
    /// `responses/` is a symbolic link, which would make the analysis read someone else's
    /// files as this data folder's. Anything else wrong with it is for the loader to report.
    pub fn responses_dir_to_read(
        &self,
        questionnaire: &str,
    ) -> Result<std::path::PathBuf, StoreError> {
        let dir = self.responses_dir(questionnaire)?;
        match inside::Folder::open(&self.root, &dir, false) {
            Ok(_) => Ok(dir),
            Err(e) => match LinkInTheWay::from_io(e) {
                Ok(link) => Err(StoreError::Link(link)),
                Err(_) => Ok(dir),
            },
        }
    }
}
