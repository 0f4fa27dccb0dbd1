//! Which responses an analysis or export covers.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Response, Row, Status};
use crate::municipality;

/// What a filter looks at, from a response or a table row.
struct Facts<'a> {
    status: Status,
    municipality: &'a str,
    interviewer: &'a str,
    /// `completed_at`, or `updated_at` for a draft.
    when: jiff::Timestamp,
}

/// A selection of responses; the default selects every complete interview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFilter {
    /// Municipality codes; empty means all.
    pub municipalities: Vec<String>,
    /// An oblast code (`SOF`, `PDV`…).
    pub oblast: Option<String>,
    /// An interviewer's name, compared as [`crate::text::same_name`] does (case, Unicode normal
    /// form and extra spaces do not matter).
    pub interviewer: Option<String>,
    /// First day of `completed_at` (inclusive; drafts use `updated_at`).
    pub from: Option<Date>,
    /// Last day (inclusive).
    pub to: Option<Date>,
    pub include_drafts: bool,
}

impl ResponseFilter {
    /// Whether `response` is selected.
    pub fn matches(&self, response: &Response) -> bool {
        self.selects(&Facts {
            status: response.status,
            municipality: &response.municipality,
            interviewer: &response.interviewer,
            when: response.completed_at.unwrap_or(response.updated_at),
        })
    }

    /// Whether the table row `row` is selected (as [`ResponseFilter::matches`]).
    pub fn matches_row(&self, row: &Row<'_>) -> bool {
        self.selects(&Facts {
            status: row.status(),
            municipality: row.municipality(),
            interviewer: row.interviewer(),
            when: row.completed_at().unwrap_or_else(|| row.updated_at()),
        })
    }

    fn selects(&self, facts: &Facts<'_>) -> bool {
        if facts.status == Status::Draft && !self.include_drafts {
            return false;
        }
        if !self.municipalities.is_empty()
            && !self.municipalities.iter().any(|m| m == facts.municipality)
        {
            return false;
        }
        if let Some(oblast) = &self.oblast {
            let in_oblast = municipality::bundled()
                .get(facts.municipality)
                .is_some_and(|m| m.oblast_code.eq_ignore_ascii_case(oblast));
            if !in_oblast {
                return false;
            }
        }
        if let Some(who) = &self.interviewer
            && !crate::text::same_name(facts.interviewer, who)
        {
            return false;
        }
        if self.from.is_some() || self.to.is_some() {
            // Dates are calendar days in Bulgaria, where the fieldwork happens.
            let day = facts.when.to_zoned(sofia()).date();
            if self.from.is_some_and(|from| day < from) || self.to.is_some_and(|to| day > to) {
                return false;
            }
        }
        true
    }

    /// Whether any condition beyond the default is set.
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }

    /// A one-line description for headers and reports, e.g. "oblast PDV, from 2026-03-01".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.municipalities.is_empty() {
            parts.push(format!("municipality {}", self.municipalities.join(", ")));
        }
        if let Some(o) = &self.oblast {
            parts.push(format!("oblast {o}"));
        }
        if let Some(i) = &self.interviewer {
            parts.push(format!("interviewer {i}"));
        }
        if let Some(d) = self.from {
            parts.push(format!("from {d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to {d}"));
        }
        if self.include_drafts {
            parts.push("drafts included".to_owned());
        }
        parts.join(", ")
    }
}

/// Europe/Sofia, or UTC where the system has no time-zone database.
pub fn sofia() -> TimeZone {
    TimeZone::get("Europe/Sofia").unwrap_or(TimeZone::UTC)
}
