//! Loading a questionnaire's responses into a [`ResponseTable`], through the load cache.
//!
//! Every listed file whose stamp matches its cached row takes that row; every other file is
//! read, parsed and checked exactly as [`super::Store::load`] does, in parallel. The outcome is
//! the same table and the same problems as reading every file, only faster.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;

use super::cache::{self, Cached, Stamp};
use super::inside::LinkInTheWay;
use super::load::{Problem, problem, read_checked, response_entries};
use super::{ResponseTable, StoreError};
use crate::questionnaire::Form;

/// The outcome of [`super::Store::load_table`].
#[derive(Debug, Default)]
pub struct TableLoad {
    /// The good responses, in response id order.
    pub table: ResponseTable,
    /// Files that could not be used, by path; each is left untouched.
    pub problems: Vec<Problem>,
    /// How many responses came from the cache instead of their files.
    pub from_cache: usize,
    /// A symbolic link found in the cache's place (`DIR/cache` or the cache file): never
    /// followed, so the cache was neither read nor written. The figures are right all the
    /// same; the link is for the user to remove.
    pub cache_refused: Option<LinkInTheWay>,
}

/// Loads the responses folder `dir` into a table, as [`super::Store::load_table`] does, using and
/// refreshing the cache at `cache_path` when given; `progress(files_done, files_total)` is
/// called now and then, last with `files_done == total`.
pub fn load_table_folder(
    dir: &Path,
    cache_path: Option<&Path>,
    form: &Form,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<TableLoad, StoreError> {
    load_table_folder_at(dir, cache_path, form, progress, SystemTime::now())
}

/// [`load_table_folder`] for a load that starts at `started` by this machine's clock: every
/// file's metadata is taken after it, so a file that changed too shortly before it is cached
/// as untrusted (see [`Stamp::trusted_at`]).
fn load_table_folder_at(
    dir: &Path,
    cache_path: Option<&Path>,
    form: &Form,
    progress: &(dyn Fn(usize, usize) + Sync),
    started: SystemTime,
) -> Result<TableLoad, StoreError> {
    let (entries, refused) = response_entries(dir)?;
    let total = entries.len();
    progress(0, total);
    // Reading the cache is one thread's work and looking at every file is many threads' work:
    // they overlap. Without a cache file there is nothing to compare the files with.
    // A link counts as there: it is refused and reported by `cache::read`.
    let existing = cache_path.filter(|path| path.exists() || path.is_symlink());
    let (cached, stamps) = read_cache_and_stamps(existing, &entries, form);
    let (cached, mut cache_refused) = match cached {
        Ok(cached) => (cached, None),
        Err(link) => (Cached::default(), Some(link)),
    };
    let (reuse, to_read) = compare(&cached, &entries, &stamps);
    let mut problems = refused;
    let from_cache = reuse.len();
    if to_read.is_empty() && reuse.len() == cached.table.len() {
        progress(total, total);
        return Ok(TableLoad {
            table: cached.table,
            problems,
            from_cache,
            cache_refused,
        });
    }
    let read = ReadFiles {
        form,
        started_ns: cache::epoch_ns(started),
        done_before: from_cache,
        total,
        progress,
    };
    let (fresh, read_problems) = read.run(&to_read);
    problems.extend(read_problems);
    super::load::sort_problems(&mut problems);
    let merged = merge(form, &cached, &reuse, &fresh).map_err(|_| StoreError::TableFull {
        path: dir.to_owned(),
    })?;
    if let Some(path) = cache_path {
        // The cache only saves time: a data folder that cannot be written (a read-only copy,
        // a full disk) is analysed all the same, only without it. A link in its way is
        // reported, though: it was put there by someone, and the user should know.
        if let Err(e) = cache::write(path, form, &merged)
            && let Ok(link) = LinkInTheWay::from_io(e)
        {
            cache_refused.get_or_insert(link);
        }
    }
    progress(total, total);
    Ok(TableLoad {
        table: merged.table,
        problems,
        from_cache,
        cache_refused,
    })
}

/// The response id a listed file is named after and the file's stamp, when it has both.
type FileStamp = Option<(uuid::Uuid, Stamp)>;

/// The cache (empty when there is none or it cannot be used; a link in its way refused) and the
/// stamp of every listed file (none without a cache to compare them with).
fn read_cache_and_stamps(
    existing: Option<&Path>,
    entries: &[std::fs::DirEntry],
    form: &Form,
) -> (Result<Cached, LinkInTheWay>, Vec<FileStamp>) {
    // Reading the cache is one thread's work and looking at every file is many threads' work:
    // they overlap.
    rayon::join(
        || match existing.map(|path| cache::read(path, form)) {
            Some(Ok(Some(cached))) => Ok(cached),
            Some(Err(link)) => Err(link),
            Some(Ok(None)) | None => Ok(Cached::default()),
        },
        || match existing {
            Some(_) => entries
                .par_iter()
                .with_min_len(256)
                .map(stamp_of)
                .collect::<Vec<_>>(),
            None => vec![None; entries.len()],
        },
    )
}

/// The cached rows that can be used as they are, and the files that must be read, in name
/// order (which is response id order for every good file, so that the pieces read in parallel
/// usually just join end to end).
fn compare(
    cached: &Cached,
    entries: &[std::fs::DirEntry],
    stamps: &[Option<(uuid::Uuid, Stamp)>],
) -> (Vec<usize>, Vec<PathBuf>) {
    let rows: Vec<Option<usize>> = stamps
        .par_iter()
        .map(|stamp| cached_row(cached, *stamp))
        .collect();
    let reuse = rows.iter().flatten().copied().collect();
    let mut to_read: Vec<PathBuf> = entries
        .iter()
        .zip(&rows)
        .filter(|(_, row)| row.is_none())
        .map(|(entry, _)| entry.path())
        .collect();
    to_read.sort_unstable();
    (reuse, to_read)
}

/// The response id a listed file is named after, and the file's stamp.
fn stamp_of(entry: &std::fs::DirEntry) -> Option<(uuid::Uuid, Stamp)> {
    let name = entry.file_name();
    let stem = name.to_str()?.strip_suffix(".json")?;
    let id = uuid::Uuid::try_parse(stem).ok()?;
    // Only the exact name the store gives a response: another spelling of the same id (a
    // copy named in capitals, say) is a problem the loader must see, so it is read.
    let mut buffer = uuid::Uuid::encode_buffer();
    if id.hyphenated().encode_lower(&mut buffer) != stem {
        return None;
    }
    // The entry's own metadata is one `fstatat` in the open folder, without walking the path;
    // links are never listed (see `load::response_entries`), so none is followed here.
    let meta = entry.metadata().ok()?;
    meta.is_file().then(|| (id, Stamp::of(&meta)))
}

/// The cached row of a listed file, if the file is still exactly what was cached.
fn cached_row(cached: &Cached, stamp: Option<(uuid::Uuid, Stamp)>) -> Option<usize> {
    let (id, stamp) = stamp?;
    let row = cached.table.find(id)?;
    // A row with an invalid part is read again, so that its problems are reported every time
    // in the words of its file (they are rare, and not kept in the cache).
    (stamp == *cached.stamps.get(row)? && !cached.table.row(row).has_invalid_part()).then_some(row)
}

/// Reading the files that the cache cannot answer for.
struct ReadFiles<'a> {
    form: &'a Form,
    /// When the load started: the stamps of files changed shortly before are not trusted.
    started_ns: u64,
    /// Files answered from the cache, counted as done for `progress`.
    done_before: usize,
    total: usize,
    progress: &'a (dyn Fn(usize, usize) + Sync),
}

impl ReadFiles<'_> {
    /// Reads, parses and checks `paths` in parallel into table pieces with their files' stamps.
    fn run(&self, paths: &[PathBuf]) -> (Vec<Cached>, Vec<Problem>) {
        let Self {
            form,
            started_ns,
            done_before,
            total,
            progress,
        } = *self;
        const PROGRESS_EVERY: usize = 1024;
        let done = AtomicUsize::new(done_before);
        let pieces: Vec<(Cached, Vec<Problem>)> = paths
            .par_iter()
            .with_min_len(64)
            .fold(
                || {
                    let piece = Cached {
                        table: ResponseTable::new(form),
                        stamps: Vec::new(),
                    };
                    (piece, Vec::new(), Vec::new())
                },
                |(mut piece, mut problems, mut buffer), path| {
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if finished.is_multiple_of(PROGRESS_EVERY) {
                        progress(finished, total);
                    }
                    match read_checked(path, &mut buffer, form) {
                        Ok(((response, mut invalid), meta)) => {
                            match piece.table.push(form, &response) {
                                Ok(()) => {
                                    piece.stamps.push(Stamp::of(&meta).trusted_at(started_ns));
                                    problems.append(&mut invalid);
                                }
                                Err(full) => problems.push(problem(path, full.to_string())),
                            }
                        }
                        Err(p) => problems.push(p),
                    }
                    (piece, problems, buffer)
                },
            )
            .map(|(piece, problems, _)| (piece, problems))
            .collect();
        let mut tables = Vec::with_capacity(pieces.len());
        let mut problems = Vec::new();
        for (piece, mut p) in pieces {
            tables.push(piece);
            problems.append(&mut p);
        }
        (tables, problems)
    }
}

/// The reused rows of `cached` and the rows of `fresh`, in response id order.
fn merge(
    form: &Form,
    cached: &Cached,
    reuse: &[usize],
    fresh: &[Cached],
) -> Result<Cached, super::TableFull> {
    if reuse.is_empty() {
        let mut joined = Cached {
            table: ResponseTable::new(form),
            stamps: Vec::new(),
        };
        for piece in fresh {
            joined.table.append(&piece.table)?;
            joined.stamps.extend_from_slice(&piece.stamps);
        }
        if joined.table.is_sorted_by_id() {
            return Ok(joined);
        }
    }
    let mut rows: Vec<(super::Row<'_>, Stamp)> = reuse
        .iter()
        .map(|&i| (cached.table.row(i), cached.stamps[i]))
        .collect();
    for piece in fresh {
        rows.extend(piece.table.rows().zip(piece.stamps.iter().copied()));
    }
    rows.sort_unstable_by_key(|(row, _)| row.id());
    let mut merged = Cached {
        table: ResponseTable::new(form),
        stamps: Vec::with_capacity(rows.len()),
    };
    for (row, stamp) in rows {
        merged.table.push_row(row)?;
        merged.stamps.push(stamp);
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::questionnaire::{Answer, catalog};
    use crate::store::{Response, Store};

    /// A store with `n` saved responses.
    fn store_with(n: usize) -> (tempfile::TempDir, Store, Form, Vec<Response>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let responses: Vec<Response> = (0..n)
            .map(|i| {
                let mut r = Response::new(&form, "Мария", "SOF46", "bg");
                r.answers
                    .insert("age".into(), Answer::Number(20.0 + (i % 80) as f64));
                r
            })
            .collect();
        store.save_batch(&responses).unwrap();
        (dir, store, form, responses)
    }

    /// [`Store::load_table`] as if run an hour from now, when every file saved by the test has
    /// long settled and is trusted from the cache.
    fn load_later(store: &Store, form: &Form) -> TableLoad {
        let dir = store.responses_dir(form.id()).unwrap();
        let cache = store.cache_path(form.id()).unwrap();
        let later = SystemTime::now() + Duration::from_secs(3600);
        load_table_folder_at(&dir, Some(&cache), form, &|_, _| {}, later).unwrap()
    }

    fn age_file(path: &Path) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let file = std::fs::File::options().append(true).open(path).unwrap();
        file.set_modified(hour_ago).unwrap();
    }

    /// The table of a plain [`Store::load`], for comparison.
    fn reference(store: &Store, form: &Form) -> (ResponseTable, Vec<Problem>) {
        let loaded = store.load(form).unwrap();
        let table = ResponseTable::from_responses(form, &loaded.responses).unwrap();
        (table, loaded.problems)
    }

    fn assert_matches_reference(store: &Store, form: &Form, loaded: &TableLoad) {
        let (table, problems) = reference(store, form);
        assert_eq!(loaded.table.len(), table.len());
        for (a, b) in loaded.table.rows().zip(table.rows()) {
            assert_eq!(a.id(), b.id());
            for p in 0..form.questions().len() {
                assert_eq!(a.answer(p), b.answer(p));
            }
        }
        assert_eq!(loaded.problems, problems);
    }

    #[test]
    fn a_second_load_comes_from_the_cache_with_the_same_outcome() {
        // Enough files for the first load to read them in several pieces on every core.
        let (_dir, store, form, _) = store_with(600);
        let folder = store.responses_dir(form.id()).unwrap();
        std::fs::write(folder.join("broken.json"), b"{").unwrap();
        let first = load_later(&store, &form);
        assert_eq!(first.from_cache, 0);
        assert_matches_reference(&store, &form, &first);
        assert!(first.table.is_sorted_by_id());
        let second = load_later(&store, &form);
        assert_eq!(second.from_cache, 600);
        assert_eq!(second.table, first.table);
        assert_eq!(second.problems, first.problems);
        assert_eq!(
            second.problems.len(),
            1,
            "a bad file is reported every time"
        );
    }

    #[test]
    fn a_response_with_an_invalid_answer_is_reported_alike_with_and_without_the_cache() {
        let (_dir, store, form, mut responses) = store_with(5);
        responses[2]
            .answers
            .insert("age".into(), Answer::Number(-5.0));
        store.save(&responses[2]).unwrap();
        let first = load_later(&store, &form);
        assert_eq!(first.from_cache, 0);
        assert_matches_reference(&store, &form, &first);
        assert_eq!(first.problems.len(), 1);
        assert_eq!(first.problems[0].part.as_deref(), Some("age"));
        let second = load_later(&store, &form);
        // The other four rows come from the cache; the invalid one is read again, so that its
        // problem is reported in the same words.
        assert_eq!(second.from_cache, 4);
        assert_eq!(second.problems, first.problems);
        assert_eq!(second.table, first.table);
        let age = form.position("age").unwrap();
        let row = second
            .table
            .row(second.table.find(responses[2].id).unwrap());
        assert_eq!(
            row.answer(age),
            Some(crate::questionnaire::AnswerRef::Special(
                crate::questionnaire::Special::Invalid
            ))
        );
        assert!(row.has_invalid_part());
    }

    #[test]
    fn outcomes_come_back_from_the_cache() {
        use crate::outcome::Outcome;
        let (_dir, store, form, mut responses) = store_with(4);
        let outcomes = [
            Outcome::Refusal,
            Outcome::Partial,
            Outcome::NotEligibleUnderAge,
        ];
        for (r, outcome) in responses.iter_mut().zip(outcomes) {
            r.status = crate::store::Status::Complete;
            // A closed case has its closing time, as the interview records it.
            r.completed_at = Some(r.updated_at);
            r.outcome = Some(outcome);
        }
        store.save_batch(&responses).unwrap();
        let first = load_later(&store, &form);
        let second = load_later(&store, &form);
        assert_eq!(second.from_cache, 4);
        for r in &responses {
            let row = second.table.row(second.table.find(r.id).unwrap());
            assert_eq!(row.outcome(), r.effective_outcome());
            assert_eq!(row.final_outcome(), r.final_outcome());
        }
        assert_eq!(second.table, first.table);
    }

    #[test]
    fn changed_added_and_removed_files_are_read_afresh() {
        let (_dir, store, form, responses) = store_with(30);
        load_later(&store, &form);
        // Same size, same (old) modification time: only the change time and content differ.
        let mut edited = responses[3].clone();
        edited.answers.insert("age".into(), Answer::Number(99.0));
        age_file(&store.save(&edited).unwrap());
        std::fs::remove_file(store.response_path(&responses[7]).unwrap()).unwrap();
        let added = Response::new(&form, "Иван", "VAR06", "bg");
        store.save(&added).unwrap();
        let broken = store.response_path(&responses[9]).unwrap();
        std::fs::write(&broken, b"{\"id\": 1").unwrap();

        let loaded = load_later(&store, &form);
        assert_eq!(loaded.from_cache, 27);
        assert_matches_reference(&store, &form, &loaded);
        let age = form.position("age").unwrap();
        let row = loaded.table.row(loaded.table.find(edited.id).unwrap());
        assert_eq!(
            row.answer(age),
            Some(crate::questionnaire::AnswerRef::Number(99.0))
        );
        assert!(loaded.table.find(responses[7].id).is_none());
        assert!(loaded.table.find(responses[9].id).is_none());
        assert!(loaded.table.find(added.id).is_some());
        assert!(loaded.problems.iter().any(|p| p.path == broken));
    }

    #[test]
    fn a_second_name_for_a_cached_file_is_still_reported() {
        let (_dir, store, form, responses) = store_with(3);
        let original = store.response_path(&responses[1]).unwrap();
        let upper = format!("{}.json", responses[1].id.to_string().to_uppercase());
        let alias = original.with_file_name(upper);
        // A hard link: the same file, so the same stamp as the row cached for the original.
        std::fs::hard_link(&original, &alias).unwrap();
        age_file(&original);
        load_later(&store, &form);
        let loaded = load_later(&store, &form);
        assert_eq!(loaded.from_cache, 3);
        assert_eq!(loaded.table.len(), 3, "no row twice");
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].path, alias);
        assert!(loaded.problems[0].reason.contains("does not match"));
    }

    #[test]
    fn a_damaged_cache_is_rebuilt_and_never_trusted() {
        let (_dir, store, form, _) = store_with(10);
        let clean = load_later(&store, &form);
        let cache = store.cache_path(form.id()).unwrap();
        let mut bytes = std::fs::read(&cache).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&cache, &bytes).unwrap();
        let loaded = load_later(&store, &form);
        assert_eq!(loaded.from_cache, 0);
        assert_eq!(loaded.table, clean.table);
        assert_eq!(load_later(&store, &form).from_cache, 10);
    }

    #[test]
    fn a_cache_that_cannot_be_written_changes_nothing_but_speed() {
        let (dir, store, form, _) = store_with(5);
        // A file where the cache folder should be: the cache cannot be written.
        std::fs::write(dir.path().join("cache"), b"in the way").unwrap();
        for _ in 0..2 {
            let loaded = store.load_table(&form).unwrap();
            assert_eq!(loaded.table.len(), 5);
            assert_eq!(loaded.from_cache, 0);
            assert!(loaded.problems.is_empty());
        }
        assert_eq!(
            std::fs::read(dir.path().join("cache")).unwrap(),
            b"in the way"
        );
    }

    #[test]
    fn files_changed_just_before_a_load_are_read_again() {
        let (_dir, store, form, responses) = store_with(4);
        assert_eq!(load_later(&store, &form).from_cache, 0);
        assert_eq!(load_later(&store, &form).from_cache, 4);
        // Saved again now, then loaded at once: its change is too recent to be told apart from
        // another within the same tick of the file's clock, so its new row is not trusted.
        store.save(&responses[0]).unwrap();
        assert_eq!(store.load_table(&form).unwrap().from_cache, 3);
        assert_eq!(store.load_table(&form).unwrap().from_cache, 3);
        assert_eq!(load_later(&store, &form).from_cache, 3);
        assert_eq!(load_later(&store, &form).from_cache, 4);
    }
}
