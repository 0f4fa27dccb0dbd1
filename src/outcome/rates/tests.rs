//! The rates against hand-computed values. Each expected value is worked out in the comment
//! beside it from the AAPOR Standard Definitions' formulas (see the module documentation).

use super::*;

/// Counts for tests, open drafts none unless set.
fn counts(i: u64, p: u64, r: u64, nc: u64, o: u64, u: u64, ne: u64) -> Dispositions {
    Dispositions {
        complete: i,
        partial: p,
        refusal: r,
        non_contact: nc,
        other: o,
        unknown: u,
        not_eligible: ne,
        open: 0,
    }
}

#[track_caller]
fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a defined rate");
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

#[test]
fn a_full_sample_of_every_disposition() {
    // I = 400, P = 50, R = 200, NC = 150, O = 50, U = 100, NE = 50: 1,000 cases.
    let d = counts(400, 50, 200, 150, 50, 100, 50);
    // e = (I+P+R+NC+O) / (I+P+R+NC+O + NE) = 850 / 900.
    let e = d.eligibility_share();
    close(e, 850.0 / 900.0);
    let rates = d.rates(e);
    // RR1 = I / ((I+P) + (R+NC+O) + U) = 400 / (450 + 400 + 100) = 400 / 950 = 0.421053.
    close(rates.rr1, 400.0 / 950.0);
    // RR2 = (I+P) / 950 = 450 / 950 = 0.473684.
    close(rates.rr2, 450.0 / 950.0);
    // RR3 = I / ((I+P) + (R+NC+O) + e·U) = 400 / (850 + 94.444…) = 0.423529.
    close(rates.rr3, 400.0 / (850.0 + 100.0 * 850.0 / 900.0));
    close(rates.rr3, 0.423_529_411_764_705_9);
    // COOP1 = I / ((I+P) + R + O) = 400 / (450 + 200 + 50) = 400 / 700 = 0.571429.
    close(rates.coop1, 400.0 / 700.0);
    // REF1 = R / ((I+P) + (R+NC+O) + U) = 200 / 950 = 0.210526.
    close(rates.ref1, 200.0 / 950.0);
    // CON1 = ((I+P) + R + O) / ((I+P) + R + O + NC + U) = 700 / (700 + 150 + 100) = 700 / 950.
    close(rates.con1, 700.0 / 950.0);
}

#[test]
fn without_unknown_eligibility_rr3_equals_rr1() {
    // I = 6, R = 3, NC = 1, NE = 2: RR1 = RR3 = 6 / 10, whatever e is.
    let d = counts(6, 0, 3, 1, 0, 0, 2);
    let rates = d.rates(d.eligibility_share());
    close(rates.rr1, 0.6);
    close(rates.rr3, 0.6);
    assert_eq!(
        d.rates(None).rr3,
        rates.rr3,
        "e is not needed without unknowns"
    );
    // COOP1 = 6 / (6 + 3) = 0.666…; CON1 = (6 + 3) / (6 + 3 + 1) = 0.9.
    close(rates.coop1, 6.0 / 9.0);
    close(rates.con1, 0.9);
}

#[test]
fn no_eligible_case_leaves_every_rate_undefined() {
    // Only NE = 5: e = 0 / 5 = 0, and every denominator is 0.
    let d = counts(0, 0, 0, 0, 0, 0, 5);
    close(d.eligibility_share(), 0.0);
    assert_eq!(d.rates(d.eligibility_share()), Rates::default());
    assert_eq!(counts(0, 0, 0, 0, 0, 0, 0).rates(None), Rates::default());
}

#[test]
fn e_of_zero_makes_rr3_undefined_but_rr1_zero() {
    // NE = 5, U = 3: e = 0, so the 3 unknowns count as no eligible case at all.
    let d = counts(0, 0, 0, 0, 0, 3, 5);
    let rates = d.rates(d.eligibility_share());
    // RR1 = 0 / 3 = 0; RR3 = 0 / (0 + 0·3): undefined; REF1 = 0 / 3; CON1 = 0 / 3;
    // COOP1 = 0 / 0: undefined.
    close(rates.rr1, 0.0);
    assert_eq!(rates.rr3, None);
    close(rates.ref1, 0.0);
    close(rates.con1, 0.0);
    assert_eq!(rates.coop1, None);
}

#[test]
fn e_undefined_when_no_eligibility_is_known() {
    // U = 4 only: e = 0 / 0 is undefined and so is RR3; RR1 = 0 / 4 = 0.
    let d = counts(0, 0, 0, 0, 0, 4, 0);
    assert_eq!(d.eligibility_share(), None);
    let rates = d.rates(None);
    assert_eq!(rates.rr3, None);
    close(rates.rr1, 0.0);
    close(rates.con1, 0.0);
}

#[test]
fn a_municipality_with_only_refusals() {
    // R = 7: RR1 = RR3 = 0 / 7 = 0, COOP1 = 0 / 7 = 0, REF1 = 7 / 7 = 1, CON1 = 7 / 7 = 1.
    let d = counts(0, 0, 7, 0, 0, 0, 0);
    let rates = d.rates(d.eligibility_share());
    close(rates.rr1, 0.0);
    close(rates.rr3, 0.0);
    close(rates.coop1, 0.0);
    close(rates.ref1, 1.0);
    close(rates.con1, 1.0);
}

#[test]
fn outcomes_are_counted_in_their_groups_and_drafts_apart() {
    let mut d = Dispositions::default();
    for outcome in Outcome::ALL {
        d.add(Some(outcome));
    }
    d.add(None);
    d.add(None);
    // 1.1 | 1.2 | 2.11 2.12 | 2.20 | 2.30 2.32 2.33 | 3.20 | 4.70 4.10
    assert_eq!(
        d,
        Dispositions {
            complete: 1,
            partial: 1,
            refusal: 2,
            non_contact: 1,
            other: 3,
            unknown: 1,
            not_eligible: 2,
            open: 2,
        }
    );
    assert_eq!(d.closed(), 11);
    // Open drafts change no rate: RR1 = 1 / (2 + 6 + 1) = 1 / 9.
    close(d.rates(d.eligibility_share()).rr1, 1.0 / 9.0);
}

#[test]
fn every_row_uses_the_e_of_all_cases() {
    use Outcome::*;
    let case = |municipality, interviewer, outcome| Case {
        municipality,
        interviewer,
        outcome,
    };
    let cases = [
        case("SOF46", "ana", Some(Complete)),
        case("SOF46", "ana", Some(Complete)),
        case("SOF46", "ana", Some(Complete)),
        case("SOF46", "ana", Some(UnknownEligibility)),
        case("SOF46", "ivan", Some(UnknownEligibility)),
        case("PDV22", "ivan", Some(Refusal)),
        case("PDV22", "ivan", Some(NotEligibleUnderAge)),
        case("PDV22", "ivan", None),
    ];
    let report = RatesReport::of(cases);
    // Overall: I = 3, R = 1, U = 2, NE = 1, one open draft; e = (3 + 1) / (4 + 1) = 0.8.
    close(report.e, 0.8);
    assert_eq!(report.total.counts.open, 1);
    // RR3 overall = 3 / (3 + 1 + 0.8·2) = 3 / 5.6.
    close(report.total.rates.rr3, 3.0 / 5.6);
    let sofia = &report.municipalities[1];
    assert_eq!(sofia.key, "SOF46");
    // SOF46: I = 3, U = 2. RR1 = 3 / 5; RR3 = 3 / (3 + 0.8·2) = 3 / 4.6 (with its own e of
    // 1 it would be 3 / 5).
    close(sofia.rates.rr1, 0.6);
    close(sofia.rates.rr3, 3.0 / 4.6);
    let plovdiv = &report.municipalities[0];
    // PDV22: R = 1, NE = 1 and a draft: RR1 = 0 / 1, REF1 = 1 / 1.
    close(plovdiv.rates.rr1, 0.0);
    close(plovdiv.rates.ref1, 1.0);
    let ivan = &report.interviewers[1];
    assert_eq!(ivan.key, "ivan");
    // ivan: U = 1, R = 1, NE = 1, one draft. CON1 = R / (R + U) = 1 / 2.
    close(ivan.rates.con1, 0.5);
}
