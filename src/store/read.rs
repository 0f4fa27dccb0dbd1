//! Reading a file that anketa did not just write itself: a response, a questionnaire, a targets
//! or settings file, a merge source. Every such read goes through here, so that three rules hold
//! everywhere:
//!
//! - **Only regular files are read.** A named pipe would block the reader forever, a device
//!   could be endless, a folder cannot be read. The path is looked at first (so a device is
//!   normally never opened at all), then opened with `O_NONBLOCK` — opening a pipe with it
//!   returns at once instead of waiting for a writer — and the open file is looked at again with
//!   `fstat`. The second look closes the race in which the path is swapped for a pipe between the
//!   first look and the open: what is read is always what was checked.
//! - **Links are followed only when asked.** Inside the data folder a link is a problem of its
//!   own and is never followed ([`Links::Refuse`], `O_NOFOLLOW`), so every command sees the same
//!   set of files. A path typed on the command line may be a link ([`Links::Follow`]).
//! - **Every read is capped.** Bytes are counted while reading and reading stops one byte past
//!   the limit, so a file that grows while it is read, or a sparse file that claims a terabyte,
//!   never costs more than the limit in memory.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Whether a symbolic link at the path itself is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Follow it (a path the user typed).
    Follow,
    /// Refuse it with [`NOT_FOLLOWED`] (a file found in the data folder).
    Refuse,
}

/// The reason given for a link that is not followed.
pub const NOT_FOLLOWED: &str = "a symbolic link; anketa never follows links in the data folder";

/// The reason given for a folder, pipe, socket or device where a file was expected.
pub const NOT_REGULAR: &str = "not a regular file (a folder, pipe or device)";

/// Opens `path` for reading if it is a regular file, never blocking on a pipe; returns the open
/// file and its metadata as the open file has it.
///
/// Errors: the file's own I/O error, or an error of kind `InvalidInput` whose message is
/// [`NOT_FOLLOWED`] or [`NOT_REGULAR`].
pub fn open_regular(path: &Path, links: Links) -> io::Result<(File, Metadata)> {
    let first = match links {
        Links::Follow => std::fs::metadata(path)?,
        Links::Refuse => std::fs::symlink_metadata(path)?,
    };
    if first.file_type().is_symlink() {
        return Err(invalid(NOT_FOLLOWED));
    }
    if !first.is_file() {
        return Err(invalid(NOT_REGULAR));
    }
    let file = open_nonblocking(path, links)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(invalid(NOT_REGULAR));
    }
    Ok((file, meta))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path, links: Links) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| {
            // The path became a link after it was looked at: O_NOFOLLOW refuses it with ELOOP.
            if links == Links::Refuse && e.raw_os_error() == Some(libc::ELOOP) {
                invalid(NOT_FOLLOWED)
            } else {
                e
            }
        })
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path, _links: Links) -> io::Result<File> {
    File::open(path)
}

/// Reads the regular file at `path` into `buffer` (replacing its content), refusing it once it
/// holds more than `limit` bytes; returns the file's metadata as it was when opened (taken
/// before reading, so that a change made while reading always leaves a newer stamp).
///
/// Errors as [`open_regular`], plus one of kind `FileTooLarge` naming the limit.
pub fn read_into(
    path: &Path,
    links: Links,
    limit: u64,
    buffer: &mut Vec<u8>,
) -> io::Result<Metadata> {
    let (file, meta) = open_regular(path, links)?;
    buffer.clear();
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    // The size is only a hint (the file may change): the cap is on the bytes actually read.
    buffer.reserve(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(buffer)?;
    if buffer.len() as u64 > limit {
        buffer.clear();
        return Err(too_large(limit));
    }
    Ok(meta)
}

/// [`read_into`] a new buffer.
pub fn read(path: &Path, links: Links, limit: u64) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    read_into(path, links, limit, &mut buffer)?;
    Ok(buffer)
}

/// [`read`] as UTF-8 text; text that is not UTF-8 is an error of kind `InvalidData`.
pub fn read_to_string(path: &Path, links: Links, limit: u64) -> io::Result<String> {
    String::from_utf8(read(path, links, limit)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.utf8_error()))
}

/// The largest settings, questionnaire or targets file anketa reads (a large real
/// questionnaire is a few hundred kilobytes).
pub const MAX_DEFINITION_BYTES: u64 = 16 * 1024 * 1024;

fn invalid(reason: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, reason)
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("too large: over {limit} bytes, far more than such a file ever holds"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn fifo(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("p.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        path
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path());
        for links in [Links::Follow, Links::Refuse] {
            let err = read(&path, links, 10).unwrap_err();
            assert_eq!(err.to_string(), NOT_REGULAR);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_swapped_in_after_the_first_look_is_refused_by_the_second() {
        // The race itself cannot be timed in a test; the open and the second look can.
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path());
        let file = open_nonblocking(&path, Links::Refuse).unwrap();
        assert!(!file.metadata().unwrap().is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        std::fs::write(&target, b"{}").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read(&link, Links::Follow, 10).unwrap(), b"{}");
        let err = read(&link, Links::Refuse, 10).unwrap_err();
        assert_eq!(err.to_string(), NOT_FOLLOWED);
        let err = open_nonblocking(&link, Links::Refuse).unwrap_err();
        assert_eq!(err.to_string(), NOT_FOLLOWED, "the open refuses it too");
    }

    #[test]
    fn a_sparse_giant_is_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        File::create(&path).unwrap().set_len(1 << 40).unwrap();
        let err = read(&path, Links::Refuse, 1024).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert!(err.to_string().contains("over 1024 bytes"), "{err}");
    }

    #[test]
    fn the_limit_counts_bytes_read_and_a_file_at_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read(&path, Links::Refuse, 5).unwrap(), b"12345");
        let err = read(&path, Links::Refuse, 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn a_folder_is_refused_and_text_must_be_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), Links::Follow, 10).unwrap_err();
        assert_eq!(err.to_string(), NOT_REGULAR);
        let path = dir.path().join("latin1.json");
        std::fs::write(&path, b"\xe9t\xe9").unwrap();
        let err = read_to_string(&path, Links::Follow, 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
