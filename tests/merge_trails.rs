//! `merge` brings each interview's audit trail along with it, from a data folder or a `pack`
//! archive, and never drops one.

use std::path::Path;
use std::sync::Arc;

use anketa::audit;
use anketa::interview::Interview;
use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::Store;
use assert_cmd::Command;
use predicates::prelude::*;

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

fn trail_of(store: &Store, id: uuid::Uuid) -> Option<Vec<u8>> {
    let path = store.audit_path("civic-participation-bg", id).unwrap();
    std::fs::read(path).ok()
}

#[test]
fn trails_follow_their_interviews_through_pack_and_merge() {
    let laptop = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    let field = Store::open(laptop.path()).unwrap();
    let central = Store::open(office.path()).unwrap();
    let form = Arc::new(default_form().unwrap());
    let mut i = Interview::start(Arc::clone(&form), "Мария", "PDV22", "bg");
    i.submit(None, None).unwrap();
    i.submit(Some(Answer::Text("yes".into())), None).unwrap();
    i.pause();
    field.save_interview(i.response(), i.trail()).unwrap();
    let id = i.response().id;

    let archive = laptop.path().join("maria.tar");
    anketa(laptop.path())
        .args(["pack", "--out"])
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 audit trail(s)"));
    anketa(office.path())
        .arg("merge")
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("audit trails: 1 copied"));
    assert_eq!(trail_of(&central, id), trail_of(&field, id));
    anketa(office.path())
        .arg("merge")
        .arg(&archive)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 identical, 0 kept aside"));

    // The interview goes on in the field: the later version brings its longer trail, and the
    // office's older trail is kept in history.
    let (response, trail) = (i.response().clone(), i.trail().to_vec());
    let mut later = Interview::open(form, response, trail, "Мария", "bg");
    later.submit(Some(Answer::Number(40.0)), None).unwrap();
    later.pause();
    field
        .save_interview(later.response(), later.trail())
        .unwrap();
    let before = trail_of(&central, id).unwrap();
    anketa(office.path())
        .arg("merge")
        .arg(laptop.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("1 replaced"));
    assert_eq!(trail_of(&central, id), trail_of(&field, id));
    let kept: Vec<_> = std::fs::read_dir(office.path().join("history"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(kept[0].path()).unwrap(), before);

    // A damaged trail is reported and never copied.
    let path = field.audit_path("civic-participation-bg", id).unwrap();
    std::fs::write(&path, b"{oops\n").unwrap();
    let mut newer = later.response().clone();
    newer.updated_at += jiff::SignedDuration::from_secs(60);
    field.save(&newer).unwrap();
    anketa(office.path())
        .arg("merge")
        .arg(laptop.path())
        .assert()
        .failure()
        .stdout(predicate::str::contains("a damaged audit trail: line 1"));
    let events = audit::parse(&trail_of(&central, id).unwrap()).unwrap();
    assert_eq!(events.last().unwrap().event, audit::EventKind::Paused);
}
