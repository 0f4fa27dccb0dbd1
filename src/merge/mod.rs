//! Bringing responses from other laptops into this data folder.
//!
//! Identity is the response id. For every incoming file the merge decides one [`Outcome`]:
//! a file not yet here is **new**; a byte-for-byte or field-for-field equal one is
//! **identical**; a later version of an interview here (later `updated_at`, or draft → complete)
//! is an **update**, which replaces the local file only after the local file has been copied to
//! `DIR/history/<id>.<updated_at>.json`; an earlier version is **older** and is kept in history
//! too; two versions that cannot be ordered are a **conflict**: the local one stays, the incoming
//! one is kept under `DIR/conflicts/`, and both are reported. A version whose `updated_at` is more
//! than a day after the merge (a laptop with a wrong clock) is never trusted to be the later one:
//! it is a conflict against any other version. A file that fails to load is a
//! **problem**: reported, never copied. Nothing is ever deleted, every write is atomic, and a
//! second run over the same sources changes nothing. Audit trails come along with their
//! responses (see `trails`).

mod decide;
pub mod source;
mod trails;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use uuid::Uuid;

pub use decide::{MAX_CLOCK_SKEW, Order, compare, version_stamp};
use source::Incoming;
use trails::{Placed, Won};
pub use trails::{TrailItem, TrailOutcome};

use crate::questionnaire::{Form, catalog};
use crate::store::{self, Response, Store, StoreError};

/// Why a merge stopped. A source that cannot be read is raised by [`source::read_source`] and
/// turned into an [`Outcome::Problem`] by [`merge`]; only errors reading or writing the data folder stop a merge.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("cannot read the source {path}: {reason}")]
    Source { path: PathBuf, reason: String },
    #[error("cannot read {path} in the data folder: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the merge did (or, in a dry run, would do) with one incoming file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    New,
    Identical,
    /// The local file was replaced; its old version is at `history`.
    Updated {
        history: PathBuf,
    },
    /// The incoming file is an earlier version; it is kept at `history`.
    Older {
        history: PathBuf,
    },
    /// Both versions are kept: the local one in place, the incoming one at `kept_as`.
    Conflict {
        kept_as: PathBuf,
        reason: String,
    },
    /// The file was not used.
    Problem {
        reason: String,
    },
}

/// One incoming file and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub origin: String,
    pub id: Option<Uuid>,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The invalid parts of a response that was merged all the same (answers that break their
    /// question's rules, inconsistent times), as every command reports them; see
    /// `store::admit`. The file is merged as it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<String>,
}

/// The counts printed at the end of a merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub identical: usize,
    pub older: usize,
    pub conflicts: usize,
    pub problems: usize,
}

/// Everything a merge did, file by file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeReport {
    pub dry_run: bool,
    pub items: Vec<Item>,
    /// The audit trails that came with the responses.
    pub trails: Vec<TrailItem>,
}

impl MergeReport {
    /// How many files had each outcome.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for item in &self.items {
            match item.outcome {
                Outcome::New => c.new += 1,
                Outcome::Identical => c.identical += 1,
                Outcome::Updated { .. } => c.updated += 1,
                Outcome::Older { .. } => c.older += 1,
                Outcome::Conflict { .. } => c.conflicts += 1,
                Outcome::Problem { .. } => c.problems += 1,
            }
        }
        c
    }
}

/// Merges every source (data folders, response folders or `pack` archives) into `store`.
///
/// With `dry_run` nothing is written, but the outcomes are those a real run would have,
/// including the effect of earlier sources on later ones. Fails only when a write fails (a
/// second run completes the merge); unreadable sources and files are problems in the report.
pub fn merge(store: &Store, sources: &[PathBuf], dry_run: bool) -> Result<MergeReport, MergeError> {
    let mut merger = Merger {
        store,
        dry_run,
        forms: HashMap::new(),
        planned: HashMap::new(),
        now: jiff::Timestamp::now(),
        placed: HashMap::new(),
    };
    let mut report = MergeReport {
        dry_run,
        items: Vec::new(),
        trails: Vec::new(),
    };
    for source in sources {
        let read = source::read_source(source, &mut |incoming| {
            if incoming.trail {
                report.trails.push(merger.merge_trail(incoming)?);
            } else {
                report.items.push(merger.merge_one(incoming)?);
            }
            Ok(())
        });
        // A missing or damaged source is reported like a bad file, after whatever was read
        // from it has been merged; the other sources are still merged.
        match read {
            Err(MergeError::Source { path, reason }) => report.items.push(Item {
                origin: path.display().to_string(),
                id: None,
                outcome: Outcome::Problem { reason },
                invalid: Vec::new(),
            }),
            other => other?,
        }
    }
    Ok(report)
}

/// The questionnaire `id` (already checked safe); see [`catalog::for_response`].
fn questionnaire_by_id(id: &str, data_dir: &Path) -> Result<Form, String> {
    catalog::for_response(id, data_dir)
}

struct Merger<'a> {
    store: &'a Store,
    dry_run: bool,
    /// Questionnaire id → its form, or why it cannot be loaded.
    forms: HashMap<String, Result<Form, String>>,
    /// What a dry run would have written, so later files see it.
    planned: HashMap<PathBuf, Vec<u8>>,
    /// When the merge started: versions saved more than a day after it are not trusted to order.
    now: jiff::Timestamp,
    /// Response id → what became of its incoming version, for the trail that follows it.
    placed: HashMap<Uuid, Placed>,
}

impl Merger<'_> {
    fn merge_one(&mut self, incoming: Incoming) -> Result<Item, MergeError> {
        let mut item = Item {
            origin: incoming.origin.clone(),
            id: None,
            outcome: Outcome::New,
            invalid: Vec::new(),
        };
        let (response, bytes) = match self.load_incoming(incoming) {
            Ok(ok) => ok,
            Err(reason) => {
                item.outcome = Outcome::Problem { reason };
                return Ok(item);
            }
        };
        item.id = Some(response.id);
        // The original answers are compared and kept; only the report names the invalid ones.
        let mut admitted = response.clone();
        let origin = Path::new(&item.origin);
        let form = self.forms.get(&response.questionnaire);
        if let Some(Ok(form)) = form {
            item.invalid = store::admit(&mut admitted, origin, form)
                .into_iter()
                .map(|p| p.reason)
                .collect();
        }
        item.outcome = self.place(&response, &bytes)?;
        let how = match item.outcome {
            Outcome::New | Outcome::Updated { .. } => Won::Incoming,
            Outcome::Identical => Won::Same,
            Outcome::Older { .. } => Won::Older,
            Outcome::Conflict { .. } | Outcome::Problem { .. } => Won::Conflict,
        };
        let questionnaire = response.questionnaire.clone();
        self.placed
            .insert(response.id, Placed { questionnaire, how });
        Ok(item)
    }

    /// Parses and checks an incoming file exactly as the store's loader would.
    fn load_incoming(&mut self, incoming: Incoming) -> Result<(Response, Vec<u8>), String> {
        let bytes = incoming.bytes?;
        let response = store::parse_response(&bytes)?;
        if !store::is_safe_id(&response.questionnaire) {
            return Err(format!(
                "questionnaire id {:?} is not usable in a file name",
                response.questionnaire
            ));
        }
        let root = self.store.root().to_owned();
        let form = self
            .forms
            .entry(response.questionnaire.clone())
            .or_insert_with(|| questionnaire_by_id(&response.questionnaire, &root))
            .as_ref()
            .map_err(|e| format!("unknown questionnaire: {e}"))?;
        store::check_response(&response, &incoming.file_name, form)?;
        Ok((response, bytes))
    }

    fn place(&mut self, incoming: &Response, bytes: &[u8]) -> Result<Outcome, MergeError> {
        let dest = self.store.response_path(incoming)?;
        let local = match self.read(&dest) {
            // A link in the local file's place: this response is a problem, the rest merge.
            Err(MergeError::Store(StoreError::Link(link))) if link.0 == dest => {
                return Ok(Outcome::Problem {
                    reason: link.to_string(),
                });
            }
            other => other?,
        };
        let Some(local_bytes) = local else {
            self.write(&dest, bytes)?;
            return Ok(Outcome::New);
        };
        if local_bytes == bytes {
            return Ok(Outcome::Identical);
        }
        let local = match store::parse_response(&local_bytes) {
            Ok(local) => local,
            Err(e) => {
                let reason = format!("the local file cannot be read ({e}); it is left as it is");
                return self.conflict(incoming, bytes, reason);
            }
        };
        match compare(&local, incoming, self.now) {
            Order::Same => Ok(Outcome::Identical),
            Order::IncomingOlder => {
                let history = self.keep_copy("history", incoming, bytes)?;
                Ok(Outcome::Older { history })
            }
            Order::IncomingNewer => self.update(&dest, &local, &local_bytes, bytes),
            Order::Unordered(reason) => self.conflict(incoming, bytes, reason),
        }
    }

    fn update(
        &mut self,
        dest: &Path,
        local: &Response,
        local_bytes: &[u8],
        bytes: &[u8],
    ) -> Result<Outcome, MergeError> {
        // An interview open on this laptop must not be replaced under the interviewer's hands.
        let _lock = if self.dry_run {
            None
        } else {
            match self.store.lock_response(local.id) {
                Ok(lock) => Some(lock),
                Err(StoreError::Locked(_)) => {
                    return Ok(Outcome::Problem {
                        reason: "the interview is open for editing on this computer; \
                                 merge again once it is closed"
                            .to_owned(),
                    });
                }
                Err(e) => return Err(e.into()),
            }
        };
        // The old version is safe in history before the new one takes its place.
        let history = self.keep_copy("history", local, local_bytes)?;
        self.write(dest, bytes)?;
        Ok(Outcome::Updated { history })
    }

    fn conflict(
        &mut self,
        incoming: &Response,
        bytes: &[u8],
        reason: String,
    ) -> Result<Outcome, MergeError> {
        let kept_as = self.keep_copy("conflicts", incoming, bytes)?;
        Ok(Outcome::Conflict { kept_as, reason })
    }

    /// Stores `bytes` as `DIR/<folder>/<id>.<updated_at>.json`, unless that very file is there.
    /// A different file under the same name gets a content hash appended, so nothing is lost.
    fn keep_copy(
        &mut self,
        folder: &str,
        response: &Response,
        bytes: &[u8],
    ) -> Result<PathBuf, MergeError> {
        let dir = self.store.root().join(folder);
        let stamp = version_stamp(response);
        let plain = dir.join(format!("{}.{stamp}.json", response.id));
        let hashed = dir.join(format!(
            "{}.{stamp}.{:016x}.json",
            response.id,
            decide::content_hash(bytes)
        ));
        for path in [plain, hashed] {
            match self.read(&path)? {
                Some(existing) if existing == bytes => return Ok(path),
                Some(_) => continue,
                None => {
                    self.write(&path, bytes)?;
                    return Ok(path);
                }
            }
        }
        Err(MergeError::Write {
            path: dir,
            source: std::io::Error::other("two different files share a content hash"),
        })
    }

    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, MergeError> {
        if let Some(bytes) = self.planned.get(path) {
            return Ok(Some(bytes.clone()));
        }
        // Never through a link: a link in the data folder is reported, not followed.
        Ok(self.store.read_inside(path, store::MAX_RESPONSE_BYTES)?)
    }

    fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), MergeError> {
        if self.dry_run {
            self.planned.insert(path.to_owned(), bytes.to_vec());
            return Ok(());
        }
        Ok(self.store.write_inside(path, bytes)?)
    }
}
