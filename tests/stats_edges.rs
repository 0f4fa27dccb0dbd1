//! Edge cases: every figure that cannot be computed is `None` with a reason, never NaN or a
//! panic.

#[path = "fixtures/stats/finite.rs"]
mod finite;

use anketa::questionnaire::{Answer, Form, Special, load_path};
use anketa::stats::{StatsReport, compute};
use anketa::store::{Response, ResponseFilter, ResponseTable, Status};

fn form() -> Form {
    load_path("tests/fixtures/stats/mini.json".as_ref()).expect("fixture questionnaire")
}

fn response(form: &Form, municipality: &str, answers: &[(&str, Answer)]) -> Response {
    let mut r = Response::new(form, "tester", municipality, "en");
    for (id, a) in answers {
        r.answers.insert((*id).to_owned(), a.clone());
    }
    r.status = Status::Complete;
    r.completed_at = Some(r.updated_at);
    r
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

fn run(form: &Form, responses: &[Response]) -> StatsReport {
    let table = ResponseTable::from_responses(form, responses).unwrap();
    let r = compute(form, &table, &ResponseFilter::default());
    assert!(finite::all_finite(&r));
    // The JSON reads back into the same report, so other tools can use the types too.
    let json = serde_json::to_string(&r).expect("serialisable");
    let back: StatsReport = serde_json::from_str(&json).expect("deserialisable");
    assert_eq!(back, r);
    r
}

#[test]
fn no_responses() {
    let form = form();
    let r = run(&form, &[]);
    assert_eq!(r.responses, 0);
    assert_eq!(r.questions.len(), 10);
    for q in &r.questions {
        assert_eq!(q.overall.asked + q.overall.not_asked, 0);
        assert!(q.overall.reasons.contains_key("n"), "{}", q.id);
        assert!(q.overall.mean.is_none() && q.by_municipality.is_empty());
        assert!(q.chi_square.is_none() && q.chi_square_reason.is_some());
    }
    for i in &r.indices {
        assert_eq!(i.overall.n, 0);
        assert!(i.overall.mean.is_none() && i.overall.reasons.contains_key("mean"));
        assert!(i.overall.alpha.is_none() && i.overall.reasons.contains_key("alpha"));
    }
}

#[test]
fn one_response() {
    let form = form();
    let one = response(
        &form,
        "SOF46",
        &[
            ("took_part", text("yes")),
            ("satisfied", text("4")),
            ("trust_a", Answer::Number(7.0)),
            ("age", Answer::Number(40.0)),
        ],
    );
    let r = run(&form, &[one]);
    let t = &r.question("trust_a").unwrap().overall;
    assert_eq!(
        (t.n, t.mean, t.median, t.q1),
        (1, Some(7.0), Some(7.0), Some(7.0))
    );
    assert!(t.sd.is_none() && t.ci95_mean.is_none());
    assert!(t.reasons["sd"].contains("only one"));
    assert!(t.reasons.contains_key("ci95_mean"));
    let yes = &r.question("took_part").unwrap().overall.options[0];
    assert_eq!(yes.percent, Some(100.0));
    let [lo, hi] = yes.ci95.unwrap();
    assert!(lo > 0.0 && hi == 100.0, "Wilson stays informative at n = 1");
    let trust = &r.index("trust").unwrap().overall;
    assert_eq!(trust.n, 1, "one of two items is half of them");
    assert!(trust.ci95.is_none() && trust.reasons.contains_key("ci95"));
}

#[test]
fn single_municipality_has_no_chi_square() {
    let form = form();
    let rs: Vec<Response> = ["yes", "no", "yes"]
        .iter()
        .map(|a| response(&form, "PDV22", &[("took_part", text(a))]))
        .collect();
    let r = run(&form, &rs);
    let q = r.question("took_part").unwrap();
    assert!(q.chi_square.is_none());
    assert!(
        q.chi_square_reason
            .as_deref()
            .unwrap()
            .contains("only one municipality")
    );
    assert_eq!(q.by_municipality.len(), 1);
    assert!(q.by_municipality[0].small_base);
}

#[test]
fn one_option_chosen_everywhere_has_no_chi_square() {
    let form = form();
    let rs: Vec<Response> = ["PDV22", "SOF46", "VAR06"]
        .iter()
        .map(|m| response(&form, m, &[("took_part", text("no"))]))
        .collect();
    let r = run(&form, &rs);
    let q = r.question("took_part").unwrap();
    assert!(q.chi_square.is_none());
    assert!(
        q.chi_square_reason
            .as_deref()
            .unwrap()
            .contains("fewer than two answer options")
    );
}

#[test]
fn zero_variance() {
    let form = form();
    let rs: Vec<Response> = ["PDV22", "SOF46", "PDV22", "SOF46"]
        .iter()
        .map(|m| {
            response(
                &form,
                m,
                &[
                    ("trust_a", Answer::Number(5.0)),
                    ("trust_b", Answer::Number(5.0)),
                    ("took_part", text("yes")),
                    ("volunteered", text("yes")),
                ],
            )
        })
        .collect();
    let r = run(&form, &rs);
    let t = &r.question("trust_a").unwrap().overall;
    assert_eq!(
        (t.mean, t.sd, t.ci95_mean),
        (Some(5.0), Some(0.0), Some([5.0, 5.0]))
    );
    let trust = &r.index("trust").unwrap().overall;
    assert_eq!(trust.mean, Some(50.0));
    assert!(trust.alpha.is_none());
    assert!(trust.reasons["alpha"].contains("does not vary"));
    let part = &r.index("participation").unwrap().overall;
    assert_eq!((part.mean, part.mean_count), (Some(100.0), Some(2.0)));
}

#[test]
fn only_specials_and_stale_answers() {
    let form = form();
    let rs = vec![
        response(
            &form,
            "SOF46",
            &[("took_part", Answer::Special(Special::DontKnow))],
        ),
        // `satisfied` is stored but not asked (took_part is no): it must not count.
        response(
            &form,
            "SOF46",
            &[("took_part", text("no")), ("satisfied", text("5"))],
        ),
        response(
            &form,
            "SOF46",
            &[("took_part", Answer::Special(Special::Refused))],
        ),
    ];
    let r = run(&form, &rs);
    let q = &r.question("took_part").unwrap().overall;
    assert_eq!((q.n, q.dont_know, q.refused), (1, 1, 1));
    let s = &r.question("satisfied").unwrap().overall;
    assert_eq!((s.asked, s.not_asked, s.n), (0, 3, 0));
    assert!(s.mean.is_none() && s.reasons.contains_key("mean"));
}

#[test]
fn responses_to_another_questionnaire_are_ignored() {
    let form = form();
    let mut other = response(&form, "SOF46", &[("took_part", text("yes"))]);
    other.questionnaire = "something-else".to_owned();
    assert_eq!(run(&form, &[other]).responses, 0);
}

#[test]
fn texts_typed_for_other_are_counted_when_other_was_chosen() {
    let form = anketa::questionnaire::catalog::default_form().expect("bundled questionnaire");
    let with_other = |codes: &[&str], other: &str| {
        let mut r = response(
            &form,
            "SOF46",
            &[
                ("consent", text("yes")),
                // Reasons for not taking part are asked of those who said "no" to D1–D7.
                ("p_contact", text("no")),
                ("p_consultation", text("no")),
                ("p_council", text("no")),
                ("p_petition", text("no")),
                ("p_budget", text("no")),
                ("p_referendum", text("no")),
                ("p_demonstration", text("no")),
                (
                    "barriers",
                    Answer::Codes(codes.iter().map(|c| (*c).to_owned()).collect()),
                ),
            ],
        );
        r.other_text.insert("barriers".to_owned(), other.to_owned());
        r
    };
    let rs = vec![
        with_other(&["other", "no_time"], "Няма  автобус"),
        with_other(&["other"], "няма автобус "),
        with_other(&["other"], "  "),
        // A leftover text whose option was unticked is not counted.
        with_other(&["no_time"], "stale text"),
    ];
    let r = run(&form, &rs);
    let q = &r.question("barriers").unwrap().overall;
    assert_eq!(q.n, 4);
    let others: Vec<(&str, u64)> = q
        .other_texts
        .iter()
        .map(|t| (t.text.as_str(), t.count))
        .collect();
    assert_eq!(others, [("няма автобус", 2)]);
}
