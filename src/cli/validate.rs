//! `anketa validate FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use super::output::{OneLine, outln};
use crate::questionnaire::{LoadError, load_path};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Questionnaire JSON files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Prints every problem of every file; fails when any file is invalid.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut failed = 0;
    for path in &args.files {
        match load_path(path) {
            Ok(form) => {
                let answerable = form
                    .questions()
                    .iter()
                    .filter(|q| q.kind.is_answerable())
                    .count();
                outln!(
                    "{}: ok — `{}` version {}, {} questions ({} answerable), languages {}",
                    path.display(),
                    form.id(),
                    form.version(),
                    form.questions().len(),
                    answerable,
                    form.languages().join(", ")
                );
            }
            Err(LoadError::Invalid { issues, .. }) => {
                failed += 1;
                for issue in &issues {
                    outln!("{}: {}", path.display(), OneLine(&issue.to_string()));
                }
                outln!("{}: {} problem(s)", path.display(), issues.len());
            }
            Err(e) => {
                failed += 1;
                outln!("{e}");
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
