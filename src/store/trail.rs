//! Audit trail files on disk: `DIR/audit/<questionnaire>/<uuid>.jsonl` (see [`crate::audit`]).
//!
//! A trail is written whole and atomically before its response on each save, so it is never
//! behind the response. Reading never loses anything: a damaged trail is renamed aside to
//! `<uuid>.damaged-<unix seconds>.jsonl` (never overwritten) and a new trail starts with an
//! event saying so; a missing one starts anew the same way. Both are reported to the caller.

use std::path::PathBuf;

use uuid::Uuid;

use super::{Response, Store, StoreError};
use crate::audit::{self, AuditEvent, EventKind};

/// What was found where a trail should be, when it was not a readable trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailNote {
    /// There was no trail (an interview recorded before trails, or a file removed by hand).
    Missing { path: PathBuf },
    /// The trail could not be read; it was kept under `kept_as` and a new one started.
    Damaged {
        path: PathBuf,
        kept_as: PathBuf,
        reason: String,
    },
}

impl std::fmt::Display for TrailNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing { path } => write!(
                f,
                "no audit trail at {}: a new one starts now",
                path.display()
            ),
            Self::Damaged {
                path,
                kept_as,
                reason,
            } => write!(
                f,
                "the audit trail {} is damaged ({reason}); it was kept as {} and a new one starts now",
                path.display(),
                kept_as.display()
            ),
        }
    }
}

/// A trail as read for an interview being opened.
#[derive(Debug, Clone, Default)]
pub struct TrailRead {
    pub events: Vec<AuditEvent>,
    /// Set when the trail was missing or damaged (and a `trail_restarted` event was added).
    pub note: Option<TrailNote>,
}

impl Store {
    /// The audit folder of one questionnaire.
    pub fn audit_dir(&self, questionnaire: &str) -> Result<PathBuf, StoreError> {
        if !super::is_safe_id(questionnaire) {
            return Err(StoreError::UnsafeId(questionnaire.to_owned()));
        }
        Ok(self.root.join("audit").join(questionnaire))
    }

    /// The trail file of interview `id`.
    pub fn audit_path(&self, questionnaire: &str, id: Uuid) -> Result<PathBuf, StoreError> {
        Ok(self.audit_dir(questionnaire)?.join(format!("{id}.jsonl")))
    }

    /// Reads the trail of `response` for an interview being opened by `by`; see the module
    /// docs for a missing or damaged file. Fails only when a damaged trail cannot be moved
    /// aside (then nothing is written, so nothing is lost).
    pub fn read_trail(&self, response: &Response, by: &str) -> Result<TrailRead, StoreError> {
        let path = self.audit_path(&response.questionnaire, response.id)?;
        let Some(bytes) = self.read_inside(&path, audit::MAX_TRAIL_BYTES)? else {
            return Ok(restarted(TrailNote::Missing { path }, by));
        };
        let reason = match audit::parse(&bytes) {
            Ok(events) => return Ok(TrailRead { events, note: None }),
            Err(e) => e.to_string(),
        };
        let kept_as = self.set_aside(&path)?;
        let note = TrailNote::Damaged {
            path,
            kept_as,
            reason,
        };
        Ok(restarted(note, by))
    }

    /// Reads the trail of interview `id` for a report or an export, changing nothing:
    /// `Ok(None)` when there is none; a damaged one is an error naming the file and the line.
    pub fn load_trail(
        &self,
        questionnaire: &str,
        id: Uuid,
    ) -> Result<Option<Vec<AuditEvent>>, String> {
        let path = self
            .audit_path(questionnaire, id)
            .map_err(|e| e.to_string())?;
        let Some(bytes) = self
            .read_inside(&path, audit::MAX_TRAIL_BYTES)
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        audit::parse(&bytes)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Saves the trail of an interview, then its response, each atomically; returns the
    /// response's path. When the trail cannot be written the response is not written either,
    /// so the file on disk never holds answers its trail does not explain.
    pub fn save_interview(
        &self,
        response: &Response,
        events: &[AuditEvent],
    ) -> Result<PathBuf, StoreError> {
        self.save_trail(&response.questionnaire, response.id, events)?;
        self.save(response)
    }

    /// Writes the trail of interview `id` atomically and durably, replacing the one on disk
    /// (never through a symbolic link).
    pub fn save_trail(
        &self,
        questionnaire: &str,
        id: Uuid,
        events: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let path = self.audit_path(questionnaire, id)?;
        let bytes = audit::encode(events).map_err(|e| StoreError::Write {
            path: path.clone(),
            source: e.into(),
        })?;
        self.write_inside(&path, &bytes)
    }

    /// Renames a damaged trail to a name no save ever writes to, never replacing a file.
    fn set_aside(&self, path: &std::path::Path) -> Result<PathBuf, StoreError> {
        let (folder, name) = self.folder_of(path)?;
        let stem = path
            .file_stem()
            .map_or_else(Default::default, |s| s.to_string_lossy().into_owned());
        let now = jiff::Timestamp::now().as_second();
        for n in 0..1000 {
            let kept = match n {
                0 => format!("{stem}.damaged-{now}.jsonl"),
                n => format!("{stem}.damaged-{now}-{n}.jsonl"),
            };
            let kept = std::ffi::OsString::from(kept);
            match folder.rename(name, &kept, false) {
                Ok(()) => {
                    let _ = folder.sync();
                    return Ok(folder.join(&kept));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(StoreError::write(path, source)),
            }
        }
        Err(StoreError::Write {
            path: path.to_owned(),
            source: std::io::Error::other("too many damaged trails kept for one interview"),
        })
    }
}

fn restarted(note: TrailNote, by: &str) -> TrailRead {
    let event = AuditEvent::now(EventKind::TrailRestarted, by).detail(note.to_string());
    TrailRead {
        events: vec![event],
        note: Some(note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn a_trail_is_saved_before_its_response_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = Response::new(&form, "Мария", "PDV22", "bg");
        let events = vec![AuditEvent::now(EventKind::Started, "Мария")];
        store.save_interview(&response, &events).unwrap();
        let read = store.read_trail(&response, "Иван").unwrap();
        assert_eq!(read.events, events);
        assert_eq!(read.note, None);

        // A trail that cannot be written keeps the response from being written too.
        let other = Response::new(&form, "Мария", "PDV22", "bg");
        let audit_path = store.audit_path(form.id(), other.id).unwrap();
        std::fs::create_dir_all(&audit_path).unwrap();
        assert!(store.save_interview(&other, &events).is_err());
        assert!(!store.response_path(&other).unwrap().exists());
    }

    #[test]
    fn a_missing_or_damaged_trail_is_reported_kept_and_restarted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = Response::new(&form, "Мария", "PDV22", "bg");
        let read = store.read_trail(&response, "Иван").unwrap();
        assert!(matches!(read.note, Some(TrailNote::Missing { .. })));
        assert_eq!(read.events.len(), 1);
        assert_eq!(read.events[0].event, EventKind::TrailRestarted);
        assert_eq!(read.events[0].by, "Иван");

        let path = store.audit_path(form.id(), response.id).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let damaged =
            b"{\"at\":\"2026-12-04T10:00:00Z\",\"event\":\"started\",\"by\":\"M\"}\n{oops\n";
        std::fs::write(&path, damaged).unwrap();
        let read = store.read_trail(&response, "Иван").unwrap();
        let Some(TrailNote::Damaged {
            kept_as, reason, ..
        }) = &read.note
        else {
            panic!("{:?}", read.note);
        };
        assert!(reason.starts_with("line 2"), "{reason}");
        assert_eq!(std::fs::read(kept_as).unwrap(), damaged, "kept as it was");
        assert!(!path.exists(), "the damaged file is out of the way");
        assert!(read.events[0].detail.contains("damaged"));
        // Saving the new trail never touches the damaged copy.
        store.save_interview(&response, &read.events).unwrap();
        assert_eq!(std::fs::read(kept_as).unwrap(), damaged);
    }
}
