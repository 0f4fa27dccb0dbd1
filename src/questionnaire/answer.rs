//! One stored answer and how it is read, written and checked against its question.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Form;
use super::expr::Value;
use super::model::{Question, QuestionType};
use crate::municipality;

/// The two answers every question accepts unless it says `allow_special: false`, and the mark
/// the loader puts in place of a stored answer that breaks its question's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Special {
    DontKnow,
    Refused,
    /// A stored answer that breaks its question's type, range, length, choice limit or
    /// constraint (see `store::admit`). Never read from nor written to a file: the file keeps
    /// the value as it was, and analyses code it as −8.
    #[serde(skip)]
    Invalid,
}

impl Special {
    /// The name used in files and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DontKnow => "dont_know",
            Self::Refused => "refused",
            Self::Invalid => "invalid",
        }
    }
}

/// A stored answer, as it appears in a response file.
///
/// In JSON: a choice code, text, date or municipality code is a string; a multiple-choice answer
/// is an array of codes; a number is a number; a special answer is `{"special": "dont_know"}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Text(String),
    Number(f64),
    Codes(Vec<String>),
    Special(Special),
}

impl Answer {
    /// The value an expression sees for this answer.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Text(s) if s.is_empty() => Value::Empty,
            Self::Text(s) => Value::Text(s.clone()),
            Self::Number(n) => Value::Number(*n),
            Self::Codes(c) => Value::Set(c.clone()),
            Self::Special(_) => Value::Special,
        }
    }

    /// Whether this is a "don't know" or "refused" answer.
    pub fn special(&self) -> Option<Special> {
        match self {
            Self::Special(s) => Some(*s),
            _ => None,
        }
    }

    /// Whether the answer holds nothing (an empty text or an empty selection).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Text(s) => s.is_empty(),
            Self::Codes(c) => c.is_empty(),
            Self::Number(_) | Self::Special(_) => false,
        }
    }

    /// Checks that the answer has the shape its question calls for.
    ///
    /// This is a check of type, not of validity: a number outside `min`/`max` passes here and
    /// is caught by the interview's validation.
    pub fn check_type(&self, question: &Question, form: &Form) -> Result<(), String> {
        if let Self::Special(s) = self {
            return if *s != Special::Invalid
                && question.allow_special
                && question.kind.is_answerable()
            {
                Ok(())
            } else {
                Err(format!("`{}` does not accept {}", question.id, s.as_str()))
            };
        }
        let want = question.kind.as_str();
        let bad = || {
            Err(format!(
                "`{}` is a {want} question; got {}",
                question.id,
                self.describe()
            ))
        };
        match (question.kind, self) {
            (QuestionType::Note, _) => {
                Err(format!("`{}` is a note and takes no answer", question.id))
            }
            (QuestionType::Single, Self::Text(code)) => check_code(question, form, code),
            (QuestionType::Multiple, Self::Codes(codes)) => {
                for (i, code) in codes.iter().enumerate() {
                    check_code(question, form, code)?;
                    if codes[..i].contains(code) {
                        return Err(format!("`{}` lists code `{code}` twice", question.id));
                    }
                }
                Ok(())
            }
            (QuestionType::Scale | QuestionType::Integer, Self::Number(n)) if n.fract() == 0.0 => {
                Ok(())
            }
            (QuestionType::Decimal, Self::Number(n)) if n.is_finite() => Ok(()),
            (QuestionType::Text, Self::Text(_)) => Ok(()),
            (QuestionType::Date, Self::Text(d)) => parse_date(d)
                .map(|_| ())
                .map_err(|e| format!("`{}`: {e}", question.id)),
            (QuestionType::Municipality, Self::Text(code)) => {
                if municipality::bundled().get(code).is_some() {
                    Ok(())
                } else {
                    Err(format!(
                        "`{}`: unknown municipality code `{code}`",
                        question.id
                    ))
                }
            }
            _ => bad(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Text(s) => format!("the text {s:?}"),
            Self::Number(n) => format!("the number {n}"),
            Self::Codes(_) => "a list of codes".to_owned(),
            Self::Special(s) => s.as_str().to_owned(),
        }
    }
}

fn check_code(question: &Question, form: &Form, code: &str) -> Result<(), String> {
    if form.choices(question).iter().any(|c| c.code == code) {
        Ok(())
    } else {
        Err(format!(
            "`{}`: `{code}` is not one of its choices",
            question.id
        ))
    }
}

/// Parses a `YYYY-MM-DD` date, the only date form anketa stores.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    if text.len() != 10 {
        return Err(format!("{text:?} is not a date in the form YYYY-MM-DD"));
    }
    text.parse::<jiff::civil::Date>()
        .map_err(|_| format!("{text:?} is not a valid date in the form YYYY-MM-DD"))
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(s) => serializer.serialize_str(s),
            // JSON has no NaN or infinity: serde_json would write `null`, which no reader of
            // the file accepts, so refusing is the only way not to write an unreadable file.
            Self::Number(n) if !n.is_finite() => Err(serde::ser::Error::custom(format!(
                "the number {n} cannot be stored"
            ))),
            // Whole numbers are written without ".0" so integer answers look like integers.
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                serializer.serialize_i64(*n as i64)
            }
            Self::Number(n) => serializer.serialize_f64(*n),
            Self::Codes(c) => c.serialize(serializer),
            Self::Special(s) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("special", s)?;
                map.end()
            }
        }
    }
}

// A hand-written visitor rather than `#[serde(untagged)]`: untagged buffers every value and
// reports only "did not match any variant", which is both slower on 100,000 files and a poor
// error message.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Answer;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a string, a number, an array of codes or {\"special\": \"dont_know\"|\"refused\"}",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Answer, E> {
        Ok(Answer::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Answer, E> {
        Ok(Answer::Text(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Answer, E> {
        Ok(Answer::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Answer, E> {
        Ok(Answer::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Answer, E> {
        Ok(Answer::Number(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
        let mut codes = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(code) = seq.next_element::<String>()? {
            codes.push(code);
        }
        Ok(Answer::Codes(codes))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
        let mut special = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "special" {
                return Err(de::Error::unknown_field(&key, &["special"]));
            }
            special = Some(map.next_value::<Special>()?);
        }
        special
            .map(Answer::Special)
            .ok_or_else(|| de::Error::missing_field("special"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_of_every_shape() {
        let cases = [
            (Answer::Text("yes".into()), r#""yes""#),
            (Answer::Number(42.0), "42"),
            (Answer::Number(2.5), "2.5"),
            (Answer::Codes(vec!["a".into(), "b".into()]), r#"["a","b"]"#),
            (
                Answer::Special(Special::DontKnow),
                r#"{"special":"dont_know"}"#,
            ),
            (
                Answer::Special(Special::Refused),
                r#"{"special":"refused"}"#,
            ),
        ];
        for (answer, json) in cases {
            assert_eq!(serde_json::to_string(&answer).unwrap(), json);
            assert_eq!(serde_json::from_str::<Answer>(json).unwrap(), answer);
        }
    }

    #[test]
    fn non_finite_numbers_are_refused_not_written_as_null() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = serde_json::to_string(&Answer::Number(bad)).unwrap_err();
            assert!(err.to_string().contains("cannot be stored"), "{err}");
        }
    }

    #[test]
    fn malformed_answers_are_errors() {
        for bad in [
            r#"{"special":"maybe"}"#,
            r#"{"other":1}"#,
            "{}",
            "[1]",
            "true",
            "null",
        ] {
            assert!(
                serde_json::from_str::<Answer>(bad).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(parse_date("2026-11-28").is_ok());
        for bad in ["2026-2-28", "28.11.2026", "2026-02-30", ""] {
            assert!(parse_date(bad).is_err(), "{bad} accepted");
        }
    }
}
