//! A borrowed view of one answer, whether it lives in a parsed [`Answer`] or packed in a table.
//!
//! Statistics and exports read answers from two places: the [`Answer`]s of a response being
//! interviewed or checked, and the packed cells of a [`crate::store::ResponseTable`], which
//! keeps 100,000 interviews in a fraction of the memory. [`AnswerRef`] lets the same code read
//! both without copying a string.

use super::expr::Value;
use super::{Answer, Special};

/// A byte range of a text arena. Spans are checked against their arena when a table is built or
/// read, and read with `str::get`, so a wrong span yields an empty string, never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    /// The text of this span in `arena` ("" when out of bounds or not on a character boundary).
    pub fn of(self, arena: &str) -> &str {
        let start = self.start as usize;
        arena.get(start..start + self.len as usize).unwrap_or("")
    }

    /// Whether the span lies within `arena` on character boundaries.
    pub fn fits(self, arena: &str) -> bool {
        let start = self.start as usize;
        arena.get(start..start + self.len as usize).is_some()
    }
}

/// One answer, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnswerRef<'a> {
    Text(&'a str),
    Number(f64),
    Codes(CodeList<'a>),
    Special(Special),
}

impl<'a> AnswerRef<'a> {
    /// The value an expression sees for this answer (as [`Answer::to_value`]).
    pub fn to_value(self) -> Value {
        match self {
            Self::Text("") => Value::Empty,
            Self::Text(s) => Value::Text(s.to_owned()),
            Self::Number(n) => Value::Number(n),
            Self::Codes(c) => Value::Set(c.iter().map(str::to_owned).collect()),
            Self::Special(_) => Value::Special,
        }
    }

    /// Whether this is a "don't know" or "refused" answer.
    pub fn special(self) -> Option<Special> {
        match self {
            Self::Special(s) => Some(s),
            _ => None,
        }
    }

    /// Whether nothing was given: empty text or no codes.
    pub fn is_empty(self) -> bool {
        match self {
            Self::Text(s) => s.is_empty(),
            Self::Codes(c) => c.is_empty(),
            Self::Number(_) | Self::Special(_) => false,
        }
    }

    /// An owned copy.
    pub fn to_answer(self) -> Answer {
        match self {
            Self::Text(s) => Answer::Text(s.to_owned()),
            Self::Number(n) => Answer::Number(n),
            Self::Codes(c) => Answer::Codes(c.iter().map(str::to_owned).collect()),
            Self::Special(s) => Answer::Special(s),
        }
    }
}

impl Answer {
    /// A borrowed view of this answer.
    pub fn view(&self) -> AnswerRef<'_> {
        match self {
            Self::Text(s) => AnswerRef::Text(s),
            Self::Number(n) => AnswerRef::Number(*n),
            Self::Codes(c) => AnswerRef::Codes(CodeList::strings(c)),
            Self::Special(s) => AnswerRef::Special(*s),
        }
    }
}

/// The codes of a multiple-choice answer, in the order they were chosen.
#[derive(Clone, Copy)]
pub struct CodeList<'a>(Repr<'a>);

#[derive(Clone, Copy)]
enum Repr<'a> {
    Strings(&'a [String]),
    Packed { spans: &'a [Span], arena: &'a str },
}

impl<'a> CodeList<'a> {
    /// Codes held as strings.
    pub fn strings(codes: &'a [String]) -> Self {
        Self(Repr::Strings(codes))
    }

    /// Codes held as spans of a text arena.
    pub fn packed(spans: &'a [Span], arena: &'a str) -> Self {
        Self(Repr::Packed { spans, arena })
    }

    pub fn len(&self) -> usize {
        match self.0 {
            Repr::Strings(codes) => codes.len(),
            Repr::Packed { spans, .. } => spans.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The codes in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (strings, packed): (&'a [String], &'a [Span]) = match self.0 {
            Repr::Strings(codes) => (codes, &[]),
            Repr::Packed { spans, .. } => (&[], spans),
        };
        let arena = match self.0 {
            Repr::Packed { arena, .. } => arena,
            Repr::Strings(_) => "",
        };
        strings
            .iter()
            .map(String::as_str)
            .chain(packed.iter().map(move |span| span.of(arena)))
    }

    /// Whether `code` was chosen.
    pub fn contains(&self, code: &str) -> bool {
        self.iter().any(|c| c == code)
    }
}

impl PartialEq for CodeList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for CodeList<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_and_owned_codes_read_the_same() {
        let owned = vec!["time".to_owned(), "other".to_owned()];
        let arena = "xxtimeother";
        let spans = [Span { start: 2, len: 4 }, Span { start: 6, len: 5 }];
        let packed = CodeList::packed(&spans, arena);
        assert_eq!(packed, CodeList::strings(&owned));
        assert!(packed.contains("other") && !packed.contains("x"));
        assert_eq!(
            AnswerRef::Codes(packed).to_answer(),
            Answer::Codes(owned.clone())
        );
        assert_eq!(
            AnswerRef::Codes(packed).to_value(),
            Answer::Codes(owned).to_value()
        );
    }

    #[test]
    fn a_span_outside_its_arena_reads_as_empty() {
        let arena = "абв";
        assert_eq!(Span { start: 0, len: 2 }.of(arena), "а");
        assert_eq!(
            Span { start: 1, len: 2 }.of(arena),
            "",
            "inside a character"
        );
        assert_eq!(Span { start: 4, len: 9 }.of(arena), "", "past the end");
        assert!(!Span { start: 1, len: 2 }.fits(arena));
    }

    #[test]
    fn every_answer_has_an_equal_view() {
        for answer in [
            Answer::Text("yes".into()),
            Answer::Text(String::new()),
            Answer::Number(2.5),
            Answer::Codes(vec!["a".into()]),
            Answer::Special(Special::Refused),
        ] {
            let view = answer.view();
            assert_eq!(view.to_answer(), answer);
            assert_eq!(view.to_value(), answer.to_value());
            assert_eq!(view.is_empty(), answer.is_empty());
            assert_eq!(view.special(), answer.special());
        }
    }
}
