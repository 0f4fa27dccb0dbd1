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

pub(super) fn load_dir(dir: &Path, form: &Form) -> Result<LoadReport, StoreError> {
    let (responses, problems) = load_dir_mapped(dir, form, |r| r)?;
    Ok(LoadReport {
        responses,
        problems,
    })
}

/// What [`crate::store::Store::load_mapped`] returns: one item per good response, in response
/// id order, and the problems.
#[derive(Debug)]
pub struct MappedLoad<T> {
    pub items: Vec<T>,
    pub problems: Vec<Problem>,
}

pub(super) fn load_dir_mapped<T: Send>(
    dir: &Path,
    form: &Form,
    map: impl Fn(Response) -> T + Sync,
) -> Result<(Vec<T>, Vec<Problem>), StoreError> {
    let paths = response_files(dir)?;
    // Each worker reads into its own reusable buffer: no allocation and no extra `stat` per
    // file, which matters at 100,000 files. The listing is not sorted: items are sorted by
    // response id below and problems by path, so the outcome does not depend on directory order.
    let results: Vec<Result<(uuid::Uuid, T), Problem>> = paths
        .par_iter()
        .map_init(Vec::new, |buffer, path| {
            read_into(path, buffer).map_err(|e| problem(path, format!("cannot read: {e}")))?;
            let response = parse_response(buffer).map_err(|r| problem(path, r))?;
            check_response(&response, path, form).map_err(|r| problem(path, r))?;
            Ok((response.id, map(response)))
        })
        .collect();
    let mut items = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(p) => problems.push(p),
        }
    }
    items.par_sort_unstable_by_key(|(id, _)| *id);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((items.into_iter().map(|(_, item)| item).collect(), problems))
}

/// The `<uuid>.json` files of `dir` (none when it does not exist yet).
fn response_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::ReadDir {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths = Vec::new();
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
            paths.push(entry.path());
        }
    }
    Ok(paths)
}

fn problem(path: &Path, reason: String) -> Problem {
    Problem {
        path: path.to_owned(),
        reason,
    }
}

/// Reads the whole file at `path` into `buffer`, replacing its content.
fn read_into(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    buffer.clear();
    std::fs::File::open(path)?.read_to_end(buffer)?;
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
