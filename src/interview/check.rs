//! Checking one answer against its question: typed input, ranges, choice rules, constraints.
//!
//! These are pure functions of the question and the answer; [`super::Interview`] adds the
//! context (other answers, relevance) that `constraint` expressions need.

use crate::questionnaire::{Answer, Choice, Form, Label, Question, QuestionType};

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
