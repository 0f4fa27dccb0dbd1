//! Sample targets: how many interviews each municipality and each quota cell should get.
//!
//! A targets file `<questionnaire-id>.targets.json` lives next to its questionnaire (and may be
//! placed in `DATA_DIR/questionnaires/` to override the bundled example); `docs/fieldwork.md`
//! describes the format. Quota cells cross *dimensions*, each a question divided into bands by
//! choice codes or numeric ranges (gender × age band). [`Targets::progress`] counts the
//! interviews achieved against them; it is pure, so the command line, the dashboards and the
//! interview's start screen all compute the same numbers.

mod progress;
mod tracker;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use progress::{CellProgress, MunicipalityProgress, Progress, cell_of, full_cells};
pub use tracker::{QuotaTracker, QuotaWarning};

use crate::questionnaire::{AnswerRef, Form};
use crate::store::read::{self, Links};

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
fn matches(codes: &[String], min: Option<f64>, max: Option<f64>, answer: AnswerRef<'_>) -> bool {
    match answer {
        AnswerRef::Text(code) => codes.iter().any(|c| c == code),
        AnswerRef::Number(n) => {
            codes.is_empty() && min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
        }
        AnswerRef::Codes(_) | AnswerRef::Special(_) => false,
    }
}

impl Band {
    /// Whether `answer` is in this band.
    pub fn contains(&self, answer: AnswerRef<'_>) -> bool {
        matches(&self.codes, self.min, self.max, answer)
    }
}

impl Condition {
    /// Whether `answer` meets the condition (a missing answer never does).
    pub fn holds(&self, answer: Option<AnswerRef<'_>>) -> bool {
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
            validate::check_condition(form, &place, &c.question, &c.codes, c.min, c.max, &mut out);
        }
        if let Some(quota) = &self.quota {
            quota.problems(form, &mut out);
        }
        out
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
        let text = read::read_to_string(&path, Links::Follow, read::MAX_DEFINITION_BYTES).map_err(
            |source| TargetsError::Read {
                path: path.clone(),
                source,
            },
        )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Answer;
    use crate::questionnaire::catalog::default_form;

    fn problems(text: &str) -> Vec<String> {
        let form = default_form().unwrap();
        match Targets::parse(text, "t.json", &form) {
            Err(TargetsError::Invalid { problems, .. }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn the_bundled_example_is_valid() {
        let form = default_form().unwrap();
        let (targets, origin) = find(&form, None, None, Path::new("/nonexistent"))
            .unwrap()
            .unwrap();
        assert_eq!(origin, "bundled targets for civic-participation-bg");
        assert_eq!(targets.municipalities.len(), 12);
    }

    #[test]
    fn typos_and_inconsistencies_are_reported() {
        let form = default_form().unwrap();
        let err = Targets::parse(
            r#"{"questionnaire": "x", "municipalitys": {}}"#,
            "t.json",
            &form,
        )
        .unwrap_err();
        assert!(err.to_string().contains("t.json"), "{err}");
        assert!(err.to_string().contains("unknown field"), "{err}");
        let found = problems(
            r#"{"questionnaire": "other",
                "eligible": [{"question": "age"}],
                "quota": {"dimensions": [
                    {"id": "g", "question": "gender", "bands": [{"id": "f", "codes": ["female"], "min": 1}]},
                    {"id": "t", "question": "comment", "bands": [{"id": "x", "min": 1}]},
                    {"id": "g", "question": "nope", "bands": []}],
                  "cells": [{"bands": {"g": "f"}, "target": 1}, {"bands": {"g": "f"}, "target": 2},
                            {"bands": {"g": "m", "t": "x", "z": "q"}, "target": 1}]}}"#,
        );
        let expected = [
            "not `civic-participation-bg`",
            "eligible[0]: give either `codes` or `min`/`max`",
            "band `f`: give either",
            "`comment` is not numeric",
            "dimension `g` appears twice",
            "no question `nope`",
            "dimension `g`: no bands",
            "must name a band of every dimension",
            "the same cell appears twice",
            "dimension `g` has no band `m`",
            "unknown dimension `z`",
        ];
        for e in expected {
            assert!(found.iter().any(|p| p.contains(e)), "{e} not in {found:#?}");
        }
    }

    #[test]
    fn bands_match_codes_or_ranges() {
        let band = Band {
            id: "18-29".into(),
            codes: vec![],
            min: Some(18.0),
            max: Some(29.0),
        };
        assert!(band.contains(Answer::Number(18.0).view()));
        assert!(band.contains(Answer::Number(29.0).view()));
        assert!(!band.contains(Answer::Number(30.0).view()));
        assert!(!band.contains(Answer::Text("18".into()).view()));
        let female = Band {
            id: "f".into(),
            codes: vec!["female".into()],
            min: None,
            max: None,
        };
        assert!(female.contains(Answer::Text("female".into()).view()));
        assert!(!female.contains(Answer::Special(crate::questionnaire::Special::Refused).view()));
    }
}
