//! The codebook: one row per column of the wide export, saying what it holds.
//!
//! Columns: `variable, question, label_<lang>…, type, values_<lang>…, range, missing_codes,
//! relevant, questionnaire_version, data_sha256`, with one `label_` and one `values_` column per
//! language of the questionnaire. `data_sha256` is the SHA-256 of the data file written with
//! the codebook (empty when there is none), so a codebook and a data file that do not belong
//! together can be told apart. Values are written `code=label; code=label`, so that a reader can turn them
//! into SPSS value labels or R factor levels without guessing.

use std::io::Write;

use super::cell::{CellWriter, Missing};
use super::columns::{Paradata, Shape, WidePlan, option_column, other_text_column};
use super::{ExportError, MissingStyle};
use crate::questionnaire::{Form, Question, QuestionType};

/// One codebook row before it is written.
#[derive(Clone)]
struct Entry {
    variable: String,
    question: String,
    labels: Vec<String>,
    kind: &'static str,
    values: Vec<String>,
    range: String,
    missing: String,
    relevant: String,
}

pub(super) fn write<W: Write>(
    form: &Form,
    plan: &WidePlan,
    mut cells: CellWriter<W>,
    missing_style: MissingStyle,
    data_sha256: &str,
) -> Result<usize, ExportError> {
    let langs = form.languages();
    cells.text("variable")?;
    cells.text("question")?;
    for lang in langs {
        cells.text(&format!("label_{lang}"))?;
    }
    cells.text("type")?;
    for lang in langs {
        cells.text(&format!("values_{lang}"))?;
    }
    for name in [
        "range",
        "missing_codes",
        "relevant",
        "questionnaire_version",
        "data_sha256",
    ] {
        cells.text(name)?;
    }
    cells.end_row()?;
    let mut entries: Vec<Entry> = plan.paradata.iter().map(|p| paradata(*p, langs)).collect();
    for columns in &plan.questions {
        let question = &form.questions()[columns.position];
        entries.extend(question_entries(
            form,
            columns.position,
            question,
            columns.shape,
        ));
    }
    for entry in &entries {
        let stamp = Stamp {
            version: form.version(),
            data_sha256,
        };
        write_entry(&mut cells, entry, &stamp, missing_style)?;
    }
    cells.finish()?;
    Ok(entries.len())
}

/// What every row of a codebook repeats: the questionnaire's version and the data's hash.
struct Stamp<'a> {
    version: &'a str,
    data_sha256: &'a str,
}

fn write_entry<W: Write>(
    cells: &mut CellWriter<W>,
    entry: &Entry,
    stamp: &Stamp<'_>,
    missing_style: MissingStyle,
) -> csv::Result<()> {
    cells.text(&entry.variable)?;
    cells.text(&entry.question)?;
    for label in &entry.labels {
        cells.text(label)?;
    }
    cells.text(entry.kind)?;
    for values in &entry.values {
        cells.text(values)?;
    }
    cells.text(&entry.range)?;
    match missing_style {
        MissingStyle::Codes => cells.text(&entry.missing)?,
        MissingStyle::Empty if entry.missing.is_empty() => cells.empty()?,
        MissingStyle::Empty => cells.text("empty cell")?,
    }
    cells.text(&entry.relevant)?;
    cells.text(stamp.version)?;
    cells.text(stamp.data_sha256)?;
    cells.end_row()
}

fn paradata(column: Paradata, langs: &[String]) -> Entry {
    let (bg, en) = column.description();
    Entry {
        variable: column.name().to_owned(),
        question: String::new(),
        labels: langs
            .iter()
            .map(|l| if l == "bg" { bg } else { en }.to_owned())
            .collect(),
        kind: "paradata",
        values: langs
            .iter()
            .map(|l| match column {
                Paradata::Outcome => outcome_values(l),
                _ => String::new(),
            })
            .collect(),
        range: String::new(),
        missing: String::new(),
        relevant: String::new(),
    }
}

/// Every outcome code with its label in `lang`, `code=label; …` as for a question's options.
fn outcome_values(lang: &str) -> String {
    crate::outcome::Outcome::ALL
        .iter()
        .map(|o| format!("{}={}", o.code(), o.label(lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The entries of one question: one, or one per option plus the "other" text.
fn question_entries(form: &Form, position: usize, question: &Question, shape: Shape) -> Vec<Entry> {
    let langs = form.languages();
    let relevant = relevant_condition(form, position, question);
    let missing = missing_codes(question, !relevant.is_empty());
    let base = Entry {
        variable: question.id.clone(),
        question: question.id.clone(),
        labels: langs
            .iter()
            .map(|l| question.label.get(l).to_owned())
            .collect(),
        kind: question.kind.as_str(),
        values: langs
            .iter()
            .map(|l| value_labels(form, question, l))
            .collect(),
        range: range(question),
        missing,
        relevant,
    };
    let mut entries = Vec::new();
    match shape {
        Shape::Multiple { .. } => {
            for choice in form.choices(question) {
                entries.push(Entry {
                    variable: option_column(question, &choice.code),
                    labels: labels_with(form, question, |l| choice.label.get(l)),
                    kind: "multiple_option",
                    values: langs.iter().map(|l| chosen_labels(l).to_owned()).collect(),
                    ..base.clone()
                });
            }
        }
        Shape::Single { .. } | Shape::Value => entries.push(base.clone()),
    }
    if let Shape::Single { other: true } | Shape::Multiple { other: true } = shape {
        let other_label = |lang: &str| {
            form.choices(question)
                .iter()
                .find(|c| c.other)
                .map_or("", |c| c.label.get(lang))
        };
        entries.push(Entry {
            variable: other_text_column(question),
            labels: labels_with(form, question, other_label),
            kind: "other_text",
            values: vec![String::new(); langs.len()],
            range: String::new(),
            ..base
        });
    }
    entries
}

/// "question — part" in every language.
fn labels_with<'a>(
    form: &'a Form,
    question: &Question,
    part: impl Fn(&str) -> &'a str,
) -> Vec<String> {
    form.languages()
        .iter()
        .map(|l| format!("{} — {}", question.label.get(l), part(l)))
        .collect()
}

fn chosen_labels(lang: &str) -> &'static str {
    if lang == "bg" {
        "1=избрано; 0=не е избрано"
    } else {
        "1=chosen; 0=not chosen"
    }
}

/// `code=label; …` for choices; the end labels of a scale.
fn value_labels(form: &Form, question: &Question, lang: &str) -> String {
    match question.kind {
        QuestionType::Single => form
            .choices(question)
            .iter()
            .map(|c| format!("{}={}", c.code, c.label.get(lang)))
            .collect::<Vec<_>>()
            .join("; "),
        QuestionType::Scale => {
            let mut ends = Vec::new();
            if let (Some(min), Some(label)) = (question.min, &question.min_label) {
                ends.push(format!("{min}={}", label.get(lang)));
            }
            if let (Some(max), Some(label)) = (question.max, &question.max_label) {
                ends.push(format!("{max}={}", label.get(lang)));
            }
            ends.join("; ")
        }
        QuestionType::Municipality => {
            if lang == "bg" {
                "код по ЕКАТТЕ (data/municipalities.csv)".to_owned()
            } else {
                "EKATTE code (data/municipalities.csv)".to_owned()
            }
        }
        QuestionType::Date => "YYYY-MM-DD".to_owned(),
        _ => String::new(),
    }
}

fn range(question: &Question) -> String {
    match (question.min, question.max) {
        (Some(min), Some(max)) => format!("{min}..{max}"),
        (Some(min), None) => format!("{min}.."),
        (None, Some(max)) => format!("..{max}"),
        (None, None) => String::new(),
    }
}

/// The missing codes a column can hold.
fn missing_codes(question: &Question, may_be_skipped: bool) -> String {
    Missing::ALL
        .iter()
        .filter(|m| match m {
            Missing::DontKnow | Missing::Refused => question.allow_special,
            Missing::NotAsked => may_be_skipped || question.choices_from.is_some(),
            // Any stored answer can break its question's rules (a file edited by hand).
            Missing::Invalid => true,
            Missing::NoAnswer => true,
        })
        .map(|m| format!("{}={}", m.code(), m.name()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The question's condition joined with its section's, as the routing applies them.
fn relevant_condition(form: &Form, position: usize, question: &Question) -> String {
    let section = form.section_of(position).relevant.as_deref();
    match (section, question.relevant.as_deref()) {
        (Some(s), Some(q)) => format!("({s}) and ({q})"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => String::new(),
    }
}
