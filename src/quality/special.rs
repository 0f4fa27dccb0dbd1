//! A high share of "don't know" and "refused", per interview and per interviewer.

use std::collections::BTreeMap;

use super::{Check, Flag, Prepared, QualityReport, Thresholds};
use crate::i18n::{Plural, bg};

pub(super) fn special_share(items: &[Prepared<'_>], t: &Thresholds, report: &mut QualityReport) {
    // Interviewer → (special answers, answered questions, interviews).
    let mut by_interviewer: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for p in items {
        let answered = p.answered();
        let special = p
            .asked
            .iter()
            .filter(|a| a.is_some_and(|a| a.special().is_some()))
            .count();
        let entry = by_interviewer.entry(&p.response.interviewer).or_default();
        entry.0 += special;
        entry.1 += answered;
        entry.2 += 1;
        if answered >= t.special_min_answered
            && share(special, answered) >= t.special_share_interview
        {
            let percent = share(special, answered) * 100.0;
            let threshold = t.special_share_interview * 100.0;
            let reason = format!(
                "{special} of {answered} answered questions are don't know or refused ({percent:.0}%; threshold {threshold:.0}%)"
            );
            let questions = bg::ANSWERED_QUESTIONS.fill(answered);
            let are = Plural::new("е", "са").form(special);
            let reason_bg = format!(
                "{special} от {questions} {are} „не знам“ или отказ ({percent:.0}%; праг {threshold:.0}%)"
            );
            report
                .flags
                .push(p.flag(Check::DontKnowShare, reason, reason_bg));
        }
    }
    let (all_special, all_answered) = by_interviewer
        .values()
        .fold((0, 0), |(s, a), v| (s + v.0, a + v.1));
    for (who, (special, answered, interviews)) in by_interviewer {
        if answered > 0 && share(special, answered) >= t.special_share_interviewer {
            let percent = share(special, answered) * 100.0;
            let all = share(all_special, all_answered) * 100.0;
            let threshold = t.special_share_interviewer * 100.0;
            report.flags.push(Flag {
                check: Check::InterviewerDontKnowShare,
                response_id: None,
                interviewer: who.to_owned(),
                municipality: String::new(),
                reason: format!(
                    "{percent:.0}% don't know or refused over {interviews} interviews ({special} of {answered} answers; all interviewers {all:.0}%; threshold {threshold:.0}%)"
                ),
                reason_bg: format!(
                    "{percent:.0}% „не знам“ или отказ в {} ({special} от {}; всички анкетьори {all:.0}%; праг {threshold:.0}%)",
                    bg::INTERVIEWS.fill(interviews),
                    bg::ANSWERS.fill(answered),
                ),
            });
        }
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
