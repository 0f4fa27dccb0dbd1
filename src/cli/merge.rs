//! `anketa merge SOURCE... [--dry-run]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::output::{OneLine, outln};
use crate::merge::{self, Outcome};
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data folders, response folders, archives made by `anketa pack`, or single response files.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Show what would happen without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Merges and prints every noteworthy file and a summary; fails when a file was refused or a
/// conflict needs a person to decide.
pub fn run(args: &Args, data_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(data_dir).context("cannot open the data folder")?;
    let report = merge::merge(&store, &args.sources, args.dry_run)?;
    let counts = report.counts();
    let trail_trouble = report
        .trails
        .iter()
        .filter(|t| matches!(t.outcome, merge::TrailOutcome::Problem { .. }))
        .count();
    if args.json {
        let value = serde_json::json!({ "counts": counts, "report": report });
        super::output::out_json(&value);
    } else {
        print_text(&report, args.dry_run);
    }
    Ok(if counts.conflicts + counts.problems + trail_trouble == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One line per file that needs attention or changed something in place, then the summary.
fn print_text(report: &merge::MergeReport, dry_run: bool) {
    let counts = report.counts();
    for item in &report.items {
        for reason in &item.invalid {
            outln!("invalid   {}: {}", OneLine(&item.origin), OneLine(reason));
        }
        let line = match &item.outcome {
            Outcome::New | Outcome::Identical => continue,
            Outcome::Updated { history } => {
                format!(
                    "updated   {} (old version kept as {})",
                    OneLine(&item.origin),
                    history.display()
                )
            }
            Outcome::Older { history } => {
                format!(
                    "older     {} (kept as {})",
                    OneLine(&item.origin),
                    history.display()
                )
            }
            Outcome::Conflict { kept_as, reason } => format!(
                "conflict  {}: {}; incoming version kept as {}",
                OneLine(&item.origin),
                OneLine(reason),
                kept_as.display()
            ),
            Outcome::Problem { reason } => {
                format!("problem   {}: {}", OneLine(&item.origin), OneLine(reason))
            }
        };
        outln!("{line}");
    }
    print_trails(&report.trails);
    let verb = if dry_run { "would merge" } else { "merged" };
    outln!(
        "{verb}: {} new, {} updated, {} identical, {} older, {} conflicts, {} problems",
        counts.new,
        counts.updated,
        counts.identical,
        counts.older,
        counts.conflicts,
        counts.problems
    );
    if counts.conflicts > 0 {
        outln!(
            "to resolve a conflict, copy the right version into responses/ and delete the file in conflicts/ (see docs/fieldwork.md)"
        );
    }
}

/// One line per audit trail that replaced, was kept aside or was refused, then their summary.
fn print_trails(trails: &[merge::TrailItem]) {
    use merge::TrailOutcome;
    if trails.is_empty() {
        return;
    }
    let (mut copied, mut identical, mut replaced, mut aside, mut problems) = (0, 0, 0, 0, 0);
    for trail in trails {
        match &trail.outcome {
            TrailOutcome::Copied => copied += 1,
            TrailOutcome::Identical => identical += 1,
            TrailOutcome::Replaced { history } => {
                replaced += 1;
                println!(
                    "trail     {} (the local trail kept as {})",
                    trail.origin,
                    history.display()
                );
            }
            TrailOutcome::KeptAside { kept_as, reason } => {
                aside += 1;
                println!(
                    "trail     {}: {reason}; kept as {}",
                    trail.origin,
                    kept_as.display()
                );
            }
            TrailOutcome::Problem { reason } => {
                problems += 1;
                println!("problem   {}: {reason}", trail.origin);
            }
        }
    }
    println!(
        "audit trails: {copied} copied, {replaced} replaced, {identical} identical, {aside} kept aside, {problems} problems"
    );
}
