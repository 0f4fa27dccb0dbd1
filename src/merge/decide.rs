//! Ordering two versions of one interview.

use jiff::{SignedDuration, Timestamp};

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

/// How far in the future an `updated_at` may be before it is taken for a wrong clock: a day,
/// which covers every time zone mistake and a laptop's clock drifting for months.
pub const MAX_CLOCK_SKEW: SignedDuration = SignedDuration::from_hours(24);

/// Orders two versions of the same interview, `now` being the time of the merge.
///
/// A version is later when it was updated later and is not a step back from complete to
/// draft, or when it completes a draft without being older. Anything else that differs (the
/// same `updated_at` with other answers, a draft updated after the complete version) cannot be
/// ordered safely: a person has to look. So too when either version claims to have been updated
/// more than [`MAX_CLOCK_SKEW`] after `now`: a laptop whose clock says 2099 would otherwise win
/// every later merge of that interview, and its version is not evidence of being the later one.
pub fn compare(local: &Response, incoming: &Response, now: Timestamp) -> Order {
    if local == incoming {
        return Order::Same;
    }
    let limit = now.saturating_add(MAX_CLOCK_SKEW).unwrap_or(Timestamp::MAX);
    for (which, version) in [("incoming", incoming), ("local", local)] {
        if version.updated_at > limit {
            return Order::Unordered(format!(
                "the {which} version's updated_at {} is more than a day in the future \
                 (a wrong clock on the laptop that saved it?)",
                version.updated_at
            ));
        }
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

    /// A merge run a day after the versions of [`pair`].
    fn now() -> Timestamp {
        Timestamp::from_second(1_770_086_400).unwrap()
    }

    fn compare(local: &Response, incoming: &Response) -> Order {
        super::compare(local, incoming, now())
    }

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
    fn a_version_from_the_future_is_a_conflict_either_way() {
        let (local, mut future) = pair();
        future.updated_at = "2099-01-01T00:00:00Z".parse().unwrap();
        future.status = Status::Complete;
        for (a, b) in [(&local, &future), (&future, &local)] {
            match compare(a, b) {
                Order::Unordered(reason) => {
                    assert!(reason.contains("in the future"), "{reason}");
                    assert!(reason.contains("2099-01-01"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(compare(&future, &future.clone()), Order::Same);
    }

    #[test]
    fn a_clock_a_little_ahead_still_orders() {
        let (local, mut ahead) = pair();
        // 23 hours ahead of the merge: a time zone mistake, still ordered by time.
        ahead.updated_at = now().checked_add(SignedDuration::from_hours(23)).unwrap();
        assert_eq!(compare(&local, &ahead), Order::IncomingNewer);
        ahead.updated_at = now().checked_add(SignedDuration::from_hours(25)).unwrap();
        assert!(matches!(compare(&local, &ahead), Order::Unordered(_)));
    }

    #[test]
    fn stamps_have_no_colons_and_hashes_are_stable() {
        let (mut r, _) = pair();
        r.updated_at = "2026-03-01T10:15:00.25Z".parse().unwrap();
        assert_eq!(version_stamp(&r), "20260301T101500.25Z");
        assert_eq!(content_hash(b"abc"), 0xe71f_a219_0541_574b);
    }
}
