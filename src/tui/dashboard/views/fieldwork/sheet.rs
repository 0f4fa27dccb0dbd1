//! The Fieldwork view as a table for its CSV export: progress per municipality, work per
//! interviewer, every count and rate of each, and the problem files.

use super::{format, sorted_progress};
use crate::outcome::RatesRow;
use crate::tui::dashboard::app::App;
use crate::tui::dashboard::data::Derived;
use crate::tui::dashboard::views::Sheet;

/// Progress per municipality and work per interviewer, as on screen, with every rate of the
/// whole, of each municipality and of each interviewer.
pub fn sheet(app: &App, data: &Derived) -> Sheet {
    let rates = &data.fieldwork.rates;
    let mut rows: Vec<Vec<String>> = vec![{
        let mut row = vec![String::new(); 8];
        row[0] = "total".to_owned();
        row.extend(rate_cells(Some(&rates.total)));
        row.pop();
        row.push(rates.e.map(|e| format!("{e:.4}")).unwrap_or_default());
        row
    }];
    rows.extend(sorted_progress(data).into_iter().map(|r| {
        let mut row = vec![
            "municipality".to_owned(),
            r.code.clone(),
            format::municipality_name(&r.code, &app.lang),
            r.complete.to_string(),
            r.drafts.to_string(),
            r.target.map(|t| t.to_string()).unwrap_or_default(),
            r.target
                .map(|_| r.shortfall().to_string())
                .unwrap_or_default(),
            String::new(),
        ];
        row.extend(rate_cells(rates.municipality(&r.code)));
        row
    }));
    rows.extend(data.fieldwork.interviewers.iter().map(|w| {
        let mut row = vec![
            "interviewer".to_owned(),
            w.name.clone(),
            w.name.clone(),
            w.complete.to_string(),
            w.drafts.to_string(),
            String::new(),
            String::new(),
            w.median_minutes
                .map(|m| format!("{m:.1}"))
                .unwrap_or_default(),
        ];
        row.extend(rate_cells(rates.interviewer(&w.name)));
        row
    }));
    let width = 8 + RATE_COLUMNS.len();
    rows.extend(data.problems.iter().map(|p| {
        let mut row = vec![String::new(); width];
        row[0] = "problem".to_owned();
        row[1] = p.path.display().to_string();
        row[2] = p.reason.clone();
        row
    }));
    let mut header: Vec<String> = [
        "kind",
        "id",
        "name",
        "complete",
        "drafts",
        "target",
        "shortfall",
        "median_minutes",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(RATE_COLUMNS.map(str::to_owned));
    Sheet {
        name: "fieldwork".to_owned(),
        header,
        rows,
    }
}

/// The sheet's columns of outcome counts and rates (rates as fractions, as `progress --json`).
const RATE_COLUMNS: [&str; 14] = [
    "partial",
    "refusal",
    "non_contact",
    "other",
    "unknown",
    "not_eligible",
    "open",
    "rr1",
    "rr2",
    "rr3",
    "coop1",
    "ref1",
    "con1",
    "e",
];

/// A row's cells under [`RATE_COLUMNS`]; empty without cases (`e` only on the total).
fn rate_cells(row: Option<&RatesRow>) -> Vec<String> {
    let Some(row) = row else {
        return vec![String::new(); RATE_COLUMNS.len()];
    };
    let c = &row.counts;
    let r = &row.rates;
    let fraction = |x: Option<f64>| x.map(|x| format!("{x:.4}")).unwrap_or_default();
    let mut cells: Vec<String> = [
        c.partial,
        c.refusal,
        c.non_contact,
        c.other,
        c.unknown,
        c.not_eligible,
        c.open,
    ]
    .iter()
    .map(u64::to_string)
    .collect();
    cells.extend([r.rr1, r.rr2, r.rr3, r.coop1, r.ref1, r.con1].map(fraction));
    cells.push(String::new());
    cells
}
