//! `anketa merge` against sources made to fool it: an archive entry larger than its header says,
//! and a laptop whose clock is decades ahead.

use std::path::{Path, PathBuf};

use anketa::merge::source::MAX_ENTRY_BYTES;
use anketa::questionnaire::{Answer, catalog::default_form};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

const QID: &str = "civic-participation-bg";

fn anketa(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR")
        .arg("--data-dir")
        .arg(data);
    cmd
}

fn response(interviewer: &str) -> Response {
    let form = default_form().unwrap();
    let mut r = Response::new(&form, interviewer, "SOF46", "bg");
    r.started_at = Timestamp::from_second(1_772_000_000).unwrap();
    r.updated_at = r.started_at;
    r.answers
        .insert("consent".into(), Answer::Text("yes".into()));
    r
}

fn response_file(dir: &Path, r: &Response) -> PathBuf {
    dir.join("responses")
        .join(QID)
        .join(format!("{}.json", r.id))
}

/// Runs `merge --json` on `sources` and returns the report.
fn merge_json(data: &Path, sources: &[&Path]) -> Value {
    let out = anketa(data)
        .args(["merge", "--json"])
        .args(sources)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One PAX extended-header record, `"<len> <key>=<value>\n"`, whose length counts itself.
fn pax_record(key: &str, value: &str) -> Vec<u8> {
    let rest = format!(" {key}={value}\n");
    let mut len = rest.len() + 1;
    while format!("{len}{rest}").len() != len {
        len += 1;
    }
    format!("{len}{rest}").into_bytes()
}

/// An archive whose first entry is a valid response padded to `size` bytes, announced by a
/// PAX `size` record while its ustar header says 100 bytes; then an ordinary small entry.
fn pax_archive(path: &Path, big: &Response, size: usize, small: &Response) {
    let mut body = serde_json::to_vec(big).unwrap();
    body.resize(size, b' ');
    let mut builder = tar::Builder::new(Vec::new());
    let record = pax_record("size", &size.to_string());
    let mut pax = tar::Header::new_ustar();
    pax.set_entry_type(tar::EntryType::XHeader);
    pax.set_path("PaxHeaders/x").unwrap();
    pax.set_size(record.len() as u64);
    pax.set_cksum();
    builder.append(&pax, record.as_slice()).unwrap();
    let mut lying = tar::Header::new_ustar();
    lying
        .set_path(format!("responses/{QID}/{}.json", big.id))
        .unwrap();
    lying.set_mode(0o600);
    lying.set_size(100);
    lying.set_cksum();
    // `append` copies every byte of `body` and pads after it, whatever the header says.
    builder.append(&lying, body.as_slice()).unwrap();
    let small_body = serde_json::to_vec(small).unwrap();
    let mut header = tar::Header::new_ustar();
    header
        .set_path(format!("responses/{QID}/{}.json", small.id))
        .unwrap();
    header.set_mode(0o600);
    header.set_size(small_body.len() as u64);
    header.set_cksum();
    builder.append(&header, small_body.as_slice()).unwrap();
    std::fs::write(path, builder.into_inner().unwrap()).unwrap();
}

#[test]
fn an_entry_larger_than_its_ustar_size_is_refused_by_the_bytes_read() {
    let dest = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (big, small) = (response("ana"), response("boris"));
    let archive = tmp.path().join("pax.tar");
    let size = usize::try_from(MAX_ENTRY_BYTES).unwrap() + 4096;
    pax_archive(&archive, &big, size, &small);

    let report = merge_json(dest.path(), &[&archive]);
    assert_eq!(report["counts"]["problems"], 1, "{report:#}");
    assert_eq!(
        report["counts"]["new"], 1,
        "the next entry is read: {report:#}"
    );
    let problem = &report["report"]["items"][0];
    assert_eq!(problem["outcome"], "problem", "{report:#}");
    assert!(
        problem["reason"].as_str().unwrap().contains("too large"),
        "{problem:#}"
    );
    assert!(!response_file(dest.path(), &big).exists());
    assert!(response_file(dest.path(), &small).is_file());
}

#[test]
fn an_entry_within_the_limit_with_a_pax_size_still_merges() {
    let dest = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (big, small) = (response("ana"), response("boris"));
    let archive = tmp.path().join("pax.tar");
    pax_archive(&archive, &big, 64 * 1024, &small);
    let report = merge_json(dest.path(), &[&archive]);
    assert_eq!(report["counts"]["new"], 2, "{report:#}");
    assert_eq!(report["counts"]["problems"], 0, "{report:#}");
}

fn save(dir: &Path, r: &Response) {
    Store::open(dir).unwrap().save(r).unwrap();
}

#[test]
fn a_version_from_the_future_never_wins() {
    let dest = tempfile::tempdir().unwrap();
    let skewed = tempfile::tempdir().unwrap();
    let honest = tempfile::tempdir().unwrap();
    let local = response("ana");
    save(dest.path(), &local);
    let before = std::fs::read(response_file(dest.path(), &local)).unwrap();

    // A laptop whose clock says 2099 completes the same interview.
    let mut future = local.clone();
    future.status = Status::Complete;
    future.updated_at = "2099-06-01T10:00:00Z".parse().unwrap();
    future.completed_at = Some(future.updated_at);
    save(skewed.path(), &future);
    let report = merge_json(dest.path(), &[skewed.path()]);
    assert_eq!(report["counts"]["conflicts"], 1, "{report:#}");
    let item = &report["report"]["items"][0];
    assert!(
        item["reason"].as_str().unwrap().contains("in the future"),
        "{item:#}"
    );
    let kept = PathBuf::from(item["kept_as"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        std::fs::read(response_file(skewed.path(), &future)).unwrap(),
        "the future version is kept, not lost"
    );
    assert_eq!(
        std::fs::read(response_file(dest.path(), &local)).unwrap(),
        before,
        "the local version stays in place"
    );

    // Had it won (as it did before), an honest later version would be called older; now the
    // future version in place is itself a conflict and the honest one is kept beside it.
    std::fs::copy(
        response_file(skewed.path(), &future),
        response_file(dest.path(), &local),
    )
    .unwrap();
    let mut later = local.clone();
    later.status = Status::Complete;
    later.updated_at = Timestamp::now()
        .checked_sub(SignedDuration::from_hours(1))
        .unwrap();
    later.completed_at = Some(later.updated_at);
    save(honest.path(), &later);
    let report = merge_json(dest.path(), &[honest.path()]);
    assert_eq!(report["counts"]["conflicts"], 1, "{report:#}");
    assert_eq!(report["counts"]["older"], 0, "{report:#}");
    let reason = report["report"]["items"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("local version"), "{reason}");
}
