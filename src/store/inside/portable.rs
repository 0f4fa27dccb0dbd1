//! [`Folder`] elsewhere: every step checks `symlink_metadata` first.

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
