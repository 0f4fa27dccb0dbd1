//! Opening a stored interview as it is on disk now, and deleting a draft into `history/`.
//!
//! A list on screen holds copies of responses read when it was drawn; another window may have
//! added answers since. Whoever opens an interview to change it therefore takes its lock first
//! and then reads the file again ([`Store::open_for_edit`]): the copy in the list is only a
//! pointer, never the data that gets saved.

use std::path::PathBuf;

use uuid::Uuid;

use super::{Response, ResponseLock, Status, Store, StoreError, load};
use crate::audit::{AuditEvent, EventKind};
use crate::questionnaire::Form;

impl Store {
    /// Reads the file of response `id` to `form` as it is now.
    ///
    /// [`StoreError::Missing`] when it is gone (deleted or moved by another window),
    /// [`StoreError::Unreadable`] when it cannot be used; the file is never modified.
    pub fn read_response(&self, form: &Form, id: Uuid) -> Result<Response, StoreError> {
        let path = self.responses_dir(form.id())?.join(format!("{id}.json"));
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Missing { path });
            }
            _ => {}
        }
        load::load_file(&path, form)
            .map(|(response, _)| response)
            .map_err(StoreError::Unreadable)
    }

    /// Locks response `id` and reads it as it is now, for an interview screen that will save
    /// it. Fails with [`StoreError::Locked`] when another window has it open.
    pub fn open_for_edit(
        &self,
        form: &Form,
        id: Uuid,
    ) -> Result<(ResponseLock, Response), StoreError> {
        let lock = self.lock_response(id)?;
        let response = self.read_response(form, id)?;
        Ok((lock, response))
    }

    /// Deletes draft `id` of `form`: the file as it is now is first kept under
    /// `DIR/history/<id>.deleted-<unix seconds>.json` (never replacing another file), its trail
    /// gains a `deleted` event by `by`, and only then the response file is removed. Returns
    /// where the copy is. Refused for an interview open in another window, a missing file,
    /// and a completed interview (closed cases are kept).
    pub fn delete_draft(&self, form: &Form, id: Uuid, by: &str) -> Result<PathBuf, StoreError> {
        let (_lock, response) = self.open_for_edit(form, id)?;
        let path = self.response_path(&response)?;
        if response.status != Status::Draft {
            return Err(StoreError::NotADraft { path });
        }
        let bytes = self
            .read_inside(&path, super::load::MAX_RESPONSE_BYTES)?
            .ok_or_else(|| StoreError::Missing { path: path.clone() })?;
        let history = self.folder(&self.root.join("history"))?;
        let now = jiff::Timestamp::now().as_second();
        let mut kept = None;
        for n in 0..1000 {
            let name = match n {
                0 => format!("{id}.deleted-{now}.json"),
                n => format!("{id}.deleted-{now}-{n}.json"),
            };
            let name = std::ffi::OsString::from(name);
            match history.write_atomic(&name, &bytes, false, true) {
                Ok(()) => {
                    kept = Some(history.join(&name));
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(StoreError::write(&history.join(&name), source)),
            }
        }
        let kept = kept.ok_or_else(|| StoreError::Write {
            path: history.path().to_owned(),
            source: std::io::Error::other("too many deleted copies of one interview"),
        })?;
        let mut trail = self.read_trail(&response, by)?.events;
        trail.push(AuditEvent::now(EventKind::Deleted, by).detail(kept.display().to_string()));
        self.save_trail(form.id(), id, &trail)?;
        let (folder, name) = self.folder_of(&path)?;
        folder
            .remove(name)
            .map_err(|source| StoreError::write(&path, source))?;
        let _ = folder.sync();
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{Answer, catalog};

    #[test]
    fn opening_reads_the_file_as_it_is_now_not_an_older_copy() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let listed = Response::new(&form, "Мария", "PDV22", "bg");
        store.save(&listed).unwrap();
        let mut newer = listed.clone();
        newer
            .answers
            .insert("consent".into(), Answer::Text("yes".into()));
        store.save(&newer).unwrap();
        let (lock, opened) = store.open_for_edit(&form, listed.id).unwrap();
        assert_eq!(opened, newer);
        assert!(matches!(
            store.open_for_edit(&form, listed.id),
            Err(StoreError::Locked(_))
        ));
        drop(lock);
        std::fs::remove_file(store.response_path(&listed).unwrap()).unwrap();
        let err = store.open_for_edit(&form, listed.id).unwrap_err();
        assert!(matches!(err, StoreError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("no longer"), "{err}");
    }

    #[test]
    fn a_deleted_draft_is_kept_in_history_and_its_trail_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let draft = Response::new(&form, "Мария", "PDV22", "bg");
        let path = store.save(&draft).unwrap();
        let before = std::fs::read(&path).unwrap();
        let held = store.lock_response(draft.id).unwrap();
        assert!(matches!(
            store.delete_draft(&form, draft.id, "Иван"),
            Err(StoreError::Locked(_))
        ));
        drop(held);
        let kept = store.delete_draft(&form, draft.id, "Иван").unwrap();
        assert!(!path.exists());
        assert_eq!(std::fs::read(&kept).unwrap(), before);
        assert!(kept.starts_with(dir.path().join("history")));
        let trail = store.read_trail(&draft, "x").unwrap();
        assert_eq!(trail.events.last().unwrap().event, EventKind::Deleted);
        assert_eq!(trail.events.last().unwrap().by, "Иван");

        let mut done = Response::new(&form, "Мария", "PDV22", "bg");
        done.status = Status::Complete;
        let done_path = store.save(&done).unwrap();
        assert!(matches!(
            store.delete_draft(&form, done.id, "Иван"),
            Err(StoreError::NotADraft { .. })
        ));
        assert!(done_path.exists());
    }
}
