//! `anketa export` through the real binary: the wide and long files read back with the `csv`
//! crate must match the stored responses cell by cell.

mod export_support;

use std::path::Path;

use anketa::questionnaire::{Answer, Form, QuestionType};
use anketa::store::{Response, Status};
use export_support::*;

struct Setup {
    dir: tempfile::TempDir,
    form: Form,
    responses: Vec<Response>,
}

impl Setup {
    fn new(generated: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let form = form();
        let responses = dataset(&form, generated);
        save_all(&dir.path().join("data"), &responses);
        Self {
            dir,
            form,
            responses,
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// The responses an export without `--include-drafts` holds, in file order (by id).
    fn complete(&self) -> Vec<&Response> {
        let mut list: Vec<&Response> = self
            .responses
            .iter()
            .filter(|r| r.status == Status::Complete)
            .collect();
        list.sort_by_key(|r| r.id);
        list
    }

    fn export(&self, name: &str, extra: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
        let out = self.dir.path().join(name);
        let done = export_cmd(&self.data(), &out, extra).assert().success();
        let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
        assert!(!stderr.contains("skipped"), "{stderr}");
        read_csv(&out)
    }
}

fn assert_rows_match(
    form: &Form,
    header: &[String],
    rows: &[Vec<String>],
    want: &[&Response],
    style: Style,
) {
    assert_eq!(header, expected_header(form, style).as_slice());
    assert_eq!(rows.len(), want.len(), "one row per interview");
    for (row, response) in rows.iter().zip(want) {
        let expected = expected_row(form, response, style);
        assert_eq!(row.len(), expected.len());
        for ((got, want), column) in row.iter().zip(&expected).zip(header) {
            assert_eq!(got, want, "response {} column {column}", response.id);
        }
    }
}

/// The cell of `column` in the row of `response`.
fn cell<'a>(
    header: &[String],
    rows: &'a [Vec<String>],
    response: &Response,
    column: &str,
) -> &'a str {
    let c = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let id = response.id.to_string();
    let row = rows
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row for {id}"));
    &row[c]
}

#[test]
fn wide_export_matches_every_response_cell_by_cell() {
    let setup = Setup::new(80);
    let (header, rows) = setup.export("wide.csv", &[]);
    assert_rows_match(
        &setup.form,
        &header,
        &rows,
        &setup.complete(),
        Style::default(),
    );
}

#[test]
fn wide_export_holds_the_documented_values() {
    let setup = Setup::new(0);
    let (h, rows) = setup.export("wide.csv", &[]);
    let cases = handmade(&setup.form);
    let at = |case: &str, column: &str| cell(&h, &rows, &cases[case], column).to_owned();
    // A full interview: numbers, dates, choices, Cyrillic with commas, quotes and newlines.
    assert_eq!(at("full", "municipality_name"), "Столична");
    assert_eq!(at("full", "oblast"), "София (столица)");
    assert_eq!(at("full", "interviewer"), "Иван Петров");
    assert_eq!(at("full", "duration_s"), "754");
    assert_eq!(at("full", "age"), "34");
    assert_eq!(at("full", "height"), "1.75");
    assert_eq!(at("full", "trust"), "7");
    assert_eq!(at("full", "agree"), "2");
    assert_eq!(at("full", "visited"), "2026-03-01");
    assert_eq!(at("full", "home"), "PDV22");
    assert_eq!(at("full", "reasons__time"), "1");
    assert_eq!(at("full", "reasons__money"), "0");
    assert_eq!(at("full", "reasons__other"), "1");
    assert_eq!(
        at("full", "reasons__other_text"),
        "Нямам кола, \"далеч\" е\r\nи студено"
    );
    assert_eq!(at("full", "main_reason"), "other");
    assert_eq!(at("full", "main_reason__other_text"), "ignored");
    // Options of `still` come from `reasons`: those never shown are "not asked".
    assert_eq!(at("full", "still__time"), "0");
    assert_eq!(at("full", "still__other"), "1");
    assert_eq!(at("full", "still__money"), "-3");
    assert_eq!(
        at("full", "colour__other_text"),
        "'=HYPERLINK(\"http://x\")"
    );
    assert_eq!(
        at("full", "comment"),
        "Кметът, „казва“ \"добре\"\nно нищо не прави; 100%"
    );
    // Routed away: stored answers to questions that were not asked do not leak out.
    assert_eq!(at("declined", "consent"), "no");
    for column in [
        "age",
        "height",
        "reasons__time",
        "reasons__other_text",
        "comment",
    ] {
        assert_eq!(at("declined", column), "-3", "{column}");
    }
    assert_eq!(at("minor", "age"), "16");
    assert_eq!(at("minor", "trust"), "-3");
    // Special answers and unanswered questions.
    assert_eq!(at("specials", "age"), "-2");
    assert_eq!(at("specials", "height"), "-1");
    assert_eq!(at("specials", "trust"), "-2");
    assert_eq!(at("specials", "colour"), "-2");
    assert_eq!(at("specials", "colour__other_text"), "-2");
    assert_eq!(at("specials", "comment"), "-1");
    assert_eq!(at("specials", "visited"), "-9");
    assert_eq!(at("specials", "main_reason"), "-3");
    for code in ["time", "money", "trust", "other", "none"] {
        assert_eq!(at("specials", &format!("reasons__{code}")), "-1");
    }
    assert_eq!(at("specials", "reasons__other_text"), "-1");
    // An empty selection is no answer; a stale "other" text of an unchosen option is dropped.
    assert_eq!(at("two_reasons_no_still", "still__money"), "-9");
    assert_eq!(at("two_reasons_no_still", "main_reason"), "trust");
    assert_eq!(at("two_reasons_no_still", "colour__other_text"), "");
    assert_eq!(at("two_reasons_no_still", "trust"), "0");
    // Drafts are left out by default.
    let draft = cases["draft"].id.to_string();
    assert!(rows.iter().all(|r| r[0] != draft));
}

#[test]
fn drafts_and_filters_select_rows() {
    let setup = Setup::new(30);
    let (h, rows) = setup.export("all.csv", &["--include-drafts"]);
    assert_eq!(rows.len(), setup.responses.len());
    let draft = &handmade(&setup.form)["draft"];
    assert_eq!(cell(&h, &rows, draft, "status"), "draft");
    assert_eq!(cell(&h, &rows, draft, "completed_at"), "");
    assert_eq!(cell(&h, &rows, draft, "duration_s"), "");
    let (_, rows) = setup.export("pdv.csv", &["--municipality", "PDV22"]);
    let want: Vec<&Response> = setup
        .complete()
        .into_iter()
        .filter(|r| r.municipality == "PDV22")
        .collect();
    assert!(!want.is_empty());
    let got: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let want: Vec<String> = want.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(got, want);
}

#[test]
fn labels_in_english_replace_codes() {
    let setup = Setup::new(40);
    let style = Style {
        labels: Some("en"),
        ..Style::default()
    };
    let (h, rows) = setup.export("en.csv", &["--values", "labels", "--lang", "en"]);
    assert_rows_match(&setup.form, &h, &rows, &setup.complete(), style);
    let full = &handmade(&setup.form)["full"];
    assert_eq!(cell(&h, &rows, full, "agree"), "Partly");
    assert_eq!(cell(&h, &rows, full, "home"), "Plovdiv");
    assert_eq!(cell(&h, &rows, full, "municipality_name"), "Stolichna");
    assert_eq!(cell(&h, &rows, full, "main_reason"), "Other (specify)");
}

#[test]
fn missing_answers_can_be_empty_cells() {
    let setup = Setup::new(40);
    let style = Style {
        missing_empty: true,
        ..Style::default()
    };
    let (h, rows) = setup.export("empty.csv", &["--missing", "empty"]);
    assert_rows_match(&setup.form, &h, &rows, &setup.complete(), style);
    let specials = &handmade(&setup.form)["specials"];
    assert_eq!(cell(&h, &rows, specials, "age"), "");
    assert_eq!(cell(&h, &rows, specials, "reasons__time"), "");
}

#[test]
fn personal_data_can_be_dropped() {
    let setup = Setup::new(40);
    let out = setup.dir.path().join("anon.csv");
    export_cmd(&setup.data(), &out, &["--drop-text", "--drop-interviewer"])
        .assert()
        .success();
    let (h, rows) = read_csv(&out);
    let style = Style {
        drop_text: true,
        drop_interviewer: true,
        ..Style::default()
    };
    assert_rows_match(&setup.form, &h, &rows, &setup.complete(), style);
    assert!(
        !h.iter()
            .any(|c| c == "interviewer" || c == "comment" || c.ends_with("__other_text"))
    );
    for file in [out.clone(), setup.dir.path().join("anon.codebook.csv")] {
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in [
            "Иван Петров",
            "Нямам кола",
            "Бележка",
            "Boris",
            "HYPERLINK",
            "лилав",
        ] {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
}

/// The long file, written out from the specification.
fn expected_long(form: &Form, responses: &[&Response]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for r in responses {
        let asked = form.relevance(&r.answers);
        let id = r.id.to_string();
        let mut push = |q: &str, option: &str, value: String| {
            rows.push(vec![
                id.clone(),
                r.municipality.clone(),
                q.to_owned(),
                option.to_owned(),
                value,
            ]);
        };
        for (pos, q) in form.questions().iter().enumerate() {
            if q.kind == QuestionType::Note {
                continue;
            }
            if let Some(code) = state_code(r, &q.id, asked[pos]) {
                push(&q.id, "", code.to_string());
                continue;
            }
            let answer = &r.answers[&q.id];
            match answer {
                Answer::Codes(chosen) => {
                    for c in form.choices(q).iter().filter(|c| chosen.contains(&c.code)) {
                        push(&q.id, &c.code, "1".into());
                    }
                }
                Answer::Number(n) => push(&q.id, "", number(*n)),
                Answer::Text(t) => push(&q.id, "", style_text(t)),
                Answer::Special(_) => unreachable!(),
            }
            let chose_other = match answer {
                Answer::Text(c) => c == "other",
                Answer::Codes(c) => c.iter().any(|c| c == "other"),
                _ => false,
            };
            if let Some(text) = r
                .other_text
                .get(&q.id)
                .filter(|t| chose_other && !t.is_empty())
            {
                push(&q.id, "other_text", style_text(text));
            }
        }
    }
    rows
}

fn style_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[test]
fn long_export_matches_every_answer() {
    let setup = Setup::new(60);
    let (header, rows) = setup.export("long.csv", &["--format", "long"]);
    assert_eq!(
        header,
        ["response_id", "municipality", "question", "option", "value"]
    );
    let want = expected_long(&setup.form, &setup.complete());
    assert_eq!(rows.len(), want.len());
    for (i, (got, want)) in rows.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "row {}", i + 2);
    }
    let full = handmade(&setup.form)["full"].id.to_string();
    let other: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == full && r[2] == "reasons")
        .collect();
    assert_eq!(other.len(), 3, "two chosen options and the other text");
    assert_eq!(other[2][4], "Нямам кола, \"далеч\" е\r\nи студено");
}

#[test]
fn the_codebook_describes_every_column() {
    let setup = Setup::new(5);
    let (data_header, _) = setup.export("survey.csv", &[]);
    let (h, rows) = read_csv(&setup.dir.path().join("survey.codebook.csv"));
    assert_eq!(
        h,
        [
            "variable",
            "question",
            "label_bg",
            "label_en",
            "type",
            "values_bg",
            "values_en",
            "range",
            "missing_codes",
            "relevant",
            "questionnaire_version",
            "data_sha256"
        ]
    );
    let variables: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(variables, data_header);
    let row = |v: &str| rows.iter().find(|r| r[0] == v).unwrap();
    assert_eq!(row("agree")[5], "1=Не; 2=Донякъде; 3=Да");
    assert_eq!(row("agree")[6], "1=Disagree; 2=Partly; 3=Agree");
    assert_eq!(
        row("agree")[8],
        "'-1=dont_know; -2=refused; -3=not_asked; -8=invalid; -9=no_answer",
        "a spreadsheet would run `-1=dont_know` as a formula"
    );
    assert_eq!(
        row("consent")[8],
        "'-8=invalid; -9=no_answer",
        "no specials, always asked"
    );
    assert_eq!(row("trust")[6], "0=None; 10=Complete");
    assert_eq!(row("trust")[7], "0..10");
    assert_eq!(row("reasons__money")[2], "Причини — Пари, разходи");
    assert_eq!(row("reasons__money")[4], "multiple_option");
    assert_eq!(row("reasons__other_text")[4], "other_text");
    assert_eq!(row("age")[9], "${consent} = 'yes'");
    assert_eq!(
        row("main_reason")[9],
        "(${consent} = 'yes' and not(${age} < 18)) and (count-selected(${reasons}) >= 2)"
    );
    assert!(rows.iter().all(|r| r[10] == "2"));
    // An explicit path, and none at all.
    let custom = setup.dir.path().join("cb.csv");
    let out = setup.dir.path().join("x.csv");
    export_cmd(&setup.data(), &out, &["--codebook"])
        .arg(&custom)
        .assert()
        .success();
    assert!(custom.is_file() && !setup.dir.path().join("x.codebook.csv").exists());
    let out = setup.dir.path().join("y.csv");
    export_cmd(&setup.data(), &out, &["--no-codebook"])
        .assert()
        .success();
    assert!(!Path::new(&setup.dir.path().join("y.codebook.csv")).exists());
}
