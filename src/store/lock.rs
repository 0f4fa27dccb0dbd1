//! Advisory locks that keep one draft from being edited in two processes at once.
//!
//! Two interviewers may share a laptop, or a dashboard may run beside an interview. Writes never
//! collide (each interview has its own file, and writes are atomic renames), but two windows
//! editing the same draft would each overwrite the other's answers. A lock file per response,
//! held with an OS advisory lock for as long as the draft is open, prevents that. The OS drops the
//! lock when the process dies, so a crash never leaves a draft locked.

use std::fs::File;
use std::path::PathBuf;

use fs4::fs_std::FileExt;
use uuid::Uuid;

use super::{Store, StoreError};

/// Held while a response is open for editing; dropping it releases the lock.
#[derive(Debug)]
pub struct ResponseLock {
    // The lock lives as long as the open file handle.
    _file: File,
    path: PathBuf,
}

impl ResponseLock {
    /// The lock file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Store {
    /// Locks response `id` for editing, failing at once with [`StoreError::Locked`] when another
    /// process holds it.
    pub fn lock_response(&self, id: Uuid) -> Result<ResponseLock, StoreError> {
        let dir = self.root.join("locks");
        super::atomic::create_private_dir(&dir).map_err(|source| StoreError::CreateDir {
            path: dir.clone(),
            source,
        })?;
        let path = dir.join(format!("{id}.lock"));
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })?;
        match file.try_lock_exclusive() {
            Ok(true) => Ok(ResponseLock { _file: file, path }),
            Ok(false) => Err(StoreError::Locked(id)),
            Err(source) => Err(StoreError::Write { path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_response_fails_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = Uuid::new_v4();
        let first = store.lock_response(id).unwrap();
        let err = store.lock_response(id).unwrap_err();
        assert!(err.to_string().contains("open in another"), "{err}");
        assert!(
            store.lock_response(Uuid::new_v4()).is_ok(),
            "other responses stay free"
        );
        drop(first);
        assert!(store.lock_response(id).is_ok());
    }
}
