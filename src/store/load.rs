//! Loading responses: many files in parallel, every unreadable one reported, none modified.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::read::{self, Links};
use super::{Response, StoreError};
use crate::municipality;
use crate::questionnaire::Form;

/// A file that could not be used, or a part of a response that is invalid, and why. The file
/// itself is left untouched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
    /// `None`: the file was not used at all. Otherwise the response is counted and only this
    /// part of it is invalid: a question id (its answer counts as the invalid code −8) or
    /// `completed_at` (its duration is unknown); see `store::admit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Problem {
    /// A file that was not used.
    pub fn file(path: &Path, reason: String) -> Self {
        Self {
            path: path.to_owned(),
            reason,
            part: None,
        }
    }

    /// An invalid part of a response that is counted all the same.
    pub fn invalid_part(path: &Path, part: String, reason: String) -> Self {
        Self {
            path: path.to_owned(),
            reason,
            part: Some(part),
        }
    }

    /// Whether the file was left out (rather than counted with an invalid part).
    pub fn is_skipped_file(&self) -> bool {
        self.part.is_none()
    }

    /// How a command introduces the problem on its own line: `skipped` for a file left out,
    /// `invalid` for a counted response with an invalid part.
    pub fn verb(&self) -> &'static str {
        if self.is_skipped_file() {
            "skipped"
        } else {
            "invalid"
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// How many files were left out (rather than counted with an invalid part) among `problems`.
pub fn skipped_files(problems: &[Problem]) -> usize {
    problems.iter().filter(|p| p.is_skipped_file()).count()
}

/// The outcome of loading a folder: the good responses (sorted by id) and the problems.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub responses: Vec<Response>,
    pub problems: Vec<Problem>,
}

/// Loads every response file of the responses folder `dir`, as [`super::Store::load`] does,
/// calling `progress(files_read, files_total)` now and then from the reading threads.
pub fn load_folder(
    dir: &Path,
    form: &Form,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LoadReport, StoreError> {
    let (paths, refused) = response_files(dir)?;
    let total = paths.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    progress(0, total);
    // Each worker reads into its own reusable buffer: no allocation and no extra `stat` per
    // file, which matters at 100,000 files. The listing is not sorted: responses are sorted by
    // id below and problems by path, so the outcome does not depend on directory order.
    let results: Vec<Result<(Response, Vec<Problem>), Problem>> = paths
        .par_iter()
        .map_init(Vec::new, |buffer, path| {
            let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if finished.is_multiple_of(PROGRESS_EVERY) {
                progress(finished, total);
            }
            read_and_check(path, buffer, form)
        })
        .collect();
    let mut responses = Vec::with_capacity(results.len());
    let mut problems = refused;
    for result in results {
        match result {
            Ok((response, mut invalid)) => {
                responses.push(response);
                problems.append(&mut invalid);
            }
            Err(p) => problems.push(p),
        }
    }
    progress(total, total);
    responses.par_sort_unstable_by_key(|r| r.id);
    sort_problems(&mut problems);
    Ok(LoadReport {
        responses,
        problems,
    })
}

/// How many files are read between two progress reports.
const PROGRESS_EVERY: usize = 1024;

/// The `<uuid>.json` files of `dir` (none when it does not exist yet), and a problem for each
/// `.json` name that is not a regular file.
fn response_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Problem>), StoreError> {
    let (entries, refused) = response_entries(dir)?;
    Ok((
        entries.iter().map(std::fs::DirEntry::path).collect(),
        refused,
    ))
}

/// [`response_files`] as directory entries, which can be queried without walking the path again.
pub(super) fn response_entries(
    dir: &Path,
) -> Result<(Vec<std::fs::DirEntry>, Vec<Problem>), StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(source) => {
            return Err(StoreError::ReadDir {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths = Vec::new();
    let mut refused = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| StoreError::ReadDir {
            path: dir.to_owned(),
            source,
        })?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Temp files of interrupted writes and anything that is not `<uuid>.json` are not
        // responses; they are skipped without a report because they are expected.
        if name.ends_with(".json") && !super::atomic::is_temp_name(&name) {
            match refusal(&entry) {
                None => paths.push(entry),
                Some(reason) => refused.push(problem(&entry.path(), reason.to_owned())),
            }
        }
    }
    Ok((paths, refused))
}

/// Why a listed `.json` entry is not read, from the listing itself (no extra system call on
/// most filesystems): a link is never followed, and opening a named pipe would wait forever.
/// The reader looks again when it opens the file, in case the entry changed in between.
fn refusal(entry: &std::fs::DirEntry) -> Option<&'static str> {
    match entry.file_type() {
        Ok(kind) if kind.is_file() => None,
        Ok(kind) if kind.is_symlink() => Some(read::NOT_FOLLOWED),
        _ => Some(read::NOT_REGULAR),
    }
}

/// Far more than any real response (a 10,000-character answer to every question of a long
/// questionnaire is about 1 MB); a bigger file is reported instead of being read into memory.
/// The same limit holds for every command, so that none counts a file another refuses.
pub const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// A response as admitted (see [`super::admit`]) with the problems of its invalid parts.
pub type Admitted = (Response, Vec<Problem>);

/// Reads, parses, checks and admits one listed response file into `buffer`.
fn read_and_check(path: &Path, buffer: &mut Vec<u8>, form: &Form) -> Result<Admitted, Problem> {
    read_checked(path, buffer, form).map(|(admitted, _)| admitted)
}

/// [`read_and_check`], also returning the metadata of the file as it was when opened (taken
/// before reading, so that a change made while reading always leaves a newer stamp than the one
/// returned; see `store::cache`).
pub(super) fn read_checked(
    path: &Path,
    buffer: &mut Vec<u8>,
    form: &Form,
) -> Result<(Admitted, std::fs::Metadata), Problem> {
    let meta = read_response_file(path, buffer).map_err(|r| problem(path, r))?;
    Ok((parse_and_check(path, buffer, form)?, meta))
}

/// Problems in path order, and for one file in the order the parts were found.
pub(super) fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| a.path.cmp(&b.path));
}

/// Reads a file of the data folder that should be a response, as every command does: never
/// through a link, never from a pipe or device, never more than [`MAX_RESPONSE_BYTES`].
/// The error is the reason to report.
pub fn read_response_file(path: &Path, buffer: &mut Vec<u8>) -> Result<std::fs::Metadata, String> {
    read::read_into(path, Links::Refuse, MAX_RESPONSE_BYTES, buffer).map_err(|e| reason_for(&e))
}

/// The reason reported for a file that could not be read.
pub fn reason_for(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::FileTooLarge => error.to_string(),
        _ => format!("cannot read: {error}"),
    }
}

/// Parses `bytes`, checks that the response belongs where it is, and admits it.
pub fn parse_and_check(path: &Path, bytes: &[u8], form: &Form) -> Result<Admitted, Problem> {
    let mut response = parse_response(bytes).map_err(|r| problem(path, r))?;
    check_response(&response, path, form).map_err(|r| problem(path, r))?;
    let invalid = super::admit::admit(&mut response, path, form);
    Ok((response, invalid))
}

/// Reads, parses and checks one response file, as [`super::Store::load`] does for each file.
///
/// For code that walks a folder itself (to report progress, say): use this rather than reading
/// the file directly, so that links, pipes, folders and huge files are refused without being
/// read.
pub fn load_file(path: &Path, form: &Form) -> Result<Admitted, Problem> {
    read_and_check(path, &mut Vec::new(), form)
}

pub(super) fn problem(path: &Path, reason: String) -> Problem {
    Problem::file(path, reason)
}

/// Parses a response file, naming the line and column of a syntax or shape error.
pub fn parse_response(bytes: &[u8]) -> Result<Response, String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_owned());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.valid_up_to()))?;
    serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Eof => format!("truncated JSON: {e}"),
        serde_json::error::Category::Syntax => format!("not valid JSON: {e}"),
        _ => format!("not a response: {e}"),
    })
}

/// Checks that a parsed response belongs where it is: its file name, questionnaire, version,
/// municipality and question ids. A response that passes is admitted with
/// [`super::admit::admit`], which marks its invalid answers.
pub fn check_response(response: &Response, path: &Path, form: &Form) -> Result<(), String> {
    let stem = path.file_stem().map(|s| s.to_string_lossy());
    let mut id_buffer = uuid::Uuid::encode_buffer();
    let id = response.id.hyphenated().encode_lower(&mut id_buffer);
    if stem.as_deref() != Some(&*id) {
        return Err(format!(
            "the file name does not match its id {}: a duplicate or renamed copy",
            response.id
        ));
    }
    if response.questionnaire != form.id() {
        return Err(format!(
            "belongs to questionnaire `{}`, not `{}`",
            response.questionnaire,
            form.id()
        ));
    }
    if !form.accepts_version(&response.questionnaire_version) {
        return Err(format!(
            "questionnaire version `{}` is unknown (this is version `{}`)",
            response.questionnaire_version,
            form.version()
        ));
    }
    if municipality::bundled()
        .get(&response.municipality)
        .is_none()
    {
        return Err(format!(
            "unknown municipality code `{}`",
            response.municipality
        ));
    }
    // An answer to no question has no column to be counted in: the file is refused. An answer
    // that breaks its question's rules is the admission's business (`store::admit`): only that
    // answer is invalid.
    if let Some(id) = response
        .answers
        .keys()
        .find(|id| form.question(id).is_none())
    {
        return Err(format!("answer to `{id}`, which is not a question"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    fn reason_in(dir: &Path, name: &str) -> String {
        let form = catalog::default_form().unwrap();
        let report = load_folder(dir, &form, &|_, _| {}).unwrap();
        let found = report.problems.iter().find(|p| p.path.ends_with(name));
        found.map(|p| p.reason.clone()).unwrap_or_default()
    }

    #[test]
    fn a_huge_file_is_reported_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.json", uuid::Uuid::new_v4());
        // Sparse: 64 GiB on paper, nothing on disk.
        let file = std::fs::File::create(dir.path().join(&name)).unwrap();
        file.set_len(64 << 30).unwrap();
        assert!(reason_in(dir.path(), &name).contains("too large"));
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_reported_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.json", uuid::Uuid::new_v4());
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(&name))
            .status()
            .unwrap();
        assert!(made.success());
        // Opening the pipe would block this test forever.
        assert!(reason_in(dir.path(), &name).contains("not a regular file"));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_response_is_reported_and_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = crate::store::Response::new(&form, "Ана", "SOF46", "bg");
        let elsewhere = tempfile::tempdir().unwrap();
        let saved = crate::store::Store::open(elsewhere.path()).unwrap();
        let target = saved.save(&response).unwrap();
        let folder = store.responses_dir(form.id()).unwrap();
        std::fs::create_dir_all(&folder).unwrap();
        let name = format!("{}.json", response.id);
        std::os::unix::fs::symlink(&target, folder.join(&name)).unwrap();
        let report = load_folder(&folder, &form, &|_, _| {}).unwrap();
        assert!(report.responses.is_empty(), "a link is not a response");
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].reason.contains("symbolic link"));
        // The same rule for a single file read directly.
        let err = load_file(&folder.join(&name), &form).unwrap_err();
        assert!(err.reason.contains("symbolic link"), "{}", err.reason);
    }

    #[test]
    fn a_folder_named_like_a_response_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("x.json")).unwrap();
        assert!(reason_in(dir.path(), "x.json").contains("not a regular file"));
    }
}
