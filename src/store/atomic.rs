//! Atomic file writes: a reader sees the old file or the new one, never half of either.
//!
//! The recipe: write a temp file in the same folder (same filesystem, so rename is atomic),
//! fsync it, rename it over the target, then fsync the folder so the rename itself survives a
//! power cut. Temp files are named `.<target>.<random>.tmp`: hidden, and never mistaken for a
//! response because the loader reads only `<uuid>.json`.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically, with permissions 0600 from creation.
///
/// With `replace` false the write fails with `AlreadyExists` instead of replacing a file
/// (used by exports, which never overwrite without `--force`).
pub fn write_atomic(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    write_atomic_with(path, replace, |file| file.write_all(bytes)).map_err(|e| match e {
        AtomicError::Io(e) | AtomicError::Write(e) => e,
    })
}

/// Why [`write_atomic_with`] failed: the file system, or the caller's `write`.
#[derive(Debug)]
pub enum AtomicError<E> {
    /// Creating, syncing or renaming failed (`AlreadyExists` when `replace` was false).
    Io(std::io::Error),
    /// The caller's `write` failed.
    Write(E),
}

/// Writes `path` atomically with whatever `write` puts into the temp file: the same recipe as
/// [`write_atomic`], for output streamed rather than held in memory (an export of 100,000
/// interviews). On any failure the temp file is deleted and `path` is left as it was.
pub fn write_atomic_with<T, E>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<T, AtomicError<E>> {
    let (dir, mut tmp) = temp_beside(path).map_err(AtomicError::Io)?;
    let value = write(tmp.as_file_mut()).map_err(AtomicError::Write)?;
    tmp.as_file().sync_all().map_err(AtomicError::Io)?;
    let persisted = if replace {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map_err(|e| AtomicError::Io(e.error))?;
    sync_dir(dir).map_err(AtomicError::Io)?;
    Ok(value)
}

/// Replaces `path` atomically but without waiting for the disk: readers see the old file or the
/// new one, but after a power cut the new one may be missing or damaged.
///
/// Only for files that are rebuilt from others and checked when read (the load cache, which
/// carries a checksum): for those, the seconds an fsync of tens of megabytes can take on a busy
/// disk buy nothing.
pub fn replace_without_sync(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (_, mut tmp) = temp_beside(path)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A new hidden temp file in the folder of `path`, and that folder.
fn temp_beside(path: &Path) -> std::io::Result<(&Path, tempfile::NamedTempFile)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    // tempfile creates the file with mode 0600 on Unix, so the data is never readable by others.
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    Ok((dir, tmp))
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a directory as a file; NTFS journals the rename itself.
        let _ = dir;
        Ok(())
    }
}

/// Whether `name` is a temp file left by [`write_atomic`].
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Creates `dir` and its parents with mode 0700 (set at creation, not changed afterwards).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_refuse_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one", true).unwrap();
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let err = write_atomic(&path, b"three", false).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn files_and_folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        create_private_dir(&sub).unwrap();
        let mode = std::fs::metadata(&sub).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let file = sub.join("x.json");
        write_atomic(&file, b"{}", true).unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
