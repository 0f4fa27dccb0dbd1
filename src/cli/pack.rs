//! `anketa pack --out FILE [--interviewer NAME]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::output::{OneLine, errln, outln};
use crate::pack;
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive to write (a .tar file that `anketa merge` reads).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only this interviewer's interviews (case, accents typed either way and extra spaces do
    /// not matter).
    #[arg(long, value_name = "NAME")]
    pub interviewer: Option<String>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Writes the archive and says what went in; unreadable files are listed and left out, and the
/// exit status is 1 when there was any problem (as for `merge`).
pub fn run(args: &Args, data_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(data_dir).context("cannot open the data folder")?;
    let report = pack::pack(&store, &args.out, args.interviewer.as_deref(), args.force)?;
    for problem in &report.problems {
        let verb = if problem.is_skipped_file() {
            "left out"
        } else {
            problem.verb()
        };
        errln!("{verb} {}", OneLine(&problem.to_string()));
    }
    outln!(
        "packed {} interview(s) and {} audit trail(s) into {}{}",
        report.packed,
        report.trails,
        args.out.display(),
        if report.other_interviewers > 0 {
            format!(
                " ({} of other interviewers left out)",
                report.other_interviewers
            )
        } else {
            String::new()
        }
    );
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
