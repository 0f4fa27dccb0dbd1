//! Batch saves: what appears, when, and what a failure leaves.

use super::*;
use crate::questionnaire::{Answer, catalog};

#[test]
fn a_batch_loads_back_identically_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let form = catalog::default_form().unwrap();
    let responses: Vec<Response> = (0..20)
        .map(|i| {
            let mut r = Response::new(&form, "Мария Петрова", "SOF46", "bg");
            r.answers
                .insert("age".to_owned(), Answer::Number(f64::from(20 + i)));
            r
        })
        .collect();
    let bytes = store.save_batch(&responses).unwrap();
    assert!(bytes > 0);
    let report = store.load(&form).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let mut expected = responses.clone();
    expected.sort_by_key(|r| r.id);
    assert_eq!(report.responses, expected);
    let names: Vec<_> = std::fs::read_dir(store.responses_dir(form.id()).unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    assert_eq!(names.len(), 20);
}

#[test]
fn a_batch_is_written_exactly_as_save_writes_one_response() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let form = catalog::default_form().unwrap();
    let response = Response::new(&form, "Иван Иванов", "PDV22", "bg");
    let single = std::fs::read(store.save(&response).unwrap()).unwrap();
    store.save_batch(std::slice::from_ref(&response)).unwrap();
    let batched = std::fs::read(store.response_path(&response).unwrap()).unwrap();
    assert_eq!(single, batched);
}
#[test]
fn a_failed_rename_leaves_complete_files_and_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let form = catalog::default_form().unwrap();
    let good = Response::new(&form, "Иван Иванов", "SOF46", "bg");
    let blocked = Response::new(&form, "Иван Иванов", "SOF46", "bg");
    // A non-empty folder under the final name: the rename of `blocked` fails.
    let in_the_way = store.response_path(&blocked).unwrap();
    std::fs::create_dir_all(in_the_way.join("x")).unwrap();
    let err = store.save_batch(&[good.clone(), blocked]).unwrap_err();
    assert!(matches!(err, StoreError::Write { ref path, .. } if *path == in_the_way));
    let folder = store.responses_dir(form.id()).unwrap();
    let names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    let saved = std::fs::read(store.response_path(&good).unwrap()).unwrap();
    assert_eq!(saved, super::super::encode(&good).unwrap());
}

#[test]
fn temp_names_left_by_a_crashed_process_are_skipped_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.json");
    let pid = std::process::id();
    let next = NEXT_TEMP.load(Ordering::Relaxed);
    // Other tests may take a few numbers meanwhile; 256 leftovers still cover the next one.
    let leftovers: Vec<PathBuf> = (next..next + 256)
        .map(|n| dir.path().join(format!(".a.json.{pid:x}-{n:x}.tmp")))
        .collect();
    for leftover in &leftovers {
        std::fs::write(leftover, b"old").unwrap();
    }
    let folder = Folder::open(dir.path(), dir.path(), false)
        .unwrap()
        .unwrap();
    let (temp, _file) = create_temp(&folder, target.file_name().unwrap()).unwrap();
    assert!(!leftovers.contains(&dir.path().join(&temp)));
    assert!(super::super::atomic::is_temp_name(&temp.to_string_lossy()));
    assert!(
        leftovers
            .iter()
            .all(|l| std::fs::read(l).unwrap() == b"old")
    );
}
#[test]
fn a_staged_batch_shows_nothing_until_published_and_nothing_if_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let form = catalog::default_form().unwrap();
    let folder = store.responses_dir(form.id()).unwrap();
    let visible = || {
        let names = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap());
        names
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .count()
    };
    let encode = |n: usize| {
        (0..n)
            .map(|_| Response::new(&form, "Иван Иванов", "SOF46", "bg"))
            .map(|r| store.encode_response(&r).unwrap())
            .collect::<Vec<_>>()
    };
    let dropped = store.stage_batch(encode(5)).unwrap();
    let kept = store.stage_batch(encode(7)).unwrap();
    assert_eq!(visible(), 0);
    drop(dropped);
    assert!(kept.publish().unwrap() > 0);
    assert_eq!(visible(), 7);
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        7,
        "no temp file is left"
    );
}
