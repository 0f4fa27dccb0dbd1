//! `anketa progress [--json] [--targets FILE]`: interviews against the sample targets, and
//! the AAPOR response rates from the cases' outcomes.

mod rates;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::QuestionnaireArg;
use super::output::{OneLine, errln, out};
use crate::outcome::{Case, RatesReport};
use crate::store::Store;
use crate::targets::{self, Progress};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
    /// The targets file; by default `<questionnaire>.targets.json` beside the questionnaire,
    /// in DATA_DIR/questionnaires/, or the bundled example.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Print the progress as JSON.
    #[arg(long)]
    pub json: bool,
    /// Language of municipality names (bg or en).
    #[arg(long, default_value = "bg", value_parser = ["bg", "en"])]
    pub lang: String,
}

/// Prints achieved against target per municipality and per quota cell, then the response
/// rates. Without a targets file, only the rates.
pub fn run(args: &Args, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(data_dir)?;
    let spec_path = args
        .questionnaire
        .questionnaire
        .as_deref()
        .map(PathBuf::from)
        .filter(|p| p.is_file());
    let found = targets::find(
        &form,
        args.targets.as_deref(),
        spec_path.as_deref(),
        data_dir,
    )?;
    if found.is_none() {
        errln!(
            "no targets for `{}`: only the response rates are shown. Write {}.targets.json \
             beside the questionnaire or in DATA_DIR/questionnaires/ (see docs/fieldwork.md), \
             or pass --targets FILE",
            form.id(),
            form.id()
        );
    }
    let store = Store::open(data_dir).context("cannot open the data folder")?;
    let report = store.load(&form)?;
    for problem in &report.problems {
        errln!("{} {}", problem.verb(), OneLine(&problem.to_string()));
    }
    let progress = found
        .as_ref()
        .map(|(targets, origin)| (targets.progress(&form, &report.responses), origin));
    let rates = RatesReport::of(report.responses.iter().map(|r| Case {
        municipality: &r.municipality,
        interviewer: &r.interviewer,
        outcome: r.final_outcome(),
    }));
    if args.json {
        let value = serde_json::json!({
            "targets": progress.as_ref().map(|(_, origin)| origin),
            "progress": progress.as_ref().map(|(p, _)| p),
            "rates": rates,
        });
        super::output::out_json(&value);
    } else {
        let mut text = match &progress {
            Some((p, origin)) => render(p, origin, &args.lang) + "\n",
            None => format!("Response rates of {}\n\n", form.id()),
        };
        rates::render(&rates, &args.lang, &mut text);
        out!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p:.0}%"))
}

/// The text report: a municipality table, then the quota cells.
fn render(p: &Progress, origin: &str, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Progress of {} (targets: {origin})", p.questionnaire);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28} {:>7} {:>8} {:>6} {:>7}",
        "Municipality", "Target", "Achieved", "%", "Drafts"
    );
    for m in &p.municipalities {
        let name = if lang == "en" { &m.name_en } else { &m.name_bg };
        let label: String = format!("{} {name}", m.code).chars().take(28).collect();
        let target = m.target.map_or_else(|| "—".to_owned(), |t| t.to_string());
        let _ = writeln!(
            out,
            "{label:<28} {target:>7} {:>8} {:>6} {:>7}",
            m.achieved,
            percent(m.percent),
            m.drafts
        );
    }
    let total_pct = (p.total_target > 0)
        .then(|| f64::from(p.total_achieved) * 100.0 / f64::from(p.total_target));
    let _ = writeln!(
        out,
        "{:<28} {:>7} {:>8} {:>6} {:>7}",
        "Total",
        p.total_target,
        p.total_achieved,
        percent(total_pct),
        p.total_drafts
    );
    if p.ineligible > 0 {
        let _ = writeln!(out, "not counted (not eligible): {}", p.ineligible);
    }
    if p.non_interviews > 0 {
        let _ = writeln!(
            out,
            "not counted (closed without an interview): {}",
            p.non_interviews
        );
    }
    if !p.cells.is_empty() {
        let _ = writeln!(out);
        render_cells(p, &mut out);
    }
    out
}

/// The quota-cell table, its first column as wide as the longest label.
fn render_cells(p: &Progress, out: &mut String) {
    let title = format!("Quota cell ({})", p.dimensions.join(" × "));
    let width = p
        .cells
        .iter()
        .map(|c| c.label.chars().count())
        .chain([title.chars().count(), 28])
        .max()
        .unwrap_or(28);
    let _ = writeln!(
        out,
        "{title:<width$} {:>7} {:>8} {:>6}  Status",
        "Target", "Achieved", "%"
    );
    for c in &p.cells {
        let pct = (c.target > 0).then(|| f64::from(c.achieved) * 100.0 / f64::from(c.target));
        let status = if c.full {
            "full".to_owned()
        } else {
            format!("{} to go", c.remaining)
        };
        let _ = writeln!(
            out,
            "{:<width$} {:>7} {:>8} {:>6}  {status}",
            c.label,
            c.target,
            c.achieved,
            percent(pct)
        );
    }
    let _ = writeln!(
        out,
        "not in any cell (unanswered or outside every band): {}",
        p.not_in_cell
    );
}
