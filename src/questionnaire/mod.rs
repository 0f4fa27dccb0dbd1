//! Questionnaires: the JSON model, loading with precise errors, validation, and [`Form`], a
//! validated questionnaire with its expressions parsed, ready to route an interview.
//!
//! Routing is computed here, once, for everyone: the interview asks it which question comes
//! next, statistics and export ask it which questions a stored response was asked. Keeping one
//! implementation means a question is "not asked" in the same cases on screen and in the report.

pub mod answer;
mod answer_ref;
pub mod catalog;
pub mod codes;
pub mod expr;
pub mod load;
pub mod model;
mod routing;
pub mod validate;

use std::collections::{BTreeMap, HashMap};

pub use answer::{Answer, Special};
pub use answer_ref::{AnswerRef, CodeList, Span};
pub use load::{LoadError, load_path, load_str};
pub use model::{
    Choice, EndRule, IndexDef, IndexMethod, Label, Question, QuestionType, Questionnaire, Section,
    Warning,
};
pub use routing::AnswerSource;
pub use validate::Issue;

use expr::Expr;

/// A validated questionnaire with its expressions parsed.
///
/// Build one with [`Form::new`] (or [`load_path`]/[`load_str`]); it cannot exist in an invalid
/// state, so code that holds a `Form` never re-checks choice lists or expressions.
#[derive(Debug, Clone)]
pub struct Form {
    questionnaire: Questionnaire,
    questions: Vec<Question>,
    section_of: Vec<usize>,
    by_id: HashMap<String, usize>,
    /// Every distinct `relevant` expression, parsed once; sections and questions point into it.
    conditions: Vec<Expr>,
    section_relevant: Vec<Option<usize>>,
    relevant: Vec<Option<usize>>,
    constraint: Vec<Option<Expr>>,
    /// Each question's `end_if` conditions, parsed, with their outcomes.
    ends: Vec<Vec<(Expr, crate::outcome::Outcome)>>,
    /// Each question's `warnings`, parsed, in the same order (validation has parsed them all).
    warnings: Vec<Vec<Option<Expr>>>,
}

impl Form {
    /// Validates `questionnaire` and prepares it; on failure returns every problem found.
    pub fn new(questionnaire: Questionnaire) -> Result<Self, Vec<Issue>> {
        let issues = validate::validate(&questionnaire);
        if !issues.is_empty() {
            return Err(issues);
        }
        let parse = |src: &Option<String>| src.as_deref().and_then(|s| expr::parse(s).ok());
        // The same condition usually guards many sections (`${consent} = 'yes'`…); sharing one
        // parsed copy lets routing evaluate it once per response instead of once per section.
        let mut sources: Vec<String> = Vec::new();
        let mut intern = |src: &Option<String>| {
            let src = src.as_deref()?;
            Some(sources.iter().position(|s| s == src).unwrap_or_else(|| {
                sources.push(src.to_owned());
                sources.len() - 1
            }))
        };
        let section_relevant = questionnaire
            .sections
            .iter()
            .map(|s| intern(&s.relevant))
            .collect();
        let relevant = questionnaire
            .sections
            .iter()
            .flat_map(|s| &s.questions)
            .map(|q| intern(&q.relevant))
            .collect();
        let conditions = sources
            .iter()
            .map(|s| expr::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                vec![Issue {
                    place: String::new(),
                    message: format!("relevant: {e}"),
                }]
            })?;
        let mut form = Self {
            conditions,
            section_relevant,
            relevant,
            questions: Vec::new(),
            section_of: Vec::new(),
            by_id: HashMap::new(),
            constraint: Vec::new(),
            ends: Vec::new(),
            warnings: Vec::new(),
            questionnaire,
        };
        for (s, section) in form.questionnaire.sections.iter().enumerate() {
            for q in &section.questions {
                form.by_id.insert(q.id.clone(), form.questions.len());
                form.questions.push(q.clone());
                form.section_of.push(s);
                form.constraint.push(parse(&q.constraint));
                let ends = q
                    .end_if
                    .iter()
                    .filter_map(|r| Some((expr::parse(&r.when).ok()?, r.outcome)))
                    .collect();
                form.ends.push(ends);
                let parsed = q.warnings.iter().map(|w| expr::parse(&w.constraint).ok());
                form.warnings.push(parsed.collect());
            }
        }
        Ok(form)
    }

    /// The questionnaire as written.
    pub fn questionnaire(&self) -> &Questionnaire {
        &self.questionnaire
    }

    pub fn id(&self) -> &str {
        &self.questionnaire.id
    }

    pub fn version(&self) -> &str {
        &self.questionnaire.version
    }

    /// Whether responses recorded with `version` are read by this questionnaire.
    pub fn accepts_version(&self, version: &str) -> bool {
        version == self.questionnaire.version
            || self
                .questionnaire
                .previous_versions
                .iter()
                .any(|v| v == version)
    }

    /// The languages of the labels; the first is the default.
    pub fn languages(&self) -> &[String] {
        &self.questionnaire.languages
    }

    pub fn default_language(&self) -> &str {
        self.questionnaire
            .languages
            .first()
            .map_or("bg", String::as_str)
    }

    /// Every question, notes included, in questionnaire order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The position of question `id` in [`Form::questions`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.position(id).map(|i| &self.questions[i])
    }

    /// The section that holds the question at `position`.
    pub fn section_of(&self, position: usize) -> &Section {
        &self.questionnaire.sections[self.section_of[position]]
    }

    /// The options of a single or multiple question (empty for other types).
    pub fn choices(&self, question: &Question) -> &[Choice] {
        question
            .choices
            .as_deref()
            .and_then(|list| self.questionnaire.choice_lists.get(list))
            .map_or(&[], Vec::as_slice)
    }

    /// The indices declared for statistics.
    pub fn indices(&self) -> &[IndexDef] {
        &self.questionnaire.indices
    }

    /// Which questions a respondent with these answers is asked, in question order.
    ///
    /// A question is asked when its section's and its own `relevant` hold. Answers stored for a
    /// question that is not asked are invisible to later expressions, as in XLSForm.
    pub fn relevance(&self, answers: &(impl AnswerSource + ?Sized)) -> Vec<bool> {
        routing::relevance(self, answers)
    }

    /// Whether `answer` satisfies the question's `constraint` (true when there is none or the
    /// answer is empty or special: constraints are checked only on substantive answers).
    pub fn constraint_holds(
        &self,
        position: usize,
        answer: &Answer,
        answers: &BTreeMap<String, Answer>,
        relevant: &[bool],
    ) -> bool {
        routing::constraint_holds(self, position, answer, answers, relevant)
    }

    /// The outcome that `answer` to the question at `position` ends the interview with, by
    /// the question's `end_if` (none for an empty or special answer: "don't know" to the
    /// age question does not screen anyone out).
    pub fn ending(
        &self,
        position: usize,
        answer: &Answer,
        answers: &BTreeMap<String, Answer>,
        relevant: &[bool],
    ) -> Option<crate::outcome::Outcome> {
        let rules = self.ends.get(position)?;
        rules
            .iter()
            .find(|(when, _)| routing::holds_for(self, when, answer, answers, relevant))
            .map(|(_, outcome)| *outcome)
    }

    /// The share of asked questions that must be answered for "complete", if the
    /// questionnaire sets one.
    pub fn complete_min_answered(&self) -> Option<f64> {
        self.questionnaire.complete_min_answered
    }

    /// The share of asked questions that makes a break-off a partial interview, if the
    /// questionnaire sets one.
    pub fn partial_min_answered(&self) -> Option<f64> {
        self.questionnaire.partial_min_answered
    }

    /// The `warnings` of the question at `position` that `answer` fails, in questionnaire
    /// order (none when the answer is empty or special, as for `constraint`).
    pub fn failed_warnings(
        &self,
        position: usize,
        answer: &Answer,
        answers: &BTreeMap<String, Answer>,
        relevant: &[bool],
    ) -> Vec<&Warning> {
        let Some(question) = self.questions.get(position) else {
            return Vec::new();
        };
        let checks = self.warnings.get(position).map_or(&[][..], Vec::as_slice);
        question
            .warnings
            .iter()
            .zip(checks)
            .filter(|(_, check)| {
                check
                    .as_ref()
                    .is_some_and(|c| !routing::holds(self, c, answer, answers, relevant))
            })
            .map(|(warning, _)| warning)
            .collect()
    }
}
