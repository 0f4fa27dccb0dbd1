//! Checking one answer against its question: typed input, ranges, choice rules, constraints.
//!
//! These are pure functions of the question and the answer; [`super::Interview`] adds the
//! context (other answers, relevance) that `constraint` expressions need.

use crate::questionnaire::{Answer, Choice, Form, Label, Question, QuestionType};

use super::Interview;

/// Why an answer cannot be accepted. The interview screen shows it under the field, in the
/// current language, and does not move on until it is fixed.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// The question is required and has no answer.
    Required,
    /// The text is not a number.
    NotANumber,
    /// An integer or scale question got a fraction.
    NotAWholeNumber,
    BelowMin(f64),
    AboveMax(f64),
    /// The text is not a `YYYY-MM-DD` date.
    BadDate,
    /// The text is longer than `max_length` characters.
    TooLong(u32),
    /// More options than `max_choices` (exclusive options do not count).
    TooManyChoices(u32),
    /// An "only this" option was combined with others.
    ExclusiveCombined,
    /// A code that the question does not offer (with `choices_from`: not chosen earlier).
    NotOffered(String),
    /// An "other, please specify" option was chosen without the text.
    OtherTextMissing,
    /// The question does not accept "don't know" or "refused".
    SpecialNotAllowed,
    /// The question's `constraint` is false; carries its `constraint_message`.
    Constraint(Option<Label>),
    /// Not a code of the municipality list.
    UnknownMunicipality,
}

/// Turns what was typed into an edit line into an answer for `question`.
///
/// Empty input (spaces only) is `Ok(None)`: no answer. Decimals accept a comma as well as a
/// point, as Bulgarian writes them. Choice questions are not typed and give `NotANumber`.
pub fn parse_input(question: &Question, text: &str) -> Result<Option<Answer>, Invalid> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match question.kind {
        QuestionType::Integer | QuestionType::Scale => {
            let n = parse_number(trimmed)?;
            if n.fract() != 0.0 {
                return Err(Invalid::NotAWholeNumber);
            }
            Ok(Some(Answer::Number(n)))
        }
        QuestionType::Decimal => parse_number(trimmed).map(|n| Some(Answer::Number(n))),
        QuestionType::Date => crate::questionnaire::answer::parse_date(trimmed)
            .map(|_| Some(Answer::Text(trimmed.to_owned())))
            .map_err(|_| Invalid::BadDate),
        QuestionType::Text => Ok(Some(Answer::Text(trimmed.to_owned()))),
        QuestionType::Municipality => Ok(Some(Answer::Text(trimmed.to_owned()))),
        QuestionType::Single | QuestionType::Multiple | QuestionType::Note => {
            Err(Invalid::NotANumber)
        }
    }
}

fn parse_number(text: &str) -> Result<f64, Invalid> {
    let normal = text.replace(',', ".");
    match normal.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(Invalid::NotANumber),
    }
}

/// Checks everything about `answer` that needs no other answer: special answers allowed,
/// the type, `min`/`max`, `max_length`, `max_choices`, exclusive options, offered codes.
pub fn check_shape(
    form: &Form,
    question: &Question,
    offered: &[&Choice],
    answer: &Answer,
) -> Result<(), Invalid> {
    if answer.special().is_some() {
        return if question.allow_special {
            Ok(())
        } else {
            Err(Invalid::SpecialNotAllowed)
        };
    }
    match (question.kind, answer) {
        (QuestionType::Single, Answer::Text(code)) => offered_code(offered, code),
        (QuestionType::Multiple, Answer::Codes(codes)) => check_codes(question, offered, codes),
        (
            QuestionType::Scale | QuestionType::Integer | QuestionType::Decimal,
            Answer::Number(n),
        ) => check_range(question, *n),
        (QuestionType::Text, Answer::Text(text)) => match question.max_length {
            Some(max) if text.chars().count() > max as usize => Err(Invalid::TooLong(max)),
            _ => Ok(()),
        },
        (QuestionType::Date, Answer::Text(date)) => crate::questionnaire::answer::parse_date(date)
            .map(|_| ())
            .map_err(|_| Invalid::BadDate),
        (QuestionType::Municipality, Answer::Text(code)) => {
            if crate::municipality::bundled().get(code).is_some() {
                Ok(())
            } else {
                Err(Invalid::UnknownMunicipality)
            }
        }
        _ => answer
            .check_type(question, form)
            .map_err(|_| Invalid::NotANumber),
    }
}

fn offered_code(offered: &[&Choice], code: &str) -> Result<(), Invalid> {
    if offered.iter().any(|c| c.code == code) {
        Ok(())
    } else {
        Err(Invalid::NotOffered(code.to_owned()))
    }
}

fn check_codes(question: &Question, offered: &[&Choice], codes: &[String]) -> Result<(), Invalid> {
    for code in codes {
        offered_code(offered, code)?;
    }
    let is_exclusive = |code: &String| offered.iter().any(|c| &c.code == code && c.exclusive);
    if codes.len() > 1 && codes.iter().any(is_exclusive) {
        return Err(Invalid::ExclusiveCombined);
    }
    match question.max_choices {
        Some(max) if codes.len() > max as usize => Err(Invalid::TooManyChoices(max)),
        _ => Ok(()),
    }
}

fn check_range(question: &Question, n: f64) -> Result<(), Invalid> {
    if matches!(question.kind, QuestionType::Scale | QuestionType::Integer) && n.fract() != 0.0 {
        return Err(Invalid::NotAWholeNumber);
    }
    if let Some(min) = question.min
        && n < min
    {
        return Err(Invalid::BelowMin(min));
    }
    if let Some(max) = question.max
        && n > max
    {
        return Err(Invalid::AboveMax(max));
    }
    Ok(())
}

/// Toggles `code` in a multiple-choice selection, keeping the options' rules.
///
/// Choosing an exclusive option ("none of these") clears the others; choosing any other option
/// clears the exclusive ones. Adding beyond `max_choices` is refused with
/// [`Invalid::TooManyChoices`] and leaves the selection as it was.
pub fn toggle_code(
    question: &Question,
    offered: &[&Choice],
    selected: &mut Vec<String>,
    code: &str,
) -> Result<(), Invalid> {
    if let Some(i) = selected.iter().position(|c| c == code) {
        selected.remove(i);
        return Ok(());
    }
    let Some(choice) = offered.iter().find(|c| c.code == code) else {
        return Err(Invalid::NotOffered(code.to_owned()));
    };
    let exclusive: Vec<&str> = offered
        .iter()
        .filter(|c| c.exclusive)
        .map(|c| c.code.as_str())
        .collect();
    let mut next: Vec<String> = if choice.exclusive {
        Vec::new()
    } else {
        selected
            .iter()
            .filter(|c| !exclusive.contains(&c.as_str()))
            .cloned()
            .collect()
    };
    if let Some(max) = question.max_choices
        && next.len() >= max as usize
    {
        return Err(Invalid::TooManyChoices(max));
    }
    next.push(code.to_owned());
    // Keep the questionnaire's order, so files and the review read the same way every time.
    next.sort_by_key(|c| offered.iter().position(|o| &o.code == c));
    *selected = next;
    Ok(())
}

/// Whether `answer` selects an "other, please specify" option of `offered`.
pub fn selects_other(offered: &[&Choice], answer: &Answer) -> bool {
    let is_other = |code: &str| offered.iter().any(|c| c.code == code && c.other);
    match answer {
        Answer::Text(code) => is_other(code),
        Answer::Codes(codes) => codes.iter().any(|c| is_other(c)),
        _ => false,
    }
}

impl Interview {
    /// The messages of the soft checks (`warnings`) that `answer` fails for the question at
    /// `position`, given the other answers. Unlike [`Invalid`], they do not stop
    /// [`Interview::submit`]: the screen shows them and submits once the interviewer confirms.
    pub fn warnings(&self, position: usize, answer: &Answer) -> Vec<&Label> {
        let failed =
            self.form
                .failed_warnings(position, answer, &self.response.answers, &self.relevant);
        failed.into_iter().map(|w| &w.message).collect()
    }
}

#[cfg(test)]
mod warning_tests {
    use std::sync::Arc;

    use crate::interview::Interview;
    use crate::questionnaire::{Answer, Special, load_str};

    const FORM: &str = r#"{
      "id": "w", "version": "1", "languages": ["bg", "en"],
      "title": {"bg": "Т", "en": "T"},
      "choice_lists": {"place": [
        {"code": "capital", "label": {"bg": "В София", "en": "In Sofia"}},
        {"code": "village", "label": {"bg": "В село", "en": "In a village"}}
      ]},
      "sections": [{"id": "s", "title": {"bg": "С", "en": "S"}, "questions": [
        {"id": "place", "type": "single", "choices": "place",
         "label": {"bg": "Място", "en": "Place"}},
        {"id": "residence", "type": "municipality", "label": {"bg": "Община", "en": "Municipality"},
         "warnings": [
           {"constraint": "not(${place} = 'capital') or . = 'SOF46'",
            "message": {"bg": "София е в Столична", "en": "Sofia is in Stolichna"}},
           {"constraint": ". != 'VAR06'", "message": {"bg": "Варна?", "en": "Varna?"}}
         ]}
      ]}]
    }"#;

    fn at_residence(place: &str) -> (Interview, usize) {
        let form = Arc::new(load_str(FORM, "test").unwrap());
        let mut interview = Interview::start(form, "Мария", "PDV22", "bg");
        interview
            .submit(Some(Answer::Text(place.into())), None)
            .unwrap();
        let position = interview.current().unwrap().0;
        (interview, position)
    }

    fn messages(interview: &Interview, position: usize, answer: Answer) -> Vec<&str> {
        let warnings = interview.warnings(position, &answer);
        warnings.into_iter().map(|l| l.get("bg")).collect()
    }

    #[test]
    fn a_failed_soft_check_gives_its_message_and_still_submits() {
        let (mut interview, position) = at_residence("capital");
        let plovdiv = Answer::Text("PDV22".into());
        assert_eq!(
            messages(&interview, position, plovdiv.clone()),
            ["София е в Столична"]
        );
        // A warning is not an error: the answer is accepted once confirmed.
        assert_eq!(interview.check(position, &plovdiv, None), Ok(()));
        interview.submit(Some(plovdiv.clone()), None).unwrap();
        assert_eq!(interview.answer(position), Some(&plovdiv));
    }

    #[test]
    fn every_failed_check_is_listed_in_order_and_a_consistent_answer_has_none() {
        let (interview, position) = at_residence("capital");
        let varna = Answer::Text("VAR06".into());
        assert_eq!(
            messages(&interview, position, varna),
            ["София е в Столична", "Варна?"]
        );
        let sofia = Answer::Text("SOF46".into());
        assert!(messages(&interview, position, sofia).is_empty());
        let (interview, position) = at_residence("village");
        let plovdiv = Answer::Text("PDV22".into());
        assert!(messages(&interview, position, plovdiv).is_empty());
    }

    #[test]
    fn special_answers_are_not_checked() {
        let (interview, position) = at_residence("capital");
        for special in [Special::DontKnow, Special::Refused] {
            assert!(messages(&interview, position, Answer::Special(special)).is_empty());
        }
    }
}
