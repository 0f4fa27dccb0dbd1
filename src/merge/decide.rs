//! Ordering two versions of one interview.

use crate::store::{Response, Status};

/// How an incoming version relates to the local one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Order {
    /// The same content (perhaps formatted differently).
    Same,
    IncomingNewer,
    IncomingOlder,
    /// Different, and neither is clearly later; the text says why.
    Unordered(String),
}

/// Orders two versions of the same interview.
///
/// A version is later when it was updated later and is not a step back from complete to
/// draft, or when it completes a draft without being older. Anything else that differs (the
/// same `updated_at` with other answers, a draft updated after the complete version) cannot be
/// ordered safely: a person has to look.
pub fn compare(local: &Response, incoming: &Response) -> Order {
    if local == incoming {
        return Order::Same;
    }
    let rank = |s: Status| match s {
        Status::Draft => 0,
        Status::Complete => 1,
    };
    let status = rank(incoming.status).cmp(&rank(local.status));
    let time = incoming.updated_at.cmp(&local.updated_at);
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (status, time) {
        (Greater, Greater | Equal) | (Equal, Greater) => Order::IncomingNewer,
        (Less, Less | Equal) | (Equal, Less) => Order::IncomingOlder,
        (Equal, Equal) => Order::Unordered(format!(
            "two different versions with the same updated_at {}",
            local.updated_at
        )),
        (Greater, Less) => Order::Unordered(format!(
            "the incoming complete version ({}) is older than the local draft ({})",
            incoming.updated_at, local.updated_at
        )),
        (Less, Greater) => Order::Unordered(format!(
            "the incoming draft ({}) was updated after the local complete version ({})",
            incoming.updated_at, local.updated_at
        )),
    }
}

/// `updated_at` in a form safe in file names on every system (no `:`), e.g.
/// `20260301T101500.25Z`.
pub fn version_stamp(response: &Response) -> String {
    jiff::fmt::strtime::format("%Y%m%dT%H%M%S%.fZ", response.updated_at)
        .unwrap_or_else(|_| response.updated_at.as_millisecond().to_string())
}

/// FNV-1a: a stable hash that tells two different files with one name apart. Stability across
/// runs and versions matters (names must be the same on a second run), not strength.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog::default_form;
    use jiff::{SignedDuration, Timestamp};

    fn pair() -> (Response, Response) {
        let form = default_form().unwrap();
        let mut a = Response::new(&form, "ana", "SOF46", "bg");
        a.updated_at = Timestamp::from_second(1_770_000_000).unwrap();
        (a.clone(), a)
    }

    fn later(r: &mut Response, seconds: i64) {
        r.updated_at = r
            .updated_at
            .checked_add(SignedDuration::from_secs(seconds))
            .unwrap();
    }

    #[test]
    fn later_updates_and_completions_are_newer() {
        let (local, mut incoming) = pair();
        assert_eq!(compare(&local, &incoming), Order::Same);
        later(&mut incoming, 60);
        assert_eq!(compare(&local, &incoming), Order::IncomingNewer);
        assert_eq!(compare(&incoming, &local), Order::IncomingOlder);
        let (local, mut done) = pair();
        done.status = Status::Complete;
        assert_eq!(compare(&local, &done), Order::IncomingNewer);
        assert_eq!(compare(&done, &local), Order::IncomingOlder);
    }

    #[test]
    fn versions_that_cannot_be_ordered_are_conflicts() {
        let (local, mut incoming) = pair();
        incoming.interviewer = "boris".into();
        assert!(matches!(compare(&local, &incoming), Order::Unordered(_)));
        let (mut local, mut incoming) = pair();
        incoming.status = Status::Complete;
        later(&mut local, 60);
        assert!(matches!(compare(&local, &incoming), Order::Unordered(_)));
        assert!(matches!(compare(&incoming, &local), Order::Unordered(_)));
    }

    #[test]
    fn stamps_have_no_colons_and_hashes_are_stable() {
        let (mut r, _) = pair();
        r.updated_at = "2026-03-01T10:15:00.25Z".parse().unwrap();
        assert_eq!(version_stamp(&r), "20260301T101500.25Z");
        assert_eq!(content_hash(b"abc"), 0xe71f_a219_0541_574b);
    }
}
