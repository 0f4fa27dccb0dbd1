//! Atomic file writes: a reader sees the old file or the new one, never half of either.
//!
//! The recipe: write a temp file in the same folder (same filesystem, so rename is atomic),
//! fsync it, rename it over the target, then fsync the folder so the rename itself survives a
//! power cut. Temp files are named `.<target>.anketa-<random>.tmp`: hidden, never mistaken for
//! a response because the loader reads only `<uuid>.json`, and recognisable as anketa's.
//!
//! A process killed while writing leaves its temp file behind, and for an export that is
//! megabytes of answers and names beside the user's file. So each temp file is locked (an
//! advisory lock, released by the system when its process dies) while it is written, and every
//! write of a path first removes the temp files of that same path that earlier, killed runs
//! left: only files named exactly as this module names them for that path, regular files
//! owned by this user, older than a minute and not locked by a live writer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::fs_std::FileExt;

/// How old a temp file must be before a later run may take it for a killed run's leftover.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// The length of the random part of a temp file's name.
const RANDOM_LEN: usize = 6;

/// What precedes the random part of a temp file's name, so that it is told from a user's.
const TEMP_MARK: &str = "anketa-";

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
    let (staged, value) = stage_with(path, replace, write)?;
    staged.commit().map_err(AtomicError::Io)?;
    Ok(value)
}

/// A file written and synced under a temp name beside its target, not yet renamed into place:
/// the first half of [`write_atomic_with`], for files that must appear together (an export's
/// data and codebook are both written before either is renamed). Dropping it removes the
/// temp file.
#[derive(Debug)]
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    replace: bool,
}

impl Staged {
    /// Renames the file into place and makes the rename durable. With `replace` false an
    /// existing target fails with `AlreadyExists`, and the temp file is removed.
    pub fn commit(self) -> std::io::Result<()> {
        let Self { tmp, path, replace } = self;
        let persisted = if replace {
            tmp.persist(&path)
        } else {
            tmp.persist_noclobber(&path)
        };
        persisted.map_err(|e| e.error)?;
        sync_dir(folder_of(&path))
    }

    /// The file's final path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes and syncs a temp file for `path` with whatever `write` puts into it, after removing
/// the leftovers of earlier killed writes of `path` ([`remove_stale_temps`]); see [`Staged`].
pub fn stage_with<T, E>(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
) -> Result<(Staged, T), AtomicError<E>> {
    remove_stale_temps(path);
    let (_, mut tmp) = temp_beside(path).map_err(AtomicError::Io)?;
    let value = write(tmp.as_file_mut()).map_err(AtomicError::Write)?;
    tmp.as_file().sync_all().map_err(AtomicError::Io)?;
    let staged = Staged {
        tmp,
        path: path.to_owned(),
        replace,
    };
    Ok((staged, value))
}

/// The folder of `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new hidden temp file in the folder of `path`, locked while this process holds it, and
/// that folder.
fn temp_beside(path: &Path) -> std::io::Result<(&Path, tempfile::NamedTempFile)> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    // tempfile creates the file with mode 0600 on Unix, so the data is never readable by others.
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.{TEMP_MARK}"))
        .suffix(".tmp")
        .rand_bytes(RANDOM_LEN)
        .tempfile_in(dir)?;
    // The lock tells a later run that this file is being written; a file system without
    // locks only loses that (its leftovers then stay, as before).
    let _ = tmp.as_file().try_lock_exclusive();
    Ok((dir, tmp))
}

/// Whether `candidate` is the name of a temp file this module makes for the file `name`:
/// `.<name>.anketa-<six letters or digits>.tmp`, nothing else.
pub fn is_temp_name_of(candidate: &str, name: &str) -> bool {
    candidate
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_prefix(TEMP_MARK))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|random| {
            random.len() == RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes the temp files that earlier writes of `path`, killed before they finished, left
/// beside it, and returns them. Only files named as [`is_temp_name_of`] says, regular (a link
/// is never followed or removed), owned by this user, untouched for a minute and not locked
/// by a live writer; anything else is left alone. Best effort: what cannot be checked stays.
pub fn remove_stale_temps(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let candidate = entry.file_name();
        if !candidate.to_str().is_some_and(|c| is_temp_name_of(c, name)) {
            continue;
        }
        let temp = entry.path();
        if is_stale_leftover(&temp) && std::fs::remove_file(&temp).is_ok() {
            removed.push(temp);
        }
    }
    removed
}

/// Whether the temp file `temp` is a killed writer's leftover (see [`remove_stale_temps`]).
fn is_stale_leftover(temp: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(temp) else {
        return false;
    };
    let old = meta
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= STALE_AFTER);
    if !meta.is_file() || !old || !owned_by_me(&meta) {
        return false;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Not through a link swapped in since the check above.
        options.custom_flags(nofollow_flag());
    }
    // Free to lock means no live process is writing it.
    options
        .open(temp)
        .and_then(|file| file.try_lock_exclusive())
        .unwrap_or(false)
}

#[cfg(unix)]
fn nofollow_flag() -> i32 {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::OFlags::NOFOLLOW.bits() as i32
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// Whether this user owns the file (always true where files have no owner).
fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == rustix::process::geteuid().as_raw()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = meta;
        true
    }
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

    #[test]
    fn temp_names_are_recognised_exactly() {
        assert!(is_temp_name_of(".out.csv.anketa-a1B2c3.tmp", "out.csv"));
        for other in [
            ".out.csv.a1B2c3.tmp",
            ".out.csv.anketa-a1B2c.tmp",
            ".out.csv.anketa-a1B2c3d.tmp",
            ".out.csv.anketa-a1-2c3.tmp",
            "out.csv.anketa-a1B2c3.tmp",
            ".other.csv.anketa-a1B2c3.tmp",
            ".out.csv.anketa-a1B2c3.tmp.bak",
            ".out.csv.anketa-.tmp",
        ] {
            assert!(!is_temp_name_of(other, "out.csv"), "{other}");
        }
    }

    fn age(path: &Path, by: Duration) {
        let file = std::fs::File::options().append(true).open(path).unwrap();
        file.set_modified(std::time::SystemTime::now() - by)
            .unwrap();
    }

    #[test]
    fn only_a_dead_writers_old_temp_files_of_the_same_target_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let leftover = dir.path().join(".out.csv.anketa-Ab12Cd.tmp");
        let young = dir.path().join(".out.csv.anketa-Ef34Gh.tmp");
        let users = dir.path().join(".out.csv.backup.tmp");
        let other_target = dir.path().join(".other.csv.anketa-Ij56Kl.tmp");
        for path in [&leftover, &young, &users, &other_target] {
            std::fs::write(path, b"answers").unwrap();
        }
        for path in [&leftover, &users, &other_target] {
            age(path, Duration::from_secs(3600));
        }
        // A live writer's temp file, old but locked.
        let (_, live) = temp_beside(&target).unwrap();
        age(live.path(), Duration::from_secs(3600));

        write_atomic(&target, b"new", false).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert!(!leftover.exists(), "a killed run's leftover is removed");
        for kept in [&young, &users, &other_target] {
            assert_eq!(std::fs::read(kept).unwrap(), b"answers", "{kept:?}");
        }
        assert!(live.path().exists(), "a file being written is left alone");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_named_like_a_temp_file_is_neither_followed_nor_removed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let theirs = elsewhere.path().join("theirs.txt");
        std::fs::write(&theirs, b"keep").unwrap();
        let link = dir.path().join(".out.csv.anketa-Ab12Cd.tmp");
        std::os::unix::fs::symlink(&theirs, &link).unwrap();
        assert!(remove_stale_temps(&dir.path().join("out.csv")).is_empty());
        assert!(link.is_symlink());
        assert_eq!(std::fs::read(&theirs).unwrap(), b"keep");
    }

    #[test]
    fn a_staged_file_appears_only_when_committed_and_is_gone_if_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let (staged, ()) = stage_with(&path, false, |f| f.write_all(b"x")).unwrap();
        assert!(!path.exists());
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        let (dropped, ()) = stage_with(&path, true, |f| f.write_all(b"y")).unwrap();
        drop(dropped);
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
