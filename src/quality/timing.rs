//! Checks on when and how fast an interview was done: speeding and implausible times.

use statrs::statistics::{Data, Median};

use super::{Check, Prepared, QualityReport, Thresholds};
use crate::i18n::bg;
use crate::store::filter::sofia;

/// Flags interviews under a fraction of the median duration, or under a minimum number of
/// seconds per answered question. Interviews with `completed_at` before `started_at` are left
/// to [`implausible_times`].
///
/// Only full-length interviews are compared with the median: an interview that answered fewer
/// than half the median number of questions (a refusal, a screened-out respondent) is short for
/// an honest reason and is judged by the per-question minimum alone.
pub(super) fn speeding(items: &[Prepared<'_>], t: &Thresholds, report: &mut QualityReport) {
    let answered: Vec<f64> = items.iter().map(|p| p.answered() as f64).collect();
    let full_length = if answered.is_empty() {
        0.0
    } else {
        Data::new(answered).median() / 2.0
    };
    let is_full = |p: &Prepared<'_>| p.answered() as f64 >= full_length;
    let durations: Vec<f64> = items
        .iter()
        .filter(|p| is_full(p))
        .filter_map(|p| p.response.duration_s())
        .filter(|d| *d >= 0)
        .map(|d| d as f64)
        .collect();
    let median = if durations.len() >= t.min_interviews_for_median {
        Some(Data::new(durations).median())
    } else {
        report.notes.push(format!(
            "speeding: fewer than {} full-length complete interviews, so only the per-question minimum is applied",
            t.min_interviews_for_median
        ));
        None
    };
    for p in items {
        let Some(seconds) = p.response.duration_s().filter(|d| *d >= 0) else {
            continue;
        };
        let seconds = seconds as f64;
        let answered = p.answered();
        let floor = answered as f64 * t.min_seconds_per_question;
        let took = minutes(seconds);
        let reason = match median {
            Some(m) if is_full(p) && seconds < m * t.speeding_ratio => {
                let (median, ratio) = (minutes(m), t.speeding_ratio * 100.0);
                Some((
                    format!(
                        "took {took} min while the median is {median} min (under {ratio:.0}% of it)"
                    ),
                    format!(
                        "продължи {took} мин при медиана {median} мин (под {ratio:.0}% от нея)"
                    ),
                ))
            }
            _ if answered > 0 && seconds < floor => {
                let (each, minimum) = (seconds / answered as f64, t.min_seconds_per_question);
                Some((
                    format!(
                        "took {took} min for {answered} answered questions ({each:.1} s each; minimum {minimum} s)"
                    ),
                    format!(
                        "продължи {took} мин за {} ({each:.1} с на въпрос; минимум {minimum} с)",
                        bg::ANSWERED_QUESTIONS.fill(answered)
                    ),
                ))
            }
            _ => None,
        };
        if let Some((reason, reason_bg)) = reason {
            report
                .flags
                .push(p.flag(Check::Speeding, reason, reason_bg));
        }
    }
}

/// `m:ss`, the unit left to the sentence (min, мин).
fn minutes(seconds: f64) -> String {
    let s = seconds.round() as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Flags interviews completed at night (Europe/Sofia) or completed before they started.
pub(super) fn implausible_times(
    items: &[Prepared<'_>],
    t: &Thresholds,
    report: &mut QualityReport,
) {
    let zone = sofia();
    for p in items {
        let r = p.response;
        let Some(done) = r.completed_at else {
            continue;
        };
        if done < r.started_at {
            let started = r.started_at;
            let reason = format!("completed at {done}, before it started at {started}");
            let reason_bg = format!("завършено в {done}, преди началото си в {started}");
            report
                .flags
                .push(p.flag(Check::ImplausibleTime, reason, reason_bg));
            continue;
        }
        let local = done.to_zoned(zone.clone());
        let hour = local.hour();
        let night = if t.night_start_hour > t.night_end_hour {
            hour >= t.night_start_hour || hour < t.night_end_hour
        } else {
            hour >= t.night_start_hour && hour < t.night_end_hour
        };
        if night {
            let (at, from, to) = (
                local.strftime("%Y-%m-%d %H:%M"),
                t.night_start_hour,
                t.night_end_hour,
            );
            let reason =
                format!("completed at {at} local time (between {from:02}:00 and {to:02}:00)");
            let reason_bg =
                format!("завършено в {at} местно време (между {from:02}:00 и {to:02}:00)");
            report
                .flags
                .push(p.flag(Check::ImplausibleTime, reason, reason_bg));
        }
    }
}
