//! Skip logic: evaluating `relevant` and `constraint` over a set of answers.

use std::collections::BTreeMap;

use super::expr::{Env, Value};
use super::{Answer, Form};

/// What an expression sees: the answers of questions already found relevant.
struct AnswersEnv<'a> {
    form: &'a Form,
    answers: &'a BTreeMap<String, Answer>,
    relevant: &'a [bool],
    current: Value,
}

impl Env for AnswersEnv<'_> {
    fn lookup(&self, id: &str) -> Value {
        let asked = self
            .form
            .position(id)
            .is_some_and(|i| self.relevant.get(i).copied().unwrap_or(false));
        match self.answers.get(id) {
            Some(answer) if asked => answer.to_value(),
            _ => Value::Empty,
        }
    }

    fn current(&self) -> Value {
        self.current.clone()
    }
}

pub(super) fn relevance(form: &Form, answers: &BTreeMap<String, Answer>) -> Vec<bool> {
    let mut relevant = Vec::with_capacity(form.questions.len());
    // Section conditions are evaluated once per section, not once per question: most questions
    // inherit their section's condition and this keeps routing cheap over 100,000 responses.
    let mut section_state: Option<(usize, bool)> = None;
    for position in 0..form.questions.len() {
        let section = form.section_of[position];
        let section_ok = match section_state {
            Some((s, ok)) if s == section => ok,
            _ => {
                let ok = form.section_relevant[section]
                    .as_ref()
                    .is_none_or(|e| e.eval_bool(&env(form, answers, &relevant)));
                section_state = Some((section, ok));
                ok
            }
        };
        let ok = section_ok
            && form.relevant[position]
                .as_ref()
                .is_none_or(|e| e.eval_bool(&env(form, answers, &relevant)));
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
    if answer.is_empty() || answer.special().is_some() {
        return true;
    }
    let mut env = env(form, answers, relevant);
    env.current = answer.to_value();
    expr.eval_bool(&env)
}

fn env<'a>(
    form: &'a Form,
    answers: &'a BTreeMap<String, Answer>,
    relevant: &'a [bool],
) -> AnswersEnv<'a> {
    AnswersEnv {
        form,
        answers,
        relevant,
        current: Value::Empty,
    }
}
