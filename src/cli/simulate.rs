//! `anketa simulate --responses N`: writes synthetic interviews into the data folder.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use jiff::civil::Date;

use super::QuestionnaireArg;
use super::output::{errln, outln};
use crate::outcome::Outcome;
use crate::questionnaire::Form;
use crate::simulate::{DEFAULT_SEED, Nonresponse, Options, Simulation, SiteChoice, Summary};
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of cases to write: interviews, drafts and cases closed without an interview.
    #[arg(long, short = 'n', value_name = "N")]
    pub responses: usize,
    /// Share of cases that end without an interview (refusals, non-contacts, break-offs,
    /// respondents not eligible…), each with its AAPOR outcome; 0 for interviews only.
    #[arg(long, default_value_t = Nonresponse::TYPICAL.non_interviews, value_name = "SHARE",
          value_parser = share)]
    pub non_interviews: f64,
    /// Share of interviews that end early as partial interviews (outcome 1.2).
    #[arg(long, default_value_t = Nonresponse::TYPICAL.partials, value_name = "SHARE",
          value_parser = share)]
    pub partials: f64,
    /// Seed of the random draws: the same seed gives the same files.
    #[arg(long, default_value_t = DEFAULT_SEED, value_name = "S")]
    pub seed: u64,
    /// Survey this many municipalities, chosen at random (default: all 265).
    #[arg(long, value_name = "K", conflicts_with = "municipality")]
    pub municipalities: Option<usize>,
    /// Survey this municipality (EKATTE code such as SOF46); repeat for several.
    #[arg(long, value_name = "CODE")]
    pub municipality: Vec<String>,
    /// First day of fieldwork (YYYY-MM-DD).
    #[arg(long, default_value = "2026-09-07", value_name = "DATE")]
    pub fieldwork_start: Date,
    /// Length of fieldwork in days.
    #[arg(long, default_value_t = 56, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub fieldwork_days: u32,
    /// Add to a folder that already holds responses to this questionnaire. Synthetic
    /// interviews look like real ones, so this is refused unless asked for.
    #[arg(long)]
    pub append: bool,
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
}

impl Args {
    fn options(&self) -> Options {
        let sites = match (self.municipalities, self.municipality.is_empty()) {
            (Some(k), _) => SiteChoice::Random(k),
            (None, false) => SiteChoice::Codes(self.municipality.clone()),
            (None, true) => SiteChoice::All,
        };
        Options {
            responses: self.responses,
            seed: self.seed,
            sites,
            fieldwork_start: self.fieldwork_start,
            fieldwork_days: self.fieldwork_days,
            nonresponse: Nonresponse {
                non_interviews: self.non_interviews,
                partials: self.partials,
            },
        }
    }
}

/// Generates and writes the interviews, then prints a summary.
pub fn run(args: &Args, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(data_dir)?;
    let store = Store::open(data_dir)
        .with_context(|| format!("cannot open the data folder {}", data_dir.display()))?;
    let dir = store.responses_dir(form.id())?;
    if !args.append && holds_responses(&dir) {
        anyhow::bail!(
            "{} already holds responses; synthetic interviews would mix with them. \
             Use another --data-dir, or --append to add to it anyway",
            dir.display()
        );
    }
    let summary = write(&form, &args.options(), &store)?;
    print_summary(&summary, &dir);
    Ok(ExitCode::SUCCESS)
}

/// Generates and writes a simulation, showing progress on standard error for large ones.
pub(super) fn write(form: &Form, options: &Options, store: &Store) -> anyhow::Result<Summary> {
    let simulation = Simulation::new(form, options)?;
    let total = simulation.len();
    simulation
        .write(store, |done| {
            if total >= 20_000 {
                super::output::err_progress(format_args!("{done} / {total} interviews written"));
                if done == total {
                    errln!();
                }
            }
        })
        .with_context(|| format!("cannot write into {}", store.root().display()))
}

fn holds_responses(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".json") && !name.starts_with('.')
        })
    })
}

/// A share between 0 and 1, for `--non-interviews` and `--partials`.
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "`{text}` is not a share between 0 and 1 (such as 0.35)"
        )),
    }
}

/// Prints what was written.
pub(super) fn print_summary(summary: &Summary, dir: &Path) {
    let interviewers: usize = summary.municipalities.values().map(|(_, i)| i).sum();
    let interviews = summary.count(Outcome::Complete) + summary.count(Outcome::Partial);
    let without: usize = summary
        .outcomes
        .iter()
        .filter(|(o, _)| !o.is_interview())
        .map(|(_, n)| n)
        .sum();
    outln!(
        "wrote {} cases: {interviews} interviews ({} partial), {} drafts, {without} closed \
         without an interview, in {} municipalities by {} interviewers to {}",
        summary.responses,
        summary.count(Outcome::Partial),
        summary.drafts,
        summary.municipalities.len(),
        interviewers,
        dir.display()
    );
    outln!(
        "{:.1} MB in {:.2} s",
        summary.bytes as f64 / 1e6,
        summary.elapsed.as_secs_f64()
    );
}
