//! `anketa interview [--questionnaire ID|PATH]`: start a new interview straight away.

use std::process::ExitCode;

use super::common::QuestionnaireArg;
use crate::paths::Paths;

/// The options of `anketa interview`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
}

/// Opens the start of a new interview; the home screen follows when it ends.
pub fn run(args: &Args, paths: &Paths) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(&paths.data_dir)?;
    crate::tui::run_interview(paths, form)?;
    Ok(ExitCode::SUCCESS)
}
