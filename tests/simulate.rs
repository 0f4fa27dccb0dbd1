//! The sample generator: its output is valid data that obeys the questionnaire, is the same
//! for the same seed, and differs between municipalities. The commands are in
//! `simulate_cli.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use anketa::outcome::{Outcome, OutcomeGroup};
use anketa::questionnaire::{Answer, Form, QuestionType, catalog, load_path};
use anketa::simulate::{Nonresponse, Options, Simulation, SiteChoice};
use anketa::store::{Response, Status, Store};
use statrs::distribution::{ChiSquared, ContinuousCDF};

fn fixture() -> Form {
    load_path(Path::new("tests/fixtures/simulate-features.json")).unwrap()
}

fn options(responses: usize, seed: u64, codes: &[&str]) -> Options {
    Options {
        responses,
        seed,
        sites: SiteChoice::Codes(codes.iter().map(|c| (*c).to_owned()).collect()),
        ..Options::default()
    }
}

/// Writes a simulation into a fresh folder and loads it back with the store's own loader.
fn simulate_and_load(form: &Form, options: &Options) -> (tempfile::TempDir, Vec<Response>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let summary = Simulation::new(form, options)
        .unwrap()
        .write(&store, |_| {})
        .unwrap();
    assert_eq!(summary.responses, options.responses);
    let report = store.load(form).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.responses.len(), options.responses);
    (dir, report.responses)
}

/// Every answer of every response obeys skip logic, bounds, constraints and choice rules.
fn assert_obeys_questionnaire(form: &Form, responses: &[Response]) {
    for r in responses {
        let relevant = form.relevance(&r.answers);
        for (id, answer) in &r.answers {
            let pos = form.position(id).unwrap();
            let q = &form.questions()[pos];
            assert!(relevant[pos], "{}: `{id}` answered but not relevant", r.id);
            assert!(
                form.constraint_holds(pos, answer, &r.answers, &relevant),
                "{}: `{id}` = {answer:?} breaks its constraint",
                r.id
            );
            match answer {
                Answer::Number(n) => {
                    assert!(q.min.is_none_or(|m| *n >= m), "{id} = {n} below min");
                    assert!(q.max.is_none_or(|m| *n <= m), "{id} = {n} above max");
                }
                Answer::Codes(codes) => assert_choice_rules(form, q, codes, &r.answers),
                Answer::Text(text) if q.kind == QuestionType::Text => {
                    let max = q.max_length.map_or(usize::MAX, |m| m as usize);
                    assert!(text.chars().count() <= max, "{id} longer than max_length");
                }
                Answer::Text(code) if q.choices_from.is_some() => {
                    let from = q.choices_from.as_deref().unwrap();
                    let Some(Answer::Codes(chosen)) = r.answers.get(from) else {
                        panic!("{id} answered without {from}");
                    };
                    assert!(chosen.contains(code), "{id} = {code} not among {chosen:?}");
                }
                _ => {}
            }
        }
        for id in r.other_text.keys() {
            let codes = match r.answers.get(id) {
                Some(Answer::Text(c)) => vec![c.clone()],
                Some(Answer::Codes(c)) => c.clone(),
                other => panic!("other text for {id} answered {other:?}"),
            };
            let q = form.question(id).unwrap();
            let has_other = form
                .choices(q)
                .iter()
                .any(|c| c.other && codes.contains(&c.code));
            assert!(has_other, "{id}: other text without the other option");
        }
        // Only a complete interview must have every required answer: a partial or a case
        // closed without an interview stopped early on purpose.
        if r.effective_outcome() == Some(Outcome::Complete) {
            for (pos, q) in form.questions().iter().enumerate() {
                if relevant[pos] && q.required {
                    assert!(
                        r.answers.contains_key(&q.id),
                        "{}: required {} missing",
                        r.id,
                        q.id
                    );
                }
            }
            assert!(r.completed_at.is_some_and(|c| c > r.started_at));
        }
    }
}

fn assert_choice_rules(
    form: &Form,
    q: &anketa::questionnaire::Question,
    codes: &[String],
    answers: &BTreeMap<String, Answer>,
) {
    assert!(!codes.is_empty(), "{}: empty selection stored", q.id);
    let max = q.max_choices.map_or(usize::MAX, |m| m as usize);
    assert!(codes.len() <= max, "{}: {codes:?} over max_choices", q.id);
    let options = form.choices(q);
    let exclusive = codes
        .iter()
        .any(|c| options.iter().any(|o| o.exclusive && &o.code == c));
    assert!(
        !exclusive || codes.len() == 1,
        "{}: {codes:?} mixes an exclusive option",
        q.id
    );
    if let Some(from) = &q.choices_from {
        let Some(Answer::Codes(chosen)) = answers.get(from) else {
            panic!("{} answered without {from}", q.id);
        };
        assert!(codes.iter().all(|c| chosen.contains(c)));
    }
}

#[test]
fn bundled_questionnaire_output_loads_cleanly_and_obeys_it() {
    let form = catalog::default_form().unwrap();
    let codes = ["SOF46", "PDV22", "VAR06", "SFO45", "GAB05"];
    let (_dir, responses) = simulate_and_load(&form, &options(1_500, 7, &codes));
    assert_obeys_questionnaire(&form, &responses);

    let drafts = responses
        .iter()
        .filter(|r| r.status == Status::Draft)
        .count();
    assert!((10..=100).contains(&drafts), "{drafts} drafts of 1,500");
    let answers: Vec<&Answer> = responses.iter().flat_map(|r| r.answers.values()).collect();
    let special = answers.iter().filter(|a| a.special().is_some()).count();
    let share = special as f64 / answers.len() as f64;
    assert!((0.005..0.08).contains(&share), "special share {share}");
    for code in codes {
        let interviewers: std::collections::BTreeSet<&str> = responses
            .iter()
            .filter(|r| r.municipality == code)
            .map(|r| r.interviewer.as_str())
            .collect();
        assert!(interviewers.len() >= 2, "{code}: {interviewers:?}");
    }
    let first = jiff::civil::date(2026, 9, 6)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap();
    let last = jiff::civil::date(2026, 11, 3)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap();
    for r in &responses {
        assert!(r.started_at > first.timestamp() && r.started_at < last.timestamp());
        let minutes = r.timings_ms.values().sum::<u64>() / 60_000;
        // Screened-out respondents (no consent, under age) finish within a minute or two.
        if r.status == Status::Complete && r.answers.len() > 20 {
            assert!((5..=120).contains(&minutes), "{minutes} minutes");
        }
    }
}

#[test]
fn every_feature_of_a_questionnaire_is_respected() {
    let form = fixture();
    let (_dir, responses) = simulate_and_load(&form, &options(1_200, 11, &["BGS04", "JAM26"]));
    assert_obeys_questionnaire(&form, &responses);
    let with = |id: &str| {
        responses
            .iter()
            .filter(|r| r.answers.contains_key(id))
            .count()
    };
    for id in [
        "household",
        "weight",
        "moved",
        "problems",
        "satisfied",
        "rating",
    ] {
        assert!(with(id) > 900, "{id} answered only {} times", with(id));
    }
    assert!(
        with("worst") > 50,
        "choices_from question answered {} times",
        with("worst")
    );
    let exclusive = responses
        .iter()
        .filter(|r| r.answers.get("problems") == Some(&Answer::Codes(vec!["none".into()])))
        .count();
    assert!(
        exclusive > 10,
        "the exclusive option was chosen {exclusive} times"
    );
    assert!(
        responses
            .iter()
            .any(|r| r.other_text.contains_key("problems"))
    );
    assert!(responses.iter().any(|r| r.language == "en"));
}

#[test]
fn the_same_seed_gives_the_same_interviews() {
    let form = catalog::default_form().unwrap();
    let sim = Simulation::new(&form, &options(300, 42, &["SOF46", "VAR06"])).unwrap();
    let again = Simulation::new(&form, &options(300, 42, &["SOF46", "VAR06"])).unwrap();
    let other = Simulation::new(&form, &options(300, 43, &["SOF46", "VAR06"])).unwrap();
    for i in [0, 1, 150, 299] {
        assert_eq!(sim.response(i), again.response(i));
        assert_ne!(sim.response(i).answers, other.response(i).answers);
    }
}

#[test]
fn municipalities_differ_significantly() {
    let form = catalog::default_form().unwrap();
    let codes = ["SOF46", "PDV22", "VAR06", "BGS04", "SZR31", "SLV20"];
    let sim = Simulation::new(&form, &options(3_000, 5, &codes)).unwrap();
    let responses: Vec<Response> = (0..sim.len()).map(|i| sim.response(i)).collect();
    // Question `informed` (five options) by municipality; substantive answers only.
    let options: Vec<String> = form
        .choices(form.question("informed").unwrap())
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let mut table = vec![vec![0.0; options.len()]; codes.len()];
    for r in &responses {
        if let Some(Answer::Text(code)) = r.answers.get("informed") {
            let row = codes.iter().position(|c| *c == r.municipality).unwrap();
            let col = options.iter().position(|o| o == code).unwrap();
            table[row][col] += 1.0;
        }
    }
    let (statistic, df) = pearson_chi_square(&table);
    let p = ChiSquared::new(df).unwrap().sf(statistic);
    assert!(p < 1e-6, "chi-square {statistic:.1} on {df} df, p = {p}");
}

/// Pearson's X² of a contingency table (columns with no answers dropped) and its degrees of
/// freedom.
fn pearson_chi_square(table: &[Vec<f64>]) -> (f64, f64) {
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<f64> = (0..table[0].len())
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let total: f64 = rows.iter().sum();
    let mut statistic = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, observed) in row.iter().enumerate() {
            let expected = rows[i] * cols[j] / total;
            if expected > 0.0 {
                statistic += (observed - expected).powi(2) / expected;
            }
        }
    }
    let used_cols = cols.iter().filter(|c| **c > 0.0).count();
    (statistic, ((rows.len() - 1) * (used_cols - 1)) as f64)
}

#[test]
fn pearson_chi_square_matches_scipy() {
    // scipy.stats.chi2_contingency([[10, 20, 30], [20, 15, 5]], correction=False)
    // → statistic 18.650793650793652, dof 2, pvalue 8.913158246593224e-05
    let (x2, df) = pearson_chi_square(&[vec![10.0, 20.0, 30.0], vec![20.0, 15.0, 5.0]]);
    assert!((x2 - 18.650793650793652).abs() < 1e-9, "{x2}");
    assert_eq!(df, 2.0);
    let p = ChiSquared::new(df).unwrap().sf(x2);
    assert!((p - 8.913158246593224e-05).abs() < 1e-12, "{p}");
}

#[test]
fn nonresponse_gives_every_kind_of_outcome_in_plausible_shares() {
    let form = catalog::default_form().unwrap();
    let codes = ["SOF46", "PDV22", "VAR06", "SFO45", "GAB05"];
    let mut with = options(3_000, 11, &codes);
    with.nonresponse = Nonresponse::TYPICAL;
    let (_dir, responses) = simulate_and_load(&form, &with);
    assert_obeys_questionnaire(&form, &responses);
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    for r in &responses {
        let key = match r.final_outcome() {
            Some(o) => format!("{:?}", o.group()),
            None => "open".to_owned(),
        };
        *groups.entry(key).or_default() += 1;
        match r.final_outcome() {
            // A non-interview is a closed case; only a break-off has a few answers.
            Some(o) if !o.is_interview() => {
                assert_eq!(r.status, Status::Complete);
                assert!(r.completed_at.is_some());
                let most = if o == Outcome::BreakOff { 20 } else { 0 };
                assert!(r.answers.len() <= most, "{o}: {} answers", r.answers.len());
            }
            Some(Outcome::Partial) => assert!(!r.answers.is_empty()),
            _ => {}
        }
    }
    let share = |group: OutcomeGroup| {
        groups.get(&format!("{group:?}")).copied().unwrap_or(0) as f64 / 3_000.0
    };
    let interviews = share(OutcomeGroup::Complete) + share(OutcomeGroup::Partial);
    // 3 % drafts, then 35 % of the rest without an interview: about 63 % interviews.
    assert!((0.52..0.74).contains(&interviews), "{groups:?}");
    assert!(
        (0.005..0.05).contains(&share(OutcomeGroup::Partial)),
        "{groups:?}"
    );
    for group in [
        OutcomeGroup::Refusal,
        OutcomeGroup::NonContact,
        OutcomeGroup::Other,
        OutcomeGroup::Unknown,
        OutcomeGroup::NotEligible,
    ] {
        assert!(share(group) > 0.005, "{group:?} in {groups:?}");
    }
    assert!(share(OutcomeGroup::Refusal) > share(OutcomeGroup::NonContact));
}

#[test]
fn without_nonresponse_every_closed_case_is_a_complete_interview() {
    let form = catalog::default_form().unwrap();
    let simulation = Simulation::new(&form, &options(400, 3, &["SOF46"])).unwrap();
    let mut typical = options(400, 3, &["SOF46"]);
    typical.nonresponse = Nonresponse::TYPICAL;
    let with = Simulation::new(&form, &typical).unwrap();
    for i in 0..400 {
        let plain = simulation.response(i);
        assert!(matches!(
            plain.final_outcome(),
            None | Some(Outcome::Complete)
        ));
        // The outcomes come from their own random stream: a case that is an interview either
        // way is the same interview.
        let other = with.response(i);
        if other.final_outcome() == Some(Outcome::Complete) {
            assert_eq!(other.answers, plain.answers, "case {i}");
        }
    }
}
