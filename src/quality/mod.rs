//! Data-quality checks on fieldwork: the flags survey methodologists look at before trusting
//! a data set.
//!
//! Every check is a pure function of the questionnaire and the complete interviews; each flag
//! names the response (or, for checks about an interviewer, only the interviewer), the
//! interviewer and a reason in plain words with the numbers behind it. A flag is a prompt to
//! look at an interview, never proof of fabrication. `docs/fieldwork.md` explains every check
//! and its threshold. Drafts are never checked: they are unfinished by definition.

mod batteries;
mod duplicates;
mod effects;
mod special;
mod timing;

use serde::Serialize;
use uuid::Uuid;

pub use batteries::{Battery, batteries};
pub use effects::chi_square_2xk;

use crate::questionnaire::{Answer, Form, QuestionType};
use crate::store::Response;

/// The checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Speeding,
    StraightLining,
    DontKnowShare,
    InterviewerDontKnowShare,
    NearDuplicate,
    InterviewerEffect,
    ImplausibleTime,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 7] = [
        Self::Speeding,
        Self::StraightLining,
        Self::DontKnowShare,
        Self::InterviewerDontKnowShare,
        Self::NearDuplicate,
        Self::InterviewerEffect,
        Self::ImplausibleTime,
    ];

    /// Whether the check flags interviewers as a whole rather than single interviews.
    pub fn is_about_interviewers(self) -> bool {
        matches!(
            self,
            Self::InterviewerDontKnowShare | Self::InterviewerEffect
        )
    }

    /// The name used in reports and CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Speeding => "speeding",
            Self::StraightLining => "straight_lining",
            Self::DontKnowShare => "dont_know_share",
            Self::InterviewerDontKnowShare => "interviewer_dont_know_share",
            Self::NearDuplicate => "near_duplicate",
            Self::InterviewerEffect => "interviewer_effect",
            Self::ImplausibleTime => "implausible_time",
        }
    }
}

/// One flagged interview or interviewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub check: Check,
    /// The interview; `None` when the flag is about an interviewer as a whole.
    pub response_id: Option<Uuid>,
    pub interviewer: String,
    /// The municipality of the interview (empty for interviewer flags).
    pub municipality: String,
    /// Why, in English (the CLI's report and the JSON).
    pub reason: String,
    /// Why, in Bulgarian (the dashboards in Bulgarian).
    pub reason_bg: String,
}

impl Flag {
    /// The reason in `lang` (`bg` or English).
    pub fn reason_in(&self, lang: &str) -> &str {
        if lang == "bg" {
            &self.reason_bg
        } else {
            &self.reason
        }
    }
}

/// The thresholds of every check; [`Default`] gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// Speeding: an interview shorter than this fraction of the median duration.
    pub speeding_ratio: f64,
    /// Speeding: an interview shorter than this many seconds per answered question.
    pub min_seconds_per_question: f64,
    /// Speeding: the median is used only with at least this many complete interviews.
    pub min_interviews_for_median: usize,
    /// Straight-lining: a battery needs this many items, all answered alike, to be flagged.
    pub battery_min_items: usize,
    /// Straight-lining: only scales with at least this many points form batteries.
    pub battery_min_points: usize,
    /// Don't know/refused: the share of answered questions that flags an interview.
    pub special_share_interview: f64,
    /// Don't know/refused: only interviews with at least this many answered questions.
    pub special_min_answered: usize,
    /// Don't know/refused: the share over all of an interviewer's answers that flags them.
    pub special_share_interviewer: f64,
    /// Near-duplicates: the share of identical answers (over questions both answered).
    pub duplicate_share: f64,
    /// Near-duplicates: pairs must share at least this many answered questions.
    pub duplicate_min_common: usize,
    /// Interviewer effects: family-wise significance level (Bonferroni over all tests).
    pub effect_alpha: f64,
    /// Interviewer effects: interviewers with fewer complete interviews are not tested.
    pub effect_min_interviews: usize,
    /// Interviewer effects: the single-choice questions tested; empty means all of them.
    pub effect_questions: Vec<String>,
    /// Implausible hours: completions from this hour (Europe/Sofia)…
    pub night_start_hour: i8,
    /// …until this hour are flagged.
    pub night_end_hour: i8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            speeding_ratio: 1.0 / 3.0,
            min_seconds_per_question: 2.0,
            min_interviews_for_median: 10,
            battery_min_items: 3,
            battery_min_points: 4,
            special_share_interview: 0.3,
            special_min_answered: 5,
            special_share_interviewer: 0.15,
            duplicate_share: 0.9,
            duplicate_min_common: 10,
            effect_alpha: 0.05,
            effect_min_interviews: 20,
            effect_questions: Vec::new(),
            night_start_hour: 22,
            night_end_hour: 7,
        }
    }
}

/// Why the checks could not run.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    #[error("interviewer effects: `{0}` is not a single-choice question of this questionnaire")]
    NotSingleChoice(String),
    #[error("threshold {name} = {value} is out of range ({expected})")]
    Threshold {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
}

/// The outcome of all checks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QualityReport {
    /// Complete interviews checked.
    pub checked: usize,
    /// Sorted by check, then interviewer, then response id.
    pub flags: Vec<Flag>,
    /// What a reader must know to interpret the flags (multiple comparisons, skipped checks).
    pub notes: Vec<String>,
}

impl QualityReport {
    /// How many flags each check raised, every check listed (zero included), in report order.
    pub fn counts(&self) -> Vec<(Check, usize)> {
        Check::ALL
            .iter()
            .map(|&c| (c, self.flags.iter().filter(|f| f.check == c).count()))
            .collect()
    }
}

/// One complete interview with the answers to the questions it asked, by question position.
pub(crate) struct Prepared<'a> {
    pub response: &'a Response,
    pub asked: Vec<Option<&'a Answer>>,
}

impl Prepared<'_> {
    /// A flag on this interview, with its reason in English and in Bulgarian.
    fn flag(&self, check: Check, reason: String, reason_bg: String) -> Flag {
        Flag {
            check,
            response_id: Some(self.response.id),
            interviewer: self.response.interviewer.clone(),
            municipality: self.response.municipality.clone(),
            reason,
            reason_bg,
        }
    }

    /// How many asked questions have an answer (special answers included).
    fn answered(&self) -> usize {
        self.asked.iter().filter(|a| a.is_some()).count()
    }
}

fn prepare<'a, R>(form: &Form, responses: &'a [R]) -> Vec<Prepared<'a>>
where
    R: std::borrow::Borrow<Response> + Sync,
{
    use rayon::prelude::*;
    responses
        .par_iter()
        .map(R::borrow)
        // Only interviews have answers to check: a refusal or a non-contact is a closed case
        // with none.
        .filter(|r| r.final_outcome().is_some_and(|o| o.is_interview()))
        .map(|response| {
            let relevant = form.relevance(&response.answers);
            let asked = form
                .questions()
                .iter()
                .zip(&relevant)
                .map(|(q, &rel)| {
                    let answer = response.answers.get(&q.id).filter(|a| !a.is_empty());
                    answer.filter(|_| rel && q.kind != QuestionType::Note)
                })
                .collect();
            Prepared { response, asked }
        })
        .collect()
}

impl Thresholds {
    fn validate(&self, form: &Form) -> Result<(), QualityError> {
        let shares = [
            ("speeding ratio", self.speeding_ratio),
            (
                "don't-know share per interview",
                self.special_share_interview,
            ),
            (
                "don't-know share per interviewer",
                self.special_share_interviewer,
            ),
            ("near-duplicate share", self.duplicate_share),
            ("alpha", self.effect_alpha),
        ];
        for (name, value) in shares {
            if !(value > 0.0 && value <= 1.0) {
                return Err(QualityError::Threshold {
                    name,
                    value,
                    expected: "above 0 and at most 1",
                });
            }
        }
        for hour in [self.night_start_hour, self.night_end_hour] {
            if !(0..24).contains(&hour) {
                return Err(QualityError::Threshold {
                    name: "night hour",
                    value: f64::from(hour),
                    expected: "0 to 23",
                });
            }
        }
        for id in &self.effect_questions {
            if form
                .question(id)
                .is_none_or(|q| q.kind != QuestionType::Single)
            {
                return Err(QualityError::NotSingleChoice(id.clone()));
            }
        }
        Ok(())
    }
}

/// Runs every check on the complete interviews among `responses`.
pub fn run_checks<R>(
    form: &Form,
    responses: &[R],
    thresholds: &Thresholds,
) -> Result<QualityReport, QualityError>
where
    R: std::borrow::Borrow<Response> + Sync,
{
    thresholds.validate(form)?;
    let prepared = prepare(form, responses);
    let mut report = QualityReport {
        checked: prepared.len(),
        ..QualityReport::default()
    };
    timing::speeding(&prepared, thresholds, &mut report);
    batteries::straight_lining(form, &prepared, thresholds, &mut report);
    special::special_share(&prepared, thresholds, &mut report);
    duplicates::near_duplicates(form, &prepared, thresholds, &mut report);
    effects::interviewer_effects(form, &prepared, thresholds, &mut report);
    timing::implausible_times(&prepared, thresholds, &mut report);
    report.flags.sort_by(|a, b| {
        (a.check, &a.interviewer, a.response_id).cmp(&(b.check, &b.interviewer, b.response_id))
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_list_every_check() {
        let report = QualityReport {
            checked: 2,
            flags: vec![Flag {
                check: Check::NearDuplicate,
                response_id: None,
                interviewer: "ana".into(),
                municipality: String::new(),
                reason: String::new(),
                reason_bg: String::new(),
            }],
            notes: Vec::new(),
        };
        let counts = report.counts();
        assert_eq!(counts.len(), Check::ALL.len());
        assert_eq!(counts[4], (Check::NearDuplicate, 1));
        assert!(counts.iter().filter(|c| c.1 == 0).count() == 6);
        assert!(Check::InterviewerEffect.is_about_interviewers());
        assert!(!Check::Speeding.is_about_interviewers());
    }
}
