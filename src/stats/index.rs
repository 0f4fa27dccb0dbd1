//! Composite indices declared by the questionnaire, scored per respondent on 0–100.
//!
//! Each item is first scored 0–1: for a `count` index, 1 when the answer is one of the counted
//! codes; for a `mean` index, the answer's value rescaled from the item's own range. A
//! respondent gets a score when at least half of the items (rounded up) have substantive answers:
//! the mean of the answered items' scores × 100 (for a count index this is the share of answered
//! items with a counted code). Cronbach's alpha uses only respondents who answered every item.

use super::estimate::{AlphaSums, percent, t_interval, wilson};
use super::plan::QuestionPlan;
use super::report::{IndexSummary, TopBox};
use crate::questionnaire::{AnswerRef, Form, IndexDef, IndexMethod};

/// How one index is scored, prepared once.
#[derive(Debug, Clone)]
pub(crate) struct IndexPlan {
    pub def: IndexDef,
    /// Per item: the position of the question and its range (mean indices).
    items: Vec<Item>,
    /// Why the index cannot be scored at all (an unknown item, an item without a range).
    pub broken: Option<String>,
}

#[derive(Debug, Clone)]
struct Item {
    /// Index of the item's question in the question plans.
    plan: usize,
    range: (f64, f64),
    /// Code → value of a valued single question's choices.
    choice_values: Vec<(String, f64)>,
}

impl IndexPlan {
    /// The plan of every index of `form`.
    pub fn for_form(form: &Form, questions: &[QuestionPlan]) -> Vec<Self> {
        form.indices()
            .iter()
            .map(|def| Self::new(form, questions, def))
            .collect()
    }

    fn new(form: &Form, questions: &[QuestionPlan], def: &IndexDef) -> Self {
        let mut items = Vec::new();
        let mut broken = None;
        for id in &def.items {
            let found = questions.iter().position(|p| &p.id == id);
            let plan = found.map(|i| &questions[i]);
            let range = match (def.method, plan, form.question(id)) {
                (IndexMethod::Count, Some(_), _) => Some((0.0, 1.0)),
                (IndexMethod::Mean, Some(plan), Some(q)) => plan.range(q),
                _ => None,
            };
            match (plan, range) {
                (Some(_), Some(range)) => items.push(Item {
                    plan: found.unwrap_or_default(),
                    range,
                    choice_values: form
                        .question(id)
                        .map(|q| {
                            form.choices(q)
                                .iter()
                                .filter_map(|c| Some((c.code.clone(), c.value?)))
                                .collect()
                        })
                        .unwrap_or_default(),
                }),
                (None, _) => {
                    broken.get_or_insert(format!("item `{id}` is not an answerable question"));
                }
                (Some(_), None) => {
                    broken.get_or_insert(format!(
                        "item `{id}` has no numeric range to rescale it to 0–100"
                    ));
                }
            }
        }
        if def.items.is_empty() {
            broken = Some("the index has no items".to_owned());
        }
        Self {
            def: def.clone(),
            items,
            broken,
        }
    }

    /// The 0–1 score of each item for one response (`None` where not substantively answered).
    /// `answers[i]` is the answer to question plan `i` when that question was asked.
    fn item_scores(&self, answers: &[Option<AnswerRef<'_>>], out: &mut Vec<Option<f64>>) {
        out.clear();
        for item in &self.items {
            let answer = answers.get(item.plan).copied().flatten();
            out.push(answer.and_then(|a| self.score(item, a)));
        }
    }

    fn score(&self, item: &Item, answer: AnswerRef<'_>) -> Option<f64> {
        match (self.def.method, answer) {
            (IndexMethod::Count, AnswerRef::Text(code)) if !code.is_empty() => {
                Some(f64::from(u8::from(self.counts(code))))
            }
            (IndexMethod::Count, AnswerRef::Codes(codes)) if !codes.is_empty() => {
                Some(f64::from(u8::from(codes.iter().any(|c| self.counts(c)))))
            }
            (IndexMethod::Count, AnswerRef::Number(x)) => Some(f64::from(u8::from(x > 0.0))),
            (IndexMethod::Mean, answer) => {
                let value = match answer {
                    AnswerRef::Number(x) => Some(x),
                    AnswerRef::Text(code) => {
                        // A valued choice: look its value up through the question's choices.
                        self.choice_value(item, code)
                    }
                    _ => None,
                }?;
                let (lo, hi) = item.range;
                Some(((value - lo) / (hi - lo)).clamp(0.0, 1.0))
            }
            _ => None,
        }
    }

    /// Whether choosing `code` counts towards a count index.
    fn counts(&self, code: &str) -> bool {
        self.def.count_codes.iter().any(|c| c == code)
    }

    fn choice_value(&self, item: &Item, code: &str) -> Option<f64> {
        item.choice_values
            .iter()
            .find(|(c, _)| c == code)
            .map(|&(_, v)| v)
    }
}

/// The running sums of one index over one group of responses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexTally {
    n: u64,
    sum: f64,
    sum_sq: f64,
    counted: u64,
    any: u64,
    alpha: AlphaSums,
}

impl IndexTally {
    pub fn new(plan: &IndexPlan) -> Self {
        Self {
            n: 0,
            sum: 0.0,
            sum_sq: 0.0,
            counted: 0,
            any: 0,
            alpha: AlphaSums::new(plan.items.len()),
        }
    }

    /// Scores one response. `scratch` is a buffer reused across calls.
    /// `answers[i]` is the answer to question plan `i` when that question was asked.
    pub fn add(
        &mut self,
        plan: &IndexPlan,
        answers: &[Option<AnswerRef<'_>>],
        scratch: &mut Vec<Option<f64>>,
    ) {
        if plan.broken.is_some() {
            return;
        }
        plan.item_scores(answers, scratch);
        let k = plan.items.len();
        let answered = scratch.iter().flatten().count();
        if answered == 0 || answered * 2 < k {
            return;
        }
        let score = scratch.iter().flatten().sum::<f64>() / answered as f64 * 100.0;
        self.n += 1;
        self.sum += score;
        self.sum_sq += score * score;
        if plan.def.method == IndexMethod::Count {
            let counted = scratch.iter().flatten().filter(|&&x| x > 0.0).count() as u64;
            self.counted += counted;
            self.any += u64::from(counted > 0);
        }
        if answered == k {
            self.alpha.add(scratch.iter().flatten().copied());
        }
    }

    pub fn merge(&mut self, other: &Self) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.counted += other.counted;
        self.any += other.any;
        self.alpha.merge(&other.alpha);
    }
}

/// The figures of one index from its tally.
pub(crate) fn summary(plan: &IndexPlan, tally: &IndexTally) -> IndexSummary {
    let mut s = IndexSummary {
        n: tally.n,
        alpha_n: tally.alpha.n,
        ..IndexSummary::default()
    };
    if let Some(why) = &plan.broken {
        for figure in ["mean", "alpha"] {
            s.reasons.insert(figure.to_owned(), why.clone());
        }
        return s;
    }
    let n = tally.n as f64;
    if tally.n > 0 {
        let mean = tally.sum / n;
        s.mean = Some(mean);
        if tally.n >= 2 {
            let var = ((tally.sum_sq - tally.sum * tally.sum / n) / (n - 1.0)).max(0.0);
            let sd = var.sqrt();
            s.sd = Some(sd);
            s.ci95 = t_interval(mean, sd, tally.n);
        } else {
            s.reasons.insert(
                "ci95".to_owned(),
                "only one respondent has a score".to_owned(),
            );
        }
    } else {
        s.reasons.insert(
            "mean".to_owned(),
            "no respondent answered at least half of the items".to_owned(),
        );
    }
    if plan.def.method == IndexMethod::Count && tally.n > 0 {
        s.mean_count = Some(tally.counted as f64 / n);
        s.share_any = Some(TopBox {
            from: 1.0,
            count: tally.any,
            percent: percent(tally.any, tally.n),
            ci95: wilson(tally.any, tally.n),
        });
    }
    match tally.alpha.alpha() {
        Ok(alpha) => s.alpha = Some(alpha),
        Err(why) => {
            s.reasons.insert("alpha".to_owned(), why);
        }
    }
    s
}
