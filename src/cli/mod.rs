//! The command line: clap definitions and one small module per subcommand.
//!
//! Exit codes: 0 success, 1 the command ran and found a problem (an invalid questionnaire, a
//! failed write), 2 a usage error (clap's own code for bad arguments). A filter that selects no
//! interview is a warning on standard error, not a failure (`pack --interviewer` with no match is
//! an error: it would write an empty archive). A standard output closed by its reader changes
//! nothing: printing stops and the status is the command's own (see `cli/output.rs`).

mod check;
mod common;
mod dashboard;
mod demo;
mod export;
mod interview;
mod merge;
mod output;
mod pack;
mod progress;
mod simulate;
mod stats;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use common::{FilterArgs, QuestionnaireArg};

use crate::paths::Paths;
use output::{errln, outln};

/// Field surveys on civic participation in Bulgarian municipalities.
#[derive(Debug, Parser)]
#[command(name = "anketa", version, about, long_about = None)]
pub struct Cli {
    /// Data folder (responses, drafts); overrides the platform default.
    #[arg(long, global = true, env = "ANKETA_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new interview (choose the interviewer and municipality, then the questions).
    Interview(interview::Args),
    /// Open the analyst dashboards on the stored responses.
    Dashboard(dashboard::Args),
    /// Open the dashboards on a sample study in a temporary folder.
    Demo(demo::Args),
    /// Print the statistics of the responses: bases, frequencies, means, cross-tabs, indices.
    Stats(stats::Args),
    /// Export interviews as CSV (wide or long) with a codebook.
    Export(export::Args),
    /// Run the data-quality checks and list every flagged interview and interviewer.
    Check(check::Args),
    /// Show interviews achieved against the sample targets.
    Progress(progress::Args),
    /// Bring responses from other laptops (folders or `pack` archives) into this data folder.
    Merge(merge::Args),
    /// Write this laptop's responses to one archive file for the coordinator.
    Pack(pack::Args),
    /// Write synthetic interviews (for trying anketa out and for benchmarks).
    Simulate(simulate::Args),
    /// Check questionnaire files and print every problem found.
    Validate(validate::Args),
    /// Print the folders anketa reads and writes.
    Paths,
}

/// Runs anketa with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::FAILURE
        }
    };
    // A reader that went away is no failure; a full disk behind `> file` is.
    match output::take_stdout_error() {
        Some(e) => {
            errln!("error: cannot write to standard output: {e}");
            ExitCode::FAILURE
        }
        None => code,
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::resolve(cli.data_dir)?;
    match cli.command {
        None => crate::tui::run_home(&paths).map(|()| ExitCode::SUCCESS),
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::Export(args)) => export::run(&args, &paths),
        Some(Command::Interview(args)) => interview::run(&args, &paths),
        Some(Command::Merge(args)) => merge::run(&args, &paths.data_dir),
        Some(Command::Pack(args)) => pack::run(&args, &paths.data_dir),
        Some(Command::Progress(args)) => progress::run(&args, &paths.data_dir),
        Some(Command::Check(args)) => check::run(&args, &paths.data_dir),
        Some(Command::Stats(args)) => stats::run(&args, &paths),
        Some(Command::Dashboard(args)) => dashboard::run(&args, &paths),
        Some(Command::Paths) => {
            outln!("data:   {}", paths.data_dir.display());
            outln!("config: {}", paths.config_dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Simulate(args)) => simulate::run(&args, &paths.data_dir),
        Some(Command::Demo(args)) => demo::run(&args),
    }
}
