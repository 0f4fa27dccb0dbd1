//! Folders and files inside the data folder, with links planted in the way.

use std::os::unix::fs::symlink;

use super::*;

fn link_error<T: std::fmt::Debug>(result: std::io::Result<T>) -> String {
    let err = result.unwrap_err();
    assert!(is_link_in_the_way(&err), "{err}");
    err.to_string()
}

#[test]
fn folders_are_created_private_and_reopened() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("responses").join("q");
    let folder = Folder::open(root.path(), &dir, true).unwrap().unwrap();
    assert_eq!(folder.path(), dir);
    assert!(dir.is_dir());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0);
    assert!(Folder::open(root.path(), &dir, false).unwrap().is_some());
    let missing = root.path().join("history");
    assert!(
        Folder::open(root.path(), &missing, false)
            .unwrap()
            .is_none()
    );
    assert!(!missing.exists(), "opening without create creates nothing");
}

#[test]
fn a_link_on_the_way_is_refused_and_its_target_untouched() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(elsewhere.path(), root.path().join("responses")).unwrap();
    let dir = root.path().join("responses").join("q");
    let message = link_error(Folder::open(root.path(), &dir, true));
    assert!(
        message.contains(&*root.path().join("responses").to_string_lossy()),
        "{message}"
    );
    link_error(Folder::open(root.path(), &dir, false));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    // A dangling link is not followed to create its target either.
    let gone = elsewhere.path().join("gone");
    symlink(&gone, root.path().join("cache")).unwrap();
    link_error(Folder::open(root.path(), &root.path().join("cache"), true));
    assert!(!gone.exists());
}

#[test]
fn the_data_folder_itself_may_be_a_link() {
    let real = tempfile::tempdir().unwrap();
    let links = tempfile::tempdir().unwrap();
    let root = links.path().join("data");
    symlink(real.path(), &root).unwrap();
    let folder = Folder::open(&root, &root.join("cache"), true)
        .unwrap()
        .unwrap();
    folder
        .write_atomic(OsStr::new("x"), b"1", true, false)
        .unwrap();
    assert_eq!(std::fs::read(real.path().join("cache/x")).unwrap(), b"1");
}

#[test]
fn files_are_written_atomically_and_links_never_written_through() {
    let root = tempfile::tempdir().unwrap();
    let folder = Folder::open(root.path(), root.path(), true)
        .unwrap()
        .unwrap();
    let name = OsStr::new("a.json");
    folder.write_atomic(name, b"one", true, true).unwrap();
    let err = folder.write_atomic(name, b"two", false, true).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read(root.path().join(name)).unwrap(), b"one");
    // A failed write leaves no temp file and the old file as it was.
    let failed: Result<(), _> = folder.write_atomic_with(name, true, true, |file| {
        file.write_all(b"half")?;
        Err(std::io::Error::other("stopped"))
    });
    assert!(matches!(failed, Err(AtomicError::Write(_))));
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    // Locks and reads refuse a link; a write replaces the link itself.
    let other = tempfile::tempdir().unwrap();
    let target = other.path().join("precious");
    std::fs::write(&target, b"theirs").unwrap();
    symlink(&target, root.path().join("x.lock")).unwrap();
    link_error(folder.open_lock(OsStr::new("x.lock")));
    link_error(folder.open_regular(OsStr::new("x.lock")));
    folder
        .write_atomic(OsStr::new("x.lock"), b"ours", true, false)
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"theirs");
    assert!(!root.path().join("x.lock").is_symlink());
}

#[test]
fn only_regular_files_are_opened_for_reading() {
    let root = tempfile::tempdir().unwrap();
    let folder = Folder::open(root.path(), root.path(), true)
        .unwrap()
        .unwrap();
    assert!(folder.open_regular(OsStr::new("none")).unwrap().is_none());
    std::fs::create_dir(root.path().join("d")).unwrap();
    assert!(folder.open_regular(OsStr::new("d")).is_err());
    let made = std::process::Command::new("mkfifo")
        .arg(root.path().join("p"))
        .status()
        .unwrap();
    assert!(made.success());
    // Opening the pipe for reading would block this test forever without O_NONBLOCK.
    assert!(folder.open_regular(OsStr::new("p")).is_err());
}

#[test]
fn a_path_outside_the_data_folder_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("..").join("x");
    assert!(Folder::open(root.path(), &outside, true).is_err());
    assert!(Folder::open(root.path(), Path::new("/elsewhere"), true).is_err());
}
