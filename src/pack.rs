//! `pack`: one laptop's responses as a single `.tar` file that `merge` reads directly.
//!
//! The archive holds `responses/<questionnaire>/<id>.json`, the same layout as a data folder,
//! so it can also be unpacked by hand and merged as a folder. Each packed response's audit trail
//! goes along as `audit/<questionnaire>/<id>.jsonl` when it has one (a damaged trail is packed
//! as it is: the archive is a copy, not a judgement). Files are copied byte for byte.
//! Each file is read, checked and admitted exactly as `stats` and `export` load it
//! (`store::load`), so the archive carries exactly the responses they count: a link, a pipe, an
//! unreadable file or one that fails the checks is left out and reported — the coordinator's
//! merge would refuse it anyway, and it may hold the only copy of something worth rescuing
//! here, so it stays untouched. A response with an invalid answer is packed (its file as it is)
//! and its problem reported, as `stats` reports it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::questionnaire::{Form, catalog};
use crate::store::{self, Store, atomic};

/// Why an archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no interview of `{interviewer}` here, so no archive was written; interviewers in this \
         data folder: {}",
        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
    )]
    NoSuchInterviewer {
        interviewer: String,
        /// The names found, each once, sorted.
        names: Vec<String>,
    },
    #[error("cannot build the archive: {0}")]
    Build(std::io::Error),
    #[error("{0} exists; choose another name or pass --force to replace it")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What went into the archive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PackReport {
    /// Response files written to the archive.
    pub packed: usize,
    /// Audit trails written beside them.
    pub trails: usize,
    /// Files left out because they did not belong to the interviewer asked for.
    pub other_interviewers: usize,
    /// Files left out, and invalid parts of packed responses, with the reason (see
    /// [`store::Problem::part`]).
    pub problems: Vec<store::Problem>,
}

impl PackReport {
    /// Files left out because they could not be used.
    pub fn left_out(&self) -> usize {
        store::skipped_files(&self.problems)
    }
}

/// Writes the responses of `store` (only `interviewer`'s, when given, compared as
/// [`crate::text::same_name`] does)
/// to the archive `out`, atomically; refuses to replace an existing file unless `replace`.
///
/// Fails only when the responses folder cannot be listed or the archive cannot be written: a
/// file that cannot be read is a problem in the report, as it is for every other command.
pub fn pack(
    store: &Store,
    out: &Path,
    interviewer: Option<&str>,
    replace: bool,
) -> Result<PackReport, PackError> {
    let mut report = PackReport::default();
    let mut others = std::collections::BTreeSet::new();
    let mut builder = tar::Builder::new(Vec::new());
    let mut forms: HashMap<String, Result<Form, String>> = HashMap::new();
    let mut bytes = Vec::new();
    for file in response_files(&store.root().join("responses"), &mut report.problems)? {
        if let Err(reason) = store::read_response_file(&file.path, &mut bytes) {
            report
                .problems
                .push(store::Problem::file(&file.path, reason));
            continue;
        }
        let form = forms
            .entry(file.questionnaire.clone())
            .or_insert_with(|| catalog::for_response(&file.questionnaire, store.root()));
        let admitted = match form {
            Ok(form) => store::parse_and_check(&file.path, &bytes, form),
            Err(reason) => Err(store::Problem::file(
                &file.path,
                format!("unknown questionnaire: {reason}"),
            )),
        };
        let (response, mut invalid) = match admitted {
            Ok(admitted) => admitted,
            Err(problem) => {
                report.problems.push(problem);
                continue;
            }
        };
        if interviewer.is_some_and(|who| !crate::text::same_name(&response.interviewer, who)) {
            report.other_interviewers += 1;
            others.insert(response.interviewer);
            continue;
        }
        report.problems.append(&mut invalid);
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(u64::try_from(response.updated_at.as_second()).unwrap_or(0));
        builder
            .append_data(&mut header, &file.entry_name, bytes.as_slice())
            .map_err(PackError::Build)?;
        report.packed += 1;
        if let Some(trail) = read_trail(store, &response)? {
            let name = format!("audit/{}/{}.jsonl", response.questionnaire, response.id);
            header.set_size(trail.len() as u64);
            builder
                .append_data(&mut header, name, trail.as_slice())
                .map_err(PackError::Build)?;
            report.trails += 1;
        }
    }
    // Stable: the parts of one file stay in the order they were found.
    report.problems.sort_by(|a, b| a.path.cmp(&b.path));
    // A name typed wrong must not give the coordinator an empty archive to carry away.
    if let Some(who) = interviewer
        && report.packed == 0
    {
        return Err(PackError::NoSuchInterviewer {
            interviewer: who.to_owned(),
            names: others.into_iter().collect(),
        });
    }
    let archive = builder.into_inner().map_err(PackError::Build)?;
    atomic::write_atomic(out, &archive, replace).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            PackError::Exists(out.to_owned())
        } else {
            PackError::Write {
                path: out.to_owned(),
                source,
            }
        }
    })?;
    Ok(report)
}

/// The bytes of `response`'s audit trail, if it has one (never through a link).
fn read_trail(store: &Store, response: &store::Response) -> Result<Option<Vec<u8>>, PackError> {
    if !store::is_safe_id(&response.questionnaire) {
        return Ok(None);
    }
    let read_error = |e: store::StoreError| PackError::Read {
        path: store.root().join("audit"),
        source: std::io::Error::other(e.to_string()),
    };
    let path = store
        .audit_path(&response.questionnaire, response.id)
        .map_err(read_error)?;
    store
        .read_inside(&path, crate::audit::MAX_TRAIL_BYTES)
        .map_err(read_error)
}

struct ResponseFile {
    path: PathBuf,
    questionnaire: String,
    entry_name: String,
}

/// `responses/<questionnaire>/<id>.json` files, sorted so an archive is reproducible; a `.json`
/// name that is a link, a pipe or a folder goes to `problems`, as the store's loader reports it.
fn response_files(
    responses: &Path,
    problems: &mut Vec<store::Problem>,
) -> Result<Vec<ResponseFile>, PackError> {
    // A link in place of `responses/` itself is an error: it would pack another folder's files
    // as this laptop's.
    if let Some(root) = responses.parent()
        && let Err(source) = store::inside::Folder::open(root, responses, false)
    {
        return Err(PackError::Read {
            path: responses.to_owned(),
            source,
        });
    }
    let mut files = Vec::new();
    for dir in list(responses)? {
        let Some(qid) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        // A questionnaire folder that is a link is reported, never followed.
        let meta = std::fs::symlink_metadata(&dir);
        if meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()) {
            let link = store::inside::LinkInTheWay(dir.clone());
            problems.push(store::Problem::file(&dir, link.to_string()));
            continue;
        }
        if !meta.is_ok_and(|m| m.is_dir()) || !store::is_safe_id(&qid) {
            continue;
        }
        for path in list(&dir)? {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !name.ends_with(".json") || atomic::is_temp_name(&name) {
                continue;
            }
            let kind = std::fs::symlink_metadata(&path).map(|m| m.file_type());
            match kind {
                Ok(kind) if kind.is_symlink() => problems.push(store::Problem::file(
                    &path,
                    store::read::NOT_FOLLOWED.to_owned(),
                )),
                Ok(kind) if !kind.is_file() => problems.push(store::Problem::file(
                    &path,
                    store::read::NOT_REGULAR.to_owned(),
                )),
                // Anything else, including a file that vanished, is the reader's to report.
                _ => files.push(ResponseFile {
                    entry_name: format!("responses/{qid}/{name}"),
                    questionnaire: qid.clone(),
                    path,
                }),
            }
        }
    }
    Ok(files)
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, PackError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(PackError::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog::default_form;
    use crate::store::Response;

    fn entry_names(archive: &Path) -> Vec<String> {
        let file = std::fs::File::open(archive).unwrap();
        let mut archive = tar::Archive::new(file);
        archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn packs_responses_under_their_folder_and_reports_unreadable_files() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        let form = default_form().unwrap();
        let ana = Response::new(&form, "Ana", "SOF46", "bg");
        let boris = Response::new(&form, "Boris", "SOF46", "bg");
        let started = crate::audit::AuditEvent::now(crate::audit::EventKind::Started, "Ana");
        store.save_interview(&ana, &[started]).unwrap();
        store.save(&boris).unwrap();
        let dir = store.responses_dir(form.id()).unwrap();
        std::fs::write(dir.join("broken.json"), b"{").unwrap();
        std::fs::write(dir.join(".x.json.123.tmp"), b"{").unwrap();

        let out = data.path().join("ana.tar");
        let report = pack(&store, &out, Some("ana"), false).unwrap();
        assert_eq!(report.packed, 1);
        assert_eq!(report.other_interviewers, 1);
        assert_eq!(report.problems.len(), 1, "the temp file is not a problem");
        assert!(report.problems[0].path.ends_with("broken.json"));
        assert_eq!(
            entry_names(&out),
            [
                format!("responses/{}/{}.json", form.id(), ana.id),
                format!("audit/{}/{}.jsonl", form.id(), ana.id)
            ]
        );
        assert_eq!(report.trails, 1);
        assert!(matches!(
            pack(&store, &out, None, false),
            Err(PackError::Exists(_))
        ));
        let all = pack(&store, &out, None, true).unwrap();
        assert_eq!(all.packed, 2);
        let cyrillic = Response::new(&form, "Борислав Илиев 203", "SOF46", "bg");
        store.save(&cyrillic).unwrap();
        let one = pack(&store, &out, Some("борислав  ИЛИЕВ 203"), true).unwrap();
        assert_eq!(one.packed, 1, "Unicode case and spaces do not matter");
        let before = std::fs::read(&out).unwrap();
        match pack(&store, &out, Some("Борис"), true) {
            Err(PackError::NoSuchInterviewer { names, .. }) => {
                assert_eq!(names, ["Ana", "Boris", "Борислав Илиев 203"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&out).unwrap(), before, "nothing was written");
    }

    #[cfg(unix)]
    #[test]
    fn a_questionnaire_folder_that_is_a_link_is_reported_not_packed() {
        let data = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let form = default_form().unwrap();
        let stranger = Store::open(elsewhere.path()).unwrap();
        stranger
            .save(&Response::new(&form, "Иван", "SOF46", "bg"))
            .unwrap();
        let store = Store::open(data.path()).unwrap();
        store
            .save(&Response::new(&form, "Ана", "SOF46", "bg"))
            .unwrap();
        let link = data.path().join("responses").join("other-study");
        std::os::unix::fs::symlink(stranger.responses_dir(form.id()).unwrap(), &link).unwrap();
        let out = data.path().join("x.tar");
        let report = pack(&store, &out, None, false).unwrap();
        assert_eq!(report.packed, 1);
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].path, link);
        assert!(report.problems[0].reason.contains("symbolic link"));

        std::fs::remove_dir_all(data.path().join("responses")).unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("responses"),
            data.path().join("responses"),
        )
        .unwrap();
        let err = pack(&store, &data.path().join("y.tar"), None, false).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }
}
