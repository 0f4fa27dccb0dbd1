//! The response-rate tables of `anketa progress`: outcomes by AAPOR group, then the rates,
//! for the whole sample, each municipality and each interviewer.

use std::fmt::Write as _;

use crate::outcome::{RatesReport, RatesRow};

/// Width of the first column: a municipality code and name, or an interviewer.
const LABEL: usize = 26;

/// Both tables, with the `e` they use; municipality names in `lang`.
pub(super) fn render(report: &RatesReport, lang: &str, out: &mut String) {
    let e = report
        .e
        .map_or_else(|| "undefined".to_owned(), |e| format!("{e:.3}"));
    let _ = writeln!(
        out,
        "Outcomes (AAPOR groups; open drafts are in no rate until closed)"
    );
    let _ = writeln!(
        out,
        "{:<LABEL$} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}",
        "", "I", "P", "R", "NC", "O", "U", "NE", "Open"
    );
    each_row(report, lang, out, |row, out| {
        let c = &row.counts;
        let _ = write!(
            out,
            " {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}",
            c.complete,
            c.partial,
            c.refusal,
            c.non_contact,
            c.other,
            c.unknown,
            c.not_eligible,
            c.open
        );
    });
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Response rates (%; RR3 with e = {e}, the eligible share of cases of known eligibility)"
    );
    let _ = writeln!(
        out,
        "{:<LABEL$} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "", "RR1", "RR2", "RR3", "COOP1", "REF1", "CON1"
    );
    each_row(report, lang, out, |row, out| {
        let r = &row.rates;
        for rate in [r.rr1, r.rr2, r.rr3, r.coop1, r.ref1, r.con1] {
            let _ = write!(out, " {:>6}", percent(rate));
        }
    });
}

/// A rate as a percentage with one decimal, `—` when undefined.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}", r * 100.0))
}

/// The total, then the municipalities, then the interviewers, each line's figures written by
/// `figures` after its label.
fn each_row(
    report: &RatesReport,
    lang: &str,
    out: &mut String,
    figures: impl Fn(&RatesRow, &mut String),
) {
    let list = crate::municipality::bundled();
    let line = |out: &mut String, label: String, row: &RatesRow| {
        let label: String = label.chars().take(LABEL).collect();
        let _ = write!(out, "{label:<LABEL$}");
        figures(row, out);
        let _ = writeln!(out);
    };
    line(out, "Total".to_owned(), &report.total);
    for row in &report.municipalities {
        let name = list.get(&row.key).map_or("", |m| m.name(lang));
        line(out, format!("{} {name}", row.key), row);
    }
    if !report.interviewers.is_empty() {
        let _ = writeln!(out, "By interviewer:");
    }
    for row in &report.interviewers {
        line(out, format!("  {}", row.key), row);
    }
}
