//! Which responses an analysis or export covers.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Response, Row, Status};
use crate::municipality;
use crate::outcome::Outcome;

/// What a filter looks at, from a response or a table row.
struct Facts<'a> {
    status: Status,
    /// The effective outcome (none for a draft without one).
    outcome: Option<Outcome>,
    municipality: &'a str,
    interviewer: &'a str,
    /// `completed_at`, or `updated_at` for a draft.
    when: jiff::Timestamp,
}

/// Which closed cases an analysis takes, by outcome.
///
/// By default, interviews: complete (1.1) and partial (1.2). AAPOR's practice is to analyse
/// partial interviews with the completes, their unasked questions simply missing; a
/// refusal, a non-contact or a case found not eligible has no answers to analyse and would
/// only inflate the counts. Drafts are selected by [`ResponseFilter::include_drafts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Cases {
    /// Complete and partial interviews (1.1 and 1.2).
    #[default]
    Interviews,
    /// Complete interviews only (1.1).
    Completes,
    /// Every closed case, whatever its outcome (for an export of the whole sample).
    All,
}

impl Cases {
    /// Whether a closed case with `outcome` is taken.
    pub fn admits(self, outcome: Outcome) -> bool {
        match self {
            Self::Interviews => outcome.is_interview(),
            Self::Completes => outcome == Outcome::Complete,
            Self::All => true,
        }
    }

    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interviews => "interviews",
            Self::Completes => "complete",
            Self::All => "all",
        }
    }
}

/// A selection of responses; the default selects every complete or partial interview.
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
    /// Which closed cases, by outcome.
    pub cases: Cases,
}

impl ResponseFilter {
    /// Whether `response` is selected.
    pub fn matches(&self, response: &Response) -> bool {
        self.selects(&Facts {
            status: response.status,
            outcome: response.effective_outcome(),
            municipality: &response.municipality,
            interviewer: &response.interviewer,
            when: response.completed_at.unwrap_or(response.updated_at),
        })
    }

    /// Whether the table row `row` is selected (as [`ResponseFilter::matches`]).
    pub fn matches_row(&self, row: &Row<'_>) -> bool {
        self.selects(&Facts {
            status: row.status(),
            outcome: row.outcome(),
            municipality: row.municipality(),
            interviewer: row.interviewer(),
            when: row.completed_at().unwrap_or_else(|| row.updated_at()),
        })
    }

    fn selects(&self, facts: &Facts<'_>) -> bool {
        let wanted = match (facts.status, facts.outcome) {
            (Status::Draft, None) => self.include_drafts,
            // A draft that already records an outcome is still open: it is a draft first.
            (Status::Draft, Some(outcome)) => self.include_drafts && self.cases.admits(outcome),
            (Status::Complete, outcome) => outcome.is_some_and(|o| self.cases.admits(o)),
        };
        if !wanted {
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
        match self.cases {
            Cases::Interviews => {}
            Cases::Completes => parts.push("complete interviews only".to_owned()),
            Cases::All => parts.push("every outcome".to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    /// A response closed with `outcome` (`None`: a file from before outcomes were recorded),
    /// or a draft.
    fn case(status: Status, outcome: Option<Outcome>) -> Response {
        let form = catalog::default_form().unwrap();
        let mut r = Response::new(&form, "Ана", "SOF46", "bg");
        r.status = status;
        r.outcome = outcome;
        r
    }

    /// Which of: a complete interview, an old complete file, a partial, a refusal, a
    /// non-contact, a case not eligible, a draft, the filter selects, by response and by row.
    fn selected(filter: &ResponseFilter) -> Vec<bool> {
        let form = catalog::default_form().unwrap();
        let cases = [
            case(Status::Complete, Some(Outcome::Complete)),
            case(Status::Complete, None),
            case(Status::Complete, Some(Outcome::Partial)),
            case(Status::Complete, Some(Outcome::Refusal)),
            case(Status::Complete, Some(Outcome::NonContact)),
            case(Status::Complete, Some(Outcome::NotEligibleUnderAge)),
            case(Status::Draft, None),
        ];
        let by_response: Vec<bool> = cases.iter().map(|r| filter.matches(r)).collect();
        let table = super::super::ResponseTable::from_responses(&form, &cases).unwrap();
        let by_row: Vec<bool> = table.rows().map(|r| filter.matches_row(&r)).collect();
        assert_eq!(by_response, by_row, "responses and rows agree");
        by_response
    }

    #[test]
    fn analyses_take_complete_and_partial_interviews_only() {
        let f = ResponseFilter::default();
        assert_eq!(selected(&f), [true, true, true, false, false, false, false]);
    }

    #[test]
    fn complete_interviews_only_leave_partials_out() {
        let f = ResponseFilter {
            cases: Cases::Completes,
            ..ResponseFilter::default()
        };
        assert_eq!(
            selected(&f),
            [true, true, false, false, false, false, false]
        );
    }

    #[test]
    fn every_case_and_drafts_on_request() {
        let f = ResponseFilter {
            cases: Cases::All,
            include_drafts: true,
            ..ResponseFilter::default()
        };
        assert_eq!(selected(&f), [true; 7]);
        assert_eq!(f.describe(), "every outcome, drafts included");
        let drafts = ResponseFilter {
            include_drafts: true,
            ..ResponseFilter::default()
        };
        assert_eq!(
            selected(&drafts),
            [true, true, true, false, false, false, true]
        );
    }
}
