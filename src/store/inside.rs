//! Folders and files inside the data folder, reached without following a symbolic link.
//!
//! Everything anketa creates in the data folder (`responses/`, `responses/<questionnaire>/`,
//! `cache/`, `history/`, `locks/`, `exports/` and the files in them) is its own. A symbolic link
//! in one of those places was put there by someone or something else, and following it would
//! write answers and interviewers' names wherever it points, or take a stranger's file for
//! anketa's. So below the data folder no link is ever followed:
//!
//! - On Linux each folder is opened with `O_NOFOLLOW | O_DIRECTORY` relative to the handle of
//!   the folder above it (`mkdirat`, `openat`), and files are created, renamed, read and removed
//!   relative to the handle of their folder (`openat` with `O_NOFOLLOW`, `renameat`, `unlinkat`).
//!   Nothing can be swapped in between a check and a use.
//! - Elsewhere each step checks `symlink_metadata` first: the same rule, with a moment between
//!   the check and the use.
//!
//! A link in the way is reported as a [`LinkInTheWay`] error naming it, and left as it is, its
//! target untouched. The data folder itself may be a link: the user named it.
//!
//! A final file name that is a link is another matter: an atomic write renames its temp file
//! over the name, which replaces the link itself and never writes through it.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::atomic::AtomicError;

/// A symbolic link found where anketa keeps one of its own folders or files.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} is a symbolic link, and anketa never follows a link inside its data folder: nothing was \
     read or written through it. Remove the link (its target is untouched) and run again"
)]
pub struct LinkInTheWay(pub PathBuf);

impl LinkInTheWay {
    /// The [`LinkInTheWay`] that `error` carries, or `error` itself when it carries none.
    pub fn from_io(error: std::io::Error) -> Result<Self, std::io::Error> {
        if !is_link_in_the_way(&error) {
            return Err(error);
        }
        match error.into_inner().map(|inner| inner.downcast::<Self>()) {
            Some(Ok(link)) => Ok(*link),
            _ => Err(std::io::Error::other("a symbolic link is in the way")),
        }
    }
}

/// Whether `error` is (or wraps) a [`LinkInTheWay`].
pub fn is_link_in_the_way(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<LinkInTheWay>())
}

fn link_in_the_way(path: PathBuf) -> std::io::Error {
    std::io::Error::other(LinkInTheWay(path))
}

/// A folder inside the data folder, opened without following links.
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
}

impl Folder {
    /// Opens the folder `dir` inside the data folder `root` (`dir` must be `root` or below it),
    /// creating every missing folder on the way with mode 0700 when `create` is true.
    /// `Ok(None)` when a folder on the way is missing and `create` is false.
    ///
    /// Fails with [`LinkInTheWay`] when a folder below `root` is a symbolic link, and with the
    /// system's error when something else is in the way.
    pub fn open(root: &Path, dir: &Path, create: bool) -> std::io::Result<Option<Self>> {
        let below = dir.strip_prefix(root).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not inside {}", dir.display(), root.display()),
            )
        })?;
        let mut names = Vec::new();
        for component in below.components() {
            match component {
                Component::Normal(name) => names.push(name),
                Component::CurDir => {}
                _ => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("{} leaves the data folder", dir.display()),
                    ));
                }
            }
        }
        let Some(mut folder) = sys::open_root(root, create)? else {
            return Ok(None);
        };
        for name in names {
            match folder.child(name, create)? {
                Some(child) => folder = child,
                None => return Ok(None),
            }
        }
        Ok(Some(folder))
    }

    /// Opens (creating when needed) the folder of `path`, a file inside the data folder `root`,
    /// and gives the file's name in it.
    pub fn of_file<'p>(
        root: &Path,
        path: &'p Path,
        create: bool,
    ) -> std::io::Result<Option<(Self, &'p OsStr)>> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a file name", path.display()),
            ));
        };
        Ok(Self::open(root, dir, create)?.map(|folder| (folder, name)))
    }

    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the file `name` in this folder atomically with whatever `write` puts into its temp
    /// file (mode 0600, created new, never through a link), as
    /// [`super::atomic::write_atomic_with`] does. With `durable` the file and the rename are
    /// synced to disk; with `replace` false an existing `name` fails with `AlreadyExists`.
    /// On any failure the temp file is removed and `name` is left as it was.
    pub fn write_atomic_with<T, E>(
        &self,
        name: &OsStr,
        replace: bool,
        durable: bool,
        write: impl FnOnce(&mut File) -> Result<T, E>,
    ) -> Result<T, AtomicError<E>> {
        let (temp, mut file) = self.create_temp(name).map_err(AtomicError::Io)?;
        let written = write(&mut file)
            .map_err(AtomicError::Write)
            .and_then(|value| {
                if durable {
                    file.sync_all().map_err(AtomicError::Io)?;
                }
                drop(file);
                self.rename(&temp, name, replace).map_err(AtomicError::Io)?;
                Ok(value)
            });
        if written.is_err() {
            let _ = self.remove(&temp);
            return written;
        }
        if durable {
            self.sync().map_err(AtomicError::Io)?;
        }
        written
    }

    /// [`Folder::write_atomic_with`] for bytes held in memory.
    pub fn write_atomic(
        &self,
        name: &OsStr,
        bytes: &[u8],
        replace: bool,
        durable: bool,
    ) -> std::io::Result<()> {
        self.write_atomic_with(name, replace, durable, |file| file.write_all(bytes))
            .map_err(|e| match e {
                AtomicError::Io(e) | AtomicError::Write(e) => e,
            })
    }

    /// Creates a new hidden temp file `.<name>.<random>.tmp` in this folder, mode 0600, never
    /// opening a file that exists or following a link; returns its name and the open file.
    pub fn create_temp(&self, name: &OsStr) -> std::io::Result<(std::ffi::OsString, File)> {
        let name = name.to_string_lossy();
        // A random name is taken only by another writer's temp file at the same moment (or a
        // leftover): the next one is free. The bound keeps a strange folder from looping forever.
        let mut attempts = 0;
        loop {
            let suffix: String = std::iter::repeat_with(fastrand::alphanumeric)
                .take(8)
                .collect();
            let temp = std::ffi::OsString::from(format!(".{name}.{suffix}.tmp"));
            match self.create_new(&temp) {
                Ok(file) => return Ok((temp, file)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 100 => {
                    attempts += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The path of `name` in this folder, for messages.
    pub fn join(&self, name: &OsStr) -> PathBuf {
        self.path.join(name)
    }
}

#[cfg(target_os = "linux")]
#[path = "inside/linux.rs"]
mod sys;
#[cfg(not(target_os = "linux"))]
#[path = "inside/portable.rs"]
mod sys;

/// One name in a [`Folder`], not followed if it is a link.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: std::ffi::OsString,
    /// A regular file (not a link, folder, pipe or device).
    pub is_file: bool,
    pub modified: std::time::SystemTime,
    /// The owner (0 where the system has no such notion).
    pub uid: u32,
}

fn not_regular(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{} is not a regular file", path.display()),
    )
}

/// `file` if it is a regular file (checked on the open file, so nothing can be swapped in).
fn regular(file: File, path: &Path) -> std::io::Result<File> {
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(not_regular(path))
    }
}

#[cfg(all(test, unix))]
#[path = "inside/tests.rs"]
mod tests;
