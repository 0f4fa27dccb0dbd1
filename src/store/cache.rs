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
//!
//! A stamp can only tell two versions of a file apart if they were written in different ticks
//! of the file system's clock. A file whose last change (the later of its modification and
//! change times: the change time cannot be set back, so `touch -d` cannot hide a write) lies
//! within a few seconds of the moment its stamp was taken is therefore cached as untrusted and
//! read again next time; files whose times have no nanoseconds come from a whole-second clock
//! (FAT, ext4 with 128-byte inodes, some network shares) and wait a tick longer.

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::ResponseTable;
use super::inside::{Folder, LinkInTheWay};
use crate::questionnaire::Form;

/// Bumped whenever the layout of the cache or of [`ResponseTable`] changes.
const FORMAT: u32 = 3;

/// What makes a file the same file as when its row was cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    len: u64,
    modified_ns: u64,
    changed_ns: u64,
    inode: u64,
}

/// How far this machine's clock and the clock that stamps the files (a file server's) may
/// disagree, and how long the kernel may lag in moving a fine-grained timestamp.
const CLOCK_MARGIN: Duration = Duration::from_secs(2);

/// The tick of the coarsest file clock in use: FAT keeps modification times in steps of two
/// seconds; ext4 with 128-byte inodes, exFAT and some network shares in steps of one.
const COARSE_TICK: Duration = Duration::from_secs(2);

const NANOS_PER_SECOND: u64 = 1_000_000_000;

impl Stamp {
    /// The stamp of a file from its metadata (of the path, or of the open file before reading).
    pub(super) fn of(meta: &std::fs::Metadata) -> Self {
        let since_epoch = |t: std::io::Result<SystemTime>| t.map_or(0, epoch_ns);
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

    /// The last moment the file's metadata says it changed. The change time (ctime) moves with
    /// every write and cannot be set back by a user, unlike the modification time, which
    /// `touch -d` or an unzip can put anywhere; the later of the two is taken.
    fn last_change_ns(self) -> u64 {
        self.modified_ns.max(self.changed_ns)
    }

    /// Whether the file's clock counts in whole seconds (both times with no nanoseconds): such a
    /// file can change again up to a tick later without either time moving.
    fn is_coarse(self) -> bool {
        self.modified_ns.is_multiple_of(NANOS_PER_SECOND)
            && self.changed_ns.is_multiple_of(NANOS_PER_SECOND)
    }

    /// The stamp to cache for a file whose metadata was taken no earlier than `looked_at_ns`:
    /// itself, or [`Stamp::UNTRUSTED`] when the file changed so shortly before that a later
    /// change could still leave its stamp exactly as it is (same tick of a coarse clock), so a
    /// cached row could not tell the two versions apart.
    pub(super) fn trusted_at(self, looked_at_ns: u64) -> Self {
        let tick = if self.is_coarse() {
            COARSE_TICK
        } else {
            Duration::ZERO
        };
        let settled_ns = self
            .last_change_ns()
            .saturating_add((tick + CLOCK_MARGIN).as_nanos() as u64);
        if settled_ns < looked_at_ns {
            self
        } else {
            Self::UNTRUSTED
        }
    }
}

/// Nanoseconds since the Unix epoch of `time` (0 before it, saturating far after it).
pub(super) fn epoch_ns(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
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

/// The folder of the cache file `path` (`DIR/cache/`, anketa's own, so never reached through a
/// link: see [`super::inside`]) and the file's name in it; `None` when the folder is missing and
/// `create` is false.
fn folder_of(path: &Path, create: bool) -> std::io::Result<Option<(Folder, &OsStr)>> {
    let data = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    Folder::of_file(data, path, create)
}

/// Reads the cache at `path` for `form`: `Ok(None)` when there is none or it cannot be used
/// (damaged, foreign, not a regular file); an error only when a symbolic link is in its way,
/// which is never followed and must be reported.
pub(super) fn read(path: &Path, form: &Form) -> Result<Option<Cached>, LinkInTheWay> {
    let opened = folder_of(path, false).and_then(|found| match found {
        Some((folder, name)) => folder.open_regular(name),
        None => Ok(None),
    });
    // Only a regular file: a pipe or device put in its place would block or never end.
    let mut file = match opened.map_err(LinkInTheWay::from_io) {
        Ok(Some(file)) => file,
        Ok(None) | Err(Err(_)) => return Ok(None),
        Err(Ok(link)) => return Err(link),
    };
    let mut bytes = Vec::new();
    if std::io::Read::read_to_end(&mut file, &mut bytes).is_err() {
        return Ok(None);
    }
    Ok(decode(&bytes, form))
}

/// The cache in `bytes`, if it is whole and made for `form` by this version of anketa.
fn decode(bytes: &[u8], form: &Form) -> Option<Cached> {
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
/// data; never through a link, see [`super::inside`]). Rows whose files changed too recently
/// to be told apart from a later change carry [`Stamp::UNTRUSTED`] already (see
/// [`Stamp::trusted_at`]).
///
/// Not synced to disk: a cache lost or damaged by a power cut fails its checksum and is rebuilt.
pub(super) fn write(path: &Path, form: &Form, cached: &Cached) -> std::io::Result<()> {
    let file = FileOut {
        key: Key::of(form),
        cached,
    };
    let mut bytes = MAGIC.to_vec();
    bytes = postcard::to_extend(&file, bytes).map_err(std::io::Error::other)?;
    let sum = crc32fast::hash(&bytes[MAGIC.len()..]);
    bytes.extend_from_slice(&sum.to_le_bytes());
    match folder_of(path, true)? {
        Some((folder, name)) => folder.write_atomic(name, &bytes, true, false),
        None => Err(std::io::ErrorKind::NotFound.into()),
    }
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
        let original = cached(&form);
        write(&path, &form, &original).unwrap();
        let back = read(&path, &form).unwrap().unwrap();
        assert_eq!(back.stamps, original.stamps);
        assert_eq!(back.table.len(), 3);
        assert_eq!(back.table.row(1).interviewer(), "Мария");
    }

    #[test]
    fn any_damaged_byte_makes_the_cache_unusable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        let form = catalog::default_form().unwrap();
        write(&path, &form, &cached(&form)).unwrap();
        let good = std::fs::read(&path).unwrap();
        for at in (0..good.len()).step_by(97) {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&path, &bad).unwrap();
            assert!(read(&path, &form).unwrap().is_none(), "byte {at}");
        }
        for len in [0, 5, MAGIC.len() + 3, good.len() - 1] {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(read(&path, &form).unwrap().is_none(), "{len} bytes");
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
        assert!(
            read(&path, &catalog::default_form().unwrap())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_folder_in_place_of_the_cache_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        std::fs::create_dir(&path).unwrap();
        let form = catalog::default_form().unwrap();
        assert!(read(&path, &form).unwrap().is_none());
        assert!(write(&path, &form, &cached(&form)).is_err());
        assert!(path.is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_is_reported_replaced_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, b"not anketa's").unwrap();
        let path = dir.path().join("x.table");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let form = catalog::default_form().unwrap();
        let err = read(&path, &form).unwrap_err();
        assert_eq!(err.0, path);
        write(&path, &form, &cached(&form)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"not anketa's");
        assert!(!path.is_symlink());
        assert!(read(&path, &form).unwrap().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_folder_is_never_followed() {
        let data = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let form = catalog::default_form().unwrap();
        // A cache where the link points, as if written there earlier: not read either.
        let planted = elsewhere.path().join("x.table");
        write(&planted, &form, &cached(&form)).unwrap();
        let before = std::fs::read(&planted).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), data.path().join("cache")).unwrap();
        let path = data.path().join("cache").join("x.table");
        assert_eq!(read(&path, &form).unwrap_err().0, data.path().join("cache"));
        let err = write(&path, &form, &cached(&form)).unwrap_err();
        assert!(super::super::inside::is_link_in_the_way(&err), "{err}");
        assert_eq!(std::fs::read(&planted).unwrap(), before);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_cache_for_another_questionnaire_version_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.table");
        let form = catalog::default_form().unwrap();
        write(&path, &form, &cached(&form)).unwrap();
        let mut changed = form.questionnaire().clone();
        changed.version.push_str("-next");
        let other = Form::new(changed).unwrap();
        assert!(read(&path, &other).unwrap().is_none());
        assert!(read(&path, &form).unwrap().is_some());
    }

    const S: u64 = NANOS_PER_SECOND;

    fn stamp(modified_ns: u64, changed_ns: u64) -> Stamp {
        Stamp {
            len: 1,
            modified_ns,
            changed_ns,
            inode: 7,
        }
    }

    #[test]
    fn recently_changed_files_are_not_trusted() {
        let looked_at = 100 * S;
        assert_eq!(
            stamp(10 * S + 1, 10 * S + 2).trusted_at(looked_at),
            stamp(10 * S + 1, 10 * S + 2)
        );
        assert_eq!(
            stamp(99 * S + 5, 99 * S + 5).trusted_at(looked_at),
            Stamp::UNTRUSTED
        );
    }

    #[test]
    fn a_modification_time_set_back_does_not_hide_a_recent_change() {
        // `touch -d` two hours back, moments before the load: the change time tells the truth.
        let looked_at = 10_000 * S + S / 2;
        let two_hours_back = looked_at - 7_200 * S;
        let set_back = stamp(two_hours_back, 10_000 * S + 3);
        assert_eq!(set_back.trusted_at(looked_at), Stamp::UNTRUSTED);
        assert_eq!(set_back.trusted_at(looked_at + 3 * S), set_back);
    }

    #[test]
    fn whole_second_clocks_wait_a_tick_longer() {
        // A fine clock's file is trusted once the margin has passed.
        let fine = stamp(50 * S + 1_000, 50 * S + 1_000);
        assert_eq!(fine.trusted_at(52 * S + 2_000), fine);
        // The same instant on a whole-second clock may hide up to a tick of later changes.
        let coarse = stamp(50 * S, 50 * S);
        assert!(coarse.is_coarse() && !fine.is_coarse());
        assert_eq!(coarse.trusted_at(52 * S + 2_000), Stamp::UNTRUSTED);
        assert_eq!(coarse.trusted_at(54 * S), Stamp::UNTRUSTED);
        assert_eq!(coarse.trusted_at(54 * S + 1), coarse);
        // One time with nanoseconds is enough to show the clock is fine.
        assert!(!stamp(50 * S, 50 * S + 7).is_coarse());
    }

    #[test]
    fn a_file_dated_in_the_future_is_never_trusted_before_its_time() {
        let future = stamp(500 * S, 500 * S + 1);
        assert_eq!(future.trusted_at(100 * S), Stamp::UNTRUSTED);
    }
}
