//! Achieved against target: per municipality and per quota cell.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Quota, Targets};
use crate::outcome::Outcome;
use crate::questionnaire::{Answer, AnswerRef, Form};
use crate::store::{Response, Row};

/// One municipality's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MunicipalityProgress {
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    /// `None` for a municipality with interviews but no target.
    pub target: Option<u32>,
    /// Eligible interviews, complete or partial (the cases every analysis takes).
    pub achieved: u32,
    /// Interviews still in progress (drafts).
    pub drafts: u32,
    /// Achieved as a percentage of the target (`None` without a positive target).
    pub percent: Option<f64>,
}

/// One quota cell's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellProgress {
    /// Dimension id → band id.
    pub bands: BTreeMap<String, String>,
    /// The band ids in dimension order, joined with " × ", e.g. "female × 18-34".
    pub label: String,
    pub target: u32,
    pub achieved: u32,
    /// Interviews still needed (0 once the cell is full).
    pub remaining: u32,
    pub full: bool,
}

/// Fieldwork progress against the targets: what `anketa progress` prints and the dashboards'
/// fieldwork view shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub questionnaire: String,
    pub municipalities: Vec<MunicipalityProgress>,
    /// Sum of the municipality targets.
    pub total_target: u32,
    /// Eligible interviews, complete or partial, in every municipality.
    pub total_achieved: u32,
    pub total_drafts: u32,
    /// Interviews that do not meet the `eligible` conditions (e.g. no consent).
    pub ineligible: u32,
    /// Closed cases without an interview (refusals, non-contacts, not eligible…): they count
    /// towards the response rates, never towards a target.
    pub non_interviews: u32,
    /// Quota dimension ids, in order (empty without quotas).
    pub dimensions: Vec<String>,
    pub cells: Vec<CellProgress>,
    /// Eligible interviews that fall in no cell (a dimension unanswered or out of every band).
    pub not_in_cell: u32,
}

impl Targets {
    /// A cell's bands in words, in dimension order: choice labels in `lang` for bands of
    /// codes (e.g. "Жена"), the band id for numeric ranges (e.g. "30-44").
    pub fn describe_cell(
        &self,
        form: &Form,
        bands: &BTreeMap<String, String>,
        lang: &str,
    ) -> String {
        let Some(quota) = &self.quota else {
            return String::new();
        };
        let words: Vec<String> = quota
            .dimensions
            .iter()
            .filter_map(|d| {
                let band = d.bands.iter().find(|b| Some(&b.id) == bands.get(&d.id))?;
                let question = form.question(&d.question);
                let labels: Vec<&str> = question
                    .map(|q| form.choices(q))
                    .unwrap_or_default()
                    .iter()
                    .filter(|c| band.codes.contains(&c.code))
                    .map(|c| c.label.get(lang))
                    .collect();
                Some(if labels.is_empty() {
                    band.id.clone()
                } else {
                    labels.join("/")
                })
            })
            .collect();
        words.join(", ")
    }

    /// Counts `responses` against the targets. Drafts count only as work in progress; an
    /// interview (complete or partial, as in every analysis) counts when it meets every
    /// `eligible` condition; other outcomes count apart. Answers to questions the interview
    /// did not ask (skip logic) are ignored, as everywhere else.
    pub fn progress<'r>(
        &self,
        form: &Form,
        responses: impl IntoIterator<Item = &'r Response>,
    ) -> Progress {
        self.count(
            form,
            responses.into_iter().map(|response| Parsed {
                relevant: match response.final_outcome() {
                    Some(outcome) if outcome.is_interview() => form.relevance(&response.answers),
                    _ => Vec::new(),
                },
                response,
            }),
        )
    }

    /// [`Targets::progress`] over rows of a table, whose skip logic is already known.
    pub fn progress_of_rows<'t>(
        &self,
        form: &Form,
        rows: impl IntoIterator<Item = Row<'t>>,
    ) -> Progress {
        self.count(form, rows)
    }

    fn count<'a, C: Counted<'a>>(
        &self,
        form: &Form,
        interviews: impl IntoIterator<Item = C>,
    ) -> Progress {
        let mut achieved: HashMap<&str, u32> = HashMap::new();
        let mut drafts: HashMap<&str, u32> = HashMap::new();
        let mut cell_counts = vec![0u32; self.quota.as_ref().map_or(0, |q| q.cells.len())];
        let (mut ineligible, mut not_in_cell, mut non_interviews) = (0, 0, 0);
        for r in interviews {
            match r.final_outcome() {
                None => {
                    *drafts.entry(r.municipality()).or_default() += 1;
                    continue;
                }
                Some(outcome) if !outcome.is_interview() => {
                    non_interviews += 1;
                    continue;
                }
                Some(_) => {}
            }
            let asked = |question: &str| r.asked(form, question);
            if !self.eligible.iter().all(|c| c.holds(asked(&c.question))) {
                ineligible += 1;
                continue;
            }
            *achieved.entry(r.municipality()).or_default() += 1;
            if let Some(quota) = &self.quota {
                match quota.cell_index(asked) {
                    Some(i) => cell_counts[i] += 1,
                    None => not_in_cell += 1,
                }
            }
        }
        let municipalities = self.municipality_rows(&achieved, &drafts);
        Progress {
            questionnaire: self.questionnaire.clone(),
            total_target: self.municipalities.values().sum(),
            total_achieved: achieved.values().sum(),
            total_drafts: drafts.values().sum(),
            ineligible,
            non_interviews,
            dimensions: self
                .quota
                .iter()
                .flat_map(|q| &q.dimensions)
                .map(|d| d.id.clone())
                .collect(),
            cells: self.cell_rows(&cell_counts),
            not_in_cell,
            municipalities,
        }
    }

    fn municipality_rows(
        &self,
        achieved: &HashMap<&str, u32>,
        drafts: &HashMap<&str, u32>,
    ) -> Vec<MunicipalityProgress> {
        let mut codes: Vec<&str> = self.municipalities.keys().map(String::as_str).collect();
        let extra = achieved.keys().chain(drafts.keys()).copied();
        codes.extend(extra.filter(|c| !self.municipalities.contains_key(*c)));
        codes.sort_unstable();
        codes.dedup();
        let list = crate::municipality::bundled();
        codes
            .into_iter()
            .map(|code| {
                let target = self.municipalities.get(code).copied();
                let got = achieved.get(code).copied().unwrap_or(0);
                let m = list.get(code);
                MunicipalityProgress {
                    code: code.to_owned(),
                    name_bg: m.map(|m| m.name_bg.clone()).unwrap_or_default(),
                    name_en: m.map(|m| m.name_en.clone()).unwrap_or_default(),
                    target,
                    achieved: got,
                    drafts: drafts.get(code).copied().unwrap_or(0),
                    percent: target
                        .filter(|t| *t > 0)
                        .map(|t| f64::from(got) * 100.0 / f64::from(t)),
                }
            })
            .collect()
    }

    fn cell_rows(&self, counts: &[u32]) -> Vec<CellProgress> {
        let Some(quota) = &self.quota else {
            return Vec::new();
        };
        quota
            .cells
            .iter()
            .zip(counts)
            .map(|(cell, &achieved)| CellProgress {
                label: quota
                    .dimensions
                    .iter()
                    .filter_map(|d| cell.bands.get(&d.id).map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" × "),
                bands: cell.bands.clone(),
                target: cell.target,
                achieved,
                remaining: cell.target.saturating_sub(achieved),
                full: achieved >= cell.target,
            })
            .collect()
    }
}

impl Quota {
    /// The index of the cell of a respondent whose asked answer to a question is `asked(id)`.
    fn cell_index<'x>(&self, asked: impl Fn(&str) -> Option<AnswerRef<'x>>) -> Option<usize> {
        let mut key = BTreeMap::new();
        for d in &self.dimensions {
            let answer = asked(&d.question)?;
            let band = d.bands.iter().find(|b| b.contains(answer))?;
            key.insert(d.id.as_str(), band.id.as_str());
        }
        self.cells.iter().position(|c| {
            c.bands.len() == key.len()
                && c.bands
                    .iter()
                    .all(|(d, b)| key.get(d.as_str()) == Some(&b.as_str()))
        })
    }
}

/// One interview as the counts see it.
trait Counted<'a> {
    /// The final outcome; `None` for a draft.
    fn final_outcome(&self) -> Option<Outcome>;
    fn municipality(&self) -> &'a str;
    /// The answer to `question`, if the interview asked it.
    fn asked(&self, form: &Form, question: &str) -> Option<AnswerRef<'_>>;
}

/// A parsed response with its skip logic evaluated (interviews only).
struct Parsed<'a> {
    response: &'a Response,
    relevant: Vec<bool>,
}

impl<'a> Counted<'a> for Parsed<'a> {
    fn final_outcome(&self) -> Option<Outcome> {
        self.response.final_outcome()
    }

    fn municipality(&self) -> &'a str {
        &self.response.municipality
    }

    fn asked(&self, form: &Form, question: &str) -> Option<AnswerRef<'_>> {
        asked_in(form, &self.response.answers, &self.relevant, question)
    }
}

impl<'t> Counted<'t> for Row<'t> {
    fn final_outcome(&self) -> Option<Outcome> {
        Row::final_outcome(self)
    }

    fn municipality(&self) -> &'t str {
        Row::municipality(self)
    }

    fn asked(&self, form: &Form, question: &str) -> Option<AnswerRef<'_>> {
        let position = form.position(question).filter(|&p| Row::asked(self, p))?;
        self.answer(position)
    }
}

/// The answer to `question` among `answers`, if skip logic (`relevant`) asked it.
fn asked_in<'a>(
    form: &Form,
    answers: &'a BTreeMap<String, Answer>,
    relevant: &[bool],
    question: &str,
) -> Option<AnswerRef<'a>> {
    let position = form.position(question)?;
    if !relevant.get(position).copied().unwrap_or(false) {
        return None;
    }
    answers.get(question).map(Answer::view)
}

/// The quota cell a respondent with these answers falls in, once every dimension is answered;
/// the interview calls this as soon as the quota questions are answered.
pub fn cell_of<'p>(
    targets: &Targets,
    form: &Form,
    progress: &'p Progress,
    answers: &BTreeMap<String, Answer>,
) -> Option<&'p CellProgress> {
    let quota = targets.quota.as_ref()?;
    let relevant = form.relevance(answers);
    let asked = |question: &str| asked_in(form, answers, &relevant, question);
    quota.cell_index(asked).and_then(|i| progress.cells.get(i))
}

/// The cells that have reached their target, for the interview start screen's warning.
pub fn full_cells(progress: &Progress) -> Vec<&CellProgress> {
    progress.cells.iter().filter(|c| c.full).collect()
}

impl Progress {
    /// The municipalities with a target, the furthest behind first (largest number of
    /// interviews still needed, then lowest share achieved), for the dashboards' fieldwork view.
    pub fn by_shortfall(&self) -> Vec<&MunicipalityProgress> {
        let mut rows: Vec<&MunicipalityProgress> = self
            .municipalities
            .iter()
            .filter(|m| m.target.is_some())
            .collect();
        let missing = |m: &MunicipalityProgress| m.target.unwrap_or(0).saturating_sub(m.achieved);
        rows.sort_by(|a, b| {
            missing(b)
                .cmp(&missing(a))
                .then(
                    a.percent
                        .unwrap_or(0.0)
                        .total_cmp(&b.percent.unwrap_or(0.0)),
                )
                .then(a.code.cmp(&b.code))
        });
        rows
    }
}
