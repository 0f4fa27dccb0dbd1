//! The statistics of a hand-made set of 30 interviews (`tests/fixtures/stats/handmade.json`, to
//! the questionnaire `mini.json`) checked against values computed independently with numpy
//! 2.4, scipy 1.17, statsmodels 0.15 and pingouin 0.7 by `tests/fixtures/stats/expected.py`
//! (run `python3 expected.py` in that folder; its output is quoted beside each assertion).
//!
//! The set holds don't know, refused, empty answers, questions skipped by skip logic (with a
//! stale stored answer that must be ignored), a question nobody is asked, and a municipality
//! (Varna) where nobody answers `trust_b`.

#[path = "fixtures/stats/finite.rs"]
mod finite;
#[path = "fixtures/stats/handmade.rs"]
mod handmade;

use anketa::stats::compute;
use anketa::store::{ResponseFilter, ResponseTable};
use handmade::{bases, close_opt, close_pair, form, report, responses};

#[test]
fn bases_count_specials_skips_and_empty_answers() {
    let r = report();
    assert_eq!(r.responses, 30);
    // bases {"took_part": {"asked": 30, "n": 29, "dont_know": 1, ...}, "satisfied": {"asked": 11,
    // "n": 10, "refused": 1, "not_asked": 19}, "trust_a": {"asked": 30, "n": 28, "refused": 1,
    // "no_answer": 1}, "comment": {"asked": 30, "n": 10, "no_answer": 20}, "never": {"not_asked": 30}}
    let expect = [
        ("took_part", [30, 29, 1, 0, 0, 0]),
        ("volunteered", [30, 29, 0, 1, 0, 0]),
        ("satisfied", [11, 10, 0, 1, 19, 0]),
        ("how", [11, 11, 0, 0, 19, 0]),
        ("trust_a", [30, 28, 0, 1, 0, 1]),
        ("trust_b", [30, 22, 8, 0, 0, 0]),
        ("age", [30, 29, 1, 0, 0, 0]),
        ("income", [30, 29, 1, 0, 0, 0]),
        ("comment", [30, 10, 0, 0, 0, 20]),
        ("never", [0, 0, 0, 0, 30, 0]),
    ];
    for (id, want) in expect {
        assert_eq!(bases(&r.question(id).unwrap().overall), want, "{id}");
    }
    assert!(r.question("intro").is_none(), "notes have no statistics");
}

#[test]
fn single_choice_percentages_and_wilson_intervals() {
    let r = report();
    // took_part [('yes', 11, 37.93103448275862, [22.68802210080984, 55.9974557940115]),
    //            ('no', 18, 62.06896551724138, [44.00254420598853, 77.31197789919018])]
    let q = &r.question("took_part").unwrap().overall;
    let yes = &q.options[0];
    assert_eq!((yes.code.as_str(), yes.count), ("yes", 11));
    close_opt(yes.percent, 37.93103448275862);
    close_pair(yes.ci95, [22.68802210080984, 55.9974557940115]);
    close_pair(q.options[1].ci95, [44.00254420598853, 77.31197789919018]);
    // satisfied ('1', 0, 0.0, [0.0, 27.753279986288927]) ... ('5', 3, 30.0, [10.779126740630105, 60.322185253885465])
    let s = &r.question("satisfied").unwrap().overall;
    let counts: Vec<u64> = s.options.iter().map(|o| o.count).collect();
    assert_eq!(
        counts,
        [0, 1, 5, 1, 3],
        "every option listed, zeros included"
    );
    close_pair(s.options[0].ci95, [0.0, 27.753279986288927]);
    close_pair(s.options[4].ci95, [10.779126740630105, 60.322185253885465]);
}

#[test]
fn multiple_choice_shares_of_respondents() {
    let r = report();
    // how [('web', 5, [21.27127162245977, 71.9908462590678]), ('paper', 6, [28.009153740932202,
    // 78.72872837754024]), ('meeting', 4, ...), ('none', 1, [1.6232172885884855, 37.73584364515957])]
    // mean_choices 1.4545454545454546
    let q = &r.question("how").unwrap().overall;
    let counts: Vec<u64> = q.options.iter().map(|o| o.count).collect();
    assert_eq!(counts, [5, 6, 4, 1]);
    close_opt(q.options[0].percent, 500.0 / 11.0);
    close_pair(q.options[1].ci95, [28.009153740932202, 78.72872837754024]);
    close_pair(q.options[3].ci95, [1.6232172885884855, 37.73584364515957]);
    close_opt(q.mean_choices, 1.4545454545454546);
}

#[test]
fn numeric_summaries_t_intervals_and_type7_quartiles() {
    let r = report();
    // satisfied {'n': 10, 'mean': 3.6, 'sd': 1.07496769977314, 'ci95_mean': [2.831014432271884,
    // 4.3689855677281155], 'q1': 3.0, 'median': 3.0, 'q3': 4.75, 'min': 2.0, 'max': 5.0}
    // trust_a {'n': 28, 'mean': 4.928571428571429, 'sd': 3.207959677272345, 'ci95_mean':
    // [3.6846545241483297, 6.1724883329945275], 'q1': 2.0, 'median': 5.0, 'q3': 8.0, 'min': 0, 'max': 10}
    // age {'n': 29, 'mean': 49.13793103448276, 'sd': 19.956603164171423, 'ci95_mean':
    // [41.54684516960752, 56.729016899358], 'q1': 29.0, 'median': 51.0, 'q3': 68.0, 'min': 18, 'max': 81}
    // income {'mean': 1881.0641379310346, 'sd': 813.401432357257, 'ci95_mean': [1571.6627801527802,
    // 2190.465495709289], 'q1': 1284.32, 'median': 1900.47, 'q3': 2465.39, 'min': 458.66, 'max': 2964.81}
    let cases = [
        (
            "satisfied",
            [
                3.6,
                1.07496769977314,
                2.831014432271884,
                4.3689855677281155,
                3.0,
                3.0,
                4.75,
                2.0,
                5.0,
            ],
        ),
        (
            "trust_a",
            [
                4.928571428571429,
                3.207959677272345,
                3.6846545241483297,
                6.1724883329945275,
                2.0,
                5.0,
                8.0,
                0.0,
                10.0,
            ],
        ),
        (
            "age",
            [
                49.13793103448276,
                19.956603164171423,
                41.54684516960752,
                56.729016899358,
                29.0,
                51.0,
                68.0,
                18.0,
                81.0,
            ],
        ),
        (
            "income",
            [
                1881.0641379310346,
                813.401432357257,
                1571.6627801527802,
                2190.465495709289,
                1284.32,
                1900.47,
                2465.39,
                458.66,
                2964.81,
            ],
        ),
    ];
    for (id, want) in cases {
        let s = &r.question(id).unwrap().overall;
        close_opt(s.mean, want[0]);
        close_opt(s.sd, want[1]);
        close_pair(s.ci95_mean, [want[2], want[3]]);
        close_opt(s.q1, want[4]);
        close_opt(s.median, want[5]);
        close_opt(s.q3, want[6]);
        close_opt(s.min, want[7]);
        close_opt(s.max, want[8]);
    }
    // A nominal question has no mean, and says nothing about it.
    let t = &r.question("took_part").unwrap().overall;
    assert!(t.mean.is_none() && !t.reasons.contains_key("mean"));
}

#[test]
fn top_two_box() {
    let r = report();
    // satisfied top2 4 [16.81803297062361, 68.73262302663417]
    let top = r
        .question("satisfied")
        .unwrap()
        .overall
        .top2
        .clone()
        .unwrap();
    assert_eq!((top.from, top.count), (4.0, 4));
    close_pair(top.ci95, [16.81803297062361, 68.73262302663417]);
    // trust_a top2 13 [29.531569982795375, 64.1873107655321]  (6–10 on a 0–10 scale)
    let top = r.question("trust_a").unwrap().overall.top2.clone().unwrap();
    assert_eq!((top.from, top.count), (6.0, 13));
    close_pair(top.ci95, [29.531569982795375, 64.1873107655321]);
}

#[test]
fn per_municipality_figures() {
    let r = report();
    let q = r.question("trust_a").unwrap();
    let codes: Vec<&str> = q
        .by_municipality
        .iter()
        .map(|m| m.municipality.as_str())
        .collect();
    assert_eq!(codes, ["PDV22", "SOF46", "VAR06"]);
    // trust_a SOF46 {'asked': 12, 'n': 10, 'refused': 1, 'no_answer': 1} {'mean': 5.7, 'sd':
    // 3.4657049948186747, 'ci95_mean': [3.2207839978994346, 8.179216002100565], 'q1': 2.0,
    // 'median': 7.5, 'q3': 8.0}
    let sof = q.municipality("SOF46").unwrap();
    assert_eq!(bases(&sof.summary), [12, 10, 0, 1, 0, 1]);
    assert!(sof.small_base);
    close_opt(sof.summary.sd, 3.4657049948186747);
    close_pair(
        sof.summary.ci95_mean,
        [3.2207839978994346, 8.179216002100565],
    );
    close_opt(sof.summary.median, 7.5);
    // trust_a PDV22 {'q1': 3.25, 'median': 5.5, 'q3': 8.25}; VAR06 {'q1': 0.75, 'median': 2.0, 'q3': 5.5}
    let pdv = &q.municipality("PDV22").unwrap().summary;
    assert_eq!(
        [pdv.q1, pdv.median, pdv.q3],
        [Some(3.25), Some(5.5), Some(8.25)]
    );
    let var = &q.municipality("VAR06").unwrap().summary;
    assert_eq!(
        [var.q1, var.median, var.q3],
        [Some(0.75), Some(2.0), Some(5.5)]
    );
    // Nobody in Varna answers trust_b: figures are null with a reason, never NaN.
    let empty = &r
        .question("trust_b")
        .unwrap()
        .municipality("VAR06")
        .unwrap()
        .summary;
    assert_eq!((empty.n, empty.dont_know), (0, 8));
    assert!(empty.mean.is_none() && empty.options.iter().all(|o| o.percent.is_none()));
    assert!(empty.reasons.contains_key("mean"));
}

#[test]
fn text_answers_are_normalised_and_ranked() {
    let r = report();
    // comment 10 [('need more info', 5), ('ok', 4), ('too far', 1)]
    let q = &r.question("comment").unwrap().overall;
    assert_eq!(q.non_empty, Some(10));
    let top: Vec<(&str, u64)> = q
        .top_answers
        .iter()
        .map(|t| (t.text.as_str(), t.count))
        .collect();
    assert_eq!(top, [("need more info", 5), ("ok", 4), ("too far", 1)]);
}

#[test]
fn a_question_nobody_was_asked_is_explained() {
    let r = report();
    let q = r.question("never").unwrap();
    assert_eq!(q.overall.not_asked, 30);
    assert!(q.overall.reasons["n"].contains("not asked"));
    assert!(q.chi_square.is_none());
    assert!(q.chi_square_reason.is_some());
}

#[test]
fn filter_on_a_municipality_without_responses() {
    let form = form();
    let filter = ResponseFilter {
        municipalities: vec!["BLG03".to_owned()],
        ..ResponseFilter::default()
    };
    let table = ResponseTable::from_responses(&form, &responses(&form)).unwrap();
    let r = compute(&form, &table, &filter);
    assert_eq!(r.responses, 0);
    assert!(r.municipalities.is_empty());
    assert!(finite::all_finite(&r));
    let q = r.question("trust_a").unwrap();
    assert!(q.overall.mean.is_none() && q.by_municipality.is_empty());
    assert!(q.chi_square_reason.is_some());
}
