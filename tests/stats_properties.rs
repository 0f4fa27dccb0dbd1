//! Properties of the statistics over random interviews to the bundled questionnaire.

#[path = "fixtures/stats/finite.rs"]
mod finite;
#[path = "fixtures/stats/generate.rs"]
mod generate;

use anketa::questionnaire::{Form, QuestionType, catalog};
use anketa::stats::{StatsReport, Summary, compute};
use anketa::store::{ResponseFilter, ResponseTable};
use proptest::prelude::*;

const MUNICIPALITIES: &[&str] = &["SOF46", "PDV22", "VAR06", "BLG03", "BGS04"];

fn form() -> Form {
    catalog::default_form().expect("bundled questionnaire")
}

fn report(form: &Form, count: usize, seed: u64, munis: usize) -> StatsReport {
    let responses = generate::responses(form, count, seed, &MUNICIPALITIES[..munis]);
    compute(
        form,
        &ResponseTable::from_responses(form, &responses).unwrap(),
        &ResponseFilter::default(),
    )
}

fn bases(s: &Summary) -> [u64; 6] {
    [
        s.asked,
        s.n,
        s.dont_know,
        s.refused,
        s.not_asked,
        s.no_answer,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn single_choice_percentages_sum_to_100(seed in any::<u64>(), count in 1usize..300, munis in 1usize..=5) {
        let form = form();
        let r = report(&form, count, seed, munis);
        for q in r.questions.iter().filter(|q| matches!(q.kind, QuestionType::Single | QuestionType::Scale)) {
            let groups = std::iter::once(&q.overall).chain(q.by_municipality.iter().map(|m| &m.summary));
            for s in groups {
                if s.n == 0 {
                    prop_assert!(s.options.iter().all(|o| o.percent.is_none()));
                    continue;
                }
                let exact: f64 = s.options.iter().map(|o| o.percent.unwrap()).sum();
                prop_assert!((exact - 100.0).abs() < 1e-9, "{}: {exact}", q.id);
                // As printed with one decimal, each option is off by at most 0.05.
                let rounded: f64 = s.options.iter().map(|o| (o.percent.unwrap() * 10.0).round() / 10.0).sum();
                prop_assert!((rounded - 100.0).abs() <= 0.05 * s.options.len() as f64 + 1e-9);
                let counted: u64 = s.options.iter().map(|o| o.count).sum();
                prop_assert_eq!(counted, s.n);
            }
        }
    }

    #[test]
    fn municipality_counts_add_up_to_the_total(seed in any::<u64>(), count in 0usize..300, munis in 1usize..=5) {
        let form = form();
        let r = report(&form, count, seed, munis);
        prop_assert_eq!(r.responses, count as u64);
        prop_assert_eq!(r.municipalities.iter().map(|m| m.responses).sum::<u64>(), r.responses);
        for q in &r.questions {
            let mut sum = [0u64; 6];
            let mut options = vec![0u64; q.overall.options.len()];
            for m in &q.by_municipality {
                for (a, b) in sum.iter_mut().zip(bases(&m.summary)) {
                    *a += b;
                }
                for o in &m.summary.options {
                    if let Some(i) = q.overall.options.iter().position(|x| x.code == o.code) {
                        options[i] += o.count;
                    }
                }
            }
            prop_assert_eq!(sum, bases(&q.overall), "{}", q.id);
            prop_assert_eq!(q.overall.asked + q.overall.not_asked, r.responses);
            let overall: Vec<u64> = q.overall.options.iter().map(|o| o.count).collect();
            prop_assert_eq!(options, overall, "{}", q.id);
        }
        for index in &r.indices {
            let n: u64 = index.by_municipality.iter().map(|m| m.summary.n).sum();
            prop_assert_eq!(n, index.overall.n);
        }
        prop_assert!(finite::all_finite(&r));
    }

    #[test]
    fn filtering_one_municipality_reproduces_its_column(seed in any::<u64>(), count in 1usize..200) {
        let form = form();
        let responses = generate::responses(&form, count, seed, &MUNICIPALITIES[..3]);
        let responses = ResponseTable::from_responses(&form, &responses).unwrap();
        let all = compute(&form, &responses, &ResponseFilter::default());
        let filter = ResponseFilter { municipalities: vec!["PDV22".to_owned()], ..ResponseFilter::default() };
        let one = compute(&form, &responses, &filter);
        for (q, q1) in all.questions.iter().zip(&one.questions) {
            match q.municipality("PDV22") {
                Some(m) => prop_assert_eq!(&m.summary, &q1.overall),
                None => prop_assert_eq!(q1.overall.asked + q1.overall.not_asked, 0),
            }
        }
    }
}

/// The report is the same to the last bit whatever the number of threads and however the work
/// is split between them: index means are floating-point sums, which depend on their order.
#[test]
fn the_report_is_identical_on_any_number_of_threads() {
    let form = form();
    let responses = generate::responses(&form, 9_000, 5, MUNICIPALITIES);
    let table = ResponseTable::from_responses(&form, &responses).unwrap();
    let filter = ResponseFilter::default();
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let report = pool.install(|| compute(&form, &table, &filter));
        serde_json::to_string(&report).unwrap()
    };
    let one = on(1);
    assert!(one.contains("\"indices\""));
    for threads in [2, 3, 7] {
        assert_eq!(on(threads), one, "{threads} threads");
    }
}
