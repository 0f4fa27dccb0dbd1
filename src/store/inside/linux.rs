//! [`Folder`] on Linux: every step relative to a folder's handle, never through a link.

use std::ffi::OsStr;
use std::fs::File;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};
use rustix::io::Errno;

use super::{Folder, link_in_the_way};

const DIR_FLAGS: OFlags = OFlags::DIRECTORY
    .union(OFlags::RDONLY)
    .union(OFlags::CLOEXEC);

/// The data folder, created when asked; a link there is followed (the user named it).
pub(super) fn open_root(root: &std::path::Path, create: bool) -> std::io::Result<Option<Folder>> {
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
            Err(Errno::LOOP | Errno::NOTDIR) if self.is_link(name) => Err(link_in_the_way(path)),
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
            let name =
                <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(entry.file_name().to_bytes());
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
