//! Skip logic: evaluating `relevant` and `constraint` over a set of answers.

use std::collections::BTreeMap;

use super::expr::{Env, Expr, Value};
use super::{Answer, AnswerRef, Form};

/// Where skip logic reads a response's answers: a map of parsed answers, or a row of a
/// [`crate::store::ResponseTable`].
pub trait AnswerSource {
    /// The answer stored for the question at `position` of `form`'s questions, if any.
    fn answer_at<'s>(&'s self, form: &Form, position: usize) -> Option<AnswerRef<'s>>;
}

impl AnswerSource for BTreeMap<String, Answer> {
    fn answer_at<'s>(&'s self, form: &Form, position: usize) -> Option<AnswerRef<'s>> {
        let question = form.questions().get(position)?;
        self.get(&question.id).map(Answer::view)
    }
}

/// What an expression sees: the answers of questions already found relevant.
struct AnswersEnv<'a, A: ?Sized> {
    form: &'a Form,
    answers: &'a A,
    relevant: &'a [bool],
    current: Value,
}

impl<A: AnswerSource + ?Sized> Env for AnswersEnv<'_, A> {
    fn lookup(&self, id: &str) -> Value {
        let Some(position) = self.form.position(id) else {
            return Value::Empty;
        };
        if !self.relevant.get(position).copied().unwrap_or(false) {
            return Value::Empty;
        }
        self.answers
            .answer_at(self.form, position)
            .map_or(Value::Empty, AnswerRef::to_value)
    }

    fn current(&self) -> Value {
        self.current.clone()
    }
}

pub(super) fn relevance<A: AnswerSource + ?Sized>(form: &Form, answers: &A) -> Vec<bool> {
    let mut relevant = Vec::with_capacity(form.questions.len());
    // A condition refers only to questions before its first use, so once evaluated its value
    // holds for the rest of the questionnaire: evaluate each distinct condition once.
    let mut known: Vec<Option<bool>> = vec![None; form.conditions.len()];
    for position in 0..form.questions.len() {
        let mut holds = |condition: Option<usize>, relevant: &[bool]| match condition {
            None => true,
            Some(c) => *known[c]
                .get_or_insert_with(|| form.conditions[c].eval_bool(&env(form, answers, relevant))),
        };
        let ok = holds(form.section_relevant[form.section_of[position]], &relevant)
            && holds(form.relevant[position], &relevant);
        relevant.push(ok);
    }
    relevant
}

pub(super) fn constraint_holds(
    form: &Form,
    position: usize,
    answer: &Answer,
    answers: &BTreeMap<String, Answer>,
    relevant: &[bool],
) -> bool {
    let Some(expr) = form.constraint.get(position).and_then(Option::as_ref) else {
        return true;
    };
    holds(form, expr, answer, answers, relevant)
}

/// Whether a `constraint`-like check holds for `answer` (`.`): always for an empty or special
/// answer, which constraints and warnings leave alone.
pub(super) fn holds(
    form: &Form,
    check: &Expr,
    answer: &Answer,
    answers: &BTreeMap<String, Answer>,
    relevant: &[bool],
) -> bool {
    if answer.is_empty() || answer.special().is_some() {
        return true;
    }
    let mut env = env(form, answers, relevant);
    env.current = answer.to_value();
    check.eval_bool(&env)
}

fn env<'a, A: AnswerSource + ?Sized>(
    form: &'a Form,
    answers: &'a A,
    relevant: &'a [bool],
) -> AnswersEnv<'a, A> {
    AnswersEnv {
        form,
        answers,
        relevant,
        current: Value::Empty,
    }
}

#[cfg(test)]
#[path = "bundled_routing_tests.rs"]
mod bundled_routing_tests;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::questionnaire::{Answer, Special, catalog};

    fn answers(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn asked(form: &crate::questionnaire::Form, a: &BTreeMap<String, Answer>, id: &str) -> bool {
        form.relevance(a)[form.position(id).unwrap()]
    }

    #[test]
    fn refusing_consent_skips_everything_after_it() {
        let form = catalog::default_form().unwrap();
        let a = answers(&[("consent", Answer::Text("no".into()))]);
        let relevant = form.relevance(&a);
        let consent = form.position("consent").unwrap();
        assert!(relevant[..=consent].iter().all(|&r| r));
        assert!(relevant[consent + 1..].iter().all(|&r| !r));
    }

    #[test]
    fn a_shared_section_condition_gives_the_same_answer_everywhere() {
        let form = catalog::default_form().unwrap();
        let adult = answers(&[
            ("consent", Answer::Text("yes".into())),
            ("age", Answer::Number(40.0)),
        ]);
        for id in ["gender", "trust_mayor", "comment"] {
            assert!(asked(&form, &adult, id), "{id}");
        }
        let minor = answers(&[
            ("consent", Answer::Text("yes".into())),
            ("age", Answer::Number(16.0)),
        ]);
        for id in ["gender", "trust_mayor", "comment"] {
            assert!(!asked(&form, &minor, id), "{id}");
        }
        // A refused age is not "under 18": comparisons with special answers are false.
        let refused = answers(&[
            ("consent", Answer::Text("yes".into())),
            ("age", Answer::Special(Special::Refused)),
        ]);
        assert!(asked(&form, &refused, "gender"));
    }

    #[test]
    fn an_answer_to_a_skipped_question_is_invisible_downstream() {
        let form = catalog::default_form().unwrap();
        // Barriers are asked only of people who took part in nothing; main_barrier only when two
        // or more barriers were chosen. A stale barriers answer from before p_contact became
        // "yes" must not make main_barrier relevant.
        let mut a = answers(&[
            ("consent", Answer::Text("yes".into())),
            ("age", Answer::Number(40.0)),
            (
                "barriers",
                Answer::Codes(vec!["no_time".into(), "fear".into()]),
            ),
        ]);
        for id in super::bundled_routing_tests::PARTICIPATION {
            a.insert(id.into(), Answer::Text("no".into()));
        }
        assert!(asked(&form, &a, "main_barrier"));
        a.insert("p_contact".into(), Answer::Text("yes".into()));
        assert!(!asked(&form, &a, "barriers"));
        assert!(!asked(&form, &a, "main_barrier"));
    }
}
