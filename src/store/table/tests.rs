use super::*;
use crate::questionnaire::{Answer, catalog};
use crate::simulate::{Nonresponse, Options, Simulation};

fn sample(n: usize) -> (Form, Vec<Response>) {
    let form = catalog::default_form().unwrap();
    // Every kind of case: interviews, partials, drafts and closed cases without an interview.
    let options = Options {
        responses: n,
        nonresponse: Nonresponse::TYPICAL,
        ..Options::default()
    };
    let simulation = Simulation::new(&form, &options).unwrap();
    let responses = (0..n)
        .map(|i| {
            let mut r = simulation.response(i);
            // Remarks, which the simulation does not write, on some interviews.
            if i % 3 == 0 {
                r.remarks.insert("age".into(), format!("бележка {i}"));
                r.remarks.insert("consent".into(), "колебае се".into());
            }
            r
        })
        .collect();
    (form, responses)
}

/// Every field of `row` reads as `response` holds it.
fn assert_same(form: &Form, row: Row<'_>, response: &Response) {
    assert_eq!(row.id(), response.id);
    assert_eq!(row.status(), response.status);
    assert_eq!(row.outcome(), response.effective_outcome());
    assert_eq!(row.final_outcome(), response.final_outcome());
    assert_eq!(row.municipality(), response.municipality);
    assert_eq!(row.interviewer(), response.interviewer);
    assert_eq!(row.language(), response.language);
    assert_eq!(row.questionnaire_version(), response.questionnaire_version);
    assert_eq!(row.started_at(), response.started_at);
    assert_eq!(row.updated_at(), response.updated_at);
    assert_eq!(row.completed_at(), response.completed_at);
    assert_eq!(row.duration_s(), response.duration_s());
    let remarks: Vec<(usize, &str)> = form
        .questions()
        .iter()
        .enumerate()
        .filter_map(|(p, q)| response.remarks.get(&q.id).map(|t| (p, t.as_str())))
        .collect();
    assert_eq!(row.remarks().collect::<Vec<_>>(), remarks);
    for (position, question) in form.questions().iter().enumerate() {
        let stored = response.answers.get(&question.id).map(Answer::view);
        assert_eq!(row.answer(position), stored, "{}", question.id);
        let other = response.other_text.get(&question.id).map(String::as_str);
        assert_eq!(row.other_text(position), other, "{}", question.id);
    }
    let asked = form.relevance(&response.answers);
    assert_eq!(form.relevance(&row), asked);
    let stored: Vec<bool> = (0..asked.len()).map(|p| row.asked(p)).collect();
    assert_eq!(stored, asked);
    assert!(!row.asked(asked.len() + 64));
}

#[test]
fn a_table_reads_back_every_field_and_answer() {
    let (form, responses) = sample(300);
    let table = ResponseTable::from_responses(&form, &responses).unwrap();
    assert_eq!(table.len(), responses.len());
    for (row, response) in table.rows().zip(&responses) {
        assert_same(&form, row, response);
    }
    assert!(
        responses.iter().any(|r| !r.other_text.is_empty()),
        "the sample exercises other texts"
    );
}

#[test]
fn rows_copied_between_tables_are_unchanged_and_found_by_id() {
    let (form, responses) = sample(120);
    let parts: Vec<ResponseTable> = responses
        .chunks(50)
        .map(|chunk| ResponseTable::from_responses(&form, chunk).unwrap())
        .collect();
    let mut rows: Vec<Row<'_>> = parts.iter().flat_map(ResponseTable::rows).collect();
    rows.sort_by_key(Row::id);
    let mut merged = ResponseTable::new(&form);
    for row in rows {
        merged.push_row(row).unwrap();
    }
    let mut sorted = responses.clone();
    sorted.sort_by_key(|r| r.id);
    assert_eq!(merged.len(), sorted.len());
    for (i, (row, response)) in merged.rows().zip(&sorted).enumerate() {
        assert_same(&form, row, response);
        assert_eq!(merged.find(response.id), Some(i));
    }
    assert_eq!(merged.find(uuid::Uuid::nil()), None);
}

#[test]
fn appended_tables_read_as_one() {
    let (form, responses) = sample(150);
    let mut table = ResponseTable::from_responses(&form, &responses[..40]).unwrap();
    for chunk in responses[40..].chunks(33) {
        let part = ResponseTable::from_responses(&form, chunk).unwrap();
        table.append(&part).unwrap();
    }
    assert_eq!(table.len(), responses.len());
    for (row, response) in table.rows().zip(&responses) {
        assert_same(&form, row, response);
    }
    assert_eq!(table.clone().check(&form), Ok(()));
    let mut sorted = responses.clone();
    sorted.sort_by_key(|r| r.id);
    assert!(!table.is_sorted_by_id());
    assert!(
        ResponseTable::from_responses(&form, &sorted)
            .unwrap()
            .is_sorted_by_id()
    );
}

#[test]
fn a_table_built_in_parallel_equals_one_built_in_order() {
    let (form, responses) = sample(5_000);
    let parallel = ResponseTable::from_slice(&form, &responses).unwrap();
    let ordered = ResponseTable::from_responses(&form, &responses).unwrap();
    assert_eq!(parallel.len(), responses.len());
    for (a, b) in parallel.rows().zip(ordered.rows()) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.interviewer(), b.interviewer());
        for p in 0..form.questions().len() {
            assert_eq!((a.answer(p), a.asked(p)), (b.answer(p), b.asked(p)));
        }
    }
}

#[test]
fn answers_to_unknown_questions_and_other_questionnaires_are_left_out() {
    let form = catalog::default_form().unwrap();
    let mut response = Response::new(&form, "Иван", "SOF46", "bg");
    response
        .answers
        .insert("not_a_question".into(), Answer::Number(1.0));
    response.answers.insert("age".into(), Answer::Number(44.0));
    let mut foreign = response.clone();
    foreign.questionnaire = "another".into();
    let table = ResponseTable::from_responses(&form, [&response, &foreign]).unwrap();
    assert_eq!(table.len(), 1);
    let age = form.position("age").unwrap();
    assert_eq!(table.row(0).answer(age), Some(AnswerRef::Number(44.0)));
    let answered = (0..form.questions().len())
        .filter(|&p| table.row(0).answer(p).is_some())
        .count();
    assert_eq!(answered, 1);
}

#[test]
fn a_checked_table_refuses_spans_outside_its_arrays() {
    let (form, responses) = sample(5);
    let table = ResponseTable::from_responses(&form, &responses).unwrap();
    let mut good = table.clone();
    assert_eq!(good.check(&form), Ok(()));

    let mut bad_text = table.clone();
    bad_text.text.truncate(3);
    assert!(bad_text.check(&form).is_err());

    let mut bad_name = table.clone();
    bad_name.heads[2].interviewer = 9_999;
    assert!(bad_name.check(&form).is_err());

    let mut short = table.clone();
    short.cells.pop();
    assert!(short.check(&form).is_err());

    let mut unrouted = table.clone();
    unrouted.asked.pop();
    assert!(unrouted.check(&form).is_err());

    let mut other_form = table;
    other_form.width += 1;
    assert!(other_form.check(&form).is_err());
}

#[test]
fn reading_out_of_range_never_panics() {
    let (form, responses) = sample(2);
    let table = ResponseTable::from_responses(&form, &responses).unwrap();
    let row = table.row(1);
    assert_eq!(row.answer(10_000), None);
    assert_eq!(row.other_text(10_000), None);
}
