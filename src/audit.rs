//! The audit trail of an interview: what happened, when, and who did it.
//!
//! Supervisors read it as they read ODK Collect's form audit log or Survey Solutions' paradata:
//! each question entered and left with its timestamps, the old and new value of every change,
//! language switches, pauses and resumes, edits of a completed interview, and how it ended.
//!
//! One event per line (JSON lines) in `DIR/audit/<questionnaire>/<uuid>.jsonl`, beside the
//! responses but outside `responses/`, so that loaders of responses never meet it. The whole
//! file is rewritten atomically before the response on each save (see
//! [`crate::store::Store::save_interview`]): a reader sees the old trail or the new one, and a
//! trail is never behind its response. `timings_ms` in the response is the sum of the `left`
//! events' `ms` per question ([`timings`]); [`active_seconds`] gives the time spent with the
//! interview open, pauses excluded, for the quality checks.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;
use crate::questionnaire::Answer;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new interview was started (`language`: the language it starts in).
    Started,
    /// A draft was opened again after a pause.
    Resumed,
    /// The interview was put aside (it stays a draft).
    Paused,
    /// A question came on screen.
    Entered,
    /// A question left the screen; `ms` is the time it was on screen.
    Left,
    /// An answer was given or changed: `old`, `new`, and the `language` it was given in;
    /// `detail` holds the "other, please specify" text.
    Answered,
    /// The interview continued in another language (`language`; `detail`: the one before).
    Language,
    /// A completed interview was opened for editing; `detail` is the reason given.
    Edited,
    /// The interview was finished with `outcome`.
    Finished,
    /// The interview was ended before the end of the questionnaire with `outcome`; `detail`
    /// is the interviewer's reason.
    Ended,
    /// The interviewer's remark on `question` (or on the interview) was set to `detail`.
    Remark,
    /// The end-of-interview observations were recorded; `detail` summarises them.
    Observed,
    /// The trail was found missing or damaged and starts again here; `detail` says what was
    /// found and where a damaged file was kept.
    TrailRestarted,
    /// The draft was deleted; `detail` names the copy kept under `history/`.
    Deleted,
}

impl EventKind {
    /// The name used in files and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Resumed => "resumed",
            Self::Paused => "paused",
            Self::Entered => "entered",
            Self::Left => "left",
            Self::Answered => "answered",
            Self::Language => "language",
            Self::Edited => "edited",
            Self::Finished => "finished",
            Self::Ended => "ended",
            Self::Remark => "remark",
            Self::Observed => "observed",
            Self::TrailRestarted => "trail_restarted",
            Self::Deleted => "deleted",
        }
    }
}

/// One line of the trail. Fields that do not apply to an event are left out of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    pub at: Timestamp,
    pub event: EventKind,
    /// The interviewer (or supervisor) at the keyboard.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Milliseconds on screen, for `left`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl AuditEvent {
    /// An event of `kind` by `by`, now, with every optional field empty.
    pub fn now(kind: EventKind, by: &str) -> Self {
        Self {
            at: Timestamp::now(),
            event: kind,
            by: by.to_owned(),
            question: None,
            old: None,
            new: None,
            language: None,
            ms: None,
            outcome: None,
            detail: String::new(),
        }
    }

    /// The same event about `question`.
    pub fn on(mut self, question: &str) -> Self {
        self.question = Some(question.to_owned());
        self
    }

    /// The same event with `detail`.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Why a trail file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct TrailError {
    /// 1-based line of the first bad event (0 for the file as a whole).
    pub line: usize,
    pub reason: String,
}

/// The largest trail read: far beyond any interview (an event is ~150 bytes), small enough
/// that a wrong file is refused before it fills memory.
pub const MAX_TRAIL_BYTES: u64 = 64 * 1024 * 1024;

/// Encodes `events` as JSON lines, each ending with a newline.
pub fn encode(events: &[AuditEvent]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(events.len() * 160);
    for event in events {
        serde_json::to_writer(&mut out, event)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Parses a trail file, naming the first line that is not an event. Blank lines are allowed.
pub fn parse(bytes: &[u8]) -> Result<Vec<AuditEvent>, TrailError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TrailError {
        line: bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
        reason: "not valid UTF-8".to_owned(),
    })?;
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str(line).map_err(|e| TrailError {
            line: i + 1,
            reason: format!("not an audit event: {e}"),
        })?;
        events.push(event);
    }
    Ok(events)
}

/// Question id → milliseconds on screen, summed over the `left` events: the response's
/// `timings_ms` for an interview recorded with a trail from its start.
pub fn timings(events: &[AuditEvent]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for e in events.iter().filter(|e| e.event == EventKind::Left) {
        if let (Some(q), Some(ms)) = (&e.question, e.ms) {
            let total: &mut u64 = out.entry(q.clone()).or_default();
            *total = total.saturating_add(ms);
        }
    }
    out
}

/// Seconds the interview was open, pauses left out: the sum of each session from its start
/// (`started`, `resumed`, `edited`) to its end (`paused`, `finished`, `ended`, or the last
/// event when the session was cut short by a crash). `None` without any session start.
pub fn active_seconds(events: &[AuditEvent]) -> Option<f64> {
    let mut total_ms: i64 = 0;
    let mut open: Option<Timestamp> = None;
    let mut last: Option<Timestamp> = None;
    let mut any = false;
    for e in events {
        match e.event {
            EventKind::Started | EventKind::Resumed | EventKind::Edited => {
                if let (Some(from), Some(to)) = (open, last) {
                    total_ms += span_ms(from, to);
                }
                open = Some(e.at);
                any = true;
            }
            EventKind::Paused | EventKind::Finished | EventKind::Ended => {
                if let Some(from) = open.take() {
                    total_ms += span_ms(from, e.at);
                }
            }
            _ => {}
        }
        last = Some(e.at);
    }
    if let (Some(from), Some(to)) = (open, last) {
        total_ms += span_ms(from, to);
    }
    any.then_some(total_ms as f64 / 1000.0)
}

fn span_ms(from: Timestamp, to: Timestamp) -> i64 {
    (to.as_millisecond() - from.as_millisecond()).max(0)
}

/// The language each answer was last given in: question id → language, read from the
/// `answered` events.
pub fn answer_languages(events: &[AuditEvent]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in events.iter().filter(|e| e.event == EventKind::Answered) {
        if let (Some(q), Some(lang)) = (&e.question, &e.language) {
            out.insert(q.clone(), lang.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64, kind: EventKind) -> AuditEvent {
        let mut e = AuditEvent::now(kind, "Мария");
        e.at = Timestamp::from_second(1_780_000_000 + seconds).unwrap();
        e
    }

    #[test]
    fn a_trail_round_trips_and_a_bad_line_is_named() {
        let mut answered = at(3, EventKind::Answered).on("age");
        answered.old = Some(Answer::Number(41.0));
        answered.new = Some(Answer::Number(42.0));
        answered.language = Some("en".into());
        let events = vec![at(0, EventKind::Started), answered];
        let bytes = encode(&events).unwrap();
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 2);
        assert_eq!(parse(&bytes).unwrap(), events);

        let mut damaged = bytes.clone();
        damaged.extend_from_slice(b"{\"at\": \"2026-12-04T10:00:00Z\", \"event\": \"sneez");
        let err = parse(&damaged).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.to_string().starts_with("line 3: not an audit event"));
        let err = parse(b"\n\xff\xfe").unwrap_err();
        assert_eq!((err.line, err.reason.as_str()), (2, "not valid UTF-8"));
    }

    #[test]
    fn active_time_leaves_pauses_out_and_timings_sum_visits() {
        let mut left1 = at(20, EventKind::Left).on("age");
        left1.ms = Some(20_000);
        let mut left2 = at(3630, EventKind::Left).on("age");
        left2.ms = Some(30_000);
        let events = vec![
            at(0, EventKind::Started),
            left1,
            at(60, EventKind::Paused),
            // An hour away from the interview.
            at(3600, EventKind::Resumed),
            left2,
            at(3700, EventKind::Finished),
        ];
        assert_eq!(active_seconds(&events), Some(160.0));
        assert_eq!(timings(&events)["age"], 50_000);
        // A session cut short by a crash counts up to its last event.
        let crashed = vec![at(0, EventKind::Started), at(45, EventKind::Entered)];
        assert_eq!(active_seconds(&crashed), Some(45.0));
        assert_eq!(active_seconds(&[]), None);
    }
}
