//! The oracle: what each cell must hold, written out from the export's specification
//! (docs/export.md) independently of the code under test.

use anketa::questionnaire::{Answer, Form, QuestionType, Special};
use anketa::store::Response;

/// How the oracle should write cells.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub labels: Option<&'static str>,
    pub missing_empty: bool,
    pub raw_text: bool,
    pub drop_text: bool,
    pub drop_interviewer: bool,
}

impl Style {
    fn missing(&self, code: i64) -> String {
        if self.missing_empty {
            String::new()
        } else {
            code.to_string()
        }
    }

    fn text(&self, s: &str) -> String {
        let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
        if risky && !self.raw_text {
            format!("'{s}")
        } else {
            s.to_owned()
        }
    }

    fn lang(&self) -> &str {
        self.labels.unwrap_or("bg")
    }
}

/// The reserved code of a question's state, or `None` when it holds an answer.
pub fn state_code(r: &Response, id: &str, asked: bool) -> Option<i64> {
    if !asked {
        return Some(-3);
    }
    match r.answers.get(id) {
        None => Some(-9),
        Some(Answer::Special(Special::DontKnow)) => Some(-1),
        Some(Answer::Special(Special::Refused)) => Some(-2),
        Some(a) if a.is_empty() => Some(-9),
        Some(_) => None,
    }
}

pub fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The wide header, written out from the specification.
pub fn expected_header(form: &Form, style: Style) -> Vec<String> {
    let mut h: Vec<String> = [
        "response_id",
        "questionnaire_version",
        "status",
        "outcome",
        "municipality",
        "municipality_name",
        "oblast",
        "interviewer",
        "language",
        "started_at",
        "completed_at",
        "duration_s",
        "remarks",
    ]
    .iter()
    .filter(|c| !(style.drop_interviewer && **c == "interviewer"))
    .filter(|c| !(style.drop_text && **c == "remarks"))
    .map(|s| (*s).to_owned())
    .collect();
    for q in form.questions() {
        let has_other = !style.drop_text && form.choices(q).iter().any(|c| c.other);
        match q.kind {
            QuestionType::Note => continue,
            QuestionType::Text if style.drop_text => continue,
            QuestionType::Multiple => {
                for c in form.choices(q) {
                    h.push(format!("{}__{}", q.id, c.code));
                }
            }
            _ => h.push(q.id.clone()),
        }
        if has_other {
            h.push(format!("{}__other_text", q.id));
        }
    }
    h
}

/// One wide row, written out from the specification.
pub fn expected_row(form: &Form, r: &Response, style: Style) -> Vec<String> {
    let lang = style.lang();
    let place = anketa::municipality::bundled()
        .get(&r.municipality)
        .unwrap();
    let mut row = vec![
        r.id.to_string(),
        r.questionnaire_version.clone(),
        r.status.as_str().to_owned(),
        r.effective_outcome()
            .map(|o| o.code().to_owned())
            .unwrap_or_default(),
        r.municipality.clone(),
        place.name(lang).to_owned(),
        place.oblast(lang).to_owned(),
    ];
    if !style.drop_interviewer {
        row.push(style.text(&r.interviewer));
    }
    row.push(r.language.clone());
    row.push(r.started_at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    row.push(
        r.completed_at
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
    );
    row.push(r.duration_s().map(|d| d.to_string()).unwrap_or_default());
    if !style.drop_text {
        let remarks: Vec<String> = form
            .questions()
            .iter()
            .filter_map(|q| r.remarks.get(&q.id).map(|t| format!("{}: {t}", q.id)))
            .collect();
        row.push(style.text(&remarks.join(" | ")));
    }
    let asked = form.relevance(&r.answers);
    for (pos, q) in form.questions().iter().enumerate() {
        if q.kind == QuestionType::Note || (style.drop_text && q.kind == QuestionType::Text) {
            continue;
        }
        let state = state_code(r, &q.id, asked[pos]);
        let answer = r.answers.get(&q.id);
        match (q.kind, state, answer) {
            (QuestionType::Multiple, Some(code), _) => {
                row.extend(form.choices(q).iter().map(|_| style.missing(code)))
            }
            (QuestionType::Multiple, None, Some(Answer::Codes(chosen))) => {
                let source = q.choices_from.as_deref().and_then(|s| {
                    let shown = asked[form.position(s).unwrap()];
                    match r.answers.get(s) {
                        Some(Answer::Codes(c)) if shown => Some(c.clone()),
                        _ => None,
                    }
                });
                for c in form.choices(q) {
                    row.push(if chosen.contains(&c.code) {
                        "1".into()
                    } else if source.as_ref().is_none_or(|s| s.contains(&c.code)) {
                        "0".into()
                    } else {
                        style.missing(-3)
                    });
                }
            }
            (_, Some(code), _) => row.push(style.missing(code)),
            (_, None, Some(Answer::Number(n))) => row.push(number(*n)),
            (QuestionType::Single, None, Some(Answer::Text(code))) => {
                row.push(match style.labels {
                    Some(l) => {
                        let c = form.choices(q).iter().find(|c| &c.code == code).unwrap();
                        style.text(c.label.get(l))
                    }
                    None => code.clone(),
                })
            }
            (QuestionType::Municipality, None, Some(Answer::Text(code))) => {
                row.push(match style.labels {
                    Some(l) => anketa::municipality::bundled()
                        .get(code)
                        .unwrap()
                        .name(l)
                        .to_owned(),
                    None => code.clone(),
                })
            }
            (_, None, Some(Answer::Text(t))) => row.push(style.text(t)),
            other => panic!("unexpected case {other:?}"),
        }
        if !style.drop_text && form.choices(q).iter().any(|c| c.other) {
            let chose_other = match answer {
                Some(Answer::Text(c)) => c == "other",
                Some(Answer::Codes(c)) => c.iter().any(|c| c == "other"),
                _ => false,
            };
            row.push(match state {
                Some(code) => style.missing(code),
                None if chose_other => style.text(r.other_text.get(&q.id).map_or("", |s| s)),
                None => String::new(),
            });
        }
    }
    row
}
