//! Final outcomes of interviews (dispositions), after the AAPOR Standard Definitions' codes for
//! in-person surveys.
//!
//! Every interview ends with one outcome. The code is stored as AAPOR writes it (`"1.1"`,
//! `"2.12"`, …) so that a coordinator can read a response file without anketa and so that the
//! rates computed from outcomes (RR1, RR3, COOP1, REF1, CON1) use the Standard Definitions'
//! own categories. Older files have no outcome: a complete one counts as 1.1, a draft as none.

use serde::{Deserialize, Serialize};

pub mod rates;

pub use rates::{Case, Dispositions, Rates, RatesReport, RatesRow};

/// A final disposition code. The `serde` names are the AAPOR codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Outcome {
    /// 1.1 Complete interview.
    #[serde(rename = "1.1")]
    Complete,
    /// 1.2 Partial interview: ended early or below the questionnaire's completeness threshold,
    /// but with enough answers to be used.
    #[serde(rename = "1.2")]
    Partial,
    /// 2.11 Refusal: the respondent (or household) declined before the interview began,
    /// including a "No" to the consent question.
    #[serde(rename = "2.11")]
    Refusal,
    /// 2.12 Break-off: the interview began and the respondent ended it too early to count as
    /// a partial.
    #[serde(rename = "2.12")]
    BreakOff,
    /// 2.20 Non-contact: the selected respondent was never reached.
    #[serde(rename = "2.20")]
    NonContact,
    /// 2.32 Other: the respondent is physically or mentally unable to take part.
    #[serde(rename = "2.32")]
    Unable,
    /// 2.33 Other: no common language with the interviewer.
    #[serde(rename = "2.33")]
    Language,
    /// 2.30 Other eligible non-interview.
    #[serde(rename = "2.30")]
    OtherNonInterview,
    /// 3.20 Unknown eligibility: it could not be established whether an eligible respondent
    /// lives at the address.
    #[serde(rename = "3.20")]
    UnknownEligibility,
    /// 4.70 Not eligible, no eligible respondent: under 18, below the study's age limit.
    #[serde(rename = "4.70")]
    NotEligibleUnderAge,
    /// 4.10 Not eligible, out of sample: not resident in the municipality.
    #[serde(rename = "4.10")]
    NotEligibleNotResident,
}

/// The AAPOR groups that the response-rate formulas count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeGroup {
    /// I: complete interviews.
    Complete,
    /// P: partial interviews.
    Partial,
    /// R: refusals and break-offs.
    Refusal,
    /// NC: non-contacts.
    NonContact,
    /// O: other eligible non-interviews.
    Other,
    /// UH/UO: unknown eligibility.
    Unknown,
    /// NE: not eligible (left out of every denominator).
    NotEligible,
}

impl Outcome {
    /// Every outcome, in code order.
    pub const ALL: [Outcome; 11] = [
        Outcome::Complete,
        Outcome::Partial,
        Outcome::Refusal,
        Outcome::BreakOff,
        Outcome::NonContact,
        Outcome::OtherNonInterview,
        Outcome::Unable,
        Outcome::Language,
        Outcome::UnknownEligibility,
        Outcome::NotEligibleUnderAge,
        Outcome::NotEligibleNotResident,
    ];

    /// The AAPOR code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Self::Complete => "1.1",
            Self::Partial => "1.2",
            Self::Refusal => "2.11",
            Self::BreakOff => "2.12",
            Self::NonContact => "2.20",
            Self::OtherNonInterview => "2.30",
            Self::Unable => "2.32",
            Self::Language => "2.33",
            Self::UnknownEligibility => "3.20",
            Self::NotEligibleUnderAge => "4.70",
            Self::NotEligibleNotResident => "4.10",
        }
    }

    /// The outcome with AAPOR code `code`, if anketa uses it.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The group the response-rate formulas count this outcome in.
    pub fn group(self) -> OutcomeGroup {
        match self {
            Self::Complete => OutcomeGroup::Complete,
            Self::Partial => OutcomeGroup::Partial,
            Self::Refusal | Self::BreakOff => OutcomeGroup::Refusal,
            Self::NonContact => OutcomeGroup::NonContact,
            Self::OtherNonInterview | Self::Unable | Self::Language => OutcomeGroup::Other,
            Self::UnknownEligibility => OutcomeGroup::Unknown,
            Self::NotEligibleUnderAge | Self::NotEligibleNotResident => OutcomeGroup::NotEligible,
        }
    }

    /// Whether the outcome is an interview (1.1 or 1.2) whose answers are analysed.
    pub fn is_interview(self) -> bool {
        matches!(self, Self::Complete | Self::Partial)
    }

    /// A short label in `language` (`"bg"` or anything else for English).
    pub fn label(self, language: &str) -> &'static str {
        let bg = language == "bg";
        match self {
            Self::Complete if bg => "Завършено интервю",
            Self::Complete => "Complete interview",
            Self::Partial if bg => "Частично интервю",
            Self::Partial => "Partial interview",
            Self::Refusal if bg => "Отказ",
            Self::Refusal => "Refusal",
            Self::BreakOff if bg => "Прекъснато от респондента",
            Self::BreakOff => "Break-off",
            Self::NonContact if bg => "Няма контакт",
            Self::NonContact => "Non-contact",
            Self::OtherNonInterview if bg => "Друга причина (допустим респондент)",
            Self::OtherNonInterview => "Other non-interview (eligible)",
            Self::Unable if bg => "Не може да участва (здравословни причини)",
            Self::Unable => "Physically or mentally unable",
            Self::Language if bg => "Езикова бариера",
            Self::Language => "Language barrier",
            Self::UnknownEligibility if bg => "Неизвестна допустимост",
            Self::UnknownEligibility => "Unknown eligibility",
            Self::NotEligibleUnderAge if bg => "Недопустим: под 18 години",
            Self::NotEligibleUnderAge => "Not eligible: under 18",
            Self::NotEligibleNotResident if bg => "Недопустим: не живее в общината",
            Self::NotEligibleNotResident => "Not eligible: not resident",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_json_and_from_code() {
        for outcome in Outcome::ALL {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome.code()));
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        assert!(serde_json::from_str::<Outcome>("\"9.9\"").is_err());
    }

    #[test]
    fn only_completes_and_partials_are_interviews() {
        let interviews: Vec<_> = Outcome::ALL
            .into_iter()
            .filter(|o| o.is_interview())
            .collect();
        assert_eq!(interviews, [Outcome::Complete, Outcome::Partial]);
    }
}
