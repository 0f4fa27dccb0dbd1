//! Reading the response files a merge brings in: from a data folder or from a `.tar` archive.
//!
//! Archives come from other laptops and are not trusted. Their entries are read into memory and
//! never unpacked: an entry's name is used only as a label in reports and to check that the file
//! name matches the response id, never to build a path to write to. Only regular files whose
//! name ends in `.json` are read; links, folders and devices are ignored, and an entry larger than
//! [`MAX_ENTRY_BYTES`] is reported instead of being read. The limit is on the bytes actually read,
//! counted while reading, not on a size field: a PAX `size` record can make the ustar header's
//! size say 100 bytes for an entry of 300 MB.
//!
//! A folder's files are read as the store reads its own (`store::read_response_file`): a link,
//! a pipe or a file over the size limit named like a response is reported, never followed,
//! opened or read whole. A path given on the command line may be a link, but must lead to a
//! regular file or a folder: a pipe is refused without being opened.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::MergeError;
use crate::store::atomic::is_temp_name;
use crate::store::read::{self, Links};
use crate::store::{self};

/// The largest response file accepted from an archive (a real one is a few kilobytes): the
/// store's own limit, so that a file every other command counts is never refused here.
pub const MAX_ENTRY_BYTES: u64 = store::MAX_RESPONSE_BYTES;

/// One file brought in by a source: where it came from, and its bytes or why they are missing.
#[derive(Debug)]
pub struct Incoming {
    /// `SOURCE/relative/path` or `ARCHIVE!entry/name`, for reports.
    pub origin: String,
    /// The file name as the source gives it (its stem must be the response id).
    pub file_name: PathBuf,
    /// The contents, or the reason they could not be read.
    pub bytes: Result<Vec<u8>, String>,
    /// An audit trail (`audit/<questionnaire>/<id>.jsonl`) rather than a response.
    pub trail: bool,
}

/// The largest audit trail accepted from a source (a long interview's is under a megabyte).
pub const MAX_TRAIL_BYTES: u64 = 64 * 1024 * 1024;

/// Reads every response file of `source` (a data folder, a responses folder, a `.tar`, or a
/// single response file) and hands each to `take` as soon as it is read, so that memory holds
/// one file at a time however large the source.
pub fn read_source(
    source: &Path,
    take: &mut dyn FnMut(Incoming) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let meta = std::fs::metadata(source).map_err(|e| MergeError::Source {
        path: source.to_owned(),
        reason: e.to_string(),
    })?;
    let is_json = source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if meta.is_dir() {
        read_folder(source, take)
    } else if is_json {
        take(Incoming {
            origin: source.display().to_string(),
            file_name: PathBuf::from(source.file_name().unwrap_or_default()),
            bytes: read::read(source, Links::Follow, store::MAX_RESPONSE_BYTES)
                .map_err(|e| store::reason_for(&e)),
            trail: false,
        })
    } else {
        read_archive(source, take)
    }
}

/// A data folder holds `responses/<questionnaire>/<id>.json` (then its audit trails,
/// `audit/<questionnaire>/<id>.jsonl`, once every response is read); a folder without
/// `responses/` is read as one holding response files directly (an unpacked questionnaire
/// folder).
fn read_folder(
    source: &Path,
    take: &mut dyn FnMut(Incoming) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let responses = source.join("responses");
    if !responses.is_dir() {
        return read_json_files(source, source, take);
    }
    let is_folder = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    for dir in sorted_entries(&responses)? {
        // A questionnaire folder that is a link is not followed, as by every command.
        if is_folder(&dir) {
            read_json_files(&dir, source, take)?;
        }
    }
    let audit = source.join("audit");
    if is_folder(&audit) {
        for dir in sorted_entries(&audit)? {
            if is_folder(&dir) {
                read_trail_files(&dir, source, take)?;
            }
        }
    }
    Ok(())
}

/// The `<uuid>.jsonl` files of an audit folder (kept-aside `*.damaged-*.jsonl` are this laptop's
/// own business and stay out).
fn read_trail_files(
    dir: &Path,
    source: &Path,
    take: &mut dyn FnMut(Incoming) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    for path in sorted_entries(dir)? {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if !is_trail_name(&name) {
            continue;
        }
        // The same reader as for responses: links and pipes refused on the open handle, the
        // bytes actually read capped.
        let bytes = read::read(&path, Links::Refuse, MAX_TRAIL_BYTES).map_err(|e| e.to_string());
        let relative = path.strip_prefix(source).unwrap_or(&path);
        take(Incoming {
            origin: source.join(relative).display().to_string(),
            file_name: PathBuf::from(name),
            bytes,
            trail: true,
        })?;
    }
    Ok(())
}

/// Whether `name` is an audit trail's file name, `<uuid>.jsonl`.
fn is_trail_name(name: &str) -> bool {
    name.strip_suffix(".jsonl")
        .is_some_and(|stem| uuid::Uuid::try_parse(stem).is_ok())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, MergeError> {
    let read = std::fs::read_dir(dir).map_err(|e| MergeError::Source {
        path: dir.to_owned(),
        reason: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

fn read_json_files(
    dir: &Path,
    source: &Path,
    take: &mut dyn FnMut(Incoming) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    for path in sorted_entries(dir)? {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        // Temp files of interrupted writes are expected and not responses.
        if !name.ends_with(".json") || is_temp_name(&name) {
            continue;
        }
        // A link could point anywhere on the source machine's disk; only plain files count.
        let mut buffer = Vec::new();
        let bytes = store::read_response_file(&path, &mut buffer).map(|_| buffer);
        let relative = path.strip_prefix(source).unwrap_or(&path);
        take(Incoming {
            origin: source.join(relative).display().to_string(),
            file_name: PathBuf::from(name),
            bytes,
            trail: false,
        })?;
    }
    Ok(())
}

fn read_archive(
    source: &Path,
    take: &mut dyn FnMut(Incoming) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let fail = |reason: String| MergeError::Source {
        path: source.to_owned(),
        reason,
    };
    let (file, _) = read::open_regular(source, Links::Follow).map_err(|e| fail(e.to_string()))?;
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    let entries = archive
        .entries()
        .map_err(|e| fail(format!("not a tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| fail(format!("damaged archive: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "<unreadable name>".to_owned());
        let file_name = name.rsplit('/').next().unwrap_or_default().to_owned();
        let trail = name.starts_with("audit/") && is_trail_name(&file_name);
        if trail {
            let bytes = if entry.size() > MAX_TRAIL_BYTES {
                Err(format!(
                    "{} bytes: too large for an audit trail",
                    entry.size()
                ))
            } else {
                read_capped(&mut entry, MAX_TRAIL_BYTES)
            };
            take(Incoming {
                origin: format!("{}!{name}", source.display()),
                file_name: PathBuf::from(file_name),
                bytes,
                trail,
            })?;
            continue;
        }
        if !file_name.ends_with(".json") || is_temp_name(&file_name) {
            continue;
        }
        // `entry.size()` is the size the reader will deliver (a PAX `size` record overrides the
        // header's field), but the bytes are counted as they are read all the same: the limit
        // holds whatever any header claims.
        let bytes = if entry.size() > MAX_ENTRY_BYTES {
            Err(too_large(entry.size()))
        } else {
            read_capped(&mut entry, MAX_ENTRY_BYTES)
        };
        take(Incoming {
            origin: format!("{}!{name}", source.display()),
            file_name: PathBuf::from(file_name),
            bytes,
            trail: false,
        })?;
    }
    Ok(())
}

fn too_large(size: u64) -> String {
    format!("{size} bytes: too large for a response file (at most {MAX_ENTRY_BYTES})")
}

/// Reads `reader` to its end, but never more than `limit` bytes: a longer one is refused after
/// `limit + 1` bytes, so memory never holds more than that whatever a header said.
fn read_capped(reader: &mut dyn Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read from the archive: {e}"))?;
    if buf.len() as u64 > limit {
        return Err(format!(
            "more than {limit} bytes: too large for a response file"
        ));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_capped_by_the_bytes_read() {
        let mut short: &[u8] = b"12345";
        assert_eq!(read_capped(&mut short, 5).unwrap(), b"12345");
        let mut long: &[u8] = b"123456";
        let error = read_capped(&mut long, 5).unwrap_err();
        assert!(error.contains("more than 5 bytes"), "{error}");
        assert_eq!(long, b"", "no more than limit + 1 bytes were taken");
        let mut endless = std::io::repeat(b' ');
        assert!(read_capped(&mut endless, 1024).is_err());
    }
}
