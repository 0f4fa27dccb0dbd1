//! Audit trails brought in with their responses (`audit/<questionnaire>/<id>.jsonl` in a data
//! folder or a `pack` archive).
//!
//! A trail follows its response: when the incoming response is new here or a later version,
//! its trail is the one to keep, and a different local trail is first copied to
//! `DIR/history/<id>.<hash>.jsonl`. When the response is identical, a missing local trail is
//! filled in and an incoming trail that extends the local one (the same events and more)
//! replaces it the same way. Any other incoming trail (of an older or conflicting version, or
//! one that disagrees with the local trail) is kept under `history/` or `conflicts/`, never
//! dropped. A trail that cannot be read, or whose response did not come with it, is a problem:
//! reported, never copied.

use std::path::PathBuf;

use serde::Serialize;
use uuid::Uuid;

use super::{MergeError, Merger, decide, source::Incoming};
use crate::audit;

/// What became of the incoming response with this id, for its trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placed {
    pub questionnaire: String,
    pub how: Won,
}

/// Whether the incoming version of a response is the one now in the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Won {
    /// New here, or a later version that replaced the local one.
    Incoming,
    /// Identical to the local version.
    Same,
    /// Older than the local version.
    Older,
    /// Not ordered against the local version, or refused.
    Conflict,
}

/// What the merge did (or would do) with one incoming trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TrailOutcome {
    /// Copied where there was none.
    Copied,
    Identical,
    /// Replaced the local trail, which is kept at `history`.
    Replaced {
        history: PathBuf,
    },
    /// Kept beside the local trail at `kept_as`, which stays in place.
    KeptAside {
        kept_as: PathBuf,
        reason: String,
    },
    Problem {
        reason: String,
    },
}

/// One incoming trail and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct TrailItem {
    pub origin: String,
    pub id: Option<Uuid>,
    #[serde(flatten)]
    pub outcome: TrailOutcome,
}

impl Merger<'_> {
    pub(super) fn merge_trail(&mut self, incoming: Incoming) -> Result<TrailItem, MergeError> {
        let stem = incoming
            .file_name
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = Uuid::try_parse(&stem).ok();
        let outcome = match self.check_trail(id, incoming.bytes) {
            Ok((id, placed, bytes)) => self.place_trail(id, &placed, &bytes)?,
            Err(reason) => TrailOutcome::Problem { reason },
        };
        Ok(TrailItem {
            origin: incoming.origin,
            id,
            outcome,
        })
    }

    fn check_trail(
        &self,
        id: Option<Uuid>,
        bytes: Result<Vec<u8>, String>,
    ) -> Result<(Uuid, Placed, Vec<u8>), String> {
        let id = id.ok_or("the file name is not <interview id>.jsonl")?;
        let bytes = bytes?;
        audit::parse(&bytes).map_err(|e| format!("a damaged audit trail: {e}"))?;
        let placed = self
            .placed
            .get(&id)
            .cloned()
            .ok_or("its interview did not come with it (or could not be read)")?;
        Ok((id, placed, bytes))
    }

    fn place_trail(
        &mut self,
        id: Uuid,
        placed: &Placed,
        bytes: &[u8],
    ) -> Result<TrailOutcome, MergeError> {
        let dest = self.store.audit_path(&placed.questionnaire, id)?;
        let local = self.read(&dest)?;
        let Some(local) = local else {
            return Ok(match placed.how {
                Won::Incoming | Won::Same => {
                    self.write(&dest, bytes)?;
                    TrailOutcome::Copied
                }
                Won::Older => self.trail_aside("history", id, bytes, "of an older version")?,
                Won::Conflict => {
                    self.trail_aside("conflicts", id, bytes, "of a conflicting version")?
                }
            });
        };
        if local == bytes {
            return Ok(TrailOutcome::Identical);
        }
        let extends = bytes.starts_with(&local);
        match placed.how {
            Won::Incoming => {}
            Won::Same if extends => {}
            Won::Same => {
                return self.trail_aside("conflicts", id, bytes, "differs from the local trail");
            }
            Won::Older => return self.trail_aside("history", id, bytes, "of an older version"),
            Won::Conflict => {
                return self.trail_aside("conflicts", id, bytes, "of a conflicting version");
            }
        }
        let history = self.keep_trail("history", id, &local)?;
        self.write(&dest, bytes)?;
        Ok(TrailOutcome::Replaced { history })
    }

    fn trail_aside(
        &mut self,
        folder: &str,
        id: Uuid,
        bytes: &[u8],
        reason: &str,
    ) -> Result<TrailOutcome, MergeError> {
        let kept_as = self.keep_trail(folder, id, bytes)?;
        Ok(TrailOutcome::KeptAside {
            kept_as,
            reason: reason.to_owned(),
        })
    }

    /// Stores `bytes` as `DIR/<folder>/<id>.<content hash>.jsonl` (the same name for the same
    /// bytes, so a second merge writes nothing).
    fn keep_trail(&mut self, folder: &str, id: Uuid, bytes: &[u8]) -> Result<PathBuf, MergeError> {
        let hash = decide::content_hash(bytes);
        let path = self
            .store
            .root()
            .join(folder)
            .join(format!("{id}.{hash:016x}.jsonl"));
        if self.read(&path)?.is_none() {
            self.write(&path, bytes)?;
        }
        Ok(path)
    }
}
