//! `anketa dashboard`: the analyst dashboards in the terminal.

use std::process::ExitCode;

use anyhow::Context;

use super::{FilterArgs, QuestionnaireArg};
use crate::paths::Paths;
use crate::store::Store;

/// Open the analyst dashboards on the stored responses.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
    /// Language of the labels (bg or en); F2 switches while running.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Filters applied at start (changed with `f` while running).
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Runs the dashboards until the user quits.
pub fn run(args: &Args, paths: &Paths) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(&paths.data_dir)?;
    let filter = args.filter.to_filter()?;
    let store = Store::open(&paths.data_dir)
        .with_context(|| format!("cannot open the data folder {}", paths.data_dir.display()))?;
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| form.default_language().to_owned());
    if !matches!(lang.as_str(), "bg" | "en") {
        anyhow::bail!("unknown language `{lang}`: use bg or en");
    }
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // Raw mode may be on even though the alternate screen failed.
            ratatui::restore();
            return Err(e)
                .context("cannot open the terminal (the dashboards need an interactive terminal)");
        }
    };
    let result = crate::tui::dashboard::run_filtered(&mut terminal, &form, &store, &lang, filter);
    ratatui::restore();
    result.map(|()| ExitCode::SUCCESS)
}
