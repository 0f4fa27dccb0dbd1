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
        let path = self.root.join("locks").join(format!("{id}.lock"));
        let (folder, name) = self.folder_of(&path)?;
        // Never through a link: opening one would create or lock a file anywhere.
        let file = folder
            .open_lock(name)
            .map_err(|source| StoreError::write(&path, source))?;
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

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_locks_or_a_lock_is_refused_and_its_target_untouched() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        symlink(elsewhere.path(), dir.path().join("locks")).unwrap();
        let err = store.lock_response(Uuid::new_v4()).unwrap_err();
        assert!(matches!(err, StoreError::Link(_)), "{err}");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

        std::fs::remove_file(dir.path().join("locks")).unwrap();
        std::fs::create_dir(dir.path().join("locks")).unwrap();
        let id = Uuid::new_v4();
        let target = elsewhere.path().join("not-yet");
        symlink(&target, dir.path().join("locks").join(format!("{id}.lock"))).unwrap();
        assert!(matches!(store.lock_response(id), Err(StoreError::Link(_))));
        assert!(!target.exists(), "a dangling link's target is not created");
    }
}
