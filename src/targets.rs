//! Sample targets: how many interviews each municipality and each quota cell should get.
//!
//! A targets file `<questionnaire-id>.targets.json` lives next to its questionnaire (and may be
//! placed in `DATA_DIR/questionnaires/` to override the bundled example); `docs/fieldwork.md`
//! describes the format. Quota cells cross *dimensions*, each a question divided into bands by
//! choice codes or numeric ranges (gender × age band). [`Targets::progress`] counts the
//! interviews achieved against them; it is pure, so the command line, the dashboards and the
//! interview's start screen all compute the same numbers.

mod progress;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use progress::{CellProgress, MunicipalityProgress, Progress, cell_of, full_cells};

use crate::questionnaire::{Answer, Form};

/// The targets bundled for the bundled questionnaires (a worked example for the demo study).
pub const BUNDLED: &[(&str, &str)] = &[(
    "civic-participation-bg",
    include_str!("../questionnaires/civic-participation-bg.targets.json"),
)];

/// A targets file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// The questionnaire these targets are for.
    pub questionnaire: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Conditions an interview must meet to count (e.g. consent given, aged 18 or more).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eligible: Vec<Condition>,
    /// Municipality code → number of complete interviews wanted.
    #[serde(default)]
    pub municipalities: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Quota>,
}

/// Quota cells over the whole sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub dimensions: Vec<Dimension>,
    pub cells: Vec<CellTarget>,
}

/// One quota variable: a question divided into bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub question: String,
    pub bands: Vec<Band>,
}

/// A band of a dimension: a set of choice codes, or an inclusive numeric range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A condition on one question: one of `codes`, or a number within `min`..=`max`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// The target of one cell: dimension id → band id, for every dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellTarget {
    pub bands: BTreeMap<String, String>,
    pub target: u32,
}

/// Why a targets file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("cannot read the targets file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: not a valid targets file: {reason}")]
    Parse { origin: String, reason: String },
    #[error("{origin}: {}", .problems.join("; "))]
    Invalid {
        origin: String,
        problems: Vec<String>,
    },
}

/// Whether `answer` falls in the codes or range of a band or condition.
fn matches(codes: &[String], min: Option<f64>, max: Option<f64>, answer: &Answer) -> bool {
    match answer {
        Answer::Text(code) => codes.iter().any(|c| c == code),
        Answer::Number(n) => {
            codes.is_empty() && min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m)
        }
        Answer::Codes(_) | Answer::Special(_) => false,
    }
}

impl Band {
    /// Whether `answer` is in this band.
    pub fn contains(&self, answer: &Answer) -> bool {
        matches(&self.codes, self.min, self.max, answer)
    }
}

impl Condition {
    /// Whether `answer` meets the condition (a missing answer never does).
    pub fn holds(&self, answer: Option<&Answer>) -> bool {
        answer.is_some_and(|a| matches(&self.codes, self.min, self.max, a))
    }
}

impl Targets {
    /// Parses and checks a targets file against its questionnaire; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str, form: &Form) -> Result<Self, TargetsError> {
        let targets: Targets = serde_json::from_str(text).map_err(|e| TargetsError::Parse {
            origin: origin.to_owned(),
            reason: e.to_string(),
        })?;
        let problems = targets.problems(form);
        if problems.is_empty() {
            Ok(targets)
        } else {
            Err(TargetsError::Invalid {
                origin: origin.to_owned(),
                problems,
            })
        }
    }

    /// Every inconsistency with the questionnaire and the municipality list.
    fn problems(&self, form: &Form) -> Vec<String> {
        let mut out = Vec::new();
        if self.questionnaire != form.id() {
            out.push(format!(
                "written for questionnaire `{}`, not `{}`",
                self.questionnaire,
                form.id()
            ));
        }
        for code in self.municipalities.keys() {
            if crate::municipality::bundled().get(code).is_none() {
                out.push(format!("municipalities: unknown code `{code}`"));
            }
        }
        for (i, c) in self.eligible.iter().enumerate() {
            let place = format!("eligible[{i}]");
            check_condition(form, &place, &c.question, &c.codes, c.min, c.max, &mut out);
        }
        if let Some(quota) = &self.quota {
            quota.problems(form, &mut out);
        }
        out
    }
}

impl Quota {
    fn problems(&self, form: &Form, out: &mut Vec<String>) {
        let mut dimension_ids = BTreeSet::new();
        for d in &self.dimensions {
            if !dimension_ids.insert(d.id.as_str()) {
                out.push(format!("quota: dimension `{}` appears twice", d.id));
            }
            if d.bands.is_empty() {
                out.push(format!("quota dimension `{}`: no bands", d.id));
            }
            let mut band_ids = BTreeSet::new();
            for b in &d.bands {
                let place = format!("quota dimension `{}` band `{}`", d.id, b.id);
                if !band_ids.insert(b.id.as_str()) {
                    out.push(format!("{place}: appears twice"));
                }
                check_condition(form, &place, &d.question, &b.codes, b.min, b.max, out);
            }
            check_overlaps(d, out);
        }
        let mut seen = BTreeSet::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let place = format!("quota cells[{i}]");
            if cell.bands.len() != self.dimensions.len() {
                out.push(format!("{place}: must name a band of every dimension"));
            }
            for (dim, band) in &cell.bands {
                match self.dimensions.iter().find(|d| &d.id == dim) {
                    None => out.push(format!("{place}: unknown dimension `{dim}`")),
                    Some(d) if !d.bands.iter().any(|b| &b.id == band) => {
                        out.push(format!("{place}: dimension `{dim}` has no band `{band}`"));
                    }
                    Some(_) => {}
                }
            }
            if !seen.insert(cell.bands.clone()) {
                out.push(format!("{place}: the same cell appears twice"));
            }
        }
    }
}

/// Two bands of one dimension must not both hold for one answer.
fn check_overlaps(d: &Dimension, out: &mut Vec<String>) {
    for (i, a) in d.bands.iter().enumerate() {
        for b in &d.bands[i + 1..] {
            let shared_code = a.codes.iter().any(|c| b.codes.contains(c));
            let ranges = a.codes.is_empty() && b.codes.is_empty();
            let lo = |x: &Band| x.min.unwrap_or(f64::NEG_INFINITY);
            let hi = |x: &Band| x.max.unwrap_or(f64::INFINITY);
            if shared_code || (ranges && lo(a) <= hi(b) && lo(b) <= hi(a)) {
                out.push(format!(
                    "quota dimension `{}`: bands `{}` and `{}` overlap",
                    d.id, a.id, b.id
                ));
            }
        }
    }
}

fn check_condition(
    form: &Form,
    place: &str,
    question: &str,
    codes: &[String],
    min: Option<f64>,
    max: Option<f64>,
    out: &mut Vec<String>,
) {
    let Some(q) = form.question(question) else {
        out.push(format!("{place}: no question `{question}`"));
        return;
    };
    if codes.is_empty() == (min.is_none() && max.is_none()) {
        out.push(format!("{place}: give either `codes` or `min`/`max`"));
        return;
    }
    if codes.is_empty() {
        if !q.kind.is_numeric() {
            out.push(format!("{place}: `{question}` is not numeric; use `codes`"));
        }
        return;
    }
    let choices = form.choices(q);
    for code in codes {
        if !choices.iter().any(|c| &c.code == code) {
            out.push(format!("{place}: `{question}` has no choice `{code}`"));
        }
    }
}

/// Finds the targets for `form`: `explicit` if given, else `<stem>.targets.json` beside a
/// questionnaire loaded from `questionnaire_path`, else `DATA_DIR/questionnaires/<id>.targets.json`,
/// else the bundled example. Returns the targets and where they came from, or `None`.
pub fn find(
    form: &Form,
    explicit: Option<&Path>,
    questionnaire_path: Option<&Path>,
    data_dir: &Path,
) -> Result<Option<(Targets, String)>, TargetsError> {
    let beside = questionnaire_path.map(|p| {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        p.with_file_name(format!("{stem}.targets.json"))
    });
    let local = crate::store::is_safe_id(form.id()).then(|| {
        data_dir
            .join("questionnaires")
            .join(format!("{}.targets.json", form.id()))
    });
    let candidates = [explicit.map(Path::to_owned), beside, local];
    for (i, path) in candidates.into_iter().enumerate() {
        let Some(path) = path else { continue };
        // An explicit file must exist; the others are looked for.
        if i > 0 && !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|source| TargetsError::Read {
            path: path.clone(),
            source,
        })?;
        let origin = path.display().to_string();
        return Ok(Some((Targets::parse(&text, &origin, form)?, origin)));
    }
    let bundled = BUNDLED.iter().find(|(id, _)| *id == form.id());
    bundled
        .map(|(id, text)| {
            let origin = format!("bundled targets for {id}");
            Targets::parse(text, &origin, form).map(|t| (t, origin))
        })
        .transpose()
}
