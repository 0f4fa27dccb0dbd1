//! The core on its own: order across batches, progress, and the options that change the shape.

use super::*;
use crate::questionnaire::{Answer, Form, catalog};
use crate::store::{Response, ResponseTable, Status};

fn responses(form: &Form, n: usize) -> Vec<Response> {
    (0..n)
        .map(|i| {
            let mut r = Response::new(form, "Анна", "SOF46", "bg");
            r.status = Status::Complete;
            r.answers
                .insert("consent".into(), Answer::Text("yes".into()));
            r.answers
                .insert("age".into(), Answer::Number(18.0 + (i % 70) as f64));
            r
        })
        .collect()
}

fn table(form: &Form, list: &[Response]) -> ResponseTable {
    ResponseTable::from_responses(form, list).unwrap()
}

fn export(form: &Form, list: &[Response], options: &ExportOptions) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let rows = table(form, list);
    write_data(form, rows.rows(), options, &mut out, &mut |n| seen.push(n)).unwrap();
    (out, seen)
}

#[test]
fn rows_keep_the_input_order_across_batches() {
    let form = catalog::default_form().unwrap();
    let list = responses(&form, 2 * PROGRESS_EVERY + 123);
    let (out, seen) = export(&form, &list, &ExportOptions::default());
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    let want: Vec<String> = list.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, want);
    assert_eq!(seen, [PROGRESS_EVERY, 2 * PROGRESS_EVERY, list.len()]);
}

#[test]
fn long_rows_keep_the_input_order_and_count() {
    let form = catalog::default_form().unwrap();
    let list = responses(&form, PROGRESS_EVERY + 7);
    let options = ExportOptions {
        format: Format::Long,
        ..ExportOptions::default()
    };
    let mut out = Vec::new();
    let rows = table(&form, &list);
    let summary = write_data(&form, rows.rows(), &options, &mut out, &mut |_| {}).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), summary.rows);
    let mut last = None;
    let mut order = Vec::new();
    for row in &rows {
        if last.as_deref() != Some(&row[0]) {
            order.push(row[0].to_owned());
            last = Some(row[0].to_owned());
        }
    }
    let want: Vec<String> = list.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(order, want);
}

#[test]
fn nothing_to_export_still_reports_progress_and_a_header() {
    let form = catalog::default_form().unwrap();
    let (out, seen) = export(&form, &[], &ExportOptions::default());
    assert_eq!(seen, [0]);
    assert!(out.starts_with(b"response_id,questionnaire_version,status,"));
    assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1);
}

#[test]
fn an_unknown_language_is_refused() {
    let form = catalog::default_form().unwrap();
    let options = ExportOptions {
        lang: Some("fr".into()),
        ..ExportOptions::default()
    };
    let err = write_data(&form, [], &options, Vec::new(), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("`fr`"), "{err}");
}

#[test]
fn the_codebook_lists_the_wide_columns() {
    let form = catalog::default_form().unwrap();
    for options in [
        ExportOptions::default(),
        ExportOptions {
            drop_text: true,
            drop_interviewer: true,
            ..ExportOptions::default()
        },
    ] {
        let (data, _) = export(&form, &[], &options);
        let header: Vec<String> = csv::Reader::from_reader(data.as_slice())
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let mut book = Vec::new();
        let n = write_codebook(&form, &options, &mut book).unwrap();
        let variables: Vec<String> = csv::Reader::from_reader(book.as_slice())
            .records()
            .map(|r| r.unwrap()[0].to_owned())
            .collect();
        assert_eq!(variables, header);
        assert_eq!(n, header.len());
    }
}

#[test]
fn clashing_column_names_are_refused() {
    let text = catalog::BUNDLED[0].1;
    let mut json: serde_json::Value = serde_json::from_str(text).unwrap();
    let questions = json["sections"][0]["questions"].as_array_mut().unwrap();
    let mut clash = questions[2].clone();
    clash["id"] = "barriers__other".into();
    clash["relevant"] = serde_json::Value::Null;
    questions.push(clash);
    let form = crate::questionnaire::load_str(&json.to_string(), "test").unwrap();
    let err = write_data(
        &form,
        [],
        &ExportOptions::default(),
        Vec::new(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(err, ExportError::DuplicateColumn(ref c) if c == "barriers__other"),
        "{err}"
    );
}

#[test]
fn remarks_go_in_one_wide_column_and_one_long_row_each_unless_text_is_dropped() {
    let form = catalog::default_form().unwrap();
    let mut list = responses(&form, 2);
    list[0].remarks.insert("age".into(), "=не е сигурна".into());
    list[0]
        .remarks
        .insert("consent".into(), "пита за целта".into());
    let (out, _) = export(&form, &list, &ExportOptions::default());
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "remarks").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        &rows[0][column], "consent: пита за целта | age: =не е сигурна",
        "questionnaire order; not a formula, since the cell does not start with ="
    );
    assert_eq!(&rows[1][column], "");

    let long = ExportOptions {
        format: Format::Long,
        ..ExportOptions::default()
    };
    let (out, _) = export(&form, &list, &long);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let remarks: Vec<(String, String)> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[3] == long::REMARK_OPTION)
        .map(|r| (r[2].to_owned(), r[4].to_owned()))
        .collect();
    assert_eq!(
        remarks,
        [
            ("consent".to_owned(), "пита за целта".to_owned()),
            ("age".to_owned(), "'=не е сигурна".to_owned())
        ],
        "a remark starting with = is guarded like any text"
    );

    for format in [Format::Wide, Format::Long] {
        let private = ExportOptions {
            format,
            drop_text: true,
            ..ExportOptions::default()
        };
        let (out, _) = export(&form, &list, &private);
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("пита за целта"), "{format:?}: {text}");
        assert!(!text.contains("remarks"), "{format:?}");
    }
}
