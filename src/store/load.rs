//! Loading responses: many files in parallel, every unreadable one reported, none modified.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Response, StoreError};
use crate::municipality;
use crate::questionnaire::Form;

/// A file that could not be used, and why. The file itself is left untouched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
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
    let results: Vec<Result<Response, Problem>> = paths
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
            Ok(response) => responses.push(response),
            Err(p) => problems.push(p),
        }
    }
    progress(total, total);
    responses.par_sort_unstable_by_key(|r| r.id);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
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
            if is_regular_file(&entry) {
                paths.push(entry);
            } else {
                refused.push(problem(&entry.path(), NOT_REGULAR.to_owned()));
            }
        }
    }
    Ok((paths, refused))
}

const NOT_REGULAR: &str = "not a regular file (a folder, pipe or device named like a response)";

/// Whether a listed entry is a regular file, from the listing itself (no extra system call on
/// most filesystems); a symbolic link is followed. Opening a named pipe would wait forever.
fn is_regular_file(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(kind) if kind.is_file() => true,
        Ok(kind) if kind.is_symlink() => std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
        _ => false,
    }
}

/// Far more than any real response (a 10,000-character answer to every question of a long
/// questionnaire is about 1 MB); a bigger file is reported instead of being read into memory.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads, parses and checks one listed response file into `buffer`.
fn read_and_check(path: &Path, buffer: &mut Vec<u8>, form: &Form) -> Result<Response, Problem> {
    let file = open(path).map_err(|r| problem(path, r))?;
    read_into(file, buffer).map_err(|r| problem(path, r))?;
    parse_and_check(path, buffer, form)
}

/// [`read_and_check`], also returning the metadata of the file as it was when read.
pub(super) fn read_checked(
    path: &Path,
    buffer: &mut Vec<u8>,
    form: &Form,
) -> Result<(Response, std::fs::Metadata), Problem> {
    let file = open(path).map_err(|r| problem(path, r))?;
    // Taken before reading, so that a change made while reading always leaves a newer stamp
    // than the one returned (see `store::cache`).
    let meta = file
        .metadata()
        .map_err(|e| problem(path, format!("cannot read: {e}")))?;
    read_into(file, buffer).map_err(|r| problem(path, r))?;
    Ok((parse_and_check(path, buffer, form)?, meta))
}

fn parse_and_check(path: &Path, bytes: &[u8], form: &Form) -> Result<Response, Problem> {
    let response = parse_response(bytes).map_err(|r| problem(path, r))?;
    check_response(&response, path, form).map_err(|r| problem(path, r))?;
    Ok(response)
}

/// Reads, parses and checks one response file, as [`super::Store::load`] does for each file.
///
/// For code that walks a folder itself (to report progress, say): use this rather than reading
/// the file directly, so that pipes, folders and huge files are refused without being opened.
pub fn load_file(path: &Path, form: &Form) -> Result<Response, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| problem(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(problem(path, NOT_REGULAR.to_owned()));
    }
    read_and_check(path, &mut Vec::new(), form)
}

pub(super) fn problem(path: &Path, reason: String) -> Problem {
    Problem {
        path: path.to_owned(),
        reason,
    }
}

fn open(path: &Path) -> Result<std::fs::File, String> {
    std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))
}

/// Reads the whole of `file` into `buffer`, replacing its content, up to [`MAX_RESPONSE_BYTES`]:
/// a bigger file is refused after that many bytes, never read whole.
fn read_into(file: std::fs::File, buffer: &mut Vec<u8>) -> Result<(), String> {
    use std::io::Read;
    buffer.clear();
    file.take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(buffer)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buffer.len() as u64 > MAX_RESPONSE_BYTES {
        return Err(format!(
            "too large to be a response (over {MAX_RESPONSE_BYTES} bytes)"
        ));
    }
    Ok(())
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

/// Checks a parsed response against its questionnaire and the municipality list.
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
    for (id, answer) in &response.answers {
        let question = form
            .question(id)
            .ok_or_else(|| format!("answer to `{id}`, which is not a question"))?;
        answer.check_type(question, form)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    fn reason_for(dir: &Path, name: &str) -> String {
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
        assert!(reason_for(dir.path(), &name).contains("too large"));
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
        assert!(reason_for(dir.path(), &name).contains("not a regular file"));
    }

    #[test]
    fn a_folder_named_like_a_response_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("x.json")).unwrap();
        assert!(reason_for(dir.path(), "x.json").contains("not a regular file"));
    }
}
