//! The load cache: the packed table of a questionnaire's responses, kept beside the data as
//! `DIR/cache/<questionnaire-id>.table` and trusted only file by file.
//!
//! Reading and parsing 100,000 response files costs seconds; reading one packed table costs a
//! tenth of that. The response files stay the only source of truth: the cache remembers, for
//! each response it holds, the size, modification and change times and inode of the file it
//! came from, and a response is taken from the cache only when its file still has exactly that
//! stamp. Any other file is read afresh, a file that is gone drops its row, and a cache that is
//! unreadable, damaged (checksum), made by another version of anketa or for another version of
//! the questionnaire is ignored and rebuilt. Deleting the folder is always safe.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::ResponseTable;
use crate::questionnaire::Form;

/// Bumped whenever the layout of the cache or of [`ResponseTable`] changes.
const FORMAT: u32 = 2;

/// What makes a file the same file as when its row was cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    len: u64,
    modified_ns: u64,
    changed_ns: u64,
    inode: u64,
}

/// A file modified this close to the moment the cache is written might change again within
/// the resolution of its file system's clock (two seconds on FAT) without its stamp changing,
/// so its row is not trusted next time.
const RACY: Duration = Duration::from_secs(3);

impl Stamp {
    /// The stamp of a file from its metadata (of the path, or of the open file before reading).
    pub(super) fn of(meta: &std::fs::Metadata) -> Self {
        let since_epoch = |t: std::io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64)
        };
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = meta.ctime() as u64 * 1_000_000_000 + meta.ctime_nsec() as u64;
            (changed, meta.ino())
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (since_epoch(meta.created()), 0);
        Self {
            len: meta.len(),
            modified_ns: since_epoch(meta.modified()),
            changed_ns,
            inode,
        }
    }

    /// A stamp no file has: its row is read afresh next time.
    const UNTRUSTED: Self = Self {
        len: u64::MAX,
        modified_ns: 0,
        changed_ns: 0,
        inode: 0,
    };

    fn trusted_at(self, now_ns: u64) -> Self {
        // The modification time is what a coarse clock can leave unchanged; the change time
        // moves with it on such file systems and is exact on the others.
        if self.modified_ns.saturating_add(RACY.as_nanos() as u64) >= now_ns {
            Self::UNTRUSTED
        } else {
            self
        }
    }
}

/// The rows of a cache, with the stamp of each row's file (`stamps[i]` belongs to row `i`).
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Cached {
    pub table: ResponseTable,
    pub stamps: Vec<Stamp>,
}

/// What must match for a cache to be used at all.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Key {
    format: u32,
    anketa: String,
    /// The questionnaire as JSON: any change to it may change which files are valid.
    questionnaire: String,
}

impl Key {
    fn of(form: &Form) -> Self {
        Self {
            format: FORMAT,
            anketa: env!("CARGO_PKG_VERSION").to_owned(),
            questionnaire: serde_json::to_string(form.questionnaire()).unwrap_or_default(),
        }
    }
}

/// The cache file as read.
#[derive(Deserialize)]
struct FileIn {
    key: Key,
    cached: Cached,
}

/// The cache file as written: the same layout as [`FileIn`], borrowing the rows.
#[derive(Serialize)]
struct FileOut<'a> {
    key: Key,
    cached: &'a Cached,
}

const MAGIC: &[u8] = b"anketa response cache\n";

/// Reads the cache at `path` for `form`; `None` when there is none or it cannot be used.
pub(super) fn read(path: &Path, form: &Form) -> Option<Cached> {
    // Only a regular file: a pipe or device put in its place would block or never end.
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(MAGIC)?;
    let (body, sum) = body.split_at_checked(body.len().checked_sub(4)?)?;
    if crc32fast::hash(body).to_le_bytes() != sum {
        return None;
    }
    let FileIn { key, mut cached } = postcard::from_bytes(body).ok()?;
    if key != Key::of(form) || cached.stamps.len() != cached.table.len() {
        return None;
    }
    cached.table.check(form).ok()?;
    Some(cached)
}

/// Writes `cached` atomically to `path` (creating its folder, private to the user like the
/// data), marking rows whose files changed too recently to be trusted next time.
///
/// Not synced to disk: a cache lost or damaged by a power cut fails its checksum and is rebuilt.
pub(super) fn write(path: &Path, form: &Form, cached: &mut Cached) -> std::io::Result<()> {
    let now_ns = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(u64::MAX, |d| d.as_nanos() as u64);
    for stamp in &mut cached.stamps {
        *stamp = stamp.trusted_at(now_ns);
    }
    let file = FileOut {
        key: Key::of(form),
        cached,
    };
    let mut bytes = MAGIC.to_vec();
    bytes = postcard::to_extend(&file, bytes).map_err(std::io::Error::other)?;
    let sum = crc32fast::hash(&bytes[MAGIC.len()..]);
    bytes.extend_from_slice(&sum.to_le_bytes());
    if let Some(dir) = path.parent() {
        super::atomic::create_private_dir(dir)?;
    }
    super::atomic::replace_without_sync(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;
    use crate::store::Response;

    fn cached(form: &Form) -> Cached {
        let responses: Vec<Response> = (0..3)
            .map(|_| Response::new(form, "Мария", "SOF46", "bg"))
            .collect();
        let stamp = Stamp {
            len: 10,
            modified_ns: 1,
            changed_ns: 2,
            inode: 3,
        };
        Cached {
            table: ResponseTable::from_responses(form, &responses).unwrap(),
            stamps: vec![stamp; 3],
        }
    }

    #[test]
    fn a_written_cache_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("x.table");
        let form = catalog::default_form().unwrap();
        let mut original = cached(&form);
        write(&path, &form, &mut original).unwrap();
        let back = read(&path, &form).unwrap();
        assert_eq!(back.stamps, original.stamps);
        assert_eq!(back.table.len(), 3);
        assert_eq!(back.table.row(1).interviewer(), "Мария");
    }

    #[test]
    fn any_damaged_byte_makes_the_cache_unusable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        let form = catalog::default_form().unwrap();
        write(&path, &form, &mut cached(&form)).unwrap();
        let good = std::fs::read(&path).unwrap();
        for at in (0..good.len()).step_by(97) {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&path, &bad).unwrap();
            assert!(read(&path, &form).is_none(), "byte {at}");
        }
        for len in [0, 5, MAGIC.len() + 3, good.len() - 1] {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(read(&path, &form).is_none(), "{len} bytes");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_in_place_of_the_cache_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening the pipe would block this test forever.
        assert!(read(&path, &catalog::default_form().unwrap()).is_none());
    }

    #[test]
    fn a_folder_in_place_of_the_cache_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        std::fs::create_dir(&path).unwrap();
        let form = catalog::default_form().unwrap();
        assert!(read(&path, &form).is_none());
        assert!(write(&path, &form, &mut cached(&form)).is_err());
        assert!(path.is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_is_replaced_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, b"not anketa's").unwrap();
        let path = dir.path().join("x.table");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let form = catalog::default_form().unwrap();
        assert!(read(&path, &form).is_none());
        write(&path, &form, &mut cached(&form)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"not anketa's");
        assert!(!path.is_symlink());
        assert!(read(&path, &form).is_some());
    }

    #[test]
    fn a_cache_for_another_questionnaire_version_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        let form = catalog::default_form().unwrap();
        write(&path, &form, &mut cached(&form)).unwrap();
        let mut changed = form.questionnaire().clone();
        changed.version.push_str("-next");
        let other = Form::new(changed).unwrap();
        assert!(read(&path, &other).is_none());
        assert!(read(&path, &form).is_some());
    }

    #[test]
    fn recently_changed_files_are_not_trusted() {
        let now = 100 * 1_000_000_000;
        let stamp = |modified_s: u64| Stamp {
            len: 1,
            modified_ns: modified_s * 1_000_000_000,
            changed_ns: 99 * 1_000_000_000,
            inode: 7,
        };
        assert_eq!(stamp(10).trusted_at(now), stamp(10));
        assert_eq!(stamp(99).trusted_at(now), Stamp::UNTRUSTED);
    }
}
