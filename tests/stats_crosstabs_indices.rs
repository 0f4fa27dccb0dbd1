//! Cross-tabs with the municipality and indices on the hand-made interviews, checked against
//! scipy 1.17 and pingouin 0.7 (`tests/fixtures/stats/expected.py`; its output is quoted beside
//! each assertion).

#[path = "fixtures/stats/finite.rs"]
mod finite;
#[path = "fixtures/stats/handmade.rs"]
mod handmade;

use handmade::{close, close_opt, close_pair, report};

#[test]
fn chi_square_with_p_value_and_cramers_v() {
    let r = report();
    // chi took_part {'table': [[2, 7, 2], [8, 4, 6]], 'statistic': 5.021074380165289, 'df': 2,
    // 'p_value': 0.08122459447255542, 'cramers_v': 0.41610154513984754, 'low_expected_cells': 4}
    // chi trust_b {'statistic': 12.588888888888889, 'df': 10, 'p_value': 0.24757402415673682,
    // 'cramers_v': 0.7564537145273478, 'low_expected_cells': 22}   (Varna's empty column dropped)
    // chi satisfied {'table': [[0, 0, 1], [1, 4, 0], [1, 0, 0], [0, 2, 1]], 'statistic':
    // 10.222222222222223, 'df': 6, 'p_value': 0.11560033294107948, 'cramers_v': 0.7149203529842406,
    // 'low_expected_cells': 12}   (the empty row of option 1 dropped)
    let cases = [
        (
            "took_part",
            5.021074380165289,
            2,
            0.08122459447255542,
            0.41610154513984754,
            4,
        ),
        (
            "trust_b",
            12.588888888888889,
            10,
            0.24757402415673682,
            0.7564537145273478,
            22,
        ),
        (
            "satisfied",
            10.222222222222223,
            6,
            0.11560033294107948,
            0.7149203529842406,
            12,
        ),
    ];
    for (id, stat, df, p, v, low) in cases {
        let c = r.question(id).unwrap().chi_square.clone().expect(id);
        close(c.statistic, stat);
        assert_eq!(c.df, df, "{id}");
        close(c.p_value, p);
        close(c.cramers_v, v);
        assert_eq!(c.low_expected_cells, low, "{id}");
    }
    let took = r.question("took_part").unwrap().chi_square.clone().unwrap();
    assert_eq!(took.observed, [[2, 7, 2], [8, 4, 6]]);
    let trust_b = r.question("trust_b").unwrap().chi_square.clone().unwrap();
    assert_eq!(trust_b.columns, ["PDV22", "SOF46"]);
    let sat = r.question("satisfied").unwrap().chi_square.clone().unwrap();
    assert_eq!(sat.rows, ["2", "3", "4", "5"]);
    // Multiple questions have no cross-tab, and say so.
    let how = r.question("how").unwrap();
    assert!(how.chi_square.is_none() && how.chi_square_reason.is_some());
}

#[test]
fn indices_with_cronbachs_alpha() {
    let r = report();
    // index participation None {'n': 30, 'mean': 36.666666666666664, 'sd': 36.98399778220337,
    // 'ci95': [22.85661493294397, 50.47671840038936], 'mean_count': 0.7, 'any': 17,
    // 'alpha': 0.13541666666666674, 'alpha_n': 28}
    let p = &r.index("participation").unwrap().overall;
    assert_eq!((p.n, p.alpha_n), (30, 28));
    close_opt(p.mean, 36.666666666666664);
    close_opt(p.sd, 36.98399778220337);
    close_pair(p.ci95, [22.85661493294397, 50.47671840038936]);
    close_opt(p.mean_count, 0.7);
    assert_eq!(p.share_any.as_ref().unwrap().count, 17);
    close_opt(p.alpha, 0.13541666666666674);
    // index trust None {'n': 30, 'mean': 46.833333333333336, 'sd': 32.6021824246564, 'ci95':
    // [34.65947834425957, 59.0071883224071], 'alpha': 0.9325525318635892, 'alpha_n': 20}
    let t = &r.index("trust").unwrap().overall;
    assert_eq!((t.n, t.alpha_n), (30, 20));
    close_opt(t.mean, 46.833333333333336);
    close_pair(t.ci95, [34.65947834425957, 59.0071883224071]);
    close_opt(t.alpha, 0.9325525318635892);
    assert!(t.mean_count.is_none() && t.share_any.is_none());
    // index participation VAR06 {'n': 8, 'mean': 31.25, 'ci95': [0.14902646829752442,
    // 62.35097353170248], 'alpha': 0.2580645161290325}; index trust VAR06 {'alpha': None, 'alpha_n': 0}
    let idx = r.index("participation").unwrap();
    let var = idx
        .by_municipality
        .iter()
        .find(|m| m.municipality == "VAR06")
        .unwrap();
    close_pair(var.summary.ci95, [0.14902646829752442, 62.35097353170248]);
    close_opt(var.summary.alpha, 0.2580645161290325);
    let idx = r.index("trust").unwrap();
    let var = idx
        .by_municipality
        .iter()
        .find(|m| m.municipality == "VAR06")
        .unwrap();
    close_opt(var.summary.mean, 31.25);
    assert!(var.summary.alpha.is_none() && var.summary.reasons.contains_key("alpha"));
}
