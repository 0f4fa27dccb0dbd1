//! Every check a questionnaire must pass before anyone is interviewed with it.
//!
//! Validation collects every problem rather than stopping at the first, so that an author fixes
//! a file in one round. Each [`Issue`] names the place (section, question, choice list or index).

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::expr;
use super::model::{Label, Question, QuestionType, Questionnaire};

/// One problem in a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where: `question `age``, `choice list `agree5``, `index `trust``, or the top level.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Why a question, section or index id was refused.
const BAD_NAME: &str =
    "id must start with a lowercase letter and hold only a-z, 0-9 and `_` (at most 32)";

/// Largest number of points a scale may have; a bigger range is an `integer` question.
const MAX_SCALE_POINTS: f64 = 101.0;

struct Checker<'a> {
    q: &'a Questionnaire,
    issues: Vec<Issue>,
}

impl Checker<'_> {
    fn push(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            place: place.into(),
            message: message.into(),
        });
    }

    fn label(&mut self, place: &str, what: &str, label: &Label) {
        for lang in &self.q.languages {
            if label.0.get(lang).is_none_or(|t| t.trim().is_empty()) {
                self.push(place, format!("{what} has no `{lang}` text"));
            }
        }
        for lang in label.0.keys() {
            if !self.q.languages.contains(lang) {
                self.push(
                    place,
                    format!("{what} has text in `{lang}`, which is not in `languages`"),
                );
            }
        }
    }

    fn opt_label(&mut self, place: &str, what: &str, label: Option<&Label>) {
        if let Some(label) = label {
            self.label(place, what, label);
        }
    }
}

/// Returns every problem in `q`; an empty list means the questionnaire is valid.
pub fn validate(q: &Questionnaire) -> Vec<Issue> {
    let mut c = Checker {
        q,
        issues: Vec::new(),
    };
    check_top(&mut c);
    check_choice_lists(&mut c);
    check_questions(&mut c);
    check_indices(&mut c);
    c.issues
}

/// A question id, choice code or index id: lowercase ASCII, safe in file names and CSV headers.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_top(c: &mut Checker) {
    let q = c.q;
    if !crate::store::is_safe_id(&q.id) {
        c.push(
            "",
            format!("id {:?} must be letters, digits, `-` or `_`", q.id),
        );
    }
    if q.version.trim().is_empty() {
        c.push("", "version is empty");
    }
    for (name, share) in [
        ("complete_min_answered", q.complete_min_answered),
        ("partial_min_answered", q.partial_min_answered),
    ] {
        if let Some(share) = share
            && !(share > 0.0 && share <= 1.0)
        {
            c.push(
                "",
                format!("{name} is {share}: it must be a share above 0 and at most 1"),
            );
        }
    }
    if let (Some(partial), Some(complete)) = (q.partial_min_answered, q.complete_min_answered)
        && partial > complete
    {
        c.push(
            "",
            format!(
                "partial_min_answered ({partial}) is above complete_min_answered ({complete}): \
                 a break-off cannot need more answers than a complete interview"
            ),
        );
    }
    if q.languages.is_empty() {
        c.push("", "languages is empty: list at least one language code");
    }
    let mut seen = HashSet::new();
    for lang in &q.languages {
        if !seen.insert(lang) {
            c.push("", format!("language `{lang}` is listed twice"));
        }
    }
    c.label("", "title", &q.title);
    c.opt_label("", "description", q.description.as_ref());
    if q.sections.is_empty() {
        c.push("", "there are no sections");
    }
    let mut ids = HashSet::new();
    for section in &q.sections {
        let place = format!("section `{}`", section.id);
        if !ids.insert(&section.id) {
            c.push(&place, "section id is used twice");
        }
        if !is_valid_name(&section.id) {
            c.push(&place, BAD_NAME);
        }
        c.label(&place, "title", &section.title);
    }
}

fn check_choice_lists(c: &mut Checker) {
    for (name, choices) in &c.q.choice_lists {
        let place = format!("choice list `{name}`");
        if choices.is_empty() {
            c.push(&place, "has no choices");
        }
        let mut codes = HashSet::new();
        for choice in choices {
            if !is_valid_name(&choice.code) && !choice.code.chars().all(|ch| ch.is_ascii_digit()) {
                c.push(
                    &place,
                    format!(
                        "code {:?} must be lowercase ASCII letters, digits or `_`",
                        choice.code
                    ),
                );
            }
            if !codes.insert(&choice.code) {
                c.push(&place, format!("code `{}` is used twice", choice.code));
            }
            c.label(&place, &format!("choice `{}`", choice.code), &choice.label);
            if choice.value.is_some_and(|v| !v.is_finite()) {
                c.push(
                    &place,
                    format!(
                        "choice `{}` has a value that is not a finite number",
                        choice.code
                    ),
                );
            }
        }
    }
}

fn check_questions(c: &mut Checker) {
    let mut earlier: HashMap<&str, &Question> = HashMap::new();
    for section in &c.q.sections {
        if let Some(src) = &section.relevant {
            check_expr(
                c,
                &format!("section `{}`", section.id),
                "relevant",
                src,
                &earlier,
                false,
            );
        }
        for question in &section.questions {
            let place = format!("question `{}`", question.id);
            if !is_valid_name(&question.id) {
                c.push(&place, BAD_NAME);
            }
            if earlier.contains_key(question.id.as_str()) {
                c.push(&place, "id is used twice");
            }
            check_question(c, &place, question, &earlier);
            if let Some(src) = &question.relevant {
                check_expr(c, &place, "relevant", src, &earlier, false);
            }
            if let Some(src) = &question.constraint {
                check_expr(c, &place, "constraint", src, &earlier, true);
            }
            for rule in &question.end_if {
                check_expr(c, &place, "end_if", &rule.when, &earlier, true);
                if rule.outcome.is_interview() {
                    c.push(
                        &place,
                        format!(
                            "end_if outcome {} is an interview; an answer can only end it as a non-interview (2.x, 3.x, 4.x)",
                            rule.outcome
                        ),
                    );
                }
            }
            for (i, warning) in question.warnings.iter().enumerate() {
                let what = format!("warnings[{i}].constraint");
                check_expr(c, &place, &what, &warning.constraint, &earlier, true);
                c.label(&place, &format!("warnings[{i}].message"), &warning.message);
            }
            earlier.insert(&question.id, question);
        }
    }
}

fn check_question(c: &mut Checker, place: &str, q: &Question, earlier: &HashMap<&str, &Question>) {
    c.label(place, "label", &q.label);
    c.opt_label(place, "read_aloud", q.read_aloud.as_ref());
    c.opt_label(place, "hint", q.hint.as_ref());
    c.opt_label(place, "constraint_message", q.constraint_message.as_ref());
    c.opt_label(place, "min_label", q.min_label.as_ref());
    c.opt_label(place, "max_label", q.max_label.as_ref());
    let is_choice = matches!(q.kind, QuestionType::Single | QuestionType::Multiple);
    let choice_count = match (&q.choices, is_choice) {
        (Some(list), true) => match c.q.choice_lists.get(list) {
            Some(choices) => choices.len(),
            None => {
                c.push(place, format!("choice list `{list}` does not exist"));
                0
            }
        },
        (None, true) => {
            c.push(
                place,
                format!("a {} question needs `choices`", q.kind.as_str()),
            );
            0
        }
        (Some(_), false) => {
            c.push(
                place,
                format!(
                    "`choices` is only for single and multiple questions, not {}",
                    q.kind.as_str()
                ),
            );
            0
        }
        (None, false) => 0,
    };
    if let Some(from) = &q.choices_from {
        match earlier.get(from.as_str()) {
            Some(src) if src.kind == QuestionType::Multiple && src.choices == q.choices => {}
            Some(_) => c.push(
                place,
                format!(
                    "choices_from `{from}` must be a multiple question over the same choice list"
                ),
            ),
            None => c.push(
                place,
                format!("choices_from `{from}` is not an earlier question"),
            ),
        }
    }
    match q.max_choices {
        Some(_) if q.kind != QuestionType::Multiple => {
            c.push(place, "max_choices is only for multiple questions")
        }
        Some(0) => c.push(place, "max_choices must be at least 1"),
        Some(n) if choice_count > 0 && n as usize > choice_count => {
            c.push(
                place,
                format!("max_choices {n} is more than the {choice_count} choices"),
            );
        }
        _ => {}
    }
    check_range(c, place, q);
    if q.max_length.is_some() && q.kind != QuestionType::Text {
        c.push(place, "max_length is only for text questions");
    }
    if q.kind == QuestionType::Note
        && (q.required || q.constraint.is_some() || !q.warnings.is_empty())
    {
        c.push(
            place,
            "a note takes no answer, so it cannot be required, constrained or have warnings",
        );
    }
    if q.constraint_message.is_some() && q.constraint.is_none() {
        c.push(place, "constraint_message without a constraint");
    }
}

fn check_range(c: &mut Checker, place: &str, q: &Question) {
    let numeric = q.kind.is_numeric();
    if !numeric && (q.min.is_some() || q.max.is_some()) {
        c.push(
            place,
            format!(
                "min/max are only for scale, integer and decimal questions, not {}",
                q.kind.as_str()
            ),
        );
        return;
    }
    if let (Some(min), Some(max)) = (q.min, q.max)
        && min > max
    {
        c.push(place, format!("min {min} is greater than max {max}"));
    }
    let integral = matches!(q.kind, QuestionType::Scale | QuestionType::Integer);
    for bound in [q.min, q.max].into_iter().flatten() {
        if !bound.is_finite() || (integral && bound.fract() != 0.0) {
            c.push(
                place,
                format!("bound {bound} must be a whole finite number"),
            );
        }
    }
    if q.kind == QuestionType::Scale {
        match (q.min, q.max) {
            (Some(min), Some(max)) if max - min + 1.0 > MAX_SCALE_POINTS => {
                c.push(
                    place,
                    format!(
                        "a scale has at most {MAX_SCALE_POINTS} points; use an integer question"
                    ),
                );
            }
            (Some(_), Some(_)) => {}
            _ => c.push(place, "a scale needs both min and max"),
        }
        if q.min_label.is_none() || q.max_label.is_none() {
            c.push(place, "a scale needs min_label and max_label");
        }
    } else if q.min_label.is_some() || q.max_label.is_some() {
        c.push(place, "min_label/max_label are only for scale questions");
    }
}

fn check_expr(
    c: &mut Checker,
    place: &str,
    what: &str,
    src: &str,
    earlier: &HashMap<&str, &Question>,
    allow_current: bool,
) {
    let parsed = match expr::parse(src) {
        Ok(e) => e,
        Err(e) => {
            c.push(place, format!("{what} {src:?}: {e}"));
            return;
        }
    };
    if parsed.uses_current() && !allow_current {
        c.push(
            place,
            format!("{what} uses `.`, which only a constraint may use"),
        );
    }
    for id in parsed.references() {
        if !earlier.contains_key(id) {
            let why = if c
                .q
                .sections
                .iter()
                .flat_map(|s| &s.questions)
                .any(|q| q.id == id)
            {
                "which is not before it (an expression may only refer to earlier questions)"
            } else {
                "which does not exist"
            };
            c.push(place, format!("{what} refers to `${{{id}}}`, {why}"));
        }
    }
}

fn check_indices(c: &mut Checker) {
    let questions: HashMap<&str, &Question> =
        c.q.sections
            .iter()
            .flat_map(|s| &s.questions)
            .map(|q| (q.id.as_str(), q))
            .collect();
    let mut ids = HashSet::new();
    for index in &c.q.indices {
        let place = format!("index `{}`", index.id);
        if !ids.insert(&index.id) {
            c.push(&place, "index id is used twice");
        }
        // Index ids become columns beside the questions' in statistics and exports.
        if !is_valid_name(&index.id) {
            c.push(&place, BAD_NAME);
        } else if questions.contains_key(index.id.as_str()) {
            c.push(&place, "index id is also a question id");
        }
        c.label(&place, "label", &index.label);
        if index.items.is_empty() {
            c.push(&place, "has no items");
        }
        let count = index.method == super::IndexMethod::Count;
        if count && index.count_codes.is_empty() {
            c.push(&place, "a count index needs count_codes");
        }
        for item in &index.items {
            let Some(q) = questions.get(item.as_str()) else {
                c.push(&place, format!("item `{item}` is not a question"));
                continue;
            };
            let numeric = q.kind.is_numeric()
                || (q.kind == QuestionType::Single
                    && q.choices
                        .as_ref()
                        .and_then(|l| c.q.choice_lists.get(l))
                        .is_some_and(|cs| cs.iter().all(|ch| ch.value.is_some())));
            if count && q.kind != QuestionType::Single {
                c.push(
                    &place,
                    format!("item `{item}` must be a single question to be counted"),
                );
            } else if !count && !numeric {
                c.push(
                    &place,
                    format!("item `{item}` has no numeric value to average"),
                );
            }
        }
    }
}
