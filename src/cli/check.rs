//! `anketa check [--json] [--csv FILE] [thresholds...]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::output::{OneLine, errln, outln};
use super::{FilterArgs, QuestionnaireArg};
use crate::csv_out::CsvOut;
use crate::quality::{self, QualityReport, Thresholds};
use crate::store::{Store, atomic};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print the flags as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the flags as CSV for the coordinator.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Replace the CSV file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Speeding: flag interviews shorter than this fraction of the median duration
    /// (a decimal or a fraction such as 1/3).
    #[arg(long, default_value = "1/3", value_parser = parse_fraction, value_name = "FRACTION")]
    pub speeding_ratio: f64,
    /// Speeding: flag interviews with fewer seconds than this per answered question.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub min_seconds_per_question: f64,
    /// Speeding: compare with the median only with at least this many full-length interviews.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub median_min_interviews: usize,
    /// Straight-lining: batteries need at least this many items answered alike.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub battery_min_items: usize,
    /// Straight-lining: only scales with at least this many points form batteries.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub battery_min_points: usize,
    /// Don't know/refused: flag interviews with at least this share of their answers.
    #[arg(long, default_value_t = 0.3, value_name = "FRACTION")]
    pub dk_share: f64,
    /// Don't know/refused: judge only interviews with at least this many answered questions.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub dk_min_answered: usize,
    /// Don't know/refused: flag interviewers with at least this share of all their answers.
    #[arg(long, default_value_t = 0.15, value_name = "FRACTION")]
    pub dk_share_interviewer: f64,
    /// Near-duplicates: flag pairs with at least this share of identical answers.
    #[arg(long, default_value_t = 0.9, value_name = "FRACTION")]
    pub duplicate_share: f64,
    /// Near-duplicates: compare only pairs with at least this many questions both answered.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub duplicate_min_common: usize,
    /// Interviewer effects: family-wise significance level (Bonferroni-adjusted).
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA")]
    pub alpha: f64,
    /// Interviewer effects: test only interviewers with at least this many interviews.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub min_interviews: usize,
    /// Interviewer effects: test this single-choice question (repeat; default: all of them).
    #[arg(long = "key-question", value_name = "ID")]
    pub key_questions: Vec<String>,
    /// Implausible hours: completions from this hour (Europe/Sofia)…
    #[arg(long, default_value_t = 22, value_name = "HOUR")]
    pub night_from: i8,
    /// …until this hour are flagged.
    #[arg(long, default_value_t = 7, value_name = "HOUR")]
    pub night_to: i8,
}

/// A share written as a decimal (`0.25`) or a fraction (`1/4`).
fn parse_fraction(text: &str) -> Result<f64, String> {
    let bad = || format!("`{text}` is not a decimal or a fraction such as 1/3");
    match text.split_once('/') {
        Some((num, den)) => {
            let num: f64 = num.trim().parse().map_err(|_| bad())?;
            let den: f64 = den.trim().parse().map_err(|_| bad())?;
            if den == 0.0 {
                return Err(bad());
            }
            Ok(num / den)
        }
        None => text.trim().parse().map_err(|_| bad()),
    }
}

impl Args {
    fn thresholds(&self) -> Thresholds {
        Thresholds {
            speeding_ratio: self.speeding_ratio,
            min_seconds_per_question: self.min_seconds_per_question,
            min_interviews_for_median: self.median_min_interviews,
            battery_min_items: self.battery_min_items,
            battery_min_points: self.battery_min_points,
            special_min_answered: self.dk_min_answered,
            duplicate_min_common: self.duplicate_min_common,
            special_share_interview: self.dk_share,
            special_share_interviewer: self.dk_share_interviewer,
            duplicate_share: self.duplicate_share,
            effect_alpha: self.alpha,
            effect_min_interviews: self.min_interviews,
            effect_questions: self.key_questions.clone(),
            night_start_hour: self.night_from,
            night_end_hour: self.night_to,
        }
    }
}

/// Runs every check and prints the flags (text or JSON), optionally writing them as CSV.
pub fn run(args: &Args, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(data_dir)?;
    let filter = args.filter.to_filter()?;
    let store = Store::open(data_dir).context("cannot open the data folder")?;
    let loaded = store.load(&form)?;
    for problem in &loaded.problems {
        errln!("{} {}", problem.verb(), OneLine(&problem.to_string()));
    }
    let selected: Vec<_> = loaded
        .responses
        .into_iter()
        .filter(|r| filter.matches(r))
        .collect();
    super::common::warn_if_nothing_matches(&filter, selected.len());
    // Interviews with an audit trail are timed by their active time (pauses left out).
    let active: std::collections::HashMap<_, _> = selected
        .iter()
        .filter_map(|r| {
            let trail = store.load_trail(form.id(), r.id).ok()??;
            Some((r.id, crate::audit::active_seconds(&trail)?))
        })
        .collect();
    let report = quality::run_checks_with_activity(&form, &selected, &args.thresholds(), &active)?;
    if let Some(path) = &args.csv {
        write_csv(&report, path, args.force)?;
    }
    if args.json {
        super::output::out_json(&report);
    } else {
        print_text(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(report: &QualityReport) {
    let mut current = None;
    for flag in &report.flags {
        if current != Some(flag.check) {
            current = Some(flag.check);
            let n = report
                .flags
                .iter()
                .filter(|f| f.check == flag.check)
                .count();
            outln!("{} ({n})", flag.check.as_str());
        }
        let id = flag
            .response_id
            .map_or_else(|| "(interviewer)".to_owned(), |id| id.to_string());
        outln!(
            "  {id}  {}  {}",
            OneLine(&flag.interviewer),
            OneLine(&flag.reason)
        );
    }
    for note in &report.notes {
        outln!("note: {note}");
    }
    outln!(
        "{} flag(s) in {} complete interview(s)",
        report.flags.len(),
        report.checked
    );
}

fn write_csv(report: &QualityReport, path: &Path, force: bool) -> anyhow::Result<()> {
    let mut writer = CsvOut::new(Vec::new());
    writer.row([
        "check",
        "response_id",
        "interviewer",
        "municipality",
        "reason",
    ])?;
    for f in &report.flags {
        let id = f.response_id.map(|id| id.to_string()).unwrap_or_default();
        for text in [
            f.check.as_str(),
            &id,
            &f.interviewer,
            &f.municipality,
            &f.reason,
        ] {
            writer.text(text)?;
        }
        writer.end_row()?;
    }
    let bytes = writer.into_inner().context("cannot build the CSV")?;
    atomic::write_atomic(path, &bytes, force).with_context(|| {
        format!(
            "cannot write {} (pass --force to replace an existing file)",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse_fraction;

    #[test]
    fn fractions_and_decimals() {
        assert_eq!(parse_fraction("1/3"), Ok(1.0 / 3.0));
        assert_eq!(parse_fraction("0.25"), Ok(0.25));
        assert!(parse_fraction("1/0").is_err());
        assert!(parse_fraction("third").is_err());
    }
}
