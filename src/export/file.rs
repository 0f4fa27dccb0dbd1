//! Writing export files: streamed through a buffer into a temp file, then renamed.
//!
//! The store's atomic recipe ([`crate::store::atomic::write_atomic_with`]: temp file in the
//! target's folder, fsync, rename, fsync the folder) with a large buffer in front, for output
//! too large to hold in memory first: an export of 100,000 interviews is streamed.
//!
//! A data file and its codebook are a pair: [`stage_with`] writes each to a synced temp file,
//! and only once both are whole are they renamed into place, the data first. The codebook
//! records the SHA-256 of the data file it describes, so a pair that does not belong together
//! (a run killed between the two renames, a file from another export copied beside) shows:
//! `sha256sum survey.csv` differs from the codebook's `data_sha256`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ExportError;
use crate::store::atomic::{self, AtomicError, Staged};

/// Size of the write buffer: large enough that the `csv` writer's flushes become few big writes.
const BUFFER: usize = 1 << 20;

/// Writes `path` atomically with what `write` produces.
///
/// With `replace` false, fails with [`ExportError::Exists`] if `path` exists (checked before
/// writing, and again by the rename, so a file created meanwhile is not replaced either).
/// On any failure the temp file is deleted and `path` is left as it was.
pub fn write_atomic_with<T>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut BufWriter<&mut File>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    if !replace && path.exists() {
        return Err(ExportError::Exists {
            path: path.to_owned(),
        });
    }
    let in_file = |source: ExportError| ExportError::File {
        path: path.to_owned(),
        source: Box::new(source),
    };
    let written = atomic::write_atomic_with(path, replace, |file| {
        let mut out = BufWriter::with_capacity(BUFFER, file);
        let value = write(&mut out)?;
        out.flush()?;
        Ok(value)
    });
    written.map_err(|e| match e {
        AtomicError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            ExportError::Exists {
                path: path.to_owned(),
            }
        }
        AtomicError::Io(e) => in_file(e.into()),
        AtomicError::Write(e) => in_file(e),
    })
}

/// A file written as its bytes are hashed.
pub struct Hashed<W> {
    inner: W,
    sha: Sha256,
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The first half of [`write_atomic_with`]: writes and syncs a temp file for `path` with what
/// `write` produces, and gives it (to be renamed into place with [`Staged::commit`]) with the
/// SHA-256 of its bytes in lowercase hex. The same checks and errors; dropping the staged file
/// removes it.
pub fn stage_with<T>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut BufWriter<Hashed<&mut File>>) -> Result<T, ExportError>,
) -> Result<(Staged, T, String), ExportError> {
    if !replace && path.exists() {
        return Err(ExportError::Exists {
            path: path.to_owned(),
        });
    }
    let staged = atomic::stage_with(path, replace, |file| {
        let hashed = Hashed {
            inner: file,
            sha: Sha256::new(),
        };
        let mut out = BufWriter::with_capacity(BUFFER, hashed);
        let value = write(&mut out)?;
        let hashed = out
            .into_inner()
            .map_err(|e| ExportError::from(e.into_error()))?;
        Ok::<_, ExportError>((value, hashed.sha.finalize()))
    });
    let (staged, (value, sha)) = staged.map_err(|e| file_error(path, e))?;
    let hex = sha.iter().map(|b| format!("{b:02x}")).collect();
    Ok((staged, value, hex))
}

/// Renames a staged export file into place, with [`write_atomic_with`]'s errors.
pub fn commit(staged: Staged) -> Result<(), ExportError> {
    let path = staged.path().to_owned();
    staged
        .commit()
        .map_err(|e| file_error::<ExportError>(&path, AtomicError::Io(e)))
}

fn file_error<E: Into<ExportError>>(path: &Path, e: AtomicError<E>) -> ExportError {
    match e {
        AtomicError::Io(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            ExportError::Exists {
                path: path.to_owned(),
            }
        }
        AtomicError::Io(e) => ExportError::File {
            path: path.to_owned(),
            source: Box::new(e.into()),
        },
        AtomicError::Write(e) => ExportError::File {
            path: path.to_owned(),
            source: Box::new(e.into()),
        },
    }
}

/// Where the codebook of `data` goes by default: `survey.csv` → `survey.codebook.csv`.
pub fn codebook_path_for(data: &Path) -> PathBuf {
    let is_csv = data
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let base = if is_csv {
        data.with_extension("")
    } else {
        data.to_owned()
    };
    let mut name = base.file_name().unwrap_or_default().to_os_string();
    name.push(".codebook.csv");
    base.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codebook_sits_next_to_the_data() {
        assert_eq!(
            codebook_path_for(Path::new("out/survey.csv")),
            Path::new("out/survey.codebook.csv")
        );
        assert_eq!(
            codebook_path_for(Path::new("survey.CSV")),
            Path::new("survey.codebook.csv")
        );
        assert_eq!(
            codebook_path_for(Path::new("dir/data.txt")),
            Path::new("dir/data.txt.codebook.csv")
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, b"old").unwrap();
        let result: Result<(), _> = write_atomic_with(&path, true, |out| {
            out.write_all(b"half")?;
            Err(ExportError::Io(std::io::Error::other("interrupted")))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn existing_files_are_kept_unless_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, b"old").unwrap();
        let err = write_atomic_with(&path, false, |out| Ok(out.write_all(b"new")?)).unwrap_err();
        assert!(matches!(err, ExportError::Exists { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        write_atomic_with(&path, true, |out| Ok(out.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }
}
