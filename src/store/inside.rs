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
mod sys {
    use std::ffi::OsStr;
    use std::fs::File;

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};
    use rustix::io::Errno;

    use super::{Folder, link_in_the_way};

    const DIR_FLAGS: OFlags = OFlags::DIRECTORY
        .union(OFlags::RDONLY)
        .union(OFlags::CLOEXEC);

    /// The data folder, created when asked; a link there is followed (the user named it).
    pub(super) fn open_root(
        root: &std::path::Path,
        create: bool,
    ) -> std::io::Result<Option<Folder>> {
        if create {
            super::super::atomic::create_private_dir(root)?;
        }
        match rustix::fs::open(root, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Some(Folder {
                path: root.to_owned(),
                fd,
            })),
            Err(Errno::NOENT) if !create => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    impl Folder {
        /// The folder `name` in this one, never through a link.
        pub(super) fn child(&self, name: &OsStr, create: bool) -> std::io::Result<Option<Folder>> {
            let path = self.path.join(name);
            if create {
                match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o700)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            match rustix::fs::openat(&self.fd, name, DIR_FLAGS | OFlags::NOFOLLOW, Mode::empty()) {
                Ok(fd) => Ok(Some(Folder { path, fd })),
                Err(Errno::NOENT) if !create => Ok(None),
                Err(Errno::LOOP | Errno::NOTDIR) if self.is_link(name) => {
                    Err(link_in_the_way(path))
                }
                Err(e) => Err(e.into()),
            }
        }

        /// Whether `name` in this folder is a symbolic link (not following it).
        pub fn is_link(&self, name: &OsStr) -> bool {
            rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink)
        }

        /// Creates the new file `name` (mode 0600) for writing: fails on any existing name,
        /// a link included.
        pub fn create_new(&self, name: &OsStr) -> std::io::Result<File> {
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o600))?;
            Ok(File::from(fd))
        }

        /// Renames `from` to `to` in this folder; with `replace` false an existing `to` fails
        /// with `AlreadyExists`. A link named `to` is replaced, never written through.
        pub fn rename(&self, from: &OsStr, to: &OsStr, replace: bool) -> std::io::Result<()> {
            if replace {
                return Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?);
            }
            match rustix::fs::renameat_with(&self.fd, from, &self.fd, to, RenameFlags::NOREPLACE) {
                // File systems without RENAME_NOREPLACE: a hard link fails on an existing name
                // just the same.
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
                    rustix::fs::linkat(&self.fd, from, &self.fd, to, AtFlags::empty())?;
                    Ok(rustix::fs::unlinkat(&self.fd, from, AtFlags::empty())?)
                }
                other => Ok(other?),
            }
        }

        /// Removes the file `name` from this folder (a link is removed, not its target).
        pub fn remove(&self, name: &OsStr) -> std::io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::empty())?)
        }

        /// Makes the renames in this folder durable.
        pub fn sync(&self) -> std::io::Result<()> {
            Ok(rustix::fs::fsync(&self.fd)?)
        }

        /// Makes everything written to this folder's file system durable (`syncfs`).
        pub fn sync_file_system(&self) -> std::io::Result<()> {
            Ok(rustix::fs::syncfs(&self.fd)?)
        }

        /// Opens `name` in this folder for writing, creating it (mode 0600) when missing and
        /// never truncating it or following a link: a lock file.
        pub fn open_lock(&self, name: &OsStr) -> std::io::Result<File> {
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => Ok(File::from(fd)),
                Err(Errno::LOOP) => Err(link_in_the_way(self.path.join(name))),
                Err(e) => Err(e.into()),
            }
        }

        /// Opens the regular file `name` in this folder for reading; `Ok(None)` when it is
        /// missing. A link fails with [`super::LinkInTheWay`]; a pipe, device or folder fails
        /// without blocking.
        pub fn open_regular(&self, name: &OsStr) -> std::io::Result<Option<File>> {
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let file = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => File::from(fd),
                Err(Errno::NOENT) => return Ok(None),
                Err(Errno::LOOP) => return Err(link_in_the_way(self.path.join(name))),
                Err(e) => return Err(e.into()),
            };
            super::regular(file, &self.path.join(name)).map(Some)
        }

        /// The names in this folder, with whether each is a regular file and its modification
        /// time, none of them followed if it is a link.
        pub fn entries(&self) -> std::io::Result<Vec<super::Entry>> {
            let mut dir = rustix::fs::Dir::read_from(&self.fd)?;
            let mut entries = Vec::new();
            while let Some(entry) = dir.read() {
                let entry = entry?;
                let name = <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
                    entry.file_name().to_bytes(),
                );
                if name == "." || name == ".." {
                    continue;
                }
                let Ok(st) = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
                    continue;
                };
                let modified = std::time::UNIX_EPOCH
                    + std::time::Duration::new(st.st_mtime.max(0) as u64, st.st_mtime_nsec as u32);
                entries.push(super::Entry {
                    name: name.to_owned(),
                    is_file: FileType::from_raw_mode(st.st_mode) == FileType::RegularFile,
                    modified,
                    uid: st.st_uid,
                });
            }
            Ok(entries)
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::ffi::OsStr;
    use std::fs::File;
    use std::path::Path;

    use super::{Folder, link_in_the_way};

    fn is_link(path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    }

    pub(super) fn open_root(root: &Path, create: bool) -> std::io::Result<Option<Folder>> {
        if create {
            super::super::atomic::create_private_dir(root)?;
        } else if !root.is_dir() {
            return Ok(None);
        }
        Ok(Some(Folder {
            path: root.to_owned(),
        }))
    }

    impl Folder {
        pub(super) fn child(&self, name: &OsStr, create: bool) -> std::io::Result<Option<Folder>> {
            let path = self.path.join(name);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => return Err(link_in_the_way(path)),
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        format!("{} is in the way of a folder", path.display()),
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                    super::super::atomic::create_private_dir(&path)?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            }
            Ok(Some(Folder { path }))
        }

        pub fn is_link(&self, name: &OsStr) -> bool {
            is_link(&self.path.join(name))
        }

        /// Creates the new file `name` (mode 0600) for writing: fails on any existing name,
        /// a link included.
        pub fn create_new(&self, name: &OsStr) -> std::io::Result<File> {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            options.open(self.path.join(name))
        }

        pub fn rename(&self, from: &OsStr, to: &OsStr, replace: bool) -> std::io::Result<()> {
            let (from, to) = (self.path.join(from), self.path.join(to));
            if replace {
                return std::fs::rename(from, to);
            }
            std::fs::hard_link(&from, &to)?;
            std::fs::remove_file(from)
        }

        pub fn remove(&self, name: &OsStr) -> std::io::Result<()> {
            std::fs::remove_file(self.path.join(name))
        }

        pub fn sync(&self) -> std::io::Result<()> {
            super::super::atomic::sync_dir(&self.path)
        }

        pub fn open_lock(&self, name: &OsStr) -> std::io::Result<File> {
            let path = self.path.join(name);
            if is_link(&path) {
                return Err(link_in_the_way(path));
            }
            let mut options = std::fs::OpenOptions::new();
            options.create(true).truncate(false).write(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            options.open(path)
        }

        pub fn open_regular(&self, name: &OsStr) -> std::io::Result<Option<File>> {
            let path = self.path.join(name);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => Err(link_in_the_way(path)),
                Ok(meta) if !meta.is_file() => Err(super::not_regular(&path)),
                Ok(_) => super::regular(File::open(&path)?, &path).map(Some),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        }

        pub fn entries(&self) -> std::io::Result<Vec<super::Entry>> {
            let mut entries = Vec::new();
            for entry in std::fs::read_dir(&self.path)? {
                let entry = entry?;
                let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
                    continue;
                };
                #[cfg(unix)]
                let uid = std::os::unix::fs::MetadataExt::uid(&meta);
                #[cfg(not(unix))]
                let uid = 0;
                entries.push(super::Entry {
                    name: entry.file_name(),
                    is_file: meta.is_file(),
                    modified: meta.modified().unwrap_or(std::time::UNIX_EPOCH),
                    uid,
                });
            }
            Ok(entries)
        }
    }
}

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
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    fn link_error<T: std::fmt::Debug>(result: std::io::Result<T>) -> String {
        let err = result.unwrap_err();
        assert!(is_link_in_the_way(&err), "{err}");
        err.to_string()
    }

    #[test]
    fn folders_are_created_private_and_reopened() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("responses").join("q");
        let folder = Folder::open(root.path(), &dir, true).unwrap().unwrap();
        assert_eq!(folder.path(), dir);
        assert!(dir.is_dir());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
        assert!(Folder::open(root.path(), &dir, false).unwrap().is_some());
        let missing = root.path().join("history");
        assert!(
            Folder::open(root.path(), &missing, false)
                .unwrap()
                .is_none()
        );
        assert!(!missing.exists(), "opening without create creates nothing");
    }

    #[test]
    fn a_link_on_the_way_is_refused_and_its_target_untouched() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        symlink(elsewhere.path(), root.path().join("responses")).unwrap();
        let dir = root.path().join("responses").join("q");
        let message = link_error(Folder::open(root.path(), &dir, true));
        assert!(
            message.contains(&*root.path().join("responses").to_string_lossy()),
            "{message}"
        );
        link_error(Folder::open(root.path(), &dir, false));
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        // A dangling link is not followed to create its target either.
        let gone = elsewhere.path().join("gone");
        symlink(&gone, root.path().join("cache")).unwrap();
        link_error(Folder::open(root.path(), &root.path().join("cache"), true));
        assert!(!gone.exists());
    }

    #[test]
    fn the_data_folder_itself_may_be_a_link() {
        let real = tempfile::tempdir().unwrap();
        let links = tempfile::tempdir().unwrap();
        let root = links.path().join("data");
        symlink(real.path(), &root).unwrap();
        let folder = Folder::open(&root, &root.join("cache"), true)
            .unwrap()
            .unwrap();
        folder
            .write_atomic(OsStr::new("x"), b"1", true, false)
            .unwrap();
        assert_eq!(std::fs::read(real.path().join("cache/x")).unwrap(), b"1");
    }

    #[test]
    fn files_are_written_atomically_and_links_never_written_through() {
        let root = tempfile::tempdir().unwrap();
        let folder = Folder::open(root.path(), root.path(), true)
            .unwrap()
            .unwrap();
        let name = OsStr::new("a.json");
        folder.write_atomic(name, b"one", true, true).unwrap();
        let err = folder.write_atomic(name, b"two", false, true).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(root.path().join(name)).unwrap(), b"one");
        // A failed write leaves no temp file and the old file as it was.
        let failed: Result<(), _> = folder.write_atomic_with(name, true, true, |file| {
            file.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        assert!(matches!(failed, Err(AtomicError::Write(_))));
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
        // Locks and reads refuse a link; a write replaces the link itself.
        let other = tempfile::tempdir().unwrap();
        let target = other.path().join("precious");
        std::fs::write(&target, b"theirs").unwrap();
        symlink(&target, root.path().join("x.lock")).unwrap();
        link_error(folder.open_lock(OsStr::new("x.lock")));
        link_error(folder.open_regular(OsStr::new("x.lock")));
        folder
            .write_atomic(OsStr::new("x.lock"), b"ours", true, false)
            .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"theirs");
        assert!(!root.path().join("x.lock").is_symlink());
    }

    #[test]
    fn only_regular_files_are_opened_for_reading() {
        let root = tempfile::tempdir().unwrap();
        let folder = Folder::open(root.path(), root.path(), true)
            .unwrap()
            .unwrap();
        assert!(folder.open_regular(OsStr::new("none")).unwrap().is_none());
        std::fs::create_dir(root.path().join("d")).unwrap();
        assert!(folder.open_regular(OsStr::new("d")).is_err());
        let made = std::process::Command::new("mkfifo")
            .arg(root.path().join("p"))
            .status()
            .unwrap();
        assert!(made.success());
        // Opening the pipe for reading would block this test forever without O_NONBLOCK.
        assert!(folder.open_regular(OsStr::new("p")).is_err());
    }

    #[test]
    fn a_path_outside_the_data_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = root.path().join("..").join("x");
        assert!(Folder::open(root.path(), &outside, true).is_err());
        assert!(Folder::open(root.path(), Path::new("/elsewhere"), true).is_err());
    }
}
