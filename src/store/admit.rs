//! Admitting a response that parsed and belongs to its questionnaire: the answers and times
//! that break the questionnaire's rules are found, reported, and marked invalid.
//!
//! A file is refused whole only when it cannot be placed at all (not a response, another
//! questionnaire, an unknown version or municipality, an answer to a question that does not
//! exist). One bad value in an otherwise good interview does not lose the interview: the value
//! is replaced, in memory only, by the "invalid" special answer, which every analysis reads as
//! the reserved code −8 (`docs/export.md`), and the file is named with the question in the
//! problem list. The file itself keeps its bytes. Every command admits responses here, so
//! `stats`, `export`, `check`, `progress`, `pack`, `merge` and the dashboards agree on every
//! such file.

use std::path::Path;

use super::{Problem, Response, Status};
use crate::questionnaire::{Answer, Form, Question, QuestionType, Special};

/// The part name of a problem with the interview's times rather than one answer.
pub const TIMES: &str = "completed_at";

/// Marks every answer of `response` that breaks its question's rules as
/// [`Special::Invalid`], and returns one problem for each, and one for inconsistent times.
///
/// `response` must have passed [`super::check_response`] (every answer is to a question of
/// `form`); answers to unknown questions are left as they are.
pub fn admit(response: &mut Response, path: &Path, form: &Form) -> Vec<Problem> {
    // Routing is needed only to evaluate a constraint, which few questions have: it is worked
    // out once, for the first answer that needs it.
    let mut relevant: Option<Vec<bool>> = None;
    let mut invalid = Vec::new();
    for (id, answer) in &response.answers {
        let Some(position) = form.position(id) else {
            continue;
        };
        let question = &form.questions()[position];
        let verdict = check_stored(question, form, answer).and_then(|()| {
            let Some(rule) = &question.constraint else {
                return Ok(());
            };
            let relevant = relevant.get_or_insert_with(|| form.relevance(&response.answers));
            if form.constraint_holds(position, answer, &response.answers, relevant) {
                Ok(())
            } else {
                Err(format!("breaks its constraint `{rule}`"))
            }
        });
        if let Err(reason) = verdict {
            invalid.push((id.clone(), format!("`{id}`: {reason}")));
        }
    }
    let mut problems: Vec<Problem> = invalid
        .into_iter()
        .map(|(id, reason)| {
            response
                .answers
                .insert(id.clone(), Answer::Special(Special::Invalid));
            Problem::invalid_part(path, id, reason)
        })
        .collect();
    if let Some(reason) = times_problem(response) {
        problems.push(Problem::invalid_part(path, TIMES.to_owned(), reason));
    }
    problems
}

/// Why a stored answer does not fit its question, beyond its shape: the rules the interview
/// screen applies to what is typed (`min`/`max`, `max_length`, `max_choices`). An exclusive
/// option combined with others is left to the quality checks: the screen prevents it, but it
/// says nothing about the value of each option chosen. A stored answer can break them when a file was edited by hand, written by another
/// program, or kept from an older version of the questionnaire.
fn check_stored(question: &Question, form: &Form, answer: &Answer) -> Result<(), String> {
    // The type error names the question itself; strip it, the caller adds it.
    answer.check_type(question, form).map_err(|e| {
        let prefix = format!("`{}`", question.id);
        e.strip_prefix(&prefix)
            .map(|rest| rest.trim_start_matches(':').trim_start().to_owned())
            .unwrap_or(e)
    })?;
    match answer {
        Answer::Number(n) => {
            if let Some(min) = question.min
                && *n < min
            {
                return Err(format!("{n} is below its minimum {min}"));
            }
            if let Some(max) = question.max
                && *n > max
            {
                return Err(format!("{n} is above its maximum {max}"));
            }
        }
        Answer::Text(text) if question.kind == QuestionType::Text => {
            let chars = text.chars().count();
            if let Some(max) = question.max_length
                && chars > max as usize
            {
                return Err(format!(
                    "{chars} characters, more than its max_length {max}"
                ));
            }
        }
        Answer::Codes(codes) => {
            if let Some(max) = question.max_choices
                && codes.len() > max as usize
            {
                return Err(format!(
                    "{} options chosen, more than its max_choices {max}",
                    codes.len()
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Why the interview's times are inconsistent: a complete interview with no completion time,
/// or one completed before it started. The interview still counts; its duration is unknown
/// (see [`Response::duration_s`]).
fn times_problem(response: &Response) -> Option<String> {
    match (response.status, response.completed_at) {
        (Status::Complete, None) => {
            Some("a complete interview without `completed_at`: its duration is unknown".to_owned())
        }
        (_, Some(done)) if done < response.started_at => Some(format!(
            "`completed_at` {done} is before `started_at` {}: its duration is unknown",
            response.started_at
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    fn admitted(edit: impl FnOnce(&mut Response)) -> (Response, Vec<Problem>) {
        let form = catalog::default_form().unwrap();
        let mut response = Response::new(&form, "Ана", "SOF46", "bg");
        response
            .answers
            .insert("consent".into(), Answer::Text("yes".into()));
        edit(&mut response);
        let problems = admit(&mut response, Path::new("r.json"), &form);
        (response, problems)
    }

    #[test]
    fn a_good_response_is_admitted_unchanged() {
        let (response, problems) = admitted(|r| {
            r.answers.insert("age".into(), Answer::Number(44.0));
            r.answers.insert("trust_mayor".into(), Answer::Number(10.0));
        });
        assert_eq!(problems, []);
        assert_eq!(response.answers["age"], Answer::Number(44.0));
    }

    #[test]
    fn out_of_range_numbers_become_invalid_and_are_named() {
        for (question, value, words) in [
            ("trust_mayor", 11.0, "above its maximum 10"),
            ("trust_mayor", -1.0, "below its minimum 0"),
            ("age", 1e300, "above its maximum"),
            ("age", -5.0, "below its minimum"),
            ("age", 44.5, "got the number 44.5"),
        ] {
            let (response, problems) = admitted(|r| {
                r.answers.insert(question.into(), Answer::Number(value));
            });
            assert_eq!(problems.len(), 1, "{question} = {value}");
            assert_eq!(problems[0].part.as_deref(), Some(question));
            assert!(problems[0].reason.contains(words), "{}", problems[0].reason);
            assert!(problems[0].reason.contains(&format!("`{question}`")));
            assert_eq!(
                response.answers[question],
                Answer::Special(Special::Invalid)
            );
        }
    }

    #[test]
    fn a_wrong_type_or_unknown_code_is_an_invalid_answer_not_a_lost_interview() {
        let (response, problems) = admitted(|r| {
            r.answers.insert("age".into(), Answer::Text("forty".into()));
            r.answers
                .insert("consent".into(), Answer::Text("perhaps".into()));
        });
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| response.answers[p.part.as_deref().unwrap()]
                    == Answer::Special(Special::Invalid))
        );
    }

    #[test]
    fn a_false_constraint_is_an_invalid_answer() {
        let form = crate::questionnaire::load_str(
            r#"{
              "id": "t", "version": "1", "languages": ["en"], "title": {"en": "T"},
              "sections": [{"id": "s", "title": {"en": "S"}, "questions": [
                {"id": "age", "type": "integer", "label": {"en": "Age"}},
                {"id": "children", "type": "integer", "constraint": ". <= ${age} div 10",
                 "label": {"en": "Children"}}
              ]}]
            }"#,
            "test",
        )
        .unwrap();
        let mut response = Response::new(&form, "Ана", "SOF46", "en");
        response.answers.insert("age".into(), Answer::Number(30.0));
        response
            .answers
            .insert("children".into(), Answer::Number(3.0));
        assert_eq!(admit(&mut response, Path::new("r.json"), &form), []);
        response
            .answers
            .insert("children".into(), Answer::Number(4.0));
        let problems = admit(&mut response, Path::new("r.json"), &form);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].part.as_deref(), Some("children"));
        assert!(
            problems[0].reason.contains("constraint"),
            "{}",
            problems[0].reason
        );
        assert_eq!(response.answers["age"], Answer::Number(30.0));
    }

    #[test]
    fn inconsistent_times_are_reported_and_the_duration_left_out() {
        let (response, problems) = admitted(|r| {
            r.status = Status::Complete;
            r.completed_at = None;
        });
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].part.as_deref(), Some(TIMES));
        assert_eq!(response.duration_s(), None);

        let (response, problems) = admitted(|r| {
            r.status = Status::Complete;
            r.completed_at = Some(r.started_at - jiff::SignedDuration::from_hours(1));
        });
        assert_eq!(problems.len(), 1);
        assert!(problems[0].reason.contains("before `started_at`"));
        assert_eq!(response.duration_s(), None);
    }
}
