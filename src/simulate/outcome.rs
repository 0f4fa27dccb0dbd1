//! Final outcomes of synthetic cases: most end in an interview, some in a refusal, a
//! non-contact, a break-off, a partial interview or a respondent found not eligible, so that
//! the response rates have something to show.
//!
//! Outcomes are drawn from their own random stream, apart from the answers: with no
//! nonresponse asked for, every case is the same interview as before outcomes existed.

use fastrand::Rng;

use super::{Simulation, gaussian, logistic, mix};
use crate::outcome::Outcome;

/// How often cases end without a full interview.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nonresponse {
    /// Share of cases that end without an interview (refusal, non-contact, not eligible…).
    pub non_interviews: f64,
    /// Share of the interviews that end early but with enough answers to use (partials).
    pub partials: f64,
}

impl Nonresponse {
    /// Every case an interview.
    pub const NONE: Self = Self {
        non_interviews: 0.0,
        partials: 0.0,
    };

    /// About what face-to-face surveys in Bulgaria meet: a response rate near 60 %.
    pub const TYPICAL: Self = Self {
        non_interviews: 0.35,
        partials: 0.03,
    };
}

impl Default for Nonresponse {
    fn default() -> Self {
        Self::NONE
    }
}

/// The outcomes of cases without an interview, with their shares among such cases.
const NON_INTERVIEWS: [(Outcome, f64); 9] = [
    (Outcome::Refusal, 0.40),
    (Outcome::NonContact, 0.28),
    (Outcome::BreakOff, 0.05),
    (Outcome::Unable, 0.04),
    (Outcome::Language, 0.02),
    (Outcome::OtherNonInterview, 0.02),
    (Outcome::UnknownEligibility, 0.07),
    (Outcome::NotEligibleUnderAge, 0.05),
    (Outcome::NotEligibleNotResident, 0.07),
];

/// The random stream of outcomes, apart from every other draw.
const STREAM: u64 = 0x6F75_7463_6F6D_6573;

/// The outcome planned for case `index` by `interviewer` in `municipality`, and the number of
/// questions asked before it ends (`questions` for a full interview).
pub(super) fn plan(
    sim: &Simulation,
    index: usize,
    interviewer: &str,
    municipality: &str,
    questions: usize,
) -> (Outcome, usize) {
    let rates = sim.nonresponse;
    if rates.non_interviews <= 0.0 && rates.partials <= 0.0 {
        return (Outcome::Complete, questions);
    }
    let mut rng = Rng::with_seed(mix(sim.seed_for(index), STREAM));
    // Interviewers differ in how many doors they get opened, and so do places: a lasting
    // effect of each, drawn from its name, shifts the odds of every one of its cases.
    let effect = |name: &str| {
        let mut named = Rng::with_seed(mix(sim.seed, fnv(name)));
        gaussian(&mut named)
    };
    let share = rates.non_interviews.clamp(0.0, 1.0);
    let odds = logit(share) + 0.3 * effect(interviewer) + 0.2 * effect(municipality);
    let p_non_interview = if share > 0.0 { logistic(odds) } else { 0.0 };
    if rng.f64() < p_non_interview {
        let outcome = pick(&mut rng);
        // A break-off answered the first few questions; the others none at all.
        let asked = match outcome {
            Outcome::BreakOff => rng.usize(1..(questions / 4).max(2)),
            _ => 0,
        };
        return (outcome, asked.min(questions));
    }
    if rng.f64() < rates.partials.clamp(0.0, 1.0) {
        let from = questions * 6 / 10;
        return (Outcome::Partial, rng.usize(from..questions.max(from + 1)));
    }
    (Outcome::Complete, questions)
}

fn pick(rng: &mut Rng) -> Outcome {
    let mut left = rng.f64() * NON_INTERVIEWS.iter().map(|(_, w)| w).sum::<f64>();
    for (outcome, weight) in NON_INTERVIEWS {
        left -= weight;
        if left < 0.0 {
            return outcome;
        }
    }
    Outcome::Refusal
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// FNV-1a: a stable hash of a name, the same on every platform and version.
fn fnv(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shares_of_non_interview_outcomes_add_up_to_one() {
        let total: f64 = NON_INTERVIEWS.iter().map(|(_, w)| w).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(NON_INTERVIEWS.iter().all(|(o, _)| !o.is_interview()));
    }
}
